"""Pages and files the tests write: a minimal article page, and bytes into a file."""

from __future__ import annotations

from pathlib import Path


def article_page(body: str, head: str = "", title: str = "Town news") -> str:
    """A small but complete HTML page with `body` as its article's one paragraph."""
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{title}</title></head>"
        f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    )


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path
