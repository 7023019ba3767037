"""Archive listings remembered by file stamp, as the input index remembers files' ids.

Listing an archive reads all of it (a 1 GB WARC: about 25 s on one core) to learn each
record's id. A scheduled run over a folder of archives that did not change would do that
every time only to skip every record. So a local warehouse keeps each archive's listing
in `index/archives/<key>.jsonl`: a header line (the archive, its size, mtime and inode,
and the settings the listing depends on), one reference a line, and a closing line with
the listing's counts. While the stamp and settings match, the references come from there.

The file is written as the listing goes and renamed into place only when the listing
completed, so a listing cut short leaves nothing. A listing that hit a read error (not
damage in the archive: an I/O error, a missing file) is not kept, so it is tried again.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cleaner.archives.jsonl import DEFAULT_FIELDS, JsonlFields
from cleaner.archives.listing import READ_ERROR, list_records, location_of
from cleaner.archives.ref import RecordRef
from cleaner.archives.stats import ScanStats
from cleaner.config import DEFAULT_CONFIG, Config

#: Bump when what a listing holds changes, so that old listings are made again.
INDEX_VERSION = 1


class ArchiveIndex:
    """The remembered listings under one folder (a warehouse's `index/archives/`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, location: str) -> Path:
        digest = hashlib.sha256(location.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        return self.folder / f"{digest}.jsonl"

    def records(
        self,
        path: Path,
        fields: JsonlFields = DEFAULT_FIELDS,
        config: Config = DEFAULT_CONFIG,
        stats: ScanStats | None = None,
    ) -> Iterator[RecordRef]:
        """The archive's references: remembered when its stamp and the settings match,
        else listed (and remembered)."""
        location = location_of(path)
        header = _header(path, location, fields, config)
        target = self.path_for(location)
        if header is not None and (remembered := _read(target, header)) is not None:
            refs, counts = remembered
            if stats is not None:
                _add_counts(stats, counts)
            yield from refs
            return
        if header is None:  # cannot stat it: the listing reports why
            yield from list_records(path, fields, config, stats)
            return
        yield from _list_and_remember(path, target, header, fields, config, stats)


def archive_index(sink: Any) -> ArchiveIndex | None:
    """The listing index of a sink with a local folder (a `Warehouse` on disk), or None."""
    root = getattr(sink, "root", None)
    return ArchiveIndex(root / "index" / "archives") if isinstance(root, Path) else None


def _header(
    path: Path, location: str, fields: JsonlFields, config: Config
) -> dict[str, Any] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return {
        "version": INDEX_VERSION,
        "archive": location,
        "stamp": [st.st_size, st.st_mtime_ns, st.st_ino],
        "fields": list(fields.as_tuple()),
        "max_bytes": config.max_bytes,
    }


def _read(target: Path, header: dict[str, Any]) -> tuple[list[RecordRef], dict[str, Any]] | None:
    """The remembered references and counts, or None when there are none for this stamp
    (or the file is damaged: it only costs listing the archive again)."""
    try:
        lines = target.read_bytes().decode("utf-8").splitlines()
        if not lines or json.loads(lines[0]) != header:
            return None
        counts = json.loads(lines[-1])["counts"]
        return [RecordRef.from_json(json.loads(line)) for line in lines[1:-1]], counts
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _list_and_remember(
    path: Path,
    target: Path,
    header: dict[str, Any],
    fields: JsonlFields,
    config: Config,
    stats: ScanStats | None,
) -> Iterator[RecordRef]:
    from cleaner.warehouse import open_atomic

    counts = ScanStats()
    keep = True
    try:
        with open_atomic(target) as out:
            out.write(_line(header))
            for ref in list_records(path, fields, config, counts):
                keep = keep and not (ref.damage or "").startswith(READ_ERROR)
                out.write(_line(ref.to_json()))
                yield ref
            out.write(_line({"counts": _counts(counts)}))
            if not keep:
                raise _Forget
    except _Forget:
        pass
    if stats is not None:
        _add_counts(stats, _counts(counts))


def _counts(stats: ScanStats) -> dict[str, Any]:
    return {"pages": stats.pages, "damaged": stats.damaged, "skipped": dict(stats.skipped)}


class _Forget(Exception):
    """Raised inside `open_atomic` to drop a listing that must not be remembered."""


def _add_counts(stats: ScanStats, counts: dict[str, Any]) -> None:
    stats.pages += int(counts["pages"])
    stats.damaged += int(counts["damaged"])
    stats.skipped.update(Counter({str(k): int(v) for k, v in counts["skipped"].items()}))


def _line(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
