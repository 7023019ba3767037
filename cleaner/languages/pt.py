"""Portuguese: so far only the function words the line model counts."""

from __future__ import annotations

from cleaner.languages.pack import function_words_only

PACK = function_words_only(
    "pt",
    "Portuguese",
    "o os as um uma do da dos das em para com não que se é",
    reason="not gathered yet: Portuguese pages are rare in the corpus; the line model's "
    "function words are all there is",
)
