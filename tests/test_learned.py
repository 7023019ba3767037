"""The learned line model: training on a corpus folder, saving, loading and judging.

The corpus here is generated: six sites, each page an article between a menu and a
footer, so that grouped (and nested) validation has sites to hold out.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cleaner import clean_text
from cleaner.cleaners import PageContext
from cleaner.cleaners.heuristic import TOP_LINES, TOP_ONLY_RULES
from cleaner.cleaners.learned import (
    DEFAULT_MODEL,
    FEATURE_SET_KEY,
    MIN_PAGE_SEGMENTS,
    LearnedCleaner,
    LineModel,
    load_model,
    rule_verdicts,
)
from cleaner.cleaners.rules import RULES
from cleaner.config import Config
from cleaner.document import Segment
from cleaner.extract.text import extract_text
from cleaner.features import (
    CONTEXT_FEATURES,
    LineShape,
    context_features,
    feature_set_fingerprint,
)
from cleaner.title_finder import find_title
from tests.pages import labelled_page

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
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[LineModel, Path, list[str]]:
    pytest.importorskip("sklearn")
    from cleaner.training.train import train

    root = tmp_path_factory.mktemp("corpus")
    write_corpus(root)
    out = root / "model" / "lines.npz"
    logged: list[str] = []
    dump = root / "model" / "predictions.tsv"
    train(root, out=out, log=lambda *parts: logged.append(" ".join(map(str, parts))), dump=dump)
    return LineModel.load(out), out, logged


def test_training_writes_a_model_and_its_card(trained: tuple[LineModel, Path, list[str]]) -> None:
    model, path, _ = trained
    card = json.loads(path.with_suffix(".json").read_text())
    assert card["sites"] == len(SITES)
    assert card["validation"]["grouped_by"] == "site"
    assert len(card["validation"]["fold_thresholds"]) == card["validation"]["folds"]
    assert {"toy", "overall"} <= set(card["validation"]["table"])
    assert "link_run" in card["replaces_rules"]
    assert card["size_bytes"] == path.stat().st_size
    assert 0.0 < model.threshold <= 1.0
    assert model.card == card


def test_training_dumps_held_out_predictions(trained: tuple[LineModel, Path, list[str]]) -> None:
    import csv

    from cleaner.training.train import DUMP_COLUMNS

    _, path, logged = trained
    dump = path.parent / "predictions.tsv"
    with dump.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert tuple(rows[0]) == DUMP_COLUMNS
    assert any(row.startswith(f"wrote {len(rows)} rows to") for row in logged)
    assert {r["label"] for r in rows} <= {"content", "boilerplate", "unknown"}
    assert {r["zone"] for r in rows} <= {"before", "body", "after"}
    prose = [r for r in rows if r["text"].startswith("The harbour committee met")]
    assert prose and all(r["zone"] == "body" and r["label"] == "content" for r in prose)
    assert all(0.0 <= float(r["probability"]) <= 1.0 for r in rows)


def test_training_prints_the_by_site_table(trained: tuple[LineModel, Path, list[str]]) -> None:
    _, _, logged = trained
    text = "\n".join(logged)
    assert "rules alone" in text and "rules + model" in text
    assert any(row.startswith("overall") for row in logged)


def test_training_prints_the_tradeoff(trained: tuple[LineModel, Path, list[str]]) -> None:
    """A lower threshold drops more lines: less boilerplate left, no less content lost."""
    from cleaner.training.train import TRADEOFF_THRESHOLDS

    _, _, logged = trained
    start = next(i for i, row in enumerate(logged) if row.startswith("trade-off"))
    rows = logged[start + 2 : start + 2 + len(TRADEOFF_THRESHOLDS)]
    overall = [re.findall(r"([\d.]+)%", row)[-2:] for row in rows]
    left = [float(cell[0]) for cell in overall]
    lost = [float(cell[1]) for cell in overall]
    assert len(left) == len(TRADEOFF_THRESHOLDS)
    assert left == sorted(left) and lost == sorted(lost, reverse=True)
    assert left[0] < left[-1]  # the model removes boilerplate the remaining rules leave


def test_model_scores_furniture_above_prose(trained: tuple[LineModel, Path, list[str]]) -> None:
    model, _, _ = trained
    lines = [
        *MENU,
        "The museum board met on Tuesday to approve the new wing.",
        "Visitors said the museum had changed a great deal since the last renovation.",
        *FOOTER,
    ]
    scores = model.scores(lines)
    prose = min(scores[len(MENU)], scores[len(MENU) + 1])
    assert max(scores[len(MENU) : len(MENU) + 2]) < min(scores[0], scores[-2])
    assert prose < model.threshold


def test_learned_cleaner_marks_drops_with_its_score(
    trained: tuple[LineModel, Path, list[str]],
) -> None:
    model, _, _ = trained
    text = "\n".join([*MENU, *article("museum", 1), *FOOTER])
    segments = extract_text(text).segments
    LearnedCleaner(model).judge(segments, PageContext("<test>", "text", Config()))
    dropped = [s for s in segments if not s.kept]
    assert dropped, "the model dropped nothing"
    replaced = {f"heuristic.{rule}" for rule in model.replaces_rules}
    assert all(s.score is not None for s in dropped)
    assert {s.dropped_by for s in dropped} <= {"learned.line_model", *replaced}
    # a menu the link_run rule flags keeps the rule's name in the report
    assert {s.dropped_by for s in dropped if s.text in MENU[1:5]} == {"heuristic.link_run"}
    assert all(
        s.kept for s in segments if s.text.startswith(("The museum", "Residents", "Officials"))
    )


SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "raw"


def _verdict_pages() -> list[str]:
    toy = [
        "Harbour plan approved",
        "By Jane Doe",
        *MENU,
        *article("harbour", 1),
        "Related",
        "Ten things to do in the harbour this weekend",
        "2 hours ago",
        "Library reopens",
        "3 hours ago",
        "    return x + 1",
        *FOOTER,
        "Comments",
        "By John Roe",
    ]
    return ["\n".join(toy), *(p.read_text("utf-8") for p in sorted(SAMPLES.glob("*.txt")))]


@pytest.mark.parametrize("text", _verdict_pages())
@pytest.mark.parametrize("disabled", [frozenset(), frozenset({"link_run", "byline", "timestamp"})])
def test_rule_verdicts_from_fired_rules_match_the_cleaners(
    text: str, disabled: frozenset[str]
) -> None:
    """The model's path hands the heuristic cleaner the rules its features found firing
    (`LineShape.rules`) instead of having it run them again: the verdicts must be those
    of running them, so `LineShape.rules` must name every rule that fires, in `RULES`
    order, and line up with the segments (code lines included)."""
    segments = extract_text(text).segments
    title = find_title(segments, None)
    page = PageContext(
        "<test>",
        "text",
        Config(detect_language=False),
        title.text if title else None,
        title.index if title else None,
    )
    fired = [LineShape(s.text).rules for s in segments]
    expected = rule_verdicts(segments, page, disabled)
    assert rule_verdicts(segments, page, disabled, fired) == expected
    assert any(expected) and all(s.kept for s in segments)


def test_rule_verdicts_follow_the_fired_rules_they_are_given() -> None:
    """With `fired`, the line rules are not asked again: the verdicts follow the rules
    named as firing, by the heuristic cleaner's precedence (the first enabled one in
    `RULES` order wins, `TOP_ONLY_RULES` count in the first `TOP_LINES` judged lines,
    code is not judged). No rule fires on these lines of prose, so a path that ran the
    rules itself, or judged `fired` by other precedence, fails here."""
    lines = [f"The council met on day {n} and approved a plan for the harbour." for n in range(20)]
    segments = [Segment(text=t, index=i) for i, t in enumerate(lines)]
    segments[1].kind = "code"
    fired: list[list[str]] = [[] for _ in lines]
    fired[0] = ["ui_phrase", "cms_footer"]  # ui_phrase is disabled below
    fired[1] = ["cms_footer"]  # code
    fired[2] = ["cms_footer", "timestamp"]
    fired[3] = ["ui_phrase"]
    fired[TOP_LINES] = ["byline"]  # judged line TOP_LINES - 1: the code line is not counted
    fired[TOP_LINES + 1] = ["byline"]
    fired[TOP_LINES + 2] = ["timestamp", "byline"]
    assert {"byline"} == TOP_ONLY_RULES
    assert all(name in RULES for names in fired for name in names)
    assert not any(rule(line) for rule in RULES.values() for line in lines)

    page = PageContext("<test>", "text", Config(detect_language=False))
    verdicts = rule_verdicts(segments, page, frozenset({"ui_phrase"}), fired)

    expected: list[str | None] = [None] * len(lines)
    expected[0] = expected[2] = "heuristic.cms_footer"
    expected[TOP_LINES] = "heuristic.byline"
    expected[TOP_LINES + 2] = "heuristic.timestamp"
    assert verdicts == expected
    assert rule_verdicts(segments, page) == [None] * len(lines)


def test_tree_evaluator_matches_scikit_learn() -> None:
    """The numpy walk over exported arrays gives scikit-learn's probabilities, NaN included."""
    pytest.importorskip("sklearn")
    from sklearn.ensemble import HistGradientBoostingClassifier

    from cleaner.training.train import TREE_PARAMS, export_trees

    rng = np.random.default_rng(0)
    X = rng.normal(size=(3000, 5))
    X[rng.random(X.shape) < 0.1] = np.nan
    y = (np.nan_to_num(X[:, 0]) + np.nan_to_num(X[:, 1]) * np.nan_to_num(X[:, 2]) > 0).astype(int)
    model = HistGradientBoostingClassifier(**TREE_PARAMS).fit(X, y)
    trees = export_trees(model)
    X_test = rng.normal(size=(500, 5))
    X_test[rng.random(X_test.shape) < 0.2] = np.nan
    ours = 1.0 / (1.0 + np.exp(-trees.decision(X_test)))
    assert np.allclose(ours, model.predict_proba(X_test)[:, 1], atol=1e-12)


