"""`sitegen import --from hugo`: the fixture in tests/importsites/hugo (TOML and JSON front
matter, a page bundle with its image, [permalinks], aliases, shortcodes, a draft, an
author taxonomy page and data file, a byline "usa and mame"), imported and built."""

from __future__ import annotations

import re
from pathlib import Path

from importsupport import SITES, import_and_build

HUGO = SITES / "hugo"


def test_posts_become_article_pages_and_drafts_stay_out(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "hugo", HUGO)
    pages = "".join(p.read_text(encoding="utf-8") for p in site.article_pages())
    for headline in ("Fire at the grain store", "Tariffs at the quay", "Letter: keep the ferry"):
        assert headline in pages
    assert "Draft for next week" not in pages
    assert len(site.article_pages()) == 3


def test_shortcodes_are_converted_and_none_reaches_readers(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "hugo", HUGO)
    fire = site.page("/2019/05/04/2019-harbour-fire/")
    assert "<figcaption>Smoke over the store</figcaption>" in fire
    # the bundle's image, copied, and shown as a picture of it (sitegen.images)
    assert re.search(r'<img src="/_img/[0-9a-f]+/smoke-1\.png"', fire)
    assert (site.build / "images/2019-harbour-fire/smoke.png").is_file()
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in fire
    assert 'href="/2020/02/02/tariffs/"' in fire or "/2020/02/02/tariffs/" in fire  # ref
    assert "The dues apply from March." in site.page("/2020/02/02/tariffs/")  # notice's text
    assert site.template_code_shown() == []
    assert "index.md:20: warning: shortcode `plotly` has no sitegen equivalent" in site.out


def test_old_urls_follow_the_permalinks_setting_and_aliases(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "hugo", HUGO)
    assert site.redirects_to("/2019/05/2019-harbour-fire/") == "/2019/05/04/2019-harbour-fire/"
    assert site.redirects_to("/news/grain-fire/") == "/2019/05/04/2019-harbour-fire/"
    assert site.redirects_to("/2020/02/tariffs/") == "/2020/02/02/tariffs/"
    assert site.redirects_to("/opinion/letter/") == "/2021/06/01/letter/"  # no permalink: path


def test_bylines_and_profiles(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "hugo", HUGO)
    letter = site.page("/2021/06/01/letter/")
    assert 'href="/authors/usa/"' in letter and 'href="/authors/mame/"' in letter
    ines = site.page("/authors/ines-duarte/")
    assert "Harbour Correspondent" in ines and "reports from the docks" in ines
    assert "edits the opinion pages" in site.page("/authors/paulo-costa/")  # data/authors


def test_a_folder_named_for_a_section_files_its_posts_there(cli, tmp_path: Path) -> None:
    site = import_and_build(cli, tmp_path, "hugo", HUGO)
    assert "Letter: keep the ferry" in site.page("/opinion/")
    assert "Fire at the grain store" in site.page("/news/")  # categories = ["News"]


def test_content_data_and_static_from_module_mounts(cli, tmp_path: Path) -> None:
    """A site that keeps its folders under src/ and mounts them (`module: mounts:`)."""
    source = tmp_path / "mounted"
    files = {
        "hugo.yaml": "title: Mounted\npermalinks:\n  posts: /:year/:month/:day/:filename/\n"
                     "module:\n  mounts:\n    - source: src/content\n      target: content\n"
                     "    - source: src/static\n      target: static\n",
        "src/content/posts/2021/2021-03-04-mounted-post.md":
            "---\ntitle: A mounted post\ndate: 2021-03-04\n---\n![Map](/img/map.png)\n",
        "src/static/img/map.png": "not really a png",
        # A version number in a file name is not a language (`post.de.md` would be).
        "src/content/posts/2021/policy-v5.0.md": "---\ntitle: Policy 5.0\ndate: 2021-03-05\n"
                                                 "---\nVersion five.\n",
    }
    for rel, text in files.items():
        (source / rel).parent.mkdir(parents=True, exist_ok=True)
        (source / rel).write_text(text, encoding="utf-8")
    site = import_and_build(cli, tmp_path, "hugo", source)
    assert len(site.article_pages()) == 2
    assert "Policy 5.0" in site.page("/2021/03/05/policy-v5-0/")
    assert "translation" not in site.out
    assert "A mounted post" in site.page("/2021/03/04/mounted-post/")
    assert site.redirects_to("/2021/03/04/2021-03-04-mounted-post/") == \
        "/2021/03/04/mounted-post/"
    assert (site.site / "static/img/map.png").is_file()
