"""Two processes writing one warehouse in one S3 bucket at once, on a real S3 server.

moto's standalone server (the `cluster` extra) runs on 127.0.0.1 for these tests, and the
warehouse is an `s3://<conn>@bucket/...` `ObjectStoragePath`, as in the Airflow tasks. The
writers are separate processes started together behind a barrier, so their requests
interleave on the server the way two Celery workers' do. What must hold:

- a page that both clean (copies of one page in two batches) is counted as cleaned once,
  so the runs' counts match the clean zone (`Warehouse.write` creates the metadata
  exclusively);
- the site templates of both writers' batches are all there: the page count is exact,
  also for a reader that listed the site's folder before they wrote (s3fs caches
  listings per process; `cleaner.warehouse.forget_listing`);
- every batch and run manifest, every row file and listing adds up;
- a reader polling the bucket while they write never gets an object it cannot parse.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("moto.server", reason="the cluster extra is not installed")
pytest.importorskip("s3fs", reason="the cluster extra is not installed")
pytest.importorskip("airflow.providers.amazon", reason="the cluster extra is not installed")

CONN_ID = "cleaner_test_s3"
BUCKET = "cleaner-concurrency"
SITE = "news.example.org"
#: The ports this project's tests and demos may use on a shared machine.
PORT_RANGE = range(28600, 28700)


def _free_port() -> int:
    for port in PORT_RANGE:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORT_RANGE}")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on a loopback port, with an Airflow connection (by environment
    variable, which child processes inherit) whose endpoint_url points at it."""
    port = _free_port()
    server = Path(sys.executable).parent / "moto_server"
    proc = subprocess.Popen(
        [str(server), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    saved = dict(os.environ)
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_DEFAULT_REGION": "us-east-1",
            f"AIRFLOW_CONN_{CONN_ID.upper()}": json.dumps(
                {
                    "conn_type": "aws",
                    "login": "test",
                    "password": "test",
                    "extra": {"endpoint_url": endpoint, "region_name": "us-east-1"},
                }
            ),
        }
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(endpoint, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("moto_server did not start") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        os.environ.clear()
        os.environ.update(saved)
        proc.terminate()
        proc.wait(10)


def _client(endpoint: str) -> Any:
    import boto3

    return boto3.client("s3", endpoint_url=endpoint)


@pytest.fixture
def warehouse_url(s3_endpoint: str, request: pytest.FixtureRequest) -> str:
    """A fresh bucket prefix per test."""
    client = _client(s3_endpoint)
    if BUCKET not in [b["Name"] for b in client.list_buckets()["Buckets"]]:
        client.create_bucket(Bucket=BUCKET)
    return f"s3://{CONN_ID}@{BUCKET}/{request.node.name}"


def _objects(endpoint: str, url: str) -> dict[str, bytes]:
    """Every object under the url's prefix, by key relative to it."""
    prefix = url.split(f"{BUCKET}/", 1)[1] + "/"
    client = _client(endpoint)
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=prefix):
        for obj in page.get("Contents", []):
            body = client.get_object(Bucket=BUCKET, Key=obj["Key"])["Body"].read()
            found[obj["Key"][len(prefix) :]] = body
    return found


def _page(n: int) -> bytes:
    """An article of `SITE` with its own text and the site's menu and footer."""
    body = "".join(
        f"<p>Story {n}, paragraph {k}: the council of district {n} met on day {k} and "
        f"agreed on budget line {n * 7 + k} after a long debate about roads and parks.</p>"
        for k in range(4)
    )
    return (
        f'<html><head><title>Story {n}</title><link rel="canonical" '
        f'href="https://{SITE}/story-{n}"></head><body><nav><a href="/">Home</a> '
        f'<a href="/news">News</a> <a href="/sport">Sport</a></nav><article><h1>Story {n}'
        f"</h1>{body}</article><footer>Copyright Example News. All rights reserved."
        "</footer></body></html>"
    ).encode()


# -- processes (module level, so that spawned children can import them) -------------------


def _write_same_documents(url: str, ids: list[str], barrier: Any, results: Any) -> None:
    """Write the same documents as another process does, at the same time."""
    from cleaner.document import Document
    from cleaner.storage import storage_path
    from cleaner.warehouse import Warehouse

    wh = Warehouse(storage_path(url))
    docs = [Document(id=i, text=f"text of {i}", metadata={"id": i}) for i in ids]
    barrier.wait()
    results.put(sum(wh.write(doc) for doc in docs))


def _run_batches(url: str, run_id: str, pages: list[str], barrier: Any) -> None:
    """What the tasks of one Airflow run do: batch files, batches, run manifest."""
    from cleaner.runner import RunOptions, run_batch
    from cleaner.runner.batches import (
        batch_run_id,
        manifest_location,
        read_batch,
        summarise_run,
        write_batches,
    )
    from cleaner.storage import storage_path
    from cleaner.warehouse import Warehouse

    wh = Warehouse(storage_path(url))
    barrier.wait()
    manifests = []
    for index, batch_file in enumerate(write_batches(pages, url, run_id, batch_size=6)):
        batch = batch_run_id(run_id, "batch", index)
        paths = [storage_path(p) for p in read_batch(batch_file)]
        run_batch(paths, wh, batch, RunOptions(group=run_id, day="2026-01-02"))
        manifests.append(manifest_location(wh, batch, run_id))
    summarise_run(run_id, url, manifests)


def _poll(url: str, endpoint: str, stop: Any, results: Any) -> None:
    """Read every object (and the site's templates) over and over until told to stop;
    report how many reads were made and which objects could not be parsed."""
    from cleaner.storage import storage_path
    from cleaner.template_store import TemplateStore

    skipped: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            skipped.append(record.getMessage())

    logging.getLogger("cleaner.template_store").addHandler(Catch(logging.WARNING))
    store = TemplateStore(storage_path(url), auto_compact=False)
    reads, broken = 0, []
    while not stop.is_set():
        for key, body in _objects(endpoint, url).items():
            reads += 1
            try:
                if key.endswith(".jsonl"):
                    [json.loads(line) for line in body.decode().splitlines()]
                elif key.endswith(".json"):
                    json.loads(body)
                else:
                    body.decode()
            except ValueError as exc:
                broken.append(f"{key}: {exc}")
        store.load(SITE)
    results.put({"reads": reads, "broken": broken + skipped})


# -- the tests -------------------------------------------------------------------------------


def test_two_writers_of_the_same_documents_count_each_once(
    warehouse_url: str, s3_endpoint: str
) -> None:
    ctx = multiprocessing.get_context("spawn")
    ids = [f"{n:016x}" for n in range(40)]
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(target=_write_same_documents, args=(warehouse_url, ids, barrier, results))
        for _ in range(2)
    ]
    for p in procs:
        p.start()
    written = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    assert sum(written) == len(ids)  # each document is "cleaned" by exactly one writer
    objects = _objects(s3_endpoint, warehouse_url)
    assert sorted(k for k in objects if k.endswith(".json")) == sorted(
        f"clean/{i[:2]}/{i}.json" for i in ids
    )


