"""The cleaner against trafilatura's default, per dataset and per WCXB page type, page by page.

`bench.run` gives one mean per dataset; a stage that helps one kind of page and hurts
another disappears in it. This script answers the question a stage must pass before it
stays: on which datasets and page types is the cleaner (or one of its ablations) above or
below trafilatura's default, and on which pages by more than `MARGIN` F1. Run from the
project root::

    python -m bench.compare --corpus ../shared/corpus \
        --systems cleaner,trafilatura,trafilatura_precision,trafilatura_fast

Systems are `bench.run`'s, plus `trafilatura_fast` and the cleaner with one stage switched
off, named ``cleaner-<stage>`` after `cleaner.extract.html.Stages`' fields (for example
``cleaner-container``, ``cleaner-fast_first``), ``cleaner-prune`` for the cleaner
without its selectolax pass (`Config.prune_html`), or ``cleaner-rules`` for extraction
alone, without the line cleaners (`Config.heuristic`, `Config.learned`): the ablation
runs the real pipeline with that switch turned off. Peers' outputs are kept
in `--cache` (they do not change while the cleaner's code does); the cleaner's are
recomputed on every run. Writes ``compare.md`` and ``compare.json`` into `--out`.

Per page, F1 is bag-of-words F1 against full-text gold, or, for snippet-only gold
(trafilatura-dev), the F1 of that page's snippet counts; a dataset's headline is the mean
per-page F1, or the micro snippet F1, as in `bench.run`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.run import (
    SYSTEMS,
    SnippetCounts,
    bow_scores,
    markdown_table,
    quiet_peer_logs,
    select_datasets,
    snippet_counts,
    split_names,
    timed,
)
from cleaner.training.corpus import CorpusPage, iter_corpus

#: A page counts as worse (or better) than the reference when its F1 differs by more than
#: this: the issue's threshold, well above the noise of one changed boilerplate line.
MARGIN = 0.1

#: The system every other one is compared with.
REFERENCE = "trafilatura"

#: Pages listed per system and dataset in the Markdown (all of them are in the JSON).
LISTED_PAGES = 12

DEFAULT_OUT = Path(__file__).resolve().parent / "results"
DEFAULT_CACHE = Path("/tmp/cleaner-bench-cache")


def run_trafilatura_fast(data: bytes, url: str | None) -> str:
    import trafilatura

    return trafilatura.extract(data, url=url, include_comments=False, fast=True) or ""


def cleaner_without(stage: str) -> Callable[[bytes, str | None], str]:
    """The cleaner with one of `cleaner.extract.html.Stages` switched off, or, for
    "prune", without the selectolax pass (`Config.prune_html`), or, for "rules", without
    the line cleaners."""

    def run(data: bytes, url: str | None) -> str:
        from cleaner import Config, clean_html
        from cleaner.extract import html

        if stage == "prune":
            return clean_html(data, url=url, config=Config(prune_html=False)).text
        if stage == "rules":
            config = Config(heuristic=False, learned=False)
            return clean_html(data, url=url, config=config).text
        saved = html.STAGES
        html.STAGES = replace(saved, **{stage: False})
        try:
            return clean_html(data, url=url).text
        finally:
            html.STAGES = saved

    return run


def system(name: str) -> Callable[[bytes, str | None], str]:
    if name == "trafilatura_fast":
        return run_trafilatura_fast
    if name.startswith("cleaner-"):
        return cleaner_without(name.removeprefix("cleaner-"))
    return SYSTEMS[name]


def check_names(names: Sequence[str]) -> None:
    from dataclasses import fields

    for name in names:
        if not name.startswith("cleaner-"):
            continue
        from cleaner.extract.html import Stages

        stages = {f.name for f in fields(Stages)} | {"prune", "rules"}
        if name.removeprefix("cleaner-") not in stages:
            raise SystemExit(f"unknown stage in {name}; stages: {sorted(stages)}")
    unknown = [n for n in names if not n.startswith("cleaner-")]
    unknown = [n for n in unknown if n not in SYSTEMS and n != "trafilatura_fast"]
    if unknown:
        raise SystemExit(f"unknown systems {unknown}")


# -- running -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Job:
    key: str  # dataset/id
    path: str
    url: str | None
    systems: tuple[str, ...]


def _run_job(job: Job) -> tuple[str, dict[str, str | None]]:
    """Outputs of the job's systems on one page; None where a system raised."""
    quiet_peer_logs()
    data = Path(job.path).read_bytes()
    outputs: dict[str, str | None] = {}
    for name in job.systems:
        output, _seconds, failed = timed(system(name), data, job.url)
        outputs[name] = None if failed else output
    return job.key, outputs


