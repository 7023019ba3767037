"""Train the two-stage line model from any folder in the corpus layout, validated by site.

Labels come from aligning each line of a page's plaintext renderings with the page's gold
(`cleaner.training.corpus`). Each page is rendered as several scraping tools save it
(`cleaner.training.renderings`); the model trains on two renderings of each page
(`TRAINING_PAIRS`) and is validated on all of them. Every page is evaluated; pages of the
types in `SKIPPED_PAGE_TYPES` are left out of *training* only (their gold counts
navigation menus as content). Validation is grouped by site (all renderings of a page in
one fold) and nested:

* outer loop: `FOLDS` folds, no site in two folds; every figure printed is for pages of
  sites the model never saw;
* the cross-site lexicon (`cleaner.cleaners.common_lines`) is counted on the outer
  training set only, and every line sees it without its own site's vote, as a page of
  an unseen site sees the shipped lexicon;
* inside each outer training set, the other folds give out-of-fold stage-1 scores to
  train stage 2 on (stage 2 must learn from scores like those it will see on new pages),
  and out-of-fold stage-2 scores to choose the decision threshold on: the test fold
  never influences its own threshold.

The threshold is the lowest (most boilerplate removed) at which the chain (the rules
minus `REPLACED_RULES`, plus the model and the lexicon rule) loses at most
`MAX_CONTENT_LOST` of the content lines of the page types it learns from. The shipped
model and lexicon are then made from every page, with the threshold chosen in the same
way on the outer loop's out-of-fold scores.

Needs the `train` extra (scikit-learn); inference needs only numpy.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from cleaner.cleaners import PageContext
from cleaner.cleaners.common_lines import MIN_SITES, Entry, SiteCounts, lexicon_key
from cleaner.cleaners.learned import (
    DEFAULT_MODEL,
    MIN_PAGE_SEGMENTS,
    LineModel,
    TreeEnsemble,
    model_may_drop,
    rule_verdicts,
)
from cleaner.cleaners.title import MOVED_TO_TITLE
from cleaner.config import Config
from cleaner.document import Segment
from cleaner.features import (
    CONTEXT_FEATURES,
    DIMENSIONS,
    body_zones,
    context_features,
    entry_feature_names,
    feature_id,
    line_feature_names,
    outside_body,
)
from cleaner.metadata import site_of
from cleaner.training.renderings import RENDERINGS
from cleaner.version import VERSION

if TYPE_CHECKING:
    from cleaner.training.corpus import CorpusPage

Log = Callable[..., Any]

#: Rules the model replaces (the chain turns them off when it runs; the model still sees
#: their verdicts as features). By-site validation on ../shared/corpus (770 pages): these
#: four lose the most content (link_run alone 964 of the rules' 1,331 lost content lines;
#: precision 84-97%). With them replaced, 23.8% of boilerplate was left at the rules'
#: content loss, against 31.1% with only link_run replaced (out-of-fold scores, thresholds
#: scanned). Replacing also section_label, trailing_label, lone_punctuation,
#: related_header and photo_caption gained nothing (23.9%) and kept "|" separators and
#: long photo captions (which the sentence guard protects) in the seed samples. Letting a
#: replaced rule drop a line at a lower model score than other lines gained nothing
#: either: the best such threshold was the model's own.
REPLACED_RULES = frozenset({"link_run", "related_block", "other_story", "timestamp"})

#: wcxb page types whose gold counts whole navigation menus as content (DESIGN.md): training
#: on them teaches the model that menus are content. They stay in the evaluation. Training
#: on them (even at weight 0.3) left 29.8% of boilerplate instead of 24.0% at the same loss.
SKIPPED_PAGE_TYPES = frozenset({"collection", "listing"})

#: A long page's lines count as this many lines in total, so that a few huge pages do not
#: outweigh the many ordinary ones (uniform line weights measured no better).
LINES_PER_PAGE_WEIGHT = 300

#: Stage-1 inverse regularisation strength, by by-site validation of stage 1 + stage 2:
#: 0.01 / 0.03 / 0.1 / 0.3 left 26.2 / 24.0 / 26.4 / 26.7% of boilerplate at the rules'
#: content loss. Strong regularisation keeps rare words from deciding alone.
DEFAULT_C = 0.03

#: Stage 1 gives a hashed line feature a weight only if it occurs on lines of at least this
#: many distinct sites among the rows it is fitted on (others get weight 0): a word seen on
#: one or two sites only is that site's, and the model must not memorise it. 5 left no
#: site's names among the strongest features at no cost in by-site validation; the runs
#: that chose it are in docs/decisions.md ("Site floor").
SITE_FLOOR = 5

#: Stage-2 boosting: sklearn's defaults for leaves and l2, a slower learning rate with
#: more rounds, bigger leaves. Measured against 15 leaves / 300-line leaves (30.4%),
#: 150 rounds (28.4%) and half the features per split (28.7%): this setting, 27.3%.
#: Later, on one held-out fold: 600 rounds, 63 leaves, leaves of 300 or 1,000 lines, l2 of
#: 20 and content lines weighted 2 or 4 times all left as much or more (docs/decisions.md).
#: The seed fixes the sample the feature bins are cut from (200,000 rows): without it two
#: runs on the same corpus differed by a point of boilerplate left.
TREE_PARAMS: dict[str, Any] = {
    "max_iter": 300,
    "learning_rate": 0.05,
    "max_leaf_nodes": 31,
    "min_samples_leaf": 40,
    "l2_regularization": 1.0,
    "early_stopping": False,
    "random_state": 0,
}

#: Whether the chain drops lines the cross-site lexicon calls furniture
#: (`cleaner.cleaners.common_lines.Entry.is_furniture`) before or after the page's body
#: (`cleaner.features.outside_body`), whatever the model's score.
LEXICON_RULE = True

#: The machine is shared: training uses one core.
TRAINING_THREADS = 1

FOLDS = 5

#: Thresholds tried, finer near 1 where the chosen ones fall.
THRESHOLD_GRID = np.concatenate([np.arange(0.5, 0.95, 0.01), np.arange(0.95, 0.9995, 0.001)])

#: Thresholds at which the trainer prints the trade-off between boilerplate left and content
#: lost on held-out scores: 0 lets the model drop every line its guards allow, infinity
#: drops none (the chain's rules alone, without the rules the model replaces).
TRADEOFF_THRESHOLDS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.97, 0.99, float("inf"))

#: Lines of held-out examples the trainer prints of what the model drops that no rule does.
EXAMPLES = 12


#: The plaintext renderings of each corpus page the model is validated on
#: (`cleaner.training.renderings`): scraped text reaches users from many tools, and a
#: model that saw one tool's output learns that tool's habits.
TRAINING_RENDERINGS: tuple[str, ...] = RENDERINGS

#: The model trains on two renderings of each page, one from each pair, chosen by the
#: page's id: every rendering is learned from on about half the pages, for twice (not four
#: times) the training time of one rendering. Validation scores every rendering.
TRAINING_PAIRS: tuple[tuple[str, ...], ...] = (("blocks", "inner_text"), ("markdown", "flattened"))


def trained_renderings(page_id: str) -> frozenset[str]:
    """The renderings of a page the model trains on (`TRAINING_PAIRS`).

    >>> sorted(trained_renderings("a1")) == sorted(trained_renderings("a1"))
    True
    """
    pick = zlib.crc32(page_id.encode("utf-8"))
    return frozenset(pair[pick % len(pair)] for pair in TRAINING_PAIRS)


@dataclass
class LabelledPage:
    dataset: str
    page_id: str
    rendering: str
    site: str
    page_type: str | None
    url: str | None
    texts: list[str]  # the page's segments (lines of its naive plaintext rendering)
    originals: list[str | None]  # each line as written, when `texts` holds its judging view
    kinds: list[str]
    starts: list[bool]  # each line follows a blank line (opens a block)
    labels: list[bool | None]  # True = content, False = boilerplate, None = unknown
    reasons: list[str | None]  # what every rule says (features)
    rules_kept: list[bool]  # kept by the rules minus REPLACED_RULES (the chain's rules)
    all_rules_kept: list[bool]  # kept by every rule (the baseline)

    @property
    def trainable(self) -> bool:
        """On a page type the model learns from, in a rendering it learns from."""
        return self.page_type not in SKIPPED_PAGE_TYPES and self.rendering in trained_renderings(
            self.page_id
        )


def labelled_pages(
    corpus: Path, renderings: tuple[str, ...] = TRAINING_RENDERINGS
) -> list[LabelledPage]:
    """Render (each of `renderings`), segment and label every page of a corpus folder,
    with the rules' verdicts."""
    from cleaner.training.corpus import decode_html, iter_corpus

    pages = []
    for page in iter_corpus(corpus):
        data = decode_html(page.html_path.read_bytes())  # once for every rendering
        for rendering in renderings:
            labelled = _labelled_rendering(page, data, rendering)
            if labelled is not None:
                pages.append(labelled)
    return pages


