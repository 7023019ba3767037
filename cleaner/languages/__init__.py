"""Language packs: what the rules and the line features know about each language.

Each language is one module (`en.py`, `de.py`, ...) that fills the same `LanguagePack`,
and one line in `PACKS` below. The rules (`cleaner.cleaners.rules`), their vocabulary
(`cleaner.cleaners.lexicon`) and the line features (`cleaner.features`) are built from
every registered pack, so adding a language changes no code elsewhere.

>>> sorted(PACKS) == sorted(p.code for p in PACKS.values())
True
>>> "teilen" in vocabulary("ui_words"), alternatives("time_prepositions")[:14]
(True, 'at|um|à|a las|')
"""

from __future__ import annotations

from cleaner.languages import de, en, es, fr, it, ja, nl, pl, pt, ru, sq, zh
from cleaner.languages.pack import VOCABULARY_FIELDS, Absent, LanguagePack

#: Every registered pack, by code. The order is that of the alternatives in the rules'
#: patterns (which never changes what a pattern matches, only how it reads).
PACKS: dict[str, LanguagePack] = {
    pack.code: pack
    for pack in (
        en.PACK,
        de.PACK,
        fr.PACK,
        es.PACK,
        it.PACK,
        pt.PACK,
        nl.PACK,
        pl.PACK,
        ru.PACK,
        zh.PACK,
        ja.PACK,
        sq.PACK,
    )
}

__all__ = ["PACKS", "VOCABULARY_FIELDS", "Absent", "LanguagePack", "alternatives", "entries"]


def entries(field: str) -> tuple[str, ...]:
    """One field of every pack, in pack order, each entry once.

    >>> entries("name_joiners")[:6]
    ('and', 'und', 'et', 'y', 'e', 'en')
    """
    if field not in VOCABULARY_FIELDS:
        raise ValueError(f"no pack field {field!r}; the fields are {', '.join(VOCABULARY_FIELDS)}")
    return tuple(dict.fromkeys(e for pack in PACKS.values() for e in getattr(pack, field)))


def vocabulary(field: str) -> frozenset[str]:
    """One word field of every pack as a set, for membership tests."""
    return frozenset(entries(field))


def alternatives(field: str) -> str:
    """One fragment field of every pack as regex alternatives (`a|b|c`), to be wrapped
    in a group by the pattern that uses them. A field no pack fills is an error: an
    empty alternative would match everywhere."""
    found = entries(field)
    if not found:
        raise ValueError(f"no language pack fills {field!r}, which a rule requires")
    return "|".join(found)
