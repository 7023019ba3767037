"""The language packs beyond English, German, French and Spanish (Italian, Portuguese,
Dutch, Polish, Russian, Chinese, Japanese, Albanian): each pack's words reach the rules,
real short lines of each language stay silent, and Chinese and Japanese UI words, written
without spaces, are found although the tokeniser splits them into characters."""

from __future__ import annotations

import pytest

from cleaner.cleaners.lexicon import CJK_UI_WORDS, RELATED_HEADERS, UI_WORDS, segment_cjk
from cleaner.cleaners.rules import RULES, byline_author
from cleaner.languages import PACKS
from cleaner.tokens import cjk_runs, is_cjk, line_tokens, line_words, tokenise

NEW_PACKS = ("it", "pt", "nl", "pl", "ru", "zh", "ja", "sq")


def fired(line: str) -> list[str]:
    """Names of the registered rules that fire on `line`, in registry order."""
    return [name for name, rule in RULES.items() if rule(line)]


def test_the_new_packs_are_registered() -> None:
    assert set(NEW_PACKS) <= set(PACKS)


@pytest.mark.parametrize("code", NEW_PACKS)
def test_the_new_packs_fill_the_ui_fields(code: str) -> None:
    pack = PACKS[code]
    for field in ("ui_words", "related_headers", "function_words", "relative_times"):
        assert getattr(pack, field), (code, field)
    assert 25 <= len(pack.function_words) <= 60


# --- each pack's words reach the rule: (code, rule, line) ---------------------------------