def _labelled_rendering(page: CorpusPage, data: str, rendering: str) -> LabelledPage | None:
    """One rendering of one corpus page, segmented, judged by the rules and labelled
    against the page's gold; None when it has no line or no labelled line."""
    from cleaner.training.corpus import label_lines, label_lines_by_snippets
    from cleaner.training.renderings import render

    judged = _judged_segments("\n".join(render(data, rendering, seed=page.id)), page.url)
    if judged is None:
        return None
    segments, all_rules_kept, rules_kept = judged
    texts = [s.text for s in segments]
    labels: list[bool | None]
    if page.text:
        labels = list(label_lines(texts, page.text))
    else:
        labels = label_lines_by_snippets(texts, page.with_snippets, page.without_snippets)
    if not any(label is not None for label in labels):
        return None
    return LabelledPage(
        dataset=page.dataset,
        page_id=page.id,
        rendering=rendering,
        site=site_of(page.url) or f"{page.dataset}/{page.id}",
        page_type=page.page_type,
        url=page.url,
        texts=texts,
        originals=[s.original for s in segments],
        kinds=[s.kind for s in segments],
        starts=[s.starts_block for s in segments],
        labels=labels,
        reasons=[s.dropped_by for s in segments],
        rules_kept=rules_kept,
        all_rules_kept=all_rules_kept,
    )


