"""Experiment: can a learned model of DOM blocks judge HTML pages, alone or with trafilatura?

    python -m bench.html_blocks --corpus ../shared/corpus   (needs the `train` extra)

The question behind it: the learned line model judges plaintext lines; on HTML pages
the cleaner relies on trafilatura's choice plus the rules. A block model with DOM
features could (a) replace trafilatura, which is most of the cleaner's time per page, or
(b) correct trafilatura's choice. This script measures both, by site, so that the figures
say what to expect on unseen sites:

1. Every page is parsed with lexbor and pruned as the pipeline prunes it
   (`cleaner.extract.prune`); its visible text is cut into blocks at block-level elements.
2. Each block gets features from its text (length, link density, punctuation, case,
   digits) and from the DOM (heading level, list item, table cell, depth, whether it sits
   in `nav`/`header`/`footer`/`aside`/`article`/`main`/`form`/`figure` or an ARIA role,
   and which of a fixed list of generic class/id words its ancestors carry: "nav",
   "sidebar", "related", "comment", "share", "content", ...), plus its neighbours' and its
   parent element's figures. With `--with-trafilatura`, also whether the cleaner's current
   output holds the block, and the share of kept blocks around it.
3. Blocks are labelled content or boilerplate by aligning them with the gold
   (`cleaner.training.corpus.label_lines`, or the snippets for trafilatura-dev).
4. Gradient-boosted trees are trained on four fifths of the *sites* and judge the pages
   of the other fifth; over five folds every page is judged by a model that never saw its
   site.
5. The page's kept blocks are scored against the gold with the metrics of `bench.run`.

Printed: F1 per dataset for the cleaner as it is, for the block model alone (its blocks
as the output), and for the cleaner's output minus the lines the model (with trafilatura's
choice as a feature) calls boilerplate with high confidence.
"""

from __future__ import annotations

import argparse
import logging
import re
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from selectolax.lexbor import LexborHTMLParser, LexborNode

from bench.run import (
    SnippetCounts,
    bow_scores,
    f1_table,
    mean_scores,
    quiet_peer_logs,
    snippet_counts,
)
from cleaner.extract.prune import main_container, remove_furniture
from cleaner.features import window_mean
from cleaner.metadata import site_of
from cleaner.training.corpus import (
    BLOCK_TAGS,
    CELL_TAGS,
    SKIPPED_TAGS,
    CorpusPage,
    dataset_folders,
    decode_html,
    iter_corpus,
    label_lines,
    label_lines_by_snippets,
)

HEADING_LEVEL = {f"h{n}": n for n in range(1, 7)}

#: Generic class/id words, grouped: a block's features say which groups its ancestors name.
WORD_GROUPS = {
    "nav": "nav menu navbar navigation breadcrumb breadcrumbs topbar topnav subnav dropdown",
    "header": "header masthead banner top",
    "footer": "footer copyright bottom colophon",
    "side": "sidebar side aside rail widget widgets secondary",
    "related": "related recommended popular trending teaser promo more also next prev pagination",
    "comment": "comment comments reply respond discussion",
    "share": "share sharing social follow tools toolbar",
    "ad": "ad ads advert advertisement sponsor sponsored",
    "meta": "author byline date time meta info tags tag category categories published dateline",
    "caption": "caption credit figcaption gallery photo image media slideshow thumbnail",
    "content": "content article post entry story body text main blog prose",
    "title": "title headline heading",
    "form": "form search login signup subscribe newsletter",
    "hidden": "hidden sr visually offscreen",
    "card": "card cards item items list listing grid tile",
}
GROUP_OF = {word: i for i, words in enumerate(WORD_GROUPS.values()) for word in words.split()}
#: Landmark elements and ARIA roles, as bits of `Block.landmarks`.
LANDMARKS = "nav header footer aside article main form figure li table blockquote pre".split()
ROLE_LANDMARK = {
    "navigation": "nav",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "main": "main",
    "article": "article",
}
_WORD_SPLIT = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z])(?=[A-Z])")
_SENTENCE_END = re.compile(r"[.!?…:;\"”')]$")
_NORMAL = re.compile(r"\w+")


