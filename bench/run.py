"""Benchmark the cleaner against peer extractors on any corpus folder with gold text.

Two questions, two modes:

* ``html``: raw page in, main text out. Every system sees the same bytes; the score is
  bag-of-words precision/recall/F1 against full-text gold (mean over pages), or micro
  snippet precision/recall/F1 against snippet gold. These are the figures the corpus
  README publishes for the peers, so a peer that lands far from them means a metric bug.
* ``plaintext``: the page as a scraping tool saved it in, kept lines out. Each page is
  rendered in each of `ALL_RENDERINGS` (`--renderings`): one line per block, a browser's
  innerText, html2text's Markdown, innerText with navigation run together on one line,
  innerText of the article container, trafilatura's plaintext. Each line is labelled
  content or boilerplate by aligning the text the cleaner judges (Markdown links as their
  text) with the gold; the figures are the share of boilerplate lines left in and of
  content lines lost, per dataset and per page type, for the cleaner, for keeping
  everything, and for the peers fed the lines as HTML (`--peer-renderings`; by default
  in `PEER_RENDERINGS` only, to bound the run time).

Run from the project root::

    python -m bench.run --corpus ../shared/corpus --mode both

Writes ``bench/results/latest.md`` and ``latest.json`` and prints the Markdown.
"""

from __future__ import annotations

import argparse
import html as html_lib
import itertools
import json
import logging
import os
import platform
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from cleaner.cleaners.title import MOVED_TO_TITLE
from cleaner.errors import ExtractionError
from cleaner.extract.text import extract_text
from cleaner.training.corpus import (
    BLOCK_TAGS,
    CELL_TAGS,
    SHORT_LINE_MAX_TOKENS,
    CorpusPage,
    dataset_folders,
    decode_html,
    iter_corpus,
    label_lines,
    label_lines_by_snippets,
    render_lines,
    tokens,
)
from cleaner.training.renderings import EXTRACTIONS, RENDERINGS, render

#: A system takes the page bytes and its URL and returns the extracted plain text.
System = Callable[[bytes, str | None], str]

DEFAULT_OUT = Path(__file__).resolve().parent / "results"
REPO_ROOT = Path(__file__).resolve().parents[1]

#: Distributions whose versions go into the report, so that figures can be reproduced.
REPORTED_PACKAGES = (
    "cleaner",
    "trafilatura",
    "selectolax",
    "resiliparse",
    "readability-lxml",
    "justext",
    "boilerpy3",
    "py3langid",
    "lxml",
    "numpy",
)

#: Progress goes to stderr every this many pages.
PROGRESS_EVERY = 50

#: Fallback stoplist for jusText when the page language has none (or is undetectable);
#: English is also what the corpus README's peer baseline used throughout.
JUSTEXT_FALLBACK = "English"

#: py3langid codes to jusText stoplist names (the languages both know).
JUSTEXT_LANGUAGES = dict(
    pair.split(":")
    for pair in (
        "af:Afrikaans an:Aragonese ar:Arabic az:Azerbaijani be:Belarusian bg:Bulgarian "
        "bn:Bengali br:Breton bs:Bosnian ca:Catalan cs:Czech cy:Welsh da:Danish de:German "
        "el:Greek en:English eo:Esperanto es:Spanish et:Estonian eu:Basque fa:Persian "
        "fi:Finnish fr:French ga:Irish gl:Galician gu:Gujarati he:Hebrew hi:Hindi hr:Croatian "
        "ht:Haitian hu:Hungarian hy:Armenian id:Indonesian is:Icelandic it:Italian "
        "jv:Javanese ka:Georgian kk:Kazakh kn:Kannada ko:Korean ku:Kurdish ky:Kyrgyz la:Latin "
        "lb:Luxembourgish lt:Lithuanian lv:Latvian mk:Macedonian ml:Malayalam mr:Marathi "
        "ms:Malay mt:Maltese nb:Norwegian_Bokmal ne:Nepali nl:Dutch nn:Norwegian_Nynorsk "
        "no:Norwegian_Bokmal oc:Occitan pl:Polish pt:Portuguese qu:Quechua ro:Romanian "
        "ru:Russian sk:Slovak sl:Slovenian sq:Albanian sr:Serbian sv:Swedish sw:Swahili "
        "ta:Tamil te:Telugu tl:Tagalog tr:Turkish uk:Ukrainian ur:Urdu vi:Vietnamese "
        "vo:Volapuk wa:Walloon"
    ).split()
)

WARM_UP_PAGE = (
    b"<html><head><title>Warm-up</title></head><body><nav><a href='/'>Home</a></nav>"
    b"<article><h1>Warm-up page</h1><p>This paragraph exists so that every system loads its "
    b"models and imports before the clock starts, which the first real page would otherwise "
    b"pay for.</p></article></body></html>"
)


# -- systems -----------------------------------------------------------------------------------


def run_cleaner(data: bytes, url: str | None) -> str:
    from cleaner import clean_html

    return clean_html(data, url=url).text


