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
"""

from __future__ import annotations

import json
import os
import tempfile
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


def shard(doc_id: str) -> str:
    return doc_id[:2]


@dataclass
class Warehouse:
    root: Any  # Path or ObjectStoragePath (StoragePath)

    def __post_init__(self) -> None:
        if isinstance(self.root, str):
            self.root = Path(self.root)

    def clean_path(self, doc_id: str, suffix: str) -> Any:
        return self.root / "clean" / shard(doc_id) / f"{doc_id}{suffix}"

    def quarantine_path(self, doc_id: str) -> Any:
        return self.root / "quarantine" / shard(doc_id) / f"{doc_id}.json"

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
        write_atomic(self.clean_path(doc.id, ".txt"), (doc.text + "\n").encode("utf-8"))
        write_atomic(meta_path, _json_bytes(doc.metadata))
        return True

    def quarantine(self, doc_id: str, source: str, error: CleanError | Exception) -> None:
        record = {
            "id": doc_id,
            "source": source,
            "error": error.kind if isinstance(error, CleanError) else type(error).__name__,
            "reason": error.reason if isinstance(error, CleanError) else str(error),
        }
        write_atomic(self.quarantine_path(doc_id), _json_bytes(record))

    def write_raw(self, doc_id: str, body: bytes, meta: dict[str, Any]) -> Any:
        """Store fetched bytes and their fetch record; returns the body's path."""
        folder = self.root / "raw" / shard(doc_id)
        write_atomic(folder / f"{doc_id}.body", body)
        write_atomic(folder / f"{doc_id}.meta.json", _json_bytes(meta))
        return folder / f"{doc_id}.body"

    def manifest_path(self, run_id: str) -> Any:
        return self.root / "manifests" / f"{_safe_name(run_id)}.json"

    def write_manifest(self, run_id: str, manifest: dict[str, Any]) -> Any:
        path = self.manifest_path(run_id)
        write_atomic(path, _json_bytes(manifest))
        return path


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
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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


def _json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def _safe_name(name: str) -> str:
    """A file name that cannot leave its folder.

    >>> _safe_name("../../etc/passwd"), _safe_name("manual__2025-01-01T00:00:00+00:00")
    ('etc_passwd', 'manual__2025-01-01T00_00_00_00_00')
    """
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return cleaned.strip("._")[:200] or "run"
