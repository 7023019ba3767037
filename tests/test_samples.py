"""Golden tests: every page in samples/raw/ against samples/expected/.

The expected files are the specification, reviewed by eye: every article sentence is
there and no furniture is. `samples/regenerate.py` writes them with the same two
functions these tests compare with (`expected_text`, `expected_metadata`).

When the cleaner gets a sample wrong, the expected files say what it *should* produce
and the sample is listed in `KNOWN_FAILURES` (a strict xfail, so a fix shows up as a
failure asking for the entry to be removed). `SNIPPETS` are lines that must and must not
appear; they also run for known failures and guard what those samples already get right.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from cleaner import Document, clean_file

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@dataclass(frozen=True)
class Known:
    """Why a sample's golden comparison fails today, and which parts of it fail."""

    reason: str
    parts: frozenset[str] = frozenset({"text", "metadata"})


KNOWN_FAILURES: dict[str, Known] = {}


def _load_regenerate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("samples_regenerate", SAMPLES / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


regenerate = _load_regenerate()
RAW_PAGES: list[Path] = regenerate.raw_pages()


@cache
def cleaned(name: str) -> Document:
    return clean_file(SAMPLES / "raw" / name)


def golden_params(part: str) -> list[object]:
    params = []
    for page in RAW_PAGES:
        known = KNOWN_FAILURES.get(page.stem)
        marks = (
            [pytest.mark.xfail(strict=True, reason=known.reason)]
            if known is not None and part in known.parts
            else []
        )
        params.append(pytest.param(page.name, id=page.stem, marks=marks))
    return params


def expected_path(name: str, suffix: str) -> Path:
    return SAMPLES / "expected" / f"{Path(name).stem}{suffix}"


@pytest.mark.parametrize("name", golden_params("text"))
def test_sample_text_matches_golden(name: str) -> None:
    expected = expected_path(name, ".txt").read_text("utf-8")
    assert regenerate.expected_text(cleaned(name)) == expected


@pytest.mark.parametrize("name", golden_params("metadata"))
def test_sample_metadata_matches_golden(name: str) -> None:
    expected = json.loads(expected_path(name, ".json").read_text("utf-8"))
    assert regenerate.expected_metadata(cleaned(name)) == expected


def test_samples_are_there() -> None:
    stems = {p.stem for p in RAW_PAGES}
    seeds = {s for s in stems if s[:3].isdigit()}
    html = {p.stem for p in RAW_PAGES if p.suffix == ".html"}
    assert len(seeds) == 5
    assert len(html) >= 5
    assert set(KNOWN_FAILURES) <= stems


def test_every_sample_has_expected_files_and_no_orphans() -> None:
    expected = {p.name for p in (SAMPLES / "expected").iterdir() if not p.name.startswith(".")}
    wanted = {f"{p.stem}{suffix}" for p in RAW_PAGES for suffix in (".txt", ".json")}
    assert expected == wanted


@pytest.mark.parametrize("page", RAW_PAGES, ids=[p.stem for p in RAW_PAGES])
def test_expected_files_are_well_formed(page: Path) -> None:
    text = expected_path(page.name, ".txt").read_text("utf-8")
    meta_raw = expected_path(page.name, ".json").read_text("utf-8")
    meta = json.loads(meta_raw)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\n\n\n" not in text
    assert meta["word_count"] == len(text.split())
    assert set(meta) == {*regenerate.METADATA_KEYS, "removed"}
    assert meta_raw == regenerate.dump_metadata(meta)
    if meta["title"]:
        assert meta["title"] not in text.split("\n\n")


# --- snippets: what each sample must and must not contain --------------------------------

SNIPPETS: dict[str, tuple[list[str], list[str]]] = {
    "000_1622e3c598937ffa": (
        [
            "BRUSSELS (Reuters) -The whole of NATO, including the United States",
            "nobody in NATO was naive about Russia and all alliance members",
            "they don’t want any capability gaps to emerge in Europe,” Rutte said.",
            "(Reporting by Andrew Gray;Editing by Sudip Kar-Gupta and Sandra Maler)",
        ],
        ["By Andrew Gray\n", "Comments"],
    ),
    "001_2a8324cf4cbdafb5": (
        [
            "- NATO, including the U.S., remains fully committed to supporting Ukraine",
            "BRUSSELS – The whole of NATO",
            "nobody in NATO was naive about Russia and all alliance members",
            "US Will Be Involved",
            "(Reporting by Andrew Gray;Editing by Sudip Kar-Gupta and Sandra Maler)",
        ],
        [
            "\nShare\n",
            "Trinity Audio",
            "RELATED TOPICS",
            "hours ago",
            "Upscale Woodward Park",
            "Fresno Residents",
            "CIA Says",
            "\n|\n",
            "\n—\n",
        ],
    ),
    "002_d8842e4f30ba9073": (
        [
            "European allies should not worry about the United States' commitment to NATO",
            "He also praised Trump for engaging with Putin.",
            "much less predictable than Rutte and other NATO member states would like.",
        ],
        ["Flash News", "Bota", "Rutte: US is fully committed to NATO", "Latest news"],
    ),
    "003_89c5d13be86c2a77": (
        [
            "NATO’s top official says Russia needs to move more quickly",
            "NATO and the Trump tariffs",
            "Nuclear deterrence",
            "it has been consistently coming out of the American system over the last three months.”",
        ],
        ["\nMore\n", "Source link", "appeared first on World Online", "Scroll to Top"],
    ),
    "004_9d94e41eb9061230": (
        [
            "NATO Secretary General Mark Rutte says support for Ukraine",
            "We have Kaja Kallas here,” Rutte noted.",
        ],
        ["Facts", "Advertising", "MORE ABOUT", "LATEST"],
    ),
    "blog_de_balkongarten": (
        [
            "Vor drei Jahren habe ich zum ersten Mal Tomaten",
            "Die richtige Sorte",
            "Ab der ersten Blüte bekommen die Pflanzen einmal pro Woche",
            "Schutz vor Regen",
            "Mein Fazit nach drei Sommern",
        ],
        [
            "Cookies",
            "Startseite",
            "Lesen Sie auch",
            "Basilikum richtig überwintern",
            "Gurken im Kübel",
            "Anzeige",
            "Teilen",
            "Newsletter",
            "Kommentare",
            "geplatzt",
            "Kräuterspirale",
            "Alle Rechte vorbehalten",
            "Impressum",
        ],
    ),
    "docs_en_config_loader": (
        [
            "tinyconf reads configuration from TOML files.",
            'settings = tinyconf.load("app.toml")\nfor name, value in settings.items():\n    print(name, value)',
            "Search order",
            "The path in the TINYCONF_FILE environment variable.",
            "Relative paths in the environment variable are resolved",
        ],
        [
            "Skip to main content",
            "cookies",
            "API reference",
            "Merging and overrides",
            "Previous",
            "Was this page helpful?",
            "Edit on GitHub",
            "Copyright",
            "Built with Sphinx",
        ],
    ),
    "forum_en_sourdough_starter": (
        [
            "I started my first sourdough starter eight days ago with rye flour and water.",
            "It is not dead, it is hungry.",
            "Baked my first loaf this morning.",
        ],
        [
            "cookies",
            "Log in",
            "Sign up",
            "Suggested Topics",
            "Why is my crumb gummy?",
            "Powered by Discourse",
            "Bookmark",
        ],
    ),
    "news_en_harbour_bridge": (
        [
            "The harbour bridge will close to all traffic for four weeks",
            "Ferries every twenty minutes",
            '"But a bridge that fails is a much bigger nuisance."',
            "The council will discuss their request at its next meeting on July 3.",
        ],
        [
            "cookies",
            "Politics",
            "Local News",
            "By Maria Lindqvist",
            "Share",
            "Trinity Audio",
            "Advertisement",
            "inbox",
            "Subscribe",
            "RELATED TOPICS",
            "bakery",
            "hours ago",
            "Comments",
            "All rights reserved",
        ],
    ),
    "news_en_council_budget": (
        [
            "The city council approved a new budget for the harbour on Monday",
            "What happens next",
            "A new ferry landing, from June",
            '"No," she said.',
        ],
        [
            "Skip to main content",
            "Obituaries",
            "Home ›",
            "By Jane Smith",
            "Originally Published",
            "16:47 GMT",
            "Share full article",
            "Trinity Audio",
            "Editors' Picks",
            "Report an Error",
            "News Tip",
            "Tags:",
            "More from Harbour News",
            "newsletter",
            "Email Address",
            "Leave a Reply",
            "Name *",
            "Save my name",
            "Comments",
            "Previous Post",
            "Next Post",
            "Scroll to Top",
            "appeared first on",
        ],
    ),
    "news_de_haushalt": (
        [
            "Der Bundestag hat am Dienstag nach einer langen Debatte",
            "Die Abstimmung fiel mit 390 zu 280 Stimmen deutlich aus",
            "„Wir haben Verantwortung übernommen“, sagte der Kanzler",
        ],
        [
            "Startseite",
            "Artikel teilen",
            "Stand:",
            "Von Anna Müller",
            "Anhören",
            "Lesen Sie auch",
            "Schuldenbremse",
            "Sparkurs",
            "Anzeige",
            "Mehr zum Thema",
            "Newsletter",
            "registrieren",
            "Kommentare",
            "Datenschutz",
            "Impressum",
        ],
    ),
    "news_fr_pistes_cyclables": (
        [
            "Le projet de pistes cyclables sur l'avenue de la Gare a été adopté jeudi soir",
            "« d'un aménagement attendu depuis longtemps",
            "L'opposition dénonce au contraire la suppression de quarante places",
            "Les habitants pourront donner leur avis",
        ],
        [
            "cookies",
            "Actualités",
            "Par Claire Dubois",
            "Publié le",
            "Partager",
            "Écouter cet article",
            "Publicité",
            "À lire aussi",
            "marché couvert",
            "il y a",
            "newsletter",
            "Commentaires",
            "Tous droits réservés",
        ],
    ),
    "recipe_en_lemon_pasta": (
        [
            "This lemon pasta is the dinner I make",
            "Prep Time 5 mins",
            "Servings 4",
            "- 2 lemons",
            "2. Toss with lemon zest, juice and butter.",
        ],
        [
            "Jump to Recipe",
            "Print Recipe",
            "Pin Recipe",
            "Rate this recipe",
            "from 12 votes",
            "Did you make this recipe?",
            "@lemonkitchen",
            "You May Also Like",
            "Garlic Bread",
            "Leave a Comment",
            "will not be published",
        ],
    ),
    "recipe_es_tortilla": (
        [
            "La tortilla de patatas es el plato que más veces he cocinado",
            "Ingredientes (para 4 personas)",
            "5 huevos grandes",
            "250 ml de aceite de oliva virgen extra",
            "\n\nSal\n\n",
            "Pela las patatas y córtalas en láminas finas.",
            "Se puede tomar caliente, templada o fría al día siguiente.",
        ],
        [
            "cookies",
            "Inicio",
            "Por Marta Irigoyen",
            "Compartir",
            "Publicidad",
            "Suscríbete",
            "Te puede interesar",
            "Croquetas",
            "Deja un comentario",
            "Todos los derechos reservados",
        ],
    ),
}


@pytest.mark.parametrize("page", RAW_PAGES, ids=[p.stem for p in RAW_PAGES])
def test_sample_snippets(page: Path) -> None:
    must, must_not = SNIPPETS[page.stem]
    text = cleaned(page.name).text
    for snippet in must:
        assert snippet in text, f"missing: {snippet!r}"
    for snippet in must_not:
        assert snippet not in f"\n{text}\n", f"furniture left: {snippet!r}"


@pytest.mark.parametrize("page", RAW_PAGES, ids=[p.stem for p in RAW_PAGES])
def test_expected_text_honours_the_snippets(page: Path) -> None:
    """The hand-reviewed expected text itself passes its snippet checks."""
    must, must_not = SNIPPETS[page.stem]
    text = expected_path(page.name, ".txt").read_text("utf-8")
    assert all(s in text for s in must)
    assert not [s for s in must_not if s in f"\n{text}"]
