"""Throughput and memory: the cleaner against trafilatura alone, on the same pages, in one run.

    python -m bench.speed --corpus ../shared/corpus [--limit N] [--workers N]

Each system runs in its own fresh process (so that peak memory is its own), first on one
core, then on `--workers` processes; the systems take turns for `--rounds` rounds and each
row is a system's median round, since the speed of a shared machine drifts over minutes.
A last, paired run times the systems page by page in turns within one process: its
ratios are the steadiest. Printed per system: documents and megabytes per second (wall
clock; CPU seconds beside them, which other load on the machine disturbs less), the
median and worst time per page, and peak resident memory. The cleaner runs its whole
pipeline (`clean_html`: pruning, extraction, every cleaner, metadata); the peer is
`trafilatura.extract` in its default configuration, comments excluded. A third row runs
trafilatura's fast mode (`fast=True`): not a target, but the most any pipeline can reach
while it runs trafilatura on every page, so it shows what the ratio is bounded by.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.run import WARM_UP_PAGE, quiet_peer_logs, run_cleaner, run_trafilatura
from cleaner.training.corpus import dataset_folders

Page = tuple[bytes, str | None]


def run_trafilatura_fast(data: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(data, url=url, include_comments=False, fast=True) or ""


SYSTEMS: dict[str, Callable[[bytes, str | None], str]] = {
    "cleaner": run_cleaner,
    "trafilatura": run_trafilatura,
    # not a target: the ceiling for any pipeline that runs trafilatura on every page
    "trafilatura fast": run_trafilatura_fast,
}


def load_pages(corpus: Path, limit: int | None) -> list[Page]:
    from cleaner.training.corpus import iter_corpus

    pages: list[Page] = []
    for folder in dataset_folders(corpus):
        pages += [(p.html_path.read_bytes(), p.url) for p in iter_corpus(folder)]
    return pages[:limit] if limit else pages


def _time_pages(name: str, pages: Sequence[Page]) -> dict[str, Any]:
    """Run one system over `pages` in this process: per-page seconds, failures, CPU time."""
    quiet_peer_logs()
    system = SYSTEMS[name]
    system(WARM_UP_PAGE, None)  # imports and models load before the clock starts
    seconds, failures = [], 0
    cpu = time.process_time()
    wall = time.perf_counter()
    for data, url in pages:
        started = time.perf_counter()
        try:
            system(data, url)
        except Exception:
            failures += 1
        seconds.append(time.perf_counter() - started)
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "seconds": seconds,
        "failures": failures,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _chunk_worker(args: tuple[str, Sequence[Page]]) -> dict[str, Any]:
    return _time_pages(*args)


def _paired_cpu(pages: Sequence[Page]) -> dict[str, float]:
    """CPU seconds of every system over `pages`, in one process, the systems taking turns
    page by page (each page's order rotating): a slower spell of the machine then falls
    on all of them alike. On this shared machine, whole runs in separate processes put
    trafilatura's fast mode anywhere from 1.2 to 1.8 times its default; page by page, the
    ratios repeat to within 0.03."""
    quiet_peer_logs()
    names = list(SYSTEMS)
    for name in names:
        SYSTEMS[name](WARM_UP_PAGE, None)
    cpu = dict.fromkeys(names, 0.0)
    for i, (data, url) in enumerate(pages):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            started = time.process_time()
            with contextlib.suppress(Exception):  # failures are counted in the rows above
                SYSTEMS[name](data, url)
            cpu[name] += time.process_time() - started
    return cpu


def paired(pages: Sequence[Page]) -> dict[str, float]:
    """`_paired_cpu` in a fresh process."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_paired_cpu, (pages,))


def single_core(name: str, pages: Sequence[Page]) -> dict[str, Any]:
    """One fresh process, every page in turn."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_time_pages, (name, pages))


def all_cores(name: str, pages: Sequence[Page], workers: int) -> dict[str, Any]:
    """`workers` fresh processes, each with an equal share of the pages (interleaved, so
    each gets a similar mix of sizes); wall time is the whole batch's."""
    shares = [pages[i::workers] for i in range(workers)]
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        pool.apply(_time_pages, (name, [(WARM_UP_PAGE, None)]))  # start-up off the clock
        started = time.perf_counter()
        results = pool.map(_chunk_worker, [(name, share) for share in shares])
        wall = time.perf_counter() - started
    return {
        "wall": wall,
        "cpu": sum(r["cpu"] for r in results),
        "seconds": [s for r in results for s in r["seconds"]],
        "failures": sum(r["failures"] for r in results),
        "peak_mb": max(r["peak_mb"] for r in results),
    }


def row(name: str, mode: str, result: dict[str, Any], megabytes: float) -> list[str]:
    docs = len(result["seconds"])
    return [
        name,
        mode,
        f"{docs / result['wall']:.1f}",
        f"{megabytes / result['wall']:.2f}",
        f"{docs / result['cpu']:.1f}" if mode == "1 core" else "",
        f"{statistics.median(result['seconds']) * 1000:.0f}",
        f"{max(result['seconds']):.2f}",
        f"{result['peak_mb']:.0f}",
        str(result["failures"]),
    ]


HEADERS = [
    "system",
    "processes",
    "docs/s",
    "MB/s",
    "docs per CPU-s",
    "median ms/page",
    "worst s/page",
    "peak MB/process",
    "errors",
]


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speed", description=__doc__)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=None, help="first N pages")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--rounds", type=int, default=3, help="runs per system, taking turns; the median is shown"
    )
    args = parser.parse_args(argv)
    pages = load_pages(args.corpus, args.limit)
    megabytes = sum(len(data) for data, _ in pages) / 1e6
    print(f"{len(pages)} pages, {megabytes:.1f} MB of HTML", file=sys.stderr)
    rows: list[list[str]] = []
    ratios: dict[str, float] = {}
    ceilings: dict[str, float] = {}
    for mode in ("1 core", f"{args.workers} processes"):
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in SYSTEMS}
        for round_ in range(1, args.rounds + 1):
            for name in SYSTEMS:  # in turns, so that a slower spell of a shared machine
                # does not fall on one system's runs only
                print(f"{name}, {mode}, round {round_}", file=sys.stderr, flush=True)
                if mode == "1 core":
                    runs[name].append(single_core(name, pages))
                else:
                    runs[name].append(all_cores(name, pages, args.workers))
        rates = {}
        for name, results in runs.items():
            result = median_run(results)
            rates[name] = len(pages) / result["wall"]
            rows.append(row(name, mode, result, megabytes))
        ratios[mode] = rates["cleaner"] / rates["trafilatura"]
        ceilings[mode] = rates["trafilatura fast"] / rates["trafilatura"]
    print("paired, one process, systems taking turns page by page", file=sys.stderr, flush=True)
    cpu = paired(pages)
    print(markdown(rows))
    for mode, ratio in ratios.items():
        print(f"\ncleaner / trafilatura, docs/s, {mode}: {ratio:.2f}")
        print(f"trafilatura fast / trafilatura, docs/s, {mode}: {ceilings[mode]:.2f}")
    print("\nPaired, one process, the systems taking turns page by page (docs per CPU-s):")
    for name, seconds in cpu.items():
        print(f"  {name}: {len(pages) / seconds:.1f}")
    print(f"cleaner / trafilatura, paired: {cpu['trafilatura'] / cpu['cleaner']:.2f}")
    print(
        f"trafilatura fast / trafilatura, paired: {cpu['trafilatura'] / cpu['trafilatura fast']:.2f}"
    )
    return 0


def median_run(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median wall time (the lower middle one of an even count).

    >>> [median_run([{"wall": w} for w in ws])["wall"] for ws in ([3, 1, 2], [4, 1])]
    [2, 1]
    """
    ordered = sorted(results, key=lambda r: r["wall"])
    return ordered[(len(ordered) - 1) // 2]


if __name__ == "__main__":
    raise SystemExit(main())
