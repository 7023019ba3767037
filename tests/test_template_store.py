"""Site templates in a real warehouse folder: writers, retries, bad files, compaction.

Races are not left to timing: a writer or a second compaction is run at the exact point
of the interleaving under test, by wrapping the store's own steps.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
from pathlib import Path

import pytest

from cleaner import Config, clean_text
from cleaner import template_store as ts
from cleaner.cleaners.templates import SiteTemplates, template_key
from cleaner.document import Segment
from cleaner.template_store import TemplateSession, TemplateStore, site_key, writer_name

SITE = "riverside.example"
HOME = template_key("Home")


def page(i: int) -> list[Segment]:
    lines = ["Home", "News", f"The story of page {'x' * (i + 1)} is its own."]
    return [Segment(text=t, index=n) for n, t in enumerate(lines)]


def observed(ids: range) -> SiteTemplates:
    t = SiteTemplates()
    for i in ids:
        t.observe(f"p{i}", page(i))
    return t


def files(store: TemplateStore, site: str = SITE) -> list[str]:
    folder = store.site_folder(site)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# -- names


@pytest.mark.parametrize(
    "site", ["../../etc", "..", ".", "/abs/path", "a/../../b", "", "\x00", "ü" * 300, "C:\\x"]
)
def test_a_site_cannot_leave_the_templates_folder(tmp_path: Path, site: str) -> None:
    store = TemplateStore(tmp_path / "wh")
    store.save_delta("run-1", {site: observed(range(2))})
    folder = store.site_folder(site)
    assert folder.parent == tmp_path / "wh" / "templates"
    assert folder.resolve().parent == (tmp_path / "wh" / "templates").resolve()
    assert not folder.name.startswith(".") and len(folder.name) < 120
    assert store.load(site).pages == 2
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == [store.delta_path(site, "run-1")]


@pytest.mark.parametrize("writer", ["../../x", "..", ".hidden", "_compact-0123", "a/b", ""])
def test_a_writer_id_cannot_leave_the_folder_or_pass_for_another_kind_of_file(
    tmp_path: Path, writer: str
) -> None:
    store = TemplateStore(tmp_path)
    path = store.delta_path(SITE, writer)
    assert path.parent == store.site_folder(SITE)
    assert not path.name.startswith((".", ts.COMPACT_PREFIX))


def test_different_sites_and_writers_get_different_names() -> None:
    assert site_key("a/b") != site_key("a_b") != site_key("A_B")
    assert writer_name("run 1") != writer_name("run_1")


# -- writing and reading


def test_save_and_load(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    assert store.load(SITE) == SiteTemplates()  # nothing yet: empty, no error
    store.save_delta("run-1", {SITE: observed(range(3)), "other.example": SiteTemplates()})
    assert store.load(SITE) == observed(range(3))
    assert files(store, "other.example") == []  # nothing observed, nothing written


def test_two_writers_never_overwrite_each_other(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    store.save_delta("dag-run-batch-0", {SITE: observed(range(0, 3))})
    store.save_delta("dag-run-batch-1", {SITE: observed(range(3, 5))})
    assert files(store) == ["dag-run-batch-0.json", "dag-run-batch-1.json"]
    loaded = store.load(SITE)
    assert loaded.pages == 5 and loaded.count(HOME) == 5


def test_a_retried_batch_rewrites_only_its_own_file_and_counts_pages_once(
    tmp_path: Path,
) -> None:
    store = TemplateStore(tmp_path)
    other = store.save_delta("batch-1", {SITE: observed(range(10, 12))})[0]
    other_bytes = other.read_bytes()

    first = TemplateSession(store, "batch-0")
    for i in range(3):
        first.observe(SITE, f"p{i}", page(i))
    first.save()

    retry = TemplateSession(TemplateStore(tmp_path), "batch-0")  # a new process
    for i in range(5):  # reprocesses the first three, and two the first attempt missed
        retry.observe(SITE, f"p{i}", page(i))
    retry.save()

    assert files(store) == ["batch-0.json", "batch-1.json"]
    assert other.read_bytes() == other_bytes
    loaded = store.load(SITE)
    assert loaded.pages == 7 and loaded.count(HOME) == 7  # 5 + 2, not 3 + 5 + 2


def test_a_retry_that_skips_done_pages_keeps_their_counts(tmp_path: Path) -> None:
    """A retry cleans only the pages its first attempt did not: replacing the writer's
    file with what the retry saw would lose the first attempt's pages."""
    store = TemplateStore(tmp_path)
    store.save_delta("batch-0", {SITE: observed(range(0, 3))})
    store.save_delta("batch-0", {SITE: observed(range(3, 4))})
    assert store.load(SITE).pages == 4