def _judged_segments(
    text: str, url: str | None = None
) -> tuple[list[Segment], list[bool], list[bool]] | None:
    """The page's segments as the pipeline makes them, judged by every rule (their
    `dropped_by` are the verdicts the learned cleaner computes at inference), with what
    all the rules keep and what the rules minus `REPLACED_RULES` keep; None if empty.
    The URL is passed on as `bench.run` passes it: the title finder reads its slug."""
    from cleaner.errors import ExtractionError
    from cleaner.extract.text import extract_text
    from cleaner.pipeline import clean_text

    if not text.strip():  # a page whose body is all script (rendered by JavaScript)
        return None
    base = Config(learned=False, detect_language=False)
    try:
        segments = clean_text(text, url, config=base).segments
        all_rules_kept = [s.kept for s in segments]
    except ExtractionError:  # every line was furniture, or there was none
        segments = extract_text(text).segments
        for segment, reason in zip(segments, _full_rule_reasons(segments, url), strict=True):
            segment.dropped_by = reason
        all_rules_kept = [False] * len(segments)
    if not segments:
        return None
    try:
        chain = clean_text(text, url, config=replace(base, disabled_rules=REPLACED_RULES)).segments
        rules_kept = [s.kept for s in chain]
    except ExtractionError:
        rules_kept = [False] * len(segments)
    if len(rules_kept) != len(segments):  # never seen: both runs segment the same text
        raise ValueError("the two rule runs segmented the page differently")
    return segments, all_rules_kept, rules_kept


def _full_rule_reasons(segments: list[Segment], url: str | None = None) -> list[str | None]:
    """The verdicts the learned cleaner computes at inference, with the page's title found
    as the pipeline finds it (`cleaner.pipeline._judge_and_assemble`): for pages where the
    pipeline raises because every line is furniture."""
    from cleaner.title_finder import find_title

    title = find_title(segments, None, url)
    body_title = title if title and title.source != "lead" else None
    page = PageContext(
        source="<corpus>",
        format="text",
        config=Config(detect_language=False),
        title=body_title.text if body_title else None,
        title_index=body_title.index if body_title else None,
    )
    return rule_verdicts(segments, page)


# -- the corpus as flat arrays -------------------------------------------------------------


@dataclass
class Lines:
    """Every line of every page as flat arrays (pages are contiguous, in order)."""

    X: Any  # scipy CSR, stage-1 features
    y: np.ndarray  # 1 boilerplate, 0 content, -1 unknown
    weight: np.ndarray
    fold: np.ndarray
    trainable: np.ndarray  # labelled, and on a page type used for training
    model_judges: np.ndarray  # the learned cleaner may drop the line (its guards)
    rules_kept: np.ndarray
    all_rules_kept: np.ndarray
    as_title: np.ndarray  # moved to the document's title (MOVED_TO_TITLE): delivered, not lost
    short_page: np.ndarray  # the page is below MIN_PAGE_SEGMENTS: the rules judge
    dataset: np.ndarray
    page_type: np.ndarray
    site: np.ndarray  # per line: the index of its page's site
    rendering: np.ndarray  # per line: the rendering its page was made with
    keys: list[str | None]  # per line: its lexicon key (`lexicon_key`)
    outside_body: np.ndarray  # per line: before or after its page's body (`outside_body`)
    bounds: list[tuple[int, int]]  # line range of each page
    names: dict[int, str]  # a feature string behind each stage-1 feature id (for reports)

    @property
    def labelled(self) -> np.ndarray:
        return self.y >= 0


