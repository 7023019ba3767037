"""Page metadata helpers: the fingerprint must not drift when its code is made faster,
since stored fingerprints are compared with new ones to find near-duplicates."""

from __future__ import annotations

import hashlib

import pytest

from cleaner.metadata import _word_digest, fingerprint


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # values from the first numpy implementation (commit d6f31f1)
        ("The council approved the budget on Monday after a long debate.", "c417c167b080608e"),
        (
            "Der Stadtrat hat am Montag den Haushalt beschlossen. Die Opposition stimmte dagegen.",
            "f00508c0681a0a00",
        ),
        ("ΟΔΟΣ.Α Σίσυφος and İstanbul’s ſtreet", "b070c71e47c11a9d"),
        ("東京タワーは高さ333メートル", "79c94972ca6e59c8"),
        ("one two", "ba88fe35463e943b"),  # fewer words than a shingle
        ("word", "73beb1ee9e64cc93"),
        ("", "0000000000000000"),
    ],
)
def test_fingerprint_values_are_stable(text: str, expected: str) -> None:
    assert fingerprint(text) == expected


def test_fingerprint_is_the_same_with_a_cold_and_a_warm_word_cache() -> None:
    text = "The council approved the budget on Monday after a long debate. " * 3
    _word_digest.cache_clear()
    cold = fingerprint(text)
    assert fingerprint(text) == cold


def test_word_digest_is_eight_bytes_of_blake2b() -> None:
    for word in ["cat", "straße", "東", "don't"]:
        assert _word_digest(word) == hashlib.blake2b(word.encode(), digest_size=8).digest()
