"""The benchmark's plaintext mode: every rendering, by dataset and page type."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.run import (  # noqa: E402
    NOT_LISTING,
    OVERALL,
    SYSTEMS,
    main,
    plaintext_markdown,
    rendered_lines,
    run_plaintext_mode,
)
from cleaner.training.corpus import iter_corpus  # noqa: E402
from cleaner.training.renderings import RENDERINGS  # noqa: E402

ARTICLE = """<html><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<h1>Harbour bridge reopens</h1>
<p>The harbour bridge reopened on Monday after two years of works and long delays.</p>
<p>Drivers said the new deck was quieter and the queues at the toll were shorter.</p>
<p><a href="https://facebook.com/sharer?u=x">Share on Facebook</a></p>
<footer><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""

LISTING = """<html><body><h1>All stories</h1>
<ul><li><a href="/a">The bridge reopens after two long years of works</a></li>
<li><a href="/b">The council votes on the new budget for the harbour</a></li></ul>
</body></html>"""


def _corpus(root: Path) -> Path:
    for dataset, pages in {
        "wcxb": [("a1", ARTICLE, "article"), ("l1", LISTING, "listing")],
        "news": [("n1", ARTICLE, None)],
    }.items():
        (root / dataset / "html").mkdir(parents=True)
        with (root / dataset / "gold.jsonl").open("w", encoding="utf-8") as gold:
            for page_id, html, page_type in pages:
                (root / dataset / "html" / f"{page_id}.html").write_text(html, encoding="utf-8")
                text = (
                    "The harbour bridge reopened on Monday after two years of works and long "
                    "delays.\n\nDrivers said the new deck was quieter and the queues at the toll "
                    "were shorter."
                    if html is ARTICLE
                    else "The bridge reopens after two long years of works\n"
                    "The council votes on the new budget for the harbour"
                )
                record = {"id": page_id, "url": f"https://{dataset}.example/{page_id}"}
                record |= {"text": text, "page_type": page_type}
                gold.write(json.dumps(record) + "\n")
    return root


def test_every_rendering_by_dataset_and_page_type(tmp_path: Path) -> None:
    pages = list(iter_corpus(_corpus(tmp_path)))
    tallies = run_plaintext_mode(
        pages, {"cleaner": SYSTEMS["cleaner"], "resiliparse": SYSTEMS["resiliparse"]}, RENDERINGS
    )
    assert list(tallies) == list(RENDERINGS)
    for rendering, by_group in tallies.items():
        assert set(by_group) == {
            "news",
            "wcxb",
            "type: article",
            "type: listing",
            "type: untyped",
            NOT_LISTING,
            OVERALL,
        }
        assert by_group[OVERALL]["cleaner"].docs == 3
        assert by_group[NOT_LISTING]["cleaner"].docs == 2  # the listing is left out
        assert by_group["type: untyped"]["cleaner"].docs == 1
        # the peers read the blocks rendering only, by default
        assert ("resiliparse" in by_group[OVERALL]) == (rendering == "blocks")
        content = by_group[OVERALL]["oracle (gold labels)"]
        assert content.content == 6, rendering  # the same content lines in every rendering


def test_markdown_rendering_is_labelled_on_the_judged_text(tmp_path: Path) -> None:
    page = next(p for p in iter_corpus(_corpus(tmp_path)) if p.id == "a1")
    lines, judged, shown = rendered_lines(page, page.html_path.read_bytes(), "markdown")
    assert "" in lines  # blank lines reach the cleaner
    share = shown.index("[Share on Facebook](https://facebook.com/sharer?u=x)")
    assert judged[share] == "Share on Facebook"
    tallies = run_plaintext_mode([page], {"cleaner": SYSTEMS["cleaner"]}, ["markdown"])
    cleaner = tallies["markdown"][OVERALL]["cleaner"]
    assert cleaner.content == 2 and cleaner.content_lost == 0


def test_report_and_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = _corpus(tmp_path / "corpus")
    assert (
        main(
            [
                "--corpus",
                str(corpus),
                "--mode",
                "plaintext",
                "--systems",
                "cleaner",
                "--renderings",
                "blocks,markdown",
                "--out",
                str(tmp_path / "out"),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "### The cleaner in each rendering" in printed
    assert "| group | pages | blocks | markdown |" in printed
    assert "| all types except collection/listing | 2 |" in printed
    report = json.loads((tmp_path / "out" / "latest.json").read_text(encoding="utf-8"))
    assert plaintext_markdown(report["plaintext"]) in printed
    with pytest.raises(SystemExit, match="unknown renderings"):
        main(["--corpus", str(corpus), "--mode", "plaintext", "--renderings", "pdf"])
