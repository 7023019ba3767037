"""Corpus rendering, line labelling and the benchmark's metrics, on hand-made cases.

Only the last test reads the shared corpus, and it skips when the corpus is absent.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

# bench/ is a folder of scripts run from the project root, not an installed package: make
# it importable however pytest was started.
REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench.run import (  # noqa: E402
    SnippetCounts,
    bow_scores,
    kept_in_output,
    mean_scores,
    snippet_counts,
    wrap_lines_as_html,
)
from cleaner.document import RawPage  # noqa: E402
from cleaner.load import decode  # noqa: E402
from cleaner.training.corpus import (  # noqa: E402
    CorpusPage,
    decode_html,
    iter_corpus,
    label_lines,
    label_lines_by_snippets,
    render_lines,
)

#: ../shared/corpus beside the checkout, as on the developers' machines and in CI.
SHARED_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"

PAGE = """<!DOCTYPE html>
<html><head><title>Head title</title><style>p { color: red }</style>
<script>var x = "in head";</script></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
<script>document.write("never shown");</script>
<style>.ad { display: none }</style>
<template><p>inert template</p></template>
<svg><text>svg label</text></svg>
<article>
  <h1>Bridge   works
      approved</h1>
  <p>The council <b>approved</b> the works<br>on Monday.</p>
  <div>Outer text<div>inner block</div>tail text</div>
  <table><tr><td>Name</td><td>Votes</td></tr><tr><th>Yes</th><td>7</td></tr></table>
  <pre>line one
line two</pre>
</article>
<noscript><p>Posts load without JavaScript too.</p></noscript>
<!-- a comment -->
<footer>&copy; 2025 Example&nbsp;Gazette</footer>
</body></html>"""


# -- render_lines ----------------------------------------------------------------------------


def test_render_lines_one_line_per_block_and_skips_invisible_text() -> None:
    assert render_lines(PAGE) == [
        "Home",
        "News",
        "Bridge works approved",
        "The council approved the works",
        "on Monday.",
        "Outer text",
        "inner block",
        "tail text",
        "Name Votes",
        "Yes 7",
        "line one",
        "line two",
        "Posts load without JavaScript too.",
        "© 2025 Example Gazette",
    ]


def test_render_lines_noscript_pixel_does_not_swallow_the_page() -> None:
    # `<iframe/>` is no self-closing tag: parsed as markup it would hide the rest of the page
    page = (
        '<body><noscript><iframe src="https://t.example/ns" /></noscript>'
        "<h3>Select a service</h3><noscript><div>Post:</div> hello</noscript></body>"
    )
    assert render_lines(page) == ["Select a service", "Post:", "hello"]


def test_render_lines_closes_a_title_left_open() -> None:
    # without the repair the whole page is the title's text, and no line is rendered
    page = "<html><head><title>Gaza crossings closed\n</head><body><p>Israel closed the crossings.</p>"
    assert render_lines(page) == ["Israel closed the crossings."]


def test_render_lines_decodes_bytes_by_declared_charset() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>Café “ok”</p></body></html>'
    assert render_lines(page.encode("cp1252")) == ["Café “ok”"]


def test_render_lines_survives_bad_bytes_and_deep_nesting() -> None:
    deep = "<div>" * 5000 + "deep" + "</div>" * 5000
    # a lone byte that is not UTF-8 reads as windows-1252, as the cleaner itself reads it
    assert render_lines(b"<p>ok \xff</p>" + deep.encode()) == ["ok ÿ", "deep"]


GERMAN = "<p>Die Bürger von Köln stimmten über die Brücke ab. Größere Änderungen folgen.</p>"
RUSSIAN = "<p>Городской совет в понедельник одобрил строительство новой библиотеки.</p>"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(
            b'<meta charset="windows-1251">' + RUSSIAN.encode("cp1251"),
            '<meta charset="windows-1251">' + RUSSIAN,
            id="declared-in-meta",
        ),
        pytest.param("<p>é</p>".encode("utf-16"), "<p>é</p>", id="utf-16-bom"),
        pytest.param(b"\xef\xbb\xbf" + GERMAN.encode(), GERMAN, id="utf-8-bom"),
        pytest.param(GERMAN.encode("cp1252"), GERMAN, id="undeclared-cp1252"),
        pytest.param(GERMAN.encode(), GERMAN, id="undeclared-utf-8"),
        pytest.param(RUSSIAN.encode("utf-16-le"), RUSSIAN, id="utf-16-without-bom"),
        # five corpus pages: a latin-1 declaration on UTF-8 bytes (the old sniffer made "Ã©")
        pytest.param(
            b'<meta charset="iso-8859-1">' + GERMAN.encode(),
            '<meta charset="iso-8859-1">' + GERMAN,
            id="wrong-declaration-on-utf-8",
        ),
    ],
)
def test_corpus_pages_decode_as_the_cleaner_decodes_them(data: bytes, expected: str) -> None:
    """One decoder: the renderings the line model learns from and the pipeline's input."""
    assert decode_html(data) == expected
    assert decode(RawPage(data=data, source="page"))[0] == expected


