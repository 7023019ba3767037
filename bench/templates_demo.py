"""Site templates on a synthetic site: what they drop, and what they lose, as pages arrive.

A generated news site of 200 pages. Every page has the same 8 header, menu and footer
lines, varied the way real ones are (dates, counters, a company number; on a quarter of
the pages an extra menu entry during an election), a unique headline, 5-15 unique
paragraphs built from a word list, and on ~90% of the pages an inserted newsletter pitch
between two paragraphs. Real lines that recur: a "What happens next" heading between
paragraphs on ~55% of pages, a reporter's sign-off on ~35%, a "Key points" heading on
~30%, `"No," she said.` on ~3%.

Pages are fed one at a time: observe the page, then judge it with the counts so far
(`cleaner.cleaners.templates.judge`, alone: no other cleaner runs, so every drop is the
templates'). At 5, 20, 100 and 200 pages it prints, for the pages since the previous
mark and for all pages so far, how many template lines were dropped and how many real
lines were lost. Run from the project root::

    python -m bench.templates_demo [--pages 200] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from dataclasses import dataclass, field

from cleaner.cleaners import PageContext
from cleaner.cleaners.templates import SiteTemplates, judge
from cleaner.config import Config
from cleaner.document import Segment

SITE = "riverside.example"
CHECKPOINTS = (5, 20, 100, 200)

WORDS = (
    "council harbour bridge budget school river market station library museum ferry park "
    "hospital theatre stadium tunnel orchard quarry mill chapel bakery pier lighthouse canal "
    "airport depot reservoir cinema college clinic forest meadow residents officials plans "
    "proposal vote funding repairs closure traffic weather flooding storm summer winter "
    "volunteers teachers nurses drivers farmers workers families children visitors tourists "
    "mayor committee report survey review inquiry decision agreement contract scheme project "
    "approved rejected delayed announced discussed criticised welcomed opened closed moved "
    "rising falling local regional national new old small large early late busy quiet"
).split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October".split()

PITCH = "Sign up for our free morning newsletter."
RECURRING = {  # line: (share of pages, where it goes)
    "What happens next": (0.55, "middle"),
    "Reporting by Jane Smith; editing by Tom Brown.": (0.35, "end"),
    "Key points": (0.30, "start"),
    '"No," she said.': (0.03, "middle"),
}


def sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, rng.randint(8, 22))
    return " ".join(words).capitalize() + "."


def headline(rng: random.Random) -> str:
    return " ".join(w.capitalize() for w in rng.sample(WORDS, rng.randint(6, 10)))


def header(rng: random.Random, n: int) -> list[str]:
    menu = "Home | News | Sport | Business | Opinion | Contact"
    if 120 <= n < 170:
        menu += " | Elections"
    return [
        "Skip to main content",
        f"The Riverside Gazette · {rng.choice(DAYS)}, {rng.randint(1, 28)} "
        f"{rng.choice(MONTHS)} {rng.choice((2023, 2024))}",
        menu,
        f"Sign in · {rng.randint(200, 20_000):,} readers online now",
    ]


def footer(rng: random.Random) -> list[str]:
    return [
        f"© {rng.choice((2023, 2024))} Riverside Media Ltd. All rights reserved.",
        "Privacy Policy | Cookie Settings | Terms of Use",
        "Riverside Media Ltd is registered in England under company number "
        f"{rng.randint(1_000_000, 9_999_999)} at 1 Quay Street, Riverside.",
        f"Page generated in 0.{rng.randint(10, 999)} seconds",
    ]


def page(rng: random.Random, n: int) -> tuple[list[str], set[int], int]:
    """The page's lines, the positions of its template lines, and its title's position."""
    paragraphs = [" ".join(sentence(rng) for _ in range(rng.randint(1, 3)))]
    paragraphs += [sentence(rng) for _ in range(rng.randint(4, 14))]
    for line, (share, where) in RECURRING.items():
        if rng.random() < share:
            at = {"start": 0, "end": len(paragraphs)}.get(where)
            paragraphs.insert(rng.randint(1, len(paragraphs) - 1) if at is None else at, line)
    top, bottom = header(rng, n), footer(rng)
    title = headline(rng)
    lines = [*top, title, *paragraphs]
    template = set(range(len(top))) | set(range(len(lines), len(lines) + len(bottom)))
    if rng.random() < 0.9:
        at = len(top) + 1 + rng.randint(1, len(paragraphs) - 1)
        lines.insert(at, PITCH)
        template = {i + (i >= at) for i in template} | {at}
    lines += bottom
    return lines, template, len(top)


@dataclass
class Tally:
    template: int = 0
    template_dropped: int = 0
    real: int = 0
    real_lost: int = 0
    lost: Counter[str] = field(default_factory=Counter)
    left: Counter[str] = field(default_factory=Counter)

    def add(self, segs: list[Segment], template: set[int]) -> None:
        for seg in segs:
            if seg.index in template:
                self.template += 1
                self.template_dropped += not seg.kept
                if seg.kept:
                    self.left[seg.text if seg.text in (PITCH,) else seg.text[:32]] += 1
            else:
                self.real += 1
                self.real_lost += not seg.kept
                if not seg.kept:
                    self.lost[seg.text[:48]] += 1

    def row(self) -> str:
        return (
            f"template dropped {self.template_dropped:4d}/{self.template:<4d}"
            f" ({_pct(self.template_dropped, self.template)})"
            f"  real lost {self.real_lost:3d}/{self.real:<5d}"
            f" ({_pct(self.real_lost, self.real)})"
        )


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "  n/a"


def run(pages: int, seed: int) -> None:
    rng = random.Random(seed)
    templates = SiteTemplates()
    window, total = Tally(), Tally()
    previous = 0
    for n in range(1, pages + 1):
        lines, template, title_index = page(rng, n)
        segs = [Segment(text=t, index=i) for i, t in enumerate(lines)]
        context = PageContext(
            source=f"page-{n}",
            format="text",
            config=Config(),
            title=lines[title_index],
            title_index=title_index,
            site=SITE,
        )
        templates.observe(f"page-{n}", segs)
        judge(segs, context, templates)
        window.add(segs, template)
        total.add(segs, template)
        if n in CHECKPOINTS or n == pages:
            if previous:
                print(f"pages {previous + 1:3d}-{n:<3d}  {window.row()}")
            print(f"pages   1-{n:<3d}  {total.row()}")
            if window.lost:
                print(f"    real lines lost: {dict(window.lost.most_common(5))}")
            if window.left and window.template_dropped:
                print(f"    template lines left: {dict(window.left.most_common(3))}")
            window, previous = Tally(), n
    print(f"site: {templates.pages} pages observed, {len(templates.counts)} keys stored")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    run(args.pages, args.seed)


if __name__ == "__main__":
    main()