def outputs_for(
    pages: Sequence[CorpusPage], names: Sequence[str], cache: Path, workers: int
) -> dict[str, dict[str, str | None]]:
    """{system: {page key: output}}, peers read from `cache` where they were run before."""
    cache.mkdir(parents=True, exist_ok=True)
    found: dict[str, dict[str, str | None]] = {}
    for name in names:
        file = cache / f"{name}.json"
        cached = not name.startswith("cleaner") and file.is_file()
        found[name] = json.loads(file.read_text(encoding="utf-8")) if cached else {}
    jobs = []
    for page in pages:
        key = f"{page.dataset}/{page.id}"
        todo = tuple(name for name in names if key not in found[name])
        if todo:
            jobs.append(Job(key, str(page.html_path), page.url, todo))
    context = multiprocessing.get_context("forkserver")
    with context.Pool(workers, maxtasksperchild=200) as pool:
        for i, (key, outs) in enumerate(pool.imap(_run_job, jobs, chunksize=4), start=1):
            for name, output in outs.items():
                found[name][key] = output
            if i % 100 == 0:
                print(f"  {i}/{len(jobs)} pages", file=sys.stderr, flush=True)
    for name in names:
        if not name.startswith("cleaner"):
            (cache / f"{name}.json").write_text(json.dumps(found[name]), encoding="utf-8")
    return found


# -- scoring -------------------------------------------------------------------------------------


def page_f1(page: CorpusPage, output: str) -> tuple[float, SnippetCounts | None]:
    """(F1 of the page, its snippet counts when it is scored on snippets)."""
    if page.text:
        return bow_scores(output, page.text).f1, None
    counts = snippet_counts(output, page.with_snippets, page.without_snippets)
    return counts.scores().f1, counts


def groups_of(page: CorpusPage) -> list[str]:
    """The dataset, and for WCXB pages also `wcxb/<page type>` (both WCXB sets pooled)."""
    groups = [page.dataset]
    if page.page_type:
        groups.append(f"wcxb/{page.page_type}")
    return groups


def score(pages: Sequence[CorpusPage], outputs: dict[str, dict[str, str | None]]) -> dict[str, Any]:
    """Per group and system: the headline F1, pages, errors; and the pages that differ
    from the reference by more than `MARGIN`."""
    per_page: dict[str, dict[str, float]] = {name: {} for name in outputs}
    groups: dict[str, dict[str, Any]] = {}
    for page in pages:
        key = f"{page.dataset}/{page.id}"
        for name, by_page in outputs.items():
            output = by_page.get(key)
            f1, counts = page_f1(page, output or "")
            per_page[name][key] = f1
            for group in groups_of(page):
                tally = groups.setdefault(group, {}).setdefault(
                    name, {"f1s": [], "snippets": SnippetCounts(), "errors": 0}
                )
                tally["f1s"].append(f1)
                tally["errors"] += output is None
                if counts is not None:
                    tally["snippets"].add(counts)
    summary: dict[str, Any] = {}
    for group, by_system in groups.items():
        summary[group] = {}
        for name, tally in by_system.items():
            snippets: SnippetCounts = tally["snippets"]
            scored_on_snippets = snippets.tp + snippets.fn + snippets.fp > 0
            headline = (
                snippets.scores().f1
                if scored_on_snippets
                else sum(tally["f1s"]) / len(tally["f1s"])
            )
            summary[group][name] = {
                "f1": round(headline, 4),
                "metric": "sF1" if scored_on_snippets else "F1",
                "pages": len(tally["f1s"]),
                "errors": tally["errors"],
            }
    return {"summary": summary, "differences": differences(pages, per_page), "per_page": per_page}


