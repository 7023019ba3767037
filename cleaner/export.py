"""Export the warehouse for the next tool: one record per document, `{"id", "text",
"metadata"}`, the convention of LLM data tools (datatrove, Dolma), as JSON Lines or
Parquet.

Filters choose what goes out (`since`, `language`, `min_words`), and `dedup` keeps one
document per near-duplicate cluster (`cleaner.dedup`): the earliest cleaned, then the
smallest id, so that the choice does not depend on the order files are listed in. The
export's manifest (`<out>.manifest.json`) counts what was read, filtered and dropped, and
lists the clusters, so every document left out can be traced to its reason.

The metadata goes out without its `removed` list (every dropped line, often longer than
the text), replaced by `removed_lines`, its length: the report and the warehouse keep the
detail.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from cleaner.dedup import near_duplicate_clusters
from cleaner.warehouse import Warehouse

Format = Literal["jsonl", "parquet"]


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """Which documents go out, and how."""

    format: Format = "jsonl"
    since: date | None = None  # cleaned on or after this UTC day
    language: str | None = None  # ISO 639-1 code, as in the metadata
    min_words: int = 0
    dedup: bool = False


@dataclass(slots=True)
class ExportReport:
    """What an export did; written beside it as `<out>.manifest.json`."""

    out: str
    format: str
    read: int = 0
    exported: int = 0
    filtered: dict[str, int] = field(default_factory=dict)
    duplicates_dropped: int = 0
    clusters: list[dict[str, Any]] = field(default_factory=list)


def export(
    warehouse: Warehouse, out: Path, options: ExportOptions = ExportOptions()
) -> ExportReport:
    """Write the warehouse's clean documents that pass the filters to `out`."""
    report = ExportReport(out=str(out), format=options.format)
    kept: list[dict[str, Any]] = []
    for record in warehouse.documents():
        report.read += 1
        reason = filter_reason(record, options)
        if reason is not None:
            report.filtered[reason] = report.filtered.get(reason, 0) + 1
            continue
        kept.append(record)
    if options.dedup:
        kept = drop_near_duplicates(kept, report)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = [export_record(r) for r in kept]
    if options.format == "parquet":
        write_parquet(rows, out)
    else:
        write_jsonl(rows, out)
    report.exported = len(rows)
    manifest = Path(f"{out}.manifest.json")
    manifest.write_text(json.dumps(report_dict(report), indent=1, ensure_ascii=False) + "\n")
    return report


def filter_reason(record: dict[str, Any], options: ExportOptions) -> str | None:
    """Why a document stays out ("since", "language", "min_words"), or None.

    >>> meta = {"language": "de", "word_count": 40, "cleaned_at": "2026-12-01T10:00:00+00:00"}
    >>> filter_reason({"metadata": meta}, ExportOptions(language="en"))
    'language'
    >>> filter_reason({"metadata": meta}, ExportOptions(since=date(2026, 12, 2)))
    'since'
    >>> filter_reason({"metadata": meta}, ExportOptions(min_words=40, language="de")) is None
    True
    """
    meta = record["metadata"]
    if options.since is not None and cleaned_day(meta) < options.since:
        return "since"
    if options.language is not None and meta.get("language") != options.language:
        return "language"
    if int(meta.get("word_count") or 0) < options.min_words:
        return "min_words"
    return None


def cleaned_day(meta: dict[str, Any]) -> date:
    """The UTC day a document was cleaned; documents from before the warehouse recorded
    it count as cleaned on the first day of the calendar, so `since` leaves them out."""
    stamp = meta.get("cleaned_at")
    if not stamp:
        return date.min
    return datetime.fromisoformat(stamp).astimezone(UTC).date()


def drop_near_duplicates(
    records: list[dict[str, Any]], report: ExportReport
) -> list[dict[str, Any]]:
    """Keep the earliest document of each near-duplicate cluster; record the clusters."""
    records = sorted(records, key=lambda r: (r["metadata"].get("cleaned_at") or "", r["id"]))
    clusters = near_duplicate_clusters([r["metadata"]["fingerprint"] for r in records])
    dropped: set[int] = set()
    for members in clusters:  # members in index order: the first is the earliest
        dropped.update(members[1:])
        report.clusters.append(
            {"kept": records[members[0]]["id"], "dropped": [records[m]["id"] for m in members[1:]]}
        )
    report.duplicates_dropped = len(dropped)
    return [r for i, r in enumerate(records) if i not in dropped]


def export_record(record: dict[str, Any]) -> dict[str, Any]:
    """`{"id", "text", "metadata"}`, the metadata without its `removed` list."""
    meta = {k: v for k, v in record["metadata"].items() if k != "removed"}
    meta["removed_lines"] = len(record["metadata"].get("removed") or [])
    return {"id": record["id"], "text": record["text"], "metadata": meta}


def write_jsonl(rows: list[dict[str, Any]], out: Path) -> None:
    with out.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


#: Metadata columns of the Parquet export and their types (everything the warehouse's
#: metadata holds but the `removed` list). Typed columns rather than a JSON string, so that
#: DuckDB, Spark and pandas filter on them without parsing.
PARQUET_METADATA_FIELDS: dict[str, str] = {
    "source": "string",
    "url": "string",
    "format": "string",
    "encoding": "string",
    "title": "string",
    "title_source": "string",
    "author": "string",
    "date": "string",
    "site_name": "string",
    "description": "string",
    "language": "string",
    "word_count": "int64",
    "fingerprint": "string",
    "cleaner_version": "string",
    "segments_in": "int64",
    "segments_kept": "int64",
    "removed_lines": "int64",
    "run_id": "string",
    "cleaned_at": "string",
}


def parquet_schema() -> Any:
    """The export's Arrow schema: id, text, and metadata as a struct of typed fields."""
    import pyarrow as pa

    meta = pa.struct([pa.field(k, getattr(pa, t)()) for k, t in PARQUET_METADATA_FIELDS.items()])
    return pa.schema(
        [pa.field("id", pa.string(), nullable=False), ("text", pa.string()), ("metadata", meta)]
    )


def write_parquet(rows: list[dict[str, Any]], out: Path) -> None:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise RuntimeError(f"Parquet export needs the 'export' extra (pyarrow): {exc}") from exc
    typed = [
        {**row, "metadata": {k: row["metadata"].get(k) for k in PARQUET_METADATA_FIELDS}}
        for row in rows
    ]
    pq.write_table(pa.Table.from_pylist(typed, schema=parquet_schema()), out)


def report_dict(report: ExportReport) -> dict[str, Any]:
    return {
        "out": report.out,
        "format": report.format,
        "read": report.read,
        "exported": report.exported,
        "filtered": report.filtered,
        "duplicates_dropped": report.duplicates_dropped,
        "clusters": report.clusters,
    }


def iter_export(path: Path) -> Iterator[dict[str, Any]]:
    """Read a JSON Lines export back (tests and quick looks)."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)
