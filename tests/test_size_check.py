"""`cleaner.extract.html.check_size`: its shortcuts must never let a too-deep page through."""

from __future__ import annotations

import random

import pytest

from cleaner.config import Config
from cleaner.errors import TooLargeError
from cleaner.extract.html import _OPENING_TAG, check_size, nesting_depth

TAGS = ["div", "span", "p", "li", "br", "img", "section", "td", "DIV", "b", "ul"]


def _tag_soup(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 60)):
        tag = rng.choice(TAGS)
        parts.append(
            rng.choice([f"<{tag}>", f"</{tag}>", f"<{tag} class=x>", f"<{tag}/>", "text", "<"])
        )
    return "".join(parts)


def _refused_by_the_full_scan(html: str, max_depth: int) -> bool:
    """What `check_size` decided before its shortcuts: count the opening tags, then scan."""
    return len(_OPENING_TAG.findall(html)) > max_depth and nesting_depth(html) > max_depth


@pytest.mark.parametrize("max_depth", [0, 1, 3, 8, 20])
def test_shortcuts_decide_as_the_full_scan(max_depth: int) -> None:
    rng = random.Random(max_depth)
    config = Config(max_depth=max_depth)
    for _ in range(500):
        html = _tag_soup(rng)
        try:
            check_size(html, "soup.html", config)
            refused = False
        except TooLargeError:
            refused = True
        assert refused == _refused_by_the_full_scan(html, max_depth), html


def test_as_deep_as_the_limit_passes_one_deeper_is_refused() -> None:
    config = Config(max_depth=30)
    check_size("<div>" * 30, "ok.html", config)
    with pytest.raises(TooLargeError, match="nested 31 deep"):
        check_size("<div>" * 31, "deep.html", config)
