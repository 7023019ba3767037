"""The warehouse: clean text and metadata on disk or object storage, written safely.

Layout under the root (ids are 16 hex digits of the raw bytes' SHA-256, so the same input
always lands in the same place, and the two-digit shard keeps folders small):

    clean/<id[:2]>/<id>.txt         clean text
    clean/<id[:2]>/<id>.json        metadata; written last, so it marks the pair complete
    quarantine/<id[:2]>/<id>.json   inputs that could not be cleaned, with the reason
    raw/<id[:2]>/<id>.body          fetched bytes, and <id>.meta.json (url, headers, time)
    manifests/<run_id>.json         one per run: counts, failures, timings
    manifests/batches/<run_id>/<batch_run_id>.json   one per Airflow batch, by run
    manifests/documents/date=<YYYY-MM-DD>/<run_id>.jsonl   one row per input of a batch
    listings/<run_id>/batch-<nnnnn>.jsonl   the inputs of one Airflow batch, one a line
    index/inputs/<xx>.json          content ids of input files by path, size, mtime, inode

No folder grows with the number of runs times the number of batches: batch manifests sit
in a folder per run, rows in a folder per day (Hive-style `date=` partitions, which DuckDB
and Spark read as a column), listings in a folder per run, and the shards hold 1/256 of
the documents each.

Writes are atomic on a local disk (temporary file in the same folder, fsync, rename) and
on object storage (a PUT is atomic per object). Rerunning the same input is a no-op. A
document's metadata file is created exclusively, so of two workers that clean the same page
at once one counts it as cleaned and the other as skipped (`Warehouse.write`).

A run killed mid-write (SIGKILL, OOM, a lost node) can leave two kinds of debris, and both
are repaired by simply running again:

- a `.txt` without its `.json`: the pair is not complete, so `has` says no and the rerun
  writes both again;
- a temporary file `.<name>.<host>-<pid>.<random>.tmp`: the first write into a folder in a
  `Warehouse`'s life removes the temporary files there whose writer is gone (a dead pid on
  this host, or older than `STALE_TEMP_S`), so a live writer's file is never touched. A
  rerun rewrites every unfinished document, so it visits every folder that holds debris;
  `sweep()` cleans the whole tree on demand.

Ids and run ids are names chosen by code, not by the pages, but they are checked anyway:
an id must be lowercase hex (`ID_PATTERN`) and a run id is reduced to a safe file name, so
nothing can write outside the warehouse folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from cleaner.document import Document
from cleaner.errors import CleanError

if TYPE_CHECKING:
    from cleaner.template_store import TemplateStore


class StoragePath(Protocol):
    """The slice of `pathlib.Path` the warehouse uses; Airflow's ObjectStoragePath has it."""

    def __truediv__(self, other: str) -> StoragePath: ...
    def exists(self) -> bool: ...
    def mkdir(self, parents: bool = ..., exist_ok: bool = ...) -> None: ...
    def open(self, mode: str = ...) -> Any: ...
    def iterdir(self) -> Any: ...

    @property
    def name(self) -> str: ...


#: Ids are SHA-256 prefixes in lowercase hex (16 digits from `metadata.content_id`); 1 to 64
#: digits are accepted (tests use short ids); only hex matters: it cannot spell a path.
ID_PATTERN = re.compile(r"[0-9a-f]{1,64}")

#: A temporary file whose writer cannot be checked (another host, or written before the
#: writer's pid was put in the name) is debris once it is this old: one write of one
#: document takes milliseconds, so an hour leaves a wide margin for a slow shared disk.
STALE_TEMP_S = 3600.0

#: Longest file-name stem a run id becomes; with the temporary-file decorations (host,
#: pid, random part) this stays far below the 255-byte limit of common file systems.
MAX_NAME_CHARS = 120

#: Hex digits of SHA-256 appended to a run id that had to be changed to be a safe name, so
#: that two different run ids can never share (and overwrite) one manifest.
NAME_HASH_DIGITS = 8

TEMP_SUFFIX = ".tmp"

