"""Batches: many raw page files into one warehouse, every input accounted for.

Each input ends in exactly one place: the clean zone, the quarantine (with its reason), or
skipped because an earlier run already put it in one of those. The run manifest counts
all three, and the counts add up to the inputs; the per-document rows of the run go to a
JSON Lines file that query engines read (`Warehouse.document_rows`). Each input is
cleaned under `Config.max_seconds` (see `time_limit`), so one slow page costs that page
only.

`clean_many` streams outcomes from this process or from worker processes. Workers are fed
one input at a time over their own pipe, so the parent always knows which input each one
holds: a worker that dies (a segfault in a parser, an out-of-memory kill, `os._exit`)
costs a retry of that input alone and, if it dies again, a `WorkerCrashError` in the
quarantine, never the batch. Workers are replaced after `WORKER_MAX_TASKS` inputs, so
memory cannot grow across a long batch. (Not `ProcessPoolExecutor(max_tasks_per_child=)`:
on Python 3.11 it hangs once a worker is replaced while inputs are queued, CPython
gh-115634, and a dead worker breaks the whole pool without saying which input killed it.)
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
import types
from collections import defaultdict, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sized
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from cleaner.cleaners.templates import TemplateLookup
from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.document import Document, RawPage
from cleaner.errors import CleanError, TimeLimitError, WorkerCrashError
from cleaner.load import as_path, read_path
from cleaner.metadata import content_id, site_of
from cleaner.pipeline import clean_page
from cleaner.template_store import TemplateSession, TemplateStore
from cleaner.version import VERSION
from cleaner.warehouse import RunCounts, Warehouse

try:
    import resource
except ImportError:  # pragma: no cover - Windows has no resource module
    resource = None  # type: ignore[assignment]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Outcome:
    """The result for one input: a document, or the error that stopped it.

    `peak_rss_kb` is the peak resident memory of the process that cleaned it, as of when it
    finished (0 where the platform cannot tell). A document from a worker process keeps its
    `segments` (site templates count them): pickling them costs about 0.1 ms a page
    against 15-35 ms of cleaning, measured on the samples.
    """

    source: str
    id: str
    document: Document | None = None
    error: CleanError | None = None
    seconds: float = 0.0
    peak_rss_kb: int = 0


def clean_one(
    path: Any, config: Config = DEFAULT_CONFIG, templates: TemplateLookup | None = None
) -> Outcome:
    """Clean one file, turning every failure into an `Outcome` with a typed error."""
    source = str(path)
    started = time.perf_counter()
    page: RawPage | None = None
    try:
        with time_limit(config.max_seconds, source):
            page = read_input(path, config)
            doc = clean_page(page, config, templates=templates)
        return Outcome(source, doc.id, document=doc, seconds=time.perf_counter() - started)
    except CleanError as exc:
        error = exc
    except Exception as exc:  # a parser bug must cost one page, not the batch
        error = CleanError(source, f"unexpected {type(exc).__name__}: {exc}")
    doc_id = content_id(page.data if page is not None else source.encode("utf-8"))
    return Outcome(source, doc_id, error=error, seconds=time.perf_counter() - started)


@contextmanager
def time_limit(seconds: float, source: str) -> Iterator[None]:
    """Raise `TimeLimitError` naming `source` when the block runs longer than `seconds`.

    It uses SIGALRM, which exists only on Unix and can be set only from the main thread:
    elsewhere (threads, Windows), and when `seconds <= 0`, the block runs without a limit.
    The alarm interrupts Python code only, not a C call in progress (a parser), which is
    why the size, element and depth limits are checked before parsing. The previous
    handler is restored afterwards, and an alarm armed by the caller (a task runner's
    own timeout) is re-armed with its remaining time and still fires if it is due first.
    """
    if seconds <= 0 or not hasattr(signal, "SIGALRM"):
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    outer_due_first = 0 < outer_left <= seconds
    previous = signal.getsignal(signal.SIGALRM)
    outer_fired = False

    def expired(signum: int, frame: Any) -> None:
        nonlocal outer_fired
        if outer_due_first and callable(previous):
            outer_fired = True
            signal.signal(signal.SIGALRM, previous)
            previous(signum, frame)
            return
        raise TimeLimitError(source, f"cleaning took longer than the limit of {seconds:g} s")

    started = time.monotonic()
    signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left and not outer_fired:  # give the caller's alarm what is left of its time
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, OUTER_ALARM_MIN_DELAY))


#: An outer alarm already due when the limit ends fires this soon after, rather than never.
OUTER_ALARM_MIN_DELAY = 0.001

#: A raw body's fetch record is a few hundred bytes of JSON (url, final_url, status,
#: headers); a larger one is not ours, and is ignored rather than read.
MAX_META_BYTES = 1_000_000

#: The raw zone's files (cleaner.warehouse): a fetched body and its fetch record.
RAW_BODY_SUFFIX, RAW_META_SUFFIX = ".body", ".meta.json"


def read_input(path: Any, config: Config = DEFAULT_CONFIG) -> RawPage:
    """Read a raw page file; a raw-zone body gets back its final URL and HTTP headers
    (the charset matters) from the `.meta.json` beside it."""
    page = read_path(path, config)
    p = as_path(path)
    if p.name.endswith(RAW_BODY_SUFFIX):
        meta = p.parent / (p.name[: -len(RAW_BODY_SUFFIX)] + RAW_META_SUFFIX)
        if (record := _fetch_record(meta)) is not None:
            page.url = record.get("final_url") or record.get("url")
            page.headers = {str(k): str(v) for k, v in (record.get("headers") or {}).items()}
    return page


def _fetch_record(meta: Any) -> dict[str, Any] | None:
    """The fetch record beside a raw body, or None when it is missing, too large,
    unreadable or not a JSON object: the body is still worth cleaning without it."""
    try:
        if not meta.is_file() or meta.stat().st_size > MAX_META_BYTES:
            return None
        record = json.loads(meta.read_bytes())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


# -- many inputs: in this process or in worker processes, with a progress bar ---------------

#: The function cleaning one input: `clean_one`, unless a test injects another (it must be
#: a module-level function, so that worker processes can import it).
CleanFn = Callable[[Any, Config], Outcome]

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

#: When the progress bar goes to a log (stderr is not a terminal), one line this often:
#: Airflow keeps task logs line by line, and a redraw every 0.1 s would flood them.
LOG_PROGRESS_INTERVAL_S = 30.0

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


def progress_bar(total: int | None, progress: bool | None) -> Any:
    """A tqdm bar on stderr, or a disabled one (see `clean_many` for `progress`)."""
    from tqdm import tqdm

    stream = sys.stderr
    terminal = _is_terminal(stream)
    if not (terminal if progress is None else progress):
        return tqdm(total=total, disable=True)
    if terminal:
        return tqdm(total=total, unit="page", desc="cleaning", file=stream)
    return tqdm(
        total=total,
        unit="page",
        desc="cleaning",
        file=LogLines(stream),
        mininterval=LOG_PROGRESS_INTERVAL_S,
        ascii=True,
    )


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # replaced by an object without it, or closed
        return False


class LogLines:
    """A stream for tqdm that turns its carriage-return redraws into whole lines, as a log
    (an Airflow task log, a file) wants them."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        for part in text.replace("\r", "\n").split("\n"):
            if part.strip():
                self.stream.write(part.strip() + "\n")
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def peak_rss_kb() -> int:
    """This process's peak resident memory in kB (0 where the platform cannot tell)."""
    if resource is None:  # pragma: no cover - Windows
        return 0
    peak = int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, kB on Linux


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
            _CONTEXT.set_forkserver_preload(["cleaner.batch"])
    return _CONTEXT


