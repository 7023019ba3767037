"""Fingerprint the cleaner's output on every corpus page, to show that a refactoring
changed nothing (or exactly what it changed).

Each page is cleaned twice: as its HTML, and as the plaintext rendering the line model
trains on (`render_lines`, one visible block a line). For each, the record holds a digest
of the clean text and of the metadata (minus `source`, which names a temporary path), or
the error's type and reason. The lines extraction left out (removals by cleaner
`extract`) have a digest of their own, so that the cleaners' output can be compared with a
snapshot taken before they were recorded. Moving code must leave every digest as it was:

    python -m bench.snapshot --corpus ../shared/corpus --out /tmp/before.jsonl
    ... change the code ...
    python -m bench.snapshot --corpus ../shared/corpus --out /tmp/after.jsonl \
        --compare /tmp/before.jsonl

`--compare` prints the pages whose output differs and exits 1 if there is any.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cleaner import CleanError, clean_html, clean_text
from cleaner.training.corpus import iter_corpus, render_lines


def digest(value: Any) -> str:
    """A short, stable digest of text or of a JSON-serialisable value.

    >>> digest("abc") == digest("abc") != digest("abd")
    True
    """
    data = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def outcome_record(clean: Any, data: Any, url: str | None) -> dict[str, str]:
    """Digests of one cleaning: text and metadata, or the error it raised."""
    try:
        doc = clean(data, url=url)
    except CleanError as error:
        return {"error": f"{type(error).__name__}: {error.reason}"}
    metadata = {k: v for k, v in doc.metadata.items() if k != "source"}
    removed = metadata.get("removed", [])
    metadata["removed"] = [r for r in removed if r.get("cleaner") != "extract"]
    return {
        "text": digest(doc.text),
        "metadata": digest(metadata),
        "extract": digest([r for r in removed if r.get("cleaner") == "extract"]),
    }


def snapshot(corpus: Path) -> Iterator[dict[str, Any]]:
    """One record per corpus page, HTML and plaintext outputs side by side."""
    for page in iter_corpus(corpus):
        data = page.html_path.read_bytes()
        text = "\n".join(render_lines(data))
        yield {
            "page": f"{page.dataset}/{page.id}",
            "html": outcome_record(clean_html, data, page.url),
            "plaintext": outcome_record(clean_text, text, page.url) if text.strip() else {},
        }


def differences(before: Path, after: list[dict[str, Any]]) -> list[str]:
    """The pages whose records differ between two snapshots, with which output changed."""
    old = {r["page"]: r for r in map(json.loads, before.read_text().splitlines())}
    new = {r["page"]: r for r in after}
    lines = [f"{page}: only in {before}" for page in sorted(old.keys() - new.keys())]
    lines += [f"{page}: new page" for page in sorted(new.keys() - old.keys())]
    for page in sorted(old.keys() & new.keys()):
        for mode in ("html", "plaintext"):
            before, after = old[page][mode], new[page][mode]
            shared = before.keys() & after.keys()  # a digest added later is not a change
            if {k: before[k] for k in shared} != {k: after[k] for k in shared}:
                lines.append(f"{page}: {mode} {before} -> {after}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="an earlier snapshot to compare with")
    args = parser.parse_args(argv)
    started = time.monotonic()
    records = list(snapshot(args.corpus))
    args.out.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in records))
    print(f"{len(records)} pages in {time.monotonic() - started:.0f} s -> {args.out}")
    if args.compare is None:
        return 0
    changed = differences(args.compare, records)
    print("\n".join(changed) if changed else f"identical to {args.compare}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