def test_stage1_weighs_only_features_seen_on_enough_sites() -> None:
    """A word on one site's lines only gets no weight, however well it predicts there; a
    word on every site's lines gets one."""
    pytest.importorskip("sklearn")
    from cleaner.features import feature_id
    from cleaner.training.train import SITE_FLOOR, LabelledPage, build_lines, fit_stage1

    def page(s: int, site: str, extra: list[str]) -> LabelledPage:
        texts = [*article(TOPICS[s], 1), "Subscribe to our newsletter", *extra]
        labels: list[bool | None] = [True] * (len(texts) - 1 - len(extra)) + [False]
        return labelled_page(site, texts, labels + [True] * len(extra))

    local = "Rhein-Neckar Löwen"  # content, on the first site only
    pages = [page(s, site, [local] * 5 if s == 0 else []) for s, site in enumerate(SITES)]
    lines = build_lines(pages)
    rows = lines.labelled
    local_ids = [feature_id(f) for f in ("whole=rhein-neckar löwen", "w=löwen")]
    weights, _ = fit_stage1(lines, lines.X, rows, 1.0)
    assert SITE_FLOOR > 1
    assert all(weights[i] == 0.0 for i in local_ids)
    assert weights[feature_id("w=newsletter")] > 0.0  # boilerplate on every site
    unfloored, _ = fit_stage1(lines, lines.X, rows, 1.0, min_sites=1)
    assert all(unfloored[i] < 0.0 for i in local_ids)  # without the floor: learned as content


