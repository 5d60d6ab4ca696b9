"""The language settings of sitegen.yaml: `language:` (one language, any BCP 47 tag),
`languages:` (a multilingual site: the first is the default, at unprefixed URLs, the others
under `/<tag>/`), and `strings:` (the theme's strings as this site words them).

Tags are checked against CLDR (through Babel); strings' keys are checked by the engine,
which knows the theme's own (sitegen.engine.languages)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitegen.content import yamlio
from sitegen.errors import Problem, did_you_mean

if TYPE_CHECKING:
    from sitegen.locale.catalogue import Strings

LANGUAGE_FIELDS = ("tag", "title", "description", "strings")
EXAMPLE = ("e.g. `languages: [en, fr, fa]`, or entries such as `- tag: fr` with "
           "`title: ...`, `description: ...`, `strings: {...}`")


@dataclass(frozen=True)
class LanguageConfig:
    """One language the site publishes in: its tag, its own title and description (the
    site's when empty), its strings, and where sitegen.yaml names it."""

    tag: str
    title: str = ""
    description: str = ""
    strings: dict[str, Any] = field(default_factory=dict)
    line: int = 1  # 1-based line in sitegen.yaml
    catalogue: Strings | None = field(default=None, compare=False)  # set by the engine


def check_tag(value: Any, what: str, problems: list[str]) -> str | None:
    """A BCP 47 tag CLDR knows, normalised (`pt-br` -> `pt-BR`), or None after a problem."""
    from sitegen.locale import catalogue, tags

    if not isinstance(value, str) or not value.strip():
        problems.append(f"{what} must be a language tag such as `en`, `fr` or `zh-Hant`.")
        return None
    tag = tags.normalise(value)
    if tag in catalogue.shipped_languages() or tags.is_known(tag):
        return tag
    problems.append(f"{what} `{value}` is not a language tag CLDR knows."
                    f"{did_you_mean(tag, catalogue.shipped_languages())} Use a BCP 47 tag "
                    "such as `en`, `fr`, `pt-BR`, `fa` or `zh-Hans`.")
    return None


def read_strings(value: Any, where: str, problems: list[str]) -> dict[str, Any]:
    """`strings:`: a mapping of message keys to text or plural forms (keys checked later)."""
    from sitegen.locale.catalogue import check_message

    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(f"`strings` of {where} must be a mapping of keys to text, e.g. "
                        "`strings: {byline: \"Written by {names}\"}`.")
        return {}
    found: dict[str, Any] = {}
    for key, message in value.items():
        why = check_message(message)
        if why:
            problems.append(f"string `{key}` of {where}: {why}.")
        else:
            found[str(key)] = message
    return found


LineOf = Callable[[str], int]  # 1-based line of a top-level key
FindLine = Callable[[str, int], int]  # 1-based line of a text at or after a line


def from_yaml(path: str, text: str, data: dict[str, Any],
              problems: list[Problem]) -> tuple[LanguageConfig, ...]:
    """`read_languages` for sitegen.yaml's `text`, problems at its lines."""
    said: list[tuple[int, str]] = []

    def line_of(key: str) -> int:
        return yamlio.key_line(text, key)[0] + 1

    def find(needle: str, after: int) -> int:
        return yamlio.value_line(text, needle, after) + 1

    languages = read_languages(data, line_of, find, said)
    problems += [Problem(path, line, 1, message) for line, message in said]
    return languages


def read_languages(data: dict[str, Any], line_of: LineOf, find: FindLine,
                   problems: list[tuple[int, str]]) -> tuple[LanguageConfig, ...]:
    """`language`, `strings` and `languages` of sitegen.yaml as the site's languages, the
    default first; problems as (line, message)."""
    said: list[str] = []
    default = check_tag(data.get("language", "en"), "`language`", said)
    problems += [(line_of("language"), m) for m in said]
    said = []
    strings = read_strings(data.get("strings"), "sitegen.yaml", said)
    problems += [(line_of("strings"), m) for m in said]
    first = LanguageConfig(default or "en", strings=strings, line=line_of("language"))
    if "languages" not in data:
        return (first,)
    listed = _listed(data["languages"], line_of("languages"), find, strings, problems)
    if not listed:
        return (first,)
    if "language" in data and default and listed[0].tag != default:
        problems.append((line_of("language"), f"`language: {default}` is not the first of "
                         f"`languages` ({listed[0].tag}), the default. Remove `language`, "
                         "or list it first."))
    return tuple(listed)


def _listed(value: Any, line: int, find: FindLine, strings: dict[str, Any],
            problems: list[tuple[int, str]]) -> list[LanguageConfig]:
    if not isinstance(value, list) or not value:
        problems.append((line, f"`languages` must be a list of language tags, {EXAMPLE}."))
        return []
    listed: list[LanguageConfig] = []
    at = line
    for item in value:
        at = find(_tag_text(item), at)
        entry = _entry(item, at, problems)
        if entry is None:
            continue
        if any(e.tag == entry.tag for e in listed):
            problems.append((at, f"language `{entry.tag}` is listed twice. Remove one."))
            continue
        if not listed:  # the default language also takes the site's own `strings`
            entry = LanguageConfig(entry.tag, entry.title, entry.description,
                                   {**strings, **entry.strings}, entry.line)
        listed.append(entry)
    return listed


def _tag_text(item: Any) -> str:
    """What the entry's line shows of it: its tag (or its one key)."""
    if isinstance(item, dict):
        return str(item.get("tag") or next(iter(item), ""))
    return str(item)


def _entry(item: Any, line: int, problems: list[tuple[int, str]]) -> LanguageConfig | None:
    said: list[str] = []
    if isinstance(item, dict) and len(item) == 1 and "tag" not in item:
        (tag, settings), = item.items()  # `- fr: {title: ...}`
        item = {"tag": tag, **(settings if isinstance(settings, dict) else {})}
    if not isinstance(item, dict):
        item = {"tag": item}
    for key in item:
        if key not in LANGUAGE_FIELDS:
            said.append(f"unknown language field `{key}`."
                        f"{did_you_mean(str(key), list(LANGUAGE_FIELDS))} A language has "
                        "tag, title, description and strings.")
    tag = check_tag(item.get("tag"), "language", said)
    strings = read_strings(item.get("strings"), f"language `{tag}`", said)
    texts = [item.get(k) for k in ("title", "description")]
    if not all(t is None or isinstance(t, str) for t in texts):
        said.append(f"`title` and `description` of language `{tag}` must be text.")
        texts = [None, None]
    problems += [(line, m) for m in said]
    if tag is None:
        return None
    return LanguageConfig(tag, texts[0] or "", texts[1] or "", strings, line)


def for_language(config: Any, language: LanguageConfig) -> Any:
    """The configuration as one language's pages see it: the language's tag, title,
    description and strings; its URLs under `/<tag>/` for all but the default."""
    import dataclasses

    default = config.languages[0].tag == language.tag
    return dataclasses.replace(
        config, language=language.tag, title=language.title or config.title,
        description=language.description or config.description,
        language_path="" if default else f"/{language.tag}",
        strings=language.strings, catalogue=language.catalogue)


def strings_of(config: Any) -> Strings:
    """The strings of the configuration's language: resolved by the engine, else the
    shipped ones with the site's `strings` (a caller without a theme: tests, tools)."""
    if config.catalogue is not None:
        return config.catalogue  # type: ignore[no-any-return]
    from sitegen.locale.catalogue import plain_strings

    return plain_strings(config.language, config.strings)


def table_namer(config: Any) -> Callable[[int, list[str]], str]:
    """A caption for a table without one, in the configuration's language: its number and
    column headings (sitegen.content.markup.named_tables), on articles and pages alike."""
    from sitegen.locale import formats

    def name(number: int, columns: list[str]) -> str:
        strings = strings_of(config)
        if not columns:
            return strings.text("table.number", n=number)
        return strings.text("table.caption", n=number,
                            columns=formats.join_list(columns, config.language))
    return name


def section_text(config: Any, section: Any, field: str) -> str:
    """A section's title or description in the configuration's language: the language's
    `strings` (`section.<name>`), else sitegen.yaml's own words for the default language,
    else the catalogue's, else the name."""
    key = f"section.{section.name}" + (".description" if field == "description" else "")
    strings = strings_of(config)
    given = section.own_title if field == "title" else section.own_description
    if key in config.strings:
        return strings.text(key)
    if given and config.language == config.languages[0].tag:
        return str(getattr(section, field))
    if strings.has(key):
        return strings.text(key)
    return str(getattr(section, field))


def taxonomy_title(config: Any, taxonomy: Any) -> str:
    """A taxonomy's title in the configuration's language: the language's `strings`
    (`taxonomy.<name>`), else sitegen.yaml's `title` for the default language, else the
    theme's catalogue, else that `title`."""
    key = f"taxonomy.{taxonomy.name}"
    strings = strings_of(config)
    if key in config.strings:
        return strings.text(key)
    if config.language != config.languages[0].tag and strings.has(key):
        return strings.text(key)
    return str(taxonomy.title)


def with_taxonomy_titles(config: Any) -> Any:
    """The configuration with its taxonomies titled in its language (see taxonomy_title)."""
    import dataclasses

    titled = tuple(dataclasses.replace(t, title=taxonomy_title(config, t))
                   for t in config.taxonomies)
    if titled == config.taxonomies:
        return config
    return dataclasses.replace(config, taxonomies=titled)
