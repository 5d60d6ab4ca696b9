"""An article's language and the translations it belongs to.

An article's language is its front matter's `language` (or `lang`, the same field), else
the folder it sits in (`content/articles/fr/...`) or its file name (`x.fr.md`, Hugo's
habit), when that names one of the site's languages, else the site's default. Translations
of one article share a `translation_key`: by default the file's path below its language
folder, without suffix, so `content/articles/2025/talks.md` and
`content/articles/fa/2025/talks.md` are one article in two languages.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from sitegen.config import Config
from sitegen.content.fields import FieldReader
from sitegen.content.sources import Source
from sitegen.errors import Problems
from sitegen.locale import catalogue, tags
from sitegen.model.site import Article, Author, Page, Site, Translation

ARTICLES = "content/articles/"


@dataclass(frozen=True)
class Placed:
    """What an article's path and front matter say of its language."""

    language: str
    translation_key: str
    name: str  # the file's name without suffix and language (`talks` for talks.fa.md)


def _site_tags(config: Config) -> dict[str, str]:
    return {t.tag.casefold(): t.tag for t in config.languages}


def place(source: Source, config: Config, fields: FieldReader) -> Placed:
    """The article's language and translation key; errors at the front matter's lines."""
    known = _site_tags(config)
    parts = list(PurePosixPath(source.rel.removeprefix(ARTICLES)).parent.parts)
    parts.append(source.path.stem)  # the file's own name (an import probes another)
    folder = known.get(parts[0].casefold()) if len(parts) > 1 else None
    if folder is not None:
        parts = parts[1:]
    stem, _, ending = parts[-1].rpartition(".")
    by_name = known.get(ending.casefold()) if stem else None
    if by_name is not None:
        parts[-1] = stem
    name = parts[-1]
    language = _front_matter_language(source, config, fields) or folder or by_name or (
        config.languages[0].tag)
    key = fields.text("translation_key") or "/".join(parts)
    return Placed(language, key, name)


def _front_matter_language(source: Source, config: Config, fields: FieldReader) -> str | None:
    if "language" in source.meta and "lang" in source.meta:
        fields.error("lang", "use either `language` or `lang` (the same field), not both.")
        return None
    field = "language" if "language" in source.meta else "lang"
    value = fields.text(field)
    if not value:
        return None
    listed = ", ".join(t.tag for t in config.languages)
    if not tags.is_known(value):
        fields.error(field, f"`{value}` is not a language tag. Write one of the site's "
                     f"languages: {listed}.")
        return None
    found = _site_tags(config).get(tags.normalise(value).casefold())
    if found is None:
        fields.error(field, f"`{field}: {value}` is not a language this site publishes in "
                     f"({listed}). Add `{tags.normalise(value)}` to `languages` in "
                     "sitegen.yaml, or write one of those.")
        return None
    return found


@dataclass(frozen=True)
class Keyed:
    """An article as the translation check sees it."""

    source: Source
    language: str
    translation_key: str


def check_keys(entries: Iterable[Keyed], problems: Problems) -> None:
    """A translation key used twice in one language is an error at the second file (at
    its `translation_key` line when it sets one), naming the first."""
    seen: dict[tuple[str, str], Keyed] = {}
    for entry in sorted(entries, key=lambda e: e.source.rel):
        first = seen.setdefault((entry.language, entry.translation_key), entry)
        if first is entry:
            continue
        line, col = entry.source.line_of("translation_key")
        given = entry.source.has_key("translation_key")
        what = (f"`translation_key: {entry.translation_key}`" if given else
                f"its translation key `{entry.translation_key}` (from its path)")
        problems.error(entry.source.path, line if given else 1, col if given else 1,
                       f"{what} is also that of {first.source.rel}, in the same language "
                       f"({entry.language}). Give one of them another `translation_key`, "
                       "or another `language`.")


def groups(entries: Sequence[Keyed]) -> dict[str, dict[str, str]]:
    """Translation key -> {language: source path} for keys with more than one language."""
    found: dict[str, dict[str, str]] = {}
    for entry in entries:
        found.setdefault(entry.translation_key, {}).setdefault(entry.language,
                                                               entry.source.rel)
    return {key: langs for key, langs in found.items() if len(langs) > 1}


def author_in(author: Author, config: Config) -> Author:
    """A shared author as one language's pages show them: their page under the language's
    folder, their bio and role in the language when the profile gives them."""
    url = config.root_path + f"/authors/{author.id}/"
    bio = next(((html, text) for tag, html, text in author.bios if tag == config.language),
               (author.bio_html, author.bio_text))
    role = next((text for tag, text in author.roles if tag == config.language), author.role)
    if (url, bio[0], role) == (author.url, author.bio_html, author.role):
        return author
    return dataclasses.replace(author, url=url, bio_html=bio[0], bio_text=bio[1], role=role)


def page_language(page: Page, config: Config) -> str:
    """The language of a standalone page: that of its folder (content/pages/fr/...), else
    the default."""
    for lang in config.languages[1:]:
        if page.url.startswith(f"{config.root_path}/{lang.tag}/"):
            return lang.tag
    return config.languages[0].tag


def language_names(config: Config) -> dict[str, str]:
    """Each language's name in itself, as its catalogue (or CLDR) writes it."""
    names = {}
    for lang in config.languages:
        strings = lang.catalogue or catalogue.plain_strings(lang.tag, lang.strings)
        names[lang.tag] = strings.text("language.name") if strings.has(
            "language.name") else tags.own_name(lang.tag)
    return names


def link(sites: Sequence[Site], config: Config) -> list[Site]:
    """Each language's Site with `translations`: every version of each article that has
    more than one, in the order of the site's languages."""
    names = language_names(config)
    index: dict[str, dict[str, Article]] = {}
    for site in sites:
        for article in site.articles:
            index.setdefault(article.translation_key, {})[site.language] = article
    order = [lang.tag for lang in config.languages]
    linked = []
    for site in sites:
        found: dict[str, tuple[Translation, ...]] = {}
        for article in site.articles:
            group = index[article.translation_key]
            if len(group) > 1:
                found[article.url] = tuple(Translation(tag, names[tag], group[tag].url,
                                                       group[tag].title)
                                           for tag in order if tag in group)
        linked.append(dataclasses.replace(site, translations=found))
    return linked
