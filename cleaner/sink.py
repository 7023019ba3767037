"""The output seam: where a batch puts what it cleaned.

`run_batch` talks to a `Sink`, not to the warehouse's folders, so that another store (a
database table, a message queue, a test's list) is one class with these methods.
`cleaner.warehouse.Warehouse` is the one the project ships: files on a disk or on object
storage. Two capabilities are optional, and a sink that lacks them still works:

- `InputIndex`: remembers content ids by file stamp, so unchanged input files are not read
  again to learn whether they are new (without it, every input is read and hashed);
- `template_store()`: where the site templates live (None: no templates for this sink).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

from cleaner.document import Document
from cleaner.errors import CleanError
from cleaner.records import DocumentRow, RunManifest

#: Adds one per-document row to a run's rows.
RowWriter = Callable[[DocumentRow], None]


@runtime_checkable
class Sink(Protocol):
    """Everything a batch writes. Each input ends in exactly one of `write` or
    `quarantine`; `has` tells a rerun which inputs are done, so it must answer True for
    both kinds once they are complete."""

    def has(self, doc_id: str) -> bool: ...

    def write(self, doc: Document, overwrite: bool = False) -> bool:
        """Store a clean document; False when it was already there (and not overwritten)."""
        ...

    def quarantine(self, doc_id: str, source: str, error: CleanError | Exception) -> None: ...

    def write_manifest(self, run_id: str, manifest: RunManifest, group: str | None = None) -> Any:
        """Store a run's manifest; returns where it went."""
        ...

    def document_rows(self, run_id: str, day: str) -> AbstractContextManager[RowWriter]:
        """A writer of the run's per-document rows, committed whole when the block ends."""
        ...


@runtime_checkable
class InputIndex(Protocol):
    """Content ids of input files by path, size, mtime and inode, in shards."""

    def input_index_shard(self, key: str) -> str: ...

    def load_input_index(self, shard: str) -> dict[str, list[Any]]: ...

    def save_input_index(self, shard: str, entries: dict[str, list[Any]]) -> None: ...
