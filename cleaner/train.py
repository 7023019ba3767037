"""Train the line model from any folder in the corpus layout, validated by site.

Labels come from aligning each line of a page's naive plaintext rendering with the page's
gold text (`cleaner.corpus`). Validation is grouped by site: no site has pages in both the
training and the test fold, so the scores say how the model does on sites it never saw.
The model takes over from the heuristic rules in `REPLACED_RULES`: the decision threshold
is the lowest (most boilerplate removed) at which rules-without-them plus the model lose
no more content lines, on those out-of-fold scores, than all the rules do alone.

Needs the `train` extra (scikit-learn); inference needs only numpy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from cleaner.cleaners.learned import (
    DEFAULT_MODEL,
    MIN_PAGE_SEGMENTS,
    LineModel,
    model_may_drop,
)
from cleaner.config import Config
from cleaner.features import DIMENSIONS, page_features
from cleaner.metadata import site_of
from cleaner.version import VERSION

#: Context rules the model replaces. By-site validation on ../shared/corpus (749 pages):
#: `link_run` drops 18,346 lines at 98.2% precision but most of the rules' lost content
#: (335 of 530 content lines); the model in its place, at the threshold picked below,
#: leaves fewer boilerplate lines for no more lost content. The other rules measured
#: better kept (their precision is 97-100% and the model gains little over them).
REPLACED_RULES = frozenset({"link_run"})

#: wcxb page types whose gold counts whole navigation menus as content (DESIGN.md):
#: training on them would teach the model that menus are content.
SKIPPED_PAGE_TYPES = frozenset({"collection", "listing"})

#: A long page's lines count as this many lines in total, so that a few huge pages do
#: not outweigh the many ordinary ones.
LINES_PER_PAGE_WEIGHT = 300

#: Inverse regularisation strength: scikit-learn's default. Not tuned yet.
DEFAULT_C = 1.0

FOLDS = 5


@dataclass
class LabelledPage:
    dataset: str
    page_id: str
    site: str
    lines: list[str]
    labels: list[bool | None]  # True = content, False = boilerplate, None = unknown
    rules_kept: list[bool] = field(default_factory=list)  # rules minus REPLACED_RULES, per line
    all_rules_kept: list[bool] = field(default_factory=list)  # every rule, per line


def labelled_pages(corpus: Path) -> list[LabelledPage]:
    """Render and label every page of a corpus folder."""
    from cleaner.corpus import iter_corpus, label_lines, label_lines_by_snippets, render_lines

    pages = []
    for page in iter_corpus(corpus):
        if page.page_type in SKIPPED_PAGE_TYPES:
            continue
        lines = render_lines(page.html_path.read_bytes())
        if not lines:
            continue
        labels: list[bool | None]
        if page.text:
            labels = list(label_lines(lines, page.text))
        else:
            labels = label_lines_by_snippets(lines, page.with_snippets, page.without_snippets)
        if not any(label is not None for label in labels):
            continue
        site = site_of(page.url) or f"{page.dataset}/{page.id}"
        pages.append(
            LabelledPage(
                page.dataset,
                page.id,
                site,
                lines,
                labels,
                _rules_kept(lines, REPLACED_RULES),
                _rules_kept(lines, frozenset()),
            )
        )
    return pages


def _rules_kept(lines: list[str], disabled: frozenset[str]) -> list[bool]:
    from cleaner.errors import ExtractionError
    from cleaner.pipeline import clean_text

    config = Config(learned=False, detect_language=False, disabled_rules=disabled)
    try:
        doc = clean_text("\n".join(lines), config=config)
    except ExtractionError:  # every line was furniture
        return [False] * len(lines)
    return [s.kept for s in doc.segments]


def design_matrix(
    pages: list[LabelledPage],
) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sparse features, targets (1 = boilerplate), weights, site groups, and the row of
    each labelled line in the page list (page index, line index)."""
    from scipy.sparse import csr_matrix

    indices: list[int] = []
    indptr = [0]
    y, w, groups, where = [], [], [], []
    for p_index, page in enumerate(pages):
        labelled = [i for i, label in enumerate(page.labels) if label is not None]
        weight = min(1.0, LINES_PER_PAGE_WEIGHT / max(1, len(labelled)))
        features = page_features(page.lines)
        for i in labelled:
            indices.extend(features[i])
            indptr.append(len(indices))
            y.append(0 if page.labels[i] else 1)
            w.append(weight)
            groups.append(page.site)
            where.append((p_index, i))
    data = np.ones(len(indices), dtype=np.float32)
    X = csr_matrix((data, np.array(indices), np.array(indptr)), shape=(len(y), DIMENSIONS))
    return X, np.array(y), np.array(w), np.array(groups), np.array(where)


