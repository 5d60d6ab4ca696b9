"""Search and social metadata for every planned page, built as plain data.

For each page: its description, canonical URL, Open Graph and Twitter card values
(`PageMeta`), and its schema.org JSON-LD: the NewsArticle family for articles (the type follows
the section), ProfilePage for author pages, WebSite and the publisher Organization for the home
page, CollectionPage for listings, WebPage for standalone pages; each but the home page and the
404 page with a BreadcrumbList from the home page (an article's in its mainEntityOfPage).
Templates only print this: `partials/meta.html` emits the JSON-LD through Jinja2's
`tojson`, which escapes `<`, `>`, `&` and `'`, so a headline holding `</script>` stays inside its
script element.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from sitegen.config import Config
from sitegen.content import markup
from sitegen.locale import tags
from sitegen.locale.catalogue import Strings
from sitegen.model.refs import WHOLE
from sitegen.model.site import Article, Author
from sitegen.plan import feedbody

if TYPE_CHECKING:
    from sitegen.plan.outputs import PlannedPage, SiteInfo

SCHEMA_ORG = "https://schema.org"
JsonLd = dict[str, Any]


@dataclass(frozen=True)
class PageMeta:
    """What a page's <head> tells search engines and social networks. URLs are absolute."""

    title: str
    description: str
    canonical: str
    og_type: str = "website"  # "article" on articles, "profile" on author pages
    image: str = ""
    image_alt: str = ""
    image_width: int = 0  # when known: the share image sitegen made
    image_height: int = 0
    image_type: str = ""
    card: str = "summary"  # Twitter card: "summary_large_image" when an article has its image
    published: str = ""  # ISO 8601 with the site's offset; articles only
    modified: str = ""
    authors: tuple[str, ...] = ()  # author pages, in byline order
    section: str = ""
    tags: tuple[str, ...] = ()
    noindex: bool = False
    locale: str = ""  # og:locale, `fa_IR`
    locale_alternates: tuple[str, ...] = ()  # og:locale:alternate, the page's other languages


@dataclass(frozen=True)
class _Env:
    """What every builder below needs: the configuration and the site-wide facts."""

    config: Config
    info: SiteInfo

    def absolute(self, url: str, base: str | None = None) -> str:
        """`url` (absolute, root-relative or relative to page `base`) as an absolute URL."""
        if not url:
            return ""
        if url.startswith("/") and not url.startswith("//"):
            return self.config.origin + url  # the common case, without urljoin's parsing
        if url.startswith(("https://", "http://")):
            return url
        return urljoin(self.config.origin + (base or self.info.root), url)

    def iso(self, when: datetime) -> str:
        return when.astimezone(self.config.tz).isoformat(timespec="seconds")

    @property
    def home(self) -> str:
        return self.absolute(self.info.root)

    @property
    def logo(self) -> str:
        return self.absolute(self.config.publisher.logo)

    @property
    def strings(self) -> Strings:
        return feedbody.strings_of(self.info)

    @property
    def publisher_name(self) -> str:
        return self.config.publisher.name or self.config.title


Built = tuple[PageMeta, JsonLd | None]


def for_page(page: PlannedPage, config: Config, info: SiteInfo) -> dict[str, Any]:
    """`meta` (PageMeta) and `jsonld` (a dict or None) for one page's template.

    Made at render time, for the pages rendered: a page kept from the last build needs
    none, and its key already covers everything they are made from.
    """
    info = page.context.get("site", info)  # a language's own (sitegen.plan.alternates)
    meta, jsonld = _BUILDERS.get(page.kind, _generic)(page, _env(config, info))
    versions = page.context["alternates"].versions if "alternates" in page.context else ()
    meta = replace(meta, locale=tags.og_locale(info.language), locale_alternates=tuple(
        tags.og_locale(v.language) for v in versions if v.language != info.language))
    return {"meta": meta, "jsonld": jsonld}


# What each kind's head metadata reads of the model object its page shows, for the page's
# record of reads (sitegen.render.recording): an article's and an author's metadata read
# nearly all of them (JSON-LD names the authors, the image, the section, the dates).
_READS = {"article": WHOLE, "author": WHOLE, "section": "description", "tag": "name",
          "page": "summary"}


def reads(page: PlannedPage) -> list[tuple[Any, str]]:
    """What `for_page` reads of the page's model objects, beyond the page's own fields."""
    attribute = _READS.get(page.kind)
    shown = page.context.get(page.kind) if attribute else None
    return [(shown, attribute)] if shown is not None and attribute else []


def mark_sitemaps(pages: list[PlannedPage], config: Config) -> list[PlannedPage]:
    """An article whose `canonical` points elsewhere leaves the sitemaps: they list only
    the URLs this site is the original of."""
    return [replace(page, in_sitemap=False)
            if page.kind == "article" and page.in_sitemap and page.context["article"].canonical
            and canonical_url(page.context["article"], config) != config.origin + page.url
            else page for page in pages]


