"""Regenerate the golden outputs in samples/expected/ from the pages in samples/raw/.

    python samples/regenerate.py            # every sample except the known failures
    python samples/regenerate.py STEM...    # only these samples (known failures too)

For each raw page `<stem>.<ext>` this writes `expected/<stem>.txt` (the clean text,
`Document.text` plus a final newline) and `expected/<stem>.json` (a small, stable subset
of the metadata). `tests/test_samples.py` compares with exactly these two functions, so
what this script writes is what the golden test checks.

Samples listed in `KNOWN_FAILURES` in tests/test_samples.py are skipped unless named:
their expected files were written by hand to say what the cleaner *should* produce, and
regenerating them would overwrite that with the current, wrong output. Review every diff
by eye before committing it: the expected files are the specification.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from cleaner import Document, clean_file

SAMPLES = Path(__file__).resolve().parent
RAW = SAMPLES / "raw"
EXPECTED = SAMPLES / "expected"

#: Metadata keys compared by the golden test: stable across runs and machines (no paths,
#: ids of the raw bytes or versions), and each says something about cleaning quality.
METADATA_KEYS = ("title", "author", "format", "language", "word_count")


def raw_pages() -> list[Path]:
    """The sample inputs, sorted by name (hidden files skipped)."""
    return sorted(p for p in RAW.iterdir() if p.is_file() and not p.name.startswith("."))


def expected_text(doc: Document) -> str:
    """The content of `expected/<stem>.txt`."""
    return doc.text + "\n"


def expected_metadata(doc: Document) -> dict[str, Any]:
    """The content of `expected/<stem>.json`, as a dict."""
    subset: dict[str, Any] = {key: doc.metadata.get(key) for key in METADATA_KEYS}
    subset["removed"] = [
        {"text": entry["text"], "reason": f"{entry['cleaner']}.{entry['rule']}"}
        for entry in doc.metadata["removed"]
    ]
    return subset


def dump_metadata(subset: dict[str, Any]) -> str:
    """The exact bytes (as text) of `expected/<stem>.json`."""
    return json.dumps(subset, ensure_ascii=False, indent=2) + "\n"


def _known_failures() -> dict[str, str]:
    """Stem -> reason of the samples listed in KNOWN_FAILURES in tests/test_samples.py."""
    path = SAMPLES.parent / "tests" / "test_samples.py"
    spec = importlib.util.spec_from_file_location("_golden_test_samples", path)
    if spec is None or spec.loader is None:
        return {}
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return {
        stem: getattr(known, "reason", str(known)) for stem, known in module.KNOWN_FAILURES.items()
    }


def main(argv: list[str]) -> int:
    wanted = set(argv)
    known = _known_failures()
    pages = raw_pages()
    unknown = wanted - {p.stem for p in pages}
    if unknown:
        print(f"regenerate: no sample named {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    EXPECTED.mkdir(exist_ok=True)
    for page in pages:
        if wanted and page.stem not in wanted:
            continue
        if not wanted and page.stem in known:
            print(f"skip  {page.stem} (known failure: {known[page.stem]})")
            continue
        doc = clean_file(page)
        (EXPECTED / f"{page.stem}.txt").write_text(expected_text(doc), encoding="utf-8")
        (EXPECTED / f"{page.stem}.json").write_text(
            dump_metadata(expected_metadata(doc)), encoding="utf-8"
        )
        print(f"wrote {page.stem}: {doc.metadata['word_count']} words")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
