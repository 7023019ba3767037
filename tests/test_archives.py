"""WARC, WET and JSON Lines archives as inputs: real files written here, read back record
by record, cleaned through the batch runner and the CLI, damaged on purpose."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import pytest

from cleaner.archives import (
    JsonlFields,
    LoadedRecord,
    RecordRef,
    ScanStats,
    attach_bodies,
    expand_archives,
    read_record,
)
from cleaner.archives.writer import PageRecord, write_jsonl, write_warc
from cleaner.cli import main
from cleaner.errors import DamagedRecordError
from cleaner.metadata import content_id
from cleaner.runner import RunOptions, run_batch
from cleaner.warehouse import Warehouse

SAMPLES_RAW = Path(__file__).resolve().parents[1] / "samples" / "raw"

#: One site's furniture around unique paragraphs: the plaintext pages of a WET file.
HEADER = ["The Harbour County Gazette", "Serving the county since 1921", "Local · Sport · Opinion"]
FOOTER = ["Gazette office hours: Tuesday to Friday", "Harbour County Gazette, 12 Quay Street"]
WORDS = """council harbour ferry school budget river storm festival bridge library market
vote season fishing museum road station teacher farmer rain tide wind mayor""".split()


def sample_pages() -> list[PageRecord]:
    """The project's sample pages as a crawler would have stored them, each with a URL."""
    pages = []
    for n, path in enumerate(sorted(p for p in SAMPLES_RAW.iterdir() if p.is_file())):
        kind = "text/html" if path.suffix == ".html" else "text/plain; charset=utf-8"
        pages.append(
            PageRecord(f"https://site{n % 3}.example/{path.stem}", path.read_bytes(), kind)
        )
    return pages


def site_pages(count: int, seed: int = 1) -> list[PageRecord]:
    rng = random.Random(seed)
    pages = []
    for i in range(count):
        body = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(14, 24))).capitalize() + "."
            for _ in range(rng.randint(3, 6))
        ]
        text = "\n".join([*HEADER, *body, *FOOTER]) + "\n"
        pages.append(PageRecord(f"https://gazette.example/story/{seed}-{i}", text.encode("utf-8")))
    return pages


def clean_docs(warehouse: Path) -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(warehouse.glob("clean/*/*.json"))]


def quarantined(warehouse: Path) -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(warehouse.glob("quarantine/*/*.json"))]


# -- reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("compression", ["record", "file", "none"])
def test_records_come_back_with_their_bytes_url_and_charset(tmp_path, compression):
    pages = [
        PageRecord(
            "https://a.example/1",
            "<p>Caf\u00e9 ouvert</p>".encode("latin-1"),
            "text/html; charset=iso-8859-1",
        ),
        PageRecord("https://a.example/2", b"<p>second page</p>"),
        PageRecord("https://a.example/logo.png", b"\x89PNG\r\n", "image/png"),
        PageRecord("https://a.example/gone", b"<p>not found</p>", status=404),
    ]
    archive = write_warc(tmp_path / "crawl.warc.gz", pages, compression)
    stats = ScanStats()

    refs = list(expand_archives([archive], stats=stats))

    assert [r.id for r in refs] == [content_id(p.body) for p in pages[:2]]
    assert all(r.seekable for r in refs) == (compression != "file")
    assert stats.pages == 2 and stats.damaged == 0
    assert stats.skipped == {"request": 4, "warcinfo": 1, "image/png": 1, "status 404": 1}
    loaded = [read_record(item) for item in attach_bodies(refs)]
    assert [p.data for p in loaded] == [p.body for p in pages[:2]]
    assert [p.url for p in loaded] == ["https://a.example/1", "https://a.example/2"]
    assert loaded[0].headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert all(p.source == str(r) for p, r in zip(loaded, refs, strict=True))