FIRES = [
    ("it", "ui_phrase", "Condividi"),
    ("it", "ui_phrase", "Torna su"),
    ("it", "related_header", "Leggi anche"),
    ("it", "timestamp", "2 ore fa"),
    ("it", "timestamp", "un'ora fa"),
    ("it", "timestamp", "Pubblicato il 23 giugno 2025 alle 10:30"),
    ("it", "timestamp", "lunedì 23 giugno 2025"),
    ("it", "cms_footer", "Riproduzione riservata © 2025"),
    ("it", "cookie_notice", "Questo sito utilizza cookie tecnici e di profilazione."),
    ("it", "newsletter_pitch", "Iscriviti alla nostra newsletter"),
    ("it", "share_prompt", "Condividi su Facebook"),
    ("it", "ad_marker", "L'articolo continua dopo la pubblicità"),
    ("it", "audio_player", "Ascolta l'articolo"),
    ("it", "byline", "Scritto da Mario Rossi"),
    ("pt", "ui_phrase", "Compartilhar"),
    ("pt", "ui_phrase", "Carregar mais"),
    ("pt", "related_header", "Leia também"),
    ("pt", "timestamp", "há 3 horas"),
    ("pt", "timestamp", "Publicado em 23 de junho de 2025 às 10:30"),
    ("pt", "cms_footer", "Todos os direitos reservados."),
    ("pt", "cookie_notice", "Utilizamos cookies para melhorar a sua experiência."),
    ("pt", "share_prompt", "Siga-nos no Instagram"),
    ("pt", "ad_marker", "A matéria continua após a publicidade"),
    ("pt", "byline", "Por João Silva"),
    ("nl", "ui_phrase", "Delen"),
    ("nl", "ui_phrase", "Terug naar boven"),
    ("nl", "related_header", "Lees ook"),
    ("nl", "timestamp", "3 uur geleden"),
    ("nl", "timestamp", "Bijgewerkt op 23 juni 2025 om 10:30"),
    ("nl", "cms_footer", "© 2025 Voorbeeld Media. Alle rechten voorbehouden."),
    ("nl", "cookie_notice", "Wij gebruiken cookies om de site te verbeteren."),
    ("nl", "newsletter_pitch", "Meld je aan voor onze nieuwsbrief"),
    ("nl", "share_prompt", "Volg ons op Facebook"),
    ("nl", "ad_marker", "Het artikel gaat verder onder de advertentie"),
    ("pl", "ui_phrase", "Udostępnij"),
    ("pl", "related_header", "Czytaj też"),
    ("pl", "related_header", "Zobacz także"),
    ("pl", "timestamp", "2 godziny temu"),
    ("pl", "timestamp", "Opublikowano: 23 czerwca 2025"),
    ("pl", "timestamp", "23 czerwca 2025 r."),
    ("pl", "cms_footer", "Wszelkie prawa zastrzeżone"),
    ("pl", "cookie_notice", "Ta strona używa plików cookies."),
    ("pl", "share_prompt", "Obserwuj nas na Facebooku"),
    ("pl", "ad_marker", "Dalsza część artykułu pod reklamą"),
    ("pl", "byline", "Autor: Jan Kowalski"),
    ("ru", "ui_phrase", "Поделиться"),
    ("ru", "ui_phrase", "Читать далее"),
    ("ru", "related_header", "Читайте также"),
    ("ru", "related_header", "Похожие статьи:"),
    ("ru", "timestamp", "2 часа назад"),
    ("ru", "cms_footer", "© 2025 Пример. Все права защищены."),
    ("ru", "cookie_notice", "Мы используем файлы cookie, чтобы сайт работал лучше."),
    ("ru", "newsletter_pitch", "Подпишитесь на нашу рассылку и получайте новости первыми."),
    ("ru", "timestamp", "Час назад"),
    ("ru", "timestamp", "Обновлено: 23 июня 2025 в 10:30"),
    ("ru", "timestamp", "23 июня 2025 г."),
    ("ru", "share_prompt", "Подписывайтесь на нас в Telegram"),
    ("ru", "byline", "Автор: Иван Петров"),
    ("zh", "ui_phrase", "分享"),
    ("zh", "ui_phrase", "返回顶部"),
    ("zh", "ui_phrase", "12 条评论"),
    ("zh", "ui_phrase", "分享到 微信 微博"),
    ("zh", "related_header", "相关文章"),
    ("zh", "related_header", "猜你喜欢："),
    ("zh", "related_header", "延伸閱讀"),
    ("zh", "timestamp", "3小时前"),
    ("zh", "timestamp", "发布时间：2025-06-23 10:30"),
    ("zh", "timestamp", "2025年6月23日 10:30"),
    ("zh", "timestamp", "2025/06/23"),
    ("zh", "cms_footer", "版权所有 © 2025 新华网"),
    ("zh", "cookie_notice", "本网站使用Cookie来改善您的体验"),
    ("zh", "share_prompt", "分享到：微信"),
    ("zh", "share_prompt", "关注我们的微信公众号"),
    ("ja", "ui_phrase", "シェア"),
    ("ja", "ui_phrase", "シェアする"),
    ("ja", "ui_phrase", "トップへ戻る"),
    ("ja", "related_header", "関連記事"),
    ("ja", "related_header", "あわせて読みたい"),
    ("ja", "timestamp", "3時間前"),
    ("ja", "timestamp", "2025年6月23日"),
    ("it", "taxonomy_line", "Argomenti: clima, energia"),
    ("it", "comment_form", "Il tuo indirizzo email non sarà pubblicato."),
    ("pt", "taxonomy_line", "Arquivado em: Política"),
    ("pt", "comment_form", "Deixe um comentário Cancelar resposta"),
    ("nl", "taxonomy_line", "Categorieën: klimaat, energie"),
    ("nl", "comment_form", "Je e-mailadres wordt niet gepubliceerd."),
    ("pl", "taxonomy_line", "Tagi: klimat, energia"),
    ("pl", "commenter_line", "Jan Kowalski pisze:"),
    ("ru", "taxonomy_line", "Теги: климат, энергия"),
    ("ru", "comment_form", "Ваш адрес email не будет опубликован."),
    ("ru", "commenter_line", "Иван Петров пишет:"),
    ("zh", "taxonomy_line", "标签：气候 能源"),
    ("zh", "comment_form", "取消回复"),
    ("ja", "taxonomy_line", "タグ：気候"),
    ("ja", "comment_form", "メールアドレスが公開されることはありません。"),
    ("ja", "cms_footer", "無断転載を禁じます"),
    ("ja", "cookie_notice", "当サイトではCookieを使用しています。"),
    ("ja", "share_prompt", "この記事をシェアする"),
    ("sq", "ui_phrase", "Shpërndaj"),
    ("sq", "ui_phrase", "Kthehu lart"),
    ("sq", "related_header", "Lexo më shumë"),
    ("sq", "related_header", "Të fundit"),
    ("sq", "timestamp", "para 2 orësh"),
    ("sq", "timestamp", "e hënë, 23 qershor 2025"),
    ("sq", "timestamp", "Publikuar më 23 qershor 2025"),
    ("sq", "cms_footer", "Të gjitha të drejtat të rezervuara"),
    ("sq", "share_prompt", "Na ndiqni në Facebook"),
    ("sq", "byline", "Nga Arben Xhaferi"),
]


@pytest.mark.parametrize(("code", "rule", "line"), FIRES, ids=[f"{c}-{r}" for c, r, _ in FIRES])
def test_a_new_packs_words_reach_the_rule(code: str, rule: str, line: str) -> None:
    assert RULES[rule](line), (code, line, fired(line))


# --- real short lines of each language: no rule fires -------------------------------------

