"""Language packs: every pack fills every field, or says why not; the rules are built
from the packs, so a pack's words reach the rules without touching them."""

from __future__ import annotations

import re
from dataclasses import fields

import pytest

from cleaner.cleaners.rules import RULES
from cleaner.languages import (
    PACKS,
    VOCABULARY_FIELDS,
    Absent,
    LanguagePack,
    alternatives,
    entries,
)
from cleaner.languages.pack import function_words_only

#: Fields compared with a line's words; every other vocabulary field is regex fragments.
WORD_FIELDS = ("ui_words", "ui_filler_words", "related_headers", "function_words")

PACK_FIELDS = [
    pytest.param(code, name, id=f"{code}.{name}") for code in PACKS for name in VOCABULARY_FIELDS
]


@pytest.mark.parametrize(("code", "name"), PACK_FIELDS)
def test_every_pack_fills_every_field_or_says_why_not(code: str, name: str) -> None:
    value = getattr(PACKS[code], name)
    assert isinstance(value, tuple)
    if isinstance(value, Absent):
        assert len(value) == 0 and value.reason.strip()
    else:
        assert value, f"{code}.{name} is empty without a reason: use Absent(reason)"
        assert all(isinstance(entry, str) and entry.strip() == entry != "" for entry in value)


@pytest.mark.parametrize(("code", "name"), PACK_FIELDS)
def test_pack_entries_are_lower_case_and_fragments_compile(code: str, name: str) -> None:
    for entry in getattr(PACKS[code], name):
        unescaped = re.sub(r"\\.", "", entry)  # "\S" and "\W" are classes, not letters
        assert unescaped == unescaped.lower(), (code, name, entry)
        if name not in WORD_FIELDS:
            re.compile(entry)


def test_registry_is_keyed_by_each_packs_code() -> None:
    assert list(PACKS) == [pack.code for pack in PACKS.values()]
    assert {"en", "de", "fr", "es"} <= set(PACKS)


def test_vocabulary_fields_are_every_field_but_the_identity() -> None:
    assert set(VOCABULARY_FIELDS) == {f.name for f in fields(LanguagePack)} - {"code", "name"}


def test_absent_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="reason"):
        Absent(" ")


def test_entries_refuse_an_unknown_field() -> None:
    with pytest.raises(ValueError, match="no pack field 'ui_word'"):
        entries("ui_word")


def test_a_field_no_pack_fills_cannot_become_an_empty_alternative(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("cleaner.languages.entries", lambda field: ())
    with pytest.raises(ValueError, match="no language pack fills 'ad_markers'"):
        alternatives("ad_markers")


def test_a_function_words_only_pack_leaves_everything_else_absent() -> None:
    pack = function_words_only("xx", "Example", "ab cd", reason="an example")
    assert pack.function_words == ("ab", "cd")
    gaps = [getattr(pack, n) for n in VOCABULARY_FIELDS if n != "function_words"]
    assert all(isinstance(g, Absent) and g.reason == "an example" for g in gaps)


@pytest.mark.parametrize(
    ("rule", "line"),
    [
        ("ui_phrase", "Teilen"),
        ("related_header", "Lo más leído"),
        ("audio_player", "Artikel anhören"),
        ("cms_footer", "Tous droits réservés."),
        ("cookie_notice", "Wir verwenden Cookies."),
        ("newsletter_pitch", "Suscríbete a nuestro boletín"),
        ("share_prompt", "Suivez-nous sur Twitter"),
        ("ad_marker", "Weiterlesen nach der Anzeige"),
        ("photo_caption", "Bildquelle: dpa"),
        ("timestamp", "hace 3 horas"),
        ("byline", "Par Claire Dubois et Marc Lefèvre"),
    ],
)
def test_a_packs_words_reach_the_rule(rule: str, line: str) -> None:
    assert RULES[rule](line)
