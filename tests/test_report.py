"""`cleaner report`, looked at in a real browser: headless Chromium (the OS package) loads
the report of a warehouse of the samples from disk, runs its script, and the test reads
the resulting DOM and saves a screenshot.

Seed 001's "Getting your Trinity Audio player ready..." must be struck through with its
rule, the summary's counts must be those of the warehouse's metadata, and the filter must
hide pages that lack the chosen rule. The test skips only when Chromium is not installed
(`.ci/run` installs it with apt-get, and says so when it cannot).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pages import sample_files
from selectolax.lexbor import LexborHTMLParser

from cleaner.cli import EXIT_OK, EXIT_USAGE, main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = len(sample_files())
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    shutil.copytree(ROOT / "samples" / "raw", folder / "raw")
    (folder / "raw" / "empty.html").write_bytes(b" \n")  # one quarantined input
    main(["clean", str(folder / "raw"), "--out", str(folder / "wh"), "--no-progress"])
    return folder / "wh"


@pytest.fixture(scope="module")
def report(warehouse: Path) -> Path:
    out = warehouse.parent / "report.html"
    assert main(["report", str(warehouse), "--out", str(out)]) == EXIT_OK
    return out


def browser_dom(url: str, tmp_path: Path) -> LexborHTMLParser:
    """The DOM after the page's script ran, as Chromium serialises it."""
    assert CHROMIUM is not None
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return LexborHTMLParser(done.stdout)


def metadata(warehouse: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in (warehouse / "clean").rglob("*.json")]


@needs_chromium
def test_the_report_shows_struck_lines_and_true_counts_in_a_browser(
    warehouse: Path, report: Path, tmp_path: Path
) -> None:
    dom = browser_dom(report.as_uri(), tmp_path / "profile")
    assert dom.css_first("body").attributes.get("data-ready") == "yes"  # the script ran
    seed = next(a for a in dom.css("article.page") if "001_" in a.css_first("p.source").text())
    trinity = [
        li
        for li in seed.css("li.removed")
        if "Getting your Trinity Audio player ready" in li.text()
    ]
    assert len(trinity) == 1
    assert trinity[0].css_first("del") is not None  # struck through
    assert trinity[0].attributes["data-rule"] == "heuristic.audio_player"
    metas = metadata(warehouse)
    removed = sum(len(m["removed"]) for m in metas)
    assert dom.css_first("#count-pages").text() == str(len(metas)) == str(SAMPLES)
    assert dom.css_first("#count-lines-removed").text() == str(removed)
    lines_in = sum(m["segments_kept"] for m in metas) + removed
    assert dom.css_first("#count-lines-in").text() == str(lines_in)
    assert dom.css_first("#count-quarantined").text() == "1"
    assert "empty.html" in dom.css_first("#quarantine").text()
    assert len(dom.css("li.removed")) == removed  # every removal shown, at its line
    assert len(dom.css("svg.chart")) == 4
    assert not dom.css("article.page.hidden")
    forum = next(a for a in dom.css("article.page") if "forum_en" in a.css_first("p.source").text())
    left_out = {
        li.css_first("del").text() for li in forum.css('li[data-rule="extract.not_main_content"]')
    }
    assert {
        "Powered by Discourse, best viewed with JavaScript enabled",
        "Suggested Topics",
    } <= left_out


@needs_chromium
def test_the_rule_filter_hides_pages_without_that_rule(report: Path, tmp_path: Path) -> None:
    dom = browser_dom(report.as_uri() + "#rule=heuristic.audio_player", tmp_path / "profile")
    shown = [
        a for a in dom.css("article.page") if "hidden" not in (a.attributes.get("class") or "")
    ]
    assert shown and all("heuristic.audio_player" in a.attributes["data-rules"] for a in shown)
    assert len(dom.css("article.page.hidden")) == SAMPLES - len(shown)


@needs_chromium
def test_a_screenshot_of_the_report(report: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'p'}",
            "--window-size=1300,2000",
            f"--screenshot={shot}",
            report.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000


def test_a_page_whose_source_is_gone_shows_its_recorded_removals(
    warehouse: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "wh"
    shutil.copytree(warehouse, copy)
    meta_path = next(
        p for p in (copy / "clean").rglob("*.json") if "001_" in json.loads(p.read_text())["source"]
    )
    meta = json.loads(meta_path.read_text())
    meta["source"] = str(tmp_path / "gone.txt")
    meta_path.write_text(json.dumps(meta))
    out = tmp_path / "r.html"
    assert main(["report", str(copy), "--out", str(out)]) == EXIT_OK
    page = next(
        a
        for a in LexborHTMLParser(out.read_text()).css("article.page")
        if a.attributes["data-id"] == meta["id"]
    )
    assert "source not readable now" in page.css_first("p.note").text()
    assert len(page.css("li.removed")) == len(meta["removed"]) and not page.css("li.kept")
    assert meta["removed"] and all("index" in r for r in meta["removed"])  # plaintext: no extract


def test_report_refuses_what_is_not_a_warehouse(tmp_path: Path) -> None:
    assert main(["report", str(tmp_path)]) == EXIT_USAGE