def build_lines(pages: list[LabelledPage]) -> Lines:
    from scipy.sparse import csr_matrix

    indices: list[int] = []
    indptr = [0]
    names: dict[int, str] = {}
    bounds = []
    for page in pages:
        start = len(indptr) - 1
        for text, original in zip(page.texts, page.originals, strict=True):
            ids = set()
            for name in line_feature_names(text, original):
                ids.add(i := feature_id(name))
                names.setdefault(i, name)
            indices.extend(sorted(ids))
            indptr.append(len(indices))
        bounds.append((start, len(indptr) - 1))
    X = csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.array(indices), np.array(indptr)),
        shape=(len(indptr) - 1, DIMENSIONS),
    )

    def per_line(value: Callable[[LabelledPage, int], Any]) -> np.ndarray:
        return np.array([value(p, i) for p in pages for i in range(len(p.texts))])

    y = per_line(lambda p, i: -1 if p.labels[i] is None else int(not p.labels[i]))
    labelled_on_page = {id(p): sum(x is not None for x in p.labels) for p in pages}
    # a page on which the pipeline raises (every line furniture) delivers no title either
    cleaned = {id(p): any(p.all_rules_kept) for p in pages}
    return Lines(
        X=X,
        y=y,
        weight=per_line(lambda p, i: min(1.0, LINES_PER_PAGE_WEIGHT / labelled_on_page[id(p)])),
        fold=_site_folds(pages, y),
        trainable=per_line(lambda p, i: p.trainable) & (y >= 0),
        model_judges=per_line(lambda p, i: p.kinds[i] != "code" and model_may_drop(p.texts[i])),
        rules_kept=per_line(lambda p, i: p.rules_kept[i]),
        all_rules_kept=per_line(lambda p, i: p.all_rules_kept[i]),
        as_title=per_line(lambda p, i: cleaned[id(p)] and p.reasons[i] in MOVED_TO_TITLE),
        short_page=per_line(lambda p, i: len(p.texts) < MIN_PAGE_SEGMENTS),
        dataset=per_line(lambda p, i: p.dataset),
        page_type=per_line(lambda p, i: p.page_type or ""),
        site=np.unique(per_line(lambda p, i: p.site), return_inverse=True)[1].ravel(),
        rendering=per_line(lambda p, i: p.rendering),
        keys=[lexicon_key(t) for p in pages for t in p.texts],
        outside_body=np.concatenate([outside_body(p.texts) for p in pages]),
        bounds=bounds,
        names=names,
    )


def _site_folds(pages: list[LabelledPage], y: np.ndarray) -> np.ndarray:
    """Fold of every line: GroupKFold over the labelled lines, grouped by site."""
    from sklearn.model_selection import GroupKFold

    sites = np.array([p.site for p in pages for _ in p.texts])
    labelled = np.flatnonzero(y >= 0)
    fold_of_site: dict[str, int] = {}
    splits = GroupKFold(n_splits=FOLDS).split(labelled, y[labelled], sites[labelled])
    for k, (_, test) in enumerate(splits):
        fold_of_site.update((s, k) for s in set(sites[labelled[test]]))
    return np.array([fold_of_site.get(s, 0) for s in sites])


# -- the two stages --------------------------------------------------------------------------


def fit_stage1(
    lines: Lines, X: Any, rows: np.ndarray, c: float, min_sites: int = SITE_FLOOR
) -> tuple[np.ndarray, float]:
    """Stage-1 weights and intercept over the feature rows `X`, fitted on `rows` (a mask)
    with only the features that occur on at least `min_sites` sites among them (the
    others' weights are 0). On a small corpus the floor is at most half its sites, so
    that features common to most of them still count."""
    from sklearn.linear_model import LogisticRegression

    used = np.flatnonzero(sites_per_feature(lines, X, rows) >= site_floor(lines, rows, min_sites))
    model = LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=0)
    model.fit(X[rows][:, used], lines.y[rows], sample_weight=lines.weight[rows])
    weights = np.zeros(DIMENSIONS, dtype=np.float32)
    weights[used] = model.coef_[0]
    return weights, float(model.intercept_[0])


def site_floor(lines: Lines, rows: np.ndarray, min_sites: int = SITE_FLOOR) -> int:
    """The number of sites a feature must occur on among `rows` to get a weight:
    `min_sites`, but at most half the sites of a small corpus."""
    return min(min_sites, max(1, len(np.unique(lines.site[rows])) // 2))


def sites_per_feature(lines: Lines, X: Any, rows: np.ndarray) -> np.ndarray:
    """For every feature id, the number of distinct sites on whose lines among `rows` (a
    mask) it occurs."""
    from scipy.sparse import csr_matrix

    picked = np.flatnonzero(rows)
    site = lines.site[picked]
    by_site = csr_matrix(
        (np.ones(len(picked), dtype=np.float32), (site, np.arange(len(picked)))),
        shape=(int(lines.site.max()) + 1, len(picked)),
    )
    lines_per_site = by_site @ X[picked]  # sites x features: lines with the feature
    return np.asarray((lines_per_site > 0).sum(axis=0)).ravel()


def stage1_scores(
    lines: Lines, X: Any, fit_rows: np.ndarray, score_rows: np.ndarray, c: float
) -> Any:
    """Stage-1 log-odds for `score_rows` from a model fitted on `fit_rows`."""
    weights, intercept = fit_stage1(lines, X, fit_rows, c)
    return X[score_rows] @ weights + intercept


@dataclass
class LexiconView:
    """The cross-site lexicon counted on some training rows, and what it says about every
    line without the vote of the line's own site (`SiteCounts.entry`): the view a page of
    an unseen site gets from the shipped lexicon."""

    counts: SiteCounts
    entries: list[Entry | None]  # per line
    X: Any  # stage-1 feature rows: the line's own features and its lexicon features

    outside: np.ndarray  # per line: outside its page's body, where the lexicon rule judges

    @property
    def furniture(self) -> np.ndarray:
        """The lines the lexicon rule drops: furniture, outside the page's body."""
        return np.array([e is not None and e.is_furniture for e in self.entries]) & self.outside


def lexicon_view(lines: Lines, rows: np.ndarray) -> LexiconView:
    """The lexicon counted on the labelled training lines among `rows`, and every line's
    view of it."""
    from scipy.sparse import csr_matrix

    counts = SiteCounts()
    for i in np.flatnonzero(rows & lines.trainable):
        counts.add(lines.keys[i], bool(lines.y[i] == 1), str(lines.site[i]))
    entries = [
        counts.entry(k, str(s)) for k, s in zip(lines.keys, lines.site.tolist(), strict=True)
    ]
    indices, indptr = [], [0]
    for key, entry in zip(lines.keys, entries, strict=True):
        for name in entry_feature_names(key is not None, entry):
            indices.append(fid := feature_id(name))
            lines.names.setdefault(fid, name)
        indptr.append(len(indices))
    X_lex = csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.array(indices, dtype=np.int64), indptr),
        shape=lines.X.shape,
    )
    return LexiconView(counts, entries, (lines.X + X_lex).tocsr(), lines.outside_body)


