"""Line rules: small pure functions `str -> bool` ("is this line boilerplate?").

Each rule is registered by name in `RULES`; the heuristic cleaner runs them in order and
reports the first that fires. A rule sees one line only; rules that read a line's
neighbours are in `cleaner.cleaners.neighbours`. Most rules are a `RegexRule` (a pattern
under a word cap) whose words come from the language packs (`cleaner.languages`): no
language's words are written here. Rules must stay silent on real short lines:

>>> any(rule(line) for rule in RULES.values() for line in
...     ['"No," she said.', "2 cups flour", "return x + 1;", "Nuclear deterrence"])
False
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import cast

from cleaner.cleaners.lexicon import (
    FUNCTION_WORDS,
    MAX_RELATED_HEADER_TOKENS,
    RELATED_HEADER_PREFIXES,
    RELATED_HEADERS,
    STRONG_UI_WORDS,
    UI_WORDS,
    segment_cjk,
)
from cleaner.cleaners.regex_rule import RegexRule
from cleaner.cleaners.shape import menu_items
from cleaner.languages import alternatives, entries
from cleaner.tokens import is_cjk, line_tokens, line_words, word_count

Rule = Callable[[str], bool]
RULES: dict[str, Rule] = {}

#: The regex rules among `RULES`, by name: their patterns, caps and examples as data.
REGEX_RULES: dict[str, RegexRule] = {}

#: Lines whose verdicts each rule remembers, as many as `line_tokens` remembers.
RULE_CACHE_SIZE = 8192

#: A widget label has at most this many UI words ("Skip to main content" has four)...
MAX_UI_WORDS = 6
#: ...and at most this many when it ends like a sentence ("Share!" is a label, "Read
#: the full story here." is not).
MAX_UI_WORDS_IN_SENTENCE = 2

#: A date or a relative time alone on its line is short; a longer line says more.
MAX_TIMESTAMP_CHARS = 60

#: A byline names a few authors and perhaps their outlet, in at most this many words.
MAX_BYLINE_WORDS = 10

_COUNT = re.compile(r"^\d+(?:[.,]\d+)?[km]?$", re.I)
_CODE_LIKE = re.compile(r"[={};<>]|\w\(")


def _register(name: str, fn: Rule) -> Rule:
    """Put `fn` into `RULES` under `name`, remembering its verdicts (`RULE_CACHE_SIZE`
    lines): the heuristic cleaner, the title finder and the learned cleaner's features
    each ask every rule about the same lines, and a rule is a pure function of its line."""
    if name in RULES:
        raise ValueError(f"a line rule named {name!r} is already registered")
    cached = cast(Rule, lru_cache(maxsize=RULE_CACHE_SIZE)(fn))
    RULES[name] = cached
    return cached


def rule(fn: Rule) -> Rule:
    """Register a rule function under its own name; the name is the reason reported for
    a drop."""
    return _register(fn.__name__, fn)


def regex_rule(spec: RegexRule) -> Rule:
    """Register a `RegexRule` under its name; returns the registered (remembering) rule."""
    REGEX_RULES[spec.name] = spec
    return _register(spec.name, spec)


def _group(field: str) -> str:
    """The language packs' entries of `field` as one non-capturing group (`alternatives`
    refuses a field no pack fills)."""
    return f"(?:{alternatives(field)})"


def _whole_line(field: str) -> str:
    """A pattern for a line that is one of the packs' `field` entries and nothing else
    (punctuation and bullets around it aside)."""
    return rf"^\W*(?:{alternatives(field)})\W*$"


def _optional(field: str, template: str) -> str:
    """`template` with the packs' `field` group in place of `{}`, made optional; "" when
    no pack fills the field (an empty group would match anywhere)."""
    return f"(?:{template.format(_group(field))})?" if entries(field) else ""


@rule
def lone_punctuation(line: str) -> bool:
    """Separators and bullets with no letter or digit: "|", "—", "• • •".

    >>> lone_punctuation("—"), lone_punctuation("* * *"), lone_punctuation("I.")
    (True, True, False)
    """
    return not any(ch.isalnum() for ch in line)


#: A header that names where more stories come from ("More from Harbour News") has at
#: most this many words after its two-word prefix: a longer line is a sentence.
MAX_RELATED_SOURCE_WORDS = 4


@rule
def related_header(line: str) -> bool:
    """A header that opens a block of links to other stories ("RELATED TOPICS:"), or one
    that names where they come from ("More from Harbour News").

    >>> related_header("RELATED TOPICS:"), related_header("Lesen Sie auch"), related_header("Related work")
    (True, True, False)
    >>> related_header("相关文章："), related_header("関連記事"), related_header("相关研究")
    (True, True, False)
    >>> related_header("More from Harbour News"), related_header("More in the morning, she said.")
    (True, False)
    """
    # A CJK header is one run of characters, which the tokeniser split into characters;
    # the token count settles most lines before they are joined and looked up.
    tokens = line_tokens(line)
    if len(tokens) <= MAX_RELATED_HEADER_TOKENS and " ".join(line_words(line)) in RELATED_HEADERS:
        return True
    return _names_a_source(line, tokens)


def _names_a_source(line: str, words: tuple[str, ...]) -> bool:
    """A related-stories prefix ("more from") and a short name after it, no sentence.
    The prefixes are of languages that write spaces, so the line's tokens are its words."""
    return (
        2 < len(words) <= 2 + MAX_RELATED_SOURCE_WORDS
        and f"{words[0]} {words[1]}" in RELATED_HEADER_PREFIXES
        and not line.rstrip().endswith((".", "!", "?"))
    )