def test_context_features_handle_empty_and_tiny_pages() -> None:
    assert context_features([], np.zeros(0), [], []).shape == (0, len(CONTEXT_FEATURES))
    one = context_features(["Home"], np.array([1.0]), ["heuristic.ui_phrase"], ["p"])
    assert one.shape == (1, len(CONTEXT_FEATURES))
    assert one[0, CONTEXT_FEATURES.index("rule=ui_phrase")] == 1.0


def test_loading_a_model_of_the_wrong_size_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.npz"
    np.savez(path, weights=np.zeros(10, dtype=np.float32), intercept=0.0, threshold=0.5)
    with pytest.raises(ValueError, match=r"bad\.npz"):
        LineModel.load(path)


def _save_copy_of_shipped_model(tmp_path: Path, card: dict[str, object]) -> Path:
    """The shipped model's arrays under `tmp_path`, with `card` as its model card."""
    path = tmp_path / "lines.npz"
    path.write_bytes(DEFAULT_MODEL.read_bytes())
    path.with_suffix(".json").write_text(json.dumps(card))
    return path


@pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="no shipped model")
def test_a_model_of_another_rule_and_feature_set_refuses_to_load(tmp_path: Path) -> None:
    card = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text())
    current = feature_set_fingerprint()
    assert card[FEATURE_SET_KEY] == current  # the shipped card names today's set
    assert LineModel.load(_save_copy_of_shipped_model(tmp_path, card)).card == card
    foreign = _save_copy_of_shipped_model(tmp_path, {**card, FEATURE_SET_KEY: "0123456789abcdef"})
    with pytest.raises(ValueError, match=rf"0123456789abcdef.*{current}.*cleaner train"):
        LineModel.load(foreign)
    unstamped = {k: v for k, v in card.items() if k != FEATURE_SET_KEY}
    with pytest.raises(ValueError, match=rf"no rule and feature set.*{current}"):
        LineModel.load(_save_copy_of_shipped_model(tmp_path, unstamped))


