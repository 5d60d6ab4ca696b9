"""`sitegen import --from jekyll`: the fixture newsroom in tests/importsites/jekyll (its
permalink style, folder categories, dates only in file names, Liquid reading _data, an
include, a byline with two names and one with a role, drafts), imported and built."""

from __future__ import annotations

from pathlib import Path

from conftest import tree_bytes
from importsupport import SITES, import_and_build

JEKYLL = SITES / "jekyll"


def test_every_published_post_is_an_article_page_and_drafts_are_not(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "jekyll", JEKYLL)
    titles = [p.read_text(encoding="utf-8") for p in site.article_pages()]
    for headline in ("First dispatch from the quay", "Tide tables released",
                     "Pilots reach an agreement", "Storm damage along the breakwater"):
        assert sum(headline in t for t in titles) == 1, headline
    shown = "".join(titles)
    assert "A story we withdrew" not in shown  # published: false
    assert "Dredging plans" not in shown  # _drafts/
    # the date came from the file name, and the slug lost it
    assert "First dispatch" in site.page("/2001/01/18/first-dispatch/")


def test_liquid_reads_the_data_files_and_no_template_code_reaches_readers(
        cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "jekyll", JEKYLL)
    tide = site.page("/2013/11/22/tide-tables-released/")
    assert "version 4.2.0 of its tide tables" in tide
    assert 'href="/2001/01/18/first-dispatch/"' in tide  # {% post_url %}
    pilots = site.page("/2015/03/17/pilots-agreement/")
    assert "fare = base * 1.1" in pilots and "{{ not a variable }}" in pilots  # highlight, raw
    assert site.template_code_shown() == []
    assert "{: .lead}" not in site.page("/2017/05/05/storm-damage/")
    # the include is reported at its line, with what to do
    assert "tide-tables-released.md:12: warning: a theme include" in site.out


def test_old_urls_redirect_as_jekyll_made_them(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "jekyll", JEKYLL)
    assert site.redirects_to("/news/2013/11/22/tide-tables-released.html") == \
        "/2013/11/22/tide-tables-released/"
    assert site.redirects_to("/harbour/politics/2001/01/18/first-dispatch.html") == \
        "/2001/01/18/first-dispatch/"
    assert site.redirects_to("/pilots/") == "/2015/03/17/pilots-agreement/"  # redirect_from
    rules = (site.build / "_redirects").read_text(encoding="utf-8")
    assert "/labour/2015/03/17/pilots-agreement.html /2015/03/17/pilots-agreement/ 301" in rules
    sitemap = (site.build / "sitemap.xml").read_text(encoding="utf-8")
    assert ".html</loc>" not in sitemap and "/pilots/" not in sitemap


def test_bylines_become_separate_authors_with_data_file_profiles(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "jekyll", JEKYLL)
    tide = site.page("/2013/11/22/tide-tables-released/")
    assert 'href="/authors/maud-wren/"' in tide and 'href="/authors/tunde-okafor/"' in tide
    assert "covers the port authority" in site.page("/authors/maud-wren/")  # _data/authors.yml
    storm = site.page("/2017/05/05/storm-damage/")
    assert 'href="/authors/ana-ruiz/"' in storm and 'href="/authors/li-wei/"' in storm
    carver = (site.site / "content/authors/josh-carver.yaml").read_text(encoding="utf-8")
    assert "role: Harbour Pilots Association Executive Director" in carver


def test_images_are_copied_and_a_missing_one_is_reported(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "jekyll", JEKYLL)
    assert (site.build / "assets/img/storm.png").is_file()
    assert "/assets/img/missing.jpg`, which is not in the source site" in site.out


def test_the_report_names_mapped_and_dropped_fields(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "jekyll", JEKYLL)
    assert "excerpt -> summary" in site.out and "lastmod -> updated" in site.out
    assert "layout (the source theme's layout setting)" in site.out


def test_importing_twice_changes_nothing_and_nothing_is_overwritten(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "jekyll", JEKYLL)
    content = tree_bytes(site.site / "content")
    again = cli("import", "--from", "jekyll", JEKYLL, "--site", site.site)
    assert again.code == 0, again.err
    assert "\nwrote " not in "\n" + again.out
    assert tree_bytes(site.site / "content") == content
    edited = site.site / "content/articles/2001/01-18-first-dispatch.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn editor's addition.\n",
                      encoding="utf-8")
    refused = cli("import", "--from", "jekyll", JEKYLL, "--site", site.site)
    assert refused.code == 1
    assert "01-18-first-dispatch.md:1:1: error: already exists" in refused.err
    assert "--force" in refused.err
    assert "An editor's addition." in edited.read_text(encoding="utf-8")
    forced = cli("import", "--from", "jekyll", JEKYLL, "--site", site.site, "--force")
    assert forced.code == 0 and "An editor's addition." not in edited.read_text(encoding="utf-8")