def context_rows(
    pages: list[LabelledPage], lines: Lines, z: np.ndarray, entries: list[Entry | None]
) -> np.ndarray:
    """Stage-2 rows of every line, from the stage-1 scores `z` and the lexicon `entries`
    (one page at a time)."""
    return np.concatenate(
        [
            context_features(p.texts, z[a:b], p.reasons, p.kinds, entries[a:b], p.starts)
            for p, (a, b) in zip(pages, lines.bounds, strict=True)
        ]
    )


def fit_stage2(F: np.ndarray, lines: Lines, rows: np.ndarray) -> Any:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    model = HistGradientBoostingClassifier(**TREE_PARAMS)
    with threadpool_limits(limits=TRAINING_THREADS):
        model.fit(F[rows], lines.y[rows], sample_weight=lines.weight[rows])
    return model


def stage2_probability(model: Any, F: np.ndarray) -> np.ndarray:
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=TRAINING_THREADS):
        return np.asarray(model.predict_proba(F)[:, 1])


def export_trees(model: Any) -> TreeEnsemble:
    """A fitted HistGradientBoostingClassifier as the flat arrays `TreeEnsemble` walks."""
    features, thresholds, missing, lefts, rights, values, roots = [], [], [], [], [], [], []
    offset = 0
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        if nodes["is_categorical"].any():
            raise ValueError("categorical splits are not supported by the numpy evaluator")
        leaf = nodes["is_leaf"].astype(bool)
        own = np.arange(len(nodes)) + offset
        features.append(np.where(leaf, 0, nodes["feature_idx"]))
        thresholds.append(np.where(leaf, 0.0, nodes["num_threshold"]))
        missing.append(nodes["missing_go_to_left"].astype(bool))
        lefts.append(np.where(leaf, own, nodes["left"].astype(np.int64) + offset))
        rights.append(np.where(leaf, own, nodes["right"].astype(np.int64) + offset))
        values.append(np.where(leaf, nodes["value"], 0.0))
        roots.append(offset)
        offset += len(nodes)
    return TreeEnsemble(
        feature=np.concatenate(features).astype(np.int32),
        threshold=np.concatenate(thresholds).astype(np.float64),
        missing_left=np.concatenate(missing),
        left=np.concatenate(lefts).astype(np.int32),
        right=np.concatenate(rights).astype(np.int32),
        value=np.concatenate(values).astype(np.float64),
        roots=np.array(roots, dtype=np.int32),
        baseline=float(np.ravel(model._baseline_prediction)[0]),
    )


# -- the chain and its figures ---------------------------------------------------------------


def chain_kept(
    lines: Lines,
    p: np.ndarray,
    threshold: float | np.ndarray,
    furniture: np.ndarray | None = None,
) -> np.ndarray:
    """Lines the chain keeps: the rules minus the replaced ones, then the model (with its
    guards) and, given `furniture` (the lexicon's verdicts), the lexicon rule; on pages
    too short for the model, all the rules."""
    dropped_by_model = lines.model_judges & (p >= threshold)
    if furniture is not None and LEXICON_RULE:
        dropped_by_model |= lines.model_judges & furniture
    kept = lines.rules_kept & ~dropped_by_model
    return np.where(lines.short_page, lines.all_rules_kept, kept)


def figures(lines: Lines, kept: np.ndarray, mask: np.ndarray | None = None) -> dict[str, Any]:
    """Boilerplate lines left and content lines lost, as shares of the labelled lines. A
    content line moved to the document's title is delivered, so it is not lost."""
    rows = lines.labelled if mask is None else lines.labelled & mask
    boiler, content = rows & (lines.y == 1), rows & (lines.y == 0)
    delivered = kept | lines.as_title
    return {
        "boilerplate_lines": int(boiler.sum()),
        "content_lines": int(content.sum()),
        "boilerplate_left": float(kept[boiler].mean()) if boiler.any() else 0.0,
        "content_lost": float((~delivered[content]).mean()) if content.any() else 0.0,
    }