CONTENT = [
    ("it", "Il sindaco ha detto no."),
    ("it", "2 tazze di farina"),
    ("it", "Le leggi"),
    ("it", "La Stampa"),
    ("it", "3 settimane"),
    ("it", "Di Maio e Conte"),
    ("it", "Continua la protesta dei medici"),
    ("pt", "O presidente disse não."),
    ("pt", "2 xícaras de farinha"),
    ("pt", "Mais de 40 mortos"),
    ("pt", "2 maiores"),
    ("pt", "Veja"),
    ("nl", "De minister zei nee."),
    ("nl", "3 maanden"),
    ("nl", "Door de regen"),
    ("pl", "Burmistrz powiedział nie."),
    ("pl", "2 szklanki mąki"),
    ("pl", "5 lisów"),
    ("pl", "Góry"),
    ("ru", "Курс рубля упал"),
    ("ru", "Президент сказал нет."),
    ("ru", "2 стакана муки"),
    ("ru", "2 марки"),
    ("zh", "我们今天去公园。"),
    ("zh", "中国经济增长放缓"),
    ("zh", "关注民生问题"),
    ("zh", "分享经济"),
    ("zh", "关注我们身边的人"),
    ("zh", "该书的版权所有者是出版社。"),
    ("ja", "私たちは今日公園に行きました。"),
    ("ja", "シェアハウスが増えている"),
    ("ja", "クッキーを使用したレシピ"),
    ("sq", "Kryeministri tha jo."),
    ("sq", "2 gota miell"),
    ("sq", "Rama dhe Berisha"),
    ("sq", "Sot në Tiranë"),
    # Lines of other languages next to the new packs' words (one vocabulary for all)
    ("en", "No comment."),
    ("en", "I like it"),
    ("en", "Do more"),
    ("en", "Door Hardware Guide"),
    ("en", "- First responder"),
    ("en", "[youtube.com]"),
    ("en", "print ( e )"),
    ("de", "Das Meer"),
    ("de", "Mais"),
    ("es", "De cerca"),
    ("es", "Un precedente"),
    ("es", "El topo"),
    ("en", "return x + 1;"),
    ("en", "## Installation"),
]


@pytest.mark.parametrize(("code", "line"), CONTENT, ids=[f"{c}-{line}" for c, line in CONTENT])
def test_no_rule_fires_on_a_short_content_line(code: str, line: str) -> None:
    assert fired(line) == [], (code, line)


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("Scritto da Mario Rossi e Anna Bianchi", "Mario Rossi e Anna Bianchi"),
        ("Автор: Иван Петров и Анна Смирнова", "Иван Петров и Анна Смирнова"),
        ("Nga Arben Xhaferi", "Arben Xhaferi"),
        # the new packs' articles refuse no English author's name word
        ("By Kevin Lo", "Kevin Lo"),
        ("By Ann De Vries", "Ann De Vries"),
        ("Di Maio e Conte", None),  # "di" is no byline prefix
        ("By The Numbers", None),
    ],
)
def test_byline_author_in_the_new_packs(line: str, author: str | None) -> None:
    assert byline_author(line) == author


# --- Chinese and Japanese: words without spaces --------------------------------------------


def test_no_single_cjk_character_is_vocabulary() -> None:
    """A single ideograph or kana is too common in prose to be UI alone."""
    words = UI_WORDS | RELATED_HEADERS
    assert [w for w in words if is_cjk(w) and len(w) == 1] == []
    assert all(len(w) > 1 for w in CJK_UI_WORDS)


def test_word_entries_are_single_tokens_outside_cjk() -> None:
    """`ui_phrase` compares a line's tokens with the UI words: a word the tokeniser splits
    could never match."""
    for code in PACKS:
        for field in ("ui_words", "ui_filler_words", "function_words"):
            for word in getattr(PACKS[code], field):
                if not is_cjk(word):
                    assert tokenise(word) == (word,), (code, field, word)


@pytest.mark.parametrize("code", ["zh", "ja"])
def test_cjk_function_words_are_tokens(code: str) -> None:
    """The line features count function words among a line's tokens: single characters."""
    assert all(tokenise(w) == (w,) for w in PACKS[code].function_words)


def test_cjk_runs_glue_characters_and_leave_other_tokens() -> None:
    assert list(cjk_runs(line_tokens("分享到 微信 · Share 12"))) == ["分享到微信", "share", "12"]
    assert list(cjk_runs(line_tokens("Share this"))) == ["share", "this"]
    assert line_words("分享到 微信 · Share 12") == ("分享到微信", "share", "12")
    assert line_words("Share this") is line_tokens("Share this")


@pytest.mark.parametrize(
    ("run", "parts"),
    [
        ("分享", ("分享",)),
        ("返回顶部", ("返回顶部",)),
        ("分享到微信朋友圈", ("分享到", "微信", "朋友圈")),
        ("シェアする", ("シェア", "する")),
        ("我们今天去公园", None),
        ("分享经济", None),
        ("分", None),
        ("分享" * 13, None),  # longer than any label
        ("share", None),
    ],
)
def test_segment_cjk_divides_a_run_wholly_or_not_at_all(
    run: str, parts: tuple[str, ...] | None
) -> None:
    assert segment_cjk(run) == parts


def test_segment_cjk_divides_any_two_ui_words_into_ui_words() -> None:
    """A label of two UI words divides back into UI words that make up the whole run,
    whatever the longest-first choice takes at each place."""
    for first in CJK_UI_WORDS:
        for second in CJK_UI_WORDS:
            parts = segment_cjk(first + second)
            assert parts is not None, (first, second)
            assert "".join(parts) == first + second and set(parts) <= CJK_UI_WORDS


def test_cyrillic_word_boundaries_hold_in_the_patterns() -> None:
    """Python's `\\b` is Unicode: a Cyrillic prompt ends at a word's end, not inside one."""
    assert RULES["share_prompt"]("Подписывайтесь на нас в Telegram")
    assert not RULES["share_prompt"]("Подписывайтесь на насосы")
