"""Opening an archive by its location: a local path, a `file://` URL, or an object
storage URL (`s3://...`, through Airflow's ObjectStoragePath, as the DAGs do)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit


def archive_path(location: str) -> Any:
    """A `Path` for plain paths and `file://` URLs, an `ObjectStoragePath` otherwise (it
    needs Airflow, imported only then).

    >>> archive_path("file:///data/a.warc.gz"), archive_path("data/a.warc.gz")
    (PosixPath('/data/a.warc.gz'), PosixPath('data/a.warc.gz'))
    """
    parts = urlsplit(location)
    if parts.scheme == "file":
        return Path(parts.path)
    if len(parts.scheme) <= 1:  # no scheme, or a Windows drive letter
        return Path(location)
    from airflow.sdk import ObjectStoragePath

    return ObjectStoragePath(location)


def open_archive(location: str) -> BinaryIO:
    """A seekable binary stream of the archive; the caller closes it."""
    stream: BinaryIO = archive_path(location).open("rb")
    return stream
