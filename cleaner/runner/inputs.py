"""Which inputs are new: ids from content, an index of file stamps so that unchanged
files are not read again, and the expansion of folders and globs into files."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cleaner.config import DEFAULT_CONFIG, Config
from cleaner.errors import CleanError
from cleaner.load import as_path, read_path
from cleaner.metadata import content_id
from cleaner.sink import InputIndex, Sink


def input_id(path: Any, config: Config = DEFAULT_CONFIG) -> str:
    """The id an input will get: of its bytes, or of its name when it cannot be read
    (missing, a folder, too large: `read_path` refuses before reading, as here)."""
    return _content_id(path, config) or content_id(str(path).encode("utf-8"))


def _content_id(path: Any, config: Config) -> str | None:
    try:
        return content_id(read_path(path, config).data)
    except CleanError:
        return None


def input_ids(paths: list[Any], sink: Sink, config: Config = DEFAULT_CONFIG) -> list[str]:
    """The ids of `paths`, in order. A local file whose size, mtime and inode are those
    recorded in the sink's input index (when it keeps one) gets the id recorded there
    without being read; the others are read and hashed, and recorded. The index is loaded
    and saved one shard at a time, so memory stays small however many inputs there are."""
    ids: list[str] = [""] * len(paths)
    by_shard: dict[str, list[int]] = defaultdict(list)
    index = sink if isinstance(sink, InputIndex) else None
    for i, path in enumerate(paths):
        if isinstance(path, Path) and index is not None:
            by_shard[index.input_index_shard(str(path))].append(i)
        else:  # object storage: no cheap, trustworthy stamp here; read it
            ids[i] = input_id(path, config)
    for shard, positions in by_shard.items():
        assert index is not None  # only indexed sinks fill by_shard
        entries = index.load_input_index(shard)
        changed = False
        for i in positions:
            ids[i], updated = _indexed_id(paths[i], entries, config)
            changed |= updated
        changed |= _forget_missing(entries, {str(paths[i]) for i in positions})
        if changed:
            index.save_input_index(shard, entries)
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
    paths: list[Any], sink: Sink, config: Config = DEFAULT_CONFIG
) -> tuple[list[Any], list[tuple[Any, str]]]:
    """(the inputs still to clean, (input, id) of those already cleaned or quarantined)."""
    todo: list[Any] = []
    done: list[tuple[Any, str]] = []
    for path, doc_id in zip(paths, input_ids(paths, sink, config), strict=True):
        if sink.has(doc_id):
            done.append((path, doc_id))
        else:
            todo.append(path)
    return todo, done


def pending(paths: Iterable[Any], sink: Sink, config: Config = DEFAULT_CONFIG) -> list[Any]:
    """The inputs that are neither cleaned nor quarantined in the sink yet."""
    return triage([as_path(p) for p in paths], sink, config)[0]


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
