"""The learned cleaner's features (`cleaner.features`): stage-1 line features and the
stage-2 context rows."""

from __future__ import annotations

import numpy as np

from cleaner.features import (
    CONTEXT_FEATURES,
    MAX_WORD_FEATURES,
    LineShape,
    body_zones,
    bucket,
    context_features,
    feature_id,
    line_feature_names,
    line_features,
    outside_body,
)


def test_bucket_is_the_last_edge_not_above_the_value() -> None:
    edges = (0.0, 0.5, 1.0)
    assert [bucket(v, edges) for v in (-1.0, 0.0, 0.49, 0.5, 1.0, 7.0)] == [0, 0, 0, 1, 2, 2]


def test_line_features_are_the_hashed_names() -> None:
    texts = ["Subscribe to our newsletter", "Ⅻ Ⓐ İstanbul ÇOK", ""]
    expected = [sorted({feature_id(n) for n in line_feature_names(t)}) for t in texts]
    assert line_features(texts) == expected
    assert line_features(texts, [LineShape(t) for t in texts]) == expected


def test_shape_ratios_count_characters_as_they_are() -> None:
    """Upper case is counted among letters only (a Roman numeral is upper case but no
    letter), punctuation is what is neither alphanumeric nor space."""
    names = line_feature_names("ABC def, Ⅻ!")
    assert "upper=4" in names  # 3 of 6 letters: 0.5
    assert "punct=2" in names  # ",", "Ⅻ" is numeric, "!": 2 of 12 characters


def test_line_rules_and_words_are_features() -> None:
    names = line_feature_names("Share on Facebook")
    assert {"rule=ui_phrase", "rule=share_prompt"} <= set(names)
    assert "whole=share on facebook" in names
    assert sum(n.startswith("w=") for n in line_feature_names("word " * 100)) == MAX_WORD_FEATURES


def test_context_rows_see_rule_verdicts_and_the_body() -> None:
    texts = [
        "Home",
        "World",
        "Sport",
        "The council met on Monday and voted for the new budget after a long debate.",
        "Residents said the harbour had changed a great deal since the last renovation.",
        "Share on Facebook",
    ]
    reasons = ["heuristic.link_run", "heuristic.link_run", None, None, None, "heuristic.ui_phrase"]
    rows = context_features(texts, np.array([2.0, 2.0, 1.0, -3.0, -3.0, 2.5]), reasons, ["p"] * 6)
    column = {name: rows[:, i] for i, name in enumerate(CONTEXT_FEATURES)}
    assert column["rule=link_run"].tolist() == [1, 1, 0, 0, 0, 0]
    assert column["rule=any"].tolist() == [1, 1, 0, 0, 0, 1]
    assert column["in_body"].tolist() == [0, 0, 0, 1, 1, 0]
    assert column["to_body"][0] == -3 and column["to_body"][-1] == 1


def test_body_zones_agree_with_outside_body() -> None:
    texts = [
        "Home",
        "News",
        "The council met on Monday and voted for the new budget after a long debate.",
        "Photo",
        "Residents said the harbour had changed a great deal since the last renovation.",
        "Share",
    ]
    zones = body_zones(texts)
    assert zones.tolist() == [-1, -1, 0, 0, 0, 1]
    assert ((zones != 0) == outside_body(texts)).all()
    assert body_zones(["Home", "Share"]).tolist() == [1, 1]  # no prose: all outside
    assert body_zones([]).tolist() == []
