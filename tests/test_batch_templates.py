"""Site templates through a real batch: learned from one run, persisted, used by the next."""

from __future__ import annotations

import json
import random
from pathlib import Path

from cleaner.config import Config
from cleaner.runner import RunOptions, run_batch
from cleaner.warehouse import Warehouse

MENU = "Local · Sport · Opinion"
HEADER = ["The Harbour County Gazette", "Serving the county since 1921", MENU]
FOOTER = ["Gazette office hours: Tuesday to Friday", "Harbour County Gazette, 12 Quay Street"]
WORDS = """council harbour ferry school budget river storm festival bridge library market
vote season fishing museum road station teacher farmer museum rain tide wind mayor""".split()


def _paragraph(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(14, 24))]
    return " ".join(words).capitalize() + "."


def write_site(folder: Path, count: int, seed: int) -> list[Path]:
    """Raw-zone pages (a body and its fetch record) of one site: the same header and
    footer around unique paragraphs."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    bodies = []
    for i in range(count):
        lines = HEADER + [_paragraph(rng) for _ in range(rng.randint(3, 6))] + FOOTER
        body = folder / f"{seed}-{i}.body"
        body.write_text("\n".join(lines) + "\n", encoding="utf-8")
        record = {"url": f"https://gazette.example/story/{seed}-{i}", "status": 200}
        (folder / f"{seed}-{i}.meta.json").write_text(json.dumps(record), encoding="utf-8")
        bodies.append(body)
    return bodies


def _documents(wh_root: Path) -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(wh_root.glob("clean/*/*.json"))]


def test_templates_learned_in_one_run_remove_furniture_in_the_next(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "wh")
    run_batch(write_site(tmp_path / "in1", 30, seed=1), wh, "first")
    assert list((tmp_path / "wh" / "templates").rglob("*.json")), "no template counts saved"

    before = {d["id"] for d in _documents(tmp_path / "wh")}
    run_batch(write_site(tmp_path / "in2", 5, seed=2), wh, "second")
    new = [d for d in _documents(tmp_path / "wh") if d["id"] not in before]
    assert len(new) == 5
    for doc in new:
        removed = {r["text"]: f"{r['cleaner']}.{r['rule']}" for r in doc["removed"]}
        text = (tmp_path / "wh" / "clean" / doc["id"][:2] / f"{doc['id']}.txt").read_text("utf-8")
        # The masthead, its tagline and the menu above the story are not its title (the
        # page has none; the title is made from the lead): the templates take them all,
        # but the menu row, which a rule takes on its own first (`lone_menu`).
        assert doc["title_source"] == "lead"
        for line in [*HEADER, *FOOTER]:
            assert line not in text.splitlines(), f"{line!r} kept in {doc['source']}"
            by_rule = line == MENU
            assert removed[line] == ("heuristic.lone_menu" if by_rule else "template.site_repeat")
        assert doc["word_count"] >= 3 * 14  # every unique paragraph kept


def test_templates_can_be_turned_off(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path / "wh")
    config = Config(site_templates=False)
    run_batch(write_site(tmp_path / "in1", 30, seed=1), wh, "first", RunOptions(config=config))
    run_batch(write_site(tmp_path / "in2", 3, seed=2), wh, "second", RunOptions(config=config))
    assert not (tmp_path / "wh" / "templates").exists()
    reasons = {r["cleaner"] for d in _documents(tmp_path / "wh") for r in d["removed"]}
    assert "template" not in reasons
