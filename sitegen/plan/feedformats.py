"""Every feed in the formats sitegen.yaml's `feed_formats` names: Atom 1.0 (RFC 4287, in
sitegen.plan.syndication), RSS 2.0 (https://www.rssboard.org/rss-specification, with the
Atom, Dublin Core and content modules) and JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).

All three say the same: the same entries in the same order (newest first), the same dates,
every co-author, the categories, and the summary or (`feed_content: full`) the whole body
with absolute URLs (see sitegen.plan.feedbody).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from sitegen.config import Config
from sitegen.locale.catalogue import Strings
from sitegen.model.site import Article, Author, Section, Tag
from sitegen.plan import feedbody
from sitegen.plan.outputs import CorrectionNotice, Feed, FeedImage, SiteInfo
from sitegen.plan.syndication import atom, attr, clean, per_article, rfc3339

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
RSS_NAMESPACES = ('xmlns:atom="http://www.w3.org/2005/Atom" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/"')
_SURROGATES = re.compile("[\ud800-\udfff]")


# What the feed writers (Atom in sitegen.plan.syndication, RSS and JSON Feed here, bodies in
# sitegen.plan.feedbody) read of each kind of model object. A feed's key digests exactly
# these (sitegen.engine.keys), so an edit to anything else (a body, in a summary feed)
# writes no feed; tests/test_rebuild_counts.py checks the list against what rendering reads.
_ARTICLE_READS = ("authors", "canonical", "date", "image", "image_alt", "image_height",
                  "image_width", "modified", "section", "subtitle", "summary", "tags", "title",
                  "updated", "url")


def reads(config: Config) -> dict[type, tuple[str, ...]]:
    """What the feed writers read of each kind of model object, with `config`'s content."""
    full = ("body_html",) if config.feed_content == "full" else ()
    return {Article: tuple(sorted(_ARTICLE_READS + full)), Author: ("name", "url"),
            Tag: ("name", "slug", "url"), Section: ("slug", "title", "url")}


def render(feed: Feed, info: SiteInfo, config: Config) -> str:
    """The text of `feed` in its format (in its language: `feed.site`, else `info`)."""
    info = feed.site or info
    if feed.format == "rss":
        return rss(feed, info, config)
    if feed.format == "json":
        return json_feed(feed, info, config)
    return atom(feed, info, config)


def rfc822(when: datetime) -> str:
    """The date format RSS 2.0 asks for (RFC 822, four-digit years), in GMT."""
    return format_datetime(when.astimezone(UTC), usegmt=True)


def _summary(article: Article) -> str:
    return article.subtitle or article.summary


# ---------------------------------------------------------------- RSS 2.0


def rss(feed: Feed, info: SiteInfo, config: Config) -> str:
    """An RSS 2.0 document for `feed`: `atom:link rel=self`, a `dc:creator` per co-author
    (the publisher for an unsigned piece), `category`, permalink guids, an `enclosure` for a
    local lead image, and `content:encoded` in full-content feeds."""
    origin = config.origin
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<rss version="2.0" {RSS_NAMESPACES}>',
        "  <channel>",
        f"    <title>{clean(feed.title)}</title>",
        f"    <link>{clean(origin + feed.html_url)}</link>",
        f"    <description>{clean(info.description or feed.title)}</description>",
        f"    <language>{clean(info.language)}</language>",
        f'    <atom:link href={attr(origin + feed.url)} rel="self" '
        'type="application/rss+xml"/>',
        f"    <lastBuildDate>{rfc822(feedbody.feed_updated(feed))}</lastBuildDate>",
        f"    <generator>{clean(info.generator)}</generator>",
    ]
    if info.publisher.logo:
        lines += ["    <image>",
                  f"      <url>{clean(feedbody.absolute(info.publisher.logo, origin + '/'))}"
                  "</url>",
                  f"      <title>{clean(feed.title)}</title>",
                  f"      <link>{clean(origin + feed.html_url)}</link>",
                  "    </image>"]
    if feed.kind == "corrections":
        lines += _rss_corrections(feed, config, feedbody.strings_of(info))
    else:
        images = {image.url: image for image in feed.images}
        publisher = info.publisher.name or info.title
        for article in feed.articles:
            lines += _rss_item(article, feed, config, images, publisher)
    lines += ["  </channel>", "</rss>"]
    return "\n".join(lines) + "\n"