def test_a_hand_copied_post_gets_the_meaning_and_the_importer_hint(cli, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert cli("new", "site", site).code == 0
    (site / "content/articles/copied.md").write_text(
        "---\ntitle: Copied\ndate: 2013-11-22 5:00:00 +0000\nexcerpt: Short.\n"
        "permalink: /copied/\n---\nText.\n", encoding="utf-8")
    built = cli("build", "--site", site)
    assert built.code == 1
    assert "copied.md:4:1: error: unknown field `excerpt`. Did you mean `summary`?" in built.err
    assert "run `sitegen import --from jekyll`" in built.err
    assert "`date` is not a valid date" not in built.err  # the near-ISO date is read


def test_toml_front_matter_html_bodies_and_aliases_in_a_plain_build(cli, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert cli("new", "site", site).code == 0
    articles = site / "content/articles"
    (articles / "toml.md").write_text('+++\ntitle = "From TOML"\ndate = 2015-03-17T14:00:00'
                                      '-04:00\naliases = ["/old/toml/"]\n+++\nBody.\n',
                                      encoding="utf-8")
    (articles / "page.html").write_text("---\ntitle: In HTML\ndate: 2015-03-17 14:00:00 -4\n"
                                        "---\n<p>Some <em>HTML</em> * kept</p><script>x</script>\n",
                                        encoding="utf-8")
    built = cli("build", "--site", site)
    assert built.code == 0, built.err
    html = (site / "build/2015/03/17/page/index.html").read_text(encoding="utf-8")
    assert "<p>Some <em>HTML</em> * kept</p>" in html and "<script>x" not in html
    moved = (site / "build/old/toml/index.html").read_text(encoding="utf-8")
    assert 'content="0; url=/2015/03/17/toml/"' in moved
    (articles / "clash.md").write_text("---\ntitle: Clash\ndate: 2016-01-01\naliases: "
                                       "[/2015/03/17/toml/]\n---\nx\n", encoding="utf-8")
    clash = cli("build", "--site", site)
    assert clash.code == 1
    assert ("clash.md:4:1: error: alias /2015/03/17/toml/ is also the URL of "
            "content/articles/toml.md") in clash.err
    assert moved == (site / "build/old/toml/index.html").read_text(encoding="utf-8")


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_a_site_in_several_languages_is_imported_in_english(cli, tmp_path: Path) -> None:
    """Every language's `_posts/` holds the same file names: the English posts are
    imported, the translations reported (none silently lost to the same file)."""
    post = "---\ntitle: {title}\nlang: {lang}\n---\n{text}\n"
    source = _write(tmp_path / "multi", {
        "_config.yml": "title: Harbour News\n",
        "en/news/_posts/2020-01-02-ferry-returns.md": post.format(
            title="The ferry returns", lang="en", text="It is back."),
        "de/news/_posts/2020-01-02-ferry-returns.md": post.format(
            title="Die Fähre kehrt zurück", lang="de", text="Sie ist zurück."),
        "fr/news/_posts/2020-01-02-ferry-returns.md": post.format(
            title="Le ferry revient", lang="fr", text="Il est de retour."),
        "en/news/_posts/2020-01-03-quay.md": post.format(title="The quay", lang="en",
                                                          text="Rebuilt."),
        "en/old/_posts/2020-01-03-quay.md": "---\ntitle: The quay again\n---\nTwice.\n",
    })
    site = import_and_build(cli, tmp_path, "jekyll", source)
    assert "The ferry returns" in site.page("/2020/01/02/ferry-returns/")
    assert "The quay" in site.page("/2020/01/03/quay/")
    assert len(site.article_pages()) == 2
    lines = site.out.splitlines()
    assert ("  `lang: de` (1 file): the `de` translation; a sitegen site has one language, "
            "so only `en` is imported") in lines
    assert ("  en/old/_posts/2020-01-03-quay.md: it would be content/articles/2020/"
            "01-03-quay.md too, as en/news/_posts/2020-01-03-quay.md is; give one of them "
            "another `slug`") in lines