@dataclass(slots=True)
class Block:
    """The text between two block boundaries, and where in the DOM it sat."""

    text: str
    landmarks: int
    groups: int  # WORD_GROUPS named by any ancestor
    own_groups: int  # those named by its nearest block element
    linked_chars: int
    links: int
    depth: int
    heading: int
    parent: int  # mem_id of the nearest block element: blocks of one list share it
    in_container: bool
    in_cell: bool


@dataclass(slots=True)
class _Frame:
    landmarks: int = 0
    groups: int = 0
    own_groups: int = 0
    depth: int = 0
    heading: int = 0
    parent: int = 0
    in_container: bool = False
    in_link: bool = False
    in_cell: bool = False


def word_groups(node: LexborNode) -> int:
    bits = 0
    for name in ("class", "id"):
        for word in _WORD_SPLIT.split(node.attributes.get(name) or ""):
            group = GROUP_OF.get(word.lower())
            if group is not None:
                bits |= 1 << group
    return bits


def page_blocks(root: LexborNode, container: int | None) -> list[Block]:
    """The visible text under `root` cut into blocks, in reading order (iterative walk:
    real pages nest deeper than Python's recursion limit)."""
    blocks: list[Block] = []
    parts: list[str] = []
    counts = {"linked": 0, "links": 0}

    def close(frame: _Frame) -> None:
        text = " ".join("".join(parts).split())
        parts.clear()
        if text:
            blocks.append(
                Block(
                    text,
                    frame.landmarks,
                    frame.groups,
                    frame.own_groups,
                    counts["linked"],
                    counts["links"],
                    frame.depth,
                    frame.heading,
                    frame.parent,
                    frame.in_container,
                    frame.in_cell,
                )
            )
        counts["linked"] = counts["links"] = 0

    stack: list[tuple[LexborNode, bool, _Frame]] = [(root, False, _Frame())]
    while stack:
        node, leaving, frame = stack.pop()
        tag = node.tag or ""
        if leaving:
            if tag in BLOCK_TAGS:
                close(frame)
            elif tag in CELL_TAGS:
                parts.append(" ")
            continue
        if tag == "-text":
            text = node.text_content or ""
            parts.append(text)
            if frame.in_link:
                counts["linked"] += len(text.strip())
            continue
        if tag.startswith("-") or tag in SKIPPED_TAGS:
            continue
        groups = word_groups(node)
        landmarks = frame.landmarks
        for name in (tag, ROLE_LANDMARK.get(node.attributes.get("role") or "")):
            if name in LANDMARKS:
                landmarks |= 1 << LANDMARKS.index(name)
        if tag in BLOCK_TAGS:
            close(frame)
        elif tag in CELL_TAGS:
            parts.append(" ")
        if tag == "a":
            counts["links"] += 1
        block = tag in BLOCK_TAGS
        child_frame = _Frame(
            landmarks=landmarks,
            groups=frame.groups | groups,
            own_groups=groups if block else frame.own_groups,
            depth=frame.depth + 1,
            heading=HEADING_LEVEL.get(tag, frame.heading),
            parent=node.mem_id if block else frame.parent,
            in_container=frame.in_container or node.mem_id == container,
            in_link=frame.in_link or tag == "a",
            in_cell=frame.in_cell or tag in CELL_TAGS,
        )
        stack.append((node, True, child_frame))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, False, child_frame) for c in reversed(children))
    close(_Frame())
    return blocks


