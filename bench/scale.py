"""Scale test: tens of thousands of generated pages through `run_batch`, with figures.

Generates N synthetic but realistic pages (HTML and plaintext mixed, spread over about 50
sites, each site with its own header, navigation, newsletter pitch, related-stories block
and footer around unique article paragraphs made from a word list, plus exact duplicates
and bad inputs), cleans them with `run_batch` into a fresh warehouse, and prints:

    throughput (pages/s) and wall time; peak memory of the parent and of each worker
    process; the largest number of files in one warehouse folder; whether every input is
    accounted for (cleaned + skipped + quarantined == inputs); DuckDB queries over the
    per-document rows and the clean-zone metadata, with their times; a second run (must
    add nothing) and how long finding the new inputs takes, with and without the input
    index; per-site template counts when the site-template store is installed.

Run from the project root::

    python -m bench.scale [--pages 20000] [--workers 2] [--seed 7] [--out DIR] [--keep]
                          [--max-tasks N]

Exits 1 when an input is unaccounted for or the second run cleaned anything.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaner.config import Config
from cleaner.metadata import site_of
from cleaner.runner import Outcome, RunOptions, input_id, pool, run_batch, triage
from cleaner.warehouse import Warehouse

#: About 50 sites, as the issue asks: enough that per-site templates are many, few enough
#: that each site has hundreds of pages at 20,000.
SITES = 50

#: Shares of the generated inputs (of N): plaintext pages (the rest is HTML), exact
#: duplicates of an earlier page under another name, and bad inputs. Scraped dumps hold
#: a few percent of each kind of trouble.
TEXT_SHARE, DUPLICATE_SHARE, BAD_SHARE = 0.4, 0.02, 0.01

#: Memory is sampled this often (psutil), in seconds.
SAMPLE_EVERY_S = 0.5

WORDS = """
the of and to in a is that for it as was with be by on not he this are or his from at which
but have an they you were her she there been one all we their has would when if so no
will more other its into time only new some could these two may first then do any like my
now over such our man me even most made after also did many before must through back years
where much your way well down should because each just those people how too little state
good very make world still own see men work long get here between both life being under never
day same another know while last might us great old year off come since against go came right
used take three council city market river bridge school harbour water report plan board court
police minister budget station museum library garden hospital election voters farmers workers
prices rents tenants engineers doctors nurses teachers pupils drivers passengers residents
village region county valley coast island mountain forest road railway airport ferry tunnel
festival season summer winter spring autumn morning evening weekend decade century history
agreed announced approved rejected delayed opened closed reported warned promised expected
said added explained argued suggested confirmed denied estimated measured recorded increased
fell rose doubled halved improved repaired replaced restored expanded reduced raised planned
""".split()

SECTIONS = "News Sport Business Opinion Culture Travel Science Video Podcasts Weather Local World"
ADJECTIVES = "Daily Evening Northern Coastal Valley Harbour Metro Rural Central Western".split()
NOUNS = "Gazette Courier Herald Chronicle Post Observer Echo Ledger Sentinel Review".split()
FIRST = "Anna Ben Clara David Elena Farid Grace Hugo Ines Jonas Kaya Liam Mira Noah".split()
LAST = "Smith Jones Brown Garcia Miller Novak Rossi Khan Silva Meyer Dubois Kowalski".split()
MONTHS = "January February March April May June July August September October November".split()


@dataclass(slots=True)
class Site:
    """One synthetic site: the furniture every one of its pages repeats."""

    domain: str
    name: str
    nav: list[str]
    newsletter: str
    footer: list[str]
    style: int  # which HTML skeleton the site uses
    related: list[str] = field(default_factory=list)


def make_site(rng: random.Random, n: int) -> Site:
    name = f"The {ADJECTIVES[n % 10]} {NOUNS[(n // 10) % 10]}"
    site = Site(
        domain=f"site{n:02d}.example",
        name=name,
        nav=rng.sample(SECTIONS.split(), rng.randint(5, 8)),
        newsletter=f"Get {name} in your inbox: sign up for our free morning newsletter today.",
        footer=[
            f"© 2025 {name}. All rights reserved.",
            "Privacy policy | Terms of use | Cookie settings | Contact us",
            f"Follow {name} on Facebook, Instagram and X",
        ],
        style=n % 3,
    )
    site.related = [headline(rng) for _ in range(12)]
    return site


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 24))]
    return " ".join(words).capitalize() + "."


def headline(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 9))).title()


@dataclass(slots=True)
class Article:
    title: str
    author: str
    date: str
    slug: str
    paragraphs: list[str]


def make_article(rng: random.Random, n: int) -> Article:
    title = headline(rng)
    return Article(
        title=title,
        author=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        date=f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, 2025",
        slug=f"{title.lower().replace(' ', '-')}-{n}",
        paragraphs=[
            " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))
            for _ in range(rng.randint(3, 9))
        ],
    )


def render_html(site: Site, art: Article, rng: random.Random) -> str:
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in site.nav)
    body = "".join(f"<p>{p}</p>\n" for p in art.paragraphs)
    related = "".join(
        f'<li><a href="/r/{i}">{h}</a></li>' for i, h in enumerate(rng.sample(site.related, 4))
    )
    footer = "".join(f"<p>{line}</p>" for line in site.footer)
    head = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{art.title} | '
        f'{site.name}</title><link rel="canonical" href="https://{site.domain}/{art.slug}">'
        "</head><body>"
    )
    byline = f'<p class="byline">By {art.author} | {art.date}</p>'
    if site.style == 0:
        return (
            f'{head}<header><div class="logo">{site.name}</div><nav><ul>{nav}</ul></nav>'
            '<a href="/subscribe">Subscribe</a> <a href="/login">Sign in</a></header><main>'
            f"<article><h1>{art.title}</h1>{byline}{body}</article>"
            f'<aside class="newsletter"><p>{site.newsletter}</p></aside>'
            f'<section class="related"><h2>More from {site.name}</h2><ul>{related}</ul></section>'
            f"</main><footer>{footer}</footer></body></html>"
        )
    if site.style == 1:
        return (
            f'{head}<div id="header"><span>{site.name}</span><div class="menu"><ul>{nav}</ul>'
            f'</div></div><div class="story-body"><h1>{art.title}</h1>{byline}{body}'
            f'<div class="share">Share on Facebook | Tweet | Email</div></div>'
            f'<div class="promo">{site.newsletter}</div><div class="more"><h3>Related stories'
            f'</h3><ul>{related}</ul></div><div id="footer">{footer}</div></body></html>'
        )
    return (
        f'{head}<nav class="top"><ul>{nav}</ul></nav><div class="content"><h1>{art.title}</h1>'
        f'<div class="meta">{art.author} · {art.date}</div>{body}</div><div class="sidebar">'
        f"<h4>Most read</h4><ul>{related}</ul><p>{site.newsletter}</p></div>"
        f"<footer>{footer}</footer></body></html>"
    )


def render_text(site: Site, art: Article, rng: random.Random) -> str:
    lines = [
        site.name,
        *site.nav,
        "Subscribe",
        "Sign in",
        art.title,
        f"By {art.author}",
        art.date,
        *art.paragraphs,
        "Share",
        site.newsletter,
        f"More from {site.name}",
        *rng.sample(site.related, 4),
        *site.footer,
    ]
    return "\n".join(lines) + "\n"


BAD_INPUTS: list[bytes] = [
    b"",
    b"   \n\t\n",
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    b'{"items": [1, 2, 3], "next": null}',
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title></channel></rss>',
]


def generate(root: Path, pages: int, seed: int = 7) -> Counter[str]:
    """Write `pages` inputs under `root/<site>/`; returns how many of each kind."""
    rng = random.Random(seed)
    sites = [make_site(rng, n) for n in range(SITES)]
    kinds: Counter[str] = Counter()
    written: list[Path] = []
    for n in range(pages):
        site = sites[n % SITES]
        folder = root / site.domain.split(".")[0]
        folder.mkdir(parents=True, exist_ok=True)
        roll = rng.random()
        if roll < BAD_SHARE:
            kinds["bad"] += 1
            path, data = folder / f"bad-{n:06d}.html", BAD_INPUTS[n % len(BAD_INPUTS)]
        elif roll < BAD_SHARE + DUPLICATE_SHARE and written:
            kinds["duplicate"] += 1
            original = rng.choice(written)
            path, data = folder / f"copy-{n:06d}{original.suffix}", original.read_bytes()
        elif roll < BAD_SHARE + DUPLICATE_SHARE + TEXT_SHARE:
            kinds["text"] += 1
            art = make_article(rng, n)
            path, data = folder / f"{n:06d}.txt", render_text(site, art, rng).encode()
        else:
            kinds["html"] += 1
            art = make_article(rng, n)
            path, data = folder / f"{n:06d}.html", render_html(site, art, rng).encode()
        path.write_bytes(data)
        if not path.name.startswith(("bad-", "copy-")):
            written.append(path)
    return kinds


# -- measuring --------------------------------------------------------------------------


class MemorySampler:
    """Samples the resident memory of this process and of its worker processes (the
    children of the forkserver, itself a child of this process) every `SAMPLE_EVERY_S`."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.parent_peak = 0
        self.workers: dict[int, list[int]] = {}  # pid -> rss samples in bytes
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(SAMPLE_EVERY_S):
            self.parent_peak = max(self.parent_peak, self.me.memory_info().rss)
            direct = {c.pid for c in self.me.children()}
            for child in self.me.children(recursive=True):
                if child.pid in direct:
                    continue  # the forkserver and the resource tracker
                with suppress(psutil.Error):  # it ended between listing and reading
                    self.workers.setdefault(child.pid, []).append(child.memory_info().rss)

    def report(self) -> dict[str, Any]:
        peaks = [max(s) for s in self.workers.values() if s]
        # Growth: how far a worker's second half of life rose above the peak of its first
        # half (which holds the warm-up), for workers sampled at least 10 times.
        long_lived = [s for s in self.workers.values() if len(s) >= 10]
        growth = [max(s[len(s) // 2 :]) - max(s[: len(s) // 2]) for s in long_lived]
        return {
            "parent_peak_rss_mb": _mb(max(self.parent_peak, _self_maxrss())),
            "worker_processes_seen": len(self.workers),
            "worker_peak_rss_mb_max": _mb(max(peaks, default=0)),
            "worker_peak_rss_mb_median": _mb(int(statistics.median(peaks)) if peaks else 0),
            "worker_rss_growth_mb_max": _mb(max(growth, default=0)),
        }


def _self_maxrss() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


def _mb(n: int) -> float:
    return round(n / 2**20, 1)


def largest_folders(root: Path, top: int = 3) -> list[tuple[str, int]]:
    counts = [(os.path.relpath(d, root), len(files)) for d, _, files in os.walk(root)]
    return sorted(counts, key=lambda x: -x[1])[:top]


def duckdb_figures(root: Path) -> dict[str, Any]:
    import duckdb

    rows = f"read_json_auto('{root}/manifests/documents/**/*.jsonl', hive_partitioning = true)"
    started = time.perf_counter()
    by_status = duckdb.sql(
        f"select status, count(*) from {rows} group by all order by all"
    ).fetchall()
    rows_s = time.perf_counter() - started
    started = time.perf_counter()
    meta = f"read_json_auto('{root}/clean/*/*.json')"
    by_language = duckdb.sql(
        f"select language, count(*), round(avg(word_count)) from {meta} group by all order by 2 desc"
    ).fetchall()
    meta_s = time.perf_counter() - started
    return {
        "rows_by_status": by_status,
        "rows_query_s": round(rows_s, 3),
        "clean_by_language": by_language[:5],
        "clean_query_s": round(meta_s, 3),
    }


def listing_figures(paths: list[Path], warehouse: Warehouse, root: Path) -> dict[str, float]:
    """Finding what is new in `paths`, three ways (all with the files in the page cache):
    reading and hashing every file (what `pending` did before the index), a listing that
    builds the index from nothing, and one that uses it."""
    started = time.perf_counter()
    new = [p for p in paths if not warehouse.has(input_id(p))]
    hash_all = time.perf_counter() - started
    shutil.rmtree(root / "index", ignore_errors=True)
    started = time.perf_counter()
    triage(paths, warehouse)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    todo, _ = triage(paths, warehouse)
    warm = time.perf_counter() - started
    assert len(todo) == len(new)
    return {
        "hash_every_file_s": round(hash_all, 2),
        "index_cold_s": round(cold, 2),
        "index_warm_s": round(warm, 2),
    }


# -- site templates: reported when cleaner.template_store is installed --------------------


class TemplateHook:
    """HOOK: per-site template counts. When `cleaner.template_store` exists (another
    engineer's work), every cleaned document with a URL is observed into a
    `TemplateSession` (writer: the run id) and saved at the end; `report` reads each
    site's templates back from the warehouse. Without the module it reports nothing."""

    def __init__(self, root: Path, writer: str) -> None:
        try:
            from cleaner.template_store import TemplateSession, TemplateStore
        except ImportError:
            self.session = None
            return
        self.store = TemplateStore(root)
        self.session = TemplateSession(self.store, writer)
        self.sites: Counter[str] = Counter()
        self.seconds = 0.0

    def observe(self, outcome: Outcome, status: str) -> None:
        if self.session is None or outcome.document is None or status != "cleaned":
            return
        started = time.perf_counter()
        if self.session.observe_document(outcome.document):
            self.sites[site_of(outcome.document.metadata.get("url")) or ""] += 1
        self.seconds += time.perf_counter() - started

    def report(self) -> dict[str, Any] | None:
        if self.session is None:
            return None
        started = time.perf_counter()
        files = self.session.save()
        save_s = time.perf_counter() - started
        started = time.perf_counter()
        loaded = {site: self.store.load(site) for site in self.sites}
        load_s = time.perf_counter() - started
        keys = [len(t.counts) for t in loaded.values()]
        pages = [t.pages for t in loaded.values()]
        return {
            "sites": len(loaded),
            "pages_observed": sum(self.sites.values()),
            "pages_per_site_min_max": (min(pages, default=0), max(pages, default=0)),
            "template_keys_per_site_min_max": (min(keys, default=0), max(keys, default=0)),
            "files_written": len(files),
            "observe_s": round(self.seconds, 2),
            "save_s": round(save_s, 2),
            "load_all_sites_s": round(load_s, 2),
        }


# -- the run ----------------------------------------------------------------------------


def run(pages: int, workers: int, seed: int, out: Path) -> dict[str, Any]:
    """Generate, clean twice, measure; returns the figures."""
    raw, root = out / "raw", out / "warehouse"
    started = time.perf_counter()
    kinds = generate(raw, pages, seed)
    generate_s = time.perf_counter() - started
    paths = sorted(p for p in raw.rglob("*") if p.is_file())
    warehouse = Warehouse(root)
    hook = TemplateHook(root, "scale-1")
    config = Config()

    with MemorySampler() as memory:
        started = time.perf_counter()
        first = run_batch(
            paths,
            warehouse,
            "scale-1",
            RunOptions(workers=workers, config=config, on_outcome=hook.observe),
        )
        wall = time.perf_counter() - started
    started = time.perf_counter()
    second = run_batch(
        paths, warehouse, "scale-2", RunOptions(workers=workers, config=config, progress=False)
    )
    second_s = time.perf_counter() - started

    accounted = first["cleaned"] + first["skipped"] + first["quarantined"] == first["inputs"]
    return {
        "pages": len(paths),
        "generated": dict(kinds),
        "generate_s": round(generate_s, 1),
        "workers": workers,
        "worker_max_tasks": pool.WORKER_MAX_TASKS,
        "wall_s": round(wall, 1),
        "pages_per_s": round(len(paths) / wall, 1),
        "first_run": {k: first[k] for k in ("inputs", "cleaned", "skipped", "quarantined")},
        "errors": dict(Counter(f["error"] for f in first["failures"])),
        "accounted_for": accounted,
        "memory": memory.report() | {"manifest_peak_rss_mb": first["peak_rss_mb"]},
        "largest_folders": largest_folders(root),
        "duckdb": duckdb_figures(root),
        "second_run": {k: second[k] for k in ("inputs", "cleaned", "skipped", "quarantined")}
        | {"wall_s": round(second_s, 2)},
        "listing": listing_figures(paths, warehouse, root),
        "templates": hook.report(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, help="folder to use (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the generated folder")
    parser.add_argument(
        "--max-tasks",
        type=int,
        help="inputs per worker before it is replaced (default: cleaner.pool.WORKER_MAX_TASKS)",
    )
    args = parser.parse_args(argv)
    if args.max_tasks:
        pool.WORKER_MAX_TASKS = args.max_tasks
    out = args.out or Path(tempfile.mkdtemp(prefix="cleaner-scale-"))
    try:
        figures = run(args.pages, args.workers, args.seed, out)
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    print(json.dumps(figures, indent=2, default=str))
    ok = figures["accounted_for"] and figures["second_run"]["cleaned"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
