"""The warehouse: clean text and metadata on disk or object storage, written safely.

Layout under the root (ids are 16 hex digits of the raw bytes' SHA-256, so the same input
always lands in the same place, and the two-digit shard keeps folders small):

    clean/<id[:2]>/<id>.txt         clean text
    clean/<id[:2]>/<id>.json        metadata; written last, so it marks the pair complete
    quarantine/<id[:2]>/<id>.json   inputs that could not be cleaned, with the reason
    raw/<id[:2]>/<id>.body          fetched bytes, and <id>.meta.json (url, headers, time)
    manifests/<run_id>.json         one per run: counts, failures, timings

Writes are atomic on a local disk (temporary file in the same folder, fsync, rename) and
on object storage (a PUT is atomic per object). Rerunning the same input is a no-op.

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
import json
import os
import re
import socket
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from cleaner.document import Document
from cleaner.errors import CleanError


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
        return bool(
            self.clean_path(doc_id, ".json").exists() or self.quarantine_path(doc_id).exists()
        )

    def write(self, doc: Document, overwrite: bool = False) -> bool:
        """Write text then metadata; False when it was already there (and not overwritten)."""
        meta_path = self.clean_path(doc.id, ".json")
        if meta_path.exists() and not overwrite:
            return False
        self._write(self.clean_path(doc.id, ".txt"), (doc.text + "\n").encode("utf-8"))
        self._write(meta_path, _json_bytes(doc.metadata))
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

    def write_raw(self, doc_id: str, body: bytes, meta: dict[str, Any]) -> Any:
        """Store fetched bytes and their fetch record; returns the body's path."""
        folder = self.root / "raw" / shard(check_id(doc_id))
        self._write(folder / f"{doc_id}.body", body)
        self._write(folder / f"{doc_id}.meta.json", _json_bytes(meta))
        return folder / f"{doc_id}.body"

    def manifest_path(self, run_id: str) -> Any:
        return self.root / "manifests" / f"{_safe_name(run_id)}.json"

    def write_manifest(self, run_id: str, manifest: dict[str, Any]) -> Any:
        path = self.manifest_path(run_id)
        self._write(path, _json_bytes(manifest))
        return path

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

    def _write(self, path: Any, data: bytes) -> None:
        """`write_atomic`, after clearing a dead writer's debris from the folder once."""
        if isinstance(path, Path) and str(path.parent) not in self._swept:
            sweep_folder(path.parent)
            self._swept.add(str(path.parent))
        write_atomic(path, data)

    def _remove(self, path: Any) -> None:
        if path.exists():
            path.unlink()


@dataclass
class RunCounts:
    """What a batch did with its inputs; `cleaned + skipped + quarantined == inputs`."""

    inputs: int = 0
    cleaned: int = 0
    skipped: int = 0
    quarantined: int = 0
    failures: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "cleaned": self.cleaned,
            "skipped": self.skipped,
            "quarantined": self.quarantined,
            "failures": self.failures,
        }


def write_document(doc: Document, out_dir: Path) -> None:
    """Write `<id>.txt` and `<id>.json` straight into a folder (the `clean_file` form)."""
    write_atomic(out_dir / f"{doc.id}.txt", (doc.text + "\n").encode("utf-8"))
    write_atomic(out_dir / f"{doc.id}.json", _json_bytes(doc.metadata))


def write_atomic(path: Any, data: bytes) -> None:
    """Never leave a half-written file under `path`: write aside, then rename."""
    if isinstance(path, Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{path.name}.{_owner_tag()}."
        fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:  # object storage: one PUT, atomic per object
        fh.write(data)


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
