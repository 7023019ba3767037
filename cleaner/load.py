"""Bytes to text: size limits, binary refusal, format sniffing and encoding detection.

Encoding is decided in this order, each step only when the one before is silent:
a byte-order mark; strict UTF-8 (valid UTF-8 with non-ASCII bytes is almost never
anything else, which also overrides a wrong declared charset); the charset declared by
the HTTP header or a `<meta>` tag, if the bytes decode under it; charset-normalizer.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import Format, RawPage
from cleaner.errors import (
    BinaryInputError,
    EmptyInputError,
    TooLargeError,
    UnreadableInputError,
)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: Leading bytes of formats people drop into a scrape folder by mistake.
_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "gzip-compressed data",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"RIFF": "a RIFF (WebP/WAV/AVI) file",
    b"\x7fELF": "an executable",
    b"BZh": "bzip2-compressed data",
    b"\xfd7zXZ": "xz-compressed data",
}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_:.\-]+)", re.I)
#: Tags that only a whole HTML document has; anywhere near the start they decide.
_DOCUMENT_MARKERS = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.I)
#: Tags that also appear in prose about HTML; they count only when the text opens with "<".
_HTML_MARKERS = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>|<div[\s>]|<p[\s>]|<article[\s>]",
    re.I,
)

#: How much of the start of a page the sniffers look at.
_SNIFF_BYTES = 4096


def as_path(path: Any) -> Any:
    """A `Path` for strings; path objects (Path, Airflow's ObjectStoragePath) as they are."""
    return Path(path) if isinstance(path, str) else path


def read_path(path: Any, config: Config = DEFAULT_CONFIG) -> RawPage:
    """Read a raw page file (a local path or an ObjectStoragePath), refusing what is not
    a readable regular file."""
    p = as_path(path)
    source = str(p)
    if not p.exists():
        raise UnreadableInputError(source, "no such file")
    if p.is_dir():
        raise UnreadableInputError(source, "is a folder, not a file")
    try:
        size = p.stat().st_size
        if size > config.max_bytes:
            raise TooLargeError(source, f"{size} bytes is over the limit of {config.max_bytes}")
        data = p.read_bytes()
    except PermissionError as exc:
        raise UnreadableInputError(source, "permission denied") from exc
    except OSError as exc:
        raise UnreadableInputError(source, exc.strerror or str(exc)) from exc
    return RawPage(data=data, source=source)


def check_bytes(page: RawPage, config: Config = DEFAULT_CONFIG) -> None:
    """Refuse empty, oversized and binary inputs before any parser sees them."""
    if len(page.data) > config.max_bytes:
        raise TooLargeError(
            page.source, f"{len(page.data)} bytes is over the limit of {config.max_bytes}"
        )
    if not page.data.strip():
        raise EmptyInputError(page.source, "the input is empty or only whitespace")
    for magic, what in _MAGIC.items():
        if page.data.startswith(magic):
            raise BinaryInputError(page.source, f"the input is {what}, not a web page")


def decode(page: RawPage) -> tuple[str, str]:
    """Return (text, encoding name). Never raises on undecodable bytes: the last resort
    replaces them, so that one bad byte does not cost a whole page."""
    data = page.data
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strip_nuls(data.decode(codec, errors="replace")), codec.replace("-sig", "")
    if b"\x00" in data[:_SNIFF_BYTES] and _looks_binary(data):
        raise BinaryInputError(page.source, "the input holds NUL bytes and does not decode as text")
    try:
        text = data.decode("utf-8")
        return _strip_nuls(text), "utf-8"
    except UnicodeDecodeError:
        pass
    for declared in _declared_charsets(page):
        try:
            return _strip_nuls(data.decode(declared)), codecs.lookup(declared).name
        except (LookupError, UnicodeDecodeError):
            continue
    return _detect(page)


def sniff_format(text: str) -> Format:
    """HTML when the start of the text carries real HTML tags; plaintext otherwise.

    >>> sniff_format("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    'html'
    >>> sniff_format("Use <b> for bold, she wrote.")
    'text'
    >>> sniff_format("A tutorial: put text inside a <p> element.")
    'text'
    """
    head = text[:_SNIFF_BYTES]
    if _DOCUMENT_MARKERS.search(head):
        return "html"
    return "html" if head.lstrip().startswith("<") and _HTML_MARKERS.search(head) else "text"


def _declared_charsets(page: RawPage) -> list[str]:
    found: list[str] = []
    content_type = next((v for k, v in page.headers.items() if k.lower() == "content-type"), "")
    if m := _HEADER_CHARSET.search(content_type):
        found.append(m.group(1))
    if m2 := _META_CHARSET.search(page.data[: _SNIFF_BYTES * 4]):
        found.append(m2.group(1).decode("ascii", "replace"))
    # Browsers read "iso-8859-1" and "latin-1" as windows-1252; so do we.
    return ["cp1252" if c.lower() in {"iso-8859-1", "latin-1", "latin1"} else c for c in found]


def _detect(page: RawPage) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(page.data[:1_000_000]).best()
    if best is None:
        raise BinaryInputError(page.source, "the bytes match no known text encoding")
    encoding = best.encoding
    if encoding in _WESTERN_LOOKALIKES and _decodes(page.data, "cp1252"):
        # Single-byte Latin code pages are hard to tell apart by statistics; on the web
        # windows-1252 is far the most common, and the detector's cp1250 guess turns
        # French "très" into "trčs".
        encoding = "cp1252"
    return _strip_nuls(page.data.decode(encoding, errors="replace")), encoding


#: Detector answers that are usually windows-1252 text misread.
_WESTERN_LOOKALIKES = frozenset(
    {
        "cp1250",
        "iso8859_2",
        "cp1257",
        "iso8859_13",
        "iso8859_15",
        "latin_1",
        "iso8859_9",
        "cp1254",
        "mac_roman",
        "mac_latin2",
        "cp850",
        "cp437",
    }
)


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


#: Text with a stray NUL byte or two is still text (the NULs are dropped); binary formats
#: are full of them.
MAX_TEXT_NUL_SHARE = 0.01


def _looks_binary(data: bytes) -> bool:
    """Many NULs in the first block and no UTF-16 shape: a binary file."""
    head = data[:_SNIFF_BYTES]
    nuls = head.count(b"\x00")
    if nuls <= max(2, MAX_TEXT_NUL_SHARE * len(head)):
        return False
    even, odd = head[0::2].count(b"\x00"), head[1::2].count(b"\x00")
    utf16_shaped = max(even, odd) > 0.9 * nuls and nuls > len(head) * 0.3
    return not utf16_shaped


def _strip_nuls(text: str) -> str:
    return text.replace("\x00", "")
