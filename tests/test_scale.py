"""A small run of the scale benchmark (`bench/scale.py`): a few hundred generated pages over
50 sites through `run_batch` with two workers, then the checks the big run is read for.

The full run (`python -m bench.scale`, 20,000 pages) takes minutes; this one takes
seconds and fails on the same things: an input not accounted for, a second run that adds
something, rows that DuckDB cannot read or that disagree with the manifest, a warehouse
folder that grows with the number of pages, a worker over its memory budget.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.scale import SITES, generate, largest_folders, run

#: Enough pages for every site, some duplicates and some bad inputs (seed 7 gives both).
PAGES = 300

#: The issue's budget for one worker process.
WORKER_MEMORY_MB = 500


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return run(PAGES, 2, 7, tmp_path_factory.mktemp("scale"))


def test_generated_pages_spread_over_the_sites(tmp_path: Path) -> None:
    kinds = generate(tmp_path, PAGES, seed=7)
    assert sum(kinds.values()) == PAGES
    assert kinds["html"] > 0 and kinds["text"] > 0 and kinds["duplicate"] > 0 and kinds["bad"] > 0
    assert len([d for d in tmp_path.iterdir() if d.is_dir()]) == SITES
    assert max(count for _, count in largest_folders(tmp_path)) <= PAGES // SITES + 1


def test_every_input_is_accounted_for(figures: dict) -> None:
    first, kinds = figures["first_run"], figures["generated"]
    assert figures["accounted_for"]
    assert first["inputs"] == PAGES
    assert first["quarantined"] == kinds["bad"]  # every generated article cleans
    assert first["skipped"] == kinds["duplicate"]  # same bytes, stored once
    assert first["cleaned"] == kinds["html"] + kinds["text"]


def test_second_run_adds_nothing(figures: dict) -> None:
    assert figures["second_run"]["cleaned"] == figures["second_run"]["quarantined"] == 0
    assert figures["second_run"]["skipped"] == PAGES


def test_duckdb_rows_agree_with_the_manifests(figures: dict) -> None:
    by_status = dict(figures["duckdb"]["rows_by_status"])
    first, second = figures["first_run"], figures["second_run"]
    assert by_status == {
        "cleaned": first["cleaned"],
        "quarantined": first["quarantined"],
        "skipped": first["skipped"] + second["skipped"],
    }
    languages = dict((lang, n) for lang, n, _ in figures["duckdb"]["clean_by_language"])
    assert sum(languages.values()) == first["cleaned"]


def test_folders_and_memory_stay_small(figures: dict) -> None:
    (_, largest), *_ = figures["largest_folders"]
    assert largest <= 256  # the input index's shards; the clean zone's are smaller
    memory = figures["memory"]
    assert 0 < memory["worker_peak_rss_mb_max"] < WORKER_MEMORY_MB
    assert memory["worker_processes_seen"] >= 2
