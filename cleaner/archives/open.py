"""Opening an archive by its location: a local path, a `file://` URL, or an object
storage URL (`s3://...`), resolved as every other location is (`cleaner.storage`)."""

from __future__ import annotations

from typing import BinaryIO

from cleaner.storage import storage_path


def open_archive(location: str) -> BinaryIO:
    """A seekable binary stream of the archive; the caller closes it."""
    stream: BinaryIO = storage_path(location).open("rb")
    return stream
