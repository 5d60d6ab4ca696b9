"""`sitegen import --from eleventy`: the fixture in tests/importsites/eleventy (input folder
from the config, directory data with a permalink pattern, Liquid reading _data, a custom
shortcode, a plain permalink, a role after a comma, a draft, a Nunjucks post with captures,
a stray `{{`, CSS and feed templates), imported and built."""

from __future__ import annotations

from pathlib import Path

from importsupport import SITES, import_and_build

ELEVENTY = SITES / "eleventy"


def test_posts_data_and_old_urls(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "eleventy", ELEVENTY)
    assert len(site.article_pages()) == 4  # the draft stays out
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


def test_nunjucks_captures_comments_and_filters_show_what_readers_saw(cli, tmp_path: Path) -> None:
    """A `.njk` post: `{# #}` comments, `{% set %}...{% endset %}` captures (one holding a
    code sample under `{% raw %}`, shown through the `highlight` filter), `{% set x = %}`,
    Nunjucks' `upper`, and a paired tag sitegen does not know."""
    site = import_and_build(cli, tmp_path, "eleventy", ELEVENTY)
    page = site.page("/2022/07/02/timetable/")
    body = page[page.index('data-pagefind-body>'):page.index('class="print-only')]
    assert "Boats leave every hour." in body and "editors: check" not in body
    assert ('<pre><code class="language-yaml">departures:\n  - "{{ first }}"</code></pre>'
            in body)
    assert body.count("Times may change in storms.") == 1  # where `{{ note }}` is, only
    assert "From HARWICH." in body
    assert site.template_code_shown() == []
    assert ("posts/2022-07-02-timetable.njk:12: warning: template code `{% callout \"info\" %}`"
            " is a tag sitegen does not know (a plugin's or the theme's), so it is left out. "
            "Check the text around it reads well.") in site.out


def test_the_last_pass_takes_out_what_no_rule_converted(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "eleventy", ELEVENTY)
    page = site.page("/2022/08/15/braces/")
    assert "The form said  name and nothing closed it." in page
    assert "<code>{{ name }}</code>" in page  # code keeps its braces
    assert ("posts/2022-08-15-braces.md:5: warning: template code `{{` was still in the text "
            "after the import's conversions, so it is left out. Check the text around it "
            "reads well.") in site.out


def test_templates_of_other_file_types_are_skipped_and_reported(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "eleventy", ELEVENTY)
    assert ("  css/site.css.njk: a template for a .css file, not a page; sitegen makes pages "
            "only (put the file itself in static/)") in site.out.splitlines()
    assert ("  feed.njk: a template for a .xml file, not a page; sitegen makes pages only "
            "(put the file itself in static/)") in site.out.splitlines()
    assert not (site.site / "content/pages/css").exists()
    assert not list(site.build.glob("css/site*"))