#: A row partition is a UTC day: one folder a day stays small (a daily Airflow run writes
#: at most `[core] max_map_length` = 1024 batch files into it) and lets a query read a
#: date range without listing the rest.
DAY_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

#: Hex digits of SHA-256 of an input's path that pick its input-index shard: 256 shards,
#: about 1,200 entries (100 kB) each at 300,000 inputs, read and written one at a time.
INDEX_SHARD_DIGITS = 2


def shard(doc_id: str) -> str:
    return doc_id[:2]


def check_id(doc_id: str) -> str:
    """The id itself, or ValueError: an id is used as a file name, so it must be plain hex.

    >>> check_id("2cf24dba5fb0a30e")
    '2cf24dba5fb0a30e'
    >>> check_id("../../etc/passwd")
    Traceback (most recent call last):
    ...
    ValueError: invalid document id '../../etc/passwd': expected 1-64 lowercase hex digits
    """
    if not isinstance(doc_id, str) or not ID_PATTERN.fullmatch(doc_id):
        raise ValueError(f"invalid document id {doc_id!r}: expected 1-64 lowercase hex digits")
    return doc_id


@dataclass
class Warehouse:
    root: Any  # Path or ObjectStoragePath (StoragePath)
    _swept: set[str] = field(default_factory=set, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.root, str):
            self.root = Path(self.root)

    def clean_path(self, doc_id: str, suffix: str) -> Any:
        if suffix not in {".txt", ".json"}:
            raise ValueError(f"invalid clean-zone suffix {suffix!r}")
        return self.root / "clean" / shard(check_id(doc_id)) / f"{doc_id}{suffix}"

    def quarantine_path(self, doc_id: str) -> Any:
        return self.root / "quarantine" / shard(check_id(doc_id)) / f"{doc_id}.json"

    def has(self, doc_id: str) -> bool:
        """True when the document was cleaned or quarantined before."""
        if isinstance(self.root, Path):  # plain strings: a listing asks this of every input,
            # and building two Paths per call took most of a 20,000-file listing's time
            name = os.path.join(shard(check_id(doc_id)), f"{doc_id}.json")
            return os.path.exists(os.path.join(self.root, "clean", name)) or os.path.exists(
                os.path.join(self.root, "quarantine", name)
            )
        return exists_now(self.clean_path(doc_id, ".json")) or exists_now(
            self.quarantine_path(doc_id)
        )

    def write(self, doc: Document, overwrite: bool = False) -> bool:
        """Write text then metadata; False when it was already there (and not overwritten).

        Without `overwrite`, the metadata file is created exclusively (a hard link on a
        local disk, a conditional PUT on object storage), so of two writers that clean the
        same page at once (copies of one page in two batches on two workers) exactly one
        gets True and counts it as cleaned: the run's counts then match the clean zone.
        The other writer's text may have replaced the winner's a moment before; both are
        cleanings of the same bytes, and differ only if the two saw different site
        templates.
        """
        meta_path = self.clean_path(doc.id, ".json")
        if not overwrite and exists_now(meta_path):
            return False
        self._write(self.clean_path(doc.id, ".txt"), (doc.text + "\n").encode("utf-8"))
        try:
            self._write(meta_path, _json_bytes(doc.metadata), exclusive=not overwrite)
        except FileExistsError:
            return False
        self._remove(self.quarantine_path(doc.id))  # one place only: cleaned now
        return True

    def quarantine(self, doc_id: str, source: str, error: CleanError | Exception) -> None:
        record = {
            "id": doc_id,
            "source": source,
            "error": error.kind if isinstance(error, CleanError) else type(error).__name__,
            "reason": error.reason if isinstance(error, CleanError) else str(error),
        }
        self._write(self.quarantine_path(doc_id), _json_bytes(record))
        # One place only: a reprocessed input that fails now is no longer clean. The .json
        # goes first, so a crash in between leaves an incomplete pair, never a "done" one.
        self._remove(self.clean_path(doc_id, ".json"))
        self._remove(self.clean_path(doc_id, ".txt"))

    def documents(self) -> Iterator[dict[str, Any]]:
        """Every complete clean document, `{"id", "text", "metadata"}`, in id order (a
        `.txt` without its `.json` is an unfinished write, not a document)."""
        for meta_path in sorted(self.root.glob("clean/*/*.json"), key=lambda p: p.name):
            metadata = json.loads(meta_path.read_bytes())
            text_path = meta_path.parent / (meta_path.name[: -len(".json")] + ".txt")
            text = text_path.read_bytes().decode("utf-8").removesuffix("\n")
            yield {"id": metadata["id"], "text": text, "metadata": metadata}

    def write_raw(self, doc_id: str, body: bytes, meta: dict[str, Any]) -> Any:
        """Store fetched bytes and their fetch record; returns the body's path."""
        folder = self.root / "raw" / shard(check_id(doc_id))
        self._write(folder / f"{doc_id}.body", body)
        self._write(folder / f"{doc_id}.meta.json", _json_bytes(meta))
        return folder / f"{doc_id}.body"

    def manifest_path(self, run_id: str, group: str | None = None) -> Any:
        """`manifests/<run_id>.json`; with `group` (the Airflow run a batch belongs to),
        `manifests/batches/<group>/<run_id>.json`, so batches do not pile up in one folder."""
        if group is None:
            return self.root / "manifests" / f"{_safe_name(run_id)}.json"
        return (
            self.root / "manifests" / "batches" / _safe_name(group) / f"{_safe_name(run_id)}.json"
        )

    def write_manifest(
        self, run_id: str, manifest: Mapping[str, Any], group: str | None = None
    ) -> Any:
        path = self.manifest_path(run_id, group)
        self._write(path, _json_bytes(manifest))
        return path

    def rows_path(self, run_id: str, day: str) -> Any:
        """Where a batch's per-document rows go: `manifests/documents/date=<day>/<run_id>.jsonl`."""
        if not DAY_PATTERN.fullmatch(day):
            raise ValueError(f"invalid partition day {day!r}: expected YYYY-MM-DD")
        folder = self.root / "manifests" / "documents" / f"date={day}"
        return folder / f"{_safe_name(run_id)}.jsonl"

    @contextmanager
    def document_rows(self, run_id: str, day: str) -> Iterator[Callable[[Mapping[str, Any]], None]]:
        """Yield a function that adds one row (a JSON object a line) to the run's rows file,
        which appears, whole, only when the block ends without an error. The same run id and
        day write the same file, so a retried batch replaces its rows."""
        path = self.rows_path(run_id, day)
        self._sweep_once(path)
        with open_atomic(path) as fh:

            def write_row(row: Mapping[str, Any]) -> None:
                fh.write(_json_line(row))

            yield write_row

    def template_store(self) -> TemplateStore:
        """The site templates of this warehouse, under `templates/`."""
        from cleaner.template_store import TemplateStore

        return TemplateStore(self.root)

    def listing_path(self, run_id: str, name: str) -> Any:
        """`listings/<run_id>/<name>`: what an Airflow run handed to each of its tasks."""
        return self.root / "listings" / _safe_name(run_id) / _safe_name(name)

    def write_listing(self, run_id: str, name: str, data: bytes) -> Any:
        path = self.listing_path(run_id, name)
        self._write(path, data)
        return path

    def prune_listings(self, older_than_s: float, keep: str, now: float | None = None) -> list[str]:
        """Remove the `listings/<run_id>/` folders of runs other than `keep` whose newest
        file is older than `older_than_s`; returns the run folders removed.

        A listing is only read while its run's tasks run (or are cleared and run again),
        so old ones are debris: a scheduled DAG would otherwise add a folder per run
        forever. On object storage this does nothing: expire `listings/` with a bucket
        lifecycle rule instead, which costs no listing of the bucket.
        """
        folder = self.root / "listings"
        if not isinstance(folder, Path) or not folder.is_dir():
            return []
        now = time.time() if now is None else now
        removed = []
        for run in folder.iterdir():
            if not run.is_dir() or run.name == _safe_name(keep):
                continue
            newest = max((f.stat().st_mtime for f in run.iterdir()), default=run.stat().st_mtime)
            if now - newest > older_than_s:
                shutil.rmtree(run, ignore_errors=True)
                removed.append(run.name)
        return removed

    def input_index_shard(self, key: str) -> str:
        """The input-index shard of an input path."""
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:INDEX_SHARD_DIGITS]

    def load_input_index(self, shard: str) -> dict[str, list[Any]]:
        """One shard of the input index: `{path: [size, mtime_ns, inode, id]}`. A missing or
        damaged shard is empty: it only costs reading those inputs again."""
        try:
            data = json.loads(self._input_index_path(shard).read_bytes())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save_input_index(self, shard: str, entries: dict[str, list[Any]]) -> None:
        data = json.dumps(entries, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        self._write(self._input_index_path(shard), data)

    def _input_index_path(self, shard: str) -> Any:
        if len(shard) != INDEX_SHARD_DIGITS or not ID_PATTERN.fullmatch(shard):
            raise ValueError(f"invalid input index shard {shard!r}")
        return self.root / "index" / "inputs" / f"{shard}.json"

    def sweep(self) -> list[Path]:
        """Remove stale temporary files anywhere under a local root; returns what went.

        Object storage has no temporary files (one PUT per object), so there it does nothing.
        """
        if not isinstance(self.root, Path) or not self.root.exists():
            return []
        removed: list[Path] = []
        for folder in {p.parent for p in self.root.rglob(f".*{TEMP_SUFFIX}")}:
            removed += sweep_folder(folder)
            self._swept.add(str(folder))
        return removed

    def _write(self, path: Any, data: bytes, exclusive: bool = False) -> None:
        """`write_atomic`, after clearing a dead writer's debris from the folder once."""
        self._sweep_once(path)
        write_atomic(path, data, exclusive=exclusive)

    def _sweep_once(self, path: Any) -> None:
        if isinstance(path, Path) and str(path.parent) not in self._swept:
            sweep_folder(path.parent)
            self._swept.add(str(path.parent))

    def _remove(self, path: Any) -> None:
        if path.exists():
            path.unlink()


def write_document(doc: Document, out_dir: Path) -> None:
    """Write `<id>.txt` and `<id>.json` straight into a folder (the `clean_file` form)."""
    write_atomic(out_dir / f"{doc.id}.txt", (doc.text + "\n").encode("utf-8"))
    write_atomic(out_dir / f"{doc.id}.json", _json_bytes(doc.metadata))


def write_atomic(path: Any, data: bytes, exclusive: bool = False) -> None:
    """Never leave a half-written file under `path`: write aside, then rename (see
    `open_atomic`, also for `exclusive`)."""
    with open_atomic(path, exclusive=exclusive) as fh:
        fh.write(data)


@contextmanager
def open_atomic(path: Any, exclusive: bool = False) -> Iterator[BinaryIO]:
    """A binary file to write `path` through: on a local disk a temporary file in the same
    folder, fsynced and renamed over `path` when the block ends, and removed if it raises;
    on object storage a buffer sent as one PUT (atomic per object) at the end, and only
    if the block did not raise.

    `exclusive`: raise FileExistsError instead of replacing a `path` that exists when the
    block ends, even one another process wrote a moment before. Locally the temporary
    file is hard-linked to `path` (which fails if it exists); on object storage the PUT
    is conditional (`If-None-Match: *`, mode "xb" of s3fs). A file system that offers
    neither (no hard links; an object store without "xb") is written as without it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if not isinstance(path, Path):
        buffer = io.BytesIO()
        yield buffer
        _put(path, buffer.getvalue(), exclusive)
        return
    prefix = f".{path.name}.{_owner_tag()}."
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if exclusive and _link(tmp, path):
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _link(tmp: str, path: Path) -> bool:
    """Hard-link `tmp` to `path`: True when done, FileExistsError when `path` exists,
    False when this file system has no hard links (the caller renames instead)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # EPERM, ENOTSUP, EXDEV: no hard links here
        return False
    return True


def _put(path: Any, data: bytes, exclusive: bool) -> None:
    """One PUT of `data` to an object storage path; conditional when `exclusive`."""
    if exclusive:
        try:
            fh = path.open("xb")
        except (ValueError, NotImplementedError):  # this store has no exclusive create
            pass
        else:
            with fh:  # FileExistsError, raised when the object exists, comes from here
                fh.write(data)
            return
    with path.open("wb") as fh:
        fh.write(data)


def forget_listing(path: Any) -> None:
    """Drop what this process remembers of the listing of `path`'s folders.

    fsspec object stores (s3fs) cache folder listings per process, and answer `exists()`
    and `iterdir()` from them: a process that listed a folder does not see the objects
    other processes add to it afterwards, and even says they do not exist. Readers that
    must see other writers' objects (the site templates of other batches, the documents
    another worker cleaned) call this first. Local paths have no such cache.
    """
    fs = getattr(path, "fs", None)
    invalidate = getattr(fs, "invalidate_cache", None)
    if invalidate is not None and not isinstance(path, Path):
        invalidate(getattr(path, "path", str(path)))


def exists_now(path: Any) -> bool:
    """`path.exists()`, answered by the storage rather than by a cached listing."""
    forget_listing(path.parent)
    return bool(path.exists())


def sweep_folder(folder: Path, now: float | None = None) -> list[Path]:
    """Remove the temporary files in `folder` (not below it) whose writer is gone."""
    if not folder.is_dir():
        return []
    now = time.time() if now is None else now
    removed = []
    for entry in folder.iterdir():
        is_temp = entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)
        if is_temp and _is_stale(entry, now):
            entry.unlink(missing_ok=True)
            removed.append(entry)
    return removed


