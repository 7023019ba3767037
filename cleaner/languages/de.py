"""German: most of trafilatura-dev's pages."""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

PACK = LanguagePack(
    code="de",
    name="German",
    ui_words=words(
        """
        teilen geteilt teile drucken kommentar kommentare kommentieren mehr lesen weiterlesen
        anzeige werbung abonnieren abonniere folgen verwandte themen thema neueste neuesten
        nachrichten startseite suche anmelden inhalt anzeigen gesponsert abmelden registrieren
        zurück oben springen schließen kopieren merken empfehlen artikel beitrag beiträge
        ähnliche meistgelesen
        kontakt impressum datenschutz karriere abbrechen passwort spenden absenden
        """
    ),
    ui_filler_words=words(
        """
        das der die den dem des und zu zum zur im am auf für mit per sie uns ihre ihr jetzt
        hier nach von schreiben
        """
    ),
    related_headers=phrases(
        """
        lesen sie auch|auch interessant|mehr zum thema|das könnte sie auch interessieren
        |weitere artikel|ähnliche artikel|meistgelesen|neueste artikel|verwandte artikel
        """
    ),
    function_words=words(
        """
        der die das den dem des ein eine einer und oder aber ist sind war waren wird werden hat
        haben nicht mit von zu im in auf für bei aus als auch sich es er sie wir ich dass wie
        """
    ),
    months=words(
        "januar februar märz april mai juni juli august september oktober november dezember"
    ),
    relative_times=(
        r"vor\s+(\d+|einer?|einem)\s+(sekunden?|minuten?|stunden?|tag(en)?|wochen?|monat(en)?"
        r"|jahr(en)?)",
        "gestern",
        "heute",
    ),
    date_joiners=Absent('German writes "23. Juni 2025": the dot after the day is read anyway'),
    weekdays=Absent("German weekdays before a date are not recognised yet"),
    ordinal_suffixes=Absent('German writes "23." and the dot is read anyway'),
    year_marks=Absent("German writes nothing after a year"),
    dateline_prefixes=("aktualisiert", "veröffentlicht", "stand"),
    post_date_prefixes=Absent("no prefix that dates a post apart from the page seen"),
    dateline_prepositions=("am",),
    time_prepositions=("um",),
    time_suffixes=("uhr",),
    byline_prefixes=("von", "geschrieben von"),
    name_joiners=("und",),
    articles=("der", "die", "das"),
    listen_prompts=("artikel (an)?hören", r"^\W*anh(ö|o)ren\W*$"),
    minute_words=("minuten",),
    reading_time_words=("lesezeit",),
    reading_time_labels=("lesezeit",),
    cms_footers=Absent("no German feed footers beyond the rights line seen in the corpus"),
    rights_reserved=("alle rechte vorbehalten",),
    cookie_subjects=("wir", "diese (web)?(seite|site)"),
    cookie_verbs=("verwende[nt]?", "nutz(en|t)"),
    cookie_nouns=("richtlinie", "einstellungen"),
    cookie_phrases=("cookies (akzeptieren|zulassen)", "datenschutzeinstellungen"),
    newsletter_pitches=("newsletter (abonnieren|bestellen)", "zum newsletter"),
    share_prompts=("folg(e|en sie|t) uns", "teilen (sie )?(diesen|den|auf)"),
    ad_markers=("weiterlesen nach der anzeige",),
    photo_credit_words=("foto", "bild"),
    photo_labels=("foto", "bild", "bildquelle"),
    taxonomy_labels=(
        "schlagw(ö|oe)rter",
        "schlagworte",
        "kategorien",
        "kategorie",
        "themen",
        "abgelegt unter",
        "ver(ö|oe)ffentlicht in",
    ),
    taxonomy_phrases=("abgelegt unter", "ver(ö|oe)ffentlicht in"),
    comment_form_phrases=(
        "deine e-mail-adresse wird nicht ver(ö|oe)ffentlicht",
        "ihre e-mail-adresse wird nicht ver(ö|oe)ffentlicht",
        "erforderliche felder sind mit",
        "antworten abbrechen",
        "kommentare sind geschlossen",
        r"^\W*(hinterlasse|schreibe) einen kommentar\b",
        "meinen namen, meine e-mail-adresse und meine website",
        r"^\W*(name|e-?mail(-adresse)?|website|webseite|kommentar)\s*\*\W*$",
        r"^\W*(ihre )?e-?mail-adresse\W*$",
    ),
    commenter_verbs=("sagt",),
    related_header_prefixes=phrases("mehr von|mehr aus"),
    shop_labels=(
        "(sofort |nicht )?(auf lager|vorrätig|lieferbar)",
        "in den (warenkorb|einkaufswagen)",
        r"\(?\d[\d,.]*\)?\s*(kunden)?(bewertungen|rezensionen)",
    ),
    feedback_prompts=(
        "fehler melden",
        "(einen )?fehler (gefunden|entdeckt)",
        "(kommentar|beitrag|inhalt) melden",
    ),
    post_navigation=(r"(vorheriger|n(ä|a)chster) (beitrag|artikel)\b",),
    forum_stat_labels=("beitr(ä|a)ge", "antworten"),
    forum_join_labels=("registriert( seit| am)?", "mitglied seit", "dabei seit"),
)
