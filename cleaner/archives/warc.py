"""WARC and WET archives, read with FastWARC one record at a time.

Pages are `response` records (the HTTP headers give the content type, the charset and the
status; WARC-Target-URI the URL) and `conversion` records (WET: plaintext with its URL).
Other records (request, metadata, warcinfo, revisit) and responses that are not pages (a
non-2xx status, an image) are counted in `ScanStats`, not cleaned.

FastWARC was chosen over warcio by speed: on a 91 MB per-record-gzip WARC of 3,000 corpus
pages it read 1,100-1,400 records/s (170-210 MB/s of payload) against warcio's 500-600,
on a shared 2-core machine (see README, "Inputs: WARC, WET, JSON Lines").

Three layouts: uncompressed, gzip per record (the WARC standard's recommendation and
Common Crawl's), and one gzip stream over the whole file (`gzip crawl.warc`). In the first
two a record's start is a byte offset that a worker seeks to; in the third a record can
only be reached by decompressing from the start, so its references carry `offset == -1`
and the batch's own process reads them in order (`listing.attach_bodies`).

Damage does not stop the scan: a record cut off by the end of the file, a header that does
not parse or a gzip member that does not decompress becomes a damaged reference (reading
it raises `DamagedRecordError`), and the scan resumes at the next place where a record
starts (a gzip member header, or a `WARC/1.` line).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from cleaner.archives.http import EncodingError, decode_payload, split_response
from cleaner.archives.open import open_archive
from cleaner.archives.ref import RecordRef
from cleaner.archives.stats import Scanned, ScanStats
from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import RawPage
from cleaner.errors import CleanError, DamagedRecordError, TooLargeError
from cleaner.metadata import content_id

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/1."

#: HTTP content types that are pages; a response without one is tried as a page too.
PAGE_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain"})

#: WET conversion records are UTF-8 plaintext by definition.
WET_HEADERS = {"Content-Type": "text/plain; charset=utf-8"}

#: How far into a gzipped archive to look for the end of its first gzip member, to tell
#: per-record gzip (one member per record, so the first ends early) from one gzip stream
#: over the whole file. A single record's member is seldom over a few MB compressed.
FIRST_MEMBER_PROBE_BYTES = 32 << 20

#: Room for a response's HTTP headers on top of `max_bytes` when reading a record's block.
HTTP_HEADER_ROOM = 64 << 10

#: Bytes read at a time when searching for the next record after damage.
RESYNC_CHUNK = 1 << 20


@dataclass(slots=True)
class _Cursor:
    """Where the scan is: the ordinal of the next listed record, the start of the last
    good record, and whether offsets can be sought to."""

    index: int = 0
    last_pos: int = -1
    seekable: bool = True
    gzipped: bool = False


def scan_warc(
    location: str, config: Config = DEFAULT_CONFIG, stats: ScanStats | None = None
) -> Iterator[Scanned]:
    """Every page record of the archive, in order, with its body; damaged stretches as
    references with `damage` set. One record's body is held at a time."""
    stats = stats if stats is not None else ScanStats()
    with ExitStack() as stack:
        stream = stack.enter_context(open_archive(location))
        probe = stack.enter_context(open_archive(location))
        cursor = _Cursor(gzipped=stream.read(3) == GZIP_MAGIC)
        cursor.seekable = not cursor.gzipped or _gzip_per_record(probe)
        stream.seek(0)
        if cursor.seekable:
            yield from _scan_resyncing(stream, probe, location, cursor, config, stats)
        else:
            yield from _scan_stream(stream, location, cursor, config, stats)


def _scan_stream(
    stream: BinaryIO, location: str, cursor: _Cursor, config: Config, stats: ScanStats
) -> Iterator[Scanned]:
    """One gzip stream over the whole file, decompressed by `InflatingReader`, which
    (unlike a lenient reader) tells when the stream is cut off. Nothing after damage can
    be found again: a deflate stream has no resynchronisation points."""
    inflated = InflatingReader(stream)
    problem = ""
    try:
        for record in _iterate(inflated):
            if (item := _scan_record(record, location, cursor, None, config, stats)) is not None:
                yield item
    except OSError as exc:
        problem = str(exc)
    problem = inflated.problem or problem
    if problem:
        ref = RecordRef(location, "warc", cursor.index, -1)
        yield _named_damage(
            ref, f"unreadable from here to the end of the archive: {problem}", cursor, stats
        )