@rule
def ui_phrase(line: str) -> bool:
    """Widget and navigation labels: every word is UI vocabulary, one of them strong.

    >>> [ui_phrase(s) for s in ["Share", "12 Comments", "Scroll to Top", "Lire la suite"]]
    [True, True, True, True]
    >>> [ui_phrase(s) for s in ["Share prices fell.", "More than 40 people died", "Home"]]
    [False, False, True]
    >>> [ui_phrase(s) for s in ["分享", "返回顶部", "シェアする", "我们今天去公园。"]]
    [True, True, True, False]
    """
    # The cheap test first: on most lines the first word is no UI word, which settles it.
    # A count ("12", "1.2k") is never a UI word, and is the only other word allowed. A CJK
    # character sends the line to `_cjk_ui_words`, which reads its runs of characters.
    tokens: list[str] = []
    for w in line_tokens(line):
        if w in UI_WORDS:
            tokens.append(w)
        elif not _COUNT.match(w):
            cjk = _cjk_ui_words(line) if len(w) == 1 and is_cjk(w) else None
            if cjk is None:
                return False
            tokens = cjk
            break
    if (
        not tokens
        or len(tokens) > MAX_UI_WORDS
        or (line.rstrip().endswith((".", "!", "?")) and len(tokens) > MAX_UI_WORDS_IN_SENTENCE)
    ):
        return False
    return any(w in STRONG_UI_WORDS for w in tokens) and not _CODE_LIKE.search(line)


def _cjk_ui_words(line: str) -> list[str] | None:
    """The UI words of a line that holds CJK characters, each run of them divided into
    the packs' CJK UI words (`segment_cjk`); None when a word is no UI word, no count
    and no run that divides wholly.

    >>> _cjk_ui_words("12 条评论 · Share"), _cjk_ui_words("分享经济")
    (['条评论', 'share'], None)
    """
    found: list[str] = []
    for w in line_words(line):
        if w in UI_WORDS:
            found.append(w)
        elif not _COUNT.match(w):
            parts = segment_cjk(w)
            if parts is None:
                return None
            found.extend(parts)
    return found


audio_player = regex_rule(
    RegexRule(
        "audio_player",
        # the player's name, "listen to this article", "4 min read", "Reading time: 4 min"
        rf"trinity audio|{alternatives('listen_prompts')}"
        rf"|^\s*\d+\s*{_group('minute_words')}\.?\s*{_group('reading_time_words')}\b"
        rf"|^\s*{_group('reading_time_labels')}\b",
        max_words=12,
        examples=("Getting your Trinity Audio player ready...", "4 min read"),
        counterexamples=("She likes to listen to the radio.",),
    )
)
"""Text-to-speech players and reading-time badges."""

