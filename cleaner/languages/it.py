"""Italian."""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

PACK = LanguagePack(
    code="it",
    name="Italian",
    # Not "leggi" ("laws"), "letti" ("beds") or "stampa" ("the press", and La Stampa):
    # lines such as "Le leggi" are content. "Leggi anche" is a related header instead. Nor
    # "cerca", "guarda" or "precedente", which are Spanish words too ("De cerca").
    ui_words=words(
        """
        condividi condivisioni condividere stampare commenta commenti commento
        iscriviti abbonati abbonamento segui seguici pubblicità sponsorizzato sponsorizzata
        correlati correlate continua più ultime popolari accedi registrati esci
        menu chiudi torna indietro successivo salva copia link ascolta
        galleria diretta argomenti categorie rispondi risposte
        contatti contattaci annulla invia
        """
    ),
    ui_filler_words=words(
        """
        il lo la gli le un una di del della dei delle al alla ai a in nel su sul per
        con da questo questa articolo notizie tutti tutte ora qui anche
        """
    ),
    related_headers=phrases(
        """
        leggi anche|potrebbe interessarti|ti potrebbe interessare|potrebbero interessarti
        |articoli correlati|notizie correlate|i più letti|più letti|ultime notizie
        |ultimi articoli|vedi anche|altre notizie|sullo stesso argomento|leggi di più
        """
    ),
    function_words=words(
        """
        il lo la i gli le un una uno di del della dei delle degli a al alla ai da dal dalla
        in nel nella con su sul per tra fra e o ma che non è sono era erano ha hanno come
        più anche se si ci questo questa quello suo sua loro
        """
    ),
    # Whole names, or an abbreviation that ends there: "3 settimane" is no date.
    months=(
        "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre"
        "|novembre|dicembre",
        r"(gen|feb|mar|apr|mag|giu|lug|ago|set|ott|nov|dic)\b\.?",
    ),
    relative_times=(
        r"(\d+\s+|un[ao]?\s+|un')(second[oi]|minut[oi]|or[ae]|giorn[oi]|settiman[ae]"
        r"|mes[ei]|ann[oi])\s+fa",
        "poco fa",
        "ieri",
        "oggi",
    ),
    date_joiners=Absent('Italian puts nothing between day and month ("23 giugno 2025")'),
    weekdays=(r"(luned|marted|mercoled|gioved|venerd)[iì]", "sabato", "domenica"),
    ordinal_suffixes=Absent('Italian "1º" is not recognised yet'),
    year_marks=Absent("Italian writes nothing after a year"),
    dateline_prefixes=("pubblicato", "aggiornato", "ultimo aggiornamento", "modificato"),
    post_date_prefixes=Absent("no prefix that dates a post apart from the page seen"),
    dateline_prepositions=("il",),
    time_prepositions=("alle ore", "alle", "ore"),
    time_suffixes=Absent("Italian writes a 24-hour time with nothing after it"),
    # Not a bare "di" ("di Mario Rossi"): "Di Maio e Conte" would read as two authors.
    byline_prefixes=("a cura di", "scritto da", r"autore\s*:"),
    name_joiners=("e",),
    # Not "lo": "By Kevin Lo" names its author (the articles refuse a name word).
    articles=("il", "la", "le", "gli"),
    listen_prompts=("ascolta (l'|questo )?articolo", "ascolta la notizia"),
    minute_words=("min", "minuti"),
    reading_time_words=("di lettura",),
    reading_time_labels=("tempo di lettura",),
    cms_footers=Absent("no Italian feed footers beyond the rights line known"),
    rights_reserved=("tutti i diritti riservati", "riproduzione riservata"),
    cookie_subjects=("questo sito( web)?", "noi"),
    cookie_verbs=("utilizza", "usa", "utilizziamo", "usiamo"),
    cookie_nouns=Absent('Italian names the policy before the cookies ("informativa cookie")'),
    cookie_phrases=(
        r"\b(utilizziamo|usiamo) (i )?cookie",
        "accett[ao] (tutti i )?cookie",
        "informativa (sui )?cookie",
    ),
    newsletter_pitches=(
        r"iscriviti (gratis |gratuitamente )?(alla|alle) (nostra |nostre )?newsletter",
        r"\b(sei già abbonato|(contenuto|articolo) riservato agli abbonati)\b",
    ),
    share_prompts=(r"condividi (su|questo|quest'|l'articolo|la notizia)", r"seguici\b"),
    ad_markers=(
        "(l'articolo |la notizia )?continua (dopo|sotto) (la )?pubblicità",
        r"pubblicità\W+continua a leggere",
        r"continua a leggere\W*$",
    ),
    photo_credit_words=("foto",),
    photo_labels=("foto",),
    taxonomy_labels=(
        "tag",
        "etichette",
        "categorie",
        "categoria",
        "argomenti",
        "archiviato in",
        "pubblicato in",
    ),
    taxonomy_phrases=("archiviato in",),
    comment_form_phrases=(
        "il tuo indirizzo email non sar(à|a) pubblicato",
        "i campi obbligatori sono contrassegnati",
        "annulla risposta",
        "i commenti sono chiusi",
        r"^\W*lascia un commento\b",
        "salva il mio nome, email e sito web",
        r"^\W*(nome|e-?mail|sito( web)?|commento)\s*\*\W*$",
        r"^\W*sito web\W*$",
    ),
    commenter_verbs=("dice", "ha detto"),
    related_header_prefixes=Absent(
        "none seen in the corpus; the obvious translation of 'more from' also opens "
        "sentences and headlines"
    ),
    shop_labels=(
        "aggiungi al carrello",
        r"\(?\d[\d,.]*\)?\s*(recensioni|valutazioni)",
    ),
    feedback_prompts=("segnala(re)? (un )?errore", "segnala (questo )?commento"),
    post_navigation=(r"(articolo|post) (precedente|successivo)\b",),
    forum_stat_labels=("messaggi", "risposte"),
    forum_join_labels=("iscritto( il| dal)?", "registrato( il| dal)?", "membro dal"),
)
