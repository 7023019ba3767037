"""JSON Lines of pages: one JSON object a line, with a URL and an HTML or plaintext body.

The keys are configurable (`JsonlFields`): scrapers name them `url`/`link`, `html`/
`content`, `text`/`body`. A line's body is its HTML field when that is a string, else
its text field. A line that is not JSON, not an object, or has neither body field is a
damaged record (quarantined with that reason), never skipped unseen; blank lines are
skipped. An uncompressed file is read by byte offset; `.jsonl.gz` is one gzip stream,
read in order like a whole-file gzip WARC.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import IO

from cleaner.archives.open import open_archive
from cleaner.archives.ref import RecordRef
from cleaner.archives.stats import Scanned, ScanStats
from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import RawPage
from cleaner.errors import DamagedRecordError, TooLargeError
from cleaner.metadata import content_id

#: A JSON string escapes some characters (`\"`, `\n`, `\uXXXX`), so a line may be longer
#: than the page it carries; lines up to this many times `max_bytes` are parsed.
LINE_LIMIT_FACTOR = 2

_UTF8_HEADERS = {"Content-Type": "text/plain; charset=utf-8"}


@dataclass(frozen=True, slots=True)
class JsonlFields:
    """The keys of a record's URL, HTML body, plaintext body and id."""

    url: str = "url"
    html: str = "html"
    text: str = "text"
    id: str = "id"

    @classmethod
    def parse(cls, spec: str) -> JsonlFields:
        """From `url=link,html=content` (unnamed keys keep their defaults).

        >>> JsonlFields.parse("url=link, text=body")
        JsonlFields(url='link', html='html', text='body', id='id')
        """
        values: dict[str, str] = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            name, sep, key = part.partition("=")
            if not sep or name.strip() not in cls.__dataclass_fields__ or not key.strip():
                raise ValueError(f"{part!r}: expected one of url=, html=, text=, id= and a key")
            values[name.strip()] = key.strip()
        return cls(**values)

    def as_tuple(self) -> tuple[str, ...]:
        return (self.url, self.html, self.text, self.id)


#: The keys most scrapers use.
DEFAULT_FIELDS = JsonlFields()


def scan_jsonl(
    location: str,
    fields: JsonlFields = DEFAULT_FIELDS,
    config: Config = DEFAULT_CONFIG,
    stats: ScanStats | None = None,
) -> Iterator[Scanned]:
    """Every non-blank line of the file as a page, or as a damaged reference."""
    stats = stats if stats is not None else ScanStats()
    limit = config.max_bytes * LINE_LIMIT_FACTOR
    seekable = not location.endswith(".gz")
    with open_archive(location) as raw:
        stream: IO[bytes] = raw if seekable else gzip.GzipFile(fileobj=raw)  # type: ignore[assignment]
        offset = index = 0
        try:
            while True:
                line, size = _read_line(stream, limit)
                if not size:
                    return
                if line.strip():
                    ref = RecordRef(
                        location,
                        "jsonl",
                        index,
                        offset if seekable else -1,
                        record_type="jsonl",
                        fields=fields.as_tuple(),
                    )
                    yield _scanned(ref, line, size, limit, config, stats)
                    index += 1
                offset += size
        except (OSError, EOFError) as exc:  # a cut-off or corrupt gzip stream
            ref = RecordRef(
                location, "jsonl", index, offset if seekable else -1, record_type="jsonl"
            )
            reason = f"unreadable from line {index + 1} to the end of the archive: {exc}"
            stats.damaged += 1
            yield Scanned(_named(ref, damage=reason), None)


def read_jsonl_record(ref: RecordRef, config: Config = DEFAULT_CONFIG) -> RawPage:
    """The page of a seekable reference: the line at its offset."""
    limit = config.max_bytes * LINE_LIMIT_FACTOR
    with open_archive(ref.archive) as stream:
        stream.seek(ref.offset)
        line, size = _read_line(stream, limit)
    if size > limit:
        raise TooLargeError(str(ref), f"the line is over the limit of {limit} bytes")
    return _page(ref, line)[0]


def _scanned(
    ref: RecordRef, line: bytes, size: int, limit: int, config: Config, stats: ScanStats
) -> Scanned:
    if size > limit:  # refused by size when cleaned; the id is of its name, as for files
        stats.pages += 1
        return Scanned(_named(ref), None)
    try:
        page, record_id = _page(ref, line)
    except DamagedRecordError as exc:
        stats.damaged += 1
        return Scanned(_named(ref, damage=exc.reason), None)
    stats.pages += 1
    return Scanned(replace(ref, record_id=record_id, id=content_id(page.data)), page)


def _page(ref: RecordRef, line: bytes) -> tuple[RawPage, str]:
    """(the page a line carries, the record's own id field or ""), or
    `DamagedRecordError` saying what is wrong with the line."""
    url_key, html_key, text_key, id_key = ref.fields or DEFAULT_FIELDS.as_tuple()
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise DamagedRecordError(str(ref), f"the line is not JSON ({exc})") from exc
    if not isinstance(record, dict):
        raise DamagedRecordError(
            str(ref), f"the line is a JSON {type(record).__name__}, not an object"
        )
    body = record.get(html_key)
    if not isinstance(body, str):
        body = record.get(text_key)
    if not isinstance(body, str):
        raise DamagedRecordError(
            str(ref), f"the record has no string field {html_key!r} or {text_key!r}"
        )
    url = record.get(url_key)
    page = RawPage(
        data=body.encode("utf-8", errors="replace"),
        source=str(ref),
        url=url if isinstance(url, str) and url else None,
        headers=dict(_UTF8_HEADERS),
    )
    own_id = record.get(id_key)
    return page, "" if own_id is None else str(own_id)


def _read_line(stream: IO[bytes], limit: int) -> tuple[bytes, int]:
    """(the line, its size in bytes); past `limit` the rest of the line is skipped
    unread into memory, and the size still counts it, so the next offset is right."""
    line = stream.readline(limit + 1)
    size = len(line)
    if size > limit and not line.endswith(b"\n"):
        while chunk := stream.readline(1 << 20):
            size += len(chunk)
            if chunk.endswith(b"\n"):
                break
    return line, size


def _named(ref: RecordRef, damage: str | None = None) -> RecordRef:
    """A reference whose id is of its name: damaged, or too large to hash in memory."""
    return replace(ref, damage=damage, id=content_id(str(ref).encode("utf-8")))
