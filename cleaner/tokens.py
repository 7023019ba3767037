"""Word tokens: the one tokeniser that every rule, shape test, feature, the title finder
and the fingerprint share, so that "a word" means the same everywhere.

Lines are tokenised once and the tokens remembered (`line_tokens`): the rules, the shape
tests and the line features all ask about the same lines of a page. Whole texts seen once
(a clean body for the fingerprint) go through `tokenise`, uncached.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

#: Chinese and Japanese write no spaces: each ideograph or kana counts as a word there.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+(?:['’-][^\W_{_CJK}]+)*", re.UNICODE)
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")


def is_cjk(text: str) -> bool:
    """Whether `text` is Chinese or Japanese characters only (a token or a run of them).

    >>> is_cjk("分享"), is_cjk("シェア"), is_cjk("share"), is_cjk("")
    (True, True, False, False)
    """
    return _CJK_RUN.fullmatch(text) is not None


def cjk_runs(tokens: Iterable[str]) -> Iterator[str]:
    """`tokens` with each run of consecutive CJK tokens glued back into one string: the
    tokeniser splits CJK text into characters, while vocabulary ("分享", "返回顶部") is
    written in words of several characters. Other tokens pass unchanged.

    >>> list(cjk_runs(line_tokens("返回 顶部")))
    ['返回顶部']
    >>> list(cjk_runs(line_tokens("12 条评论 · Share")))
    ['12', '条评论', 'share']
    """
    run = ""
    for token in tokens:
        if len(token) == 1 and _CJK_RUN.match(token):
            run += token
            continue
        if run:
            yield run
            run = ""
        yield token
    if run:
        yield run


def line_words(line: str) -> tuple[str, ...]:
    """`line_tokens` with each run of CJK characters glued into one word (`cjk_runs`);
    the cached tokens themselves when the line holds no CJK character (most lines: one
    scan of the line decides).

    >>> line_words("分享 到微信"), line_words("Share this") is line_tokens("Share this")
    (('分享到微信',), True)
    """
    tokens = line_tokens(line)
    return tokens if _CJK_CHAR.search(line) is None else tuple(cjk_runs(tokens))


def words(line: str) -> list[str]:
    """Lower-cased word tokens (letters and digits, inner apostrophes and hyphens kept).

    >>> words("Don't stop—12 Comments!")
    ["don't", 'stop', '12', 'comments']
    """
    return list(line_tokens(line))


def word_count(line: str) -> int:
    """`len(words(line))` without copying the cached tokens into a new list: most callers
    only ask how long a line is.

    >>> word_count("Don't stop—12 Comments!")
    4
    """
    return len(line_tokens(line))


#: Lines whose words are remembered: a long page has a few thousand.
WORDS_CACHE_SIZE = 8192


@lru_cache(maxsize=WORDS_CACHE_SIZE)
def line_tokens(line: str) -> tuple[str, ...]:
    """The tokens of `words` as a tuple shared by every caller (never copy it to count or
    compare). Every rule, shape test and feature tokenises the same lines: once per line
    will do.

    >>> line_tokens("Share this!") is line_tokens("Share this!")
    True
    """
    return tokenise(line)


#: The only characters whose `str.lower()` is not one character of the same token class
#: regardless of its neighbours: "İ" lowers to two characters, "Σ" to "ς" or "σ"
#: depending on the letters around it.
_CONTEXT_LOWER = ("\u0130", "\u03a3")


def tokenise(text: str) -> tuple[str, ...]:
    """The tokens of `words`, uncached: for long texts seen once, such as a whole body,
    which would only push the page's lines out of the cache.

    Lowering the whole text and then splitting it gives the tokens that splitting and then
    lowering each token gives, at a fraction of the cost, because every character except
    those in `_CONTEXT_LOWER` lowers to one character of the same class (letter or digit,
    CJK, joiner, other; checked over all of Unicode in tests/test_rules.py). A text that
    holds one of those is lowered token by token, as before.

    >>> tokenise("Don't stop—12 Comments!"), tokenise("ΟΔΟΣ.Α")
    (("don't", 'stop', '12', 'comments'), ('οδος', 'α'))
    """
    if _CONTEXT_LOWER[0] in text or _CONTEXT_LOWER[1] in text:
        return tuple(w.lower().replace("’", "'") for w in _WORD.findall(text))
    return tuple(_WORD.findall(text.lower().replace("’", "'")))
