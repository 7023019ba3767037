"""The chain: load -> extract -> judge -> assemble, and the public entry points."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from cleaner.assemble import paragraphs
from cleaner.cleaners import Cleaner, PageContext
from cleaner.cleaners.heuristic import HeuristicCleaner
from cleaner.cleaners.learned import LearnedCleaner, LineModel, load_model
from cleaner.cleaners.rules import byline_author
from cleaner.cleaners.templates import TemplateCleaner, TemplateLookup
from cleaner.cleaners.title import TitleCleaner
from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import Document, Format, RawPage, Segment
from cleaner.errors import ExtractionError
from cleaner.extract import Extraction
from cleaner.extract.drops import extraction_report
from cleaner.extract.html import extract_html
from cleaner.extract.text import extract_text
from cleaner.load import check_bytes, decode, read_path, refuse_non_page, sniff_format
from cleaner.metadata import (
    content_id,
    detect_language,
    removal_report,
    site_of,
    token_fingerprint,
)
from cleaner.title_finder import find_title
from cleaner.tokens import line_tokens
from cleaner.version import VERSION


def build_chain(
    config: Config, model: LineModel | None = None, templates: TemplateLookup | None = None
) -> list[Cleaner]:
    """The cleaners in the order they judge; the first reason to drop a segment wins.

    Site templates judge last: the other cleaners' reasons are more specific, and the
    templates' back-off (never take most of a page) must see what the others kept.
    """
    chain: list[Cleaner] = [TitleCleaner()]
    if config.heuristic:
        chain.append(HeuristicCleaner())
    if model is not None:
        chain.append(LearnedCleaner(model))
    if templates is not None:
        chain.append(TemplateCleaner(templates))
    return chain


def line_model(config: Config, fmt: Format) -> LineModel | None:
    """The shipped line model, for plaintext only: it was trained and validated on
    plaintext renderings, and has not been validated on trafilatura's HTML blocks."""
    return load_model() if config.learned and fmt == "text" else None


def clean_file(
    path: str | Path, out_dir: str | Path | None = None, config: Config = DEFAULT_CONFIG
) -> Document:
    """Clean one raw page file (HTML or plaintext, any encoding).

    With `out_dir`, also writes `<id>.txt` and `<id>.json` there.
    """
    doc = clean_page(read_path(path, config), config)
    if out_dir is not None:
        from cleaner.warehouse import write_document

        write_document(doc, Path(out_dir))
    return doc


def clean_html(
    html: str | bytes, url: str | None = None, config: Config = DEFAULT_CONFIG
) -> Document:
    """Clean an HTML page given as text or as undecoded bytes."""
    if isinstance(html, str):
        page = RawPage(_utf8(html), url or "<html>", url, headers=dict(_UTF8_HEADERS))
    else:
        page = RawPage(data=html, source=url or "<html>", url=url)
    return clean_page(page, config, fmt="html")


def clean_text(text: str, url: str | None = None, config: Config = DEFAULT_CONFIG) -> Document:
    """Clean already-extracted plaintext (one line per paragraph or block)."""
    page = RawPage(_utf8(text), url or "<text>", url, headers=dict(_UTF8_HEADERS))
    return clean_page(page, config, fmt="text")


