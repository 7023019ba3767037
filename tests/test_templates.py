"""Site templates: keys, counts, and what `TemplateCleaner` may and may not drop.

The sites here are built by observing pages, as a batch would, so that the counts have
the shape real ones have. Every drop is checked with its reason and score, and every
guard has a case that it must keep and, beside it, a case showing that the same line
goes without the guard's condition, so that a guard that stops working fails a test.
"""

from __future__ import annotations

import json
import random

import pytest

from cleaner.cleaners import PageContext
from cleaner.cleaners import templates as tpl
from cleaner.cleaners.heuristic import HeuristicCleaner
from cleaner.cleaners.templates import (
    REASON,
    SiteTemplates,
    TemplateCleaner,
    judge,
    page_keys,
    plan,
    prune_counts,
    template_key,
)
from cleaner.cleaners.title import TitleCleaner
from cleaner.config import Config
from cleaner.document import Kind, Segment
from cleaner.extract.text import extract_text

SITE = "riverside.example"
NAV = ["Skip to content", "Riverside Gazette", "Home", "News", "Sport", "Contact us"]
FOOTER = ["© 2024 Riverside Media Ltd", "Privacy policy", "Terms of use"]


def segments(*lines: str | tuple[str, Kind]) -> list[Segment]:
    out = []
    for i, line in enumerate(lines):
        text, kind = line if isinstance(line, tuple) else (line, "p")
        out.append(Segment(text=text, index=i, kind=kind))
    return out


def context(title: str | None = None, title_index: int | None = None) -> PageContext:
    return PageContext(
        source="t",
        format="text",
        config=Config(),
        title=title,
        title_index=title_index,
        site=SITE,
    )


def body(i: int, n: int = 3) -> list[str]:
    """Lines of a page's own text: different on every page (the words are drawn by a
    generator seeded with the page, since digits would be folded away)."""
    pick = random.Random(i).choice
    return [
        f"The {pick(WORDS)} and {pick(WORDS)} committee met on a {pick(WORDS)} evening "
        f"to talk about the {pick(WORDS)}, the {pick(WORDS)} and the {pick(WORDS)}."
        for _ in range(n)
    ]


WORDS = (
    "harbour bridge library market school river budget garden station museum ferry park "
    "hospital theatre stadium tunnel orchard quarry mill chapel bakery pier lighthouse "
    "canal airport depot reservoir allotment cinema college clinic forest meadow"
).split()


def site(pages: int, extra: dict[str, int] | None = None) -> SiteTemplates:
    """A site whose every page has NAV, its own text and FOOTER; `extra` puts each of its
    lines (at the end of the page's own text) on that many pages, the first ones."""
    templates = SiteTemplates()
    for i in range(pages):
        own = body(i) + [line for line, n in (extra or {}).items() if i < n]
        templates.observe(f"page-{i}", segments(*NAV, *own, *FOOTER))
    return templates


def dropped(segs: list[Segment]) -> dict[str, tuple[str | None, float | None]]:
    return {s.text: (s.dropped_by, s.score) for s in segs if not s.kept}


def kept(segs: list[Segment]) -> list[str]:
    return [s.text for s in segs if s.kept]


# -- keys


def test_key_folds_case_digits_space_and_edge_punctuation() -> None:
    assert template_key("Posted 3 hours ago |") == template_key("  posted 12 HOURS   ago")
    assert template_key("© 2024 Riverside Media") == template_key("© 2025 Riverside Media.")
    assert template_key("Sign in · 328 readers") == template_key("Sign in · 12,345 readers")
    assert template_key("Tuesday, 14 May 2024") == template_key("Friday, 2 August 2024")
    assert template_key("Home") != template_key("Homes")
    # inner punctuation is part of the line: a quote is not the same words without it
    assert template_key('"No," she said.') != template_key("No she said")


def test_key_is_short_hex_or_empty() -> None:
    key = template_key("A line long enough " * 50)
    assert len(key) == 16 and int(key, 16) >= 0
    assert template_key("— | —") == "" and template_key("   ") == ""


def test_page_keys_leave_out_code_and_empty_keys() -> None:
    segs = segments("Home", ("import os", "code"), "***")
    assert page_keys(segs) == {template_key("Home")}


# -- counts


def test_observe_counts_a_line_once_per_page_and_a_page_once() -> None:
    t = SiteTemplates()
    assert t.observe("p1", segments("Home", "Home", "Story one."))
    assert not t.observe("p1", segments("Home", "Other text."))  # same page id: no-op
    assert t.observe("p2", segments("Home", "Story two."))
    assert t.pages == 2
    assert t.count(template_key("Home")) == 2
    assert t.count(template_key("Other text.")) == 0
    assert t.share(template_key("Home")) == 1.0 and t.share(template_key("Story two.")) == 0.5


