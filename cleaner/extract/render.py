"""The visible text of an HTML page as a naive scraper saves it: one line per block.

The training corpus renders pages this way to make the plaintext the line model learns
from, and the pipeline renders a page this way to say what extraction left out of it
(`cleaner.extract.drops`): both must see the same lines.
"""

from __future__ import annotations

from typing import Protocol

from selectolax.lexbor import LexborHTMLParser, LexborNode

from cleaner.extract.repair import close_unclosed_title

#: Elements whose text a reader never sees. <head> holds the title and metadata, which a
#: scraper of the body does not save; <template> content is inert until script uses it.
SKIPPED_TAGS = frozenset(
    "head script style template svg noembed noframes iframe object canvas math".split()
)

#: Elements that start and end a line: the HTML "block" and "list item" display defaults
#: (WHATWG rendering section), plus <option> (each is a row of a drop-down) and <br>.
BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption center dd details dialog dir div dl "
    "dt fieldset figcaption figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr "
    "html legend li listing main menu nav noscript ol optgroup option p plaintext pre "
    "search section summary table tbody tfoot thead tr ul xmp".split()
)

#: Table cells share their row's line, separated by a space (what innerText's tab becomes
#: once whitespace is collapsed).
CELL_TAGS = frozenset({"td", "th"})

#: Elements whose text keeps its line breaks.
PREFORMATTED_TAGS = frozenset({"pre", "textarea", "listing", "plaintext", "xmp"})


def render_lines(html: str | bytes) -> list[str]:
    """The body's text as a naive scraper saves it: one line per block element.

    Inline markup does not break a line, table cells share their row's line, whitespace
    is collapsed within a line and empty lines are dropped. Script, style, template, svg
    and head are skipped; <noscript> is kept, because some forums serve their posts there.
    CSS is ignored, as naive scrapers ignore it, so text hidden by a stylesheet stays in.

    >>> render_lines("<body><h1>Title</h1><p>One <b>bold</b>\\n word<br>next</p>"
    ...              "<script>x()</script><table><tr><td>a</td><td>b</td></tr></table></body>")
    ['Title', 'One bold word', 'next', 'a b']
    """
    markup = decode_html(html)
    roots = _roots(markup)
    if not roots:
        return []
    try:
        text = _marked_text(roots[0])
    except _UnmarkableError:  # walk such a page node by node, on a tree marking left whole
        return _walked_lines(_roots(markup))
    # nested blocks leave runs of marks: most pieces are empty or spacing
    return [
        " ".join(piece.split()) for piece in text.split(_BREAK) if piece and not piece.isspace()
    ]


def body_of(html: str | bytes) -> LexborNode | None:
    """The page's <body> (or its root, if it has none), parsed as every renderer parses it.

    Parsed as a browser that runs scripts does: <noscript> holds raw text then, so a
    tracking pixel written `<noscript><iframe .../></noscript>` cannot open an <iframe>
    that swallows the rest of the page, as it does with scripting off. A `<title>` left
    open is closed first, as the HTML path does (`cleaner.extract.repair`): otherwise the
    whole page is title text and renders to no line at all (10 of the 13 pages of
    ../shared/corpus/regressions did).
    """
    tree = LexborHTMLParser(close_unclosed_title(decode_html(html)), scripting=True)
    return tree.body or tree.root


class Renderer(Protocol):
    """What `walk` calls as it goes: `open` on entering an element (False skips its
    content, and then `close` is not called for it), `close` on leaving it, `text` for
    each text node. `tag` is the element's lower-case name."""

    def open(self, tag: str, node: LexborNode) -> bool: ...

    def close(self, tag: str, node: LexborNode) -> None: ...

    def text(self, value: str) -> None: ...


#: Marks a line break in the text lexbor gathers (`_marked_text`): a private-use
#: character, not whitespace (which a line's own spacing would collapse into).
_BREAK = "\ue000"

_SKIPPED = ", ".join(sorted(SKIPPED_TAGS))
_BLOCKS = ", ".join(sorted(BLOCK_TAGS))
_CELLS = ", ".join(sorted(CELL_TAGS))
_PREFORMATTED = ", ".join(sorted(PREFORMATTED_TAGS))

#: A <noscript> whose lines `walk` splits at its markup's line breaks (<textarea>,
#: <xmp> and <plaintext> hold raw text, where no <noscript> can open).
_NOSCRIPT_IN_PREFORMATTED = "pre noscript, listing noscript"


class _UnmarkableError(Exception):
    """`_marked_text` cannot give `walk`'s lines for this page."""


