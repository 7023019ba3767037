"""The warehouse: layout, atomic and idempotent writes, quarantine records, manifests, and
batch counts that add up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner.batch import run_batch
from cleaner.errors import EmptyInputError
from cleaner.warehouse import Warehouse, write_atomic, write_document

FAST = Config(learned=False, detect_language=False)

PAGE = "\n".join(
    [
        "Share",
        "The harbour bridge will close for four weeks in August while engineers replace its bearings.",
        "Traffic will be diverted over the north ring road, the city said on Tuesday.",
        "Comments",
    ]
)


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def leftovers(root: Path) -> list[str]:
    """Temporary or hidden files a write may have left behind."""
    return [p.name for p in files_under(root) if p.name.startswith(".") or p.suffix == ".tmp"]


def write_pages(folder: Path, pages: dict[str, bytes]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in pages.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


GOOD = {
    "bridge.txt": PAGE.encode(),
    "ferry.txt": b"Ferry services will run every twenty minutes during the closure of the bridge.",
    "shops.txt": b"Shop owners on Bridge Street asked the council for lower business rates.",
}


# --- layout and atomic writes -----------------------------------------------------------


def test_write_puts_text_and_metadata_in_the_sharded_clean_zone(tmp_path: Path) -> None:
    doc = clean_text(PAGE, config=FAST)
    warehouse = Warehouse(tmp_path)
    assert warehouse.write(doc) is True
    shard = tmp_path / "clean" / doc.id[:2]
    assert files_under(tmp_path) == [shard / f"{doc.id}.json", shard / f"{doc.id}.txt"]
    assert (shard / f"{doc.id}.txt").read_text("utf-8") == doc.text + "\n"
    assert json.loads((shard / f"{doc.id}.json").read_text("utf-8")) == doc.metadata
    assert warehouse.has(doc.id)


def test_warehouse_accepts_a_string_root(tmp_path: Path) -> None:
    doc = clean_text(PAGE, config=FAST)
    Warehouse(str(tmp_path)).write(doc)
    assert (tmp_path / "clean" / doc.id[:2] / f"{doc.id}.txt").exists()


def test_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path)
    doc = clean_text(PAGE, config=FAST)
    warehouse.write(doc)
    warehouse.write(doc, overwrite=True)
    warehouse.quarantine("00ff00ff00ff00ff", "broken.html", EmptyInputError("broken.html", "empty"))
    warehouse.write_manifest("run-1", {"inputs": 1})
    write_document(doc, tmp_path / "flat")
    assert leftovers(tmp_path) == []
    assert len(files_under(tmp_path)) == 6


def test_failed_atomic_write_removes_its_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "doc.txt"
    target.mkdir(parents=True)  # a folder where the file should go: the rename must fail
    with pytest.raises(OSError):
        write_atomic(target, b"clean text\n")
    assert leftovers(tmp_path) == []
    assert target.is_dir()


def test_atomic_write_replaces_existing_content(tmp_path: Path) -> None:
    target = tmp_path / "doc.txt"
    write_atomic(target, b"first\n")
    write_atomic(target, b"second\n")
    assert target.read_bytes() == b"second\n"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.txt"]


# --- idempotence -------------------------------------------------------------------------


def test_rewriting_the_same_document_is_a_no_op(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path)
    doc = clean_text(PAGE, config=FAST)
    assert warehouse.write(doc) is True
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files_under(tmp_path)}
    assert warehouse.write(clean_text(PAGE, config=FAST)) is False
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files_under(tmp_path)}
    assert after == before


def test_overwrite_rewrites_identical_content(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path)
    doc = clean_text(PAGE, config=FAST)
    warehouse.write(doc)
    before = {p: p.read_bytes() for p in files_under(tmp_path)}
    assert warehouse.write(doc, overwrite=True) is True
    assert {p: p.read_bytes() for p in files_under(tmp_path)} == before


# --- quarantine --------------------------------------------------------------------------


def test_quarantine_record_names_the_input_error_and_reason(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path)
    error = EmptyInputError("raw/empty.html", "the input is empty or only whitespace")
    warehouse.quarantine("abcdef0123456789", "raw/empty.html", error)
    record_path = tmp_path / "quarantine" / "ab" / "abcdef0123456789.json"
    assert json.loads(record_path.read_text("utf-8")) == {
        "id": "abcdef0123456789",
        "source": "raw/empty.html",
        "error": "EmptyInputError",
        "reason": "the input is empty or only whitespace",
    }
    assert warehouse.has("abcdef0123456789")
    assert not (tmp_path / "clean").exists()


def test_quarantine_accepts_an_unexpected_exception(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path)
    warehouse.quarantine("1234567890abcdef", "raw/odd.html", ValueError("parser choked"))
    record = json.loads((tmp_path / "quarantine" / "12" / "1234567890abcdef.json").read_text())
    assert record["error"] == "ValueError"
    assert record["reason"] == "parser choked"


def test_unknown_id_is_not_in_the_warehouse(tmp_path: Path) -> None:
    assert not Warehouse(tmp_path).has("0000000000000000")


# --- manifests ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("run_id", "name"),
    [
        ("../../escape", "escape.json"),
        ("../manifests/../../x", "manifests_.._.._x.json"),
        ("/etc/passwd", "etc_passwd.json"),
        ("manual__2025-01-01T00:00:00+00:00", "manual__2025-01-01T00_00_00_00_00.json"),
        ("..", "run.json"),
        ("", "run.json"),
    ],
)
def test_manifest_name_cannot_leave_the_manifest_folder(
    tmp_path: Path, run_id: str, name: str
) -> None:
    root = tmp_path / "warehouse"
    path = Warehouse(root).write_manifest(run_id, {"run_id": run_id})
    assert path == root / "manifests" / name
    assert path.resolve().parent == (root / "manifests").resolve()
    assert files_under(tmp_path) == [path]
    assert json.loads(path.read_text("utf-8")) == {"run_id": run_id}


# --- batches: every input accounted for --------------------------------------------------


def test_batch_counts_add_up_and_each_input_lands_in_one_place(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    good = write_pages(raw, GOOD)
    bad = write_pages(raw, {"empty.txt": b"  \n", "image.png": b"\x89PNG\r\n\x1a\n0000"})
    missing = raw / "missing.txt"
    inputs = [*good, *bad, missing]
    warehouse = Warehouse(tmp_path / "wh")

    manifest = run_batch(inputs, warehouse, "first", config=FAST)

    assert manifest["inputs"] == len(inputs) == 6
    assert (manifest["cleaned"], manifest["skipped"], manifest["quarantined"]) == (3, 0, 3)
    assert manifest["cleaned"] + manifest["skipped"] + manifest["quarantined"] == manifest["inputs"]
    assert {f["source"]: f["error"] for f in manifest["failures"]} == {
        str(raw / "empty.txt"): "EmptyInputError",
        str(raw / "image.png"): "BinaryInputError",
        str(missing): "UnreadableInputError",
    }
    assert len(list((tmp_path / "wh" / "clean").rglob("*.json"))) == 3
    assert len(list((tmp_path / "wh" / "quarantine").rglob("*.json"))) == 3
    assert [d["status"] for d in manifest["documents"]].count("cleaned") == 3
    on_disk = json.loads((tmp_path / "wh" / "manifests" / "first.json").read_text("utf-8"))
    assert on_disk == manifest


def test_second_batch_skips_everything_and_still_adds_up(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    inputs = [*write_pages(raw, GOOD), raw / "missing.txt"]
    warehouse = Warehouse(tmp_path / "wh")
    run_batch(inputs, warehouse, "first", config=FAST)
    before = {p: p.read_bytes() for p in files_under(tmp_path / "wh" / "clean")}

    second = run_batch(inputs, warehouse, "second", config=FAST)

    assert (second["cleaned"], second["skipped"], second["quarantined"]) == (0, 4, 0)
    assert second["documents"] == []
    assert {p: p.read_bytes() for p in files_under(tmp_path / "wh" / "clean")} == before


def test_new_input_in_a_later_batch_is_the_only_one_cleaned(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    warehouse = Warehouse(tmp_path / "wh")
    first = write_pages(raw, GOOD)
    run_batch(first, warehouse, "first", config=FAST)
    new = write_pages(raw, {"late.txt": b"A late story about the harbour ferry timetable."})
    manifest = run_batch([*first, *new], warehouse, "second", config=FAST)
    assert (manifest["cleaned"], manifest["skipped"], manifest["quarantined"]) == (1, 3, 0)
    assert manifest["documents"] == [
        {"source": str(new[0]), "id": manifest["documents"][0]["id"], "status": "cleaned"}
    ]


def test_reprocess_cleans_everything_again(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    inputs = write_pages(raw, GOOD)
    warehouse = Warehouse(tmp_path / "wh")
    run_batch(inputs, warehouse, "first", config=FAST)
    again = run_batch(inputs, warehouse, "again", reprocess=True, config=FAST)
    assert (again["cleaned"], again["skipped"], again["quarantined"]) == (3, 0, 0)
    assert leftovers(tmp_path / "wh") == []


def test_identical_bytes_under_two_names_are_stored_once(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    inputs = write_pages(raw, {"a.txt": PAGE.encode(), "copy-of-a.txt": PAGE.encode()})
    manifest = run_batch(inputs, Warehouse(tmp_path / "wh"), "dups", config=FAST)
    assert (manifest["cleaned"], manifest["skipped"], manifest["quarantined"]) == (1, 1, 0)
    assert len(list((tmp_path / "wh" / "clean").rglob("*.txt"))) == 1


def test_on_outcome_sees_every_processed_input(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    inputs = [*write_pages(raw, GOOD), raw / "missing.txt"]
    seen: list[tuple[str, str]] = []
    run_batch(
        inputs,
        Warehouse(tmp_path / "wh"),
        "watched",
        config=FAST,
        on_outcome=lambda outcome, status: seen.append((outcome.source, status)),
    )
    assert sorted(seen) == sorted(
        [(str(p), "cleaned") for p in inputs[:3]] + [(str(raw / "missing.txt"), "quarantined")]
    )


def test_missing_input_is_quarantined_with_its_reason(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    manifest = run_batch([raw / "nope.html"], Warehouse(tmp_path / "wh"), "r", config=FAST)
    (failure,) = manifest["failures"]
    assert failure == {
        "source": str(raw / "nope.html"),
        "error": "UnreadableInputError",
        "reason": "no such file",
    }
    record = json.loads(next((tmp_path / "wh" / "quarantine").rglob("*.json")).read_text())
    assert record["error"] == "UnreadableInputError"
    assert record["reason"] == "no such file"
