"""The Airflow DAGs, parsed and run for real: `dag.test()` on the embedded SQLite database.

`dag.test()` runs every task in this process and returns the run without raising when a
task fails, so each test asserts the run's state and then the warehouse on disk.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from warehouse_view import run_manifest, zone

ROOT = Path(__file__).resolve().parents[1]
DAGS = ROOT / "dags"
SAMPLES_RAW = ROOT / "samples" / "raw"
CLEAN_ASSET_URI = "cleaner://warehouse/clean"

HTML_PAGE = """<!DOCTYPE html><html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>
<p>The regional water board confirmed on Friday that the reservoir had reached its highest
level in a decade, after three weeks of steady rain across the valley.</p>
<p>Engineers said the dam was in good condition and that the spillway would be opened
gradually over the weekend to keep the level within safe limits. {extra}</p>
</article><footer>Share this article</footer></body></html>
"""

TEXT_PAGE = """{title}
Share
The school board approved a new timetable on Monday evening after a long consultation with parents.
Classes will start half an hour later from September, and buses will run on the new times from the first day.
{extra}
Scroll to Top
"""


@pytest.fixture(scope="module")
def dagbag() -> Any:
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(known_pools={"default_pool"})


def fresh(dagbag: Any, dag_id: str) -> Any:
    """The DAG parsed anew for one test. `dag.test()` runs tasks in this process, and
    Airflow's `process_params` writes each run's conf into the DAG's shared `Param`
    objects (apache-airflow-task-sdk 1.3.2), so a parsed DAG reused across runs would
    carry one run's conf into the next as defaults. (A deep copy breaks mapped tasks.)"""
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=dagbag.dags[dag_id].fileloc).dags[dag_id]


def write_pages(folder: Path, samples: bool = True) -> int:
    """A few small raw pages (plus the project's samples, when there are any and `samples`);
    returns how many of them can be cleaned. An empty file and a hidden file are added: the first
    must be quarantined, the second ignored."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, extra in enumerate(["Fishing is suspended.", "Paths stay open."]):
        (folder / f"html_{n}.html").write_text(
            HTML_PAGE.format(title=f"Reservoir {n}", extra=extra)
        )
    sub = folder / "text"
    sub.mkdir()
    for n, extra in enumerate(["Parents welcomed it.", "Teachers asked for more time."]):
        (sub / f"text_{n}.txt").write_text(TEXT_PAGE.format(title=f"Timetable {n}", extra=extra))
    cleanable = 4
    if samples and SAMPLES_RAW.is_dir():
        for sample in sorted(p for p in SAMPLES_RAW.iterdir() if p.is_file()):
            shutil.copy(sample, folder / f"sample_{sample.name}")
            cleanable += 1
    (folder / "empty.txt").write_text("   \n")
    (folder / ".hidden.html").write_text(HTML_PAGE.format(title="Hidden", extra=""))
    return cleanable


def asset_events(run: Any) -> list[dict[str, Any]]:
    """The extras of the asset events the run emitted, from the metadata database."""
    from airflow.models.asset import AssetEvent, AssetModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    query = (
        select(AssetEvent.extra)
        .join(AssetModel, AssetModel.id == AssetEvent.asset_id)
        .where(AssetEvent.source_run_id == run.run_id, AssetModel.uri == CLEAN_ASSET_URI)
    )
    with create_session() as session:
        return [dict(extra) for extra in session.scalars(query)]


def map_labels(run: Any, task_id: str) -> list[str]:
    return sorted(ti.rendered_map_index for ti in run.get_task_instances() if ti.task_id == task_id)


def list_pages_xcom(run: Any) -> Any:
    """What `list_pages` pushed to XCom for the run, as stored in the metadata database."""
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    query = select(XComModel.value).where(
        XComModel.run_id == run.run_id,
        XComModel.task_id == "list_pages",
        XComModel.key == "return_value",
    )
    with create_session() as session:
        (value,) = session.scalars(query)
    return json.loads(value) if isinstance(value, str) else value


def task_states(run: Any) -> dict[str, str]:
    """Each task's state in the run (mapped tasks: the state of their map indexes, when
    they all agree)."""
    states: dict[str, set[str]] = {}
    for ti in run.get_task_instances():
        states.setdefault(ti.task_id, set()).add(str(ti.state))
    return {task_id: "/".join(sorted(s)) for task_id, s in states.items()}


def as_scheduled_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `dag.test()` create its run as the scheduler would (`run_type` "scheduled");
    it always creates manual runs (airflow.models.dagrun.get_or_create_dagrun, Airflow
    3.3), and the scheduled case is what a DAG file cannot otherwise be tested on without
    a running scheduler."""
    from airflow.models import dagrun
    from airflow.utils.types import DagRunType

    original = dagrun.get_or_create_dagrun

    def get_or_create_scheduled(*, dag: Any, **kwargs: Any) -> Any:
        create = dag.create_dagrun

        def create_scheduled(**run_kwargs: Any) -> Any:
            return create(**{**run_kwargs, "run_type": DagRunType.SCHEDULED})

        monkeypatch.setattr(dag, "create_dagrun", create_scheduled)
        return original(dag=dag, **kwargs)

    monkeypatch.setattr(dagrun, "get_or_create_dagrun", get_or_create_scheduled)


