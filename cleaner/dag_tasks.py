"""The work behind the Airflow DAGs, as plain functions of plain values.

The DAG files in dags/ only wire tasks together and read params; everything a task does
is here, where it can be tested without a scheduler. Each function takes and returns only
what XCom carries well: strings (locations, run ids), numbers, and small lists and dicts
of them. Pages never travel through XCom, and neither do long lists of their paths: the
listing tasks write each batch's inputs to a file in the warehouse
(`listings/<run_id>/batch-00001.jsonl`, one JSON string a line) and the mapped tasks get
only the locations of those files, at most `[core] max_map_length` of them. A run over
300,000 pages therefore pushes about a thousand short strings through XCom, not 300,000.

A location is a plain path, a `file://` URL, or an object storage URL (`s3://bucket/key`,
which needs the Amazon provider and s3fs). Local locations become `pathlib.Path`, so the
warehouse writes them atomically (write aside, fsync, rename); others become Airflow's
`ObjectStoragePath` (one PUT per object). Airflow is imported only for its configuration
(`max_map_length`) and for object storage, that is, only inside a running task.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cleaner.archives import RecordRef, archive_index, expand_archives, is_record_json
from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.errors import FetchError
from cleaner.fetch import DEFAULT_USER_AGENT, Fetcher, FetchPolicy
from cleaner.metadata import content_id
from cleaner.runner import RunOptions, pending, run_batch
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


# -- locations ---------------------------------------------------------------------------


def storage_path(location: str) -> Any:
    """A `Path` for plain paths and `file://` URLs; an `ObjectStoragePath` for the rest.

    >>> storage_path("file:///data/raw"), storage_path("/data/raw")
    (PosixPath('/data/raw'), PosixPath('/data/raw'))
    """
    scheme = urlsplit(location).scheme
    if scheme == "file":
        return Path(urlsplit(location).path)
    if len(scheme) <= 1:  # no scheme, or a Windows drive letter
        return Path(location).expanduser().absolute()
    from airflow.sdk import ObjectStoragePath

    return ObjectStoragePath(location)


def as_location(path: Any) -> str:
    """The string to put in XCom for a path: plain for local files, a URL otherwise."""
    if getattr(path, "protocol", None) in {"", "file"}:
        return str(path.path)
    return str(path)


def manifest_location(warehouse: Warehouse, run_id: str, group: str | None = None) -> str:
    """Where `Warehouse.write_manifest(run_id, ..., group)` puts the manifest."""
    return as_location(warehouse.manifest_path(run_id, group))


def max_map_length() -> int:
    """The most map indexes Airflow accepts (`[core] max_map_length`), read in the task."""
    from airflow.sdk.configuration import conf

    return conf.getint("core", "max_map_length", fallback=MAX_MAPPED_BATCHES)


# -- batch files: what a mapped task gets instead of a list of paths -------------------------


def write_batches(
    items: Sequence[Any],
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
    batches: Sequence[Sequence[Any]], warehouse: str, run_id: str, name: str
) -> list[str]:
    """Write each batch to `listings/<run_id>/<name>` (numbered from 1); their locations."""
    wh = Warehouse(storage_path(warehouse))
    return [
        as_location(wh.write_listing(run_id, name.format(n), _json_lines(batch)))
        for n, batch in enumerate(batches, start=1)
    ]


def _json_lines(items: Iterable[Any]) -> bytes:
    """One JSON string a line: a file name may hold any character but NUL, newlines too."""
    return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode("utf-8")


def batch_item(path: Any) -> Any:
    """What a batch file holds for an input: a location string for a file, a JSON
    object for an archive record (`RecordRef.to_json`)."""
    return path.to_json() if isinstance(path, RecordRef) else as_location(path)


def input_of(item: Any) -> Any:
    """The input a batch item stands for (the inverse of `batch_item`)."""
    return RecordRef.from_json(item) if is_record_json(item) else storage_path(item)


def read_batch(location: str) -> list[Any]:
    """The items of one batch file, in order."""
    text = storage_path(location).read_bytes().decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# -- clean_pages: list (into batch files), clean, summarise ----------------------------------


def find_inputs(
    source: str, pattern: str, warehouse: str, *, limit: int = 0, reprocess: bool = False
) -> tuple[list[Any], dict[str, int]]:
    """The raw pages under `source` still to clean, as batch items (`batch_item`), and
    the counts. A WARC, WET or JSON Lines archive is expanded into its records, so that
    batches split a large archive into ranges of records.

    `found == done_before + deferred + inputs`: pages already in the warehouse are
    `done_before` (unless `reprocess`), pages beyond `limit` are `deferred` to a later run.
    """
    root = storage_path(source)
    if not root.exists():
        raise FileNotFoundError(f"source {source} does not exist")
    files = sorted([root] if root.is_file() else visible_files(root, pattern), key=str)
    wh = Warehouse(storage_path(warehouse))
    found = list(expand_archives(files, index=archive_index(wh)))  # an archive: its records
    todo = found if reprocess else pending(found, wh)
    paths = [batch_item(p) for p in (todo[:limit] if limit > 0 else todo)]
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
    paths: Sequence[Any], batch_size: int, max_batches: int = MAX_MAPPED_BATCHES
) -> list[list[Any]]:
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
    paths: Sequence[Any],
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
    run_batch([input_of(p) for p in paths], wh, run_id, RunOptions(reprocess=reprocess, workers=workers, config=config, progress=True, isolate=True, group=group, day=day))
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
    batches = [_read_json(m) for m in manifests]
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
    fetch_manifests = [_read_json(m) for m in fetches]
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


def _read_json(location: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(storage_path(location).read_bytes())
    return data


# -- fetch_pages: collect, group by host, fetch into the raw zone --------------------------


def collect_urls(urls: Iterable[str], url_file: str | None = None) -> list[str]:
    """URLs given directly, then those in `url_file` (one a line; blank lines and `#`
    comments skipped), without duplicates, in the order first seen."""
    found = [u.strip() for u in urls]
    if url_file:
        text = storage_path(url_file).read_bytes().decode("utf-8")
        found += [line.strip() for line in text.splitlines()]
    return list(dict.fromkeys(u for u in found if u and not u.startswith("#")))


def group_by_host(
    urls: Sequence[str], batch_size: int, max_batches: int = MAX_MAPPED_BATCHES
) -> list[list[str]]:
    """Batches of about `batch_size` URLs in which each host appears in one batch only,
    so that parallel tasks never hit one host at once and its delay holds.

    >>> group_by_host(["http://a/1", "http://b/1", "http://a/2", "http://c/1"], 2)
    [['http://a/1', 'http://a/2'], ['http://b/1', 'http://c/1']]
    """
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(urlsplit(url).netloc.lower(), []).append(url)
    size = max(1, batch_size)
    while True:
        batches: list[list[str]] = []
        for group in by_host.values():
            if batches and len(batches[-1]) + len(group) <= size:
                batches[-1].extend(group)
            else:
                batches.append(list(group))
        if len(batches) <= max_batches:
            return batches
        size *= 2


def fetch_batch(
    urls: Sequence[str],
    warehouse: str,
    run_id: str,
    policy: FetchPolicy,
    group: str | None = None,
) -> str:
    """Fetch URLs into the raw zone, failures into the quarantine; returns the location of
    the fetch manifest (under `group`, the Airflow run id, when given), whose "raw" lists
    the stored bodies for cleaning.

    A failed URL is quarantined under the id of its URL (it has no body to take one from).
    """
    wh = Warehouse(storage_path(warehouse))
    fetcher = Fetcher(policy)
    started = datetime.now(UTC)
    clock = time.perf_counter()
    raw: list[str] = []
    failures: list[dict[str, str]] = []
    for url in urls:
        try:
            got = fetcher.get(url)
        except FetchError as exc:
            wh.quarantine(content_id(url.encode("utf-8")), url, exc)
            failures.append({"source": url, "error": exc.kind, "reason": exc.reason})
            continue
        body_path = wh.write_raw(content_id(got.page.data), got.page.data, got.record())
        raw.append(as_location(body_path))
    manifest = {
        "run_id": run_id,
        "kind": "fetch",
        "cleaner_version": VERSION,
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "urls": len(urls),
        "fetched": len(raw),
        "failed": len(failures),
        "failures": failures,
        "seconds": round(time.perf_counter() - clock, 4),
        "raw": raw,
    }
    wh.write_manifest(run_id, manifest, group=group)
    return manifest_location(wh, run_id, group)


def raw_paths(fetch_manifests: Iterable[str]) -> list[str]:
    """The raw bodies that fetch batches stored, read back from their manifests."""
    return flatten(_read_json(m)["raw"] for m in fetch_manifests)


def policy_from_params(params: dict[str, Any]) -> FetchPolicy:
    """A `FetchPolicy` from the fetch_pages params (already validated by Airflow)."""
    return FetchPolicy(
        timeout_s=float(params["timeout_s"]),
        max_retries=int(params["max_retries"]),
        max_bytes=int(params["max_bytes"]),
        min_delay_s=float(params["min_delay_s"]),
        user_agent=str(params["user_agent"] or DEFAULT_USER_AGENT),
        respect_robots=bool(params["respect_robots"]),
        allow_hosts=frozenset(h.strip().lower() for h in params["allow_hosts"] if h.strip()),
    )


# -- task bodies (they get the Airflow context and never import Airflow at module level) ----


#: A run's batch files (`listings/<run_id>/`) are removed by a later run's listing once
#: they are this old: long enough to clear and re-run a failed task of last week's runs.
LISTING_RETENTION_S = 7 * 24 * 3600.0


def prune_old_listings(warehouse: str, run_id: str) -> list[str]:
    """Remove other runs' listings older than `LISTING_RETENTION_S` (see
    `Warehouse.prune_listings`); each run's listing task calls it."""
    return Warehouse(storage_path(warehouse)).prune_listings(LISTING_RETENTION_S, keep=run_id)


