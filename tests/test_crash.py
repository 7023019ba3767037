"""Crash safety: a batch killed with SIGKILL mid-run, then run again, loses nothing.

A real `python -m cleaner.cli clean` process is killed once some documents are in the
clean zone; a second run of the same command must finish the job. Afterwards every input
is in exactly one place (clean zone or quarantine), nothing is half written, no temporary
file is left for readers to trip over, and the second run redid only what the first had
not finished.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner.metadata import content_id

#: Enough pages that the first run is still busy when the first documents appear (a page
#: takes a few milliseconds); few enough that both runs together take seconds.
GOOD_PAGES = 300

#: Kill once this many documents are complete: late enough that the run is in full swing.
KILL_AFTER_DONE = 25

#: The first run must get that far within this time, or the test machine is in trouble.
START_TIMEOUT_S = 60.0

#: The rerun finishes the rest; generous for a loaded 2-core CI machine.
RERUN_TIMEOUT_S = 180.0

TOPICS = ["harbour", "library", "bus lanes", "school roof", "market hall", "cycle path"]

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>
<p>Story {n}: the council agreed on Tuesday to spend {n} thousand pounds on the {topic},
after residents had waited {n} weeks for a decision on the long-delayed works.</p>
<p>Members said the {topic} had been neglected for years, and that the money would come
from the reserve fund rather than from a rise in local charges next spring.</p>
<p>Work on the {topic} is due to start in the autumn and to finish before next summer.</p>
</article>
<footer>Copyright 2025 Example Gazette. All rights reserved.</footer>
</body></html>
"""

#: Inputs that must be quarantined, each with a different reason.
BAD = {"empty.html": b"   \n\t ", "image.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4}


def make_inputs(folder: Path) -> dict[Path, bytes]:
    folder.mkdir()
    inputs: dict[Path, bytes] = {}
    for n in range(GOOD_PAGES):
        topic = TOPICS[n % len(TOPICS)]
        title = f"Decision number {n} on the {topic}"
        inputs[folder / f"page-{n:04d}.html"] = PAGE.format(title=title, n=n, topic=topic).encode()
    for name, data in BAD.items():
        inputs[folder / name] = data
    for path, data in inputs.items():
        path.write_bytes(data)
    return inputs


def cli(raw: Path, warehouse: Path, run_id: str) -> list[str]:
    return [
        sys.executable, "-m", "cleaner.cli", "clean", str(raw), "--out", str(warehouse),
        "--no-language", "--no-progress", "--run-id", run_id,
    ]  # fmt: skip


def done_ids(warehouse: Path) -> set[str]:
    """Ids whose outcome is complete: a clean `.json` (written last) or a quarantine record."""
    return {p.stem for zone in ("clean", "quarantine") for p in (warehouse / zone).rglob("*.json")}


def wait_for_progress(process: subprocess.Popen[bytes], warehouse: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while len(list((warehouse / "clean").rglob("*.json"))) < KILL_AFTER_DONE:
        if process.poll() is not None:
            pytest.fail(f"the first run ended (code {process.returncode}) before the kill")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no {KILL_AFTER_DONE} documents after {START_TIMEOUT_S:g} s")
        time.sleep(0.005)


def assert_nothing_half_written(warehouse: Path) -> None:
    everything = [p for p in warehouse.rglob("*") if p.is_file()]
    hidden = [p for p in everything if p.name.startswith(".") or p.suffix == ".tmp"]
    assert hidden == [], "temporary files left for readers"
    for meta in (warehouse / "clean").rglob("*.json"):
        record = json.loads(meta.read_bytes())  # complete JSON, not a truncated write
        assert record["id"] == meta.stem
        assert meta.with_suffix(".txt").read_text("utf-8").strip()
    for text in (warehouse / "clean").rglob("*.txt"):
        assert text.with_suffix(".json").exists(), f"{text.name} without its metadata"
    for record_path in (warehouse / "quarantine").rglob("*.json"):
        record = json.loads(record_path.read_bytes())
        assert record["id"] == record_path.stem and record["reason"]


def test_killed_batch_rerun_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "raw")
    warehouse = tmp_path / "warehouse"
    expected = {content_id(data): path for path, data in inputs.items()}
    assert len(expected) == len(inputs)

    first = subprocess.Popen(cli(tmp_path / "raw", warehouse, "first"), stderr=subprocess.PIPE)
    wait_for_progress(first, warehouse)
    os.kill(first.pid, signal.SIGKILL)
    first.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL
    done_before = done_ids(warehouse)
    assert KILL_AFTER_DONE <= len(done_before) < len(inputs)
    assert not (warehouse / "manifests" / "first.json").exists()  # it never finished

    second = subprocess.run(
        cli(tmp_path / "raw", warehouse, "second"),
        capture_output=True,
        timeout=RERUN_TIMEOUT_S,
    )
    assert second.returncode in {0, 1}, second.stderr.decode()

    assert_nothing_half_written(warehouse)
    clean = {p.stem for p in (warehouse / "clean").rglob("*.json")}
    quarantined = {p.stem for p in (warehouse / "quarantine").rglob("*.json")}
    assert clean.isdisjoint(quarantined)
    assert clean | quarantined == set(expected)
    assert {expected[i].name for i in quarantined} == set(BAD)
    assert len(list((warehouse / "clean").rglob("*.txt"))) == len(clean)

    manifest = json.loads((warehouse / "manifests" / "second.json").read_bytes())
    assert manifest["inputs"] == len(inputs)
    assert manifest["cleaned"] + manifest["skipped"] + manifest["quarantined"] == len(inputs)
    redone = {d["id"] for d in manifest["documents"]}
    assert redone == set(expected) - done_before  # each input finished exactly once
    assert manifest["skipped"] == len(done_before)


def test_parallel_batch_survives_failing_inputs(tmp_path: Path) -> None:
    """With --workers 2 a quarantined input must cost that input only, as with one worker."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.html").write_bytes(PAGE.format(title="A good page", n=1, topic="harbour").encode())
    for name, data in BAD.items():
        (raw / name).write_bytes(data)
    warehouse = tmp_path / "warehouse"
    done = subprocess.run(
        [*cli(raw, warehouse, "parallel"), "--workers", "2"], capture_output=True, timeout=120
    )
    manifest = json.loads((warehouse / "manifests" / "parallel.json").read_bytes())
    assert done.returncode == 1  # some inputs failed, the others were written
    assert (manifest["cleaned"], manifest["quarantined"]) == (1, len(BAD))