def own_features(blocks: Sequence[Block]) -> np.ndarray:
    groups, landmarks = len(WORD_GROUPS), len(LANDMARKS)
    rows = np.zeros((len(blocks), 16 + 2 * groups + landmarks), dtype=np.float32)
    last = max(1, len(blocks) - 1)
    for i, b in enumerate(blocks):
        text, words = b.text, b.text.split()
        n_words, n_chars = len(words), len(text)
        rows[i, :16] = (
            np.log1p(n_words),
            np.log1p(n_chars),
            b.linked_chars / max(1, n_chars),
            b.links,
            sum(w[:1].isupper() for w in words) / max(1, n_words),
            sum(c.isdigit() for c in text) / max(1, n_chars),
            bool(_SENTENCE_END.search(text)),
            (text.count(",") + text.count(".")) / max(1, n_words),
            b.depth,
            b.heading,
            b.in_container,
            b.in_cell,
            i / last,
            text.count("|") + text.count("•") + text.count("·"),
            sum(map(len, words)) / max(1, n_words),
            text[:1].islower(),
        )
        for g in range(groups):
            rows[i, 16 + g] = (b.groups >> g) & 1
            rows[i, 16 + groups + g] = (b.own_groups >> g) & 1
        for k in range(landmarks):
            rows[i, 16 + 2 * groups + k] = (b.landmarks >> k) & 1
    return rows


def block_features(blocks: Sequence[Block]) -> np.ndarray:
    """Own features, plus the block's share of the page, its parent element's size and
    link density, and its neighbours' length, link density and sentence endings."""
    own = own_features(blocks)
    words, link_density, sentence = np.expm1(own[:, 0]), own[:, 2], own[:, 6]
    total = float(words.sum()) or 1.0
    _, parent, siblings = np.unique(
        [b.parent for b in blocks], return_inverse=True, return_counts=True
    )
    parent_words = np.bincount(parent, weights=words)
    parent_links = np.bincount(parent, weights=link_density * words)
    columns = [
        own,
        (words / total)[:, None],
        np.stack(
            [
                siblings[parent],
                parent_words[parent] / total,
                parent_links[parent] / np.maximum(parent_words[parent], 1),
            ],
            axis=1,
        ),
    ]
    for radius in (1, 3, 10):
        columns.append(
            np.stack(
                [
                    window_mean(words, radius),
                    window_mean(link_density, radius),
                    window_mean(sentence, radius),
                ],
                axis=1,
            )
        )
    columns.append((np.cumsum(words) / total)[:, None])
    columns.append(np.full((len(blocks), 2), (np.log1p(total), np.log1p(len(blocks)))))
    return np.hstack(columns).astype(np.float32)


def normal(text: str) -> str:
    return " ".join(_NORMAL.findall(text.lower()))


def kept_by_cleaner(blocks: Sequence[Block], output: str) -> np.ndarray:
    """1 where the cleaner's output holds the block as a line, 0.5 where inside a line."""
    lines = {normal(line) for line in output.split("\n")}
    whole = normal(output)
    return np.array(
        [
            1.0 if (t := normal(b.text)) in lines else 0.5 if t and t in whole else 0.0
            for b in blocks
        ],
        dtype=np.float32,
    )


@dataclass
class Page:
    corpus: CorpusPage
    site: str
    texts: list[str]
    labels: list[bool | None]
    features: np.ndarray
    cleaner_output: str
    cleaner_kept: np.ndarray


def load(corpus: Path) -> list[Page]:
    from cleaner import clean_html

    pages = []
    for folder in dataset_folders(corpus):
        for cp in iter_corpus(folder):
            data = cp.html_path.read_bytes()
            tree = LexborHTMLParser(decode_html(data))
            if tree.body is None:
                continue
            remove_furniture(tree)
            container, _ = main_container(tree)
            blocks = page_blocks(tree.body, container.mem_id if container is not None else None)
            if not blocks:
                continue
            texts = [b.text for b in blocks]
            labels: list[bool | None] = (
                list(label_lines(texts, cp.text))
                if cp.text
                else label_lines_by_snippets(texts, cp.with_snippets, cp.without_snippets)
            )
            try:
                output = clean_html(data, url=cp.url).text
            except Exception:  # the cleaner refuses some pages; it then outputs nothing
                output = ""
            pages.append(
                Page(
                    cp,
                    site_of(cp.url) or f"{cp.dataset}/{cp.id}",
                    texts,
                    labels,
                    block_features(blocks),
                    output,
                    kept_by_cleaner(blocks, output),
                )
            )
    return pages


