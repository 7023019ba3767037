"""Albanian. Sites write it with and without its letters ë and ç ("shperndaj"): the
fragments take both where the UI is commonly typed without them."""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

PACK = LanguagePack(
    code="sq",
    name="Albanian",
    # Not "ndaj" (share, but also "towards"), nor section names such as "bota" (world) or
    # "sport": those are section labels, not widgets.
    ui_words=words(
        """
        shpërndaj shpërndaje shperndaj printo komento komente komentet koment abonohu
        regjistrohu ndiqni ndiq reklamë reklama sponsorizuar lexo fundit lidhura ngjashme
        popullore lexuara kryefaqja ballina kërko kerko hyr mbyll kthehu lart vazhdo kopjo
        ruaj shiko përgjigju
        """
    ),
    ui_filler_words=words(
        """
        të te në ne për per nga dhe na më shumë edhe gjithashtu lajme lajmet
        artikull artikullin këtë këtu tani gjitha
        """
    ),
    related_headers=phrases(
        """
        lexo edhe|lexo gjithashtu|lexo më shumë|lexo me shume|të ngjashme|lajme të ngjashme
        |artikuj të ngjashëm|lajme të lidhura|të lidhura|më të lexuarat|më të lexuara
        |të fundit|lajmet e fundit|lajme të fundit|shiko edhe|mund t'ju interesojë
        """
    ),
    function_words=words(
        """
        të në e i dhe për me një që nga është janë ka kanë u se si por do nuk ishte ky kjo
        këtë ai ajo ata tij saj më edhe mbi pas deri sipas ose
        """
    ),
    # Whole names (with the definite ending "-it" or "-i"), or an abbreviation that ends
    # there.
    months=(
        "(janar|shkurt|mars|prill|maj|qershor|korrik|gusht|shtator|tetor|n[ëe]ntor|dhjetor)(it|i)?",
        r"(jan|shk|pri|qer|kor|gus|sht|tet|n[ëe]n|dhj)\b\.?",
    ),
    relative_times=(
        r"(para|përpara|perpara)\s+(\d+|një|nje)\s+(sekond(ash|a)?|minut(ash|a)?|or[ëe](sh)?"
        r"|dit[ëe](sh)?|jav[ëe](sh)?|muaj(sh)?|vit(esh|e)?)",
        r"(\d+|një|nje)\s+(sekonda|minuta|or[ëe]|dit[ëe]|jav[ëe]|muaj|vite?)\s+m[ëe]\s+par[ëe]",
        "dje",
    ),
    date_joiners=Absent('Albanian puts nothing between day and month ("23 qershor 2025")'),
    weekdays=(r"e (h[ëe]n[ëe]|mart[ëe]|m[ëe]rkur[ëe]|enjte|premte|shtun[ëe]|diel)",),
    ordinal_suffixes=Absent("Albanian writes no suffix after a day number"),
    year_marks=Absent("Albanian writes nothing after a year"),
    dateline_prefixes=("publikuar", "p[ëe]rdit[ëe]suar", "postuar", "botuar"),
    post_date_prefixes=Absent("no prefix that dates a post apart from the page seen"),
    dateline_prepositions=("më", "me", "në", "ne"),
    time_prepositions=("në orën", "ne oren", "ora", "në", "ne"),
    time_suffixes=Absent("Albanian writes a 24-hour time with nothing after it"),
    byline_prefixes=("nga", r"shkruan\s*:", r"autori?\s*:"),
    name_joiners=("dhe",),
    articles=Absent("Albanian marks a noun definite with an ending, not an article"),
    listen_prompts=(r"d[ëe]gjo (k[ëe]t[ëe] )?(artikull(in)?|lajm(in)?)",),
    minute_words=("min", "minuta"),
    reading_time_words=("lexim",),
    reading_time_labels=("koha e leximit",),
    cms_footers=Absent("no Albanian feed footers beyond the rights line known"),
    rights_reserved=("t[ëe] gjitha t[ëe] drejtat (jan[ëe] )?t[ëe] rezervuara",),
    cookie_subjects=("kjo faqe", "ne"),
    cookie_verbs=("p[ëe]rdor", "p[ëe]rdorim"),
    cookie_nouns=Absent('Albanian names the policy before the cookies ("politika e cookies")'),
    cookie_phrases=(r"pranoj(i)? (t[ëe] gjitha )?cookies", "politika e cookies"),
    newsletter_pitches=(r"\b(abonohu|regjistrohu)\b.{0,40}\b(newsletter|buletin)",),
    share_prompts=(
        r"shp[ëe]rndaj(e)? (n[ëe]|k[ëe]t[ëe]|lajmin|artikullin)\b",
        r"(na ndiqni|ndiqni na|na ndiq)\b",
    ),
    ad_markers=Absent("no Albanian ad markers known"),
    photo_credit_words=("foto",),
    photo_labels=("foto",),
    taxonomy_labels=("etiketa", "kategoritë", "kategoria", "temat"),
    taxonomy_phrases=Absent("Albanian tag lines carry a colon"),
    comment_form_phrases=Absent("no Albanian comment form seen in the corpus"),
    commenter_verbs=Absent("no Albanian comment header seen in the corpus"),
    related_header_prefixes=Absent(
        "none seen in the corpus; the obvious translation of 'more from' also opens "
        "sentences and headlines"
    ),
    shop_labels=("shto n[ëe] shport[ëe]",),
    feedback_prompts=Absent("no Albanian report link seen in the corpus"),
    post_navigation=Absent("no Albanian post navigation seen in the corpus"),
    forum_stat_labels=Absent("no Albanian forum profile seen in the corpus"),
    forum_join_labels=Absent("no Albanian forum profile seen in the corpus"),
)