def list_pages_task(context: MutableMapping[str, Any]) -> list[str]:
    """clean_pages' listing: the batch files to map over (see `list_inputs`)."""
    p = context["params"]
    prune_old_listings(p["warehouse"], context["dag_run"].run_id)
    return list_inputs(
        p["source"],
        p["pattern"],
        p["warehouse"],
        context["dag_run"].run_id,
        batch_size=p["batch_size"],
        limit=p["limit"],
        reprocess=p["reprocess"],
        max_batches=max_map_length(),
    )


def collect_urls_task(context: MutableMapping[str, Any]) -> list[str]:
    """fetch_pages' listing: the URLs of both params in batch files that each hold whole
    hosts (`group_by_host`), one fetch task each."""
    p = context["params"]
    prune_old_listings(p["warehouse"], context["dag_run"].run_id)
    urls = collect_urls(p["urls"], p["url_file"])
    batches = group_by_host(urls, p["batch_size"], max_map_length())
    return write_batch_files(batches, p["warehouse"], context["dag_run"].run_id, FETCH_BATCH_FILE)


def split_raw_task(fetch_manifests: Iterable[str], context: MutableMapping[str, Any]) -> list[str]:
    """The bodies the fetch tasks stored, in clean batch files."""
    p = context["params"]
    run_id = context["dag_run"].run_id
    raw = raw_paths(fetch_manifests)
    return write_batches(raw, p["warehouse"], run_id, p["batch_size"], max_batches=max_map_length())