def test_a_seekable_record_is_read_alone_by_its_offset(tmp_path):
    archive = write_warc(tmp_path / "crawl.warc.gz", sample_pages())
    refs = list(expand_archives([archive]))
    last = refs[-1]

    page = read_record(RecordRef.from_json(json.loads(json.dumps(last.to_json()))))

    assert content_id(page.data) == last.id and last.offset > 0


def test_wet_conversion_records_are_plaintext_with_their_url(tmp_path):
    archive = write_warc(tmp_path / "crawl.wet.gz", site_pages(2), wet=True)

    refs = list(expand_archives([archive]))
    page = read_record(refs[0])

    assert [r.record_type for r in refs] == ["conversion", "conversion"]
    assert page.url == "https://gazette.example/story/1-0"
    assert page.data.decode("utf-8").startswith("The Harbour County Gazette\n")


def test_json_lines_with_configured_keys_and_bad_lines_reported(tmp_path):
    rows = [
        {"link": "https://b.example/1", "content": "<html><body><p>One.</p></body></html>"},
        {"link": "https://b.example/2", "body": "Plain text page."},
        {"link": "https://b.example/3"},
    ]
    archive = write_jsonl(tmp_path / "pages.jsonl", rows)
    with archive.open("ab") as out:
        out.write(b'\n[1, 2]\n{"link": "cut off\n')
    fields = JsonlFields.parse("url=link,html=content,text=body")

    refs = list(expand_archives([archive], fields))

    assert [r.damage is None for r in refs] == [True, True, False, False, False]
    assert read_record(refs[1]).url == "https://b.example/2"
    assert read_record(refs[0]).data == rows[0]["content"].encode()
    assert "no string field 'content' or 'body'" in (refs[2].damage or "")
    assert "not an object" in (refs[3].damage or "")
    assert "not JSON" in (refs[4].damage or "")
    with pytest.raises(DamagedRecordError, match=r"pages\.jsonl@\d+: the line is not JSON"):
        read_record(refs[4])


def test_gzipped_json_lines_are_read_in_order(tmp_path):
    archive = write_jsonl(
        tmp_path / "pages.jsonl.gz",
        [{"url": f"https://c.example/{i}", "text": f"Page {i}."} for i in range(3)],
    )

    refs = list(expand_archives([archive]))
    loaded = list(attach_bodies(refs))

    assert [r.offset for r in refs] == [-1, -1, -1]
    assert all(isinstance(x, LoadedRecord) for x in loaded)
    assert [read_record(x).data for x in loaded] == [b"Page 0.", b"Page 1.", b"Page 2."]


def test_an_archive_changed_since_listing_is_not_read_as_the_listed_record(tmp_path):
    archive = write_warc(tmp_path / "crawl.warc", sample_pages()[:2], "none")
    refs = list(expand_archives([archive]))
    write_warc(
        archive, [PageRecord("https://x.example/", b"<p>other bytes entirely</p>")] * 2, "none"
    )

    with pytest.raises(DamagedRecordError, match=r"crawl\.warc@"):
        read_record(refs[1])


# -- damage -------------------------------------------------------------------------------


@pytest.mark.parametrize("compression", ["record", "file", "none"])
def test_a_truncated_archive_gives_its_readable_records_and_reports_the_rest(tmp_path, compression):
    pages = sample_pages()
    whole = write_warc(tmp_path / "whole.warc.gz", pages, compression)
    archive = tmp_path / "cut.warc.gz"
    archive.write_bytes(whole.read_bytes()[: _inside_a_response(whole, 2 / 3, compression)])
    stats = ScanStats()

    refs = list(expand_archives([archive], stats=stats))

    good = [r for r in refs if r.damage is None]
    damaged = [r for r in refs if r.damage is not None]
    assert 3 <= len(good) < len(pages)
    assert [r.id for r in good] == [content_id(p.body) for p in pages[: len(good)]]
    assert damaged and stats.damaged == len(damaged)
    assert all("cut off" in (r.damage or "") for r in damaged)


