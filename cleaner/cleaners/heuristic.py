"""The rule-based cleaner: line rules first, then rules that read a line's neighbours.

Order matters only for the reported reason (the first drop wins); every pass skips code.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.cleaners import PageContext
from cleaner.cleaners.rules import RULES, own_date, related_header, timestamp
from cleaner.cleaners.shape import is_headline_like, is_label, is_sentence
from cleaner.document import Segment
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

#: Rules that hold only near the top of a page: the page's own byline sits there, while
#: "By …" lines further down head the entries of a listing or a thread (WCXB forum and
#: listing pages keep them in their gold).
TOP_ONLY_RULES = frozenset({"byline"})
TOP_LINES = 12

#: A related-stories block ends at the first line that reads like prose of this length.
RELATED_BLOCK_END_WORDS = 8


class HeuristicCleaner:
    name = "heuristic"

    def judge(
        self,
        segments: list[Segment],
        page: PageContext,
        fired: Sequence[Sequence[str]] | None = None,
    ) -> None:
        """Mark the boilerplate among `segments`.

        `fired`, if given, names for each segment the line rules that fire on it, in
        `RULES` order: the learned cleaner has them from `LineShape.rules` and passes them
        so that every line rule runs once per line in its path, not twice. The verdicts
        are reached from them as from the rules themselves (`_line_rules`), so the line
        rules' precedence and `TOP_ONLY_RULES` live in this one place.
        """
        judged = [s for s in segments if s.kind != "code"]
        if fired is not None:
            fired = [f for s, f in zip(segments, fired, strict=True) if s.kind != "code"]
        off = page.config.disabled_rules
        self._line_rules(judged, page, fired)
        if "related_block" not in off:
            self._related_blocks(judged)
        if "other_story" not in off:
            self._story_timestamps(judged)
        if "section_label" not in off:
            self._leading_labels(judged, page)
        if page.format == "text":  # in HTML the DOM already told lists and menus apart
            if "link_run" not in off:
                self._link_runs(judged)
            if "trailing_label" not in off:
                self._trailing_furniture(judged)

    def _drop(self, segment: Segment, rule: str) -> None:
        segment.drop(f"{self.name}.{rule}")

    def _line_rules(
        self, segments: list[Segment], page: PageContext, fired: Sequence[Sequence[str]] | None
    ) -> None:
        """Drop each segment for the first line rule, in `RULES` order, that counts at its
        position and fires on it (the order is the precedence of the reported reasons): a
        rule counts unless it is disabled, or in `TOP_ONLY_RULES` and the segment is not
        among the first `TOP_LINES`.

        `fired`, if given, names the rules that fire on each segment in `RULES` order, so
        the first of them that counts is the one; otherwise the rules that count are asked,
        each line's only until one fires. Two loops over the same rules rather than one
        that asks which case it is in at every rule: this runs for every rule on every line."""
        off = page.config.disabled_rules
        top = [(n, r) for n, r in RULES.items() if n not in off]
        below_top = [(n, r) for n, r in top if n not in TOP_ONLY_RULES]  # chosen once
        top_names, below_top_names = {n for n, _ in top}, {n for n, _ in below_top}
        for position, seg in enumerate(segments):
            at_top = position < TOP_LINES
            if fired is None:
                for name, rule in top if at_top else below_top:
                    if rule(seg.text):
                        self._drop(seg, name)
                        break
            else:
                counted = top_names if at_top else below_top_names
                for name in fired[position]:
                    if name in counted:
                        self._drop(seg, name)
                        break

    def _related_blocks(self, segments: list[Segment]) -> None:
        """After "Related"/"Lesen Sie auch", drop headline-like lines until prose resumes."""
        in_block = False
        for seg in segments:
            if related_header(seg.text):
                in_block = True
                continue
            if not in_block:
                continue
            if seg.kind == "heading" or (
                is_sentence(seg.text) and word_count(seg.text) >= RELATED_BLOCK_END_WORDS
            ):
                in_block = False
            elif (
                is_headline_like(seg.text) or timestamp(seg.text) or seg.text.rstrip().endswith("?")
            ):
                self._drop(seg, "related_block")

    def _story_timestamps(self, segments: list[Segment]) -> None:
        """Headline + "3 hours ago" pairs, repeated, are a list of other stories."""
        stamps = [i for i, s in enumerate(segments) if timestamp(s.text) and not own_date(s.text)]
        if len(stamps) < MIN_STORY_TIMESTAMPS:
            return
        for i in stamps:
            if (
                i > 0
                and not is_sentence(segments[i - 1].text)
                and word_count(segments[i - 1].text) <= 24
            ):
                self._drop(segments[i - 1], "other_story")

    def _link_runs(self, segments: list[Segment]) -> None:
        """Three or more label-like lines in a row (not list items): a menu. A run right
        after a line that ends in a colon ("You will need:") is a list, and stays."""
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
                    for member in run:
                        self._drop(member, "link_run")
                run = []
            previous = seg

    def _leading_labels(self, segments: list[Segment], page: PageContext) -> None:
        """Section labels and breadcrumbs right above the title ("Flash News", "Bota")."""
        if page.title_index is None:
            return
        for seg in segments:
            if seg.index >= page.title_index:
                break
            near = seg.index >= page.title_index - LEADING_LABEL_LINES
            if near and seg.kept and is_label(seg.text, max_words=3):
                self._drop(seg, "section_label")

    def _trailing_furniture(self, segments: list[Segment]) -> None:
        """Short labels after the last line of prose ("Comments", "MORE ABOUT")."""
        for seg in reversed(segments):
            if not seg.kept:
                continue
            if seg.kind == "p" and is_label(seg.text, max_words=6):
                self._drop(seg, "trailing_label")
            else:
                break
