"""Site templates: the lines that many pages of one site repeat are that site's furniture.

`SiteTemplates` counts, for one site, on how many distinct pages each line (by its
`template_key`) appeared, and how many pages were observed. It is pure data with a JSON
form; `cleaner.template_store` keeps it in the warehouse. `TemplateCleaner` drops the lines
of a page that the counts say its site repeats, as `template.site_repeat` with the share of
the site's pages that hold the line as the score.

Counts alone cannot tell a site's menu from its own recurring structure: a recipe site
prints "Ingredients" on every page just as it prints "Home". So where a repeated line sits
decides (see `plan`):

- in a block of repeated lines (a menu, a footer), or above or below all of the page's
  prose and its title, a line on half of the site's pages goes: that is where templates sit;
- one or two repeated lines between the page's own prose (or its title) are the page's
  structure (a heading such as "Ingredients", a list item such as "1 tsp salt") and stay,
  unless they are a sentence that nearly every page carries (a newsletter pitch);

and wherever it sits, a long line must be on nearly every page, the title stays, code
stays, and a page whose text would mostly go keeps everything (`BACKOFF_SHARE`).

The recipe site's "Ingredients" therefore stays. It is on every recipe, so it tells a
reader nothing about this one, but it is the heading of the list below it: the cleaner's
promise is to keep every heading and list item, and menus are caught by the other
cleaners and by the block rule above.
"""

from __future__ import annotations

import hashlib
import heapq
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cleaner.cleaners import PageContext
from cleaner.cleaners.shape import is_sentence
from cleaner.document import Segment
from cleaner.title_finder import same_text
from cleaner.tokens import words

REASON = "template.site_repeat"

#: Hex digits of a key or page digest: 64 bits, so that 50,000 keys of one site collide
#: with a probability below 1e-10 while a stored key costs 16 bytes of JSON.
KEY_HEX = 16

# -- Thresholds. The development corpus has at most two pages per site, so none of these
# could be fitted on real data; each is argued from what templates and real recurring
# lines look like, and exercised by the tests and `bench/templates_demo.py`.

#: No line is dropped before the site has been observed on this many pages. With fewer,
#: "half of the pages" is two or three, and stories on one event share lines by chance.
#: A line truly on a fifth of the pages shows on half of 10 pages with probability 3.3%
#: (binomial), and `MIN_KEY_PAGES` below then still demands five of them.
MIN_SITE_PAGES = 10

#: ...nor a line seen on fewer distinct pages than this: a share resting on two or three
#: pages is no evidence of a template. With today's values MIN_SITE_PAGES and MIN_SHARE
#: imply it (half of 10 pages is 5); it stays as its own guard so that lowering either
#: cannot make three pages enough.
MIN_KEY_PAGES = 5

#: Share of the site's pages a line must be on to go where templates sit (a block of
#: repeated lines, or above or below all of the page's prose and title). Site-wide headers and
#: footers are on nearly every page; half leaves room for their variants while keeping
#: lines that recur without being furniture, such as a reporter's sign-off on a third of a
#: local site's stories. The price: a section's own menu, on fewer pages, stays.
MIN_SHARE = 0.5

#: A run of this many repeated lines in a row is a template block (a menu, a footer);
#: shorter runs between lines of the page's own text are the page's structure.
MIN_BLOCK_LINES = 3

#: One or two repeated lines between the page's own lines go only when they are on this
#: share of the pages and have at least `BODY_MIN_WORDS` words: inserted pitches and
#: counters are sentences on nearly every page, headings and list items are short.
BODY_MIN_SHARE = 0.8
BODY_MIN_WORDS = 5

#: A line of this many words is text someone wrote for the page, and goes only when it
#: is on `LONG_MIN_SHARE` of the pages (a publisher's legal footer is; a paragraph shared
#: by a series of articles is not). The learned cleaner protects sentences from 10 words;
#: 12 leaves the two-line legal and cookie notices that are shorter to the counts.
LONG_WORDS = 12
LONG_MIN_SHARE = 0.8

#: A page keeps everything when the lines to drop hold more than this share of the words
#: it still keeps: "most of the kept text", as the issue puts it. Such a page is a stub, a
#: duplicate or syndicated copy, or a listing the counts do not describe; keeping its
#: furniture costs what having no templates costs, dropping its text costs content.
BACKOFF_SHARE = 0.5

