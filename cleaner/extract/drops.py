"""What extraction left out of an HTML page: its visible lines that are not in the main
content, recorded in the removal report as cleaner `extract` so that a cookie banner, a
"Log in / Sign up" bar or a "Suggested Topics" list does not vanish without a trace.

The page is rendered the way a naive scraper sees it (`cleaner.extract.render`), and a
line counts as kept when its words occur, in order and whole, in the extracted text.
A short line that happens to occur inside a kept sentence ("Share" in "Share prices
rose") therefore counts as kept: the report may miss such a drop, but never reports
content as dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from cleaner.document import Segment
from cleaner.extract.render import render_lines

#: The rule name extraction's drops carry (`extract.not_main_content`).
RULE = "not_main_content"

_WORDS = re.compile(r"\w+")


def extraction_drops(html: str, segments: list[Segment]) -> list[str]:
    """The page's visible lines that extraction did not keep, in page order.

    >>> page = "<body><nav>Home | News</nav><p>The bridge opens in May.</p><p>Share</p></body>"
    >>> extraction_drops(page, [Segment("The bridge opens in May.", 0)])
    ['Home | News', 'Share']
    """
    kept = _words(" ".join(s.text for s in segments))
    starts: dict[str, list[int]] = defaultdict(list)  # word -> where it occurs in `kept`
    for position, word in enumerate(kept):
        starts[word].append(position)
    drops = []
    for line in render_lines(html):
        words = _words(line)
        if words and not _occurs(words, kept, starts):
            drops.append(line)
    return drops


def extraction_report(dropped: list[str]) -> list[dict[str, Any]]:
    """The lines extraction left out, as removals by cleaner `extract` (reported after the
    cleaners' removals; they have no segment index, since they never became segments)."""
    return [{"text": line, "cleaner": "extract", "rule": RULE} for line in dropped]


def _occurs(words: list[str], kept: list[str], starts: dict[str, list[int]]) -> bool:
    """Whether `words` occur in `kept` in order and whole: looked up from where their
    first word occurs, not by scanning the whole text once per line."""
    n = len(words)
    return any(kept[p : p + n] == words for p in starts.get(words[0], ()))


def _words(text: str) -> list[str]:
    """Words in lower case: punctuation and spacing differ between the rendering and
    trafilatura's text."""
    return _WORDS.findall(text.lower())
