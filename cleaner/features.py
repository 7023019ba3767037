"""Line and context features shared by the learned cleaner and its training.

The line model has two stages, and each has its own features:

* `line_features`: what one line says about itself, as hashed feature ids: its shape
  (length, how it ends, case, digits, punctuation, share of function words and UI
  words), which line rules fire on it, and its words. A linear model over these gives
  each line a first score. Position and neighbours are left out on purpose: by-site
  validation was better when the second stage handles all the context (see
  `cleaner.training.train`).
* `context_features`: a dense row per line for the second stage, built from the first
  stage's scores of the line and its neighbours, where it sits relative to the page's
  main body (the densest run of long sentences), page-relative ranks, run lengths of
  label-like lines, repeats within the page, and which rule (of the full rule set)
  would drop it.

Training and inference both call these two functions, so they cannot drift apart.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from cleaner.cleaners.common_lines import Entry, Lexicon, lexicon_key
from cleaner.cleaners.lexicon import FUNCTION_WORDS, UI_WORDS
from cleaner.cleaners.neighbours import NEIGHBOUR_RULES
from cleaner.cleaners.rules import RULES
from cleaner.cleaners.shape import (
    breadcrumb_items,
    is_headline_like,
    is_label,
    is_sentence,
    menu_items,
)
from cleaner.extract.text import link_text_share
from cleaner.tokens import word_count, words

#: Hashed feature space: 2^18 buckets keep collisions rare for ~100k distinct features
#: while the weight vector stays ~1 MB as float32 (much less compressed).
DIMENSIONS = 1 << 18

#: Feature names whose hashes are remembered (a page has a few thousand distinct ones).
FEATURE_ID_CACHE_SIZE = 1 << 16

#: Only the first words of a long line say anything its shape does not.
MAX_WORD_FEATURES = 24

_DIGIT = re.compile(r"\d")
_TERMINAL_CLASS = {".": "dot", "!": "bang", "?": "q", ":": "colon", ";": "semi", ")": "paren"}
_QUOTES = "\"'”’»«“"
_LENGTH_BINS = (0, 1, 2, 3, 4, 5, 7, 10, 15, 25, 50)
_RATIO_BINS = (0.0, 0.01, 0.15, 0.3, 0.5, 0.7, 0.9, 1.0)


def bucket(value: float, edges: tuple[float, ...]) -> int:
    """Index of the last edge not above `value` (0 below the first edge; edges ascend).

    >>> bucket(0, _LENGTH_BINS), bucket(6, _LENGTH_BINS), bucket(99, _LENGTH_BINS)
    (0, 5, 10)
    """
    return max(0, bisect_right(edges, value) - 1)


@lru_cache(maxsize=FEATURE_ID_CACHE_SIZE)
def feature_id(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) & (DIMENSIONS - 1)


class LineShape:
    """The facts about one line that its features use."""

    __slots__ = (
        "crumbs",
        "end",
        "headline",
        "label",
        "linked",
        "menu",
        "n_words",
        "rules",
        "sentence",
        "tokens",
        "ui",
    )

    def __init__(self, text: str, original: str | None = None) -> None:
        """`original` is the line as written when `text` is its judging view (Markdown
        links as their text: `cleaner.extract.text.judging_view`)."""
        self.tokens = words(text)
        self.n_words = len(self.tokens)
        self.rules = [name for name, rule in RULES.items() if rule(text)]
        self.sentence = is_sentence(text)
        self.headline = is_headline_like(text)
        self.label = is_label(text)
        self.end = _end_class(text)
        ui = sum(map(UI_WORDS.__contains__, self.tokens))
        self.ui = ui / self.n_words if self.n_words else 0.0
        self.menu = menu_items(text)
        self.crumbs = breadcrumb_items(text)
        self.linked = link_text_share(original) if original else None


def line_features(
    texts: list[str], shapes: list[LineShape] | None = None, lexicon: Lexicon | None = None
) -> list[list[int]]:
    """Hashed feature ids of every line, from the line alone and, with a `lexicon`, from
    what the cross-site lexicon says about it; `shapes`, if given, are the lines'
    `LineShape`s already computed (the learned cleaner also uses their rules)."""
    if shapes is None:
        shapes = [LineShape(t) for t in texts]
    out = []
    for text, shape in zip(texts, shapes, strict=True):
        names = _own_features(text, shape)
        if lexicon is not None:
            names += lexicon_feature_names(text, lexicon)
        out.append(sorted(set(map(feature_id, names))))
    return out


#: Bins of the number of sites a lexicon entry was seen on.
_SITE_BINS = (0, 1, 2, 5, 10, 20, 50)


def lexicon_feature_names(text: str, lexicon: Lexicon) -> list[str]:
    """What the cross-site lexicon says about a line, as feature strings: on how many
    sites it was boilerplate and content (binned), and the boilerplate share; a short line
    the lexicon does not know says that too. Kept apart from `line_feature_names` because
    training builds a lexicon per validation fold (a site must not vote for itself).

    >>> from cleaner.cleaners.common_lines import Entry
    >>> lexicon_feature_names("Share", Lexicon({"share": Entry(30, 1)}))
    ['lex_b=5', 'lex_c=1', 'lex_share=6']
    """
    key = lexicon_key(text)
    return entry_feature_names(key is not None, lexicon.entries.get(key) if key else None)


def entry_feature_names(short: bool, entry: Entry | None) -> list[str]:
    """The features of a lexicon entry (see `lexicon_feature_names`); `short` says the
    line could have an entry at all."""
    if entry is None:
        return ["lex=none"] if short else []
    return [
        f"lex_b={bucket(entry.boilerplate_sites, _SITE_BINS)}",
        f"lex_c={bucket(entry.content_sites, _SITE_BINS)}",
        f"lex_share={bucket(1.0 - entry.content_share, _RATIO_BINS)}",
    ]


def line_feature_names(text: str, original: str | None = None) -> list[str]:
    """The feature strings behind `line_features` (for reports on what the model learned);
    `original` as for `LineShape`.

    >>> [f for f in line_feature_names("Share") if f.startswith(("rule=", "whole="))]
    ['rule=ui_phrase', 'whole=share']
    """
    return _own_features(text, LineShape(text, original))


# No character n-grams among these: tried, not kept (docs/decisions.md says why).
def _own_features(text: str, s: LineShape) -> list[str]:
    nw = bucket(s.n_words, _LENGTH_BINS)
    # map() and filter() over str methods rather than generator expressions: these loops
    # run once per character and were most of this function's time.
    letters = list(filter(str.isalpha, text))
    upper = sum(map(str.isupper, letters)) / len(letters) if letters else 0.0
    initials = [t[0] for t in text.split()]
    capitalised = sum(map(str.isupper, initials)) / max(1, len(initials))
    digits = len(_DIGIT.findall(text)) / max(1, len(text))
    other = len(text) - sum(map(str.isalnum, text)) - sum(map(str.isspace, text))
    punct = other / max(1, len(text))
    function = sum(map(FUNCTION_WORDS.__contains__, s.tokens)) / s.n_words if s.n_words else 0.0
    names = [
        "bias",
        f"nw={nw}",
        f"nc={bucket(len(text), (0, 5, 10, 20, 40, 80, 160, 320, 640))}",
        f"end={s.end}",
        f"nw={nw}&end={s.end}",
        f"start={_start_class(text)}",
        f"upper={bucket(upper, _RATIO_BINS)}",
        f"caps={bucket(capitalised, _RATIO_BINS)}",
        f"caps={bucket(capitalised, _RATIO_BINS)}&nw={nw}",
        f"digits={bucket(digits, _RATIO_BINS)}",
        f"punct={bucket(punct, _RATIO_BINS)}",
        f"function={bucket(function, _RATIO_BINS)}",
        f"function={bucket(function, _RATIO_BINS)}&nw={nw}",
        f"ui={bucket(s.ui, _RATIO_BINS)}",
        f"ui={bucket(s.ui, _RATIO_BINS)}&nw={nw}",
        f"sentence={s.sentence}",
        f"headline={s.headline}",
        f"label={s.label}",
    ]
    names += [f"rule={r}" for r in s.rules]
    if s.menu:
        names.append(f"menu={min(s.menu, 6)}")
    if s.crumbs:
        names.append(f"crumbs={min(s.crumbs, 5)}")
    if s.linked is not None:
        names.append(f"linked={bucket(s.linked, _RATIO_BINS)}")
    if "\t" in text:
        names.append("tab")  # innerText's cell separator: a table row
    if "  " in text:
        names.append("spaces")  # items laid out side by side
    tokens = [_DIGIT.sub("0", t) for t in s.tokens[:MAX_WORD_FEATURES]]
    names += [f"w={t}" for t in tokens]
    if tokens:
        names += [f"first={tokens[0]}", f"last={_DIGIT.sub('0', s.tokens[-1])}"]
    if s.n_words <= 6:
        names.append("whole=" + " ".join(tokens))
    return names


def _end_class(text: str) -> str:
    stripped = text.rstrip().rstrip(_QUOTES)
    if not stripped:
        return "quote"
    last = stripped[-1]
    if last in _TERMINAL_CLASS:
        return _TERMINAL_CLASS[last]
    return "alnum" if last.isalnum() else "other"


def _start_class(text: str) -> str:
    first = text.lstrip()[:1]
    if not first:
        return "empty"
    if first.isdigit():
        return "digit"
    if first.isupper():
        return "upper"
    if first.islower():
        return "lower"
    return "punct"


# -- second stage: context -----------------------------------------------------------------

#: Rules whose verdict (with every rule on) the second stage sees as a 0/1 column: the
#: reasons that drop at least ~80 corpus lines. The model replaces several of these rules
#: (`cleaner.training.train.REPLACED_RULES`) and learns when to trust them from context.
CONTEXT_REASONS = (
    "heuristic.link_run",
    "heuristic.related_block",
    "heuristic.ui_phrase",
    "heuristic.section_label",
    "heuristic.timestamp",
    "heuristic.other_story",
    "heuristic.cms_footer",
    "heuristic.lone_punctuation",
    "heuristic.related_header",
    "title.title_line",
    "heuristic.trailing_label",
    "heuristic.photo_caption",
    "title.repeated_title",
)

#: A line of prose, for locating the main body: a sentence of at least this many words
#: (the same bar as the learned cleaner's protection of real sentences).
PROSE_WORDS = 10

#: What a non-prose line costs the main-body run (a prose line gains 1): at 0.3 a body
#: survives a subheading or a short list between paragraphs but not a ten-line menu.
BODY_GAP_PENALTY = 0.3

#: Window radii (lines) for the neighbourhood means of the first-stage score.
SCORE_WINDOWS = (2, 5, 10, 25)

#: A label run's lines are short: at most this many words.
SHORT_LINE_WORDS = 6

#: The longest line `is_headline_like` accepts as a title or link text.
HEADLINE_WORDS = 24

#: Column names of `context_features`, in order. Changing them means retraining.
CONTEXT_FEATURES = (
    *("z", "z-1", "z+1", "z-2", "z+2", "z-3", "z+3"),
    *(f"z_mean{r}" for r in SCORE_WINDOWS),
    *("z_max2", "z_min2", "z_rank", "z_page_mean", "z_page_median"),
    *("position", "from_start", "from_end", "page_lines"),
    *("words", "words-1", "words+1", "prose", "sentence", "label"),
    *("prose_mean5", "prose_mean2", "to_body", "in_body", "body_share", "to_score_body"),
    *("page_prose_share", "page_prose_lines", "page_label_share"),
    *("repeats", "label_run", "short_run"),
    *(f"rule={r.split('.')[1]}" for r in CONTEXT_REASONS),
    "rule=any",
    *("non_sentence_run", "headline_run", "prose_after", "prose_before"),
    *("prose_mean10", "prose_mean25", "sentence_mean5", "words_mean5"),
    *("before_first_prose", "after_last_prose", "item", "heading"),
    *("lex_boiler", "lex_content", "lex_furniture_mean5", "zone_headline_share", "zone_lines"),
    *("menu", "crumbs"),
    *("block_lines", "block_position", "block_z_mean", "block_short_share", "page_blocks"),
)


def context_features(
    texts: Sequence[str],
    scores: np.ndarray,
    reasons: Sequence[str | None],
    kinds: Sequence[str],
    entries: Sequence[Entry | None] | None = None,
    starts: Sequence[bool] | None = None,
) -> np.ndarray:
    """One row of `CONTEXT_FEATURES` per line (NaN where a neighbour does not exist).

    `scores` are the first stage's log-odds of boilerplate, `reasons` what the title and
    heuristic cleaners with every rule on say about each line, `kinds` the segment kinds,
    `entries` what the cross-site lexicon says of each line (none: unknown to it),
    `starts` which lines open a block (follow a blank line; none: every line does).

    >>> x = context_features(["Home", "The council met on Monday and voted for the new budget."],
    ...                      np.array([2.0, -3.0]), ["heuristic.ui_phrase", None], ["p", "p"])
    >>> x.shape == (2, len(CONTEXT_FEATURES)), float(x[0, CONTEXT_FEATURES.index("to_body")])
    (True, -1.0)
    """
    z = np.asarray(scores, dtype=np.float64)
    n = len(texts)
    if n == 0:
        return np.zeros((0, len(CONTEXT_FEATURES)))
    index = np.arange(n, dtype=np.float64)
    n_words = np.array([len(words(t)) for t in texts], dtype=np.float64)
    sentence = np.array([is_sentence(t) for t in texts], dtype=bool)
    prose = sentence & (n_words >= PROSE_WORDS)
    label = np.array([is_label(t) for t in texts], dtype=bool)
    columns: dict[str, np.ndarray] = {}
    columns.update(_score_columns(z))
    columns.update(
        {
            "position": index / max(1, n - 1),
            "from_start": index,
            "from_end": n - 1 - index,
            "page_lines": np.full(n, float(n)),
            "words": n_words,
            "words-1": shifted(n_words, 1),
            "words+1": shifted(n_words, -1),
            "prose": prose.astype(float),
            "sentence": sentence.astype(float),
            "label": label.astype(float),
            "page_prose_share": np.full(n, prose.mean()),
            "page_prose_lines": np.full(n, float(prose.sum())),
            "page_label_share": np.full(n, label.mean()),
            "repeats": _repeats(texts),
            "label_run": run_lengths(label),
            "short_run": run_lengths(n_words <= SHORT_LINE_WORDS),
            "non_sentence_run": run_lengths(~sentence),
            "headline_run": run_lengths(~sentence & (n_words >= 1) & (n_words <= HEADLINE_WORDS)),
            "sentence_mean5": window_mean(sentence.astype(float), 5),
            "words_mean5": window_mean(n_words, 5),
            "item": np.array([k == "item" for k in kinds], dtype=float),
            "heading": np.array([k == "heading" for k in kinds], dtype=float),
        }
    )
    columns.update(_body_columns(prose, z))
    columns.update(_lexicon_columns(entries or [None] * n))
    columns.update(_zone_columns(prose, ~sentence & (n_words >= 1) & (n_words <= HEADLINE_WORDS)))
    columns.update(_block_columns(z, n_words, starts or [True] * n))
    columns["menu"] = np.array([menu_items(t) for t in texts], dtype=np.float64)
    columns["crumbs"] = np.array([breadcrumb_items(t) for t in texts], dtype=np.float64)
    for reason in CONTEXT_REASONS:
        columns[f"rule={reason.split('.')[1]}"] = np.array([r == reason for r in reasons], float)
    columns["rule=any"] = np.array([r is not None for r in reasons], dtype=float)
    return np.stack([columns[name] for name in CONTEXT_FEATURES], axis=1)


def _score_columns(z: np.ndarray) -> dict[str, np.ndarray]:
    """The first-stage score of the line, its neighbours, and the page around it."""
    columns = {"z": z}
    for k in (1, 2, 3):
        columns[f"z-{k}"] = shifted(z, k)
        columns[f"z+{k}"] = shifted(z, -k)
    for r in SCORE_WINDOWS:
        columns[f"z_mean{r}"] = window_mean(z, r)
    columns["z_max2"] = np.max(np.stack([shifted(z, k, -np.inf) for k in range(-2, 3)]), axis=0)
    columns["z_min2"] = np.min(np.stack([shifted(z, k, np.inf) for k in range(-2, 3)]), axis=0)
    order = np.argsort(np.argsort(z, kind="stable"), kind="stable")
    columns["z_rank"] = (order + 0.5) / len(z)
    columns["z_page_mean"] = np.full(len(z), z.mean())
    columns["z_page_median"] = np.full(len(z), float(np.median(z)))
    return columns


def _body_columns(prose: np.ndarray, z: np.ndarray) -> dict[str, np.ndarray]:
    """Where a line sits relative to the page's main body and its nearest prose."""
    n = len(prose)
    index = np.arange(n, dtype=np.float64)
    first, last = prose_body(prose)
    to_body = _signed_distance(index, first, last)
    content_odds = 0.5 - 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))
    score_first, score_last = densest_run(content_odds)
    at = np.flatnonzero(prose)
    if len(at):
        following = np.searchsorted(at, index)
        after = np.where(
            following < len(at), at[np.minimum(following, len(at) - 1)] - index, np.nan
        )
        preceding = np.searchsorted(at, index, side="right") - 1
        before = np.where(preceding >= 0, index - at[np.maximum(preceding, 0)], np.nan)
        first_prose, last_prose = at[0], at[-1]
    else:
        after = before = np.full(n, np.nan)
        first_prose, last_prose = n, -1
    flags = prose.astype(float)
    return {
        "prose_mean5": window_mean(flags, 5),
        "prose_mean2": window_mean(flags, 2),
        "prose_mean10": window_mean(flags, 10),
        "prose_mean25": window_mean(flags, 25),
        "to_body": to_body,
        "in_body": (to_body == 0).astype(float),
        "body_share": np.full(n, (last - first + 1) / n if last >= first else 0.0),
        "to_score_body": _signed_distance(index, score_first, score_last),
        "prose_after": after,
        "prose_before": before,
        "before_first_prose": (index < first_prose).astype(float),
        "after_last_prose": (index > last_prose).astype(float),
    }


