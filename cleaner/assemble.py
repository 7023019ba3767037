"""Kept segments to paragraphs: re-join lines a scraper broke mid-sentence.

A line is continued by the next when it does not end like a sentence and the next one
starts in lower case ("…about Russia and" / "all alliance members…"), or when the source
itself ran the two on without a break and the first is a long, unfinished line (hard-wrapped
text). Headings, list items and code are never joined.
"""

from __future__ import annotations

import re

from cleaner.document import Kind, Segment

_ENDS_CLOSED = re.compile(r"[.!?…:;)\]\"'”’»]\s*$")

#: A run-on line shorter than this is a short line on purpose (an address, a verse line).
MIN_WRAPPED_LINE_CHARS = 60


def paragraphs(segments: list[Segment]) -> list[str]:
    """Paragraph strings, in order, from the kept segments.

    >>> from cleaner.document import Segment as S
    >>> paragraphs([S("Rutte said nobody was naive about Russia and", 0), S("all members agree.", 1, starts_block=False)])
    ['Rutte said nobody was naive about Russia and all members agree.']
    """
    return [text for _, text in blocks(segments)]


def blocks(segments: list[Segment]) -> list[tuple[Kind, str]]:
    """The kept segments as blocks, each with the kind of its first segment: broken lines
    re-joined, a code block's lines kept together. Lines are judged for joining by their
    text and written as the user's input had them (`Segment.shown`: Markdown links stay).

    >>> from cleaner.document import Segment as S
    >>> blocks([S("* Home", 0, "item", original="* [Home](/)"), S("Said so.", 1)])
    [('item', '* [Home](/)'), ('p', 'Said so.')]
    """
    out: list[tuple[Kind, str]] = []
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
            out[-1] = (out[-1][0], f"{out[-1][1]}\n{seg.shown}")  # one code block stays one
        elif previous is not None and out and _continues(previous, seg):
            out[-1] = (out[-1][0], f"{out[-1][1]} {seg.shown.strip()}")
        else:
            out.append((seg.kind, seg.shown if seg.kind == "code" else seg.shown.strip()))
        previous = seg
    return out


def markdown(segments: list[Segment], title: str | None = None) -> str:
    """The kept segments as Markdown: the title as `#`, headings as `##`, list items as a
    list, quotes as `>`, code fenced; what the plain text cannot say.

    >>> from cleaner.document import Segment as S
    >>> print(markdown([S("Search order", 0, "heading"), S("the flag", 1, "item"),
    ...                 S("the file", 2, "item"), S("x = 1", 3, "code")], "Config"))
    # Config
    <BLANKLINE>
    ## Search order
    <BLANKLINE>
    - the flag
    - the file
    <BLANKLINE>
    ```
    x = 1
    ```
    """
    parts: list[str] = [f"# {title}"] if title else []
    last: Kind | None = None
    for kind, text in blocks(segments):
        in_list, last = last == "item", kind
        if kind == "heading":
            parts.append(f"## {text}")
        elif kind == "item":
            if in_list:
                parts[-1] += f"\n- {text}"  # consecutive items make one list
            else:
                parts.append(f"- {text}")
        elif kind == "quote":
            parts.append("\n".join(f"> {line}" for line in text.splitlines()))
        elif kind == "code":
            parts.append(f"```\n{text}\n```")
        else:
            parts.append(text)
    return "\n\n".join(parts)


def _continues(first: Segment, second: Segment) -> bool:
    if first.kind != "p" or second.kind != "p" or _ENDS_CLOSED.search(first.text):
        return False
    if second.text[:1].islower():
        return True
    return not second.starts_block and len(first.text) >= MIN_WRAPPED_LINE_CHARS