#: The share of content lines the chain may lose on the page types the model learns
#: from, when its threshold is chosen: below issue 14's 3%, with room for sites unlike
#: the corpus.
MAX_CONTENT_LOST = 0.025


def pick_threshold(
    lines: Lines, p: np.ndarray, mask: np.ndarray, furniture: np.ndarray | None = None
) -> float:
    """The lowest threshold at which the chain loses at most `MAX_CONTENT_LOST` of the
    content lines among `mask` on the page types it learns from (1.0 when even the rules
    the model leaves on lose more)."""
    mask = mask & ~np.isin(lines.page_type, sorted(SKIPPED_PAGE_TYPES))
    budget = MAX_CONTENT_LOST
    for threshold in THRESHOLD_GRID:
        kept = chain_kept(lines, p, float(threshold), furniture)
        if figures(lines, kept, mask)["content_lost"] <= budget:
            return round(float(threshold), 4)
    return 1.0


@dataclass
class Validation:
    probability: np.ndarray  # P(boilerplate) of every line, from models that never saw its site
    threshold: np.ndarray  # per line: its fold's threshold, chosen without the fold
    fold_thresholds: list[float]
    stage1: np.ndarray  # out-of-fold stage-1 log-odds of every line
    furniture: np.ndarray  # per line: lexicon furniture by its fold's lexicon


def nested_validation(pages: list[LabelledPage], lines: Lines, c: float, log: Log) -> Validation:
    """Out-of-fold scores and thresholds for every line (see the module docstring)."""
    n = len(lines.y)
    probability, threshold, stage1 = np.zeros(n), np.ones(n), np.zeros(n)
    furniture = np.zeros(n, dtype=bool)
    fold_thresholds = []
    for k in range(FOLDS):
        started = time.perf_counter()
        test = lines.fold == k
        view = lexicon_view(lines, ~test)  # the fold's sites have no vote in it
        z = np.zeros(n)
        for j in _other_folds(k):
            fit = lines.trainable & (lines.fold != k) & (lines.fold != j)
            z[lines.fold == j] = stage1_scores(lines, view.X, fit, lines.fold == j, c)
        z[test] = stage1_scores(lines, view.X, lines.trainable & ~test, test, c)
        stage1[test] = z[test]
        furniture[test] = view.furniture[test]
        F = context_rows(pages, lines, z, view.entries)
        inner = np.zeros(n)
        for j in _other_folds(k):
            fit = lines.trainable & (lines.fold != k) & (lines.fold != j)
            inner[lines.fold == j] = stage2_probability(
                fit_stage2(F, lines, fit), F[lines.fold == j]
            )
        fold_thresholds.append(pick_threshold(lines, inner, ~test, view.furniture))
        model = fit_stage2(F, lines, lines.trainable & ~test)
        probability[test] = stage2_probability(model, F[test])
        threshold[test] = fold_thresholds[-1]
        log(
            f"  fold {k + 1}/{FOLDS}: threshold {fold_thresholds[-1]} "
            f"({time.perf_counter() - started:.0f} s)"
        )
    return Validation(probability, threshold, fold_thresholds, stage1, furniture)


def _other_folds(k: int) -> Iterator[int]:
    return (j for j in range(FOLDS) if j != k)


# -- reports ---------------------------------------------------------------------------------


def validation_table(lines: Lines, kept: np.ndarray) -> dict[str, dict[str, Any]]:
    """Rules alone vs rules + model, per dataset, per wcxb-style page type, per rendering,
    for the page types the targets cover, and overall."""
    groups = _dataset_masks(lines)
    for page_type in sorted(set(lines.page_type.tolist()) - {""}):
        groups[f"  type={page_type}"] = lines.page_type == page_type
    for rendering in sorted(set(lines.rendering.tolist())):
        groups[f"rendering={rendering}"] = lines.rendering == rendering
    groups["not collection/listing"] = ~np.isin(lines.page_type, sorted(SKIPPED_PAGE_TYPES))
    groups["overall"] = np.ones(len(lines.y), dtype=bool)
    return {
        name: {
            "rules_alone": figures(lines, lines.all_rules_kept, mask),
            "rules_and_model": figures(lines, kept, mask),
        }
        for name, mask in groups.items()
    }


def _dataset_masks(lines: Lines) -> dict[str, np.ndarray]:
    """Which lines belong to each dataset, by dataset name."""
    return {name: lines.dataset == name for name in sorted(set(lines.dataset.tolist()))}


def format_table(table: dict[str, dict[str, Any]]) -> list[str]:
    out = [
        f"{'':22s} {'boiler':>7s} {'content':>7s}   rules alone: left / lost   "
        "rules + model: left / lost"
    ]
    for name, row in table.items():
        rules, chain = row["rules_alone"], row["rules_and_model"]
        out.append(
            f"{name:22s} {rules['boilerplate_lines']:7d} {rules['content_lines']:7d}"
            f"   {rules['boilerplate_left']:11.1%} / {rules['content_lost']:5.1%}"
            f"   {chain['boilerplate_left']:13.1%} / {chain['content_lost']:5.1%}"
        )
    return out


