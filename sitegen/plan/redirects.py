"""Old URLs that keep answering: a redirect page at each `aliases` path of an article or a
page, and the `_redirects` file Netlify and Cloudflare Pages read.

A redirect page is a meta refresh with `rel=canonical` (no JavaScript: it works with
scripts off and tells search engines where the page now lives); it is in no sitemap and no
feed. An alias with a query (`/?p=12`) has no file that could answer it: only the host's
`_redirects` can, so it is written there alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.config import Config
from sitegen.config_languages import strings_of
from sitegen.model.assemble import url_key
from sitegen.model.site import Site
from sitegen.plan.outputs import Plan, PlannedPage, output_path

REDIRECTS_FILE = "_redirects"


@dataclass(frozen=True)
class Redirect:
    """One old URL of a piece: where it was (`alias`), where it is (`target`), and the
    content file that asked for it (named when it collides with another output)."""

    source: str
    alias: str
    target: str


def redirects(site: Site) -> list[Redirect]:
    """Every alias of every published article and page, in a stable order."""
    found = [Redirect(a.source, alias, a.url) for a in site.articles for alias in a.aliases]
    found += [Redirect(p.source, alias, p.url) for p in site.pages for alias in p.aliases]
    return sorted((r for r in found if r.alias != r.target), key=lambda r: r.alias)


def alias_path(alias: str) -> str:
    """The alias as a file's URL: `/old/path` has no extension, so it is a folder."""
    last = alias.rsplit("/", 1)[-1]
    return alias if not last or "." in last else alias + "/"


def redirect_pages(config: Config, site: Site) -> list[PlannedPage]:
    """A redirect page at each alias that a file can answer (one without a query)."""
    pages = []
    title = strings_of(config).text("redirect.title", site=config.title)
    for redirect in redirects(site):
        if file_less(redirect):
            continue
        url = alias_path(redirect.alias)
        pages.append(PlannedPage(url, output_path(config, url), "redirect.html", "redirect",
                                 title, {"redirect": redirect}, None, (), in_sitemap=False))
    return pages


def redirects_file(plan: Plan, config: Config, own: str = "") -> str | None:
    """`_redirects` (Netlify, Cloudflare Pages): `own` (the site's static/_redirects) first,
    as the first matching rule wins and the newsroom's own rules must; then a permanent
    redirect for each alias. None when there is nothing to write."""
    lines = [own.rstrip("\n")] if own.strip() else []
    seen: set[str] = set()
    for page in plan.pages:
        if page.kind == "redirect":
            redirect: Redirect = page.context["redirect"]
            lines.append(_rule(redirect.alias, redirect.target))
            seen.add(redirect.alias)
    for alias, target in plan.query_redirects:
        if alias not in seen:
            lines.append(_rule(alias, target))
    return "\n".join(lines) + "\n" if lines else None


def _rule(alias: str, target: str) -> str:
    path, _, query = alias.partition("?")
    if query:  # Netlify's form for a query: `/ p=12 /new/ 301`, one `key=value` each
        return f"{path} {' '.join(query.split('&'))} {target} 301"
    return f"{alias} {target} 301"


def file_less(redirect: Redirect) -> bool:
    """True for an alias no file can answer: one with a query, or one that differs from
    its page's URL only in case (`/2022/x-TLS/` for `/2022/x-tls/`), whose file would be
    the page's own on a case-insensitive disk. Hosts that read `_redirects` answer them."""
    return "?" in redirect.alias or url_key(alias_path(redirect.alias)) == url_key(
        redirect.target)


def query_aliases(site: Site) -> tuple[tuple[str, str], ...]:
    """(alias, target) of every alias no file can answer, kept in the plan for
    `_redirects`."""
    return tuple((r.alias, r.target) for r in redirects(site) if file_less(r))