# -- which inputs are new ---------------------------------------------------------------


def input_id(path: Any, config: Config = DEFAULT_CONFIG) -> str:
    """The id an input will get: of its bytes, or of its name when it cannot be read
    (missing, a folder, too large: `read_path` refuses before reading, as here)."""
    return _content_id(path, config) or content_id(str(path).encode("utf-8"))


def _content_id(path: Any, config: Config) -> str | None:
    try:
        return content_id(read_path(path, config).data)
    except CleanError:
        return None


def input_ids(paths: list[Any], warehouse: Warehouse, config: Config = DEFAULT_CONFIG) -> list[str]:
    """The ids of `paths`, in order. A local file whose size, mtime and inode are those
    recorded in the warehouse's input index gets the id recorded there without being read;
    the others are read and hashed, and recorded. The index is loaded and saved one shard
    at a time, so memory stays small however many inputs there are."""
    ids: list[str] = [""] * len(paths)
    by_shard: dict[str, list[int]] = defaultdict(list)
    for i, path in enumerate(paths):
        if isinstance(path, Path):
            by_shard[warehouse.input_index_shard(str(path))].append(i)
        else:  # object storage: no cheap, trustworthy stamp here; read it
            ids[i] = input_id(path, config)
    for shard, positions in by_shard.items():
        entries = warehouse.load_input_index(shard)
        changed = False
        for i in positions:
            ids[i], updated = _indexed_id(paths[i], entries, config)
            changed |= updated
        changed |= _forget_missing(entries, {str(paths[i]) for i in positions})
        if changed:
            warehouse.save_input_index(shard, entries)
    return ids


