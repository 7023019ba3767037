"""The shapes of what the project writes: document metadata, run manifests, per-document
rows and quarantine records, as typed dictionaries.

They stay plain dicts at run time (JSON in, JSON out, nothing to convert), while mypy
checks the code that builds them and `schema_of` turns each into the JSON Schema that
`docs/schemas/` publishes for the warehouse's readers. A test checks that the published
schemas match these types and that real outputs validate against them.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired

# typing_extensions: pydantic derives JSON Schemas only from its TypedDict on Python 3.11.
from typing_extensions import TypedDict


class Removal(TypedDict):
    """One dropped line: which cleaner dropped it, by which rule, how sure it was. Lines
    that extraction left out (cleaner `extract`) have no index: they never became
    segments."""

    index: NotRequired[int]
    text: str
    cleaner: str
    rule: str
    score: NotRequired[float]


class Metadata(TypedDict):
    """A clean document's `<id>.json`."""

    id: str
    source: str
    url: str | None
    format: Literal["html", "text"]
    encoding: str
    title: str | None
    title_source: str | None
    author: str | None
    date: str | None
    site_name: str | None
    description: str | None
    language: str | None
    word_count: int
    fingerprint: str
    cleaner_version: str
    segments_in: int
    segments_kept: int
    removed: list[Removal]
    run_id: NotRequired[str]  # the batch that wrote it into the warehouse
    cleaned_at: NotRequired[str]  # when, ISO 8601 in UTC


class Failure(TypedDict):
    """An input that could not be cleaned, as a manifest lists it."""

    source: str
    error: str
    reason: str


class QuarantineRecord(TypedDict):
    """`quarantine/<id[:2]>/<id>.json`."""

    id: str
    source: str
    error: str
    reason: str


class Timing(TypedDict):
    total_s: float
    median_s: float
    max_s: float


class DocumentStatus(TypedDict):
    source: str
    id: str
    status: Literal["cleaned", "skipped", "quarantined"]


class RunManifest(TypedDict):
    """`manifests/<run_id>.json` of a batch (`cleaner clean --out`, one Airflow batch);
    `cleaned + skipped + quarantined == inputs`."""

    run_id: str
    cleaner_version: str
    started: str
    finished: str
    inputs: int
    cleaned: int
    skipped: int
    quarantined: int
    failures: list[Failure]
    timing: Timing
    peak_rss_mb: float
    documents: list[DocumentStatus]


class DocumentRow(TypedDict):
    """One input of a batch in `manifests/documents/date=<day>/<run_id>.jsonl`. Every key
    is always present, so a query engine infers one schema from any file."""

    run_id: str
    source: str
    id: str
    status: Literal["cleaned", "skipped", "quarantined"]
    error: str | None
    reason: str | None
    seconds: float | None
    word_count: int | None
    language: str | None
    site: str | None


#: The records whose JSON Schema is published, by file name stem.
PUBLISHED: dict[str, Any] = {
    "metadata": Metadata,
    "run-manifest": RunManifest,
    "document-row": DocumentRow,
    "quarantine": QuarantineRecord,
}


def schema_of(record: Any) -> dict[str, Any]:
    """The JSON Schema of a record type (needs pydantic, which the `airflow` extra brings;
    only the schema test and `python -m cleaner.records` call this)."""
    from pydantic import TypeAdapter

    return TypeAdapter(record).json_schema()


if __name__ == "__main__":  # python -m cleaner.records docs/schemas: rewrite the schemas
    import json
    import sys
    from pathlib import Path

    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")
    folder.mkdir(parents=True, exist_ok=True)
    for stem, record in PUBLISHED.items():
        text = json.dumps(schema_of(record), indent=2, sort_keys=True) + "\n"
        (folder / f"{stem}.schema.json").write_text(text)
        print(folder / f"{stem}.schema.json")
