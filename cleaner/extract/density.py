"""The project's own extractor: the densest block of prose in the lexbor tree.

It is the second opinion for pages on which trafilatura finds nothing or too little
(`cleaner.extract.html.extract_html`), and the only extractor for pages too large for
trafilatura's tree (`Config.max_elements`). It runs in time linear in the page: one walk
of the tree in document order, then one pass over the blocks in reverse.

Every text node's words belong to its nearest block element (a paragraph, a table cell,
a `<div>` that holds text directly); words inside a link count as link words. A block
whose own words are mostly links (a menu, a tag cloud) scores nothing; any other block
scores its non-link words; a paragraph passes them on in full to its parent block and
half to its grandparent, and any other block (a `<div>` or table cell holding text
directly) half to its parent and a quarter to its grandparent. A container of paragraphs
thus outscores each of them, while a table cell that holds the whole article outscores
the row and table around it. The block
with the highest score, discounted by the link density of everything inside it, is the
main content; its blocks come out in reading order, less those that are mostly links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree
from selectolax.lexbor import LexborHTMLParser

#: Elements that start a block of text; anything else (`<a>`, `<b>`, `<span>`, `<font>`)
#: is inline and its words belong to the enclosing block.
BLOCK_TAGS = frozenset(
    """address article aside blockquote body center dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup li main nav ol p pre
    section summary table tbody td tfoot th thead tr ul""".split()
)
#: Characters an XML tree cannot hold (control characters, lone surrogates, U+FFFE/F):
#: trafilatura's body is lxml XML, and so is this extractor's.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
#: Never text: what `cleaner.extract.prune` removes, in case the tree was not pruned.
_SKIPPED = frozenset({"script", "style", "template", "noscript", "svg", "head", "title"})

#: A block whose own words are more than this share link words is navigation: it scores
#: nothing and is left out of the output. Half is the usual cut in boilerplate detection
#: (menus and link lists sit near 1.0, article paragraphs with a few links near 0.1).
MAX_LINK_DENSITY = 0.5

#: Blocks that are one paragraph of a text: their words count in full for their parent
#: (the text they are part of) and half for its parent, as in readability's scoring.
PARAGRAPH_TAGS = frozenset(
    "p li h1 h2 h3 h4 h5 h6 pre blockquote dd dt figcaption address summary".split()
)

#: Shares of the words of any other block holding text directly (a `<div>` or table cell
#: that is the text itself) passed to its parent and grandparent blocks: a cell holding an
#: article must outscore the row that also holds the menu beside it.
PARENT_SHARE = 0.5
GRANDPARENT_SHARE = 0.25


@dataclass(slots=True)
class _Block:
    tag: str
    parent: int  # index of the parent block, -1 for the root
    pieces: list[str] = field(default_factory=list)
    words: int = 0
    link_words: int = 0
    score: float = 0.0
    tree_words: int = 0
    tree_link_words: int = 0
    last: int = 0  # index of the last block inside this one


#: Inline markup that only styles words, unwrapped (in C) before the walk: on a page of a
#: million `<i>` elements the walk would visit two million nodes in Python, 25 s.
_STYLING = [
    *"b i u s em strong span font small big sub sup abbr cite mark q tt strike del ins"
    " nobr time label".split()
]


#: Void elements, which hold no text, removed (in C) before the walk for the same reason.
_TEXTLESS = "img hr wbr area col embed source track param meta link base input".split()


def densest_body(tree: LexborHTMLParser) -> etree._Element | None:
    """The densest block's text as a trafilatura-like XML body (`<p>`, `<head>`,
    `<list><item>`; `<lb/>` for line breaks), or None when the page holds no prose.
    Removes the tree's void elements and unwraps its styling markup (`_TEXTLESS`,
    `_STYLING`): pass a tree that is not needed after."""
    root = tree.body
    if root is None:
        return None
    tree.strip_tags(_TEXTLESS)
    tree.unwrap_tags(_STYLING)
    tree.merge_text_nodes()
    blocks = _blocks(tree)
    if not blocks:
        return None
    best = _best(blocks)
    if best is None:
        return None
    body = etree.Element("body")
    for block in _selected(blocks, best):
        if not block.words or block.link_words > MAX_LINK_DENSITY * block.words:
            continue
        text = _NOT_XML.sub("", "".join(block.pieces))
        lines = [" ".join(line.split()) for line in text.split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if block.tag in _HEADINGS:
            element = etree.SubElement(body, "head")
        elif block.tag == "li":
            element = etree.SubElement(etree.SubElement(body, "list"), "item")
        else:
            element = etree.SubElement(body, "p")
        element.text = lines[0]
        for line in lines[1:]:
            etree.SubElement(element, "lb").tail = line
    return body if len(body) else None


#: A sibling of the densest block whose score is at least this share of its own joins it:
#: the posts of a forum thread or the comments below a story sit in sibling containers of
#: about equal weight, and the densest alone would be one post. A fifth, as in
#: readability's sibling rule; a forum page of ../shared/corpus/regressions went from one
#: post (recall 0.27) to its thread.
SIBLING_SHARE = 0.2


#: Before looking at siblings, the densest block stands for its parent when it holds at
#: least this share of the parent's words (a post's text inside the post, beside its
#: author and date), so that the siblings compared are the posts themselves. Measured
#: with this extractor alone on ../shared/corpus (per-page F1, no climbing and no siblings
#: -> this and `SIBLING_SHARE`): WCXB forums 0.51 -> 0.66, listings 0.15 -> 0.25, services
#: 0.47 -> 0.59, products 0.47 -> 0.51, but articles 0.92 -> 0.79 and scrapinghub 0.93 ->
#: 0.88. It speaks only where trafilatura found next to nothing (see
#: `cleaner.extract.html.SECOND_OPINION_BELOW_WORDS`), which on the dev corpus are mostly
#: forums and listings, not articles; 0.9 with siblings at 0.3 sat in between.
CLIMB_SHARE = 0.8


def _selected(blocks: list[_Block], best: int) -> list[_Block]:
    """The blocks of the densest block and of its siblings that score near it, in
    document order."""
    while (up := blocks[best].parent) >= 0 and (
        blocks[best].tree_words >= CLIMB_SHARE * blocks[up].tree_words
    ):
        best = up
    parent = blocks[best].parent
    if parent < 0:
        return blocks[best : blocks[best].last + 1]
    floor = SIBLING_SHARE * blocks[best].score
    chosen: list[_Block] = []
    i = parent + 1
    while i <= blocks[parent].last:  # the parent's children, skipping their subtrees
        child = blocks[i]
        if i == best or (child.score >= floor and _link_density(child) <= MAX_LINK_DENSITY):
            chosen += blocks[i : child.last + 1]
        i = child.last + 1
    return chosen


def _link_density(block: _Block) -> float:
    return block.tree_link_words / block.tree_words if block.tree_words else 1.0


def _blocks(tree: LexborHTMLParser) -> list[_Block]:
    """The page's blocks in document order, each with its own text and word counts."""
    root = tree.body
    assert root is not None
    blocks: list[_Block] = [_Block("body", -1)]
    # per element (by lexbor's mem_id): its block's index and whether it is in a link;
    # the walk is in document order, so a parent is always known before its children
    where: dict[int, tuple[int, bool]] = {root.mem_id: (0, False)}
    skipped: set[int] = set()
    for node in root.traverse(include_text=True):
        parent = node.parent
        if node is root or parent is None:
            continue
        if parent.mem_id in skipped:
            if node.is_element_node:
                skipped.add(node.mem_id)
            continue
        block, in_link = where.get(parent.mem_id, (0, False))
        tag = node.tag
        if node.is_text_node:
            text = node.text_content or ""
            if text.strip():
                words = len(text.split())
                blocks[block].pieces.append(text)
                blocks[block].words += words
                blocks[block].link_words += words if in_link else 0
            continue
        if not node.is_element_node or tag is None:
            continue
        if tag in _SKIPPED or "hidden" in node.attributes:
            skipped.add(node.mem_id)
        elif tag in BLOCK_TAGS:
            blocks.append(_Block(tag, block))
            where[node.mem_id] = (len(blocks) - 1, in_link)
        else:
            if tag == "br":
                blocks[block].pieces.append("\n")
            where[node.mem_id] = (block, in_link or tag == "a")
    return blocks


def _best(blocks: list[_Block]) -> int | None:
    """Index of the block with the highest score times its share of non-link words."""
    for i, block in enumerate(blocks):
        block.last = i
        if block.words and block.link_words <= MAX_LINK_DENSITY * block.words:
            own = block.words - block.link_words
            paragraph = block.tag in PARAGRAPH_TAGS
            block.score += own
            if block.parent >= 0:
                parent = blocks[block.parent]
                parent.score += own if paragraph else PARENT_SHARE * own
                if parent.parent >= 0:
                    share = PARENT_SHARE if paragraph else GRANDPARENT_SHARE
                    blocks[parent.parent].score += share * own
    # children come after their parent in document order: reversed, each block's totals
    # are complete before they are added to its parent's
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        block.tree_words += block.words
        block.tree_link_words += block.link_words
        if block.parent >= 0:
            parent = blocks[block.parent]
            parent.tree_words += block.tree_words
            parent.tree_link_words += block.tree_link_words
            parent.last = max(parent.last, block.last)
    best, best_value = None, 0.0
    for i, block in enumerate(blocks):
        if not block.tree_words:
            continue
        value = block.score * (1 - _link_density(block))
        if value > best_value:
            best, best_value = i, value
    return best
