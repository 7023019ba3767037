"""The chain: load -> extract -> judge -> assemble, and the public entry points."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cleaner.assemble import paragraphs
from cleaner.cleaners import Cleaner, PageContext
from cleaner.cleaners.heuristic import HeuristicCleaner
from cleaner.cleaners.learned import LearnedCleaner, load_model
from cleaner.cleaners.rules import byline_author
from cleaner.cleaners.title import TitleCleaner
from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import Document, Format, RawPage, Segment
from cleaner.errors import ExtractionError
from cleaner.extract import Extraction
from cleaner.extract.html import extract_html
from cleaner.extract.text import extract_text
from cleaner.load import check_bytes, decode, read_path, sniff_format
from cleaner.metadata import content_id, detect_language, fingerprint, removal_report, site_of
from cleaner.title import find_title
from cleaner.version import VERSION


def build_chain(config: Config) -> list[Cleaner]:
    """The cleaners in the order they judge; the first reason to drop a segment wins."""
    chain: list[Cleaner] = [TitleCleaner()]
    if config.heuristic:
        chain.append(HeuristicCleaner())
    if config.learned and (model := load_model()) is not None:
        chain.append(LearnedCleaner(model))
    return chain


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
    data = html.encode("utf-8") if isinstance(html, str) else html
    return clean_page(RawPage(data=data, source=url or "<html>", url=url), config, fmt="html")


def clean_text(text: str, url: str | None = None, config: Config = DEFAULT_CONFIG) -> Document:
    """Clean already-extracted plaintext (one line per paragraph or block)."""
    return clean_page(
        RawPage(data=text.encode("utf-8"), source=url or "<text>", url=url), config, fmt="text"
    )


def clean_page(
    page: RawPage, config: Config = DEFAULT_CONFIG, fmt: Format | None = None
) -> Document:
    """Clean one raw page; the format is sniffed unless given."""
    check_bytes(page, config)
    text, encoding = decode(page)
    fmt = fmt or sniff_format(text)
    if fmt == "html":
        extraction = extract_html(text, page.source, page.url, config)
    else:
        extraction = extract_text(text)
    return _judge_and_assemble(page, extraction, fmt, encoding, config)


def _judge_and_assemble(
    page: RawPage, extraction: Extraction, fmt: Format, encoding: str, config: Config
) -> Document:
    segments = extraction.segments
    meta = extraction.meta
    title = find_title(segments, meta.get("title"))
    body_title = title if title and title.source != "lead" else None  # a lead is no line to drop
    context = PageContext(
        source=page.source,
        format=fmt,
        config=config,
        title=body_title.text if body_title else None,
        title_index=body_title.index if body_title else None,
    )
    for cleaner in build_chain(config):
        cleaner.judge(segments, context)
    body = "\n\n".join(paragraphs(segments))
    if not body.strip():
        raise ExtractionError(
            page.source,
            f"nothing left after cleaning: all {len(segments)} segments were boilerplate",
        )
    url = page.url or meta.get("url")
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
        "fingerprint": fingerprint(body),
        "cleaner_version": VERSION,
        "segments_in": len(segments),
        "segments_kept": sum(s.kept for s in segments),
        "removed": removal_report(segments),
    }
    return Document(id=metadata["id"], text=body, metadata=metadata, segments=segments)


def _byline_author(segments: list[Segment]) -> str | None:
    return next((a for s in segments[:10] if (a := byline_author(s.text))), None)
