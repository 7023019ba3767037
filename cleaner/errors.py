"""The exception tree. Every error names the input it was about and why it failed.

CleanError                  anything the cleaner refuses; catch this one
├── InputError              the input itself is unusable
│   ├── EmptyInputError     nothing but whitespace
│   ├── BinaryInputError    an image, archive, PDF or other non-text bytes
│   ├── TooLargeError       over the configured size limit
│   └── UnreadableInputError  missing, a folder, or not permitted
├── ExtractionError         the page parsed but held no main content
└── FetchError              a URL could not be fetched (network, status, policy)
"""

from __future__ import annotations


class CleanError(Exception):
    """Base class: `source` is the path or URL, `reason` a short human sentence."""

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")

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


class ExtractionError(CleanError):
    pass


class FetchError(CleanError):
    pass
