"""The learned cleaner: a two-stage line model (`cleaner.features`), run with numpy only.

Stage 1 is a logistic model over hashed features of each line on its own: a weight per
feature, summed into log-odds of boilerplate. Stage 2 is a small ensemble of gradient-
boosted trees over a dense row per line (`cleaner.features.context_features`): the stage-1
scores of the line and its neighbours, where it sits relative to the page's main body,
page-relative ranks, and which rule of the full rule set would drop it. The trees are
stored as flat arrays and walked with numpy, so inference needs neither scikit-learn nor
anything compiled; the model loads in milliseconds (see `cleaner.training.train` for training).

The model replaces the rules in its card's `replaces_rules` (the chain turns them off when
the model runs) and still sees their verdicts as features, so it learns when to trust
them. A line it drops that one of those rules flags is reported under the rule's name
(with the model's score), since the rule says what kind of furniture it is; other drops
are `learned.line_model`. It sees every segment of the page, also those the rules dropped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.cleaners import PageContext
from cleaner.cleaners.common_lines import Entry, Lexicon
from cleaner.cleaners.heuristic import HeuristicCleaner
from cleaner.cleaners.shape import is_sentence
from cleaner.cleaners.title import TitleCleaner
from cleaner.config import DEFAULT_CONFIG
from cleaner.document import Kind, Segment
from cleaner.features import (
    CONTEXT_FEATURES,
    DIMENSIONS,
    LineShape,
    context_features,
    feature_set_fingerprint,
    line_features,
    outside_body,
)
from cleaner.tokens import words

MODEL_DIR = Path(__file__).resolve().parent.parent / "models"
DEFAULT_MODEL = MODEL_DIR / "lines.npz"

#: The model never drops a line that reads as prose at least this long: the mission is to
#: keep every real sentence, and the rules already catch sentence-shaped furniture
#: (cookie banners, newsletter pitches, CMS footers). By-site validation without this
#: guard left about 0.7 points less boilerplate in, for the same content lost: not worth
#: the risk of dropping real sentences on unseen sites.
PROTECTED_SENTENCE_WORDS = 10

#: Pages with fewer segments are unlike the corpus renderings the model learned from
#: (a median of about 160 lines), and its position and neighbour features mislead it
#: there: a three-line page lost its only sentence. The rules it replaces judge them.
MIN_PAGE_SEGMENTS = 8

#: Rows walked through the trees at once: bounds the (rows x trees) index arrays to a few
#: MB on pathological pages with tens of thousands of lines.
TREE_BATCH_ROWS = 2048


def model_may_drop(text: str) -> bool:
    """Whether the model is allowed to drop this line at all.

    >>> model_may_drop("Home"), model_may_drop("The council approved the budget on Monday after a long debate.")
    (True, False)
    """
    return not (is_sentence(text) and len(words(text)) >= PROTECTED_SENTENCE_WORDS)


@dataclass(frozen=True)
class TreeEnsemble:
    """Boosted regression trees as flat node arrays (all trees in one set of arrays).

    A node sends a row left when its feature is <= the threshold (or is NaN and
    `missing_left` is set); a leaf points to itself. Walking from every root until every
    path ends lands each row on one leaf per tree. The log-odds are `baseline` plus the sum of
    the leaves' values: what scikit-learn's HistGradientBoostingClassifier computes.
    """

    feature: np.ndarray  # int32, per node
    threshold: np.ndarray  # float64, per node
    missing_left: np.ndarray  # bool, per node
    left: np.ndarray  # int32, per node: absolute index of the left child (self for leaves)
    right: np.ndarray  # int32, per node
    value: np.ndarray  # float64, per node: leaf value (0 for inner nodes)
    roots: np.ndarray  # int32, per tree
    baseline: float

    def decision(self, X: np.ndarray) -> np.ndarray:
        """Log-odds for every row of `X` (rows x features)."""
        out = np.empty(len(X))
        for start in range(0, len(X), TREE_BATCH_ROWS):
            out[start : start + TREE_BATCH_ROWS] = self._decision(
                X[start : start + TREE_BATCH_ROWS]
            )
        return out

    def _decision(self, X: np.ndarray) -> np.ndarray:
        """Walk (row, tree) pairs down together, dropping each pair once it reaches a
        leaf: the work follows the paths' lengths, not the deepest tree's. Rows are read
        from the flattened `X` and a node's two children from one interleaved array: one
        gather per step instead of two-dimensional indexing and a `where` (about a third
        faster than the plain walk)."""
        n_trees = len(self.roots)
        flat = np.ascontiguousarray(X, dtype=np.float64).ravel()
        node = np.tile(self.roots.astype(np.intp), len(X))
        offset = np.repeat(np.arange(len(X), dtype=np.intp) * X.shape[1], n_trees)
        active = np.flatnonzero(~self._leaf[node])
        while active.size:
            at = node[active]
            x = flat[offset[active] + self._feature[at]]
            go_right = ~((x <= self.threshold[at]) | (self.missing_left[at] & np.isnan(x)))
            at = self._children[2 * at + go_right]
            node[active] = at
            active = active[~self._leaf[at]]
        return self.baseline + self.value[node].reshape(len(X), n_trees).sum(axis=1)

    @cached_property
    def _children(self) -> np.ndarray:
        """Left and right child of every node, interleaved: node i's are at 2i and 2i+1."""
        return np.stack([self.left, self.right], axis=1).astype(np.intp).ravel()

    @cached_property
    def _leaf(self) -> np.ndarray:
        return self.left == np.arange(len(self.left))

    @cached_property
    def _feature(self) -> np.ndarray:
        return self.feature.astype(np.intp)

    def arrays(self) -> dict[str, Any]:
        """The arrays to save, under the names `from_arrays` reads."""
        return {
            "tree_feature": self.feature,
            "tree_threshold": self.threshold,
            "tree_missing_left": self.missing_left,
            "tree_left": self.left,
            "tree_right": self.right,
            "tree_value": self.value,
            "tree_roots": self.roots,
            "tree_baseline": np.float64(self.baseline),
        }

    @classmethod
    def from_arrays(cls, data: Any) -> TreeEnsemble:
        return cls(
            feature=data["tree_feature"].astype(np.int32),
            threshold=data["tree_threshold"].astype(np.float64),
            missing_left=data["tree_missing_left"].astype(bool),
            left=data["tree_left"].astype(np.int32),
            right=data["tree_right"].astype(np.int32),
            value=data["tree_value"].astype(np.float64),
            roots=data["tree_roots"].astype(np.int32),
            baseline=float(data["tree_baseline"]),
        )


