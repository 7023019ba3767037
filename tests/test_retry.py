"""A retried Airflow task must not duplicate output.

Airflow retries a failed mapped task by running the same task function again with the
same run id and map index. These tests call the task body the DAG uses
(`cleaner.orchestration.tasks.clean_one_batch`) twice with the same run and params, once after a
complete first try and once after a first try that died halfway, and compare the
warehouse before and after.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cleaner.orchestration.tasks import CleanParams, RunInfo, clean_one_batch
from cleaner.runner.batches import write_batches

PAGE = "The council met on Monday and approved the budget for page {n} after a long debate."


RUN_ID = "scheduled__2026-11-23T00:00:00+00:00"


def make_batch(folder: Path, count: int, warehouse: Path, name: str = "batch-{:05d}.jsonl") -> str:
    """`count` pages, and the batch file that lists them (as the listing task writes it)."""
    folder.mkdir(exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"page{n}.txt"
        path.write_text(f"Share\n{PAGE.format(n=n)}\nScroll to Top\n", "utf-8")
        paths.append(str(path))
    (batch_file,) = write_batches(paths, str(warehouse), RUN_ID, count, name=name)
    return batch_file


#: The run a retried task belongs to: the same on every try.
RUN = RunInfo(RUN_ID, "scheduled", datetime(2026, 11, 23, 0, 5, tzinfo=UTC), map_index=3)


def clean_batch_task(batch_file: str, warehouse: Path) -> str:
    """What the DAG's clean task does with a try's values."""
    return clean_one_batch(batch_file, CleanParams(str(warehouse)), RUN).manifest


def rows(warehouse: Path) -> list[dict[str, Any]]:
    files = sorted((warehouse / "manifests" / "documents").rglob("*.jsonl"))
    return [json.loads(line) for f in files for line in f.read_text("utf-8").splitlines()]


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_retry_after_a_complete_try_adds_nothing(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    batch = make_batch(tmp_path / "raw", 4, warehouse)
    first = clean_batch_task(batch, warehouse)
    clean_before = {k: v for k, v in tree(warehouse).items() if k.startswith("clean/")}
    second = clean_batch_task(batch, warehouse)
    after = tree(warehouse)
    assert second == first  # the same manifest file, overwritten
    assert first.startswith(str(warehouse / "manifests" / "batches"))
    assert {k: v for k, v in after.items() if k.startswith("clean/")} == clean_before
    assert len([k for k in after if k.startswith("manifests/batches/")]) == 1
    (rows_file,) = [k for k in after if k.startswith("manifests/documents/")]
    assert rows_file.startswith("manifests/documents/date=2026-11-23/")  # the run's day
    assert [r["status"] for r in rows(warehouse)] == ["skipped"] * 4  # replaced, not added
    manifest = json.loads(Path(second).read_text())
    assert (manifest["inputs"], manifest["cleaned"], manifest["skipped"]) == (4, 0, 4)


def test_retry_after_a_try_that_died_halfway_finishes_the_rest_once(tmp_path: Path) -> None:
    warehouse = tmp_path / "wh"
    half = make_batch(tmp_path / "raw", 2, warehouse)
    clean_batch_task(half, warehouse)  # the first try got this far
    batch = make_batch(tmp_path / "raw", 4, warehouse)  # the same file name, all four pages
    assert batch == half
    manifest = json.loads(Path(clean_batch_task(batch, warehouse)).read_text())
    assert (manifest["cleaned"], manifest["skipped"]) == (2, 2)
    texts = sorted((warehouse / "clean").rglob("*.txt"))
    assert len(texts) == 4
    assert len({t.read_text() for t in texts}) == 4
    assert sorted(r["status"] for r in rows(warehouse)) == ["cleaned"] * 2 + ["skipped"] * 2
