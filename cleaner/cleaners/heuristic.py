"""The rule-based cleaner: line rules first, then rules that read a line's neighbours.

The line rules (`cleaner.cleaners.rules.RULES`) and the neighbour rules
(`cleaner.cleaners.neighbours.NEIGHBOUR_RULES`) are the two registries this cleaner runs;
it adds no rule of its own. Order matters only for the reported reason (the first drop
wins); every pass skips code.
"""

from __future__ import annotations

from collections.abc import Sequence

from cleaner.cleaners import PageContext
from cleaner.cleaners.neighbours import NEIGHBOUR_RULES
from cleaner.cleaners.rules import RULES
from cleaner.document import Segment

#: Rules that hold only near the top of a page: the page's own byline sits there, while
#: "By …" lines further down head the entries of a listing or a thread (WCXB forum and
#: listing pages keep them in their gold).
TOP_ONLY_RULES = frozenset({"byline"})
TOP_LINES = 12

#: Every rule the heuristic cleaner runs, line rules first: the names
#: `Config.disabled_rules` may hold, and the reasons it reports (after "heuristic.").
RULE_NAMES = (*RULES, *NEIGHBOUR_RULES)


def check_rule_names(names: frozenset[str]) -> None:
    """Raise ValueError naming any of `names` that is no rule, and the rules there are:
    a misspelt name would otherwise switch nothing off, silently.

    >>> check_rule_names(frozenset({"link_run", "byline"}))
    >>> check_rule_names(frozenset({"link_runs"}))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown rule 'link_runs' in disabled_rules; the rules are: lone_punctuation, ...
    """
    unknown = sorted(names - set(RULE_NAMES))
    if unknown:
        raise ValueError(
            f"unknown rule{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(map(repr, unknown))} in disabled_rules; "
            f"the rules are: {', '.join(RULE_NAMES)}"
        )


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
        self._line_rules(judged, page, fired)
        for rule in NEIGHBOUR_RULES.values():
            rule.run(judged, page, self._drop)

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