def test_a_session_judges_with_the_store_plus_its_own_pages(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    store.save_delta("batch-0", {SITE: observed(range(3))})
    session = TemplateSession(store, "batch-1")
    assert session(SITE).pages == 3
    session.observe(SITE, "p9", page(9))
    assert session(SITE).pages == 4 and store.load(SITE).pages == 3
    assert not session.observe(SITE, "p1", page(1))  # the store has it
    session.save()
    assert session.save() == []  # nothing new: nothing written twice
    assert store.load(SITE).pages == 4


def test_a_session_observes_a_cleaned_document_under_its_urls_site(tmp_path: Path) -> None:
    config = Config(learned=False, detect_language=False)
    doc = clean_text(
        "The council approved the budget on Monday after a long debate.",
        url="https://www.riverside.example/news/1",
        config=config,
    )
    session = TemplateSession(TemplateStore(tmp_path), "batch-0")
    assert session.observe_document(doc)
    assert not session.observe_document(doc)
    assert not session.observe_document(clean_text("No URL for this page at all.", config=config))
    session.save()
    assert TemplateStore(tmp_path).load("riverside.example").pages == 1


def test_a_session_can_be_sent_to_a_worker_process(tmp_path: Path) -> None:
    session = TemplateSession(TemplateStore(tmp_path), "batch-0")
    session.observe(SITE, "p1", page(1))
    copy = pickle.loads(pickle.dumps(session))
    assert copy(SITE).pages == 1


# -- bad files


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b'{"format": "cleaner.template_delta", "version": 1, "site": "riverside.exam',
        b"\xff\xfe\x00garbage",
        b"[]",
        b'{"format": "cleaner.template_delta", "version": 99, "site": "riverside.example"}',
        b'{"format": "cleaner.template_delta", "version": 1, "site": "other.example",'
        b' "increments": []}',
        b'{"format": "cleaner.template_delta", "version": 1, "site": "riverside.example",'
        b' "increments": [{"id": "0123456789abcdef", "time": 1, "templates": {"pages": 3}}]}',
    ],
)
def test_a_corrupt_file_is_skipped_with_a_warning(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    store = TemplateStore(tmp_path)
    store.save_delta("batch-0", {SITE: observed(range(3))})
    bad = store.site_folder(SITE) / "batch-9.json"
    bad.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="cleaner.template_store"):
        assert store.load(SITE).pages == 3
    assert "batch-9.json" in caplog.text
    # a session on top of it judges and saves as usual
    session = TemplateSession(store, "batch-1")
    session.observe(SITE, "p7", page(7))
    session.save()
    assert store.load(SITE).pages == 4


def test_a_writer_whose_own_file_is_corrupt_starts_it_afresh(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    store.delta_path(SITE, "batch-0").parent.mkdir(parents=True)
    store.delta_path(SITE, "batch-0").write_bytes(b"{broken")
    store.save_delta("batch-0", {SITE: observed(range(2))})
    assert store.load(SITE).pages == 2


def test_an_unreadable_store_means_no_templates_not_a_failed_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: TemplateStore, site: str) -> SiteTemplates:
        raise PermissionError("denied")

    monkeypatch.setattr(TemplateStore, "load", broken)
    assert TemplateSession(TemplateStore(tmp_path), "b")(SITE) == SiteTemplates()


# -- compaction


def many_writers(store: TemplateStore, n: int) -> None:
    for b in range(n):
        store.save_delta(f"batch-{b}", {SITE: observed(range(3 * b, 3 * b + 3))})


def test_compaction_folds_everything_into_one_file_and_changes_no_count(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path, auto_compact=False)
    many_writers(store, 5)
    before = store.load(SITE)
    out = store.compact(SITE)
    assert out is not None and files(store) == [out.name]
    assert store.load(SITE) == before
    many_writers(store, 1)  # batch-0 again, by a new run after compaction: new pages
    store.save_delta("batch-7", {SITE: observed(range(100, 102))})
    assert store.compact(SITE) is not None and len(files(store)) == 1
    assert store.load(SITE).pages == 15 + 3 + 2


def test_load_compacts_a_crowded_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ts, "COMPACT_AT", 4)
    store = TemplateStore(tmp_path)
    many_writers(store, 3)
    assert store.load(SITE).pages == 9 and len(files(store)) == 3
    store.save_delta("batch-3", {SITE: observed(range(9, 12))})  # the fourth file
    assert store.load(SITE).pages == 12 and len(files(store)) == 1


