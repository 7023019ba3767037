"""`clean_many` and its worker processes: streaming, order, bounded work in flight, worker
deaths, recycling, the hard time limit, the progress bar, and the input index.

Worker deaths are real: the tests hand `clean_many` a cleaning function (its `clean=`
parameter, the seam production never uses) that kills its own process for inputs whose
name says so, with `os._exit`, SIGSEGV or SIGKILL, the way a parser bug or the kernel's
out-of-memory killer would. The functions live at module level so that the worker
processes can import them by name.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import cleaner
import cleaner.runner.inputs as inputs_module
import cleaner.runner.pool as batch
from cleaner.config import Config
from cleaner.errors import CleanError, WorkerCrashError
from cleaner.runner import (
    Outcome,
    RunOptions,
    clean_many,
    clean_one,
    input_ids,
    run_batch,
    triage,
)
from cleaner.warehouse import Warehouse

FAST = Config(learned=False, detect_language=False)

PAGE = "Share\nThe harbour ferry will run every {n} minutes while the bridge is closed.\nComments\n"


# -- cleaning functions run in the workers (module level: workers import them) -------------


def fake_clean(path: Any, config: Config) -> Outcome:
    """A cleaning stand-in that costs nothing: the outcome names the process that made it."""
    return Outcome(str(path), f"{os.getpid():x}")


def dying_clean(path: Any, config: Config) -> Outcome:
    """Dies the way its input's name says (`kill-exit*`, `kill-segv*`, `kill-oom*`), once
    only for `once-*` inputs (a marker file beside the input remembers), else cleans."""
    name = Path(path).name
    if name.startswith("once-"):
        marker = Path(str(path) + ".died")
        if not marker.exists():
            marker.write_text("x")
            os.kill(os.getpid(), signal.SIGKILL)
    if name.startswith("kill-exit"):
        os._exit(7)
    if name.startswith("kill-segv"):
        os.kill(os.getpid(), signal.SIGSEGV)
    if name.startswith("kill-oom"):
        os.kill(os.getpid(), signal.SIGKILL)  # what the out-of-memory killer sends
    return clean_one(path, config)


def slow_clean(path: Any, config: Config) -> Outcome:
    """Finishes out of order: `slow*` inputs take a while."""
    if Path(path).name.startswith("slow"):
        time.sleep(0.5)
    return fake_clean(path, config)


def hanging_clean(path: Any, config: Config) -> Outcome:
    """Never answers for `hang*` inputs, like a C parser stuck where no signal reaches."""
    if Path(path).name.startswith("hang"):
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        time.sleep(3600)
    return fake_clean(path, config)


# -- helpers ------------------------------------------------------------------------------


def pages(folder: Path, names: list[str]) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for n, name in enumerate(names):
        path = folder / name
        path.write_text(PAGE.format(n=n + 2), "utf-8")
        paths.append(path)
    return paths


class Counted:
    """An iterable of paths that counts how many were taken from it."""

    def __init__(self, count: int) -> None:
        self.count, self.taken = count, 0

    def __iter__(self) -> Iterator[Path]:
        for n in range(self.count):
            self.taken += 1
            yield Path(f"/nowhere/{n}.txt")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


# -- streaming, order, bounded work -------------------------------------------------------


def test_the_public_names_resolve_lazily_to_their_modules() -> None:
    """`import cleaner` loads none of the heavy modules (a DAG file imports it at parse
    time); each public name then resolves to the object its own module defines."""
    probe = (
        "import sys, cleaner; "
        "print(sorted(m for m in ('numpy', 'trafilatura', 'selectolax', 'cleaner.pipeline') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert cleaner.clean_many is clean_many
    assert set(cleaner.__all__) == {*cleaner._LAZY, "__version__"}
    for name, module in cleaner._LAZY.items():
        assert getattr(cleaner, name) is getattr(__import__(module, fromlist=[name]), name)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        cleaner.nope  # noqa: B018


def test_in_process_reads_one_input_per_outcome() -> None:
    source = Counted(1000)
    outcomes = clean_many(source, clean=fake_clean)
    for n in range(5):
        next(outcomes)
        assert source.taken == n + 1
    outcomes.close()


def test_workers_take_a_bounded_number_of_inputs_ahead() -> None:
    source = Counted(100_000)
    outcomes = clean_many(source, workers=2, clean=fake_clean)
    first = next(outcomes)
    assert first.source == "/nowhere/0.txt"
    assert source.taken <= 2 * batch.AHEAD_PER_WORKER + 1
    for _ in range(500):
        next(outcomes)
    assert source.taken <= 501 + 2 * batch.AHEAD_PER_WORKER
    outcomes.close()


def test_outcomes_come_in_input_order_from_workers(tmp_path: Path) -> None:
    names = ["slow-a.txt", "b.txt", "c.txt", "slow-d.txt", "e.txt", "f.txt"]
    paths = pages(tmp_path, names)
    outcomes = list(clean_many(paths, workers=2, clean=slow_clean))
    assert [Path(o.source).name for o in outcomes] == names
    assert len({o.id for o in outcomes}) == 2  # two worker processes did the work


def test_workers_clean_like_one_process(tmp_path: Path) -> None:
    paths = [*pages(tmp_path, ["a.txt", "b.txt", "c.txt"]), tmp_path / "missing.txt"]
    alone = list(clean_many(paths, config=FAST))
    parallel = list(clean_many(paths, workers=2, config=FAST))
    assert [(o.id, o.document and o.document.text) for o in parallel] == [
        (o.id, o.document and o.document.text) for o in alone
    ]
    assert type(parallel[-1].error).__name__ == "UnreadableInputError"
    assert parallel[0].document is not None and alone[0].document is not None
    assert parallel[0].document.segments == alone[0].document.segments  # templates need them
    assert all(o.peak_rss_kb > 0 for o in parallel)


def test_stopping_early_stops_the_workers() -> None:
    outcomes = clean_many(Counted(10_000), workers=2, clean=fake_clean)
    pids = {int(next(outcomes).id, 16) for _ in range(50)}
    assert pids and os.getpid() not in pids
    outcomes.close()
    deadline = time.monotonic() + 10
    while not all(gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(gone(pid) for pid in pids)


def test_workers_are_replaced_after_their_share(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "WORKER_MAX_TASKS", 3)
    outcomes = list(clean_many(Counted(12), workers=2, clean=fake_clean))
    per_pid: dict[str, int] = {}
    for outcome in outcomes:
        per_pid[outcome.id] = per_pid.get(outcome.id, 0) + 1
    assert len(outcomes) == 12
    assert max(per_pid.values()) <= 3
    assert len(per_pid) >= 4


def test_a_daemonic_process_cleans_without_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """A daemonic multiprocessing process may not start processes: clean in it instead."""
    monkeypatch.setitem(multiprocessing.current_process()._config, "daemon", True)
    outcomes = list(clean_many(Counted(3), workers=2, clean=fake_clean))
    assert {o.id for o in outcomes} == {f"{os.getpid():x}"}


# -- worker deaths ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("kill-exit.txt", "exit code 7"),
        ("kill-segv.txt", "killed by SIGSEGV"),
        ("kill-oom.txt", "killed by SIGKILL"),
    ],
)
def test_an_input_that_kills_its_worker_twice_is_a_crash_error(
    tmp_path: Path, name: str, reason: str
) -> None:
    paths = pages(tmp_path, ["a.txt", "b.txt", name, "c.txt", "d.txt"])
    outcomes = list(clean_many(paths, workers=2, config=FAST, clean=dying_clean))
    assert [o.source for o in outcomes] == [str(p) for p in paths]  # each once, in order
    crashed = outcomes[2]
    assert isinstance(crashed.error, WorkerCrashError)
    assert crashed.error.reason == f"the worker process cleaning it died twice ({reason})"
    assert crashed.error.source == str(paths[2])
    assert all(o.document is not None for o in outcomes[:2] + outcomes[3:])


def test_an_input_whose_worker_died_once_is_retried_and_cleaned(tmp_path: Path) -> None:
    paths = pages(tmp_path, ["a.txt", "once-b.txt", "c.txt"])
    outcomes = list(clean_many(paths, workers=2, config=FAST, clean=dying_clean))
    assert (tmp_path / "once-b.txt.died").exists()  # it really did kill a worker
    assert [o.error for o in outcomes] == [None, None, None]
    assert outcomes[1].document is not None


def test_isolate_protects_the_caller_with_one_worker(tmp_path: Path) -> None:
    paths = pages(tmp_path, ["a.txt", "kill-exit.txt", "b.txt"])
    outcomes = list(clean_many(paths, workers=1, isolate=True, config=FAST, clean=dying_clean))
    assert [type(o.error).__name__ for o in outcomes] == [
        "NoneType",
        "WorkerCrashError",
        "NoneType",
    ]


def test_a_batch_with_a_killer_input_accounts_for_every_input(tmp_path: Path) -> None:
    paths = pages(tmp_path / "raw", ["a.txt", "kill-segv.txt", "b.txt", "c.txt"])
    warehouse = Warehouse(tmp_path / "wh")
    manifest = run_batch(
        paths,
        warehouse,
        "crashy",
        RunOptions(workers=2, config=FAST, clean=dying_clean, progress=False),
    )
    assert (manifest["inputs"], manifest["cleaned"], manifest["quarantined"]) == (4, 3, 1)
    assert manifest["failures"] == [
        {
            "source": str(paths[1]),
            "error": "WorkerCrashError",
            "reason": "the worker process cleaning it died twice (killed by SIGSEGV)",
        }
    ]
    (record,) = (tmp_path / "wh" / "quarantine").rglob("*.json")
    assert json.loads(record.read_text())["error"] == "WorkerCrashError"
    again = run_batch(
        paths, warehouse, "again", RunOptions(workers=2, config=FAST, clean=dying_clean)
    )
    assert again["skipped"] == 4  # the quarantined input is not retried by later runs


def test_a_hung_worker_is_killed_and_its_input_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch, "HARD_LIMIT_SLACK_S", 3.0)  # a fresh worker starts in time
    paths = pages(tmp_path, ["a.txt", "hang.txt", "b.txt"])
    config = Config(max_seconds=0.25)  # hard limit: 0.25 * 2 + 3 = 3.5 s
    started = time.monotonic()
    outcomes = list(clean_many(paths, workers=2, config=config, clean=hanging_clean))
    assert time.monotonic() - started < 30
    assert outcomes[1].error is not None
    assert (
        outcomes[1].error.reason
        == "the worker process cleaning it died twice (no answer within 3.5 s)"
    )
    assert outcomes[0].error is None and outcomes[2].error is None


def test_workers_that_cannot_start_fail_the_batch_instead_of_blaming_inputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cleaning function the workers cannot import kills every worker at start-up."""
    import types

    module = types.ModuleType("cleaner_test_parent_only")

    def clean(path: Any, config: Config) -> Outcome:
        return fake_clean(path, config)

    clean.__module__ = module.__name__
    clean.__qualname__ = "clean"
    module.clean = clean  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, module.__name__, module)
    with pytest.raises(RuntimeError, match="die before cleaning anything"):
        list(clean_many(pages(tmp_path, ["a.txt"]), workers=2, clean=clean))


