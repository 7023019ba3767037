"""Spanish."""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

PACK = LanguagePack(
    code="es",
    name="Spanish",
    ui_words=words(
        """
        compartir comparte imprimir comentario comentarios más leer publicidad anuncio
        patrocinado suscríbete suscribirse síguenos seguir relacionadas relacionados últimas
        noticias inicio buscar sesión iniciar registrarse cerrar volver arriba contenido también
        contacto contáctenos privacidad cancelar enviar contraseña
        """
    ),
    ui_filler_words=words(
        "el los las del y al a en para con por te nos puede interesar su tus mi ver de la deja"
    ),
    related_headers=phrases(
        """
        te puede interesar|noticias relacionadas|más noticias|lo más leído
        |también te puede interesar|últimas noticias|lee también
        """
    ),
    function_words=words(
        """
        el la los las un una unos de del y o pero es son era fue ha han no con para por en que
        se su sus lo al como más
        """
    ),
    months=words(
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    ),
    relative_times=(
        r"hace\s+\d+\s+(segundos?|minutos?|horas?|d[ií]as?|semanas?|meses|mes|años?)",
        "ayer",
        "hoy",
    ),
    date_joiners=("de",),
    weekdays=Absent("Spanish weekdays before a date are not recognised yet"),
    ordinal_suffixes=Absent('Spanish "1.º" is not recognised yet'),
    year_marks=Absent("Spanish writes nothing after a year"),
    dateline_prefixes=("publicado", "actualizado"),
    post_date_prefixes=Absent("no prefix that dates a post apart from the page seen"),
    dateline_prepositions=("el",),
    time_prepositions=("a las",),
    time_suffixes=("h",),
    byline_prefixes=("por", "escrito por", "autor:"),
    name_joiners=("y",),
    articles=("el", "los", "las"),
    listen_prompts=("escuchar (el |este )?art[ií]culo",),
    minute_words=("minutos",),
    reading_time_words=("de lectura",),
    reading_time_labels=("tiempo de lectura",),
    cms_footers=Absent("no Spanish feed footers beyond the rights line seen in the corpus"),
    rights_reserved=("todos los derechos reservados",),
    cookie_subjects=("este sitio", "usamos", "utilizamos"),
    cookie_verbs=("usa", "utiliza"),
    cookie_nouns=Absent('Spanish names the policy before the cookies ("política de cookies")'),
    cookie_phrases=(
        "cookies aceptar",
        "política de cookies",
        r"\b(utilizamos|usamos) cookies",
        "aceptar (las |todas las )?cookies",
    ),
    newsletter_pitches=(r"suscr[ií]bete (a|al) (nuestro |nuestra )?(newsletter|bolet[ií]n)",),
    share_prompts=("s[ií]guenos", "compartir (en|este)"),
    ad_markers=Absent("no Spanish ad markers seen in the corpus"),
    photo_credit_words=("foto",),
    photo_labels=("foto", "fuente"),
    taxonomy_labels=(
        "etiquetas",
        "categor(í|i)as",
        "categor(í|i)a",
        "temas",
        "archivado en",
        "publicado en",
    ),
    taxonomy_phrases=("archivado en",),
    comment_form_phrases=(
        "tu (direcci(ó|o)n de )?correo electr(ó|o)nico no ser(á|a) publicad[oa]",
        "los campos obligatorios est(á|a)n marcados",
        "cancelar (la )?respuesta",
        "los comentarios est(á|a)n cerrados",
        r"^\W*(deja|dejar) (un|una) (comentario|respuesta)\b",
        "guarda mi nombre, correo electr(ó|o)nico y web",
        r"^\W*(nombre|correo electr(ó|o)nico|web|sitio web|comentario)\s*\*\W*$",
    ),
    commenter_verbs=("dice",),
    related_header_prefixes=Absent(
        "none seen in the corpus; the obvious translation of 'more from' also opens "
        "sentences and headlines"
    ),
    shop_labels=(
        "(en|sin) stock",
        "(añadir|agregar) al carrito",
        "(añadir|agregar) a la (cesta|bolsa)",
        r"\(?\d[\d,.]*\)?\s*(valoraciones|opiniones|reseñas)",
    ),
    feedback_prompts=(
        "(reportar|notificar|informar de) (un )?error",
        "denunciar (este )?(comentario|abuso|contenido)",
    ),
    post_navigation=(
        r"(entrada|art(í|i)culo|publicaci(ó|o)n) (anterior|siguiente)\b",
        r"siguiente (entrada|art(í|i)culo)\b",
    ),
    forum_stat_labels=("mensajes", "respuestas"),
    forum_join_labels=("registrado( el| desde)?", "miembro desde", "se uni(ó|o)"),
)
