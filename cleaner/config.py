"""One frozen configuration, passed down explicitly; vary it with `dataclasses.replace`.

Environment variables and Airflow params are read only at the edges (cli, dags) and
turned into a `Config` there; nothing below this module reads globals.
"""

from __future__ import annotations

from dataclasses import dataclass

#: 20 MB covers the largest page in the development corpus (about 4 MB) five times over;
#: larger inputs are almost always binaries or dumps, and would make lxml slow.
DEFAULT_MAX_BYTES = 20_000_000

#: The largest page of the development corpus has 9,750 elements; trafilatura's time grows
#: faster than linearly with the element count (100,000 tiny elements: 9 s; a million:
#: over two minutes), so pages beyond ten times the largest real one are refused.
DEFAULT_MAX_ELEMENTS = 100_000


@dataclass(frozen=True, slots=True)
class Config:
    """Settings of one cleaning run.

    max_bytes: inputs larger than this raise `TooLargeError`.
    max_elements: HTML with more elements than this raises `TooLargeError`.
    prune_html: run the selectolax pass that removes obvious furniture before extraction.
    favor_recall: ask trafilatura for more text and let our cleaners remove the rest.
    heuristic: run the rule-based line cleaner.
    learned: run the shipped line model (when one is installed).
    detect_language: run the language identifier (costs about a second on first use).
    disabled_rules: names from `cleaner.cleaners.rules.RULES` to skip.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_elements: int = DEFAULT_MAX_ELEMENTS
    prune_html: bool = True
    favor_recall: bool = False
    heuristic: bool = True
    learned: bool = True
    detect_language: bool = True
    disabled_rules: frozenset[str] = frozenset()


DEFAULT_CONFIG = Config()
