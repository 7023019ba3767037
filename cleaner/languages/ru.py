"""Russian.

Under `re.IGNORECASE` the letters в, д, о, с, т and ъ also match the old Cyrillic letter
forms U+1C80-U+1C88, which `str.lower()` leaves alone; `regex_rule.CASE_FOLD_EXCEPTIONS`
lists them, so the gated rules (rights line, cookie and newsletter notices) can hold
Russian words. Players and captions are not gathered yet.
"""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

#: Why some gated fields are empty.
GATED = "not gathered yet: Russian pages are rare in the corpus"

PACK = LanguagePack(
    code="ru",
    name="Russian",
    ui_words=words(
        """
        поделиться поделитесь поделись репост печать распечатать комментарии комментарий
        комментариев комментировать подписаться подпишитесь подписка отписаться реклама
        похожие популярное популярные последние главная поиск найти войти вход выйти
        регистрация зарегистрироваться меню закрыть наверх назад далее вперёд вперед
        показать скрыть ещё читать читайте подробнее смотреть смотрите ответить
        копировать скопировать сохранить избранное теги рубрики ссылка
        контакты конфиденциальность отмена отправить пароль
        """
    ),
    ui_filler_words=words(
        """
        в на и с к о по для от из у за это этот эту наш наши нас вас вам все всё сейчас
        здесь статью статья статьи новости новость также тоже
        """
    ),
    related_headers=phrases(
        """
        читайте также|читать также|смотрите также|см также|похожие статьи|похожие новости
        |похожие материалы|другие новости|новости по теме|по теме|материалы по теме
        |ещё по теме|популярное|самое читаемое|самое популярное|последние новости
        |вам может быть интересно|вам также может понравиться|рекомендуем
        """
    ),
    function_words=words(
        """
        и в не на что с по к а как это из у за о от же так но все она он они мы вы я был
        была было были быть его её их который которые для до при уже или если бы ли только
        также чтобы
        """
    ),
    # Whole names (nominative and genitive), or an abbreviation that ends there: "2 марки"
    # is no date.
    months=(
        "январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?"
        "|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе]",
        r"(янв|фев|мар|апр|июн|июл|авг|сент?|окт|ноя|дек)\b\.?",
    ),
    relative_times=(
        r"(\d+\s+)?(секунд[уы]?|минут[уы]?|час(а|ов)?|д(ень|ня|ней)|недел[юиь]|месяц(а|ев)?"
        r"|год(а)?|лет)\s+назад",
        "только что",
        "вчера",
        "сегодня",
    ),
    date_joiners=Absent('Russian puts nothing between day and month ("23 июня 2025")'),
    weekdays=("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
    ordinal_suffixes=Absent("Russian writes no suffix after a day number"),
    year_marks=(r"г\.", "года"),
    dateline_prefixes=("опубликовано", "обновлено", "дата публикации", "изменено"),
    post_date_prefixes=Absent("no prefix that dates a post apart from the page seen"),
    dateline_prepositions=Absent('Russian puts a colon after such a word ("Обновлено:")'),
    time_prepositions=("в",),
    time_suffixes=Absent("Russian writes a 24-hour time with nothing after it"),
    byline_prefixes=(r"автор\s*:", r"текст\s*:"),
    name_joiners=("и",),
    articles=Absent("Russian has no articles"),
    listen_prompts=Absent(GATED),
    minute_words=Absent(GATED),
    reading_time_words=Absent(GATED),
    reading_time_labels=Absent(GATED),
    cms_footers=Absent(GATED),
    rights_reserved=phrases("все права защищены"),
    cookie_subjects=Absent(GATED),
    cookie_verbs=Absent(GATED),
    cookie_nouns=Absent(GATED),
    cookie_phrases=phrases("используем файлы cookie|использует файлы cookie|принять cookie"),
    newsletter_pitches=phrases(
        "подпишитесь на (?:нашу )?рассылку|подпишитесь на наш канал|подпишитесь на наш телеграм"
    ),
    share_prompts=(
        r"поделит(ь|е)с[яь] (в|этой|статьей|статьёй|новостью|с друзьями)\b",
        r"подписывайтесь на (нас|наш)\b",
        r"читайте нас в\b",
    ),
    ad_markers=(r"продолжение (статьи|материала) (ниже|после рекламы)",),
    photo_credit_words=Absent(GATED),
    photo_labels=Absent(GATED),
    taxonomy_labels=(
        "теги",
        "метки",
        "рубрики",
        "рубрика",
        "категории",
        "категория",
        "темы",
    ),
    taxonomy_phrases=Absent("Russian tag lines carry a colon"),
    comment_form_phrases=(
        "ваш (адрес )?e-?mail не будет опубликован",
        "обязательные поля помечены",
        "отменить ответ",
        "комментарии закрыты",
        r"^\W*(добавить|оставить) комментарий\b",
        "сохранить мо(ё|е) имя, e-?mail",
        r"^\W*(имя|e-?mail|сайт|комментарий)\s*\*\W*$",
    ),
    commenter_verbs=("пишет", "говорит"),
    related_header_prefixes=Absent(
        "none seen in the corpus; the obvious translation of 'more from' also opens "
        "sentences and headlines"
    ),
    shop_labels=(
        "(нет )?в наличии",
        "(добавить )?в корзину",
        r"\(?\d[\d,.]*\)?\s*(отзыв(ов|а)?|оцен(ок|ки|ка))",
    ),
    feedback_prompts=("сообщить об ошибке", "нашли ошибку", "пожаловаться"),
    post_navigation=("(предыдущая|следующая) (статья|запись)",),
    forum_stat_labels=("сообщени(й|я|е)", "ответов", "репутация"),
    forum_join_labels=("регистрация", "зарегистрирован", "на форуме с"),
)
