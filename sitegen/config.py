"""Stage 1: `sitegen.yaml` into a frozen, typed configuration.

Unknown keys are errors with a "did you mean" (Zola's habit); free data goes under `extra`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen import config_deploy, config_images, config_languages, config_sections
from sitegen.config_deploy import DeployTarget
from sitegen.config_images import ImageSettings
from sitegen.config_languages import LanguageConfig
from sitegen.config_sections import DEFAULT_ARTICLE_PERMALINK as DEFAULT_ARTICLE_PERMALINK
from sitegen.config_sections import DEFAULT_SECTIONS as DEFAULT_SECTIONS
from sitegen.config_sections import RESERVED_SECTIONS as RESERVED_SECTIONS
from sitegen.config_sections import SectionConfig as SectionConfig
from sitegen.config_taxonomies import TaxonomyConfig, read_taxonomies
from sitegen.content import yamlio
from sitegen.content.safetext import unsafe_text
from sitegen.errors import ConfigError, Problem
from sitegen.errors import did_you_mean as did_you_mean  # the settings' own hint
from sitegen.names import CONFIG_NAME as CONFIG_NAME

if TYPE_CHECKING:
    from sitegen.locale.catalogue import Strings

@dataclass(frozen=True)
class Publisher:
    name: str
    logo: str = ""


FEED_FORMATS = ("atom", "rss", "json")  # what `feed_formats` may name; all by default
@dataclass(frozen=True)
class Config:
    """Everything `sitegen.yaml` says, validated, with defaults filled in."""

    title: str
    base_url: str
    language: str = "en"
    description: str = ""
    timezone: str = "UTC"
    per_page: int = 10
    theme: str = "default"
    article_permalink: str = DEFAULT_ARTICLE_PERMALINK
    sections: tuple[SectionConfig, ...] = DEFAULT_SECTIONS
    publisher: Publisher = Publisher("")
    feed_content: str = "summary"
    trusted_html: bool = False
    search: bool = True
    max_file_size: int = 5_000_000
    embed_hosts: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    feed_formats: tuple[str, ...] = FEED_FORMATS
    taxonomies: tuple[TaxonomyConfig, ...] = ()  # besides tags: regions, topics...
    images: ImageSettings = field(default_factory=ImageSettings)
    # The articles the front page leads with, in order (slugs, URLs or content files):
    # the first is the lead story, the next the top stories (see sitegen.plan.front).
    front: tuple[str, ...] = ()
    # Where `sitegen deploy` publishes: no part of the output, so not of its repr (which
    # every page key digests): editing a target re-renders nothing.
    deploy: tuple[DeployTarget, ...] = field(default=(), repr=False, compare=False)
    # The theme's strings as this site words them (`strings:`), and every language the site
    # publishes in, the default first (sitegen.config_languages); `catalogue` is the
    # language's resolved strings, set by the engine (sitegen.engine.languages).
    strings: dict[str, Any] = field(default_factory=dict)
    languages: tuple[LanguageConfig, ...] = (LanguageConfig("en"),)
    catalogue: Strings | None = None
    language_path: str = ""  # `/fr`: the folder of a language other than the default


    @property
    def multilingual(self) -> bool:
        return len(self.languages) > 1

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property  # read for every URL a build makes
    def root_path(self) -> str:
        """The path part of base_url without its trailing slash ('' for a site at the root),
        and the language's folder (`/fr`) for a language other than the default."""
        return self.site_path + self.language_path

    @cached_property
    def site_path(self) -> str:
        """The path part of base_url without its trailing slash: where the output folder is
        served, whatever the language."""
        return urlsplit(self.base_url).path.rstrip("/")

    @property
    def home_url(self) -> str:
        """The absolute URL of the language's home page."""
        return self.base_url + self.language_path.lstrip("/") + (
            "/" if self.language_path else "")

    @cached_property
    def origin(self) -> str:
        """scheme://host of base_url, to make absolute URLs for feeds and sitemaps."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"


KNOWN_KEYS = {
    "title", "base_url", "language", "description", "timezone", "per_page", "theme",
    "permalinks", "sections", "publisher", "feed_content", "trusted_html", "embed_hosts",
    "max_file_size", "search", "extra", "feed_formats", "deploy", "taxonomies",
    "languages", "strings", "images", "front",
}


class _Checker:
    """Collects configuration problems with the line of the offending key."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        self.problems: list[Problem] = []

    def error(self, key: str, message: str, *, at_key: bool = False) -> None:
        line, col = yamlio.key_line(self.text, key)
        self.problems.append(Problem(self.path, line + 1, 1 if at_key else col + 1, message))

    def text_value(self, data: dict[str, Any], key: str, default: str) -> str:
        value = data.get(key, default)
        if isinstance(value, bool | int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.error(key, f"`{key}` must be text, not {type(value).__name__}. Quote the value.")
            return default
        return value

    def flag(self, data: dict[str, Any], key: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.error(key, f"`{key}` must be true or false.")
            return default
        return value

    def count(self, data: dict[str, Any], key: str, default: int, what: str) -> int:
        """A whole number of at least 1; `what` says what the user should write instead."""
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(key, f"`{key}` must be {what}.")
            return default
        return value


def load_config(site: Path, base_url: str | None = None) -> Config:
    """Read and validate `site/sitegen.yaml`; raise ConfigError listing every problem."""
    path = site / CONFIG_NAME
    if not path.is_file():
        msg = (f"no {CONFIG_NAME} here. Run sitegen inside a site folder, pass --site DIR, "
               "or create one with `sitegen new site DIR`.")
        raise ConfigError([Problem(str(path), 1, 1, msg)])
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise ConfigError([Problem(CONFIG_NAME, 1, exc.start + 1,
                                   "is not UTF-8. Save it as UTF-8.")]) from None
    try:
        data = yamlio.load(text) or {}
    except yamlio.YamlProblem as exc:
        raise ConfigError([Problem(CONFIG_NAME, exc.line + 1, exc.col + 1,
                                   f"{exc.with_offset(1)}. Fix the YAML syntax.")]) from None
    if not isinstance(data, dict):
        raise ConfigError([Problem(CONFIG_NAME, 1, 1, "must be a mapping of `key: value` lines.")])
    return _validate(_Checker(CONFIG_NAME, text), data, base_url)


def _validate(check: _Checker, data: dict[str, Any], base_url: str | None) -> Config:
    for key in data:
        if key not in KNOWN_KEYS:
            check.error(str(key), f"unknown setting `{key}`.{did_you_mean(str(key), KNOWN_KEYS)}"
                        " Put free data under `extra`.", at_key=True)
    for key, value in data.items():
        problem = unsafe_text(value)
        if problem:
            check.error(str(key), f"`{key}` {problem}")
    title = check.text_value(data, "title", "")
    if "title" not in data:
        check.problems.append(Problem(check.path, 1, 1, "`title` is required. Add `title: ...`."))
    url = _base_url(check, base_url or check.text_value(data, "base_url", "/"))
    sections = config_sections.read_sections(check.error, data.get("sections"))
    languages = config_languages.from_yaml(check.path, check.text, data, check.problems)
    config = Config(
        title=title,
        base_url=url if url.endswith("/") else url + "/",
        language=languages[0].tag,
        strings=languages[0].strings,
        languages=languages,
        description=check.text_value(data, "description", ""),
        timezone=_timezone(check, data),
        per_page=check.count(data, "per_page", 10, "a whole number of at least 1"),
        theme=check.text_value(data, "theme", "default"),
        article_permalink=config_sections.read_permalink(check.error,
                                                             data.get("permalinks", {})),
        sections=sections,
        publisher=_publisher(check, data.get("publisher", {}), title),
        feed_content=_feed_content(check, data),
        trusted_html=check.flag(data, "trusted_html", False),
        search=check.flag(data, "search", True),
        embed_hosts=_embed_hosts(check, data),
        max_file_size=check.count(data, "max_file_size", 5_000_000,
                                  "a number of bytes, e.g. 5000000"),
        extra=_extra(check, data),
        feed_formats=_feed_formats(check, data.get("feed_formats", list(FEED_FORMATS))),
        front=_front(check, data.get("front", [])),
        deploy=_deploy(check, data.get("deploy", {})),
        taxonomies=_taxonomies(check, data, sections),
        images=config_images.read_at(data.get("images"), check.text, check.path,
                                     check.problems),
    )
    if check.problems:
        raise ConfigError(check.problems)
    return config


def _base_url(check: _Checker, url: str) -> str:
    """The site's address: http(s) with a host, or a path from the root (`/`, `/news/`).
    Anything else (`javascript:`, `data:`, `//host`, a bare word) would reach every link,
    feed and robots.txt, so it is an error."""
    parts = urlsplit(url.strip())
    remote = parts.scheme in {"http", "https"} and bool(parts.hostname)
    local = not parts.scheme and not parts.netloc and url.startswith("/") and \
        not url.startswith("//")
    if (remote or local) and not parts.query and not parts.fragment and \
            not parts.username and "\\" not in url:
        return url.strip()
    check.error("base_url", f"`base_url` must be the site's address, such as "
                f"https://example.org/ or a path like /news/, not `{url}`.")
    return "/"


def _timezone(check: _Checker, data: dict[str, Any]) -> str:
    timezone = check.text_value(data, "timezone", "UTC")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        check.error("timezone", f"unknown time zone `{timezone}`. Use an IANA name such as "
                    "`Europe/Paris` or `UTC`.")
        return "UTC"
    return timezone


def _feed_content(check: _Checker, data: dict[str, Any]) -> str:
    feed_content = check.text_value(data, "feed_content", "summary")
    if feed_content not in {"summary", "full"}:
        check.error("feed_content", "`feed_content` must be `summary` or `full`.")
    return feed_content


def _embed_hosts(check: _Checker, data: dict[str, Any]) -> tuple[str, ...]:
    hosts = data.get("embed_hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(h, str) for h in hosts):
        check.error("embed_hosts", "`embed_hosts` must be a list of host names, e.g. "
                    "[www.youtube-nocookie.com].")
        return ()
    return tuple(hosts)


def _extra(check: _Checker, data: dict[str, Any]) -> dict[str, Any]:
    extra = data.get("extra", {})
    if not isinstance(extra, dict):
        check.error("extra", "`extra` must be a mapping.")
        return {}
    return extra


def _publisher(check: _Checker, value: Any, title: str) -> Publisher:
    if not isinstance(value, dict):
        check.error("publisher", "`publisher` must be a mapping with `name` and `logo`.")
        return Publisher(title)
    unknown = set(value) - {"name", "logo"}
    if unknown:
        check.error("publisher", f"unknown publisher field `{sorted(unknown)[0]}`; "
                    "a publisher has name and logo.")
    return Publisher(str(value.get("name") or title), str(value.get("logo") or ""))


def _feed_formats(check: _Checker, value: Any) -> tuple[str, ...]:
    """The formats every feed is written in, in the order given, each once."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value:
        check.error("feed_formats", "`feed_formats` must be a list of one or more of "
                    f"{', '.join(FEED_FORMATS)}, e.g. [atom, rss, json].")
        return FEED_FORMATS
    formats: list[str] = []
    for item in value:
        name = str(item).strip().lower() if isinstance(item, str) else repr(item)
        if name not in FEED_FORMATS:
            check.error("feed_formats", f"unknown feed format `{item}`."
                        f"{did_you_mean(name, list(FEED_FORMATS))} Use "
                        f"{', '.join(FEED_FORMATS)}.")
        elif name not in formats:
            formats.append(name)
    return tuple(formats) or FEED_FORMATS


def _taxonomies(check: _Checker, data: dict[str, Any],
                sections: tuple[SectionConfig, ...]) -> tuple[TaxonomyConfig, ...]:
    problems: list[str] = []
    found = read_taxonomies(data.get("taxonomies"), [s.name for s in sections], problems)
    for message in problems:
        check.error("taxonomies", message)
    return found


FRONT_EXAMPLE = ("front: [restraint-is-not-isolation, /2026/04/22/yemen-truce/] (an article's "
                 "slug, URL or file under content/)")


def _front(check: _Checker, value: Any) -> tuple[str, ...]:
    """The articles pinned to the front page, in order: each named by its slug, its URL or
    its file (content/articles/...). Which article each names is checked with the content."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        check.error("front", f"`front` must be a list of articles, e.g. {FRONT_EXAMPLE}.")
        return ()
    names: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            check.error("front", f"each `front` entry must name an article in text, not "
                        f"{item!r}. Write {FRONT_EXAMPLE}.")
        elif item.strip() not in names:
            names.append(item.strip())
    return tuple(names)


def _deploy(check: _Checker, value: Any) -> tuple[config_deploy.DeployTarget, ...]:
    """Named targets: `name: {rsync: DEST}` or `name: {git: REPO, branch: B}`."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        check.error("deploy", "`deploy` must be a mapping of named targets, "
                    f"{config_deploy.EXAMPLE}.")
        return ()
    start, _ = yamlio.key_line(check.text, "deploy")
    targets = []
    for name, spec in value.items():
        line = yamlio.value_line(check.text, f"{name}:", start)
        problems: list[str] = []
        target = config_deploy.read_target(str(name), spec, line + 1, problems)
        check.problems += [Problem(check.path, line + 1, 1, message) for message in problems]
        if target is not None:
            targets.append(target)
    return tuple(targets)

