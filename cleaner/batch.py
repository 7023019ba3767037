"""Batches: many raw page files into one warehouse, every input accounted for.

Each input ends in exactly one place: the clean zone, the quarantine (with its reason), or
skipped because an earlier run already put it in one of those. The run manifest counts
all three, and the counts add up to the inputs. Each input is cleaned under
`Config.max_seconds` (see `time_limit`), so one slow page costs that page only.
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path
from typing import Any

from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import Document, RawPage
from cleaner.errors import CleanError, TimeLimitError
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
        with time_limit(config.max_seconds, source):
            page = read_input(path, config)
            doc = clean_page(page, config)
        return Outcome(source, doc.id, document=doc, seconds=time.perf_counter() - started)
    except CleanError as exc:
        error = exc
    except Exception as exc:  # a parser bug must cost one page, not the batch
        error = CleanError(source, f"unexpected {type(exc).__name__}: {exc}")
    doc_id = content_id(page.data if page is not None else source.encode("utf-8"))
    return Outcome(source, doc_id, error=error, seconds=time.perf_counter() - started)


@contextmanager
def time_limit(seconds: float, source: str) -> Iterator[None]:
    """Raise `TimeLimitError` naming `source` when the block runs longer than `seconds`.

    It uses SIGALRM, which exists only on Unix and can be set only from the main thread:
    elsewhere (threads, Windows), and when `seconds <= 0`, the block runs without a limit.
    The alarm interrupts Python code only, not a C call in progress (a parser), which is
    why the size, element and depth limits are checked before parsing. The previous
    handler is restored afterwards, and an alarm armed by the caller (a task runner's
    own timeout) is re-armed with its remaining time and still fires if it is due first.
    """
    if seconds <= 0 or not hasattr(signal, "SIGALRM"):
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    outer_due_first = 0 < outer_left <= seconds
    previous = signal.getsignal(signal.SIGALRM)
    outer_fired = False

    def expired(signum: int, frame: Any) -> None:
        nonlocal outer_fired
        if outer_due_first and callable(previous):
            outer_fired = True
            signal.signal(signal.SIGALRM, previous)
            previous(signum, frame)
            return
        raise TimeLimitError(source, f"cleaning took longer than the limit of {seconds:g} s")

    started = time.monotonic()
    signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left and not outer_fired:  # give the caller's alarm what is left of its time
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, OUTER_ALARM_MIN_DELAY))


#: An outer alarm already due when the limit ends fires this soon after, rather than never.
OUTER_ALARM_MIN_DELAY = 0.001

#: A raw body's fetch record is a few hundred bytes of JSON (url, final_url, status,
#: headers); a larger one is not ours, and is ignored rather than read.
MAX_META_BYTES = 1_000_000

#: The raw zone's files (cleaner.warehouse): a fetched body and its fetch record.
RAW_BODY_SUFFIX, RAW_META_SUFFIX = ".body", ".meta.json"


def read_input(path: Any, config: Config = DEFAULT_CONFIG) -> RawPage:
    """Read a raw page file; a raw-zone body gets back its final URL and HTTP headers
    (the charset matters) from the `.meta.json` beside it."""
    page = read_path(path, config)
    p = as_path(path)
    if p.name.endswith(RAW_BODY_SUFFIX):
        meta = p.parent / (p.name[: -len(RAW_BODY_SUFFIX)] + RAW_META_SUFFIX)
        if (record := _fetch_record(meta)) is not None:
            page.url = record.get("final_url") or record.get("url")
            page.headers = {str(k): str(v) for k, v in (record.get("headers") or {}).items()}
    return page


def _fetch_record(meta: Any) -> dict[str, Any] | None:
    """The fetch record beside a raw body, or None when it is missing, too large,
    unreadable or not a JSON object: the body is still worth cleaning without it."""
    try:
        if not meta.is_file() or meta.stat().st_size > MAX_META_BYTES:
            return None
        record = json.loads(meta.read_bytes())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


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


def input_id(path: Any, config: Config = DEFAULT_CONFIG) -> str:
    """The id an input will get: of its bytes, or of its name when it cannot be read
    (missing, a folder, too large: `read_path` refuses before reading, as here)."""
    try:
        return content_id(read_path(path, config).data)
    except CleanError:
        return content_id(str(path).encode("utf-8"))


def pending(
    paths: Iterable[Any], warehouse: Warehouse, config: Config = DEFAULT_CONFIG
) -> list[Any]:
    """The inputs that are neither cleaned nor quarantined in the warehouse yet."""
    return [as_path(p) for p in paths if not warehouse.has(input_id(p, config))]


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
    todo = all_paths if reprocess else pending(all_paths, warehouse, config)
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
