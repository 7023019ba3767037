"""Page text to segments. `html.py` runs pruning and trafilatura; `text.py` splits lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cleaner.document import Segment


@dataclass(slots=True)
class Extraction:
    """What an extractor hands to the cleaners: segments plus page-level metadata, and
    the page's visible lines it left out (HTML; `cleaner.extract.drops`)."""

    segments: list[Segment]
    meta: dict[str, Any] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
