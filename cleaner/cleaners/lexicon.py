"""The UI vocabulary the rules read, gathered from every language pack
(`cleaner.languages`): a language's words live in its pack, never here.

Words, not whole strings: a line is UI when *every* word of it is UI vocabulary and at
least one is a strong UI word (not a function word), so "Share", "Teilen", "Back to top",
"12 Comments", "Lire la suite" and "Síguenos" match, while "Share prices fell." does not.

Chinese and Japanese write no spaces, and the tokeniser splits them into characters
(`cleaner.tokens`): a run of such characters is UI when it divides wholly into the packs'
CJK UI words (`segment_cjk`). No single character is a UI word, so a run never counts as
UI because of one common character.
"""

from __future__ import annotations

from cleaner.languages import vocabulary
from cleaner.tokens import is_cjk, tokenise

#: Words that are UI on their own: widgets, sections, navigation, ads.
STRONG_UI_WORDS = vocabulary("ui_words")

#: Words that may stand in a UI line but never make one alone.
WEAK_UI_WORDS = vocabulary("ui_filler_words")

UI_WORDS = STRONG_UI_WORDS | WEAK_UI_WORDS

#: Headers that open a block of links to other stories, lower-cased, without punctuation.
RELATED_HEADERS = vocabulary("related_headers")

#: The first two words of a header that names where more stories come from ("more from"
#: in "More from Harbour News").
RELATED_HEADER_PREFIXES = vocabulary("related_header_prefixes")

#: Function words of every language pack: prose is full of them, menus and link lists have
#: few (a line feature), and a name made of them only is a pronoun ("He says:").
FUNCTION_WORDS = vocabulary("function_words")

#: The most tokens a related header has (a CJK character is a token): a longer line is
#: no header, which settles most lines before they are joined and looked up.
MAX_RELATED_HEADER_TOKENS = max(len(tokenise(header)) for header in RELATED_HEADERS)

#: The UI words written in CJK characters, which `segment_cjk` divides a run into. Single
#: characters are left out: alone they are too common in prose to be UI.
CJK_UI_WORDS = frozenset(w for w in UI_WORDS if len(w) > 1 and is_cjk(w))
_LONGEST_CJK_UI_WORD = max(map(len, CJK_UI_WORDS), default=0)
#: The characters a CJK UI word starts with: any other first character settles it at once
#: (the rules ask this of every line's first non-UI word, mostly Latin ones).
_CJK_UI_STARTS = frozenset(w[0] for w in CJK_UI_WORDS)

#: A run longer than this is prose, not a label (a label has at most a few words).
MAX_CJK_UI_RUN = 24


def segment_cjk(run: str) -> tuple[str, ...] | None:
    """`run` (CJK characters) divided wholly into `CJK_UI_WORDS`, longest words first,
    or None when it cannot be (some part of it is no UI word, or it is too long).

    >>> segment_cjk("返回顶部"), segment_cjk("分享到微博")
    (('返回顶部',), ('分享到', '微博'))
    >>> segment_cjk("我们今天去公园"), segment_cjk("分")
    (None, None)
    """
    if not run or run[0] not in _CJK_UI_STARTS or len(run) > MAX_CJK_UI_RUN:
        return None
    # found[i]: run[i:] divided into UI words, or None; filled from the end, so each
    # position is tried once with the longest word whose rest divides too.
    found: list[tuple[str, ...] | None] = [None] * len(run) + [()]
    for start in range(len(run) - 1, -1, -1):
        for end in range(min(len(run), start + _LONGEST_CJK_UI_WORD), start + 1, -1):
            rest = found[end]
            if rest is not None and run[start:end] in CJK_UI_WORDS:
                found[start] = (run[start:end], *rest)
                break
    return found[0]
