"""Neighbour rules: rules that judge a line by the lines around it.

A line rule (`cleaner.cleaners.rules`) sees one line; these see the page: a run of
labels is a menu, the headlines after "Related" are links, a headline followed by
"2 hours ago" is another story. Each is a `NeighbourRule` that names the segments it
finds (`find`); the base class owns the rest, so every such rule is switched off by the
same `Config.disabled_rules`, limited to its formats the same way, and reported under
its own name. They run in `NEIGHBOUR_RULES` order, after the line rules, each seeing
what the rules before it dropped.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from typing import ClassVar

from cleaner.cleaners import PageContext
from cleaner.cleaners.rules import MIN_MENU_ITEMS, own_date, related_header, timestamp
from cleaner.cleaners.shape import is_headline_like, is_label, is_sentence, menu_items
from cleaner.config import DEFAULT_CONFIG
from cleaner.document import Format, Segment
from cleaner.tokens import word_count

#: A run of this many label-like lines in a row is a menu. Two is too few: a subheading
#: followed by a one-line list item would go (checked on the seeds and corpus renderings).
MIN_LINK_RUN = 3

#: Section labels and breadcrumbs sit in the few lines right above the title; further up,
#: a title found deep in a page saved whole has menus and also content above it. With 5,
#: the content lines `bench.run --mode plaintext` counts lost to this rule on the dev
#: corpora fell from 241 (no limit, with plaintext titles found below the page's header)
#: to 16; the samples' and tests' labels sit one or two lines above their titles.
LEADING_LABEL_LINES = 5

#: Another story's age ("2 hours ago") must appear this often on a page before the
#: headline above it is taken for a link: a single timestamp is usually the page's own.
MIN_STORY_TIMESTAMPS = 2

#: The headline above another story's age is short: at most this many words.
MAX_STORY_HEADLINE_WORDS = 24

#: A related-stories block ends at the first line that reads like prose of this length.
RELATED_BLOCK_END_WORDS = 8

#: A related-stories insert inside a story holds at most this many headlines; a longer
#: list is a related block (`related_block`), which the model judges.
MAX_INSERT_HEADLINES = 3

#: A lone menu row holds at least this many items (fewer is a pair of labels); five or
#: more are `flattened_menu`'s on any line.
MIN_LONE_MENU_ITEMS = 3

#: A section label above the title has at most this many words ("Flash News", "Bota").
MAX_SECTION_LABEL_WORDS = 3

#: A label after the last line of prose has at most this many words ("MORE ABOUT").
MAX_TRAILING_LABEL_WORDS = 6

#: What a neighbour rule calls to drop a segment: the cleaner's `drop(segment, rule)`.
Drop = Callable[[Segment, str], None]

#: Every neighbour rule, by name, in the order they run.
NEIGHBOUR_RULES: dict[str, NeighbourRule] = {}


class NeighbourRule(ABC):
    """A rule over a page's segments. Subclasses set `name` (the reason reported, and the
    name `Config.disabled_rules` knows it by), optionally `formats`, and implement `find`.
    """

    name: ClassVar[str]
    #: The formats the rule runs on: plaintext only when HTML's DOM already told apart
    #: what the rule looks for (lists and menus).
    formats: ClassVar[frozenset[Format]] = frozenset({"html", "text"})

    def applies(self, page: PageContext) -> bool:
        """Whether the rule runs on this page at all."""
        return page.format in self.formats and self.name not in page.config.disabled_rules

    def run(self, segments: list[Segment], page: PageContext, drop: Drop) -> int:
        """Drop what `find` names (once it has read the whole page), if the rule applies;
        returns how many segments it named."""
        if not self.applies(page):
            return 0
        found = list(self.find(segments, page))
        for segment in found:
            drop(segment, self.name)
        return len(found)

    @abstractmethod
    def find(self, segments: list[Segment], page: PageContext) -> Iterator[Segment]:
        """The segments this rule takes for boilerplate (code segments are never given)."""


def neighbour_rule(cls: type[NeighbourRule]) -> type[NeighbourRule]:
    """Register one instance of `cls` in `NEIGHBOUR_RULES`, in definition order."""
    if cls.name in NEIGHBOUR_RULES:
        raise ValueError(f"a neighbour rule named {cls.name!r} is already registered")
    NEIGHBOUR_RULES[cls.name] = cls()
    return cls


@neighbour_rule
class LoneMenu(NeighbourRule):
    """A short navigation bar flattened onto a line of its own: three or four menu items
    ("Education | Obituaries | Weather | Sports"), with no row of items or cells next to it.

    `flattened_menu` takes five items or more on any line; three or four are also a
    table's header row, but a table's rows come in a run (a Markdown table's header has
    its `---|---` line under it) while a menu row stands alone. On ../shared/corpus' four
    renderings: 1,167 boilerplate lines on 315 sites, 21 content lines on 16 (short
    lists that the `flattened` rendering put on one line, a table's header row drawn
    with spaces). Plaintext only: in HTML the DOM already told menus apart.

    >>> lines = ["Education | Obituaries | Weather | Sports",
    ...          "The council met on Monday and voted for the new harbour budget."]
    >>> [s.text for s in LoneMenu().find(_segments(lines), _PAGE)]
    ['Education | Obituaries | Weather | Sports']
    >>> table = ["Home Size | Crew Size | Move Time", "---|---|---", "Studio | 2 | 3 hours"]
    >>> list(LoneMenu().find(_segments(table), _PAGE))
    []
    """

    name = "lone_menu"
    formats = frozenset({"text"})

    def find(self, segments: list[Segment], page: PageContext) -> Iterator[Segment]:
        items = [menu_items(seg.text) for seg in segments]
        # a row of items or cells beside it: a menu row, a table row, a Markdown table's rule
        rows = [
            n > 0 or "|" in seg.text or "\t" in seg.text
            for n, seg in zip(items, segments, strict=True)
        ]
        for i, seg in enumerate(segments):
            if seg.kind == "code" or _CODE_SIGNS.search(seg.text):
                continue
            if not MIN_LONE_MENU_ITEMS <= items[i] < MIN_MENU_ITEMS:
                continue
            if (i > 0 and rows[i - 1]) or (i + 1 < len(segments) and rows[i + 1]):
                continue
            yield seg


#: Brackets and operators: syntax ("[ ASC | DESC | USING operator ]"), not a menu.
_CODE_SIGNS = re.compile(r"[\[\]{}<>=]")


@neighbour_rule
class RelatedInsert(NeighbourRule):
    """Headlines under a related-stories header that interrupts a story: a paragraph of
    prose, the header ("Lesen Sie auch:", "Editors' Picks"), one to
    `MAX_INSERT_HEADLINES` headlines, then the story again.

    `related_block` finds such headlines too, but the line model replaces that rule, and
    it keeps most of them: alone, they read like the story's own subheadings. Between two
    paragraphs they are an insert (on ../shared/corpus' four renderings: 293 boilerplate
    lines on 36 sites, 31 content lines on 7, most of those links under "Also read:" or
    "Read more" that a gold kept). It runs before `related_block`, so that its verdict is
    the one that stands. A headline that opens a new block (after a blank line) right
    before the prose is the story's next subheading, and stays.

    >>> story = "The council met on Monday and voted for the new harbour budget."
    >>> lines = [story, "Editors' Picks", "Mayor says bridge will reopen in May",
    ...          "Storm damages coastal homes", story]
    >>> segments = [Segment(t, i, "p", starts_block=False) for i, t in enumerate(lines)]
    >>> [s.text for s in RelatedInsert().find(segments, _PAGE)]
    ['Mayor says bridge will reopen in May', 'Storm damages coastal homes']
    """

    name = "related_insert"

    def find(self, segments: list[Segment], page: PageContext) -> Iterator[Segment]:
        for i in range(1, len(segments)):
            if not related_header(segments[i].text) or not _is_prose(segments[i - 1]):
                continue
            end = i + 1
            while end < len(segments) and end - i <= MAX_INSERT_HEADLINES:
                seg = segments[end]
                if (end > i + 1 and seg.starts_block) or not _is_insert_headline(seg):
                    break
                end += 1
            if end > i + 1 and _story_resumes(segments, end):
                yield from segments[i + 1 : end]


def _is_prose(seg: Segment) -> bool:
    """Prose long enough to end a related block or to frame an insert."""
    return is_sentence(seg.text) and word_count(seg.text) >= RELATED_BLOCK_END_WORDS


def _is_insert_headline(seg: Segment) -> bool:
    return (
        seg.kind != "heading"
        and not _is_prose(seg)
        and (is_headline_like(seg.text) or seg.text.rstrip().endswith("?"))
    )


def _story_resumes(segments: list[Segment], end: int) -> bool:
    """Prose at `end`, or the story's next subheading (opening a block) and then prose."""
    if end >= len(segments):
        return False
    if _is_prose(segments[end]):
        return True
    nxt = segments[end]
    return (
        nxt.starts_block
        and _is_insert_headline(nxt)
        and end + 1 < len(segments)
        and _is_prose(segments[end + 1])
    )


