"""Cleaning many inputs, in this process or in worker processes that a page may crash.

Workers are fed one input at a time over their own pipe, so the parent always knows which
input each one holds: a worker that dies (a segfault in a parser, an out-of-memory kill,
`os._exit`) costs a retry of that input alone and, if it dies again, a `WorkerCrashError`
outcome, never the batch. Workers are replaced after `WORKER_MAX_TASKS` inputs, so memory
cannot grow across a long batch. (Not `ProcessPoolExecutor(max_tasks_per_child=)`: on
Python 3.11 it hangs once a worker is replaced while inputs are queued, CPython
gh-115634, and a dead worker breaks the whole pool without saying which input killed it.)
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import sys
import threading
import time
import types
from collections import deque
from collections.abc import Generator, Iterable, Iterator, Sized
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from typing import Any

from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.errors import WorkerCrashError
from cleaner.runner.inputs import input_id
from cleaner.runner.limits import peak_rss_kb
from cleaner.runner.outcome import CleanFn, Outcome, clean_one
from cleaner.runner.progress import progress_bar

log = logging.getLogger(__name__)

#: Inputs a worker process cleans before a fresh one replaces it, so that memory a parser
#: leaks or fragments cannot pile up over a long batch, whatever the pages. A fresh worker
#: costs about 2 s of warm-up (the line model, the language identifier, trafilatura's
#: first call): 1,000 pages are 15-30 s of work, so a few percent. Measured with
#: bench/scale.py (6,000 generated pages, 2 workers, a shared 2-core machine): without
#: replacement a worker peaked at 127 MB and grew about 1 MB over 3,000 pages, 40 pages/s;
#: every 1,000 pages 126 MB, 36 pages/s; every 250 pages 27 pages/s.
WORKER_MAX_TASKS = 1000

#: How far, in inputs per worker, cleaning may run ahead of the oldest unfinished input.
#: Outcomes come out in input order, so a slow page holds back the outcomes behind it; 32 a
#: worker keeps the other workers busy meanwhile and bounds what is held (a few MB), so a
#: batch of 300,000 paths never has more than this in flight or waiting.
AHEAD_PER_WORKER = 32

#: A worker whose input runs longer than `max_seconds * HARD_LIMIT_FACTOR +
#: HARD_LIMIT_SLACK_S` is killed and the input treated as a crash: `time_limit` inside the
#: worker cannot interrupt a C call (a parser), the parent can. The clock starts when the
#: input is sent, so the slack also covers a fresh worker's start and ~2 s warm-up, with
#: room to spare on a loaded machine (a test with 0.5 s of slack failed there).
HARD_LIMIT_FACTOR, HARD_LIMIT_SLACK_S = 2.0, 5.0

#: A fresh worker must answer a ping within this long before a second death of the same
#: input is blamed on the input rather than on worker processes that cannot start at all.
PING_TIMEOUT_S = 60.0

#: A worker told to stop gets this long to exit before it is killed.
STOP_TIMEOUT_S = 10.0


#: Worker start method: forkserver forks each worker from a server that has imported the
#: cleaner once (start plus first page about 1 s, measured, against 2.5 s for spawn and
#: 1.1 s for fork; the first page loads the line model and language data), without copying
#: the caller's threads and locks the way fork would (an Airflow task or a tqdm monitor
#: thread at fork time can leave a child deadlocked). Spawn where forkserver is missing.
START_METHODS = ("forkserver", "spawn")


def clean_many(
    paths: Iterable[Any],
    workers: int = 1,
    config: Config = DEFAULT_CONFIG,
    progress: bool | None = None,
    *,
    isolate: bool = False,
    clean: CleanFn = clean_one,
) -> Iterator[Outcome]:
    """Clean files, yielding one outcome per input, in input order, as they are done.

    `workers > 1` cleans in that many worker processes; `isolate=True` uses a worker
    process even for one, so that a crash costs an input instead of the caller (the Airflow
    tasks do this). Otherwise inputs are cleaned in this process, without start-up cost.
    `paths` is read lazily, and at most `AHEAD_PER_WORKER` inputs per worker are in flight.

    `progress` shows a tqdm bar on stderr: None only when stderr is a terminal, True or
    False always or never (on a log, one line every `LOG_PROGRESS_INTERVAL_S`).
    """
    total = len(paths) if isinstance(paths, Sized) else None
    with (
        progress_bar(total, progress) as bar,
        closing(_outcomes(paths, workers, config, isolate, clean)) as outcomes,
    ):
        for outcome in outcomes:
            bar.update(1)
            yield outcome


def _outcomes(
    paths: Iterable[Any], workers: int, config: Config, isolate: bool, clean: CleanFn
) -> Generator[Outcome, None, None]:
    if (workers > 1 or isolate) and _can_start_workers():
        yield from WorkerPool(max(1, workers), config, clean).run(paths)
        return
    for path in paths:
        outcome = clean(path, config)
        outcome.peak_rss_kb = peak_rss_kb()
        yield outcome


def _can_start_workers() -> bool:
    """False inside a daemonic `multiprocessing` process, which may not have children (a
    task run by a pool that daemonises its workers): there the inputs are cleaned in this
    process instead."""
    if multiprocessing.current_process().daemon:
        log.warning("cleaner: in a daemonic process, cleaning without worker processes")
        return False
    return True


# -- the worker pool -----------------------------------------------------------------------


@dataclass(slots=True)
class Job:
    """One input on its way through a worker. `alone`: it runs with nothing else in flight
    (a retry); `crashes`: how many workers died holding it."""

    index: int
    path: Any
    alone: bool = False
    crashes: int = 0


@dataclass(slots=True)
class Worker:
    process: Any  # multiprocessing.process.BaseProcess
    conn: Connection
    tasks: int = 0
    job: Job | None = None
    since: float = 0.0


#: What the parent sends to check that a fresh worker can start, and what it answers.
PING, PONG = (-1, None), (-1, None)


def worker_main(conn: Connection, config: Config, clean: CleanFn) -> None:
    """A worker process: clean the inputs the parent sends, one at a time, until told to
    stop (None) or the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # on Ctrl-C the parent stops us itself
    try:
        while (message := conn.recv()) is not None:
            index, path = message
            if path is None:
                conn.send(PONG)
                continue
            outcome = clean(path, config)
            outcome.peak_rss_kb = peak_rss_kb()
            conn.send((index, outcome))
    except (EOFError, BrokenPipeError):
        pass  # the parent is gone: nothing left to do


