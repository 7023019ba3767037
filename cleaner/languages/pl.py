"""Polish: so far only the function words the line model counts."""

from __future__ import annotations

from cleaner.languages.pack import function_words_only

PACK = function_words_only(
    "pl",
    "Polish",
    "w i z na nie do się że jest to o jak",
    reason="not gathered yet: Polish pages are rare in the corpus; the line model's "
    "function words are all there is",
)