def document_rows(warehouse: Path) -> list[dict[str, Any]]:
    files = (warehouse / "manifests" / "documents").rglob("*.jsonl")
    return [json.loads(line) for f in files for line in f.read_text("utf-8").splitlines()]


def assert_counts_add_up(manifest: dict[str, Any]) -> None:
    assert manifest["inputs"] == manifest["cleaned"] + manifest["skipped"] + manifest["quarantined"]
    assert len(manifest["failures"]) == manifest["quarantined"]


# -- task logic without Airflow ----------------------------------------------------------------


def test_collect_urls_merges_params_and_file(tmp_path):
    from cleaner.runner.fetching import collect_urls

    url_file = tmp_path / "urls.txt"
    url_file.write_text(
        "# seeds\nhttp://a.example/1\n\n  http://b.example/2  \nhttp://a.example/1\n"
    )
    assert collect_urls(["http://c.example/3", "http://a.example/1"], str(url_file)) == [
        "http://c.example/3",
        "http://a.example/1",
        "http://b.example/2",
    ]


def test_read_raw_page_restores_url_and_headers(tmp_path):
    from cleaner.runner import read_input as read_raw_page
    from cleaner.warehouse import Warehouse

    body = "<html><body><p>Caf\xe9 prices rose.</p></body></html>".encode("cp1252")
    record = {
        "url": "http://a.example/r",
        "final_url": "http://a.example/final",
        "headers": {"Content-Type": "text/html; charset=windows-1252"},
    }
    path = Warehouse(tmp_path).write_raw("abcd", body, record)
    page = read_raw_page(path)
    assert (page.data, page.url, page.headers) == (body, record["final_url"], record["headers"])
    plain = tmp_path / "plain.html"  # not a raw zone body: read as it is
    plain.write_bytes(body)
    assert read_raw_page(plain).url is None


# -- parsing -------------------------------------------------------------------------------


def test_dags_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert {"clean_pages", "fetch_pages"} <= set(dagbag.dag_ids)


@pytest.mark.parametrize("dag_id", ["clean_pages", "fetch_pages"])
def test_dag_conventions(dagbag, dag_id):
    dag = dagbag.dags[dag_id]
    assert "cleaner" in dag.tags
    assert dag.catchup is False
    assert dag.doc_md and dag_id in dag.doc_md
    assert not dagbag.dag_warnings  # every task is in a known pool
    assert {task.retries for task in dag.tasks} == {0}  # CLEANER_TASK_RETRIES from conftest
    for name, param in dag.params.items():
        assert param.description, f"{dag_id} param {name} has no description"


