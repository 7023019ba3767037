"""The learned line model: training on a corpus folder, saving, loading and judging.

The corpus here is generated: six sites, each page an article between a menu and a
footer, so that grouped validation has sites to hold out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner.cleaners import PageContext
from cleaner.cleaners.learned import LearnedCleaner, LineModel
from cleaner.config import Config
from cleaner.extract.text import extract_text

pytest.importorskip("sklearn")

SITES = [
    "alpha.example",
    "beta.example",
    "gamma.example",
    "delta.example",
    "eps.example",
    "zeta.example",
]
MENU = ["Home", "World", "Business", "Sport", "Culture", "Contact us"]
FOOTER = [
    "Share on Facebook",
    "Subscribe to our newsletter",
    "Privacy policy",
    "© 2025 Example Media",
]
TOPICS = ["harbour", "railway", "library", "orchard", "observatory", "theatre"]


def article(topic: str, n: int) -> list[str]:
    return [
        f"The {topic} committee met on Monday to discuss plan number {n} for the coming year.",
        f"Residents said the {topic} had changed a great deal since the last renovation.",
        f"Officials expect a decision about the {topic} budget before the end of the month.",
    ][: 2 + n % 2]


def write_corpus(root: Path) -> None:
    html_dir = root / "toy" / "html"
    html_dir.mkdir(parents=True)
    records = []
    for s, site in enumerate(SITES):
        for n in range(3):
            page_id = f"{s}{n}"
            body = article(TOPICS[s], n)
            blocks = [*MENU, *body, *FOOTER]
            html = "<html><body>" + "".join(f"<div>{b}</div>" for b in blocks) + "</body></html>"
            (html_dir / f"{page_id}.html").write_text(html, encoding="utf-8")
            records.append(
                {"id": page_id, "url": f"https://{site}/a/{n}", "text": "\n\n".join(body)}
            )
    with (root / "toy" / "gold.jsonl").open("w") as fh:
        for record in records:
            fh.write(json.dumps(record) + "\n")


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[LineModel, Path]:
    from cleaner.train import train

    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root)
    out = root / "model" / "lines.npz"
    train(root, out=out, log=lambda *_: None)
    return LineModel.load(out), out


def test_training_writes_a_model_and_its_card(trained: tuple[LineModel, Path]) -> None:
    model, path = trained
    card = json.loads(path.with_suffix(".json").read_text())
    assert card["sites"] == len(SITES)
    assert card["validation"]["grouped_by"] == "site"
    assert 0.0 < model.threshold < 1.0
    assert model.card == card


def test_model_scores_furniture_above_prose(trained: tuple[LineModel, Path]) -> None:
    model, _ = trained
    lines = [
        "Home",
        "Sport",
        "The museum board met on Tuesday to approve the new wing.",
        "Privacy policy",
    ]
    scores = model.scores(lines)
    assert min(scores[0], scores[1], scores[3]) > scores[2]


def test_learned_cleaner_marks_drops_with_its_score(trained: tuple[LineModel, Path]) -> None:
    model, _ = trained
    text = "\n".join([*MENU, *article("museum", 1), *FOOTER])
    segments = extract_text(text).segments
    LearnedCleaner(model).judge(segments, PageContext("<test>", "text", Config()))
    dropped = [s for s in segments if not s.kept]
    assert dropped, "the model dropped nothing"
    assert all(s.dropped_by == "learned.line_model" and s.score is not None for s in dropped)
    assert all(
        s.kept for s in segments if s.text.startswith(("The museum", "Residents", "Officials"))
    )


def test_loading_a_model_of_the_wrong_size_names_the_file(tmp_path: Path) -> None:
    import numpy as np

    path = tmp_path / "bad.npz"
    np.savez(path, weights=np.zeros(10, dtype=np.float32), intercept=0.0, threshold=0.5)
    with pytest.raises(ValueError, match=r"bad\.npz"):
        LineModel.load(path)
