"""Dutch."""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

PACK = LanguagePack(
    code="nl",
    name="Dutch",
    # "meer" is a filler, not a UI word: German "Das Meer" (the sea) is a heading.
    ui_words=words(
        """
        delen gedeeld afdrukken printen reageer reageren reacties reactie abonneer abonneren
        abonnement volg volgen advertentie gesponsord gesponsorde lees lezen verder
        gerelateerde gerelateerd nieuwste laatste populair home zoeken inloggen uitloggen
        registreren aanmelden sluiten terug boven menu kopiëren kopieer bekijk opslaan
        bewaren link
        contact privacy annuleren verzenden wachtwoord
        """
    ),
    ui_filler_words=words(
        """
        de het een van en in op met voor naar je jouw uw ons onze dit deze dat alle nu hier
        ook meer artikel nieuws
        """
    ),
    related_headers=phrases(
        """
        lees ook|lees meer|meer lezen|gerelateerde artikelen|gerelateerd|meer nieuws
        |meest gelezen|laatste nieuws|ook interessant|dit vind je misschien ook interessant
        |bekijk ook|meer over dit onderwerp|nieuwste artikelen|populair
        """
    ),
    function_words=words(
        """
        de het een van en in op te met voor is zijn was waren niet dat die dit er aan als
        bij door om ook maar of wordt werd heeft hebben zich hij zij ze we ik je naar uit
        """
    ),
    # Whole names, or an abbreviation that ends there: "3 maanden" is no date.
    months=(
        "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december",
        r"(jan|feb|mrt|apr|jun|jul|aug|sept?|okt|nov|dec)\b\.?",
    ),
    relative_times=(
        r"(\d+|een)\s+(seconden?|minuut|minuten|uur|uren|dag(en)?|weken?|maand(en)?|jaar"
        r"|jaren)\s+geleden",
        "zojuist",
        "gisteren",
        "vandaag",
    ),
    date_joiners=Absent('Dutch puts nothing between day and month ("23 juni 2025")'),
    weekdays=(r"(maan|dins|woens|donder|vrij|zater|zon)dag",),
    ordinal_suffixes=Absent('Dutch "1e" is not recognised yet'),
    year_marks=Absent("Dutch writes nothing after a year"),
    dateline_prefixes=("gepubliceerd", "bijgewerkt", "laatst bijgewerkt"),
    post_date_prefixes=("geplaatst",),
    dateline_prepositions=("op",),
    time_prepositions=("om",),
    time_suffixes=("uur",),
    # Not a bare "door": an English heading such as "Door Hardware Guide" would read as
    # a byline, the packs' prefixes being one pattern.
    byline_prefixes=("geschreven door",),
    name_joiners=("en",),
    # Not "de": "By Ann De Vries" names its author (the articles refuse a name word).
    articles=("het", "een"),
    listen_prompts=("(beluister|luister naar) (dit |het )?artikel",),
    minute_words=("min", "minuten"),
    reading_time_words=("leestijd",),
    reading_time_labels=("leestijd",),
    cms_footers=Absent("no Dutch feed footers beyond the rights line known"),
    rights_reserved=("alle rechten voorbehouden",),
    cookie_subjects=("wij", "deze (web)?site"),
    cookie_verbs=("gebruik(en|t)", "maakt? gebruik van", "maken gebruik van"),
    cookie_nouns=("beleid", "instellingen", "verklaring"),
    cookie_phrases=("accepteer (alle )?cookies", "cookies accepteren"),
    newsletter_pitches=(
        r"\b(meld je aan|schrijf je in|abonneer je|ontvang)\b.{0,40}\bnieuwsbrief",
        r"\bben je al abonnee\b",
    ),
    share_prompts=(r"deel (dit|via|op)\b", r"volg ons\b"),
    ad_markers=(
        "(het )?(artikel|verhaal) gaat verder (onder|na) (de )?advertentie",
        "lees verder (onder|na) de advertentie",
    ),
    photo_credit_words=("foto", "beeld"),
    photo_labels=("foto", "beeld"),
    taxonomy_labels=(
        "tags",
        "categorie(ë|e)n",
        "categorie",
        "onderwerpen",
        "geplaatst in",
    ),
    taxonomy_phrases=("geplaatst in",),
    comment_form_phrases=(
        "je e-mailadres wordt niet gepubliceerd",
        "uw e-mailadres wordt niet gepubliceerd",
        "vereiste velden zijn gemarkeerd",
        "reactie annuleren",
        "reacties zijn gesloten",
        r"^\W*laat een reactie achter\b",
        "mijn naam, e-mail en site bewaren",
        r"^\W*(naam|e-?mail(adres)?|website|reactie)\s*\*\W*$",
    ),
    commenter_verbs=("zegt",),
    related_header_prefixes=Absent(
        "none seen in the corpus; the obvious translation of 'more from' also opens "
        "sentences and headlines"
    ),
    shop_labels=(
        "(niet )?op voorraad",
        "(in|toevoegen aan) (de |het )?winkel(wagen|mand)(je)?",
        r"\(?\d[\d,.]*\)?\s*(beoordelingen|recensies)",
    ),
    feedback_prompts=("meld een fout", "fout (gezien|gevonden|melden)", "reactie melden"),
    post_navigation=(r"(vorig|volgend)e? (bericht|artikel)\b",),
    forum_stat_labels=("berichten", "reacties"),
    forum_join_labels=("lid sinds", "geregistreerd( op| sinds)?"),
)
