"""Evaluation corpus access, naive plaintext rendering, and gold alignment of lines.

The benchmark and the line model both need the same three things: the pages of a corpus
folder with their gold, the plaintext a naive scraper would have saved for each page (one
line per block, boilerplate and all), and a content/boilerplate label for each of those
lines. Keeping them here means the harness and the trainer cannot drift apart.

Corpus layout (any folder that follows it works)::

    <dataset>/html/<id>.html    page bytes as crawled
    <dataset>/gold.jsonl        {"id", "url", "text"} or {"id", "url", "with", "without"}
                                (optionally "page_type" and "title")
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The renderer and decoder live in the core (extraction reports what it left out with
# them); training and bench/ keep importing them from here.
from cleaner.extract.render import BLOCK_TAGS as BLOCK_TAGS
from cleaner.extract.render import CELL_TAGS as CELL_TAGS
from cleaner.extract.render import PREFORMATTED_TAGS as PREFORMATTED_TAGS
from cleaner.extract.render import SKIPPED_TAGS as SKIPPED_TAGS
from cleaner.extract.render import decode_html as decode_html
from cleaner.extract.render import render_lines as render_lines

GOLD_FILE = "gold.jsonl"
HTML_FOLDER = "html"

_TOKEN = re.compile(r"\w+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

#: Lines this short carry too few 3-grams to be aligned by overlap; they must match a
#: whole gold paragraph or line instead (the labelling rule measured for this corpus).
SHORT_LINE_MAX_TOKENS = 3

#: Share of a long line's 3-grams that must occur in the gold for the line to be content.
MIN_GOLD_TRIGRAM_SHARE = 0.5

#: A `with` snippet this long or longer may be matched in parts (it can span lines); a
#: shorter one must occur whole, since one or two words match too much by chance.
MIN_SNIPPET_PART_TOKENS = 3


@dataclass(slots=True)
class CorpusPage:
    """One page of an evaluation dataset and its gold (full text, snippets, or both)."""

    dataset: str
    id: str
    html_path: Path
    url: str | None
    text: str | None
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    page_type: str | None = None  # wcxb's article/forum/product/... when the gold has it
    title: str | None = None  # the page's title, when the gold has one (wcxb)


# -- corpus access ---------------------------------------------------------------------------


def iter_corpus(folder: Path) -> Iterator[CorpusPage]:
    """Pages of one dataset folder, or of every dataset folder directly inside `folder`.

    Gold records whose HTML file is missing are skipped: a partial copy of a corpus should
    still be usable.
    """
    folder = Path(folder)
    for dataset in dataset_folders(folder):
        yield from _iter_dataset(dataset)


def dataset_folders(folder: Path) -> list[Path]:
    """`folder` itself when it is a dataset, else its dataset subfolders in name order."""
    folder = Path(folder)
    if (folder / GOLD_FILE).is_file():
        return [folder]
    return sorted(p for p in folder.iterdir() if p.is_dir() and (p / GOLD_FILE).is_file())


def _iter_dataset(folder: Path) -> Iterator[CorpusPage]:
    with (folder / GOLD_FILE).open(encoding="utf-8") as gold:
        for raw in gold:
            if not raw.strip():
                continue
            page = _page_from_record(folder, json.loads(raw))
            if page.html_path.is_file():
                yield page


def _page_from_record(folder: Path, record: dict[str, Any]) -> CorpusPage:
    url = record.get("url")
    return CorpusPage(
        dataset=folder.name,
        id=str(record["id"]),
        html_path=folder / HTML_FOLDER / f"{record['id']}.html",
        url=(url.strip() or None) if isinstance(url, str) else None,  # some gold URLs end in " "
        text=record.get("text") or None,
        with_snippets=list(record.get("with") or []),
        without_snippets=list(record.get("without") or []),
        page_type=_page_type(record.get("page_type")),
        title=_title(record.get("title")),
    )


def _title(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _page_type(value: Any) -> str | None:
    """The page type whether the gold gives it flat ("forum") or as {"type": "forum", ...}."""
    if isinstance(value, dict):
        value = value.get("type")
    return value if isinstance(value, str) and value else None


# -- naive rendering ---------------------------------------------------------------------------


# -- line labelling --------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, the unit every comparison with the gold is made in.

    >>> tokens("Don't stop: Ünïcode 2025!")
    ['don', 't', 'stop', 'ünïcode', '2025']
    """
    return _TOKEN.findall(text.lower())


