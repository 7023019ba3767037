"""One selectolax (lexbor) parse per page: read its metadata, then remove obvious furniture.

lexbor parses a page about three times faster than lxml, so this pass does the cheap work
that would otherwise cost trafilatura time on a bigger tree:

1. reads the page's metadata (`cleaner.extract.meta`) while `<head>` is still whole;
2. removes what is never main content, wherever it is: scripts (but not JSON-LD, from
   which trafilatura's baseline can still read a whole article), styles, media, form
   controls, and the `<head>` apart from its title;
3. removes small elements whose class or id *tokens* name a cookie banner, share bar,
   newsletter box, advert or breadcrumb.

4. finds the page's main container (`<article>`, `<main>`) when one holds nearly all of
   its paragraphs, so that trafilatura can search that container alone.

The tags in step 2 are ones trafilatura deletes anyway, before it looks for the article,
so removing them here changes little of what it finds; it only gets a smaller tree.
Measured on ../shared/corpus with `bench/run.py` (see README): a wider pass that also
removed `<nav>`, `<footer>`, `<aside>`, `role=navigation|banner|contentinfo|complementary`,
`aria-hidden` elements and tokens such as "modal", "popup", "skip", "share" or "cmp" cost
0.01 to 0.035 F1 on the WCXB sample (its gold keeps navigation on some page types; "cmp"
is a component prefix, not a consent manager), so those are left to trafilatura and the
line cleaners.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner.extract.meta import page_metadata

#: Removed wherever they are: never main content.
_ALWAYS = (
    "script:not([type='application/ld+json']), style, template, svg, iframe, button, "
    "select, input, textarea, dialog, noscript, canvas, video, audio, object, embed, "
    "source, track, map, area, option, optgroup, datalist, picture"
)

#: In `<head>`, only the title and JSON-LD matter to the extractor; metadata was read first.
_HEAD_JUNK = "head meta, head link, head base"

#: Class/id tokens that name furniture. Tokens, not substrings: "shareholder" is content.
FURNITURE_TOKENS = frozenset(
    """cookie cookies cookiebanner consent gdpr newsletter sharing sharebar social
    breadcrumb breadcrumbs advertisement advert adslot sponsored paywall""".split()
)
_TOKEN_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")

#: lexbor finds candidates by substring, in C; `_names_furniture` then checks whole tokens.
#: Every token above contains one of these stems.
_CANDIDATES = ", ".join(
    f"[{attr}*={stem} i]"
    for stem in """cookie consent gdpr newsletter shar social breadcrumb advert adslot
    sponsored paywall""".split()
    for attr in ("class", "id")
)

#: Furniture is small: banners, share bars and newsletter boxes in the corpus hold under
#: 60 words. A larger element with such a class is a page section ("newsletter" archive
#: pages wrap the article in `<article class="newsletter">`), and stays.
MAX_FURNITURE_WORDS = 60

#: Tags that wrap the page or the article: never removed by class.
_NEVER_REMOVED = frozenset({"html", "body", "main", "article"})


_JSON_LD = "body script[type='application/ld+json']"

#: Elements that hold a page's main content, when it marks it.
ARTICLE_CONTAINERS = "article, main, [role=main], [itemprop=articleBody]"

#: A container is the page's main content when it holds this share of the words in the
#: page's paragraphs (0.9 on ../shared/corpus: article pages pass, listing pages with many
#: `<article>` cards do not).
CONTAINER_SHARE = 0.9

#: Pages with fewer words in paragraphs than this are not reduced: too little to tell.
MIN_CONTAINER_WORDS = 50


@dataclass(slots=True)
class Pruned:
    """The page without its furniture, as HTML for the extractor, plus its metadata.

    When the page marks a main container that holds nearly all of its paragraphs, `html`
    is that container alone (with the page's `<head>`): trafilatura then searches a tree
    a fraction of the page's size. `full_html` keeps the whole pruned page, for when the
    extractor finds in `html` much less than the `container_words` the container holds
    (see `cleaner.extract.html.extract_html`).
    """

    html: str
    meta: dict[str, Any] = field(default_factory=dict)
    full_html: str | None = None
    container_words: int = 0
    #: words in all of the pruned page's text, None when it holds JSON-LD (whose
    #: `articleBody` trafilatura's baseline decodes into more words than its raw text)
    words: int | None = None


def prepare(html: str, url: str | None = None, find_container: bool = True) -> Pruned:
    """Metadata and pruned HTML from one parse (the HTML unchanged if it has no body);
    `find_container=False` never reduces the page to its main container.

    >>> prepare('<p>Text</p><div class="cookie-banner">We use cookies</div><script>x()</script>').html
    '<html><head></head><body><p>Text</p></body></html>'
    """
    tree = LexborHTMLParser(html)
    meta = page_metadata(tree, url)
    if tree.body is None:
        return Pruned(html, meta)
    remove_furniture(tree)
    pruned = tree.html or html
    ld_nodes = tree.css(_JSON_LD)
    root = tree.root
    page_words = None if ld_nodes or root is None else len(root.text(separator=" ").split())
    container, words = main_container(tree) if find_container else (None, 0)
    if container is None:
        return Pruned(pruned, meta, words=page_words)
    head = tree.head.html if tree.head is not None else ""
    # JSON-LD outside the container goes along: trafilatura's baseline reads a whole
    # article from its `articleBody` where the page shows only a teaser.
    ld = "".join(n.html or "" for n in ld_nodes if not _has_ancestor_in(n, {container.mem_id}))
    focused = f"<html>{head or ''}<body>{container.html or ''}{ld}</body></html>"
    return Pruned(focused, meta, full_html=pruned, container_words=words, words=page_words)


def remove_furniture(tree: LexborHTMLParser) -> None:
    for node in tree.css(f"{_ALWAYS}, {_HEAD_JUNK}"):
        node.decompose()
    doomed: list[LexborNode] = []
    doomed_ids: set[int] = set()
    for node in tree.css(_CANDIDATES):  # document order: ancestors come first
        if node.tag in _NEVER_REMOVED or not _names_furniture(node):
            continue
        if _has_ancestor_in(node, doomed_ids):
            continue
        if len(node.text(separator=" ", strip=True).split()) <= MAX_FURNITURE_WORDS:
            doomed.append(node)
            doomed_ids.add(node.mem_id)
    for node in doomed:  # decompose only after the walk: it frees the subtree
        node.decompose()


def main_container(tree: LexborHTMLParser) -> tuple[LexborNode | None, int]:
    """The smallest `<article>`/`<main>`-like element holding nearly all of the page's
    paragraph text, and how many words of paragraphs it holds; (None, 0) if none does."""
    body = tree.body
    total = paragraph_words(body) if body is not None else 0
    if total < MIN_CONTAINER_WORDS:
        return None, 0
    best: tuple[int, LexborNode, int] | None = None
    for node in tree.css(ARTICLE_CONTAINERS):
        words = paragraph_words(node)
        if words >= CONTAINER_SHARE * total:
            size = len(node.html or "")
            if best is None or size < best[0]:
                best = (size, node, words)
    return (best[1], best[2]) if best else (None, 0)


def paragraph_words(node: LexborNode) -> int:
    """Words in the `<p>` elements under `node`: the measure of where an article is."""
    return len(" ".join(p.text(deep=True) for p in node.css("p")).split())


def _names_furniture(node: LexborNode) -> bool:
    attrs = node.attributes
    tokens = {
        t.lower()
        for value in (attrs.get("class"), attrs.get("id"))
        if value
        for t in _TOKEN_SPLIT.split(value)
    }
    return not tokens.isdisjoint(FURNITURE_TOKENS)


def _has_ancestor_in(node: LexborNode, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False
