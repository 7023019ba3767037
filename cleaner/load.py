"""Bytes to text: size limits, binary refusal, format sniffing and encoding detection.

Encoding is decided in this order, each step only when the one before is silent:
a byte-order mark; UTF-16 without one (NUL bytes on one side of each pair); strict UTF-8
(valid UTF-8 with non-ASCII bytes is almost never anything else, which also overrides a
wrong declared charset), or UTF-8 with a few broken bytes; the charset declared by the
HTTP header or a `<meta>` tag, if the bytes decode under it and do not read as mojibake;
charset-normalizer.

This is the one decoder: `cleaner.training.corpus` renders training pages through it
too. It uses only charset-normalizer's public API (`from_bytes`). w3lib's
`html_to_unicode` with charset-normalizer as its fallback was measured against it on the
1,421 corpus pages: as fast, but it decodes 9 of them differently, among them pages
declaring latin-1 on UTF-8 bytes, which it turns into mojibake ("Ã©").

Nothing here reads more than `Config.max_bytes` (plus one byte, to tell "over") of a file.
"""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path
from typing import Any

from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import Format, RawPage
from cleaner.errors import (
    BinaryInputError,
    EmptyInputError,
    NotAPageError,
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
    try:
        _check_regular_file(p, source)
        size = p.stat().st_size
        if size > config.max_bytes:
            raise TooLargeError(source, f"{size} bytes is over the limit of {config.max_bytes}")
        # Read one byte past the limit, never more: a file can grow after stat().
        with p.open("rb") as stream:
            data = stream.read(config.max_bytes + 1)
    except PermissionError as exc:
        raise UnreadableInputError(source, "permission denied") from exc
    except OSError as exc:
        raise UnreadableInputError(source, exc.strerror or str(exc)) from exc
    if len(data) > config.max_bytes:
        raise TooLargeError(source, f"over the limit of {config.max_bytes} bytes")
    # Errors name the input as it was given; the document records where it really is, so
    # that its metadata still leads to the page from another working folder.
    return RawPage(data=data, source=str(p.absolute()) if isinstance(p, Path) else source)


def _check_regular_file(p: Any, source: str) -> None:
    """Missing paths and folders get their own reasons; devices, pipes and sockets are
    refused too, since their size says nothing and `/dev/zero` never ends."""
    if not p.exists():
        raise UnreadableInputError(source, "no such file")
    if p.is_dir():
        raise UnreadableInputError(source, "is a folder, not a file")
    if not p.is_file():
        raise UnreadableInputError(source, "is not a regular file (a device, pipe or socket)")


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
    if _declares_utf8(page):
        try:  # one decoding serves as both the test and the result
            return _strip_nuls(data.decode("utf-8")), "utf-8"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:_SNIFF_BYTES]:
        if (utf16 := _utf16_without_bom(data)) is not None:
            return utf16
        if _looks_binary(data):
            raise BinaryInputError(
                page.source, "the input holds NUL bytes and does not decode as text"
            )
    try:
        text = data.decode("utf-8")
        return _strip_nuls(text), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return _strip_nuls(data.decode("utf-8", errors="replace")), "utf-8"
    return _declared_or_detected(page)


def _declared_or_detected(page: RawPage) -> tuple[str, str]:
    """The declared charset unless its text reads as mojibake and the detector's reads
    better: servers and templates declare windows-1252 on cp1251 pages, and the reverse."""
    declared: list[tuple[str, str]] = []
    for charset in _declared_charsets(page):
        try:
            text, name = page.data.decode(charset), codecs.lookup(charset).name
        except (LookupError, UnicodeDecodeError):
            continue
        if _mess(text) <= MAX_DECLARED_MESS:
            return _strip_nuls(text), name
        declared.append((text, name))
    if not declared:
        return _detect(page)
    try:  # the detector must not be swayed by the very declaration in doubt
        detected = _detect(page, use_declaration=False)
    except BinaryInputError:
        detected = None
    text, name = declared[0]
    if detected is not None and _mess(detected[0]) < _mess(text):
        return detected
    return _strip_nuls(text), name


