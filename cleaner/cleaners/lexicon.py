"""UI vocabulary in English, German, French and Spanish, kept apart from the rules.

Words, not whole strings: a line is UI when *every* word of it is UI vocabulary and at
least one is a strong UI word (not a function word), so "Share", "Teilen", "Back to top",
"12 Comments", "Lire la suite" and "Síguenos" match, while "Share prices fell." does not.
"""

from __future__ import annotations

#: Words that are UI on their own: widgets, sections, navigation, ads.
STRONG_UI_WORDS = frozenset(
    """
    share shares shared sharing tweet tweets retweet pin pinit email e-mail mail print
    follow following subscribe subscribed subscription unsubscribe newsletter newsletters
    comment comments commenting reply replies like likes more read reading continue
    advertisement advertisements advertising advert ad ads sponsored sponsor promoted
    related latest trending popular viewed recommended stories topics tags tag
    categories category home menu search login logout signin signup register account
    link links permalink scroll skip next previous prev facebook twitter linkedin
    whatsapp telegram reddit pinterest instagram youtube tiktok threads bluesky flipboard
    copy copied close view show hide load see also click here watch listen gallery
    live breaking flash headlines log sign sections section jump bookmark save saved print-friendly
    rss feed feeds download app apps podcast podcasts top back main content
    teilen geteilt teile drucken kommentar kommentare kommentieren mehr lesen weiterlesen
    anzeige werbung abonnieren abonniere folgen verwandte themen thema neueste neuesten
    nachrichten startseite suche anmelden inhalt anzeigen gesponsert abmelden registrieren zurück oben springen
    schließen kopieren merken empfehlen artikel beitrag beiträge ähnliche meistgelesen
    partager partagez imprimer commentaire commentaires plus lire suite publicité
    sponsorisé abonner abonnez-vous s'abonner suivez-nous suivre similaires dernières
    actualités accueil recherche afficher connexion inscription fermer haut retour voir aussi
    compartir comparte imprimir comentario comentarios más leer publicidad anuncio
    patrocinado suscríbete suscribirse síguenos seguir relacionadas relacionados últimas
    noticias inicio buscar sesión iniciar registrarse cerrar volver arriba contenido también
    """.split()
)

#: Words that may stand in a UI line but never make one alone.
WEAK_UI_WORDS = frozenset(
    """
    the a an to in on of via with for and or by this that these our us your my you all
    it up out now here about news story article post posts page on de la le les des du
    et en au aux à un une das der die den dem des und zu zum zur im am auf für mit per
    sie uns ihre ihr jetzt hier nach von el los las del y al a en para con por te nos
    puede interesar su tus mi ver source open leave schreiben laisser deja be first
    """.split()
)

UI_WORDS = STRONG_UI_WORDS | WEAK_UI_WORDS

#: Headers that open a block of links to other stories, lower-cased, without punctuation.
RELATED_HEADERS = frozenset(
    h.strip()
    for h in """
    related|related topics|related articles|related stories|related posts|related news
    |related content|related coverage|read more|read also|read next|more stories
    |more news|more from|more on this|more on this story|more like this|you may also like
    |you might also like|recommended|recommended for you|recommended stories|most read
    |most popular|most viewed|trending|trending now|top stories|latest|latest news
    |latest stories|latest articles|see also|further reading|also read|don't miss
    |lesen sie auch|auch interessant|mehr zum thema|das könnte sie auch interessieren
    |weitere artikel|ähnliche artikel|meistgelesen|neueste artikel|verwandte artikel
    |à lire aussi|a lire aussi|lire aussi|sur le même sujet|à voir aussi|articles similaires
    |les plus lus|dernières actualités|te puede interesar|noticias relacionadas
    |más noticias|lo más leído|también te puede interesar|últimas noticias|lee también
    """.split("|")
)