def _is_stale(temp: Path, now: float) -> bool:
    """A dead writer's file: its pid is gone on this host, or it is older than STALE_TEMP_S."""
    try:
        age = now - temp.stat().st_mtime
    except FileNotFoundError:
        return False  # renamed or removed while we looked: not ours to worry about
    if age > STALE_TEMP_S:
        return True
    owner = _parse_owner(temp.name)
    if owner is None or owner[0] != _host_tag():
        return False
    return not _pid_alive(owner[1])


def _owner_tag() -> str:
    """`<host>-<pid>`, put in temporary names so a sweep can tell live writers from dead."""
    return f"{_host_tag()}-{os.getpid()}"


def _host_tag() -> str:
    """This host's name as a short token without dots (containers have their own pids,
    and their own host names, so the pair identifies a writer).

    >>> "." in _host_tag() or len(_host_tag()) > 32
    False
    """
    name = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:32]
    return name or "host"


def _parse_owner(name: str) -> tuple[str, int] | None:
    """(host, pid) from `.<name>.<host>-<pid>.<random>.tmp`, or None for another shape.

    >>> _parse_owner(".ab12.json.box7-4242.k3j_x9q1.tmp")
    ('box7', 4242)
    >>> _parse_owner(".ab12.json.k3j_x9q1.tmp") is None
    True
    """
    parts = name[: -len(TEMP_SUFFIX)].rsplit(".", 2)
    if len(parts) != 3:
        return None
    match = re.fullmatch(r"([A-Za-z0-9]+)-([0-9]+)", parts[1])
    return (match.group(1), int(match.group(2))) if match else None


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    except OverflowError:
        return False
    return True


def _json_line(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False) + "\n").encode("utf-8")


def _json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def _safe_name(name: str) -> str:
    """A short ASCII file name that cannot leave its folder; a name that had to be changed
    gets a hash of the original, so two run ids never collapse into one manifest.

    >>> _safe_name("run-1"), _safe_name("../../etc/passwd")
    ('run-1', 'etc_passwd-3754d6cb')
    >>> _safe_name("manual__2025-01-01T00:00:00+00:00")
    'manual__2025-01-01T00_00_00_00_00-31d00d8e'
    """
    cleaned = re.sub(r"[^A-Za-z0-9_.-]", "_", name).strip("._-")[:MAX_NAME_CHARS] or "run"
    if cleaned == name:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{cleaned}-{digest[:NAME_HASH_DIGITS]}"