def tradeoff_table(
    lines: Lines, probability: np.ndarray, furniture: np.ndarray | None = None
) -> list[str]:
    """Boilerplate left / content lost at one threshold for every held-out line, per
    dataset and overall: what a different threshold would buy, and the floor that the
    guards and the remaining rules set whatever the threshold."""
    groups = _dataset_masks(lines)
    groups["overall"] = np.ones(len(lines.y), dtype=bool)
    out = ["trade-off on held-out scores, one threshold for all folds (left / lost):"]
    out.append(f"{'threshold':>11s}" + "".join(f"   {name[:15]:>15s}" for name in groups))
    for threshold in TRADEOFF_THRESHOLDS:
        kept = chain_kept(lines, probability, threshold, furniture)
        cells = [figures(lines, kept, mask) for mask in groups.values()]
        out.append(
            f"{threshold:11.2f}"
            + "".join(f"   {c['boilerplate_left']:6.1%} / {c['content_lost']:5.1%}" for c in cells)
        )
    return out


def learned_report(
    pages: list[LabelledPage],
    lines: Lines,
    kept: np.ndarray,
    weights: np.ndarray,
    tree_model: Any,
) -> list[str]:
    """What the model learned that the rules did not: its strongest line features, the
    context features its trees split on most, and held-out lines it drops that no rule
    drops."""
    seen = np.zeros(DIMENSIONS, dtype=bool)
    seen[list(lines.names)] = True
    order = np.argsort(np.where(seen, weights, 0.0))
    out = ["stage 1, strongest boilerplate features: " + _named(lines, weights, order[::-1])]
    out.append("stage 1, strongest content features: " + _named(lines, weights, order))
    gain: dict[str, float] = defaultdict(float)
    for (predictor,) in tree_model._predictors:
        for node in predictor.nodes:
            if not node["is_leaf"]:
                gain[CONTEXT_FEATURES[int(node["feature_idx"])]] += float(node["gain"])
    total = sum(gain.values()) or 1.0
    out.append(
        "stage 2, split gain share: "
        + ", ".join(
            f"{name} {g / total:.0%}"
            for name, g in sorted(gain.items(), key=lambda kv: -kv[1])[:12]
        )
    )
    only_model = lines.labelled & lines.all_rules_kept & ~kept
    boiler, content = only_model & (lines.y == 1), only_model & (lines.y == 0)
    out.append(
        f"held out, dropped by the model and by no rule: {int(boiler.sum())} boilerplate "
        f"lines, {int(content.sum())} content lines"
    )
    texts = [t for p in pages for t in p.texts]
    rng = random.Random(0)
    for label, rows in (("boilerplate", boiler), ("content", content)):
        sample = rng.sample(list(np.flatnonzero(rows)), min(EXAMPLES, int(rows.sum())))
        out += [f"  [{label}] {texts[r][:100]}" for r in sorted(sample)]
    return out


def _named(lines: Lines, weights: np.ndarray, order: np.ndarray, count: int = 15) -> str:
    picked = [i for i in order if int(i) in lines.names][:count]
    return ", ".join(f"{lines.names[int(i)]} ({weights[i]:+.2f})" for i in picked)


#: The columns of `dump_predictions`' rows, in order.
DUMP_COLUMNS = (
    *("dataset", "page_id", "site", "page_type", "rendering", "line", "zone", "label"),
    *("stage1", "probability", "threshold", "kept", "rules_kept", "protected", "code"),
    *("lexicon_rule", "reason", "text"),
)

_ZONES = {-1: "before", 0: "body", 1: "after"}


def dump_predictions(
    path: Path,
    pages: list[LabelledPage],
    lines: Lines,
    validation: Validation,
    kept: np.ndarray,
) -> int:
    """Write every line's held-out verdict as a tab-separated row (`DUMP_COLUMNS`; gzip
    when the path ends in .gz) for error analysis: its page, its zone relative to the
    page's body (`cleaner.features.body_zones`), its label (content, boilerplate or
    unknown), its out-of-fold stage-1 log-odds and stage-2 probability, its fold's
    threshold, whether the chain keeps it, whether the rules the model leaves on keep
    it, whether the sentence guard protects it, and the first rule that would drop it.
    Returns the number of rows written."""
    opener: Callable[..., Any] = gzip.open if path.suffix == ".gz" else open
    label_names = {-1: "unknown", 0: "content", 1: "boilerplate"}
    rows = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(DUMP_COLUMNS)
        for page, (a, b) in zip(pages, lines.bounds, strict=True):
            zones = body_zones(page.texts)
            for i in range(b - a):
                r = a + i
                writer.writerow(
                    (
                        *(page.dataset, page.page_id, page.site, page.page_type or ""),
                        *(page.rendering, i, _ZONES[int(zones[i])], label_names[int(lines.y[r])]),
                        f"{validation.stage1[r]:.3f}",
                        f"{validation.probability[r]:.4f}",
                        f"{validation.threshold[r]:.4f}",
                        *(int(kept[r]), int(lines.rules_kept[r])),
                        int(page.kinds[i] != "code" and not model_may_drop(page.texts[i])),
                        int(page.kinds[i] == "code"),
                        int(validation.furniture[r]),
                        page.reasons[i] or "",
                        page.texts[i],
                    )
                )
                rows += 1
    return rows


