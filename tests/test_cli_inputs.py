"""`cleaner clean` with inputs a new user tries: URLs, standard input, several files to
the terminal, a mistyped path, a pattern that matches nothing, and a rerun over inputs an
earlier run quarantined. URLs are served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cleaner.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main

QUIET = ["--no-progress", "--no-language"]

STORY = "The harbour ferry will run every twenty minutes while the old bridge is closed."
OTHER = "The library will open on Sundays from March, the council said on Tuesday evening."


@pytest.fixture
def two_pages(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "a.txt").write_text(f"Ferry timetable\nShare\n{STORY}\n", "utf-8")
    (folder / "b.txt").write_text(f"Library hours\nShare\n{OTHER}\n", "utf-8")
    return folder


def test_documents_on_stdout_are_kept_apart_with_their_source(
    two_pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["clean", str(two_pages), *QUIET]) == EXIT_OK
    out = capsys.readouterr().out
    first, second = out.split("==> ")[1:]
    assert first.startswith(f"{two_pages / 'a.txt'}") and STORY in first and OTHER not in first
    assert second.startswith(f"{two_pages / 'b.txt'}") and OTHER in second


def test_one_document_on_stdout_has_no_header(
    two_pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["clean", str(two_pages / "a.txt"), *QUIET]) == EXIT_OK
    out = capsys.readouterr().out
    assert "==>" not in out and out.endswith(f"{STORY}\n\n")


def test_standard_input_is_cleaned_to_standard_output(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(f"Share\n{STORY}\nScroll to Top\n".encode()))
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["clean", "-", *QUIET]) == EXIT_OK
    assert capsys.readouterr().out == f"{STORY}\n\n"


def test_standard_input_with_a_warehouse_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["clean", "-", "--out", str(tmp_path / "wh"), *QUIET]) == EXIT_USAGE
    assert "standard input" in capsys.readouterr().err
    assert not (tmp_path / "wh").exists()


def test_a_mistyped_path_is_a_usage_error_not_a_quarantine_record(
    two_pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = two_pages / "a.txtt"
    code = main(["clean", str(two_pages / "a.txt"), str(typo), "--out", str(tmp_path / "wh")])
    assert code == EXIT_USAGE
    assert f"{typo}: no such file or folder" in capsys.readouterr().err
    assert not (tmp_path / "wh").exists()


def test_a_pattern_that_matches_nothing_is_named(
    two_pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["clean", str(two_pages), "--pattern", "*.html", *QUIET]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"no input files match {two_pages} (files named '*.html' inside folders)" in err


def test_a_rerun_says_which_inputs_an_earlier_run_quarantined(
    two_pages: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (two_pages / "empty.txt").write_text("   \n", "utf-8")
    warehouse = tmp_path / "wh"
    assert main(["clean", str(two_pages), "--out", str(warehouse), *QUIET]) == EXIT_SOME_FAILED
    capsys.readouterr()
    assert main(["clean", str(two_pages), "--out", str(warehouse), *QUIET]) == EXIT_SOME_FAILED
    err = capsys.readouterr().err
    assert "0 cleaned, 3 already there (1 of them quarantined by an earlier run)" in err


def test_metadata_records_the_absolute_source(
    two_pages: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(two_pages)
    assert main(["clean", "a.txt", "--out", str(tmp_path / "wh"), *QUIET]) == EXIT_OK
    (meta,) = (tmp_path / "wh" / "clean").rglob("*.json")
    assert json.loads(meta.read_text())["source"] == str(two_pages / "a.txt")


def test_urls_are_fetched_and_cleaned_to_stdout(
    local_site, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = [local_site.url("/a.html"), local_site.url("/b.html")]
    assert main(["clean", *urls, "--allow-host", "127.0.0.1", *QUIET]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.count("==> http://127.0.0.1") == 2
    assert "Bridge works approved" in out and "Library opening hours" in out


def test_a_refused_url_is_an_error_with_its_reason(
    local_site, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --allow-host, a loopback address is refused, as any private one, before
    any request reaches it."""
    hits = len(local_site.hits("/a.html"))
    assert main(["clean", local_site.url("/a.html"), *QUIET]) == EXIT_SOME_FAILED
    err = capsys.readouterr().err
    assert local_site.url("/a.html") in err and "127.0.0.1" in err
    assert len(local_site.hits("/a.html")) == hits


def test_urls_into_a_warehouse_go_through_the_raw_zone(
    local_site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "wh"
    url = local_site.url("/a.html")
    code = main(["clean", url, "--out", str(warehouse), "--allow-host", "127.0.0.1", *QUIET])
    assert code == EXIT_OK
    assert len(list((warehouse / "raw").rglob("*.body"))) == 1
    (meta,) = (warehouse / "clean").rglob("*.json")
    assert json.loads(meta.read_text())["url"] == url


def test_urls_and_files_together_are_a_usage_error(
    two_pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["clean", "https://example.org/a", str(two_pages)]) == EXIT_USAGE
    assert "either URLs or files" in capsys.readouterr().err


def test_markdown_keeps_headings_lists_and_code(capsys: pytest.CaptureFixture[str]) -> None:
    """The docs sample's "Search order" heading and its list items come out as Markdown,
    not as plain paragraphs; the code stays fenced, the title is the top heading."""
    page = Path(__file__).resolve().parents[1] / "samples" / "raw" / "docs_en_config_loader.html"
    assert main(["clean", str(page), "--format", "markdown", *QUIET]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("# Loading configuration files\n\n")
    assert "\n## Search order\n" in out
    assert "\n- The path in the TINYCONF_FILE environment variable.\n- The file app.toml" in out
    assert "\n```\nimport tinyconf\n" in out


def test_format_json_is_one_object_per_document(
    two_pages: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["clean", str(two_pages), "--format", "json", *QUIET]) == EXIT_OK
    docs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [d["text"].endswith(s) for d, s in zip(docs, [STORY, OTHER], strict=True)] == [
        True,
        True,
    ]
