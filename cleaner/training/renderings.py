"""One page, rendered as the different tools that scrape plaintext save it.

Scraped plaintext reaches users from many tools, and each lays the same page out its own
way. Training and the plaintext benchmark render every corpus page in each of these
styles, so that the line model and the figures are not tied to one layout (issue 14):

    blocks      one line per block element (`cleaner.extract.render.render_lines`), the
                naive scraper the corpus was first rendered with
    inner_text  a browser's `document.body.innerText` on the unstyled page: a blank line
                around <p> and headings, table cells separated by a TAB, <br> a line break
    markdown    html2text's Markdown: `#` headings, `* `/`1. ` items, `> ` quotes,
                `[text](href)` links, `![alt](src)` images, `**bold**`, `_em_`, fenced
                <pre>, `|`-separated table rows, blank lines between blocks
    flattened   innerText under a site's stylesheet: navigation's short items run on one
                line with a separator the page's seed chooses (" | ", " · ", a TAB...),
                breadcrumbs joined by " › ", " / " or " > "; the rest as inner_text

Most scraped plaintext is not a whole page but what an extracting tool kept of it, with
the furniture it left in (the seeds are such text). Two renderings stand for that
(`EXTRACTIONS`):

    container   innerText of the page's article container (`<article>`, `<main>`,
                `[role=main]`, `[itemprop=articleBody]`: the one with the most words in
                paragraphs), as reader modes and CSS-selector scrapers take it: share
                bars, audio players, captions and "read more" boxes inside the article
                stay; a page without such a container has no rendering in this style
    extracted   trafilatura's plaintext output, set to favour recall and keep comments
                and tables: what a main-content extractor leaves in

All of them walk the tree with `cleaner.extract.render.walk` (iterative, so that deep
pages do not overflow the stack) and skip what it skips; they differ only in what they do
when an element opens or closes and with text. Like `render_lines`, they ignore CSS, keep
<noscript> content (it stands in for what scripts would have shown) and render the body.
"""

from __future__ import annotations

import random
import re

from selectolax.lexbor import LexborNode

from cleaner.extract.prune import ARTICLE_CONTAINERS, paragraph_words
from cleaner.extract.render import (
    BLOCK_TAGS,
    CELL_TAGS,
    PREFORMATTED_TAGS,
    body_of,
    decode_html,
    render_lines,
    walk,
)

RENDERINGS: tuple[str, ...] = ("blocks", "inner_text", "markdown", "flattened")

#: Renderings of what an extracting tool kept of the page (see the module docstring).
EXTRACTIONS: tuple[str, ...] = ("container", "extracted")

#: A container with fewer words in paragraphs is not the page's text (a card, a teaser).
MIN_CONTAINER_WORDS = 50

#: Separators a site's stylesheet puts between navigation items that innerText then runs
#: together on one line (two or more spaces when the CSS gave them margins only).
NAV_SEPARATORS: tuple[str, ...] = ("  ", "   ", " | ", " · ", " • ", " / ", " › ", " » ", "\t")
BREADCRUMB_SEPARATORS: tuple[str, ...] = (" › ", " / ", " > ")

#: A navigation item is short: at most this many words.
SHORT_ITEM_WORDS = 4

#: Placeholders for separators inside a line being built: whitespace collapsing must not
#: eat them, and runs of them become one separator when the line is written.
_CELL, _NAV, _CRUMB = "\ue000", "\ue001", "\ue002"
_SENTINELS = _CELL + _NAV + _CRUMB
_SENTINEL_RUN = re.compile(rf"\s*([{_SENTINELS}])[\s{_SENTINELS}]*")
_NO_SENTINELS = str.maketrans("", "", _SENTINELS)  # a page's own (icon fonts use them)
_WORD = re.compile(r"\w")

#: innerText's "required line break count" of 2: a blank line before and after.
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6".split())
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_CONTAINER_TAGS = frozenset({"nav", "header", "footer", "menu"})
_BREADCRUMB_HOSTS = frozenset({"nav", "ol", "ul", "div"})


