"""The context rules of `HeuristicCleaner`, exercised through `cleaner.clean_text`.

Each test checks the clean text *and* the reason recorded in `metadata["removed"]`, so
that a line dropped for the wrong reason fails as loudly as a line not dropped at all.
The learned cleaner is switched off: these tests are about the rules alone.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from cleaner import Config, Document, clean_text
from cleaner.cleaners.heuristic import RULE_NAMES
from cleaner.cleaners.neighbours import NEIGHBOUR_RULES
from cleaner.cleaners.rules import RULES

RULES_ONLY = Config(learned=False, detect_language=False)


def clean(text: str, config: Config = RULES_ONLY) -> Document:
    return clean_text(text, config=config)


def reasons(doc: Document) -> dict[str, str]:
    """Removed line -> "cleaner.rule" (the last one wins for repeated lines)."""
    return {r["text"]: f"{r['cleaner']}.{r['rule']}" for r in doc.metadata["removed"]}


def removed_by(doc: Document, reason: str) -> list[str]:
    return [r["text"] for r in doc.metadata["removed"] if f"{r['cleaner']}.{r['rule']}" == reason]


def paragraphs(doc: Document) -> list[str]:
    return doc.text.split("\n\n")


BRIDGE_1 = (
    "The harbour bridge will close for four weeks in August while engineers replace its bearings."
)
BRIDGE_2 = "Traffic will be diverted over the north ring road, the city said on Tuesday."
BRIDGE_3 = "Ferry services will run every twenty minutes during the closure."


# --- related blocks ---------------------------------------------------------------------


def test_related_topics_block_with_story_ages_is_dropped() -> None:
    doc = clean(
        "\n".join(
            [
                BRIDGE_1,
                BRIDGE_2,
                "RELATED TOPICS:",
                "New bakery opens on Market Street",
                "2 hours ago",
                "School board elects first student member",
                "3 hours ago",
                "Why did the ferry fares go up again?",
                "5 hours ago",
            ]
        )
    )
    assert paragraphs(doc) == [BRIDGE_1, BRIDGE_2]
    assert reasons(doc)["RELATED TOPICS:"] == "heuristic.related_header"
    assert removed_by(doc, "heuristic.related_block") == [
        "New bakery opens on Market Street",
        "School board elects first student member",
        "Why did the ferry fares go up again?",
    ]
    assert removed_by(doc, "heuristic.timestamp") == ["2 hours ago", "3 hours ago", "5 hours ago"]


def test_german_lesen_sie_auch_insert_ends_where_prose_resumes() -> None:
    prose = "Die Arbeiten sollen im Frühjahr beginnen und bis zum Ende des nächsten Jahres dauern."
    short = "Der Plan wurde angenommen."
    doc = clean(
        "\n".join(
            [
                "Der Stadtrat hat am Dienstag beschlossen, vier Kilometer Radwege durch die Altstadt zu bauen.",
                "Lesen Sie auch",
                "Hafenbrücke wird im August gesperrt",
                "Neue Bäckerei in der Marktstraße eröffnet",
                prose,
                short,
            ]
        )
    )
    assert reasons(doc)["Lesen Sie auch"] == "heuristic.related_header"
    # between two paragraphs: an insert, which the model does not overrule
    assert removed_by(doc, "heuristic.related_insert") == [
        "Hafenbrücke wird im August gesperrt",
        "Neue Bäckerei in der Marktstraße eröffnet",
    ]
    assert paragraphs(doc)[-2:] == [prose, short]


@pytest.mark.parametrize(
    ("header", "headlines"),
    [
        (
            "À lire aussi",
            ["Le marché couvert rouvrira ses portes en mai", "Le club vise la montée"],
        ),
        ("Te puede interesar", ["Croquetas de jamón caseras", "Salmorejo cordobés"]),
        ("You may also like", ["Ten tips for a tidy shed", "Our favourite garden gloves"]),
    ],
)
def test_related_block_in_other_languages(header: str, headlines: list[str]) -> None:
    doc = clean("\n".join([BRIDGE_1, BRIDGE_2, header, *headlines]))
    assert paragraphs(doc) == [BRIDGE_1, BRIDGE_2]
    assert removed_by(doc, "heuristic.related_block") == headlines


def test_short_sentence_after_related_block_is_kept() -> None:
    doc = clean(
        "\n".join([BRIDGE_1, "Read more", "New bakery opens on Market Street", "It rained."])
    )
    assert "It rained." in paragraphs(doc)
    assert removed_by(doc, "heuristic.related_block") == ["New bakery opens on Market Street"]


def test_related_block_ends_at_a_heading() -> None:
    doc = clean(
        "\n".join(
            [
                "Für den Balkon eignen sich Buschtomaten und kleine Cocktailtomaten am besten.",
                "Lesen Sie auch",
                "Basilikum richtig überwintern",
                "Gurken im Kübel ziehen",
                "## Gießen und Düngen",
                "Tomaten mögen gleichmäßige Feuchtigkeit, deshalb gieße ich jeden Morgen.",
            ]
        )
    )
    assert "## Gießen und Düngen" in paragraphs(doc)


# --- other stories: headline + age pairs -------------------------------------------------


def test_headline_and_age_pairs_are_other_stories() -> None:
    doc = clean(
        "\n".join(
            [
                BRIDGE_1,
                BRIDGE_2,
                "New bakery opens on Market Street",
                "2 hours ago",
                "School board elects first student member",
                "vor 3 Stunden",
            ]
        )
    )
    assert paragraphs(doc) == [BRIDGE_1, BRIDGE_2]
    assert removed_by(doc, "heuristic.other_story") == [
        "New bakery opens on Market Street",
        "School board elects first student member",
    ]
    assert removed_by(doc, "heuristic.timestamp") == ["2 hours ago", "vor 3 Stunden"]


def test_single_timestamp_does_not_make_the_line_above_another_story() -> None:
    subheading = "What shop owners want"
    doc = clean("\n".join([BRIDGE_1, subheading, "2 hours ago", BRIDGE_3]))
    assert subheading in paragraphs(doc)
    assert reasons(doc) == {"2 hours ago": "heuristic.timestamp"}


def test_sentence_above_a_timestamp_is_not_another_story() -> None:
    doc = clean("\n".join([BRIDGE_1, "2 hours ago", BRIDGE_2, "Posted on March 3, 2024", BRIDGE_3]))
    assert paragraphs(doc) == [BRIDGE_1, BRIDGE_2, BRIDGE_3]
    assert removed_by(doc, "heuristic.other_story") == []


def test_live_update_subheading_above_its_timestamp_is_kept() -> None:
    doc = clean(
        "\n".join(
            [
                "Harbour bridge closure: live updates",
                "June 18, 2025",
                "The harbour bridge closed to all traffic at six this morning, and the diversions are in place.",
                "Bridge reopens early",
                "Updated: June 20, 2025",
                "The bridge reopened two days earlier than planned after the last bearing was fitted.",
            ]
        )
    )
    assert "Bridge reopens early" in paragraphs(doc)


# --- duplicates --------------------------------------------------------------------------


def test_repeated_content_lines_are_kept() -> None:
    """The duplicate-line rule was removed on purpose: meal plans repeat whole lines."""
    breakfast = "Breakfast: porridge with berries and a spoon of yoghurt."
    doc = clean(
        "\n".join(
            [
                "This plan repeats the same breakfast every day so that mornings stay easy.",
                "Monday",
                breakfast,
                "Lunch: lentil soup with bread.",
                "Tuesday",
                breakfast,
                "Lunch: chickpea salad with feta.",
            ]
        )
    )
    assert paragraphs(doc).count(breakfast) == 2
    assert doc.metadata["removed"] == []


def test_repeated_title_is_dropped_with_its_own_reason() -> None:
    title = "Harbour bridge to close for four weeks in August"
    doc = clean("\n".join([title, title, BRIDGE_1, BRIDGE_2]))
    assert paragraphs(doc) == [BRIDGE_1, BRIDGE_2]
    assert [r["rule"] for r in doc.metadata["removed"]] == ["title_line", "repeated_title"]


# --- link runs ---------------------------------------------------------------------------


def test_menu_of_capitalised_labels_is_a_link_run() -> None:
    menu = ["World", "Politics", "Business", "Culture", "Sport"]
    doc = clean("\n".join([*menu, BRIDGE_1, BRIDGE_2]))
    assert paragraphs(doc) == [BRIDGE_1, BRIDGE_2]
    assert removed_by(doc, "heuristic.link_run") == menu


def test_menu_between_paragraphs_is_a_link_run() -> None:
    menu = ["Harbour", "Old Town", "North Ring", "Port Authority"]
    doc = clean("\n".join([BRIDGE_1, *menu, BRIDGE_2, BRIDGE_3]))
    assert paragraphs(doc) == [BRIDGE_1, BRIDGE_2, BRIDGE_3]
    assert removed_by(doc, "heuristic.link_run") == menu


def test_two_short_lines_are_not_a_link_run() -> None:
    doc = clean("\n".join([BRIDGE_1, "Nuclear deterrence", "Old Town", BRIDGE_2, BRIDGE_3]))
    assert "Nuclear deterrence" in paragraphs(doc)
    assert "Old Town" in paragraphs(doc)
    assert doc.metadata["removed"] == []


def test_ingredient_list_with_quantities_is_kept() -> None:
    ingredients = ["200 g butter", "100 g caster sugar", "300 g plain flour", "Zest of one lemon"]
    doc = clean(
        "\n".join(
            [
                "These biscuits keep for a week in a tin and need only five ingredients.",
                "Ingredients",
                *ingredients,
                "Pinch of salt",
                "Rub the butter into the flour, then stir in the sugar and the zest.",
            ]
        )
    )
    for line in [*ingredients, "Pinch of salt"]:
        assert line in paragraphs(doc)
    assert removed_by(doc, "heuristic.link_run") == []


def test_bulleted_ingredient_list_is_kept() -> None:
    items = ["- Butter", "- Caster sugar", "- Plain flour", "- Lemon zest"]
    doc = clean("\n".join(["You will need:", *items, BRIDGE_1]))
    assert paragraphs(doc)[1:5] == items
    assert doc.metadata["removed"] == []


def test_list_of_short_sentences_is_kept() -> None:
    doc = clean(
        "\n".join(
            [
                "The storm arrived just after midnight and did not let up until dawn.",
                "Trees fell.",
                "Roads flooded.",
                "Power failed.",
                "Nobody was hurt, the fire brigade said on Wednesday morning.",
            ]
        )
    )
    assert paragraphs(doc)[1:4] == ["Trees fell.", "Roads flooded.", "Power failed."]
    assert doc.metadata["removed"] == []


def test_capitalised_ingredient_list_after_a_colon_is_kept() -> None:
    items = ["Butter", "Caster sugar", "Plain flour", "Lemon zest"]
    doc = clean(
        "\n".join(
            [
                "These biscuits keep for a week in a tin and need only four ingredients.",
                "You will need:",
                *items,
                "Rub the butter into the flour, then stir in the sugar and the zest.",
            ]
        )
    )
    assert paragraphs(doc)[2:6] == items


# --- leading section labels --------------------------------------------------------------


def test_section_labels_above_the_title_are_dropped() -> None:
    title = "Harbour bridge to close for four weeks in August"
    doc = clean("\n".join(["Local News", "Harbour", title, BRIDGE_1, BRIDGE_2]))
    assert paragraphs(doc) == [BRIDGE_1, BRIDGE_2]
    assert doc.metadata["title"] == title
    assert reasons(doc) == {
        "Local News": "heuristic.section_label",
        "Harbour": "heuristic.section_label",
        title: "title.title_line",
    }


def test_label_far_above_the_title_is_not_a_section_label() -> None:
    # A title found deep in a page has more than its breadcrumbs above it.
    title = "Harbour bridge to close for four weeks in August"
    notice = ["Quay Street 12", "Phone 555 0100", "Open 9 to 17", "Closed on 25 December"]
    doc = clean("\n".join(["Harbour Office", *notice, "Port Authority", title, BRIDGE_1, BRIDGE_2]))
    assert doc.metadata["title"] == title
    assert reasons(doc) == {
        "Port Authority": "heuristic.section_label",
        title: "title.title_line",
    }


def test_label_like_subheading_below_the_title_is_kept() -> None:
    title = "Harbour bridge to close for four weeks in August"
    doc = clean("\n".join([title, BRIDGE_1, "Nuclear deterrence", BRIDGE_2, BRIDGE_3]))
    assert paragraphs(doc) == [BRIDGE_1, "Nuclear deterrence", BRIDGE_2, BRIDGE_3]
    assert reasons(doc) == {title: "title.title_line"}


# --- trailing furniture ------------------------------------------------------------------


def test_labels_after_the_last_paragraph_are_trailing_furniture() -> None:
    doc = clean(
        "\n".join([BRIDGE_1, BRIDGE_2, BRIDGE_3, "Tags", "Harbour", "Transport", "MORE ABOUT"])
    )
    assert paragraphs(doc) == [BRIDGE_1, BRIDGE_2, BRIDGE_3]
    assert removed_by(doc, "heuristic.trailing_label") == ["Harbour", "Transport"]
    assert reasons(doc)["Tags"] == "heuristic.ui_phrase"


def test_short_last_sentence_is_not_trailing_furniture() -> None:
    doc = clean("\n".join([BRIDGE_1, BRIDGE_2, "Nobody was hurt."]))
    assert paragraphs(doc) == [BRIDGE_1, BRIDGE_2, "Nobody was hurt."]
    assert doc.metadata["removed"] == []


def test_list_at_the_end_is_not_trailing_furniture() -> None:
    doc = clean("\n".join([BRIDGE_1, "You will need:", "- Butter", "- Plain flour"]))
    assert paragraphs(doc)[-2:] == ["- Butter", "- Plain flour"]
    assert doc.metadata["removed"] == []


# --- code --------------------------------------------------------------------------------

CODE_PAGE = """Reading a file line by line in Python
The simplest way to read a file line by line is to loop over the file object itself.
```
with open("data.txt") as fh:
    for line in fh:
        print(line)
Share
Home
x = 1
```
This keeps only one line in memory at a time, so it works for files of any size.
    print(x)
    Share