def differences(
    pages: Sequence[CorpusPage], per_page: dict[str, dict[str, float]]
) -> dict[str, dict[str, dict[str, list[tuple[str, float, float]]]]]:
    """{system: {group: {"worse"|"better": [(page, its F1, the reference's F1)]}}}."""
    if REFERENCE not in per_page:
        return {}
    reference = per_page[REFERENCE]
    out: dict[str, dict[str, dict[str, list[tuple[str, float, float]]]]] = {}
    for name, scores in per_page.items():
        if name == REFERENCE:
            continue
        for page in pages:
            key = f"{page.dataset}/{page.id}"
            delta = scores[key] - reference[key]
            if abs(delta) <= MARGIN:
                continue
            side = "worse" if delta < 0 else "better"
            for group in groups_of(page):
                entry = (key, round(scores[key], 3), round(reference[key], 3))
                out.setdefault(name, {}).setdefault(group, {"worse": [], "better": []})[
                    side
                ].append(entry)
    return out


# -- report --------------------------------------------------------------------------------------


def markdown(result: dict[str, Any], names: Sequence[str], command: str) -> str:
    summary = result["summary"]
    group_names = sorted(summary, key=lambda g: (g.startswith("wcxb/"), g))
    headers = ["group", "pages", *names]
    rows = []
    for group in group_names:
        first = summary[group][names[0]]
        rows.append(
            [
                f"{group} ({first['metric']})",
                first["pages"],
                *(summary[group][name]["f1"] for name in names),
            ]
        )
    parts = [
        "# Per dataset and page type",
        "",
        f"`{command}`",
        "",
        f"Mean per-page F1 (sF1: micro snippet F1); the count of pages more than {MARGIN} "
        f"F1 below / above `{REFERENCE}` follows in the next table.",
        "",
        markdown_table(headers, rows),
    ]
    diffs = result["differences"]
    others = [n for n in names if n != REFERENCE and n in diffs]
    if others:
        headers = ["group", *(f"{n} worse/better" for n in others)]
        rows = []
        for group in group_names:
            cells = []
            for name in others:
                d = diffs[name].get(group, {"worse": [], "better": []})
                cells.append(f"{len(d['worse'])}/{len(d['better'])}")
            rows.append([group, *cells])
        parts += ["", markdown_table(headers, rows)]
        for name in others:
            for group in sorted(diffs[name]):
                if group.startswith("wcxb/"):
                    continue  # the pages are listed under their dataset
                for side in ("worse", "better"):
                    listed = sorted(diffs[name][group][side], key=lambda e: e[1] - e[2])
                    if side == "better":
                        listed.reverse()
                    if not listed:
                        continue
                    parts += ["", f"### {name} {side} than {REFERENCE} on {group}", ""]
                    parts += [
                        f"- {key}: {f1:.3f} vs {ref:.3f}" for key, f1, ref in listed[:LISTED_PAGES]
                    ]
                    if len(listed) > LISTED_PAGES:
                        parts.append(f"- … {len(listed) - LISTED_PAGES} more in compare.json")
    return "\n".join(parts) + "\n"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.compare", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--datasets", nargs="+", default=None)
    parser.add_argument(
        "--systems",
        nargs="+",
        default=["cleaner,trafilatura,trafilatura_precision,trafilatura_fast"],
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="peers' outputs")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--name", default="compare", help="stem of the files written")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    names = split_names(args.systems) or []
    check_names(names)
    folders = select_datasets(args.corpus, split_names(args.datasets))
    pages = [page for folder in folders for page in iter_corpus(folder)]
    outputs = outputs_for(pages, names, args.cache, args.workers)
    result = score(pages, outputs)
    text = markdown(result, names, " ".join(["python -m bench.compare", *argv]))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{args.name}.md").write_text(text, encoding="utf-8")
    public = {k: v for k, v in result.items() if k != "per_page"} | {"per_page": result["per_page"]}
    (args.out / f"{args.name}.json").write_text(json.dumps(public, indent=1), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
