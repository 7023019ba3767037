"""Kept segments to paragraphs: re-join lines a scraper broke mid-sentence.

A line is continued by the next when it does not end like a sentence and the next one
starts in lower case ("…about Russia and" / "all alliance members…"), or when the source
itself ran the two on without a break and the first is a long, unfinished line (hard-wrapped
text). Headings, list items and code are never joined.
"""

from __future__ import annotations

import re

from cleaner.document import Segment

_ENDS_CLOSED = re.compile(r"[.!?…:;)\]\"'”’»]\s*$")

#: A run-on line shorter than this is a short line on purpose (an address, a verse line).
MIN_WRAPPED_LINE_CHARS = 60


def paragraphs(segments: list[Segment]) -> list[str]:
    """Paragraph strings, in order, from the kept segments.

    >>> from cleaner.document import Segment as S
    >>> paragraphs([S("Rutte said nobody was naive about Russia and", 0), S("all members agree.", 1, starts_block=False)])
    ['Rutte said nobody was naive about Russia and all members agree.']
    """
    out: list[str] = []
    previous: Segment | None = None
    for seg in segments:
        if not seg.kept:
            continue
        if (
            previous is not None
            and out
            and previous.kind == seg.kind == "code"
            and not seg.starts_block
        ):
            out[-1] = f"{out[-1]}\n{seg.text}"  # one code block stays one paragraph
        elif previous is not None and out and _continues(previous, seg):
            out[-1] = f"{out[-1]} {seg.text.strip()}"
        else:
            out.append(seg.text if seg.kind == "code" else seg.text.strip())
        previous = seg
    return out


def _continues(first: Segment, second: Segment) -> bool:
    if first.kind != "p" or second.kind != "p" or _ENDS_CLOSED.search(first.text):
        return False
    if second.text[:1].islower():
        return True
    return not second.starts_block and len(first.text) >= MIN_WRAPPED_LINE_CHARS