class WorkerPool:
    """`size` worker processes, each fed one input at a time over its own pipe.

    When a worker dies, the input it held is retried alone (nothing else in flight, on a
    fresh worker), because the death may not have been its fault (the kernel's
    out-of-memory killer picks the largest process, not the guilty one). If it dies again,
    it becomes a `WorkerCrashError` outcome. Outcomes come out in input order.
    """

    #: Deaths an input may cause before it is reported as a `WorkerCrashError`.
    MAX_CRASHES = 2

    def __init__(self, size: int, config: Config, clean: CleanFn) -> None:
        self.size, self.config, self.clean = size, config, clean
        self.context = worker_context()
        self.workers: list[Worker] = []
        self.retries: deque[Job] = deque()
        self.finished: dict[int, Outcome] = {}
        self.inputs: Iterator[tuple[int, Any]] = iter(())
        self.taken = self.given = 0  # inputs sent out so far; outcomes yielded so far
        self.exhausted = False
        self.hard_limit = (
            config.max_seconds * HARD_LIMIT_FACTOR + HARD_LIMIT_SLACK_S
            if config.max_seconds > 0
            else None
        )

    def run(self, paths: Iterable[Any]) -> Iterator[Outcome]:
        self.inputs = enumerate(paths)
        self.taken = self.given = 0
        self.exhausted = False
        try:
            while True:
                self._feed()
                while self.given in self.finished:
                    yield self.finished.pop(self.given)
                    self.given += 1
                if self.exhausted and self.given == self.taken:
                    return
                self._feed()  # the outcomes just taken made room
                if not self.retries and not any(w.job is not None for w in self.workers):
                    raise RuntimeError(f"cleaner: lost track of input {self.given}")  # a bug
                self._collect()
        finally:
            self._stop_all()

    def _feed(self) -> None:
        """Give idle workers the next inputs, up to `AHEAD_PER_WORKER` a worker beyond the
        oldest outcome not yet taken (or the next retry, alone)."""
        if self._retrying():
            return
        while not self.exhausted and self.taken - self.given < self.size * AHEAD_PER_WORKER:
            worker = self._idle_worker()
            if worker is None:
                return
            item = next(self.inputs, None)
            if item is None:
                self.exhausted = True
                return
            self._send(worker, Job(*item))
            self.taken += 1

    def _retrying(self) -> bool:
        """Retries run alone: no new input goes out while one waits or runs."""
        if any(w.job is not None and w.job.alone for w in self.workers):
            return True
        if not self.retries:
            return False
        if not any(w.job is not None for w in self.workers):
            worker = self._idle_worker()
            assert worker is not None  # nothing in flight, so a worker is free
            self._send(worker, self.retries.popleft())
        return True

    def _idle_worker(self) -> Worker | None:
        """A worker without a job: an existing one (replaced when it has done its share),
        or a new one while the pool is below its size."""
        for i, worker in enumerate(self.workers):
            if worker.job is None:
                if worker.tasks >= WORKER_MAX_TASKS or not worker.process.is_alive():
                    self._stop(worker)
                    self.workers[i] = worker = self._start()
                return worker
        if len(self.workers) < self.size:
            self.workers.append(self._start())
            return self.workers[-1]
        return None

    def _start(self) -> Worker:
        parent, child = self.context.Pipe(duplex=True)
        process = self.context.Process(
            target=worker_main, args=(child, self.config, self.clean), daemon=True
        )
        with main_script_hidden(unless_needed_by=self.clean):
            process.start()
        child.close()
        return Worker(process, parent)

    def _send(self, worker: Worker, job: Job) -> None:
        worker.job, worker.since = job, time.monotonic()
        try:
            worker.conn.send((job.index, job.path))
        except (OSError, ValueError):  # it died before taking the input: not the input's fault
            worker.job = None
            self._stop(worker)
            self.workers.remove(worker)
            self._check_workers_start()
            self.retries.appendleft(replace(job, alone=True))

    def _collect(self) -> None:
        """Wait until a busy worker answers or dies (or overruns the hard limit), and take
        what it did."""
        busy = [w for w in self.workers if w.job is not None]
        if not busy:
            return
        timeout = None
        if self.hard_limit is not None:
            timeout = max(0.0, min(w.since + self.hard_limit for w in busy) - time.monotonic())
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout))
        now = time.monotonic()
        for worker in busy:
            if worker.conn in ready or worker.process.sentinel in ready:
                self._receive(worker)
            elif self.hard_limit is not None and now - worker.since > self.hard_limit:
                worker.process.kill()
                self._crashed(worker, f"no answer within {self.hard_limit:g} s")

    def _receive(self, worker: Worker) -> None:
        try:
            index, outcome = worker.conn.recv()
        except Exception:  # EOF, or a message cut off when it died mid-send
            self._crashed(worker, death_reason(worker.process))
            return
        self.finished[index] = outcome
        worker.job = None
        worker.tasks += 1

    def _crashed(self, worker: Worker, reason: str) -> None:
        """The worker died holding `worker.job`: retry that input alone, or, if this was
        the retry, report it as a `WorkerCrashError` (once a fresh worker has shown that
        workers can start at all, so that a broken environment is not blamed on inputs)."""
        assert worker.job is not None
        job = replace(worker.job, alone=True, crashes=worker.job.crashes + 1)
        self._stop(worker)
        self.workers.remove(worker)
        if job.crashes < self.MAX_CRASHES:
            log.warning(
                "cleaner: worker died (%s) cleaning %s; retrying it alone", reason, job.path
            )
            self.retries.append(job)
            return
        self._check_workers_start()
        source = str(job.path)
        error = WorkerCrashError(source, f"the worker process cleaning it died twice ({reason})")
        self.finished[job.index] = Outcome(source, input_id(job.path, self.config), error=error)

    def _check_workers_start(self) -> None:
        worker = self._start()
        try:
            worker.conn.send(PING)
            answered = worker.conn.poll(PING_TIMEOUT_S) and worker.conn.recv() == PONG
        except (OSError, EOFError):
            answered = False
        if not answered:
            self._stop(worker)
            raise RuntimeError(
                f"cleaner worker processes die before cleaning anything "
                f"({death_reason(worker.process)}); nothing was quarantined for it"
            )
        self.workers.append(worker)

    def _stop(self, worker: Worker) -> None:
        """End one worker: politely when it is idle, at once when it holds an input."""
        if worker.job is None and worker.process.is_alive():
            with suppress(OSError, ValueError):
                worker.conn.send(None)
            worker.process.join(STOP_TIMEOUT_S)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()

    def _stop_all(self) -> None:
        for worker in self.workers:
            if worker.job is not None:  # abandoned (an error, or the caller stopped early)
                worker.process.kill()
        for worker in self.workers:
            self._stop(worker)
        self.workers.clear()


