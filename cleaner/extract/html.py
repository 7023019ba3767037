"""HTML pages: prune furniture with selectolax, then let trafilatura find the main content.

trafilatura's XML body keeps the structure we need (headings, list items, quotes, code),
so each of its blocks becomes a segment with a kind; `<lb/>` breaks inside a paragraph
become separate line segments that continue the block, so that a share bar glued to a
paragraph can be dropped without the paragraph.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import dataclass
from functools import cache
from typing import Any

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

from cleaner.config import Config
from cleaner.document import Kind, Segment
from cleaner.errors import ExtractionError
from cleaner.extract import Extraction
from cleaner.extract.density import densest_body
from cleaner.extract.drops import extraction_drops
from cleaner.extract.meta import page_metadata
from cleaner.extract.prune import Pruned, prepare, remove_furniture
from cleaner.extract.repair import (
    FLAT,
    FLATTEN_DEPTH,
    close_unclosed_title,
    flatten_deep,
    nesting_depth,
)
from cleaner.extract.text import drop_data_runs, drop_invisible

_SPACE = re.compile(r"\s+")
_BLOCK_KINDS: dict[str, Kind] = {"head": "heading", "p": "p", "quote": "quote", "code": "code"}
_INLINE = frozenset({"hi", "ref", "del", "span", "a", "b", "i", "em", "strong", "sub", "sup"})
_CONTAINERS = frozenset({"div", "section", "article", "main", "body", "span", "blockquote"})

#: Opening tags of elements that can nest (not those in `FLAT`): counted in C, they bound
#: the depth from above, so most pages need no scan of their tags in Python.
_OPENING_TAG = re.compile(rf"<(?!(?:{'|'.join(sorted(FLAT))})[\s/>])[A-Za-z]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Stages:
    """Switches for the stages the cleaner adds on top of trafilatura, so that an ablation
    (`python -m bench.compare --systems cleaner-<field>`) runs the real code with one of
    them off. `Config.prune_html` switches the selectolax pass as a whole.

    container: hand trafilatura the page's main container (`<article>`, `<main>`) alone
        when it holds nearly all of the page's paragraphs.
    container_retry: extract the whole pruned page again when the container's extraction
        holds under `MIN_CONTAINER_RECALL` of the container's words.
    fast_first: run trafilatura's fast cascade first, the full one only when it finds
        under `FULL_CASCADE_BELOW_WORDS`; off, the full cascade runs on every page.
    second_opinion: when trafilatura finds little, ask its full cascade on the page as it
        came and the project's own extractor (`_second_opinion`).
    repair: close a `<title>` left open, which hides the whole page from the parsers.
    discussion_full: on a page that declares itself a discussion (`is_discussion`), run
        the full cascade at once: the fast one stops at the first post of a thread.
    """

    container: bool = True
    container_retry: bool = True
    fast_first: bool = True
    second_opinion: bool = True
    repair: bool = True
    discussion_full: bool = True


#: The stages in use. Module state only so that the benchmark can switch one off; the
#: pipeline never changes it.
STAGES = Stages()


def extract_html(html: str, source: str, url: str | None, config: Config) -> Extraction:
    """Main content of an HTML page as segments, plus the page's own metadata.

    The chain: trafilatura (fast cascade on the pruned page or its main container, then
    its full cascade where that found little); when all of that finds under
    `SECOND_OPINION_BELOW_WORDS`, trafilatura's full cascade on the page as it came and
    the project's own extractor (`cleaner.extract.density`) are asked too, and the
    longer answer wins (`_second_opinion`). An error only when none finds any text.
    """
    stages = STAGES
    if stages.repair:
        html = close_unclosed_title(html)
    html, fits = fit_for_parsers(html, config)
    if not fits:  # too many elements for trafilatura's tree: the linear extractor alone
        tree = LexborHTMLParser(html)
        meta = page_metadata(tree, url)
        remove_furniture(tree)
        body = densest_body(tree)
    elif config.prune_html:
        pruned = prepare(html, url, find_container=stages.container)
        meta = pruned.meta
        # A page with fewer words in all than the fast cascade must find would have its
        # fast answer thrown away for the full one's: skip straight to the full one.
        small = pruned.words is not None and pruned.words < FULL_CASCADE_BELOW_WORDS
        thread = stages.discussion_full and is_discussion(html)
        fast = stages.fast_first and not small and not thread
        body = main_content(pruned.html, url, config, fast=fast, page_words=pruned.words)
        if (
            stages.container_retry
            and pruned.full_html is not None
            and _words(body) < MIN_CONTAINER_RECALL * pruned.container_words
        ):
            # the reduced tree misled the extractor: its main container holds much more
            body = main_content(pruned.full_html, url, config, fast=False)
        whole_page_done = False
        if body is None:  # pruning can remove a page's only container (a "modal" article)
            body = main_content(html, url, config, fast=False)
            whole_page_done = True
        words = _words(body)
        if stages.second_opinion and (
            words < SECOND_OPINION_BELOW_WORDS or _code_sample(body, words, pruned.words)
        ):
            body = _second_opinion(body, html, pruned, url, config, whole_page_done)
    else:
        meta = page_metadata(LexborHTMLParser(html), url)
        body = main_content(html, url, config, fast=stages.fast_first)
    if body is None:
        raise ExtractionError(source, "no main content found in the HTML")
    segments = body_segments(body)
    if not segments:
        raise ExtractionError(source, "the HTML's main content is empty")
    # Rendered from the page as the parsers got it (flattened when it was too deep).
    dropped = extraction_drops(html, segments) if config.extraction_drops else []
    return Extraction(segments=segments, meta=meta, dropped=dropped)


def is_discussion(html: str) -> bool:
    """Whether the page declares a forum thread with schema.org's `DiscussionForumPosting`
    (JSON-LD or microdata), as forum software commonly does. On ../shared/corpus the
    type is on 51 of WCXB's 76 forum pages and on one other page of 1,421; on those
    threads trafilatura's fast cascade returns the first post alone (WCXB forums: 0.705
    F1 with it, 0.746 with the full cascade on every page).

    >>> is_discussion('<script type="application/ld+json">{"@type": "DiscussionForumPosting"}</script>')
    True
    """
    return "DiscussionForumPosting" in html


def _second_opinion(
    body: etree._Element | None,
    html: str,
    pruned: Pruned,
    url: str | None,
    config: Config,
    whole_page_done: bool,
) -> etree._Element | None:
    """The longest of trafilatura's answer so far, its full cascade on the page as it
    came (pruning or the container can mislead it), and the densest block of the pruned
    page; the own extractor must find `OWN_EXTRACTOR_GAIN` times as many words to win."""
    words = _words(body)
    if not whole_page_done:
        full = main_content(html, url, config, fast=False)
        if (full_words := _words(full)) > words:
            body, words = full, full_words
    own = densest_body(LexborHTMLParser(pruned.full_html or pruned.html))
    own_words = _words(own)
    if own_words >= MIN_OWN_WORDS and own_words >= OWN_EXTRACTOR_GAIN * words:
        return own
    return body


def _code_sample(body: etree._Element | None, words: int, page_words: int | None) -> bool:
    """Whether the answer (`body`, of `words` words) is a code sample of a page that
    holds much more text: nearly all of its words (`CODE_SAMPLE_SHARE`) in code blocks, and under
    `CODE_SAMPLE_PAGE_SHARE` of the page's words. A landing page that shows a snippet
    of its API (wcxb-dev-more 2836, netlify.com) led trafilatura's full cascade on the
    pruned page to return the snippet alone (F1 0.06 against trafilatura's 0.39 on the
    page as it came); the second opinions then judge, as for an answer too short."""
    if body is None or not words or not page_words:
        return False
    if words >= CODE_SAMPLE_PAGE_SHARE * page_words:
        return False
    outermost = [
        e for e in body.iter("code") if not any(a.tag == "code" for a in e.iterancestors())
    ]
    code = sum(len(t.split()) for e in outermost for t in e.itertext())
    return code >= CODE_SAMPLE_SHARE * words


#: See `_code_sample`.
CODE_SAMPLE_SHARE = 0.9
CODE_SAMPLE_PAGE_SHARE = 0.25


#: When trafilatura's chain finds fewer words than this, the second opinions run, and the
#: own extractor's answer replaces trafilatura's when it holds `OWN_EXTRACTOR_GAIN` times
#: as many words. Measured on the 1,421 pages of ../shared/corpus (trafilatura's chain
#: against `densest_body` on each page, per-page F1): under 50 words the swap happens on
#: 2 pages and gains on both (+0.41 and +0.46); under 100 words on 6, 2 of them worse by
#: more than 0.1 (short articles beside long comment threads); under 200 words it loses
#: overall at any gain from 1.5 to 3.
SECOND_OPINION_BELOW_WORDS = 50

#: See `SECOND_OPINION_BELOW_WORDS`: at 50 words, gains of 1.5 to 5 swap the same pages.
OWN_EXTRACTOR_GAIN = 2.0

#: ...and at least this many words: fewer is a notice or a caption, not a page's text.
MIN_OWN_WORDS = 20


def main_content(
    html: str, url: str | None, config: Config, fast: bool = True, page_words: int | None = None
) -> etree._Element | None:
    """trafilatura's main-content body: its fast cascade first, and the full one (with
    readability and jusText as second opinions) only when the fast one found little.

    The full cascade costs about twice the fast one, and on most pages agrees with it;
    where the fast one finds under `FULL_CASCADE_BELOW_WORDS`, or under
    `FULL_CASCADE_BELOW_SHARE` of the `page_words` of the page it read, it is often a
    listing, a forum or an article split in several containers, which the full one
    recovers.
    """
    import trafilatura

    options = _extractor_options(fast, config.favor_recall, url)
    result: Any = trafilatura.bare_extraction(html, options=options)
    body = None if result is None else result.body
    found = _words(body)
    little = found < FULL_CASCADE_BELOW_WORDS
    small_share = page_words is not None and found < FULL_CASCADE_BELOW_SHARE * page_words
    if fast and (little or small_share):
        options = _extractor_options(False, config.favor_recall, url)
        result = trafilatura.bare_extraction(html, options=options)
        full = None if result is None else result.body
        if little or _extends(full, body):
            body = full
    return body


def _extends(full: etree._Element | None, fast: etree._Element | None) -> bool:
    """Whether the full cascade's answer holds most of the fast one's words: when the fast
    cascade found a text of its own (a forum post) and the full one returns something
    else instead (a consent panel the same size as the page's text), the fast answer
    stands. See `FULL_ANSWER_MIN_OVERLAP`."""
    if full is None:
        return False
    fast_words = set(" ".join(fast.itertext()).lower().split()) if fast is not None else set()
    if not fast_words:
        return True
    full_words = set(" ".join(full.itertext()).lower().split())
    return len(fast_words & full_words) >= FULL_ANSWER_MIN_OVERLAP * len(fast_words)


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


#: The full cascade also runs when the fast one found under this share of the words of
#: the page it read. Measured on ../shared/corpus by replaying bench.compare's per-page F1
#: of the cleaner with and without the fast cascade first (`--systems cleaner,
#: cleaner-fast_first`) against the fast cascade's word count on each page: at 0.1 the
#: full cascade runs on 60 more of the 1,421 pages and lifts wcxb-dev-more from 0.862 to
#: 0.865 (trafilatura's default: 0.864) and WCXB listings from 0.61 to 0.66, but WCXB
#: forums fall from 0.710 to 0.699; at 0.2 and above scrapinghub falls to 0.963 or less.
FULL_CASCADE_BELOW_SHARE = 0.1

#: When the full cascade ran only because of `FULL_CASCADE_BELOW_SHARE` (the fast one had
#: found at least `FULL_CASCADE_BELOW_WORDS`), its answer replaces the fast one only if it
#: holds at least this share of the fast answer's distinct words: it should extend that
#: text, not swap it for another part of the page. wcxb-dev-more 0543 (a forum post, 0.97
#: F1 with the fast answer) fell to 0.15 when the full cascade returned the page's cookie
#: preference panel instead.
FULL_ANSWER_MIN_OVERLAP = 0.5


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


def fit_for_parsers(html: str, config: Config) -> tuple[str, bool]:
    """The page made safe for the parsers, and whether trafilatura can take it.

    A page nested deeper than `Config.max_depth` is flattened to `FLATTEN_DEPTH` (see
    `cleaner.extract.repair`): the parsers' time grows with the square of the depth, in C,
    where no time limit can interrupt it. A page with more than `Config.max_elements`
    elements is too large for trafilatura (its time grows faster than linearly: 100,000
    tiny elements take 9 s), so it goes to the linear extractor alone (False).
    """
    tags = html.count("<")  # an opening and a closing tag per element: a cheap upper bound
    # Each opening tag starts with its own "<", so on most pages the count above already
    # bounds the depth, and the opening tags need not be counted.
    if (
        tags > config.max_depth
        and len(_OPENING_TAG.findall(html)) > config.max_depth
        and nesting_depth(html) > config.max_depth
    ):
        html = flatten_deep(html, min(FLATTEN_DEPTH, config.max_depth))
    return html, tags <= 2 * config.max_elements


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