def run_trafilatura(data: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(data, url=url, include_comments=False) or ""


def run_trafilatura_precision(data: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(data, url=url, include_comments=False, favor_precision=True) or ""


def run_resiliparse(data: bytes, url: str | None) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(decode_html(data), main_content=True)


def run_readability(data: bytes, url: str | None) -> str:
    from readability import Document

    return html_text_via_lxml(Document(decode_html(data)).summary(html_partial=True))


def run_justext(data: bytes, url: str | None) -> str:
    import justext

    text = decode_html(data)
    stoplist = justext.get_stoplist(justext_language(text))
    paragraphs = justext.justext(text, stoplist)
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def run_boilerpy3(data: bytes, url: str | None) -> str:
    from boilerpy3 import extractors

    return extractors.ArticleExtractor(raise_on_failure=True).get_content(decode_html(data))


SYSTEMS: dict[str, System] = {
    "cleaner": run_cleaner,
    "trafilatura": run_trafilatura,
    "trafilatura_precision": run_trafilatura_precision,
    "resiliparse": run_resiliparse,
    "readability": run_readability,
    "justext": run_justext,
    "boilerpy3": run_boilerpy3,
}


def html_text_via_lxml(markup: str) -> str:
    """Text of an HTML fragment with a line break around each block, so that adjacent
    paragraphs do not fuse into one word the way `text_content()` alone fuses them.

    >>> html_text_via_lxml("<div><p>one</p><p>two <b>bold</b></p></div>").split()
    ['one', 'two', 'bold']
    """
    from lxml import html as lxml_html

    if not markup.strip():
        return ""
    tree = lxml_html.fromstring(markup)
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag in BLOCK_TAGS | CELL_TAGS:
            element.text = "\n" + (element.text or "")
            element.tail = "\n" + (element.tail or "")
    return str(tree.text_content())


def justext_language(html_text: str) -> str:
    """The jusText stoplist for the page's language, detected on a rough rendering."""
    import justext
    import py3langid

    code, _score = py3langid.classify(" ".join(render_lines(html_text)))
    name = JUSTEXT_LANGUAGES.get(code, JUSTEXT_FALLBACK)
    return name if name in justext.get_stoplists() else JUSTEXT_FALLBACK


def quiet_peer_logs() -> None:
    """Peers log a warning per odd page; thousands of them would bury the progress lines."""
    for name in ("trafilatura", "readability", "boilerpy3", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


# -- metrics -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scores:
    precision: float
    recall: float
    f1: float


def harmonic(precision: float, recall: float) -> float:
    """F1 from precision and recall; 0 when both are 0.

    >>> harmonic(0.5, 1.0)
    0.6666666666666666
    """
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def bow_scores(extracted: str, gold: str) -> Scores:
    """Bag-of-words precision, recall and F1 over lower-cased `\\w+` tokens, counting each
    token as often as it occurs (a multiset intersection).

    >>> bow_scores("the cat the", "The cat sat")
    Scores(precision=0.6666666666666666, recall=0.6666666666666666, f1=0.6666666666666666)
    """
    got, want = Counter(tokens(extracted)), Counter(tokens(gold))
    if not got and not want:
        return Scores(1.0, 1.0, 1.0)
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    return Scores(precision, recall, harmonic(precision, recall))


def mean_scores(scores: Sequence[Scores]) -> Scores:
    """Per-page scores averaged over pages (each page weighs the same, however long)."""
    if not scores:
        return Scores(0.0, 0.0, 0.0)
    n = len(scores)
    return Scores(
        sum(s.precision for s in scores) / n,
        sum(s.recall for s in scores) / n,
        sum(s.f1 for s in scores) / n,
    )


@dataclass(slots=True)
class SnippetCounts:
    """Snippet outcomes: `with` found (tp) or missing (fn); `without` found (fp) or absent (tn)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, other: SnippetCounts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn

    def scores(self) -> Scores:
        """Micro precision TP/(TP+FP), recall TP/(TP+FN) and their F1."""
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return Scores(precision, recall, harmonic(precision, recall))


def normalised(text: str) -> str:
    """Lower-cased `\\w+` tokens joined by single spaces: the form snippets are matched in.

    >>> normalised("Hello,  World!")
    'hello world'
    """
    return " ".join(tokens(text))


def padded(text: str) -> str:
    """`normalised` with a space either side, so that a substring test matches whole
    tokens only.

    >>> padded("Hello,  World!")
    ' hello world '
    """
    return f" {normalised(text)} "


def snippet_counts(
    extracted: str, with_snippets: Iterable[str], without_snippets: Iterable[str]
) -> SnippetCounts:
    """Which snippets occur in the extraction, as substrings of its normalised form.

    Plain substrings, not whole tokens: annotators cut some snippets mid-word, and the
    peer figures in the corpus README were measured this way. Snippets without a single
    word token (pure punctuation) cannot be tested and are skipped.

    >>> snippet_counts("Main text. Shared!", ["main text", "missing"], ["share", "menu"])
    SnippetCounts(tp=1, fp=1, fn=1, tn=1)
    """
    text = normalised(extracted)
    counts = SnippetCounts()
    for snippet in with_snippets:
        needle = normalised(snippet)
        if needle:
            counts.tp += needle in text
            counts.fn += needle not in text
    for snippet in without_snippets:
        needle = normalised(snippet)
        if needle:
            counts.fp += needle in text
            counts.tn += needle not in text
    return counts


def kept_in_output(lines: list[str], output: str) -> list[bool]:
    """Which input lines a peer kept, judged by finding each line's tokens in its output.

    Long lines are found first, in order (peers keep whole paragraphs and rarely reorder
    them); they anchor the alignment. A short line (at most `SHORT_LINE_MAX_TOKENS` words)
    counts as kept only if it occurs between the anchors of its neighbouring long lines:
    words like "Share" or "Home" occur somewhere in most articles, so finding them
    anywhere would prove nothing. A line without word tokens ("|", "»") counts as kept
    when its text occurs in the output at all.

    >>> kept_in_output(["Home", "The council met on Monday evening.", "Share",
    ...                 "Votes were counted by hand.", "Home"],
    ...                "The council met on Monday evening. Share. Votes were counted by hand. "
    ...                "Home news.")
    [False, True, True, True, True]
    >>> kept_in_output(["Home", "The council met on Monday evening.", "Share", "Home"],
    ...                "The council met on Monday evening. Home news follow.")
    [False, True, False, True]
    """
    text = padded(output)
    needles = [f" {' '.join(words)} " if (words := tokens(line)) else "" for line in lines]
    spans = _anchor_spans(needles, text)
    kept = [span is not None for span in spans]
    flat_output = " ".join(output.split())
    for i, needle in enumerate(needles):
        if not needle.strip():
            kept[i] = bool(lines[i].strip()) and " ".join(lines[i].split()) in flat_output
    for start, stop, members in _short_line_windows(needles, spans, len(text)):
        cursor = start
        for i in members:
            at = text.find(needles[i], cursor, stop)
            if at >= 0:
                kept[i] = True
                cursor = at + len(needles[i]) - 1  # the closing space opens the next needle
    return kept


def _is_long(needle: str) -> bool:
    return needle.count(" ") - 1 > SHORT_LINE_MAX_TOKENS


def _anchor_spans(needles: list[str], text: str) -> list[tuple[int, int] | None]:
    """(start, end) in `text` of each long line found, in order; None for the others.

    A long line not found after the previous one is looked for from the start, so that
    one reordered paragraph does not make every later line look dropped.
    """
    spans: list[tuple[int, int] | None] = [None] * len(needles)
    cursor = 0
    for i, needle in enumerate(needles):
        if not _is_long(needle):
            continue
        at = text.find(needle, cursor)
        if at < 0:
            at = text.find(needle)
        if at >= 0:
            cursor = at + len(needle) - 1
            spans[i] = (at, cursor)
    return spans


def _short_line_windows(
    needles: list[str], spans: list[tuple[int, int] | None], text_length: int
) -> Iterator[tuple[int, int, list[int]]]:
    """(window start, window stop, short-line indices) for each run of short lines between
    two found long lines: the stretch of output where those lines must be, if kept."""
    start, members = 0, []
    for i, needle in enumerate(needles):
        span = spans[i]
        if span is not None:
            if members:
                stop = span[0] + 1 if span[0] >= start else text_length
                yield start, stop, members
            start, members = span[1], []
        elif needle.strip() and not _is_long(needle):
            members.append(i)
    if members:
        yield start, text_length, members


def wrap_lines_as_html(lines: list[str]) -> bytes:
    """Plaintext lines as the simplest HTML page a peer can read: one <p> per line."""
    body = "".join(f"<p>{html_lib.escape(line)}</p>\n" for line in lines)
    page = f'<html><head><meta charset="utf-8"></head><body>\n{body}</body></html>'
    return page.encode("utf-8")


# -- tallies -----------------------------------------------------------------------------------


@dataclass
class HtmlTally:
    """One system on one dataset in HTML mode."""

    text_scores: list[Scores] = field(default_factory=list)
    snippets: SnippetCounts = field(default_factory=SnippetCounts)
    snippet_pages: int = 0
    seconds: float = 0.0
    docs: int = 0
    errors: int = 0
    pages: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "docs": self.docs,
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
            "docs_per_s": rate(self.docs, self.seconds),
        }
        if self.text_scores:
            out["text"] = _rounded(mean_scores(self.text_scores)) | {"pages": len(self.text_scores)}
        if self.snippet_pages:
            counts = self.snippets
            out["snippets"] = _rounded(counts.scores()) | {
                "pages": self.snippet_pages,
                "tp": counts.tp,
                "fp": counts.fp,
                "fn": counts.fn,
                "tn": counts.tn,
            }
        return out


@dataclass
class LineTally:
    """One system on one dataset in plaintext mode: labelled lines kept or dropped."""

    boilerplate: int = 0
    boilerplate_kept: int = 0
    content: int = 0
    content_lost: int = 0
    f1s: list[float] = field(default_factory=list)
    seconds: float = 0.0
    docs: int = 0
    errors: int = 0
    content_lost_by: Counter[str] = field(default_factory=Counter)  # cleaner rule -> lines
    boilerplate_kept_examples: list[str] = field(default_factory=list)

    def count(self, labels: Sequence[bool | None], kept: Sequence[bool]) -> None:
        for label, keep in zip(labels, kept, strict=True):
            if label is True:
                self.content += 1
                self.content_lost += not keep
            elif label is False:
                self.boilerplate += 1
                self.boilerplate_kept += keep

    def add(self, other: LineTally) -> None:
        """Pool another dataset's lines into this (overall) tally."""
        self.boilerplate += other.boilerplate
        self.boilerplate_kept += other.boilerplate_kept
        self.content += other.content
        self.content_lost += other.content_lost
        self.f1s += other.f1s
        self.seconds += other.seconds
        self.docs += other.docs
        self.errors += other.errors
        self.content_lost_by.update(other.content_lost_by)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "boilerplate_lines": self.boilerplate,
            "boilerplate_kept": self.boilerplate_kept,
            "boilerplate_kept_share": share(self.boilerplate_kept, self.boilerplate),
            "content_lines": self.content,
            "content_lost": self.content_lost,
            "content_lost_share": share(self.content_lost, self.content),
            "bow_f1": round(sum(self.f1s) / len(self.f1s), 4) if self.f1s else None,
            "docs": self.docs,
            "errors": self.errors,
            "docs_per_s": rate(self.docs, self.seconds),
        }
        if self.content_lost_by:
            out["content_lost_by_rule"] = dict(self.content_lost_by.most_common())
        return out


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def rate(docs: int, seconds: float) -> float | None:
    return round(docs / seconds, 2) if seconds > 0 else None


def _rounded(scores: Scores) -> dict[str, float]:
    return {
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "f1": round(scores.f1, 4),
    }


def timed(system: System, data: bytes, url: str | None) -> tuple[str, float, bool]:
    """(output, seconds, failed). Any exception is a failure with empty output: one page
    that crashes a peer must not end the benchmark."""
    start = time.perf_counter()
    try:
        output = system(data, url) or ""
        failed = False
    except Exception:
        output, failed = "", True
    return output, time.perf_counter() - start, failed


# -- HTML mode ---------------------------------------------------------------------------------


def run_html_mode(pages: Iterable[CorpusPage], systems: dict[str, System]) -> dict[str, HtmlTally]:
    """Every system on every page; scores against full text or, failing that, snippets."""
    tallies = {name: HtmlTally() for name in systems}
    for page in pages:
        data = page.html_path.read_bytes()
        for name, system in systems.items():
            output, seconds, failed = timed(system, data, page.url)
            _score_html(tallies[name], page, output, seconds, failed)
    return tallies


def _score_html(
    tally: HtmlTally, page: CorpusPage, output: str, seconds: float, failed: bool
) -> None:
    tally.docs += 1
    tally.seconds += seconds
    tally.errors += failed
    record: dict[str, Any] = {"seconds": round(seconds, 4), "error": failed}
    if page.text:
        scores = bow_scores(output, page.text)
        tally.text_scores.append(scores)
        record |= _rounded(scores)
    elif page.with_snippets or page.without_snippets:
        counts = snippet_counts(output, page.with_snippets, page.without_snippets)
        tally.snippets.add(counts)
        tally.snippet_pages += 1
        record |= {"tp": counts.tp, "fp": counts.fp, "fn": counts.fn, "tn": counts.tn}
    tally.pages[page.id] = record


# -- plaintext mode ----------------------------------------------------------------------------

NO_CLEANING = "no cleaning"
ORACLE = "oracle (gold labels)"

#: Page types that are mostly links to other pages (wcxb's): no one text to keep.
LISTING_TYPES = ("collection", "listing")
#: The page type of a page whose gold has none (every dataset but wcxb's).
UNTYPED = "untyped"
NOT_LISTING = "all types except collection/listing"
OVERALL = "overall"

#: Every rendering of a page: whole pages as scrapers save them, and what extracting
#: tools keep of them (`cleaner.training.renderings.EXTRACTIONS`).
ALL_RENDERINGS = RENDERINGS + EXTRACTIONS

#: Renderings the peers read by default (`--peer-renderings`). Each peer costs as much
#: again per rendering, and the cleaner is what the other renderings are there to test.
PEER_RENDERINGS = ("blocks",)

#: rendering -> group (dataset, page type, ...) -> system -> its tally
PlaintextTallies = dict[str, dict[str, dict[str, LineTally]]]


def page_groups(page: CorpusPage) -> list[str]:
    """The rows a page counts in: its dataset, its page type, all but listings, overall.

    >>> page_groups(CorpusPage("wcxb", "1", Path("x"), None, "t", page_type="forum"))
    ['wcxb', 'type: forum', 'all types except collection/listing', 'overall']
    >>> page_groups(CorpusPage("scrapinghub", "2", Path("y"), None, "t"))
    ['scrapinghub', 'type: untyped', 'all types except collection/listing', 'overall']
    """
    page_type = page.page_type or UNTYPED
    groups = [page.dataset, f"type: {page_type}"]
    if page_type not in LISTING_TYPES:
        groups.append(NOT_LISTING)
    return [*groups, OVERALL]


def run_plaintext_mode(
    pages: Iterable[CorpusPage],
    systems: dict[str, System],
    renderings: Sequence[str] = ("blocks",),
    peer_renderings: Sequence[str] = PEER_RENDERINGS,
) -> PlaintextTallies:
    """Render each page each way, label, clean; count labelled lines kept and dropped per
    rendering, group of pages and system. Peers read only `peer_renderings`."""
    tallies: PlaintextTallies = {rendering: {} for rendering in renderings}
    for page in pages:
        data = page.html_path.read_bytes()
        groups = page_groups(page)
        for rendering in renderings:
            run = {
                name: system
                for name, system in systems.items()
                if name == "cleaner" or rendering in peer_renderings
            }
            for name, tally in plaintext_page(page, data, rendering, run).items():
                for group in groups:
                    tallies[rendering].setdefault(group, {}).setdefault(name, LineTally()).add(
                        tally
                    )
    return tallies


def rendered_lines(
    page: CorpusPage, data: bytes, rendering: str
) -> tuple[list[str], list[str], list[str]]:
    """The page in one rendering: its lines (blank ones too), and its lines one per
    segment as the cleaner judges them (Markdown links as their text, as the gold has
    them) and as they were written."""
    lines = render(data, rendering, seed=page.id)
    try:
        segments = extract_text("\n".join(lines)).segments
    except ExtractionError:  # only runs of data, no words
        return lines, [], []
    return lines, [s.text for s in segments], [s.shown for s in segments]


def plaintext_page(
    page: CorpusPage, data: bytes, rendering: str, systems: dict[str, System]
) -> dict[str, LineTally]:
    """One page in one rendering: a tally per system, with no cleaning and the oracle."""
    lines, judged, shown = rendered_lines(page, data, rendering)
    if not judged:
        return {}
    labels = page_labels(page, judged)
    tallies = {NO_CLEANING: LineTally()}
    _tally(tallies[NO_CLEANING], page, labels, [True] * len(shown), "\n".join(shown))
    if "cleaner" in systems:
        tallies["cleaner"] = LineTally()
        _run_cleaner_on_lines(tallies["cleaner"], page, lines, labels)
    wrapped = wrap_lines_as_html(shown)
    for name, system in systems.items():
        if name == "cleaner":
            continue
        output, seconds, failed = timed(system, wrapped, page.url)
        tally = tallies[name] = LineTally(seconds=seconds, errors=int(failed))
        _tally(tally, page, labels, kept_in_output(shown, output), output)
    oracle = [label is True for label in labels]
    kept_text = "\n".join(line for line, keep in zip(shown, oracle, strict=True) if keep)
    tallies[ORACLE] = LineTally()
    _tally(tallies[ORACLE], page, labels, oracle, kept_text)
    return tallies


def page_labels(page: CorpusPage, lines: list[str]) -> list[bool | None]:
    """Line labels from full-text gold when the page has it, else from its snippets."""
    if page.text:
        return list(label_lines(lines, page.text))
    return label_lines_by_snippets(lines, page.with_snippets, page.without_snippets)


def _run_cleaner_on_lines(
    tally: LineTally, page: CorpusPage, lines: list[str], labels: list[bool | None]
) -> None:
    """The cleaner on the page's lines (blank ones too); `labels` are those of the
    segments `extract_text` makes of them, in order."""
    from cleaner import clean_text

    start = time.perf_counter()
    try:
        doc = clean_text("\n".join(lines), url=page.url)
        segments, text, failed = doc.segments, doc.text, False
    except Exception:
        segments, text, failed = [], "", True
    tally.seconds += time.perf_counter() - start
    tally.errors += failed
    kept = [False] * len(labels)
    reasons: list[str | None] = [None] * len(labels)
    for segment in segments:
        if segment.index < len(labels):  # the segments `rendered_lines` gave, in order
            kept[segment.index] = segment.kept
            reasons[segment.index] = segment.dropped_by
    # a content line moved to the title is delivered (metadata.title), not lost; a
    # boilerplate line moved there is not left in the text either
    for i, (label, reason) in enumerate(zip(labels, reasons, strict=True)):
        if label is True and reason in MOVED_TO_TITLE:
            kept[i] = True
    _tally(tally, page, labels, kept, text)
    for label, reason, keep in zip(labels, reasons, kept, strict=True):
        if label is True and not keep and reason is not None:
            tally.content_lost_by[reason] += 1


def _tally(
    tally: LineTally, page: CorpusPage, labels: list[bool | None], kept: list[bool], text: str
) -> None:
    tally.docs += 1
    tally.count(labels, kept)
    if page.text:
        tally.f1s.append(bow_scores(text, page.text).f1)


# -- report ------------------------------------------------------------------------------------


def environment(argv: Sequence[str]) -> dict[str, Any]:
    """What a reader needs to reproduce the figures: command, date, versions, machine."""
    versions = {}
    for package in REPORTED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "command": " ".join(["python -m bench.run", *argv]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _git_commit(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "processes": 1,
        "versions": versions,
    }


def _git_commit() -> str | None:
    """HEAD of the project, read-only; None outside a git checkout."""
    try:
        done = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return None
    return done.stdout.strip() or None


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A GitHub Markdown table; numeric columns right-aligned, floats to three decimals.

    >>> print(markdown_table(["system", "F1", "docs/s"], [["a", 0.5, "12.0"], ["b", None, "3.5"]]))
    | system | F1 | docs/s |
    |---|---:|---:|
    | a | 0.500 | 12.0 |
    | b | – | 3.5 |
    """
    table = [list(row) for row in rows]
    numeric = [
        bool(table) and all(_is_number(row[i]) for row in table) for i in range(len(headers))
    ]
    lines = ["| " + " | ".join(headers) + " |"]
    lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in table]
    return "\n".join(lines)


def _is_number(value: Any) -> bool:
    if value is None or isinstance(value, int | float):
        return True
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def speed(docs_per_s: float | None) -> str | None:
    """Docs per second for a table: one decimal is all the precision timing has."""
    return None if docs_per_s is None else f"{docs_per_s:.1f}"


def html_markdown(results: dict[str, dict[str, Any]]) -> str:
    """Summary (one figure per dataset) and per-dataset detail tables for HTML mode."""
    datasets = list(results)
    systems = list(next(iter(results.values()))) if results else []
    headers = ["system", *(f"{d} {_metric_name(results[d])}" for d in datasets), "docs/s", "errors"]
    rows = []
    for system in systems:
        docs = sum(results[d][system]["docs"] for d in datasets)
        seconds = sum(results[d][system]["seconds"] for d in datasets)
        rows.append(
            [
                system,
                *(_headline(results[d][system]) for d in datasets),
                speed(rate(docs, seconds)),
                sum(results[d][system]["errors"] for d in datasets),
            ]
        )
    parts = ["## HTML mode", "", markdown_table(headers, rows)]
    for dataset in datasets:
        parts += ["", f"### {dataset}", "", _html_detail(results[dataset])]
    return "\n".join(parts)


def _metric_name(by_system: dict[str, Any]) -> str:
    first = next(iter(by_system.values()))
    return "F1" if "text" in first else "sF1"


def _headline(summary: dict[str, Any]) -> float | None:
    block = summary.get("text") or summary.get("snippets")
    return block["f1"] if block else None


def _html_detail(by_system: dict[str, Any]) -> str:
    first = next(iter(by_system.values()))
    kinds = [k for k in ("text", "snippets") if k in first]
    headers = ["system"]
    for kind in kinds:
        prefix = "" if kind == "text" else "s"
        headers += [f"{prefix}P", f"{prefix}R", f"{prefix}F1"]
    headers += ["docs/s", "errors"]
    rows = []
    for system, summary in by_system.items():
        row: list[Any] = [system]
        for kind in kinds:
            block = summary.get(kind, {})
            row += [block.get("precision"), block.get("recall"), block.get("f1")]
        rows.append([*row, speed(summary["docs_per_s"]), summary["errors"]])
    return markdown_table(headers, rows)


def plaintext_markdown(results: dict[str, Any]) -> str:
    """The cleaner in every rendering, then each rendering's systems, by group of pages
    (dataset, page type); and where the cleaner lost content, by rule."""
    summary: dict[str, dict[str, dict[str, Any]]] = results["summary"]
    renderings = list(summary)
    groups = list(dict.fromkeys(g for by_group in summary.values() for g in by_group))
    # every group gets a cell for each rendering the cleaner read, in order, so that a
    # rendering some group lacks (no article container on its pages) does not move columns
    read = [r for r in renderings if any("cleaner" in cells for cells in summary[r].values())]
    across = {g: {r: summary[r].get(g, {}).get("cleaner", {}) for r in read} for g in groups}
    parts = ["## Plaintext mode", ""]
    if any(across.values()):
        parts += [
            "### The cleaner in each rendering: boilerplate lines left / content lines lost",
            "",
            group_table(across),
            "",
        ]
    for rendering, by_group in summary.items():
        parts += [
            f"### Rendering `{rendering}`: boilerplate lines left / content lines lost",
            "",
            group_table(by_group),
            "",
        ]
        if OVERALL in by_group:
            parts += [_plaintext_table(by_group[OVERALL]), ""]
    lost = {
        r: summary[r].get(OVERALL, {}).get("cleaner", {}).get("content_lost_by_rule", {})
        for r in renderings
    }
    rules = sorted(
        {rule for by_rule in lost.values() for rule in by_rule},
        key=lambda rule: -sum(lost[r].get(rule, 0) for r in renderings),
    )
    if rules:
        parts += ["### Content lines the cleaner dropped, by rule (all datasets)", ""]
        parts.append(
            markdown_table(
                ["rule", *renderings],
                ([rule, *(lost[r].get(rule, 0) for r in renderings)] for rule in rules),
            )
        )
    return "\n".join(parts).rstrip()


def group_table(by_group: dict[str, dict[str, dict[str, Any]]]) -> str:
    """One row per group of pages, one column per system (or rendering): the share of
    labelled boilerplate lines left and of content lines lost, as "left / lost". With
    `NO_CLEANING` among the columns, it gives the group's line counts instead, and the
    oracle (nothing left, nothing lost) is left out.

    >>> s = {"boilerplate_kept_share": 0.25, "content_lost_share": 0.012, "docs": 3,
    ...      "content_lines": 80, "boilerplate_lines": 40}
    >>> print(group_table({"news": {NO_CLEANING: s, "cleaner": s}}))
    | group | pages | content lines | boilerplate lines | cleaner |
    |---|---:|---:|---:|---|
    | news | 3 | 80 | 40 | 25.0% / 1.2% |
    """
    columns = [
        c
        for c in dict.fromkeys(c for cells in by_group.values() for c in cells)
        if c not in (NO_CLEANING, ORACLE)
    ]
    counted = any(NO_CLEANING in cells for cells in by_group.values())
    headers = [
        "group",
        "pages",
        *(["content lines", "boilerplate lines"] if counted else []),
        *columns,
    ]
    rows = []
    for group, cells in by_group.items():
        base = cells.get(NO_CLEANING) or next((c for c in cells.values() if c), {})
        counts = [base.get("content_lines"), base.get("boilerplate_lines")] if counted else []
        rows.append(
            [group, base.get("docs"), *counts, *(_left_lost(cells.get(c)) for c in columns)]
        )
    return markdown_table(headers, rows)


def _left_lost(summary: dict[str, Any] | None) -> str | None:
    if not summary:
        return None
    left, lost = summary["boilerplate_kept_share"], summary["content_lost_share"]
    return f"{_percent(left)} / {_percent(lost)}"


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share:.1%}"


def _plaintext_table(by_system: dict[str, Any]) -> str:
    headers = ["system (overall)", "boilerplate kept", "content lost", "BoW F1", "docs/s", "errors"]
    rows = [
        [
            name,
            s["boilerplate_kept_share"],
            s["content_lost_share"],
            s["bow_f1"],
            speed(s["docs_per_s"]),
            s["errors"],
        ]
        for name, s in by_system.items()
    ]
    return markdown_table(headers, rows)


# -- command line ------------------------------------------------------------------------------


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--corpus", type=Path, required=True, help="a dataset folder or a folder of dataset folders"
    )
    parser.add_argument(
        "--datasets",
        nargs="+",
        default=None,
        help="dataset names (comma- or space-separated); default: all",
    )
    parser.add_argument("--limit", type=int, default=None, help="first N pages per dataset")
    parser.add_argument(
        "--systems",
        nargs="+",
        default=None,
        help=f"systems to run (default all): {', '.join(SYSTEMS)}",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results folder")
    parser.add_argument("--mode", choices=("html", "plaintext", "both"), default="both")
    parser.add_argument(
        "--renderings",
        nargs="+",
        default=None,
        help=f"plaintext mode: how each page is rendered to text (default all): "
        f"{', '.join(ALL_RENDERINGS)}",
    )
    parser.add_argument(
        "--peer-renderings",
        nargs="+",
        default=None,
        help=f"plaintext mode: the renderings the peers read too (default: "
        f"{', '.join(PEER_RENDERINGS)} only, since with the four whole-page ones the whole "
        "corpus took 16 minutes on one core against 7); the cleaner reads every one of "
        "--renderings",
    )
    return parser.parse_args(argv)


def split_names(values: Sequence[str] | None) -> list[str] | None:
    """["a,b", "c"] -> ["a", "b", "c"]; None stays None (meaning: all).

    >>> split_names(["a,b", "c"])
    ['a', 'b', 'c']
    """
    if values is None:
        return None
    return [name for value in values for name in value.split(",") if name]


def select_datasets(corpus: Path, names: list[str] | None) -> list[Path]:
    folders = {folder.name: folder for folder in dataset_folders(corpus)}
    if not folders:
        raise SystemExit(f"no dataset (a folder with gold.jsonl) in {corpus}")
    if names is None:
        return list(folders.values())
    unknown = sorted(set(names) - set(folders))
    if unknown:
        raise SystemExit(f"unknown datasets {unknown}; {corpus} has {sorted(folders)}")
    return [folders[name] for name in names]


def select_renderings(names: list[str] | None, default: Sequence[str]) -> list[str]:
    if names is None:
        return list(default)
    unknown = sorted(set(names) - set(ALL_RENDERINGS))
    if unknown:
        raise SystemExit(f"unknown renderings {unknown}; known: {list(ALL_RENDERINGS)}")
    return names


def select_systems(names: list[str] | None) -> dict[str, System]:
    if names is None:
        return dict(SYSTEMS)
    unknown = sorted(set(names) - set(SYSTEMS))
    if unknown:
        raise SystemExit(f"unknown systems {unknown}; known: {sorted(SYSTEMS)}")
    return {name: SYSTEMS[name] for name in names}


def warm_up(systems: dict[str, System]) -> None:
    """Load every system's imports and models before any page is timed."""
    for system in systems.values():
        timed(system, WARM_UP_PAGE, None)


def limited_pages(folder: Path, limit: int | None) -> Iterator[CorpusPage]:
    pages: Iterable[CorpusPage] = iter_corpus(folder)
    for i, page in enumerate(itertools.islice(pages, limit), start=1):
        if i % PROGRESS_EVERY == 0:
            print(f"  {folder.name}: {i} pages", file=sys.stderr, flush=True)
        yield page


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    quiet_peer_logs()
    folders = select_datasets(args.corpus, split_names(args.datasets))
    systems = select_systems(split_names(args.systems))
    warm_up(systems)
    report: dict[str, Any] = {"environment": environment(argv), "corpus": str(args.corpus)}
    started = time.perf_counter()
    if args.mode in ("html", "both"):
        report["html"] = _html_results(folders, systems, args.limit)
    if args.mode in ("plaintext", "both"):
        renderings = select_renderings(split_names(args.renderings), ALL_RENDERINGS)
        peer_renderings = select_renderings(split_names(args.peer_renderings), PEER_RENDERINGS)
        report["plaintext"] = _plaintext_results(
            folders, systems, args.limit, renderings, peer_renderings
        )
    report["environment"]["wall_seconds"] = round(time.perf_counter() - started, 1)
    markdown = render_report(report)
    write_results(args.out, report, markdown)
    print(markdown)
    return 0


def _html_results(
    folders: list[Path], systems: dict[str, System], limit: int | None
) -> dict[str, Any]:
    summaries: dict[str, Any] = {}
    pages: dict[str, Any] = {}
    for folder in folders:
        print(f"html mode: {folder.name}", file=sys.stderr, flush=True)
        tallies = run_html_mode(limited_pages(folder, limit), systems)
        summaries[folder.name] = {name: t.summary() for name, t in tallies.items()}
        pages[folder.name] = {name: t.pages for name, t in tallies.items()}
    return {"summary": summaries, "pages": pages}


def _plaintext_results(
    folders: list[Path],
    systems: dict[str, System],
    limit: int | None,
    renderings: list[str],
    peer_renderings: list[str],
) -> dict[str, Any]:
    print(f"plaintext mode: {', '.join(renderings)}", file=sys.stderr, flush=True)
    pages = itertools.chain.from_iterable(limited_pages(folder, limit) for folder in folders)
    tallies = run_plaintext_mode(pages, systems, renderings, peer_renderings)
    summaries = {
        rendering: {
            group: {name: tally.summary() for name, tally in by_group[group].items()}
            for group in ordered_groups(by_group)
        }
        for rendering, by_group in tallies.items()
    }
    return {
        "renderings": renderings,
        "peer_renderings": [r for r in peer_renderings if r in renderings],
        "summary": summaries,
    }


def ordered_groups(groups: Iterable[str]) -> list[str]:
    """Datasets as met, then page types by name (untyped last), all but listings, overall.

    >>> ordered_groups(["b", "type: untyped", "overall", "a", "type: forum",
    ...                 "all types except collection/listing"])
    ['b', 'a', 'type: forum', 'type: untyped', 'all types except collection/listing', 'overall']
    """
    groups = list(groups)
    types = sorted(
        (g for g in groups if g.startswith("type: ")), key=lambda g: (g == f"type: {UNTYPED}", g)
    )
    datasets = [g for g in groups if g not in types and g not in (NOT_LISTING, OVERALL)]
    return datasets + types + [g for g in (NOT_LISTING, OVERALL) if g in groups]


def f1_table(rows: Sequence[tuple[str, dict[str, float]]], digits: int = 3) -> str:
    """A Markdown table of F1 per dataset, one row per system (the experiments' output).

    >>> print(f1_table([("a", {"x": 0.5, "y": 1.0})]))
    | system | x | y |
    |---|---:|---:|
    | a | 0.500 | 1.000 |
    """
    datasets = list(rows[0][1])
    lines = ["| system | " + " | ".join(datasets) + " |", "|---|" + "---:|" * len(datasets)]
    for name, f1 in rows:
        lines.append(f"| {name} | " + " | ".join(f"{f1[d]:.{digits}f}" for d in datasets) + " |")
    return "\n".join(lines)


def render_report(report: dict[str, Any]) -> str:
    env = report["environment"]
    versions = ", ".join(f"{k} {v}" for k, v in env["versions"].items() if v)
    parts = [
        "# Benchmark results",
        "",
        f"`{env['command']}`  ",
        f"{env['date']}, commit {env['commit']}, {env['cpu_count']} cores (1 process used), "
        f"Python {env['python']}, {env['wall_seconds']} s wall  ",
        f"{versions}",
        "",
        "HTML mode: mean per-page bag-of-words P/R/F1 over lower-cased `\\w+` tokens for "
        "full-text gold; micro snippet P/R/F1 (sF1) for snippet-only gold. docs/s counts "
        "extraction time only. Plaintext mode: each page rendered as each tool saves it "
        "(`cleaner.training.renderings`: blocks = one line per block, inner_text, markdown, "
        "flattened navigation; and what extracting tools keep of it: container = innerText of "
        "the article container, extracted = trafilatura's plaintext), each line labelled "
        "against the gold as the cleaner judges it "
        "(Markdown links as their text); shares of labelled boilerplate lines kept and content "
        "lines lost, per dataset and per wcxb page type (pages without one: untyped); peers "
        "read the lines as one `<p>` each.",
    ]
    if "html" in report:
        parts += ["", html_markdown(report["html"]["summary"])]
    if "plaintext" in report:
        parts += ["", plaintext_markdown(report["plaintext"])]
    return "\n".join(parts) + "\n"


def write_results(out: Path, report: dict[str, Any], markdown: str) -> None:
    """Write both files through a temporary name, so that an interrupted run never
    leaves a half-written `latest` behind."""
    out.mkdir(parents=True, exist_ok=True)
    for name, content in (
        ("latest.md", markdown),
        ("latest.json", json.dumps(report, indent=1, ensure_ascii=False) + "\n"),
    ):
        tmp = out / f"{name}.tmp"
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(out / name)


if __name__ == "__main__":
    raise SystemExit(main())