def _inside_a_response(archive: Path, share: float, compression: str = "record") -> int:
    """An offset in the middle of the page record that sits at `share` of the archive's
    pages (a page's response record fills most of the way to the next page's; a cut at
    a fixed share of the bytes can fall in a request record, which holds no page). In a
    file compressed whole, offsets count uncompressed bytes, and any cut damages all that
    follows it."""
    if compression == "file":
        return int(archive.stat().st_size * share)
    offsets = [ref.offset for ref in expand_archives([archive])]
    k = int(len(offsets) * share)
    return (offsets[k] + offsets[k + 1]) // 2


@pytest.mark.parametrize("compression", ["record", "none"])
def test_records_after_a_corrupt_stretch_are_found_again(tmp_path, compression):
    pages = sample_pages()
    archive = write_warc(tmp_path / "crawl.warc.gz", pages, compression)
    refs = list(expand_archives([archive]))
    data = bytearray(archive.read_bytes())
    hit = refs[4].offset + 40  # inside the fifth page's record
    data[hit : hit + 64] = bytes(64)
    archive.write_bytes(bytes(data))

    after = list(expand_archives([archive]))

    damaged = [r for r in after if r.damage is not None]
    assert len(damaged) == 1 and damaged[0].offset == refs[4].offset
    assert [r.id for r in after if r.damage is None] == [
        r.id for r in refs if r.offset != refs[4].offset
    ]


def test_an_archive_that_is_not_one_is_one_damaged_input(tmp_path):
    archive = tmp_path / "notes.warc"
    archive.write_text("these are notes, not a WARC file\n" * 20)

    (ref,) = list(expand_archives([archive]))

    assert ref.damage is not None and str(ref) == f"{archive}@0"


# -- batches, CLI, templates ----------------------------------------------------------------


def test_cli_cleans_a_warc_like_its_files_and_a_rerun_skips_everything(tmp_path, capsys):
    archive = write_warc(tmp_path / "crawl.warc.gz", sample_pages())
    warehouse = tmp_path / "wh"

    assert main(["clean", str(archive), "--out", str(warehouse), "--no-progress"]) == 0
    first = capsys.readouterr().err
    assert main(["clean", str(archive), "--out", str(warehouse), "--no-progress"]) == 0
    second = capsys.readouterr().err

    docs = clean_docs(warehouse)
    files = sorted(p for p in SAMPLES_RAW.iterdir() if p.is_file())
    assert {d["id"] for d in docs} == {content_id(p.read_bytes()) for p in files}
    assert f"{len(files)} pages, 0 damaged" in first
    assert f"0 cleaned, {len(files)} already there, 0 quarantined" in second
    doc = next(d for d in docs if d["url"].endswith("/recipe_es_tortilla"))
    assert doc["source"] == f"{archive}@{doc['origin']['offset']}"
    assert doc["origin"]["record_type"] == "response" and doc["origin"]["record_id"].startswith(
        "<urn:uuid:"
    )
    reference = main(
        [
            "clean",
            str(SAMPLES_RAW / "recipe_es_tortilla.html"),
            "--out",
            str(tmp_path / "files"),
            "--no-progress",
        ]
    )
    assert reference == 0
    same = (tmp_path / "files" / "clean" / doc["id"][:2] / f"{doc['id']}.txt").read_text("utf-8")
    assert (warehouse / "clean" / doc["id"][:2] / f"{doc['id']}.txt").read_text("utf-8") == same


def test_damaged_records_are_quarantined_with_archive_and_offset(tmp_path, capsys):
    whole = write_warc(tmp_path / "whole.warc.gz", sample_pages())
    archive = tmp_path / "cut.warc.gz"
    archive.write_bytes(whole.read_bytes()[: _inside_a_response(whole, 1 / 2)])
    warehouse = tmp_path / "wh"

    code = main(["clean", str(archive), "--out", str(warehouse), "--no-progress"])

    assert code == 1
    manifest = json.loads(next((warehouse / "manifests").glob("*.json")).read_text())
    assert manifest["inputs"] == manifest["cleaned"] + manifest["quarantined"]
    (record,) = quarantined(warehouse)
    assert record["error"] == "DamagedRecordError"
    assert record["source"].startswith(f"{archive}@") and "cut off" in record["reason"]
    assert "DamagedRecordError" not in capsys.readouterr().out


