"""`bench.compare`'s ablations run the real pipeline with one switch off."""

from __future__ import annotations

import pytest

from bench.compare import check_names, cleaner_without, system

PAGE = (
    b"<html><head><title>Bridge</title></head><body><article>"
    b"<h1>The bridge opens in May</h1>"
    b"<p>The council approved the last payment for the new bridge on Monday, and the "
    b"builders said the first cars would cross it in May after a decade of delays.</p>"
    b"<p>Residents of both banks have waited since 2015 for a crossing that does not "
    b"close in winter, when the ferry stops for weeks at a time.</p>"
    b"<p>Share</p>"
    b"<p>The mayor thanked the engineers and said the old ferry would become a museum "
    b"that tells the story of the river towns.</p>"
    b"</article></body></html>"
)


def test_every_stage_and_switch_is_a_known_ablation() -> None:
    check_names(["cleaner", "trafilatura", "cleaner-rules", "cleaner-prune", "cleaner-fast_first"])


def test_an_unknown_stage_is_named() -> None:
    with pytest.raises(SystemExit, match="cleaner-nonesuch"):
        check_names(["cleaner-nonesuch"])


def test_without_rules_the_share_label_stays_in() -> None:
    cleaned = system("cleaner")(PAGE, None)
    bare = cleaner_without("rules")(PAGE, None)
    assert "The council approved" in cleaned and "The council approved" in bare
    assert "Share" not in cleaned.split("\n")
    assert "Share" in bare.split("\n")