def _scan_resyncing(
    stream: BinaryIO,
    probe: BinaryIO,
    location: str,
    cursor: _Cursor,
    config: Config,
    stats: ScanStats,
) -> Iterator[Scanned]:
    """An uncompressed or per-record gzip file: after damage, go on at the next place a
    record can start, and report the stretch in between as one damaged reference."""
    start: int | None = 0
    damage_from: int | None = None
    damage_reason = ""
    while start is not None:
        stream.seek(start)
        read_any = False
        try:
            for record in _iterate(stream):
                item = _scan_record(record, location, cursor, probe, config, stats)
                read_any = True
                if damage_from is not None:  # a good record ends the damaged stretch
                    yield _damage(
                        location, cursor, damage_from, record.stream_pos, damage_reason, stats
                    )
                    damage_from = None
                cursor.last_pos = record.stream_pos
                if item is not None:
                    yield item
            start = None
        except OSError as exc:  # FastWARC: a broken header or gzip member
            assert start is not None  # the loop runs only while there is a place to start
            after = cursor.last_pos + 1 if read_any or damage_from is None else start + 1
            if damage_from is None:
                found = _next_start(probe, max(after, 0), cursor.gzipped)
                damage_from = max(after, 0) if found is None else found
                damage_reason = str(exc)
            start = _next_start(probe, max(after, damage_from + 1), cursor.gzipped)
    if damage_from is not None:
        yield _damage(location, cursor, damage_from, None, damage_reason, stats)


class InflatingReader:
    """A file-like object giving the decompressed bytes of a gzip file (of one member or
    several), which ends quietly where the data ends or breaks and records why in
    `problem`, so that the records before the damage are still read. (Python's
    `gzip.GzipFile` raises instead, losing the data decompressed before the damage.)"""

    def __init__(self, raw: BinaryIO, chunk: int = 1 << 16) -> None:
        self.raw, self.chunk = raw, chunk
        self.inflater = zlib.decompressobj(31)
        self.pending = b""
        self.problem = ""
        self.done = False
        self.position = 0  # decompressed bytes handed out

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        """Only where it already is: a deflate stream cannot be sought in."""
        if (offset, whence) not in {(self.position, 0), (0, 1)}:
            raise OSError("a whole-file gzip stream cannot be sought in")
        return self.position

    def read(self, size: int = -1) -> bytes:
        want = size if size is not None and size >= 0 else 1 << 62
        while len(self.pending) < want and not self.done:
            self._fill()
        out, self.pending = self.pending[:want], self.pending[want:]
        self.position += len(out)
        return out

    def _fill(self) -> None:
        if self.inflater.eof:  # a member ended: another may follow
            rest = self.inflater.unused_data
            self.inflater = zlib.decompressobj(31)
            if not rest and not (rest := self.raw.read(self.chunk)):
                self.done = True
                return
            data = rest
        else:
            data = self.inflater.unconsumed_tail or self.raw.read(self.chunk)
            if not data:
                self.done = True
                self.problem = "the gzip stream is cut off (the file ends inside it)"
                return
        try:
            self.pending += self.inflater.decompress(data, self.chunk * 16)
        except zlib.error as exc:
            self.done = True
            self.problem = f"gzip data error ({exc})"

    def close(self) -> None:
        self.raw.close()


def _iterate(stream: Any) -> Iterator[Any]:
    """FastWARC's records, HTTP left unparsed: the reader gets the whole block, whose
    length against Content-Length tells a cut-off record (see `_page_of`)."""
    from fastwarc import ArchiveIterator

    return iter(ArchiveIterator(stream, parse_http=False, auto_decode="none"))


def read_warc_record(ref: RecordRef, config: Config = DEFAULT_CONFIG) -> RawPage:
    """The page of a seekable reference: seek to its offset and read that one record,
    checking that it is the record the listing saw (the archive may have changed)."""
    with open_archive(ref.archive) as stream:
        stream.seek(ref.offset)
        try:
            record = next(_iterate(stream), None)
        except OSError as exc:
            raise DamagedRecordError(
                str(ref), f"no readable record at this offset ({exc})"
            ) from exc
        if record is None or (record.record_id or "") != ref.record_id:
            raise DamagedRecordError(
                str(ref),
                f"the record at this offset is not {ref.record_id} (the archive changed since it was listed?)",
            )
        block, problem = _read_block(record, str(ref), config)
        if problem is not None:
            raise problem
        page = _page_of(record, block, str(ref), config)
    if isinstance(page, CleanError):
        raise page
    return page


