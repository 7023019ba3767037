"""Archive reading: a large WARC streamed with flat memory, and the same pages read and
cleaned from a WARC against from files.

    python -m bench.archives large [--gb 1.0] [--dir DIR] [--keep]
    python -m bench.archives files --corpus ../shared/corpus [--pages 400]

`large` writes a per-record-gzip WARC of at least `--gb` GB (synthetic pages of random
words and markup, 20-120 KB each, one request record per response, as crawlers write),
then lists it in a fresh process (every record read, its payload hashed, the body
dropped, the references remembered in an `ArchiveIndex`) and prints records/s, MB/s and
the peak RSS, sampled as it goes, so that growth would show; then lists it again from the
index (what a rerun over the unchanged archive costs).

`files` takes corpus pages, writes them as files and as a WARC (per-record gzip and
uncompressed) in a temporary folder, and prints, for each: reading (the bytes and their
content id, which is what the listing does) in records/s, and cleaning through
`run_batch` in one process (pages/s). The corpus pages are only read, never copied into
the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cleaner.archives import ArchiveIndex, ScanStats, list_records
from cleaner.archives.writer import PageRecord, warc_records
from cleaner.runner import RunOptions, run_batch
from cleaner.runner.inputs import input_id
from cleaner.warehouse import Warehouse

WORDS = """the council harbour ferry school budget river storm festival bridge library market
vote season fishing museum road station teacher farmer rain tide wind mayor of and to in
a new old said would could after before during between under over report city county""".split()


def synthetic_page(rng: random.Random, n: int) -> PageRecord:
    """A page of 20-120 KB: a menu, paragraphs of random words, a footer."""
    size = rng.randint(20_000, 120_000)
    parts = [f"<html><head><title>Story {n}</title></head><body><nav>Home News Sport</nav>"]
    total = 0
    while total < size:
        para = " ".join(rng.choice(WORDS) for _ in range(rng.randint(30, 90)))
        parts.append(f"<p>{para.capitalize()}.</p>")
        total += len(para) + 8
    parts.append("<footer>Contact us</footer></body></html>")
    return PageRecord(f"https://site{n % 500}.example/story/{n}", "".join(parts).encode("utf-8"))


#: Distinct generated pages that the large archive cycles through (generating every page
#: afresh in Python would take longer than the benchmark itself).
POOL_PAGES = 300


def write_large(path: Path, gigabytes: float, seed: int = 7) -> tuple[int, float]:
    """Write pages until the file is `gigabytes` GB; (pages, seconds)."""
    import gzip

    rng = random.Random(seed)
    pool = [synthetic_page(rng, n) for n in range(POOL_PAGES)]
    target = int(gigabytes * 1e9)
    started = time.perf_counter()
    pages = 0
    with path.open("wb") as out:

        def pages_forever() -> Any:
            nonlocal pages
            while True:  # a pool page made unique (its own id) by a comment and URL
                base = pool[pages % POOL_PAGES]
                pages += 1
                body = base.body + f"<!-- {pages} -->".encode()
                yield PageRecord(f"https://site{pages % 500}.example/story/{pages}", body)

        for record in warc_records(pages_forever()):
            out.write(gzip.compress(record, compresslevel=1, mtime=0))
            if out.tell() >= target:
                break
    return pages, time.perf_counter() - started


def scan(path: Path) -> dict[str, Any]:
    """List the archive in this process, remembering the listing in a temporary index
    (`ArchiveIndex`), then list it again from the index: records/s, MB/s, RSS samples."""
    stats = ScanStats()
    samples: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-archive-index-") as folder:
        index = ArchiveIndex(Path(folder))
        started = time.perf_counter()
        count = 0
        for _ in index.records(path, stats=stats):
            count += 1
            if count % 2000 == 0:
                samples.append(_peak_rss_mb())
        seconds = time.perf_counter() - started
        peak_listing = _peak_rss_mb()
        started = time.perf_counter()
        again = sum(1 for _ in index.records(path))
        again_seconds = time.perf_counter() - started
    size = path.stat().st_size
    return {
        "records": count,
        "damaged": stats.damaged,
        "not_pages": sum(stats.skipped.values()),
        "seconds": round(seconds, 1),
        "records_per_s": round(count / seconds, 1),
        "compressed_mb_per_s": round(size / seconds / 1e6, 1),
        "rss_mb_samples": samples[:: max(1, len(samples) // 10)],
        "peak_rss_mb_listing": peak_listing,
        "relisted_from_index": again,
        "relisting_seconds": round(again_seconds, 2),
        "peak_rss_mb_after_relisting": _peak_rss_mb(),
    }


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def large(args: argparse.Namespace) -> None:
    folder = Path(args.dir or tempfile.mkdtemp(prefix="bench-archives-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "large.warc.gz"
    try:
        pages, seconds = write_large(path, args.gb)
        print(f"wrote {path}: {path.stat().st_size / 1e9:.2f} GB, {pages} pages, {seconds:.0f} s")
        child = subprocess.run(
            [sys.executable, "-m", "bench.archives", "_scan", str(path)],
            check=True, capture_output=True, text=True,
        )
        result = json.loads(child.stdout)
        print(json.dumps(result, indent=2))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def corpus_pages(corpus: Path, limit: int) -> list[PageRecord]:
    """HTML pages of the corpus with made-up URLs (only their bytes matter here)."""
    paths = sorted(corpus.glob("*/html/*"))[:limit]
    return [PageRecord(f"https://c{n % 50}.example/{p.stem}", p.read_bytes()) for n, p in enumerate(paths)]


#: Pages cleaned before timing, so that loading the line model and language data is not
#: charged to whichever input kind goes first.
WARM_UP_PAGES = 5


def files(args: argparse.Namespace) -> None:
    from cleaner.archives.writer import write_warc

    pages = corpus_pages(Path(args.corpus), args.pages)
    folder = Path(tempfile.mkdtemp(prefix="bench-archives-"))
    try:
        (folder / "pages").mkdir()
        page_files = []
        for n, page in enumerate(pages):
            page_files.append(folder / "pages" / f"{n:05d}.html")
            page_files[-1].write_bytes(page.body)
        inputs: dict[str, list[Path]] = {
            "files": page_files,
            "warc (gzip per record)": [write_warc(folder / "crawl.warc.gz", pages, "record")],
            "warc (uncompressed)": [write_warc(folder / "crawl.warc", pages, "none")],
        }
        megabytes = sum(len(p.body) for p in pages) / 1e6
        run_batch(page_files[:WARM_UP_PAGES], Warehouse(folder / "wh-warm"), "warm", RunOptions(progress=False))
        print(f"{len(pages)} corpus pages, {megabytes:.1f} MB of HTML; one process, a shared 2-core machine")
        print("| input | read + hash, records/s | MB/s | clean (run_batch), pages/s |")
        print("|---|---:|---:|---:|")
        for name, paths in inputs.items():
            read_rate = _read_rate(paths, len(pages))
            clean_rate = _clean_rate(paths, folder / f"wh-{len(name)}", len(pages))
            print(f"| {name} | {read_rate:.0f} | {read_rate * megabytes / len(pages):.0f} | {clean_rate:.1f} |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _read_rate(paths: list[Path], count: int, rounds: int = 3) -> float:
    """Best of `rounds`: files read and hashed one by one, or an archive listed."""
    best = 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        if len(paths) == 1 and paths[0].suffix in {".gz", ".warc"}:
            got = sum(1 for _ in list_records(paths[0]))
        else:
            got = len([input_id(p) for p in paths])
        assert got == count, (got, count)
        best = max(best, count / (time.perf_counter() - started))
    return best


def _clean_rate(paths: list[Path], warehouse: Path, count: int) -> float:
    started = time.perf_counter()
    manifest = run_batch(paths, Warehouse(warehouse), "bench", RunOptions(progress=False))
    assert manifest["inputs"] == count, manifest["inputs"]
    return count / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    big = sub.add_parser("large", help="a >= 1 GB WARC streamed with flat memory")
    big.add_argument("--gb", type=float, default=1.0)
    big.add_argument("--dir", help="where to write it (default: a temporary folder)")
    big.add_argument("--keep", action="store_true", help="keep the archive")
    same = sub.add_parser("files", help="the same pages from a WARC and from files")
    same.add_argument("--corpus", required=True)
    same.add_argument("--pages", type=int, default=400)
    inner = sub.add_parser("_scan")
    inner.add_argument("path", type=Path)
    args = parser.parse_args(argv)
    if args.command == "large":
        large(args)
    elif args.command == "files":
        files(args)
    else:
        print(json.dumps(scan(args.path)))


if __name__ == "__main__":
    main()