#: Text handed over as `str` is already decoded: this tells `decode` so, lest NUL
#: characters in it pass for UTF-16 or a `<meta charset>` in it for the truth.
_UTF8_HEADERS = {"Content-Type": "text/plain; charset=utf-8"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def _utf8(text: str) -> bytes:
    """UTF-8 bytes of `text`; lone surrogates (from `surrogateescape` reads), which UTF-8
    cannot encode, become U+FFFD as undecodable bytes do in `decode`."""
    return _SURROGATE.sub("\ufffd", text).encode("utf-8")


def clean_page(
    page: RawPage,
    config: Config = DEFAULT_CONFIG,
    fmt: Format | None = None,
    templates: TemplateLookup | None = None,
) -> Document:
    """Clean one raw page; the format is sniffed unless given. `templates` gives the
    site templates learned so far (`cleaner.template_store.TemplateSession`), if any.

    No time limit applies here: a limit needs a SIGALRM handler, which is process-wide
    state that a library function called from someone else's program (a web server's
    worker thread, a program with its own alarm) must not take over. The batch paths
    that own their process apply `Config.max_seconds` (`cleaner.runner.clean_one`);
    other callers can wrap a call in `cleaner.runner.limits.time_limit`.
    """
    extraction, fmt, encoding = extract_page(page, config, fmt)
    return _judge_and_assemble(page, extraction, fmt, encoding, config, templates)


def extract_page(
    page: RawPage, config: Config = DEFAULT_CONFIG, fmt: Format | None = None
) -> tuple[Extraction, Format, str]:
    """Load and extract, without judging: the segments the cleaners see, with the format
    and encoding (the report shows a page's lines with this)."""
    check_bytes(page, config)
    text, encoding = decode(page)
    refuse_non_page(text, page.source)
    fmt = fmt or sniff_format(text)
    if fmt == "html":
        return extract_html(text, page.source, page.url, config), fmt, encoding
    return extract_text(text, page.source), fmt, encoding


def _judge_and_assemble(
    page: RawPage,
    extraction: Extraction,
    fmt: Format,
    encoding: str,
    config: Config,
    templates: TemplateLookup | None = None,
) -> Document:
    segments = extraction.segments
    meta = extraction.meta
    url = page.url or meta.get("url")
    title = find_title(segments, meta.get("title"), url)
    body_title = title if title and title.source != "lead" else None  # a lead is no line to drop
    model = line_model(config, fmt)
    if model is not None:  # the rules the model does better than step aside
        config = replace(config, disabled_rules=config.disabled_rules | model.replaces_rules)
    context = PageContext(
        source=page.source,
        format=fmt,
        config=config,
        title=body_title.text if body_title else None,
        title_index=body_title.index if body_title else None,
        site=site_of(url),
    )
    for cleaner in build_chain(config, model, templates):
        cleaner.judge(segments, context)
    body = "\n\n".join(paragraphs(segments))
    if not body.strip():
        raise ExtractionError(
            page.source,
            f"nothing left after cleaning: all {len(segments)} segments were boilerplate",
        )
    metadata: dict[str, Any] = {
        "id": content_id(page.data),
        "source": page.source,
        "url": url,
        "format": fmt,
        "encoding": encoding,
        "title": title.text if title else None,
        "title_source": title.source if title else None,
        "author": meta.get("author") or _byline_author(segments),
        "date": meta.get("date"),
        "site_name": meta.get("site_name") or site_of(url),
        "description": meta.get("description"),
        "language": (detect_language(body) if config.detect_language else None)
        or meta.get("language"),
        "word_count": len(body.split()),
        "fingerprint": token_fingerprint(_kept_tokens(segments)),
        "cleaner_version": VERSION,
        "segments_in": len(segments),
        "segments_kept": sum(s.kept for s in segments),
        "removed": removal_report(segments) + extraction_report(extraction.dropped),
    }
    return Document(id=metadata["id"], text=body, metadata=metadata, segments=segments)


def _kept_tokens(segments: list[Segment]) -> list[str]:
    """The tokens of the clean body, for its fingerprint, from the kept lines' tokens that
    the cleaners took already (`line_tokens` remembers them): the body joins the lines as
    shown with spacing only, which no token spans, so its tokens are theirs in order
    (`fingerprint(body)` gives the same; tests/test_metadata.py). A line shown otherwise
    than judged (`Segment.original`, a Markdown link) is tokenised here."""
    return [token for seg in segments if seg.kept for token in line_tokens(seg.shown)]


def _byline_author(segments: list[Segment]) -> str | None:
    return next((a for s in segments[:10] if (a := byline_author(s.text))), None)
