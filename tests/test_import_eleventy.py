"""`sitegen import --from eleventy`: the fixture in tests/importsites/eleventy (input folder
from the config, directory data with a permalink pattern, Liquid reading _data, a custom
shortcode, a plain permalink, a role after a comma, a draft), imported and built."""

from __future__ import annotations

from pathlib import Path

from importsupport import SITES, import_and_build

ELEVENTY = SITES / "eleventy"


def test_posts_data_and_old_urls(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "eleventy", ELEVENTY)
    assert len(site.article_pages()) == 2  # the draft stays out
    fleet = site.page("/2022/04/09/fleet-count/")
    assert "runs 7 ferries; the flagship is MV Kestrel" in fleet
    assert site.template_code_shown() == []
    assert "2022-04-09-fleet-count.md:7: warning: template code `{% image" in site.out
    assert site.redirects_to("/notes/fleet-count/") == "/2022/04/09/fleet-count/"
    assert site.redirects_to("/night/") == "/2022/05/01/night-crossing/"


def test_a_role_after_a_comma_is_the_profiles_role(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "eleventy", ELEVENTY)
    profile = (site.site / "content/authors/rosa-lindqvist.yaml").read_text(encoding="utf-8")
    assert "role: Editor" in profile
    assert "rosa-lindqvist-editor" not in "".join(
        p.name for p in (site.site / "content/authors").iterdir())