def test_the_fingerprint_changes_with_the_rule_set(monkeypatch: pytest.MonkeyPatch) -> None:
    before = feature_set_fingerprint()
    monkeypatch.setitem(RULES, "new_rule", lambda line: False)
    assert feature_set_fingerprint() != before


def test_a_model_made_in_this_version_records_its_set(
    trained: tuple[LineModel, Path, list[str]],
) -> None:
    model, path, _ = trained
    assert model.card[FEATURE_SET_KEY] == feature_set_fingerprint()
    assert (
        json.loads(path.with_suffix(".json").read_text())[FEATURE_SET_KEY]
        == model.card[FEATURE_SET_KEY]
    )


# -- the shipped model ------------------------------------------------------------------------

shipped = pytest.mark.skipif(not DEFAULT_MODEL.exists(), reason="no shipped model")


@shipped
def test_shipped_model_is_small_fast_and_validated_by_site() -> None:
    started = time.perf_counter()
    model = LineModel.load(DEFAULT_MODEL)
    assert time.perf_counter() - started < 0.5
    assert DEFAULT_MODEL.stat().st_size < 3_000_000
    validation = model.card["validation"]
    assert validation["grouped_by"] == "site"
    overall = validation["table"]["overall"]
    assert overall["rules_and_model"]["content_lost"] <= overall["rules_alone"]["content_lost"]
    assert (
        overall["rules_and_model"]["boilerplate_left"] < overall["rules_alone"]["boilerplate_left"]
    )


