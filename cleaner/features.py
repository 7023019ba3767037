"""Line features shared by the learned cleaner and its training.

Each segment becomes a set of hashed feature ids: the shape of the line (length, how it
ends, case, digits, punctuation, share of function words and UI words), which rules fire
on it, its words, where it sits on the page, and the same shape facts about its
neighbours. Everything is a *string* feature hashed into `DIMENSIONS` buckets, so that
training and inference cannot drift apart: both call `page_features`.
"""

from __future__ import annotations

import re
import zlib
from statistics import median

from cleaner.cleaners.lexicon import UI_WORDS
from cleaner.cleaners.rules import RULES, words
from cleaner.cleaners.shape import is_headline_like, is_label, is_sentence

#: Hashed feature space: 2^18 buckets keep collisions rare for ~100k distinct features
#: while the weight vector stays ~1 MB as float32 (much less compressed).
DIMENSIONS = 1 << 18

#: Only the first words of a long line say anything its shape does not.
MAX_WORD_FEATURES = 24

#: Function words of the corpus's main languages (en, de, fr, es, it, pt, nl, pl): prose
#: is full of them, menus and link lists have few.
FUNCTION_WORDS = frozenset(
    """
    the a an of to in on at for with by from and or but is are was were be been has have
    had it its this that these those as not he she they we you i his her their our which who
    der die das den dem des ein eine einer und oder aber ist sind war waren wird werden hat
    haben nicht mit von zu im in auf für bei aus als auch sich es er sie wir ich dass wie
    le la les un une des du de et ou mais est sont était été a ont pas avec pour par dans sur
    que qui il elle ils nous vous ce cette ces se au aux en
    el la los las un una unos de del y o pero es son era fue ha han no con para por en que
    se su sus lo al como más
    il lo gli di che non per con una sono è da nel della
    o os as um uma do da dos das em para com não que se é
    het een en van de is niet met voor op dat zijn ik je
    w i z na nie do się że jest to o jak
    """.split()
)

_DIGIT = re.compile(r"\d")
_TERMINAL_CLASS = {".": "dot", "!": "bang", "?": "q", ":": "colon", ";": "semi", ")": "paren"}
_QUOTES = "\"'”’»«“"
_LENGTH_BINS = (0, 1, 2, 3, 4, 5, 7, 10, 15, 25, 50)
_RATIO_BINS = (0.0, 0.01, 0.15, 0.3, 0.5, 0.7, 0.9, 1.0)


def bucket(value: float, edges: tuple[float, ...]) -> int:
    """Index of the last edge not above `value`.

    >>> bucket(0, _LENGTH_BINS), bucket(6, _LENGTH_BINS), bucket(99, _LENGTH_BINS)
    (0, 5, 10)
    """
    index = 0
    for i, edge in enumerate(edges):
        if value >= edge:
            index = i
    return index


def feature_id(name: str) -> int:
    return zlib.crc32(name.encode("utf-8")) & (DIMENSIONS - 1)


class LineShape:
    """The facts about one line that its own features and its neighbours' use."""

    __slots__ = (
        "end",
        "headline",
        "label",
        "n_words",
        "rules",
        "sentence",
        "timestamp",
        "tokens",
        "ui",
    )

    def __init__(self, text: str) -> None:
        self.tokens = words(text)
        self.n_words = len(self.tokens)
        self.rules = [name for name, rule in RULES.items() if rule(text)]
        self.sentence = is_sentence(text)
        self.headline = is_headline_like(text)
        self.label = is_label(text)
        self.timestamp = "timestamp" in self.rules
        self.end = _end_class(text)
        self.ui = sum(t in UI_WORDS for t in self.tokens) / self.n_words if self.n_words else 0.0


def page_features(texts: list[str], kinds: list[str] | None = None) -> list[list[int]]:
    """Hashed feature ids for every line of one page, in order."""
    shapes = [LineShape(t) for t in texts]
    n = len(texts)
    page_median = median([s.n_words for s in shapes]) if shapes else 0
    sentence_at = [s.sentence and s.n_words >= 10 for s in shapes]
    out = []
    for i, (text, shape) in enumerate(zip(texts, shapes, strict=True)):
        names = _own_features(text, shape)
        names += _position_features(i, n, shape, page_median)
        names += _neighbour_features(i, shapes, sentence_at)
        if kinds is not None:
            names.append(f"kind={kinds[i]}")
        out.append(sorted({feature_id(f) for f in names}))
    return out


def _own_features(text: str, s: LineShape) -> list[str]:
    nw = bucket(s.n_words, _LENGTH_BINS)
    letters = [c for c in text if c.isalpha()]
    upper = sum(c.isupper() for c in letters) / len(letters) if letters else 0.0
    capitalised = sum(t[:1].isupper() for t in text.split()) / max(1, len(text.split()))
    digits = len(_DIGIT.findall(text)) / max(1, len(text))
    punct = sum(not c.isalnum() and not c.isspace() for c in text) / max(1, len(text))
    function = sum(t in FUNCTION_WORDS for t in s.tokens) / s.n_words if s.n_words else 0.0
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
    tokens = [_DIGIT.sub("0", t) for t in s.tokens[:MAX_WORD_FEATURES]]
    names += [f"w={t}" for t in tokens]
    if tokens:
        names += [f"first={tokens[0]}", f"last={_DIGIT.sub('0', s.tokens[-1])}"]
    if s.n_words <= 6:
        names.append("whole=" + " ".join(tokens))
    return names


def _position_features(i: int, n: int, s: LineShape, page_median: float) -> list[str]:
    relative = s.n_words / page_median if page_median else 0.0
    return [
        f"pos={bucket(i / max(1, n - 1), (0, 0.1, 0.2, 0.4, 0.6, 0.8, 0.9, 0.97))}",
        f"from_start={min(i, 8)}",
        f"from_end={min(n - 1 - i, 8)}",
        f"rel_len={bucket(relative, (0, 0.25, 0.5, 1, 2, 4, 8))}",
    ]


def _neighbour_features(i: int, shapes: list[LineShape], sentence_at: list[bool]) -> list[str]:
    names = []
    n = len(shapes)
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if not 0 <= j < n:
            names.append(f"n{offset}=none")
            continue
        other = shapes[j]
        names += [
            f"n{offset}:nw={bucket(other.n_words, _LENGTH_BINS)}",
            f"n{offset}:sentence={other.sentence}",
            f"n{offset}:end={other.end}",
            f"n{offset}:ts={other.timestamp}",
            f"n{offset}:ui={bucket(other.ui, _RATIO_BINS)}",
        ]
    window = sentence_at[max(0, i - 3) : i + 4]
    names.append(f"window_sentences={bucket(sum(window), (0, 1, 2, 3, 5))}")
    names.append(f"sentence_distance={_distance_to_prose(i, sentence_at)}")
    return names


def _distance_to_prose(i: int, sentence_at: list[bool]) -> int:
    """Lines to the nearest long sentence (capped): furniture sits far from prose."""
    for d in range(0, 7):
        lo, hi = i - d, i + d
        if (lo >= 0 and sentence_at[lo]) or (hi < len(sentence_at) and sentence_at[hi]):
            return d
    return 7


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
