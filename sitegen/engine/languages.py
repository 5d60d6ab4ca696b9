"""The strings of each language a site publishes in, resolved once per build.

For each language: English (the reference, with the theme's own English strings), over it
the shipped catalogue of the language and the theme's (`themes/<name>/strings/<tag>.yaml`),
over those the site's `strings:`. A key of English that the language's catalogues lack
falls back to English, with one warning naming it; a key in `strings:` that no catalogue
knows is an error at its line in sitegen.yaml, with a "did you mean".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from sitegen.config import CONFIG_NAME, Config
from sitegen.config_languages import LanguageConfig
from sitegen.content import yamlio
from sitegen.errors import ConfigError, Problem, Problems, did_you_mean
from sitegen.locale import catalogue, tags
from sitegen.locale.catalogue import Message, Strings
from sitegen.render import themes

ThemeStrings = dict[str, dict[str, Message]]  # catalogue name -> key -> message
MAX_NAMED = 8  # keys a warning names when a language has no catalogue at all


def resolve(config: Config, site_dir: Path, problems: Problems) -> Config:
    """`config` with every language's `catalogue` resolved (and the default's as
    `config.catalogue`); warns about strings that fall back to English."""
    theme = _theme_strings(site_dir, config.theme, problems)
    text = _config_text(site_dir)
    bad: list[Problem] = []
    languages = tuple(dataclasses.replace(lang, catalogue=_strings(
        lang, config, theme, text, problems, bad)) for lang in config.languages)
    if bad:
        raise ConfigError(bad)
    return dataclasses.replace(config, languages=languages, catalogue=languages[0].catalogue)


def _strings(lang: LanguageConfig, config: Config, theme: ThemeStrings, text: str,
             problems: Problems, bad: list[Problem]) -> Strings:
    english: dict[str, Message] = {**catalogue.shipped("en"), **theme.get("en", {})}
    own = catalogue.own_catalogue(lang.tag, theme)
    _check_keys(lang, config, english, theme, text, bad)
    messages = {**english, **own, **lang.strings}
    if tags.normalise(lang.tag).split("-")[0] != "en":
        _warn_missing(lang, english, {**own, **lang.strings}, problems)
    if lang.tag != config.languages[0].tag:
        _warn_untitled(lang, config, {**own, **lang.strings}, problems)
    return Strings(lang.tag, messages)


def _section_keys(config: Config) -> set[str]:
    return {k for s in config.sections for k in (f"section.{s.name}",
                                                  f"section.{s.name}.description")}


def _taxonomy_keys(config: Config) -> set[str]:
    return {f"taxonomy.{t.name}" for t in config.taxonomies}


def _warn_untitled(lang: LanguageConfig, config: Config, given: Mapping[str, Message],
                   problems: Problems) -> None:
    """A taxonomy's title is the site's own word: a language other than the default
    without its `taxonomy.<name>` shows the default language's, said once per taxonomy."""
    for taxonomy in config.taxonomies:
        key = f"taxonomy.{taxonomy.name}"
        if key not in given:
            problems.warn(CONFIG_NAME, lang.line, 1, f"taxonomy `{taxonomy.name}` has no "
                          f"`{lang.tag}` title, so its pages show `{taxonomy.title}`. Add "
                          f"`{key}` under `strings:` of language `{lang.tag}` in "
                          "sitegen.yaml.")


def _check_keys(lang: LanguageConfig, config: Config, english: Mapping[str, Message],
                theme: ThemeStrings, text: str, bad: list[Problem]) -> None:
    known = (set(english) | _section_keys(config) | _taxonomy_keys(config)
             | {k for t in theme.values() for k in t})
    for key in lang.strings:
        if key not in known:
            line = yamlio.value_line(text, f"{key}:", max(lang.line - 1, 0)) + 1
            bad.append(Problem(CONFIG_NAME, line, 1, f"unknown string `{key}`."
                               f"{did_you_mean(key, sorted(known))} The keys are those of "
                               "sitegen/locale/messages/en.yaml (and the theme's strings)."))


def _warn_missing(lang: LanguageConfig, english: Mapping[str, Message],
                  given: Mapping[str, Message], problems: Problems) -> None:
    missing = [key for key in english if key not in given]
    if not missing:
        return
    where = f"under `strings:` of language `{lang.tag}` in sitegen.yaml"
    if len(missing) == len(english):
        named = ", ".join(f"`{k}`" for k in missing[:MAX_NAMED])
        problems.warn(CONFIG_NAME, lang.line, 1, f"sitegen has no `{lang.tag}` strings, so "
                      f"pages in it show English ones ({named}, ... {len(missing)} in all). "
                      f"Translate them {where}, or in the theme's "
                      f"strings/{lang.tag}.yaml.")
        return
    for key in missing:
        problems.warn(CONFIG_NAME, lang.line, 1, f"string `{key}` has no `{lang.tag}` "
                      f"translation, so pages show the English. Add it {where}.")


def _config_text(site_dir: Path) -> str:
    try:
        return (site_dir / CONFIG_NAME).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def _theme_strings(site_dir: Path, name: str, problems: Problems) -> ThemeStrings:
    """Every `strings/<tag>.yaml` of the site's themes, the site's own theme winning."""
    found: ThemeStrings = {}
    for folder in reversed(themes.theme_dirs(site_dir, name)):
        for path in sorted((folder / "strings").glob("*.yaml")):
            for key, messages in _read_theme_file(path, problems).items():
                found.setdefault(key, {}).update(messages)
    return found


def _read_theme_file(path: Path, problems: Problems) -> ThemeStrings:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(path, 1, 1, f"cannot be read ({exc}). Save it as UTF-8 text.")
        return {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.error(path, (mark.line + 1) if mark else 1, (mark.column + 1) if mark else 1,
                       f"{getattr(exc, 'problem', None) or exc}. Fix the YAML syntax.")
        return {}
    if not isinstance(data, dict):
        problems.error(path, 1, 1, "must be a mapping of string keys to text.")
        return {}
    messages: dict[str, Message] = {}
    for key, value in data.items():
        why = catalogue.check_message(value)
        if why:
            line, col = yamlio.key_line(path.read_text(encoding="utf-8-sig"), str(key))
            problems.error(path, line + 1, col + 1, f"string `{key}`: {why}.")
        else:
            messages[str(key)] = value
    return {tags.normalise(path.stem): messages}
