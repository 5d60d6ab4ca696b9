"""Shared steps of the importer tests: a new site, an import into it, a build of it, and
what a reader of the built pages sees (pages, redirects, any template code as text)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from conftest import FIXED_NOW

SITES = Path(__file__).parent / "importsites"
# Template code a reader must never see: Liquid, Hugo shortcodes, WordPress shortcodes and
# block comments. Code samples (<pre>, <code>) may show anything.
TEMPLATE_CODE = re.compile(r"\{%|\{\{|\[/?caption|\[gallery|<!--\s*/?wp:")
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)


@dataclass
class Imported:
    site: Path
    out: str  # what the import printed

    @property
    def build(self) -> Path:
        return self.site / "build"

    def page(self, url: str) -> str:
        path = self.build / url.lstrip("/")
        if url.endswith("/"):
            path = path / "index.html"
        assert path.is_file(), f"{url} is not in build/"
        return path.read_text(encoding="utf-8")

    def article_pages(self) -> list[Path]:
        """The imported articles' pages (not the new site's welcome article)."""
        return [p for p in self.build.rglob("index.html") if p.parent.name != "welcome"
                and 'class="kind-article"' in p.read_text(encoding="utf-8")]

    def redirects_to(self, old: str) -> str:
        """Where the redirect page at `old` sends a reader (checked: refresh + canonical)."""
        text = self.page(old if old.endswith((".html", "/")) else old + "/")
        found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', text)
        assert found, f"{old} is not a redirect page"
        assert 'rel="canonical"' in text and "<script" not in text
        return found.group(1)

    def template_code_shown(self) -> list[str]:
        shown = []
        for path in self.build.rglob("*.html"):
            text = _CODE.sub("", path.read_text(encoding="utf-8"))
            if TEMPLATE_CODE.search(text):
                shown.append(path.relative_to(self.build).as_posix())
        return shown


def import_and_build(cli, tmp_path: Path, kind: str, source: Path, *extra: str) -> Imported:
    """`sitegen new site`, `sitegen import --from KIND SOURCE`, `sitegen build`: all exit 0."""
    site = tmp_path / "site"
    now = FIXED_NOW.isoformat()
    made = cli("new", "site", site, "--now", now)
    assert made.code == 0, made.err
    imported = cli("import", "--from", kind, source, "--site", site)
    assert imported.code == 0, imported.err
    built = cli("build", "--site", site, "--now", now, *extra)
    assert built.code == 0, built.err
    return Imported(site, imported.out)
