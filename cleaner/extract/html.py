"""HTML pages: prune furniture with selectolax, then let trafilatura find the main content.

trafilatura's XML body keeps the structure we need (headings, list items, quotes, code),
so each of its blocks becomes a segment with a kind; `<lb/>` breaks inside a paragraph
become separate line segments that continue the block, so that a share bar glued to a
paragraph can be dropped without the paragraph.
"""

from __future__ import annotations

import re
from copy import copy
from functools import cache
from typing import Any

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from cleaner.config import Config
from cleaner.document import Kind, Segment
from cleaner.errors import ExtractionError, TooLargeError
from cleaner.extract import Extraction
from cleaner.extract.meta import page_metadata
from cleaner.extract.prune import prepare
from cleaner.extract.text import drop_data_runs, drop_invisible

_SPACE = re.compile(r"\s+")
_BLOCK_KINDS: dict[str, Kind] = {"head": "heading", "p": "p", "quote": "quote", "code": "code"}
_INLINE = frozenset({"hi", "ref", "del", "span", "a", "b", "i", "em", "strong", "sub", "sup"})
_CONTAINERS = frozenset({"div", "section", "article", "main", "body", "span", "blockquote"})

#: Start and end tags, for the depth estimate. `[^<>]` keeps the scan linear on a page of
#: "<" without ">".
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:\-]*)[^<>]*?(/?)>")
#: Elements that never nest: void elements, and those whose end tag is optional (pages
#: leave `</p>` and `</li>` out, and the parser closes them implicitly).
_FLAT = frozenset(
    """area base br col embed hr img input link meta source track wbr param keygen
    p li dt dd tr td th option optgroup rb rt rp rtc tbody thead tfoot colgroup caption
    html head body""".split()
)

#: Opening tags of elements that can nest (not those in `_FLAT`): counted in C, they bound
#: the depth from above, so most pages need no scan of their tags in Python.
_OPENING_TAG = re.compile(rf"<(?!(?:{'|'.join(sorted(_FLAT))})[\s/>])[A-Za-z]", re.IGNORECASE)


def extract_html(html: str, source: str, url: str | None, config: Config) -> Extraction:
    """Main content of an HTML page as segments, plus the page's own metadata."""
    check_size(html, source, config)
    if config.prune_html:
        pruned = prepare(html, url)
        meta = pruned.meta
        body = main_content(pruned.html, url, config)
        if (
            pruned.full_html is not None
            and _words(body) < MIN_CONTAINER_RECALL * pruned.container_words
        ):
            # the reduced tree misled the extractor: its main container holds much more
            body = main_content(pruned.full_html, url, config, fast=False)
        if body is None:  # pruning can remove a page's only container (a "modal" article)
            body = main_content(html, url, config, fast=False)
    else:
        meta = page_metadata(LexborHTMLParser(html), url)
        body = main_content(html, url, config)
    if body is None:
        raise ExtractionError(source, "no main content found in the HTML")
    segments = body_segments(body)
    if not segments:
        raise ExtractionError(source, "the HTML's main content is empty")
    return Extraction(segments=segments, meta=meta)


def main_content(
    html: str, url: str | None, config: Config, fast: bool = True
) -> etree._Element | None:
    """trafilatura's main-content body: its fast cascade first, and the full one (with
    readability and jusText as second opinions) only when the fast one found little.

    The full cascade costs about twice the fast one, and on most pages agrees with it;
    where the fast one finds under `FULL_CASCADE_BELOW_WORDS`, it is often a listing,
    a forum or an article split in several containers, which the full one recovers.
    """
    import trafilatura

    options = _extractor_options(fast, config.favor_recall, url)
    result: Any = trafilatura.bare_extraction(html, options=options)
    body = None if result is None else result.body
    if fast and _words(body) < FULL_CASCADE_BELOW_WORDS:
        options = _extractor_options(False, config.favor_recall, url)
        result = trafilatura.bare_extraction(html, options=options)
        body = None if result is None else result.body
    return body


def _extractor_options(fast: bool, favor_recall: bool, url: str | None) -> Any:
    """trafilatura's settings for one page: a copy of a template built once per mode.

    Building them from keyword arguments on every call reads its configuration file's
    values and the local time zone again, a millisecond a page (3% of the pipeline).
    """
    options = copy(_extractor_template(fast, favor_recall))
    # what trafilatura's own constructor sets from the url (the source names it in logs)
    options.url = url
    options.source = url and url.encode("utf-8", "replace").decode("utf-8")
    return options


@cache
def _extractor_template(fast: bool, favor_recall: bool) -> Any:
    from trafilatura.settings import Extractor

    return Extractor(
        fast=fast,
        recall=favor_recall,
        comments=False,
        formatting=True,
        tables=True,
        with_metadata=False,  # read from the lexbor tree instead (cleaner.extract.meta)
        # any format but "python" returns the body without rendering it as text too (a
        # twentieth of the pipeline's time); the format is not used before that point
        output_format="xml",
    )


