"""Cleaners judge the segments of one page: each marks what it finds boilerplate.

A cleaner never deletes: it calls `segment.drop("<cleaner>.<rule>", score)` so that the
first reason is kept and reported. Adding a cleaner means one file here and one line in
`cleaner.pipeline.build_chain`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cleaner.config import Config
from cleaner.document import Format, Segment


@dataclass(frozen=True, slots=True)
class PageContext:
    """What a cleaner may know about the page besides its segments."""

    source: str
    format: Format
    config: Config
    title: str | None = None
    title_index: int | None = None  # segment that is the title line, if the body has one
    site: str | None = None  # host without "www." (`cleaner.metadata.site_of`), for templates


class Cleaner(Protocol):
    name: str

    def judge(self, segments: list[Segment], page: PageContext) -> None:
        """Mark boilerplate segments dropped; leave the others alone."""