def test_merge_adds_pages_and_counts() -> None:
    a, b = SiteTemplates(), SiteTemplates()
    a.observe("p1", segments("Home", "One."))
    b.observe("p2", segments("Home", "Two."))
    b.observe("p3", segments("News", "Three."))
    a.merge(b)
    assert a.pages == 3
    assert a.count(template_key("Home")) == 2 and a.count(template_key("News")) == 1
    assert not a.observe("p3", segments("News"))  # merged page ids are known pages


def test_json_round_trip_keeps_everything() -> None:
    t = site(12)
    back = SiteTemplates.from_json(json.loads(json.dumps(t.to_json())))
    assert back == t


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other"}, "not site templates"),
        ({"version": 2}, "version 2 is not supported"),
        ({"pages": True}, "pages must be a count"),
        ({"pages": -1}, "pages must be a count"),
        ({"counts": {"Home": 3}}, "16-hex keys"),
        ({"counts": {"0123456789abcdef": 0}}, "16-hex keys"),
        ({"page_ids": ["../x"]}, "page_ids"),
    ],
)
def test_from_json_refuses_what_is_not_ours(change: dict[str, object], message: str) -> None:
    data = {**site(2).to_json(), **change}
    with pytest.raises(ValueError, match=message):
        SiteTemplates.from_json(data)


def test_prune_drops_single_page_keys_then_keeps_the_most_frequent() -> None:
    assert prune_counts({"a": 1, "b": 5, "c": 2}, keep=10) == {"b": 5, "c": 2}
    assert prune_counts({"a": 4, "b": 5, "c": 2, "d": 3}, keep=2) == {"b": 5, "a": 4}


def test_a_big_site_stays_bounded_and_keeps_its_template() -> None:
    """1,100 pages of 50 unique lines each is 55,000 keys, over MAX_KEYS: the table is cut,
    and the template lines, on every page, keep their exact counts."""
    t = SiteTemplates()
    nav_keys = [template_key(line) for line in NAV]
    for i in range(1_100):
        unique = [f"k{i}-{j}" for j in range(50)]
        t.observe_keys(f"page-{i}", [*nav_keys, *(template_key(u) for u in unique)])
        assert len(t.counts) <= tpl.MAX_KEYS
    assert t.pages == 1_100
    assert all(t.count(k) == 1_100 for k in nav_keys)
    assert len(t.counts) < tpl.MAX_KEYS  # it was cut, not merely full


def test_page_ids_are_bounded_and_serialised_as_the_smallest() -> None:
    t = SiteTemplates()
    for i in range(2 * tpl.MAX_PAGE_IDS + 1):
        t.observe_keys(f"p{i}", ())
    assert t.pages == 2 * tpl.MAX_PAGE_IDS + 1
    assert len(t.page_ids) == tpl.MAX_PAGE_IDS
    ids = t.to_json()["page_ids"]
    assert ids == sorted(t.page_ids)[: tpl.MAX_PAGE_IDS]


# -- judging: what goes


def test_template_lines_go_with_reason_and_share() -> None:
    page = segments(*NAV, *body(999), *FOOTER)
    judge(page, context(), site(100))
    assert dropped(page) == {line: (REASON, 1.0) for line in NAV + FOOTER}
    assert kept(page) == body(999)


def test_variants_with_other_dates_and_counters_go() -> None:
    page = segments(*NAV, *body(999), "© 2031 Riverside Media Ltd.", *FOOTER[1:])
    judge(page, context(), site(100))
    assert "© 2031 Riverside Media Ltd." in dropped(page)


def test_score_is_the_share_of_pages() -> None:
    """A line on 70 of 100 pages, in the footer block, goes with score 0.7."""
    t = site(100, {"Follow us on Mastodon": 70})
    page = segments(*NAV, *body(999), "Follow us on Mastodon", *FOOTER)
    judge(page, context(), t)
    assert dropped(page)["Follow us on Mastodon"] == (REASON, pytest.approx(0.7))


def test_the_cleaner_takes_a_mapping_or_a_lookup_and_needs_a_site() -> None:
    t = site(20)
    for templates in ({SITE: t}, lambda s: t if s == SITE else None):
        page = segments(*NAV, *body(999), *FOOTER)
        TemplateCleaner(templates).judge(page, context())
        assert set(dropped(page)) == set(NAV + FOOTER)
    page = segments(*NAV, *body(999), *FOOTER)
    TemplateCleaner({SITE: t}).judge(page, PageContext("t", "text", Config()))  # no site
    assert dropped(page) == {}


# -- judging: the guards


def test_nothing_goes_before_the_site_has_enough_pages() -> None:
    page = segments(*NAV, *body(999), *FOOTER)
    judge(page, context(), site(tpl.MIN_SITE_PAGES - 1))
    assert dropped(page) == {}
    judge(page, context(), site(tpl.MIN_SITE_PAGES))
    assert set(dropped(page)) == set(NAV + FOOTER)