#: Below this many words from the fast cascade, the full one runs. Measured on
#: ../shared/corpus (bench/run.py, HTML mode): at 100 words the full cascade runs on about
#: a tenth of the pages and recovers all of the F1 that the fast cascade alone loses on the
#: trafilatura-dev and WCXB sets; at 300 words it costs more time and scrapinghub F1.
FULL_CASCADE_BELOW_WORDS = 100


#: When the page was reduced to its main container, the extraction must hold at least
#: this share of the container's paragraph words, or the full page is extracted again.
#: On ../shared/corpus the reduced tree led trafilatura astray on 3 of 770 pages (14
#: words of an 864-word article; a product page's reviews instead of its description);
#: on the others the extraction holds 0.8 or more of the container's words.
MIN_CONTAINER_RECALL = 0.5


def _words(body: etree._Element | None) -> int:
    if body is None:
        return 0
    return sum(len(text.split()) for text in body.itertext())


def check_size(html: str, source: str, config: Config) -> None:
    """Refuse pages the parsers would take minutes on: too many elements, or too deep.
    Both run in C, where no time limit can interrupt them, so they are checked first."""
    tags = html.count("<")  # an opening and a closing tag per element: a cheap upper bound
    if tags > 2 * config.max_elements:
        raise TooLargeError(
            source, f"about {tags // 2} HTML elements, over the limit of {config.max_elements}"
        )
    # Each opening tag starts with its own "<", so on most pages the count above already
    # bounds the depth, and the opening tags need not be counted.
    if tags <= config.max_depth or len(_OPENING_TAG.findall(html)) <= config.max_depth:
        return  # too few elements to nest that deep: skip the slower scan
    depth = nesting_depth(html)
    if depth > config.max_depth:
        raise TooLargeError(
            source, f"elements nested {depth} deep, over the limit of {config.max_depth}"
        )


def nesting_depth(html: str) -> int:
    """An estimate of how deep the page's elements nest, from its tags alone.

    >>> nesting_depth("<div><div><p>a<p>b<br></div></div><span>c</span>")
    2
    """
    depth = deepest = 0
    for closing, name, self_closing in _TAG.findall(html):
        if self_closing or name.lower() in _FLAT:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def body_segments(body: etree._Element) -> list[Segment]:
    """Flatten trafilatura's XML body into segments in reading order.

    >>> from lxml import etree
    >>> body = etree.fromstring('<body><head>T</head><p>a<lb/>b</p><list><item>i</item></list></body>')
    >>> [(s.kind, s.text, s.starts_block) for s in body_segments(body)]
    [('heading', 'T', True), ('p', 'a', True), ('p', 'b', False), ('item', 'i', True)]
    """
    segments: list[Segment] = []

    def add(text: str, kind: Kind, starts_block: bool) -> None:
        text = drop_data_runs(drop_invisible(text))
        if text.strip():
            segments.append(Segment(text, len(segments), kind, starts_block))

    def walk(container: etree._Element) -> None:
        add(_SPACE.sub(" ", container.text or "").strip(), "p", True)
        for block in container:
            tag = block.tag if isinstance(block.tag, str) else ""
            if tag == "list":
                for item in block.findall("item"):  # nested lists stay inside their item
                    add(_flat(item), "item", True)
            elif tag == "table":
                for row in block.iter("row"):
                    add(" | ".join(_flat(cell) for cell in row), "p", True)
            elif tag == "code":
                add("".join(block.itertext()).strip("\n"), "code", True)
            elif tag in _BLOCK_KINDS:
                for i, line in enumerate(_lines(block)):
                    add(line, _BLOCK_KINDS[tag], i == 0)
            elif tag in _CONTAINERS:  # fallback extractors keep the page's own <div>s
                walk(block)
            elif tag:  # graphic and other unknown blocks: keep their text as a paragraph
                add(_flat(block), "p", True)
            # trafilatura leaves text that follows a block without a wrapper in its tail
            add(_SPACE.sub(" ", block.tail or "").strip(), "p", True)

    walk(body)
    return segments


def _lines(element: etree._Element) -> list[str]:
    """Text of a block split at its `<lb/>` line breaks."""
    parts: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("")
        else:
            parts[-1] += "".join(child.itertext())
        parts[-1] += child.tail or ""
    return [_SPACE.sub(" ", p).strip() for p in parts if p.strip()]


def _flat(element: etree._Element) -> str:
    """All text of an element, with a space wherever a block (not inline markup) starts
    or ends, so that "<item><head>Essay</head>Two…" does not read "EssayTwo"."""
    parts: list[str] = []
    stack: list[tuple[etree._Element, bool]] = [(element, False)]
    while stack:  # iterative: deep nesting must not hit the recursion limit
        node, closing = stack.pop()
        if closing:
            parts.append(" " if node.tag not in _INLINE else "")
            parts.append(node.tail or "")
            continue
        if node is not element and node.tag not in _INLINE:
            parts.append(" ")
        parts.append(node.text or "")
        if node is not element:
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return _SPACE.sub(" ", "".join(parts)).strip()
