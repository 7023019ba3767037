"""The `cleaner` command, run in-process through `cleaner.cli.main` and once as a real
subprocess (`python -m cleaner.cli`)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import cleaner
from cleaner.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main

BRIDGE = (
    "The harbour bridge will close for four weeks in August while engineers replace its bearings."
)
FERRY = "Ferry services will run every twenty minutes during the closure of the bridge."
SHOPS = "Shop owners on Bridge Street asked the council for lower business rates this month."

QUIET = ["--no-progress", "--no-language"]


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    """A folder of raw pages: two at the top, one in a subfolder, one HTML page."""
    folder = tmp_path / "raw"
    (folder / "sub").mkdir(parents=True)
    (folder / "bridge.txt").write_text(f"Share\n{BRIDGE}\nComments\n", "utf-8")
    (folder / "ferry.txt").write_text(f"{FERRY}\n", "utf-8")
    (folder / "sub" / "shops.txt").write_text(f"{SHOPS}\n", "utf-8")
    (folder / "page.html").write_text(
        "<!DOCTYPE html><html><head><title>Bridge</title></head><body><article>"
        f"<h1>Bridge</h1><p>{BRIDGE}</p><p>{FERRY}</p></article></body></html>",
        "utf-8",
    )
    return folder


def manifest(out: Path, run_id: str) -> dict[str, Any]:
    return json.loads((out / "manifests" / f"{run_id}.json").read_text("utf-8"))


def clean_files(out: Path) -> list[Path]:
    return sorted((out / "clean").rglob("*.*"))


# --- writing a warehouse -----------------------------------------------------------------


def test_clean_folder_into_warehouse_writes_layout_and_manifest(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "wh"
    code = main(["clean", str(raw), "--out", str(out), "--run-id", "first", *QUIET])
    assert code == EXIT_OK
    run = manifest(out, "first")
    assert (run["inputs"], run["cleaned"], run["skipped"], run["quarantined"]) == (4, 4, 0, 0)
    ids = [d["id"] for d in run["documents"]]
    for doc_id in ids:
        shard = out / "clean" / doc_id[:2]
        assert (shard / f"{doc_id}.txt").is_file()
        assert json.loads((shard / f"{doc_id}.json").read_text("utf-8"))["id"] == doc_id
    assert len(clean_files(out)) == 8
    texts = {p.read_text("utf-8") for p in (out / "clean").rglob("*.txt")}
    assert f"{BRIDGE}\n" in texts
    assert "4 cleaned" in capsys.readouterr().err


def test_second_run_skips_everything(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "wh"
    assert main(["clean", str(raw), "--out", str(out), "--run-id", "first", *QUIET]) == EXIT_OK
    before = {p: p.read_bytes() for p in clean_files(out)}
    assert main(["clean", str(raw), "--out", str(out), "--run-id", "second", *QUIET]) == EXIT_OK
    run = manifest(out, "second")
    assert (run["inputs"], run["cleaned"], run["skipped"], run["quarantined"]) == (4, 0, 4, 0)
    assert {p: p.read_bytes() for p in clean_files(out)} == before


def test_reprocess_cleans_again(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "wh"
    main(["clean", str(raw), "--out", str(out), "--run-id", "first", *QUIET])
    assert (
        main(["clean", str(raw), "--out", str(out), "--run-id", "again", "--reprocess", *QUIET])
        == 0
    )
    assert manifest(out, "again")["cleaned"] == 4


def test_missing_file_among_good_ones_is_a_usage_error_and_nothing_is_written(
    raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A typo is the user's to fix at once: exit 2 naming it, no warehouse, rather than
    a quarantine record found later (issue 16)."""
    out = tmp_path / "wh"
    missing = raw / "gone.txt"
    code = main(["clean", str(raw / "bridge.txt"), str(missing), "--out", str(out), *QUIET])
    assert code == EXIT_USAGE
    assert f"{missing}: no such file or folder" in capsys.readouterr().err
    assert not out.exists()