@neighbour_rule
class RelatedBlock(NeighbourRule):
    """After "Related"/"Lesen Sie auch", headline-like lines until prose resumes.

    >>> lines = ["Related", "Upscale Apartments Sell for $19 Million", "2 hours ago",
    ...          "The council met on Monday and voted for the new budget."]
    >>> [s.text for s in RelatedBlock().find(_segments(lines), _PAGE)]
    ['Upscale Apartments Sell for $19 Million', '2 hours ago']
    """

    name = "related_block"

    def find(self, segments: list[Segment], page: PageContext) -> Iterator[Segment]:
        in_block = False
        for seg in segments:
            if related_header(seg.text):
                in_block = True
                continue
            if not in_block:
                continue
            if seg.kind == "heading" or _is_prose(seg):
                in_block = False
            elif (
                is_headline_like(seg.text) or timestamp(seg.text) or seg.text.rstrip().endswith("?")
            ):
                yield seg


@neighbour_rule
class OtherStory(NeighbourRule):
    """Headline + "3 hours ago" pairs, repeated, are a list of other stories.

    >>> lines = ["Bridge To Close", "2 hours ago", "Mayor Resigns", "3 hours ago"]
    >>> [s.text for s in OtherStory().find(_segments(lines), _PAGE)]
    ['Bridge To Close', 'Mayor Resigns']
    """

    name = "other_story"

    def find(self, segments: list[Segment], page: PageContext) -> Iterator[Segment]:
        stamps = [i for i, s in enumerate(segments) if timestamp(s.text) and not own_date(s.text)]
        if len(stamps) < MIN_STORY_TIMESTAMPS:
            return
        for i in stamps:
            if (
                i > 0
                and not is_sentence(segments[i - 1].text)
                and word_count(segments[i - 1].text) <= MAX_STORY_HEADLINE_WORDS
            ):
                yield segments[i - 1]