def test_worker_crash_error_survives_pickling() -> None:
    copy = pickle.loads(pickle.dumps(WorkerCrashError("a.html", "it died twice")))
    assert type(copy) is WorkerCrashError and isinstance(copy, CleanError)
    assert (copy.source, copy.reason, copy.kind) == ("a.html", "it died twice", "WorkerCrashError")
    assert "WorkerCrashError" in (cleaner.errors.__doc__ or "")


# -- the progress bar ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("progress", "terminal", "shown"),
    [(None, False, False), (None, True, True), (False, True, False), (True, False, True)],
)
def test_progress_bar_shows_when_asked_or_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, progress: bool | None, terminal: bool, shown: bool
) -> None:
    stderr = FakeTerminal() if terminal else io.StringIO()
    monkeypatch.setattr("sys.stderr", stderr)
    outcomes = list(clean_many(list(Counted(3)), progress=progress, clean=fake_clean))
    assert len(outcomes) == 3
    assert ("3/3" in stderr.getvalue()) is shown
    if shown and not terminal:  # a log gets whole lines, no carriage returns
        assert "\r" not in stderr.getvalue()
        assert stderr.getvalue().splitlines()[-1].startswith("cleaning: 100%")


# -- the input index ----------------------------------------------------------------------


def test_unchanged_inputs_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = pages(tmp_path / "raw", [f"p{n}.txt" for n in range(5)])
    warehouse = Warehouse(tmp_path / "wh")
    first = input_ids(paths, warehouse)
    reads: list[str] = []
    real_read = inputs_module.read_path
    monkeypatch.setattr(
        inputs_module, "read_path", lambda p, c: reads.append(str(p)) or real_read(p, c)
    )

    assert input_ids(paths, warehouse) == first
    assert reads == []

    paths[1].write_text(PAGE.format(n=99), "utf-8")  # new content
    replaced = tmp_path / "replacement.txt"  # same size and mtime, new file (inode)
    replaced.write_text(PAGE.format(n=8), "utf-8")
    stat = paths[3].stat()
    os.utime(replaced, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(replaced, paths[3])
    again = input_ids(paths, warehouse)
    assert sorted(reads) == sorted([str(paths[1]), str(paths[3])])
    assert again[1] != first[1] and again[3] != first[3]
    assert [again[i] for i in (0, 2, 4)] == [first[i] for i in (0, 2, 4)]


def test_input_index_forgets_deleted_files_and_survives_damage(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path / "wh")
    shard = warehouse.input_index_shard
    raw = tmp_path / "raw"
    names = [f"{n}.txt" for n in range(2000)]
    first = names[0]
    second = next(n for n in names[1:] if shard(str(raw / n)) == shard(str(raw / first)))
    paths = pages(raw, [first, second])  # two inputs in one index shard
    ids = input_ids(paths, warehouse)
    shards = list((tmp_path / "wh" / "index" / "inputs").glob("*.json"))
    entries = {k for s in shards for k in json.loads(s.read_text())}
    assert entries == {str(p) for p in paths}
    paths[0].unlink()
    input_ids(paths[1:], warehouse)
    entries = {k for s in shards if s.exists() for k in json.loads(s.read_text())}
    assert entries == {str(paths[1])}
    for shard in shards:
        shard.write_text("{not json")
    assert input_ids(paths[1:], warehouse) == ids[1:]


def test_triage_splits_new_from_done(tmp_path: Path) -> None:
    paths = pages(tmp_path / "raw", ["a.txt", "b.txt"])
    warehouse = Warehouse(tmp_path / "wh")
    run_batch(paths[:1], warehouse, "first", RunOptions(config=FAST))
    todo, done = triage([*paths, tmp_path / "missing.txt"], warehouse)
    assert todo == [paths[1], tmp_path / "missing.txt"]
    assert [p for p, _ in done] == [paths[0]]


#: A main script like `bin/airflow` inside a task: importing it again in a child fails.
#: It cleans one page with a worker and a page that kills its worker, and prints the
#: outcomes' error types.
MAIN_SCRIPT_THAT_REFUSES_TO_RUN_TWICE = """
import sys
if __name__ != "__main__":
    sys.exit("this main script was run again in a worker process")
from pathlib import Path
from cleaner.runner import clean_many
from cleaner.config import Config
from tests.test_batch import dying_clean

paths = [Path(p) for p in sys.argv[1:]]
config = Config(learned=False, detect_language=False)
outcomes = clean_many(paths, workers=1, isolate=True, config=config, clean=dying_clean)
print(" ".join(type(o.error).__name__ for o in outcomes))
"""


def test_workers_do_not_rerun_the_callers_main_script(tmp_path: Path) -> None:
    """Under `airflow standalone` every clean task failed: its worker processes re-ran
    `bin/airflow`, which cannot import inside a task. The same shape without Airflow: a
    main script that exits when re-run. Crash isolation still holds there."""
    script = tmp_path / "main_script.py"
    script.write_text(MAIN_SCRIPT_THAT_REFUSES_TO_RUN_TWICE)
    paths = pages(tmp_path, ["a.txt", "kill-exit.txt"])
    done = subprocess.run(
        [sys.executable, str(script), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[1],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["NoneType", "WorkerCrashError"]


def test_a_clean_function_from_the_main_script_still_reaches_the_workers() -> None:
    """The main script is hidden from workers only when they need nothing from it."""
    import __main__

    def from_main(path: Any, config: Config) -> Outcome:
        return fake_clean(path, config)

    from_main.__module__ = "__main__"
    with batch.main_script_hidden(unless_needed_by=from_main):
        assert sys.modules["__main__"] is __main__
    with batch.main_script_hidden(unless_needed_by=fake_clean):
        assert sys.modules["__main__"] is not __main__
        assert not hasattr(sys.modules["__main__"], "__file__")
    assert sys.modules["__main__"] is __main__