_LAST_ENV: list[_Env] = []  # the one the last page used: every page of a build shares it


def _env(config: Config, info: SiteInfo) -> _Env:
    if _LAST_ENV and _LAST_ENV[0].config is config and _LAST_ENV[0].info is info:
        return _LAST_ENV[0]
    _LAST_ENV[:] = [_Env(config, info)]
    return _LAST_ENV[0]


def canonical_url(article: Article, config: Config) -> str:
    """Where the article lives for search engines: its `canonical` front matter, else here."""
    here = config.origin + article.url
    return urljoin(here, article.canonical) if article.canonical else here


# ---------------------------------------------------------------- schema.org pieces


def publisher(env: _Env) -> JsonLd:
    """The publication as a schema.org Organization (one @id, so pages can refer to it)."""
    org: JsonLd = {"@type": "Organization", "@id": env.home + "#publisher",
                   "name": env.publisher_name, "url": env.home}
    if env.logo:
        org["logo"] = {"@type": "ImageObject", "url": env.logo}
    return org


def person(author: Author, env: _Env) -> JsonLd:
    """A byline's author as a schema.org Person (an Organization for `type: organization`,
    such as an editorial board); `sameAs` lists their own links."""
    url = env.absolute(author.url)
    data: JsonLd = {"@type": "Organization" if author.organization else "Person",
                    "name": author.name, "url": url}
    if author.role and not author.organization:  # jobTitle is a Person's
        data["jobTitle"] = author.role
    if author.photo:
        data["image"] = env.absolute(author.photo, author.url)
    same_as = [env.absolute(link.url, author.url) for link in author.links]
    if same_as:
        data["sameAs"] = same_as
    return data


def article_jsonld(article: Article, env: _Env, images: tuple[str, ...] = ()) -> JsonLd:
    """NewsArticle, OpinionNewsArticle or AnalysisNewsArticle (by section) for one article."""
    canonical = canonical_url(article, env.config)
    data: JsonLd = {
        "@context": SCHEMA_ORG,
        "@type": article.section.schema_type if article.section else "NewsArticle",
        "headline": article.title,
    }
    if article.subtitle:
        data["alternativeHeadline"] = article.subtitle
    data["description"] = article.summary or article.subtitle
    data["datePublished"] = env.iso(article.date)
    data["dateModified"] = env.iso(article.modified)
    # An unsigned piece is the publication's own word.
    data["author"] = ([person(a, env) for a in article.authors] if article.authors
                      else [{"@type": "Organization", "name": env.publisher_name,
                             "url": env.home}])
    data["publisher"] = publisher(env)
    # `images`: crops in Google's three aspect ratios (16x9, 4x3, 1x1), or the share card.
    found = [env.absolute(url) for url in images] or [
        env.absolute(article.image, article.url) or env.logo]
    if found[0]:
        data["image"] = found
    trail = [(article.section.title, article.section.url)] if article.section else []
    data["mainEntityOfPage"] = {"@type": "WebPage", "@id": canonical,
                                "breadcrumb": breadcrumbs(env, *trail,
                                                          (article.title, article.url))}
    data["url"] = canonical
    if article.section:
        data["articleSection"] = article.section.title
    if article.tags:
        data["keywords"] = [t.name for t in article.tags]
    data["wordCount"] = article.word_count
    data["inLanguage"] = env.info.language
    if article.series:
        data["isPartOf"] = {"@type": "CreativeWorkSeries", "name": article.series.name,
                            "url": env.absolute(article.series.url)}
    if article.corrections:
        data["correction"] = [{"@type": "CorrectionComment", "datePublished": env.iso(c.date),
                               "text": markup.html_to_text(c.text_html)}
                              for c in article.corrections]
    return data


def breadcrumbs(env: _Env, *trail: tuple[str, str]) -> JsonLd:
    """A BreadcrumbList from the home page through `trail` ((name, URL), the page last)."""
    items = [(env.info.title, env.info.root), *trail]
    return {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": n, "name": name, "item": env.absolute(url)}
        for n, (name, url) in enumerate(items, 1)]}


def _webpage(page: PlannedPage, env: _Env, kind: str, *trail: tuple[str, str]) -> JsonLd:
    """A page that is no article: its schema.org type, and its place below the home page
    (`trail`: the pages between, the page itself added last)."""
    return {"@context": SCHEMA_ORG, "@type": kind, "url": env.absolute(page.url),
            "name": page.title, "inLanguage": env.info.language,
            "isPartOf": {"@id": env.home + "#website"},
            "breadcrumb": breadcrumbs(env, *trail, (page.title, page.url))}


# ---------------------------------------------------------------- per page kind


def _default_image(env: _Env) -> tuple[str, str]:
    alt = env.strings.text("logo_alt", name=env.publisher_name)
    return (env.logo, alt) if env.logo else ("", "")


