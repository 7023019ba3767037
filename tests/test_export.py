"""`cleaner export`: a warehouse's documents as `{"id", "text", "metadata"}` records, in
JSON Lines or typed Parquet that DuckDB reads, filtered and near-deduplicated.

The warehouse is the samples cleaned by the real command; seeds 000 and 001 are the
same wire story on two sites, so `--dedup` must put them in one cluster and keep one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import numpy as np
import pytest
from pages import sample_files

from cleaner.cli import main
from cleaner.dedup import near_duplicate_clusters
from cleaner.export import iter_export

ROOT = Path(__file__).resolve().parents[1]
SEED_000, SEED_001 = "000_1622e3c598937ffa.txt", "001_2a8324cf4cbdafb5.txt"
SAMPLES = len(sample_files())


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("export")
    raw = folder / "raw"
    shutil.copytree(ROOT / "samples" / "raw", raw)
    assert main(["clean", str(raw), "--out", str(folder / "wh"), "--no-progress"]) == 0
    return folder / "wh"


def ids_by_name(warehouse: Path) -> dict[str, str]:
    metas = [json.loads(p.read_text()) for p in (warehouse / "clean").rglob("*.json")]
    return {Path(m["source"]).name: m["id"] for m in metas}


def test_jsonl_export_has_every_document_with_its_text(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs.jsonl"
    assert main(["export", str(warehouse), "--out", str(out)]) == 0
    records = list(iter_export(out))
    assert len(records) == SAMPLES
    assert sorted(r["id"] for r in records) == sorted(ids_by_name(warehouse).values())
    for record in records:
        assert set(record) == {"id", "text", "metadata"}
        text = (warehouse / "clean" / record["id"][:2] / f"{record['id']}.txt").read_text()
        assert record["text"] + "\n" == text
        assert "removed" not in record["metadata"]
        assert record["metadata"]["removed_lines"] >= 0
        assert record["metadata"]["run_id"] and record["metadata"]["cleaned_at"]
    manifest = json.loads(Path(f"{out}.manifest.json").read_text())
    assert (manifest["read"], manifest["exported"], manifest["filtered"]) == (SAMPLES, SAMPLES, {})


def test_parquet_export_with_dedup_is_read_by_duckdb(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "docs.parquet"
    assert (
        main(["export", str(warehouse), "--format", "parquet", "--dedup", "--out", str(out)]) == 0
    )
    rows = duckdb.sql(
        f"select id, metadata.language as language, metadata.word_count as words, text "
        f"from read_parquet('{out}') order by id"
    ).fetchall()
    assert len(rows) == SAMPLES - 1  # the two seeds that are one wire story count once
    assert all(isinstance(words, int) and words > 0 and text for _, _, words, text in rows)
    ids = ids_by_name(warehouse)
    manifest = json.loads(Path(f"{out}.manifest.json").read_text())
    assert manifest["duplicates_dropped"] == 1
    (cluster,) = manifest["clusters"]
    assert sorted([cluster["kept"], *cluster["dropped"]]) == sorted([ids[SEED_000], ids[SEED_001]])
    exported = {row[0] for row in rows}
    assert (ids[SEED_000] in exported) != (ids[SEED_001] in exported)  # exactly one stays
    described = duckdb.sql(f"describe select metadata.* from read_parquet('{out}')").fetchall()
    types = {name: kind for name, kind, *_ in described}
    assert types["word_count"] == types["segments_in"] == "BIGINT"  # typed, not JSON text
    assert types["language"] == types["cleaned_at"] == "VARCHAR"


def test_filters_leave_out_documents_and_say_why(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "de.jsonl"
    assert main(["export", str(warehouse), "--out", str(out), "--language", "de"]) == 0
    records = list(iter_export(out))
    # the German blog and news samples
    assert [r["metadata"]["language"] for r in records] == ["de", "de"]
    manifest = json.loads(Path(f"{out}.manifest.json").read_text())
    assert manifest["filtered"] == {"language": SAMPLES - 2}
    long_only = tmp_path / "long.jsonl"
    assert main(["export", str(warehouse), "--out", str(long_only), "--min-words", "300"]) == 0
    assert all(r["metadata"]["word_count"] >= 300 for r in iter_export(long_only))
    future = tmp_path / "future.jsonl"
    assert main(["export", str(warehouse), "--out", str(future), "--since", "2999-01-01"]) == 0
    assert list(iter_export(future)) == []


def test_export_refuses_what_is_not_a_warehouse(tmp_path: Path) -> None:
    assert main(["export", str(tmp_path), "--out", str(tmp_path / "x.jsonl")]) == 2
    with pytest.raises(SystemExit):
        main(["export", str(tmp_path), "--out", "x.jsonl", "--since", "yesterday"])


def test_dedup_finds_planted_near_duplicates_like_all_pairs_would() -> None:
    """Banding may miss a pair at the very limit (12 bits) by design, but at 6 bits and
    less it must find every one; the clusters match a brute-force all-pairs check."""
    rng = np.random.default_rng(7)
    base = [int(x) for x in rng.integers(0, 2**63, 2000, dtype=np.int64)]
    planted = []
    for value in base[:50]:
        for bit in rng.choice(64, 6, replace=False):
            value ^= 1 << int(bit)
        planted.append(value)
    fingerprints = [f"{v:016x}" for v in base + planted]
    clusters = near_duplicate_clusters(fingerprints)
    for i in range(50):
        assert any(i in c and 2000 + i in c for c in clusters), i
    values = [int(f, 16) for f in fingerprints]
    brute = {
        (a, b)
        for a in range(len(values))
        for b in range(a + 1, len(values))
        if (values[a] ^ values[b]).bit_count() <= 12
    }
    linked = {(a, b) for c in clusters for a in c for b in c if a < b}
    assert brute <= linked or len(brute - linked) <= len(brute) * 0.1
