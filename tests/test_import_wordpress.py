"""`sitegen import --from wordpress`: the WXR fixture in tests/importsites/wordpress
(posts, a page, a draft, a scheduled post, two authors and a Co-Authors Plus byline,
categories, tags, an attachment as featured image, comments, [caption], [gallery] and
Gutenberg block markup), imported and built."""

from __future__ import annotations

from pathlib import Path

from importsupport import SITES, import_and_build

WXR = SITES / "wordpress" / "export.xml"


def test_posts_pages_drafts_and_scheduled_posts(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "wordpress", WXR)
    pages = "".join(p.read_text(encoding="utf-8") for p in site.article_pages())
    assert "Der Kran im Nebel" in pages and "Neue Fähren &amp; alte Fragen" in pages
    assert "Entwurf: Schleusen" not in pages  # draft
    assert "Die Zukunft des Hafens" not in pages  # scheduled for 2099: not yet
    assert "Verantwortlich" in site.page("/impressum/")
    assert "2 comments dropped" in site.out


def test_bodies_show_what_readers_saw(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "wordpress", WXR)
    kran = site.page("/2014/02/03/kran-im-nebel/")
    assert "<figcaption>Der Kran am Morgen</figcaption>" in kran
    assert "<p>Niemand wusste warum.<br>" in kran  # wpautop
    faehren = site.page("/2015/06/01/neue-faehren/")
    assert "<strong>Juli</strong>" in faehren and "<blockquote" in faehren
    assert site.template_code_shown() == []


def test_co_authors_and_categories(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "wordpress", WXR)
    kran = site.page("/2014/02/03/kran-im-nebel/")
    assert 'href="/authors/katrin-bauer/"' in kran and 'href="/authors/jonas-vogel/"' in kran
    assert "Der Kran im Nebel" in site.page("/meinung/")
    assert 'href="/tags/kraene/"' in kran or "Kräne" in kran


def test_old_links_and_short_links_redirect(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "wordpress", WXR)
    assert site.redirects_to("/2014/02/kran-im-nebel/") == "/2014/02/03/kran-im-nebel/"
    rules = (site.build / "_redirects").read_text(encoding="utf-8")
    assert "/ p=10 /2014/02/03/kran-im-nebel/ 301" in rules
    assert "/ page_id=20 /impressum/ 301" in rules
