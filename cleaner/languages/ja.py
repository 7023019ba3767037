"""Japanese.

As in Chinese (`cleaner.languages.zh`), the tokeniser splits Japanese into characters:
the word fields hold words of two or more characters, which the rules find by dividing a
run of characters into them, and the function words are single kana, the tokens the line
features count. No `\\b` is written in the fragments.
"""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

#: Why the fields of dates written with 年, 月 and 日 are empty.
NUMERIC_DATES = (
    "Japanese writes dates in numerals with 年月日 (2025年6月23日), which the date pattern "
    "reads for every language (`cleaner.cleaners.rules`), as it reads ISO dates"
)
#: Why the fields of image credits are empty.
FULL_WIDTH = (
    "Japanese credits use full-width brackets and colons （）：, which the caption pattern "
    "does not read"
)

PACK = LanguagePack(
    code="ja",
    name="Japanese",
    ui_words=words(
        """
        シェア ツイート ポスト いいね 印刷 コメント 購読 フォロー 広告 スポンサー 関連 最新
        人気 おすすめ ホーム 検索 ログイン ログアウト 新規登録 会員登録 メニュー 閉じる
        戻る 次へ 前へ もっと見る 続きを読む 続きを見る 記事一覧 一覧 ページトップ
        トップへ戻る ページトップへ ページの先頭へ 先頭へ戻る ブックマーク 保存 コピー リンク
        """
    ),
    ui_filler_words=words("する この 記事 ニュース すべて"),
    related_headers=phrases(
        """
        関連記事|関連ニュース|おすすめ記事|人気記事|最新記事|新着記事|注目記事
        |あわせて読みたい|合わせて読みたい|こちらもおすすめ|よく読まれている記事
        |アクセスランキング|こちらの記事もおすすめ
        """
    ),
    function_words=words(
        "の に は を た が で て と も な だ か ら し れ る こ さ う い ま す へ や ず ん つ"
    ),
    months=Absent(NUMERIC_DATES),
    relative_times=(r"\d+\s*(秒|分|時間|日|週間|か月|ヶ月|カ月|年)前", "たった今", "昨日"),
    date_joiners=Absent(NUMERIC_DATES),
    weekdays=Absent(NUMERIC_DATES),
    ordinal_suffixes=Absent(NUMERIC_DATES),
    year_marks=Absent(NUMERIC_DATES),
    # The colon is written here because Japanese writes it full-width.
    dateline_prefixes=("(公開|更新|投稿|配信|掲載)(日|日時)[:：]?",),
    post_date_prefixes=Absent("no prefix that dates a post apart from the page seen"),
    dateline_prepositions=Absent("Japanese puts a colon, not a preposition, after such a word"),
    time_prepositions=Absent("Japanese puts nothing between a date and its time"),
    time_suffixes=Absent("Japanese writes a 24-hour time with nothing after it"),
    byline_prefixes=Absent(
        "Japanese names have no capitals, which the byline pattern reads names by"
    ),
    name_joiners=Absent("no Japanese bylines are read (see byline_prefixes)"),
    articles=Absent("Japanese has no articles"),
    listen_prompts=Absent("no Japanese text-to-speech prompts known"),
    minute_words=Absent("Japanese reading-time badges open with words (この記事は約3分で読めます)"),
    reading_time_words=Absent(
        "Japanese reading-time badges open with words (この記事は約3分で読めます)"
    ),
    reading_time_labels=Absent(
        "Japanese reading-time badges open with words (この記事は約3分で読めます)"
    ),
    cms_footers=Absent("no Japanese feed footers beyond the rights line known"),
    rights_reserved=("無断転載(を)?禁(止|じます)",),
    cookie_subjects=Absent("Japanese cookie notices put the verb last; cookie_phrases holds them"),
    cookie_verbs=Absent("Japanese cookie notices put the verb last; cookie_phrases holds them"),
    cookie_nouns=Absent("Japanese cookie notices put the verb last; cookie_phrases holds them"),
    # Spelt "cookie" only: クッキー is also the biscuit ("クッキーを使用したレシピ").
    cookie_phrases=(r"cookies?\s*を\s*(使用|利用)",),
    newsletter_pitches=(
        "^(無料)?(メルマガ|メールマガジン|ニュースレター)(の|に|を)?(登録|購読)(する|はこちら)?$",
    ),
    share_prompts=("この(記事|ページ)を(シェア|共有|ツイート)",),
    ad_markers=Absent("no Japanese ad markers known"),
    photo_credit_words=Absent(FULL_WIDTH),
    photo_labels=Absent(FULL_WIDTH),
    taxonomy_labels=(
        "タグ",
        "カテゴリー",
        "カテゴリ",
    ),
    taxonomy_phrases=Absent("Japanese tag lines carry a colon"),
    comment_form_phrases=(
        "メールアドレスが公開されることはありません",
        "は必須項目です",
        "コメントをキャンセル",
        "コメントは受け付けていません",
        "コメントを残す",
        r"^\W*(名前|メール(アドレス)?|サイト|コメント)\s*\*\W*$",
    ),
    commenter_verbs=("より",),
    related_header_prefixes=Absent(
        "none seen in the corpus; the obvious translation of 'more from' also opens "
        "sentences and headlines"
    ),
    shop_labels=(
        "カートに入れる",
        "在庫あり",
        "在庫切れ",
        "在庫なし",
        r"\d[\d,]*\s*件の(レビュー|評価)",
    ),
    feedback_prompts=("誤りを報告", "問題を報告", "通報する"),
    post_navigation=("(前|次)の(記事|投稿)",),
    forum_stat_labels=("投稿数", "返信数"),
    forum_join_labels=("登録日", "参加日"),
)
