"""The cross-site boilerplate lexicon: short lines that many unrelated sites print as
page furniture ("Share this article", "Skip to content", "Lesen Sie auch", "Add to cart"),
learned from the labelled corpus rather than written down.

A line is looked up by its `lexicon_key` (lower case, digits folded to 0, punctuation
dropped), so "12 Comments" and "3 comments:" share an entry. Each entry counts on how
many distinct *sites* the line was boilerplate and on how many it was content: a line
counts once per site however often that site repeats it, and an entry needs
`MIN_SITES` sites, so that no single site's menu is memorised. Content counts matter as
much as boilerplate counts: "Introduction" or "Ingredients" are short, common and content.

The line model reads an entry as features (`cleaner.features.lexicon_feature_names`), and
the learned cleaner drops a line whose entry is overwhelmingly boilerplate
(`Lexicon.is_furniture`). The shipped lexicon is written by `cleaner train` beside the
model (`lines.lexicon.tsv`): one `key<TAB>boilerplate sites<TAB>content sites` per line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from cleaner.tokens import tokenise

#: Lines longer than this are prose or headlines, each nearly unique: no entry.
MAX_KEY_WORDS = 8

#: An entry needs this many distinct sites (as boilerplate or as content): two sites may
#: share a CMS theme, a network of sites its footer; five independent ones rarely do.
MIN_SITES = 5

#: `is_furniture`: boilerplate on at least this many sites...
FURNITURE_MIN_SITES = 8
#: ...and content on at most this share of the sites that print it.
FURNITURE_MAX_CONTENT_SHARE = 0.05

_DIGITS = re.compile(r"\d+")


#: Keys remembered: the learned cleaner asks for a page's lines twice (its line features
#: and the lexicon rule), as `cleaner.tokens.line_tokens` remembers their tokens.
KEY_CACHE_SIZE = 8192


@lru_cache(maxsize=KEY_CACHE_SIZE)
def lexicon_key(text: str) -> str | None:
    """The normalised form under which a line is counted, or None when the line is too
    long (or has no word) to be an entry.

    >>> lexicon_key("12 Comments!"), lexicon_key("3 comments:"), lexicon_key("— Teilen —")
    ('0 comments', '0 comments', 'teilen')
    >>> lexicon_key("The council met on Monday and voted for a new budget.") is None
    True
    """
    found = tokenise(unicodedata.normalize("NFKC", text))
    if not found or len(found) > MAX_KEY_WORDS:
        return None
    return _DIGITS.sub("0", " ".join(found))


@dataclass(frozen=True, slots=True)
class Entry:
    boilerplate_sites: int
    content_sites: int

    @property
    def content_share(self) -> float:
        return self.content_sites / max(1, self.boilerplate_sites + self.content_sites)

    @property
    def is_furniture(self) -> bool:
        """Boilerplate on many sites and content on almost none: safe to drop anywhere.

        >>> Entry(40, 0).is_furniture, Entry(9, 30).is_furniture, Entry(3, 0).is_furniture
        (True, False, False)
        """
        return (
            self.boilerplate_sites >= FURNITURE_MIN_SITES
            and self.content_share <= FURNITURE_MAX_CONTENT_SHARE
        )


@dataclass(frozen=True)
class Lexicon:
    entries: Mapping[str, Entry] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, text: str) -> Entry | None:
        key = lexicon_key(text)
        return self.entries.get(key) if key is not None else None

    def is_furniture(self, text: str) -> bool:
        """Whether the line's entry is furniture (`Entry.is_furniture`).

        >>> lex = Lexicon({"share this article": Entry(40, 0), "introduction": Entry(9, 30)})
        >>> lex.is_furniture("Share this article"), lex.is_furniture("Introduction")
        (True, False)
        """
        entry = self.lookup(text)
        return entry is not None and entry.is_furniture

    @classmethod
    def build(cls, lines: Iterable[tuple[str, bool, str]], min_sites: int = MIN_SITES) -> Lexicon:
        """From `(text, is_boilerplate, site)` triples of labelled lines: entries seen on
        at least `min_sites` distinct sites.

        >>> rows = [("Share", True, f"site{i}") for i in range(5)] + [("Share", True, "site0")]
        >>> Lexicon.build(rows).entries
        {'share': Entry(boilerplate_sites=5, content_sites=0)}
        """
        counts = SiteCounts()
        for text, boilerplate, site in lines:
            counts.add(lexicon_key(text), boilerplate, site)
        return counts.lexicon(min_sites)

    def save(self, path: Path) -> None:
        rows = (f"{k}\t{e.boilerplate_sites}\t{e.content_sites}\n" for k, e in self.entries.items())
        path.write_text("".join(rows), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        """The lexicon saved at `path`; a malformed row is an error naming the file and
        the row, never a silently shorter lexicon."""
        entries = {}
        for number, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            parts = row.split("\t")
            if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
                raise ValueError(f"{path}:{number}: expected key<TAB>sites<TAB>sites: {row!r}")
            entries[parts[0]] = Entry(int(parts[1]), int(parts[2]))
        return cls(entries)


class SiteCounts:
    """The sites on which each key was boilerplate and content, as a lexicon is counted:
    kept whole so that a line can be looked up *without its own site's vote* (`entry`),
    which is what an unseen site gets from the shipped lexicon. Training needs that: a
    line whose site helped make its entry would learn to trust entries too much."""

    def __init__(self) -> None:
        self._sites: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))

    def add(self, key: str | None, boilerplate: bool, site: str) -> None:
        if key is not None:
            self._sites[key][0 if boilerplate else 1].add(site)

    def entry(self, key: str | None, site: str, min_sites: int = MIN_SITES) -> Entry | None:
        """The entry of `key` counted without `site`; None below `min_sites` sites.

        >>> counts = SiteCounts()
        >>> for i in range(5): counts.add("share", True, f"s{i}")
        >>> counts.entry("share", "elsewhere"), counts.entry("share", "s0")
        (Entry(boilerplate_sites=5, content_sites=0), None)
        """
        if key is None or key not in self._sites:
            return None
        boiler, content = self._sites[key]
        b = len(boiler) - (site in boiler)
        c = len(content) - (site in content)
        if len(boiler | content) - (site in boiler or site in content) < min_sites:
            return None
        return Entry(b, c)

    def lexicon(self, min_sites: int = MIN_SITES) -> Lexicon:
        return Lexicon(
            {
                key: Entry(len(boiler), len(content))
                for key, (boiler, content) in sorted(self._sites.items())
                if len(boiler | content) >= min_sites
            }
        )