def test_two_runs_at_once_lose_no_counts(
    warehouse_url: str, s3_endpoint: str, tmp_path: Path
) -> None:
    from cleaner.cleaners.templates import SiteTemplates
    from cleaner.storage import storage_path
    from cleaner.template_store import TemplateStore

    # 12 pages of each run's own and 6 copies of the same pages in both: 30 documents.
    runs: dict[str, list[str]] = {"run-a": [], "run-b": []}
    for name, pages in runs.items():
        folder = tmp_path / name
        folder.mkdir()
        own = range(0, 12) if name == "run-a" else range(12, 24)
        for n in [*range(100, 106), *own]:  # the shared ones first, so they overlap in time
            (folder / f"{n}.html").write_bytes(_page(n))
            pages.append(str(folder / f"{n}.html"))

    # This process lists the site's templates before the runs write theirs.
    store = TemplateStore(storage_path(warehouse_url), auto_compact=False)
    seed = SiteTemplates()
    seed.observe_keys("seed-page", {"0123456789abcdef"})
    store.save_delta("seed", {SITE: seed})
    assert store.load(SITE).pages == 1

    ctx = multiprocessing.get_context("spawn")
    barrier, stop, results = ctx.Barrier(3), ctx.Event(), ctx.Queue()
    writers = [
        ctx.Process(target=_run_batches, args=(warehouse_url, run_id, pages, barrier))
        for run_id, pages in runs.items()
    ]
    reader = ctx.Process(target=_poll, args=(warehouse_url, s3_endpoint, stop, results))
    for p in [*writers, reader]:
        p.start()
    barrier.wait()  # the reader starts polling when the writers start writing
    for p in writers:
        p.join(300)
        assert p.exitcode == 0
    stop.set()
    polled = results.get(timeout=120)
    reader.join(30)
    assert polled["reads"] > 0 and polled["broken"] == []

    objects = _objects(s3_endpoint, warehouse_url)
    run_manifests = {r: json.loads(objects[f"manifests/{r}.json"]) for r in runs}
    for manifest in run_manifests.values():
        assert manifest["inputs"] == 18
        assert manifest["cleaned"] + manifest["skipped"] + manifest["quarantined"] == 18
        assert len(manifest["batches"]) == 3
    assert sum(m["cleaned"] for m in run_manifests.values()) == 30
    assert sum(m["skipped"] for m in run_manifests.values()) == 6
    assert len([k for k in objects if k.startswith("clean/") and k.endswith(".txt")]) == 30
    assert len([k for k in objects if k.startswith("clean/") and k.endswith(".json")]) == 30

    batch_manifests = [json.loads(v) for k, v in objects.items() if "/batches/" in k]
    assert len(batch_manifests) == 6
    rows = [
        json.loads(line)
        for k, v in objects.items()
        if k.startswith("manifests/documents/date=2026-01-02/")
        for line in v.decode().splitlines()
    ]
    assert len(rows) == 36 and sum(r["status"] == "cleaned" for r in rows) == 30
    listed = [
        json.loads(line)
        for k, v in objects.items()
        if k.startswith("listings/")
        for line in v.decode().splitlines()
    ]
    assert sorted(listed) == sorted(runs["run-a"] + runs["run-b"])

    # Every page cleaned was counted in the site's templates exactly once (plus the seed),
    # and this process sees it although it listed the folder before the runs wrote.
    assert store.load(SITE).pages == 30 + 1