@pytest.mark.parametrize(
    ("value", "expected"), [(None, "@daily"), ("0 3 * * *", "0 3 * * *"), ("none", None)]
)
def test_clean_pages_schedule_comes_from_the_environment(dagbag, monkeypatch, value, expected):
    from airflow.dag_processing.dagbag import DagBag

    if value is None:
        assert dagbag.dags["clean_pages"].schedule == expected
        return
    monkeypatch.setenv("CLEANER_CLEAN_SCHEDULE", value)
    reparsed = DagBag(dag_folder=DAGS / "clean_pages.py")
    assert reparsed.dags["clean_pages"].schedule == expected


# -- clean_pages -----------------------------------------------------------------------------


def test_clean_pages_end_to_end_and_rerun_adds_nothing(airflow_db, dagbag, tmp_path):
    source, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    cleanable = write_pages(source)
    conf = {"source": str(source), "warehouse": str(warehouse), "batch_size": 2}
    dag = fresh(dagbag, "clean_pages")

    run = dag.test(run_conf=conf)

    assert run.state == "success"
    texts, metas = zone(warehouse, "clean", ".txt"), zone(warehouse, "clean", ".json")
    assert len(texts) == len(metas) == cleanable
    assert {Path(p).stem for p in texts} == {Path(p).stem for p in metas}
    quarantined = zone(warehouse, "quarantine", ".json")
    assert len(quarantined) == 1
    record = json.loads((warehouse / "quarantine" / next(iter(quarantined))).read_text())
    assert record["error"] == "EmptyInputError" and record["source"].endswith("empty.txt")
    manifest = run_manifest(warehouse, run.run_id)
    assert_counts_add_up(manifest)
    assert manifest["found"] == cleanable + 1  # the hidden file is not an input
    assert (manifest["cleaned"], manifest["quarantined"]) == (cleanable, 1)
    assert manifest["found"] == manifest["inputs"] + manifest["done_before"] + manifest["deferred"]
    assert len(manifest["batches"]) == -(-(cleanable + 1) // 2)
    batch_manifests = list((warehouse / "manifests" / "batches").rglob("*.json"))
    assert len(batch_manifests) == len(manifest["batches"])  # in one folder for the run
    assert len({p.parent for p in batch_manifests}) == 1
    rows = document_rows(warehouse)
    assert sorted(r["source"] for r in rows) == sorted(
        str(p) for p in source.rglob("*") if p.is_file() and not p.name.startswith(".")
    )
    assert {r["status"] for r in rows} == {"cleaned", "quarantined"}
    sample = json.loads((warehouse / "clean" / next(iter(metas))).read_text())
    assert sample["source"].startswith(str(source))
    assert map_labels(run, "clean_batch")[0] == "batch 0: 2 pages"
    (event,) = asset_events(run)
    assert event["warehouse"] == str(warehouse) and event["cleaned"] == cleanable
    report = Path(event["report"])  # the run's report, in the warehouse
    assert report == warehouse / "reports" / f"{run.run_id}.html"
    assert report.read_text().count("<article class=page") == cleanable

    again = dag.test(run_conf=conf)

    assert again.state == "success"
    assert zone(warehouse, "clean", ".txt") == texts  # nothing added, nothing rewritten
    assert zone(warehouse, "quarantine", ".json") == quarantined
    second = run_manifest(warehouse, again.run_id)
    assert (second["inputs"], second["done_before"]) == (0, cleanable + 1)


def test_clean_pages_limit_and_reprocess(airflow_db, dagbag, tmp_path):
    source, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    write_pages(source, samples=False)
    dag = fresh(dagbag, "clean_pages")
    conf = {"source": f"file://{source}", "warehouse": str(warehouse), "pattern": "*.html"}

    first = dag.test(run_conf={**conf, "limit": 1})
    assert first.state == "success"
    manifest = run_manifest(warehouse, first.run_id)
    assert (manifest["found"], manifest["cleaned"], manifest["deferred"]) == (2, 1, 1)

    # a line threshold is a number the params accept and the clean tasks pass on
    redo_conf = {**conf, "reprocess": True, "line_threshold": 0.9}
    redo = fresh(dagbag, "clean_pages").test(run_conf=redo_conf)
    assert redo.state == "success"
    manifest = run_manifest(warehouse, redo.run_id)
    assert (manifest["inputs"], manifest["cleaned"], manifest["done_before"]) == (2, 2, 0)


def test_clean_pages_with_nothing_to_clean_still_writes_a_manifest(airflow_db, dagbag, tmp_path):
    source, warehouse = tmp_path / "empty", tmp_path / "warehouse"
    source.mkdir()
    run = fresh(dagbag, "clean_pages").test(
        run_conf={"source": str(source), "warehouse": str(warehouse)}
    )
    assert run.state == "success"
    manifest = run_manifest(warehouse, run.run_id)
    assert (manifest["found"], manifest["inputs"], manifest["batches"]) == (0, 0, [])


def test_clean_pages_fails_on_a_missing_source(airflow_db, dagbag, tmp_path, capfd):
    conf = {"source": str(tmp_path / "nowhere"), "warehouse": str(tmp_path / "warehouse")}
    run = fresh(dagbag, "clean_pages").test(run_conf=conf)
    assert run.run_type == "manual"
    assert run.state == "failed"
    assert task_states(run) == {
        "list_pages": "failed",
        "clean_batch": "upstream_failed",
        "write_manifest": "upstream_failed",
    }
    logged = "".join(capfd.readouterr())  # the task log goes to stdout under dag.test
    assert f"source {tmp_path / 'nowhere'} does not exist: set the source param" in logged
    assert not (tmp_path / "warehouse").exists()
    assert not asset_events(run)


def test_a_scheduled_run_without_its_source_is_a_no_op(
    airflow_db, dagbag, tmp_path, capfd, monkeypatch
):
    """Unpausing clean_pages starts a scheduled run on the defaults at once; where the
    source folder does not exist that run ends `success`, says why it did nothing, and
    writes nothing (no warehouse, no manifest, no asset event)."""
    as_scheduled_runs(monkeypatch)
    conf = {"source": str(tmp_path / "nowhere"), "warehouse": str(tmp_path / "warehouse")}

    run = fresh(dagbag, "clean_pages").test(run_conf=conf)

    assert run.run_type == "scheduled"
    assert run.state == "success"
    assert set(task_states(run).values()) == {"skipped"}
    warning = f"source {tmp_path / 'nowhere'} does not exist, so this scheduled run cleans nothing"
    logged = "".join(capfd.readouterr())
    assert warning in logged and "CLEANER_SOURCE" in logged
    assert not (tmp_path / "warehouse").exists()
    assert not asset_events(run)


def test_a_scheduled_run_with_its_source_cleans_as_usual(airflow_db, dagbag, tmp_path, monkeypatch):
    as_scheduled_runs(monkeypatch)
    source, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    cleanable = write_pages(source, samples=False)

    run = fresh(dagbag, "clean_pages").test(
        run_conf={"source": str(source), "warehouse": str(warehouse)}
    )

    assert (run.run_type, run.state) == ("scheduled", "success")
    assert run_manifest(warehouse, run.run_id)["cleaned"] == cleanable
    (event,) = asset_events(run)
    assert event["cleaned"] == cleanable


@pytest.mark.parametrize(
    "bad",
    [
        {"limit": -1},
        {"limit": "all"},
        {"batch_size": 0},
        {"reprocess": "yes"},
        {"source": ""},
        {"line_threshold": 1.5},
        {"line_threshold": "high"},
    ],
)
def test_clean_pages_rejects_invalid_params(airflow_db, dagbag, tmp_path, bad):
    from airflow.sdk.exceptions import ParamValidationError

    conf = {"source": str(tmp_path), "warehouse": str(tmp_path / "warehouse"), **bad}
    with pytest.raises(ParamValidationError):
        fresh(dagbag, "clean_pages").test(run_conf=conf)
    assert not (tmp_path / "warehouse").exists()


def test_clean_pages_params_choose_the_line_threshold():
    from cleaner.orchestration.tasks import CleanParams

    def config(extra: dict[str, object]):
        return CleanParams.from_params({"warehouse": "/wh", **extra}).config

    assert config({"line_threshold": 0.9}).line_threshold == 0.9
    assert config({"line_threshold": None}).line_threshold is None
    assert config({}).line_threshold is None  # a run from before the param


# -- fetch_pages -----------------------------------------------------------------------------


def test_fetch_pages_end_to_end(airflow_db, dagbag, local_site, tmp_path):
    warehouse = tmp_path / "warehouse"
    url_file = tmp_path / "urls.txt"
    url_file.write_text(
        f"# pages from the local site\n{local_site.url('/b.html')}\n\n{local_site.url('/slow')}\n"
    )
    urls = {
        "a": local_site.url("/a.html"),
        "missing": local_site.url("/missing.html"),
        "redirect": local_site.url("/redirect"),
        "private": local_site.url("/private/secret.html"),
    }
    conf = {
        "urls": list(urls.values()),
        "url_file": str(url_file),
        "warehouse": str(warehouse),
        "timeout_s": 0.5,
        "max_retries": 0,
        "min_delay_s": 0.05,
        "allow_hosts": ["127.0.0.1"],
    }

    run = fresh(dagbag, "fetch_pages").test(run_conf=conf)

    assert run.state == "success"
    metas = sorted((warehouse / "raw").rglob("*.meta.json"))
    records = {json.loads(p.read_text())["url"]: json.loads(p.read_text()) for p in metas}
    assert set(records) == {urls["a"], urls["redirect"], local_site.url("/b.html")}
    assert records[urls["redirect"]]["final_url"] == local_site.url("/c.html")
    for record in records.values():
        assert record["status"] == 200 and record["fetched_at"] and record["headers"]
    assert len(list((warehouse / "raw").rglob("*.body"))) == 3

    reasons = {
        r["source"]: r["reason"]
        for r in map(json.loads, map(Path.read_text, (warehouse / "quarantine").rglob("*.json")))
    }
    assert reasons == {
        urls["missing"]: "HTTP 404 Not Found",
        local_site.url("/slow"): "timed out after 0.5 s",
        urls["private"]: f"disallowed by robots.txt ({urls['private']})",
    }

    cleaned = [json.loads(p.read_text()) for p in (warehouse / "clean").rglob("*.json")]
    assert sorted(m["title"] for m in cleaned) == [
        "Bridge works approved",
        "Library opening hours",
        "New bus timetable",
    ]
    manifest = run_manifest(warehouse, run.run_id)
    assert_counts_add_up(manifest)
    assert manifest["fetch"]["urls"] == 6
    assert (manifest["fetch"]["fetched"], manifest["fetch"]["failed"]) == (3, 3)
    assert manifest["cleaned"] == 3

    # The raw zone can be cleaned again without fetching: same ids, so nothing to add.
    reclean = fresh(dagbag, "clean_pages").test(
        run_conf={
            "source": str(warehouse / "raw"),
            "pattern": "*.body",
            "warehouse": str(warehouse),
        }
    )
    assert reclean.state == "success"
    again = run_manifest(warehouse, reclean.run_id)
    assert (again["found"], again["done_before"], again["inputs"]) == (3, 3, 0)


def test_fetched_pages_keep_their_url_in_the_metadata(airflow_db, dagbag, local_site, tmp_path):
    warehouse = tmp_path / "warehouse"
    conf = {
        "urls": [local_site.url("/redirect")],
        "warehouse": str(warehouse),
        "min_delay_s": 0,
        "allow_hosts": ["127.0.0.1"],
    }
    assert fresh(dagbag, "fetch_pages").test(run_conf=conf).state == "success"
    (meta,) = (warehouse / "clean").rglob("*.json")
    assert json.loads(meta.read_text())["url"] == local_site.url("/c.html")


# -- batches at scale: files, not lists, through XCom ------------------------------------------


def test_mapped_tasks_get_batch_files_not_lists_of_paths(airflow_db, dagbag, tmp_path):
    source, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    write_pages(source, samples=False)
    conf = {"source": str(source), "warehouse": str(warehouse), "batch_size": 2}

    run = fresh(dagbag, "clean_pages").test(run_conf=conf)

    assert run.state == "success"
    batch_files = list_pages_xcom(run)
    assert len(batch_files) == 3  # five pages (the hidden one is not an input), two a batch
    listing = Path(batch_files[0]).parent
    assert listing.parent == warehouse / "listings"
    assert [Path(f).name for f in batch_files] == [f"batch-{n:05d}.jsonl" for n in (1, 2, 3)]
    from cleaner.runner.batches import read_batch

    listed = [p for f in batch_files for p in read_batch(f)]
    inputs = sorted(str(p) for p in source.rglob("*") if p.is_file() and p.name != ".hidden.html")
    assert sorted(listed) == inputs and len(listed) == len(set(listed))
    counts = json.loads((listing / "listing.json").read_text())
    assert counts == {"found": 5, "done_before": 0, "deferred": 0, "inputs": 5}
    assert run_manifest(warehouse, run.run_id)["inputs"] == 5
    assert map_labels(run, "clean_batch") == [
        "batch 0: 2 pages",
        "batch 1: 2 pages",
        "batch 2: 1 pages",
    ]


def test_a_run_removes_listings_of_runs_past_the_retention(airflow_db, dagbag, tmp_path):
    from cleaner.runner.batches import LISTING_RETENTION_S

    source, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    write_pages(source, samples=False)
    old = warehouse / "listings" / "manual__2020-01-01"
    old.mkdir(parents=True)
    (old / "batch-00001.jsonl").write_text('"gone.html"\n')
    then = time.time() - LISTING_RETENTION_S - 60
    os.utime(old / "batch-00001.jsonl", (then, then))
    conf = {"source": str(source), "warehouse": str(warehouse)}

    run = fresh(dagbag, "clean_pages").test(run_conf=conf)

    assert run.state == "success"
    assert not old.exists()
    assert Path(list_pages_xcom(run)[0]).exists()  # this run's own listing stays


def test_batches_grow_to_stay_within_max_map_length(airflow_db, dagbag, tmp_path, monkeypatch):
    """With `[core] max_map_length` at 2, five pages in batches of one must become two
    batches: Airflow would fail a run that pushed five."""
    monkeypatch.setenv("AIRFLOW__CORE__MAX_MAP_LENGTH", "2")
    source, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    write_pages(source, samples=False)
    conf = {"source": str(source), "warehouse": str(warehouse), "batch_size": 1}

    run = fresh(dagbag, "clean_pages").test(run_conf=conf)

    assert run.state == "success"
    assert len(list_pages_xcom(run)) == 2
    manifest = run_manifest(warehouse, run.run_id)
    assert_counts_add_up(manifest)
    assert (manifest["inputs"], manifest["cleaned"], len(manifest["batches"])) == (5, 4, 2)


def test_300k_paths_make_at_most_1024_batch_files(tmp_path):
    from cleaner.runner.batches import MAX_MAPPED_BATCHES, read_batch, write_batches

    paths = [f"/data/raw/site{n % 50:02d}/page-{n:06d}.html" for n in range(300_000)]
    files = write_batches(paths, str(tmp_path / "wh"), "scheduled__2026-01-01", 100)
    assert len(files) == MAX_MAPPED_BATCHES
    assert [p for f in files for p in read_batch(f)] == paths  # each once, in order
    assert max(len(f) for f in files) < 200  # what XCom carries: short locations


def test_batch_files_keep_any_file_name(tmp_path):
    from cleaner.runner.batches import read_batch, write_batches

    odd = [
        "/raw/line\nbreak.html",
        '/raw/"quoted".txt',
        "/raw/caf\u00e9 \u00fcber.html",
        "/raw/\\x.txt",
    ]
    (batch_file,) = write_batches(odd, str(tmp_path / "wh"), "run", 10)
    assert read_batch(batch_file) == odd
