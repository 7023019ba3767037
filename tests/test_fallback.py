"""The extraction's fallback chain and the page repairs before it, on generated pages.

Each case has a false-positive guard beside it: a page trafilatura reads must not be
handed to the own extractor, a closed title must stay as it was.
The last test reads ../shared/corpus/regressions and skips when the corpus is absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaner import Config, clean_html
from cleaner.errors import ExtractionError, NotAPageError
from cleaner.extract import html as extract_html_module
from cleaner.extract.density import densest_body
from cleaner.extract.html import body_segments

FAST = Config(learned=False, detect_language=False)

ARTICLE = [
    "The council met on Monday evening and approved the budget for the new bridge.",
    "Work on the foundations starts in spring, and the first lane should open next year.",
    "Residents who spoke at the meeting asked for a footpath on both sides of the bridge.",
    "The mayor said the city would publish the final plans before the summer holidays.",
]
MENU = "".join(f'<li><a href="/s{i}">Section number {i}</a></li>' for i in range(30))


def texts(html: str) -> list[str]:
    body = densest_body(LexborHTMLParser(html))
    return [] if body is None else [s.text for s in body_segments(body)]


# --- the own extractor ------------------------------------------------------------------------


def test_densest_block_is_the_table_cell_with_the_article_not_the_menu_beside_it() -> None:
    cell = "<br><br>".join(ARTICLE)
    html = (
        f"<html><body><table><tr><td><ul>{MENU}</ul></td><td>{cell}</td>"
        f"<td><a href='/ad'>Advertise with us</a></td></tr></table></body></html>"
    )
    assert texts(html) == ARTICLE


def test_densest_block_is_the_container_of_paragraphs_less_its_link_lists() -> None:
    paragraphs = "".join(f"<p>{p}</p>" for p in ARTICLE)
    related = "<ul>" + "".join(f"<li><a href='/r{i}'>Other story {i}</a></li>" for i in range(5))
    html = (
        f"<html><body><div id=nav><ul>{MENU}</ul></div>"
        f"<div id=story><h1>Bridge approved</h1>{paragraphs}{related}</ul></div>"
        f"<div id=side><p>Short note.</p></div></body></html>"
    )
    assert texts(html) == ["Bridge approved", *ARTICLE]


def test_a_page_of_links_alone_has_no_densest_block() -> None:
    assert texts(f"<html><body><ul>{MENU}</ul></body></html>") == []


# --- the chain ---------------------------------------------------------------------------------


def test_own_extractor_speaks_when_trafilatura_finds_little(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(extract_html_module, "main_content", lambda *args, **kwargs: None)
    page = "<html><body>" + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</body></html>"
    assert clean_html(page, config=FAST).text == "\n\n".join(ARTICLE)


def test_own_extractor_is_not_asked_when_trafilatura_finds_the_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(tree: LexborHTMLParser) -> None:
        raise AssertionError("the own extractor ran on a page trafilatura reads")

    monkeypatch.setattr(extract_html_module, "densest_body", refuse)
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in ARTICLE * 2)
    assert ARTICLE[0] in clean_html(page + "</article></body></html>", config=FAST).text


def test_a_page_without_readable_text_is_still_an_error() -> None:
    with pytest.raises(ExtractionError):
        clean_html("<html><head><title>ERROR</title></head><body></body></html>", config=FAST)


# --- repairs -----------------------------------------------------------------------------------


def test_unclosed_title_no_longer_swallows_the_page() -> None:
    body = "".join(f"<p>{p}</p>" for p in ARTICLE)
    page = f"<html><head><title>Bridge approved\n<script>x()</script></head><body>{body}"
    assert clean_html(page, config=FAST).text == "\n\n".join(ARTICLE)


def test_a_mangled_title_end_tag_is_not_an_end_tag() -> None:
    body = "".join(f"<p>{p}</p>" for p in ARTICLE)
    page = f'<html><head><title>Bridge approved</titlevalue="true" --></head><body>{body}'
    doc = clean_html(page, config=FAST)
    assert doc.text == "\n\n".join(ARTICLE)
    assert doc.metadata["title"] == "Bridge approved"


def test_noscript_whose_end_tag_comes_inside_an_open_div_does_not_hide_the_page() -> None:
    # lexbor nests the rest of the page inside the <noscript>, which pruning removes (as
    # on a CleanEval page); trafilatura's full cascade on the page as it came reads it
    posts = "".join(f"<p>{p}</p>" for p in ARTICLE * 2)
    page = f'<html><body><noscript><div id="nav"></noscript><div>{posts}</div></body></html>'
    assert ARTICLE[0] in clean_html(page, config=FAST).text


def test_xhtml_with_a_prolog_and_no_html_element_is_a_page() -> None:
    body = "".join(f"<p>{p}</p>" for p in ARTICLE)
    page = f'<?xml version="1.0" encoding="utf-8" ?>\n<meta name="x" content="y" />\n{body}'
    assert clean_html(page, config=FAST).text == "\n\n".join(ARTICLE)


def test_other_xml_with_a_prolog_is_still_refused() -> None:
    with pytest.raises(NotAPageError):
        clean_html('<?xml version="1.0"?><record><name>Bridge</name></record>', config=FAST)


def test_nul_bytes_before_the_page_are_skipped() -> None:
    page = "<html><body>" + "".join(f"<p>{p}</p>" for p in ARTICLE) + "</body></html>"
    doc = clean_html(b"\x00" * 500 + page.encode(), config=FAST)
    assert doc.text == "\n\n".join(ARTICLE)


# --- the regression pages ---------------------------------------------------------------------

REGRESSIONS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "regressions"

#: Pages whose HTML holds none of their gold text (an error page; a forum page that loads
#: its posts by script), so no extractor can pass on them.
UNREADABLE = {"dragnet__R427", "wcxb-test__4145"}

#: Below 0.7 although readable: trafilatura keeps a 2008 news page's sidebar of podcasts
#: and press releases (F1 0.65; the own extractor alone scores 0.96, but letting it
#: overrule a long trafilatura answer lost F1 on trafilatura-dev and wcxb-dev-more).
KNOWN_BELOW = {"l3s-gn1__51600d8d-20a1-49a2-87f6-21aa9cb8dbed"}


@pytest.mark.skipif(not REGRESSIONS.is_dir(), reason="../shared/corpus is not here")
def test_regression_pages_give_their_text() -> None:
    from bench.run import bow_scores

    scores = {}
    for line in (REGRESSIONS / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        data = (REGRESSIONS / "html" / f"{record['id']}.html").read_bytes()
        try:
            text = clean_html(data, url=record["url"], config=FAST).text
        except ExtractionError:
            text = ""
        scores[record["id"]] = bow_scores(text, record["text"]).f1
    passed = {page for page, f1 in scores.items() if f1 >= 0.7}
    assert passed == set(scores) - UNREADABLE - KNOWN_BELOW, scores