def trigrams(words: list[str]) -> list[tuple[str, str, str]]:
    """Consecutive word 3-grams, duplicates kept.

    >>> trigrams(["a", "b", "c", "d"])
    [('a', 'b', 'c'), ('b', 'c', 'd')]
    """
    return list(zip(words, words[1:], words[2:], strict=False))


def label_lines(lines: list[str], gold_text: str) -> list[bool | None]:
    """Content (True) or boilerplate (False) for each line, by alignment with the gold text.

    A long line is content when at least half of its 3-grams occur in the gold. A line of
    one to three words has too few 3-grams for that, so it must equal a whole gold
    paragraph or line (a heading, a list item); a lone "Share" or "Home" that happens to
    occur inside a gold sentence stays boilerplate. A content line the page repeats more
    often than the gold holds it is scored once (`unscore_extra_copies`).

    >>> gold = "Council approves the budget\\n\\nThe council met on Monday and voted.\\n\\nVotes"
    >>> label_lines(["Home", "Votes", "The council met on Monday.", "Share this on Monday"], gold)
    [False, True, True, False]
    """
    gold_trigrams = set(trigrams(tokens(gold_text)))
    gold_short = short_gold_units(gold_text)
    words = [tokens(line) for line in lines]
    labels: list[bool | None] = [_is_content(w, gold_trigrams, gold_short) for w in words]
    return unscore_extra_copies(words, labels, gold_text)