def test_a_line_needs_min_key_pages_even_on_a_small_site(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Today 10 pages at half a share imply 5 pages; should MIN_SITE_PAGES be lowered,
    a share resting on four pages still drops nothing."""
    monkeypatch.setattr(tpl, "MIN_SITE_PAGES", 2)
    for pages, goes in ((4, False), (5, True)):
        t = site(8, {"Follow us on Mastodon": pages})
        page = segments(*NAV, *body(999), "Follow us on Mastodon", *FOOTER)
        judge(page, context(), t)
        assert ("Follow us on Mastodon" not in kept(page)) is goes


@pytest.mark.parametrize(
    ("line", "pages"),
    [
        ('"No," she said.', 3),
        ("2 cups flour", 10),
        ("Breaking: storm warning for the coast", 2),
        ("Reporting by Jane Smith; editing by Tom Brown.", 35),  # a reporter's sign-off
    ],
)
def test_real_lines_that_recur_less_than_half_the_time_stay(line: str, pages: int) -> None:
    """Each sits right before the footer, where templates sit, and still stays."""
    t = site(100, {line: pages})
    page = segments(*NAV, *body(999), line, *FOOTER)
    judge(page, context(), t)
    assert line in kept(page)
    assert set(dropped(page)) == set(NAV + FOOTER)


def test_a_line_on_two_of_a_hundred_pages_stays_even_inside_the_menu() -> None:
    t = site(100, {"Elections 2024": 2})
    page = segments(*NAV[:3], "Elections 2024", *NAV[3:], *body(999), *FOOTER)
    judge(page, context(), t)
    assert "Elections 2024" in kept(page)


def recipe_site(pages: int = 100) -> SiteTemplates:
    t = SiteTemplates()
    for i in range(pages):
        lines = [*NAV, *body(i, 1), "Ingredients", "1 tsp salt", f"{i} ripe bananas"]
        t.observe(f"recipe-{i}", segments(*lines, *body(i + 500, 1), *FOOTER))
    return t


def test_a_recipe_sites_ingredients_heading_stays_inside_the_text() -> None:
    """Decided: "Ingredients" is on every recipe, but it heads the list below it, and the
    cleaner keeps headings and list items; so do recurring list items ("1 tsp salt")."""
    page = segments(
        *NAV, *body(999, 1), "Ingredients", "1 tsp salt", "3 ripe pears", *body(998, 1), *FOOTER
    )
    judge(page, context(), recipe_site())
    assert "Ingredients" in kept(page) and "1 tsp salt" in kept(page)
    assert set(dropped(page)) == set(NAV + FOOTER)


def test_the_same_heading_in_a_block_of_repeats_goes() -> None:
    """The guard is the place, not the word: "Ingredients" as a menu entry goes."""
    page = segments(*NAV, "Ingredients", *body(999, 2), *FOOTER)
    judge(page, context(), recipe_site())
    assert dropped(page)["Ingredients"][0] == REASON


def test_a_short_unique_line_in_the_header_does_not_shield_the_menu() -> None:
    """A trending headline between the menu and the title is the page's own line, but
    not its text: the menu beside it is still a header, not a heading in the text."""
    t = site(100)
    page = segments(*NAV[:4], "Trending: Harbour Bridge Reopens", *NAV[4:], *body(999), *FOOTER)
    judge(page, context(), t)
    assert set(dropped(page)) == set(NAV + FOOTER)
    assert "Trending: Harbour Bridge Reopens" in kept(page)


PITCH = "Sign up for our free morning newsletter."  # short: the long-line guard is not it


@pytest.mark.parametrize(("pages", "goes"), [(95, True), (60, False)])
def test_a_pitch_between_paragraphs_goes_only_when_nearly_every_page_has_it(
    pages: int, goes: bool
) -> None:
    t = SiteTemplates()
    for i in range(100):
        own = body(i)
        own[1:1] = [PITCH] if i < pages else []
        t.observe(f"page-{i}", segments(*NAV, *own, *FOOTER))
    page = segments(*NAV, *body(999)[:1], PITCH, *body(999)[1:], *FOOTER)
    judge(page, context(), t)
    assert (PITCH not in kept(page)) is goes


LEGAL = "Riverside Media Ltd is registered in England under number 1234567 at 1 Quay Street."


@pytest.mark.parametrize(("pages", "goes"), [(95, True), (60, False)])
def test_a_long_line_goes_only_when_nearly_every_page_has_it(pages: int, goes: bool) -> None:
    """Same place (the footer block), same site: only the share differs."""
    assert len(LEGAL.split()) >= tpl.LONG_WORDS
    t = site(100, {LEGAL: pages})
    page = segments(*NAV, *body(999), LEGAL, *FOOTER)
    judge(page, context(), t)
    assert (LEGAL not in kept(page)) is goes
    assert set(NAV + FOOTER) <= set(dropped(page))


def test_the_title_stays_even_when_every_page_repeats_it() -> None:
    """A site whose pages all carry its name as the title line: the title is never a
    template drop, whether it is marked by index or by text."""
    t = site(100)  # "Riverside Gazette" is in NAV, so on every page
    page = segments(*NAV, *body(999), *FOOTER)
    judge(page, context(title="Riverside Gazette", title_index=1), t)
    assert "Riverside Gazette" in kept(page)
    page = segments(*NAV, *body(999), *FOOTER)
    judge(page, context(title="RIVERSIDE GAZETTE!"), t)
    assert "Riverside Gazette" in kept(page)
    page = segments(*NAV, *body(999), *FOOTER)
    judge(page, context(), t)
    assert "Riverside Gazette" in dropped(page)  # without the title, it is template


def test_code_lines_stay() -> None:
    t = SiteTemplates()
    for i in range(50):
        t.observe(f"p{i}", segments(*NAV, *body(i), ("import os", "code"), *FOOTER))
    assert t.count(template_key("import os")) == 0  # code is not even counted
    t.counts[template_key("import os")] = 50  # and if it were, it would stay
    page = segments(*NAV, *body(999), ("import os", "code"), *FOOTER)
    judge(page, context(), t)
    assert "import os" in kept(page)


def test_a_syndicated_story_on_most_pages_stays() -> None:
    """A story copied onto 60 of 100 pages: its lines repeat, but they are long."""
    story = body(7, 4)
    t = SiteTemplates()
    for i in range(100):
        t.observe(f"p{i}", segments(*NAV, *(story if i < 60 else body(i)), *FOOTER))
    page = segments(*NAV, *story, *FOOTER)
    judge(page, context(), t)
    assert kept(page) == story


CALENDAR = ["Events for 12 May 2024", "No events are listed for this day.", "Next day"]


def test_a_page_that_would_mostly_go_keeps_everything() -> None:
    """A crawler trap: half the site is calendar pages that differ only in their dates,
    which keys fold away, so every line of such a page repeats."""
    t = SiteTemplates()
    for i in range(100):
        own = [f"Events for {i % 28 + 1} May 2024", *CALENDAR[1:]] if i < 50 else body(i)
        t.observe(f"p{i}", segments(*NAV, *own, *FOOTER))
    page = segments(*NAV, *CALENDAR, *FOOTER)
    assert len(plan(page, context(), t)) == len(page)  # the counts alone would take all
    assert judge(page, context(), t) == []
    assert dropped(page) == {}


def test_back_off_counts_words_not_lines() -> None:
    """A short story under a heavy footer: its lines are few, but it keeps most words."""
    t = site(100)
    page = segments(*NAV, *FOOTER, body(999, 1)[0] * 2)
    assert judge(page, context(), t)
    page = segments(*NAV, *FOOTER, "Short.")
    assert judge(page, context(), t) == []


def test_an_earlier_cleaners_reason_is_kept() -> None:
    page = segments(*NAV, *body(999), *FOOTER)
    page[2].drop("heuristic.ui_phrase")
    judge(page, context(), site(100))
    assert dropped(page)["Home"] == ("heuristic.ui_phrase", None)
    assert dropped(page)["News"] == (REASON, 1.0)


TAGLINE = "Independent news for the Riverside valley since 1871"
NEWSROOM = "Got a story? Our newsroom is open from 9am to 5pm on weekdays."


def test_with_the_real_chain_on_a_scraped_page() -> None:
    """Title and heuristic cleaners first, as the pipeline runs them, then templates: the
    rules keep their reasons, templates take the furniture the rules do not know, and the
    title the title cleaner took still counts as the page's own text."""
    title = "Bridge to close for repairs in August"
    t = SiteTemplates()
    for i in range(100):
        t.observe(f"p{i}", segments(*NAV, TAGLINE, *body(i), NEWSROOM, *FOOTER))
    text = "\n".join([*NAV, TAGLINE, title, *body(999), NEWSROOM, *FOOTER])
    segs = extract_text(text).segments
    ctx = context(title=title, title_index=len(NAV) + 1)
    for cleaner in (TitleCleaner(), HeuristicCleaner(), TemplateCleaner({SITE: t})):
        cleaner.judge(segs, ctx)
    assert kept(segs) == body(999)
    reasons = {text: reason for text, (reason, _) in dropped(segs).items()}
    assert reasons["Home"].startswith("heuristic.")
    assert reasons[TAGLINE] == REASON and reasons[NEWSROOM] == REASON
    assert reasons[title] == "title.title_line"
