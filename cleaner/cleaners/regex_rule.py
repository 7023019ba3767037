"""The regex rule: a line rule that is one case-insensitive search under a word cap.

Most line rules have this shape: "a line of at most N words that matches this pattern".
`RegexRule` is that shape as data (name, pattern, gate keys, word cap, examples), so a
rule's cap is a named field rather than a number inside a function, and the gate that
makes the search cheap is derived from the pattern instead of kept beside it by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any

from cleaner.tokens import word_count

#: Characters that `re.IGNORECASE` matches to an ASCII letter although `str.lower()` does
#: not turn them into that letter ("İ" and "ı" match "i", "ſ" matches "s", the old
#: Cyrillic forms U+1C80-U+1C88 match "в", "д", "о", "с", "т", "ъ", "ѣ" and "ꙋ"; checked
#: over all of Unicode in tests/test_rules.py).
CASE_FOLD_EXCEPTIONS = ("\u0130", "\u0131", "\u017f", *map(chr, range(0x1C80, 0x1C89)))


class GatedSearch:
    """A case-insensitive search, run only on lines whose lower-cased text holds one of
    `keys`: lower-case literal pieces of the pattern, one of which every match contains.

    Such a search tries the whole pattern at every position of the line, while `in` on
    the lowered line is a fast scan, and most lines hold no key. The gate cannot turn a
    match away: `str.lower()` maps every character that matches a key's character
    case-insensitively to that character, except those in `CASE_FOLD_EXCEPTIONS`, and a
    line holding one of those is always searched. Without keys, every line is searched.

    >>> GatedSearch(r"all rights reserved|^©", ("rights reserved", "©"))("ALL RIGHTS RESERVED.")
    True
    """

    __slots__ = ("keys", "pattern")

    def __init__(self, pattern: str, keys: tuple[str, ...]) -> None:
        self.pattern = re.compile(pattern, re.I | re.UNICODE)
        self.keys = keys

    def __call__(self, line: str) -> bool:
        if not self.keys:
            return self.pattern.search(line) is not None
        lowered = line.lower()
        for key in self.keys:  # plain loops: `any()` over a generator costs more than the scans
            if key in lowered:
                return self.pattern.search(line) is not None
        for char in CASE_FOLD_EXCEPTIONS:
            if char in line:
                return self.pattern.search(line) is not None
        return False


def required_pieces(pattern: str) -> tuple[str, ...]:
    """Literal pieces of `pattern`, lower-cased, one of which every match contains; ()
    when the pattern has an alternative without a literal piece (then it cannot be gated).

    Read from the parsed pattern: a run of literal characters outside any optional part is
    in every match; a group or a repeat of at least one counts through what it requires;
    alternatives require one of their own pieces each. Of several candidates, the one
    whose shortest piece is longest is taken (the rarer, the better the gate).

    >>> required_pieces(r"\\bcookies? (policy|settings)|datenschutz")
    ('cookie', 'datenschutz')
    >>> required_pieces(r"^\\s*\\d+\\s*min\\.?\\s*(read|lesezeit)\\b")
    ('read', 'lesezeit')
    >>> required_pieces(r"^(a|\\d+)")
    ()
    """
    pieces = _required(sre_parser.parse(pattern))
    return tuple(dict.fromkeys(p.lower() for p in pieces)) if pieces else ()


def _required(items: Any) -> list[str] | None:
    """What `required_pieces` finds in one parsed sequence, or None."""
    candidates: list[list[str]] = []
    run = ""
    for op, arg in items:
        if op is sre_constants.LITERAL:
            run += chr(arg)
            continue
        if run:
            candidates.append([run])
            run = ""
        found: list[str] | None = None
        if op is sre_constants.SUBPATTERN:
            found = _required(arg[3])
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and arg[0] >= 1:
            found = _required(arg[2])
        elif op is sre_constants.BRANCH:
            branches = [_required(alternative) for alternative in arg[1]]
            if all(branches):
                found = [piece for branch in branches if branch for piece in branch]
        if found:
            candidates.append(found)
    if run:
        candidates.append([run])
    if not candidates:
        return None
    return max(candidates, key=lambda pieces: min(map(len, pieces)))


@dataclass(frozen=True, slots=True)
class RegexRule:
    """A line rule: a line of at most `max_words` words that `pattern` matches
    (case-insensitive, searched in the stripped line) is boilerplate.

    `keys` gate the search (`GatedSearch`); by default they are `required_pieces` of the
    pattern, `()` searches every line. `examples` must fire and `counterexamples` must
    not: `tests/test_rules.py` holds every regex rule to them.

    >>> credit = RegexRule("credit", r"^photo:", max_words=8, examples=("Photo: AP",))
    >>> credit.keys, credit("PHOTO: Jane Doe"), credit("A photo: the bridge at dusk.")
    (('photo:',), True, False)
    """

    name: str
    pattern: str
    max_words: int
    keys: tuple[str, ...] | None = None
    examples: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()
    search: GatedSearch = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = required_pieces(self.pattern) if self.keys is None else self.keys
        object.__setattr__(self, "keys", keys)
        object.__setattr__(self, "search", GatedSearch(self.pattern, keys))

    def __call__(self, line: str) -> bool:
        return word_count(line) <= self.max_words and self.search(line.strip())
