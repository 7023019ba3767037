"""Drops the title line from the body, and any later repeat of it."""

from __future__ import annotations

from cleaner.cleaners import PageContext
from cleaner.document import Segment
from cleaner.title_finder import MAX_TITLE_WORDS, same_text
from cleaner.tokens import words

#: The reasons this cleaner gives. A line dropped for them is not lost: its text is the
#: document's `metadata.title`, so the benchmark and the trainer count it as delivered.
MOVED_TO_TITLE = frozenset({"title.title_line", "title.repeated_title"})


class TitleCleaner:
    name = "title"

    def judge(self, segments: list[Segment], page: PageContext) -> None:
        if page.title is None or len(words(page.title)) > MAX_TITLE_WORDS:
            return
        for seg in segments:
            if seg.index == page.title_index:
                seg.drop(f"{self.name}.title_line")
            elif seg.kind != "code" and same_text(seg.text, page.title):
                seg.drop(f"{self.name}.repeated_title")
