"""Properties of `clean_text` and `clean_html` on arbitrary input: they raise nothing but
`CleanError`, and they never invent text (every word of the output is a word of the
input, after the documented normalisations: NUL characters dropped, lone surrogates
made U+FFFD, HTML entities decoded, and lines re-joined into paragraphs).
"""

from __future__ import annotations

import contextlib
import html as html_lib
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from cleaner import CleanError, Config, Document, clean_html, clean_text

FAST = Config(learned=False, detect_language=False)

#: Enough examples to find the usual crashes, few enough that the suite stays fast.
#: No example database: it would leave a .hypothesis folder in the checkout.
PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

_SURROGATE = re.compile("[\ud800-\udfff]")

WORDS = st.sampled_from(
    "the council met on Monday and approved budget bridge Share Comments Menu Home "
    "Köln Brücke Городской совет 東京都 © » « — Read more Subscribe Cookie 2024 "
    "https://example.org/a?b=1 & &amp; &lt; &#169; &nbsp; < > \" ' # - * 1. >".split()
)
#: Lines that look like scraped plaintext: words, markers, blank lines, odd characters.
LINE = st.one_of(
    st.lists(WORDS, min_size=1, max_size=20).map(" ".join),
    st.text(max_size=60),
    st.just(""),
    st.just("```"),
)
TEXTS = st.one_of(st.lists(LINE, max_size=25).map("\n".join), st.text(max_size=400))

TAGS = st.sampled_from(
    "p div span article main section h1 h2 li ul nav footer header a b i script style "
    "noscript table tr td pre code blockquote title".split()
)


@st.composite
def html_ish(draw: st.DrawFn) -> str:
    """Tag soup: real tags with real and made-up attributes around words, not always
    closed, in no particular order, sometimes inside a whole document."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.integers(0, 5))
        tag = draw(TAGS)
        if kind == 0:
            cls = draw(st.sampled_from(["", " class='share'", " id='main'", " class='x y'"]))
            parts.append(f"<{tag}{cls}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(st.text(max_size=30)))
        else:
            parts.append(" ".join(draw(st.lists(WORDS, min_size=1, max_size=15))))
    body = "".join(parts)
    if draw(st.booleans()):
        body = f"<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>"
    return body


def normalised(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text).replace("\x00", "")


def words(text: str) -> set[str]:
    return set(text.split())


def assert_no_invented_words(doc: Document, source_text: str) -> None:
    """Every word of the output occurs in the source, or is glued from whole pieces of
    it (two lines joined; the texts of two elements run together: a piece is a word,
    or a tag, which the HTML parser reads as text inside `<title>` or `<textarea>`)."""
    allowed = words(source_text)
    glued = _glued(source_text)
    pieces = {_glued(p) for p in _PIECE_BREAKS.split(source_text) if p} - {""}
    invented = [
        w
        for w in words(doc.text)
        if w not in allowed and _glued(w) not in glued and not _made_of(_glued(w), pieces)
    ]
    assert not invented, invented


#: Pieces are separated by whitespace, and tags are pieces of their own.
_PIECE_BREAKS = re.compile(r"(<[^<>]*>)|\s+")


def _made_of(word: str, pieces: set[str]) -> bool:
    """`word` is a concatenation of whole pieces."""
    ends = {0}
    for end in range(1, len(word) + 1):
        if any(word[start:end] in pieces for start in ends):
            ends.add(end)
    return len(word) in ends


def _glued(text: str) -> str:
    """The text without what may separate the pieces of a word the cleaner glues back
    together: whitespace, and the control, format and unassigned characters that the
    parsers drop."""
    return "".join(ch for ch in text if ch.isprintable() and not ch.isspace())


def visible_text(markup: str) -> str:
    """All text of the markup as a browser-like parser sees it, entities decoded, plus
    the markup with entities decoded (trafilatura's parser may read broken markup
    differently from this one)."""
    text = ""
    try:
        tree = lxml_html.document_fromstring(markup)
        text = " ".join(tree.itertext())
    except (etree.ParserError, ValueError):
        pass
    return f"{text} {html_lib.unescape(markup)}"


@PROPERTY_SETTINGS
@given(TEXTS)
def test_clean_text_raises_only_clean_errors_and_invents_nothing(text: str) -> None:
    try:
        doc = clean_text(text, config=FAST)
    except CleanError as exc:
        assert exc.source == "<text>"
        return
    assert doc.text.strip()
    assert_no_invented_words(doc, normalised(text))


@PROPERTY_SETTINGS
@given(st.one_of(html_ish(), TEXTS))
def test_clean_html_raises_only_clean_errors_and_invents_nothing(markup: str) -> None:
    try:
        doc = clean_html(markup, url="https://example.org/page", config=FAST)
    except CleanError as exc:
        assert exc.source == "https://example.org/page"
        return
    assert doc.text.strip()
    assert_no_invented_words(doc, visible_text(normalised(markup)))


@PROPERTY_SETTINGS
@given(st.binary(max_size=600))
def test_clean_html_on_arbitrary_bytes_raises_only_clean_errors(data: bytes) -> None:
    with contextlib.suppress(CleanError):
        clean_html(data, config=FAST)


def test_lone_surrogates_are_replaced_not_a_crash() -> None:
    line = "The council met on Monday \udcff and approved the budget after a long debate."
    doc = clean_text(line, config=FAST)
    assert doc.text == line.replace("\udcff", "\ufffd")