def _indexed_id(path: Path, entries: dict[str, list[Any]], config: Config) -> tuple[str, bool]:
    """(id, whether `entries` changed). Only ids of bytes are recorded: an unreadable
    input's id is of its name, which costs nothing to compute again."""
    key = str(path)
    try:
        st = path.stat()
    except OSError:
        return input_id(path, config), entries.pop(key, None) is not None
    stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
    entry = entries.get(key)
    if entry is not None and entry[:3] == stamp:
        return str(entry[3]), False
    found = _content_id(path, config)
    if found is None:
        return content_id(key.encode("utf-8")), entries.pop(key, None) is not None
    entries[key] = [*stamp, found]
    return found, True


def _forget_missing(entries: dict[str, list[Any]], seen: set[str]) -> bool:
    """Drop entries of files that no longer exist, so the index does not grow forever;
    True when any went."""
    gone = [key for key in entries if key not in seen and not os.path.lexists(key)]
    for key in gone:
        del entries[key]
    return bool(gone)


def triage(
    paths: list[Any], warehouse: Warehouse, config: Config = DEFAULT_CONFIG
) -> tuple[list[Any], list[tuple[Any, str]]]:
    """(the inputs still to clean, (input, id) of those already cleaned or quarantined)."""
    todo: list[Any] = []
    done: list[tuple[Any, str]] = []
    for path, doc_id in zip(paths, input_ids(paths, warehouse, config), strict=True):
        if warehouse.has(doc_id):
            done.append((path, doc_id))
        else:
            todo.append(path)
    return todo, done


def pending(
    paths: Iterable[Any], warehouse: Warehouse, config: Config = DEFAULT_CONFIG
) -> list[Any]:
    """The inputs that are neither cleaned nor quarantined in the warehouse yet."""
    return triage([as_path(p) for p in paths], warehouse, config)[0]


def expand_inputs(patterns: Iterable[str | Path], pattern: str = "*") -> list[Path]:
    """Files named directly, files below folders (matching `pattern`), and globs; sorted,
    without duplicates and without hidden files. Missing names are kept, so that they
    are reported as failures rather than silently dropped."""
    found: dict[str, Path] = {}
    for item in patterns:
        p = Path(item)
        if p.is_dir():
            matches = [m for m in p.rglob(pattern) if m.is_file()]
        elif any(ch in str(item) for ch in "*?["):
            base = Path(str(item)).anchor or "."
            rel = str(item)[len(base) :] if Path(str(item)).is_absolute() else str(item)
            matches = [m for m in Path(base).glob(rel) if m.is_file()]
        else:
            matches = [p]
        for m in matches:
            inside = m.relative_to(p).parts if p.is_dir() else m.parts[-1:]
            if not any(part.startswith(".") for part in inside):  # .cache/, .DS_Store
                found.setdefault(str(m), m)
    return [found[k] for k in sorted(found)]


# -- a batch into the warehouse ------------------------------------------------------------