@neighbour_rule
class SectionLabel(NeighbourRule):
    """Section labels and breadcrumbs right above the title ("Flash News", "Bota").

    >>> from dataclasses import replace
    >>> lines = ["Flash News", "Rutte Says NATO Is Committed To Ukraine", "Text follows here."]
    >>> [s.text for s in SectionLabel().find(_segments(lines), replace(_PAGE, title_index=1))]
    ['Flash News']
    """

    name = "section_label"

    def find(self, segments: list[Segment], page: PageContext) -> Iterator[Segment]:
        if page.title_index is None:
            return
        for seg in segments:
            if seg.index >= page.title_index:
                break
            near = seg.index >= page.title_index - LEADING_LABEL_LINES
            if near and seg.kept and is_label(seg.text, max_words=MAX_SECTION_LABEL_WORDS):
                yield seg


@neighbour_rule
class LinkRun(NeighbourRule):
    """Three or more label-like lines in a row (not list items): a menu. A run right
    after a line that ends in a colon ("You will need:") is a list, and stays.

    >>> [s.text for s in LinkRun().find(_segments(["Home", "News", "Sport", "Weather"]), _PAGE)]
    ['Home', 'News', 'Sport', 'Weather']
    >>> list(LinkRun().find(_segments(["You will need:", "Flour", "Sugar", "Butter"]), _PAGE))
    []
    """

    name = "link_run"
    formats = frozenset({"text"})  # in HTML the DOM already told lists and menus apart

    def find(self, segments: list[Segment], page: PageContext) -> Iterator[Segment]:
        run: list[Segment] = []
        introduced = False
        previous: Segment | None = None
        for seg in [*segments, None]:
            if seg is not None and seg.kept and seg.kind == "p" and is_label(seg.text):
                if not run:
                    introduced = previous is not None and previous.text.rstrip().endswith(":")
                run.append(seg)
            else:
                if len(run) >= MIN_LINK_RUN and not introduced:
                    yield from run
                run = []
            previous = seg


@neighbour_rule
class TrailingLabel(NeighbourRule):
    """Short labels after the last line of prose ("Comments", "MORE ABOUT").

    >>> lines = ["The council met on Monday and voted.", "Comments", "More About"]
    >>> [s.text for s in TrailingLabel().find(_segments(lines), _PAGE)]
    ['More About', 'Comments']
    """

    name = "trailing_label"
    formats = frozenset({"text"})

    def find(self, segments: list[Segment], page: PageContext) -> Iterator[Segment]:
        for seg in reversed(segments):
            if not seg.kept:
                continue
            if seg.kind == "p" and is_label(seg.text, max_words=MAX_TRAILING_LABEL_WORDS):
                yield seg
            else:
                break


def _segments(texts: list[str]) -> list[Segment]:
    """Paragraph segments of `texts`, for the examples above."""
    return [Segment(text=t, index=i, kind="p") for i, t in enumerate(texts)]


#: A plaintext page with the default settings, for the examples above.
_PAGE = PageContext("<example>", "text", DEFAULT_CONFIG)
