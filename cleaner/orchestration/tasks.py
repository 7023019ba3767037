"""The bodies of the DAGs' tasks, as functions of typed values.

Each takes the run's params (`CleanParams` or `FetchParams`, built from Airflow's params
once, where a typo in a key fails loudly) and the run (`RunInfo`), and returns what the
DAG file hands on: locations of batch files and manifests for XCom, a label for the map
index, the extra of the asset event. Nothing here reads Airflow's context, so every body
runs in a test with plain values; only `max_map_length` asks Airflow for its
configuration, and object-storage locations need Airflow's `ObjectStoragePath`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cleaner.config import Config
from cleaner.fetch_policy import DEFAULT_USER_AGENT, FetchPolicy, allowed_hosts
from cleaner.orchestration.settings import CLEAN_BATCH_SIZE
from cleaner.runner.batches import (
    FETCH_BATCH_FILE,
    MAX_MAPPED_BATCHES,
    RUN_COUNTS,
    batch_run_id,
    clean_batch,
    list_inputs,
    listing_counts,
    prune_old_listings,
    read_batch,
    summarise_run,
    write_batch_files,
    write_batches,
)
from cleaner.runner.fetching import collect_urls, fetch_batch, group_by_host, raw_paths
from cleaner.storage import storage_path

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RunInfo:
    """The Airflow run a task belongs to, and the task's place in a mapped task."""

    run_id: str
    run_type: str = "manual"
    started: datetime | None = None
    map_index: int = -1

    @classmethod
    def from_context(cls, context: Mapping[str, Any]) -> RunInfo:
        """From a running task's Airflow context (the one place that reads it)."""
        dag_run, ti = context["dag_run"], context.get("ti")
        map_index = getattr(ti, "map_index", -1)
        return cls(dag_run.run_id, dag_run.run_type, dag_run.start_date, map_index)

    @property
    def day(self) -> str | None:
        """The UTC day the run started: the partition of its batches' rows, the same for
        every try of every task of the run (None when unknown: a batch's own day)."""
        return self.started.astimezone(UTC).date().isoformat() if self.started else None


@dataclass(frozen=True, slots=True)
class CleanParams:
    """clean_pages' params (and the cleaning half of fetch_pages'). A run started before
    a param existed does not have it: `from_params` fills the DAG's default."""

    warehouse: str
    source: str = ""
    pattern: str = "*"
    batch_size: int = CLEAN_BATCH_SIZE
    limit: int = 0
    reprocess: bool = False
    workers: int = 1
    line_threshold: float | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> CleanParams:
        threshold = params.get("line_threshold")
        return cls(
            warehouse=str(params["warehouse"]),
            source=str(params.get("source", "")),
            pattern=str(params.get("pattern", "*")),
            batch_size=int(params.get("batch_size", CLEAN_BATCH_SIZE)),
            limit=int(params.get("limit", 0)),
            reprocess=bool(params.get("reprocess", False)),
            workers=int(params.get("workers", 1)),
            line_threshold=None if threshold is None else float(threshold),
        )

    @property
    def config(self) -> Config:
        """The cleaning settings the params choose; the others stay at their defaults."""
        return Config(line_threshold=self.line_threshold)


@dataclass(frozen=True, slots=True)
class FetchParams:
    """fetch_pages' own params: what to fetch and how politely."""

    urls: tuple[str, ...]
    url_file: str
    batch_size: int
    policy: FetchPolicy

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> FetchParams:
        """From Airflow's params, already checked against the DAG's schema."""
        policy = FetchPolicy(
            timeout_s=float(params["timeout_s"]),
            max_retries=int(params["max_retries"]),
            max_bytes=int(params["max_bytes"]),
            min_delay_s=float(params["min_delay_s"]),
            user_agent=str(params["user_agent"] or DEFAULT_USER_AGENT),
            respect_robots=bool(params["respect_robots"]),
            allow_hosts=allowed_hosts(params["allow_hosts"]),
        )
        return cls(
            urls=tuple(params["urls"]),
            url_file=str(params["url_file"]),
            batch_size=int(params["batch_size"]),
            policy=policy,
        )


@dataclass(frozen=True, slots=True)
class BatchResult:
    """A mapped task's result: its manifest's location (for XCom) and its label in the UI
    (the DAG sets `map_index_template="{{ batch_label }}"`)."""

    manifest: str
    label: str


@dataclass(frozen=True, slots=True)
class RunSummary:
    """The final task's result: the run's counts (for XCom) and the asset event's extra."""

    counts: dict[str, int]
    asset_extra: dict[str, Any]