def run_batch(
    paths: Iterable[Any],
    warehouse: Warehouse,
    run_id: str | None = None,
    *,
    reprocess: bool = False,
    workers: int = 1,
    config: Config = DEFAULT_CONFIG,
    on_outcome: Any = None,
    progress: bool | None = None,
    isolate: bool = False,
    group: str | None = None,
    day: str | None = None,
    clean: CleanFn = clean_one,
) -> dict[str, Any]:
    """Clean `paths` into `warehouse` and write the run manifest; returns the manifest.

    Inputs already in the warehouse are skipped without being cleaned, unless `reprocess`.
    `on_outcome(outcome, status)` is called after each cleaned input (for `--explain`);
    status is "cleaned", "skipped" or "quarantined". `workers`, `progress`, `isolate` and
    `clean` go to `clean_many`.

    Besides the manifest (under `group`, the Airflow run a batch belongs to, when given),
    one row per input goes to `Warehouse.document_rows(run_id, day)`; `day` (YYYY-MM-DD)
    is the date partition, by default the UTC day the batch started. A retried batch must
    pass the same `day`, so that it overwrites its rows rather than adding a second file.
    """
    started = datetime.now(UTC)
    run_id = run_id or started.strftime("run-%Y%m%dT%H%M%S%fZ")
    all_paths = [as_path(p) for p in paths]
    todo, done = (all_paths, []) if reprocess else triage(all_paths, warehouse, config)
    counts = RunCounts(inputs=len(all_paths), skipped=len(done))
    session = _template_session(warehouse, run_id, config)
    if session is not None and clean is clean_one:
        clean = partial(clean_one, templates=session)
    documents: list[dict[str, str]] = []
    seconds: list[float] = []
    peak_kb = 0
    with warehouse.document_rows(run_id, day or started.date().isoformat()) as write_row:
        for path, doc_id in done:
            write_row(document_row(run_id, str(path), doc_id, "skipped"))
        outcomes = clean_many(todo, workers, config, progress, isolate=isolate, clean=clean)
        for outcome in outcomes:
            seconds.append(outcome.seconds)
            peak_kb = max(peak_kb, outcome.peak_rss_kb)
            status = _store(outcome, warehouse, reprocess, counts)
            documents.append({"source": outcome.source, "id": outcome.id, "status": status})
            write_row(document_row(run_id, outcome.source, outcome.id, status, outcome))
            if session is not None and status == "cleaned" and outcome.document is not None:
                session.observe_document(outcome.document)
            if on_outcome is not None:
                on_outcome(outcome, status)
    if session is not None:
        _save_templates(session, run_id)
    manifest = {
        "run_id": run_id,
        "cleaner_version": VERSION,
        "started": started.isoformat(),
        "finished": datetime.now(UTC).isoformat(),
        **counts.as_dict(),
        "timing": _timing(seconds),
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "documents": documents,
    }
    warehouse.write_manifest(run_id, manifest, group=group)
    return manifest


def _template_session(warehouse: Warehouse, run_id: str, config: Config) -> TemplateSession | None:
    """The site templates this batch judges with and adds to, or None when they are
    off. The session writes under the batch's own run id, so a retried batch (same id)
    rewrites its own counts instead of adding a second copy."""
    if not config.site_templates:
        return None
    return TemplateSession(TemplateStore(warehouse.root), run_id)


def _save_templates(session: TemplateSession, run_id: str) -> None:
    """Templates are a refinement: failing to save them costs later runs some learning,
    never this run's documents, so a write error is logged rather than raised."""
    try:
        session.save()
    except OSError as exc:
        log.warning("site templates of %s not saved: %s", run_id, exc)


def document_row(
    run_id: str, source: str, doc_id: str, status: str, outcome: Outcome | None = None
) -> dict[str, Any]:
    """One input's row for the per-document JSON Lines (every key always present, so a
    query engine infers one schema from any file)."""
    meta = outcome.document.metadata if outcome and outcome.document else {}
    error = outcome.error if outcome else None
    return {
        "run_id": run_id,
        "source": source,
        "id": doc_id,
        "status": status,
        "error": error.kind if error else None,
        "reason": error.reason if error else None,
        "seconds": round(outcome.seconds, 4) if outcome else None,
        "word_count": meta.get("word_count"),
        "language": meta.get("language"),
        "site": site_of(meta.get("url")),
    }


def _store(outcome: Outcome, warehouse: Warehouse, reprocess: bool, counts: RunCounts) -> str:
    if outcome.document is not None:
        if warehouse.write(outcome.document, overwrite=reprocess):
            counts.cleaned += 1
            return "cleaned"
        counts.skipped += 1
        return "skipped"
    assert outcome.error is not None
    warehouse.quarantine(outcome.id, outcome.source, outcome.error)
    counts.quarantined += 1
    counts.failures.append(
        {"source": outcome.source, "error": outcome.error.kind, "reason": outcome.error.reason}
    )
    return "quarantined"


def _timing(seconds: list[float]) -> dict[str, float]:
    if not seconds:
        return {"total_s": 0.0, "median_s": 0.0, "max_s": 0.0}
    ordered = sorted(seconds)
    return {
        "total_s": round(sum(ordered), 4),
        "median_s": round(ordered[len(ordered) // 2], 4),
        "max_s": round(ordered[-1], 4),
    }
