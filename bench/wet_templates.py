"""Site templates on plaintext records: the corpus's multi-page sites as one WET crawl.

    python -m bench.wet_templates --corpus ../shared/corpus [--min-pages 3]

Takes the wcxb-dev-more pages whose site (the gold's `domain`) has at least `--min-pages`
pages, renders each as naive plaintext (`cleaner.training.corpus.render_lines`, the way
the seeds look), labels every line against the gold (`label_lines`), and writes them as
`conversion` records with their URLs into one WET file. That file is then cleaned three
ways through `run_batch`, and the labelled lines kept and dropped are counted per site
and overall (boilerplate lines left, content lines lost):

    page by page    site templates off: what a plaintext page without a URL always got
    one crawl       templates on, learned within the batch as it goes
    crawl, again    the same records cleaned again (`reprocess`) with the templates the
                    first crawl saved: a site that returns the next day

The corpus pages are read, never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from bench.run import LineTally, page_labels
from cleaner.archives.writer import PageRecord, write_warc
from cleaner.cleaners.title import MOVED_TO_TITLE
from cleaner.config import Config
from cleaner.document import Document
from cleaner.runner import Outcome, RunOptions, run_batch
from cleaner.training.corpus import CorpusPage, iter_corpus, render_lines
from cleaner.warehouse import Warehouse

DATASET = "wcxb-dev-more"


def multi_page_sites(corpus: Path, min_pages: int) -> list[tuple[str, CorpusPage]]:
    """(site, page) for the pages of sites with at least `min_pages` pages, in id order."""
    folder = corpus / DATASET
    domains = {}
    for line in (folder / "gold.jsonl").read_text("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            domains[str(record["id"])] = record.get("domain")
    counts = Counter(d for d in domains.values() if d)
    return [
        (domains[p.id], p)
        for p in iter_corpus(folder)
        if counts[domains.get(p.id)] >= min_pages and p.url and (p.text or p.with_snippets)
    ]


def kept_lines(doc: Document | None, count: int, labels: list[bool | None]) -> list[bool]:
    """Which rendered lines the document kept (a content line moved to the title is
    delivered), as `bench.run` counts them."""
    kept = [False] * count
    if doc is None:
        return kept
    for segment in doc.segments:
        if segment.index < count:
            moved = segment.dropped_by in MOVED_TO_TITLE and labels[segment.index] is True
            kept[segment.index] = segment.kept or moved
    return kept


def clean_crawl(
    wet: Path, warehouse: Path, config: Config, reprocess: bool = False
) -> dict[str, Document | None]:
    """Documents by URL from one `run_batch` over the WET file (segments kept: one process)."""
    docs: dict[str, Document | None] = {}

    def keep(outcome: Outcome, status: str) -> None:
        url = outcome.document.metadata["url"] if outcome.document is not None else None
        if url is not None:
            docs[url] = outcome.document

    run_batch([wet], Warehouse(warehouse), None, RunOptions(config=config, reprocess=reprocess, progress=False, on_outcome=keep))
    return docs


def tally_by_site(
    pages: list[tuple[str, CorpusPage, list[str], list[bool | None]]], docs: dict[str, Document | None]
) -> dict[str, LineTally]:
    tallies: dict[str, LineTally] = defaultdict(LineTally)
    for site, page, lines, labels in pages:
        assert page.url is not None
        tallies[site].count(labels, kept_lines(docs.get(page.url), len(lines), labels))
        tallies[site].docs += 1
    return tallies


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--min-pages", type=int, default=3)
    args = parser.parse_args(argv)
    selected = multi_page_sites(args.corpus, args.min_pages)
    rendered = []
    for site, page in selected:
        lines = render_lines(page.html_path.read_bytes())
        if lines:
            rendered.append((site, page, lines, page_labels(page, lines)))
    with tempfile.TemporaryDirectory(prefix="bench-wet-") as tmp:
        folder = Path(tmp)
        records = [PageRecord(p.url or "", "\n".join(lines).encode("utf-8")) for _, p, lines, _ in rendered]
        wet = write_warc(folder / "crawl.wet.gz", records, wet=True)
        runs: dict[str, dict[str, LineTally]] = {
            "page by page": tally_by_site(rendered, clean_crawl(wet, folder / "wh-off", Config(site_templates=False))),
            "one crawl, templates": tally_by_site(rendered, clean_crawl(wet, folder / "wh", Config())),
            "crawl again, templates saved": tally_by_site(rendered, clean_crawl(wet, folder / "wh", Config(), reprocess=True)),
        }
    sites = sorted({site for site, *_ in rendered}, key=lambda s: (-sum(1 for x in rendered if x[0] == s), s))
    print(f"{len(rendered)} pages of {len(sites)} sites with at least {args.min_pages} pages ({DATASET})")
    print("boilerplate lines left / content lines lost")
    print("| site | pages | " + " | ".join(runs) + " |")
    print("|---|---:|" + "---:|" * len(runs))
    for site in [*sites, "overall"]:
        cells = []
        for tallies in runs.values():
            tally = tallies[site] if site != "overall" else _overall(tallies)
            cells.append(f"{pct(tally.boilerplate_kept, tally.boilerplate)} / {pct(tally.content_lost, tally.content)}")
        docs = sum(1 for x in rendered if x[0] == site) if site != "overall" else len(rendered)
        print(f"| {site} | {docs} | " + " | ".join(cells) + " |")


def _overall(tallies: dict[str, LineTally]) -> Any:
    total = LineTally()
    for tally in tallies.values():
        total.add(tally)
    return total


if __name__ == "__main__":
    main()
