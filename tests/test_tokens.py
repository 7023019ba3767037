"""Unit tests for the shared tokeniser `cleaner.tokens`: its fast paths (lowering whole
lines, caching) must give the tokens of the plain definition, over all of Unicode."""

from __future__ import annotations

import re
import sys

import pytest

from cleaner import tokens
from cleaner.tokens import words

# --- words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "tokens"),
    [
        ("Don't stop—12 Comments!", ["don't", "stop", "12", "comments"]),
        ("Seán O’Brien", ["seán", "o'brien"]),
        ("Fast-Tracked to 2027", ["fast-tracked", "to", "2027"]),
        ("— | •", []),
    ],
)
def test_words_lowercases_and_keeps_inner_apostrophes_and_hyphens(
    line: str, tokens: list[str]
) -> None:
    assert words(line) == tokens


#: Every code point that `str` can hold (surrogates cannot stand alone in a regex subject).
ALL_CHARACTERS = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)


def tokens_one_by_one(text: str) -> tuple[str, ...]:
    """How `words` tokenised before `tokenise` lowered whole lines: token by token."""
    return tuple(w.lower().replace("’", "'") for w in tokens._WORD.findall(text))


def _token_classes(text: str) -> list[tuple[bool, bool, bool]]:
    """Per character: is it CJK, a word character the tokeniser takes, a joiner?"""
    cjk = re.compile(f"[{tokens._CJK}]")
    letter = re.compile(rf"[^\W_{tokens._CJK}]")
    joiner = re.compile(r"['’-]")
    marks = [[False] * len(text) for _ in range(3)]
    for row, pattern in zip(marks, (cjk, letter, joiner), strict=True):
        for m in pattern.finditer(text):
            row[m.start()] = True
    return list(zip(*marks, strict=True))


def test_lowering_keeps_every_character_in_its_token_class() -> None:
    """The premise of `tokenise`: apart from `_CONTEXT_LOWER`, each character lowers to one
    character of the same class, and none but "’" itself lowers to "’"."""
    chars = [c for c in ALL_CHARACTERS if c not in tokens._CONTEXT_LOWER]
    lowered = [c.lower() for c in chars]
    assert [c for c, low in zip(chars, lowered, strict=True) if len(low) != 1] == []
    original, after = "".join(chars), "".join(lowered)
    changed = [
        c
        for c, a, b in zip(chars, _token_classes(original), _token_classes(after), strict=True)
        if a != b
    ]
    assert changed == []
    assert [c for c, low in zip(chars, lowered, strict=True) if (low == "’") != (c == "’")] == []


@pytest.mark.parametrize(
    "text",
    [
        "Don't stop—12 Comments!",
        "Seán O’Brien’s FAST-Tracked plan",
        "ΟΔΟΣ.Α and ΟΔΟΣ Α: Σίσυφος ΣΟΦΟΣ",  # final sigma depends on the neighbours
        "İSTANBUL'da İnsan, ıslak ILIK",  # İ lowers to two characters
        "東京タワー is 333 m tall; ＡＢＣ１２３ ½ Ⅻ",
        "snake_case and kebab-case -- 'quoted' ’curly’",
        "",
    ],
)
def test_tokenise_gives_the_tokens_of_lowering_each_token(text: str) -> None:
    assert tokens.tokenise(text) == tokens_one_by_one(text)
    assert words(text) == list(tokens_one_by_one(text))


def test_word_count_and_line_tokens_match_words() -> None:
    for line in ["Don't stop—12 Comments!", "— | •", "ΟΔΟΣ.Α", "İstanbul"]:
        assert tokens.word_count(line) == len(words(line))
        assert tokens.line_tokens(line) == tuple(words(line))
    assert words("Share this") is not words("Share this")  # callers may change their copy
