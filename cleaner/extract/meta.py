"""Page metadata read from the markup publishers write for search engines and social sites.

Open Graph and article meta tags, schema.org JSON-LD and microdata, `<link rel=canonical>`
and `<html lang>` carry the title, author, date, site name and canonical URL of most
news and blog pages. Reading them from the lexbor tree costs about a millisecond; asking
trafilatura for its metadata cost about a fifth of its extraction time (htmldate's date
search most of it), so the extractor runs without it. Where a page declares nothing, the
field is None, and the pipeline falls back to what the text says (a byline, a URL's host).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

#: Meta tags in the order they are trusted; the first with a value wins.
TITLE_TAGS = ("og:title", "twitter:title", "dc.title", "citation_title")
AUTHOR_TAGS = ("author", "article:author", "dc.creator", "citation_author", "parsely-author", "byl")
DATE_TAGS = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
)
SITE_TAGS = ("og:site_name", "application-name", "twitter:site")
DESCRIPTION_TAGS = ("description", "og:description", "twitter:description", "dc.description")
URL_TAGS = ("og:url", "twitter:url")

#: schema.org types whose `headline`/`author`/`datePublished` describe the page itself.
ARTICLE_TYPES = frozenset(
    """article newsarticle blogposting reportagenewsarticle analysisnewsarticle
    opinionnewsarticle reviewnewsarticle scholarlyarticle techarticle webpage
    socialmediaposting liveblogposting report review recipe qapage discussionforumposting
    medicalwebpage itempage""".split()
)

#: A JSON-LD block larger than this is a product catalogue or an app state dump, not page
#: metadata; parsing it would cost more than the rest of this module.
MAX_JSON_LD_CHARS = 200_000

_ISO_DATE = re.compile(r"((?:19|20)\d\d)[-/.]?(0[1-9]|1[0-2])[-/.]?(0[1-9]|[12]\d|3[01])")
_SPACE = re.compile(r"\s+")
#: "Headline | Site" and "Headline - Site": the site's part of a `<title>`.
_TITLE_SUFFIX = re.compile(r"\s+[|–—·•:-]\s+[^|–—·•]{2,60}$")

#: The earliest plausible publication date of a web page.
MIN_YEAR = 1993


def page_metadata(tree: LexborHTMLParser, url: str | None = None) -> dict[str, Any]:
    """Title, author, date (YYYY-MM-DD), site name, description, URL, host and language."""
    tags = _meta_tags(tree)
    ld = list(_json_ld_objects(tree))
    page_url = url or _canonical(tree, tags, url)
    return {
        "title": _first(tags, TITLE_TAGS) or _ld_text(ld, "headline", "name") or _title(tree),
        "author": _author(tree, tags, ld),
        "date": _date(tree, tags, ld),
        "site_name": _first(tags, SITE_TAGS[:2]) or _ld_publisher(ld) or _first(tags, SITE_TAGS),
        "description": _first(tags, DESCRIPTION_TAGS),
        "url": page_url,
        "hostname": _host(page_url),
        "language": _language(tree),
    }


def _meta_tags(tree: LexborHTMLParser) -> dict[str, str]:
    """`<meta>` values by lower-cased name or property; the first of a name is kept."""
    found: dict[str, str] = {}
    for node in tree.css("meta[content]"):
        attrs = node.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        value = _clean(attrs.get("content"))
        if key and value:
            found.setdefault(key.strip().lower(), value)
    return found


def _first(tags: dict[str, str], names: tuple[str, ...]) -> str | None:
    return next((tags[n] for n in names if tags.get(n)), None)


def _json_ld_objects(tree: LexborHTMLParser) -> Iterator[dict[str, Any]]:
    """Objects of the page's own schema.org types, from every JSON-LD block and `@graph`."""
    for node in tree.css("script[type='application/ld+json']"):
        raw = node.text(deep=True)
        if not raw or len(raw) > MAX_JSON_LD_CHARS:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        for obj in _flatten_ld(data):
            types = obj.get("@type")
            names = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in ARTICLE_TYPES for t in names):
                yield obj


def _flatten_ld(data: Any) -> Iterator[dict[str, Any]]:
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            if isinstance(item.get("@graph"), list):
                stack.extend(reversed(item["@graph"]))


