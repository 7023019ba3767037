"""The renderings of one page that training and the plaintext benchmark use, on small pages."""

from __future__ import annotations

import itertools

import pytest

from cleaner.extract.render import render_lines
from cleaner.training.renderings import (
    BREADCRUMB_SEPARATORS,
    EXTRACTIONS,
    MIN_CONTAINER_WORDS,
    NAV_SEPARATORS,
    RENDERINGS,
    article_container,
    render,
)

PAGE = """<!DOCTYPE html>
<html><head><title>Head title</title><script>var x = 1;</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<article>
  <h2>Bridge works approved</h2>
  <p>The council <b>approved</b> the works<br>on <a href="/monday">Monday</a>.</p>
  <table><tr><th>Name</th><th>Votes</th></tr><tr><td>Yes</td><td>7</td></tr></table>
  <ul><li>First point of the plan</li><li>Second point</li></ul>
</article>
<footer>&copy; 2025 Example Gazette</footer>
</body></html>"""


def test_every_rendering_renders_the_page() -> None:
    for style in RENDERINGS:
        lines = render(PAGE, style, seed="p1")
        text = "\n".join(lines)
        assert "Bridge works approved" in text, style
        assert "var x" not in text and "Head title" not in text, style
        assert lines[0] and lines[-1], style  # no blank line at either end
        assert all(a or b for a, b in itertools.pairwise(lines)), style  # one blank


def test_blocks_is_render_lines() -> None:
    assert render(PAGE, "blocks") == render_lines(PAGE)
    assert render(PAGE.encode("utf-8"), "blocks") == render_lines(PAGE)


def test_unknown_style_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown rendering 'pdf'"):
        render(PAGE, "pdf")


def test_inner_text() -> None:
    assert render(PAGE, "inner_text") == [
        "Home",
        "News",
        "",
        "Bridge works approved",
        "",
        "The council approved the works",
        "on Monday.",
        "",
        "Name\tVotes",
        "Yes\t7",
        "First point of the plan",
        "Second point",
        "© 2025 Example Gazette",
    ]


def test_inner_text_br_runs_hidden_elements_and_preformatted_text() -> None:
    page = "<div>a<br><br>b</div><p hidden>secret</p><pre>  x = 1\n\n  y = 2</pre><p>end</p>"
    assert render(page, "inner_text") == ["a", "", "b", "  x = 1", "", "  y = 2", "", "end"]


def test_markdown() -> None:
    assert render(PAGE, "markdown") == [
        "* [Home](/)",
        "* [News](/news)",
        "",
        "## Bridge works approved",
        "",
        "The council **approved** the works",
        "on [Monday](/monday).",
        "",
        "Name | Votes",
        "---|---",
        "Yes | 7",
        "",
        "* First point of the plan",
        "* Second point",
        "",
        "© 2025 Example Gazette",
    ]


def test_markdown_links_images_emphasis_code_and_quotes() -> None:
    page = (
        "<p><a href='#top'>Top</a> <a href='https://x.org/'>https://x.org/</a> "
        "<a href='/a'><img src='/i.png' alt='Logo'></a> <a href='/empty'><img alt='no src'></a>"
        "<em> spaced </em>end <code>f(x)</code></p>"
        "<a href='/card'><div><h3>Card title</h3></div></a>"
        "<blockquote><p>Quoted line</p></blockquote>"
        "<ol start='3'><li>three</li><li>four</li></ol>"
        "<pre><code>if x:\n    y()</code></pre>"
    )
    assert render(page, "markdown") == [
        "Top <https://x.org/> [![Logo](/i.png)](/a) _spaced_ end `f(x)`",
        "",
        "### Card title",
        "",
        "> Quoted line",
        "",
        "3. three",
        "4. four",
        "",
        "```",
        "if x:",
        "    y()",
        "```",
    ]


