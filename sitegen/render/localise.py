"""What templates use to speak the page's language: `t("key", name=...)` for the theme's
strings, and the `date`, `number`, `byline`, `author_links` and `curly` filters, each reading the
language of the page being rendered (its `site`), so one environment renders every
language of a multilingual site."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import jinja2
from markupsafe import Markup, escape

from sitegen.config import Config
from sitegen.locale import formats
from sitegen.locale.catalogue import Strings, plain_strings
from sitegen.model.site import Author
from sitegen.render import recording
from sitegen.render.typeset import ENGLISH, curly_quotes, quotes_of


def _strings(context: Any) -> Strings:
    site = context.get("site")
    strings = getattr(site, "strings", None)
    return strings if strings is not None else plain_strings(getattr(site, "language", "en"))


@recording.site_only
@jinja2.pass_context
def translate(context: Any, key: str, /, **args: Any) -> Markup:
    """`{{ t("published", date=...) }}`: the string in the page's language, as HTML."""
    return _strings(context).html(key, **args)


@recording.site_only
@jinja2.pass_context
def translate_hidden(context: Any, key: str, /, **args: Any) -> Markup:
    """`t`, with a message's `[...]` parts for screen readers only ("Previous[ page]")."""
    return _strings(context).html_hidden(key, **args)


@recording.site_only
@jinja2.pass_context
def messages(context: Any, *keys: str) -> dict[str, Any]:
    """Messages as data, for a page's script (`{{ messages("search.found") | tojson }}`)."""
    strings = _strings(context)
    return {key: strings.messages[key] for key in keys}


@jinja2.pass_context
def number(context: Any, value: int, grouping: bool = True) -> str:
    """A whole number in the page's language (`year | number(false)` for a year)."""
    return formats.number(value, _strings(context).language, grouping)


def _names(authors: Sequence[Author], language: str, link: bool) -> Markup:
    """Names in the language's list pattern, each isolated (<bdi>) so that a Latin name in
    right-to-left text keeps its order and does not reorder the punctuation around it."""
    for author in authors:  # read on the page's behalf (see sitegen.render.recording)
        recording.note(author, "name", "url") if link else recording.note(author, "name")
    # Markup.format's result, by f-strings of escaped values (its Formatter cost a tenth
    # of rendering a teaser).
    if link:
        items = [f'<a href="{escape(a.url)}" rel="author"><bdi>{escape(a.name)}</bdi></a>'
                 for a in authors]
    else:
        items = [f"<bdi>{escape(a.name)}</bdi>" for a in authors]
    if len(items) <= 1:
        return Markup(items[0] if items else "")
    pattern = formats.join_list([f"{{{i}}}" for i in range(len(items))], language)
    return Markup(str(escape(pattern)).format(*items))


@jinja2.pass_context
def byline(context: Any, authors: Sequence[Author]) -> Markup:
    """`Ann Lee and Bo Chen`, `Ann Lee et Bo Chen`, `Ann Lee و Bo Chen`."""
    return _names(authors, _strings(context).language, link=False)


@jinja2.pass_context
def curly(context: Any, text: str) -> str:
    """A headline's or dek's straight quotes as the page's language writes them."""
    message = _strings(context).messages.get("quotes")
    return curly_quotes(text, quotes_of(message) if isinstance(message, str) else ENGLISH)


@jinja2.pass_context
def author_links(context: Any, authors: Sequence[Author]) -> Markup:
    """The byline's names as links to the authors' pages (rel="author")."""
    return _names(authors, _strings(context).language, link=True)


def bdi(text: str) -> Markup:
    """A name isolated from the text around it (a Latin name in Persian, a Persian one in
    English), for messages such as `More by {name}`."""
    return Markup(f"<bdi>{escape(text)}</bdi>")


def link(url: str, text: str) -> Markup:
    """A link, for messages that hold one: `Read {policy}.`"""
    return Markup(f'<a href="{escape(url)}">{escape(text)}</a>')


def code(text: str) -> Markup:
    """Code in a message: `installs Pagefind with {command}`."""
    return Markup(f"<code>{escape(text)}</code>")


def install(env: jinja2.Environment, config: Config) -> None:
    """The globals and filters above, with dates in the site's time zone."""
    tz = config.tz

    @functools.lru_cache(maxsize=1 << 16)
    def local(value: datetime) -> datetime:
        return value.astimezone(tz)

    @jinja2.pass_context
    def date(context: Any, value: datetime, fmt: str = "long") -> str:
        """`long` by default (December 25, 2024; 25 décembre 2024; ۲۵ دسامبر ۲۰۲۴), another
        CLDR length or skeleton (`MMMd`), or a strftime pattern (`%Y-%m-%d`)."""
        return formats.format_date(local(value), _strings(context).language, fmt)

    @recording.site_only
    @jinja2.pass_context
    def time_tag(context: Any, value: datetime, fmt: str = "long", pagefind: str = "") -> Markup:
        """A <time> element: machine-readable, and the date as the page's language writes it
        (for messages such as `Published {date}`); `pagefind="published[datetime]"` makes it
        a Pagefind meta field as well (search results show the date)."""
        meta = f' data-pagefind-meta="{escape(pagefind)}"' if pagefind else ""
        return Markup(f'<time datetime="{escape(local(value).isoformat(timespec="seconds"))}"'
                      f'{meta}>{escape(date(context, value, fmt))}</time>')

    env.globals.update(t=translate, t_hidden=translate_hidden, messages=messages,
                       time_tag=time_tag, bdi=bdi, link=link, code=code)
    env.filters.update(date=date, number=number, byline=byline, author_links=author_links,
                       curly=curly)