# -- one record ---------------------------------------------------------------------------


def _scan_record(
    record: Any,
    location: str,
    cursor: _Cursor,
    probe: BinaryIO | None,
    config: Config,
    stats: ScanStats,
) -> Scanned | None:
    """The scanned item for one record: a page, a damaged reference, or None for a record
    that is not a page (counted in `stats`)."""
    from fastwarc import WarcRecordType

    if record.record_id is None or record.headers.get("Content-Length") is None:
        # FastWARC yields what it found of a header that the file ends inside, or garbage
        pos = record.stream_pos if cursor.seekable and probe is not None else -1
        ref = RecordRef(location, "warc", cursor.index, pos, record.record_id or "")
        return _named_damage(ref, "the record's WARC header is cut off or corrupt", cursor, stats)
    offset = _offset(record.stream_pos, cursor, probe)
    ref = RecordRef(
        archive=location,
        format="warc",
        index=cursor.index,
        offset=offset,
        record_id=record.record_id,
        record_type=str(record.record_type),
        date=record.headers.get("WARC-Date"),
    )
    if record.record_type not in (WarcRecordType.response, WarcRecordType.conversion):
        done = record.consume()
        if done < _declared_length(record):
            return _named_damage(ref, _cut_off(done, record), cursor, stats)
        stats.skip(str(record.record_type))
        return None
    block, problem = _read_block(record, str(ref), config)
    if isinstance(problem, DamagedRecordError):
        return _named_damage(ref, problem.reason, cursor, stats)
    if (skip := _not_a_page(record, block)) is not None:
        stats.skip(skip)
        return None
    page = problem or _page_of(record, block, str(ref), config)
    if isinstance(page, TooLargeError):  # listed; refused by size when cleaned, as files are
        stats.pages += 1
        cursor.index += 1
        return Scanned(replace(ref, id=_name_id(ref)), None)
    if isinstance(page, CleanError):
        return _named_damage(ref, page.reason, cursor, stats)
    stats.pages += 1
    cursor.index += 1
    return Scanned(replace(ref, id=content_id(page.data)), page)


def _read_block(record: Any, source: str, config: Config) -> tuple[bytes, CleanError | None]:
    """(the record's block, None), or (what was read of it, why it cannot be cleaned):
    over `max_bytes` plus room for HTTP headers (the start is enough to tell its content
    type), or shorter than its Content-Length (the archive ends inside it)."""
    limit = config.max_bytes + HTTP_HEADER_ROOM
    block = record.reader.read(limit + 1)
    got = len(block)
    if got > limit:
        got += record.consume()
    if got < _declared_length(record):
        return block, DamagedRecordError(source, _cut_off(got, record))
    if len(block) > limit:
        return block, TooLargeError(
            source, f"the record is over the limit of {config.max_bytes} bytes"
        )
    return block, None


def _not_a_page(record: Any, block: bytes) -> str | None:
    """Why a response is not a page (its status or content type), or None."""
    from fastwarc import WarcRecordType

    if record.record_type == WarcRecordType.conversion:
        return None
    status, headers, _ = split_response(block)
    if status is None:
        return "response without HTTP headers"
    if not 200 <= status < 300:
        return f"status {status}"
    content_type = _header(headers, "content-type").split(";")[0].strip().lower()
    return None if not content_type or content_type in PAGE_CONTENT_TYPES else content_type


def _page_of(record: Any, block: bytes, source: str, config: Config) -> RawPage | CleanError:
    """The page a complete record's block holds, or the error that says why not."""
    from fastwarc import WarcRecordType

    url = record.headers.get("WARC-Target-URI")
    if record.record_type == WarcRecordType.conversion:
        if len(block) > config.max_bytes:
            return TooLargeError(
                source, f"the record is over the limit of {config.max_bytes} bytes"
            )
        return RawPage(data=block, source=source, url=url, headers=dict(WET_HEADERS))
    _, headers, payload = split_response(block)
    try:
        data = decode_payload(payload, headers, config.max_bytes)
    except EncodingError as exc:
        return DamagedRecordError(source, f"the HTTP payload does not decode: {exc}")
    if len(data) > config.max_bytes:
        return TooLargeError(source, f"the page is over the limit of {config.max_bytes} bytes")
    return RawPage(data=data, source=source, url=url, headers=headers)


