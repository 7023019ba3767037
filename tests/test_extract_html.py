"""The HTML extraction step: what it asks trafilatura for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import trafilatura
from lxml import etree

from cleaner.extract.html import _extractor_options

#: What the cleaner asks trafilatura for, as keywords (`cleaner.extract.html`'s settings).
KEYWORDS: dict[str, Any] = {
    "include_comments": False,
    "include_formatting": True,
    "include_tables": True,
    "with_metadata": False,
    "output_format": "xml",
}

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "samples" / "raw").glob("*.htm*"))


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("recall", [False, True])
def test_reused_settings_match_trafilaturas_own(fast: bool, recall: bool) -> None:
    """The settings are built once and copied per page; they must stay what trafilatura
    builds from the equivalent keywords, or an upgrade could change extraction unseen."""
    assert SAMPLES, "no HTML sample to compare on"
    for path in SAMPLES:
        html = path.read_text(encoding="utf-8")
        url = f"https://example.org/{path.stem}"
        ours = trafilatura.bare_extraction(html, options=_extractor_options(fast, recall, url))
        theirs = trafilatura.bare_extraction(
            html, url=url, fast=fast, favor_recall=recall, **KEYWORDS
        )
        assert ours is not None and theirs is not None, path.name
        assert etree.tostring(ours.body) == etree.tostring(theirs.body), path.name


def test_settings_are_per_page() -> None:
    """A copy per page: one page's URL never leaks into another's settings."""
    first = _extractor_options(True, False, "https://a.example/1")
    second = _extractor_options(True, False, "https://b.example/2")
    assert (first.url, second.url) == ("https://a.example/1", "https://b.example/2")
    assert first is not second


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("recall", [False, True])
def test_reused_settings_equal_those_trafilatura_builds(
    monkeypatch: pytest.MonkeyPatch, fast: bool, recall: bool
) -> None:
    """Field by field, also those no sample exercises (comments, links, deduplication)."""
    import trafilatura.core as core

    built: list[core.Extractor] = []

    class Recording(core.Extractor):
        def __init__(self, **options: object) -> None:
            super().__init__(**options)  # type: ignore[arg-type]
            built.append(self)

    monkeypatch.setattr(core, "Extractor", Recording)
    url = "https://example.org/a"
    trafilatura.bare_extraction(
        "<html><body><p>One short paragraph.</p></body></html>",
        url=url,
        fast=fast,
        favor_recall=recall,
        **KEYWORDS,
    )
    (theirs,) = built
    ours = _extractor_options(fast, recall, url)
    # date_params holds the day the settings were built: read only by metadata extraction,
    # which is off, and it would differ from a template built before midnight
    for field in set(core.Extractor.__slots__) - {"date_params"}:
        assert getattr(ours, field) == getattr(theirs, field), field


def test_the_full_cascade_replaces_the_fast_answer_only_when_it_extends_it() -> None:
    """wcxb-dev-more 0543: the fast cascade found the forum post, the full one (run
    because the post is a small share of the page) returned the cookie panel instead."""
    from lxml import etree

    from cleaner.extract.html import _extends

    post = etree.fromstring("<body><p>Does anyone know what these two screws are for?</p></body>")
    panel = etree.fromstring(
        "<body><p>Privacy Preference Center: we use cookies to store your choices.</p></body>"
    )
    thread = etree.fromstring(
        "<body><p>Does anyone know what these two screws are for?</p>"
        "<p>They hold the fan bracket.</p></body>"
    )
    assert not _extends(panel, post)
    assert _extends(thread, post)
    assert _extends(panel, None)  # nothing found fast: any answer is better
    assert not _extends(None, post)


def test_a_code_sample_of_a_larger_page_is_not_its_text() -> None:
    """wcxb-dev-more 2836: a landing page's API snippet was all the extraction held."""
    from cleaner.extract.html import _code_sample, _words

    snippet = " ".join(
        ["export default async (req) => { return Response.json({ ok: true }); };"] * 5
    )
    sample = etree.fromstring(f"<body><code>{snippet}</code></body>")
    words = len(snippet.split())
    assert _code_sample(sample, words, page_words=10 * words)
    assert not _code_sample(sample, words, page_words=2 * words)  # most of the page: a code page
    assert not _code_sample(sample, words, page_words=None)  # unknown (JSON-LD): no judgement
    explained = etree.fromstring(
        "<body><p>Call the function from your handler and read its answer as JSON; "
        "every request is logged.</p>"
        f"<code>{snippet}</code></body>"
    )
    # 60 words of code and 14 of prose: the prose makes it an explanation
    assert not _code_sample(explained, _words(explained), page_words=10 * words)
    prose = etree.fromstring("<body><p>Deploy from anywhere you build.</p></body>")
    assert not _code_sample(prose, _words(prose), page_words=1000)
    assert not _code_sample(None, 0, page_words=1000)