def test_compaction_leaves_a_corrupt_file_where_it_was(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    many_writers(store, 2)
    (store.site_folder(SITE) / "batch-9.json").write_bytes(b"{broken")
    store.compact(SITE)
    assert "batch-9.json" in files(store) and len(files(store)) == 2
    assert store.load(SITE).pages == 6


def test_a_writer_that_read_its_file_just_before_a_claim_is_not_counted_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer reads its file (one increment), a compaction claims and folds it, the
    writer writes its file back with the old increment and a new one."""
    store = TemplateStore(tmp_path, auto_compact=False)
    many_writers(store, 3)  # batch-0 .. batch-2, pages 0..8
    real_read = ts._read
    own = store.delta_path(SITE, "batch-0")

    def read_then_compact(path: Path, site: str) -> ts._File | None:
        found = real_read(path, site)
        if path == own and found is not None and found.path == own:
            monkeypatch.setattr(ts, "_read", real_read)
            assert store.compact(SITE) is not None  # claims the file just read
        return found

    monkeypatch.setattr(ts, "_read", read_then_compact)
    store.save_delta("batch-0", {SITE: observed(range(50, 52))})
    assert own.exists()  # the writer's file is back, holding the folded increment too
    assert len(json.loads(own.read_bytes())["increments"]) == 2
    loaded = store.load(SITE)
    assert loaded.pages == 9 + 2 and loaded.count(HOME) == 11
    store.compact(SITE)  # and folding it again changes nothing
    assert store.load(SITE) == loaded


def test_a_writer_saving_during_a_compaction_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = TemplateStore(tmp_path, auto_compact=False)
    many_writers(store, 2)
    real_claim = ts._claim

    def claim_then_write(folder: Path, stamp: str) -> list[Path]:
        claimed = real_claim(folder, stamp)
        store.save_delta("batch-0", {SITE: observed(range(60, 61))})  # rewrites its file
        store.save_delta("batch-5", {SITE: observed(range(70, 72))})  # a new writer
        return claimed

    monkeypatch.setattr(ts, "_claim", claim_then_write)
    store.compact(SITE)
    assert {"batch-0.json", "batch-5.json"} <= set(files(store))
    assert store.load(SITE).pages == 6 + 1 + 2


def test_two_compactions_at_once_share_the_files_between_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = TemplateStore(tmp_path, auto_compact=False)
    many_writers(store, 4)
    real_claim = ts._claim

    def claim_some_then_let_another_compact(folder: Path, stamp: str) -> list[Path]:
        monkeypatch.setattr(ts, "_claim", real_claim)
        first = sorted(folder.iterdir())[:2]
        taken = []
        for path in first:  # this compaction claims two files, then the other runs
            target = folder / f".{path.name}{ts.CLAIM_MARK}{stamp}"
            path.rename(target)
            taken.append(target)
        assert store.compact(SITE) is not None
        return taken  # it had listed the folder before the other one wrote

    monkeypatch.setattr(ts, "_claim", claim_some_then_let_another_compact)
    store.compact(SITE)
    assert len(files(store)) == 2  # two compacted files, disjoint
    assert store.load(SITE).pages == 12
    store.compact(SITE)
    assert len(files(store)) == 1 and store.load(SITE).pages == 12


def stale(stamp_age: float) -> str:
    return f"{int(ts.time.time() - stamp_age)}-0123456789abcdef"


def test_claims_of_a_compaction_that_died_before_writing_come_back(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    many_writers(store, 2)
    folder = store.site_folder(SITE)
    ts._claim(folder, stale(ts.CLAIM_STALE_S + 60))  # ...and then the compaction died
    assert store.site_folder(SITE).exists() and files(store) != []
    assert all(name.startswith(".") for name in files(store))
    assert store.load(SITE).pages == 6  # load sees the stale claims and compacts
    assert len(files(store)) == 1


def test_a_fresh_claim_is_left_to_its_compaction(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    many_writers(store, 2)
    ts._claim(store.site_folder(SITE), stale(5))  # a compaction at work right now
    assert store.load(SITE).pages == 0  # it sees less for a moment, and drops less
    assert len(files(store)) == 2  # and does not touch the claims


def test_claims_of_a_compaction_that_died_after_writing_are_not_counted_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = TemplateStore(tmp_path)
    many_writers(store, 2)
    monkeypatch.setattr(Path, "unlink", lambda self, missing_ok=False: None)  # dies here
    store.compact(SITE)
    monkeypatch.undo()
    folder = store.site_folder(SITE)
    for claim in folder.glob(".*.claim-*"):  # make the leftovers old
        old = claim.name.split(ts.CLAIM_MARK)[0] + ts.CLAIM_MARK + stale(ts.CLAIM_STALE_S + 60)
        claim.rename(folder / old)
    assert store.load(SITE).pages == 6
    assert len(files(store)) == 1


def test_folded_ids_expire(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = TemplateStore(tmp_path, auto_compact=False)
    many_writers(store, 2)
    out = store.compact(SITE)
    assert out is not None and len(json.loads(out.read_bytes())["folded"]) == 2
    now = ts.time.time()
    monkeypatch.setattr(ts.time, "time", lambda: now + ts.FOLDED_TTL_S + 1)
    many_writers(store, 1)
    out = store.compact(SITE)
    assert out is not None
    folded = json.loads(out.read_bytes())["folded"]
    assert len(folded) == 2  # the earlier compacted file and the new increment
    assert store.load(SITE).pages == 9


def test_compacted_file_is_written_atomically(tmp_path: Path) -> None:
    store = TemplateStore(tmp_path)
    many_writers(store, 2)
    store.compact(SITE)
    leftovers = [n for n in os.listdir(store.site_folder(SITE)) if n.endswith(".tmp")]
    assert leftovers == []
