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
#: over two minutes), so pages beyond ten times the largest real one are read by the
#: project's linear extractor alone (`cleaner.extract.density`), not by trafilatura.
DEFAULT_MAX_ELEMENTS = 100_000

#: The deepest page of the development corpus nests about 416 elements by the estimate of
#: `cleaner.extract.html.nesting_depth`. The HTML parser's time grows with the square of
#: the depth of unclosed elements (10,000 deep: 0.3 s; 20,000: 1.3 s; 100,000: a minute)
#: and cannot be interrupted while it runs, so a page nested beyond ten times the deepest
#: real page is flattened before parsing (`cleaner.extract.repair.flatten_deep`).
DEFAULT_MAX_DEPTH = 5_000

#: A page of the development corpus takes well under a second on average; 30 s is far
#: beyond any real page, yet short enough that a batch of hostile pages still finishes.
#: It bounds Python-level work only: a C parser call cannot be interrupted, which is why
#: the size, element and depth limits above are checked before parsing.
DEFAULT_MAX_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Config:
    """Settings of one cleaning run.

    max_bytes: inputs larger than this raise `TooLargeError`.
    max_elements: HTML with more elements than this skips trafilatura for the linear
        extractor of `cleaner.extract.density`.
    max_depth: HTML nested deeper than this is flattened before it is parsed.
    max_seconds: a page that takes longer raises `TimeLimitError` in `cleaner.runner`
        (0 or less: no limit); see `cleaner.runner.limits.time_limit` for where it applies.
    prune_html: run the selectolax pass that removes obvious furniture before extraction.
    favor_recall: ask trafilatura for more text and let our cleaners remove the rest.
    heuristic: run the rule-based line cleaner.
    learned: run the shipped line model (when one is installed).
    line_threshold: the line model drops a line when its P(boilerplate) is at least this;
        None uses the threshold the model was validated at (`cleaner train` prints what
        lower and higher ones trade: less boilerplate left against more content lost).
    detect_language: run the language identifier (costs about a second on first use).
    disabled_rules: names of rules to skip: line rules (`cleaner.cleaners.rules.RULES`)
        and neighbour rules (`cleaner.cleaners.neighbours.NEIGHBOUR_RULES`), all listed in
        `cleaner.cleaners.heuristic.RULE_NAMES`; an unknown name raises ValueError.
    site_templates: in warehouse batches, drop lines that repeat across the pages of a
        site (`cleaner.cleaners.templates`) and add each page to the site's counts.
    extraction_drops: on HTML pages, list the visible lines extraction left out in the
        removal report (cleaner `extract`); costs a second, cheap render of the page.
    """

    max_bytes: int = DEFAULT_MAX_BYTES
    max_elements: int = DEFAULT_MAX_ELEMENTS
    max_depth: int = DEFAULT_MAX_DEPTH
    max_seconds: float = DEFAULT_MAX_SECONDS
    prune_html: bool = True
    favor_recall: bool = False
    heuristic: bool = True
    learned: bool = True
    line_threshold: float | None = None
    detect_language: bool = True
    disabled_rules: frozenset[str] = frozenset()
    site_templates: bool = True
    extraction_drops: bool = True

    def __post_init__(self) -> None:
        if self.disabled_rules:  # the rules load only when a name needs checking
            from cleaner.cleaners.heuristic import check_rule_names

            check_rule_names(frozenset(self.disabled_rules))
        if self.line_threshold is not None and not 0.0 <= self.line_threshold <= 1.0:
            raise ValueError(
                f"line_threshold must be between 0 and 1 (a probability), "
                f"got {self.line_threshold!r}"
            )


DEFAULT_CONFIG = Config()