def _lexicon_columns(entries: Sequence[Entry | None]) -> dict[str, np.ndarray]:
    """On how many sites the lexicon saw each line as boilerplate and as content (log
    scale, 0 when unknown), and how much of the neighbourhood is lexicon furniture: a
    zone of known furniture (a footer, a share bar) makes its unknown lines suspect too."""
    unknown = Entry(0, 0)
    boiler = np.log1p([(e or unknown).boilerplate_sites for e in entries])
    content = np.log1p([(e or unknown).content_sites for e in entries])
    furniture = np.array([(e or unknown).is_furniture for e in entries], dtype=np.float64)
    return {
        "lex_boiler": boiler,
        "lex_content": content,
        "lex_furniture_mean5": window_mean(furniture, 5),
    }


def _block_columns(
    z: np.ndarray, n_words: np.ndarray, starts: Sequence[bool]
) -> dict[str, np.ndarray]:
    """The block each line belongs to, where a blank line separates blocks: its size, the
    line's place in it, its mean first-stage score and its share of short lines. Tools
    that keep blank lines (innerText, Markdown, copy-paste) put one between paragraphs
    and none between the items of a menu, so a long block of short lines is navigation;
    a page without blank lines is a single block (`page_blocks` near 0 says so)."""
    n = len(z)
    block = np.cumsum(np.asarray(starts, dtype=np.int64)) - 1
    block[block < 0] = 0  # a page whose first line follows no blank line
    size = np.bincount(block).astype(np.float64)
    first = np.searchsorted(block, np.arange(len(size)))
    short = np.bincount(block, weights=(n_words <= SHORT_LINE_WORDS).astype(np.float64))
    return {
        "block_lines": size[block],
        "block_position": np.arange(n) - first[block],
        "block_z_mean": np.bincount(block, weights=z)[block] / size[block],
        "block_short_share": short[block] / size[block],
        "page_blocks": np.full(n, len(size) / max(1, n)),
    }