cms_footer = regex_rule(
    RegexRule(
        "cms_footer",
        rf"{alternatives('cms_footers')}|{alternatives('rights_reserved')}"
        r"|^(?:©|\(c\)\s*\d{4})",
        max_words=60,
        examples=(
            "The post Rutte speaks appeared first on World Online.",
            "© 2025 Example Media. All rights reserved.",
        ),
        counterexamples=("He published the post on his blog.",),
    )
)
"""Feed and CMS footers: "The post … appeared first on …", copyright lines."""

cookie_notice = regex_rule(
    RegexRule(
        "cookie_notice",
        rf"\b{_group('cookie_subjects')}\b.{{0,40}}\b{_group('cookie_verbs')}\b.{{0,20}}"
        rf"\bcookies?\b|cookie[- ]?{_group('cookie_nouns')}|{alternatives('cookie_phrases')}",
        max_words=80,
        examples=("We use cookies to improve your experience. Accept all",),
        counterexamples=("Bake the cookies for 12 minutes until golden.",),
    )
)
"""Cookie and consent banners; a recipe that bakes cookies is left alone."""

newsletter_pitch = regex_rule(
    RegexRule(
        "newsletter_pitch",
        alternatives("newsletter_pitches"),
        max_words=40,
        examples=("Sign up for our daily newsletter to get the news in your inbox.",),
        counterexamples=("The newsletter was founded in 1998 by two editors.",),
    )
)
"""Newsletter and paywall pitches."""

share_prompt = regex_rule(
    RegexRule(
        "share_prompt",
        f"^{_group('share_prompts')}",
        max_words=12,
        keys=(),  # prompts start with many different verbs: the search is cheap anyway
        examples=("Share this article on Facebook", "Follow us on Twitter"),
        counterexamples=("Shares of Apple rose 3% on Monday.",),
    )
)
"""Share and follow prompts longer than a bare label."""

ad_marker = regex_rule(
    RegexRule(
        "ad_marker",
        f"^{_group('ad_markers')}",
        max_words=10,
        keys=(),
        examples=("Story continues below advertisement", "Continue reading the main story"),
        counterexamples=("He said the story continues to develop.",),
    )
)
"""Markers that stand where an advert was."""

#: Picture agencies and the "/" of "Reuters/Yves Herman" (a name after it: a path such as
#: "(file:///projects/x)" or "('/user/<id>')" in a code line is no credit): credits in
#: any language.
_CREDIT_MARKS = "(?-i:\\w/[A-Z])|getty|shutterstock|istock|alamy|unsplash"

photo_caption = regex_rule(
    RegexRule(
        "photo_caption",
        rf"\((?=[^()]*(?:{_CREDIT_MARKS}|{alternatives('photo_credit_words')}))[^()]{{2,80}}\)\s*$"
        rf"|^{_group('photo_labels')}\s*:\s*\S",
        max_words=60,
        examples=("Rutte speaks in The Hague, June 23, 2025. (Reuters/Yves Herman)",),
        counterexamples=(
            "(Reporting by Andrew Gray; Editing by Sandra Maler)",
            "Compiling error-handling v0.1.0 (file:///projects/error-handling)",
            "@app.route('/user/<username>')",
        ),
    )
)
"""Image captions, recognised by their credit: "… (Reuters/Yves Herman)", "Foto: dpa"."""