The same loop works for any iterable."""


def test_code_lines_are_never_dropped() -> None:
    doc = clean(CODE_PAGE)
    code = ['with open("data.txt") as fh:', "for line in fh:", "print(line)", "Share", "Home"]
    for line in [*code, "x = 1", "print(x)"]:
        assert line in doc.text
    assert [r["rule"] for r in doc.metadata["removed"]] == ["title_line"]
    assert all(s.kept for s in doc.segments if s.kind == "code")


# --- configuration -----------------------------------------------------------------------


def test_disabled_rule_keeps_its_lines() -> None:
    text = "\n".join([BRIDGE_1, "Share", BRIDGE_2])
    assert clean(text).text == f"{BRIDGE_1}\n\n{BRIDGE_2}"
    kept = clean(
        text, Config(learned=False, detect_language=False, disabled_rules=frozenset({"ui_phrase"}))
    )
    assert paragraphs(kept) == [BRIDGE_1, "Share", BRIDGE_2]
    assert kept.metadata["removed"] == []


def test_a_disabled_neighbour_rule_keeps_its_lines() -> None:
    menu = ["Local", "Business", "Travel", "Weather"]
    text = "\n".join([BRIDGE_1, *menu, BRIDGE_2])
    on = clean(text, Config(learned=False, detect_language=False))
    assert {r["rule"] for r in on.metadata["removed"]} == {"link_run"}
    off = clean(
        text, Config(learned=False, detect_language=False, disabled_rules=frozenset({"link_run"}))
    )
    assert paragraphs(off) == [BRIDGE_1, *menu, BRIDGE_2]


def test_an_unknown_rule_name_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown rule 'link_runs'.*link_run.*trailing_label"):
        Config(disabled_rules=frozenset({"link_runs", "ui_phrase"}))
    with pytest.raises(ValueError, match=r"unknown rules 'a', 'b'"):
        Config(disabled_rules=frozenset({"b", "a"}))


def test_every_rule_name_is_accepted() -> None:
    assert Config(disabled_rules=frozenset(RULE_NAMES)).disabled_rules == frozenset(RULE_NAMES)
    assert set(RULE_NAMES) == set(RULES) | set(NEIGHBOUR_RULES)


def test_heuristic_off_keeps_furniture() -> None:
    doc = clean(
        "\n".join([BRIDGE_1, "Share", "2 hours ago", BRIDGE_2]),
        Config(heuristic=False, learned=False, detect_language=False),
    )
    assert "Share" in paragraphs(doc)
    assert "2 hours ago" in paragraphs(doc)
    assert all(r["cleaner"] != "heuristic" for r in doc.metadata["removed"])


def test_first_reason_wins() -> None:
    """ "Share on Facebook" matches ui_phrase and share_prompt; the registry order decides."""
    doc = clean("\n".join([BRIDGE_1, "Share on Facebook", BRIDGE_2]))
    assert reasons(doc) == {"Share on Facebook": "heuristic.ui_phrase"}


STORY_1 = "The council approved a new budget for the harbour on Monday after a long debate."
STORY_2 = "The mayor said the work would start in the spring and finish by the end of summer."


@pytest.mark.parametrize(
    ("header", "headlines"),
    [
        ("Editors' Picks", ["Mayor says bridge will reopen in May", "Storm damages coastal homes"]),
        ("Lire aussi", ["Le marché couvert rouvrira ses portes en mai"]),
        ("Te puede interesar", ["Croquetas de jamón caseras", "¿Sube el precio del pan?"]),
    ],
)
def test_related_insert_between_two_paragraphs(header: str, headlines: list[str]) -> None:
    doc = clean("\n".join([STORY_1, header, *headlines, STORY_2]))
    assert paragraphs(doc) == [STORY_1, STORY_2]
    assert removed_by(doc, "heuristic.related_insert") == headlines


def test_related_insert_keeps_the_next_subheading() -> None:
    """A headline after a blank line, right before the story resumes, is the story's own
    subheading (the golden sample news_en_council_budget)."""
    text = "\n".join(
        [
            STORY_1,
            "Editors' Picks",
            "Mayor says bridge will reopen in May",
            "",
            "What happens next",
            STORY_2,
        ]
    )
    # `related_block` takes it too, and the line model, which replaces that rule, keeps it
    doc = clean(text, replace(RULES_ONLY, disabled_rules=frozenset({"related_block"})))
    assert removed_by(doc, "heuristic.related_insert") == ["Mayor says bridge will reopen in May"]
    assert "What happens next" in paragraphs(doc)


@pytest.mark.parametrize(
    "lines",
    [
        # a list of four headlines is a related block, which the model judges
        [
            STORY_1,
            "Related",
            "Bridge to close",
            "Ferry fares rise",
            "Pier reopens",
            "Port expands",
            STORY_2,
        ],
        # no prose before the header: not inside the story
        ["Home", "Related", "Bridge to close", STORY_2],
        # the story does not resume
        [STORY_1, "Related", "Bridge to close", "Ferry fares rise"],
        # a heading ends the insert before it starts
        [STORY_1, "Related", "## Costs and timing", STORY_2],
    ],
)
def test_related_insert_guards(lines: list[str]) -> None:
    assert removed_by(clean("\n".join(lines)), "heuristic.related_insert") == []


def test_lone_menu_row_of_four_items() -> None:
    menu = "Education | Obituaries | Weather | Sports"
    doc = clean("\n".join([menu, STORY_1, STORY_2]))
    assert reasons(doc)[menu] == "heuristic.lone_menu"
    assert paragraphs(doc) == [STORY_1, STORY_2]


@pytest.mark.parametrize(
    "lines",
    [
        # a Markdown table: the header row has its rule under it
        ["Home Size | Crew Size | Move Time", "---|---|---", "Studio | 2 | 3 hours", STORY_1],
        # rows of a table drawn with pipes, one after the other
        ["Free plan | No | Yes", "Team plan | Yes | Yes", STORY_1],
        # syntax, not a menu
        ["[ ASC | DESC | USING operator ]", STORY_1],
        # two items are a pair of labels
        ["Tips | Tricks", STORY_1],
    ],
)
def test_lone_menu_guards(lines: list[str]) -> None:
    assert removed_by(clean("\n".join(lines)), "heuristic.lone_menu") == []
