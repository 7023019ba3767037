"""A batch into the warehouse: every input ends in exactly one place (the clean zone, the
quarantine with its reason, or skipped because an earlier run put it in one of those),
and the run manifest counts all three."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, Literal

from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.load import as_path
from cleaner.metadata import site_of
from cleaner.records import DocumentRow, DocumentStatus, Failure, RunManifest, Timing
from cleaner.runner.inputs import triage
from cleaner.runner.outcome import CleanFn, Outcome, clean_one
from cleaner.runner.pool import clean_many
from cleaner.sink import Sink
from cleaner.template_store import TemplateSession
from cleaner.version import VERSION

#: Where an input ended.
Status = Literal["cleaned", "skipped", "quarantined"]

log = logging.getLogger(__name__)


@dataclass
class RunCounts:
    """What a batch did with its inputs; `cleaned + skipped + quarantined == inputs`."""

    inputs: int = 0
    cleaned: int = 0
    skipped: int = 0
    quarantined: int = 0
    failures: list[Failure] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How a batch runs, apart from what it cleans and where it writes.

    `workers`, `progress` and `isolate` go to `clean_many`; `reprocess` cleans inputs
    already in the sink again; `group` files the manifest under the Airflow run the batch
    belongs to; `day` (YYYY-MM-DD) is the rows' date partition, by default the UTC day the
    batch started (a retried batch must pass the same day, so that it overwrites its rows
    rather than adding a second file); `on_outcome(outcome, status)` is called after each
    input (for `--explain`); `clean` replaces `clean_one` (tests inject crashing ones).
    """

    config: Config = DEFAULT_CONFIG
    workers: int = 1
    reprocess: bool = False
    progress: bool | None = None
    isolate: bool = False
    group: str | None = None
    day: str | None = None
    on_outcome: Callable[[Outcome, str], None] | None = None
    clean: CleanFn = clean_one


def run_batch(
    paths: Iterable[Any],
    sink: Sink,
    run_id: str | None = None,
    options: RunOptions = RunOptions(),
) -> RunManifest:
    """Clean `paths` into `sink` and write the run manifest; returns the manifest.

    Inputs already in the sink are skipped without being cleaned, unless
    `options.reprocess`. Besides the manifest, one row per input goes to
    `sink.document_rows(run_id, day)`.
    """
    started = datetime.now(UTC)
    run_id = run_id or started.strftime("run-%Y%m%dT%H%M%S%fZ")
    config, clean = options.config, options.clean
    all_paths = [as_path(p) for p in paths]
    todo, done = (all_paths, []) if options.reprocess else triage(all_paths, sink, config)
    counts = RunCounts(inputs=len(all_paths), skipped=len(done))
    session = _template_session(sink, run_id, config)
    if session is not None and clean is clean_one:
        clean = partial(clean_one, templates=session)
    documents: list[DocumentStatus] = []
    seconds: list[float] = []
    peak_kb = 0
    with sink.document_rows(run_id, options.day or started.date().isoformat()) as write_row:
        for path, doc_id in done:
            write_row(document_row(run_id, str(path), doc_id, "skipped"))
        outcomes = clean_many(
            todo, options.workers, config, options.progress, isolate=options.isolate, clean=clean
        )
        for outcome in outcomes:
            seconds.append(outcome.seconds)
            peak_kb = max(peak_kb, outcome.peak_rss_kb)
            status = _store(outcome, sink, options.reprocess, counts, run_id)
            documents.append({"source": outcome.source, "id": outcome.id, "status": status})
            write_row(document_row(run_id, outcome.source, outcome.id, status, outcome))
            if session is not None and status == "cleaned" and outcome.document is not None:
                session.observe_document(outcome.document)
            if options.on_outcome is not None:
                options.on_outcome(outcome, status)
    if session is not None:
        _save_templates(session, run_id)
    manifest: RunManifest = {
        "run_id": run_id,
        "cleaner_version": VERSION,
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        "inputs": counts.inputs,
        "cleaned": counts.cleaned,
        "skipped": counts.skipped,
        "quarantined": counts.quarantined,
        "failures": counts.failures,
        "timing": _timing(seconds),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "documents": documents,
    }
    sink.write_manifest(run_id, manifest, group=options.group)
    return manifest


def _template_session(sink: Sink, run_id: str, config: Config) -> TemplateSession | None:
    """The site templates this batch judges with and adds to, or None when they are off
    or the sink keeps none. The session writes under the batch's own run id, so a retried
    batch (same id) rewrites its own counts instead of adding a second copy."""
    template_store = getattr(sink, "template_store", None)
    store = template_store() if config.site_templates and template_store is not None else None
    return TemplateSession(store, run_id) if store is not None else None


def _save_templates(session: TemplateSession, run_id: str) -> None:
    """Templates are a refinement: failing to save them costs later runs some learning,
    never this run's documents, so a write error is logged rather than raised."""
    try:
        session.save()
    except OSError as exc:
        log.warning("site templates of %s not saved: %s", run_id, exc)


def document_row(
    run_id: str, source: str, doc_id: str, status: Status, outcome: Outcome | None = None
) -> DocumentRow:
    """One input's row for the per-document JSON Lines (every key always present, so a
    query engine infers one schema from any file)."""
    meta = outcome.document.metadata if outcome and outcome.document else {}
    error = outcome.error if outcome else None
    return {
        "run_id": run_id,
        "source": source,
        "id": doc_id,
        "status": status,
        "error": error.kind if error else None,
        "reason": error.reason if error else None,
        "seconds": round(outcome.seconds, 4) if outcome else None,
        "word_count": meta.get("word_count"),
        "language": meta.get("language"),
        "site": site_of(meta.get("url")),
    }


def _store(outcome: Outcome, sink: Sink, reprocess: bool, counts: RunCounts, run_id: str) -> Status:
    if outcome.document is not None:
        # Provenance for readers of the warehouse (`cleaner export --since`): which run
        # wrote the document, and when. Added here, not by the pipeline, whose output
        # for the same page stays the same from run to run.
        outcome.document.metadata["run_id"] = run_id
        outcome.document.metadata["cleaned_at"] = datetime.now(UTC).isoformat()
        if sink.write(outcome.document, overwrite=reprocess):
            counts.cleaned += 1
            return "cleaned"
        counts.skipped += 1
        return "skipped"
    assert outcome.error is not None
    sink.quarantine(outcome.id, outcome.source, outcome.error)
    counts.quarantined += 1
    counts.failures.append(
        {"source": outcome.source, "error": outcome.error.kind, "reason": outcome.error.reason}
    )
    return "quarantined"


def _timing(seconds: list[float]) -> Timing:
    if not seconds:
        return {"total_s": 0.0, "median_s": 0.0, "max_s": 0.0}
    ordered = sorted(seconds)
    return {
        "total_s": round(sum(ordered), 4),
        "median_s": round(ordered[len(ordered) // 2], 4),
        "max_s": round(ordered[-1], 4),
    }
