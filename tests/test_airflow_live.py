"""End to end on a running Airflow: `airflow standalone`, started from the venv's entry point.

`dags test` (tests/test_dags.py) runs every task in the test process. A scheduler runs each
task in a supervised child process under `bin/airflow`, with a database URL that refuses
access, and reports through the API server: the clean tasks' worker processes once died
there on every run while every `dags test` passed. Only a real Airflow shows that, so this
module starts one (LocalExecutor, SQLite, a temporary AIRFLOW_HOME and HOME, a free port
in 18080-18099), triggers the DAGs through the REST API, and reads the warehouse.

Airflow not installed, or not starting, is a failure, not a skip: CI installs it. A run
that does not finish in time fails with its task logs in the message.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from warehouse_view import run_manifest, zone

from cleaner import clean_file
from cleaner.metadata import content_id

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
AIRFLOW = VENV_BIN / "airflow"  # the entry point, never `python -m airflow`: see the docstring
SAMPLES = ROOT / "samples"
CLEAN_ASSET_URI = "cleaner://warehouse/clean"

#: Ports other engineers on this machine leave to these tests.
PORTS = range(18080, 18100)

#: `airflow standalone` migrates the database and starts five components; about 40 s on
#: an idle 2-core machine, so this leaves room for a busy one.
STARTUP_TIMEOUT_S = 240.0

#: One run of a few tasks takes 10-30 s here; a run queued behind another waits for it.
RUN_TIMEOUT_S = 180.0

#: SIGTERM lets standalone stop its components; what is left after this gets SIGKILL.
STOP_GRACE_S = 30.0

FINISHED = {"success", "failed"}

HTML_PAGE = """<!DOCTYPE html><html><head><title>{title}</title></head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>{title}</h1>
<p>The regional water board confirmed on Friday that the reservoir had reached its highest
level in a decade, after three weeks of steady rain across the valley ({n}).</p>
<p>Engineers said the dam was in good condition and that the spillway would be opened
gradually over the weekend to keep the level within safe limits.</p>
</article><footer>Share this article</footer></body></html>
"""


def free_port() -> int:
    """The first port of `PORTS` nothing listens on (bound and released at once)."""
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def processes_with(marker: str) -> list[int]:
    """Process ids whose environment holds `marker` (`AIRFLOW_HOME=<ours>`): what
    `pgrep` cannot tell apart, since other engineers run Airflow on this machine too."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:  # gone, or not ours to read
            continue
        if marker.encode() in environ:
            found.append(int(entry.name))
    return found


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@dataclass
class LiveAirflow:
    """A running `airflow standalone` and what the tests need to talk to it."""

    base: str
    home: Path  # AIRFLOW_HOME
    user_home: Path  # HOME of every Airflow process
    process: subprocess.Popen[bytes]
    output: Path

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """A REST API call (`/api/v2/...`); every user is admin, so no token is needed."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: HTTP {exc.code} {exc.read()[:2000]!r}") from exc

    def trigger(self, dag_id: str, conf: dict[str, Any]) -> str:
        run = self.request(
            "POST", f"/api/v2/dags/{dag_id}/dagRuns", {"logical_date": None, "conf": conf}
        )
        return str(run["dag_run_id"])

    def wait(self, dag_id: str, run_id: str, timeout: float = RUN_TIMEOUT_S) -> dict[str, Any]:
        """Poll the run until it ends; a run still going after `timeout` fails the test
        with its task logs."""
        deadline = time.monotonic() + timeout
        while True:
            run = self.request("GET", f"/api/v2/dags/{dag_id}/dagRuns/{quote(run_id, safe='')}")
            if run["state"] in FINISHED:
                return dict(run)
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"{dag_id} {run_id} still {run['state']} after {timeout:g} s\n"
                    + self.diagnosis(dag_id, run_id)
                )
            time.sleep(1)

    def run(self, dag_id: str, conf: dict[str, Any]) -> dict[str, Any]:
        """Trigger, wait, and insist on success (the task logs otherwise)."""
        run_id = self.trigger(dag_id, conf)
        run = self.wait(dag_id, run_id)
        assert run["state"] == "success", self.diagnosis(dag_id, run_id)
        return run

    def task_states(self, dag_id: str, run_id: str) -> dict[str, str]:
        path = f"/api/v2/dags/{dag_id}/dagRuns/{quote(run_id, safe='')}/taskInstances"
        tis = self.request("GET", path)["task_instances"]
        states: dict[str, set[str]] = {}
        for ti in tis:
            states.setdefault(ti["task_id"], set()).add(str(ti["state"]))
        return {task_id: "/".join(sorted(s)) for task_id, s in states.items()}

    def asset_events(self, run_id: str) -> list[dict[str, Any]]:
        """The run's events of the clean-zone asset (`GET /api/v2/assets/events`)."""
        query = urlencode({"source_run_id": run_id})
        events = self.request("GET", f"/api/v2/assets/events?{query}")["asset_events"]
        return [e for e in events if e["uri"] == CLEAN_ASSET_URI]

    def task_logs(self, dag_id: str, run_id: str) -> dict[str, str]:
        """The run's task log files under AIRFLOW_HOME/logs, by path."""
        root = self.home / "logs" / f"dag_id={dag_id}" / f"run_id={run_id}"
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        return {str(p.relative_to(root)): p.read_text("utf-8", "replace") for p in files}

    def diagnosis(self, dag_id: str, run_id: str) -> str:
        """Task states, the tail of every task log of the run, and of standalone's output."""
        parts = []
        try:
            parts.append(f"task states: {self.task_states(dag_id, run_id)}")
        except Exception as exc:  # the API may be what is broken
            parts.append(f"task states unavailable: {exc}")
        for name, text in self.task_logs(dag_id, run_id).items():
            parts.append(f"--- {name} (last 4000 chars)\n{text[-4000:]}")
        out = self.output.read_text("utf-8", "replace") if self.output.exists() else ""
        parts.append(f"--- airflow standalone output (last 3000 chars)\n{out[-3000:]}")
        return "\n".join(parts)