# -- entry point -----------------------------------------------------------------------------


def train(
    corpus: Path,
    out: Path = DEFAULT_MODEL,
    c: float = DEFAULT_C,
    log: Log = print,
    renderings: tuple[str, ...] = TRAINING_RENDERINGS,
    dump: Path | None = None,
) -> LineModel:
    """Train on `corpus`, print the by-site validation, save the model at `out`; with
    `dump`, also write every line's held-out verdict there (`dump_predictions`)."""
    started = time.perf_counter()
    pages = labelled_pages(corpus, renderings)
    lines = build_lines(pages)
    log(
        f"{len(pages)} renderings of pages ({', '.join(renderings)}; "
        f"{sum(p.trainable for p in pages)} used for training), "
        f"{int(lines.labelled.sum())} labelled lines ({lines.y[lines.labelled].mean():.1%} "
        f"boilerplate), {len({p.site for p in pages})} sites "
        f"({time.perf_counter() - started:.0f} s)"
    )
    validation = nested_validation(pages, lines, c, log)
    kept = chain_kept(lines, validation.probability, validation.threshold, validation.furniture)
    table = validation_table(lines, kept)
    log(f"by-site validation ({FOLDS} folds, nested thresholds), every page:")
    tradeoff = tradeoff_table(lines, validation.probability, validation.furniture)
    for row in format_table(table) + tradeoff:
        log(row)
    if dump is not None:
        log(f"wrote {dump_predictions(dump, pages, lines, validation, kept)} rows to {dump}")
    view = lexicon_view(lines, np.ones(len(lines.y), dtype=bool))
    weights, intercept = fit_stage1(lines, view.X, lines.trainable, c)
    spread = sites_per_feature(lines, view.X, lines.trainable)
    floor = site_floor(lines, lines.trainable)
    log(
        f"stage 1: {int((spread >= floor).sum())} of {int((spread > 0).sum())} features "
        f"occur on at least {floor} sites (the others get no weight)"
    )
    F = context_rows(pages, lines, validation.stage1, view.entries)
    tree_model = fit_stage2(F, lines, lines.trainable)
    everything = np.ones(len(lines.y), dtype=bool)
    threshold = pick_threshold(lines, validation.probability, everything, validation.furniture)
    for row in learned_report(pages, lines, kept, weights, tree_model):
        log(row)
    card = _card(corpus, pages, lines, c, threshold, validation, table, started)
    lexicon = view.counts.lexicon()
    card["lexicon"] = {
        "entries": len(lexicon),
        "min_sites": MIN_SITES,
        "furniture_entries": sum(e.is_furniture for e in lexicon.entries.values()),
        "rule": LEXICON_RULE,
    }
    model = LineModel(weights, intercept, export_trees(tree_model), threshold, card, lexicon)
    model.save(out)
    load_started = time.perf_counter()
    LineModel.load(out)
    card["size_bytes"] = out.stat().st_size
    card["load_seconds"] = round(time.perf_counter() - load_started, 3)
    out.with_suffix(".json").write_text(json.dumps(card, indent=2) + "\n")  # with size and time
    log(
        f"threshold {threshold}; wrote {out} ({card['size_bytes'] // 1024} KiB, "
        f"loads in {card['load_seconds']} s)"
    )
    return model


def _card(
    corpus: Path,
    pages: list[LabelledPage],
    lines: Lines,
    c: float,
    threshold: float,
    validation: Validation,
    table: dict[str, dict[str, Any]],
    started: float,
) -> dict[str, Any]:
    return {
        "cleaner_version": VERSION,
        "trained": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus": str(corpus.resolve()),
        "pages": len(pages),
        "training_pages": sum(p.trainable for p in pages),
        "skipped_page_types_for_training": sorted(SKIPPED_PAGE_TYPES),
        "lines": len(lines.y),
        "labelled_lines": int(lines.labelled.sum()),
        "sites": len({p.site for p in pages}),
        "stage1": {
            "kind": "logistic regression, hashed line features",
            "C": c,
            "min_sites_per_feature": site_floor(lines, lines.trainable),
        },
        "stage2": {
            "kind": "gradient-boosted trees over context features",
            "params": TREE_PARAMS,
            "features": list(CONTEXT_FEATURES),
        },
        "threshold": threshold,
        "replaces_rules": sorted(REPLACED_RULES),
        "validation": {
            "folds": FOLDS,
            "grouped_by": "site",
            "thresholds": "nested: chosen per outer fold on inner out-of-fold scores",
            "fold_thresholds": validation.fold_thresholds,
            "pages": "every page (also the page types skipped for training)",
            "table": table,
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