def test_binary_file_in_folder_exits_1_and_others_are_written(raw: Path, tmp_path: Path) -> None:
    (raw / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    out = tmp_path / "wh"
    assert main(["clean", str(raw), "--out", str(out), "--run-id", "r", *QUIET]) == EXIT_SOME_FAILED
    run = manifest(out, "r")
    assert (run["cleaned"], run["quarantined"]) == (4, 1)
    assert run["failures"][0]["error"] == "BinaryInputError"


# --- usage errors ------------------------------------------------------------------------


def test_no_matching_inputs_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pattern = str(tmp_path / "*.nothing")
    assert main(["clean", pattern, "--out", str(tmp_path / "wh"), *QUIET]) == EXIT_USAGE
    assert f"no input files match {pattern}" in capsys.readouterr().err
    assert not (tmp_path / "wh").exists()


def test_empty_folder_exits_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert main(["clean", str(tmp_path / "empty"), *QUIET]) == EXIT_USAGE


def test_bad_flag_exits_2(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["clean", str(raw), "--bogus"])
    assert info.value.code == EXIT_USAGE
    assert "--bogus" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_USAGE
    assert "clean" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"cleaner {cleaner.__version__}"


# --- printing ----------------------------------------------------------------------------


def doc_title(path: Path) -> str:
    from cleaner import Config, clean_file

    return str(clean_file(path, config=Config(detect_language=False)).metadata["title"])


def test_without_out_prints_clean_text(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(raw / "bridge.txt"), str(raw / "ferry.txt"), *QUIET]) == EXIT_OK
    out = capsys.readouterr().out
    assert out == (
        f"==> {raw / 'bridge.txt'} | {doc_title(raw / 'bridge.txt')} <==\n{BRIDGE}\n\n"
        f"==> {raw / 'ferry.txt'} | {doc_title(raw / 'ferry.txt')} <==\n{FERRY}\n\n"
    )


def test_json_prints_one_object_per_document(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(raw), "--json", *QUIET]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    docs = [json.loads(line) for line in lines]
    assert {d["source"] for d in docs} == {
        str(raw / "bridge.txt"),
        str(raw / "ferry.txt"),
        str(raw / "page.html"),
        str(raw / "sub" / "shops.txt"),
    }
    by_source = {d["source"]: d for d in docs}
    assert by_source[str(raw / "bridge.txt")]["text"] == BRIDGE
    assert all({"id", "text", "removed", "fingerprint"} <= set(d) for d in docs)


