"""Page metadata: identity, fingerprint, language and the removal report.

The fingerprint is a 64-bit SimHash over word 3-shingles of the clean text: two copies of
one wire story on two sites differ in a few bits, unrelated texts in about half of them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from cleaner.document import Segment
from cleaner.tokens import tokenise

FINGERPRINT_BITS = 64
SHINGLE_WORDS = 3

#: Two fingerprints this close (in differing bits) are near-duplicates. The same Reuters
#: story on two sites (seeds 000 and 001) differs by 9 bits; four other stories on the
#: same topic differ from it and each other by 26 to 43.
NEAR_DUPLICATE_BITS = 12

#: The language identifier is unreliable on less text than this.
MIN_LANGUAGE_CHARS = 40

#: The identifier reads this much of the text: its cost grows with the length, and two
#: thousand characters (a few paragraphs) are far more than it needs to be sure.
LANGUAGE_SAMPLE_CHARS = 2000


def content_id(data: bytes) -> str:
    """A stable id for the same input bytes: 16 hex digits of SHA-256.

    >>> content_id(b"hello")
    '2cf24dba5fb0a30e'
    """
    return hashlib.sha256(data).hexdigest()[:16]


def fingerprint(text: str) -> str:
    """SimHash of the text's word 3-shingles, as 16 hex digits.

    Each distinct word is hashed once (BLAKE2b, remembered across pages, since most words
    of a page occur on many others too); a shingle's hash mixes its three word hashes with the
    splitmix64 finaliser, in numpy, so a long article costs a millisecond rather than a
    hash call and a 64-step loop per shingle.

    >>> fingerprint("the cat sat on the mat") == fingerprint("The cat sat on the mat!")
    True
    >>> fingerprint("")
    '0000000000000000'
    """
    return token_fingerprint(tokenise(text))  # not `words`: a body would crowd the line cache


def token_fingerprint(tokens: Sequence[str]) -> str:
    """`fingerprint` of a text given as its tokens (`cleaner.tokens.tokenise`): the
    pipeline has the tokens of every kept line already, and a body's tokens are its lines'.
    """
    if not tokens:
        return f"{0:016x}"
    ids = np.frombuffer(b"".join(map(_word_digest, tokens)), dtype=">u8").astype(np.uint64)
    n = max(1, len(ids) - SHINGLE_WORDS + 1)
    mixed = np.zeros(n, dtype=np.uint64)
    for offset, multiplier in enumerate(_SHINGLE_MULTIPLIERS):
        part = ids[offset : offset + n]
        mixed[: len(part)] += part * multiplier  # wraps around modulo 2**64, as meant
    bits = np.unpackbits(_splitmix64(mixed).view(np.uint8).reshape(n, 8), axis=1)
    votes = 2 * bits.sum(axis=0, dtype=np.int64) - n  # per bit: shingles with 1 minus with 0
    value = int(np.packbits(votes > 0).view(">u8")[0])
    return f"{value:016x}"


#: Distinct words whose hashes are remembered: a page has a few hundred, a language's
#: common words a few thousand.
WORD_HASH_CACHE_SIZE = 32768


@lru_cache(maxsize=WORD_HASH_CACHE_SIZE)
def _word_digest(word: str) -> bytes:
    """A word's 64-bit hash as 8 bytes of BLAKE2b digest (read big-endian by `fingerprint`).

    Looked up once per word occurrence: a cache hit costs less than building the page's
    vocabulary first and mapping the words back to it.

    >>> _word_digest("cat") == hashlib.blake2b(b"cat", digest_size=8).digest()
    True
    """
    return hashlib.blake2b(word.encode(), digest_size=8).digest()


#: Odd 64-bit constants that weigh a shingle's three words differently (word order counts).
_SHINGLE_MULTIPLIERS = tuple(
    np.uint64(c) for c in (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9)
)


def _splitmix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: every input bit flips about half the output bits."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def hamming(a: str, b: str) -> int:
    """Differing bits between two fingerprints."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


def near_duplicates(a: Any, b: Any, max_bits: int = NEAR_DUPLICATE_BITS) -> bool:
    """Whether two documents are near-duplicates; each may be a `Document`, its metadata,
    or its fingerprint.

    >>> near_duplicates("5a762e0dd383c658", {"fingerprint": "4bf62a0992c3c648"})
    True
    """
    return hamming(_fingerprint_of(a), _fingerprint_of(b)) <= max_bits


def _fingerprint_of(item: Any) -> str:
    if isinstance(item, str):
        return item
    metadata = getattr(item, "metadata", item)  # a Document, or its metadata
    try:
        return str(metadata["fingerprint"])
    except (KeyError, TypeError):
        raise TypeError(
            f"expected a Document, its metadata or a fingerprint, not {type(item).__name__}"
        ) from None


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text."""
    if len(text) < MIN_LANGUAGE_CHARS:
        return None
    from cleaner.language_id import classify  # py3langid's answer, in half its time

    return classify(text[:LANGUAGE_SAMPLE_CHARS])


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
    """Every dropped segment, as the input had it, with the cleaner and rule (or score)
    that dropped it."""
    report = []
    for seg in segments:
        if seg.dropped_by is None:
            continue
        cleaner, _, rule = seg.dropped_by.partition(".")
        entry: dict[str, Any] = {
            "index": seg.index,
            "text": seg.shown,
            "cleaner": cleaner,
            "rule": rule,
        }
        if seg.score is not None:
            entry["score"] = round(seg.score, 4)
        report.append(entry)
    return report