@shipped
def test_shipped_model_runs_without_scikit_learn() -> None:
    """Inference imports numpy only: scikit-learn is in the `train` extra."""
    code = (
        "import sys\n"
        "from cleaner.cleaners.learned import load_model\n"
        "model = load_model()\n"
        "model.scores(['Home', 'World', 'The council met on Monday and voted.'] * 4)\n"
        "assert 'sklearn' not in sys.modules, 'inference imported scikit-learn'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@shipped
def test_shipped_model_drops_a_menu_and_keeps_the_article() -> None:
    text = "\n".join(
        [
            *MENU,
            "The harbour committee met on Monday to discuss the plan for the coming year.",
            "Residents said the harbour had changed a great deal since the last renovation.",
            "Officials expect a decision about the budget before the end of the month.",
            *FOOTER,
            "Related",
            "Ten things to do in the harbour this weekend",
            "Railway strike called off",
        ]
    )
    doc = clean_text(text, config=Config(detect_language=False))
    assert "Residents said the harbour" in doc.text and "Officials expect" in doc.text
    assert "Business" not in doc.text and "Privacy policy" not in doc.text


@shipped
def test_replaced_rules_still_judge_pages_too_short_for_the_model() -> None:
    model = load_model()
    assert model is not None and "link_run" in model.replaces_rules
    lines = ["World", "Sport", "Culture", "The council met on Monday and approved the budget."]
    assert len(lines) < MIN_PAGE_SEGMENTS
    with_model = clean_text("\n".join(lines), config=Config(detect_language=False))
    rules_only = clean_text("\n".join(lines), config=Config(detect_language=False, learned=False))
    assert [(r["cleaner"], r["rule"]) for r in with_model.removed if r["text"] == "Sport"] == [
        ("heuristic", "link_run")
    ]
    assert with_model.removed == rules_only.removed


def test_figures_count_a_content_line_moved_to_the_title_as_delivered() -> None:
    pytest.importorskip("sklearn")
    from cleaner.training.train import LabelledPage, build_lines, figures

    def page(n: int, title_reason: str) -> LabelledPage:
        return LabelledPage(
            dataset="toy",
            page_id=str(n),
            rendering="blocks",
            site=SITES[n],
            page_type=None,
            url=None,
            texts=["Bridge reopens", "Home", "The bridge reopened on Monday after works."],
            originals=[None, None, None],
            kinds=["p", "p", "p"],
            starts=[True, True, True],
            labels=[True, False, True],
            reasons=[title_reason, "heuristic.ui_phrase", None],
            rules_kept=[False, False, True],
            all_rules_kept=[False, False, True],
        )

    moved = build_lines([page(n, "title.title_line") for n in range(len(SITES))])
    assert figures(moved, moved.all_rules_kept)["content_lost"] == 0.0
    assert figures(moved, moved.all_rules_kept)["boilerplate_left"] == 0.0
    dropped = build_lines([page(n, "heuristic.link_run") for n in range(len(SITES))])
    assert figures(dropped, dropped.all_rules_kept)["content_lost"] == 0.5
    furniture_only = [page(n, "title.title_line") for n in range(len(SITES))]
    for each in furniture_only:  # the pipeline raises: no document, so no title either
        each.rules_kept = each.all_rules_kept = [False, False, False]
    raised = build_lines(furniture_only)
    assert figures(raised, raised.all_rules_kept)["content_lost"] == 1.0


def _menu_article_page(menu: list[str] = MENU) -> str:
    return "\n".join(
        [
            *menu,
            "The harbour committee met on Monday to discuss the plan for the coming year.",
            "Residents said the harbour had changed a great deal since the last renovation.",
            "Officials expect a decision about the budget before the end of the month.",
            "Top stories",
            "Railway strike called off after talks",
            "Library opens on Sundays",
            *FOOTER,
        ]
    )


@shipped
def test_line_threshold_trades_boilerplate_for_content() -> None:
    """0 lets the model drop every line its guards allow, 1 only what it is sure of; the
    default sits in between. Real sentences stay at every setting (the model's guard)."""

    # Section names of one site: no cross-site lexicon entry drops them whatever the
    # threshold, as it drops "Home" or "World" (the next test).
    site_menu = ["Harbour", "Railways", "Orchards", "Observatory", "Theatre", "Letters"]

    def removed(threshold: float | None) -> set[str]:
        config = Config(detect_language=False, line_threshold=threshold)
        doc = clean_text(_menu_article_page(site_menu), config=config)
        assert "Residents said the harbour" in doc.text
        return {r["text"] for r in doc.removed}

    eager, default, sure = removed(0.0), removed(None), removed(1.0)
    assert sure < default <= eager
    assert "Harbour" in default and "Harbour" not in sure  # the menu: the model's call


@shipped
def test_lexicon_furniture_is_dropped_whatever_the_threshold() -> None:
    config = Config(detect_language=False, line_threshold=1.0)
    removed = {
        r["text"]: r["rule"] for r in clean_text(_menu_article_page(), config=config).removed
    }
    assert removed["World"] == "lexicon"  # boilerplate on many sites of the corpus


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan")])
def test_line_threshold_must_be_a_probability(bad: float) -> None:
    with pytest.raises(ValueError, match="line_threshold must be between 0 and 1"):
        Config(line_threshold=bad)


def test_stage2_training_repeats_exactly_on_a_large_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past 200,000 rows the boosting cuts its feature bins from a random sample of rows;
    the fixed seed makes two trainings on the same lines give the same model."""
    pytest.importorskip("sklearn")
    from types import SimpleNamespace

    from cleaner.training import train as training

    monkeypatch.setitem(training.TREE_PARAMS, "max_iter", 3)
    rng = np.random.default_rng(0)
    F = rng.normal(size=(210_000, 3))
    y = (F[:, 0] + rng.normal(size=len(F)) > 0).astype(int)
    lines: Any = SimpleNamespace(y=y, weight=np.ones(len(F)))
    rows = np.ones(len(F), dtype=bool)
    first, second = (training.fit_stage2(F, lines, rows) for _ in range(2))
    assert np.array_equal(
        training.stage2_probability(first, F), training.stage2_probability(second, F)
    )


def test_the_readme_states_the_shipped_threshold() -> None:
    """The README tells users what `--line-threshold` defaults to; a retrained model moves
    that number, and the README said 0.982 for several models after it was true."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    stated = re.search(r"the shipped model was validated at \((0\.\d+)", readme)
    assert stated is not None, "README.md no longer states the default line threshold"
    card = json.loads(DEFAULT_MODEL.with_suffix(".json").read_text("utf-8"))
    assert float(stated.group(1)) == card["threshold"]
