"""The warehouse: layout, atomic and idempotent writes, quarantine records, manifests, and
batch counts that add up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner.errors import EmptyInputError
from cleaner.runner import RunOptions, run_batch
from cleaner.warehouse import STALE_TEMP_S, Warehouse, _host_tag, write_atomic, write_document

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
    ("run_id", "stem"),
    [
        ("run-1", "run-1"),
        ("../../escape", "escape-"),
        ("../manifests/../../x", "manifests_.._.._x-"),
        ("/etc/passwd", "etc_passwd-"),
        ("manual__2025-01-01T00:00:00+00:00", "manual__2025-01-01T00_00_00_00_00-"),
        ("..", "run-"),
        ("", "run-"),
        ("a\x00b", "a_b-"),
        ("C:\\Windows\\system32", "C__Windows_system32-"),
        ("é" * 300, "run-"),
        ("x" * 1000, "x" * 120 + "-"),
        ("\n.hidden", "hidden-"),
    ],
)
def test_manifest_name_cannot_leave_the_manifest_folder(
    tmp_path: Path, run_id: str, stem: str
) -> None:
    root = tmp_path / "warehouse"
    path = Warehouse(root).write_manifest(run_id, {"run_id": run_id})
    assert path.parent == root / "manifests"
    assert path.name.startswith(stem) and path.name.endswith(".json")
    assert len(path.name.encode()) <= 140 and path.name.isascii()
    assert not path.name.startswith(".")
    assert path.resolve().parent == (root / "manifests").resolve()
    assert files_under(tmp_path) == [path]
    assert json.loads(path.read_text("utf-8")) == {"run_id": run_id}


def test_run_ids_that_sanitise_alike_get_different_manifests(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path)
    names = {warehouse.manifest_path(r).name for r in ["a:b", "a_b", "a/b", "a b", "a\\b"]}
    assert len(names) == 5


@pytest.mark.parametrize(
    "doc_id",
    [
        "../../../etc/passwd",
        "/etc/passwd",
        "..",
        "",
        "ab/../../cd",
        "ABCDEF0123456789",  # ids are lowercase: an upper-case twin would be a second copy
        "abcdef0123456789\x00",
        "0" * 65,
        "abcdef012345678g",
        "abcdef0123456789/x",
    ],
)
def test_hostile_ids_are_refused_before_touching_the_disk(tmp_path: Path, doc_id: str) -> None:
    root = tmp_path / "warehouse"
    warehouse = Warehouse(root)
    error = EmptyInputError("x", "empty")
    for action in (
        lambda: warehouse.has(doc_id),
        lambda: warehouse.quarantine(doc_id, "x", error),
        lambda: warehouse.write_raw(doc_id, b"body", {}),
        lambda: warehouse.clean_path(doc_id, ".txt"),
    ):
        with pytest.raises(ValueError, match="invalid document id"):
            action()
    assert not tmp_path.joinpath("etc").exists()
    assert files_under(tmp_path) == []


def test_clean_path_only_takes_the_two_suffixes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="suffix"):
        Warehouse(tmp_path).clean_path("abcdef0123456789", "/../../x")


def test_paths_of_valid_ids_stay_in_their_zone(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path)
    for doc_id in ("a", "00000000", "f" * 64, "abcdef0123456789"):
        for path in (warehouse.clean_path(doc_id, ".json"), warehouse.quarantine_path(doc_id)):
            assert path.resolve().is_relative_to(tmp_path.resolve())
            assert path.parent.name == doc_id[:2]


# --- crash debris: what a killed run leaves, and how the next run repairs it --------------


def test_text_without_metadata_is_not_done_and_is_rewritten(tmp_path: Path) -> None:
    """Killed between the two renames: the .txt is there, the .json (the marker) is not."""
    raw = tmp_path / "raw"
    (path,) = write_pages(raw, {"bridge.txt": PAGE.encode()})
    doc = clean_text(PAGE, config=FAST)
    warehouse = Warehouse(tmp_path / "wh")
    half = warehouse.clean_path(doc.id, ".txt")
    half.parent.mkdir(parents=True)
    half.write_bytes(b"truncated garbage")
    assert not warehouse.has(doc.id)

    manifest = run_batch([path], warehouse, "rerun", RunOptions(config=FAST))

    assert (manifest["cleaned"], manifest["skipped"], manifest["quarantined"]) == (1, 0, 0)
    assert half.read_text("utf-8") == clean_text(path.read_text(), config=FAST).text + "\n"
    assert warehouse.has(doc.id)


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(child.stdout)


def test_dead_writers_temporary_files_are_swept_on_the_next_write(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path)
    doc = clean_text(PAGE, config=FAST)
    folder = tmp_path / "clean" / doc.id[:2]
    folder.mkdir(parents=True)
    dead = folder / f".{doc.id}.json.{_host_tag()}-{dead_pid()}.abcd1234.tmp"
    live = folder / f".{doc.id}.txt.{_host_tag()}-{os.getpid()}.efgh5678.tmp"
    elsewhere = folder / f".{doc.id}.txt.otherhost-1.ijkl9012.tmp"
    for temp in (dead, live, elsewhere):
        temp.write_bytes(b"half a docu")

    warehouse.write(doc)

    assert not dead.exists()
    assert live.exists()  # a writer still running (here: this process) keeps its file
    assert elsewhere.exists()  # another host's writer cannot be checked: only age removes it


def test_old_temporary_files_of_unknown_writers_are_swept(tmp_path: Path) -> None:
    folder = tmp_path / "manifests"
    folder.mkdir()
    old = folder / ".run-1.json.k3j_x9q1.tmp"  # the shape before writers were named
    fresh = folder / ".run-2.json.otherhost-7.k3j_x9q1.tmp"
    for temp in (old, fresh):
        temp.write_bytes(b"{")
    long_ago = time.time() - STALE_TEMP_S - 60
    os.utime(old, (long_ago, long_ago))

    assert Warehouse(tmp_path).sweep() == [old]
    assert fresh.exists()


def test_sweep_on_object_storage_like_roots_does_nothing(tmp_path: Path) -> None:
    class NotAPath:
        pass

    assert Warehouse(NotAPath()).sweep() == []


def test_reprocessed_input_lives_in_one_zone_only(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path)
    doc = clean_text(PAGE, config=FAST)
    warehouse.write(doc)
    warehouse.quarantine(doc.id, "bridge.txt", EmptyInputError("bridge.txt", "empty now"))
    assert not warehouse.clean_path(doc.id, ".json").exists()
    assert not warehouse.clean_path(doc.id, ".txt").exists()
    assert warehouse.write(doc, overwrite=True) is True
    assert not warehouse.quarantine_path(doc.id).exists()
    assert warehouse.has(doc.id)


# --- batches: every input accounted for --------------------------------------------------


def test_batch_counts_add_up_and_each_input_lands_in_one_place(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    good = write_pages(raw, GOOD)
    bad = write_pages(raw, {"empty.txt": b"  \n", "image.png": b"\x89PNG\r\n\x1a\n0000"})
    missing = raw / "missing.txt"
    inputs = [*good, *bad, missing]
    warehouse = Warehouse(tmp_path / "wh")

    manifest = run_batch(inputs, warehouse, "first", RunOptions(config=FAST))

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
    run_batch(inputs, warehouse, "first", RunOptions(config=FAST))
    before = {p: p.read_bytes() for p in files_under(tmp_path / "wh" / "clean")}

    second = run_batch(inputs, warehouse, "second", RunOptions(config=FAST))

    assert (second["cleaned"], second["skipped"], second["quarantined"]) == (0, 4, 0)
    assert second["documents"] == []
    assert {p: p.read_bytes() for p in files_under(tmp_path / "wh" / "clean")} == before


def test_new_input_in_a_later_batch_is_the_only_one_cleaned(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    warehouse = Warehouse(tmp_path / "wh")
    first = write_pages(raw, GOOD)
    run_batch(first, warehouse, "first", RunOptions(config=FAST))
    new = write_pages(raw, {"late.txt": b"A late story about the harbour ferry timetable."})
    manifest = run_batch([*first, *new], warehouse, "second", RunOptions(config=FAST))
    assert (manifest["cleaned"], manifest["skipped"], manifest["quarantined"]) == (1, 3, 0)
    assert manifest["documents"] == [
        {"source": str(new[0]), "id": manifest["documents"][0]["id"], "status": "cleaned"}
    ]


def test_reprocess_cleans_everything_again(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    inputs = write_pages(raw, GOOD)
    warehouse = Warehouse(tmp_path / "wh")
    run_batch(inputs, warehouse, "first", RunOptions(config=FAST))
    again = run_batch(inputs, warehouse, "again", RunOptions(reprocess=True, config=FAST))
    assert (again["cleaned"], again["skipped"], again["quarantined"]) == (3, 0, 0)
    assert leftovers(tmp_path / "wh") == []


def test_identical_bytes_under_two_names_are_stored_once(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    inputs = write_pages(raw, {"a.txt": PAGE.encode(), "copy-of-a.txt": PAGE.encode()})
    manifest = run_batch(inputs, Warehouse(tmp_path / "wh"), "dups", RunOptions(config=FAST))
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
        RunOptions(
            config=FAST, on_outcome=lambda outcome, status: seen.append((outcome.source, status))
        ),
    )
    assert sorted(seen) == sorted(
        [(str(p), "cleaned") for p in inputs[:3]] + [(str(raw / "missing.txt"), "quarantined")]
    )


def test_missing_input_is_quarantined_with_its_reason(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    manifest = run_batch(
        [raw / "nope.html"], Warehouse(tmp_path / "wh"), "r", RunOptions(config=FAST)
    )
    (failure,) = manifest["failures"]
    assert failure == {
        "source": str(raw / "nope.html"),
        "error": "UnreadableInputError",
        "reason": "no such file",
    }
    record = json.loads(next((tmp_path / "wh" / "quarantine").rglob("*.json")).read_text())
    assert record["error"] == "UnreadableInputError"
    assert record["reason"] == "no such file"


# --- manifests a query engine reads ------------------------------------------------------


def test_batch_manifests_group_by_run_and_rows_partition_by_day(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path)
    assert warehouse.manifest_path("r-batch-1", group="r") == (
        tmp_path / "manifests" / "batches" / "r" / "r-batch-1.json"
    )
    rows = warehouse.rows_path("r:1", "2026-01-02")
    assert rows.parent == tmp_path / "manifests" / "documents" / "date=2026-01-02"
    assert rows.name.startswith("r_1-") and rows.suffix == ".jsonl"  # a safe name
    with pytest.raises(ValueError, match="invalid partition day"):
        warehouse.rows_path("r", "../../etc")


def test_rows_appear_whole_or_not_at_all(tmp_path: Path) -> None:
    warehouse = Warehouse(tmp_path)
    with pytest.raises(RuntimeError), warehouse.document_rows("r", "2026-01-02") as write_row:
        write_row({"id": "a"})
        raise RuntimeError("killed mid-batch")
    assert files_under(tmp_path) == []  # neither the file nor its temporary copy
    with warehouse.document_rows("r", "2026-01-02") as write_row:
        write_row({"id": "a"})
        write_row({"id": "b"})
    (rows,) = files_under(tmp_path)
    assert [json.loads(line) for line in rows.read_text().splitlines()] == [
        {"id": "a"},
        {"id": "b"},
    ]


def test_every_input_has_one_row_and_skipped_inputs_too(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    inputs = [*write_pages(raw, GOOD), raw / "missing.txt"]
    warehouse = Warehouse(tmp_path / "wh")
    run_batch(inputs, warehouse, "first", RunOptions(config=FAST, day="2026-01-01"))
    run_batch(inputs, warehouse, "second", RunOptions(config=FAST, day="2026-01-02"))
    folder = tmp_path / "wh" / "manifests" / "documents"
    first = [json.loads(x) for x in (folder / "date=2026-01-01" / "first.jsonl").open()]
    second = [json.loads(x) for x in (folder / "date=2026-01-02" / "second.jsonl").open()]
    assert [r["status"] for r in first] == ["cleaned"] * 3 + ["quarantined"]
    assert [r["status"] for r in second] == ["skipped"] * 4
    assert {r["source"] for r in second} == {str(p) for p in inputs}
    assert first[3]["error"] == "UnreadableInputError" and first[3]["reason"] == "no such file"
    assert first[0]["word_count"] > 0 and first[0]["seconds"] >= 0
    assert all(set(r) == set(first[0]) for r in first + second)  # one schema


def test_duckdb_reads_the_manifests_and_the_clean_zone(tmp_path: Path) -> None:
    import duckdb

    raw = tmp_path / "raw"
    inputs = [*write_pages(raw, GOOD), *write_pages(raw, {"empty.txt": b" \n"}), raw / "gone.txt"]
    root = tmp_path / "wh"
    run_batch(
        inputs, Warehouse(root), "first", RunOptions(config=Config(learned=False), day="2026-01-01")
    )
    run_batch(inputs, Warehouse(root), "second", RunOptions(config=FAST, day="2026-01-02"))

    by_status = duckdb.sql(
        f"select date, status, count(*) as n from read_json_auto('{root}/manifests/documents/**/*.jsonl',"
        " hive_partitioning = true) group by all order by all"
    ).fetchall()
    assert [(str(d), s, n) for d, s, n in by_status] == [
        ("2026-01-01", "cleaned", 3),
        ("2026-01-01", "quarantined", 2),
        ("2026-01-02", "skipped", 5),
    ]
    errors = duckdb.sql(
        f"select error, count(*) from read_json_auto('{root}/manifests/documents/**/*.jsonl')"
        " where error is not null group by all order by all"
    ).fetchall()
    assert errors == [("EmptyInputError", 1), ("UnreadableInputError", 1)]
    clean = duckdb.sql(
        f"select language, count(*), sum(word_count) from read_json_auto('{root}/clean/*/*.json')"
        " group by all"
    ).fetchall()
    words = sum(len(p.read_text().split()) for p in (root / "clean").rglob("*.txt"))
    assert clean == [("en", 3, words)]


def _age(folder: Path, seconds: float) -> None:
    then = time.time() - seconds
    for path in [*folder.iterdir(), folder]:
        os.utime(path, (then, then))


def test_old_listings_of_other_runs_are_pruned_and_recent_ones_kept(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path)
    for run in ("old_run", "recent_run", "current_run"):
        wh.write_listing(run, "batch-00001.jsonl", b'"a.html"\n')
    _age(tmp_path / "listings" / "old_run", 8 * 86400)
    _age(tmp_path / "listings" / "current_run", 8 * 86400)  # a long run, or a cleared one
    _age(tmp_path / "listings" / "recent_run", 3600)

    removed = wh.prune_listings(7 * 86400, keep="current_run")

    assert removed == ["old_run"]
    assert sorted(p.name for p in (tmp_path / "listings").iterdir()) == [
        "current_run",
        "recent_run",
    ]


def test_a_listing_with_one_recent_file_is_kept(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path)
    wh.write_listing("run", "batch-00001.jsonl", b"")
    _age(tmp_path / "listings" / "run", 8 * 86400)
    wh.write_listing("run", "listing.json", b"{}")  # written now: the run is still going

    assert wh.prune_listings(7 * 86400, keep="other") == []
    assert (tmp_path / "listings" / "run" / "batch-00001.jsonl").exists()


def test_pruning_listings_without_any_is_a_no_op(tmp_path: Path) -> None:
    assert Warehouse(tmp_path).prune_listings(0.0, keep="run") == []