def unscore_extra_copies(
    words: list[list[str]], labels: list[bool | None], gold_text: str
) -> list[bool | None]:
    """Leave unscored (None) the copies of a content line beyond what the gold holds.

    Pages repeat a line (a product's name in its image's alt text, its title and its link;
    a heading in the menu and above the section), while the gold holds it once. Labelling
    every copy content would count a cleaner that keeps one copy as losing the others. The
    gold does not say which copy it means, so the copies nearest the middle of the page's
    content lines keep the label and the rest are left out of the count either way.

    >>> gold = "Blueberry Coffee\\n\\nA bright, fruity roast for summer mornings."
    >>> lines = ["Blueberry Coffee", "Menu", "Blueberry Coffee",
    ...          "A bright, fruity roast for summer mornings."]
    >>> unscore_extra_copies([tokens(x) for x in lines], [True, False, True, True], gold)
    [None, False, True, True]
    """
    gold_lines = Counter(tuple(tokens(line)) for line in gold_text.split("\n"))
    padded_gold = f" {' '.join(tokens(gold_text))} "
    copies: dict[tuple[str, ...], list[int]] = {}
    for i, label in enumerate(labels):
        if label is True:
            copies.setdefault(tuple(words[i]), []).append(i)
    content = [i for i, label in enumerate(labels) if label is True]
    if not content:
        return labels
    middle = content[len(content) // 2]
    out = list(labels)
    for unit, where in copies.items():
        if len(where) < 2:
            continue
        if len(unit) <= SHORT_LINE_MAX_TOKENS:
            in_gold = gold_lines[unit]
        else:
            in_gold = padded_gold.count(f" {' '.join(unit)} ")
        keep = max(1, in_gold)
        for i in sorted(where, key=lambda i: (abs(i - middle), i))[keep:]:
            out[i] = None
    return out


def short_gold_units(gold_text: str) -> set[tuple[str, ...]]:
    """Token tuples of the gold's short paragraphs and lines (headings, list items, names).

    >>> sorted(short_gold_units("Intro\\n\\n- Item one\\nA long line of many words here"))
    [('intro',), ('item', 'one')]
    """
    pieces = _PARAGRAPH_BREAK.split(gold_text) + gold_text.split("\n")
    units = (tuple(tokens(piece)) for piece in pieces)
    return {unit for unit in units if 0 < len(unit) <= SHORT_LINE_MAX_TOKENS}


def _is_content(
    words: list[str], gold_trigrams: set[tuple[str, str, str]], gold_short: set[tuple[str, ...]]
) -> bool:
    if len(words) <= SHORT_LINE_MAX_TOKENS:
        return tuple(words) in gold_short
    grams = trigrams(words)
    found = sum(gram in gold_trigrams for gram in grams)
    return found >= MIN_GOLD_TRIGRAM_SHARE * len(grams)


def label_lines_by_snippets(
    lines: list[str], with_snippets: list[str], without_snippets: list[str]
) -> list[bool | None]:
    """Content, boilerplate or unknown (None) for each line, from snippet gold.

    A line is content when it holds part of a `with` snippet (three or more words of it,
    since snippets may run across lines) or the whole of a shorter one; boilerplate when
    it holds a whole `without` snippet (see `contains_snippet` for what "whole" means); unknown when neither or both hold, since most
    lines of a snippet-annotated page are not covered by any snippet.

    >>> label_lines_by_snippets(
    ...     ["Menu", "The mayor said on Friday", "that the bridge will reopen.", "Share it"],
    ...     ["said on Friday that the bridge"], ["share"])
    [None, True, True, False]
    """
    withs = [w for w in (tokens(s) for s in with_snippets) if w]
    withouts = [w for w in (tokens(s) for s in without_snippets) if w]
    return [_snippet_label(tokens(line), withs, withouts) for line in lines]


def _snippet_label(
    words: list[str], withs: list[list[str]], withouts: list[list[str]]
) -> bool | None:
    if not words:
        return None
    positive = any(holds_snippet_part(words, snippet) for snippet in withs)
    negative = any(contains_snippet(words, snippet) for snippet in withouts)
    if positive == negative:
        return None
    return positive


def holds_snippet_part(words: list[str], snippet: list[str]) -> bool:
    """Whether a line holds the snippet, lies inside it, or overlaps one of its ends by at
    least `MIN_SNIPPET_PART_TOKENS` words (a snippet running across a line break).

    >>> holds_snippet_part(["so", "the", "end", "of", "it"], ["end", "of", "it", "all"])
    True
    >>> holds_snippet_part(["of", "it", "all"], ["end", "of", "it", "all"])
    True
    >>> holds_snippet_part(["it", "all"], ["end", "of", "it", "all"])
    False
    """
    if contains_snippet(words, snippet):
        return True
    if len(snippet) < MIN_SNIPPET_PART_TOKENS or len(words) < MIN_SNIPPET_PART_TOKENS:
        return False
    if contains_tokens(snippet, words):
        return True
    longest = min(len(words), len(snippet))
    return any(
        words[-k:] == snippet[:k] or words[:k] == snippet[-k:]
        for k in range(MIN_SNIPPET_PART_TOKENS, longest + 1)
    )


def contains_snippet(words: list[str], snippet: list[str]) -> bool:
    """Whether a line holds a whole snippet. A snippet of `MIN_SNIPPET_PART_TOKENS` or more
    words may start or end mid-word (annotators cut some that way), so it is looked for as
    a substring of the normalised line; a shorter one must match whole tokens, or "rat"
    would be found in "Rathaus".

    >>> contains_snippet(["die", "stadtverwaltung", "tagt"], ["die", "stadtverwalt"])
    False
    >>> contains_snippet(["die", "stadtverwaltung", "tagt"], ["e", "stadtverwaltung", "ta"])
    True
    """
    if len(snippet) < MIN_SNIPPET_PART_TOKENS:
        return contains_tokens(words, snippet)
    return " ".join(snippet) in " ".join(words)


def contains_tokens(words: list[str], part: list[str]) -> bool:
    """Whether `part` occurs as a contiguous run of whole tokens in `words`.

    >>> contains_tokens(["a", "bc", "d"], ["bc", "d"]), contains_tokens(["abc"], ["bc"])
    (True, False)
    """
    return f" {' '.join(part)} " in f" {' '.join(words)} "
