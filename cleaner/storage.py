"""Locations: where pages come from and where the warehouse is, local or on object storage.

A location is a plain path, a `file://` URL, or an object-storage URL (`s3://bucket/key`).
Local locations become `pathlib.Path`, so the warehouse writes them atomically (write
aside, fsync, rename). Others become Airflow's `ObjectStoragePath` inside Airflow, where
its connections say how to reach the store, and universal_pathlib's `UPath` elsewhere
(the command line), where fsspec's own configuration does; both are fsspec paths with one
PUT per object.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


def storage_path(location: str) -> Any:
    """A `Path` for plain paths and `file://` URLs; an object-storage path for the rest.

    >>> storage_path("file:///data/raw"), storage_path("/data/raw")
    (PosixPath('/data/raw'), PosixPath('/data/raw'))
    """
    scheme = urlsplit(location).scheme
    if scheme == "file":
        return Path(urlsplit(location).path)
    if len(scheme) <= 1:  # no scheme, or a Windows drive letter
        return Path(location).expanduser().absolute()
    try:
        from airflow.sdk import ObjectStoragePath
    except ImportError:  # not inside Airflow: fsspec's configuration reaches the store
        from upath import UPath

        return UPath(location)
    return ObjectStoragePath(location)


def as_location(path: Any) -> str:
    """The string to put in XCom for a path: plain for local files, a URL otherwise."""
    if getattr(path, "protocol", None) in {"", "file"}:
        return str(path.path)
    return str(path)