# -- label_lines -----------------------------------------------------------------------------

GOLD = """Bridge works approved

The council approved the bridge works on Monday after a long debate.

Next steps
- Tender in May
- Works start in autumn"""


def test_label_lines_long_lines_by_trigram_share() -> None:
    lines = [
        "The council approved the bridge works on Monday after a long debate.",
        "The council approved the bridge works, says the mayor in a statement today.",
        "Share this story with your friends and family today",
    ]
    # line 2: 4 of its 11 trigrams are in the gold, under half
    assert label_lines(lines, GOLD) == [True, False, False]


def test_label_lines_half_of_trigrams_is_enough() -> None:
    # 4 trigrams; "council approved the" and "approved the bridge" are gold: exactly half
    assert label_lines(["council approved the bridge today, fine"], GOLD) == [True]


def test_label_lines_short_lines_must_match_a_whole_paragraph_or_line() -> None:
    lines = ["next  STEPS!", "Tender in May", "Monday", "Bridge works", "»"]
    assert label_lines(lines, GOLD) == [True, True, False, False, False]


def test_label_lines_scores_a_repeated_line_as_often_as_the_gold_holds_it() -> None:
    long_line = "The council approved the bridge works on Monday after a long debate."
    lines = ["Next steps", long_line, "Next steps", "Next steps", long_line, "Share"]
    # the gold holds each once: the copy nearest the middle of the content lines is scored
    assert label_lines(lines, GOLD) == [None, True, True, None, None, False]


def test_label_lines_keeps_as_many_copies_as_the_gold_has() -> None:
    gold = "Coffee\n\nOur coffee is roasted in small batches every week.\n\nCoffee"
    lines = ["Coffee", "Our coffee is roasted in small batches every week.", "Coffee", "Coffee"]
    # two copies scored (those nearest the middle of the content lines), one left out
    assert label_lines(lines, gold) == [None, True, True, True]


def test_label_lines_leaves_repeated_boilerplate_scored() -> None:
    assert label_lines(["Share", "Next steps", "Share"], GOLD) == [False, True, False]


# -- label_lines_by_snippets -----------------------------------------------------------------


def test_label_lines_by_snippets() -> None:
    lines = [
        "Home | News",
        "Die Stadt hat am Montag",
        "die Brücke wieder geöffnet, sagte der Bürgermeister.",
        "Fazit",
        "Teilen Twittern E-Mail",
        "Unrelated line of text here",
        "Fazit: Teilen Twittern E-Mail",
    ]
    withs = ["Die Stadt hat am Montag die Brücke wieder geöffnet", "Fazit"]
    withouts = ["teilen twittern e-mail", "Home"]
    assert label_lines_by_snippets(lines, withs, withouts) == [
        False,  # holds the whole `without` snippet "Home"
        True,  # the snippet starts here
        True,  # ... and runs on into this line
        True,  # the whole short snippet
        False,
        None,  # covered by no snippet
        None,  # holds a `with` and a `without` snippet: undecidable
    ]


def test_short_with_snippet_parts_do_not_count() -> None:
    assert label_lines_by_snippets(["am Montag"], ["Die Stadt hat am Montag"], []) == [None]


# -- metrics ---------------------------------------------------------------------------------


def test_bow_scores_hand_computed() -> None:
    # extraction: a a b c (4); gold: a b b d (4); multiset overlap: a, b = 2
    scores = bow_scores("A a, b c", "a b b d")
    assert scores.precision == pytest.approx(0.5)
    assert scores.recall == pytest.approx(0.5)
    assert scores.f1 == pytest.approx(0.5)


def test_bow_scores_empty_extraction_scores_zero() -> None:
    scores = bow_scores("", "some gold text")
    assert (scores.precision, scores.recall, scores.f1) == (0.0, 0.0, 0.0)


def test_bow_scores_unequal_precision_and_recall() -> None:
    # extraction: x y z w (4); gold: x y (2); overlap 2 -> P 0.5, R 1, F1 2/3
    scores = bow_scores("x y z w", "x y")
    assert (scores.precision, scores.recall) == (0.5, 1.0)
    assert scores.f1 == pytest.approx(2 / 3)


def test_mean_scores_averages_pages_not_tokens() -> None:
    mean = mean_scores([bow_scores("a b", "a b"), bow_scores("c", "d")])
    assert mean.f1 == pytest.approx(0.5)