def render(html: str | bytes, style: str, seed: str = "") -> list[str]:
    """The page's body text as that kind of tool saves it, as lines (blank lines allowed, they mark block breaks).

    `style` is one of `RENDERINGS`; `seed` picks the separators of the "flattened" style
    (pass the page's id to vary them between pages and repeat them between runs).

    >>> page = ("<body><nav><ul><li><a href='/'>Home</a></li><li><a href='/n'>News</a></li>"
    ...         "</ul></nav><h1>Title</h1><p>One <b>bold</b> word<br>next</p>"
    ...         "<table><tr><td>a</td><td>b</td></tr></table></body>")
    >>> render(page, "blocks")
    ['Home', 'News', 'Title', 'One bold word', 'next', 'a b']
    >>> render(page, "inner_text")
    ['Home', 'News', '', 'Title', '', 'One bold word', 'next', '', 'a\\tb']
    >>> render(page, "markdown")
    ['* [Home](/)', '* [News](/n)', '', '# Title', '', 'One **bold** word', 'next', '', 'a | b', '---|---']
    >>> render(page, "flattened", seed="9")
    ['Home | News', '', 'Title', '', 'One bold word', 'next', '', 'a\\tb']
    """
    if style == "blocks":
        return render_lines(html)
    if style == "extracted":
        return _extracted(html)
    builders = {
        "inner_text": _InnerText,
        "markdown": _Markdown,
        "flattened": _Flattened,
        "container": _InnerText,
    }
    if style not in builders:
        known = ", ".join(RENDERINGS + EXTRACTIONS)
        raise ValueError(f"unknown rendering {style!r}; known: {known}")
    root = article_container(html) if style == "container" else body_of(html)
    if root is None:
        return []
    builder = builders[style](seed)
    walk([root], builder)
    return builder.finish()


class _Lines:
    """Text pieces into lines, with innerText's required line breaks between blocks.

    `end_line(n)` ends the current line and asks for `n` line breaks before the next one
    (2 leaves a blank line); requests between two lines do not add up, the largest wins,
    except for literal breaks (<br>, a newline in <pre>), which do. At most one blank line
    is written in a row: the tools differ in how many they leave, readers of their output
    do not care.
    """

    def __init__(self, separators: dict[str, str]) -> None:
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.pending = 0  # line breaks asked for since the last line written
        self.preformatted = 0  # depth of open <pre>-like elements
        self.separators = separators
        self.prefix: list[str] = []  # written before every line (Markdown's "> ")
        self.marker = ""  # written before the next line only (a list item's "* ")

    def text(self, value: str) -> None:
        value = value.translate(_NO_SENTINELS)
        if not self.preformatted:
            self.parts.append(value)
            return
        first, *rest = value.split("\n")
        self.parts.append(first)
        for piece in rest:
            self.end_line(1, literal=True)
            self.parts.append(piece)

    def end_line(self, breaks: int, literal: bool = False) -> None:
        line = self._current()
        self.parts = []
        if line:
            if self.lines:
                self.lines.extend([""] * min(self.pending - 1, 1))
            self.lines.append("".join(self.prefix) + self.marker + line)
            self.marker = ""
            self.pending = breaks
        elif literal:
            self.pending += breaks
        else:
            self.pending = max(self.pending, breaks)

    def write(self, line: str, before: int, after: int) -> None:
        """A line of the tool's own (a code fence, a rule) with breaks either side."""
        self.end_line(before)
        self.parts.append(line)
        self.end_line(after)

    def finish(self) -> list[str]:
        self.end_line(1)
        return self.lines

    def _current(self) -> str:
        raw = "".join(self.parts)
        if self.preformatted:  # indentation kept
            line = raw.rstrip(_SENTINELS + " \t").lstrip(_SENTINELS)
        else:
            line = " ".join(raw.split()).strip(_SENTINELS + " ")
        if not any(s in line for s in _SENTINELS):
            return line
        return _SENTINEL_RUN.sub(lambda m: self.separators.get(m.group(1), " "), line)


