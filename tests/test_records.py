"""The published JSON Schemas (docs/schemas/) are those of `cleaner.records`' types, and
what a batch really writes validates against them: readers of the warehouse can rely on
the schemas, and a change to the records cannot leave them stale."""

from __future__ import annotations

import json
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from cleaner.config import Config
from cleaner.records import PUBLISHED, schema_of
from cleaner.runner import RunOptions, run_batch
from cleaner.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "docs" / "schemas"


@pytest.mark.parametrize("stem", sorted(PUBLISHED))
def test_published_schema_is_the_records_schema(stem: str) -> None:
    published = json.loads((SCHEMAS / f"{stem}.schema.json").read_text())
    assert published == schema_of(PUBLISHED[stem]), (
        f"docs/schemas/{stem}.schema.json is stale: run `python -m cleaner.records`"
    )


def validator(stem: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / f"{stem}.schema.json").read_text()))


def test_a_batchs_outputs_validate_against_the_schemas(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "samples" / "raw", raw)
    (raw / "empty.html").write_bytes(b"  \n")  # quarantined
    warehouse = Warehouse(tmp_path / "wh")
    manifest = run_batch(sorted(raw.iterdir()), warehouse, "schemas", RunOptions(day="2026-12-04"))
    assert manifest["quarantined"] == 1 and manifest["cleaned"] == len(manifest["documents"]) - 1

    validator("run-manifest").validate(json.loads(json.dumps(manifest)))
    metadata = sorted((tmp_path / "wh" / "clean").rglob("*.json"))
    assert len(metadata) == manifest["cleaned"]
    for path in metadata:
        validator("metadata").validate(json.loads(path.read_text()))
    (record,) = (tmp_path / "wh" / "quarantine").rglob("*.json")
    validator("quarantine").validate(json.loads(record.read_text()))
    rows_file = warehouse.rows_path("schemas", "2026-12-04")
    rows = [json.loads(line) for line in rows_file.read_text().splitlines()]
    assert len(rows) == manifest["inputs"]
    for row in rows:
        validator("document-row").validate(row)


def test_the_schemas_refuse_a_wrong_record() -> None:
    """The check above could pass on schemas that accept anything; these refuse."""
    with pytest.raises(Exception, match="'status'"):
        validator("document-row").validate({"run_id": "r", "source": "s", "id": "x"})
    with pytest.raises(Exception, match="1 is not of type 'string'"):
        validator("quarantine").validate({"id": 1, "source": "s", "error": "E", "reason": "r"})


def test_a_sink_needs_only_the_five_methods(tmp_path: Path) -> None:
    """The output seam: a sink that is not a warehouse (no input index, no templates)
    takes a whole batch."""

    class ListSink:
        def __init__(self) -> None:
            self.docs: dict[str, str] = {}
            self.failed: dict[str, str] = {}
            self.manifests: list[str] = []
            self.rows: list[dict[str, object]] = []

        def has(self, doc_id: str) -> bool:
            return doc_id in self.docs or doc_id in self.failed

        def write(self, doc, overwrite: bool = False) -> bool:  # type: ignore[no-untyped-def]
            self.docs[doc.id] = doc.text
            return True

        def quarantine(self, doc_id: str, source: str, error: Exception) -> None:
            self.failed[doc_id] = str(error)

        def write_manifest(self, run_id, manifest, group=None):  # type: ignore[no-untyped-def]
            self.manifests.append(run_id)

        @contextmanager
        def document_rows(self, run_id: str, day: str):  # type: ignore[no-untyped-def]
            yield self.rows.append

    sink = ListSink()
    inputs = sorted((ROOT / "samples" / "raw").iterdir())
    options = RunOptions(config=Config(learned=False, detect_language=False))
    first = run_batch(inputs, sink, "one", options)
    assert first["cleaned"] == len(inputs) == len(sink.docs) == len(sink.rows)
    again = run_batch(inputs, sink, "two", options)
    assert again["skipped"] == len(inputs) and sink.manifests == ["one", "two"]
