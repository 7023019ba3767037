"""clean_pages over a folder of archives: the listing expands each archive into record
references and splits them into batches, so one archive spreads over mapped tasks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_archives import sample_pages, site_pages
from test_dags import fresh, map_labels, run_manifest, zone

from cleaner.archives.writer import PageRecord, write_jsonl, write_warc


@pytest.fixture(scope="module")
def dagbag() -> Any:
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(known_pools={"default_pool"})


def test_clean_pages_splits_archives_into_record_batches_and_reruns_add_nothing(
    airflow_db: None, dagbag: Any, tmp_path: Path
) -> None:
    source, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    source.mkdir()
    pages = sample_pages()
    write_warc(source / "crawl.warc.gz", pages)
    whole = write_warc(tmp_path / "whole.warc.gz", site_pages(6), "file").read_bytes()
    (source / "cut.warc.gz").write_bytes(whole[: len(whole) * 3 // 4])  # a damaged archive
    write_jsonl(
        source / "more.jsonl",
        [{"url": "https://j.example/1", "text": "A page of its own.\nWith a second line."}],
    )
    conf = {"source": str(source), "warehouse": str(warehouse), "batch_size": 4}
    dag = fresh(dagbag, "clean_pages")

    run = dag.test(run_conf=conf)

    assert run.state == "success"
    manifest = run_manifest(warehouse, run.run_id)
    assert manifest["found"] == manifest["inputs"] == manifest["cleaned"] + manifest["quarantined"]
    assert (
        manifest["cleaned"] >= len(pages) + 1 + 2
    )  # the whole archive, the JSON line, the cut one's first
    assert manifest["quarantined"] >= 1  # the cut-off archive's damage, with its reason
    assert all(
        f["error"] == "DamagedRecordError" and "cut.warc.gz" in f["source"]
        for f in manifest["failures"]
    )
    assert len(manifest["batches"]) == -(-manifest["inputs"] // 4) >= 4
    labels = map_labels(run, "clean_batch")
    assert labels[0] == "batch 0: 4 pages"
    listing = sorted((warehouse / "listings").rglob("batch-*.jsonl"))
    first = [json.loads(line) for line in listing[0].read_text().splitlines()]
    assert all(
        item["record"]["archive"].endswith(".gz") or item["record"]["format"] == "jsonl"
        for item in first
    )
    texts = zone(warehouse, "clean", ".txt")

    again = dag.test(run_conf=conf)

    assert again.state == "success"
    second = run_manifest(warehouse, again.run_id)
    assert (second["inputs"], second["done_before"]) == (0, manifest["found"])
    assert zone(warehouse, "clean", ".txt") == texts


def test_page_record_fixture_is_a_real_page() -> None:
    """The DAG test's pages must be cleanable pages, or its counts prove nothing."""
    assert all(isinstance(p, PageRecord) and len(p.body) > 200 for p in sample_pages())