def _ld_text(objects: list[dict[str, Any]], *keys: str) -> str | None:
    for obj in objects:
        for key in keys:
            if isinstance(value := obj.get(key), str) and (text := _clean(value)):
                return text
    return None


def _ld_names(value: Any) -> list[str]:
    """Names from a schema.org Person/Organization, a list of them, or a plain string."""
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and (text := _clean(name)) and not _is_url(text):
            names.append(text)
    return names


def _ld_publisher(objects: list[dict[str, Any]]) -> str | None:
    for obj in objects:
        if names := _ld_names(obj.get("publisher")):
            return names[0]
    return None


def _author(tree: LexborHTMLParser, tags: dict[str, str], ld: list[dict[str, Any]]) -> str | None:
    for obj in ld:
        if names := _ld_names(obj.get("author")):
            return "; ".join(dict.fromkeys(names))
    value = _first(tags, AUTHOR_TAGS)
    if value and not _is_url(value):
        return value
    for node in tree.css(_AUTHOR_ELEMENTS):
        text = _clean(node.text(deep=True, separator=" "))
        if text and len(text.split()) <= MAX_AUTHOR_WORDS:
            return text
    return None


#: Elements that name the author in the page itself, most explicit first: microdata, a
#: link marked `rel=author`, then class names that bylines and forum posts use.
_AUTHOR_ELEMENTS = (
    "[itemprop=author] [itemprop=name], [itemprop=author], a[rel=author], "
    ".author-name, .byline-name, .author, .byline, .username"
)

#: A name, or a few names; more words than this is a sentence that mentions an author.
MAX_AUTHOR_WORDS = 6


def _date(tree: LexborHTMLParser, tags: dict[str, str], ld: list[dict[str, Any]]) -> str | None:
    candidates = [tags.get(name) for name in DATE_TAGS]
    candidates += [obj.get(key) for obj in ld for key in ("datePublished", "dateCreated")]
    for node in tree.css("[itemprop=datePublished], time[datetime]"):
        candidates.append(node.attributes.get("content") or node.attributes.get("datetime"))
    return next((d for c in candidates if isinstance(c, str) and (d := iso_date(c))), None)


def iso_date(text: str) -> str | None:
    """The first plausible calendar date in `text`, as YYYY-MM-DD.

    >>> iso_date("2019-05-07T10:00:00+02:00"), iso_date("20190507"), iso_date("1890-01-01")
    ('2019-05-07', '2019-05-07', None)
    """
    match = _ISO_DATE.search(text)
    if match is None:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        date = datetime(year, month, day, tzinfo=UTC)
    except ValueError:  # 2019-02-30
        return None
    if year < MIN_YEAR or date > datetime.now(UTC).replace(year=datetime.now(UTC).year + 1):
        return None
    return date.strftime("%Y-%m-%d")


def _title(tree: LexborHTMLParser) -> str | None:
    """The `<title>` without the site's name after a separator, or the first `<h1>`."""
    node = tree.css_first("title")
    text = _clean(node.text(deep=True)) if node is not None else None
    if text:
        return _TITLE_SUFFIX.sub("", text) or text
    h1 = tree.css_first("h1")
    return _clean(h1.text(deep=True, separator=" ")) if h1 is not None else None


def _canonical(tree: LexborHTMLParser, tags: dict[str, str], base: str | None) -> str | None:
    node = tree.css_first("link[rel=canonical][href]")
    href = node.attributes.get("href") if node is not None else None
    href = href or _first(tags, URL_TAGS)
    if not href:
        return None
    absolute = urljoin(base, href.strip()) if base else href.strip()
    return absolute if _is_url(absolute) else None


def _host(url: str | None) -> str | None:
    return (urlsplit(url).hostname or None) if url else None


def _language(tree: LexborHTMLParser) -> str | None:
    """The primary subtag of `<html lang>` ("en" from "en-US"), when it looks like one."""
    node = tree.css_first("html")
    lang = (node.attributes.get("lang") or "") if node is not None else ""
    primary = lang.strip().lower().replace("_", "-").split("-")[0]
    return primary if 2 <= len(primary) <= 3 and primary.isalpha() else None


def _is_url(text: str) -> bool:
    return text.startswith(("http://", "https://", "//"))


def _clean(text: str | None) -> str | None:
    return _SPACE.sub(" ", text).strip() or None if text else None
