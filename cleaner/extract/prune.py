"""A fast selectolax (lexbor) pass that removes obvious page furniture before extraction.

Only furniture that is unambiguous by markup goes: scripts and styles, forms and buttons,
and elements whose class or id *tokens* name a cookie banner, share bar, newsletter box,
advert or breadcrumb. A guard keeps any such element that holds a large share of the
page's text, so a `<body class="has-cookie-banner">` or an `<article class="share-on">`
survives.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

#: Removed wherever they are: never main content.
_ALWAYS = "script, style, template, svg, iframe, button, select, input, textarea, dialog"

#: Class/id tokens that name furniture. Tokens, not substrings: "shareholder" is content.
FURNITURE_TOKENS = frozenset(
    """cookie cookies cookiebanner consent gdpr cmp newsletter newsletters subscribe
    subscription share sharing sharebar social socials breadcrumb breadcrumbs advert
    advertisement advertising ad ads adslot sponsored promo paywall popup modal
    skiplink skip""".split()
)
_TOKEN_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")

#: An element holding more than this share of the page's text is never removed by class:
#: real furniture is small next to the article (calibrated by eye on the corpus: share
#: bars and banners hold under 5% of a page's text).
MAX_FURNITURE_SHARE = 0.25


def prune(html: str) -> str:
    """Return the page without its unambiguous furniture (or unchanged if it can't parse)."""
    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    if root is None:
        return html
    for node in tree.css(_ALWAYS):
        node.decompose()
    total = len(root.text(separator=" ", strip=True)) or 1
    doomed: list[LexborNode] = []
    doomed_ids: set[int] = set()
    for node in _furniture_candidates(tree):  # document order: ancestors come first
        if node.tag in {"html", "body", "main", "article"} or _has_ancestor_in(node, doomed_ids):
            continue
        if len(node.text(separator=" ", strip=True)) / total <= MAX_FURNITURE_SHARE:
            doomed.append(node)
            doomed_ids.add(node.mem_id)
    for node in doomed:  # decompose only after the walk: it frees the subtree
        node.decompose()
    return tree.html or html


def _has_ancestor_in(node: LexborNode, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _furniture_candidates(tree: LexborHTMLParser) -> list[LexborNode]:
    found = []
    for node in tree.css("[class], [id], [role], [aria-hidden]"):
        attrs = node.attributes
        if attrs.get("role") in {"navigation", "banner", "contentinfo", "complementary"}:
            found.append(node)
            continue
        if attrs.get("aria-hidden") == "true":
            found.append(node)
            continue
        tokens = {
            t.lower()
            for value in (attrs.get("class"), attrs.get("id"))
            if value
            for t in _TOKEN_SPLIT.split(value)
        }
        if tokens & FURNITURE_TOKENS:
            found.append(node)
    return found