#: charset-normalizer's mess ratio (0 for clean text) of the non-ASCII lines of a page
#: decoded under its declared charset, above which the declaration is doubted. Measured on
#: the test sentences of tests/test_load.py through `_mess`: right codecs score 0.0;
#: cp1251 read as cp1252 1.0 (too messy to be a match at all), cp1252 read as cp1251
#: 0.21-0.22, French cp1252 as iso-8859-2 0.08, cp1251 as koi8-r 0.12.
MAX_DECLARED_MESS = 0.02

#: How many characters of non-ASCII lines the mess ratio reads (it is pure Python).
MESS_SAMPLE_CHARS = 20_000


def _mess(text: str) -> float:
    """How much `text` looks like mojibake, judged on the lines that hold non-ASCII.

    charset-normalizer's public API measures bytes, not text; so the sample goes back to
    UTF-8 bytes and the detector, held to UTF-8 (`cp_isolation`), reports the mess of the
    only reading it tries. A reading too messy to count as a match at all scores 1.0,
    the top of the scale.
    """
    from charset_normalizer import from_bytes

    sample: list[str] = []
    size = 0
    for line in text.splitlines():
        if not line.isascii():
            sample.append(line[:MESS_SAMPLE_CHARS])
            size += len(sample[-1])
            if size >= MESS_SAMPLE_CHARS:
                break
    if not sample:
        return 0.0
    best = from_bytes(
        "\n".join(sample).encode("utf-8"),
        cp_isolation=["utf_8"],
        threshold=1.0,
        preemptive_behaviour=False,
    ).best()
    return 1.0 if best is None else best.chaos


#: A page whose non-ASCII bytes form this many valid UTF-8 sequences per broken one is
#: UTF-8 with a few damaged bytes (a truncated copy, a stray byte), not a legacy code
#: page: cp1252 or cp1251 text almost never forms valid multi-byte UTF-8 sequences (a
#: lead byte, such as "Ã" or "ß", must be followed by one of "€‚ƒ„…†‡" and the like).
MIN_UTF8_SEQUENCES_PER_ERROR = 2


def _mostly_utf8(data: bytes) -> bool:
    r"""UTF-8 with a few broken bytes: one bad byte must not turn a page into mojibake.

    >>> _mostly_utf8("Die Bürger von Köln stimmten über die Brücke ab.".encode() + b"\xff")
    True
    >>> _mostly_utf8("Die Bürger von Köln stimmten über die Brücke ab.".encode("cp1252"))
    False
    """
    text = data.decode("utf-8", errors="replace")
    replacements = text.count("\ufffd")
    errors = replacements - data.count("\ufffd".encode())
    # non-ASCII characters other than U+FFFD, counted in C: the ASCII encoder drops the rest
    sequences = len(text) - len(text.encode("ascii", errors="ignore")) - replacements
    return sequences >= MIN_UTF8_SEQUENCES_PER_ERROR * max(errors, 1)


#: UTF-16 text without a BOM puts a NUL in every ASCII character's high byte: for Latin
#: text nearly every other byte, for Cyrillic or Greek at least the spaces (about one
#: character in seven). Stray NULs in 8-bit text are far rarer than this share.
MIN_UTF16_NUL_SHARE = 0.05

#: NULs on the other side of the pairs, relative to the NUL side: only U+0100, U+0200…
#: put one there, so real UTF-16 text has almost none; binary files have NULs everywhere.
MAX_UTF16_OFF_SIDE_NULS = 0.1