def airflow_env(home: Path, user_home: Path, port: int) -> dict[str, str]:
    """The environment docs/airflow.md gives for `airflow standalone`, isolated: nothing
    from the test process's own Airflow set-up (conftest points AIRFLOW_HOME and the
    database at the `dags test` home) and HOME in the temporary folder, so that the
    defaults `~/cleaner/raw` and `~/cleaner/warehouse` are never the real ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "CLEANER_"))}
    env.update(
        {
            "HOME": str(user_home),
            "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}",  # standalone runs `airflow`
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(port),
            # Without it the task processes call the execution API on port 8080.
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "CLEANER_TASK_RETRIES": "0",
        }
    )
    return env


def wait_until_ready(airflow: LiveAirflow, dag_ids: tuple[str, ...]) -> None:
    """Until the API answers, the scheduler and DAG processor are healthy, and the DAGs
    are parsed (a trigger before that is a 404)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last = ""
    while time.monotonic() < deadline:
        if airflow.process.poll() is not None:
            break
        try:
            health = airflow.request("GET", "/api/v2/monitor/health")
            healthy = all(
                health.get(part, {}).get("status") == "healthy"
                for part in ("metadatabase", "scheduler", "dag_processor")
            )
            dags = airflow.request("GET", "/api/v2/dags")["dags"]
            # DAGs from our dags/ only: should another Airflow have taken the port first,
            # never trigger anything in it.
            parsed = {d["dag_id"] for d in dags if d["fileloc"].startswith(f"{ROOT}/dags/")}
            if healthy and set(dag_ids) <= parsed:
                return
            last = f"health {health}, DAGs {sorted(parsed)}"
        except (OSError, AssertionError) as exc:  # not listening yet, or 503
            last = str(exc)
        time.sleep(1)
    out = airflow.output.read_text("utf-8", "replace")
    raise AssertionError(
        f"airflow standalone not ready (exit code {airflow.process.poll()}); last: {last}\n"
        f"{out[-5000:]}"
    )


def stop(process: subprocess.Popen[bytes], marker: str) -> list[int]:
    """Stop the process group standalone leads (SIGTERM, then SIGKILL after the grace
    time), then any process still carrying our AIRFLOW_HOME; returns those strays."""
    pgid = process.pid
    if group_alive(pgid):
        os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        while group_alive(pgid) and time.monotonic() < deadline:
            process.poll()  # reap the leader, or the group never looks empty
            time.sleep(0.2)
        if group_alive(pgid):
            os.killpg(pgid, signal.SIGKILL)
    process.wait(timeout=30)
    strays = processes_with(marker)
    for pid in strays:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return strays


