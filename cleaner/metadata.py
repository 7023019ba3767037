"""Page metadata: identity, fingerprint, language and the removal report.

The fingerprint is a 64-bit SimHash over word 3-shingles of the clean text: two copies of
one wire story on two sites differ in a few bits, unrelated texts in about half of them.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urlsplit

from cleaner.cleaners.rules import words
from cleaner.document import Segment

FINGERPRINT_BITS = 64
SHINGLE_WORDS = 3

#: Two fingerprints this close (in differing bits) are near-duplicates. The same Reuters
#: story on two sites (seeds 000 and 001) differs by 8 bits; four other stories on the
#: same topic differ from it and each other by 24 to 34.
NEAR_DUPLICATE_BITS = 12

#: The language identifier is unreliable on less text than this.
MIN_LANGUAGE_CHARS = 40


def content_id(data: bytes) -> str:
    """A stable id for the same input bytes: 16 hex digits of SHA-256.

    >>> content_id(b"hello")
    '2cf24dba5fb0a30e'
    """
    return hashlib.sha256(data).hexdigest()[:16]


def fingerprint(text: str) -> str:
    """SimHash of the text's word 3-shingles, as 16 hex digits.

    >>> fingerprint("the cat sat on the mat") == fingerprint("The cat sat on the mat!")
    True
    """
    tokens = words(text)
    shingles = [
        " ".join(tokens[i : i + SHINGLE_WORDS])
        for i in range(max(1, len(tokens) - SHINGLE_WORDS + 1))
    ]
    counts = [0] * FINGERPRINT_BITS
    for shingle in shingles:
        h = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(FINGERPRINT_BITS):
            counts[bit] += 1 if h >> bit & 1 else -1
    value = sum(1 << bit for bit, c in enumerate(counts) if c > 0)
    return f"{value:016x}"


def hamming(a: str, b: str) -> int:
    """Differing bits between two fingerprints."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_duplicates(a: str, b: str, max_bits: int = NEAR_DUPLICATE_BITS) -> bool:
    return hamming(a, b) <= max_bits


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text."""
    if len(text) < MIN_LANGUAGE_CHARS:
        return None
    import py3langid

    code, _ = py3langid.classify(text[:5000])
    return str(code)


def site_of(url: str | None) -> str | None:
    """The host of a URL without "www.".

    >>> site_of("https://www.reuters.com/world/x"), site_of(None)
    ('reuters.com', None)
    """
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return re.sub(r"^www\d?\.", "", host) or None


def removal_report(segments: list[Segment]) -> list[dict[str, Any]]:
    """Every dropped segment with the cleaner and rule (or score) that dropped it."""
    report = []
    for seg in segments:
        if seg.dropped_by is None:
            continue
        cleaner, _, rule = seg.dropped_by.partition(".")
        entry: dict[str, Any] = {
            "index": seg.index,
            "text": seg.text,
            "cleaner": cleaner,
            "rule": rule,
        }
        if seg.score is not None:
            entry["score"] = round(seg.score, 4)
        report.append(entry)
    return report