def _zone_columns(prose: np.ndarray, headline: np.ndarray) -> dict[str, np.ndarray]:
    """Each line's zone (before the main body, in it, after it) judged as a whole: how
    many lines it has and what share of them are headline-like. A zone after the body
    that is mostly short titles is a list of other stories; one with prose is comments
    or more of the article."""
    n = len(prose)
    first, last = prose_body(prose)
    index = np.arange(n)
    if last < first:
        zone = np.zeros(n, dtype=np.int64)
    else:
        zone = np.where(index < first, 0, np.where(index > last, 2, 1))
    size = np.bincount(zone, minlength=3).astype(np.float64)
    headlines = np.bincount(zone, weights=headline.astype(np.float64), minlength=3)
    share = headlines / np.maximum(size, 1.0)
    return {"zone_headline_share": share[zone], "zone_lines": size[zone]}


def _signed_distance(index: np.ndarray, first: int, last: int) -> np.ndarray:
    """Lines before (negative) or after (positive) the span [first, last]; 0 inside; NaN
    when there is no span."""
    if last < first:
        return np.full(len(index), np.nan)
    return np.where(index < first, index - first, np.where(index > last, index - last, 0.0))


def body_zones(texts: Sequence[str]) -> np.ndarray:
    """Each line's zone relative to the page's main body (`prose_body`): -1 before it,
    0 in it, 1 after it; 1 everywhere on a page without prose (all outside it, as
    `outside_body` says).

    >>> body_zones(["Home", "The council met on Monday and voted for the new budget.",
    ...             "Share"]).tolist()
    [-1, 0, 1]
    """
    prose = np.array([is_sentence(t) and word_count(t) >= PROSE_WORDS for t in texts], bool)
    first, last = prose_body(prose)
    index = np.arange(len(texts))
    return np.where(index < first, -1, np.where(index > last, 1, 0))