def _rss_item(article: Article, feed: Feed, config: Config, images: dict[str, FeedImage],
              publisher: str) -> list[str]:
    origin = config.origin
    url = origin + article.url
    lines = [
        "    <item>",
        f"      <title>{clean(article.title)}</title>",
        f"      <link>{clean(url)}</link>",
        f'      <guid isPermaLink="true">{clean(url)}</guid>',
        f"      <pubDate>{rfc822(article.date)}</pubDate>",
    ]
    for name in [a.name for a in article.authors] or [publisher]:
        lines.append(f"      <dc:creator>{clean(name)}</dc:creator>")
    lines += per_article("rss", article, _rss_categories)
    summary = _summary(article)
    if summary:
        lines.append(f"      <description>{clean(summary)}</description>")
    if config.feed_content == "full":
        body = feedbody.full_html(article, feed, origin)
        lines.append(f"      <content:encoded>{clean(body)}</content:encoded>")
    image = images.get(feedbody.absolute(article.image, url)) if article.image else None
    if image is not None:
        lines.append(f"      <enclosure url={attr(image.url)} length=\"{image.length}\" "
                     f"type={attr(image.mime)}/>")
    lines.append("    </item>")
    return lines


def _rss_categories(article: Article) -> list[str]:
    names = [tag.name for tag in article.tags]
    if article.section:
        names.append(article.section.title)
    return [f"      <category>{clean(name)}</category>" for name in names]


def _rss_corrections(feed: Feed, config: Config, strings: Strings) -> list[str]:
    lines = []
    for notice in feed.corrections:
        url = config.origin + notice.article.url
        title, link = feedbody.correction_words(notice, url, strings)
        html = f"<p>{feedbody.for_feed(notice.text_html, url)}</p>{link}"
        lines += [
            "    <item>",
            f"      <title>{clean(title)}</title>",
            f"      <link>{clean(url)}</link>",
            f'      <guid isPermaLink="true">{clean(url + "#" + notice.anchor)}</guid>',
            f"      <pubDate>{rfc822(notice.date)}</pubDate>",
            f"      <description>{clean(html)}</description>",
            "    </item>",
        ]
    return lines


# ---------------------------------------------------------------- JSON Feed 1.1


def _text(value: str) -> str:
    """Text JSON can carry as UTF-8: lone surrogates (which no encoder writes) dropped."""
    return _SURROGATES.sub("", value)


def json_feed(feed: Feed, info: SiteInfo, config: Config) -> str:
    """A JSON Feed 1.1 document for `feed`: `authors` (the publisher at the top, every
    co-author in items), `language`, RFC 3339 dates, `content_html` in full-content feeds
    and `content_text` (the summary) otherwise."""
    origin = config.origin
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": _text(feed.title),
        "home_page_url": origin + feed.html_url,
        "feed_url": origin + feed.url,
    }
    if info.description:
        document["description"] = _text(info.description)
    document["language"] = info.language
    if info.publisher.logo:
        document["icon"] = feedbody.absolute(info.publisher.logo, origin + "/")
    document["authors"] = [{"name": _text(info.publisher.name or info.title),
                            "url": origin + info.root}]
    if feed.kind == "corrections":
        strings = feedbody.strings_of(info)
        document["items"] = [_json_correction(n, config, strings) for n in feed.corrections]
    else:
        document["items"] = [_json_item(a, feed, config) for a in feed.articles]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _json_item(article: Article, feed: Feed, config: Config) -> dict[str, Any]:
    origin = config.origin
    url = origin + article.url
    item: dict[str, Any] = {"id": url, "url": url, "title": _text(article.title)}
    summary = _summary(article)
    if config.feed_content == "full":
        item["content_html"] = _text(feedbody.full_html(article, feed, origin))
    else:
        item["content_text"] = _text(summary or article.title)
    if summary:
        item["summary"] = _text(summary)
    if article.image:
        image = feedbody.absolute(article.image, url)
        if image:
            item["image"] = image
    item["date_published"] = rfc3339(article.date)
    item["date_modified"] = rfc3339(article.modified)
    if article.authors:
        item["authors"] = [{"name": _text(a.name), "url": origin + a.url}
                           for a in article.authors]
    tags = per_article("json", article, _json_tags)
    if tags:
        item["tags"] = tags
    return item


def _json_tags(article: Article) -> list[str]:
    tags = [t.name for t in article.tags]
    if article.section:
        tags.append(article.section.title)
    return [_text(t) for t in tags]


def _json_correction(notice: CorrectionNotice, config: Config,
                     strings: Strings) -> dict[str, Any]:
    url = config.origin + notice.article.url
    title, link = feedbody.correction_words(notice, url, strings)
    html = f"<p>{feedbody.for_feed(notice.text_html, url)}</p>{link}"
    when = rfc3339(notice.date)
    return {"id": f"{url}#{notice.anchor}", "url": url,
            "title": _text(title), "content_html": _text(html),
            "date_published": when, "date_modified": when}