def clean_batch_task(batch_file: str, context: MutableMapping[str, Any]) -> str:
    """The mapped clean task: reads its batch file, labels its map index for the UI (the
    DAG sets `map_index_template="{{ batch_label }}"`) and cleans under a per-batch run id,
    its manifest filed under the Airflow run."""
    batch = read_batch(batch_file)
    index = context["ti"].map_index
    context["batch_label"] = f"batch {index}: {len(batch)} pages"
    params = context["params"]
    dag_run = context["dag_run"]
    return clean_batch(
        batch,
        params["warehouse"],
        batch_run_id(dag_run.run_id, "batch", index),
        group=dag_run.run_id,
        day=run_day(dag_run),
        reprocess=bool(params.get("reprocess", False)),
        workers=int(params.get("workers", 1)),
        config=config_from_params(params),
    )


def config_from_params(params: Mapping[str, Any]) -> Config:
    """The cleaning settings a `clean_pages` run's params choose; the others stay at their
    defaults. A run started before a param existed does not have it."""
    threshold = params.get("line_threshold")
    return Config(line_threshold=None if threshold is None else float(threshold))


def fetch_batch_task(batch_file: str, context: MutableMapping[str, Any]) -> str:
    """The mapped fetch task: like `clean_batch_task`, for one group of hosts."""
    urls = read_batch(batch_file)
    index = context["ti"].map_index
    hosts = sorted({urlsplit(u).netloc for u in urls})
    context["batch_label"] = f"fetch {index}: {len(urls)} URLs from {', '.join(hosts)[:80]}"
    params = context["params"]
    run_id = context["dag_run"].run_id
    return fetch_batch(
        urls,
        params["warehouse"],
        batch_run_id(run_id, "fetch", index),
        policy_from_params(params),
        group=run_id,
    )


def run_day(dag_run: Any) -> str | None:
    """The UTC day a run started: the partition of its batches' rows, the same for every
    try of every task of the run (None when unknown: the batch's own day is used)."""
    started = getattr(dag_run, "start_date", None)
    return started.astimezone(UTC).date().isoformat() if started else None


def run_manifest_task(
    context: MutableMapping[str, Any],
    manifests: Iterable[str],
    asset: Any,
    *,
    listed: bool = False,
    fetches: Iterable[str] = (),
) -> dict[str, int]:
    """The final task: writes the run manifest (with the listing's counts when the run
    listed a source) and tells the asset's consumers what changed (the counts and where
    the warehouse is, as the asset event's extra)."""
    dag_run = context["dag_run"]
    warehouse = context["params"]["warehouse"]
    started = dag_run.start_date.isoformat() if dag_run.start_date else None
    listing = listing_counts(warehouse, dag_run.run_id) if listed else None
    manifest = summarise_run(
        dag_run.run_id, warehouse, list(manifests), listing, list(fetches), started
    )
    counts = {key: int(manifest[key]) for key in RUN_COUNTS}
    context["outlet_events"][asset].extra = {
        "warehouse": warehouse,
        "run_id": dag_run.run_id,
        **counts,
    }
    return counts
