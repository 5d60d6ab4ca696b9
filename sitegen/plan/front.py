"""The front page: which articles lead, which are top stories, and a block per section.

Editors choose what leads: the articles `front:` in sitegen.yaml names, in its order, then
those marked `featured: true`, newest first; then the newest news (any section that is not
opinion) fills the lead and top-story slots. Each section then gets a block of its newest
articles not already shown, with a link to the section's page for the rest; the opinion
desks (sections whose articles are OpinionNewsArticle: opinion, editorial) form the rail.

The context is plain data (dicts, tuples, model objects), so page keys digest it and the dev
server's incremental steps find and swap the articles in it (sitegen.engine.incremental).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sitegen.config import Config
from sitegen.model.site import Article, Section, Site

TOP_STORIES = 3  # beside the lead: one row of three at desktop widths
BLOCK_SIZE = 4  # newest articles per section block
RAIL_SIZE = 4  # newest pieces per opinion desk in the rail
OPINION_TYPE = "OpinionNewsArticle"


def names_article(name: str, slug: str, url: str, source: str) -> bool:
    """True when a `front:` entry names this article: by slug, URL or file."""
    if name in (slug, url, source):
        return True
    if name.startswith("/") and name.rstrip("/") + "/" == url:
        return True
    return _file_part(name) == _file_part(source)


def _file_part(path: str) -> str:
    return path.removeprefix("content/").removeprefix("articles/")


def pinned(config: Config, articles: Sequence[Article]) -> list[Article]:
    """The articles the editors pinned, in order: `front:` entries, then featured ones."""
    chosen: dict[str, Article] = {}
    for name in config.front:
        found = next((a for a in articles if a.url not in chosen
                      and names_article(name, a.slug, a.url, a.source)), None)
        if found is not None:
            chosen[found.url] = found
    for article in articles:
        if article.featured:
            chosen.setdefault(article.url, article)
    return list(chosen.values())


def in_rail(section: Section | None) -> bool:
    """Opinion and editorial sit in the rail, not in the news slots."""
    return section is not None and section.schema_type == OPINION_TYPE


def front_context(config: Config, site: Site) -> dict[str, Any]:
    """The home page's context: `lead`, `top`, `blocks` (news desks), `rail` (opinion)."""
    top = pinned(config, site.articles)[:1 + TOP_STORIES]
    picked = {a.url for a in top}
    for article in site.articles:
        if len(top) > TOP_STORIES:
            break
        if article.url not in picked and not in_rail(article.section):
            top.append(article)
    if not top and site.articles:  # a site of opinion only still has a front page to lead
        top = [site.articles[0]]
    shown = {a.url for a in top}
    blocks: list[dict[str, Any]] = []
    rail: list[dict[str, Any]] = []
    for section in site.sections:
        articles = site.by_section.get(section.slug, ())
        block = _block(section, articles, shown, RAIL_SIZE if in_rail(section) else BLOCK_SIZE)
        if block is not None:
            (rail if in_rail(section) else blocks).append(block)
    loose = [a for a in site.articles if a.section is None and a.url not in shown]
    return {"lead": top[0] if top else None, "top": tuple(top[1:]), "blocks": tuple(blocks),
            "rail": tuple(rail), "latest": tuple(loose[:BLOCK_SIZE]),
            "article_count": len(site.articles)}


def _block(section: Section, articles: Iterable[Article], shown: set[str],
           size: int) -> dict[str, Any] | None:
    """A section's newest articles not shown above (None when it has none)."""
    fresh = []
    for article in articles:
        if article.url not in shown:
            fresh.append(article)
            if len(fresh) == size:
                break
    return {"section": section, "articles": tuple(fresh)} if fresh else None


def shown(context: dict[str, Any]) -> list[Article]:
    """Every article the front page shows."""
    found = [context["lead"]] if context["lead"] is not None else []
    found += context["top"]
    for block in (*context["blocks"], *context["rail"]):
        found += block["articles"]
    return found + list(context["latest"])
