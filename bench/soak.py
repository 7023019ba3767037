"""Soak test: thousands of hostile documents through `run_batch`, nothing may be lost.

Generates documents of many hostile kinds (empty, whitespace, binary magic numbers, NULs,
invalid UTF-8, legacy encodings, deep nesting, many elements, one long line, scripts
only, JSON, XML, random bytes) mixed with normal pages, cleans them in batches into a
temporary warehouse, and prints what happened:

    inputs, cleaned, quarantined, crashed (exceptions escaping a batch: must be 0),
    lost (inputs in neither zone: must be 0), time per document (median, worst) and
    peak memory.

Run from the project root::

    python -m bench.soak --docs 3000 [--workers N] [--seed S] [--keep]

Exits 1 when anything crashed or was lost, so it can gate a release.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cleaner.config import Config
from cleaner.runner import Outcome, RunOptions, input_id, run_batch
from cleaner.warehouse import Warehouse

#: Inputs per `run_batch` call: an exception escaping a batch costs (and counts) one
#: chunk, not the whole soak, and each chunk writes its own manifest like a DAG task.
CHUNK = 250

#: Sizes are kept moderate so 3,000 documents run in a few minutes on 2 cores, while each
#: kind still crosses the limits that matter: cleaner.config's DEFAULT_MAX_DEPTH (5,000)
#: and DEFAULT_MAX_ELEMENTS (100,000) are exceeded by a tenth of those documents.
MAX_DEPTH_OVER, MAX_ELEMENTS_OVER = 6_000, 110_000
DEPTH_RANGE, ELEMENTS_RANGE = (50, 3_000), (1_000, 20_000)
LONG_LINE_CHARS = (50_000, 400_000)
RANDOM_BYTES = (1, 20_000)

WORDS = (
    "council harbour bridge library market timetable residents decision weeks works "
    "summer autumn reserve fund members meeting debate report road buses planning"
).split()

Generator = Callable[[random.Random, int], bytes]


def sentence(rng: random.Random, n: int, words: int = 14) -> str:
    return f"Story {n}: " + " ".join(rng.choice(WORDS) for _ in range(words)) + "."


def normal_html(rng: random.Random, n: int) -> bytes:
    paragraphs = "".join(f"<p>{sentence(rng, n, 30)}</p>\n" for _ in range(rng.randint(2, 8)))
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Page {n}</title></head>"
        f"<body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article>"
        f"<h1>Page {n}</h1>{paragraphs}</article><footer>Copyright 2025</footer></body></html>"
    ).encode()


def normal_text(rng: random.Random, n: int) -> bytes:
    lines = ["Share", "Home | News | Sport", *(sentence(rng, n, 25) for _ in range(5)), "Comments"]
    return "\n".join(lines).encode()


def empty(rng: random.Random, n: int) -> bytes:
    return b""


def whitespace(rng: random.Random, n: int) -> bytes:
    return "".join(
        rng.choice(" \t\n\r\f\v\u00a0\u2003") for _ in range(rng.randint(1, 500))
    ).encode()


#: Magic numbers of formats a raw zone meets by mistake (from each format's specification).
MAGIC = [b"\x89PNG\r\n\x1a\n", b"%PDF-1.7\n", b"PK\x03\x04", b"\x1f\x8b\x08", b"\xff\xd8\xff\xe0",
         b"GIF89a", b"\x7fELF", b"RIFF\x00\x00\x00\x00WEBP", b"\x00\x00\x01\x00"]  # fmt: skip


def binary_magic(rng: random.Random, n: int) -> bytes:
    return rng.choice(MAGIC) + rng.randbytes(rng.randint(16, 4_000))


def with_nuls(rng: random.Random, n: int) -> bytes:
    text = sentence(rng, n, 40)
    return "\0".join(text[i : i + rng.randint(1, 20)] for i in range(0, len(text), 20)).encode()


def invalid_utf8(rng: random.Random, n: int) -> bytes:
    bad = [b"\xff", b"\xfe", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]
    parts = [sentence(rng, n).encode() + rng.choice(bad) for _ in range(6)]
    return b"<html><body><p>" + b"</p><p>".join(parts) + b"</p></body></html>"


#: Legacy encodings with text they can hold.
LEGACY = [
    ("cp1252", "Caf\u00e9 cr\u00e8me: \u201cna\u00efve\u201d r\u00e9sum\u00e9 \u2013 \u00a3{n}"),
    ("latin-1", "Stra\u00dfe und Gr\u00f6\u00dfe, Nr. {n}, \u00e4u\u00dferst sch\u00f6n"),
    ("shift_jis", "\u65e5\u672c\u8a9e\u306e\u8a18\u4e8b\u3067\u3059\u3002\u756a\u53f7{n}"),
    ("koi8-r", "\u0420\u0443\u0441\u0441\u043a\u0438\u0439 \u0442\u0435\u043a\u0441\u0442 {n}"),
    ("gb2312", "\u4e2d\u6587\u65b0\u95fb\u62a5\u9053\uff0c\u7f16\u53f7{n}"),
    ("utf-16", "UTF-16 with a byte order mark, number {n}"),
]


def legacy_encoding(rng: random.Random, n: int) -> bytes:
    encoding, text = rng.choice(LEGACY)
    body = " ".join([text.format(n=n)] * rng.randint(3, 30))
    declare = rng.random() < 0.5 and encoding != "utf-16"
    meta = f"<meta charset='{encoding}'>" if declare else ""
    return f"<html><head>{meta}</head><body><p>{body}</p></body></html>".encode(encoding)


def deep_nesting(rng: random.Random, n: int) -> bytes:
    depth = MAX_DEPTH_OVER if rng.random() < 0.1 else rng.randint(*DEPTH_RANGE)
    tag = rng.choice(["div", "span", "b", "table", "li"])
    return f"<html><body>{f'<{tag}>' * depth}{sentence(rng, n)}{f'</{tag}>' * depth}".encode()


def many_elements(rng: random.Random, n: int) -> bytes:
    count = MAX_ELEMENTS_OVER if rng.random() < 0.1 else rng.randint(*ELEMENTS_RANGE)
    cells = "".join(f"<span>{i}</span>" for i in range(count))
    return f"<html><body><p>{sentence(rng, n)}</p>{cells}</body></html>".encode()


def long_line(rng: random.Random, n: int) -> bytes:
    size = rng.randint(*LONG_LINE_CHARS)
    words, length = [f"Line {n}"], 0
    while length < size:
        words.append(rng.choice(WORDS))
        length += len(words[-1]) + 1
    return " ".join(words).encode()


def scripts_only(rng: random.Random, n: int) -> bytes:
    scripts = "".join(
        f"<script>var x{i} = {n}; document.write('{rng.choice(WORDS)}');</script>"
        for i in range(rng.randint(1, 50))
    )
    return f"<html><head>{scripts}</head><body>{scripts}<style>p{{}}</style></body></html>".encode()


def json_doc(rng: random.Random, n: int) -> bytes:
    record = {"id": n, "items": [{"text": sentence(rng, n)} for _ in range(rng.randint(1, 40))]}
    return json.dumps(record).encode()


def xml_doc(rng: random.Random, n: int) -> bytes:
    items = "".join(
        f"<item><title>{sentence(rng, n, 5)}</title><description>{sentence(rng, n)}"
        "</description></item>"
        for _ in range(rng.randint(1, 30))
    )
    return f'<?xml version="1.0"?><rss><channel>{items}</channel></rss>'.encode()


def random_bytes(rng: random.Random, n: int) -> bytes:
    return rng.randbytes(rng.randint(*RANDOM_BYTES))


#: Every kind, by name; normal pages are listed twice so a third of the inputs are sane.
KINDS: dict[str, Generator] = {
    "normal_html": normal_html,
    "normal_html_2": normal_html,
    "normal_text": normal_text,
    "empty": empty,
    "whitespace": whitespace,
    "binary_magic": binary_magic,
    "nuls": with_nuls,
    "invalid_utf8": invalid_utf8,
    "legacy_encoding": legacy_encoding,
    "deep_nesting": deep_nesting,
    "many_elements": many_elements,
    "long_line": long_line,
    "scripts_only": scripts_only,
    "json": json_doc,
    "xml": xml_doc,
    "random_bytes": random_bytes,
}


def generate(folder: Path, docs: int, seed: int) -> dict[Path, str]:
    """Write `docs` documents into `folder`, round-robin over the kinds; returns path->kind."""
    rng = random.Random(seed)
    kinds = list(KINDS)
    written: dict[Path, str] = {}
    for n in range(docs):
        kind = kinds[n % len(kinds)]
        path = folder / f"{n:05d}-{kind}.raw"
        path.write_bytes(KINDS[kind](rng, n))
        written[path] = kind
    return written


def soak(inputs: dict[Path, str], warehouse: Warehouse, workers: int, config: Config) -> dict:
    """Clean `inputs` in chunks; returns the figures the script prints."""
    seconds: list[tuple[float, str]] = []
    statuses: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    crashed: list[str] = []

    def seen(outcome: Outcome, status: str) -> None:
        seconds.append((outcome.seconds, Path(outcome.source).name))
        if outcome.error is not None:
            reasons[outcome.error.kind] += 1

    paths = list(inputs)
    started = time.perf_counter()
    for start in range(0, len(paths), CHUNK):
        chunk = paths[start : start + CHUNK]
        try:
            manifest = run_batch(chunk, warehouse, f"soak-{start:05d}", RunOptions(workers=workers, config=config, on_outcome=seen))  # fmt: skip
        except Exception as exc:  # the one thing that must never happen
            crashed.append(f"chunk {start}: {type(exc).__name__}: {exc}")
            continue
        for key in ("cleaned", "skipped", "quarantined"):
            statuses[key] += manifest[key]
    wall = time.perf_counter() - started
    return {
        "wall": wall,
        "statuses": statuses,
        "reasons": reasons,
        "crashed": crashed,
        "seconds": seconds,
        **account(inputs, warehouse),
    }


def account(inputs: dict[Path, str], warehouse: Warehouse) -> dict[str, Any]:
    """Where each input ended: exactly one of the zones, by its content id."""
    lost, both = [], []
    for path in inputs:
        doc_id = input_id(path)
        clean = warehouse.clean_path(doc_id, ".json").exists()
        held = warehouse.quarantine_path(doc_id).exists()
        if clean and held:
            both.append(path.name)
        elif not (clean or held):
            lost.append(path.name)
    return {"lost": lost, "both": both}


def peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def report(result: dict, inputs: dict[Path, str], workers: int) -> None:
    times = sorted(result["seconds"])
    median = statistics.median(t for t, _ in times) if times else 0.0
    worst, worst_name = times[-1] if times else (0.0, "-")
    own, children = peak_rss_mb()
    statuses = result["statuses"]
    print(f"inputs       {len(inputs)}  ({len(KINDS)} kinds, workers={workers})")
    print(f"cleaned      {statuses['cleaned']}")
    print(f"skipped      {statuses['skipped']}  (same bytes as an earlier input)")
    print(f"quarantined  {statuses['quarantined']}  {dict(result['reasons'].most_common())}")
    print(f"crashed      {len(result['crashed'])}")
    print(f"lost         {len(result['lost'])}")
    print(f"in both      {len(result['both'])}")
    print(f"time/doc     median {median * 1000:.1f} ms, worst {worst:.2f} s ({worst_name})")
    print(f"wall         {result['wall']:.1f} s")
    print(f"peak memory  {own:.0f} MB (main), {children:.0f} MB (largest worker)")
    for line in result["crashed"] + [f"lost: {n}" for n in result["lost"][:20]]:
        print(f"  {line}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=3000, help="documents to generate")
    parser.add_argument("--workers", type=int, default=1, help="cleaning processes")
    parser.add_argument("--seed", type=int, default=20251123, help="generator seed")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--no-language", action="store_true", help="skip language detection")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="cleaner-soak-"))
    try:
        (folder / "raw").mkdir()
        started = time.perf_counter()
        inputs = generate(folder / "raw", args.docs, args.seed)
        print(f"generated    {len(inputs)} documents in {time.perf_counter() - started:.1f} s")
        config = Config(detect_language=not args.no_language)
        result = soak(inputs, Warehouse(folder / "warehouse"), args.workers, config)
        report(result, inputs, args.workers)
        return 1 if result["crashed"] or result["lost"] or result["both"] else 0
    finally:
        if args.keep:
            print(f"kept         {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
