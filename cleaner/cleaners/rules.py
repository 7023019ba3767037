"""Line rules: small pure functions `str -> bool` ("is this line boilerplate?").

Each rule is registered by name in `RULES`; the heuristic cleaner runs them in order and
reports the first that fires. A rule sees one line only; rules that need neighbours live
in `cleaner.cleaners.heuristic`. Rules must stay silent on real short lines:

>>> any(rule(line) for rule in RULES.values() for line in
...     ['"No," she said.', "2 cups flour", "return x + 1;", "Nuclear deterrence"])
False
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import cast

from cleaner.cleaners.lexicon import RELATED_HEADERS, STRONG_UI_WORDS, UI_WORDS
from cleaner.tokens import line_tokens, word_count

Rule = Callable[[str], bool]
RULES: dict[str, Rule] = {}

#: Lines whose verdicts each rule remembers, as many as `line_tokens` remembers.
RULE_CACHE_SIZE = 8192

_COUNT = re.compile(r"^\d+(?:[.,]\d+)?[km]?$", re.I)
_CODE_LIKE = re.compile(r"[={};<>]|\w\(")


def rule(fn: Rule) -> Rule:
    """Register `fn` under its own name; the name is the reason reported for a drop.

    The registered rule remembers its verdicts (`RULE_CACHE_SIZE` lines): the heuristic
    cleaner, the title finder and the learned cleaner's features each ask every rule about
    the same lines, and a rule is a pure function of its line.
    """
    cached = cast(Rule, lru_cache(maxsize=RULE_CACHE_SIZE)(fn))
    RULES[fn.__name__] = cached
    return cached


def _match(pattern: str) -> Callable[[str], bool]:
    compiled = re.compile(pattern, re.I | re.UNICODE)
    return lambda line: compiled.search(line) is not None


#: Characters that `re.IGNORECASE` matches to an ASCII letter although `str.lower()` does
#: not turn them into that letter ("İ" and "ı" match "i", "ſ" matches "s"; checked over
#: all of Unicode in tests/test_rules.py).
_CASE_FOLD_EXCEPTIONS = ("\u0130", "\u0131", "\u017f")


class _GatedSearch:
    """A case-insensitive search, run only on lines whose lower-cased text holds one of
    `keys`: lower-case literal pieces of the pattern, one of which every match contains.

    Such a search tries the whole pattern at every position of the line, while `in` on
    the lowered line is a fast scan, and most lines hold no key. The gate cannot turn a
    match away: `str.lower()` maps every character that matches a key's character
    case-insensitively to that character, except those in `_CASE_FOLD_EXCEPTIONS`, and a
    line holding one of those is always searched.

    >>> _GatedSearch(r"all rights reserved|^©", ("rights reserved", "©"))("ALL RIGHTS RESERVED.")
    True
    """

    __slots__ = ("keys", "pattern")

    def __init__(self, pattern: str, keys: tuple[str, ...]) -> None:
        self.pattern = re.compile(pattern, re.I | re.UNICODE)
        self.keys = keys

    def __call__(self, line: str) -> bool:
        lowered = line.lower()
        for key in self.keys:  # plain loops: `any()` over a generator costs more than the scans
            if key in lowered:
                return self.pattern.search(line) is not None
        for char in _CASE_FOLD_EXCEPTIONS:
            if char in line:
                return self.pattern.search(line) is not None
        return False


@rule
def lone_punctuation(line: str) -> bool:
    """Separators and bullets with no letter or digit: "|", "—", "• • •".

    >>> lone_punctuation("—"), lone_punctuation("* * *"), lone_punctuation("I.")
    (True, True, False)
    """
    return not any(ch.isalnum() for ch in line)


@rule
def related_header(line: str) -> bool:
    """A header that opens a block of links to other stories ("RELATED TOPICS:").

    >>> related_header("RELATED TOPICS:"), related_header("Lesen Sie auch"), related_header("Related work")
    (True, True, False)
    """
    return " ".join(line_tokens(line)) in RELATED_HEADERS


@rule
def ui_phrase(line: str) -> bool:
    """Widget and navigation labels: every word is UI vocabulary, one of them strong.

    >>> [ui_phrase(s) for s in ["Share", "12 Comments", "Scroll to Top", "Lire la suite"]]
    [True, True, True, True]
    >>> [ui_phrase(s) for s in ["Share prices fell.", "More than 40 people died", "Home"]]
    [False, False, True]
    """
    # The cheap test first: on most lines the first word is no UI word, which settles it.
    # A count ("12", "1.2k") is never a UI word, and is the only other word allowed.
    tokens = []
    for w in line_tokens(line):
        if w in UI_WORDS:
            tokens.append(w)
        elif not _COUNT.match(w):
            return False
    if (
        not tokens
        or len(tokens) > 6
        or (line.rstrip().endswith((".", "!", "?")) and len(tokens) > 2)
    ):
        return False
    return any(w in STRONG_UI_WORDS for w in tokens) and not _CODE_LIKE.search(line)


_audio = _GatedSearch(
    r"trinity audio|audio player|listen to (this|the) (article|story|podcast|episode)"
    r"|artikel (an)?hören|[ée]couter (cet |l')?article|escuchar (el |este )?art[ií]culo"
    r"|^\s*\d+\s*(min|minute|minuten|minutes|minutos)\.?\s*(read|listen|lesezeit|de lecture|de lectura)\b"
    r"|^\s*(lesezeit|reading time|temps de lecture|tiempo de lectura)\b",
    # the players' names; the verbs of the next four; the badges' last words
    ("audio", "listen", "artikel", "couter", "escuchar", "read", "lesezeit", "lectur"),
)


@rule
def audio_player(line: str) -> bool:
    """Text-to-speech players and reading-time badges.

    >>> audio_player("Getting your Trinity Audio player ready..."), audio_player("4 min read")
    (True, True)
    >>> audio_player("She likes to listen to the radio.")
    False
    """
    return word_count(line) <= 12 and _audio(line)


_cms = _GatedSearch(
    r"^the post .{3,300} appeared first on .{2,100}$|^source link$|^(originally )?published (on|at|in) \S+\.?$"
    r"|this (article|story|post) (was )?(originally )?(published|appeared) (on|in|at|by)\b"
    r"|powered by (wordpress|ghost|drupal|joomla|blogger|squarespace|wix)"
    r"|all rights reserved|alle rechte vorbehalten|tous droits réservés|todos los derechos reservados"
    r"|^(copyright\s*(©|\(c\))?\s*\d{4}|©|\(c\)\s*\d{4})",
    # one per alternative above, in order; "publish" and "appeared" serve the fourth
    (
        "appeared",
        "source link",
        "publish",
        "powered by",
        "rights reserved",
        "rechte vorbehalten",
        "droits r",
        "derechos reservados",
        "copyright",
        "©",
        "(c)",
    ),
)


@rule
def cms_footer(line: str) -> bool:
    """Feed and CMS footers: "The post … appeared first on …", copyright lines.

    >>> cms_footer("The post Rutte speaks appeared first on World Online.")
    True
    >>> cms_footer("© 2025 Example Media. All rights reserved.")
    True
    >>> cms_footer("He published the post on his blog.")
    False
    """
    return word_count(line) <= 60 and _cms(line.strip())


_cookie = _GatedSearch(
    r"\b(we|this (web)?site|our (web)?site|wir|diese (web)?(seite|site)|nous|ce site|este sitio|usamos|utilizamos)"
    r"\b.{0,40}\b(use|uses|using|verwende[nt]?|nutz(en|t)|utilise|utilisons|usa|utiliza)\b.{0,20}\bcookies?\b"
    r"|cookie[- ]?(policy|settings|preferences|consent|richtlinie|einstellungen|banner)"
    r"|\baccept(ez)?( all| les)? cookies|\ball cookies\b|cookies (akzeptieren|zulassen|accepter|aceptar)"
    r"|politique (de|relative aux) cookies|política de cookies|datenschutzeinstellungen"
    r"|\b(utilizamos|usamos) cookies|accepter (les |tous les )?cookies|aceptar (las |todas las )?cookies",
    ("cookie", "datenschutzeinstellungen"),  # every alternative names cookies but this one
)


@rule
def cookie_notice(line: str) -> bool:
    """Cookie and consent banners; a recipe that bakes cookies is left alone.

    >>> cookie_notice("We use cookies to improve your experience. Accept all")
    True
    >>> cookie_notice("Bake the cookies for 12 minutes until golden.")
    False
    """
    return word_count(line) <= 80 and _cookie(line)


_newsletter = _GatedSearch(
    r"\b(sign up|signup|subscribe|register|join|get)\b.{0,60}\b(newsletters?|inbox|e-?mail updates|briefing|digest)"
    r"|newsletter (abonnieren|bestellen)|zum newsletter|(abonnez|inscrivez)-vous à (notre|la) (newsletter|lettre)"
    r"|suscr[ií]bete (a|al) (nuestro |nuestra )?(newsletter|bolet[ií]n)"
    r"|\b(already a subscriber|subscribe (now|today)|subscribers? only|for subscribers"
    r"|you have \d+ free (articles?|stories)|free articles? (left|remaining)"
    r"|(sign|log) in to (continue|read|comment)|create (a |your )?free account)\b",
    # what each alternative must contain: the first's last words; "vous" (French),
    # "suscr" (Spanish); then "subscri" for the first four of the last group, "free " and
    # " in to " for the rest of it
    (
        "newsletter",
        "inbox",
        "mail updates",
        "briefing",
        "digest",
        "vous",
        "suscr",
        "subscri",
        "free ",
        " in to ",
    ),
)


@rule
def newsletter_pitch(line: str) -> bool:
    """Newsletter and paywall pitches.

    >>> newsletter_pitch("Sign up for our daily newsletter to get the news in your inbox.")
    True
    >>> newsletter_pitch("The newsletter was founded in 1998 by two editors.")
    False
    """
    return word_count(line) <= 40 and _newsletter(line)


_share = _match(
    r"^(share|tweet|post|email|send) (this|on|via|to|it)\b|^(follow|like) us\b|^click to (share|email|print)"
    r"|^folg(e|en sie|t) uns|^suivez[- ]nous|^s[ií]guenos|^teilen (sie )?(diesen|den|auf)|^partager (sur|cet)"
    r"|^compartir (en|este)"
)


@rule
def share_prompt(line: str) -> bool:
    """Share and follow prompts longer than a bare label.

    >>> share_prompt("Share this article on Facebook"), share_prompt("Follow us on Twitter")
    (True, True)
    >>> share_prompt("Shares of Apple rose 3% on Monday.")
    False
    """
    return word_count(line) <= 12 and _share(line.strip())


_continues = _match(
    r"^(the )?(story|article|text) continues (below|after)|^continue reading( below| the main story)?\W*$"
    r"|^scroll (down )?to continue|^weiterlesen nach der anzeige|^la suite après (cette|la) publicité"
)


@rule
def ad_marker(line: str) -> bool:
    """Markers that stand where an advert was.

    >>> ad_marker("Story continues below advertisement"), ad_marker("Continue reading the main story")
    (True, True)
    """
    return word_count(line) <= 10 and _continues(line.strip())


_caption = _GatedSearch(
    r"\((?=[^()]*(/|photo|foto|image|bild|credit|crédit|getty|shutterstock|istock|alamy|unsplash))"
    r"[^()]{2,80}\)\s*$"
    r"|^(photo|foto|image|bild|picture|credit|photo credit|crédit photo|bildquelle|fuente)\s*:\s*\S",
    ("(", ":"),  # a credit in brackets, or a "Photo:" label
)


@rule
def photo_caption(line: str) -> bool:
    """Image captions, recognised by their credit: "… (Reuters/Yves Herman)", "Foto: dpa".

    >>> photo_caption("Rutte speaks in The Hague, June 23, 2025. (Reuters/Yves Herman)")
    True
    >>> photo_caption("(Reporting by Andrew Gray; Editing by Sandra Maler)")
    False
    """
    return word_count(line) <= 60 and _caption(line.strip())


_MONTHS = (
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?|januar|februar|märz|mai"
    r"|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre"
    r"|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre"
    r"|noviembre|diciembre"
)
_RELATIVE_TIME = (
    r"(\d+|an?|one)\s*(sec|second|min|minute|hour|hr|day|week|month|year)s?\s+ago"
    r"|vor\s+(\d+|einer?|einem)\s+(sekunden?|minuten?|stunden?|tag(en)?|wochen?|monat(en)?|jahr(en)?)"
    r"|il y a\s+\d+\s+(secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)"
    r"|hace\s+\d+\s+(segundos?|minutos?|horas?|d[ií]as?|semanas?|meses|mes|años?)"
    r"|just now|yesterday|gestern|heute|hier|ayer|hoy"
)
_DAY = r"(0?[1-9]|[12]\d|3[01])"
_DATE = (
    rf"({_DAY}\.?\s+(de\s+)?({_MONTHS})(,?\s+(de\s+)?\d{{4}})?"
    rf"|({_MONTHS})\s+{_DAY}(st|nd|rd|th)?\b,?(\s+\d{{4}})?"
    r"|\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})"
)
#: Words that mark a date as the page's own (its dateline), not another story's age.
_OWN_DATE_PREFIX = (
    r"(updated|published|posted|last updated|modified|aktualisiert|veröffentlicht|stand|publié"
    r"|mis à jour|publicado|actualizado)"
)
_own_date = re.compile(rf"^\W*{_OWN_DATE_PREFIX}\b", re.I)
_timestamp = re.compile(
    rf"^\W*({_OWN_DATE_PREFIX}\s*(on|am|le|el)?:?\s*)?(\w+day,?\s+)?({_RELATIVE_TIME}|{_DATE})"
    rf",?(\s*(at|um|à|a las)?\s*\d{{1,2}}[:.h]\d{{2}}(\s*([ap]\.?m\.?|uhr|h))?(\s*[A-Z]{{2,5}})?)?\W*$",
    re.I,
)


@rule
def timestamp(line: str) -> bool:
    """A line that is only a date or a relative time: a dateline or another story's age.

    >>> [timestamp(s) for s in ["2 hours ago", "June 23, 2025", "vor 3 Stunden", "Updated: 2025-06-23 10:00"]]
    [True, True, True, True]
    >>> timestamp("In June 2025, prices rose.")
    False
    """
    return len(line) <= 60 and _timestamp.match(line.strip()) is not None


def own_date(line: str) -> bool:
    """A dateline the page gives for itself ("Updated: June 20, 2025").

    >>> own_date("Updated: June 20, 2025"), own_date("2 hours ago")
    (True, False)
    """
    return timestamp(line) and _own_date.match(line) is not None


#: A name word: capitalised, and not an article ("By The Numbers" is a section title).
_NAME = r"(?!(?:The|A|An|Der|Die|Das|Le|La|Les|El|Los|Las)\b)[A-ZÀ-ÝŁŚŻ][\w.'’-]*"
_byline = re.compile(
    r"^(?i:by|von|par|por|written by|geschrieben von|écrit par|escrito por|author:|autor:|auteur\s*:)\s*"
    rf"(?P<names>{_NAME}(?:\s*(?:,|&|\b(?i:and|und|et|y)\b)?\s*{_NAME})+)"
    r"\s*(?:[|/–-]\s*[\w .'’-]{0,40})?$"
)


def byline_author(line: str) -> str | None:
    """The author named by a byline line, or None.

    >>> byline_author("By Andrew Gray"), byline_author("By the time we arrived, it was dark.")
    ('Andrew Gray', None)
    """
    m = _byline.match(line.strip())
    if m is None or word_count(line) > 10:
        return None
    return m.group("names").strip()


@rule
def byline(line: str) -> bool:
    """Author credit lines; the author goes to the metadata instead.

    >>> byline("By Andrew Gray"), byline("Von Anna Schmidt und Jan Berg"), byline("By 2030, half will be gone.")
    (True, True, False)
    """
    return byline_author(line) is not None
