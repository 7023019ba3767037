"""Pages and files the tests write or read: a minimal article page, bytes into a file, a
labelled training page, and the project's sample pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cleaner.training.train import LabelledPage


#: The project's sample pages, which several tests clean into a warehouse.
SAMPLES_RAW = Path(__file__).resolve().parents[1] / "samples" / "raw"


def sample_files() -> list[Path]:
    """The sample pages in samples/raw, sorted by name (hidden files left out)."""
    return sorted(p for p in SAMPLES_RAW.iterdir() if p.is_file() and not p.name.startswith("."))


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