def _meta(page: PlannedPage, env: _Env, description: str, **fields: Any) -> PageMeta:
    """PageMeta for a page that is not an article: its own URL, the site's logo as image."""
    image, alt = _default_image(env)
    values: dict[str, Any] = {"image": image, "image_alt": alt}
    values.update(fields)
    return PageMeta(title=page.title, description=description or env.info.description
                    or env.info.title, canonical=env.absolute(page.url), **values)


def _article(page: PlannedPage, env: _Env) -> Built:
    article: Article = page.context["article"]
    own_image = env.absolute(article.image, article.url)
    image, alt = (own_image, article.image_alt) if own_image else _default_image(env)
    share: dict[str, Any] = {}
    images = page.context.get("images")
    if images is not None and images.share is not None:  # see sitegen.engine.imagework
        card = images.share
        image = env.absolute(card.url)
        alt = article.image_alt if own_image else article.title
        share = {"image_width": card.width, "image_height": card.height,
                 "image_type": card.mime}
    meta = PageMeta(
        title=card_title(article, env.strings),
        description=article.subtitle or article.summary,
        canonical=canonical_url(article, env.config),
        og_type="article",
        image=image,
        image_alt=alt,
        card="summary_large_image" if own_image or share else "summary",
        published=env.iso(article.date),
        modified=env.iso(article.modified),
        authors=tuple(env.absolute(a.url) for a in article.authors),
        section=article.section.title if article.section else "",
        tags=tuple(t.name for t in article.tags),
        **share,
    )
    return meta, article_jsonld(article, env, images.jsonld if images is not None else ())


def card_title(article: Article, strings: Strings) -> str:
    """The headline as social cards show it: opinion, editorial and analysis say what they
    are before it ("Opinion: ...", "Opinion : ..."), as on every teaser (DESIGN.md §6);
    news as it is."""
    section = article.section
    if section is None or section.kind == "news":
        return article.title
    return strings.text("card.title", section=section.title, title=article.title)


def _home(page: PlannedPage, env: _Env) -> Built:
    meta = _meta(page, env, env.info.description)
    website: JsonLd = {"@type": "WebSite", "@id": env.home + "#website", "url": env.home,
                       "name": env.info.title, "inLanguage": env.info.language,
                       "publisher": {"@id": env.home + "#publisher"}}
    if env.info.description:
        website["description"] = env.info.description
    return meta, {"@context": SCHEMA_ORG, "@graph": [website, publisher(env)]}


def _author(page: PlannedPage, env: _Env) -> Built:
    author: Author = page.context["author"]
    photo = env.absolute(author.photo, author.url)
    image = {"image": photo, "image_alt": author.name} if photo else {}
    meta = _meta(page, env, author.bio_text or env.strings.text("author.description",
                                                                 name=author.name),
                 og_type="profile", **image)
    entity = person(author, env)
    if author.bio_text:
        entity["description"] = author.bio_text
    authors = ((env.strings.text("authors.title"), env.info.root + "authors/"),)
    return meta, {**_webpage(page, env, "ProfilePage", *authors), "mainEntity": entity}


def _section(page: PlannedPage, env: _Env) -> Built:
    return (_meta(page, env, page.context["section"].description),
            _webpage(page, env, "CollectionPage"))


def _tag(page: PlannedPage, env: _Env) -> Built:
    return (_meta(page, env, env.strings.text("tag.description",
                                              name=page.context["tag"].name)),
            _webpage(page, env, "CollectionPage",
                     (env.strings.text("footer.tags"), env.info.root + "tags/")))


def _page(page: PlannedPage, env: _Env) -> Built:
    return _meta(page, env, page.context["page"].summary), _webpage(page, env, "WebPage")


def _corrections(page: PlannedPage, env: _Env) -> Built:
    return (_meta(page, env, env.strings.text("corrections.description",
                                              site=env.info.title)),
            _webpage(page, env, "CollectionPage"))


def _search(page: PlannedPage, env: _Env) -> Built:
    return (_meta(page, env, env.strings.text("search.description", site=env.info.title),
                  noindex=True),
            _webpage(page, env, "SearchResultsPage"))


def _not_found(page: PlannedPage, env: _Env) -> Built:
    # Served with status 404 it is never indexed; a robots noindex would only tell crawlers
    # (and Lighthouse's is-crawlable audit) that the site hides pages. It answers at every
    # missing address, so it names no canonical URL (its own would be /404.html).
    return dataclasses.replace(_meta(page, env, env.info.description), canonical=""), None


def _generic(page: PlannedPage, env: _Env) -> Built:
    """The archive, the author and tag indexes: lists of the site's articles."""
    return _meta(page, env, env.info.description), _webpage(page, env, "CollectionPage")


_BUILDERS: dict[str, Callable[[PlannedPage, _Env], Built]] = {
    "article": _article, "home": _home, "author": _author, "section": _section, "tag": _tag,
    "page": _page, "corrections": _corrections, "search": _search, "404": _not_found,
}