_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = _group("months")
_JOINER = _optional("date_joiners", r"{}\s+")
_YEAR = r"\d{4}" + _optional("year_marks", r"\s*{}")
#: Dates in numerals, whatever the language: ISO, year first with slashes (not dots: a
#: changelog's "2024.8.30" is a calendar version), day and month with slashes or dots, and
#: the CJK form with 年月日 (Korean 년월일).
_NUMERIC_DATE = (
    r"\d{4}-\d{2}-\d{2}|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}"
    r"|(?:\d{4}\s*[年년]\s*)?\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]"
)
_DATE = (
    rf"(?:{_DAY}\.?\s+{_JOINER}{_MONTH}(?:,?\s+{_JOINER}{_YEAR})?"
    rf"|{_MONTH}\s+{_DAY}{_optional('ordinal_suffixes', '{}')}\b,?(?:\s+{_YEAR})?"
    rf"|{_NUMERIC_DATE})"
)
#: Words that mark a date as the page's own (its dateline), not another story's age.
#: A post's date ("Posted March 19, 2024") is the page's own too, but a forum's gold
#: keeps it: `dateline` takes it only with a clock time.
_PAGE_DATE_PREFIX = _group("dateline_prefixes")
_OWN_DATE_PREFIX = rf"(?:{_PAGE_DATE_PREFIX}|{_group('post_date_prefixes')})"
_own_date = re.compile(rf"^\W*{_OWN_DATE_PREFIX}\b", re.I)
_page_date = re.compile(rf"^\W*{_PAGE_DATE_PREFIX}\b", re.I)
_WEEKDAY = _optional("weekdays", r"{},?\s+")
_timestamp = re.compile(
    rf"^\W*(?:{_OWN_DATE_PREFIX}\s*{_optional('dateline_prepositions', '{}')}:?\s*)?"
    rf"{_WEEKDAY}(?:{_group('relative_times')}|{_DATE})"
    rf",?(?:\s*{_optional('time_prepositions', '{}')}\s*\d{{1,2}}[:.h]\d{{2}}"
    rf"(?:\s*{_group('time_suffixes')})?(?:\s*[A-Z]{{2,5}})?)?\W*$",
    re.I,
)


@rule
def timestamp(line: str) -> bool:
    """A line that is only a date or a relative time: a dateline or another story's age.

    >>> [timestamp(s) for s in ["2 hours ago", "June 23, 2025", "vor 3 Stunden", "Updated: 2025-06-23 10:00"]]
    [True, True, True, True]
    >>> [timestamp(s) for s in ["23 июня 2025 г.", "2025年6月23日 10:30", "2025/06/23"]]
    [True, True, True]
    >>> timestamp("In June 2025, prices rose.")
    False
    """
    return len(line) <= MAX_TIMESTAMP_CHARS and _timestamp.match(line.strip()) is not None


#: A dateline with its clock time is longer than a bare date ("Published: Nov. 19, 2019,
#: 6:18 p.m. Updated: Nov. 19, 2019, 7:10 p.m.").
MAX_DATELINE_CHARS = 80

#: A clock time: "16:47", "9:15:02", "10h30", "6:18 p.m.", "5 pm".
_TIME_SUFFIX = _group("time_suffixes")
_CLOCK = rf"\b\d{{1,2}}(?:[:h]\d{{2}}(?::\d{{2}})?(?:\s*{_TIME_SUFFIX})?|\s*{_TIME_SUFFIX})"
_clock = re.compile(_CLOCK, re.I)
#: What a dateline is made of besides its prefix; a line is one when nothing wordy is left
#: once these are taken out.
_dateline_parts = re.compile(
    rf"{_OWN_DATE_PREFIX}|{_DATE}|{_CLOCK}|{_group('weekdays')}|{_MONTH}"
    rf"|\b{_group('dateline_prepositions')}\b|\b{_group('time_prepositions')}\b",
    re.I,
)
#: Time zones and the like: "GMT", "EST", "CET", "IST" (capitals, so not re.I).
_ZONE = re.compile(r"\b[A-Z]{2,5}\b")
_date = re.compile(_DATE, re.I)
_WORDY = re.compile(r"[^\W\d_]{2,}")


