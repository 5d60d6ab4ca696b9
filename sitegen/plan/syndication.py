"""Atom feeds (RSS and JSON Feed: sitegen.plan.feedformats), sitemaps (the full one,
split under an index past 50,000 URLs, and the Google News one) and robots.txt,
written as XML text with escaping done here.

XML 1.0 forbids most control characters; they are dropped so a feed always parses.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from xml.sax.saxutils import escape, quoteattr

from sitegen.config import Config
from sitegen.locale.catalogue import Strings
from sitegen.model.assemble import newest_first
from sitegen.model.site import Article
from sitegen.plan import feedbody
from sitegen.plan.metadata import canonical_url
from sitegen.plan.outputs import Feed, Plan, PlannedPage, SiteInfo

# Every character XML 1.0 does not allow (its `Char` production), lone surrogates included.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_PER_ARTICLE: dict[tuple[str, int], tuple[Article, Any]] = {}
PER_ARTICLE_KEPT = 30_000  # articles' parts kept (see per_article)
T = TypeVar("T")
SITEMAP_MAX_URLS = 50_000  # the sitemaps.org limit per file
NEWS_WINDOW = timedelta(hours=48)  # Google News takes articles of the last two days
NEWS_MAX_URLS = 1_000  # and at most this many per news sitemap
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def _alternate_links(page: PlannedPage, config: Config) -> str:
    found = page.context.get("alternates")
    if found is None:
        return ""
    links = [(v.language, v.url) for v in found.versions] + [("x-default", found.default_url)]
    return "".join(f'<xhtml:link rel="alternate" hreflang={attr(lang)} '
                   f"href={attr(config.origin + url)}/>" for lang, url in links)


def clean(text: str) -> str:
    return escape(_XML_FORBIDDEN.sub("", text))


def attr(text: str) -> str:
    return quoteattr(_XML_FORBIDDEN.sub("", text))


@functools.lru_cache(maxsize=1 << 16)  # each article's date is written in every feed it is in
def rfc3339(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(feed: Feed, info: SiteInfo, config: Config) -> str:
    """An Atom 1.0 document for `feed`; a co-authored entry names every author.

    The publisher is the feed's author, which Atom lends to any entry without a byline.
    """
    info = feed.site or info
    if feed.kind == "corrections":
        entries = _correction_entries(feed, config, feedbody.strings_of(info))
    else:
        entries = [line for article in feed.articles
                   for line in _article_entry(article, feed, config)]
    head = _feed_head(feed, info, config, feedbody.feed_updated(feed))
    return "\n".join([*head, *entries, "</feed>"]) + "\n"


def _feed_head(feed: Feed, info: SiteInfo, config: Config, updated: datetime) -> list[str]:
    origin = config.origin
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={attr(info.language)}>',
        f"  <title>{clean(feed.title)}</title>",
        f"  <id>{clean(origin + feed.html_url)}</id>",
        f'  <link rel="alternate" type="text/html" href={attr(origin + feed.html_url)}/>',
        f'  <link rel="self" type="application/atom+xml" href={attr(origin + feed.url)}/>',
        *(f'  <link rel="alternate" type={attr(file.mime)} href={attr(origin + file.url)}/>'
          for file in feed.files if file.format != "atom"),
        f"  <updated>{rfc3339(updated)}</updated>",
        f"  <generator>{clean(info.generator.split()[0])}</generator>",
        f"  <author><name>{clean(info.publisher.name or info.title)}</name>"
        f"<uri>{clean(origin + info.root)}</uri></author>",
    ]
    if info.description:
        lines.append(f"  <subtitle>{clean(info.description)}</subtitle>")
    return lines


def _article_entry(article: Article, feed: Feed, config: Config) -> list[str]:
    origin = config.origin
    url = origin + article.url
    lines = [
        "  <entry>",
        f"    <title>{clean(article.title)}</title>",
        f'    <link rel="alternate" type="text/html" href={attr(url)}/>',
        f"    <id>{clean(url)}</id>",
        f"    <published>{rfc3339(article.date)}</published>",
        f"    <updated>{rfc3339(article.modified)}</updated>",
    ]
    for author in article.authors:
        lines.append(f"    <author><name>{clean(author.name)}</name>"
                     f"<uri>{clean(origin + author.url)}</uri></author>")
    lines += per_article("atom", article, _atom_categories)
    summary = article.subtitle or article.summary
    if summary:
        lines.append(f"    <summary>{clean(summary)}</summary>")
    if config.feed_content == "full":
        body = feedbody.full_html(article, feed, origin)
        lines.append(f'    <content type="html">{clean(body)}</content>')
    lines.append("  </entry>")
    return lines


def _atom_categories(article: Article) -> list[str]:
    lines = [f"    <category term={attr(tag.slug)} label={attr(tag.name)}/>"
             for tag in article.tags]
    if article.section:
        lines.append(f"    <category term={attr(article.section.slug)} "
                     f"label={attr(article.section.title)}/>")
    return lines


def per_article(kind: str, article: Article, make: Callable[[Article], T]) -> T:
    """`make(article)`, made once per article and kind while feeds are rendered: an
    article is an entry of every feed of its tags, and its tags are the part of the entry
    that grows with their count (made again per feed, the cost was the square of it)."""
    key = (kind, id(article))
    found = _PER_ARTICLE.get(key)
    if found is not None and found[0] is article:
        made: T = found[1]
        return made
    if len(_PER_ARTICLE) >= PER_ARTICLE_KEPT:
        _PER_ARTICLE.clear()
    made = make(article)
    _PER_ARTICLE[key] = (article, made)  # the article held: its id is not reused meanwhile
    return made


def _correction_entries(feed: Feed, config: Config, strings: Strings) -> list[str]:
    """One entry per correction; its id names the article and the correction's number there,
    which later corrections do not change."""
    lines = []
    for notice in feed.corrections:
        url = config.origin + notice.article.url
        when = rfc3339(notice.date)
        title, link = feedbody.correction_words(notice, url, strings)
        text = feedbody.for_feed(notice.text_html, url)
        lines += [
            "  <entry>",
            f"    <title>{clean(title)}</title>",
            f'    <link rel="alternate" type="text/html" href={attr(url)}/>',
            f"    <id>{clean(url + '#' + notice.anchor)}</id>",
            f"    <published>{when}</published>",
            f"    <updated>{when}</updated>",
            f'    <content type="html">{clean("<p>" + text + "</p>" + link)}</content>',
            "  </entry>",
        ]
    return lines


def _urlset(pages: Sequence[PlannedPage], config: Config) -> str:
    """A sitemap; a page with versions in other languages names each (itself included),
    as `xhtml:link rel="alternate" hreflang`, and the x-default."""
    xhtml = f' xmlns:xhtml="{XHTML_NS}"' if config.multilingual else ""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<urlset xmlns="{SITEMAP_NS}"{xhtml}>']
    for page in pages:
        lines.append(f"  <url><loc>{clean(config.origin + page.url)}</loc>"
                     + (f"<lastmod>{rfc3339(page.lastmod)}</lastmod>" if page.lastmod else "")
                     + _alternate_links(page, config) + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def sitemaps(plan: Plan, config: Config, max_urls: int | None = None) -> list[tuple[str, str]]:
    """(file, XML) pairs: `sitemap.xml` alone, or past `max_urls` (50,000) URLs a sitemap index
    at `sitemap.xml` naming `sitemap-1.xml`, `sitemap-2.xml`... of at most `max_urls` each."""
    max_urls = max_urls or SITEMAP_MAX_URLS
    pages = [p for p in plan.pages if p.in_sitemap]
    if len(pages) <= max_urls:
        return [("sitemap.xml", _urlset(pages, config))]
    parts = [pages[i:i + max_urls] for i in range(0, len(pages), max_urls)]
    base = config.origin + config.root_path + "/"
    lines = ['<?xml version="1.0" encoding="utf-8"?>', f'<sitemapindex xmlns="{SITEMAP_NS}">']
    files = []
    for number, part in enumerate(parts, start=1):
        name = f"sitemap-{number}.xml"
        files.append((name, _urlset(part, config)))
        newest = max((p.lastmod for p in part if p.lastmod), default=None)
        lines.append(f"  <sitemap><loc>{clean(base + name)}</loc>"
                     + (f"<lastmod>{rfc3339(newest)}</lastmod>" if newest else "")
                     + "</sitemap>")
    lines.append("</sitemapindex>")
    return [("sitemap.xml", "\n".join(lines) + "\n"), *files]


def news_language(language: str) -> str:
    """The ISO 639 code Google News wants: `en` for `en-US`; Chinese keeps zh-cn / zh-tw."""
    code = language.strip().lower().replace("_", "-")
    if code in {"zh-cn", "zh-tw"}:
        return code
    return code.split("-")[0] or "en"


def news_articles(plan: Plan, config: Config) -> list[Article]:
    """Articles published in the 48 hours before the build, newest first, at most 1,000.

    Not news of this site: articles first published elsewhere (`canonical`), and drafts that
    a `--drafts` preview build shows.
    """
    now = plan.site.build_time
    chosen = [p.context["article"] for p in plan.pages if p.kind == "article"]
    chosen = [a for a in chosen if now - NEWS_WINDOW <= a.date <= now and not a.draft
              and canonical_url(a, config) == config.origin + a.url]
    chosen.sort(key=newest_first)
    return chosen[:NEWS_MAX_URLS]


def index_files(plan: Plan, config: Config) -> list[tuple[str, str]]:
    """The sitemaps, the news sitemap when an article is in its 48 hours (an empty `urlset`
    is not a valid sitemap), and robots.txt naming those written: (output path, text)."""
    files = sitemaps(plan, config)
    news = news_articles(plan, config)
    if news:
        files.append(("news-sitemap.xml", news_sitemap(plan, config, news)))
    files.append(("robots.txt", robots(config, news=bool(news))))
    return files


def news_sitemap(plan: Plan, config: Config, news: list[Article] | None = None) -> str:
    """`/news-sitemap.xml` in the Google News sitemap format (`news`: its articles)."""
    name = clean(plan.site.publisher.name or plan.site.title)
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">']
    for article in news if news is not None else news_articles(plan, config):
        lines += [
            "  <url>",
            f"    <loc>{clean(config.origin + article.url)}</loc>",
            "    <news:news>",
            f"      <news:publication><news:name>{name}</news:name>"
            f"<news:language>{clean(news_language(article.language))}</news:language>"
            "</news:publication>",
            f"      <news:publication_date>{rfc3339(article.date)}</news:publication_date>",
            f"      <news:title>{clean(article.title)}</news:title>",
            "    </news:news>",
            "  </url>",
        ]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(config: Config, news: bool = True) -> str:
    """Allow everything; name the sitemap (or its index) and, when written, the news one."""
    base = f"{config.origin}{config.root_path}"
    text = f"User-agent: *\nAllow: /\n\nSitemap: {base}/sitemap.xml\n"
    return text + (f"Sitemap: {base}/news-sitemap.xml\n" if news else "")
