"""Chinese, simplified and traditional.

Chinese writes no spaces and the tokeniser splits it into characters
(`cleaner.tokens`): the word fields hold words of two or more characters, which the rules
find by dividing a run of characters into them (`cleaner.cleaners.lexicon.segment_cjk`),
and the function words are single characters, the tokens the line features count. In the
regex fragments `\\b` does not fall between two characters, so none is written there.
"""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

#: Why the fields of dates written with 年, 月 and 日 are empty.
NUMERIC_DATES = (
    "Chinese writes dates in numerals with 年月日 (2025年6月23日), which the date pattern "
    "reads for every language (`cleaner.cleaners.rules`), as it reads ISO dates"
)
#: Why the fields of image credits are empty.
FULL_WIDTH = (
    "Chinese credits use full-width brackets and colons （）：, which the caption pattern "
    "does not read"
)

PACK = LanguagePack(
    code="zh",
    name="Chinese",
    ui_words=words(
        """
        分享 分享到 分享至 转发 轉發 打印 列印 评论 評論 条评论 則評論 发表评论 發表評論
        留言 收藏 点赞 點讚 关注 關注 订阅 訂閱 广告 廣告 推广 赞助 贊助 相关 相關 最新
        热门 熱門 推荐 推薦 首页 首頁 主页 搜索 搜尋 登录 登入 注册 註冊 退出 登出 菜单
        選單 关闭 關閉 返回 顶部 頂部 返回顶部 返回頂部 回到顶部 回到頂部 上一篇 下一篇
        上一页 下一页 上一頁 下一頁 更多 查看更多 阅读全文 閱讀全文 展开全文 阅读更多
        閱讀更多 复制链接 複製連結 链接 連結 微信 微博 朋友圈 扫一扫 二维码 标签 標籤
        """
    ),
    ui_filler_words=words("文章 新闻 新聞 本文 全部 我们 我們 网站 網站"),
    related_headers=phrases(
        """
        相关文章|相关阅读|相关新闻|相关推荐|相关报道|相关内容|推荐阅读|延伸阅读|热门文章
        |热门推荐|最新文章|最新新闻|猜你喜欢|你可能还喜欢|你可能感兴趣|精彩推荐|阅读排行
        |大家都在看|更多新闻|相關文章|相關閱讀|相關新聞|相關報導|延伸閱讀|推薦閱讀|熱門文章
        |猜你喜歡|你可能也喜歡|更多新聞
        """
    ),
    # Single characters, simplified and traditional: the tokens the line features count.
    function_words=words(
        """
        的 了 是 在 不 和 有 这 這 我 他 她 也 就 都 而 与 與 及 对 對 被 把 从 從
        将 將 为 為 之 着 過 过 们 們 中 一 个 個 说 說 会 會
        """
    ),
    months=Absent(NUMERIC_DATES),
    relative_times=(
        r"\d+\s*(秒|分钟|分鐘|小时|小時|天|周|週|个月|個月|年)前",
        "刚刚",
        "剛剛",
        "昨天",
        "前天",
    ),
    date_joiners=Absent(NUMERIC_DATES),
    weekdays=Absent(NUMERIC_DATES),
    ordinal_suffixes=Absent(NUMERIC_DATES),
    year_marks=Absent(NUMERIC_DATES),
    # The colon is written here because Chinese writes it full-width.
    dateline_prefixes=("(发布|發佈|發布|发表|發表|更新)(时间|時間|日期|于|於)[:：]?",),
    post_date_prefixes=Absent("no prefix that dates a post apart from the page seen"),
    dateline_prepositions=Absent("Chinese puts a colon, not a preposition, after such a word"),
    time_prepositions=Absent("Chinese puts nothing between a date and its time"),
    time_suffixes=Absent("Chinese writes a 24-hour time with nothing after it"),
    byline_prefixes=Absent(
        "Chinese names have no capitals, which the byline pattern reads names by"
    ),
    name_joiners=Absent("no Chinese bylines are read (see byline_prefixes)"),
    articles=Absent("Chinese has no articles"),
    listen_prompts=Absent("no Chinese text-to-speech prompts known"),
    minute_words=("分钟", "分鐘"),
    reading_time_words=("阅读", "閱讀"),
    reading_time_labels=("阅读时间", "閱讀時間", "预计阅读时间"),
    cms_footers=(
        "转载请注明(出处|来源)",
        "轉載請註明(出處|來源)",
        "未经(许可|授权)[,，]?(不得|禁止)转载",
    ),
    # Not the copyright holder (版权所有者, 版权所有人), which is prose.
    rights_reserved=("版权所有(?![者人])", "版權所有(?![者人])", "保留所有权利"),
    cookie_subjects=Absent("Chinese cookie notices are few; cookie_phrases holds them"),
    cookie_verbs=Absent("Chinese cookie notices are few; cookie_phrases holds them"),
    cookie_nouns=Absent("Chinese cookie notices are few; cookie_phrases holds them"),
    cookie_phrases=(
        r"(本网站|本站|我们|本網站|我們)(会)?使用\s*cookies?",
        r"接受(所有|全部)?\s*cookies?",
    ),
    newsletter_pitches=("订阅我们的(新闻|电子报|邮件|通讯)", "訂閱我們的(新聞|電子報|郵件|通訊)"),
    share_prompts=(
        r"(分享|转发|轉發)(到|至)[:：]?\s*(微信|微博|朋友圈|qq|facebook|twitter|脸书|臉書)",
        # the whole line: "关注我们身边的人" (care for those around us) is prose
        r"(关注|關注)(我们|我們)(的)?(官方)?(微信|微博|公众号|公眾號){0,2}\W*$",
    ),
    ad_markers=Absent("no Chinese ad markers known"),
    photo_credit_words=Absent(FULL_WIDTH),
    photo_labels=Absent(FULL_WIDTH),
    taxonomy_labels=(
        "标签",
        "標籤",
        "分类",
        "分類",
    ),
    taxonomy_phrases=Absent("Chinese tag lines carry a colon"),
    comment_form_phrases=(
        "电子邮件地址不会被公开",
        "电子邮箱地址不会被公开",
        "電子郵件地址不會被公開",
        "必填项已用",
        "取消回复",
        "评论已关闭",
        "發表留言",
        "发表评论",
        r"^\W*(名称|姓名|电子邮件|邮箱|站点|网站|评论)\s*\*\W*$",
    ),
    commenter_verbs=("说", "說"),
    related_header_prefixes=Absent(
        "none seen in the corpus; the obvious translation of 'more from' also opens "
        "sentences and headlines"
    ),
    shop_labels=(
        "加入购物车",
        "立即购买",
        "有货",
        "无货",
        "缺货",
        r"\d[\d,]*\s*(条评价|人评价)",
    ),
    feedback_prompts=("举报", "纠错", "报告错误"),
    post_navigation=("上一篇", "下一篇"),
    forum_stat_labels=("帖子", "回复", "积分", "主题"),
    forum_join_labels=("注册时间", "注册于", "加入时间"),
)
