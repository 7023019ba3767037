"""A fast selectolax (lexbor) pass that removes obvious page furniture before extraction.

Only furniture that is unambiguous by markup goes: scripts (but not JSON-LD, from which
trafilatura reads metadata and, on some sites, the whole article), styles, form controls,
and small elements whose class or id *tokens* name a cookie banner, share bar, newsletter
box, advert or breadcrumb.

Measured on ../shared/corpus with `bench/run.py` (see README): a wider pass that also
removed `role=navigation|banner|contentinfo|complementary`, `aria-hidden` elements and
tokens such as "modal", "popup", "skip", "share" or "cmp" cost 0.035 F1 on the WCXB
sample (its gold keeps navigation on some page types; "cmp" is a component prefix, not a
consent manager), so those are left to trafilatura and the line cleaners.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: Removed wherever they are: never main content.
_ALWAYS = (
    "script:not([type='application/ld+json']), style, template, svg, iframe, button, "
    "select, input, textarea, dialog"
)

#: Class/id tokens that name furniture. Tokens, not substrings: "shareholder" is content.
FURNITURE_TOKENS = frozenset(
    """cookie cookies cookiebanner consent gdpr newsletter sharing sharebar social
    breadcrumb breadcrumbs advertisement advert adslot sponsored paywall""".split()
)
_TOKEN_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")

#: Furniture is small: banners, share bars and newsletter boxes in the corpus hold under
#: 60 words. A larger element with such a class is a page section ("newsletter" archive
#: pages wrap the article in `<article class="newsletter">`), and stays.
MAX_FURNITURE_WORDS = 60

#: Tags that wrap the page or the article: never removed by class.
_NEVER_REMOVED = frozenset({"html", "body", "main", "article"})


def prune(html: str) -> str:
    """Return the page without its unambiguous furniture (or unchanged if it can't parse)."""
    tree = LexborHTMLParser(html)
    if tree.body is None:
        return html
    for node in tree.css(_ALWAYS):
        node.decompose()
    doomed: list[LexborNode] = []
    doomed_ids: set[int] = set()
    for node in tree.css("[class], [id]"):  # document order: ancestors come first
        if node.tag in _NEVER_REMOVED or not _names_furniture(node):
            continue
        if _has_ancestor_in(node, doomed_ids):
            continue
        if len(node.text(separator=" ", strip=True).split()) <= MAX_FURNITURE_WORDS:
            doomed.append(node)
            doomed_ids.add(node.mem_id)
    for node in doomed:  # decompose only after the walk: it frees the subtree
        node.decompose()
    return tree.html or html


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