#: The model card's key for the fingerprint of the rule and feature set the model was
#: trained on (`cleaner.features.feature_set_fingerprint`).
FEATURE_SET_KEY = "feature_set"


@dataclass(frozen=True)
class LineModel:
    weights: np.ndarray  # float32, one per hashed line feature (stage 1)
    intercept: float
    trees: TreeEnsemble  # stage 2
    threshold: float  # drop a line when P(boilerplate) >= threshold
    card: dict[str, Any]  # how it was trained and validated
    lexicon: Lexicon = field(default_factory=Lexicon)  # learned with it, from the same corpus

    def __post_init__(self) -> None:
        """A model made in this process (by `cleaner train`) was made on this version's
        rule and feature set: its card says so, and `save` writes it down. The card is
        the caller's dict, updated in place, so a trainer that writes the card again
        later keeps the fingerprint."""
        self.card.setdefault(FEATURE_SET_KEY, feature_set_fingerprint())

    @property
    def drops_furniture(self) -> bool:
        """Whether lines its lexicon calls furniture are dropped whatever their score
        (validated with the model: `cleaner.training.train.LEXICON_RULE`)."""
        return bool(self.card.get("lexicon", {}).get("rule", False))

    @property
    def replaces_rules(self) -> frozenset[str]:
        """Heuristic rules this model was validated to do better than; the chain turns
        them off when the model runs (see `cleaner.training.train.REPLACED_RULES`)."""
        return frozenset(self.card.get("replaces_rules", ()))

    def line_scores(self, texts: list[str], shapes: list[LineShape] | None = None) -> np.ndarray:
        """Stage 1: log-odds of boilerplate for every line, each judged on its own."""
        return np.array(
            [
                self.intercept + float(self.weights[ids].sum())
                for ids in line_features(texts, shapes, self.lexicon)
            ]
        )

    def scores(
        self,
        texts: list[str],
        reasons: list[str | None] | None = None,
        kinds: list[Kind] | None = None,
        shapes: list[LineShape] | None = None,
        entries: list[Entry | None] | None = None,
        starts: list[bool] | None = None,
    ) -> list[float]:
        """P(boilerplate) for every line of one page.

        `reasons` are the full rule set's verdicts and `kinds` the segment kinds; without
        them the lines are taken as plain paragraphs of a page without a known title.
        `shapes` are the lines' `LineShape`s and `entries` their lexicon entries, if
        already computed; `starts` says which lines follow a blank line.
        """
        if kinds is None:
            kinds = ["p"] * len(texts)
        if reasons is None:
            segments = [
                Segment(text=t, index=i, kind=k)
                for i, (t, k) in enumerate(zip(texts, kinds, strict=True))
            ]
            reasons = rule_verdicts(segments, PageContext("<scores>", "text", DEFAULT_CONFIG))
        if entries is None:
            entries = [self.lexicon.lookup(t) for t in texts]
        stage1 = self.line_scores(texts, shapes)
        rows = context_features(texts, stage1, reasons, kinds, entries, starts)
        z = np.clip(self.trees.decision(rows), -30.0, 30.0)
        return (1.0 / (1.0 + np.exp(-z))).tolist()

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float32),
            intercept=np.float64(self.intercept),
            threshold=np.float64(self.threshold),
            **self.trees.arrays(),
        )
        path.with_suffix(".json").write_text(json.dumps(self.card, indent=2) + "\n")
        self.lexicon.save(lexicon_path(path))

    @classmethod
    def load(cls, path: Path) -> LineModel:
        with np.load(path) as data:
            weights = data["weights"]
            if weights.shape != (DIMENSIONS,):
                raise ValueError(
                    f"{path}: model has {weights.shape[0]} weights, expected {DIMENSIONS}"
                )
            if "tree_feature" not in data:
                raise ValueError(f"{path}: no stage-2 trees (a model from an older version?)")
            trees = TreeEnsemble.from_arrays(data)
            if len(trees.feature) and int(trees.feature.max()) >= len(CONTEXT_FEATURES):
                raise ValueError(
                    f"{path}: trees use more context features than the {len(CONTEXT_FEATURES)} "
                    "this version computes"
                )
            card_path = path.with_suffix(".json")
            card = json.loads(card_path.read_text()) if card_path.exists() else {}
            check_feature_set(path, card)
            intercept, threshold = float(data["intercept"]), float(data["threshold"])
        lexicon = Lexicon.load(lexicon_path(path)) if lexicon_path(path).exists() else Lexicon()
        return cls(weights, intercept, trees, threshold, card, lexicon)


