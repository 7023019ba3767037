"""Writing small WARC, WET and JSON Lines files: test fixtures, benchmark inputs, and a
folder of pages turned into one archive. Written by hand (the format is a header block and
a payload), so that the files the tests read do not come from the library that reads them.

Records get deterministic ids (a UUID of the URL and position), so the same pages always
make the same bytes.
"""

from __future__ import annotations

import gzip
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

#: How records are compressed: one gzip member each (the standard's advice, Common
#: Crawl's layout), one gzip stream over the file, or not at all.
Compression = Literal["record", "file", "none"]

WARC_DATE = "2024-05-01T12:00:00Z"


@dataclass(frozen=True, slots=True)
class PageRecord:
    """A page to store: its URL, its bytes, and the HTTP Content-Type it was served with
    (WARC responses only; WET records are UTF-8 plaintext)."""

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200


def response_block(page: PageRecord) -> bytes:
    """The HTTP response a `response` record holds."""
    reason = "OK" if page.status == 200 else "Status"
    head = (
        f"HTTP/1.1 {page.status} {reason}\r\nContent-Type: {page.content_type}\r\n"
        f"Content-Length: {len(page.body)}\r\n\r\n"
    )
    return head.encode("latin-1") + page.body


def warc_record(
    record_type: str, url: str | None, block: bytes, content_type: str, n: int
) -> bytes:
    """One WARC/1.0 record: header block, payload, and the two CRLFs that end it."""
    record_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{n}:{record_type}:{url}")
    lines = [
        "WARC/1.0",
        f"WARC-Type: {record_type}",
        f"WARC-Record-ID: <urn:uuid:{record_id}>",
        f"WARC-Date: {WARC_DATE}",
        *([f"WARC-Target-URI: {url}"] if url else []),
        f"Content-Type: {content_type}",
        f"Content-Length: {len(block)}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"


def warc_records(pages: Iterable[PageRecord], wet: bool = False) -> Iterable[bytes]:
    """A warcinfo record, then for each page a response record (WARC) followed by its
    request, as crawlers write them, or a conversion record (WET)."""
    yield warc_record(
        "warcinfo", None, b"software: cleaner tests\r\n", "application/warc-fields", 0
    )
    for n, page in enumerate(pages, start=1):
        if wet:
            yield warc_record("conversion", page.url, page.body, "text/plain", n)
            continue
        yield warc_record(
            "response", page.url, response_block(page), "application/http; msgtype=response", n
        )
        request = f"GET / HTTP/1.1\r\nHost: {page.url.split('/')[2]}\r\n\r\n".encode()
        yield warc_record("request", page.url, request, "application/http; msgtype=request", n)


def write_warc(
    path: Path, pages: Iterable[PageRecord], compression: Compression = "record", wet: bool = False
) -> Path:
    """Write pages as a WARC (or, with `wet`, a WET) file; returns `path`."""
    with path.open("wb") as out:
        _write_records(out, warc_records(pages, wet), compression)
    return path


def _write_records(out: BinaryIO, records: Iterable[bytes], compression: Compression) -> None:
    if compression == "file":
        with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as stream:
            for record in records:
                stream.write(record)
        return
    for record in records:
        out.write(
            gzip.compress(record, compresslevel=6, mtime=0) if compression == "record" else record
        )


def write_jsonl(path: Path, rows: Iterable[dict[str, object]]) -> Path:
    """Write one JSON object a line (gzip when the name ends in `.gz`); returns `path`."""
    data = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")
    path.write_bytes(gzip.compress(data, mtime=0) if path.name.endswith(".gz") else data)
    return path
