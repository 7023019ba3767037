"""The public API: `clean_file`, `clean_html`, `clean_text` and the `Document` they return.

All article texts and pages here were written for these tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import cleaner
from cleaner import CleanError, Config, Document, clean_file, clean_html, clean_text
from cleaner.errors import ExtractionError
from cleaner.metadata import NEAR_DUPLICATE_BITS, content_id, hamming, near_duplicates

NO_MODEL = Config(learned=False)

LIBRARY = [
    "The town library on Mill Lane reopened on Saturday after a two-year renovation that cost "
    "just over four million euros and added a reading garden, a children's wing and a small "
    "recording studio that anyone with a library card can book for free.",
    "Hundreds of people queued in the drizzle before the doors opened at ten, and the first "
    "visitors were greeted by the head librarian, Ingrid Olsen, who handed out bookmarks cut "
    "from the old oak shelves that had to be removed during the works.",
    "The building dates from 1911 and had not been modernised since the seventies. Leaking "
    "windows and a failing heating system forced the council to close it in the spring of "
    "2023, and for two years the collection lived in a former shoe shop on the high street.",
    "Olsen said the temporary branch had taught her team a lesson about what people actually "
    "use. Loans of printed books held up well, she said, but the busiest corner was a single "
    "table with power sockets where students and remote workers sat from morning to night.",
    "The new library has eighty seats with sockets, quiet rooms that can be reserved online and "
    "longer opening hours on Thursdays. The children's wing has its own entrance so that story "
    "time no longer disturbs readers upstairs.",
    "Not everyone is happy. A group of residents had campaigned to keep the old card catalogue, "
    "a wall of small wooden drawers, and were disappointed to find that only a few drawers were "
    "kept as decoration in the entrance hall.",
    "The council says visitor numbers will be reviewed after six months, and that the studio "
    "will stay free at least until the end of next year.",
]

ORCHESTRA = [
    "The regional youth orchestra will tour five cities in the north this autumn, its first "
    "tour since the pandemic, with a programme of Sibelius, Grieg and a new piece written for "
    "the players by a composer who was once a member of the orchestra herself.",
    "Sixty-two musicians between fourteen and twenty-one were chosen at auditions in March. "
    "Many of them have never played in a concert hall larger than their school gym, and the "
    "conductor, Paavo Lindgren, says that is exactly the point of the tour.",
    "Rehearsals take place on weekends in an old dairy that the orchestra rents from a farmer "
    "outside the city. The acoustics are surprisingly good, Lindgren says, as long as nobody "
    "switches on the cooling fans that still hang from the ceiling.",
    "The new piece is called Ice Road and describes a winter journey across a frozen lake. It "
    "asks the string players to tap their instruments with the wood of their bows to imitate "
    "cracking ice, which took the youngest members several weeks to get right.",
    "Tickets are cheap on purpose. The orchestra's board decided that no seat should cost more "
    "than a cinema ticket, and families with children under twelve can attend the afternoon "
    "concerts for free in every city on the tour.",
    "The tour is paid for by a foundation set up by a former shipping company, and by the "
    "parents, who bake and sell cakes at every rehearsal to cover the cost of the bus.",
    "The first concert is on the eleventh of October, and the last, in the capital, is planned "
    "for the first weekend of November.",
]


def text_page(paragraphs: list[str], before: list[str], after: list[str]) -> str:
    return "\n".join([*before, *paragraphs, *after])


# --- Document.text -----------------------------------------------------------------------


def test_text_has_paragraphs_separated_by_one_blank_line_and_no_title() -> None:
    title = "Town library reopens after two-year renovation"
    doc = clean_text("\n".join([title, *LIBRARY]), config=NO_MODEL)
    assert doc.text.split("\n\n") == LIBRARY
    assert "\n\n\n" not in doc.text
    assert doc.text == doc.text.strip()
    assert title not in doc.text
    assert doc.title == title


def test_plaintext_with_blank_lines_between_paragraphs_gives_the_same_text() -> None:
    single = clean_text("\n".join(LIBRARY), config=NO_MODEL)
    double = clean_text("\n\n\n".join(LIBRARY), config=NO_MODEL)
    assert single.text == double.text


BROKEN = [
    "Speaking at the end of the summit, the minister also said nobody was naive about the risks and",
    "all member states “have more or less the same assessment” of the situation.",
]
REJOINED = (
    "Speaking at the end of the summit, the minister also said nobody was naive about the "
    "risks and all member states “have more or less the same assessment” of the situation."
)


def test_broken_paragraph_is_rejoined() -> None:
    first = "The alliance ended its two-day summit in The Hague on Wednesday."
    last = "The next meeting is planned for the autumn."
    doc = clean_text("\n".join([first, *BROKEN, last]), config=NO_MODEL)
    assert doc.text.split("\n\n") == [first, REJOINED, last]


def test_broken_first_line_is_not_taken_for_the_title() -> None:
    doc = clean_text(
        "\n".join([*BROKEN, "The next meeting is planned for the autumn."]), config=NO_MODEL
    )
    assert doc.text.split("\n\n")[0] == REJOINED


WRAPPED = (
    "The library building dates from 1911 and had not been modernised since\n"
    "the seventies, when the council replaced its windows and its roof.\n"
)


def test_hard_wrapped_lines_are_rejoined_but_short_lines_are_not() -> None:
    opening = "The town library reopened on Saturday.\n\n"
    closing = "\nIt opens at ten every day except Sunday."
    doc = clean_text(opening + WRAPPED + "\nMill Lane 4\nRiverside\n" + closing, config=NO_MODEL)
    assert doc.text.split("\n\n") == [
        "The town library reopened on Saturday.",
        "The library building dates from 1911 and had not been modernised since the seventies, "
        "when the council replaced its windows and its roof.",
        "Mill Lane 4",
        "Riverside",
        "It opens at ten every day except Sunday.",
    ]


def test_line_ending_with_a_colon_is_not_joined_to_the_next() -> None:
    doc = clean_text(
        "The council listed three reasons for the closure:\nleaking windows, a failing boiler and asbestos.",
        config=NO_MODEL,
    )
    assert doc.text.split("\n\n") == [
        "The council listed three reasons for the closure:",
        "leaking windows, a failing boiler and asbestos.",
    ]


def test_plaintext_code_block_stays_one_block() -> None:
    code = 'with open("data.txt") as fh:\n    for line in fh:\n        print(line)'
    doc = clean_text(
        "Loop over the file object itself to read a file line by line.\n```\n" + code + "\n```\n"
        "This keeps only one line in memory at a time.",
        config=NO_MODEL,
    )
    assert code in doc.text


# --- title -------------------------------------------------------------------------------


def test_duplicated_title_is_dropped_once_kept_in_metadata() -> None:
    title = "Town library reopens after two-year renovation"
    doc = clean_text("\n".join([title, title, *LIBRARY]), config=NO_MODEL)
    assert doc.text.split("\n\n") == LIBRARY
    assert doc.metadata["title"] == title
    assert doc.metadata["title_source"] == "line"
    assert [(r["cleaner"], r["rule"]) for r in doc.metadata["removed"]] == [
        ("title", "title_line"),
        ("title", "repeated_title"),
    ]


def test_title_repeated_at_the_end_is_dropped() -> None:
    title = "Town library reopens after two-year renovation"
    doc = clean_text("\n".join([title, *LIBRARY, title.upper()]), config=NO_MODEL)
    assert doc.text.split("\n\n") == LIBRARY


def test_text_without_title_line_gets_a_lead_title_and_keeps_every_paragraph() -> None:
    doc = clean_text("\n".join(LIBRARY), config=NO_MODEL)
    assert doc.text.split("\n\n") == LIBRARY
    assert doc.metadata["title_source"] == "lead"
    assert doc.metadata["title"].startswith("The town library on Mill Lane reopened")


def test_subheading_echoing_the_lead_is_not_taken_for_the_title() -> None:
    paragraphs = [
        LIBRARY[0],
        LIBRARY[1],
        "More seats with power sockets",
        "The new library has eighty seats with power sockets, quiet rooms and longer opening hours.",
    ]
    doc = clean_text("\n".join(paragraphs), config=NO_MODEL)
    assert doc.text.split("\n\n") == paragraphs


LIBRARY_TITLE = "Town library reopens after two-year renovation"

#: What a page saved whole has above its story: a masthead, a menu, another story's
#: headline (in no menu or UI lexicon, so that only the title finder can tell them apart).
MASTHEAD = "The Riverside Courier"
MENU = ["News", "Sport", "Culture"]
OTHER_STORY = "Weekend farmers market draws record crowds"


def test_headline_echoed_by_the_lead_is_taken_over_lines_above_it() -> None:
    text = "\n".join([MASTHEAD, *MENU, OTHER_STORY, "Most read", LIBRARY_TITLE, *LIBRARY])
    doc = clean_text(text, config=NO_MODEL)
    assert doc.metadata["title"] == LIBRARY_TITLE


def test_headline_nearest_above_the_story_is_taken_when_the_lead_does_not_echo_it() -> None:
    headline = "A house for every book"
    text = "\n".join([MASTHEAD, *MENU, headline, "By Ingrid Olsen", *LIBRARY])
    assert clean_text(text, config=NO_MODEL).metadata["title"] == headline


def test_line_restating_the_url_slug_is_the_title() -> None:
    # The lead does not echo this headline, and another story's headline is nearer the
    # story: only the URL tells which line is the title.
    headline = "Turning a new page"
    text = "\n".join([*MENU, headline, OTHER_STORY, *LIBRARY])
    url = "https://www.riversidecourier.example/culture/2025/06/turning-a-new-page.html"
    assert clean_text(text, url=url, config=NO_MODEL).metadata["title"] == headline
    assert clean_text(text, config=NO_MODEL).metadata["title"] == OTHER_STORY


@pytest.mark.parametrize("masthead", [MASTHEAD, "Riverside Courier – News from the Riverside"])
def test_site_name_above_the_story_is_not_its_title(masthead: str) -> None:
    text = "\n".join([masthead, *MENU, *LIBRARY])
    without_url = clean_text(text, config=NO_MODEL)
    assert without_url.metadata["title"] == masthead  # nothing tells a masthead from a title
    doc = clean_text(text, url="https://www.riversidecourier.example/?p=123", config=NO_MODEL)
    assert doc.metadata["title_source"] == "lead"
    assert doc.metadata["title"].startswith("The town library on Mill Lane reopened")


def test_header_lines_above_a_menu_row_are_not_the_title() -> None:
    header = [MASTHEAD, "Serving the riverside since 1921", "Local · Sport · Opinion"]
    doc = clean_text("\n".join([*header, *LIBRARY]), config=NO_MODEL)
    assert doc.metadata["title_source"] == "lead"
    doc = clean_text("\n".join([*header, LIBRARY_TITLE, *LIBRARY]), config=NO_MODEL)
    assert doc.metadata["title"] == LIBRARY_TITLE


@pytest.mark.parametrize(
    ("headline", "url"),
    [
        # shares a word with the host name
        ("Riverside council approves new library budget", "https://www.riverside.example/?p=1"),
        # short, and opens with the site's name ("Courier – a new look" would be taken for
        # the site's name and its tagline)
        ("Courier wins award", "https://courier.example/?p=1"),
    ],
)
def test_real_headline_naming_the_site_is_still_taken(headline: str, url: str) -> None:
    text = "\n".join([OTHER_STORY, *MENU, headline, *LIBRARY])
    assert clean_text(text, url=url, config=NO_MODEL).metadata["title"] == headline


def test_first_japanese_paragraph_is_not_taken_for_the_title() -> None:
    paragraphs = [
        "東京都は月曜日、新しい図書館を開館すると発表しました。市民は無料で利用できます。",
        "図書館は午前九時から午後八時まで開いています。週末も営業します。",
    ]
    doc = clean_text("\n".join(paragraphs), config=NO_MODEL)
    assert doc.text.split("\n\n") == paragraphs


# --- metadata ----------------------------------------------------------------------------

METADATA_KEYS = {
    "id",
    "source",
    "url",
    "format",
    "encoding",
    "title",
    "author",
    "date",
    "site_name",
    "language",
    "word_count",
    "fingerprint",
    "cleaner_version",
    "removed",
}


def test_metadata_has_the_documented_keys_and_is_json() -> None:
    doc = clean_text("By Ingrid Olsen\n" + "\n".join(LIBRARY) + "\nShare", config=NO_MODEL)
    assert set(doc.metadata) >= METADATA_KEYS
    assert json.loads(json.dumps(doc.metadata)) == doc.metadata
    assert doc.metadata["format"] == "text"
    assert doc.metadata["encoding"] == "utf-8"
    assert doc.metadata["author"] == "Ingrid Olsen"
    assert doc.metadata["language"] == "en"
    assert doc.metadata["word_count"] == len(doc.text.split())
    assert re.fullmatch(r"[0-9a-f]{16}", doc.metadata["fingerprint"])
    assert doc.metadata["cleaner_version"] == cleaner.__version__
    assert doc.id == doc.metadata["id"]
    for entry in doc.metadata["removed"]:
        assert {"index", "text", "cleaner", "rule"} <= set(entry)
    assert [(r["text"], r["cleaner"], r["rule"]) for r in doc.metadata["removed"]] == [
        ("By Ingrid Olsen", "heuristic", "byline"),
        ("Share", "heuristic", "ui_phrase"),
    ]
    assert doc.removed == doc.metadata["removed"]


def test_id_is_stable_for_the_same_input_and_differs_for_another() -> None:
    text = "\n".join(LIBRARY)
    first, second = clean_text(text, config=NO_MODEL), clean_text(text, config=NO_MODEL)
    other = clean_text("\n".join(ORCHESTRA), config=NO_MODEL)
    assert first.id == second.id == content_id(text.encode("utf-8"))
    assert re.fullmatch(r"[0-9a-f]{16}", first.id)
    assert other.id != first.id


def test_same_bytes_give_the_same_id_through_every_entry_point(tmp_path: Path) -> None:
    text = "\n".join(LIBRARY)
    path = tmp_path / "library.txt"
    path.write_text(text, encoding="utf-8")
    assert clean_file(path, config=NO_MODEL).id == clean_text(text, config=NO_MODEL).id


def test_source_url_and_site_name() -> None:
    url = "https://www.riverside-courier.example/news/library-reopens"
    with_url = clean_text("\n".join(LIBRARY), url=url, config=NO_MODEL)
    assert with_url.metadata["source"] == url
    assert with_url.metadata["url"] == url
    assert with_url.metadata["site_name"] == "riverside-courier.example"
    without = clean_text("\n".join(LIBRARY), config=NO_MODEL)
    assert without.metadata["source"] == "<text>"
    assert without.metadata["url"] is None
    assert without.metadata["site_name"] is None


def test_clean_file_source_is_the_path(tmp_path: Path) -> None:
    path = tmp_path / "library.txt"
    path.write_text("\n".join(LIBRARY), encoding="utf-8")
    doc = clean_file(path, config=NO_MODEL)
    assert doc.metadata["source"] == str(path)
    assert doc.metadata["format"] == "text"


def test_language_is_detected() -> None:
    german = clean_text(
        "Die Stadtbibliothek in der Mühlengasse hat am Samstag nach zwei Jahren Umbau wieder "
        "geöffnet. Hunderte Menschen warteten im Nieselregen vor der Tür.",
        config=NO_MODEL,
    )
    assert german.metadata["language"] == "de"
    off = clean_text("\n".join(LIBRARY), config=Config(learned=False, detect_language=False))
    assert off.metadata["language"] is None


# --- clean_file with out_dir ------------------------------------------------------------


def test_clean_file_writes_text_and_metadata_named_by_id(tmp_path: Path) -> None:
    raw = tmp_path / "raw" / "library.txt"
    raw.parent.mkdir()
    raw.write_text("Town library reopens after renovation work\n" + "\n".join(LIBRARY), "utf-8")
    out = tmp_path / "out"
    doc = clean_file(raw, out, config=NO_MODEL)
    assert sorted(p.name for p in out.iterdir()) == [f"{doc.id}.json", f"{doc.id}.txt"]
    assert (out / f"{doc.id}.txt").read_text("utf-8") == doc.text + "\n"
    assert json.loads((out / f"{doc.id}.json").read_text("utf-8")) == doc.metadata


def test_clean_file_without_out_dir_writes_nothing(tmp_path: Path) -> None:
    raw = tmp_path / "library.txt"
    raw.write_text("\n".join(LIBRARY), "utf-8")
    clean_file(str(raw), config=NO_MODEL)
    assert [p.name for p in tmp_path.iterdir()] == ["library.txt"]


# --- near-duplicates ---------------------------------------------------------------------


def test_same_article_with_different_furniture_is_a_near_duplicate() -> None:
    site_a = clean_text(
        text_page(
            LIBRARY,
            before=[
                "Local News",
                "Town library reopens after two-year renovation",
                "By Ingrid Berg",
                "4 min read",
                "Share",
            ],
            after=[
                "Advertisement",
                "RELATED TOPICS:",
                "Harbour bridge to close in August",
                "2 hours ago",
                "Comments",
            ],
        ),
        config=NO_MODEL,
    )
    site_b = clean_text(
        text_page(
            LIBRARY,
            before=[
                "Flash News",
                "Library reopens with reading garden and studio",
                "Getting your Trinity Audio player ready...",
                "|",
            ],
            after=[
                "Sign up for our newsletter",
                "© 2025 Valley Post. All rights reserved.",
                "Scroll to Top",
            ],
        ),
        config=NO_MODEL,
    )
    assert site_a.id != site_b.id
    assert (
        hamming(site_a.metadata["fingerprint"], site_b.metadata["fingerprint"])
        <= NEAR_DUPLICATE_BITS
    )
    assert near_duplicates(site_a.metadata["fingerprint"], site_b.metadata["fingerprint"])


def test_lightly_edited_copy_is_a_near_duplicate() -> None:
    edited = [*LIBRARY[:-1], "The studio stays free until the end of next year, the council said."]
    a = clean_text("\n".join(LIBRARY), config=NO_MODEL).metadata["fingerprint"]
    b = clean_text("\n".join(edited), config=NO_MODEL).metadata["fingerprint"]
    assert near_duplicates(a, b)


def test_different_articles_are_not_near_duplicates() -> None:
    a = clean_text("\n".join(LIBRARY), config=NO_MODEL).metadata["fingerprint"]
    b = clean_text("\n".join(ORCHESTRA), config=NO_MODEL).metadata["fingerprint"]
    assert hamming(a, b) > NEAR_DUPLICATE_BITS
    assert not near_duplicates(a, b)


# --- an HTML article page ----------------------------------------------------------------

MUSEUM = [
    "The maritime museum at the old customs house will stay open until nine in the evening "
    "every Friday this summer, its director announced on Monday.",
    "The late openings are a trial. If enough people come, the museum will keep them through "
    "the winter and add a small café in the former harbour master's office.",
    "Visitors will be able to climb the signal tower for the first time since it was closed "
    "for safety checks in 2019. Groups are limited to ten people at a time.",
    "Entry remains free for children, and adults pay eight euros, the same as during the day.",
]

MUSEUM_HTML = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Maritime museum to open late on Fridays | Harbour Gazette</title>
<meta property="og:title" content="Maritime museum to open late on Fridays">
<meta property="og:site_name" content="Harbour Gazette">
<meta name="author" content="Lena Havlik">
<meta property="article:published_time" content="2025-05-12T08:00:00+00:00">
</head>
<body>
<div class="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies</p></div>
<nav class="site-nav"><ul>
<li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/culture">Culture</a></li><li><a href="/weather">Weather</a></li>
</ul></nav>
<main><article>
<h1>Maritime museum to open late on Fridays</h1>
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
<p>{MUSEUM[0]}</p>
<p>{MUSEUM[1]}</p>
<p>Advertisement</p>
<p>{MUSEUM[2]}</p>
<div class="newsletter"><p>Sign up for our newsletter and get the Gazette in your inbox every morning.</p></div>
<p>{MUSEUM[3]}</p>
<p>Related</p>
<ul class="related-links">
<li><a href="/a">Ferry timetable changes from June</a></li>
<li><a href="/b">New bakery opens on Market Street</a></li>
</ul>
</article></main>
<footer><p>© 2025 Harbour Gazette. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>"""


