"""Italian: so far only the function words the line model counts."""

from __future__ import annotations

from cleaner.languages.pack import function_words_only

PACK = function_words_only(
    "it",
    "Italian",
    "il lo gli di che non per con una sono è da nel della",
    reason="not gathered yet: Italian pages are rare in the corpus; the line model's "
    "function words are all there is",
)
