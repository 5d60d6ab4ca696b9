"""The content that is not an article, from its file: an author's profile
(`content/authors/<id>.yaml`, or `.md` with the bio as the body) and a standalone page
(`content/pages/`). As for articles (sitegen.model.entries), every problem is reported at
the field's line.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from sitegen.config import Config, did_you_mean
from sitegen.config_languages import for_language, table_namer
from sitegen.content import markup
from sitegen.content.fields import FieldReader
from sitegen.content.sanitize import safe_url
from sitegen.content.slugs import is_valid_slug, slugify
from sitegen.content.sources import Source
from sitegen.errors import Problems
from sitegen.model import translations
from sitegen.model.entries import (
    AUTHOR_FIELDS,
    AUTHOR_TYPES,
    PAGE_FIELDS,
    alias_url,
    read_aliases,
    url_join,
)
from sitegen.model.site import Author, Link, Page


def read_author(source: Source, config: Config, problems: Problems,
                inline: Callable[[str], str] = markup.inline_markdown) -> Author | None:
    """An author profile from `content/authors/<id>.yaml` (or `.md`, the bio as the body)."""
    fields = FieldReader(source, problems, AUTHOR_FIELDS)
    author_id = source.path.stem
    if not is_valid_slug(author_id):
        problems.error(source.path, 1, 1, f"`{author_id}` cannot be an author id. Rename the "
                       f"file to `{slugify(author_id)}{source.path.suffix}`.")
        return None
    name = fields.text("name", required=True)
    bios = _bios(fields, source, config, inline)
    bio = "" if bios else fields.text("bio") or source.body.strip()
    roles = tuple((tag, markup.html_to_text(html)) for tag, html, _ in _per_language(
        fields, source, config, "role", lambda text: text))
    role = roles[0][1] if roles else fields.text("role")
    links = []
    for label, url in fields.mapping("links").items():
        if not isinstance(url, str):
            fields.error("links", f"link `{label}` must be a URL in text.")
            continue
        if not safe_url(url.strip()) or not url.strip():
            fields.error("links", f"link `{label}` must be an http(s) or mailto URL, not "
                         f"{url.strip()[:40]!r}.")
            continue
        links.append(Link(str(label), url.strip()))
    bio_html = inline(bio) if bio else (bios[0][1] if bios else "")
    kind = fields.text("type", default="person")
    if kind not in AUTHOR_TYPES:
        fields.error("type", f"`type` must be `person` or `organization` (an editorial board, "
                     f"a desk), not `{kind}`.{did_you_mean(kind, list(AUTHOR_TYPES))}")
    if not fields.ok:
        return None
    return Author(
        id=author_id, name=name, url=url_join(config, f"/authors/{author_id}/"),
        role=role, bio_html=bio_html, bio_text=markup.html_to_text(bio_html),
        photo=fields.text("photo"), email=fields.text("email"), links=tuple(links),
        source=source.rel, organization=kind == "organization", bios=bios, roles=roles,
    )


def _bios(fields: FieldReader, source: Source, config: Config,
          inline: Callable[[str], str]) -> tuple[tuple[str, str, str], ...]:
    """`bio` given per language (`bio: {en: ..., fr: ...}`): (tag, HTML, text) for each,
    the site's languages' order; the default language's first."""
    return _per_language(fields, source, config, "bio", inline)


def _per_language(fields: FieldReader, source: Source, config: Config, key: str,
                  inline: Callable[[str], str]) -> tuple[tuple[str, str, str], ...]:
    """A field given per language (`bio: {en: ..., fr: ...}`): (tag, HTML, text)."""
    given = source.meta.get(key)
    if not isinstance(given, dict):
        return ()
    known = {t.tag.casefold(): t.tag for t in config.languages}
    found: dict[str, str] = {}
    for key, text in given.items():
        tag = known.get(str(key).replace("_", "-").casefold())
        if tag is None or not isinstance(text, str):
            fields.error(key, f"`{key}` per language maps the site's languages "
                         f"({', '.join(known.values())}) to text; `{key}` is not one of "
                         "them. Fix the tag, or add the language to `languages`.")
            continue
        found[tag] = text
    order = [t.tag for t in config.languages]
    return tuple((tag, html, markup.html_to_text(html)) for tag in order if tag in found
                 for html in [inline(found[tag])])


def read_page(source: Source, config: Config, problems: Problems, pages_dir: Path,
              render: Callable[[Source], str]) -> Page | None:
    f = FieldReader(source, problems, PAGE_FIELDS)
    title = f.text("title", required=True)
    rel = source.path.relative_to(pages_dir).with_suffix("")
    slug = f.text("slug") or rel.name
    if not is_valid_slug(slug):
        f.error("slug", f"`{slug}` cannot be used in a URL. Use e.g. `{slugify(slug)}`.")
    parents = [p for p in rel.parent.parts if p]
    for part in parents:
        if not is_valid_slug(part):
            problems.error(source.path, 1, 1, f"folder `{part}` cannot be used in a URL. "
                           f"Rename it to `{slugify(part)}`.")
            return None
    if not f.ok or f.flag("draft"):
        return None
    aliases = read_aliases(f)
    if not f.ok:
        return None
    body = render(source)
    path = "/" + "/".join([*parents, slug]) + "/"
    page = Page(source.rel, slug, url_join(config, path), title, body,
                f.text("summary") or markup.first_paragraph_text(body),
                tuple(alias_url(config, a) for a in aliases))
    # a table's caption in the page's language (its folder's: content/pages/fr/...)
    language = translations.page_language(page, config)
    own = next((for_language(config, lang) for lang in config.languages[1:]
                if lang.tag == language), config)
    return dataclasses.replace(page, body_html=markup.named_tables(body, table_namer(own)))
