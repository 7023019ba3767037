"""A retried Airflow task must not duplicate output.

Airflow retries a failed mapped task by running the same task function again with the
same run id and map index. These tests call the task body the DAG uses
(`cleaner.dag_tasks.clean_batch_task`) twice with the same context, once after a
complete first try and once after a first try that died halfway, and compare the
warehouse before and after.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from cleaner.dag_tasks import clean_batch_task

PAGE = "The council met on Monday and approved the budget for page {n} after a long debate."


def make_batch(folder: Path, count: int) -> list[str]:
    folder.mkdir()
    paths = []
    for n in range(count):
        path = folder / f"page{n}.txt"
        path.write_text(f"Share\n{PAGE.format(n=n)}\nScroll to Top\n", "utf-8")
        paths.append(str(path))
    return paths


def context(warehouse: Path) -> dict[str, Any]:
    return {
        "ti": SimpleNamespace(map_index=3),
        "dag_run": SimpleNamespace(run_id="scheduled__2026-11-23T00:00:00+00:00"),
        "params": {"warehouse": str(warehouse), "reprocess": False},
    }


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_retry_after_a_complete_try_adds_nothing(tmp_path: Path) -> None:
    batch = make_batch(tmp_path / "raw", 4)
    warehouse = tmp_path / "wh"
    first = clean_batch_task(batch, context(warehouse))
    clean_before = {k: v for k, v in tree(warehouse).items() if k.startswith("clean/")}
    second = clean_batch_task(batch, context(warehouse))
    after = tree(warehouse)
    assert second == first  # the same manifest file, overwritten
    assert {k: v for k, v in after.items() if k.startswith("clean/")} == clean_before
    assert len([k for k in after if k.startswith("manifests/")]) == 1
    manifest = json.loads(Path(second).read_text())
    assert (manifest["inputs"], manifest["cleaned"], manifest["skipped"]) == (4, 0, 4)


def test_retry_after_a_try_that_died_halfway_finishes_the_rest_once(tmp_path: Path) -> None:
    batch = make_batch(tmp_path / "raw", 4)
    warehouse = tmp_path / "wh"
    clean_batch_task(batch[:2], context(warehouse))  # the first try got this far
    manifest = json.loads(Path(clean_batch_task(batch, context(warehouse))).read_text())
    assert (manifest["cleaned"], manifest["skipped"]) == (2, 2)
    texts = sorted((warehouse / "clean").rglob("*.txt"))
    assert len(texts) == 4
    assert len({t.read_text() for t in texts}) == 4