def test_snippet_counts_and_micro_scores() -> None:
    extracted = "Der Rat hat getagt.\nTeilen | Drucken\n"
    counts = snippet_counts(
        extracted,
        ["der Rat hat", "RAT HAT GETAGT", "fehlt hier", "!!!"],  # "!!!" has no tokens
        ["Teilen Drucken", "Impressum", "rat"],  # "rat" is a whole token in the text
    )
    assert counts == SnippetCounts(tp=2, fp=2, fn=1, tn=1)
    total = SnippetCounts()
    total.add(counts)
    total.add(SnippetCounts(tp=2, fp=0, fn=1, tn=3))
    scores = total.scores()
    assert scores.precision == pytest.approx(4 / 6)
    assert scores.recall == pytest.approx(4 / 6)
    assert scores.f1 == pytest.approx(4 / 6)


def test_snippets_match_substrings_of_the_normalised_text() -> None:
    # annotators cut snippets mid-word ("Stadtverwalt"); whole-token matching would miss them
    counts = snippet_counts("Die Stadtverwaltung, heute.", ["stadtverwalt", "Die  STADT"], [])
    assert counts == SnippetCounts(tp=2)


def test_kept_in_output_aligns_short_lines_between_long_ones() -> None:
    lines = [
        "News",
        "The council met on Monday evening to vote.",
        "Photo: city archive",
        "Share",
        "Members voted seven to four in favour of it.",
        "News",
    ]
    output = (
        "The council met on Monday evening to vote.\nPhoto: city archive\n"
        "Members voted seven to four in favour of it.\nOther news follow."
    )
    assert kept_in_output(lines, output) == [False, True, True, False, True, True]


def test_wrap_lines_as_html_escapes() -> None:
    page = wrap_lines_as_html(["a < b & c"]).decode("utf-8")
    assert "<p>a &lt; b &amp; c</p>" in page
    assert render_lines(page) == ["a < b & c"]


# -- corpus access ---------------------------------------------------------------------------


def test_iter_corpus_reads_one_dataset_or_a_folder_of_them(tmp_path: Path) -> None:
    for name, record in [
        ("alpha", {"id": "p1", "url": "https://a.example/x ", "text": "Gold text."}),
        (
            "beta",
            {
                "id": "p2",
                "url": None,
                "with": ["w"],
                "without": ["o"],
                "page_type": "forum",
                "title": " T ",
            },
        ),
    ]:
        (tmp_path / name / "html").mkdir(parents=True)
        (tmp_path / name / "html" / f"{record['id']}.html").write_text("<p>x</p>")
        missing = {"id": "gone", "text": "no html file for this one"}
        lines = [json.dumps(record), json.dumps(missing)]
        (tmp_path / name / "gold.jsonl").write_text("\n".join(lines) + "\n")
    (tmp_path / "not-a-dataset").mkdir()

    pages = list(iter_corpus(tmp_path))
    assert [(p.dataset, p.id) for p in pages] == [("alpha", "p1"), ("beta", "p2")]
    assert pages[0].url == "https://a.example/x"
    assert pages[0].text == "Gold text." and pages[0].with_snippets == []
    assert pages[1] == CorpusPage(
        dataset="beta",
        id="p2",
        html_path=tmp_path / "beta" / "html" / "p2.html",
        url=None,
        text=None,
        with_snippets=["w"],
        without_snippets=["o"],
        page_type="forum",
        title="T",
    )
    assert pages[0].title is None
    assert [p.id for p in iter_corpus(tmp_path / "beta")] == ["p2"]


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="the shared corpus is not available")
def test_shared_corpus_pages_render_and_label() -> None:
    page = next(iter_corpus(SHARED_CORPUS / "scrapinghub"))
    lines = render_lines(page.html_path.read_bytes())
    labels = label_lines(lines, page.text or "")
    assert lines and any(labels) and not all(labels)


def test_long_snippets_cut_mid_word_still_label_their_line() -> None:
    lines = ["Die Stadtverwaltung tagt heute im Rathaus.", "Rathausplatz"]
    assert label_lines_by_snippets(lines, ["verwaltung tagt heute im Rat"], ["Rat"]) == [
        True,
        None,  # "Rat" is short: it must match a whole token
    ]


def test_plaintext_tally_counts_a_title_moved_to_metadata_as_delivered(tmp_path: Path) -> None:
    from bench.run import LineTally, _run_cleaner_on_lines

    lines = [
        "Home",
        "World",
        "Sport",
        "Harbour bridge reopens after two years of works",
        "The harbour bridge reopened on Monday after two years of works and delays.",
        "Drivers said the new deck was quieter and the queues at the toll were shorter.",
    ]
    gold = "\n\n".join(lines[3:])
    page = CorpusPage("toy", "p1", tmp_path / "p1.html", "https://a.example/news/x", gold)
    labels = label_lines(lines, gold)
    assert labels == [False, False, False, True, True, True]
    tally = LineTally()
    _run_cleaner_on_lines(tally, page, lines, labels)
    # the headline became metadata.title: the user still has it, so no content is lost
    assert tally.content == 3 and tally.content_lost == 0
    assert not tally.content_lost_by
    assert tally.boilerplate == 3 and tally.boilerplate_kept == 0
