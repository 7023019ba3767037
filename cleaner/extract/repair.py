"""Repairs of the page's markup before any parser sees it, for two ways a page can hide its
whole text from an HTML5 parser although browsers of its day showed it.

* An unclosed `<title>`: its content is raw text up to `</title>`, so without one the
  whole page becomes the title and the body is empty. Eight of the 13 pages in
  ../shared/corpus/regressions (news pages of 2008) lost their article this way, two of
  them to a mangled end tag (`</titlevalue="true" -->`).
* Nesting thousands of elements deep: an HTML5 parser checks the stack of open elements
  on every start tag, so its time grows with the square of the depth (lexbor: 10,000
  `<div>`s in 1.4 s, 100,000 in three minutes), and lxml's parser stops building the tree
  past 256 levels, so trafilatura finds nothing below. Browsers cap the depth too
  (Blink's parser adds elements past 512 levels as siblings); `flatten_deep` drops the
  tags past a depth instead, keeping every word.
"""

from __future__ import annotations

import re
from itertools import accumulate, repeat
from operator import sub

_TITLE_START = re.compile(r"<title(?:\s[^>]*)?>", re.IGNORECASE)
#: A real end tag: `</title` followed by a space, a slash or `>` (not `</titlevalue`).
_TITLE_END = re.compile(r"</title[\s/>]", re.IGNORECASE)
#: Where a title that was never closed most likely ended: its first line break or tag.
_TITLE_STOP = re.compile(r"[\r\n<]")


def close_unclosed_title(html: str) -> str:
    """The page with `</title>` inserted where an unclosed title's first line ends.

    >>> close_unclosed_title("<title>News\\nvar x = 1;</script></head><body><p>Text")
    '<title>News</title>\\nvar x = 1;</script></head><body><p>Text'
    >>> close_unclosed_title("<title>News</title><p>Text")
    '<title>News</title><p>Text'
    """
    start = _TITLE_START.search(html)
    if start is None or _TITLE_END.search(html, start.end()):
        return html
    text_start = start.end() + len(html[start.end() :]) - len(html[start.end() :].lstrip())
    stop = _TITLE_STOP.search(html, text_start)
    at = stop.start() if stop else len(html)
    return f"{html[:at]}</title>{html[at:]}"


#: Start and end tags. `[^<>]` keeps the scan linear on a page of "<" without ">".
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:\-]*)[^<>]*?(/?)>")

#: Elements that never nest: void elements, and those whose end tag is optional (pages
#: leave `</p>` and `</li>` out, and the parser closes them implicitly).
FLAT = frozenset(
    """area base br col embed hr img input link meta source track wbr param keygen
    p li dt dd tr td th option optgroup rb rt rp rtc tbody thead tfoot colgroup caption
    html head body""".split()
)

#: Depth to which `flatten_deep` reduces a page: under the 256 levels past which lxml's
#: HTML parser (trafilatura's) stops building the tree (trafilatura returned nothing for
#: an article under 400 `<div>`s), and where lexbor parses in milliseconds. Only pages
#: deeper than `Config.max_depth` (5,000; the deepest corpus page is about 416) are
#: flattened, so no page of ../shared/corpus changes.
FLATTEN_DEPTH = 200


def flatten_deep(html: str, depth: int = FLATTEN_DEPTH) -> str:
    """The page without the start and end tags of elements nested deeper than `depth`,
    by the same estimate as `nesting_depth`; their text stays where it was, in the
    element at that depth. A space replaces each dropped tag, so words stay apart.

    >>> flatten_deep("<div><div><div><p>deep</p></div></div></div>", depth=1)
    '<div>  <p>deep</p>  </div>'
    """
    parts: list[str] = []
    level = 0
    last = 0
    for match in TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in FLAT:
            continue
        if closing:
            drop = level > depth
            level = max(0, level - 1)
        else:
            level += 1
            drop = level > depth
        if drop:
            parts.append(html[last : match.start()])
            parts.append(" ")
            last = match.end()
    parts.append(html[last:])
    return "".join(parts)


#: Start (group empty) and end (group "/") tags of elements that can nest, self-closing
#: ones left out: the tags `nesting_depth` counts, found in C.
_NESTING_TAG = re.compile(
    rf"<(/?)(?!(?:{'|'.join(sorted(FLAT))})[\s/>])[A-Za-z][A-Za-z0-9:\-]*[^<>]*?(?<!/)>",
    re.IGNORECASE,
)
_STEP = {"": 1, "/": -1}


def nesting_depth(html: str) -> int:
    """An estimate of how deep the page's elements nest, from its tags alone: one level
    down per start tag and one up per end tag of an element that can nest, never above
    the top (a stray end tag does not lower the next element's depth).

    Computed without a Python loop over the tags (a page of a million elements takes
    about a second): with S the running sum of the steps, the depth after each tag is
    S minus the lowest S so far (or 0), the walk reflected at the top.

    >>> nesting_depth("<div><div><p>a<p>b<br></div></div><span>c</span>")
    2
    >>> nesting_depth("</div></div><div><b>x</b></div>")
    2
    """
    steps = list(map(_STEP.__getitem__, _NESTING_TAG.findall(html)))
    if not steps:
        return 0
    sums = list(accumulate(steps))
    lowest = accumulate(sums, min, initial=0)
    next(lowest)  # the lowest before any tag
    return max(0, max(map(sub, sums, map(min, lowest, repeat(0)))))
