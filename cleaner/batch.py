"""Batches: many raw page files into one warehouse, every input accounted for.

Each input ends in exactly one place: the clean zone, the quarantine (with its reason), or
skipped because an earlier run already put it in one of those. The run manifest counts
all three, and the counts add up to the inputs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import Document, RawPage
from cleaner.errors import CleanError
from cleaner.load import as_path, read_path
from cleaner.metadata import content_id
from cleaner.pipeline import clean_page
from cleaner.version import VERSION
from cleaner.warehouse import RunCounts, Warehouse


@dataclass(slots=True)
class Outcome:
    """The result for one input: a document, or the error that stopped it."""

    source: str
    id: str
    document: Document | None = None
    error: CleanError | None = None
    seconds: float = 0.0


def clean_one(path: Any, config: Config = DEFAULT_CONFIG) -> Outcome:
    """Clean one file, turning every failure into an `Outcome` with a typed error."""
    source = str(path)
    started = time.perf_counter()
    page: RawPage | None = None
    try:
        page = read_input(path, config)
        doc = clean_page(page, config)
        return Outcome(source, doc.id, document=doc, seconds=time.perf_counter() - started)
    except CleanError as exc:
        error = exc
    except Exception as exc:  # a parser bug must cost one page, not the batch
        error = CleanError(source, f"unexpected {type(exc).__name__}: {exc}")
    doc_id = content_id(page.data if page is not None else source.encode("utf-8"))
    return Outcome(source, doc_id, error=error, seconds=time.perf_counter() - started)


#: The raw zone's files (cleaner.warehouse): a fetched body and its fetch record.
RAW_BODY_SUFFIX, RAW_META_SUFFIX = ".body", ".meta.json"


def read_input(path: Any, config: Config = DEFAULT_CONFIG) -> RawPage:
    """Read a raw page file; a raw-zone body gets back its final URL and HTTP headers
    (the charset matters) from the `.meta.json` beside it."""
    page = read_path(path, config)
    p = as_path(path)
    if p.name.endswith(RAW_BODY_SUFFIX):
        meta = p.parent / (p.name[: -len(RAW_BODY_SUFFIX)] + RAW_META_SUFFIX)
        if meta.exists():
            record = json.loads(meta.read_bytes())
            page.url = record.get("final_url") or record.get("url")
            page.headers = dict(record.get("headers") or {})
    return page


def clean_many(
    paths: Iterable[Any], workers: int = 1, config: Config = DEFAULT_CONFIG
) -> Iterator[Outcome]:
    """Clean files, yielding outcomes in input order; `workers > 1` uses processes."""
    if workers <= 1:
        for path in paths:
            yield clean_one(path, config)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(clean_one, paths, repeat(config), chunksize=8)


def input_id(path: Any) -> str:
    """The id an input will get: of its bytes, or of its name when it cannot be read."""
    try:
        return content_id(as_path(path).read_bytes())
    except OSError:
        return content_id(str(path).encode("utf-8"))


def pending(paths: Iterable[Any], warehouse: Warehouse) -> list[Any]:
    """The inputs that are neither cleaned nor quarantined in the warehouse yet."""
    return [as_path(p) for p in paths if not warehouse.has(input_id(p))]


def expand_inputs(patterns: Iterable[str | Path], pattern: str = "*") -> list[Path]:
    """Files named directly, files below folders (matching `pattern`), and globs; sorted,
    without duplicates and without hidden files. Missing names are kept, so that they
    are reported as failures rather than silently dropped."""
    found: dict[str, Path] = {}
    for item in patterns:
        p = Path(item)
        if p.is_dir():
            matches = [m for m in p.rglob(pattern) if m.is_file()]
        elif any(ch in str(item) for ch in "*?["):
            base = Path(str(item)).anchor or "."
            rel = str(item)[len(base) :] if Path(str(item)).is_absolute() else str(item)
            matches = [m for m in Path(base).glob(rel) if m.is_file()]
        else:
            matches = [p]
        for m in matches:
            inside = m.relative_to(p).parts if p.is_dir() else m.parts[-1:]
            if not any(part.startswith(".") for part in inside):  # .cache/, .DS_Store
                found.setdefault(str(m), m)
    return [found[k] for k in sorted(found)]


def run_batch(
    paths: Iterable[Any],
    warehouse: Warehouse,
    run_id: str | None = None,
    *,
    reprocess: bool = False,
    workers: int = 1,
    config: Config = DEFAULT_CONFIG,
    on_outcome: Any = None,
) -> dict[str, Any]:
    """Clean `paths` into `warehouse` and write the run manifest; returns the manifest.

    Inputs already in the warehouse are skipped without being cleaned, unless `reprocess`.
    `on_outcome(outcome, status)` is called after each cleaned input (for progress bars
    or `--explain`); status is "cleaned", "skipped" or "quarantined".
    """
    started = datetime.now(UTC)
    run_id = run_id or started.strftime("run-%Y%m%dT%H%M%S%fZ")
    all_paths = [as_path(p) for p in paths]
    todo = all_paths if reprocess else pending(all_paths, warehouse)
    counts = RunCounts(inputs=len(all_paths), skipped=len(all_paths) - len(todo))
    documents: list[dict[str, str]] = []
    seconds: list[float] = []
    for outcome in clean_many(todo, workers=workers, config=config):
        seconds.append(outcome.seconds)
        status = _store(outcome, warehouse, reprocess, counts)
        documents.append({"source": outcome.source, "id": outcome.id, "status": status})
        if on_outcome is not None:
            on_outcome(outcome, status)
    manifest = {
        "run_id": run_id,
        "cleaner_version": VERSION,
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        **counts.as_dict(),
        "timing": _timing(seconds),
        "documents": documents,
    }
    warehouse.write_manifest(run_id, manifest)
    return manifest


def _store(outcome: Outcome, warehouse: Warehouse, reprocess: bool, counts: RunCounts) -> str:
    if outcome.document is not None:
        if warehouse.write(outcome.document, overwrite=reprocess):
            counts.cleaned += 1
            return "cleaned"
        counts.skipped += 1
        return "skipped"
    assert outcome.error is not None
    warehouse.quarantine(outcome.id, outcome.source, outcome.error)
    counts.quarantined += 1
    counts.failures.append(
        {"source": outcome.source, "error": outcome.error.kind, "reason": outcome.error.reason}
    )
    return "quarantined"


def _timing(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {"total_s": 0.0, "median_s": 0.0, "max_s": 0.0}
    ordered = sorted(seconds)
    return {
        "total_s": round(sum(ordered), 4),
        "median_s": round(ordered[len(ordered) // 2], 4),
        "max_s": round(ordered[-1], 4),
    }
