"""Batch files: how a run over many pages is split into tasks that each clean a batch,
and how their manifests are summed into the run's.

A listing writes each batch's inputs to a file in the warehouse
(`listings/<run_id>/batch-00001.jsonl`, one JSON string a line) and hands on only the
locations of those files, at most `MAX_MAPPED_BATCHES` of them: a run over 300,000 pages
passes about a thousand short strings between tasks, not 300,000 paths. The Airflow DAGs
map a task over these files; `cleaner fetch` runs the same steps in one process.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.runner.inputs import pending
from cleaner.runner.run import RunOptions, run_batch
from cleaner.storage import as_location, storage_path
from cleaner.version import VERSION
from cleaner.warehouse import Warehouse

#: Airflow's `[core] max_map_length` default (config.yml in apache-airflow 3.3): a task
#: that pushes a longer list for mapping fails, so batches grow rather than exceed it. A
#: running task reads the configured value (`max_map_length`); this is the fallback.
MAX_MAPPED_BATCHES = 1024

#: Names of the files a run writes under `listings/<run_id>/`: batch inputs (clean and
#: fetch), numbered from 1, and the listing's counts.
CLEAN_BATCH_FILE, FETCH_BATCH_FILE = "batch-{:05d}.jsonl", "fetch-{:05d}.jsonl"

LISTING_FILE = "listing.json"

#: The counts every batch manifest carries (`cleaner.warehouse.RunCounts`), summed per run.
RUN_COUNTS = ("inputs", "cleaned", "skipped", "quarantined")

#: A run's batch files (`listings/<run_id>/`) are removed by a later run's listing once
#: they are this old: long enough to clear and re-run a failed task of last week's runs.
LISTING_RETENTION_S = 7 * 24 * 3600.0


def manifest_location(warehouse: Warehouse, run_id: str, group: str | None = None) -> str:
    """Where `Warehouse.write_manifest(run_id, ..., group)` puts the manifest."""
    return as_location(warehouse.manifest_path(run_id, group))


def write_batches(
    items: Sequence[str],
    warehouse: str,
    run_id: str,
    batch_size: int,
    *,
    name: str = CLEAN_BATCH_FILE,
    max_batches: int = MAX_MAPPED_BATCHES,
) -> list[str]:
    """Write `items` in batches (`make_batches`) to `listings/<run_id>/<name>` files;
    returns their locations, one per mapped task. A retried listing writes the same files."""
    return write_batch_files(make_batches(items, batch_size, max_batches), warehouse, run_id, name)


def write_batch_files(
    batches: Sequence[Sequence[str]], warehouse: str, run_id: str, name: str
) -> list[str]:
    """Write each batch to `listings/<run_id>/<name>` (numbered from 1); their locations."""
    wh = Warehouse(storage_path(warehouse))
    return [
        as_location(wh.write_listing(run_id, name.format(n), _json_lines(batch)))
        for n, batch in enumerate(batches, start=1)
    ]


def _json_lines(items: Iterable[str]) -> bytes:
    """One JSON string a line: a file name may hold any character but NUL, newlines too."""
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode("utf-8")


def read_batch(location: str) -> list[str]:
    """The items of one batch file, in order."""
    text = storage_path(location).read_bytes().decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class SourceNotFoundError(FileNotFoundError):
    """The source folder (or storage location) of a listing does not exist. Separate from
    other missing files so that the DAG can tell "nothing configured here yet" (a
    scheduled run on the defaults) from a page vanishing mid-listing."""

    def __init__(self, source: str) -> None:
        super().__init__(f"source {source} does not exist")
        self.source = source


def find_inputs(
    source: str, pattern: str, warehouse: str, *, limit: int = 0, reprocess: bool = False
) -> tuple[list[str], dict[str, int]]:
    """The raw pages under `source` still to clean, as location strings, and the counts.

    `found == done_before + deferred + inputs`: pages already in the warehouse are
    `done_before` (unless `reprocess`), pages beyond `limit` are `deferred` to a later run.
    """
    root = storage_path(source)
    if not root.exists():
        raise SourceNotFoundError(source)
    found = sorted([root] if root.is_file() else visible_files(root, pattern), key=str)
    todo = found if reprocess else pending(found, Warehouse(storage_path(warehouse)))
    paths = [as_location(p) for p in (todo[:limit] if limit > 0 else todo)]
    counts = {
        "found": len(found),
        "done_before": len(found) - len(todo),
        "deferred": len(todo) - len(paths),
        "inputs": len(paths),
    }
    return paths, counts


def list_inputs(
    source: str,
    pattern: str,
    warehouse: str,
    run_id: str,
    *,
    batch_size: int,
    limit: int = 0,
    reprocess: bool = False,
    max_batches: int = MAX_MAPPED_BATCHES,
) -> list[str]:
    """List the pages to clean into batch files and write the listing's counts
    (`listings/<run_id>/listing.json`, read back by `listing_counts`); returns the batch
    file locations for the mapped clean tasks."""
    paths, counts = find_inputs(source, pattern, warehouse, limit=limit, reprocess=reprocess)
    batches = write_batches(paths, warehouse, run_id, batch_size, max_batches=max_batches)
    wh = Warehouse(storage_path(warehouse))
    wh.write_listing(run_id, LISTING_FILE, json.dumps(counts).encode("utf-8"))
    return batches


def listing_counts(warehouse: str, run_id: str) -> dict[str, int]:
    """The counts `list_inputs` wrote for this run."""
    path = Warehouse(storage_path(warehouse)).listing_path(run_id, LISTING_FILE)
    counts: dict[str, int] = json.loads(path.read_bytes())
    return counts


def visible_files(root: Any, pattern: str) -> list[Any]:
    """Files matching `pattern` at any depth, leaving out hidden files and folders (and
    the warehouse's half-written `.name.tmp` files). A local folder is walked with
    `os.walk`-backed pathlib, object storage through `ObjectStoragePath.rglob`."""
    prefix = len(str(root).rstrip("/")) + 1
    return [
        p
        for p in root.rglob(pattern)
        if not any(part.startswith(".") for part in str(p)[prefix:].split("/")) and p.is_file()
    ]


def make_batches(
    paths: Sequence[str], batch_size: int, max_batches: int = MAX_MAPPED_BATCHES
) -> list[list[str]]:
    """Consecutive batches of at most `batch_size` paths, never more than `max_batches`.

    >>> make_batches(["a", "b", "c"], 2)
    [['a', 'b'], ['c']]
    >>> make_batches(["a", "b", "c", "d", "e"], 1, max_batches=2)
    [['a', 'b', 'c'], ['d', 'e']]
    """
    size = max(1, batch_size, math.ceil(len(paths) / max_batches))
    return [list(paths[i : i + size]) for i in range(0, len(paths), size)]


def flatten(groups: Iterable[Iterable[str]]) -> list[str]:
    """One list from the lists that mapped tasks returned."""
    return [item for group in groups for item in group]


def batch_run_id(run_id: str, kind: str, index: int) -> str:
    """A batch's own run id: the same on a retry, so the retry overwrites its manifest.

    >>> batch_run_id("manual__2025-01-01", "batch", 3)
    'manual__2025-01-01-batch-3'
    """
    return f"{run_id}-{kind}-{index}"


def clean_batch(
    paths: Sequence[str],
    warehouse: str,
    run_id: str,
    *,
    group: str | None = None,
    day: str | None = None,
    reprocess: bool = False,
    workers: int = 1,
    config: Config = DEFAULT_CONFIG,
) -> str:
    """Clean one batch into the warehouse; returns the location of the batch manifest
    (under `group`, the Airflow run id, when given).

    Pages already in the warehouse are skipped (unless `reprocess`), so a retried task
    redoes only what its failed try did not finish. Pages are cleaned in worker processes
    (`isolate`), so a page that crashes its process is quarantined instead of failing the
    task on every retry; progress goes to the task log every 30 s.
    """
    wh = Warehouse(storage_path(warehouse))
    run_batch(
        [storage_path(p) for p in paths],
        wh,
        run_id,
        RunOptions(
            reprocess=reprocess,
            workers=workers,
            config=config,
            progress=True,
            isolate=True,
            group=group,
            day=day,
        ),
    )
    return manifest_location(wh, run_id, group)


def summarise_run(
    run_id: str,
    warehouse: str,
    manifests: Iterable[str],
    listing: dict[str, Any] | None = None,
    fetches: Iterable[str] = (),
    started: str | None = None,
) -> dict[str, Any]:
    """Write the run manifest: batch counts summed, failures with reasons, timings.

    `cleaned + skipped + quarantined == inputs` as in every batch manifest; with a
    `listing`, `found == done_before + deferred + inputs` too. `fetches` are fetch
    manifests (fetch_pages), summed under "fetch".
    """
    batches = [read_json(m) for m in manifests]
    counts = {key: sum(b[key] for b in batches) for key in RUN_COUNTS}
    finished = datetime.now(UTC)
    manifest: dict[str, Any] = {
        "run_id": run_id,
        "kind": "run",
        "cleaner_version": VERSION,
        "started": started or min((b["started"] for b in batches), default=finished.isoformat()),
        "finished": finished.isoformat(),
        **counts,
        "failures": [f for b in batches for f in b["failures"]],
        "timing": _run_timing(batches, started, finished),
        "peak_rss_mb": max((b.get("peak_rss_mb", 0.0) for b in batches), default=0.0),
        "batches": [b["run_id"] for b in batches],
    }
    if listing is not None:
        manifest.update({k: listing[k] for k in ("found", "done_before", "deferred")})
    fetch_manifests = [read_json(m) for m in fetches]
    if fetch_manifests:
        manifest["fetch"] = {
            key: sum(f[key] for f in fetch_manifests) for key in ("urls", "fetched", "failed")
        }
        manifest["fetch"]["failures"] = [x for f in fetch_manifests for x in f["failures"]]
    Warehouse(storage_path(warehouse)).write_manifest(run_id, manifest)
    return manifest


def _run_timing(
    batches: list[dict[str, Any]], started: str | None, finished: datetime
) -> dict[str, float | int]:
    timing: dict[str, float | int] = {
        "batches": len(batches),
        "clean_total_s": round(sum(b["timing"]["total_s"] for b in batches), 4),
        "clean_max_s": max((b["timing"]["max_s"] for b in batches), default=0.0),
    }
    if started:
        timing["wall_s"] = round((finished - datetime.fromisoformat(started)).total_seconds(), 3)
    return timing


def read_json(location: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(storage_path(location).read_bytes())
    return data


def prune_old_listings(warehouse: str, run_id: str) -> list[str]:
    """Remove other runs' listings older than `LISTING_RETENTION_S` (see
    `Warehouse.prune_listings`); each run's listing task calls it."""
    return Warehouse(storage_path(warehouse)).prune_listings(LISTING_RETENTION_S, keep=run_id)
