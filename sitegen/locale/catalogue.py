"""Message catalogues: every string the default theme shows, per language.

sitegen ships `messages/<tag>.yaml` for the languages its newsrooms publish in; a theme
may add or replace strings in `themes/<name>/strings/<tag>.yaml`, and a site in
`sitegen.yaml` (`strings:`, or each `languages:` entry's). A string no catalogue has for
the language falls back to English, with a warning naming its key.

A message is text with `{name}` placeholders, or, for a count, a mapping of CLDR plural
categories (`one`, `few`, `many`, `other`...) to text; `{n}` is the count.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markupsafe import Markup, escape

from sitegen.locale import formats, tags

MESSAGES = Path(__file__).resolve().parent / "messages"
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
Message = str | Mapping[str, str]
_HIDDEN = re.compile(r"\[([^\]]*)\]")


@dataclass(frozen=True)
class Strings:
    """The resolved strings of one language, as templates and the plan read them."""

    language: str
    messages: Mapping[str, Message]

    def text(self, key: str, /, **args: Any) -> str:
        """The message as plain text (for titles, feeds), its placeholders filled; whole
        numbers in the language's digits. Raises KeyError for a key no catalogue has."""
        return self._pick(key, args).format(**self._values(args))

    def html(self, key: str, /, **args: Any) -> Markup:
        """The message as HTML: its text escaped, arguments escaped unless Markup."""
        message = _escaped(self._pick(key, args))
        if not args:
            return _filled(message)
        # Markup.format's result, for `{name}` placeholders (the only kind messages have),
        # without its Formatter: a page asks for some 25 messages (a tenth of rendering).
        return Markup(message.format(**{name: escape(value) for name, value
                                        in self._values(args).items()}))

    def html_hidden(self, key: str, /, **args: Any) -> Markup:
        """`html`, with `[...]` parts of the message shown to screen readers only
        ("Previous[ page]")."""
        shown = self.html(key, **args)
        return Markup(_HIDDEN.sub(r'<span class="visually-hidden">\1</span>', str(shown)))

    def has(self, key: str) -> bool:
        return key in self.messages

    def _pick(self, key: str, args: Mapping[str, Any]) -> str:
        message = self.messages[key]
        if isinstance(message, str):
            return message
        count = args.get("n", 0)
        category = formats.plural(int(count), self.language)
        return message.get(category) or message["other"]

    def _values(self, args: Mapping[str, Any]) -> dict[str, Any]:
        return {name: formats.number(value, self.language) if type(value) is int
                else value for name, value in args.items()}


@functools.lru_cache(maxsize=8192)
def _escaped(message: str) -> str:
    return str(escape(message))


@functools.lru_cache(maxsize=8192)
def _filled(escaped: str) -> Markup:
    return Markup(escaped.format())  # `{{` is `{`, as with arguments


def candidates(tag: str) -> list[str]:
    """The catalogue names to try for a tag, most specific first: `pt-BR`, `pt`;
    `zh-TW` -> `zh-TW`, `zh-Hant` (CLDR's likely script), `zh`."""
    tag = tags.normalise(tag)
    parts = tag.split("-")
    found = [tag]
    script = next((p for p in parts[1:] if len(p) == 4), "")
    if not script and tags.locale(tag) is not None:
        script = _likely_script(tag)
    if script:
        found.append(f"{parts[0]}-{script}")
    found.append(parts[0])
    return list(dict.fromkeys(found))


@functools.lru_cache(maxsize=256)
def _likely_script(tag: str) -> str:
    from babel.core import get_global

    found = tags.locale(tag)
    if found is None:
        return ""
    likely = get_global("likely_subtags")
    key = f"{found.language}_{found.territory}" if found.territory else found.language
    full = str(likely.get(key) or likely.get(found.language) or "")
    script = [p for p in full.split("_") if len(p) == 4]
    # Only where the script tells catalogues apart (Chinese); Latin, Cyrillic... do not.
    return script[0] if script and found.language == "zh" else ""


@functools.lru_cache(maxsize=64)
def shipped(name: str) -> Mapping[str, Message]:
    """One catalogue sitegen ships (`messages/<name>.yaml`), or {} when there is none."""
    path = MESSAGES / f"{name}.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(k): v for k, v in data.items()}


def shipped_languages() -> list[str]:
    return sorted(p.stem for p in MESSAGES.glob("*.yaml"))


def english_keys() -> list[str]:
    return list(shipped("en"))


def own_catalogue(tag: str, theme: Mapping[str, Mapping[str, Message]]) -> dict[str, Message]:
    """What the shipped and theme catalogues give the language itself (no English), the
    more specific tag winning; `theme` maps catalogue names to a theme's strings."""
    found: dict[str, Message] = {}
    for name in reversed(candidates(tag)):
        if tags.normalise(name) == "en" and tags.normalise(tag) != "en":
            continue
        found.update(shipped(name))
        found.update(theme.get(name, {}))
    return found


def plain_strings(tag: str, overrides: Mapping[str, Message] | None = None) -> Strings:
    """Shipped strings of `tag` over English, with `overrides`: for callers without a
    theme or a place to warn (the engine resolves with both: sitegen.engine.languages)."""
    messages: dict[str, Message] = dict(shipped("en"))
    messages.update(own_catalogue(tag, {}))
    messages.update(overrides or {})
    return Strings(tags.normalise(tag), messages)


def check_message(value: Any) -> str | None:
    """Why `value` cannot be a message (None when it can): text, or plural forms."""
    if isinstance(value, str):
        return None
    if isinstance(value, Mapping):
        bad = [k for k in value if k not in PLURAL_CATEGORIES]
        if bad:
            return (f"`{bad[0]}` is not a plural category. Use "
                    f"{', '.join(PLURAL_CATEGORIES)}")
        if "other" not in value:
            return "plural forms need at least `other`"
        if not all(isinstance(v, str) for v in value.values()):
            return "each plural form must be text"
        return None
    return "a string must be text, or plural forms such as `{one: ..., other: ...}`"