def with_trafilatura(page: Page) -> np.ndarray:
    kept = page.cleaner_kept
    extra = np.stack(
        [kept, window_mean(kept, 2), window_mean(kept, 8), np.full(len(kept), kept.mean())], axis=1
    )
    return np.hstack([page.features, extra]).astype(np.float32)


def by_site_scores(
    pages: list[Page], features: Callable[[Page], np.ndarray], folds: int = 5
) -> list[np.ndarray]:
    """P(content) of every block, from a model trained on the other folds' sites."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    fold = np.array([zlib.crc32(p.site.encode()) % folds for p in pages])
    rows = [features(p) for p in pages]
    scores: list[np.ndarray] = [np.empty(0)] * len(pages)
    for k in range(folds):
        train = [i for i in range(len(pages)) if fold[i] != k]
        x = np.vstack([rows[i] for i in train])
        y = np.concatenate(
            [[np.nan if v is None else float(v) for v in pages[i].labels] for i in train]
        )
        known = ~np.isnan(y)
        model = HistGradientBoostingClassifier(
            max_iter=150,
            learning_rate=0.1,
            max_leaf_nodes=31,
            l2_regularization=1.0,
            random_state=0,
        ).fit(x[known], y[known])
        for i in np.flatnonzero(fold == k):
            scores[i] = model.predict_proba(rows[i])[:, 1]
    return scores


def f1_by_dataset(pages: list[Page], outputs: Sequence[str]) -> dict[str, float]:
    bows: dict[str, list[Any]] = {}
    snippets: dict[str, SnippetCounts] = {}
    for page, output in zip(pages, outputs, strict=True):
        cp = page.corpus
        if cp.text:
            bows.setdefault(cp.dataset, []).append(bow_scores(output, cp.text))
        else:
            snippets.setdefault(cp.dataset, SnippetCounts()).add(
                snippet_counts(output, cp.with_snippets, cp.without_snippets)
            )
    result = {ds: mean_scores(s).f1 for ds, s in bows.items()}
    result.update({ds: c.scores().f1 for ds, c in snippets.items()})
    return dict(sorted(result.items()))


def minus_confident_boilerplate(page: Page, scores: np.ndarray, below: float) -> str:
    doomed = {
        normal(t)
        for t, s, k in zip(page.texts, scores, page.cleaner_kept, strict=True)
        if s < below and k == 1.0
    }
    return "\n".join(line for line in page.cleaner_output.split("\n") if normal(line) not in doomed)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.html_blocks", description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    args = parser.parse_args(argv)
    quiet_peer_logs()
    logging.disable(logging.WARNING)
    started = time.process_time()
    pages = load(args.corpus)
    print(
        f"{len(pages)} pages, {sum(len(p.texts) for p in pages)} blocks "
        f"({time.process_time() - started:.0f} CPU s)",
        flush=True,
    )
    rows = [("cleaner as it is", f1_by_dataset(pages, [p.cleaner_output for p in pages]))]
    alone = by_site_scores(pages, lambda p: p.features)
    for threshold in (0.3, 0.5, 0.7):
        outputs = [
            "\n".join(t for t, s in zip(p.texts, sc, strict=True) if s >= threshold)
            for p, sc in zip(pages, alone, strict=True)
        ]
        rows.append(
            (f"block model alone, P(content) >= {threshold}", f1_by_dataset(pages, outputs))
        )
    together = by_site_scores(pages, with_trafilatura)
    for below in (0.05, 0.1, 0.2):
        outputs = [
            minus_confident_boilerplate(p, sc, below) for p, sc in zip(pages, together, strict=True)
        ]
        rows.append(
            (f"cleaner minus blocks with P(content) < {below}", f1_by_dataset(pages, outputs))
        )
    print(f1_table(rows))
    print(f"\n{time.process_time() - started:.0f} CPU s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