def lexicon_path(model_path: Path) -> Path:
    """Where the cross-site lexicon learned with a model is kept: beside it."""
    return model_path.with_suffix(".lexicon.tsv")


def check_feature_set(path: Path, card: dict[str, Any]) -> None:
    """Refuse a model whose card names another rule and feature set than this version
    computes: its weights and trees would be read against inputs they never saw (a rule
    added, renamed or reordered, a context column changed), and score nonsense silently.
    """
    current = feature_set_fingerprint()
    recorded = card.get(FEATURE_SET_KEY)
    if recorded == current:
        return
    found = f"rule and feature set {recorded}" if recorded else "no rule and feature set"
    raise ValueError(
        f"{path}: the model card records {found}, but this version computes rule and "
        f"feature set {current}; retrain the model with `cleaner train` (or use the "
        "version it was trained with)"
    )


@lru_cache(maxsize=4)
def load_model(path: Path = DEFAULT_MODEL) -> LineModel | None:
    """The shipped model, loaded once per process; None when none is installed."""
    return LineModel.load(path) if path.exists() else None


def rule_verdicts(
    segments: list[Segment],
    page: PageContext,
    disabled: frozenset[str] = frozenset(),
    fired: list[list[str]] | None = None,
) -> list[str | None]:
    """What the title and heuristic cleaners, with only `disabled` rules off, say about
    each segment (the first reason, or None), judged on copies: the segments are left
    alone. The model was trained on these verdicts with every rule on.

    `fired`, if given, lists for each segment the line rules that fire on it, in `RULES`
    order (`LineShape.rules`, which the model's line features compute anyway); the
    heuristic cleaner then reaches its line rules' verdicts from these instead of running
    the rules again (see `HeuristicCleaner.judge`).
    """
    copies = [
        Segment(text=s.text, index=s.index, kind=s.kind, starts_block=s.starts_block)
        for s in segments
    ]
    context = replace(page, config=replace(page.config, disabled_rules=disabled))
    TitleCleaner().judge(copies, context)
    HeuristicCleaner().judge(copies, context, fired)
    return [s.dropped_by for s in copies]


