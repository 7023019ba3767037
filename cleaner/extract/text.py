"""Plaintext pages: one segment per non-empty line.

Markers that survive in scraped plaintext (`- item`, `1. item`, `# Heading`, `> quote`,
fenced code) set the segment kind, so that rules can treat list items and code leniently.
Inline Markdown (html2text's `[text](href)`, `![alt](src)`, `**bold**`) is judged as the
text a reader sees (`judging_view`), while the output keeps the line as written.
Runs of more than `MAX_TOKEN_CHARS` characters without a space are data, not words, and
are taken out of the lines before any rule reads them (see `drop_data_runs`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cleaner.document import Kind, Segment
from cleaner.errors import ExtractionError
from cleaner.extract import Extraction

_ITEM = re.compile(r"^\s*(?:[-*•·▪]|\d{1,3}[.)])\s+\S")
_HEADING = re.compile(r"^\s*#{1,6}\s+\S")
_QUOTE = re.compile(r"^\s*>\s?")
#: A fence line as CommonMark writes it: three or more backticks or tildes, indented by at
#: most three spaces, then an info string ("```python") or, closing, nothing.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")

#: The longest run without whitespace that prose holds: long tracking URLs reach about
#: 2,000 characters. Longer runs are inline data (base64 images, minified code); the line
#: rules' regular expressions take seconds per megabyte of them (a 10 MB line: 15 s).
MAX_TOKEN_CHARS = 2_000
#: Anchored at a run's start, so that the scan stays linear in the line's length.
_DATA_RUN = re.compile(rf"(?<!\S)\S{{{MAX_TOKEN_CHARS + 1},}}")
_SPACES = re.compile(r"[ \t]{2,}")

#: Inline Markdown, bounded so that a long line costs linear time. A link's text may hold
#: one level of brackets ("Review [Video]"), its target one level of parentheses
#: (Wikipedia's `/wiki/Mercury_(planet)`) and a quoted title.
_TARGET = r"\((?:[^()\s]|\([^()\s]{0,200}\)){0,2000}(?:\s+\"[^\"\n]{0,200}\")?\)"
_IMAGE = re.compile(rf"!\[[^\[\]]{{0,500}}\]{_TARGET}")
_LINK = re.compile(rf"\[((?:[^\[\]]|\[[^\[\]]{{0,200}}\]){{0,500}})\]{_TARGET}")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]{1,2000}|mailto:[^<>\s]{1,200})>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.{1,500}?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=[^\s*_])(.{1,500}?)(?<=[^\s*_])\1(?![\w*])")
_MARKUP_CHARS = frozenset("[*_<")


#: Soft hyphens mark where a word may break; invisible in a browser, they split the word
#: for every program that reads the text ("Mit\u00adtel\u00adal\u00adter" is one word).
_INVISIBLE = str.maketrans("", "", "\u00ad")


def drop_invisible(line: str) -> str:
    """The line without soft hyphens.

    >>> drop_invisible("Mit\u00adtel\u00adal\u00adter")
    'Mittelalter'
    """
    return line.translate(_INVISIBLE) if "\u00ad" in line else line


def drop_data_runs(line: str) -> str:
    """The line without its runs of more than `MAX_TOKEN_CHARS` non-space characters.

    >>> drop_data_runs("Logo: " + "A" * 3000 + " end")
    'Logo: end'
    """
    if len(line) <= MAX_TOKEN_CHARS or not _DATA_RUN.search(line):
        return line
    return _SPACES.sub(" ", _DATA_RUN.sub("", line)).strip()


def judging_view(line: str) -> str:
    """The line as a reader of its rendered Markdown sees it: inline links as their text,
    images gone (their alt text is no line's words in any other rendering), `**`, `__`
    and `_`/`*` emphasis marks dropped, an autolink `<https://…>` as its address. Block
    markers (`# `, `* `, `> `) stay: they set the segment's kind and the rules expect them.

    >>> judging_view("* [Home](https://x.com/) [About](/about)")
    '* Home About'
    >>> judging_view("[Share on Facebook](https://facebook.com/sharer?u=a(b)) ![](/i.png)")
    'Share on Facebook'
    >>> judging_view("A **bold** and _light_ word, snake_case and 2 * 3, see <https://x.org/a>")
    'A bold and light word, snake_case and 2 * 3, see https://x.org/a'
    >>> judging_view("[![Logo](/logo.png)](/)")
    ''
    """
    if _MARKUP_CHARS.isdisjoint(line):
        return line
    view = _IMAGE.sub(" ", line)
    for _ in range(2):  # a link around an image is a link once the image is gone
        view = _LINK.sub(r"\1", view)
    view = _AUTOLINK.sub(r"\1", view)
    view = _STRONG.sub(r"\2", view)
    view = _EMPHASIS.sub(r"\2", view)
    if view == line:
        return line
    indent = line[: len(line) - len(line.lstrip())]
    return indent + " ".join(view.split())


def link_text_share(line: str) -> float:
    """The share of a Markdown line's visible characters that are link text: 1.0 for a
    menu written as `* [Home](/) [About](/about)`, near 0 for prose with one link. What a
    browser's rendering cannot show, and the strongest sign of navigation it has.

    >>> link_text_share("* [Home](/) [About](/about)"), round(link_text_share("Read [this](/r) in full."), 2)
    (1.0, 0.29)
    """
    without_images = _IMAGE.sub(" ", line)
    linked = sum(len(_visible(judging_view(m.group(1)))) for m in _LINK.finditer(without_images))
    return min(1.0, linked / max(1, len(_visible(judging_view(line)))))


def _visible(text: str) -> str:
    """Letters and digits only: the measure of how much a reader reads."""
    return "".join(filter(str.isalnum, text))


def extract_text(text: str, source: str = "<text>") -> Extraction:
    """Split plaintext into line segments, remembering which lines start a new block.

    >>> [(s.kind, s.text, s.starts_block) for s in extract_text("# T\\n\\na\\nb").segments]
    [('heading', '# T', True), ('p', 'a', True), ('p', 'b', False)]

    A line with inline Markdown is judged by its `judging_view` and keeps its own text in
    `original`, which the output shows:

    >>> [(s.text, s.original) for s in extract_text("* [Home](/)\\nPlain").segments]
    [('* Home', '* [Home](/)'), ('Plain', None)]
    """
    segments: list[Segment] = []
    after_blank = True
    dropped_data = False
    raws = [raw.rstrip() for raw in text.splitlines()]
    lines = [drop_data_runs(drop_invisible(raw)) for raw in raws]
    fenced = fenced_lines(lines)
    for i, (raw, line) in enumerate(zip(raws, lines, strict=True)):
        if line != raw:
            dropped_data = True
        if i in fenced:
            segments.append(_segment(line, len(segments), "code", after_blank))
            after_blank = False
            continue
        if not line.strip():
            after_blank = True
            continue
        kind = _kind(line)
        segment = _segment(line.strip(), len(segments), kind, after_blank)
        if kind != "code":
            view = judging_view(segment.text)
            if view != segment.text:
                segment.original, segment.text = segment.text, view
        segments.append(segment)
        after_blank = False
    if not segments and dropped_data:
        raise ExtractionError(
            source, f"no words: only runs of over {MAX_TOKEN_CHARS} characters without a space"
        )
    return Extraction(segments=segments)


def fenced_lines(lines: Sequence[str]) -> set[int]:
    """The indices of the lines inside closed code fences, the fences included.

    A fence that never closes is not taken for one, unlike CommonMark, which runs it to
    the end of the document: scraped text draws separators with tildes, and one such
    line would make the rest of the page code, which no cleaner touches.

    >>> sorted(fenced_lines(["```python", "x = 1", "```", "~~~~~~~~~~", "Add to cart"]))
    [0, 1, 2]
    """
    fences = [_FENCE.match(line) for line in lines]
    inside: set[int] = set()
    # per fence character, the shortest opener known to find no closer: a longer one
    # later on cannot find one either, so the scan for it is skipped
    unclosed: dict[str, int] = {}
    i = 0
    while i < len(lines):
        opener = fences[i]
        if opener is None or not _may_open(opener):
            i += 1
            continue
        mark = opener.group(1)
        if len(mark) >= unclosed.get(mark[0], len(mark) + 1):
            i += 1
            continue
        close = next((j for j in range(i + 1, len(lines)) if _closes(fences[j], mark)), None)
        if close is None:
            unclosed[mark[0]] = len(mark)
            i += 1
            continue
        inside.update(range(i, close + 1))
        i = close + 1
    return inside


def _may_open(fence: re.Match[str]) -> bool:
    """A backtick fence's info string holds no backtick (else it is inline code)."""
    return not (fence.group(1)[0] == "`" and "`" in fence.group(2))


def _closes(fence: re.Match[str] | None, opener: str) -> bool:
    """A closing fence: the opener's character, at least as many, nothing after."""
    return (
        fence is not None
        and fence.group(1)[0] == opener[0]
        and len(fence.group(1)) >= len(opener)
        and not fence.group(2).strip()
    )


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