# -- Size. A site with 100,000 pages and millions of unique lines must not grow without
# bound: the key table is cut when it passes MAX_KEYS, first by the keys seen on one page
# only, then to the KEEP_KEYS most frequent. A cut key starts again from zero if it comes
# back, so cutting can only lower counts, making the cleaner drop less, never more; and
# it only cuts keys far below any threshold: a template line is on half of the pages, so it
# is seen again within a few pages, while cuts happen thousands of pages apart (each page
# brings some tens of new lines). Cutting to half the cap makes cuts rare (amortised).
# 50,000 keys are about 1.2 MB of JSON.

MAX_KEYS = 50_000
KEEP_KEYS = MAX_KEYS // 2

#: Page digests kept so that a page observed twice counts once. Past twice this many they
#: are cut to the MAX_PAGE_IDS smallest (and JSON holds at most that many): a uniform
#: sample that every copy agrees on, so merging stays consistent. A page outside it that
#: comes again is counted again; on a site that large it moves a share by 1/20,000.
MAX_PAGE_IDS = 20_000

FORMAT = "cleaner.site_templates"
FORMAT_VERSION = 1

#: A number, with its thousands separators and decimals: "328", "12,345" and "0.25" are
#: one "0" alike, or a counter would make a line of its own below and above 1,000.
_DIGITS = re.compile(r"\d(?:[\d.,]*\d)?")
#: Weekday and month names, folded like digits: a header's "Tuesday, 14 May 2024" is the
#: commonest variation of a template line. English and German, the corpus's languages;
#: other languages' dates keep a line from matching its other days.
_DATE_WORDS = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|may|"
    r"june|july|august|september|october|november|december|(?:mon|diens|donners|frei|sams|"
    r"sonn)tag|mittwoch|januar|februar|märz|mai|juni|juli|oktober|dezember)\b"
)
_SPACES = re.compile(r"\s+")
_HEX = re.compile(rf"[0-9a-f]{{{KEY_HEX}}}")


def normalise(text: str) -> str:
    """The line as templates compare it: case-folded, every number and every weekday or
    month name one "0" (dates, counters), whitespace collapsed, punctuation and symbols
    trimmed from both ends.

    >>> normalise("  © 2024 Riverside   Media |")
    '0 riverside media'
    >>> normalise("Tuesday, 14 May 2024") == normalise("SONNTAG, 3 März 2025")
    True
    >>> normalise("12,345 readers online, page 0.25 s")
    '0 readers online, page 0 s'
    >>> normalise('"No," she said.')
    'no," she said'
    """
    folded = _SPACES.sub(" ", _DATE_WORDS.sub("0", _DIGITS.sub("0", text.casefold())))
    start, end = 0, len(folded)
    while start < end and _is_edge(folded[start]):
        start += 1
    while end > start and _is_edge(folded[end - 1]):
        end -= 1
    return folded[start:end]


