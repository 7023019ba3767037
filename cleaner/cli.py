"""The `cleaner` command.

    cleaner clean PATH... [--out DIR] [--json] [--explain] [--reprocess] [--workers N]
                          [--fields url=K,html=K,text=K,id=K]
    cleaner train CORPUS [--out MODEL]

Without --out the clean text goes to stdout (JSON lines with --json); with --out the
documents go into a warehouse folder with a run manifest. Exit codes: 0 all inputs
cleaned (or already in the warehouse), 1 some inputs failed and the others were written,
2 usage errors, including paths that match no file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cleaner.archives import (
    ArchiveIndex,
    JsonlFields,
    ScanStats,
    archive_format,
    archive_index,
    expand_archives,
)
from cleaner.config import Config
from cleaner.runner import Outcome, RunOptions, clean_many, expand_inputs, run_batch
from cleaner.version import VERSION
from cleaner.warehouse import Warehouse

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "clean":
        return _clean(args)
    if args.command == "train":
        return _train(args)
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cleaner", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"cleaner {VERSION}")
    sub = parser.add_subparsers(dest="command")
    clean = sub.add_parser("clean", help="clean raw page files (HTML or plaintext)")
    clean.add_argument(
        "paths",
        nargs="+",
        help="files, folders (searched recursively) or globs; WARC, WET, JSON Lines and "
        "Parquet archives (.warc[.gz], .wet[.gz], .jsonl[.gz], .parquet) stand for their "
        "records",
    )
    clean.add_argument("--out", type=Path, help="warehouse folder; without it, print to stdout")
    clean.add_argument("--pattern", default="*", help="file name pattern inside folders")
    clean.add_argument("--json", action="store_true", help="print one JSON object per document")
    clean.add_argument("--explain", action="store_true", help="print each removed line and why")
    clean.add_argument("--reprocess", action="store_true", help="clean inputs already in --out")
    clean.add_argument(
        "--workers",
        type=int,
        default=1,
        help="worker processes (default 1: clean in this process); with 2 or more, a page "
        "that crashes its worker is quarantined and the batch goes on",
    )
    clean.add_argument("--run-id", help="name of the run manifest (default: a timestamp)")
    clean.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    clean.add_argument("--no-language", action="store_true", help="skip language detection")
    clean.add_argument(
        "--line-threshold",
        type=_probability,
        metavar="P",
        help="plaintext: the line model drops a line when P(boilerplate) >= P (default: the "
        "model's validated threshold; lower drops more boilerplate and more content, see "
        "the trade-off that `cleaner train` prints)",
    )
    clean.add_argument(
        "--fields",
        type=_jsonl_fields,
        default=JsonlFields(),
        metavar="url=K,html=K,text=K,id=K",
        help="JSON Lines keys (Parquet columns) of the URL, HTML body, plaintext body and "
        "id (default: url, html, text, id)",
    )
    train = sub.add_parser("train", help="train the line model on a corpus folder")
    train.add_argument(
        "corpus", type=Path, help="a folder in the corpus layout (html/ + gold.jsonl)"
    )
    train.add_argument("--out", type=Path, help="model file (default: the shipped model)")
    train.add_argument("--c", type=float, help="inverse regularisation strength")
    return parser


def _jsonl_fields(text: str) -> JsonlFields:
    try:
        return JsonlFields.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.0 <= value <= 1.0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text!r} is not a probability between 0 and 1")
    return value


def _train(args: argparse.Namespace) -> int:
    try:
        from cleaner.training import train
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        print(f"cleaner: training needs the 'train' extra ({exc})", file=sys.stderr)
        return EXIT_USAGE
    if not args.corpus.is_dir():
        print(f"cleaner: {args.corpus}: not a folder", file=sys.stderr)
        return EXIT_USAGE
    options: dict[str, Any] = {}
    if args.out is not None:
        options["out"] = args.out
    if args.c is not None:
        options["c"] = args.c
    train.train(args.corpus, **options)
    return EXIT_OK


def _clean(args: argparse.Namespace) -> int:
    paths = expand_inputs(args.paths, args.pattern)
    if not paths:
        print(f"cleaner: no input files match {' '.join(args.paths)}", file=sys.stderr)
        return EXIT_USAGE
    config = Config(detect_language=not args.no_language, line_threshold=args.line_threshold)
    index = archive_index(Warehouse(args.out)) if args.out is not None else None
    paths = _list_archives(paths, args.fields, config, index)
    progress = False if args.no_progress else None  # None: a bar when stderr is a terminal
    failed = 0

    def report(outcome: Outcome, status: str) -> None:
        nonlocal failed
        if outcome.error is not None:
            failed += 1
            _write(f"cleaner: {outcome.error}", sys.stderr)
        elif outcome.document is not None:
            _print_document(outcome, args)

    if args.out is not None:
        manifest = run_batch(
            paths,
            Warehouse(args.out),
            args.run_id,
            RunOptions(
                reprocess=args.reprocess,
                workers=args.workers,
                config=config,
                on_outcome=report,
                progress=progress,
            ),
        )
        print(
            f"cleaner: {manifest['cleaned']} cleaned, {manifest['skipped']} already there, "
            f"{manifest['quarantined']} quarantined -> {args.out}",
            file=sys.stderr,
        )
    else:
        for outcome in clean_many(paths, args.workers, config, progress):
            report(outcome, "cleaned" if outcome.error is None else "quarantined")
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _list_archives(
    paths: list[Path], fields: JsonlFields, config: Config, index: ArchiveIndex | None
) -> list[Any]:
    """The inputs with each archive replaced by its records, and a line per archive on
    stderr saying what it held (pages, damage, records that are not pages)."""
    inputs: list[Any] = []
    for path in paths:
        if archive_format(path) is None:
            inputs.append(path)
            continue
        stats = ScanStats()
        inputs.extend(expand_archives([path], fields, config, stats, index))
        print(f"cleaner: {path}: {stats.summary()}", file=sys.stderr)
    return inputs


def _print_document(outcome: Outcome, args: argparse.Namespace) -> None:
    doc = outcome.document
    assert doc is not None
    if args.explain:
        for entry in doc.metadata["removed"]:
            reason = f"{entry['cleaner']}.{entry['rule']}"
            _write(f"{outcome.source}: - [{reason}] {entry['text']}", sys.stderr)
    if args.json:
        _write(json.dumps({**doc.metadata, "text": doc.text}, ensure_ascii=False), sys.stdout)
    elif args.out is None:
        _write(doc.text, sys.stdout, end="\n\n")


def _write(text: str, stream: Any, end: str = "\n") -> None:
    """Print past `clean_many`'s progress bar: tqdm lifts the bar, prints, and redraws it,
    so lines and bar do not garble each other on a terminal."""
    from tqdm import tqdm

    tqdm.write(text, file=stream, end=end)


if __name__ == "__main__":
    sys.exit(main())
