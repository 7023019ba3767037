"""Experiment: should the line model also judge the lines of HTML pages?

    python -m bench.html_lines --corpus ../shared/corpus [--thresholds 0.982 0.99 0.999]

The pipeline gives the learned line model plaintext pages only (`cleaner.pipeline.
line_model`): it was trained on naive plaintext renderings, while on HTML pages
trafilatura has already chosen the main content and the rules judge what it kept. This
script measures the alternative: every corpus page cleaned by `clean_html` as shipped,
then with the line model judging the segments of the HTML path too (the pipeline's
choice swapped for this run only), at the model's own threshold and higher ones. The
figures are the HTML benchmark's (`bench.run`): mean bag-of-words F1 on full-text gold,
micro snippet F1 on snippet gold.

The shipped model was trained on these pages' plaintext renderings, which favours it
here; a model that lowers F1 even so would do no better on unseen pages.
"""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from bench.run import (
    HtmlTally,
    bow_scores,
    f1_table,
    mean_scores,
    quiet_peer_logs,
    snippet_counts,
)
from cleaner import clean_html, pipeline
from cleaner.cleaners.learned import LineModel, load_model
from cleaner.config import Config
from cleaner.document import Format
from cleaner.errors import CleanError
from cleaner.training.corpus import CorpusPage, dataset_folders, iter_corpus

DEFAULT_THRESHOLDS = (None, 0.99, 0.995, 0.999)


def model_for_every_format(config: Config, fmt: Format) -> LineModel | None:
    """`cleaner.pipeline.line_model` without its plaintext-only condition."""
    return load_model() if config.learned else None


def f1_by_dataset(pages: Sequence[CorpusPage], config: Config) -> dict[str, float]:
    tallies: dict[str, HtmlTally] = {}
    for page in pages:
        try:
            output = clean_html(page.html_path.read_bytes(), url=page.url, config=config).text
        except CleanError:
            output = ""
        tally = tallies.setdefault(page.dataset, HtmlTally())
        if page.text:
            tally.text_scores.append(bow_scores(output, page.text))
        else:
            tally.snippets.add(snippet_counts(output, page.with_snippets, page.without_snippets))
    return {
        name: mean_scores(t.text_scores).f1 if t.text_scores else t.snippets.scores().f1
        for name, t in sorted(tallies.items())
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.html_lines", description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument(
        "--thresholds",
        nargs="+",
        type=float,
        default=None,
        help="line thresholds to try besides the model's own (default 0.99 0.995 0.999)",
    )
    args = parser.parse_args(argv)
    quiet_peer_logs()
    logging.disable(logging.WARNING)
    started = time.process_time()
    pages = [p for folder in dataset_folders(args.corpus) for p in iter_corpus(folder)]
    thresholds = DEFAULT_THRESHOLDS if args.thresholds is None else (None, *args.thresholds)
    base = Config(detect_language=False)
    rows = [("shipped: rules and trafilatura, no line model", f1_by_dataset(pages, base))]
    shipped_choice = pipeline.line_model
    pipeline.line_model = model_for_every_format
    try:
        for threshold in thresholds:
            config = Config(detect_language=False, line_threshold=threshold)
            name = "model's own" if threshold is None else str(threshold)
            rows.append((f"with the line model, threshold {name}", f1_by_dataset(pages, config)))
    finally:
        pipeline.line_model = shipped_choice
    print(f1_table(rows, digits=4))
    print(f"\n{time.process_time() - started:.0f} CPU s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