def _is_edge(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PS"


def _digest(text: str) -> str:
    data = text.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=KEY_HEX // 2).hexdigest()


def template_key(text: str) -> str:
    """16 hex digits naming a line up to case, digits, spacing and edge punctuation; ""
    when nothing is left to name (a rule of dashes, a lone "|"). Hashed so that a stored
    key costs 16 bytes whatever the line's length.

    >>> template_key("Updated 3 hours ago |") == template_key("updated  12 HOURS ago")
    True
    >>> len(template_key("Home")), template_key(" — ")
    (16, '')
    """
    normal = normalise(text)
    return _digest(normal) if normal else ""


def page_digest(page_id: str) -> str:
    """A page id as stored: 16 hex digits whatever the id looks like.

    >>> page_digest("2cf24dba5fb0a30e") == page_digest("2cf24dba5fb0a30e")
    True
    """
    return _digest(page_id)


def page_keys(segments: Iterable[Segment]) -> set[str]:
    """The keys of a page's lines, code left out (code is never dropped, so never counted)."""
    return {k for s in segments if s.kind != "code" and (k := template_key(s.text))}


def prune_counts(counts: dict[str, int], keep: int) -> dict[str, int]:
    """The counts without the keys seen on one page only, cut to the `keep` most frequent
    (ties broken by key, so that every copy cuts alike).

    >>> prune_counts({"a": 1, "b": 3, "c": 2, "d": 2}, 2)
    {'b': 3, 'c': 2}
    """
    shared = {k: n for k, n in counts.items() if n > 1}
    if len(shared) <= keep:
        return shared
    return dict(heapq.nsmallest(keep, shared.items(), key=lambda kv: (-kv[1], kv[0])))


@dataclass(slots=True)
class SiteTemplates:
    """How many of one site's observed pages held each line.

    `counts[key]` is the number of distinct pages whose lines include `key`; `pages` is the
    number of pages observed; `page_ids` holds page digests (see `MAX_PAGE_IDS`).
    """

    pages: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    page_ids: set[str] = field(default_factory=set)

    def count(self, key: str) -> int:
        return self.counts.get(key, 0)

    def share(self, key: str) -> float:
        """Share of the observed pages that held `key`; at most 1, since merged copies
        that observed the same page count it twice."""
        return min(1.0, self.count(key) / self.pages) if self.pages else 0.0

    def observe(self, page_id: str, segments: Iterable[Segment]) -> bool:
        """Count one page's lines, once per page; False when this page was counted before."""
        return self.observe_keys(page_id, page_keys(segments))

    def observe_keys(self, page_id: str, keys: Iterable[str]) -> bool:
        """`observe` for keys already computed (a caller counting into two copies)."""
        digest = page_digest(page_id)
        if digest in self.page_ids:
            return False
        self.page_ids.add(digest)
        self.pages += 1
        for key in set(keys):
            if key:
                self.counts[key] = self.counts.get(key, 0) + 1
        self._bound()
        return True

    def merge(self, other: SiteTemplates) -> None:
        """Add another copy's counts. Meant for copies of different pages (the deltas of
        different batches): a page that both observed is counted twice, because counts
        cannot say which keys it held. `cleaner.template_store.TemplateSession` avoids it."""
        self.pages += other.pages
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
        self.page_ids |= other.page_ids
        self._bound()

    def _bound(self) -> None:
        if len(self.counts) > MAX_KEYS:
            self.counts = prune_counts(self.counts, KEEP_KEYS)
        if len(self.page_ids) > 2 * MAX_PAGE_IDS:
            self.page_ids = set(heapq.nsmallest(MAX_PAGE_IDS, self.page_ids))

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict, sorted so that equal counts give equal files."""
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "pages": self.pages,
            "page_ids": heapq.nsmallest(MAX_PAGE_IDS, self.page_ids),
            "counts": dict(sorted(self.counts.items())),
        }

    @classmethod
    def from_json(cls, data: Any) -> SiteTemplates:
        """Read `to_json`'s form back; ValueError saying what is wrong with anything else.

        >>> SiteTemplates.from_json({"format": FORMAT, "version": 9})
        Traceback (most recent call last):
        ...
        ValueError: site templates version 9 is not supported (this code reads 1)
        """
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"not site templates (format is not {FORMAT!r})")
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(
                f"site templates version {data.get('version')!r} is not supported"
                f" (this code reads {FORMAT_VERSION})"
            )
        pages: Any = data.get("pages")
        counts: Any = data.get("counts")
        ids: Any = data.get("page_ids")
        if not _is_count(pages, minimum=0):
            raise ValueError(f"site templates: pages must be a count, not {pages!r}")
        if not isinstance(counts, dict) or not all(
            _HEX.fullmatch(k) and _is_count(n, minimum=1) for k, n in counts.items()
        ):
            raise ValueError("site templates: counts must map 16-hex keys to counts")
        if not isinstance(ids, list) or not all(
            isinstance(i, str) and _HEX.fullmatch(i) for i in ids
        ):
            raise ValueError("site templates: page_ids must be a list of 16-hex digests")
        templates = cls(pages=pages, counts=dict(counts), page_ids=set(ids))
        templates._bound()
        return templates


def _is_count(value: Any, minimum: int) -> bool:
    return type(value) is int and value >= minimum  # not bool, not float


# -- Judging a page


TemplateLookup = Callable[[str], "SiteTemplates | None"]


class TemplateCleaner:
    """Drops the lines that the page's site repeats; needs `PageContext.site`."""

    name = "template"

    def __init__(self, templates: Mapping[str, SiteTemplates] | TemplateLookup) -> None:
        self._lookup: TemplateLookup = (
            templates.get if isinstance(templates, Mapping) else templates
        )

    def judge(self, segments: list[Segment], page: PageContext) -> None:
        if page.site is not None:
            judge(segments, page, self._lookup(page.site))


def judge(
    segments: list[Segment], page: PageContext, templates: SiteTemplates | None
) -> list[Segment]:
    """Drop the page's lines that its site repeats; returns them. Nothing goes while the
    site is little known (`MIN_SITE_PAGES`) or when the page backs off (`BACKOFF_SHARE`)."""
    if templates is None or templates.pages < MIN_SITE_PAGES:
        return []
    drops = plan(segments, page, templates)
    if backs_off(segments, drops):
        return []
    for seg, share in drops:
        seg.drop(REASON, share)
    return [seg for seg, _ in drops]


def plan(
    segments: list[Segment], page: PageContext, templates: SiteTemplates
) -> list[tuple[Segment, float]]:
    """The kept segments the counts and their places say to drop, with their shares."""
    lines = [s for s in segments if s.text.strip()]
    shares = [repeat_share(s, page, templates) for s in lines]
    return [
        (seg, share)
        for run in _runs(lines, shares, page)
        for seg, share in run.members
        if seg.kept and may_drop(seg.text, share, run.embedded)
    ]


def repeat_share(seg: Segment, page: PageContext, templates: SiteTemplates) -> float | None:
    """The share of the site's pages holding this line when it counts as a repeat (on
    `MIN_KEY_PAGES` pages and `MIN_SHARE` of them); None for other lines, the title and code."""
    if seg.kind == "code" or _is_title(seg, page):
        return None
    key = template_key(seg.text)
    if not key or templates.count(key) < MIN_KEY_PAGES:
        return None
    share = templates.share(key)
    return share if share >= MIN_SHARE else None


def may_drop(text: str, share: float, embedded: bool) -> bool:
    """Whether a repeated line of this length and share may go where it sits.

    >>> may_drop("Home", 0.6, embedded=False), may_drop("Ingredients", 1.0, embedded=True)
    (True, False)
    """
    n = len(words(text))
    if n >= LONG_WORDS and share < LONG_MIN_SHARE:
        return False
    if embedded:
        return n >= BODY_MIN_WORDS and share >= BODY_MIN_SHARE
    return True


def backs_off(segments: list[Segment], drops: list[tuple[Segment, float]]) -> bool:
    """True when the drops hold more than `BACKOFF_SHARE` of the words the page keeps."""
    kept = sum(len(words(s.text)) for s in segments if s.kept)
    dropped = sum(len(words(s.text)) for s, _ in drops)
    return dropped > BACKOFF_SHARE * kept


@dataclass(slots=True)
class _Run:
    """Repeated lines in a row, and whether the page's prose or title surrounds them."""

    members: list[tuple[Segment, float]]
    anchor_before: bool
    anchor_after: bool = False

    @property
    def embedded(self) -> bool:
        """Inside the page's own text, and too short to be a template block."""
        return self.anchor_before and self.anchor_after and len(self.members) < MIN_BLOCK_LINES


def _runs(lines: list[Segment], shares: list[float | None], page: PageContext) -> list[_Run]:
    """Group repeated lines into runs, and see which lie inside the page's own text.

    Any line of the page's own (a kept line the site does not repeat, the title, code)
    ends a run, so that a list of ingredients with some common ones stays in pieces.
    But only prose, the title and code show where the page's text is (`_is_anchor`): a
    short unique line in a header (a date in words, a trending headline) must not make
    the menu beside it look like a heading inside the text. Lines another cleaner dropped
    and the site does not repeat are passed over, so a menu with "Share" in it is one block.
    """
    runs: list[_Run] = []
    current: _Run | None = None
    anchored = False
    for seg, share in zip(lines, shares, strict=True):
        if share is not None:
            if current is None:
                current = _Run([], anchor_before=anchored)
                runs.append(current)
            current.members.append((seg, share))
        elif seg.kept or seg.kind == "code" or _is_title(seg, page):
            if _is_anchor(seg, page):
                anchored = True
                for run in runs:
                    run.anchor_after = True
            current = None
    return runs


def _is_anchor(seg: Segment, page: PageContext) -> bool:
    """The page's title, code, or prose: a sentence, or a line of `LONG_WORDS` words."""
    return (
        seg.kind == "code"
        or _is_title(seg, page)
        or is_sentence(seg.text)
        or len(words(seg.text)) >= LONG_WORDS
    )


def _is_title(seg: Segment, page: PageContext) -> bool:
    return seg.index == page.title_index or (
        page.title is not None and same_text(seg.text, page.title)
    )
