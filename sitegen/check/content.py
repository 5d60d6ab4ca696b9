"""Editorial slips in the published articles, each a warning at its line: no dek, a lead
image without alt text, a headline Google News would cut, `base_url` still the example
domain, template syntax that a body shows as typed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.check.site import Built
from sitegen.config import CONFIG_NAME
from sitegen.content import yamlio
from sitegen.content.sources import Source
from sitegen.errors import Problem
from sitegen.model.entries import Entry

MAX_HEADLINE = 110  # characters Google News shows before it truncates
EXAMPLE_HOSTS = ("example.org", "example.com", "example.net")  # RFC 2606, and the scaffold's
_TEMPLATE = re.compile(r"\{\{|\{%|\{#")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN = re.compile(r"`[^`]*`")


def content_problems(built: Built) -> list[Problem]:
    """The warnings about every published article, standalone page and the configuration."""
    found = [*_base_url(built)]
    for entry, item in built.model.found.entries:
        if item.source.rel in built.model.by_source:
            found += _entry(entry)
            found += template_syntax(item.source, built.site_dir)
    return found


def _entry(entry: Entry) -> Iterator[Problem]:
    source = entry.source
    line, col = source.line_of("title")
    if not entry.subtitle and not entry.summary:
        yield Problem(source.rel, line, col, "has no dek. Add `subtitle:` (the line under "
                      "the headline) or `summary:`; listings, feeds and search results "
                      "otherwise show the first paragraph.", "warning")
    if len(entry.title) > MAX_HEADLINE:
        yield Problem(source.rel, line, col, f"the headline is {len(entry.title)} characters "
                      f"long; Google News cuts it after {MAX_HEADLINE}. Shorten it.",
                      "warning")
    # A lead image without `image_alt` is the build's own warning (sitegen.images).


def template_syntax(source: Source, site_dir: Path) -> Iterator[Problem]:
    """`{{`, `{%` or `{#` in a body outside code: content is never template source, so
    readers would see it as typed (a leftover of a copied template, or a shortcode). The
    body is read from the file again: a build keeps only its HTML."""
    try:
        text = (site_dir / source.rel).read_text("utf-8-sig", "replace")
    except OSError:
        return
    body = text.replace("\r\n", "\n").split("\n")[source.body_line - 1:]
    fenced = False
    for number, line in enumerate(body):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        found = None if fenced else _TEMPLATE.search(_CODE_SPAN.sub(_blank, line))
        if found:
            yield Problem(source.rel, source.body_line + number, found.start() + 1,
                          f"`{found.group()}` is template syntax, which sitegen does not run: "
                          "readers see it as typed. Remove it, or put it in `code` if it is "
                          "meant as text.", "warning")


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group())


def _base_url(built: Built) -> Iterator[Problem]:
    host = (urlsplit(built.config.base_url).hostname or "").lower()
    if host in EXAMPLE_HOSTS or host.endswith(tuple("." + h for h in EXAMPLE_HOSTS)):
        path = built.site_dir / CONFIG_NAME
        text = path.read_text("utf-8", "replace") if path.is_file() else ""
        line, col = yamlio.key_line(text, "base_url")
        yield Problem(CONFIG_NAME, line + 1, col + 1, f"`base_url` is still the example "
                      f"address {built.config.base_url}: feeds, sitemaps and share links "
                      "would point there. Set it to the address the site is published at "
                      "(or pass --base-url to `sitegen build`).", "warning")
