"""Boilerplate-stripping cleaner for scraped web pages.

>>> from cleaner import clean_text
>>> doc = clean_text("Share\\nThe council approved the budget on Monday after a long debate.\\nScroll to Top")
>>> doc.text
'The council approved the budget on Monday after a long debate.'
>>> [r["rule"] for r in doc.metadata["removed"]]
['ui_phrase', 'ui_phrase']

The names below load on first use (PEP 562): `import cleaner` costs a few milliseconds,
so a DAG file can import the project's constants without paying for trafilatura, numpy
and the models at parse time.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from cleaner.version import VERSION as __version__

if TYPE_CHECKING:
    from cleaner.config import Config
    from cleaner.document import Document, RawPage, Segment
    from cleaner.errors import CleanError, WorkerCrashError
    from cleaner.pipeline import clean_file, clean_html, clean_page, clean_text
    from cleaner.runner import Outcome, clean_many

#: Public name -> the module that defines it.
_LAZY = {
    "CleanError": "cleaner.errors",
    "Config": "cleaner.config",
    "Document": "cleaner.document",
    "Outcome": "cleaner.runner",
    "RawPage": "cleaner.document",
    "Segment": "cleaner.document",
    "WorkerCrashError": "cleaner.errors",
    "clean_file": "cleaner.pipeline",
    "clean_html": "cleaner.pipeline",
    "clean_many": "cleaner.runner",
    "clean_page": "cleaner.pipeline",
    "clean_text": "cleaner.pipeline",
}

__all__ = [
    "CleanError",
    "Config",
    "Document",
    "Outcome",
    "RawPage",
    "Segment",
    "WorkerCrashError",
    "__version__",
    "clean_file",
    "clean_html",
    "clean_many",
    "clean_page",
    "clean_text",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cleaner' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