@pytest.mark.parametrize("compression", ["record", "file"])
def test_worker_processes_read_records_by_offset_or_from_the_parent(tmp_path, compression):
    archive = write_warc(tmp_path / "crawl.warc.gz", sample_pages()[:4], compression)
    warehouse = Warehouse(tmp_path / "wh")

    manifest = run_batch([archive], warehouse, "w", RunOptions(workers=2, progress=False))

    assert (manifest["cleaned"], manifest["quarantined"]) == (4, 0)
    assert {d["origin"]["offset"] is None for d in clean_docs(tmp_path / "wh")} == {
        compression == "file"
    }


def test_site_templates_apply_to_plaintext_records_by_their_url(tmp_path):
    archive = write_warc(tmp_path / "crawl.wet.gz", site_pages(30), wet=True)
    warehouse = Warehouse(tmp_path / "wh")

    run_batch([archive], warehouse, "wet", RunOptions(progress=False))

    docs = clean_docs(tmp_path / "wh")
    assert len(docs) == 30 and all(d["site_name"] == "gazette.example" for d in docs)
    late = [d for d in docs if int(d["url"].rsplit("-", 1)[1]) >= 15]
    for doc in late:
        reasons = {r["text"]: f"{r['cleaner']}.{r['rule']}" for r in doc["removed"]}
        assert reasons.get("Gazette office hours: Tuesday to Friday") == "template.site_repeat", (
            doc["url"]
        )


def test_json_lines_through_a_batch_keep_their_url(tmp_path):
    rows = [
        {"url": f"https://d.example/{p.url.rsplit('/', 1)[1]}", "text": p.body.decode()}
        for p in site_pages(3)
    ]
    archive = write_jsonl(tmp_path / "pages.jsonl", rows)

    manifest = run_batch([archive], Warehouse(tmp_path / "wh"), "j", RunOptions(progress=False))

    assert manifest["cleaned"] == 3
    assert {d["url"] for d in clean_docs(tmp_path / "wh")} == {r["url"] for r in rows}


def test_gzip_magic_inside_a_whole_file_stream_is_not_taken_for_a_record_start(tmp_path):
    """Whole-file gzip: FastWARC's positions are buffer positions, not record starts, so
    no record of it may claim an offset (a worker seeking there would read garbage)."""
    rng = random.Random(5)
    pages = [
        PageRecord(f"https://e.example/{i}", bytes(rng.randrange(256) for _ in range(3000)))
        for i in range(40)
    ]
    archive = write_warc(tmp_path / "crawl.warc.gz", pages, "file")
    assert gzip.decompress(archive.read_bytes()).count(b"WARC/1.0") == 81

    refs = list(expand_archives([archive]))

    assert len(refs) == 40 and all(r.offset == -1 for r in refs)


def test_oversized_records_a_page_is_refused_by_size_and_a_video_is_not_a_page(tmp_path):
    from cleaner.config import Config
    from cleaner.errors import TooLargeError

    config = Config(max_bytes=2_000)
    pages = [
        PageRecord("https://f.example/big", b"<p>" + b"word " * 2_000 + b"</p>"),
        PageRecord("https://f.example/clip", bytes(200_000), "video/mp4"),
        PageRecord("https://f.example/small", b"<p>A small page.</p>"),
    ]
    archive = write_warc(tmp_path / "crawl.warc.gz", pages)
    stats = ScanStats()

    refs = list(expand_archives([archive], config=config, stats=stats))

    assert stats.skipped["video/mp4"] == 1 and stats.pages == 2
    assert refs[0].id == content_id(str(refs[0]).encode("utf-8"))  # of its name, as files
    with pytest.raises(
        TooLargeError, match=r"crawl\.warc\.gz@\d+: the (page|record) is over the limit"
    ):
        read_record(refs[0], config)
    assert read_record(refs[1], config).data == b"<p>A small page.</p>"