def test_flattened_joins_navigation_with_the_seeded_separator() -> None:
    lines = render(PAGE, "flattened", seed="page-1")
    joined = [line for line in lines if "Home" in line]
    assert len(joined) == 1
    separator = joined[0][len("Home") : -len("News")]
    assert separator in NAV_SEPARATORS
    assert render(PAGE, "flattened", seed="page-1") == lines  # the seed repeats it
    separators = {render(PAGE, "flattened", seed=str(i))[0][4:-4] for i in range(40)}
    assert len(separators) > 3  # and varies between pages
    # the content is laid out as inner_text does it
    assert lines[1:] == render(PAGE, "inner_text")[2:]


def test_flattened_breadcrumbs_short_link_lists_and_own_separators() -> None:
    page = (
        "<div class='Breadcrumbs'><a href='/'>Home</a> <a href='/n'>News</a> <span>Today</span></div>"
        "<p>An article paragraph that is long enough.</p>"
        "<ul><li><a href='/a'>Alpha</a></li><li><a href='/b'>Beta gamma</a></li></ul>"
        "<ul><li>Plain item one</li><li>Plain item two</li></ul>"
        "<footer><a>Terms</a> | <a>Privacy policy</a><p>A footer sentence of several words.</p>"
        "</footer>"
    )
    lines = render(page, "flattened", seed="s")
    crumb = lines[0][len("Home") : lines[0].index("News")]
    nav = lines[4][len("Alpha") : lines[4].index("Beta")]
    assert crumb in BREADCRUMB_SEPARATORS and nav in NAV_SEPARATORS
    assert lines == [
        f"Home{crumb}News{crumb}Today",
        "",
        "An article paragraph that is long enough.",
        "",
        f"Alpha{nav}Beta gamma",
        "Plain item one",
        "Plain item two",
        "Terms | Privacy policy",
        "",
        "A footer sentence of several words.",
    ]


def test_renderings_survive_deep_nesting_and_bytes() -> None:
    deep = "<div>" * 5000 + "deep" + "</div>" * 5000
    for style in RENDERINGS:
        assert render(("<p>caf\xe9</p>" + deep).encode("cp1252"), style)[-1] == "deep", style


def test_private_use_characters_of_the_page_are_not_separators() -> None:
    page = "<nav><a>Home</a><a>\ue001</a></nav><table><tr><td>a\ue000</td><td>b</td></tr></table>"
    assert render(page, "inner_text") == ["Home", "a\tb"]


def test_empty_page() -> None:
    for style in RENDERINGS:
        assert render("", style) == []


# -- what an extracting tool kept of the page ---------------------------------------------

STORY = " ".join(f"The council met for the {n}th time and approved the works." for n in range(9))
ARTICLE_PAGE = f"""<html><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article class="teaser"><p>A short teaser of another story.</p></article>
<article>
  <h1>Bridge works approved</h1>
  <div class="share">Share</div>
  <p>{STORY}</p>
  <p>Getting your audio player ready...</p>
</article>
<footer>&copy; 2025 Example Gazette</footer>
</body></html>"""


def test_container_is_the_inner_text_of_the_article_with_most_words() -> None:
    lines = render(ARTICLE_PAGE, "container")
    assert lines == [
        "Bridge works approved",
        "",
        "Share",
        "",
        STORY,
        "",
        "Getting your audio player ready...",
    ]


def test_container_needs_an_article_with_enough_words() -> None:
    short = "word " * (MIN_CONTAINER_WORDS - 1)
    assert render(f"<main><p>{short}</p></main><p>{STORY}</p>", "container") == []
    assert article_container(f"<main><p>{short} word</p></main>") is not None
    assert render(PAGE, "container") == []  # no container at all: not rendered in this style


def test_extracted_is_trafilatura_plaintext_without_blank_lines() -> None:
    lines = render(ARTICLE_PAGE.encode("utf-8"), "extracted")
    assert STORY in lines
    assert "Home" not in lines and not any("Example Gazette" in line for line in lines)
    assert all(line.strip() == line and line for line in lines)


def test_extractions_of_an_empty_page() -> None:
    for style in EXTRACTIONS:
        assert render("", style) == []


def test_unknown_style_names_every_known_one() -> None:
    with pytest.raises(ValueError, match=r"known: blocks, .*, container, extracted"):
        render(PAGE, "pdf")
