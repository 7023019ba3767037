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


LANGUAGE_SAMPLES = [
    "The council approved the budget on Monday after a long debate about schools.",
    "Der Rat hat den Haushalt am Montag nach einer langen Debatte beschlossen.",
    "Le conseil a approuvé le budget lundi après un long débat sur les écoles.",
    "El consejo aprobó el presupuesto el lunes tras un largo debate sobre las escuelas.",
    "Совет утвердил бюджет в понедельник после долгих дебатов о школах.",
    "理事会は月曜日、学校をめぐる長い議論の末に予算を承認した。",
    "市议会周一在关于学校的长时间辩论后批准了预算。",
    "Η ΣΥΝΕΛΕΥΣΗ ΕΝΕΚΡΙΝΕ ΤΟΝ ΠΡΟΫΠΟΛΟΓΙΣΜΟ ΤΗ ΔΕΥΤΕΡΑ.",
    "مجلس المدينة وافق على الميزانية يوم الاثنين بعد نقاش طويل",
    "12345 67890 !!! ??? ... --- 2026-12-04 10:00",
    "x",
    "İstanbul'da belediye meclisi bütçeyi pazartesi günü onayladı.",
    "Share | Tweet | Email\n\nCookies help us deliver our services. " * 40,
]


@pytest.mark.parametrize("text", LANGUAGE_SAMPLES)
def test_language_id_gives_py3langids_answer(text: str) -> None:
    import py3langid

    from cleaner.language_id import classify

    assert classify(text) == py3langid.classify(text)[0]


def test_language_id_walk_matches_py3langids_loop() -> None:
    """The states computed for all positions at once are those of py3langid's own loop,
    on bytes of every value (random bytes take the automaton's rare paths)."""
    import random

    import numpy as np
    import py3langid.langid as langid

    from cleaner.language_id import _feature_counts, _tables

    identifier = langid._get_identifier()
    rng = random.Random(4)
    texts = [s.encode("utf-8") for s in LANGUAGE_SAMPLES]
    texts += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))) for _ in range(50)]
    for data in texts:
        expected = langid.visit_counts(
            identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, data
        )
        counted = _feature_counts(_tables(identifier), data)
        if expected is None:
            assert counted is None
            continue
        assert counted is not None
        features, counts = counted
        assert features.tolist() == list(expected)
        assert counts.tolist() == list(expected.values())
        assert counts.dtype == np.float32


def test_pipeline_fingerprint_is_the_bodys() -> None:
    """The pipeline fingerprints the kept lines' tokens; they must be the body's."""
    from pathlib import Path

    from cleaner import Config, clean_file, clean_text

    rules = Config(learned=False)  # which lines are kept does not matter here
    samples = sorted(Path(__file__).parent.parent.joinpath("samples/raw").iterdir())
    docs = [clean_file(path, config=rules) for path in samples]
    # letters that lower by their neighbours (final sigma, dotted capital I); a Markdown
    # link, judged as its text and shown as written
    docs.append(
        clean_text(
            "ΟΔΟΣ ΑΘΗΝΩΝ: Η ΣΥΝΕΛΕΥΣΗ ΕΝΕΚΡΙΝΕ ΤΟΝ ΠΡΟΫΠΟΛΟΓΙΣΜΟ ΤΗ ΔΕΥΤΕΡΑ ΜΕΤΑ ΑΠΟ ΣΥΖΗΤΗΣΗ.\n"
            "İstanbul'da belediye meclisi bütçeyi pazartesi günü onayladı ve\n"
            "yeni okullar için kaynak ayırdı.\n"
            "Read the [full report](https://x.example/r) on the council's site before Friday.\n",
            config=rules,
        )
    )
    assert len(docs) > 5
    for doc in docs:
        assert doc.metadata["fingerprint"] == fingerprint(doc.text), doc.metadata["source"]
