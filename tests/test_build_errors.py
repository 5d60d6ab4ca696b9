"""Bad input: every bad file reported as path:line:col, exit 1 or 2, build/ untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXED_NOW, run_sitegen, tree_bytes

GOOD_ARTICLE = "content/articles/2024/first.md"


def build(cli, site: Path):
    return cli("build", "--site", site, "--now", FIXED_NOW.isoformat())


@pytest.fixture
def built_site(make_site, cli) -> tuple[Path, dict[str, bytes]]:
    site = make_site()
    assert build(cli, site).code == 0
    return site, tree_bytes(site / "build")


def break_and_build(cli, site: Path, files: dict[str, str | bytes]):
    for rel, content in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return build(cli, site)


CASES = {
    "malformed YAML": (
        "---\ntitle: Fine\ndate: 2024-01-01\ntags: [a, b\n---\nBody\n",
        "bad.md:4:", "invalid YAML"),
    "missing title": ("---\ndate: 2024-01-01\n---\nBody\n", "bad.md:2:1:", "`title` is required"),
    "title: no is a boolean": (
        "---\ntitle: no\ndate: 2024-01-01\n---\nBody\n", "bad.md:2:8:", "Put the value in quotes"),
    "impossible date": (
        "---\ntitle: T\nsubtitle: S\ndate: 2024-02-30\n---\nBody\n", "bad.md:4:7:",
        "day is out of range for month"),
    "unknown author": (
        "---\ntitle: T\ndate: 2024-01-01\nauthors:\n  - ann-lee\n  - zed-nobody\n---\nB\n",
        "bad.md:6:5:", "unknown author `zed-nobody`. Known authors: ann-lee, bo-chen"),
    "unknown field": (
        "---\ntitle: T\ndate: 2024-01-01\nsubtitel: x\n---\nB\n", "bad.md:4:1:",
        "Did you mean `subtitle`?"),
    "unknown section": (
        "---\ntitle: T\ndate: 2024-01-01\nsection: opnion\n---\nB\n", "bad.md:4:10:",
        "Did you mean `opinion`?"),
    "no front matter": ("Just text\n", "bad.md:1:1:", "has no front matter"),
    "unclosed front matter": ("---\ntitle: T\ndate: 2024-01-01\nBody\n", "bad.md:1:1:",
                              "front matter is not closed"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_article_is_reported_and_build_untouched(case, built_site, cli) -> None:
    site, before = built_site
    text, where, what = CASES[case]
    result = break_and_build(cli, site, {"content/articles/2024/bad.md": text})
    assert result.code == 1
    line = next(x for x in result.err.splitlines() if "bad.md" in x)
    assert line.startswith("content/articles/2024/" + where), line
    assert what in line
    assert "Traceback" not in result.err
    assert tree_bytes(site / "build") == before
    assert not list(site.glob(".build.*"))  # no temporary folder left behind


def test_not_utf8_names_the_byte(built_site, cli) -> None:
    site, before = built_site
    result = break_and_build(cli, site, {"content/articles/2024/latin.md":
                                         "---\ntitle: Caf\xe9\ndate: 2024-01-01\n---\n"
                                         .encode("cp1252")})
    assert result.code == 1
    assert "content/articles/2024/latin.md:2:11: error: is not UTF-8 (byte 0xe9" in result.err
    assert tree_bytes(site / "build") == before


def test_all_bad_files_are_reported_together(built_site, cli) -> None:
    site, before = built_site
    result = break_and_build(cli, site, {
        "content/articles/2024/a.md": "---\ntitle: no\ndate: 2024-01-01\n---\n",
        "content/articles/2024/b.md": "---\ntitle: B\ndate: 2024-13-01\n---\n",
        "content/authors/bad.yaml": "role: Nobody\n",
    })
    assert result.code == 1
    assert "a.md:2:8:" in result.err and "b.md:3:7:" in result.err
    assert "content/authors/bad.yaml:1:1: error: `name` is required" in result.err
    assert result.err.strip().endswith("3 errors in 3 files")
    assert tree_bytes(site / "build") == before


def test_two_articles_on_one_url_case_insensitively(built_site, cli) -> None:
    site, before = built_site
    result = break_and_build(cli, site, {
        "content/articles/2024/other.md": "---\ntitle: Other\ndate: 2024-03-01T09:00:00Z\n"
                                          "slug: FIRST\n---\nBody\n",
    })
    assert result.code == 1
    assert "content/articles/2024/other.md:1:1: error: its URL /2024/03/01/FIRST/" in result.err
    assert "also the URL of content/articles/2024/first.md" in result.err
    assert tree_bytes(site / "build") == before


def test_template_error_names_template_line_and_page(built_site, cli) -> None:
    site, before = built_site
    result = break_and_build(cli, site, {
        "sitegen.yaml": "title: T\nbase_url: https://e.test/\ntheme: house\n",
        "themes/house/templates/article.html": "<h1>{{ article.title }}</h1>\n"
                                                "<p>{{ article.no_such_field }}</p>\n",
    })
    assert result.code == 1
    assert "themes/house/templates/article.html:2:1: error: template error:" in result.err
    assert "no_such_field" in result.err and "while rendering /2024/03/01/first/" in result.err
    assert tree_bytes(site / "build") == before


def test_template_syntax_error(built_site, cli) -> None:
    site, before = built_site
    result = break_and_build(cli, site, {
        "sitegen.yaml": "title: T\nbase_url: https://e.test/\ntheme: house\n",
        "themes/house/templates/tag.html": "{% extends 'base.html' %}\n{% block main %}\n"
                                            "{% if x %}\n{% endblock %}\n",
    })
    assert result.code == 1
    assert "themes/house/templates/tag.html:4:1: error: template syntax error" in result.err
    assert tree_bytes(site / "build") == before


@pytest.mark.parametrize("config, where, what", [
    ("title: T\nbase_url: https://e.test/\nper_pgae: 3\n", "sitegen.yaml:3:1:",
     "Did you mean `per_page`?"),
    ("title: T\ntimezone: Mars/Olympus\n", "sitegen.yaml:2:11:", "unknown time zone"),
    ("title: [unclosed\n", "sitegen.yaml:", "invalid YAML"),
    # Addresses that would reach every link, feed and robots.txt.
    *[(f"title: T\nbase_url: {url}\n", "sitegen.yaml:2:11:", "`base_url` must be the site's")
      for url in ("javascript:alert(1)", "data:text/html,x", "//evil.test/", "example.org",
                  "ftp://example.org/", "https:///nohost", "https://e.test/?q=1")],
    *[(f"title: T\nsections:\n  - name: {name}\n", "sitegen.yaml:2:", what)
      for name, what in (("tags", "is taken by sitegen's /tags/ pages"),
                         ("authors", "is taken by sitegen's"), ('""', "cannot be a URL"),
                         ("../x", "cannot be a URL"), ("Op Ed", "such as `op-ed`"))],
    ("title: T\nsections: [news, news]\n", "sitegen.yaml:2:", "`news` is listed twice"),
    *[(f"title: T\npermalinks:\n  article: {pattern}\n", "sitegen.yaml:2:",
       "no empty, `.` or `..` part")
      for pattern in ("//{slug}/", "/../{slug}/", "/a/./{slug}/", "/{year}//{slug}/")],
])
def test_config_errors_exit_2(config, where, what, built_site, cli) -> None:
    site, before = built_site
    result = break_and_build(cli, site, {"sitegen.yaml": config})
    assert result.code == 2
    assert result.err.startswith(where), result.err
    assert what in result.err
    assert tree_bytes(site / "build") == before


def test_missing_config_is_a_usage_error(tmp_path: Path) -> None:
    result = run_sitegen("build", "--site", tmp_path)
    assert result.returncode == 2
    assert "no sitegen.yaml here" in result.stderr and "Traceback" not in result.stderr


def test_output_folder_with_foreign_files_is_refused(make_site, cli, tmp_path: Path) -> None:
    site = make_site()
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    result = cli("build", "--site", site, "--output", precious)
    assert result.code == 2
    assert "sitegen did not write" in result.err
    assert (precious / "thesis.txt").read_text() == "years of work"
    for bad in (site, site / "content", site.parent):
        assert cli("build", "--site", site, "--output", bad).code == 2
    assert (site / "content/articles/2024/first.md").is_file()


@pytest.mark.parametrize("files, where, what", [
    ({"content/pages/tags/iran.md": "---\ntitle: Our Iran coverage\n---\nMine.\n"},
     "content/pages/tags/iran.md:1:1:", "its URL /tags/iran/ is also the URL of sitegen's tag"),
    ({"content/pages/authors/ann-lee.md": "---\ntitle: Ann Lee (really)\n---\nMe.\n"},
     "content/pages/authors/ann-lee.md:1:1:", "of sitegen's author page"),
    ({"content/pages/archive/2024.md": "---\ntitle: Our 2024\n---\nOld.\n"},
     "content/pages/archive/2024.md:1:1:", "of sitegen's archive page"),
    ({"content/pages/Tags/Iran.md": "---\ntitle: Case\n---\nCase.\n"},  # hosts ignore case
     "content/pages/Tags/Iran.md:1:1:", "also the URL of sitegen's tag page"),
    ({"content/authors/Ann-Lee.yaml": "name: Another Ann\n",  # on a case-blind disk: one file
      "content/articles/2024/fourth.md": "---\ntitle: Fourth\ndate: 2024-03-04\n"
                                         "author: Ann-Lee\n---\nBody.\n"},
     "content/authors/", "also the URL of sitegen's author page"),
])
def test_a_page_never_replaces_one_sitegen_makes(files, where, what, built_site, cli) -> None:
    """A standalone page or a section cannot take (and impersonate) a tag's, an author's or
    the archive's page: an error at its source, and the last good build stays."""
    site, before = built_site
    result = break_and_build(cli, site, files)
    assert result.code == 1, result.err
    assert where in result.err and what in result.err, result.err
    assert tree_bytes(site / "build") == before
