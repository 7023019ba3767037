"""English. Social networks' and apps' names sit here too: English labels are where the
corpus showed them, and they are the same words in every language."""

from __future__ import annotations

from cleaner.languages.pack import Absent, LanguagePack, phrases, words

PACK = LanguagePack(
    code="en",
    name="English",
    ui_words=words(
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
        live breaking flash headlines log sign sections section jump bookmark save saved
        print-friendly rss feed feeds download app apps podcast podcasts top back main content
        contact careers advertise privacy sitemap submit password newsroom donate feedback cancel loading
        """
    ),
    ui_filler_words=words(
        """
        the a an to in on of via with for and or by this that these our us your my you all
        it up out now here about news story article post posts page source open leave be
        first
        """
    ),
    related_headers=phrases(
        """
        related|related topics|related articles|related stories|related posts|related news
        |related content|related coverage|read more|read also|read next|more stories
        |more news|more from|more on this|more on this story|more like this|you may also like
        |you might also like|recommended|recommended for you|recommended stories|most read
        |most popular|most viewed|trending|trending now|top stories|latest|latest news
        |latest stories|latest articles|see also|further reading|also read|don't miss
        |editors picks|editor's picks|editors choice|editor's choice|staff picks|top picks
        |picks for you|most shared|popular now
        """
    ),
    function_words=words(
        """
        the a an of to in on at for with by from and or but is are was were be been has have
        had it its this that these those as not he she they we you i his her their our which who
        """
    ),
    # "may" and "march" are also words, and "[a-z]*" takes any ending: the date rules
    # only take a month next to a day number, which keeps "May 2025 was wet" in.
    months=(r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?",),
    relative_times=(
        r"(\d+|an?|one)\s*(sec|second|min|minute|hour|hr|day|week|month|year)s?\s+ago",
        "just now",
        "yesterday",
    ),
    date_joiners=Absent('English puts nothing between day and month ("23 June 2025")'),
    weekdays=(r"\w+day",),
    ordinal_suffixes=("st", "nd", "rd", "th"),
    year_marks=Absent("English writes nothing after a year"),
    dateline_prefixes=(
        "updated",
        "published",
        "last updated",
        "modified",
        "originally published",
    ),
    post_date_prefixes=("posted",),
    dateline_prepositions=("on",),
    time_prepositions=("at",),
    time_suffixes=(r"[ap]\.?m\.?",),
    byline_prefixes=("by", "written by", "author:"),
    name_joiners=("and",),
    articles=("the", "a", "an"),
    listen_prompts=(
        "audio player",
        "listen to (this|the) (article|story|podcast|episode)",
    ),
    minute_words=("min", "minute", "minutes"),
    reading_time_words=("read", "listen"),
    reading_time_labels=("reading time",),
    cms_footers=(
        r"^the post .{3,300} appeared first on .{2,100}$",
        "^source link$",
        r"^(originally )?published (on|at|in) \S+\.?$",
        r"this (article|story|post) (was )?(originally )?(published|appeared) (on|in|at|by)\b",
        "powered by (wordpress|ghost|drupal|joomla|blogger|squarespace|wix)",
        r"^copyright\s*(©|\(c\))?\s*\d{4}",
    ),
    rights_reserved=("all rights reserved",),
    cookie_subjects=("we", "this (web)?site", "our (web)?site"),
    cookie_verbs=("use", "uses", "using"),
    cookie_nouns=words("policy settings preferences consent banner"),
    cookie_phrases=(r"\baccept( all)? cookies", r"\ball cookies\b"),
    newsletter_pitches=(
        r"\b(sign up|signup|subscribe|register|join|get)\b.{0,60}"
        r"\b(newsletters?|inbox|e-?mail updates|briefing|digest)",
        r"\b(already a subscriber|subscribe (now|today)|subscribers? only|for subscribers"
        r"|you have \d+ free (articles?|stories)|free articles? (left|remaining)"
        r"|(sign|log) in to (continue|read|comment)|create (a |your )?free account)\b",
    ),
    share_prompts=(
        r"(share|tweet|post|email|send) (this|on|via|to|it)\b",
        r"(follow|like) us\b",
        "click to (share|email|print)",
        r"share (the |full |our |your )?(article|story|post|page|link|recipe|video|gallery|photos?)\W*$",
        # a recipe card's buttons and its closing pitch (WP Recipe Maker, Tasty Recipes)
        r"(jump to|print|pin|save|rate) (this |the )?recipe\W*$",
        "did you (make|try) this recipe",
        r"tag @\S+ on (instagram|pinterest|twitter|facebook)",
    ),
    ad_markers=(
        "(the )?(story|article|text) continues (below|after)",
        r"continue reading( below| the main story)?\W*$",
        "scroll (down )?to continue",
    ),
    photo_credit_words=words("photo image credit"),
    photo_labels=("photo", "image", "picture", "credit", "photo credit"),
    taxonomy_labels=(
        "tags?",
        "tagged",
        "categories",
        "category",
        "filed under",
        "posted in",
        "topics",
        "see more on",
        "more on",
    ),
    taxonomy_phrases=(
        "filed under",
        "posted in",
        "tagged with",
        "tagged in",
        "categori[sz]ed (in|under)",
    ),
    comment_form_phrases=(
        "your email address will not be published",
        "required fields are marked",
        r"save my name,? email",
        "cancel reply",
        "comments are closed",
        r"^\W*leave a (comment|reply)\b",
        "you must be logged in to post a comment",
        "notify me of (new|follow-up) (comments|posts)",
        r"^\W*(your )?(full )?(name|e-?mail( address)?|website|comment|message)\s*(\*|\(required\))\W*$",
        r"^\W*(enter )?(your )?e-?mail( address)?( here)?\W*$",
        r"^\W*(your )?website\W*$",
    ),
    commenter_verbs=("says",),
    related_header_prefixes=phrases("more from|more by|more in|latest from"),
    # not "sold out" (a product page's gold keeps it), not "votes" (election results)
    shop_labels=(
        "(in|out of) stock",
        r"only \d+ left( in stock)?",
        "add to (cart|bag|basket|wishlist|wish list)",
        r"\(?\d[\d,.]*\)?\s*(customer |global |product )?(ratings?|reviews?)",
    ),
    feedback_prompts=(
        "report (an? )?(error|typo|correction|issue|problem|abuse)",
        "report this (comment|post|ad|article|story)",
        "submit (an? )?(news )?(tip|correction|story|event)",
        "send us (a |your )?(news )?tips?",
        "suggest a correction",
        "contact the (newsroom|editors?)",
        "(was|is) this (page|article|post|answer|information|guide|content) (helpful|useful)",
        "did you find this (page|article|post|information) (helpful|useful)",
    ),
    post_navigation=(r"(previous|next|older|newer) (post|article|story|entry)\b",),
    forum_stat_labels=(
        "posts",
        "messages",
        "replies",
        "reputation",
        "solutions",
        "badges",
        "likes( received)?",
        "reaction score",
    ),
    forum_join_labels=("join date", "joined( on)?", "member since", "registered( on)?"),
)
