"""Shape tests shared by the cleaners and the title finder: is this line a sentence?"""

from __future__ import annotations

import re

from cleaner.tokens import word_count

_TERMINAL = (
    ".",
    "!",
    "…",
    '."',
    ".”",
    "!”",
    '!"',
    ".'",
    ".’",
    ".»",
    ")",
    ".)",
    ":",
    ";",
    "。",
    "！",
    "」",
    "』",
)
_HAS_DIGIT = re.compile(r"\d")


def is_sentence(text: str) -> bool:
    """Ends like prose and is long enough to be prose.

    >>> is_sentence('"No," she said.'), is_sentence("Upscale Apartments Sell for $19 Million")
    (True, False)
    """
    return word_count(text) >= 3 and text.rstrip().endswith(_TERMINAL)


def is_headline_like(text: str, max_words: int = 24) -> bool:
    """Short, and does not end like a sentence: a title, a link text, a subheading.

    >>> is_headline_like("Three Mile Island Nuclear Plant Reboot Fast-Tracked to 2027")
    True
    """
    n = word_count(text)
    return 1 <= n <= max_words and not text.rstrip().endswith(_TERMINAL)


def is_label(text: str, max_words: int = 4) -> bool:
    """A few capitalised words without digits or sentence punctuation: a menu entry or
    section label ("Flash News", "Bota"). Quantities ("2 cups flour") and lower-case
    starts are not labels.

    >>> is_label("Flash News"), is_label("2 cups flour"), is_label("salt and pepper")
    (True, False, False)
    """
    stripped = text.strip()
    n = word_count(stripped)
    return (
        1 <= n <= max_words
        and stripped[:1].isupper()
        and not _HAS_DIGIT.search(stripped)
        and not stripped.endswith((*_TERMINAL, "?", ","))
    )


#: What joins the items of a navigation bar flattened onto one line: a run of two or more
#: spaces where a stylesheet laid the links out side by side, or a visible separator
#: glyph with spaces around it. Not a tab: innerText puts tabs between table cells.
_ITEM_SEPARATOR = re.compile(r"[ \u00a0]{2,}|[ \u00a0]+[|•·●▪◦∙][ \u00a0]+")
#: Breadcrumb separators: arrows and chevrons, or a slash with spaces around it.
_CRUMB_SEPARATOR = re.compile(r"\s*[›»→▸▶〉>]\s*|\s+/\s+")

#: A menu entry or a crumb is a short name: at most this many words.
MAX_ITEM_WORDS = 4


def menu_items(text: str) -> int:
    """How many short named items the line strings together, if it is a flattened menu
    (three or more items of at most `MAX_ITEM_WORDS` words, none ending like a sentence,
    most capitalised); 0 otherwise. Items with digits are data, not menu entries, and a
    short table row can look like a short menu: the line model weighs the count, and
    only a long run of items is dropped outright (`rules.flattened_menu`).

    >>> menu_items("Home  About  Rides  Restorations  Contact")
    5
    >>> menu_items("Education | Obituaries | Weather | Sports")
    4
    >>> menu_items("Free plan | No | Yes"), menu_items("Price | $10 | $20"), menu_items("He left.  Then she did.")
    (3, 0, 0)
    """
    return _named_items(_ITEM_SEPARATOR.split(text.strip()))


def breadcrumb_items(text: str) -> int:
    """How many short named items the line joins with arrows or spaced slashes ("Home ›
    News › World", "Startseite / Politik / Ausland"); 0 for anything else.

    >>> breadcrumb_items("Home › News › World"), breadcrumb_items("Startseite / Politik / Ausland")
    (3, 3)
    >>> breadcrumb_items("Input/Output"), breadcrumb_items("x > 3 and y > 4")
    (0, 0)
    """
    return _named_items(_CRUMB_SEPARATOR.split(text.strip()))


def _named_items(items: list[str]) -> int:
    items = [item.strip() for item in items]
    if len(items) < 3 or not all(items):
        return 0
    for item in items:
        if word_count(item) > MAX_ITEM_WORDS or _HAS_DIGIT.search(item):
            return 0
        if item.endswith((*_TERMINAL, "?", ",")):
            return 0
    capitalised = sum(item[:1].isupper() for item in items)
    return len(items) if capitalised * 4 >= len(items) * 3 else 0