def outside_body(texts: Sequence[str]) -> np.ndarray:
    """Which lines lie before or after the page's main body (`prose_body`): the zones of
    mastheads, menus, footers and link lists, where a line the cross-site lexicon calls
    furniture is dropped by that alone. Inside the body, a "Security" or "Education"
    heading is the model's call, in its context.

    >>> outside_body(["Home", "The council met on Monday and voted for the new budget.",
    ...               "Security", "Residents said the harbour had changed a great deal since.",
    ...               "Share"]).tolist()
    [True, False, False, False, True]
    """
    return body_zones(texts) != 0


def prose_body(prose: np.ndarray) -> tuple[int, int]:
    """The page's main body: the run of lines richest in prose, where each line of prose
    counts 1 and each other line costs `BODY_GAP_PENALTY`; (0, -1) without prose.

    >>> prose_body(np.array([False, True, False, True, False, False]))
    (1, 3)
    """
    return densest_run(np.where(prose, 1.0, -BODY_GAP_PENALTY))


def densest_run(gain: np.ndarray) -> tuple[int, int]:
    """The span with the largest sum of `gain` (Kadane); (0, -1) when every gain is <= 0.

    >>> densest_run(np.array([-1.0, 1.0, 1.0, -0.3, 1.0, -1.0]))
    (1, 4)
    """
    best, span, current, start = 0.0, (0, -1), 0.0, 0
    for i, g in enumerate(gain.tolist()):
        if current <= 0:
            current, start = g, i
        else:
            current += g
        if current > best:
            best, span = current, (start, i)
    return span


