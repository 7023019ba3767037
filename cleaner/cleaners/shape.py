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
