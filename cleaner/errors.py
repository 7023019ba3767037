"""The exception tree. Every error names the input it was about and why it failed.

CleanError                  anything the cleaner refuses; catch this one
├── InputError              the input itself is unusable
│   ├── EmptyInputError     nothing but whitespace
│   ├── BinaryInputError    an image, archive, PDF or other non-text bytes
│   ├── TooLargeError       over a configured limit: bytes, elements or nesting depth
│   ├── UnreadableInputError  missing, a folder, not a regular file, or not permitted
│   └── NotAPageError       text, but another format: JSON, an XML feed, an SVG
├── ExtractionError         the page parsed but held no main content
├── TimeLimitError          cleaning took longer than `Config.max_seconds`
├── WorkerCrashError        the process cleaning it died twice (segfault, out-of-memory kill)
└── FetchError              a URL could not be fetched (network, status, policy)
"""

from __future__ import annotations


class CleanError(Exception):
    """Base class: `source` is the path or URL, `reason` a short human sentence."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")

    def __reduce__(self) -> tuple[type[CleanError], tuple[str, str]]:
        """Pickle by (source, reason): the default pickles `args` (the one joined
        message), which `__init__` cannot take back, so an error raised in a
        `--workers` process broke the pool and the whole batch."""
        return (type(self), (self.source, self.reason))

    @property
    def kind(self) -> str:
        """A stable, machine-readable name for manifests and quarantine records."""
        return type(self).__name__


class InputError(CleanError):
    pass


class EmptyInputError(InputError):
    pass


class BinaryInputError(InputError):
    pass


class TooLargeError(InputError):
    pass


class UnreadableInputError(InputError):
    pass


class NotAPageError(InputError):
    """Readable text in a format that is not a web page; saying which beats the
    misleading "nothing left after cleaning" that cleaning it would end in."""


class ExtractionError(CleanError):
    pass


class TimeLimitError(CleanError):
    """Raised by `cleaner.runner.limits.time_limit`: one slow page must cost that page, not the
    batch."""


class WorkerCrashError(CleanError):
    """Raised by `cleaner.runner.clean_many` for an input whose worker process died (a
    segfault in a parser, an out-of-memory kill, `os._exit`) once in the batch and again
    when it was retried alone: the input is quarantined and the batch goes on."""


class FetchError(CleanError):
    pass
