"""How well the plaintext title finder finds a page's title.

Each page is rendered as a naive scraper saves it (`cleaner.training.corpus.render_lines`), cleaned
with `cleaner.clean_text` (with the page's URL, as `bench.run`'s plaintext mode does, unless
``--no-url``), and the title in the result's metadata is compared with the gold title:

* exact: the same lower-cased `\\w+` tokens;
* match: exact, or the gold title's tokens occur as a run in the found title's (a found
  "Headline | Site" matches the gold "Headline");
* token F1: bag-of-words F1 of the two titles, averaged over pages.

Gold titles come from the gold records' "title" (wcxb has them). With ``--proxy``, pages
without one are scored against the title their HTML declares (og:title, JSON-LD headline,
`<title>` without its site suffix; `cleaner.extract.meta`): a proxy, since the visible
headline can differ from it, reported apart from the real gold. Each miss is put in one
category (`category`), to show what the finder takes instead of the title.

Run from the project root::

    python -m bench.titles --corpus ../shared/corpus/wcxb-dev-sample [--no-url] [--proxy] [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from bench.run import bow_scores
from cleaner import clean_text
from cleaner.errors import CleanError
from cleaner.extract.meta import page_metadata
from cleaner.title_finder import site_labels
from cleaner.training.corpus import contains_tokens, decode_html, iter_corpus, render_lines, tokens

#: A miss whose token F1 with the gold reaches this is a near miss ("Buy MacBook Air" for
#: "Pre-order MacBook Air"), not a wrong line.
NEAR_MISS_F1 = 0.5

#: A found title of at most this many words that is not the title is a label or menu entry.
LABEL_WORDS = 3


@dataclass
class Row:
    dataset: str
    id: str
    gold_kind: str  # "gold" or "proxy"
    url: str | None
    gold: str
    found: str | None
    source: str | None  # the metadata's title_source, or "error"
    exact: bool
    match: bool
    f1: float
    category: str  # "ok" for a match


def evaluate(corpus: Path, use_url: bool = True, proxy: bool = False) -> list[Row]:
    rows = []
    for page in iter_corpus(corpus):
        data = page.html_path.read_bytes()
        gold, kind = page.title, "gold"
        if gold is None and proxy:
            gold, kind = declared_title(data, page.url), "proxy"
        if not gold or not tokens(gold):
            continue
        lines = render_lines(data)
        try:
            meta = clean_text("\n".join(lines), url=page.url if use_url else None).metadata
            found, source = meta["title"], meta["title_source"]
        except CleanError:  # nothing left after cleaning
            found, source = None, "error"
        exact, match = compare(found, gold)
        f1 = bow_scores(found or "", gold).f1
        row = Row(
            page.dataset, page.id, kind, page.url, gold, found, source, exact, match, f1, "ok"
        )
        if not match:
            row.category = categorise(found, source, gold, f1, page.url, lines)
        rows.append(row)
    return rows


def declared_title(data: bytes, url: str | None) -> str | None:
    """The title the page's HTML declares, as `cleaner.clean_html` reads it."""
    return page_metadata(LexborHTMLParser(decode_html(data)), url)["title"]


def compare(found: str | None, gold: str) -> tuple[bool, bool]:
    """(exact, match) as defined in the module docstring.

    >>> compare("Harbour bridge to close | Daily Example", "Harbour Bridge to close")
    (False, True)
    """
    got, want = tokens(found or ""), tokens(gold)
    exact = got == want
    return exact, exact or contains_tokens(got, want)


def categorise(
    found: str | None, source: str | None, gold: str, f1: float, url: str | None, lines: list[str]
) -> str:
    """What was taken instead of the title, checked in this order."""
    if found is None:
        return "nothing found"
    if source == "lead":
        return "lead-made title"
    if f1 >= NEAR_MISS_F1:
        return "near miss (token F1 >= 0.5)"
    if names_site(found, url):
        return "line naming the site"
    if len(tokens(found)) <= LABEL_WORDS:
        return "short label or menu entry"
    want = tokens(gold)
    if any(contains_tokens(tokens(line), want) for line in lines):
        return "other line (the title is a line of the page)"
    return "other line (the title is no line of the page)"


def names_site(text: str, url: str | None) -> bool:
    """Whether the line holds the host's name ("MS Society UK | Forum" on mssociety.org.uk,
    "Get the Reddit app"): a looser test than the finder's masthead rule, for counting.

    >>> names_site("Get the Reddit app", "https://www.reddit.com/r/x"), names_site("Log in", None)
    (True, False)
    """
    glued = "".join(tokens(text))
    return any(label in glued for label in site_labels(url))


def report(rows: list[Row]) -> str:
    out = []
    groups: dict[str, list[Row]] = {}
    for row in rows:
        groups.setdefault(f"{row.dataset} ({row.gold_kind} titles)", []).append(row)
    for name, group in sorted(groups.items()):
        n = len(group)
        exact, match = sum(r.exact for r in group), sum(r.match for r in group)
        f1 = sum(r.f1 for r in group) / n
        out.append(f"## {name}: {n} pages")
        out.append(f"exact {exact}/{n} = {exact / n:.3f}   match {match}/{n} = {match / n:.3f}")
        out.append(f"mean token F1 {f1:.3f}")
        for category, count in Counter(r.category for r in group).most_common():
            out.append(f"  {count:4d}  {category}")
        out.append("")
    return "\n".join(out)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.titles", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--corpus", type=Path, required=True, help="a dataset or a folder of them")
    parser.add_argument("--no-url", action="store_true", help="clean without the page's URL")
    parser.add_argument("--proxy", action="store_true", help="score pages without gold titles too")
    parser.add_argument("--show", action="store_true", help="print every miss")
    parser.add_argument("--json", type=Path, help="write every page's row here")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    rows = evaluate(args.corpus, use_url=not args.no_url, proxy=args.proxy)
    print(report(rows))
    if args.show:
        for r in rows:
            if not r.match:
                print(f"{r.dataset}/{r.id} [{r.category}] {r.url}")
                print(f"    gold:  {r.gold}\n    found: {r.found!r} ({r.source})")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
