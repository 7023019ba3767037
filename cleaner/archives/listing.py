"""Archives as batch inputs: a file name tells an archive; listing one yields a reference
per record (ids computed on the way, bodies dropped); a reference is read back by seeking,
or, inside a whole-file gzip stream, by the batch's own process reading in order."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleaner.archives.jsonl import DEFAULT_FIELDS, JsonlFields, read_jsonl_record, scan_jsonl
from cleaner.archives.parquet import scan_parquet
from cleaner.archives.ref import ArchiveFormat, ArchiveInput, LoadedRecord, RecordRef
from cleaner.archives.stats import Scanned, ScanStats
from cleaner.archives.warc import read_warc_record, scan_warc
from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import RawPage
from cleaner.errors import CleanError, DamagedRecordError, TooLargeError
from cleaner.metadata import content_id
from cleaner.storage import as_location

if TYPE_CHECKING:
    from cleaner.archives.index import ArchiveIndex

log = logging.getLogger(__name__)

#: File name endings of archives, and their format. WET files are WARC files whose
#: records are `conversion` records; both kinds of record are read from either.
ARCHIVE_SUFFIXES: dict[str, ArchiveFormat] = {
    ".warc": "warc",
    ".warc.gz": "warc",
    ".wet": "warc",
    ".wet.gz": "warc",
    ".jsonl": "jsonl",
    ".jsonl.gz": "jsonl",
    ".ndjson": "jsonl",
    ".ndjson.gz": "jsonl",
    ".parquet": "parquet",
}


#: How a reference's damage begins when the archive could not be read at all or part way
#: (an I/O error, not damage inside the archive): such a listing is not remembered.
READ_ERROR = "the archive cannot be read"


def archive_format(path: Any) -> ArchiveFormat | None:
    """The archive format a file name says, or None for a page file.

    >>> archive_format("CC-MAIN-2024-10-00000.warc.gz"), archive_format("a.wet.gz")
    ('warc', 'warc')
    >>> archive_format("pages.jsonl"), archive_format("page.html")
    ('jsonl', None)
    """
    name = str(getattr(path, "name", path)).lower()
    return next((fmt for suffix, fmt in ARCHIVE_SUFFIXES.items() if name.endswith(suffix)), None)


def location_of(path: Any) -> str:
    """The string that names an archive in references: a local path, or a storage URL."""
    return as_location(path) if hasattr(path, "protocol") else str(path)


def scan_archive(
    location: str,
    fmt: ArchiveFormat,
    fields: JsonlFields = DEFAULT_FIELDS,
    config: Config = DEFAULT_CONFIG,
    stats: ScanStats | None = None,
    start: int = 0,
) -> Iterator[Scanned]:
    """The archive's records, in order, each with its page while it is the current one
    (from the record of ordinal `start` on, where the format can skip there cheaply:
    Parquet, by row group; the others read from the start)."""
    if fmt == "jsonl":
        return scan_jsonl(location, fields, config, stats)
    if fmt == "parquet":
        return scan_parquet(location, fields, config, stats, start)
    return scan_warc(location, config, stats)


def list_records(
    path: Any,
    fields: JsonlFields = DEFAULT_FIELDS,
    config: Config = DEFAULT_CONFIG,
    stats: ScanStats | None = None,
) -> Iterator[RecordRef]:
    """References to the archive's records, bodies dropped as it goes (memory stays flat
    however large the archive). An archive that cannot be opened at all is one damaged
    reference naming it, so that it is quarantined like an unreadable file."""
    fmt = archive_format(path)
    if fmt is None:
        raise ValueError(f"{path}: not an archive (known endings: {', '.join(ARCHIVE_SUFFIXES)})")
    location = location_of(path)
    listed = 0
    try:
        for item in scan_archive(location, fmt, fields, config, stats):
            yield item.ref
            listed += 1
    except OSError as exc:  # missing, not permitted, or a read error part way
        where = f"after {listed} records" if listed else "at all"
        reason = f"{READ_ERROR} {where}: {exc.strerror or exc}"
        ref = RecordRef(location, fmt, listed, -1, damage=reason)
        if stats is not None:
            stats.damaged += 1
        yield replace(ref, id=content_id(str(ref).encode("utf-8")))


def expand_archives(
    paths: Iterable[Any],
    fields: JsonlFields = DEFAULT_FIELDS,
    config: Config = DEFAULT_CONFIG,
    stats: ScanStats | None = None,
    index: ArchiveIndex | None = None,
) -> Iterator[Any]:
    """The inputs with each archive replaced by references to its records, lazily; page
    files and references pass through. With an `index` (`archive_index(warehouse)`), a
    local archive whose stamp has not changed since it was last listed is not read."""
    for path in paths:
        if isinstance(path, RecordRef | LoadedRecord) or archive_format(path) is None:
            yield path
        elif index is not None and isinstance(path, Path):
            yield from index.records(path, fields, config, stats)
        else:
            yield from list_records(path, fields, config, stats)


def read_record(item: ArchiveInput, config: Config = DEFAULT_CONFIG) -> RawPage:
    """The page of a record input; any problem raises a `CleanError` naming the archive
    and offset. The bytes must be those the listing hashed: an archive rewritten since
    would otherwise put another page under the listed id."""
    if isinstance(item, LoadedRecord):
        if item.page is None:
            raise item.error or DamagedRecordError(str(item), "the record could not be read")
        return item.page
    ref = item
    if ref.damage is not None:
        raise DamagedRecordError(str(ref), ref.damage)
    try:
        if not ref.seekable:
            page = _read_in_order(ref, config)
        elif ref.format == "jsonl":
            page = read_jsonl_record(ref, config)
        else:
            page = read_warc_record(ref, config)
    except OSError as exc:
        raise DamagedRecordError(str(ref), f"{READ_ERROR}: {exc}") from exc
    if ref.id and content_id(page.data) != ref.id:
        raise DamagedRecordError(
            str(ref), "the record's bytes changed since the archive was listed"
        )
    return page


def record_id(item: ArchiveInput) -> str:
    """The input id of a record: the one its listing computed from the payload."""
    ref = item.ref if isinstance(item, LoadedRecord) else item
    return ref.id or content_id(str(ref).encode("utf-8"))


def attach_bodies(inputs: Iterable[Any], config: Config = DEFAULT_CONFIG) -> Iterator[Any]:
    """The inputs, with every reference that cannot be sought to (inside a whole-file gzip
    stream, or a Parquet row) replaced by a `LoadedRecord` read here, in one pass
    over its archive per run of such references. Lazy: the pool pulls a few inputs ahead,
    so only those bodies are held. Other inputs pass through untouched."""
    reader: _InOrder | None = None
    for item in inputs:
        if not isinstance(item, RecordRef) or item.seekable or item.damage is not None:
            yield item
            continue
        if reader is None or not reader.can_reach(item):
            reader = _InOrder(item, config)
        yield reader.load(item)


class _InOrder:
    """One forward pass over an archive, handing out the records asked for in order."""

    def __init__(self, first: RecordRef, config: Config) -> None:
        self.archive, self.config = first.archive, config
        fields = JsonlFields(*first.fields) if first.fields else DEFAULT_FIELDS
        self.records = scan_archive(first.archive, first.format, fields, config, start=first.index)
        self.index = -1

    def can_reach(self, ref: RecordRef) -> bool:
        return ref.archive == self.archive and ref.index > self.index

    def load(self, ref: RecordRef) -> LoadedRecord:
        try:
            for scanned in self.records:
                self.index = scanned.ref.index
                if self.index == ref.index:
                    return _loaded(ref, scanned, self.config)
                if self.index > ref.index:
                    break
        except OSError as exc:
            return LoadedRecord(ref, None, DamagedRecordError(str(ref), f"{READ_ERROR}: {exc}"))
        return LoadedRecord(
            ref, None, DamagedRecordError(str(ref), "the record is no longer in the archive")
        )


def _loaded(ref: RecordRef, scanned: Scanned, config: Config) -> LoadedRecord:
    if scanned.page is None:
        reason = scanned.ref.damage
        error: CleanError = (
            DamagedRecordError(str(ref), reason)
            if reason is not None
            else TooLargeError(
                str(ref), f"the record is over the limit of {config.max_bytes} bytes"
            )
        )
        return LoadedRecord(ref, None, error)
    if scanned.ref.id != ref.id:
        return LoadedRecord(
            ref,
            None,
            DamagedRecordError(str(ref), "the record's bytes changed since the archive was listed"),
        )
    return LoadedRecord(ref, scanned.page)


def _read_in_order(ref: RecordRef, config: Config) -> RawPage:
    """A record inside a whole-file gzip stream, read alone: decompress from the start.
    Batches avoid this (`attach_bodies`); it serves a reference handed over by itself."""
    return read_record(_InOrder(ref, config).load(ref), config)


def log_stats(location: str, stats: ScanStats) -> None:
    log.info("%s: %s", location, stats.summary())