def test_explain_prints_removed_lines_with_reasons_on_stderr(
    raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = raw / "bridge.txt"
    assert main(["clean", str(source), "--explain", *QUIET]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        f"{source}: - [heuristic.ui_phrase] Share",
        f"{source}: - [heuristic.ui_phrase] Comments",
    ]
    assert captured.out == f"{BRIDGE}\n\n"


# --- input expansion ---------------------------------------------------------------------


def test_folders_are_searched_recursively_and_hidden_files_skipped(
    raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (raw / ".draft.txt").write_text("A hidden draft that must not be cleaned today.", "utf-8")
    assert main(["clean", str(raw), "--json", *QUIET]) == EXIT_OK
    sources = {json.loads(line)["source"] for line in capsys.readouterr().out.splitlines()}
    assert str(raw / "sub" / "shops.txt") in sources
    assert str(raw / ".draft.txt") not in sources


def test_files_in_hidden_folders_are_skipped(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (raw / ".cache").mkdir()
    (raw / ".cache" / "old.txt").write_text(
        "A cached copy of an old page about the bridge.", "utf-8"
    )
    main(["clean", str(raw), "--json", *QUIET])
    sources = {json.loads(line)["source"] for line in capsys.readouterr().out.splitlines()}
    assert str(raw / ".cache" / "old.txt") not in sources


def test_pattern_limits_folder_search(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(raw), "--pattern", "*.html", "--json", *QUIET]) == EXIT_OK
    sources = [json.loads(line)["source"] for line in capsys.readouterr().out.splitlines()]
    assert sources == [str(raw / "page.html")]


def test_absolute_glob_expands(raw: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["clean", str(raw / "*.txt"), "--json", *QUIET]) == EXIT_OK
    sources = sorted(json.loads(line)["source"] for line in capsys.readouterr().out.splitlines())
    assert sources == [str(raw / "bridge.txt"), str(raw / "ferry.txt")]


def test_relative_glob_expands(
    raw: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(raw.parent)
    assert main(["clean", "raw/**/*.txt", "--json", *QUIET]) == EXIT_OK
    sources = sorted(json.loads(line)["source"] for line in capsys.readouterr().out.splitlines())
    assert sources == [str(raw / "bridge.txt"), str(raw / "ferry.txt"), str(raw / "sub/shops.txt")]


def test_same_file_named_twice_is_cleaned_once(
    raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(raw / "ferry.txt")
    assert main(["clean", path, path, str(raw / "*.txt"), "--json", *QUIET]) == EXIT_OK
    sources = [json.loads(line)["source"] for line in capsys.readouterr().out.splitlines()]
    assert sources.count(path) == 1


# --- a real process ----------------------------------------------------------------------


def test_cli_as_a_subprocess(raw: Path, tmp_path: Path) -> None:
    out = tmp_path / "wh"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "cleaner.cli", "clean", str(raw), "--out", str(out)]
    first = subprocess.run(
        [*command, "--run-id", "one", *QUIET], capture_output=True, text=True, env=env, timeout=120
    )
    assert first.returncode == EXIT_OK, first.stderr
    assert "4 cleaned, 0 already there, 0 quarantined" in first.stderr
    assert manifest(out, "one")["cleaned"] == 4
    second = subprocess.run(
        [*command, "--run-id", "two", *QUIET], capture_output=True, text=True, env=env, timeout=120
    )
    assert second.returncode == EXIT_OK, second.stderr
    assert manifest(out, "two")["skipped"] == 4
    bad = subprocess.run([*command, "--nope"], capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == EXIT_USAGE


# --- progress ----------------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(("flags", "shown"), [([], True), (["--no-progress"], False)])
def test_progress_bar_on_a_terminal_unless_turned_off(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: list[str], shown: bool
) -> None:
    stderr = FakeTerminal()
    monkeypatch.setattr("sys.stderr", stderr)
    out = tmp_path / "wh"
    assert main(["clean", str(raw), "--out", str(out), "--no-language", *flags]) == EXIT_OK
    assert ("cleaning: 100%" in stderr.getvalue()) is shown
    assert ("4/4" in stderr.getvalue()) is shown
    # One bar, not the CLI's and the batch's: a bar starts at 0% once (it may redraw 100%
    # twice on a loaded machine, when its last update and its close are far apart).
    assert stderr.getvalue().count("cleaning:   0%") == int(shown)
    assert "4 cleaned" in stderr.getvalue()


def test_no_bar_when_stderr_is_not_a_terminal(
    raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["clean", str(raw / "bridge.txt"), "--no-language"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == f"{BRIDGE}\n\n"


def test_workers_print_the_same_as_one_process(
    raw: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["clean", str(raw), "--json", *QUIET]) == EXIT_OK
    alone = capsys.readouterr().out
    assert main(["clean", str(raw), "--json", "--workers", "2", *QUIET]) == EXIT_OK
    assert capsys.readouterr().out == alone


@pytest.mark.parametrize("bad", ["1.5", "-1", "high", "nan"])
def test_line_threshold_must_be_a_probability(
    raw: Path, bad: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        main(["clean", str(raw / "bridge.txt"), "--line-threshold", bad, *QUIET])
    assert info.value.code == EXIT_USAGE
    assert f"{bad!r} is not a probability between 0 and 1" in capsys.readouterr().err


def test_line_threshold_reaches_the_cleaner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # one site's section names: common ones ("Home", "World") are lexicon furniture,
    # dropped whatever the threshold
    menu = ["Harbour", "Railways", "Orchards", "Observatory", "Theatre", "Letters"]
    page = tmp_path / "page.txt"
    page.write_text("\n".join([*menu, BRIDGE, FERRY, SHOPS]), "utf-8")
    outputs = []
    for threshold in ("0", "1"):
        assert main(["clean", str(page), "--line-threshold", threshold, *QUIET]) == EXIT_OK
        outputs.append(capsys.readouterr().out)
    eager, sure = outputs
    assert BRIDGE in eager and BRIDGE in sure
    assert "Harbour" not in eager and "Harbour" in sure