def test_html_article_keeps_every_sentence_and_drops_the_furniture() -> None:
    doc = clean_html(
        MUSEUM_HTML, url="https://harbour-gazette.example/museum-late", config=NO_MODEL
    )
    assert doc.text.split("\n\n") == MUSEUM  # every sentence, in order, and nothing else


def test_html_metadata_comes_from_the_meta_tags() -> None:
    doc = clean_html(
        MUSEUM_HTML, url="https://harbour-gazette.example/museum-late", config=NO_MODEL
    )
    meta = doc.metadata
    assert meta["format"] == "html"
    assert meta["title"] == "Maritime museum to open late on Fridays"
    assert meta["author"] == "Lena Havlik"
    assert meta["date"] == "2025-05-12"
    assert meta["site_name"] == "Harbour Gazette"
    assert meta["url"] == "https://harbour-gazette.example/museum-late"
    assert meta["language"] == "en"
    assert "Maritime museum to open late on Fridays" not in doc.text


def test_html_as_bytes_and_as_text_give_the_same_document() -> None:
    as_text = clean_html(MUSEUM_HTML, config=NO_MODEL)
    as_bytes = clean_html(MUSEUM_HTML.encode("utf-8"), config=NO_MODEL)
    assert as_text.text == as_bytes.text
    assert as_text.id == as_bytes.id


