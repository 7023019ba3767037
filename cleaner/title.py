"""Find a page's title: from HTML metadata when there is any, else from its lines.

Scraped plaintext rarely marks its title. The first headline-like line before the first
sentence is the usual place; when the text opens with prose (a photo caption, a lead),
the title can still sit further down, often in a "related" list that links the story to
itself, and is recognised by how many of its words the lead repeats.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleaner.cleaners.rules import RULES, line_tokens, word_count
from cleaner.cleaners.shape import is_headline_like, is_sentence
from cleaner.document import Segment

#: A title has at least this many words; "Facts" or "Bota" above a headline are labels.
MIN_TITLE_WORDS = 3

#: Share of a candidate's content words that must recur in the lead for it to be taken as
#: the title when it is not at the top (0.5 separates the story's own headline from
#: other headlines on the seeds and on corpus renderings checked by eye).
MIN_LEAD_OVERLAP = 0.5

#: ...and at least this many of them: two shared words ("will", "involved") are chance.
MIN_LEAD_SHARED = 3

#: How many sentences make the lead that a headline is compared with.
LEAD_SENTENCES = 5

#: Words this short (articles, prepositions, "US") say nothing about the topic.
MIN_CONTENT_WORD_LEN = 4

#: A body line longer than this is prose, even when the page's <title> repeats it whole.
MAX_TITLE_WORDS = 30

#: A title made from the lead, when nothing better exists, is cut to this many words.
LEAD_TITLE_WORDS = 14


@dataclass(frozen=True, slots=True)
class Title:
    text: str
    source: str  # "html" (page metadata), "line" (a line of the body), "lead" (made up from prose)
    index: int | None = None  # the body segment that is the title line, if any


def find_title(segments: list[Segment], meta_title: str | None = None) -> Title | None:
    if meta_title:
        return Title(meta_title.strip(), "html", _matching_index(segments, meta_title))
    lines = [s for s in segments if s.kind != "code" and not _is_furniture(s.text)]
    for i, seg in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else None
        if is_sentence(seg.text):
            break
        if _title_shaped(seg.text) and not _continued_by(following):
            return Title(seg.text.strip(), "line", seg.index)
    sentences = [i for i, s in enumerate(lines) if is_sentence(s.text)]
    if not sentences:
        return None
    lead = [lines[i].text for i in sentences[:LEAD_SENTENCES]]
    lead_words = set(_content_words(" ".join(lead)))
    best: tuple[int, Segment] | None = None
    # Only lines outside the prose: a subheading between paragraphs shares words with the
    # lead too, but it is part of the article, not its title.
    outside = lines[: sentences[0]] + lines[sentences[-1] + 1 :]
    for seg in outside:
        if not _title_shaped(seg.text):
            continue
        own = set(_content_words(seg.text))
        shared = len(own & lead_words)
        enough = shared >= MIN_LEAD_SHARED and shared >= MIN_LEAD_OVERLAP * len(own)
        if enough and (best is None or shared > best[0]):
            best = (shared, seg)
    if best is not None:
        return Title(best[1].text.strip(), "line", best[1].index)
    first = lead[0].split()
    text = " ".join(first[:LEAD_TITLE_WORDS]) + ("…" if len(first) > LEAD_TITLE_WORDS else "")
    return Title(text, "lead", None)


def same_text(a: str, b: str) -> bool:
    """Equal up to case, punctuation and spacing.

    >>> same_text("Rutte: US is fully committed to NATO", "RUTTE – US is fully committed to NATO!")
    True
    """
    return line_tokens(a) == line_tokens(b)  # the cached tuples, not copies of them


def _matching_index(segments: list[Segment], title: str) -> int | None:
    if word_count(title) > MAX_TITLE_WORDS:
        return None
    return next((s.index for s in segments[:5] if same_text(s.text, title)), None)


def _continued_by(following: Segment | None) -> bool:
    """A line whose next line starts in lower case was broken mid-sentence: no title."""
    return following is not None and following.text[:1].islower()


def _title_shaped(text: str) -> bool:
    return word_count(text) >= MIN_TITLE_WORDS and is_headline_like(text)


def _is_furniture(text: str) -> bool:
    return any(rule(text) for rule in RULES.values())


def _content_words(text: str) -> list[str]:
    return [w for w in line_tokens(text) if len(w) >= MIN_CONTENT_WORD_LEN]