@rule
def dateline(line: str) -> bool:
    """The page's own date, and nothing else: "Updated 16:47 GMT", "Published 2:16 AM
    EST Nov 20, 2019", "Originally Published: March 3, 2024", "Aktualisiert: 11.04.2020".

    `timestamp` covers such dates too, and the line model, which replaces it, weighs
    them: a bare date is content in some golds (a forum post's "Posted March 19, 2024").
    On every labelled line of ../shared/corpus in its four renderings, a dateline prefix
    with a clock time is boilerplate on 220 lines of 34 sites and content on none; a
    page's dateline prefix ("updated", "published", not a post's "posted") with a date is
    boilerplate on 296 more lines of 53 sites and content on 12 lines of 3 sites (pages
    other than collections and listings), where the model kept 186 of the 296.

    >>> [dateline(s) for s in ["Updated 16:47 GMT", "Published 2:16 AM EST Nov 20, 2019",
    ...  "Originally Published: March 3, 2024", "Aktualisiert: 11.04.2020, 10:27"]]
    [True, True, True, True]
    >>> [dateline(s) for s in ["Posted March 19, 2024", "Updated: the API now returns 10:30 timestamps.",
    ...  "Published at 9 a.m., the report said wages rose.", "Updated 4 hours ago"]]
    [False, False, False, False]
    """
    line = line.strip()
    if len(line) > MAX_DATELINE_CHARS or not _own_date.match(line):
        return False
    if not (_clock.search(line) or (_page_date.match(line) and _date.search(line))):
        return False
    rest = _ZONE.sub(" ", _dateline_parts.sub(" ", line))
    return _WORDY.search(rest) is None


def own_date(line: str) -> bool:
    """A dateline the page gives for itself ("Updated: June 20, 2025").

    >>> own_date("Updated: June 20, 2025"), own_date("2 hours ago")
    (True, False)
    """
    return timestamp(line) and _own_date.match(line) is not None


#: A name word: capitalised (Latin or Cyrillic), and not an article ("By The Numbers" is a
#: section title).
_ARTICLES = "|".join(a[:1].upper() + a[1:] for a in entries("articles"))
_NAME = rf"(?!(?:{_ARTICLES})\b)[A-ZÀ-ÝŁŚŻА-ЯЁ][\w.'’-]*"
_byline = re.compile(
    # a prefix word ends at a space ("PARENT" is no "Par" byline); "Author:" at its colon
    rf"^(?i:{alternatives('byline_prefixes')})(?:\s+|(?<=:)\s*)"
    rf"(?P<names>{_NAME}(?:\s*(?:,|&|\b(?i:{alternatives('name_joiners')})\b)?\s*{_NAME})+)"
    r"\s*(?:[|/–-]\s*[\w .'’-]{0,40})?$"
)


def byline_author(line: str) -> str | None:
    """The author named by a byline line, or None.

    >>> byline_author("By Andrew Gray"), byline_author("By the time we arrived, it was dark.")
    ('Andrew Gray', None)
    """
    # The word cap first: the pattern's run of names backtracks exponentially on a long
    # line of capitalised words that fails at its end ("By" and 20 such words: a second).
    if word_count(line) > MAX_BYLINE_WORDS:
        return None
    m = _byline.match(line.strip())
    return None if m is None else m.group("names").strip()


@rule
def byline(line: str) -> bool:
    """Author credit lines; the author goes to the metadata instead.

    >>> byline("By Andrew Gray"), byline("Von Anna Schmidt und Jan Berg"), byline("By 2030, half will be gone.")
    (True, True, False)
    >>> byline("Author:Jane Doe"), byline("PARENT & STUDENT"), byline("PORTUGAL")
    (True, False, False)
    """
    return byline_author(line) is not None


#: A flattened menu this long is navigation whatever its words: a table row or a list of
#: names pasted onto one line rarely runs to this many short capitalised items.
MIN_MENU_ITEMS = 5


@rule
def flattened_menu(line: str) -> bool:
    """A navigation bar flattened onto one line ("Home  About  Rides  Restorations  Contact").

    >>> flattened_menu("News | Sports | Obituaries | Opinion | Weather | Jobs")
    True
    >>> flattened_menu("Free plan | No | Yes"), flattened_menu("Salt  Pepper  Oil")
    (False, False)
    """
    return menu_items(line) >= MIN_MENU_ITEMS