def _declared_length(record: Any) -> int:
    """The block length the record's header declares. (FastWARC's `content_length`
    shrinks to what is there when the file ends inside the record, so it cannot tell.)"""
    try:
        return int(record.headers.get("Content-Length") or 0)
    except ValueError:
        return 0


def _header(headers: dict[str, str], name: str) -> str:
    return next((v for k, v in headers.items() if k.lower() == name), "")


def _cut_off(got: int, record: Any) -> str:
    return f"the record is cut off: {got} of its {_declared_length(record)} payload bytes are in the archive"


def _name_id(ref: RecordRef) -> str:
    """The id of a reference that has no payload to hash: of its name, as for files."""
    return content_id(str(ref).encode("utf-8"))


def _named_damage(ref: RecordRef, reason: str, cursor: _Cursor, stats: ScanStats) -> Scanned:
    cursor.index += 1
    stats.damaged += 1
    return Scanned(replace(ref, damage=reason, id=_name_id(ref)), None)


def _damage(
    location: str, cursor: _Cursor, start: int, end: int | None, reason: str, stats: ScanStats
) -> Scanned:
    """A damaged stretch between readable records (`end` None: to the end of the file)."""
    until = f"to offset {end}" if end is not None else "to the end of the archive"
    ref = RecordRef(location, "warc", cursor.index, start)
    return _named_damage(ref, f"unreadable from offset {start} {until}: {reason}", cursor, stats)


# -- offsets ------------------------------------------------------------------------------


def _offset(pos: int, cursor: _Cursor, probe: BinaryIO | None) -> int:
    """The record's offset when a worker can seek to it, else -1. In a per-record gzip
    file FastWARC's position is the member's start; check that a member starts there."""
    if not cursor.seekable or probe is None or pos <= cursor.last_pos:
        return -1
    if cursor.gzipped:
        probe.seek(pos)
        if probe.read(3) != GZIP_MAGIC:
            return -1
    return pos


def _gzip_per_record(probe: BinaryIO) -> bool:
    """True when the first gzip member ends before the file does, as in per-record gzip;
    False for one stream over the whole file (or a first member too long to tell)."""
    probe.seek(0)
    inflater = zlib.decompressobj(31)
    seen = 0
    try:
        while seen < FIRST_MEMBER_PROBE_BYTES:
            chunk = probe.read(1 << 16)
            if not chunk:
                return False
            seen += len(chunk)
            inflater.decompress(chunk, 1 << 20)
            while inflater.unconsumed_tail:  # keep memory flat on a highly compressed member
                inflater.decompress(inflater.unconsumed_tail, 1 << 20)
            if inflater.eof:
                return bool(inflater.unused_data) or bool(probe.read(1))
    except zlib.error:
        return True  # damaged at once: the scan reports it; offsets are checked one by one
    return False


def _next_start(probe: BinaryIO, after: int, gzipped: bool) -> int | None:
    """The first position at or after `after` where a record may start: a gzip member
    header, or `WARC/1.` at the start of a line. None at the end of the file."""
    magic = GZIP_MAGIC if gzipped else WARC_MAGIC
    pos = after
    while True:
        probe.seek(pos)
        chunk = probe.read(RESYNC_CHUNK + len(magic))
        if len(chunk) < len(magic):
            return None
        found = chunk.find(magic)
        while (
            found >= 0
            and not gzipped
            and pos + found > 0
            and not _line_start(chunk, found, probe, pos)
        ):
            found = chunk.find(magic, found + 1)
        if found >= 0:
            return pos + found
        pos += RESYNC_CHUNK


def _line_start(chunk: bytes, found: int, probe: BinaryIO, pos: int) -> bool:
    if found > 0:
        return chunk[found - 1 : found] == b"\n"
    probe.seek(pos - 1)
    return probe.read(1) == b"\n"
