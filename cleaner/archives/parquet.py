"""Parquet files of pages: one row a page, with URL and HTML or text columns named as
for JSON Lines (`JsonlFields`). Needs pyarrow (the `parquet` extra).

A row has no byte offset to seek to: its pages are compressed by column and row group.
So a reference carries the row's ordinal (`offset == -1`), and the batch's own process
reads rows in order (`listing.attach_bodies`), starting at the row group that holds the
first row it needs, found from the file's footer without reading the rows before it.
Memory is bounded by one row group's columns, which the writer chose.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import replace

from cleaner.archives.jsonl import DEFAULT_FIELDS, JsonlFields
from cleaner.archives.open import open_archive
from cleaner.archives.ref import RecordRef
from cleaner.archives.stats import Scanned, ScanStats
from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import RawPage
from cleaner.metadata import content_id

#: Rows decoded at a time: small, since a row holds a whole page.
ROWS_PER_BATCH = 64

_UTF8_HEADERS = {"Content-Type": "text/plain; charset=utf-8"}


def scan_parquet(
    location: str,
    fields: JsonlFields = DEFAULT_FIELDS,
    config: Config = DEFAULT_CONFIG,
    stats: ScanStats | None = None,
    start: int = 0,
) -> Iterator[Scanned]:
    """Every row from ordinal `start` on, as a page or a damaged reference."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    stats = stats if stats is not None else ScanStats()
    index = start
    with ExitStack() as stack:
        try:
            table = pq.ParquetFile(stack.enter_context(open_archive(location)))
            columns = [
                c
                for c in (fields.url, fields.html, fields.text, fields.id)
                if c in table.schema_arrow.names
            ]
            if fields.html not in columns and fields.text not in columns:
                raise ValueError(f"the file has no column {fields.html!r} or {fields.text!r}")
            groups, index = _groups_from(table, start)
            for batch in table.iter_batches(ROWS_PER_BATCH, row_groups=groups, columns=columns):
                for row in batch.to_pylist():
                    if index >= start:
                        yield _scanned(location, index, row, fields, config, stats)
                    index += 1
        except (OSError, ValueError, pa.ArrowException) as exc:
            ref = RecordRef(
                location, "parquet", index, -1, record_type="parquet", fields=fields.as_tuple()
            )
            stats.damaged += 1
            reason = f"unreadable from row {index} to the end of the file: {exc}"
            yield Scanned(
                replace(ref, damage=reason, id=content_id(str(ref).encode("utf-8"))), None
            )


def _groups_from(table: object, start: int) -> tuple[list[int], int]:
    """The row groups from the one holding row `start`, and the ordinal of its first row."""
    metadata = table.metadata  # type: ignore[attr-defined]
    first = 0
    for group in range(metadata.num_row_groups):
        rows = metadata.row_group(group).num_rows
        if first + rows > start:
            return list(range(group, metadata.num_row_groups)), first
        first += rows
    return [], first


def _scanned(
    location: str,
    index: int,
    row: dict[str, object],
    fields: JsonlFields,
    config: Config,
    stats: ScanStats,
) -> Scanned:
    own_id = row.get(fields.id)
    ref = RecordRef(
        location,
        "parquet",
        index,
        -1,
        record_id="" if own_id is None else str(own_id),
        record_type="parquet",
        fields=fields.as_tuple(),
    )
    body = row.get(fields.html)
    if not isinstance(body, str | bytes):
        body = row.get(fields.text)
    if not isinstance(body, str | bytes):
        stats.damaged += 1
        reason = f"the row has no string in {fields.html!r} or {fields.text!r}"
        return Scanned(replace(ref, damage=reason, id=content_id(str(ref).encode("utf-8"))), None)
    data = body.encode("utf-8", errors="replace") if isinstance(body, str) else body
    stats.pages += 1
    if len(data) > config.max_bytes:  # refused by size when cleaned, as files are
        return Scanned(replace(ref, id=content_id(str(ref).encode("utf-8"))), None)
    url = row.get(fields.url)
    page = RawPage(
        data=data,
        source=str(ref),
        url=url if isinstance(url, str) and url else None,
        headers=dict(_UTF8_HEADERS) if isinstance(body, str) else {},
    )
    return Scanned(replace(ref, id=content_id(data)), page)
