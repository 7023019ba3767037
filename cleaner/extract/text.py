"""Plaintext pages: one segment per non-empty line.

Markers that survive in scraped plaintext (`- item`, `1. item`, `# Heading`, `> quote`,
fenced code) set the segment kind, so that rules can treat list items and code leniently.
"""

from __future__ import annotations

import re

from cleaner.document import Kind, Segment
from cleaner.extract import Extraction

_ITEM = re.compile(r"^\s*(?:[-*•·▪]|\d{1,3}[.)])\s+\S")
_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
_QUOTE = re.compile(r"^\s*>\s?")
_FENCE = re.compile(r"^\s*(```|~~~)")


def extract_text(text: str) -> Extraction:
    """Split plaintext into line segments, remembering which lines start a new block.

    >>> [(s.kind, s.text, s.starts_block) for s in extract_text("# T\\n\\na\\nb").segments]
    [('heading', '# T', True), ('p', 'a', True), ('p', 'b', False)]
    """
    segments: list[Segment] = []
    in_fence = False
    after_blank = True
    for raw in text.splitlines():
        line = raw.rstrip()
        if _FENCE.match(line):
            in_fence = not in_fence
            segments.append(_segment(line, len(segments), "code", after_blank))
            after_blank = False
            continue
        if in_fence:
            segments.append(_segment(line, len(segments), "code", after_blank))
            after_blank = False
            continue
        if not line.strip():
            after_blank = True
            continue
        segments.append(_segment(line.strip(), len(segments), _kind(line), after_blank))
        after_blank = False
    return Extraction(segments=segments)


def _kind(line: str) -> Kind:
    if _HEADING.match(line):
        return "heading"
    if _ITEM.match(line):
        return "item"
    if _QUOTE.match(line):
        return "quote"
    if line.startswith(("    ", "\t")):
        return "code"
    return "p"


def _segment(text: str, index: int, kind: Kind, starts_block: bool) -> Segment:
    return Segment(text=text, index=index, kind=kind, starts_block=starts_block)
