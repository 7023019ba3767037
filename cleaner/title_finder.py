"""Find a page's title: from HTML metadata when there is any, else from its lines.

Scraped plaintext rarely marks its title, and a page saved whole opens with a masthead,
menus, promotions and sign-in links before the story. So the lines are read from the
story outwards:

1. The page's URL often spells the title in its last path segment ("/vegetable-gardening-
   for-beginners"): a headline-like line that restates that slug is the title.
2. Otherwise the story is the page's main body (the densest run of prose, as the line
   model finds it), and its title is the headline-like line above the body whose words
   the body's lead repeats; failing that, the headline-like line nearest above the body,
   unless a menu row comes between them (what is above the menu is the page's header).
   A story without a title line above it may still be linked to itself in a "related"
   list after the body, recognised by a stricter share of words repeated from the lead.
3. A page with prose but no headline gets a title made from its lead.

A masthead ("The Daily Example", "Example News – Local news from Springfield") is never
the title when the URL's host spells the site's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import numpy as np

from cleaner.cleaners.rules import RULES
from cleaner.cleaners.shape import is_headline_like, is_sentence
from cleaner.document import Segment
from cleaner.features import PROSE_WORDS, prose_body
from cleaner.metadata import site_of
from cleaner.tokens import line_tokens, word_count

#: A title has at least this many words; "Facts" or "Bota" above a headline are labels.
#: (A line that restates the URL's slug may be shorter: "Pricing", "Garden chairs".)
MIN_TITLE_WORDS = 3

#: Share of a candidate's content words that must recur in the lead for a line after the
#: body (a "related" list) to be taken as the title (0.5 separates the story's own
#: headline from other headlines on the seeds and on corpus renderings checked by eye).
MIN_LEAD_OVERLAP = 0.5

#: ...and at least this many of them: two shared words ("will", "involved") are chance.
MIN_LEAD_SHARED = 3

#: Above the body, where the headline is expected, a weaker echo is enough: headlines are
#: short and the lead paraphrases them. On naive renderings of the dev corpora
#: (`python -m bench.titles --proxy`), 0.3 beat 0.5; 1 word instead of 2 found 8 more of
#: trafilatura-dev's 519 titles without URLs and 1 fewer of scrapinghub's 181, and was
#: even with URLs: 2 is kept, since one shared word is often chance.
MIN_LEAD_OVERLAP_ABOVE = 0.3
MIN_LEAD_SHARED_ABOVE = 2

#: How many sentences make the lead that a headline is compared with.
LEAD_SENTENCES = 5

#: How many lines above the body the headline may sit: bylines, dates, share buttons and
#: an image with its caption come between them (10 lines missed a tenth of the dev
#: corpora's headlines that 30 found; 60 found no more).
HEADLINE_WINDOW = 30

#: Words this short (articles, prepositions, "US") say nothing about the topic.
MIN_CONTENT_WORD_LEN = 4

#: A body line longer than this is prose, even when the page's <title> repeats it whole.
MAX_TITLE_WORDS = 30

#: A title made from the lead, when nothing better exists, is cut to this many words.
LEAD_TITLE_WORDS = 14

#: A line restates the URL's slug when it holds this share of the slug's words...
MIN_SLUG_COVERED = 0.6
#: ...and this share of its own words are in the slug: slugs drop stop words and are cut
#: short, so most of a long headline's words can be missing from its slug. Both were
#: chosen on the dev corpora (0.5-0.75 and 0.3-0.7 tried; these were best or tied).
MIN_LINE_IN_SLUG = 0.3

#: A path segment with fewer letters than this ("p", "t", "en") is a section, not a slug.
MIN_SLUG_CHARS = 3

#: A slug word this long may match inside a longer word and the other way round: slugs
#: glue words together ("bookclub", "usestate"), while short words ("in", "to")
#: would be found inside anything.
MIN_GLUED_WORD_LEN = 4

#: A host label shorter than this ("uk", "m") names no site; "bbc" or "npr" do.
MIN_SITE_LABEL_CHARS = 3

#: A masthead is the site's name plus at most this many words ("The", "Online", "UK"),
#: and no more of them than the name has words: "Gazette wins press award" on
#: gazette.example is a headline.
MAX_MASTHEAD_EXTRA_WORDS = 2

#: A row of this many links or more, of at most this many words each, is a menu: the
#: lines above it are the page's header (masthead, tagline), not the story's headline.
MIN_MENU_ITEMS = 3
MAX_MENU_ITEM_WORDS = 3

#: File name endings that are no part of a slug.
_SLUG_SUFFIX = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm)$", re.I)
_SLUG_WORD = re.compile(r"[^\W_]+")
#: A line that is a URL or a path: it restates the slug without being a title.
_URL_LIKE = re.compile(r"://|www\.|%2F", re.I)
#: What separates a site's name from its tagline ("Example News – Local news from X"),
#: and the links of a menu row ("Local · Sport · Opinion").
_SEPARATOR = re.compile(r"\s[|–—·•»-]\s")
#: Host labels that name no site: "www", and the second level of "co.uk", "gov.au".
_GENERIC_HOST_LABELS = frozenset({"www", "com", "org", "net", "gov", "edu", "co", "ac"})


@dataclass(frozen=True, slots=True)
class Title:
    text: str
    source: str  # "html" (page metadata), "line" (a line of the body), "lead" (made up from prose)
    index: int | None = None  # the body segment that is the title line, if any


def find_title(
    segments: list[Segment], meta_title: str | None = None, url: str | None = None
) -> Title | None:
    if meta_title:
        return Title(meta_title.strip(), "html", _matching_index(segments, meta_title))
    site = site_labels(url)
    lines = [s for s in segments if s.kind != "code" and not _is_furniture(s.text)]
    eligible = [
        not _names_site(seg.text, site)
        and not _continued_by(lines[i + 1] if i + 1 < len(lines) else None)
        for i, seg in enumerate(lines)
    ]
    body = _main_body(lines)
    slug = _slug_words(url)
    if slug:  # the title sits above the story or in it, not in the lists after it
        restating = _restating_slug(lines[: body[1] + 1 if body else None], eligible, slug)
        if restating is not None:
            return Title(restating.text.strip(), "line", restating.index)
    if body is None:
        return None
    start, end = body
    lead = [s.text for s in lines[start : end + 1] if is_sentence(s.text)][:LEAD_SENTENCES]
    headline = _headline(lines, eligible, body, set(_content_words(" ".join(lead))))
    if headline is not None:
        return Title(headline.text.strip(), "line", headline.index)
    first = lead[0].split()
    text = " ".join(first[:LEAD_TITLE_WORDS]) + ("…" if len(first) > LEAD_TITLE_WORDS else "")
    return Title(text, "lead", None)


def _headline(
    lines: list[Segment], eligible: list[bool], body: tuple[int, int], lead_words: set[str]
) -> Segment | None:
    """The title line of the story in `lines[body[0]:body[1] + 1]`: the title-shaped line
    whose words the lead repeats most, above the body (within `HEADLINE_WINDOW` lines) in
    preference to after it; else the one nearest above the body, unless a menu comes
    between them."""
    start, end = body
    best: tuple[tuple[bool, int, int], Segment] | None = None
    nearest: Segment | None = None
    for i in [*range(max(0, start - HEADLINE_WINDOW), start), *range(end + 1, len(lines))]:
        seg = lines[i]
        above = i < start
        if above and _is_menu(seg.text):
            nearest = None  # the lines above a menu are the page's header, not the story's
            continue
        if not (eligible[i] and _title_shaped(seg.text)):
            continue
        if above:
            nearest = seg
        own = set(_content_words(seg.text))
        shared = len(own & lead_words)
        if above:
            enough = shared >= MIN_LEAD_SHARED_ABOVE and shared >= MIN_LEAD_OVERLAP_ABOVE * len(own)
        else:
            enough = shared >= MIN_LEAD_SHARED and shared >= MIN_LEAD_OVERLAP * len(own)
        key = (above, shared, -i)  # above the body first, then most words shared, then first
        if enough and (best is None or key > best[0]):
            best = (key, seg)
    return best[1] if best is not None else nearest


def same_text(a: str, b: str) -> bool:
    """Equal up to case, punctuation and spacing.

    >>> same_text("Rutte: US is fully committed to NATO", "RUTTE – US is fully committed to NATO!")
    True
    """
    return line_tokens(a) == line_tokens(b)  # the cached tuples, not copies of them


def _matching_index(segments: list[Segment], title: str) -> int | None:
    if word_count(title) > MAX_TITLE_WORDS:
        return None
    return next((s.index for s in segments[:5] if same_text(s.text, title)), None)


def _main_body(lines: list[Segment]) -> tuple[int, int] | None:
    """First and last position (in `lines`) of the densest run of prose, measured as the
    line model measures it (`cleaner.features`); on a page without a sentence that long,
    of its sentences of any length. None on a page without sentences."""
    prose = [is_sentence(s.text) and word_count(s.text) >= PROSE_WORDS for s in lines]
    flags = prose if any(prose) else [is_sentence(s.text) for s in lines]
    return prose_body(np.array(flags)) if any(flags) else None


def _slug_words(url: str | None) -> list[str]:
    """The words of the URL's last path segment that has `MIN_SLUG_CHARS` characters or
    more outside its numbers, without a file ending.

    >>> _slug_words("https://example.com/news/2024/05/harbour-bridge-to-close.html?x=1")
    ['harbour', 'bridge', 'to', 'close']
    >>> _slug_words("https://example.com/t/plugin-recommendations/88771"), _slug_words("https://example.com/")
    (['plugin', 'recommendations'], [])
    """
    parts = urlsplit(url) if url else None
    if parts is None or not parts.hostname:
        return []
    for part in reversed(unquote(parts.path).split("/")):
        found = [w for w in _slug_tokens(_SLUG_SUFFIX.sub("", part)) if not w.isdigit()]
        if sum(map(len, found)) >= MIN_SLUG_CHARS:
            return found
    return []


def _restating_slug(lines: list[Segment], eligible: list[bool], slug: list[str]) -> Segment | None:
    """The headline-like line that covers most of the slug (the first of equals)."""
    slug_set, slug_glued = set(slug), "".join(slug)
    best: tuple[float, Segment] | None = None
    for seg, ok in zip(lines, eligible, strict=False):
        if not ok or not is_headline_like(seg.text) or _URL_LIKE.search(seg.text):
            continue
        own = _slug_tokens(seg.text)
        if not own:
            continue
        own_set, own_glued = set(own), "".join(own)
        in_slug = sum(w in slug_set or _glued_in(w, slug_glued) for w in own) / len(own)
        covered = sum(w in own_set or _glued_in(w, own_glued) for w in slug) / len(slug)
        enough = in_slug >= MIN_LINE_IN_SLUG and covered >= MIN_SLUG_COVERED
        if enough and (best is None or covered > best[0]):
            best = (covered, seg)
    return best[1] if best is not None else None


def _glued_in(word: str, glued: str) -> bool:
    return len(word) >= MIN_GLUED_WORD_LEN and word in glued


def _slug_tokens(text: str) -> list[str]:
    """Lower-cased words without apostrophes ("Adult's" is "adults" in a slug)."""
    return _SLUG_WORD.findall(text.lower().replace("'", "").replace("’", ""))


def site_labels(url: str | None) -> list[str]:
    """The labels of the URL's host that may name the site: "forum.mssociety.org.uk" gives
    ["forum", "mssociety"]; the top level and generic labels are dropped.

    >>> site_labels("https://www.daily-example.co.uk/news/x"), site_labels(None)
    (['dailyexample'], [])
    """
    site = site_of(url)
    if not site:
        return []
    labels = [label.replace("-", "") for label in site.split(".")[:-1]]
    labels = [label for label in labels if label not in _GENERIC_HOST_LABELS]
    return [label for label in labels if len(label) >= MIN_SITE_LABEL_CHARS]


def _names_site(text: str, site: list[str]) -> bool:
    """Whether a line is the site's masthead: the host's name spelled out, with a few
    more words (`MAX_MASTHEAD_EXTRA_WORDS`), optionally followed by a tagline.

    >>> site = site_labels("https://www.dailyexample.com/")
    >>> _names_site("The Daily Example", site), _names_site("Daily Example – News for Springfield", site)
    (True, True)
    >>> _names_site("Daily Example wins regional press award", site)
    False
    """
    if not site:
        return False
    parts = _SEPARATOR.split(text)
    if len(parts) > 2:  # "Site » News » Headline" is a breadcrumb that ends in the title
        return False
    words = _slug_tokens(parts[0])
    return any(_spells(words, label) for label in site)


def _spells(words: list[str], label: str) -> bool:
    """Whether consecutive words glue together to `label`, with few words left over.

    >>> _spells(["the", "daily", "example"], "dailyexample"), _spells(["gazette", "wins", "award"], "gazette")
    (True, False)
    """
    for first in range(len(words)):
        glued = ""
        for last in range(first, len(words)):
            glued += words[last]
            if not label.startswith(glued):
                break
            if glued == label:
                name = last - first + 1
                return len(words) - name <= min(name, MAX_MASTHEAD_EXTRA_WORDS)
    return False


def _is_menu(text: str) -> bool:
    """A row of links: three or more short parts between separators ("Local · Sport · Opinion").

    >>> _is_menu("Home | News | Sport"), _is_menu("Example News – Local news from Springfield")
    (True, False)
    """
    parts = _SEPARATOR.split(text)
    return len(parts) >= MIN_MENU_ITEMS and all(word_count(p) <= MAX_MENU_ITEM_WORDS for p in parts)


def _continued_by(following: Segment | None) -> bool:
    """A line whose next line starts in lower case was broken mid-sentence: no title."""
    return following is not None and following.text[:1].islower()


def _title_shaped(text: str) -> bool:
    return word_count(text) >= MIN_TITLE_WORDS and is_headline_like(text)


def _is_furniture(text: str) -> bool:
    return any(rule(text) for rule in RULES.values())


def _content_words(text: str) -> list[str]:
    return [w for w in line_tokens(text) if len(w) >= MIN_CONTENT_WORD_LEN]
