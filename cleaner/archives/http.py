"""Undoing HTTP's transfer and content encodings on a payload stored as it came over the
wire (wget and browser-based crawlers keep it so; Common Crawl removes them first).

The archive reader reads payloads raw, because only the raw length tells a complete record
from a truncated one; these functions then give back the page's own bytes, never more than
`limit` of them (a small gzip body can inflate to gigabytes).
"""

from __future__ import annotations

import zlib

#: Content encodings that the standard library can undo.
_ZLIB_WBITS = {"gzip": 31, "x-gzip": 31, "deflate": 15}


class EncodingError(ValueError):
    """The payload does not decode under the encoding its headers declare."""


def decode_payload(data: bytes, headers: dict[str, str], limit: int) -> bytes:
    """The payload without chunked transfer coding and gzip/deflate content coding.

    >>> decode_payload(b"5\\r\\nhello\\r\\n0\\r\\n\\r\\n", {"Transfer-Encoding": "chunked"}, 100)
    b'hello'
    >>> import gzip
    >>> decode_payload(gzip.compress(b"hi"), {"content-encoding": "gzip"}, 100)
    b'hi'
    """
    lower = {k.lower(): v.strip().lower() for k, v in headers.items()}
    if "chunked" in lower.get("transfer-encoding", ""):
        data = dechunk(data)
    coding = lower.get("content-encoding", "")
    if coding in {"", "identity", "none"}:
        return data
    if coding not in _ZLIB_WBITS:
        raise EncodingError(f"content encoding {coding!r} is not supported")
    return inflate(data, _ZLIB_WBITS[coding], limit)


def dechunk(data: bytes) -> bytes:
    """The body of a chunked transfer coding. A crawler that already removed the coding
    often keeps the header, so bytes that do not parse as chunks are returned as they are.

    >>> dechunk(b"3\\r\\nabc\\r\\n2;ext=1\\r\\nde\\r\\n0\\r\\n\\r\\n")
    b'abcde'
    >>> dechunk(b"<html>not chunked</html>")
    b'<html>not chunked</html>'
    """
    out: list[bytes] = []
    pos = 0
    while True:
        end = data.find(b"\r\n", pos)
        if end < 0:
            return data
        size_text = data[pos:end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return data
        if size == 0:
            return b"".join(out)
        start = end + 2
        if start + size > len(data):
            raise EncodingError("chunked body cut off")
        out.append(data[start : start + size])
        pos = start + size + 2


def inflate(data: bytes, wbits: int, limit: int) -> bytes:
    """Decompress at most `limit + 1` bytes, so that an oversized page is refused by its
    size check rather than decompressed whole."""
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        if wbits == 15:  # some servers send raw deflate without the zlib header
            return inflate(data, -15, limit)
        raise EncodingError(f"compressed body does not decompress ({exc})") from exc
    return out


def split_response(block: bytes) -> tuple[int | None, dict[str, str], bytes]:
    """(status, headers, payload) of an HTTP response as a WARC `response` record stores
    it; status None when the block does not start with a status line and headers.

    >>> split_response(b"HTTP/1.1 200 OK\\r\\nContent-Type: text/html\\r\\n\\r\\n<p>hi</p>")
    (200, {'Content-Type': 'text/html'}, b'<p>hi</p>')
    >>> split_response(b"<p>no headers</p>")
    (None, {}, b'')
    """
    end, gap = block.find(b"\r\n\r\n"), 4
    if end < 0:
        end, gap = block.find(b"\n\n"), 2
    if end < 0 or not block.startswith(b"HTTP/"):
        return None, {}, b""
    lines = block[:end].decode("latin-1").split("\n")
    parts = lines[0].split()
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        key, sep, value = line.partition(":")
        if sep and key.strip():
            headers[key.strip()] = value.strip()
    return status, headers, block[end + gap :]