def window_mean(x: np.ndarray, radius: int) -> np.ndarray:
    """Mean of `x` over the lines within `radius` of each line (fewer at the page edges).

    >>> window_mean(np.array([0.0, 3.0, 0.0, 0.0]), 1).tolist()
    [1.5, 1.0, 1.0, 0.0]
    """
    cumulative = np.concatenate([[0.0], np.cumsum(x, dtype=np.float64)])
    index = np.arange(len(x))
    lo, hi = np.maximum(0, index - radius), np.minimum(len(x), index + radius + 1)
    return (cumulative[hi] - cumulative[lo]) / (hi - lo)


def shifted(x: np.ndarray, k: int, fill: float = np.nan) -> np.ndarray:
    """`x` moved down by `k` lines (the value of the line `k` above), `fill` off the page.

    >>> shifted(np.array([1.0, 2.0, 3.0]), 1, 0.0).tolist(), shifted(np.array([1.0, 2.0]), -1, 0.0).tolist()
    ([0.0, 1.0, 2.0], [2.0, 0.0])
    """
    out = np.full(len(x), fill, dtype=np.float64)
    if k > 0:
        out[k:] = x[:-k]
    elif k < 0:
        out[:k] = x[-k:]
    else:
        out[:] = x
    return out


def run_lengths(flags: np.ndarray) -> np.ndarray:
    """For each line, the length of the run of True lines it belongs to (0 if False).

    >>> run_lengths(np.array([True, True, False, True])).tolist()
    [2.0, 2.0, 0.0, 1.0]
    """
    out = np.zeros(len(flags))
    start = None
    for i, flag in enumerate([*flags.tolist(), False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            out[start:i] = i - start
            start = None
    return out


def _repeats(texts: Sequence[str]) -> np.ndarray:
    """How often each line's exact text occurs on the page (menus repeat, prose rarely)."""
    counts: dict[str, int] = {}
    for t in texts:
        counts[t] = counts.get(t, 0) + 1
    return np.array([counts[t] for t in texts], dtype=np.float64)


# -- the set a model is trained on -----------------------------------------------------------

#: Raise by one whenever a feature's computation changes while its name stays (a new
#: length bin, another hashing): names alone cannot show that change.
FEATURE_SET_REVISION = 2


def feature_set_fingerprint() -> str:
    """16 hex digits naming the rule and feature set the model's inputs come from: the
    line rules in `RULES` order (each fires as a `rule=` feature, and the order is their
    precedence in the reasons), the neighbour rules, the context columns and reasons, the
    hashed space and `FEATURE_SET_REVISION`. A model card records it (`LineModel`), and a
    model trained on another set refuses to load.

    What a rule matches (its pattern, its language packs' words) is left out on purpose:
    a pack gaining words changes what rules fire on, not what the model's inputs mean, and
    should not make the shipped model unloadable.

    >>> len(feature_set_fingerprint()), feature_set_fingerprint() == feature_set_fingerprint()
    (16, True)
    """
    described = {
        "line_rules": list(RULES),
        "neighbour_rules": list(NEIGHBOUR_RULES),
        "context_features": list(CONTEXT_FEATURES),
        "context_reasons": list(CONTEXT_REASONS),
        "dimensions": DIMENSIONS,
        "revision": FEATURE_SET_REVISION,
    }
    return hashlib.sha256(json.dumps(described).encode("utf-8")).hexdigest()[:16]