@pytest.fixture(scope="module")
def airflow(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveAirflow]:
    """`airflow standalone` from the venv's entry point, stopped (with everything it
    started) when the module is done."""
    assert AIRFLOW.is_file(), f"{AIRFLOW} missing: apache-airflow is not installed in .venv"
    tmp = tmp_path_factory.mktemp("airflow-live")
    home, user_home = tmp / "airflow-home", tmp / "home"
    home.mkdir()
    user_home.mkdir()
    port = free_port()
    output = tmp / "standalone.log"
    with output.open("wb") as out:
        process = subprocess.Popen(
            [str(AIRFLOW), "standalone"],
            env=airflow_env(home, user_home, port),
            cwd=tmp,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that all of it can be stopped
        )
    live = LiveAirflow(f"http://127.0.0.1:{port}", home, user_home, process, output)
    marker = f"AIRFLOW_HOME={home}"
    try:
        started = time.monotonic()
        wait_until_ready(live, ("clean_pages", "fetch_pages"))
        print(f"airflow standalone ready in {time.monotonic() - started:.0f} s on port {port}")
        # Unpaused only now, as a user would once it is up: a DAG unpaused at creation can
        # have its first scheduled task started before the API server listens, and that
        # task then fails (its client gives up after about 4 s; seen here on a busy machine).
        for dag_id in ("clean_pages", "fetch_pages"):
            live.request("PATCH", f"/api/v2/dags/{dag_id}", {"is_paused": False})
        yield live
    finally:
        strays = stop(process, marker)
    assert not strays, f"processes outlived standalone's process group: {strays}"


def golden_subset(meta: dict[str, Any]) -> dict[str, Any]:
    """The part of a clean `.json` that samples/expected/ pins, in its form (as
    `samples/regenerate.py`'s `expected_metadata` makes it from a Document)."""
    subset = {key: meta.get(key) for key in ("title", "author", "format", "language", "word_count")}
    subset["removed"] = [
        {"text": r["text"], "reason": f"{r['cleaner']}.{r['rule']}"} for r in meta["removed"]
    ]
    return subset


# -- the tests ---------------------------------------------------------------------------------