class LearnedCleaner:
    name = "learned"

    def __init__(self, model: LineModel) -> None:
        self.model = model

    def judge(self, segments: list[Segment], page: PageContext) -> None:
        if len(segments) < MIN_PAGE_SEGMENTS:
            self._judge_by_replaced_rules(segments, page)
            return
        texts = [s.text for s in segments]
        shapes = [LineShape(s.text, s.original) for s in segments]
        reasons = rule_verdicts(segments, page, fired=[s.rules for s in shapes])
        entries = [self.model.lexicon.lookup(t) for t in texts]
        kinds = [s.kind for s in segments]
        starts = [s.starts_block for s in segments]
        scores = self.model.scores(texts, reasons, kinds, shapes, entries, starts)
        replaced = {f"{HeuristicCleaner.name}.{rule}" for rule in self.model.replaces_rules}
        threshold = page.config.line_threshold
        if threshold is None:
            threshold = self.model.threshold
        # the lexicon rule judges the zones around the body only (`outside_body`)
        furniture = [
            self.model.drops_furniture and entry is not None and entry.is_furniture and outside
            for entry, outside in zip(entries, outside_body(texts), strict=True)
        ]
        for seg, reason, p, lexicon_furniture in zip(
            segments, reasons, scores, furniture, strict=True
        ):
            if seg.kind == "code" or not model_may_drop(seg.text):
                continue
            if seg.kept and p >= threshold:
                seg.drop(reason if reason in replaced else f"{self.name}.line_model", score=p)
            elif seg.kept and lexicon_furniture:
                seg.drop(f"{self.name}.lexicon", score=p)
            elif seg.score is None:
                seg.score = p

    def _judge_by_replaced_rules(self, segments: list[Segment], page: PageContext) -> None:
        """On pages too short for the model, the rules it replaces judge as they would
        without it; other rules turned off in the config stay off, and so do all rules
        when the config turns the heuristic cleaner off."""
        if not page.config.heuristic:
            return
        replaced = self.model.replaces_rules
        disabled = page.config.disabled_rules - replaced
        for seg, reason in zip(segments, rule_verdicts(segments, page, disabled), strict=True):
            if reason is not None and seg.kept and seg.kind != "code":
                seg.drop(reason)
