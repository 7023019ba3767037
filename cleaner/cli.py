"""The `cleaner` command.

    cleaner clean PATH... [--out DIR] [--json] [--explain] [--reprocess] [--workers N]
                          [--fields url=K,html=K,text=K,id=K]
    cleaner fetch URL... --out DIR [--url-file FILE] [--allow-host HOST]... [--timeout S]
    cleaner train CORPUS [--out MODEL] [--dump-predictions TSV]
    cleaner report WAREHOUSE [--out report.html] [--run RUN_ID] [--site S]
    cleaner export WAREHOUSE --out PATH [--format jsonl|parquet] [--since DAY]
                   [--language xx] [--min-words N] [--dedup]

Without --out the clean text goes to stdout (JSON lines with --json); with --out the
documents go into a warehouse folder with a run manifest. `fetch` is the fetch_pages DAG
in one process: the same library functions fetch the URLs politely into the raw zone,
clean what came back, and write one run manifest with the fetch and clean counts. Exit
codes: 0 all inputs cleaned (or already in the warehouse), 1 some inputs (files or URLs)
failed and the others were written, 2 usage errors, including paths that match no file
and no URL given.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
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
    if args.command == "fetch":
        return _fetch(args)
    if args.command == "train":
        return _train(args)
    if args.command == "export":
        return _export(args)
    if args.command == "report":
        return _report(args)
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
        help="files, folders (searched recursively), globs, URLs, or - for stdin; WARC, "
        "WET, JSON Lines and Parquet archives (.warc[.gz], .wet[.gz], .jsonl[.gz], .parquet) "
        "stand for their records",
    )
    clean.add_argument("--out", type=Path, help="warehouse folder; without it, print to stdout")
    clean.add_argument("--pattern", default="*", help="file name pattern inside folders")
    clean.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="stdout: clean text (default), Markdown (title, headings, lists, quotes, code), "
        "or one JSON object per document",
    )
    clean.add_argument("--json", action="store_true", help="the same as --format json")
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
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help="for URL inputs: fetch HOST although it resolves to a private or loopback "
        "address (repeatable)",
    )
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
    _add_fetch_parser(sub)
    train = sub.add_parser("train", help="train the line model on a corpus folder")
    train.add_argument(
        "corpus", type=Path, help="a folder in the corpus layout (html/ + gold.jsonl)"
    )
    train.add_argument("--out", type=Path, help="model file (default: the shipped model)")
    train.add_argument("--c", type=float, help="inverse regularisation strength")
    train.add_argument(
        "--dump-predictions",
        type=Path,
        metavar="TSV",
        help="also write every line's held-out verdict there, for error analysis "
        "(tab-separated, gzip if it ends in .gz)",
    )
    export = sub.add_parser(
        "export", help="write a warehouse's documents as JSON Lines or Parquet records"
    )
    export.add_argument("warehouse", type=Path, help="a warehouse folder (cleaner clean --out)")
    export.add_argument("--out", type=Path, required=True, help="the file to write")
    export.add_argument("--format", choices=["jsonl", "parquet"], default="jsonl")
    export.add_argument("--since", type=_day, help="only documents cleaned on or after DAY")
    export.add_argument("--language", help="only documents in this language (ISO 639-1)")
    export.add_argument("--min-words", type=int, default=0, help="only documents this long")
    export.add_argument(
        "--dedup", action="store_true", help="keep the earliest of each near-duplicate cluster"
    )
    report = sub.add_parser(
        "report", help="write a static HTML page showing what was removed and why"
    )
    report.add_argument("warehouse", type=Path, help="a warehouse folder (cleaner clean --out)")
    report.add_argument(
        "--out", type=Path, help="default: WAREHOUSE/reports/<run or warehouse>.html"
    )
    report.add_argument("--run", help="only the documents of this run (and its batches)")
    report.add_argument("--site", help="only the documents of this site")
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day (YYYY-MM-DD)") from None


def _add_fetch_parser(sub: Any) -> None:
    """`cleaner fetch`: its politeness options are `FetchPolicy` fields, left unset (None)
    when not given so that the policy's own defaults apply; the help names them from
    `cleaner.fetch_policy`, which loads nothing heavy (`cleaner.fetch`, with urllib3 and
    protego, is imported only when fetching, so `cleaner clean` does not pay for it)."""
    from cleaner.fetch_policy import DEFAULT_POLICY as policy

    fetch = sub.add_parser("fetch", help="fetch web pages politely, then clean them")
    fetch.add_argument("urls", nargs="*", metavar="URL", help="http or https URLs")
    fetch.add_argument("--out", type=Path, required=True, help="warehouse folder")
    fetch.add_argument("--url-file", help="a file of URLs, one a line (# comments)")
    fetch.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="HOST",
        help="fetch HOST although it resolves to a private or loopback address (repeatable)",
    )
    fetch.add_argument(
        "--timeout",
        type=_positive,
        metavar="S",
        help=f"seconds per attempt (default {policy.timeout_s:g})",
    )
    fetch.add_argument(
        "--retries",
        type=_count,
        metavar="N",
        help=f"retries on errors, 5xx, 429 (default {policy.max_retries})",
    )
    fetch.add_argument(
        "--max-bytes", type=_size, metavar="N", help=f"largest page (default {policy.max_bytes})"
    )
    fetch.add_argument(
        "--delay",
        type=_seconds,
        metavar="S",
        help=f"seconds between requests to a host (default {policy.min_delay_s:g})",
    )
    fetch.add_argument("--user-agent", help="User-Agent, also matched against robots.txt")
    fetch.add_argument("--ignore-robots", action="store_true", help="do not obey robots.txt")
    fetch.add_argument("--workers", type=int, default=1, help="worker processes for cleaning")
    fetch.add_argument("--run-id", help="name of the run manifest (default: a timestamp)")
    fetch.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    fetch.add_argument("--no-language", action="store_true", help="skip language detection")


def _number(text: str, kind: type, ok: Any, what: str) -> Any:
    """`text` as a `kind` that passes `ok`; otherwise an argparse error, so that a bad
    option value is a usage error (exit 2) before any request is made."""
    try:
        value = kind(text)
    except ValueError:
        value = None
    if value is None or not ok(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return value


def _positive(text: str) -> float:
    return float(_number(text, float, lambda v: 0 < v < float("inf"), "a number of seconds > 0"))


def _seconds(text: str) -> float:
    return float(_number(text, float, lambda v: 0 <= v < float("inf"), "a number of seconds"))


def _count(text: str) -> int:
    return int(_number(text, int, lambda v: v >= 0, "a whole number >= 0"))


def _size(text: str) -> int:
    return int(_number(text, int, lambda v: v >= 1, "a number of bytes >= 1"))


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
    if args.dump_predictions is not None:
        options["dump"] = args.dump_predictions
    train.train(args.corpus, **options)
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from cleaner.export import ExportOptions, export

    if not (args.warehouse / "clean").is_dir():
        print(f"cleaner: {args.warehouse}: not a warehouse (no clean/ folder)", file=sys.stderr)
        return EXIT_USAGE
    options = ExportOptions(
        format=args.format,
        since=args.since,
        language=args.language,
        min_words=args.min_words,
        dedup=args.dedup,
    )
    try:
        report = export(Warehouse(args.warehouse), args.out, options)
    except RuntimeError as exc:  # Parquet without pyarrow
        print(f"cleaner: {exc}", file=sys.stderr)
        return EXIT_USAGE
    filtered = sum(report.filtered.values())
    print(
        f"cleaner: {report.exported} of {report.read} documents -> {args.out} "
        f"({filtered} filtered out, {report.duplicates_dropped} near-duplicates dropped; "
        f"manifest {args.out}.manifest.json)",
        file=sys.stderr,
    )
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from cleaner.report import default_out, write_report

    if not (args.warehouse / "clean").is_dir():
        print(f"cleaner: {args.warehouse}: not a warehouse (no clean/ folder)", file=sys.stderr)
        return EXIT_USAGE
    warehouse = Warehouse(args.warehouse)
    out = args.out or default_out(warehouse, args.run)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = write_report(warehouse, out, args.run, args.site)
    if not data.pages and not data.quarantined:
        print(
            f"cleaner: nothing matches in {args.warehouse} (run {args.run}, site {args.site})",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(f"cleaner: report of {len(data.pages)} pages -> {out}", file=sys.stderr)
    return EXIT_OK


def _clean(args: argparse.Namespace) -> int:
    if any(_is_url(p) for p in args.paths):
        return _clean_urls(args)
    if "-" in args.paths:
        return _clean_stdin(args)
    missing = [p for p in args.paths if not _names_something(p)]
    if missing:  # a typo is the user's to fix now, not a quarantine record for later
        for name in missing:
            print(f"cleaner: {name}: no such file or folder", file=sys.stderr)
        return EXIT_USAGE
    paths = expand_inputs(args.paths, args.pattern)
    if not paths:
        names = " ".join(args.paths)
        inside = f" (files named {args.pattern!r} inside folders)" if args.pattern != "*" else ""
        print(f"cleaner: no input files match {names}{inside}", file=sys.stderr)
        return EXIT_USAGE
    config = _config(args)
    index = archive_index(Warehouse(args.out)) if args.out is not None else None
    paths = _list_archives(paths, args.fields, config, index)
    progress = False if args.no_progress else None  # None: a bar when stderr is a terminal
    failed = 0
    headers = args.out is None and not args.json and args.format != "json" and len(paths) > 1

    def report(outcome: Outcome, status: str) -> None:
        nonlocal failed
        if outcome.error is not None:
            failed += 1
            _write(f"cleaner: {outcome.error}", sys.stderr)
        elif outcome.document is not None:
            _print_document(outcome, args, header=headers)

    if args.out is None:
        for outcome in clean_many(paths, args.workers, config, progress):
            report(outcome, "cleaned" if outcome.error is None else "quarantined")
        return EXIT_SOME_FAILED if failed else EXIT_OK
    warehouse = Warehouse(args.out)
    failed_before = 0 if args.reprocess else _quarantined_before(paths, warehouse, config)
    manifest = run_batch(
        paths,
        warehouse,
        args.run_id,
        RunOptions(
            reprocess=args.reprocess,
            workers=args.workers,
            config=config,
            on_outcome=report,
            progress=progress,
        ),
    )
    before = f" ({failed_before} of them quarantined by an earlier run)" if failed_before else ""
    print(
        f"cleaner: {manifest['cleaned']} cleaned, {manifest['skipped']} already there{before}, "
        f"{manifest['quarantined']} quarantined -> {args.out}",
        file=sys.stderr,
    )
    return EXIT_SOME_FAILED if failed or failed_before else EXIT_OK


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


def _config(args: argparse.Namespace) -> Config:
    return Config(detect_language=not args.no_language, line_threshold=args.line_threshold)


def _is_url(name: str) -> bool:
    return name.startswith(("http://", "https://"))


def _names_something(name: str) -> bool:
    """True for an existing path, and for a glob (whose matches are counted later)."""
    return Path(name).exists() or any(ch in name for ch in "*?[")


def _quarantined_before(paths: list[Path], warehouse: Warehouse, config: Config) -> int:
    """How many of the inputs an earlier run quarantined: a rerun skips them, and should
    say that they are still not cleaned (see `quarantine/` for the reasons)."""
    from cleaner.runner import triage

    _, done = triage(paths, warehouse, config)
    return sum(warehouse.quarantine_path(doc_id).exists() for _, doc_id in done)


def _clean_stdin(args: argparse.Namespace) -> int:
    """`cleaner clean -`: one page from standard input, cleaned to standard output."""
    from cleaner.document import RawPage
    from cleaner.errors import CleanError
    from cleaner.pipeline import clean_page

    if args.paths != ["-"] or args.out is not None:
        print(
            "cleaner: '-' (standard input) is cleaned alone and to standard output; "
            "save it to a file to clean it with others or into a warehouse",
            file=sys.stderr,
        )
        return EXIT_USAGE
    page = RawPage(data=sys.stdin.buffer.read(), source="-")
    try:
        doc = clean_page(page, _config(args))
    except CleanError as error:
        print(f"cleaner: {error}", file=sys.stderr)
        return EXIT_SOME_FAILED
    _print_document(Outcome("-", doc.id, document=doc), args)
    return EXIT_OK


def _clean_urls(args: argparse.Namespace) -> int:
    """URLs given to `cleaner clean`: fetched with the polite fetcher's defaults (robots.txt,
    per-host delay, size cap, public addresses only). Into a warehouse they go through
    `cleaner fetch`'s run, raw zone included; to standard output they are fetched and
    cleaned in memory."""
    from cleaner.errors import CleanError
    from cleaner.fetch import Fetcher
    from cleaner.pipeline import clean_page

    if not all(_is_url(p) for p in args.paths):
        print("cleaner: give either URLs or files, not both", file=sys.stderr)
        return EXIT_USAGE
    if args.out is not None:
        flags = [f"--allow-host={host}" for host in args.allow_host]
        fetch_args = _parser().parse_args(["fetch", *args.paths, "--out", str(args.out), *flags])
        fetch_args.no_progress, fetch_args.no_language = args.no_progress, args.no_language
        fetch_args.workers, fetch_args.run_id = args.workers, args.run_id
        return _fetch(fetch_args)
    from cleaner.fetch_policy import FetchPolicy, allowed_hosts

    policy = FetchPolicy(allow_hosts=allowed_hosts(args.allow_host))
    fetcher, config, failed = Fetcher(policy), _config(args), 0
    for url in dict.fromkeys(args.paths):
        try:
            doc = clean_page(fetcher.fetch(url), config)
        except CleanError as error:
            failed += 1
            print(f"cleaner: {error}", file=sys.stderr)
            continue
        _print_document(Outcome(url, doc.id, document=doc), args, header=len(args.paths) > 1)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _fetch(args: argparse.Namespace) -> int:
    """Fetch, then clean, with the functions the fetch_pages DAG's tasks call: one fetch
    batch, one clean batch, filed under one run as the DAG files them."""
    from cleaner.runner import batches, fetching

    urls = fetching.collect_urls(args.urls, args.url_file)
    if not urls:
        print("cleaner: no URLs given (as arguments or in --url-file)", file=sys.stderr)
        return EXIT_USAGE
    warehouse = str(args.out)
    run_id = args.run_id or datetime.now(UTC).strftime("fetch-%Y%m%dT%H%M%S%fZ")
    started = datetime.now(UTC).isoformat()
    policy = _fetch_policy(args)
    print(f"cleaner: fetching {len(urls)} URLs", file=sys.stderr)
    fetched = fetching.fetch_batch(
        urls, warehouse, batches.batch_run_id(run_id, "fetch", 1), policy, group=run_id
    )
    failures = json.loads(Path(fetched).read_text("utf-8"))["failures"]
    for failure in failures:
        print(f"cleaner: {failure['source']}: {failure['reason']}", file=sys.stderr)
    failed = len(failures)

    def report(outcome: Outcome, status: str) -> None:
        nonlocal failed
        if outcome.error is not None:
            failed += 1
            _write(f"cleaner: {outcome.error}", sys.stderr)

    clean_id = batches.batch_run_id(run_id, "batch", 1)
    wh = Warehouse(args.out)
    options = RunOptions(
        workers=args.workers,
        config=Config(detect_language=not args.no_language),
        on_outcome=report,
        progress=False if args.no_progress else None,
        group=run_id,
    )
    run_batch(fetching.raw_paths([fetched]), wh, clean_id, options)
    clean_manifest = batches.manifest_location(wh, clean_id, run_id)
    run = batches.summarise_run(
        run_id, warehouse, [clean_manifest], fetches=[fetched], started=started
    )
    print(
        f"cleaner: {run['fetch']['fetched']} of {run['fetch']['urls']} URLs fetched; "
        f"{run['cleaned']} cleaned, {run['skipped']} already there, "
        f"{run['quarantined']} quarantined -> {args.out}",
        file=sys.stderr,
    )
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _fetch_policy(args: argparse.Namespace) -> Any:
    """The `FetchPolicy` of the options given; the others keep the policy's defaults."""
    from cleaner.fetch_policy import FetchPolicy, allowed_hosts

    given = {
        "timeout_s": args.timeout,
        "max_retries": args.retries,
        "max_bytes": args.max_bytes,
        "min_delay_s": args.delay,
        "user_agent": args.user_agent,
    }
    return FetchPolicy(
        **{field: value for field, value in given.items() if value is not None},
        respect_robots=not args.ignore_robots,
        allow_hosts=allowed_hosts(args.allow_host),
    )


