"""Unit tests for the line rules in `cleaner.cleaners.rules` (the tokeniser they share has
`tests/test_tokens.py`).

Every registered rule has positive cases in English, German, French and Spanish, and
every rule is checked against lines that look like furniture but are content. Known
misses and false alarms are strict xfails: when a rule is fixed, the xfail turns into a
failure that says so, and the case moves into the plain tables.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from cleaner.cleaners import rules
from cleaner.cleaners.lexicon import UI_WORDS
from cleaner.cleaners.neighbours import NEIGHBOUR_RULES
from cleaner.cleaners.regex_rule import CASE_FOLD_EXCEPTIONS, required_pieces
from cleaner.cleaners.rules import REGEX_RULES, RULES, byline_author, related_header
from cleaner.tokens import tokenise
from tests.test_tokens import tokens_one_by_one

XFAIL = pytest.mark.xfail


def fired(line: str) -> list[str]:
    """Names of the registered rules that fire on `line`, in registry order."""
    return [name for name, rule in RULES.items() if rule(line)]


# --- positives: (rule, line) -------------------------------------------------------------

POSITIVE: dict[str, list[str]] = {
    "lone_punctuation": ["|", "—", "* * *", "• • •", "»", "/", "---", "· · ·", "…"],
    "related_header": [
        "Related",
        "RELATED TOPICS:",
        "Related articles",
        "Read more",
        "More stories",
        "You may also like",
        "Most read",
        "Latest news",
        "Further reading",
        "Don't miss",
        "Editors' Picks",
        "Editor’s Choice",
        "Most Shared",
        "More from Harbour News",
        "More from the author",
        "MORE IN POLITICS:",
        "Latest from The Verge",
        "Mehr von SPIEGEL",
        "Lesen Sie auch",
        "Lesen Sie auch:",
        "Mehr zum Thema",
        "Das könnte Sie auch interessieren",
        "Weitere Artikel",
        "Meistgelesen",
        "À lire aussi",
        "Lire aussi",
        "Sur le même sujet",
        "Les plus lus",
        "Te puede interesar",
        "Noticias relacionadas",
        "Lo más leído",
        "También te puede interesar",
        "Lee también",
    ],
    "ui_phrase": [
        "Réagir",
        "Contact Us",
        "Careers",
        "Loading...",
        "Kontakt",
        "Impressum",
        "Contactez-nous",
        "Contacto",
        "Share",
        "Shares",
        "1.2k Shares",
        "Tweet",
        "Print",
        "Email",
        "Subscribe",
        "Comments",
        "12 Comments",
        "1 comment",
        "Scroll to Top",
        "Back to top",
        "Skip to main content",
        "Home",
        "Menu",
        "Search",
        "Advertisement",
        "Advertising",
        "Sponsored",
        "Load more",
        "Show more comments",
        "View gallery",
        "Copy link",
        "Source link",
        "Teilen",
        "Drucken",
        "Abonnieren",
        "Kommentare",
        "3 Kommentare",
        "Anzeige",
        "Werbung",
        "Weiterlesen",
        "Zurück nach oben",
        "Startseite",
        "Suche",
        "Partager",
        "Imprimer",
        "S'abonner",
        "Commentaires",
        "Publicité",
        "Lire la suite",
        "Retour en haut",
        "Accueil",
        "Compartir",
        "Imprimir",
        "Suscríbete",
        "Comentarios",
        "Publicidad",
        "Leer más",
        "Volver arriba",
        "Inicio",
    ],
    "audio_player": [
        "Anhören",
        "Écouter",
        "Lecture 3 min.",
        "Getting your Trinity Audio player ready...",
        "Listen to this article",
        "Listen to the episode",
        "Audio player loading",
        "4 min read",
        "5 minutes read",
        "Artikel anhören",
        "3 Min. Lesezeit",
        "Lesezeit: 4 Minuten",
        "Écouter cet article",
        "Écouter l'article",
        "5 min de lecture",
        "Temps de lecture : 3 minutes",
        "Escuchar este artículo",
        "Tiempo de lectura: 4 minutos",
        "3 minutos de lectura",
    ],
    "cms_footer": [
        "The post Rutte speaks appeared first on World Online.",
        "The post Ten tips for spring appeared first on Garden Notes.",
        "Source link",
        "Originally published on example.com",
        "This article was originally published on The Conversation.",
        "This story originally appeared in The Atlantic.",
        "Powered by WordPress",
        "Proudly powered by WordPress",
        "© 2025 Example Media. All rights reserved.",
        "Copyright © 2024 Example GmbH",
        "(c) 2024 Example",
        "Alle Rechte vorbehalten.",
        "© 2025 Le Monde. Tous droits réservés.",
        "Todos los derechos reservados.",
    ],
    "cookie_notice": [
        "We use cookies to improve your experience.",
        "This website uses cookies to ensure you get the best experience.",
        "Accept all cookies",
        "Cookie settings",
        "Wir verwenden Cookies, um Ihnen das beste Erlebnis zu bieten.",
        "Alle Cookies akzeptieren",
        "Cookie-Einstellungen",
        "Datenschutzeinstellungen",
        "Nous utilisons des cookies pour améliorer votre expérience.",
        "Ce site utilise des cookies.",
        "Politique de cookies",
        "Este sitio web utiliza cookies para mejorar su experiencia.",
        "Política de cookies",
    ],
    "newsletter_pitch": [
        "Article réservé à nos abonnés",
        "Abonnez-vous à partir de 1 €",
        "Sign up for our newsletter",
        "Sign up for our daily newsletter to get the news in your inbox.",
        "Subscribe to our newsletter",
        "Get the latest news in your inbox",
        "Already a subscriber? Log in",
        "You have 3 free articles left this month.",
        "Sign in to continue reading",
        "Create a free account to keep reading.",
        "Newsletter abonnieren",
        "Jetzt zum Newsletter anmelden",
        "Abonnez-vous à notre newsletter",
        "Inscrivez-vous à la newsletter",
        "Suscríbete a nuestro boletín",
        "Suscríbete al newsletter",
    ],
    "share_prompt": [
        "Print Recipe",
        "Jump to Recipe",
        "Rate this recipe",
        "Did you make this recipe?",
        "Tag @lemonkitchen on Instagram and hashtag it #lemonkitchen",
        "Share on Facebook",
        "Share this article",
        "Share full article",
        "Share the story",
        "Share on WhatsApp",
        "Email this story",
        "Click to share on Twitter",
        "Follow us on Twitter",
        "Like us on Facebook",
        "Folgen Sie uns auf Facebook",
        "Folgt uns auf Instagram",
        "Teilen Sie diesen Artikel",
        "Teilen auf Facebook",
        "Suivez-nous sur Twitter",
        "Partager sur Facebook",
        "Partager cet article",
        "Síguenos en Twitter",
        "Compartir en Facebook",
        "Compartir este artículo",
    ],
    "ad_marker": [
        "Story continues below advertisement",
        "Story continues below",
        "Article continues after advertisement",
        "Continue reading the main story",
        "Continue reading below",
        "Scroll to continue reading",
        "Weiterlesen nach der Anzeige",
        "La suite après cette publicité",
        "La suite après la publicité",
    ],
    "dateline": [
        "Updated 16:47 GMT",
        "Published 2:16 AM EST Nov 20, 2019",
        "Updated 10:01 pm PST, Tuesday, November 19, 2019",
        "Last updated on September 16th, 2023 at 09:27 am",
        "Aktualisiert: 11.04.2020, 10:27",
        "Stand: 07.11.2023, 07:30 Uhr",
        "Publicado el 21 de abril de 2022 a las 22:04h",
        "Mis à jour le 3 mars 2024 à 10h30",
        "Originally Published: March 3, 2024",
        "Updated: June 20, 2025",
        "/ Updated Dec. 16, 2025",
        "Aktualisiert am 19.02.2020",
        "Pubblicato il: 30 Settembre 2020",
    ],
    "timestamp": [
        "2 hours ago",
        "5 minutes ago",
        "a day ago",
        "1 day ago",
        "Just now",
        "Yesterday",
        "June 23, 2025",
        "May 12th, 2024",
        "12 May 2024",
        "Monday, June 23, 2025",
        "Updated: 2025-06-23 10:00",
        "Last updated: 12 May 2024",
        "Posted on March 3, 2024",
        "Published on June 23, 2025 at 10:00 a.m. ET",
        "vor 3 Stunden",
        "vor einer Stunde",
        "vor 2 Tagen",
        "Gestern",
        "Heute",
        "23. Juni 2025",
        "03.03.2024",
        "Veröffentlicht am 3. März 2024",
        "il y a 2 heures",
        "il y a 3 jours",
        "14 mars 2025",
        "Publié le 3 mars 2024",
        "Mis à jour le 23 juin 2025 à 10h15",
        "hace 3 horas",
        "hace 1 hora",
        "hace 2 días",
        "Ayer",
        "Hoy",
        "Actualizado: 12/05/2024 09:30",
    ],
    "byline": [
        "By Andrew Gray",
        "by Andrew Gray",
        "By ANDREW GRAY",
        "By Maria Lopez and John Smith",
        "By Maria Lopez, John Smith and Wei Chen",
        "By Jane Doe | Reuters",
        "By Jane Doe - Staff Writer",
        "By Seán O’Brien",
        "By Jean-Luc Picard",
        "Von Anna Schmidt",
        "Von Anna Schmidt und Jan Berg",
        "Par Claire Dubois",
        "Par Claire Dubois et Marc Lefèvre",
        "Por Lucía Fernández",
        "Por Lucía Fernández y Diego Ruiz",
    ],
    "photo_caption": [
        "Rutte speaks in The Hague, Netherlands June 23, 2025. (Reuters/Yves Herman)",
        "Firefighters at the scene on Tuesday. (Photo: Jane Doe)",
        "Der Hafen am Morgen (Foto: dpa)",
        "Photo: Getty Images",
        "Foto: Anna Schmidt",
        "Crédit photo : AFP",
        "The bridge at dusk (AP Photo/Mark Lennihan)",
    ],
    "flattened_menu": [
        "Home  About  Rides  Restorations  Contact",
        "News | Sports | Obituaries | Opinion | Weather",
        "Startseite · Politik · Wirtschaft · Kultur · Sport",
    ],
    "position_marker": ["list 1 of 4", "Slide 2 of 10", "3 / 12", "Foto 2 von 8", "1 de 5"],
    "rating_widget": [
        "4.5 out of 5 stars",
        "4,5/5",
        "★★★★☆",
        "★★★★★ (1,284)",
        "Rated 4.8/5",
        "4.9 from 213 votes",
    ],
    "shop_widget": [
        "In stock",
        "Out of Stock",
        "Only 3 left in stock!",
        "Add to cart",
        "ADD TO BAG",
        "1,284 ratings",
        "(358 reviews)",
        "4,512 global ratings",
        "In den Warenkorb",
        "Auf Lager",
        "12 Bewertungen",
        "Ajouter au panier",
        "Rupture de stock",
        "Añadir al carrito",
        "Aggiungi al carrello",
        "Em estoque",
        "Op voorraad",
        "Dodaj do koszyka",
        "В наличии",
        "加入购物车",
        "カートに入れる",
    ],
    "post_navigation": [
        "← Previous Post",
        "Next Post: Slip and Fall Liability Explained: Who’s at Fault?",
        "NEXT STORY: Cybersecurity 101",
        "Newer post",
        "Older Entry »",
        "Nächster Beitrag",
        "Article précédent",
        "Entrada anterior",
        "上一篇：城市交通",
        "次の記事",
    ],
    "forum_profile": [
        "Posts: 1,006",
        "* 1.1k Reputation",
        "76,825 posts",
        "Join Date: Aug 2008",
        "Joined",
        "Joined Mar 14, 2021",
        "Member since 2016",
        "Beiträge: 1626",
        "Registriert: 18.09.2008, 05:56",
        "dabei seit 12/2006",
        "Messages : 3 402",
        "Сообщений: 1 234",
        "投稿数: 12",
    ],
    "feedback_prompt": [
        "Was this page helpful?",
        "Report an Error",
        "Report a typo",
        "Report this comment",
        "Submit a News Tip",
        "Send us a tip",
        "Suggest a correction",
        "Contact the newsroom",
        "Fehler melden",
        "Signaler une erreur",
        "Сообщить об ошибке",
    ],
    "taxonomy_line": [
        "Tags: Sri Lanka",
        "Tags: • Minnesota Wild • Bill Hoppe",
        "Filed under: Khawarij |",
        "Filed under china , illnesses , plague",
        "Posted in Open thread | Permalink | 10 Comments",
        "See more on: Politics",
        "Schlagwörter: Klima, Energie",
        "Abgelegt unter Politik",
        "Étiquettes : climat, énergie",
        "Catégories : Politique, Europe",
        "Etiquetas: clima, energía",
        "Archivado en: Política",
    ],
    "comment_form": [
        "Your email address will not be published. Required fields are marked *",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Leave a Reply Cancel reply",
        "Comments are closed.",
        "Name *",
        "Email Address*",
        "Comment (required)",
        "Enter your email",
        "Website",
        "E-Mail *",
        "Nom *",
        "Correo electrónico *",
        "メール *",
        "Deine E-Mail-Adresse wird nicht veröffentlicht.",
        "Antworten abbrechen",
        "Votre adresse e-mail ne sera pas publiée.",
        "Annuler la réponse",
        "Tu dirección de correo electrónico no será publicada.",
        "Cancelar la respuesta",
    ],
    "commenter_line": [
        "MortimerInMiami says:",
        "C. M. says:",
        "Anna Schmidt sagt:",
        "Claire dit :",
        "Lucía dice:",
    ],
}

POSITIVE_CASES = [
    pytest.param(name, line, id=f"{name}:{line}")
    for name, lines in POSITIVE.items()
    for line in lines
]


@pytest.mark.parametrize(("rule_name", "line"), POSITIVE_CASES)
def test_rule_fires_on_furniture(rule_name: str, line: str) -> None:
    assert RULES[rule_name](line), f"{rule_name} missed {line!r} (fired: {fired(line)})"


def test_every_registered_rule_has_positive_cases() -> None:
    untested = set(RULES) - set(POSITIVE)
    assert not untested, f"rules without test cases: {sorted(untested)}"


def test_related_header_is_registered_under_its_name() -> None:
    assert RULES["related_header"] is related_header


# --- negatives: content lines no rule may touch --------------------------------------

CONTENT_LINES = [
    '"No," she said.',
    '"I won\'t," he said.',
    "“Never again.”",
    "«Jamais plus», dit-elle.",
    "3) Fold in the flour.",
    "- Butter",
    "Yes.",
    "2 cups flour",
    "200 g butter",
    "return x + 1;",
    "def main():",
    "for line in fh:",
    "Nuclear deterrence",
    "US Will Be Involved",
    "Related work",
    "Share prices fell 3% on Monday.",
    "Shares of Apple rose 3% on Monday.",
    "Share the dough into twelve balls.",
    "The newsletter was founded in 1998.",
    "The newsletter was founded in 1998 by two editors.",
    "Bake the cookies for 12 minutes until golden.",
    "Let the cookies cool on a wire rack before you store them.",
    "We use brown butter in these cookies for a nutty flavour.",
    "By 2030, half the fleet will be electric.",
    "By the time we arrived, it was dark.",
    "By Monday the river had risen.",
    "By then it was too late.",
    "More than 40 people died.",
    "1. Preheat the oven to 180C.",
    "2. Whisk the eggs with the sugar.",
    "Step 2: Whisk the eggs.",
    "Home is where the heart is.",
    "Follow the instructions on the packet.",
    "Email me the report by Friday, she told him.",
    "Read the instructions twice before you start.",
    "Top with grated cheese and serve.",
    "The post office closed in 2019.",
    "He published the post on his blog.",
    "He said the story continues to develop.",
    "She likes to listen to the radio.",
    "Listen to this: the band is back.",
    "Comments from readers poured in after the vote.",
    "The latest figures show a rise in unemployment.",
    "Trending upward, the index closed at a record.",
    "In June 2025, prices rose.",
    "May 2025 was the wettest month on record.",
    "Published in Nature in 2019, the study was widely cited.",
    "The band reserved all rights to the recording.",
    "I.",
    "Q&A",
    "Mehr als 40 Menschen starben.",
    "Die Anzeige wurde am Montag erstattet.",
    "Der Newsletter wurde 1998 gegründet.",
    "Von Anfang an war klar, dass es knapp wird.",
    "Von Berlin aus fuhr der Zug weiter.",
    "Von 2010 bis 2020 stieg die Zahl.",
    "Plus de 40 personnes sont mortes.",
    "Par ailleurs, le gouvernement a démissionné.",
    "Par exemple, la ville a doublé son budget.",
    "Más de 40 personas murieron.",
    "Por la tarde, el viento amainó.",
    "Por ejemplo, el precio subió.",
]


@pytest.mark.parametrize("line", CONTENT_LINES)
def test_no_rule_fires_on_content(line: str) -> None:
    assert fired(line) == []
    assert byline_author(line) is None


# --- per-rule guards: close calls for one rule ----------------------------------------

NEGATIVE: dict[str, list[str]] = {
    "flattened_menu": [
        "Free plan | No | Yes | Yes",  # a short table row
        "Salt  Pepper  Oil",
        "Name\tAge\tCity\tCountry\tPhone",  # innerText's table row: tabs
        "He left.  Then she came.  Then they all went home.  It rained.  Fine.",
        "2019 | 2020 | 2021 | 2022 | 2023",
    ],
    "position_marker": ["Example 1 of 2:", "2 of the 4 suspects were released.", "Chapter 1"],
    "rating_widget": [
        "She rated it 4 out of 5 in her review.",
        "5 stars",
        "Top 5",
        "He won 5 from 12 votes cast.",
    ],
    "shop_widget": [
        "The shop had 12 bikes in stock.",
        "Reviews",
        "Stock",
        "Sold out",  # a product page's gold keeps it (ghostwares, mvmt on ../shared/corpus)
        "1,284 votes",  # election results
        "Customer reviews are moderated before they appear.",
    ],
    "feedback_prompt": [
        "This page was helpful to me when I started.",
        "Report an error to the maintainers with the log attached.",
        "Report",
        "Submit",
        "Submit the form twice and the server returns 409.",
    ],
    "photo_caption": [
        "Compiling error-handling v0.1.0 (file:///projects/error-handling)",
        "@app.route('/user/<username>')",
    ],
    "lone_punctuation": ["I.", "A", "1", "—Yes", "x"],
    "related_header": [
        "Related work",
        "Read more about the study in Nature.",
        "More in the morning, she said.",
        "More from the archive of the Royal Society than from anywhere else",
    ],
    "ui_phrase": [
        "Please contact your doctor.",
        "Privacy is a right, not a privilege.",
        "Share prices fell.",
        "More than 40 people died",
        "Read the instructions twice.",
        "Comments were closed after the vote.",
        "Nuclear deterrence",
    ],
    "audio_player": [
        "Wir sollten uns das anhören.",
        "Lecture et écriture au programme",
        "Écouter la radio le matin est un plaisir.",
        "She likes to listen to the radio.",
        "Listen to this: the band is back.",
        "The player was ready to sign for the club.",
    ],
    "cms_footer": [
        "He published the post on his blog.",
        "The post office closed in 2019.",
        "Published in Nature in 2019, the study was widely cited.",
    ],
    "cookie_notice": [
        "Bake the cookies for 12 minutes until golden.",
        "We use brown butter in these cookies for a nutty flavour.",
        "Los niños comieron galletas y cookies de chocolate.",
    ],
    "newsletter_pitch": [
        "The newsletter was founded in 1998 by two editors.",
        "She joined the newsroom in 2004.",
        "Der Newsletter wurde 1998 gegründet.",
    ],
    "share_prompt": [
        "Print the recipe card and keep it in the kitchen drawer for next time.",
        "Shares of Apple rose 3% on Monday.",
        "Share the article's main findings with your team.",
        "Share prices fell 3% on Monday.",
        "Following the vote, the minister resigned.",
    ],
    "ad_marker": [
        "He said the story continues to develop.",
        "Continue reading the instructions before you start.",
    ],
    "dateline": [
        "Posted March 19, 2024",  # a forum post's date: content in some golds (timestamp's)
        "Updated: the API now returns 10:30 timestamps.",
        "Published at 9 a.m., the report said wages rose.",
        "Updated 4 hours ago",
        "10:30",
        "The council updated its plan at 10:30 on Monday.",
        "Posted: March 19, 2024",  # a post's date without its time stays the model's
        "Updated June 2025 with the new prices",
        "Published in 2019",
    ],
    "timestamp": [
        "In June 2025, prices rose.",
        "May 2025 was the wettest month on record.",
        "2025",
        "10:30",
        "Mayo",
        "2024.8.30",  # a calendar version heading in a changelog
        "2025年",  # a year alone, as a heading
    ],
    "taxonomy_line": [
        "Category:Portage",  # a wiki's category link
        '{ category: "Fruits", price: "$1", stocked: true, name: "Apple" },',
        "Posted in 1998, the letter was lost for decades.",
        "Tags are stored in the page's front matter: a list of strings.",
        "Topic: why the bridge failed",  # a forum thread's title
        "Keywords: boilerplate removal, web corpora",  # a paper's keywords are content
    ],
    "comment_form": [
        "She left a comment on the council's plan.",
        "Readers can leave a comment below each story.",
        "NAME",  # a manual page's section heading
        "Name",
        "The website is down.",
        "Email the form to the clerk *before* Friday.",
    ],
    "forum_profile": [
        "Joined the team in 2019",  # a biography
        "Posts",  # a menu label, another rule's call
        "She wrote 1,006 posts.",
        "Registered trademark of Acme Corp.",
        "Replies to comments are moderated",
        "Points: 24",  # a box score
    ],
    "post_navigation": [
        "Next post I will explain how to configure the router.",
        "Next, the article explains the method.",
        "Previously posted articles are archived.",
    ],
    "commenter_line": [
        "The minister says: we will win.",
        "He says:",  # a quote's lead-in
        "She says:",
    ],
    "byline": [
        "PARENT & STUDENT",  # "Par" is a byline prefix only as a word of its own
        "PORTUGAL",
        "By 2030, half the fleet will be electric.",
        "By the time we arrived, it was dark.",
        "Von 2010 bis 2020 stieg die Zahl.",
        "Par exemple, la ville a doublé son budget.",
        "Por la tarde, el viento amainó.",
    ],
}

NEGATIVE_CASES = [
    pytest.param(name, line, id=f"{name}:{line}")
    for name, lines in NEGATIVE.items()
    for line in lines
]


@pytest.mark.parametrize(("rule_name", "line"), NEGATIVE_CASES)
def test_rule_stays_silent_on_close_calls(rule_name: str, line: str) -> None:
    assert not RULES[rule_name](line)


# --- byline_author ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("By Andrew Gray", "Andrew Gray"),
        ("  By Andrew Gray  ", "Andrew Gray"),
        ("By Jane Doe | Reuters", "Jane Doe"),
        ("By Jane Doe - Staff Writer", "Jane Doe"),
        ("By Maria Lopez and John Smith", "Maria Lopez and John Smith"),
        ("Von Anna Schmidt und Jan Berg", "Anna Schmidt und Jan Berg"),
        ("Par Claire Dubois", "Claire Dubois"),
        ("Por Lucía Fernández y Diego Ruiz", "Lucía Fernández y Diego Ruiz"),
        ("By Seán O’Brien", "Seán O’Brien"),
    ],
)
def test_byline_author_names_the_author(line: str, author: str) -> None:
    assert byline_author(line) == author


@pytest.mark.parametrize(
    "line",
    [
        "By the time we arrived, it was dark.",
        "By 2030, half the fleet will be electric.",
        "By Andrew Gray and the rest of the team who worked through the night on this",
        "Andrew Gray",
        "",
    ],
)
def test_byline_author_is_none_for_other_lines(line: str) -> None:
    assert byline_author(line) is None


# --- known false positives: content a rule drops ---------------------------------------


@pytest.mark.parametrize(
    ("rule_name", "line"),
    [
        ("cms_footer", "Copyright law in the EU changed in 2019."),
        ("byline", "By The Numbers"),
        ("byline", "By Design"),
        ("ui_phrase", "Open source"),
        ("ui_phrase", "print(x)"),
        ("ui_phrase", "x = 1"),
        ("timestamp", "Mai 68"),
    ],
)
def test_rule_stays_silent_on_former_false_positives(rule_name: str, line: str) -> None:
    assert not RULES[rule_name](line)


# --- furniture that earlier versions missed --------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Diese Website nutzt Cookies.",
        "Utilizamos cookies propias y de terceros.",
        "Usamos cookies para mejorar tu experiencia.",
        "Accepter les cookies",
        "Aceptar cookies",
        "23 de junio de 2025",
        "Publicado el 23 de junio de 2025",
        "Aktualisiert am 23.06.2025, 10:15 Uhr",
        "Stand: 03.03.2024 10:15 Uhr",
        "Log in",
        "Sign up",
        "Zum Inhalt springen",
        "Mehr anzeigen",
        "Afficher plus",
        "Iniciar sesión",
        "Gesponsert",
        "Folge uns auf Instagram",
        "Leave a comment",
        "Be the first to comment",
        "Kommentar schreiben",
        "Laisser un commentaire",
        "Deja un comentario",
        "Sign up for our free morning briefing and never miss a story.",
    ],
)
def test_some_rule_catches_former_misses(line: str) -> None:
    assert fired(line), f"no rule fired on {line!r}"


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("Written by Andrew Gray", "Andrew Gray"),
        ("Author: Andrew Gray", "Andrew Gray"),
    ],
)
def test_byline_author_reads_other_byline_forms(line: str, author: str) -> None:
    assert byline_author(line) == author


# --- tokenisation, gates and caches: faster paths that must give the same answers ------------

#: Every code point that `str` can hold (surrogates cannot stand alone in a regex subject).
ALL_CHARACTERS = "".join(chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF)


def test_tokenise_agrees_with_token_by_token_lowering_on_every_rule_test_line() -> None:
    lines = [line for table in (POSITIVE, NEGATIVE) for ls in table.values() for line in ls]
    lines += CONTENT_LINES
    for line in lines + [line.upper() for line in lines] + [line.title() for line in lines]:
        assert tokenise(line) == tokens_one_by_one(line), line


GATES = {name: spec.search for name, spec in REGEX_RULES.items() if spec.keys}


def test_gated_searches_exist() -> None:
    """The searches that were gated by hand keys are gated by derived ones."""
    assert {"audio_player", "cms_footer", "cookie_notice", "newsletter_pitch"} <= set(GATES)
    assert "photo_caption" in GATES


# --- regex rules as data ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(REGEX_RULES))
def test_regex_rule_judges_its_own_examples(name: str) -> None:
    spec = REGEX_RULES[name]
    assert spec.examples and spec.counterexamples, f"{name} needs examples both ways"
    assert [line for line in spec.examples if not RULES[name](line)] == []
    assert [line for line in spec.counterexamples if RULES[name](line)] == []


def test_regex_rule_caps_the_words_of_a_line() -> None:
    spec = REGEX_RULES["share_prompt"]
    line = "Share this article on Facebook"
    longer = line + " and" * (spec.max_words - len(line.split()) + 1)
    assert spec(line) and not spec(longer)


@pytest.mark.parametrize(
    ("pattern", "pieces"),
    [
        (r"all rights reserved|^©", ("all rights reserved", "©")),
        (r"\bcookies?\b", ("cookie",)),
        (r"(sign|log) in to (continue|read)", (" in to ",)),
        (r"[ée]couter (cet |l')?article", ("couter ",)),
        (r"\((?=x)[^()]{2,80}\)", ("(",)),
        (r"^\s*\d+\s*(min|minutes)\.?\s*(read|lesezeit)\b", ("read", "lesezeit")),
        (r"x|\d+", ()),  # an alternative without a literal: the search cannot be gated
        (r"(ab)?cd|ef", ("cd", "ef")),
        (r"a(bc)*d", ("a",)),  # a repeat that may be absent requires nothing
    ],
)
def test_required_pieces_are_in_every_match(pattern: str, pieces: tuple[str, ...]) -> None:
    assert required_pieces(pattern) == pieces


@pytest.mark.parametrize("name", sorted(GATES))
def test_gate_keys_are_lower_case_pieces_of_the_pattern(name: str) -> None:
    gate = GATES[name]
    unescaped = re.sub(r"\\(.)", r"\1", gate.pattern.pattern).lower()  # "\(c\)" holds "(c)"
    for key in gate.keys:
        assert key == key.lower()
        assert key in unescaped, key


def test_lowering_maps_case_insensitive_matches_of_key_characters_onto_them() -> None:
    """The premise of `GatedSearch`: whatever matches a key character under re.I lowers to
    it, but for `_CASE_FOLD_EXCEPTIONS`, on whose lines the gate always searches."""
    key_chars = {c for gate in GATES.values() for key in gate.keys for c in key}
    for c in sorted(key_chars):
        for m in re.finditer(re.escape(c), ALL_CHARACTERS, re.I):
            found = m.group()
            assert found.lower() == c or found in CASE_FOLD_EXCEPTIONS, (c, found)


def _variants(line: str) -> list[str]:
    swaps = [("i", "ı"), ("I", "İ"), ("s", "ſ"), ("k", "\u212a")]  # re.I matches these
    out = [line, line.upper(), line.lower(), line.title(), line.swapcase()]
    out += [line.replace(a, b) for a, b in swaps] + [
        line.upper().replace(a.upper(), b) for a, b in swaps
    ]
    return out


@pytest.mark.parametrize("name", sorted(GATES))
def test_gate_never_turns_a_match_away(name: str) -> None:
    gate = GATES[name]
    lines = [line for table in (POSITIVE, NEGATIVE) for ls in table.values() for line in ls]
    lines += CONTENT_LINES
    lines += ["We use cookıes on this site", "ALL RİGHTS RESERVED", "Subſcribe now", "Photo: AP"]
    for variant in (v for line in lines for v in _variants(line)):
        assert gate(variant) == (gate.pattern.search(variant) is not None), variant


def test_ui_words_are_never_counts() -> None:
    """`ui_phrase` takes a UI word for a word, not a count, without testing it."""
    assert [w for w in UI_WORDS if rules._COUNT.match(w)] == []


def test_registered_rules_remember_their_verdicts() -> None:
    line = "Sign up for our newsletter to get the news in your inbox"
    assert RULES["newsletter_pitch"] is rules.newsletter_pitch
    before = rules.newsletter_pitch.cache_info().hits  # type: ignore[attr-defined]
    assert RULES["newsletter_pitch"](line) and RULES["newsletter_pitch"](line)
    assert rules.newsletter_pitch.cache_info().hits > before  # type: ignore[attr-defined]


def test_the_readme_names_every_line_rule() -> None:
    """The README's list of line and neighbour rules is what a user reads first: a rule
    added without it is a rule nobody knows to switch off (`Config.disabled_rules`)."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    start = readme.index("The rules (`cleaner/cleaners/rules.py`")
    listing = readme[start : readme.index("\n\n", start)]
    missing = [name for name in (*RULES, *NEIGHBOUR_RULES) if f"`{name}`" not in listing]
    assert not missing, f"README.md's list of rules leaves out {missing}"
