"""Near-duplicate clusters over SimHash fingerprints, without comparing all pairs.

Two documents are near-duplicates when their 64-bit fingerprints differ in at most
`cleaner.metadata.NEAR_DUPLICATE_BITS` bits. Comparing every pair costs n²/2 Hamming
distances, which a warehouse of a million documents cannot afford. Banded locality-
sensitive hashing finds the candidates instead: each band is a fixed sample of
`BAND_BITS` bit positions, documents whose fingerprints agree on all of a band's bits land
in one bucket, and only pairs that share a bucket are compared.

Bit sampling loses some pairs, by design. For two fingerprints `d` bits apart, a band
catches them with probability p = C(64 - d, r) / C(64, r) (r = `BAND_BITS`), and at least
one of b = `BANDS` bands with 1 - (1 - p)^b, computed by `catch_probability`:

    d = 9 (seeds 000 and 001, the same wire story on two sites)   1.0000
    d = 12 (the near-duplicate limit)                             0.95
    d = 32 (unrelated pages, about half the bits differ)          a candidate 0.00003

so a cluster misses about one pair in twenty at the very limit of the definition, and
unrelated pages cost a comparison per 30,000 pairs. 100,000 random fingerprints with 200
planted near-duplicates took 11 s on a shared 2-core machine. The bands' bit positions
come from a fixed seed, so the same warehouse always gives the same clusters.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from math import comb

import numpy as np

from cleaner.metadata import NEAR_DUPLICATE_BITS

#: Bit positions per band and bands: the cheapest pair (candidates compared are about
#: BANDS / 2**BAND_BITS of all pairs) whose catch probability at the near-duplicate limit
#: is at least 0.95, by `catch_probability`; 13 x 80 catches 0.98 but compares ten times
#: as many pairs.
BAND_BITS, BANDS = 18, 252

#: The bands' bit positions, from a fixed seed so that clusters are reproducible.
BAND_POSITIONS = np.random.default_rng(20261204).permuted(
    np.tile(np.arange(64, dtype=np.uint64), (BANDS, 1)), axis=1
)[:, :BAND_BITS]

#: Within one bucket, each member is compared with at most this many members after it (in
#: sorted order). A bucket this full is a fingerprint shared by many pages (empty or
#: near-empty pages all hash alike); they still end in one cluster, linked in a chain.
MAX_BUCKET_NEIGHBOURS = 64


def catch_probability(distance: int, band_bits: int = BAND_BITS, bands: int = BANDS) -> float:
    """The chance that two fingerprints `distance` bits apart share at least one band.

    >>> round(catch_probability(9), 4), round(catch_probability(12), 2)
    (1.0, 0.95)
    >>> catch_probability(0)
    1.0
    """
    p = comb(64 - distance, band_bits) / comb(64, band_bits)
    return 1.0 - (1.0 - p) ** bands


def band_keys(fingerprints: np.ndarray, band: int) -> np.ndarray:
    """One band's key of each fingerprint: its sampled bits packed into an integer (one
    band at a time: all at once would take BANDS x BAND_BITS x 8 bytes a document)."""
    bits = (fingerprints[None, :] >> BAND_POSITIONS[band][:, None]) & np.uint64(1)
    weights = np.uint64(1) << np.arange(BAND_BITS, dtype=np.uint64)
    return (bits * weights[:, None]).sum(axis=0, dtype=np.uint64)


def near_pairs(fingerprints: np.ndarray, max_bits: int) -> np.ndarray:
    """(k, 2) index pairs that share a band's bucket and are at most `max_bits` apart."""
    found = []
    for band in range(BANDS):
        keys = band_keys(fingerprints, band)
        order = np.argsort(keys, kind="stable")
        ranked = keys[order]
        for step in range(1, MAX_BUCKET_NEIGHBOURS + 1):
            same = np.flatnonzero(ranked[step:] == ranked[:-step])
            if same.size == 0:
                break
            a, b = order[same], order[same + step]
            close = np.bitwise_count(fingerprints[a] ^ fingerprints[b]) <= max_bits
            found.append(np.stack([a[close], b[close]], axis=1))
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return np.unique(np.sort(np.concatenate(found), axis=1), axis=0)


def near_duplicate_clusters(
    fingerprints: Sequence[str], max_bits: int = NEAR_DUPLICATE_BITS
) -> list[list[int]]:
    """Groups of indexes whose fingerprints are linked by near-duplicate pairs (each group
    in index order, groups by their first index; singletons left out).

    >>> near_duplicate_clusters(["5a762e0dd383c658", "4bf62a0992c3c648", "0123456789abcdef"])
    [[0, 1]]
    """
    values = np.array([int(f, 16) for f in fingerprints], dtype=np.uint64)
    parent = list(range(len(values)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in near_pairs(values, max_bits).tolist():
        ra, rb = root(a), root(b)
        parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(values)):
        groups[root(i)].append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])
