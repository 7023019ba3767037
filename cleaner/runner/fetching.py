"""A fetch run: URLs fetched politely into the warehouse's raw zone, one batch of hosts at
a time, with a manifest per batch; the stored bodies are then cleaned like any input
(`cleaner.runner.batches`). The `fetch_pages` DAG maps `fetch_batch` over host groups;
`cleaner fetch` calls the same functions in one process."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from cleaner.errors import FetchError
from cleaner.fetch import Fetcher
from cleaner.fetch_policy import FetchPolicy
from cleaner.metadata import content_id
from cleaner.runner.batches import MAX_MAPPED_BATCHES, flatten, manifest_location, read_json
from cleaner.storage import as_location, storage_path
from cleaner.version import VERSION
from cleaner.warehouse import Warehouse


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
    return flatten(read_json(m)["raw"] for m in fetch_manifests)
