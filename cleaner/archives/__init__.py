"""Pages the way crawls store them: WARC and WET archives and JSON Lines of records.

An archive is an input that stands for many pages. Listing it (`expand_archives`) turns
it into one `RecordRef` per page record, carrying the content id of the record's payload,
so that a batch skips what an earlier run did, exactly as it does for files, without
holding any body. A worker reads a reference back by seeking to its offset
(`read_record`); records inside a whole-file gzip stream are read in order by the
batch's own process (`attach_bodies`). A damaged stretch of an archive is a reference
too, and reading it raises `DamagedRecordError`, so it is quarantined with its reason.

    ref.py       RecordRef and LoadedRecord: what a batch holds and a worker receives
    warc.py      WARC/WET with FastWARC: response and conversion records, damage, resync
    jsonl.py     JSON Lines of {url, html} or {url, text}, keys configurable
    parquet.py   Parquet rows of the same (pyarrow, the `parquet` extra), read in order
    http.py      chunked and gzip/deflate payloads undone
    listing.py   which files are archives, listing, reading back, bodies for the pool
    index.py     listings remembered by file stamp, so unchanged archives are not re-read
    writer.py    writing WARC, WET and JSON Lines files (tests, benchmarks, fixtures)
"""

from cleaner.archives.index import ArchiveIndex, archive_index
from cleaner.archives.jsonl import JsonlFields
from cleaner.archives.listing import (
    archive_format,
    attach_bodies,
    expand_archives,
    list_records,
    read_record,
    record_id,
)
from cleaner.archives.ref import ArchiveInput, LoadedRecord, RecordRef, is_record_json
from cleaner.archives.stats import ScanStats

__all__ = [
    "ArchiveIndex",
    "ArchiveInput",
    "JsonlFields",
    "LoadedRecord",
    "RecordRef",
    "ScanStats",
    "archive_format",
    "archive_index",
    "attach_bodies",
    "expand_archives",
    "is_record_json",
    "list_records",
    "read_record",
    "record_id",
]