#: Share of printable characters (and line breaks, tabs) that decoded UTF-16 must reach:
#: binary data decoded as UTF-16 is full of control characters.
MIN_PRINTABLE_SHARE = 0.95


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    r"""(text, codec) when the bytes read as UTF-16 without a BOM, else None.

    >>> _utf16_without_bom("Городской совет одобрил.".encode("utf-16-le"))
    ('Городской совет одобрил.', 'utf-16-le')
    >>> _utf16_without_bom(b"A stray NUL\x00 in text") is None
    True
    """
    head = data[: _SNIFF_BYTES - _SNIFF_BYTES % 2]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    nuls, other_side = max(even, odd), min(even, odd)
    if other_side > MAX_UTF16_OFF_SIDE_NULS * nuls or nuls < MIN_UTF16_NUL_SHARE * len(head) / 2:
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    sample = text[:_SNIFF_BYTES]
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in sample)
    if printable < MIN_PRINTABLE_SHARE * len(sample):
        return None
    return _strip_nuls(text), codec


#: Root elements of XML formats that end up in scrape folders: feeds, sitemaps, images.
_XML_ROOTS = frozenset(
    {"rss", "feed", "rdf:rdf", "svg", "urlset", "sitemapindex", "opml", "kml", "gpx", "plist"}
)
_XML_PROLOG = re.compile(r"<\?xml\s", re.I)
_XML_SKIP = re.compile(r"<\?.*?\?>|<!--.*?-->|<![^>]*>", re.S)
_FIRST_TAG = re.compile(r"<([A-Za-z_][\w:.\-]*)")


def refuse_non_page(text: str, source: str) -> None:
    """Raise `NotAPageError` for JSON and for XML that is not XHTML: cleaning them would
    end in the misleading "nothing left after cleaning", or in a feed's text passed off
    as a page.

    >>> refuse_non_page('{"title": "Hi"}', "a.json")
    Traceback (most recent call last):
    cleaner.errors.NotAPageError: a.json: the input is JSON, not a web page
    >>> refuse_non_page("[Update] The bridge reopened.", "a.txt")
    """
    head = text[:_SNIFF_BYTES].lstrip("\ufeff \t\r\n")
    if head[:1] in ("{", "[") and _is_json(text):
        raise NotAPageError(source, "the input is JSON, not a web page")
    if head.startswith("<") and (root := _xml_root(head)) is not None:
        raise NotAPageError(source, f"the input is XML (<{root}>), not a web page")


def _is_json(text: str) -> bool:
    stripped = text.strip()
    if stripped[-1:] not in ("}", "]"):
        return False
    try:
        json.loads(stripped)
    except (ValueError, RecursionError):
        return False
    return True


def _xml_root(head: str) -> str | None:
    """The root element's name when `head` opens an XML document that is not a page."""
    m = _FIRST_TAG.search(_XML_SKIP.sub("", head))
    root = m.group(1) if m else "?"
    if root.lower() in _XML_ROOTS:
        return root
    if _XML_PROLOG.match(head) and not _DOCUMENT_MARKERS.search(head):
        return root
    return None


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


def _declares_utf8(page: RawPage) -> bool:
    """The first declaration (the HTTP header's, as in browsers) says UTF-8."""
    declared = _declared_charsets(page)
    return bool(declared) and declared[0].lower().replace("_", "-") in {"utf-8", "utf8"}


def _declared_charsets(page: RawPage) -> list[str]:
    found: list[str] = []
    content_type = next((v for k, v in page.headers.items() if k.lower() == "content-type"), "")
    if m := _HEADER_CHARSET.search(content_type):
        found.append(m.group(1))
    if m2 := _META_CHARSET.search(page.data[: _SNIFF_BYTES * 4]):
        found.append(m2.group(1).decode("ascii", "replace"))
    # Browsers read "iso-8859-1" and "latin-1" as windows-1252; so do we.
    return ["cp1252" if c.lower() in {"iso-8859-1", "latin-1", "latin1"} else c for c in found]


def _detect(page: RawPage, use_declaration: bool = True) -> tuple[str, str]:
    """charset-normalizer's best guess; `use_declaration` lets it start from a charset
    declared in the bytes (its "preemptive behaviour")."""
    from charset_normalizer import from_bytes

    best = from_bytes(page.data[:1_000_000], preemptive_behaviour=use_declaration).best()
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