position_marker = regex_rule(
    RegexRule(
        "position_marker",
        # "list 1 of 4", "Slide 2 of 10", "3 / 12": where a carousel or list reader stands
        r"^\W*(?:\w+\s+)?\d{1,3}\s*(?:/|of|von|de|di|sur|z|из)\s*\d{1,3}[\s.)\]]*$",
        max_words=5,
        keys=(),
        examples=("list 1 of 4", "Slide 2 of 10", "3 / 12"),
        counterexamples=("2 of the 4 suspects were released.", "Chapter 1", "Example 1 of 2:"),
    )
)
"""Position markers of carousels, galleries and screen-reader lists."""

rating_widget = regex_rule(
    RegexRule(
        "rating_widget",
        # "4.5 out of 5 stars", "4,5/5", "★★★★☆", "Rated 4.8 (1,284)"
        r"^\W*(?:rated\s+)?\d(?:[.,]\d)?\s*(?:/|out of)\s*5\b(?:\s+stars?)?\W*$"
        r"|^[\s★☆✩✭✮⭐]*[★☆✩✭✮⭐]{3,}[\s★☆✩✭✮⭐]*(?:\(?[\d.,]+\)?)?\s*$"
        # a recipe card's "4.9 from 213 votes"
        r"|^\W*\d(?:[.,]\d+)?\s+from\s+\d[\d,]*\s+votes?\W*$",
        max_words=6,
        keys=(),
        examples=("4.5 out of 5 stars", "4,5/5", "★★★★☆ (1,284)"),
        counterexamples=("She rated it 4 out of 5 in her review.", "5 stars"),
    )
)
"""Star ratings of review and shop widgets."""

shop_widget = regex_rule(
    RegexRule(
        "shop_widget",
        _whole_line("shop_labels"),
        max_words=10,  # the pattern holds the whole line; a CJK character is a word
        keys=(),
        examples=("In stock", "Add to cart", "1,284 ratings", "(358 reviews)", "In den Warenkorb"),
        counterexamples=("The shop had 12 bikes in stock.", "Reviews", "1,284 votes"),
    )
)
"""A shop widget's label: stock, cart, the count of ratings (899 boilerplate lines on 31
corpus sites; the 24 content lines among its hits are a shop's collection page, whose
gold keeps the shop, and one product page's "358 ratings")."""

feedback_prompt = regex_rule(
    RegexRule(
        "feedback_prompt",
        _whole_line("feedback_prompts"),
        max_words=8,
        keys=(),
        examples=("Report an Error", "Submit a News Tip", "Fehler melden"),
        counterexamples=("Report an error to the maintainers with the log attached.",),
    )
)
"""Links that invite readers to report an error or send a tip (150 lines on 23 corpus
sites, never content)."""

post_navigation = regex_rule(
    RegexRule(
        "post_navigation",
        # a title may follow; a line that ends like a sentence is the author's own
        rf"^\W*(?:{alternatives('post_navigation')})(?!.*[.!]\s*$)",
        max_words=20,
        keys=(),
        examples=(
            "← Previous Post",
            "Next Post: Slip and Fall Liability Explained",
            "Article précédent",
        ),
        counterexamples=("Next post I will explain how to configure the router.",),
    )
)
"""A link to the blog's previous or next post, with or without its title (261 lines on
33 corpus sites, never content)."""

#: A count as forums print it: "1,006", "76.8k", "1 234".
_FORUM_COUNT = r"\d[\d,.\u00a0 ]*[km]?"
#: A join date's parts: month names, numbers, "18.09.2008,", "05:56".
_DATE_PART = rf"(?:{_group('months')}|\d[\d./:-]*(?:st|nd|rd|th)?,?)"

