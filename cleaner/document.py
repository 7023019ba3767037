"""The data that flows through the pipeline: one raw page in, one `Document` out.

A page becomes a list of `Segment`s (a line of plaintext or a block of extracted HTML).
Cleaners never delete segments; they mark them dropped with a reason, so that the removal
report is a by-product of cleaning rather than a second, drifting code path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["p", "heading", "item", "quote", "code"]
Format = Literal["html", "text"]


@dataclass(slots=True)
class RawPage:
    """Bytes plus where they came from. `headers` are HTTP headers when fetched."""

    data: bytes
    source: str
    url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Segment:
    """One line or block of a page, and the verdict on it."""

    text: str
    index: int
    kind: Kind = "p"
    starts_block: bool = True  # False when the source ran it on from the line before
    dropped_by: str | None = None  # "<cleaner>.<rule>", e.g. "heuristic.share_widget"
    score: float | None = None  # set by scoring cleaners (probability of boilerplate)
    html_path: str | None = None  # tag path from the DOM, when it came from HTML
    # The line as the user's input had it, when `text` is a view of it made for judging
    # (Markdown links as their text: `cleaner.extract.text.judging_view`); None when the
    # two are the same. Rules judge `text`; output and reports show `shown`.
    original: str | None = None

    @property
    def kept(self) -> bool:
        return self.dropped_by is None

    @property
    def shown(self) -> str:
        """The segment as output and removal reports write it: the user's own line."""
        return self.original or self.text

    def drop(self, reason: str, score: float | None = None) -> None:
        """Mark dropped unless already dropped: the first reason is the one reported."""
        if self.dropped_by is None:
            self.dropped_by = reason
            if score is not None:
                self.score = score


@dataclass(slots=True)
class Document:
    """The result of cleaning one page.

    `text` is the clean body without the title line, paragraphs separated by one blank
    line; `metadata` is a JSON-serialisable dict (see `cleaner.metadata`).
    """

    id: str
    text: str
    metadata: dict[str, Any]
    segments: list[Segment] = field(default_factory=list, repr=False)

    @property
    def title(self) -> str | None:
        return self.metadata.get("title")

    @property
    def removed(self) -> list[dict[str, Any]]:
        return list(self.metadata.get("removed", []))