def test_cli_reads_json_lines_with_its_keys(tmp_path, capsys):
    rows = [
        {"link": f"https://g.example/{i}", "body": p.body.decode()}
        for i, p in enumerate(site_pages(3))
    ]
    archive = write_jsonl(tmp_path / "pages.jsonl", rows)

    code = main(
        [
            "clean",
            str(archive),
            "--out",
            str(tmp_path / "wh"),
            "--fields",
            "url=link,text=body",
            "--no-progress",
        ]
    )

    assert code == 0, capsys.readouterr().err
    assert sorted(d["url"] for d in clean_docs(tmp_path / "wh")) == [r["link"] for r in rows]
    with pytest.raises(SystemExit):
        main(["clean", str(archive), "--fields", "address=link"])


def test_parquet_rows_are_pages_read_in_order_from_their_row_group(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pages = site_pages(7)
    table = pa.table(
        {
            "url": [p.url for p in pages],
            "text": [p.body.decode() if i != 3 else None for i, p in enumerate(pages)],
        }
    )
    archive = tmp_path / "pages.parquet"
    pq.write_table(table, archive, row_group_size=2)
    stats = ScanStats()

    refs = list(expand_archives([archive], stats=stats))
    later = list(attach_bodies(refs[5:]))  # a batch of the last rows: starts at their row group

    assert [r.damage is None for r in refs] == [True, True, True, False, True, True, True]
    assert "no string in 'html' or 'text'" in (refs[3].damage or "")
    assert [read_record(x).url for x in later] == [pages[5].url, pages[6].url]
    manifest = run_batch([archive], Warehouse(tmp_path / "wh"), "p", RunOptions(progress=False))
    assert (manifest["cleaned"], manifest["quarantined"]) == (6, 1)
    assert {d["origin"]["format"] for d in clean_docs(tmp_path / "wh")} == {"parquet"}


def test_a_rerun_over_an_unchanged_archive_takes_its_listing_from_the_index(
    tmp_path, capsys, monkeypatch
):
    import cleaner.archives.listing as listing

    archive = write_warc(tmp_path / "crawl.warc.gz", sample_pages())
    warehouse = tmp_path / "wh"
    assert main(["clean", str(archive), "--out", str(warehouse), "--no-progress"]) == 0
    first = capsys.readouterr().err.splitlines()[0]
    (remembered,) = (warehouse / "index" / "archives").glob("*.jsonl")

    def no_reading(*args, **kwargs):
        raise AssertionError("the archive was read again")

    with monkeypatch.context() as patch:
        patch.setattr(listing, "scan_warc", no_reading)
        assert main(["clean", str(archive), "--out", str(warehouse), "--no-progress"]) == 0
    again = capsys.readouterr().err.splitlines()
    assert again[0] == first  # the same counts, from the index
    assert f"0 cleaned, {len(sample_pages())} already there" in again[-1]

    write_warc(archive, sample_pages()[:3])  # changed: listed again
    assert main(["clean", str(archive), "--out", str(warehouse), "--no-progress"]) == 0
    assert "3 pages, 0 damaged" in capsys.readouterr().err
    assert len(remembered.read_text().splitlines()) == 3 + 2  # header, 3 references, counts


def test_a_listing_cut_short_is_not_remembered(tmp_path):
    from cleaner.archives import ArchiveIndex

    archive = write_warc(tmp_path / "crawl.warc.gz", sample_pages())
    index = ArchiveIndex(tmp_path / "index")

    records = index.records(archive)
    next(records)
    records.close()

    assert not list((tmp_path / "index").glob("*.jsonl"))
    assert len(list(index.records(archive))) == len(sample_pages())
    assert len(list((tmp_path / "index").glob("*.jsonl"))) == 1
