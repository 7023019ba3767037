"""`cleaner fetch` against the local site of conftest (a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cleaner.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main
from cleaner.fetch import DEFAULT_POLICY

#: No delay between requests (the local site needs none) and 127.0.0.1 allowed.
FAST = ["--allow-host", "127.0.0.1", "--delay", "0", "--no-progress", "--no-language"]


def run_manifest(warehouse: Path, run_id: str) -> dict:
    return json.loads((warehouse / "manifests" / f"{run_id}.json").read_text("utf-8"))


def test_fetch_cleans_what_it_fetched_and_reports_each_refusal(local_site, tmp_path, capsys):
    wh = tmp_path / "wh"
    urls = [local_site.url(p) for p in ("/a.html", "/b.html", "/private/secret.html")]
    urls.append(local_site.url("/missing.html"))
    code = main(["fetch", *urls, "--out", str(wh), "--run-id", "r1", *FAST])
    err = capsys.readouterr().err
    assert code == EXIT_SOME_FAILED
    assert f"{urls[2]}: disallowed by robots.txt" in err
    assert f"{urls[3]}: HTTP 404 Not Found" in err
    assert "2 of 4 URLs fetched; 2 cleaned" in err
    manifest = run_manifest(wh, "r1")
    assert manifest["fetch"]["urls"] == 4
    assert (manifest["fetch"]["fetched"], manifest["fetch"]["failed"]) == (2, 2)
    assert (manifest["inputs"], manifest["cleaned"], manifest["quarantined"]) == (2, 2, 0)
    texts = sorted(p.read_text("utf-8") for p in (wh / "clean").rglob("*.txt"))
    assert any("The council met on Tuesday evening" in t for t in texts)
    assert not any("Copyright 2025 Example Gazette" in t for t in texts)  # it was cleaned
    metas = [json.loads(p.read_text()) for p in (wh / "raw").rglob("*.meta.json")]
    assert sorted(m["url"] for m in metas) == sorted(urls[:2])
    assert len(list((wh / "quarantine").rglob("*.json"))) == 2


def test_fetch_again_finds_everything_there(local_site, tmp_path, capsys):
    wh = tmp_path / "wh"
    args = ["fetch", local_site.url("/c.html"), "--out", str(wh), *FAST]
    assert main(args) == EXIT_OK
    assert main(args) == EXIT_OK
    assert "1 of 1 URLs fetched; 0 cleaned, 1 already there" in capsys.readouterr().err


def test_loopback_is_refused_unless_allowed(local_site, tmp_path, capsys):
    url = local_site.url("/a.html")
    code = main(["fetch", url, "--out", str(tmp_path / "wh"), "--delay", "0", "--no-progress"])
    assert code == EXIT_SOME_FAILED
    assert f"{url}: refused: 127.0.0.1 resolves to non-public address" in capsys.readouterr().err


def test_url_file_and_arguments_together(local_site, tmp_path):
    url_file = tmp_path / "urls.txt"
    url_file.write_text(f"# weekly\n{local_site.url('/b.html')}\n\n", "utf-8")
    wh = tmp_path / "wh"
    args = ["fetch", local_site.url("/a.html"), "--url-file", str(url_file), "--out", str(wh)]
    assert main([*args, "--run-id", "r2", *FAST]) == EXIT_OK
    assert run_manifest(wh, "r2")["fetch"]["fetched"] == 2


def test_unsupported_scheme_is_a_refused_url(tmp_path, capsys):
    code = main(["fetch", "ftp://example.org/a", "--out", str(tmp_path / "wh"), *FAST])
    assert code == EXIT_SOME_FAILED
    assert "ftp://example.org/a: unsupported URL scheme 'ftp'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["fetch", "--out", "WH"],  # no URL
        ["fetch", "http://example.org/"],  # no --out
        ["fetch", "http://example.org/", "--out", "WH", "--timeout", "0"],
        ["fetch", "http://example.org/", "--out", "WH", "--delay", "soon"],
        ["fetch", "http://example.org/", "--out", "WH", "--retries", "-1"],
        ["fetch", "http://example.org/", "--out", "WH", "--max-bytes", "0"],
    ],
)
def test_usage_errors_exit_2_without_fetching(args, tmp_path, capsys):
    args = [str(tmp_path / a) if a == "WH" else a for a in args]
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    assert code == EXIT_USAGE
    assert capsys.readouterr().err
    assert not (tmp_path / "WH").exists()


def test_help_names_the_policy_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["fetch", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option, value in [
        ("--timeout", DEFAULT_POLICY.timeout_s),
        ("--retries", DEFAULT_POLICY.max_retries),
        ("--max-bytes", DEFAULT_POLICY.max_bytes),
        ("--delay", DEFAULT_POLICY.min_delay_s),
    ]:
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        assert re.search(rf"{option} \w+ [^-]*\(default {shown}\)", text), option