FORUM_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Starter smells like nail polish - is it dead?</title></head><body>
<div id="main-outlet"><h1>Starter smells like nail polish - is it dead?</h1>
<div class="topic-body">
<div class="post"><div class="names"><span>breadhead_nils</span> <span>Mar 2</span></div>
<div class="cooked"><p>My rye starter bubbled for days, but since yesterday it smells of nail polish remover.</p>
<p>Is it dead? Should I throw it away and start again?</p></div></div>
<div class="post"><div class="names"><span>oven_spring</span> <span>Mar 2</span></div>
<div class="cooked"><p>It is not dead, it is hungry. Pour off the liquid and feed it twice a day.</p>
<p>Keeping it a little warmer also helps a young starter a lot.</p></div></div>
</div></div></body></html>"""


def test_forum_posts_keep_their_paragraphs() -> None:
    doc = clean_html(FORUM_HTML, config=NO_MODEL)
    paragraphs = doc.text.split("\n\n")
    assert "Is it dead? Should I throw it away and start again?" in paragraphs
    assert "Keeping it a little warmer also helps a young starter a lot." in paragraphs
    # the poster's name and date stay a line of their own (the WCXB forum gold keeps them),
    # never glued to the post's first sentence
    assert not any(p.startswith("breadhead_nils") and "started" in p for p in paragraphs)


def test_copyright_year_is_not_the_publication_date() -> None:
    page = FORUM_HTML.replace("</body>", "<footer><p>© 2025 Crumb Community</p></footer></body>")
    assert clean_html(page, config=NO_MODEL).metadata["date"] is None


# --- unusable input ----------------------------------------------------------------------


def test_clean_error_names_the_input(tmp_path: Path) -> None:
    with pytest.raises(CleanError) as info:
        clean_file(tmp_path / "missing.html")
    assert str(tmp_path / "missing.html") in str(info.value)


def test_page_of_nothing_but_furniture_raises_extraction_error() -> None:
    with pytest.raises(ExtractionError):
        clean_text("Home\nShare\nComments\nScroll to Top", config=NO_MODEL)


def test_public_names() -> None:
    assert set(cleaner.__all__) >= {
        "clean_file",
        "clean_html",
        "clean_text",
        "Document",
        "CleanError",
    }
    assert isinstance(clean_text("The museum opens late on Fridays.", config=NO_MODEL), Document)
