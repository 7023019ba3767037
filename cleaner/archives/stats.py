"""What a scan of an archive yields, and what it counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from cleaner.archives.ref import RecordRef
from cleaner.document import RawPage


@dataclass(slots=True)
class Scanned:
    """One listed record: its reference and, while the scan holds it, its page (None for
    a damaged stretch or a record over the size limit, which the worker refuses)."""

    ref: RecordRef
    page: RawPage | None


@dataclass
class ScanStats:
    """Counts of one or more archive scans: the page records listed, the damaged
    stretches listed (both become inputs), and the records that are not pages, by reason
    (record type, HTTP status or content type), which are not inputs."""

    pages: int = 0
    damaged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1

    def summary(self) -> str:
        """One line for a person.

        >>> stats = ScanStats(pages=2)
        >>> stats.skip("request"); stats.skip("request"); stats.skip("warcinfo")
        >>> stats.summary()
        '2 pages, 0 damaged, 3 other records not cleaned (request 2, warcinfo 1)'
        """
        others = sum(self.skipped.values())
        text = f"{self.pages} pages, {self.damaged} damaged, {others} other records not cleaned"
        if others:
            text += " (" + ", ".join(f"{k} {n}" for k, n in self.skipped.most_common()) + ")"
        return text
