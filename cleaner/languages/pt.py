"""Portuguese, of Brazil and of Portugal ("compartilhar" and "partilhar")."""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

PACK = LanguagePack(
    code="pt",
    name="Portuguese",
    # Not "veja" alone: it is also a magazine's name ("Veja também" is a related header).
    # "mais" is a filler, not a UI word: German "Mais" (maize) is a line of a recipe.
    ui_words=words(
        """
        compartilhar compartilhe compartilhamentos partilhar partilhe imprimir comentar
        comentários comentário assine assinar assinatura inscreva-se siga-nos seguir
        publicidade patrocinado patrocinada anúncio relacionadas relacionados últimas
        início buscar pesquisar entrar sair cadastre-se cadastrar fechar voltar menu
        carregar leia ler continuar também copiar salvar link respostas
        contato contacto contacte-nos privacidade cancelar enviar senha
        """
    ),
    # Not "do", "no", "as" or "responder", which are English words too: the packs' words
    # are one vocabulary, and "No comment." must stay a line of content. Nor "com" (the
    # ".com" of "[youtube.com]") or "e" (the "e" of "print ( e )"). "topo" (Spanish for a
    # mole) is a filler, not a UI word: "Voltar ao topo" needs no more.
    ui_filler_words=words(
        """
        o os um uma de da dos das em na nos nas para por ou ao à aos seu sua nosso
        nossa topo mais aqui agora notícias notícia matéria artigo todos todas este esta
        """
    ),
    related_headers=phrases(
        """
        leia também|leia mais|veja também|veja mais|ver mais|saiba mais|notícias relacionadas
        |matérias relacionadas|artigos relacionados|mais lidas|mais lidos|as mais lidas
        |últimas notícias|mais notícias|você pode gostar|você também pode gostar
        |pode te interessar|pode interessar
        """
    ),
    function_words=words(
        """
        o a os as um uma de do da dos das em no na nos nas por para com sem e ou mas que
        não é são foi era ser tem há se seu sua ele ela eles mais como também ao à pelo
        pela
        """
    ),
    # Whole names, or an abbreviation that ends there: "2 maiores" is no date.
    months=(
        "janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro",
        r"(jan|fev|mar|abr|mai|jun|jul|ago|set|out|nov|dez)\b\.?",
    ),
    relative_times=(
        r"há\s+(\d+|um|uma)\s+(segundos?|minutos?|horas?|dias?|semanas?|m[eê]s|meses|anos?)",
        r"\d+\s+(segundos?|minutos?|horas?|dias?|semanas?|meses|anos?)\s+atrás",
        "há pouco",
        "ontem",
        "hoje",
    ),
    date_joiners=("de",),
    weekdays=(r"(segunda|terça|terca|quarta|quinta|sexta)(-feira)?", "s[áa]bado", "domingo"),
    ordinal_suffixes=Absent('Portuguese "1º" is not recognised yet'),
    year_marks=Absent("Portuguese writes nothing after a year"),
    dateline_prefixes=("publicad[oa]", "atualizad[oa]"),
    post_date_prefixes=("postad[oa]",),
    dateline_prepositions=("em",),
    time_prepositions=("às",),
    time_suffixes=("h",),
    byline_prefixes=("por", "escrito por", r"autor\s*:"),
    name_joiners=("e",),
    # Not "o": it would refuse "O'Neill" as a name.
    articles=("a", "os", "as"),
    listen_prompts=("(ouvir|ouça) (a |esta )?(matéria|notícia|reportagem)",),
    minute_words=("min", "minutos"),
    reading_time_words=("de leitura",),
    reading_time_labels=("tempo de leitura",),
    cms_footers=Absent("no Portuguese feed footers beyond the rights line known"),
    rights_reserved=("todos os direitos reservados",),
    cookie_subjects=("este site", "nós"),
    cookie_verbs=("usa", "utiliza", "usamos", "utilizamos"),
    cookie_nouns=Absent('Portuguese names the policy before the cookies ("política de cookies")'),
    cookie_phrases=(
        r"\b(utilizamos|usamos) cookies",
        "aceitar (todos os )?cookies",
        "política de cookies",
    ),
    newsletter_pitches=(
        r"\b(assine|receba|cadastre-se|inscreva-se)\b.{0,40}\bnewsletter",
        r"\b(já é assinante|conteúdo exclusivo para assinantes)\b",
    ),
    share_prompts=(
        r"(compartilh|partilh)(e|ar) (no|na|este|esta|via|isso)\b",
        r"siga-nos\b",
    ),
    ad_markers=(
        "(a )?(matéria|reportagem|notícia) continua (após [ao]|depois d[ao]) (publicidade|anúncio)",
        "continua (após [ao]|depois d[ao]) (publicidade|anúncio)",
    ),
    photo_credit_words=("foto", "imagem"),
    photo_labels=("foto", "imagem"),
    taxonomy_labels=(
        "etiquetas",
        "tags",
        "categorias",
        "categoria",
        "temas",
        "arquivado em",
        "publicado em",
    ),
    taxonomy_phrases=("arquivado em",),
    comment_form_phrases=(
        "o seu endere(ç|c)o de e-?mail n(ã|a)o ser(á|a) publicado",
        "seu endere(ç|c)o de e-?mail n(ã|a)o ser(á|a) publicado",
        "campos obrigat(ó|o)rios s(ã|a)o marcados",
        "cancelar resposta",
        "os coment(á|a)rios est(ã|a)o (encerrados|fechados)",
        r"^\W*deixe (um|uma) (coment(á|a)rio|resposta)\b",
        "salvar meus dados neste navegador",
        r"^\W*(nome|e-?mail|site|coment(á|a)rio)\s*\*\W*$",
    ),
    commenter_verbs=("disse", "diz"),
    related_header_prefixes=Absent(
        "none seen in the corpus; the obvious translation of 'more from' also opens "
        "sentences and headlines"
    ),
    shop_labels=(
        "(em|fora de) estoque",
        "adicionar ao (carrinho|cesto)",
        r"\(?\d[\d,.]*\)?\s*(avaliações|opiniões)",
    ),
    feedback_prompts=("(reportar|comunicar) (um )?erro", "denunciar (este )?coment[áa]rio"),
    post_navigation=(r"(post|artigo) (anterior|seguinte)\b", r"pr(ó|o)ximo (post|artigo)\b"),
    forum_stat_labels=("mensagens", "respostas"),
    forum_join_labels=("registrado em", "membro desde", "entrou em"),
)