forum_profile = regex_rule(
    RegexRule(
        "forum_profile",
        rf"^\W*(?:{_group('forum_stat_labels')}\s*[:：]?\s*{_FORUM_COUNT}"
        rf"|{_FORUM_COUNT}\s*{_group('forum_stat_labels')}"
        rf"|{_group('forum_join_labels')}\s*[:：]?(?:\s*{_DATE_PART}){{0,4}})\W*$",
        max_words=8,
        keys=(),
        examples=("Posts: 1,006", "1.1k Reputation", "Join Date: Aug 2008", "Beiträge: 1626"),
        counterexamples=("Joined the team in 2019", "Posts", "She wrote 1,006 posts."),
    )
)
"""A forum poster's profile box: post counts, reputation, join date ("Posts: 1,006",
"1.1k Reputation", "Joined: Aug 2006"). On ../shared/corpus' four renderings: 1,894
boilerplate lines on 42 sites, 16 content lines on 3 (two documentation forums'
"Registered: 2025-11-01" and "Joined: 12. Sep 2024, 10:53", a freelancer's "Member
since …")."""

#: A tag or category line is a label and a short list: longer is prose about tags.
MAX_TAXONOMY_WORDS = 20

#: Without a colon ("Posted in Open thread"), only a short line that is no sentence.
MAX_TAXONOMY_PHRASE_WORDS = 12

_taxonomy_label = re.compile(
    rf"^\W*{_group('taxonomy_labels')}\s*(?::\s|：)\s*(?P<items>\S.*)$", re.I | re.S
)
_taxonomy_phrase = (
    re.compile(rf"^\W*{_group('taxonomy_phrases')}\s+\S", re.I)
    if entries("taxonomy_phrases")
    else None
)


@rule
def taxonomy_line(line: str) -> bool:
    """A post's tags or categories ("Tags: Sri Lanka", "Filed under china, plague").

    Measured on the labelled lines of ../shared/corpus (1,421 pages in four renderings):
    195 boilerplate lines on 38 sites, no content line. A code line ("category: 'Fruits'")
    and a wiki link ("Category:Portage", no space after the colon) are left alone, and so
    is a paper's "Keywords:" line, which is content.

    >>> taxonomy_line("Tags: politics, election, senate"), taxonomy_line("Posted in Uncategorized")
    (True, True)
    >>> taxonomy_line('{ category: "Fruits", price: "$1" },'), taxonomy_line("Posted in 1998, the letter was lost.")
    (False, False)
    """
    words = word_count(line)
    if words > MAX_TAXONOMY_WORDS:
        return False
    m = _taxonomy_label.match(line)
    if m is not None:
        return not _CODE_LIKE.search(m.group("items"))
    return (
        _taxonomy_phrase is not None
        and words <= MAX_TAXONOMY_PHRASE_WORDS
        and not line.rstrip().endswith((".", "!", "?"))
        and _taxonomy_phrase.match(line) is not None
    )


comment_form = regex_rule(
    RegexRule(
        "comment_form",
        alternatives("comment_form_phrases"),
        max_words=40,
        examples=(
            "Your email address will not be published. Required fields are marked *",
            "Leave a Reply Cancel reply",
        ),
        counterexamples=("She left a comment on the council's plan.",),
    )
)
"""The furniture of a comment form: "Leave a Reply", "Cancel reply", "Save my name, email,
and website…", "Comments are closed.", and its fields' labels ("Name *", "Email
Address*", "Website"): 2,162 lines on 214 sites of ../shared/corpus, never content."""

_commenter = re.compile(
    rf"^\W*(?P<name>(?:\S+\s+){{0,3}}\S+)\s+{_group('commenter_verbs')}\s*[:：]\s*$", re.I
)


@rule
def commenter_line(line: str) -> bool:
    """A comment's header: the commenter's name and "says:" and nothing after it (452
    lines on 6 sites of ../shared/corpus, never content). A name of function words only
    is a pronoun: "He says:" before a quote is prose.

    >>> commenter_line("MortimerInMiami says:"), commenter_line("The minister says: we will win.")
    (True, False)
    >>> commenter_line("He says:")
    False
    """
    m = _commenter.match(line)
    return m is not None and not set(line_words(m.group("name"))) <= FUNCTION_WORDS
