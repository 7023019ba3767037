"""Polish."""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

PACK = LanguagePack(
    code="pl",
    name="Polish",
    # Not "góry" ("Do góry", back to top, but also "mountains") among the strong words, and
    # not "do", "i", "o", "we" or "ten" among the fillers: the packs' words are one
    # vocabulary, and those are English words too ("Do more", "I like").
    ui_words=words(
        """
        udostępnij udostępnienia drukuj komentarz komentarze komentarzy skomentuj
        subskrybuj zasubskrybuj obserwuj reklama sponsorowane sponsorowany powiązane
        najnowsze popularne więcej czytaj zobacz zaloguj wyloguj zarejestruj szukaj wyszukaj
        menu zamknij wróć przewiń główna kopiuj zapisz polub odpowiedz rozwiń
        kontakt prywatność anuluj wyślij hasło
        """
    ),
    ui_filler_words=words(
        """
        w na z dla przez od po ze nas nasz nasze się to ta tutaj teraz artykuł
        artykułu wiadomości też także również wszystkie strona góry
        """
    ),
    related_headers=phrases(
        """
        czytaj też|czytaj także|czytaj również|czytaj więcej|zobacz też|zobacz także
        |zobacz również|polecamy|powiązane artykuły|podobne artykuły|najczęściej czytane
        |najnowsze|najnowsze wiadomości|najpopularniejsze|może cię zainteresować
        |to może cię zainteresować
        """
    ),
    function_words=words(
        """
        w i na z do nie się że to jest są był była było jak o od po za co ale przez dla jego
        jej ich tak także już tylko może być który która które oraz ten ta też czy lub
        """
    ),
    # Whole names (nominative and genitive), or an abbreviation that ends there: "5 lisów"
    # is no date.
    months=(
        "stycz(eń|nia)|lut(y|ego)|mar(zec|ca)|kwie(cień|tnia)|maj(a)?|czerw(iec|ca)"
        "|lip(iec|ca)|sierp(ień|nia)|wrze(sień|śnia)|październik(a)?|listopad(a)?"
        "|grud(zień|nia)",
        r"(sty|lut|mar|kwi|cze|lip|sie|wrz|paź|lis|gru)\b\.?",
    ),
    relative_times=(
        r"(\d+\s+|jedn[ąa]\s+)?(sekund[ęy]?|minut[ęy]?|godzin[ęy]?|dni|dzień|tydzień"
        r"|tygodni(e)?|miesiąc(e|y)?|miesięcy|lat(a)?|rok)\s+temu",
        "przed chwilą",
        "wczoraj",
        "dzisiaj",
        "dziś",
    ),
    date_joiners=Absent('Polish puts nothing between day and month ("23 czerwca 2025")'),
    weekdays=("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"),
    ordinal_suffixes=Absent("Polish writes no suffix after a day number"),
    year_marks=(r"r\.", "roku"),
    dateline_prefixes=("opublikowano", "aktualizacja", "zaktualizowano", "data publikacji"),
    post_date_prefixes=Absent("no prefix that dates a post apart from the page seen"),
    dateline_prepositions=Absent('Polish puts a colon after such a word ("Opublikowano:")'),
    time_prepositions=(r"o godz\.", r"godz\.", "o"),
    time_suffixes=Absent("Polish writes a 24-hour time with nothing after it"),
    byline_prefixes=(r"autor\s*:", r"autorka\s*:", r"oprac\.\s*:?"),
    name_joiners=("i", "oraz"),
    articles=Absent("Polish has no articles"),
    listen_prompts=(r"(po|od)słuchaj (tego )?artykułu",),
    minute_words=("min", "minut", "minuty"),
    reading_time_words=("czytania",),
    reading_time_labels=("czas czytania",),
    cms_footers=Absent("no Polish feed footers beyond the rights line known"),
    rights_reserved=("(wszelkie|wszystkie) prawa zastrzeżone",),
    cookie_subjects=("ta strona", "nasza strona", "serwis"),
    cookie_verbs=("używa", "wykorzystuje"),
    cookie_nouns=Absent('Polish names the policy before the cookies ("polityka cookies")'),
    cookie_phrases=(
        r"\b(używamy|wykorzystujemy) (plików )?cookie",
        "akceptuj[eę]? (wszystkie )?(pliki )?cookie",
        "polityk[aię] (plików )?cookie",
    ),
    newsletter_pitches=(
        r"\b(zapisz się|zasubskrybuj|subskrybuj)\b.{0,40}\bnewslett?er",
        "treść dostępna (tylko )?dla (subskrybentów|prenumeratorów)",
    ),
    share_prompts=(r"udostępnij (na|w|ten|artykuł)\b", r"(obserwuj|śledź) nas\b"),
    ad_markers=(
        "dalsz(a|y) (część|ciąg) (artykułu|tekstu|materiału) (pod|poniżej) "
        "(reklamą|materiałem wideo|wideo)",
    ),
    photo_credit_words=(r"fot\.",),
    photo_labels=("fot", "zdjęcie"),
    taxonomy_labels=(
        "tagi",
        "kategorie",
        "kategoria",
        "tematy",
    ),
    taxonomy_phrases=Absent("Polish tag lines carry a colon"),
    comment_form_phrases=(
        "tw(ó|o)j adres e-?mail nie zostanie opublikowany",
        "wymagane pola s(ą|a) oznaczone",
        "anuluj pisanie odpowiedzi",
        "mo(ż|z)liwo(ś|s)(ć|c) komentowania zosta(ł|l)a wy(ł|l)(ą|a)czona",
        r"^\W*(dodaj|zostaw) komentarz\b",
        "zapami(ę|e)taj moje dane w tej przegl(ą|a)darce",
        r"^\W*(imi(ę|e)|e-?mail|witryna internetowa|komentarz)\s*\*\W*$",
    ),
    commenter_verbs=("pisze", "napisa(ł|l)a?"),
    related_header_prefixes=Absent(
        "none seen in the corpus; the obvious translation of 'more from' also opens "
        "sentences and headlines"
    ),
    shop_labels=(
        "dodaj do koszyka",
        r"\(?\d[\d,.]*\)?\s*(opinii|opinie|ocen|recenzji)",
    ),
    feedback_prompts=("zgłoś (błąd|naruszenie|komentarz)",),
    post_navigation=("(poprzedni|nast(ę|e)pny) (wpis|artyku(ł|l))",),
    forum_stat_labels=("posty", "post(ó|o)w", "odpowiedzi"),
    forum_join_labels=("rejestracja", "do(ł|l)(ą|a)czy(ł|l)(a)?", "na forum od"),
)