def max_map_length() -> int:
    """The most map indexes Airflow accepts (`[core] max_map_length`), read in the task."""
    from airflow.sdk.configuration import conf

    return conf.getint("core", "max_map_length", fallback=MAX_MAPPED_BATCHES)


def list_pages(params: CleanParams, run: RunInfo, max_batches: int) -> list[str]:
    """clean_pages' listing: the batch files to map over (`list_inputs`). Raises
    `SourceNotFoundError` when the source is missing, which the DAG turns into a failure
    or, for a scheduled run, a skip."""
    prune_old_listings(params.warehouse, run.run_id)
    return list_inputs(
        params.source,
        params.pattern,
        params.warehouse,
        run.run_id,
        batch_size=params.batch_size,
        limit=params.limit,
        reprocess=params.reprocess,
        max_batches=max_batches,
    )


def collect_urls_into_batches(
    fetch: FetchParams, warehouse: str, run: RunInfo, max_batches: int
) -> list[str]:
    """fetch_pages' listing: the URLs of both params in batch files that each hold whole
    hosts (`group_by_host`), one fetch task each."""
    prune_old_listings(warehouse, run.run_id)
    batches = group_by_host(collect_urls(fetch.urls, fetch.url_file), fetch.batch_size, max_batches)
    return write_batch_files(batches, warehouse, run.run_id, FETCH_BATCH_FILE)


def fetch_one_batch(
    batch_file: str, fetch: FetchParams, warehouse: str, run: RunInfo
) -> BatchResult:
    """The mapped fetch task, for one group of hosts."""
    urls = read_batch(batch_file)
    hosts = sorted({urlsplit(u).netloc for u in urls})
    label = f"fetch {run.map_index}: {len(urls)} URLs from {', '.join(hosts)[:80]}"
    manifest = fetch_batch(
        urls,
        warehouse,
        batch_run_id(run.run_id, "fetch", run.map_index),
        fetch.policy,
        group=run.run_id,
    )
    return BatchResult(manifest, label)


def split_raw(
    fetch_manifests: Iterable[str], params: CleanParams, run: RunInfo, max_batches: int
) -> list[str]:
    """The bodies the fetch tasks stored, in clean batch files."""
    raw = raw_paths(fetch_manifests)
    return write_batches(
        raw, params.warehouse, run.run_id, params.batch_size, max_batches=max_batches
    )


def clean_one_batch(batch_file: str, params: CleanParams, run: RunInfo) -> BatchResult:
    """The mapped clean task: cleans its batch file's pages under a per-batch run id, its
    manifest filed under the Airflow run."""
    batch = read_batch(batch_file)
    manifest = clean_batch(
        batch,
        params.warehouse,
        batch_run_id(run.run_id, "batch", run.map_index),
        group=run.run_id,
        day=run.day,
        reprocess=params.reprocess,
        workers=params.workers,
        config=params.config,
    )
    return BatchResult(manifest, f"batch {run.map_index}: {len(batch)} pages")


def summarise(
    warehouse: str,
    run: RunInfo,
    manifests: Iterable[str],
    *,
    listed: bool = False,
    fetches: Iterable[str] = (),
) -> RunSummary:
    """The final task: writes the run manifest (with the listing's counts when the run
    listed a source) and says what the asset's consumers are told: the counts and where
    the warehouse is."""
    started = run.started.isoformat() if run.started else None
    listing = listing_counts(warehouse, run.run_id) if listed else None
    manifest = summarise_run(
        run.run_id, warehouse, list(manifests), listing, list(fetches), started
    )
    counts = {key: int(manifest[key]) for key in RUN_COUNTS}
    extra: dict[str, Any] = {"warehouse": warehouse, "run_id": run.run_id, **counts}
    report = write_run_report(warehouse, run.run_id)
    if report is not None:
        extra["report"] = report
    return RunSummary(counts, extra)


def write_run_report(warehouse: str, run_id: str) -> str | None:
    """`reports/<run_id>.html` in the warehouse (`cleaner report` for this run); its
    location, or None when it could not be written. The report is a view of the run, not
    its data: failing to write it is logged, never a reason to fail the run."""
    from cleaner.report import write_report
    from cleaner.storage import as_location
    from cleaner.warehouse import Warehouse

    wh = Warehouse(storage_path(warehouse))
    out = wh.root / "reports" / f"{run_id}.html"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_report(wh, out, run_id)
    except Exception as exc:  # a view must not fail the run it shows
        log.warning("report of run %s not written: %s", run_id, exc)
        return None
    location = as_location(out)
    log.info("report of run %s: %s", run_id, location)
    return location