def article_container(html: str | bytes) -> LexborNode | None:
    """The page's article container (`cleaner.extract.prune.ARTICLE_CONTAINERS`) with the
    most words in paragraphs, if it has at least `MIN_CONTAINER_WORDS` of them. Not
    `prune.main_container`, which wants the smallest one holding nearly all of the page's
    paragraphs: a scraper takes the article element it finds, whatever lies beside it.

    >>> article_container("<main><p>" + "word " * 60 + "</p></main>").tag
    'main'
    """
    root = body_of(html)
    if root is None:
        return None
    best, best_words = None, MIN_CONTAINER_WORDS - 1
    for node in root.css(ARTICLE_CONTAINERS):
        words = paragraph_words(node)
        if words > best_words:
            best, best_words = node, words
    return best


def _extracted(html: str | bytes) -> list[str]:
    """trafilatura's plaintext of the page (see the module docstring)."""
    import trafilatura

    text = trafilatura.extract(
        decode_html(html),
        favor_recall=True,
        include_comments=True,
        include_tables=True,
        deduplicate=False,
        with_metadata=False,
    )
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _hidden(node: LexborNode) -> bool:
    """Hidden by the browser's own stylesheet, which innerText obeys: `[hidden]`."""
    return "hidden" in node.attributes


class _InnerText(_Lines):
    """`document.body.innerText` of the page without its stylesheets.

    >>> b = _InnerText(""); walk([body_of("<p>a</p><div>b<br><br>c</div><pre>  x\\n  y</pre>")], b)
    >>> b.finish()
    ['a', '', 'b', '', 'c', '  x', '  y']
    """

    def __init__(self, seed: str = "", separators: dict[str, str] | None = None) -> None:
        super().__init__(separators or {_CELL: "\t"})

    def open(self, tag: str, node: LexborNode) -> bool:
        if _hidden(node):
            return False
        self.block_break(tag)
        if tag in PREFORMATTED_TAGS:
            self.preformatted += 1
        return True

    def close(self, tag: str, node: LexborNode) -> None:
        if tag in CELL_TAGS:
            self.parts.append(_CELL)
        elif tag != "br":
            self.block_break(tag)
        if tag in PREFORMATTED_TAGS:
            self.preformatted = max(0, self.preformatted - 1)

    def block_break(self, tag: str) -> None:
        if tag == "br":
            self.end_line(1, literal=True)
        elif tag in _PARAGRAPH_TAGS:
            self.end_line(2)
        elif tag in BLOCK_TAGS:
            self.end_line(1)


class _Flattened(_InnerText):
    """innerText where a stylesheet lays navigation out in a row.

    Inside <nav>, <header>, <footer>, <menu>, a breadcrumb trail, or a list whose items
    are all short links, an element of at most `SHORT_ITEM_WORDS` words (an <li>, an <a>,
    any block; a <span> of a breadcrumb) is an item: it is separated from its neighbours by the page's separator
    instead of a line break. Longer blocks still break lines. A piece of text there that
    is only punctuation ("|", "»") is the site's own separator and replaces the page's.

    >>> b = _Flattened("1"); walk([body_of(
    ...     "<header><p>Welcome to the site of the town</p><a href=/>Home</a> | <a>Contact us</a>"
    ...     "</header><ol class=breadcrumbs><li>Home</li><li>News</li></ol><p>Text.</p>")], b)
    >>> b.finish()
    ['Welcome to the site of the town', '', 'Home | Contact us', 'Home / News', '', 'Text.']
    """

    def __init__(self, seed: str = "") -> None:
        rng = random.Random(seed)
        nav, crumb = rng.choice(NAV_SEPARATORS), rng.choice(BREADCRUMB_SEPARATORS)
        super().__init__(seed, {_CELL: "\t", _NAV: nav, _CRUMB: crumb})
        self.flat: list[str] = []  # separator placeholders of the open navigation contexts
        self.frames: list[tuple[bool, bool]] = []  # per open element: (item, context)
        self.after_own_separator = False

    def open(self, tag: str, node: LexborNode) -> bool:
        if _hidden(node):
            return False
        item = bool(self.flat) and _item_tag(tag, self.flat[-1]) and _short(node)
        if item:
            self._separate()
        else:
            self.block_break(tag)
        context = _navigation(tag, node)
        if context:
            self.flat.append(context)
        self.frames.append((item, context is not None))
        if tag in PREFORMATTED_TAGS:
            self.preformatted += 1
        return True

    def close(self, tag: str, node: LexborNode) -> None:
        item, context = self.frames.pop()
        if context:
            self.flat.pop()
        if item:
            self._separate()
            if tag in PREFORMATTED_TAGS:
                self.preformatted = max(0, self.preformatted - 1)
        else:
            super().close(tag, node)

    def text(self, value: str) -> None:
        stripped = value.strip()
        if self.flat and stripped and not _WORD.search(stripped):
            while self.parts and not self.parts[-1].strip(_SENTINELS + " \t\n\r\f"):
                self.parts.pop()
            self.parts.append(f" {stripped} ")
            self.after_own_separator = True
            return
        if stripped:
            self.after_own_separator = False
        super().text(value)

    def end_line(self, breaks: int, literal: bool = False) -> None:
        self.after_own_separator = False
        super().end_line(breaks, literal)

    def _separate(self) -> None:
        if not self.after_own_separator:
            self.parts.append(self.flat[-1])