def death_reason(process: Any) -> str:
    """How a worker process ended, for the quarantine record.

    >>> from types import SimpleNamespace
    >>> death_reason(SimpleNamespace(join=lambda timeout: None, exitcode=-11))
    'killed by SIGSEGV'
    """
    process.join(1.0)
    code = process.exitcode
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


#: Serialises `main_script_hidden` between threads that start workers at the same time.
_MAIN_SWAP_LOCK = threading.Lock()


@contextmanager
def main_script_hidden(unless_needed_by: Any = None) -> Iterator[None]:
    """Start worker processes without making them re-run the caller's main script.

    A forkserver or spawn child re-runs the parent's `__main__` file before it does its
    work, so that functions defined there can be unpickled. Under Airflow that file is the
    `bin/airflow` entry point (`airflow standalone`, `airflow scheduler`, `airflow celery
    worker`), and inside a task it imports Airflow under a database URL that refuses all
    access: every worker died before cleaning anything, and every scheduled run failed.
    (`python -m airflow` was spared: a main module run by name ending in `__main__` is not
    re-run.) Our workers need nothing from `__main__`, so while they start it is replaced by
    an empty module. The one exception is a `clean` function defined in the main script
    (`unless_needed_by`): then the child must re-run it to find the function.
    """
    target = getattr(unless_needed_by, "func", unless_needed_by)  # see through a partial
    if getattr(target, "__module__", None) == "__main__":
        yield
        return
    with _MAIN_SWAP_LOCK:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


_CONTEXT: Any = None


def worker_context() -> Any:
    """The multiprocessing context for workers (`START_METHODS`); the forkserver imports
    the cleaner once, so each worker forks with it already loaded."""
    global _CONTEXT
    if _CONTEXT is None:
        method = next(m for m in START_METHODS if m in multiprocessing.get_all_start_methods())
        _CONTEXT = multiprocessing.get_context(method)
        if method == "forkserver":
            _CONTEXT.set_forkserver_preload(["cleaner.runner.pool"])
    return _CONTEXT
