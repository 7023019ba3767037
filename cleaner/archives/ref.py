"""A record of an archive as an input of a batch: small, picklable, JSON-able, no body.

A `RecordRef` says where a page is (archive, byte offset, ordinal) and what its id is
(the content id of its payload, computed when the archive was listed), so that a batch
can list a million records without holding one body, skip those already done, send a
reference to a worker process and let the worker read the record itself by seeking to
its offset. A record that cannot be reached by seeking (inside a whole-file gzip stream)
has `offset == -1`; the batch's own process reads those in order and hands the worker a
`LoadedRecord` that carries the body (see `cleaner.archives.listing.attach_bodies`).

A damaged stretch of an archive is a `RecordRef` too, with `damage` saying why it could
not be read: reading it raises `DamagedRecordError`, so it is quarantined like any
unreadable input, under its archive and offset.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from cleaner.document import RawPage
from cleaner.errors import CleanError

#: Archive formats: WARC (response and conversion records, so also WET), JSON Lines and
#: Parquet.
ArchiveFormat = Literal["warc", "jsonl", "parquet"]

#: The key that marks a record reference in a batch file (plain strings are file paths).
JSON_KEY = "record"


@dataclass(frozen=True, slots=True)
class RecordRef:
    """One page-bearing record of an archive, or one damaged stretch of it.

    `offset` is where the record starts in the file (the start of its gzip member when
    the archive is gzipped per record, as Common Crawl's are), or -1 when it can only be
    reached by reading from the start; `index` is its ordinal among the archive's listed
    records, which finds it then. `record_id` is the WARC-Record-ID (a JSON Lines
    record's `id` field, if any), checked when a worker re-reads the record. `id` is the
    content id of the payload ("" when it could not be read). `fields` are the JSON
    Lines keys of the URL and the body; `record_type` and `date` (WARC-Date) go to the
    document's `origin` metadata.
    """

    archive: str
    format: ArchiveFormat
    index: int
    offset: int
    record_id: str = ""
    id: str = ""
    record_type: str = ""
    date: str | None = None
    fields: tuple[str, ...] = ()
    damage: str | None = None

    def __str__(self) -> str:
        """The input's name in manifests, quarantine records and messages.

        >>> str(RecordRef("crawl.warc.gz", "warc", 3, 1200))
        'crawl.warc.gz@1200'
        >>> str(RecordRef("crawl.warc.gz", "warc", 3, -1))
        'crawl.warc.gz#3'
        """
        return (
            f"{self.archive}@{self.offset}" if self.offset >= 0 else f"{self.archive}#{self.index}"
        )

    @property
    def seekable(self) -> bool:
        return self.offset >= 0

    def origin(self) -> dict[str, Any]:
        """Where the document came from, for its metadata (`origin`)."""
        return {
            "archive": self.archive,
            "format": self.format,
            "record_type": self.record_type,
            "record_id": self.record_id or None,
            "offset": self.offset if self.offset >= 0 else None,
            "index": self.index,
            "date": self.date,
        }

    def to_json(self) -> dict[str, Any]:
        """The form a batch file holds: `{"record": {...}}`, told apart from path strings.

        >>> ref = RecordRef("a.jsonl", "jsonl", 0, 0, fields=("url", "html"))
        >>> RecordRef.from_json(ref.to_json()) == ref
        True
        """
        return {JSON_KEY: asdict(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RecordRef:
        values = dict(data[JSON_KEY])
        values["fields"] = tuple(values.get("fields") or ())
        return cls(**values)


@dataclass(slots=True)
class LoadedRecord:
    """A record that its batch's process read for the worker (it cannot be sought to):
    the reference and the page, or None and why it could not be read."""

    ref: RecordRef
    page: RawPage | None = field(default=None, repr=False)
    error: CleanError | None = None

    def __str__(self) -> str:
        return str(self.ref)


#: What a batch input may be besides a file path.
ArchiveInput = RecordRef | LoadedRecord


def is_record_json(item: Any) -> bool:
    """True for a batch-file item that is a record reference (`RecordRef.to_json`)."""
    return isinstance(item, dict) and JSON_KEY in item