def _item_tag(tag: str, context: str) -> bool:
    """Whether an element can be a navigation item: a block or a link; in a breadcrumb
    trail also a <span> (the current page's crumb is often one)."""
    return tag in BLOCK_TAGS or tag == "a" or (tag == "span" and context == _CRUMB)


def _short(node: LexborNode) -> bool:
    return len(node.text(deep=True).split()) <= SHORT_ITEM_WORDS


def _navigation(tag: str, node: LexborNode) -> str | None:
    """The separator placeholder of the navigation `node` opens, if it is one."""
    if tag in _BREADCRUMB_HOSTS:
        attributes = node.attributes
        label = f"{attributes.get('class') or ''} {attributes.get('aria-label') or ''}"
        if "breadcrumb" in label.lower():
            return _CRUMB
    if tag in _CONTAINER_TAGS:
        return _NAV
    if tag in ("ul", "ol") and _short_link_list(node):
        return _NAV
    return None


def _short_link_list(node: LexborNode) -> bool:
    """Whether a list's items (two or more) are all short and all hold a link."""
    items = 0
    child = node.child
    while child is not None:
        if child.tag == "li":
            if not _short(child) or child.css_first("a") is None:
                return False
            items += 1
        child = child.next
    return items >= 2


class _Markdown(_Lines):
    """Markdown as html2text writes it (its defaults: links and images kept, links to
    "#..." written as their text).

    >>> b = _Markdown(""); walk([body_of(
    ...     "<blockquote><p>Said <i>so</i>.</p></blockquote><ol><li>one<ul><li>sub</li></ul>"
    ...     "</li><li><a href='https://x.org/'>https://x.org/</a></li></ol>"
    ...     "<pre>a = 1\\nb = 2</pre><img src=p.png alt='A dog'><hr>")], b)
    >>> print("\\n".join(b.finish()))
    > Said _so_.
    <BLANKLINE>
    1. one
      * sub
    2. <https://x.org/>
    <BLANKLINE>
    ```
    a = 1
    b = 2
    ```
    <BLANKLINE>
    ![A dog](p.png)
    <BLANKLINE>
    * * *
    """

    def __init__(self, seed: str = "") -> None:
        super().__init__({_CELL: " | "})
        self.frames: list[str | None] = []  # per open element: what to write on close
        self.lists: list[list[int | bool]] = []  # per open list: [ordered, items so far]
        self.rows: list[list[int]] = []  # per open table: [rows so far, cells in this row]
        self.glue = False  # the next text starts right after an opening mark

    def text(self, value: str) -> None:
        if self.glue and not self.preformatted:
            value = value.lstrip()
            self.glue = not value
        super().text(value)

    def open(self, tag: str, node: LexborNode) -> bool:
        suffix: str | None = None
        if tag in _HEADINGS:
            self.end_line(2)
            if node.text(deep=True).strip():
                self._mark("#" * _HEADINGS[tag] + " ")
        elif tag in ("p", "div"):
            self.end_line(2)
        elif tag == "blockquote":
            self.end_line(2)
            self.prefix.append("> ")
        elif tag in ("ul", "ol"):
            self.end_line(1 if self.lists else 2)
            start = node.attributes.get("start") or "1"
            first = int(start) - 1 if start.isdigit() else 0
            self.lists.append([tag == "ol", first])
        elif tag == "li":
            self.end_line(1)
            self.marker = self._item_marker()
        elif tag == "pre":
            self.write("```", 2, 1)
            self.preformatted += 1
        elif tag == "br":
            self.end_line(1, literal=True)
        elif tag == "hr":
            self.write("* * *", 2, 2)
        elif tag == "table":
            self.end_line(2)
            self.rows.append([0, 0])
        elif tag == "tr":
            self.end_line(1)
            if self.rows:
                self.rows[-1][1] = 0
        elif tag == "img":
            src = (node.attributes.get("src") or "").strip()
            if src:
                alt = " ".join((node.attributes.get("alt") or "").split())
                self.parts.append(f"![{alt}]({src})")
        elif tag == "a":
            href = (node.attributes.get("href") or "").strip()
            label = " ".join(node.text(deep=True).split())
            if href.startswith(("http://", "https://")) and label == href:
                self.parts.append(f"<{href}>")
                return False
            if href and not href.startswith(("#", "javascript:")) and _inline(node, label):
                self._mark("[")
                suffix = f"]({href})"
        elif tag in ("b", "strong", "i", "em") or (tag == "code" and not self.preformatted):
            if _inline(node, node.text(deep=True).strip()):
                mark = "**" if tag in ("b", "strong") else "`" if tag == "code" else "_"
                self._mark(mark)
                suffix = mark
        elif tag in BLOCK_TAGS:
            self.end_line(1)
        self.frames.append(suffix)
        return True

    def close(self, tag: str, node: LexborNode) -> None:
        suffix = self.frames.pop()
        if suffix is not None:
            self._unmark(suffix)
        elif tag in _HEADINGS or tag in ("p", "div", "table"):
            self.end_line(2)
            if tag == "table" and self.rows:
                self.rows.pop()
        elif tag == "blockquote":
            self.end_line(2)
            if self.prefix:
                self.prefix.pop()
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.end_line(1 if self.lists else 2)
        elif tag == "li":
            self.end_line(1)
            self.marker = ""
        elif tag == "pre":
            self.end_line(1)
            self.pending = min(self.pending, 1)  # no blank line before the closing fence
            self.preformatted = max(0, self.preformatted - 1)
            self.write("```", 1, 2)
        elif tag in CELL_TAGS:
            self.parts.append(_CELL)
            if self.rows:
                self.rows[-1][1] += 1
        elif tag == "tr":
            self.end_line(1)
            if self.rows:
                rows, cells = self.rows[-1]
                if rows == 0 and cells:
                    self.write("|".join(["---"] * cells), 1, 1)
                self.rows[-1][0] += 1
        elif tag in BLOCK_TAGS and tag not in ("br", "hr"):
            self.end_line(1)

    def _item_marker(self) -> str:
        if not self.lists:
            return "* "
        current = self.lists[-1]
        current[1] = int(current[1]) + 1
        marker = f"{current[1]}. " if current[0] else "* "
        return "  " * (len(self.lists) - 1) + marker

    def _mark(self, mark: str) -> None:
        self.parts.append(mark)
        self.glue = True

    def _unmark(self, mark: str) -> None:
        """Close a mark against the text it follows, moving trailing space outside it."""
        self.glue = False
        trailing = bool(self.parts) and self.parts[-1][-1:].isspace()
        if trailing:
            self.parts[-1] = self.parts[-1].rstrip()
        self.parts.append(mark + (" " if trailing else ""))


def _inline(node: LexborNode, label: str) -> bool:
    """Whether an element's content can take inline marks: it has text (or an image) and
    no block inside (html2text would spread `[` and `](href)` over separate lines)."""
    has_image = False
    for inner in node.traverse():  # the node itself first, which is not a block
        if inner.tag in BLOCK_TAGS:
            return False
        has_image = has_image or (inner.tag == "img" and bool(inner.attributes.get("src")))
    return bool(label) or has_image
