"""French."""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

PACK = LanguagePack(
    code="fr",
    name="French",
    ui_words=words(
        """
        partager partagez imprimer commentaire commentaires plus lire suite publicité
        sponsorisé abonner abonnez-vous s'abonner suivez-nous suivre similaires dernières
        actualités accueil recherche afficher connexion inscription fermer haut retour voir
        aussi réagir
        contact contactez-nous confidentialité carrières annuler envoyer
        """
    ),
    ui_filler_words=words("on de la le les des du et en au aux à un une laisser"),
    related_headers=phrases(
        """
        à lire aussi|a lire aussi|lire aussi|sur le même sujet|à voir aussi
        |articles similaires|les plus lus|dernières actualités
        """
    ),
    function_words=words(
        """
        le la les un une des du de et ou mais est sont était été a ont pas avec pour par dans sur
        que qui il elle ils nous vous ce cette ces se au aux en
        """
    ),
    months=words(
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ),
    relative_times=(
        r"il y a\s+\d+\s+(secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)",
        "hier",
    ),
    date_joiners=Absent('French puts nothing between day and month ("14 mars 2025")'),
    weekdays=Absent("French weekdays before a date are not recognised yet"),
    ordinal_suffixes=Absent('French "1er" is not recognised yet'),
    year_marks=Absent("French writes nothing after a year"),
    dateline_prefixes=("publié", "mis à jour"),
    post_date_prefixes=Absent("no prefix that dates a post apart from the page seen"),
    dateline_prepositions=("le",),
    time_prepositions=("à",),
    time_suffixes=("h",),
    byline_prefixes=("par", "écrit par", r"auteur\s*:"),
    name_joiners=("et",),
    articles=("le", "la", "les"),
    listen_prompts=("[ée]couter (cet |l')?article", r"^\W*[ée]couter\W*$"),
    minute_words=("minutes",),
    reading_time_words=("de lecture",),
    reading_time_labels=("temps de lecture", r"lecture\s*:?\s*\d+\s*min"),
    cms_footers=Absent("no French feed footers beyond the rights line seen in the corpus"),
    rights_reserved=("tous droits réservés",),
    cookie_subjects=("nous", "ce site"),
    cookie_verbs=("utilise", "utilisons"),
    cookie_nouns=Absent('French names the policy before the cookies ("politique de cookies")'),
    cookie_phrases=(
        r"\bacceptez( les)? cookies",
        "cookies accepter",
        "politique (de|relative aux) cookies",
        "accepter (les |tous les )?cookies",
    ),
    newsletter_pitches=(
        "(abonnez|inscrivez)-vous à (notre|la) (newsletter|lettre)",
        "(article|contenu) réservé (aux|à nos) abonnés",
        r"abonnez-vous (à partir de|dès|pour) \d",
    ),
    share_prompts=("suivez[- ]nous", "partager (sur|cet)"),
    ad_markers=("la suite après (cette|la) publicité",),
    photo_credit_words=("photo", "crédit"),
    photo_labels=("photo", "crédit photo"),
    taxonomy_labels=(
        "(é|e)tiquettes",
        "cat(é|e)gories",
        "cat(é|e)gorie",
        "th(è|e)mes",
        "sujets",
        "class(é|e) dans",
        "publi(é|e) dans",
    ),
    taxonomy_phrases=("class(é|e) dans", "publi(é|e) dans"),
    comment_form_phrases=(
        "votre adresse (e-mail|de messagerie) ne sera pas publi(é|e)e",
        "les champs obligatoires sont indiqu(é|e)s",
        "annuler la r(é|e)ponse",
        "les commentaires sont ferm(é|e)s",
        r"^\W*laisser un commentaire\b",
        "enregistrer mon nom, mon (e-mail|courriel)",
        r"^\W*(nom|adresse (e-?mail|de messagerie|(é|e)lectronique)|site (web|internet)|commentaire)\s*\*\W*$",
        r"^\W*site web\W*$",
    ),
    commenter_verbs=("dit",),
    related_header_prefixes=Absent(
        "none seen in the corpus; the obvious translation of 'more from' also opens "
        "sentences and headlines"
    ),
    shop_labels=(
        "en stock",
        "(en )?rupture de stock",
        "ajouter au panier",
        r"\(?\d[\d,.]*\)?\s*(avis|évaluations)( clients?)?",
    ),
    feedback_prompts=("signaler (une erreur|un abus|ce commentaire|un contenu)",),
    post_navigation=(r"article (pr(é|e)c(é|e)dent|suivant)\b",),
    forum_stat_labels=("messages", "r(é|e)ponses"),
    forum_join_labels=("inscrit( le| depuis)?", "inscription", "membre depuis"),
)
