"""What a failing build says: every problem of the run found in one pass (front matter,
bylines, layouts, templates) and grouped by kind when one kind repeats across many files;
an unknown-author hint that works when followed; a missing layout once per template at
the article's `layout:` line; content files of unknown types noted."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXED_NOW, tree_bytes


def build(cli, site: Path, *args: str):
    return cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), *args)


def post(n: int, *lines: str) -> str:
    return "\n".join(["---", f"title: Post {n}", f"date: 2024-01-{n:02d}", *lines, "---",
                      f"Body {n}.", ""])


def write(site: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.fixture
def built(make_site, cli) -> tuple[Path, dict[str, bytes]]:
    site = make_site()
    assert build(cli, site).code == 0
    return site, tree_bytes(site / "build")


def test_every_stage_is_reported_in_one_run(built, cli) -> None:
    """A field error, an unknown author and a template error in one run: fixing the first
    does not reveal the others."""
    site, before = built
    write(site, {
        "content/articles/2024/a.md": post(1, "author: ann-lee", "wordcount: 3"),
        "content/articles/2024/b.md": post(2, "author: zed-nobody"),
        "themes/default/templates/tag.html": "{% extends 'base.html' %}{% block main %}"
                                             "{{ this.no_such_field }}{% endblock %}\n",
    })
    result = build(cli, site)
    assert result.code == 1
    lines = result.err.splitlines()
    assert "content/articles/2024/a.md:5:1: error: unknown field `wordcount`." in result.err
    assert any(line.startswith("content/articles/2024/b.md:4:9: error: unknown author "
                               "`zed-nobody`.") for line in lines)
    assert any(line.startswith("themes/default/templates/tag.html:1:1: error: template "
                               "error:") and "no_such_field" in line for line in lines)
    assert lines[-1] == "3 errors in 3 files"
    assert tree_bytes(site / "build") == before
    assert not list(site.glob(".build.*"))


def test_an_article_with_a_wrong_field_still_has_its_byline_checked(built, cli) -> None:
    site, before = built
    write(site, {"content/articles/2024/a.md": post(1, "author: zed-nobody", "wordcount: 3")})
    result = build(cli, site)
    assert result.code == 1
    assert "a.md:4:9: error: unknown author `zed-nobody`" in result.err
    assert "a.md:5:1: error: unknown field `wordcount`" in result.err
    assert tree_bytes(site / "build") == before


def test_one_kind_in_many_files_is_grouped(built, cli) -> None:
    site, before = built
    write(site, {f"content/articles/2024/p{n}.md": post(n, "author: ann-lee", "wordcount: 3")
                 for n in range(1, 8)})
    result = build(cli, site)
    assert result.code == 1
    message = "unknown field `wordcount`. Put free data under `extra`."
    assert result.err.splitlines() == [
        "error: unknown field `wordcount` in 7 files; the first 3:",
        f"content/articles/2024/p1.md:5:1: error: {message}",
        f"content/articles/2024/p2.md:5:1: error: {message}",
        f"content/articles/2024/p3.md:5:1: error: {message}",
        "  ... and 4 more places with the same error (`sitegen build --verbose` lists every "
        "one)",
        "7 errors in 7 files",
    ]
    every = build(cli, site, "--verbose")
    assert every.code == 1
    assert [line for line in every.err.splitlines() if message in line] == [
        f"content/articles/2024/p{n}.md:5:1: error: {message}" for n in range(1, 8)]
    assert tree_bytes(site / "build") == before


def test_four_of_a_kind_are_listed_one_by_one(built, cli) -> None:
    site, _ = built
    write(site, {f"content/articles/2024/p{n}.md": post(n, "wordcount: 3") for n in range(1, 5)})
    result = build(cli, site)
    assert result.code == 1
    assert "the first 3" not in result.err
    assert result.err.count("error: unknown field `wordcount`") == 4


def test_a_display_name_byline_gets_a_hint_that_works(built, cli) -> None:
    site, before = built
    write(site, {f"content/articles/2024/p{n}.md": post(n, "author: Jacob Hoffman-Andrews")
                 for n in (1, 2)})
    result = build(cli, site)
    assert result.code == 1
    assert result.err.splitlines() == [
        f"content/articles/2024/p{n}.md:4:9: error: unknown author `Jacob Hoffman-Andrews`: "
        "no profile has this id or this `name`. Known authors: ann-lee, bo-chen. To add this "
        "author, create content/authors/jacob-hoffman-andrews.yaml with `name: Jacob "
        "Hoffman-Andrews` (the byline then finds the profile by its name; `author: "
        "jacob-hoffman-andrews` works too)." for n in (1, 2)] + ["2 errors in 2 files"]
    assert tree_bytes(site / "build") == before
    write(site, {"content/authors/jacob-hoffman-andrews.yaml": "name: Jacob Hoffman-Andrews\n"})
    result = build(cli, site)
    assert result.code == 0, result.err
    page = (site / "build/2024/01/01/p1/index.html").read_text(encoding="utf-8")
    assert 'href="/authors/jacob-hoffman-andrews/"' in page
    assert "Jacob Hoffman-Andrews" in page


def test_an_unknown_id_names_its_file_and_a_name(built, cli) -> None:
    site, _ = built
    write(site, {"content/articles/2024/p1.md": post(1, "author: ann-le")})
    result = build(cli, site)
    assert result.code == 1
    assert ("content/articles/2024/p1.md:4:9: error: unknown author `ann-le`. Did you mean "
            "`ann-lee`? Known authors: ann-lee, bo-chen. To add this author, create "
            "content/authors/ann-le.yaml with the name to show, e.g. `name: Ann Le`."
            ) in result.err


def test_author_lists_stop_at_ten_names(built, cli) -> None:
    site, _ = built
    write(site, {f"content/authors/writer-{n:02d}.yaml": f"name: Writer {n}\n"
                 for n in range(1, 21)})
    write(site, {"content/articles/2024/p1.md": post(1, "author: zed-nobody")})
    result = build(cli, site)
    assert result.code == 1
    assert ("Known authors: ann-lee, bo-chen, writer-01, writer-02, writer-03, writer-04, "
            "writer-05, writer-06, writer-07, writer-08 and 12 more. To add") in result.err


def test_a_missing_layout_is_one_error_at_the_layout_line(built, cli) -> None:
    site, before = built
    write(site, {f"content/articles/2024/p{n}.md": post(n, "author: ann-lee", "layout: post")
                 for n in range(1, 7)})
    result = build(cli, site)
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/articles/2024/p1.md:5:9: error: `layout: post` names the template "
        "`post.html`, which the theme does not have. It is named by 6 articles: this one, "
        "content/articles/2024/p2.md:5:9, content/articles/2024/p3.md:5:9, "
        "content/articles/2024/p4.md:5:9 and 2 more. Add post.html to "
        "themes/default/templates/ (`{% extends \"article.html\" %}` keeps the article "
        "page), or remove `layout:` to use article.html.",
        "1 error in 1 file",
    ]
    assert tree_bytes(site / "build") == before
    write(site, {"themes/default/templates/post.html": '{% extends "article.html" %}\n'})
    assert build(cli, site).code == 0


def test_a_template_bug_every_article_meets_is_one_error(built, cli) -> None:
    site, before = built
    write(site, {"themes/default/templates/article.html":
                 "{% extends 'base.html' %}{% block main %}{{ article.no_such_field }}"
                 "{% endblock %}\n"})
    result = build(cli, site)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1
    assert errors[0].startswith("themes/default/templates/article.html:1:1: error: template "
                                "error: ")
    assert "while rendering /2024/03/01/first/ (from article.html) and 2 other pages. Fix " \
        "the template or the content it reads." in errors[0]
    assert result.err.splitlines()[-1] == "1 error in 1 file"
    assert tree_bytes(site / "build") == before


def test_a_template_syntax_error_is_one_error_for_every_page(built, cli) -> None:
    site, _ = built
    write(site, {"themes/default/templates/base.html": "{% if %}\n"})
    result = build(cli, site)
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if ": error: " in line]
    assert len(errors) == 1, errors
    assert errors[0].startswith("themes/default/templates/base.html:1:1: error: template "
                                "syntax error")
    assert "other pages" in errors[0]


def test_files_of_unknown_types_are_noted_once(built, cli) -> None:
    site, _ = built
    write(site, {"content/articles/2024/old-one.rst": "Title\n=====\n",
                 "content/articles/2024/old-two.rst": "Title\n=====\n",
                 "content/articles/2024/chart.png": "not really a png",
                 "content/articles/2024/.DS_Store": "finder"})
    result = build(cli, site)
    assert result.code == 0, result.err
    notes = [line for line in result.err.splitlines() if "skipped" in line]
    assert notes == ["note: 3 files in content/ of types sitegen does not read were skipped: "
                     "2 .rst (content/articles/2024/old-one.rst, "
                     "content/articles/2024/old-two.rst), 1 .png "
                     "(content/articles/2024/chart.png). Articles are .html, .markdown, "
                     ".md, .mdown, .mkd, .mkdn, .text or .txt files, pages .html, .markdown, "
                     ".md or .txt, authors .md, .yaml or .yml; images and other files go in "
                     "static/."]
    again = build(cli, site)  # up to date: the note is the build's, said again
    assert [line for line in again.err.splitlines() if "skipped" in line] == notes


def test_a_post_dated_only_by_its_file_name_is_told_the_line_and_checked_on(built,
                                                                            cli) -> None:
    """Jekyll's `2001-01-18-slug.md` with no `date:`: the error gives the line to add, and
    the article's byline and layout are checked in the same run, grouped."""
    site, before = built
    for day in range(1, 6):
        write(site, {f"content/articles/2001-01-{day:02d}-note.md":
                     "---\ntitle: Note\nauthor: zed-nobody\nlayout: news_post\n---\nText.\n"})
    result = build(cli, site)
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0] == ("error: `date` is required, and the file name gives it in 5 files; "
                        "the first 3:")
    assert lines[1] == ("content/articles/2001-01-01-note.md:2:1: error: `date` is required; "
                        "the file name gives 2001-01-01. Add `date: 2001-01-01` to the front "
                        "matter (with a time if it has one: `date: 2001-01-01 09:30`).")
    assert "error: unknown author `zed-nobody` in 5 files; the first 3:" in lines
    assert any(line.startswith("content/articles/2001-01-01-note.md:4:9: error: `layout: "
                               "news_post` names the template `news_post.html`") and
               "It is named by 5 articles" in line for line in lines)
    assert lines[-1] == "11 errors in 5 files"
    assert tree_bytes(site / "build") == before
