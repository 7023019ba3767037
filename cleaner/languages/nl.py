"""Dutch: so far only the function words the line model counts."""

from __future__ import annotations

from cleaner.languages.pack import function_words_only

PACK = function_words_only(
    "nl",
    "Dutch",
    "het een en van de is niet met voor op dat zijn ik je",
    reason="not gathered yet: Dutch pages are rare in the corpus; the line model's "
    "function words are all there is",
)
