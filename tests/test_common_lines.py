"""The cross-site boilerplate lexicon: counting by site, the leave-own-site-out view that
training uses, the file it ships as, and the rule the learned cleaner applies with it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from cleaner.cleaners import PageContext
from cleaner.cleaners.common_lines import (
    FURNITURE_MIN_SITES,
    MIN_SITES,
    Entry,
    Lexicon,
    SiteCounts,
    lexicon_key,
)
from cleaner.cleaners.learned import LearnedCleaner, lexicon_path, load_model
from cleaner.config import Config
from cleaner.extract.text import extract_text
from cleaner.features import lexicon_feature_names, line_features
from tests.pages import labelled_page


@pytest.mark.parametrize(
    ("a", "b"),
    [("12 Comments", "3 comments:"), ("Share  this", "SHARE THIS!"), ("— Teilen —", "teilen")],
)
def test_keys_fold_case_digits_and_punctuation(a: str, b: str) -> None:
    assert lexicon_key(a) == lexicon_key(b) is not None


def test_long_lines_and_empty_lines_have_no_key() -> None:
    assert lexicon_key("one two three four five six seven eight nine") is None
    assert lexicon_key("— · —") is None


def test_an_entry_needs_enough_distinct_sites() -> None:
    one_site_many_times = [("Our menu", True, "a.example")] * 50
    spread = [("Skip to content", True, f"s{i}.example") for i in range(MIN_SITES)]
    lexicon = Lexicon.build(one_site_many_times + spread)
    assert lexicon.lookup("Our menu") is None  # one site's menu is not memorised
    assert lexicon.lookup("Skip to content") == Entry(MIN_SITES, 0)


def test_content_sites_keep_a_common_heading_from_being_furniture() -> None:
    rows = [("Introduction", True, f"b{i}") for i in range(FURNITURE_MIN_SITES)]
    rows += [("Introduction", False, f"c{i}") for i in range(FURNITURE_MIN_SITES)]
    rows += [("Back to top", True, f"b{i}") for i in range(FURNITURE_MIN_SITES)]
    lexicon = Lexicon.build(rows)
    assert not lexicon.is_furniture("Introduction")
    assert lexicon.is_furniture("Back to top")


def test_a_site_does_not_vote_for_its_own_lines() -> None:
    counts = SiteCounts()
    for i in range(MIN_SITES):
        counts.add("share", True, f"s{i}")
    assert counts.entry("share", "new.example") == Entry(MIN_SITES, 0)
    assert counts.entry("share", "s0") is None  # only MIN_SITES - 1 others
    counts.add("share", False, "s0")  # s0 prints it as content too
    counts.add("share", False, "c.example")
    assert counts.entry("share", "s1") == Entry(MIN_SITES - 1, 2)


def test_saved_lexicon_loads_the_same(tmp_path: Path) -> None:
    lexicon = Lexicon({"add to cart": Entry(30, 1), "0 comments": Entry(12, 0)})
    lexicon.save(tmp_path / "x.tsv")
    assert Lexicon.load(tmp_path / "x.tsv") == lexicon


def test_a_malformed_lexicon_file_names_the_file_and_the_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("add to cart\t30\t1\nshare\tmany\t0\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:2"):
        Lexicon.load(bad)


def test_lexicon_features_say_known_unknown_and_nothing_for_long_lines() -> None:
    lexicon = Lexicon({"add to cart": Entry(30, 1)})
    assert lexicon_feature_names("Add to cart", lexicon)[0].startswith("lex_b=")
    assert lexicon_feature_names("Salted butter", lexicon) == ["lex=none"]
    assert lexicon_feature_names("The council met on Monday and voted for it.", lexicon) == []
    with_lexicon = line_features(["Add to cart"], lexicon=lexicon)[0]
    assert set(line_features(["Add to cart"])[0]) < set(with_lexicon)


def test_training_view_leaves_each_line_s_own_site_out() -> None:
    pytest.importorskip("sklearn")
    from cleaner.training.train import build_lines, lexicon_view

    pages = [
        labelled_page(f"s{i}.example", ["Jump to comments"], [False]) for i in range(MIN_SITES)
    ]
    # an unlabelled line casts no vote
    pages.append(labelled_page("new.example", ["Jump to comments", "Salted butter"], [None, True]))
    lines = build_lines(pages)
    lines.trainable[:] = lines.labelled  # every labelled line votes, whatever its rendering
    view = lexicon_view(lines, np.ones(len(lines.y), dtype=bool))
    # Each voting site sees only the MIN_SITES - 1 others: not enough for an entry.
    assert view.entries[:MIN_SITES] == [None] * MIN_SITES
    assert view.entries[MIN_SITES] == Entry(MIN_SITES, 0)  # the new site sees every vote
    assert view.counts.lexicon().lookup("Jump to comments") == Entry(MIN_SITES, 0)


def test_learned_cleaner_drops_lexicon_furniture_around_the_body_only() -> None:
    """Furniture before or after the page's body of prose goes with its own reason; the
    same line inside the body is left to the model (here set to drop nothing)."""
    model = load_model()
    if model is None:
        pytest.skip("no shipped model")
    furniture = Lexicon({"zorblax widget": Entry(FURNITURE_MIN_SITES + 5, 0)})
    card = {**model.card, "lexicon": {"rule": True}}
    strict = replace(model, lexicon=furniture, card=card, threshold=1.0)
    body = [
        "The harbour reopened on Monday after a year of repairs to its old stone walls.",
        "Fishing boats returned to the quay, and the market opened in the square again.",
        "Zorblax widget",  # inside the body
        "Residents said the harbour had changed a great deal since the last renovation.",
    ]
    lines = ["Zorblax widget", "Salted butter", *body, "Salted butter", "Zorblax widget"]
    segments = extract_text("\n".join(lines)).segments
    page = PageContext("<test>", "text", Config(heuristic=False))
    LearnedCleaner(strict).judge(segments, page)
    dropped = [(s.index, s.dropped_by) for s in segments if not s.kept]
    assert dropped == [(0, "learned.lexicon"), (7, "learned.lexicon")]


def test_the_shipped_lexicon_sits_beside_the_model() -> None:
    model = load_model()
    if model is None:
        pytest.skip("no shipped model")
    assert len(model.lexicon) == model.card["lexicon"]["entries"] > 0
    assert lexicon_path(Path("m/lines.npz")) == Path("m/lines.lexicon.tsv")
