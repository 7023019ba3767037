"""The UI vocabulary the rules read, gathered from every language pack
(`cleaner.languages`): a language's words live in its pack, never here.

Words, not whole strings: a line is UI when *every* word of it is UI vocabulary and at
least one is a strong UI word (not a function word), so "Share", "Teilen", "Back to top",
"12 Comments", "Lire la suite" and "Síguenos" match, while "Share prices fell." does not.
"""

from __future__ import annotations

from cleaner.languages import vocabulary

#: Words that are UI on their own: widgets, sections, navigation, ads.
STRONG_UI_WORDS = vocabulary("ui_words")

#: Words that may stand in a UI line but never make one alone.
WEAK_UI_WORDS = vocabulary("ui_filler_words")

UI_WORDS = STRONG_UI_WORDS | WEAK_UI_WORDS

#: Headers that open a block of links to other stories, lower-cased, without punctuation.
RELATED_HEADERS = vocabulary("related_headers")
