"""The shape every language pack fills: the words and phrases the rules recognise.

A pack is data, not code. Word fields (`ui_words`, `ui_filler_words`, `related_headers`,
`function_words`) hold lower-case words or phrases compared with a line's tokens. Every
other field holds *regex fragments*: lower-case pieces that the rules join with `|` into
one case-insensitive pattern (`cleaner.cleaners.rules`), so a fragment may use groups,
`?` and classes (`[ée]couter`) but must stand on its own as an alternative.

A field a language has nothing for is `Absent(reason)`: empty, with the reason written
down, so that a gap is a decision someone took and not a field someone forgot
(`tests/test_languages.py` checks every field of every pack).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

Phrases = tuple[str, ...]


class Absent(tuple[str, ...]):
    """An empty field, with the reason it is empty.

    >>> gap = Absent("no Spanish ad markers seen in the corpus")
    >>> len(gap), gap.reason
    (0, 'no Spanish ad markers seen in the corpus')
    """

    reason: str

    def __new__(cls, reason: str) -> Absent:
        if not reason.strip():
            raise ValueError("an Absent field needs a reason")
        absent = super().__new__(cls, ())
        absent.reason = reason
        return absent


@dataclass(frozen=True, slots=True)
class LanguagePack:
    """What the rules and the line features know about one language.

    code, name: ISO 639-1 code and English name.
    ui_words: words that are UI on their own ("share", "teilen"): a line of UI words
        with one of these is a widget label (`ui_phrase`).
    ui_filler_words: words that may stand in a UI line but never make one alone
        ("the", "uns", "la").
    related_headers: headers that open a block of links to other stories, lower-case,
        without punctuation ("read more", "lesen sie auch").
    function_words: the language's commonest words: prose is full of them, menus have
        few (a line feature of the learned model).
    months: month names and their abbreviations.
    relative_times: another story's age ("2 hours ago", "vor 3 stunden", "hier").
    date_joiners: words between day, month and year ("23 de junio de 2025").
    weekdays: a weekday before a date ("monday, june 23").
    ordinal_suffixes: after a day number ("may 12th").
    year_marks: after a year ("23 июня 2025 г.", "23 czerwca 2025 r.").
    dateline_prefixes: words that make a date the page's own ("updated", "publié").
    post_date_prefixes: words that date a post rather than the page ("posted"): a
        forum's gold keeps its posts' dates.
    dateline_prepositions: between such a word and the date ("on", "am", "le").
    time_prepositions: between a date and its time ("at", "um", "à").
    time_suffixes: after a time ("p.m.", "uhr").
    byline_prefixes: what opens a byline ("by", "von", "auteur :").
    name_joiners: what joins two authors' names ("and", "und").
    articles: capitalised words that open a title, not a name ("The", "Der").
    listen_prompts: text-to-speech player prompts ("listen to this article").
    minute_words: "minutes" in a reading-time badge ("4 min read").
    reading_time_words: what follows the minutes in such a badge ("read", "de lecture").
    reading_time_labels: a badge's label at the start of a line ("reading time").
    cms_footers: feed and CMS footers ("the post … appeared first on …").
    rights_reserved: "all rights reserved".
    cookie_subjects: who uses cookies in a notice ("we", "this site", "wir").
    cookie_verbs: the verb of such a notice ("use", "verwenden").
    cookie_nouns: what follows "cookie" in a settings link ("policy", "einstellungen").
    cookie_phrases: other consent-banner phrases ("accept all cookies").
    newsletter_pitches: newsletter and paywall pitches.
    share_prompts: share and follow prompts, at the start of a line.
    ad_markers: markers where an advert was, at the start of a line.
    photo_credit_words: words of an image credit in brackets ("(Foto: dpa)").
    photo_labels: a credit label before a colon at the start of a line ("Bild:").
    taxonomy_labels: labels of a tag or category line, before a colon ("tags", "filed under").
    taxonomy_phrases: such labels that need no colon ("posted in", "tagged with").
    comment_form_phrases: the furniture of a comment form ("cancel reply", "your email
        address will not be published").
    commenter_verbs: what follows a commenter's name in a comment's header ("says").
    related_header_prefixes: the first two words of a header that names where more
        stories come from ("more from", "mehr von"), lower-case.
    shop_labels: a shop widget's label, the whole line: stock, cart, a count of ratings
        ("in stock", "add to cart", "1,284 ratings").
    feedback_prompts: links that invite a report, the whole line ("report an error",
        "submit a news tip").
    post_navigation: a link to the blog's previous or next post, at the start of a line
        ("next post", "article précédent").
    forum_stat_labels: a count in a forum poster's profile box, before or after the
        number ("posts: 1,006", "1.1k reputation", "beiträge: 1626").
    forum_join_labels: a poster's join date, before the date or alone ("join date",
        "member since", "registriert").
    """

    code: str
    name: str
    ui_words: Phrases
    ui_filler_words: Phrases
    related_headers: Phrases
    function_words: Phrases
    months: Phrases
    relative_times: Phrases
    date_joiners: Phrases
    weekdays: Phrases
    ordinal_suffixes: Phrases
    year_marks: Phrases
    dateline_prefixes: Phrases
    post_date_prefixes: Phrases
    dateline_prepositions: Phrases
    time_prepositions: Phrases
    time_suffixes: Phrases
    byline_prefixes: Phrases
    name_joiners: Phrases
    articles: Phrases
    listen_prompts: Phrases
    minute_words: Phrases
    reading_time_words: Phrases
    reading_time_labels: Phrases
    cms_footers: Phrases
    rights_reserved: Phrases
    cookie_subjects: Phrases
    cookie_verbs: Phrases
    cookie_nouns: Phrases
    cookie_phrases: Phrases
    newsletter_pitches: Phrases
    share_prompts: Phrases
    ad_markers: Phrases
    photo_credit_words: Phrases
    photo_labels: Phrases
    taxonomy_labels: Phrases
    taxonomy_phrases: Phrases
    comment_form_phrases: Phrases
    commenter_verbs: Phrases
    related_header_prefixes: Phrases
    shop_labels: Phrases
    feedback_prompts: Phrases
    post_navigation: Phrases
    forum_stat_labels: Phrases
    forum_join_labels: Phrases


#: The fields that hold vocabulary (everything but `code` and `name`).
VOCABULARY_FIELDS = tuple(f.name for f in fields(LanguagePack) if f.name not in ("code", "name"))


def words(text: str) -> Phrases:
    """A pack's word list written as one whitespace-separated block.

    >>> words('''share tweet
    ...          print''')
    ('share', 'tweet', 'print')
    """
    return tuple(text.split())


def phrases(text: str) -> Phrases:
    """A pack's phrase list written as one `|`-separated block (phrases hold spaces).

    >>> phrases('''read more|see also
    ...            |most read''')
    ('read more', 'see also', 'most read')
    """
    return tuple(p.strip() for p in text.split("|"))


def function_words_only(code: str, name: str, function_words: str, reason: str) -> LanguagePack:
    """A pack of a language the line model's function words cover and nothing else does
    yet: every other field is `Absent(reason)`."""
    gaps = {field: Absent(reason) for field in VOCABULARY_FIELDS if field != "function_words"}
    return LanguagePack(code=code, name=name, function_words=words(function_words), **gaps)
