"""`cleaner.extract.html.fit_for_parsers`: its shortcuts must never let a too-deep page
through unflattened, and its depth estimate must match a plain walk over the tags."""

from __future__ import annotations

import random

import pytest

from cleaner.config import Config
from cleaner.extract.html import _OPENING_TAG, fit_for_parsers
from cleaner.extract.repair import FLAT, TAG, flatten_deep, nesting_depth

TAGS = ["div", "span", "p", "li", "br", "img", "section", "td", "DIV", "b", "ul", "pre", "P"]


def _tag_soup(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 60)):
        tag = rng.choice(TAGS)
        parts.append(
            rng.choice(
                [
                    f"<{tag}>",
                    f"</{tag}>",
                    f"<{tag} class=x>",
                    f"<{tag}/>",
                    "text",
                    "<",
                    f'<{tag} a="/">',
                    f"</{tag} >",
                ]
            )
        )
    return "".join(parts)


def _depth_by_walking(html: str) -> int:
    """The depth estimate as first written: a Python loop over every tag."""
    depth = deepest = 0
    for closing, name, self_closing in TAG.findall(html):
        if self_closing or name.lower() in FLAT:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def test_depth_estimate_matches_the_walk() -> None:
    rng = random.Random(7)
    for _ in range(3_000):
        html = _tag_soup(rng)
        assert nesting_depth(html) == _depth_by_walking(html), html


@pytest.mark.parametrize("max_depth", [0, 1, 3, 8, 20])
def test_shortcuts_decide_as_the_full_scan(max_depth: int) -> None:
    rng = random.Random(max_depth)
    config = Config(max_depth=max_depth)
    for _ in range(500):
        html = _tag_soup(rng)
        flattened = fit_for_parsers(html, config)[0] != html
        full_scan = len(_OPENING_TAG.findall(html)) > max_depth and nesting_depth(html) > max_depth
        assert flattened == (full_scan and flatten_deep(html, max_depth) != html), html


def test_as_deep_as_the_limit_is_left_one_deeper_is_flattened() -> None:
    config = Config(max_depth=30)
    assert fit_for_parsers("<div>" * 30, config) == ("<div>" * 30, True)
    flattened, fits = fit_for_parsers("<div>" * 31 + "text", config)
    assert fits
    assert nesting_depth(flattened) == 30
    assert flattened.endswith("text")


def test_too_many_elements_for_trafilatura() -> None:
    config = Config(max_elements=10)
    assert fit_for_parsers("<i>a</i>" * 10, config)[1]
    assert not fit_for_parsers("<i>a</i>" * 11, config)[1]
