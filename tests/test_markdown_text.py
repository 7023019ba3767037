"""Markdown plaintext (html2text's output): judged as the text a reader sees, written as
the user's input had it."""

from __future__ import annotations

from pathlib import Path

from cleaner.document import Segment
from cleaner.extract.text import extract_text, judging_view
from cleaner.metadata import removal_report
from cleaner.pipeline import clean_text
from cleaner.report import PageView, attach_lines

PAGE = """# [Council approves the bridge budget](https://news.example/bridge)

* [Home](https://news.example/) [About](/about)
[Share on Facebook](https://facebook.com/sharer?u=https://news.example/bridge)
![](https://news.example/logo.png)

The city council approved the **budget** for the new bridge on Monday, after a [long debate](https://news.example/debate) that lasted well into the night.

Work is expected to start in spring and finish within two years, the mayor said.

```
total = 12_000_000  # [not](a link)
```
"""


def test_judging_view_of_inline_markdown() -> None:
    assert judging_view("* [Home](https://x.com/) [About](/about)") == "* Home About"
    assert judging_view("[Share on Facebook](https://facebook.com/sharer?u=1)") == (
        "Share on Facebook"
    )
    assert judging_view('See [Mercury](/wiki/Mercury_(planet) "title").') == "See Mercury."
    assert judging_view("![A dog](/dog.png) A dog in the park") == "A dog in the park"
    assert judging_view("[A review [Video]](https://t.co/1)") == "A review [Video]"
    assert judging_view("__Note:__ *really* <https://x.org/a?b=1>") == (
        "Note: really https://x.org/a?b=1"
    )
    for plain in ("2 * 3 * 4", "snake_case_name", "a [bracket] here", "<b>not a link</b>"):
        assert judging_view(plain) == plain


def test_judging_view_is_linear_on_long_lines() -> None:
    line = "[" * 50_000 + "_" * 50_000 + "*x " * 20_000
    assert judging_view(line)  # returns in well under a second


def test_markdown_lines_are_judged_by_their_text_and_kept_as_written() -> None:
    doc = clean_text(PAGE, url="https://news.example/bridge")
    assert "after a [long debate](https://news.example/debate) that" in doc.text
    assert "approved the **budget** for" in doc.text
    assert "total = 12_000_000  # [not](a link)" in doc.text  # code is never rewritten
    assert "Share on Facebook" not in doc.text
    assert "logo.png" not in doc.text
    removed = {r["text"]: r["rule"] for r in doc.metadata["removed"]}
    share = "[Share on Facebook](https://facebook.com/sharer?u=https://news.example/bridge)"
    assert share in removed  # the removal report shows the user's line, not the view
    assert removed[share] == "ui_phrase"  # judged as "Share on Facebook", not as a URL
    assert "* [Home](https://news.example/) [About](/about)" in removed


def test_segments_keep_the_original_only_when_it_differs() -> None:
    segments = extract_text("* [Home](/)\nPlain line\n    code [x](y)").segments
    assert [(s.text, s.original, s.kind) for s in segments] == [
        ("* Home", "* [Home](/)", "item"),
        ("Plain line", None, "p"),
        ("code [x](y)", None, "code"),
    ]
    assert [s.shown for s in segments] == ["* [Home](/)", "Plain line", "code [x](y)"]


def test_removal_report_and_html_report_show_the_original(tmp_path: Path) -> None:
    segment = Segment("Share", 0, original="[Share](https://x.org/share)")
    segment.drop("heuristic.ui_phrase")
    assert removal_report([segment])[0]["text"] == "[Share](https://x.org/share)"

    source = tmp_path / "page.txt"
    source.write_text(PAGE, encoding="utf-8")
    doc = clean_text(PAGE)
    page = PageView(
        id=doc.id,
        source=str(source),
        site="",
        language="en",
        title="",
        text=doc.text,
        removed=doc.metadata["removed"],
        segments_in=doc.metadata["segments_in"],
        segments_kept=doc.metadata["segments_kept"],
    )
    attach_lines(page)
    assert page.note == ""
    assert page.lines is not None
    assert ("[Share on Facebook](https://facebook.com/sharer?u=https://news.example/bridge)") in [
        text for text, _ in page.lines
    ]


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in extract_text(text).segments]


def test_a_closed_fence_makes_code_of_its_lines() -> None:
    text = "Intro\n~~~~\nx = 1\n\ny = 2\n~~~~~~\n````js\nf(`a`)\n```\n````\nAfter"
    kinds = _kinds(text)
    assert kinds[0] == ("p", "Intro")
    assert [k for k, _ in kinds[1:-1]] == ["code"] * 9  # the blank line inside stays code
    assert kinds[-1] == ("p", "After")


def test_a_fence_that_never_closes_is_a_separator() -> None:
    """A shop's description drawn between lines of tildes: one such line once made the
    rest of the page code, which no cleaner may drop (etsy.com in the corpus)."""
    text = "A handmade mug.\n~~~~~~~~~~~~~\nSize : medium\nAdd to cart\n```\nReviews"
    assert _kinds(text) == [
        ("p", "A handmade mug."),
        ("p", "~~~~~~~~~~~~~"),
        ("p", "Size : medium"),
        ("p", "Add to cart"),
        ("p", "```"),
        ("p", "Reviews"),
    ]


def test_fences_pair_by_character_and_length() -> None:
    """A tilde line does not close a backtick fence, a shorter one does not close a
    longer one, and a backtick fence with a backtick in its info string is inline code."""
    assert [k for k, _ in _kinds("`````\n~~~\n```\nx\n`````")] == ["code"] * 5
    assert [k for k, _ in _kinds("```a`b\nx\n```")] == ["p", "p", "p"]
    assert [k for k, _ in _kinds("~~~\n```\nx\n~~~\n```")] == ["code"] * 4 + ["p"]


def test_many_unclosed_fences_cost_linear_time() -> None:
    """An opener with no closer is remembered, so a page of them is not scanned to its
    end once per line (here 40,000 lines: 800 million comparisons)."""
    lines = [f"{'~' * (3 + i % 50)} x" for i in range(40_000)]
    kinds = _kinds("\n".join(lines))
    assert {k for k, _ in kinds} == {"p"}