def fit(X: Any, y: np.ndarray, w: np.ndarray, c: float = DEFAULT_C) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="liblinear", max_iter=200)
    model.fit(X, y, sample_weight=w)
    return model.coef_[0].astype(np.float32), float(model.intercept_[0])


def out_of_fold_scores(
    X: Any, y: np.ndarray, w: np.ndarray, groups: np.ndarray, c: float
) -> np.ndarray:
    """P(boilerplate) for every row from a model that never saw the row's site."""
    from sklearn.model_selection import GroupKFold

    scores = np.zeros(len(y))
    for train_rows, test_rows in GroupKFold(n_splits=FOLDS).split(X, y, groups):
        weights, intercept = fit(X[train_rows], y[train_rows], w[train_rows], c)
        z = X[test_rows] @ weights + intercept
        scores[test_rows] = 1.0 / (1.0 + np.exp(-z))
    return scores


def chain_figures(
    y: np.ndarray, scores: np.ndarray, rules_kept: np.ndarray, threshold: float
) -> dict[str, float]:
    """Boilerplate left and content lost by rules + model at a threshold."""
    kept = rules_kept & (scores < threshold)
    boiler, content = y == 1, y == 0
    return {
        "boilerplate_left": float(kept[boiler].mean()) if boiler.any() else 0.0,
        "content_lost": float((~kept[content]).mean()) if content.any() else 0.0,
    }


def _model_may_judge(pages: list[LabelledPage], where: np.ndarray) -> np.ndarray:
    """Rows the learned cleaner would judge at all (see `cleaner.cleaners.learned`)."""
    return np.array(
        [
            len(pages[p].lines) >= MIN_PAGE_SEGMENTS and model_may_drop(pages[p].lines[i])
            for p, i in where
        ]
    )


def pick_threshold(
    y: np.ndarray, scores: np.ndarray, rules_kept: np.ndarray, max_lost: float
) -> float:
    """The lowest threshold (most boilerplate removed) that loses at most `max_lost`."""
    for threshold in np.arange(0.300, 0.999, 0.005):
        if chain_figures(y, scores, rules_kept, float(threshold))["content_lost"] <= max_lost:
            return round(float(threshold), 3)
    return 0.999


def train(
    corpus: Path, out: Path = DEFAULT_MODEL, c: float = DEFAULT_C, log: Any = print
) -> LineModel:
    started = time.perf_counter()
    pages = labelled_pages(corpus)
    X, y, w, groups, where = design_matrix(pages)
    rules_kept = np.array([pages[p].rules_kept[i] for p, i in where])
    all_rules_kept = np.array([pages[p].all_rules_kept[i] for p, i in where])
    log(
        f"{len(pages)} pages, {len(y)} labelled lines ({y.mean():.1%} boilerplate), {len(set(groups))} sites"
    )
    scores = out_of_fold_scores(X, y, w, groups, c)
    scores[~_model_may_judge(pages, where)] = 0.0  # the same guards as LearnedCleaner
    rules_only = chain_figures(y, np.zeros(len(y)), all_rules_kept, 1.0)
    threshold = pick_threshold(y, scores, rules_kept, rules_only["content_lost"])
    by_site = chain_figures(y, scores, rules_kept, threshold)
    datasets = np.array([pages[p].dataset for p, _ in where])
    per_dataset = {
        name: chain_figures(
            y[datasets == name], scores[datasets == name], rules_kept[datasets == name], threshold
        )
        for name in sorted(set(datasets))
    }
    log(f"by-site validation ({FOLDS} folds), threshold {threshold}: {by_site}")
    log(f"rules alone: {rules_only}")
    for name, figures in per_dataset.items():
        log(f"  {name}: {figures}")
    weights, intercept = fit(X, y, w, c)
    card = {
        "cleaner_version": VERSION,
        "trained": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus": str(corpus),
        "pages": len(pages),
        "lines": len(y),
        "sites": len(set(groups)),
        "C": c,
        "threshold": threshold,
        "replaces_rules": sorted(REPLACED_RULES),
        "validation": {
            "folds": FOLDS,
            "grouped_by": "site",
            "chain": by_site,
            "rules_alone": rules_only,
            "per_dataset": per_dataset,
        },
        "seconds": round(time.perf_counter() - started, 1),
    }
    model = LineModel(weights, intercept, threshold, card)
    model.save(out)
    log(f"wrote {out} ({out.stat().st_size // 1024} KiB)")
    return model
