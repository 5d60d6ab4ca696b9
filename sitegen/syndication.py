"""Atom feeds, the sitemap and robots.txt, written as XML text with escaping done here.

XML 1.0 forbids most control characters; they are dropped so a feed always parses.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from sitegen.config import Config
from sitegen.plan import Feed, Plan, SiteInfo

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def clean(text: str) -> str:
    return escape(_XML_FORBIDDEN.sub("", text))


def attr(text: str) -> str:
    return quoteattr(_XML_FORBIDDEN.sub("", text))


def rfc3339(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom(feed: Feed, info: SiteInfo, config: Config) -> str:
    """An Atom 1.0 document for `feed`; a co-authored entry names every author."""
    origin = config.origin
    updated = max((a.modified for a in feed.articles), default=EPOCH)
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={attr(info.language)}>',
        f"  <title>{clean(feed.title)}</title>",
        f"  <id>{clean(origin + feed.html_url)}</id>",
        f'  <link rel="alternate" type="text/html" href={attr(origin + feed.html_url)}/>',
        f'  <link rel="self" type="application/atom+xml" href={attr(origin + feed.url)}/>',
        f"  <updated>{rfc3339(updated)}</updated>",
        f"  <generator>{clean(info.generator.split()[0])}</generator>",
    ]
    if info.description:
        lines.append(f"  <subtitle>{clean(info.description)}</subtitle>")
    for article in feed.articles:
        url = origin + article.url
        lines += [
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
        for tag in article.tags:
            lines.append(f"    <category term={attr(tag.slug)} label={attr(tag.name)}/>")
        if article.section:
            lines.append(f"    <category term={attr(article.section.slug)} "
                         f"label={attr(article.section.title)}/>")
        summary = article.subtitle or article.summary
        if summary:
            lines.append(f"    <summary>{clean(summary)}</summary>")
        if config.feed_content == "full":
            lines.append(f'    <content type="html">{clean(article.body_html)}</content>')
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def sitemap(plan: Plan, config: Config) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in plan.pages:
        if not page.in_sitemap:
            continue
        lines.append(f"  <url><loc>{clean(config.origin + page.url)}</loc>"
                     + (f"<lastmod>{rfc3339(page.lastmod)}</lastmod>" if page.lastmod else "")
                     + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots(config: Config) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.origin}{config.root_path}/sitemap.xml\n"