def _print_document(outcome: Outcome, args: argparse.Namespace, header: bool = False) -> None:
    """The clean text on stdout (with `header`, under a line naming the input and its
    title, so that documents printed one after another stay apart), or one JSON object."""
    doc = outcome.document
    assert doc is not None
    if args.explain:
        for entry in doc.metadata["removed"]:
            reason = f"{entry['cleaner']}.{entry['rule']}"
            _write(f"{outcome.source}: - [{reason}] {entry['text']}", sys.stderr)
    if args.json or args.format == "json":
        _write(json.dumps({**doc.metadata, "text": doc.text}, ensure_ascii=False), sys.stdout)
    elif args.out is None and args.format == "markdown":
        from cleaner.assemble import markdown

        if header:
            _write(f"<!-- {outcome.source} -->", sys.stdout)
        _write(markdown(doc.segments, doc.metadata.get("title")), sys.stdout, end="\n\n")
    elif args.out is None:
        if header:
            title = doc.metadata.get("title")
            _write(f"==> {outcome.source}{f' | {title}' if title else ''} <==", sys.stdout)
        _write(doc.text, sys.stdout, end="\n\n")


def _write(text: str, stream: Any, end: str = "\n") -> None:
    """Print past `clean_many`'s progress bar: tqdm lifts the bar, prints, and redraws it,
    so lines and bar do not garble each other on a terminal."""
    from tqdm import tqdm

    tqdm.write(text, file=stream, end=end)


if __name__ == "__main__":
    sys.exit(main())
