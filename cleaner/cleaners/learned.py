"""The learned cleaner: a logistic model over hashed line features (`cleaner.features`).

The model is a weight per hashed feature plus an intercept and the decision threshold
chosen at training time (see `cleaner.train`); scoring a line is a sum of weights, so the
model loads in milliseconds and needs nothing but numpy. It sees every segment of the page
(also those the rules dropped) because its neighbour features were trained that way.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.cleaners import PageContext
from cleaner.cleaners.rules import words
from cleaner.cleaners.shape import is_sentence
from cleaner.document import Segment
from cleaner.features import DIMENSIONS, page_features

MODEL_DIR = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = MODEL_DIR / "lines.npz"

#: The model never drops a line that reads as prose at least this long: the mission is to
#: keep every real sentence, and the rules already catch sentence-shaped furniture
#: (cookie banners, newsletter pitches, CMS footers).
PROTECTED_SENTENCE_WORDS = 10

#: Pages with fewer segments are unlike the corpus renderings the model learned from
#: (a median of about 70 lines), and its position and neighbour features mislead it
#: there: a three-line page lost its only sentence. Only the rules judge them.
MIN_PAGE_SEGMENTS = 8


def model_may_drop(text: str) -> bool:
    """Whether the model is allowed to drop this line at all.

    >>> model_may_drop("Home"), model_may_drop("The council approved the budget on Monday after a long debate.")
    (True, False)
    """
    return not (is_sentence(text) and len(words(text)) >= PROTECTED_SENTENCE_WORDS)


@dataclass(frozen=True)
class LineModel:
    weights: np.ndarray  # float32, one per hashed feature
    intercept: float
    threshold: float  # drop a line when P(boilerplate) >= threshold
    card: dict[str, Any]  # how it was trained and validated

    @property
    def replaces_rules(self) -> frozenset[str]:
        """Heuristic rules this model was validated to do better than; the chain turns
        them off when the model runs (see `cleaner.train.REPLACED_RULES`)."""
        return frozenset(self.card.get("replaces_rules", ()))

    def scores(self, texts: list[str]) -> list[float]:
        """P(boilerplate) for every line of one page."""
        out = []
        for ids in page_features(texts):
            z = self.intercept + float(self.weights[ids].sum())
            out.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
        return out

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float32),
            intercept=np.float64(self.intercept),
            threshold=np.float64(self.threshold),
        )
        path.with_suffix(".json").write_text(json.dumps(self.card, indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> LineModel:
        with np.load(path) as data:
            weights = data["weights"]
            if weights.shape != (DIMENSIONS,):
                raise ValueError(
                    f"{path}: model has {weights.shape[0]} weights, expected {DIMENSIONS}"
                )
            card_path = path.with_suffix(".json")
            card = json.loads(card_path.read_text()) if card_path.exists() else {}
            return cls(weights, float(data["intercept"]), float(data["threshold"]), card)


@lru_cache(maxsize=4)
def load_model(path: Path = DEFAULT_MODEL) -> LineModel | None:
    """The shipped model, loaded once per process; None when none is installed."""
    return LineModel.load(path) if path.exists() else None


class LearnedCleaner:
    name = "learned"

    def __init__(self, model: LineModel) -> None:
        self.model = model

    def judge(self, segments: list[Segment], page: PageContext) -> None:
        if len(segments) < MIN_PAGE_SEGMENTS:
            return
        scores = self.model.scores([s.text for s in segments])
        for seg, p in zip(segments, scores, strict=True):
            if seg.kind == "code" or not model_may_drop(seg.text):
                continue
            if seg.kept and p >= self.model.threshold:
                seg.drop(f"{self.name}.line_model", score=p)
            elif seg.score is None:
                seg.score = p