def _marked_text(root: LexborNode) -> str:
    """The text of `root` with `_BREAK` wherever `walk` would end a line: split at the
    marks, with their spacing collapsed, it gives the lines `walk` gives. Changes the tree.

    `walk` visits every node in Python; here lexbor selects the few elements that make a
    difference (skipped, <noscript>, preformatted, block, cell) and gathers the text in C
    (0.46 -> 0.41 ms a page of at most 30 KB, parse included; the parse and lexbor's
    selectors are most of what is left). tests/test_render.py holds the two to the same
    lines. Raises `_UnmarkableError` when the page's text holds the mark itself, or a
    <noscript> sits in preformatted text.
    """
    # Last first: a skipped element inside another goes before the one that holds it,
    # which would free it along with itself.
    for node in reversed(root.css(_SKIPPED)):
        node.decompose()
    if _BREAK in (root.text(deep=True) or "") or root.css_first(_NOSCRIPT_IN_PREFORMATTED):
        raise _UnmarkableError
    # A <noscript> holds raw text with scripting on; its markup, parsed on its own, is walked
    # node by node (lexbor's text of a fragment's first node runs on into its siblings).
    for node in root.css("noscript"):
        lines = _walked_lines(_noscript_content(node))
        if any(_BREAK in line for line in lines):
            raise _UnmarkableError
        node.replace_with(_BREAK + _BREAK.join(lines) + _BREAK)
    for node in root.css(_PREFORMATTED):  # its line breaks end lines
        # listed before any is replaced: replacing a node frees it, which would end a walk
        texts = [text for text in node.traverse(include_text=True) if text.tag == "-text"]
        for text in texts:
            value = text.text_content
            if value and "\n" in value:
                text.replace_with(value.replace("\n", _BREAK))
    own = root.mem_id
    for marks, selector in ((_BREAK, _BLOCKS), (" ", _CELLS)):
        for node in root.css(selector):
            if node.mem_id != own:  # the root's own edges are the text's ends
                node.insert_before(marks)
                node.insert_after(marks)
    return root.text(deep=True) or ""


def _roots(markup: str) -> list[LexborNode]:
    """The body (the whole document if it has none) as the one root of a walk."""
    root = body_of(markup)
    return [root] if root is not None else []


def _walked_lines(roots: list[LexborNode]) -> list[str]:
    """The lines of `roots`, visited node by node (`walk`)."""
    builder = _LineBuilder()
    walk(roots, builder)
    builder.flush()
    return builder.lines


class _LineBuilder:
    """Collects text pieces into the current line and closes lines on block boundaries."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.preformatted = 0  # depth of open <pre>-like elements

    def text(self, value: str) -> None:
        if not self.preformatted:
            self.parts.append(value)
            return
        first, *rest = value.split("\n")
        self.parts.append(first)
        for piece in rest:
            self.flush()
            self.parts.append(piece)

    def open(self, tag: str, node: LexborNode) -> bool:
        if tag in BLOCK_TAGS:
            self.flush()
        elif tag in CELL_TAGS:
            self.parts.append(" ")
        if tag in PREFORMATTED_TAGS:
            self.preformatted += 1
        return True

    def close(self, tag: str, node: LexborNode) -> None:
        if tag in PREFORMATTED_TAGS:
            self.preformatted = max(0, self.preformatted - 1)
        if tag in BLOCK_TAGS:
            self.flush()
        elif tag in CELL_TAGS:
            self.parts.append(" ")

    def flush(self) -> None:
        line = " ".join("".join(self.parts).split())
        if line:
            self.lines.append(line)
        self.parts = []


def walk(roots: list[LexborNode], renderer: Renderer) -> None:
    """Depth-first walk without recursion (real pages nest deeper than Python's stack),
    skipping `SKIPPED_TAGS` and reading <noscript> content as markup: the one tree walk
    of every renderer (`render_lines`, `cleaner.training.renderings`)."""
    stack: list[tuple[LexborNode, bool]] = [(root, False) for root in reversed(roots)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag or ""
        if leaving:
            renderer.close(tag, node)
        elif tag == "-text":
            renderer.text(node.text_content or "")
        elif not tag.startswith("-") and tag not in SKIPPED_TAGS:  # "-comment", "-doctype"
            if not renderer.open(tag, node):
                continue
            stack.append((node, True))
            children = _noscript_content(node) if tag == "noscript" else _children(node)
            stack.extend((child, False) for child in reversed(children))


def _noscript_content(node: LexborNode) -> list[LexborNode]:
    """The markup inside a <noscript>, parsed on its own (it is one raw text node when
    the page is parsed with scripting on)."""
    markup = "".join(child.text_content or "" for child in _children(node))
    fragment = LexborHTMLParser(markup, is_fragment=True, scripting=True)
    first = fragment.root
    nodes = []
    while first is not None:
        nodes.append(first)
        first = first.next
    return nodes


def _children(node: LexborNode) -> list[LexborNode]:
    children = []
    child = node.child
    while child is not None:
        children.append(child)
        child = child.next
    return children


def decode_html(data: str | bytes) -> str:
    """Markup as text, through the loader's own decoder.

    Bytes the decoder calls binary still give text, U+FFFD for what does not decode: a
    page is a page, and one bad stretch should cost characters, not the page.

    >>> decode_html(b'<meta charset="iso-8859-1"><p>caf\\xe9 \\x93ok\\x94</p>')[-16:]
    '<p>café “ok”</p>'
    >>> decode_html(b'<meta charset="iso-8859-1"><p>caf\\xc3\\xa9 \\xe2\\x80\\x9cok\\xe2\\x80\\x9d</p>')[-16:]
    '<p>café “ok”</p>'
    """
    if isinstance(data, str):
        return data
    from cleaner.document import RawPage
    from cleaner.errors import BinaryInputError
    from cleaner.load import decode

    try:
        return decode(RawPage(data=data, source="page"))[0]
    except BinaryInputError:
        return data.decode("utf-8", errors="replace")
