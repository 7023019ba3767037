"""Pages and files the tests write: a minimal article page, bytes into a file, and a
labelled training page."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaner.training.train import LabelledPage


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


def labelled_page(site: str, texts: list[str], labels: list[bool | None]) -> LabelledPage:
    """A training page of plain paragraphs (blocks rendering) that every rule keeps."""
    from cleaner.training.train import LabelledPage

    n = len(texts)
    return LabelledPage(
        dataset="toy",
        page_id=site,
        rendering="blocks",
        site=site,
        page_type=None,
        url=None,
        texts=texts,
        originals=[None] * n,
        kinds=["p"] * n,
        starts=[True] * n,
        labels=labels,
        reasons=[None] * n,
        rules_kept=[True] * n,
        all_rules_kept=[True] * n,
    )