def test_the_scheduled_run_on_missing_defaults_is_a_no_op(airflow: LiveAirflow) -> None:
    """Unpausing clean_pages makes the scheduler start its latest daily run at once, on
    the defaults: `~/cleaner/raw`, which does not exist in the temporary HOME. It must end `success` having skipped everything and written nothing,
    with a warning in the listing task's log that names the folder."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    query = "/api/v2/dags/clean_pages/dagRuns?" + urlencode({"run_type": "scheduled"})
    while not (runs := airflow.request("GET", query)["dag_runs"]):
        assert time.monotonic() < deadline, "the scheduler started no scheduled clean_pages run"
        time.sleep(1)
    run_id = runs[0]["dag_run_id"]

    run = airflow.wait("clean_pages", run_id)

    assert run["state"] == "success", airflow.diagnosis("clean_pages", run_id)
    assert set(airflow.task_states("clean_pages", run_id).values()) == {"skipped"}
    assert not (airflow.user_home / "cleaner").exists()
    assert not airflow.asset_events(run_id)
    (log,) = [
        t for name, t in airflow.task_logs("clean_pages", run_id).items() if "list_pages" in name
    ]
    source = airflow.user_home / "cleaner" / "raw"
    assert f"source {source} does not exist, so this scheduled run cleans nothing" in log
    assert "CLEANER_SOURCE" in log and "CLEANER_CLEAN_SCHEDULE=none" in log


def test_clean_pages_triggered_through_the_api(airflow: LiveAirflow, tmp_path: Path) -> None:
    """The samples, cleaned by a real scheduler in mapped batches: every sample's text
    and metadata as `clean_file` makes them in this process (which tests/test_samples.py
    holds to samples/expected/), the run manifest, the asset event; a second run finds
    everything done and writes nothing into the clean zone."""
    source, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    shutil.copytree(SAMPLES / "raw", source)
    samples = sorted(p for p in source.iterdir() if p.is_file())
    ids = {content_id(p.read_bytes()): p.stem for p in samples}
    conf = {"source": str(source), "warehouse": str(warehouse), "batch_size": 6}

    run = airflow.run("clean_pages", conf)

    texts, metas = zone(warehouse, "clean", ".txt"), zone(warehouse, "clean", ".json")
    assert {Path(p).stem for p in texts} == {Path(p).stem for p in metas} == set(ids)
    paths = {p.stem: p for p in samples}
    for doc_id, stem in ids.items():
        doc = clean_file(paths[stem])
        text = (warehouse / "clean" / doc_id[:2] / f"{doc_id}.txt").read_text("utf-8")
        assert text == doc.text + "\n", stem
        meta = json.loads((warehouse / "clean" / doc_id[:2] / f"{doc_id}.json").read_text())
        assert golden_subset(meta) == golden_subset(doc.metadata), stem
        assert Path(meta["source"]).parent == source and Path(meta["source"]).stem == stem
    nato_id = next(doc_id for doc_id, stem in ids.items() if stem.startswith("001_"))
    nato = (warehouse / "clean" / nato_id[:2] / f"{nato_id}.txt").read_text("utf-8")
    assert "BRUSSELS – The whole of NATO" in nato
    assert "Getting your Trinity Audio player ready" not in nato
    assert not (warehouse / "quarantine").exists()

    manifest = run_manifest(warehouse, run["dag_run_id"])
    n = len(samples)
    assert (manifest["found"], manifest["inputs"], manifest["cleaned"]) == (n, n, n)
    assert (manifest["quarantined"], manifest["skipped"], manifest["done_before"]) == (0, 0, 0)
    assert len(manifest["batches"]) == -(-n // conf["batch_size"])  # more than one
    assert airflow.task_states("clean_pages", run["dag_run_id"]) == {
        "list_pages": "success",
        "clean_batch": "success",
        "write_manifest": "success",
    }
    (event,) = airflow.asset_events(run["dag_run_id"])
    assert event["source_dag_id"] == "clean_pages" and event["source_task_id"] == "write_manifest"
    assert event["extra"]["warehouse"] == str(warehouse)
    assert (event["extra"]["cleaned"], event["extra"]["inputs"]) == (n, n)

    again = airflow.run("clean_pages", conf)

    assert zone(warehouse, "clean", ".txt") == texts  # nothing added, nothing rewritten
    assert zone(warehouse, "clean", ".json") == metas
    second = run_manifest(warehouse, again["dag_run_id"])
    assert (second["found"], second["done_before"], second["inputs"]) == (n, n, 0)
    assert (second["cleaned"], second["quarantined"], second["batches"]) == (0, 0, [])
    (event,) = airflow.asset_events(again["dag_run_id"])
    assert event["extra"]["cleaned"] == 0


def test_fetch_pages_from_a_loopback_server(
    airflow: LiveAirflow, local_site: Any, tmp_path: Path
) -> None:
    """Three pages of a local HTTP server (conftest's `local_site`, on 127.0.0.1, hence
    `allow_hosts`), fetched and cleaned by a real scheduler; fetching them again adds no
    page to the raw or the clean zone."""
    warehouse = tmp_path / "warehouse"
    urls = [local_site.url(p) for p in ("/a.html", "/b.html", "/redirect")]
    conf = {
        "urls": urls,
        "warehouse": str(warehouse),
        "allow_hosts": ["127.0.0.1"],
        "min_delay_s": 0,
        "max_retries": 0,
    }

    run = airflow.run("fetch_pages", conf)

    records = [json.loads(p.read_text()) for p in (warehouse / "raw").rglob("*.meta.json")]
    assert sorted(r["url"] for r in records) == sorted(urls)
    assert all(r["status"] == 200 for r in records)
    cleaned = [json.loads(p.read_text()) for p in (warehouse / "clean").rglob("*.json")]
    assert sorted(m["title"] for m in cleaned) == [
        "Bridge works approved",
        "Library opening hours",
        "New bus timetable",
    ]
    assert {m["url"] for m in cleaned} == {urls[0], urls[1], local_site.url("/c.html")}
    text = next((warehouse / "clean").rglob("*.txt")).read_text()
    assert "The council met on Tuesday evening" in text and "Copyright 2025" not in text
    manifest = run_manifest(warehouse, run["dag_run_id"])
    assert (manifest["fetch"]["urls"], manifest["fetch"]["fetched"], manifest["cleaned"]) == (
        3,
        3,
        3,
    )
    (event,) = airflow.asset_events(run["dag_run_id"])
    assert event["extra"]["cleaned"] == 3

    raw, clean = zone(warehouse, "raw", ".body"), zone(warehouse, "clean", "")
    again = airflow.run("fetch_pages", conf)

    assert set(zone(warehouse, "raw", ".body")) == set(raw)  # the same bytes, the same ids
    assert zone(warehouse, "clean", "") == clean
    second = run_manifest(warehouse, again["dag_run_id"])
    assert (second["cleaned"], second["quarantined"]) == (0, 0)
    assert second["skipped"] == 3


#: Lines of the slow page: about 7 s of cleaning on this machine (5,000 took 3.8 s), a
#: wide window to kill its worker in, and well under `Config.max_seconds` (30 s).
SLOW_PAGE_LINES = 10_000

#: A retry worker is killed this long after it appears, once the batch has handed it the
#: page (it does so right after starting it); the page keeps it busy for seconds more.
HANDOVER_S = 1.0


def slow_page(lines: int) -> str:
    words = "the council approved a new budget after a long debate about roads and parks"
    return "\n".join(f"Item {n}: {words} number {n}." for n in range(lines)) + "\n"


def cleaner_workers(marker: str) -> set[int]:
    """The batch's worker processes in our Airflow: children of a multiprocessing
    forkserver (the start method `cleaner.batch` uses on Linux)."""

    def cmdline(pid: int | str) -> bytes:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return b""

    workers = set()
    for pid in processes_with(marker):
        try:
            ppid = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
        except (OSError, IndexError):
            continue
        if b"forkserver" in cmdline(pid) and b"forkserver" in cmdline(ppid):
            workers.add(pid)
    return workers


def test_a_page_that_kills_its_worker_is_quarantined_and_the_batch_goes_on(
    airflow: LiveAirflow, tmp_path: Path
) -> None:
    """Crash isolation inside a real task: the worker cleaning one page is SIGKILLed (as
    the kernel's out-of-memory killer would), and so is the worker retrying it alone. That
    page must be quarantined as a `WorkerCrashError`, the pages before and after it in the
    same batch cleaned, and the run end `success`. Nothing in the cleaner knows about
    the test: the kills come from outside, by process id."""
    source, warehouse = tmp_path / "raw", tmp_path / "warehouse"
    source.mkdir()
    (source / "a_first.html").write_text(HTML_PAGE.format(title="Reservoir level", n=1))
    (source / "m_slow.txt").write_text(slow_page(SLOW_PAGE_LINES))
    (source / "z_last.html").write_text(HTML_PAGE.format(title="Reservoir paths", n=2))
    first_id = content_id((source / "a_first.html").read_bytes())
    marker = f"AIRFLOW_HOME={airflow.home}"
    conf = {"source": str(source), "warehouse": str(warehouse), "workers": 1}

    run_id = airflow.trigger("clean_pages", conf)
    killed: list[int] = []
    deadline = time.monotonic() + RUN_TIMEOUT_S
    first_done = warehouse / "clean" / first_id[:2] / f"{first_id}.json"
    # Once the first page is written, its worker already holds the slow page (the batch
    # hands out the next input before it passes an outcome on): kill it, then its retry.
    while len(killed) < 2 and time.monotonic() < deadline:
        if first_done.exists():
            fresh = sorted(cleaner_workers(marker) - set(killed))
            if fresh:
                if killed:
                    time.sleep(HANDOVER_S)
                os.kill(fresh[0], signal.SIGKILL)
                killed.append(fresh[0])
                continue
        time.sleep(0.1)
    assert len(killed) == 2, f"killed {killed}\n" + airflow.diagnosis("clean_pages", run_id)
    run = airflow.wait("clean_pages", run_id)

    assert run["state"] == "success", airflow.diagnosis("clean_pages", run_id)
    (record,) = [json.loads(p.read_text()) for p in (warehouse / "quarantine").rglob("*.json")]
    assert record["source"] == str(source / "m_slow.txt")
    assert record["error"] == "WorkerCrashError"
    assert "died twice" in record["reason"] and "SIGKILL" in record["reason"]
    titles = sorted(
        json.loads(p.read_text())["title"] for p in (warehouse / "clean").rglob("*.json")
    )
    assert titles == ["Reservoir level", "Reservoir paths"]
    manifest = run_manifest(warehouse, run_id)
    assert (manifest["cleaned"], manifest["quarantined"]) == (2, 1)
