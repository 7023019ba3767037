"""Boilerplate-stripping cleaner for scraped web pages.

>>> doc = clean_text("Share\\nThe council approved the budget on Monday after a long debate.\\nScroll to Top")
>>> doc.text
'The council approved the budget on Monday after a long debate.'
>>> [r["rule"] for r in doc.metadata["removed"]]
['ui_phrase', 'ui_phrase']
"""

from cleaner.batch import Outcome, clean_many
from cleaner.config import Config
from cleaner.document import Document, RawPage, Segment
from cleaner.errors import CleanError, WorkerCrashError
from cleaner.pipeline import clean_file, clean_html, clean_page, clean_text
from cleaner.version import VERSION as __version__

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
