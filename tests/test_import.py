"""`sitegen import`: hand-ins into content files, checked by building the result."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import CHROMIUM, FIXED_NOW, run_sitegen, tree_bytes, write_files
from test_handin import EXAMPLE, EXAMPLE_DEK, EXAMPLE_HEADLINE, HANDINS, Page, example_text

from sitegen.content import handin, sources, yamlio

EXAMPLE_SLUG = "intractable-us-hostility-has-iran-looking-elsewhere-for-diplomatic-partners"


def front_matter_of(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yamlio.load(head), body


@pytest.fixture
def new_site(tmp_path: Path, cli) -> Path:
    site = tmp_path / "s"
    result = cli("new", "site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    return site


def test_the_leads_check(new_site: Path, cli) -> None:
    """new site, import the shared example with --date, build: article and author pages."""
    example_text()  # skips when the shared example is missing
    result = cli("import", EXAMPLE, "--site", new_site, "--date", "2015-10-08")
    assert result.code == 0, result.err
    article = new_site / f"content/articles/2015/{EXAMPLE_SLUG}.md"
    assert f"wrote {article}" in result.out
    assert f"wrote {new_site / 'content/authors/jason-ditz.yaml'}" in result.out
    built = cli("build", "--site", new_site, "--now", FIXED_NOW.isoformat())
    assert built.code == 0, built.err
    assert "warning" not in built.err  # the import wrote the profile
    page = Page((new_site / f"build/2015/10/08/{EXAMPLE_SLUG}/index.html").read_text())
    assert page.h1 == [EXAMPLE_HEADLINE]
    assert EXAMPLE_DEK in page.paragraphs
    assert ("/authors/jason-ditz/", "Jason Ditz") in page.links
    for paragraph in handin.parse(example_text()).body.split("\n\n"):
        assert paragraph.strip() in page.paragraphs
    author = (new_site / "build/authors/jason-ditz/index.html").read_text()
    assert "Senior Editor for Antiwar.com" in author
    assert "the Detroit Free Press." in author


def test_written_files_have_full_front_matter_and_profile(new_site: Path, cli) -> None:
    example_text()
    result = cli("import", EXAMPLE, "--site", new_site, "--date", "2015-10-08",
                 "--section", "news", "--tags", "Iran, Diplomacy")
    assert result.code == 0, result.err
    meta, body = front_matter_of(new_site / f"content/articles/2015/{EXAMPLE_SLUG}.md")
    assert meta == {"title": EXAMPLE_HEADLINE, "subtitle": EXAMPLE_DEK, "date": "2015-10-08",
                    "authors": ["jason-ditz"], "tags": ["Iran", "Diplomacy"],
                    "section": "news"}
    assert body.count("\n\n") == 4 and "Author:" not in body and "“hasn’t really changed.”" in body
    profile = yamlio.load((new_site / "content/authors/jason-ditz.yaml").read_text())
    assert profile["name"] == "Jason Ditz"
    assert profile["role"] == "Senior Editor"
    assert profile["bio"] == handin.parse(example_text()).bio_of("Jason Ditz")


def test_importing_twice_changes_nothing(new_site: Path, cli) -> None:
    example_text()
    args = ("import", EXAMPLE, HANDINS / "two-authors.txt", "--site", new_site,
            "--date", "2015-10-08")
    assert cli(*args).code == 0
    before = tree_bytes(new_site)
    again = cli(*args)
    assert again.code == 0, again.err
    assert tree_bytes(new_site) == before
    assert "wrote" not in again.out
    assert again.out.count("unchanged") == 2


def test_never_overwrites_without_force(new_site: Path, cli) -> None:
    source = HANDINS / "no-byline.txt"
    assert cli("import", source, "--site", new_site, "--date", "2024-05-01").code == 0
    target = new_site / "content/articles/2024/the-quiet-costs-of-secondary-sanctions.md"
    target.write_text(target.read_text() + "\nAn editor's added paragraph.\n")
    edited = target.read_bytes()
    result = cli("import", source, "--site", new_site, "--date", "2024-05-01")
    assert result.code == 1
    assert ("content/articles/2024/the-quiet-costs-of-secondary-sanctions.md:1:1: error: "
            "already exists") in result.err
    assert "--force" in result.err
    assert target.read_bytes() == edited
    forced = cli("import", source, "--site", new_site, "--date", "2024-05-01", "--force")
    assert forced.code == 0, forced.err
    assert f"replaced {target}" in forced.out
    assert "editor's added paragraph" not in target.read_text()


def test_bad_files_are_reported_and_the_others_imported(new_site: Path, cli,
                                                        tmp_path: Path) -> None:
    files = write_files(tmp_path / "in", {
        "empty.txt": "\n\n",
        "headline-only.txt": "Just a Headline\n",
        "latin1.txt": b"Caf\xe9 Society\n\nBody.\n",
        "title-only.txt": "---\ntitle: A Title\n---\n\n",
    })
    result = cli("import", files / "empty.txt", HANDINS / "one-author.txt",
                 files / "headline-only.txt", files / "latin1.txt", files / "missing.txt",
                 files / "title-only.txt",
                 "--site", new_site, "--date", "2024-05-01")
    assert result.code == 1
    assert f"{files / 'empty.txt'}:1:1: error: has no headline." in result.err
    assert (f"{files / 'headline-only.txt'}:2:1: error: has a headline but no body."
            in result.err)
    assert f"{files / 'latin1.txt'}:1:4: error: is not UTF-8" in result.err
    assert f"{files / 'missing.txt'}:1:1: error: cannot be read" in result.err
    assert f"{files / 'title-only.txt'}:4:1: error: has no body." in result.err
    assert "5 errors in 5 files" in result.err
    written = new_site / "content/articles/2024/senate-tables-yemen-war-powers-resolution.md"
    assert f"wrote {written}" in result.out
    assert (new_site / "content/authors/mara-olsen.yaml").is_file()
    assert cli("build", "--site", new_site, "--now", FIXED_NOW.isoformat()).code == 0


def test_front_matter_in_the_file_wins(new_site: Path, cli, tmp_path: Path) -> None:
    text = ("---\ntitle: \"Editor's Title: Yemen\"\ndate: 2024-06-02T08:30:00-04:00\n"
            "author: the-editors\nsection: analysis\ntags: [Yemen]\nslug: yemen-vote\n"
            "summary: A short summary.\n---\n" + (HANDINS / "one-author.txt").read_text())
    files = write_files(tmp_path / "in", {"yemen.txt": text})
    result = cli("import", files / "yemen.txt", "--site", new_site, "--date", "2020-01-01",
                 "--section", "news", "--tags", "Other")
    assert result.code == 0, result.err
    meta, body = front_matter_of(new_site / "content/articles/2024/yemen-vote.md")
    assert meta == {"title": "Editor's Title: Yemen", "date": "2024-06-02T08:30:00-04:00",
                    "authors": ["the-editors"], "tags": ["Yemen"], "section": "analysis",
                    "slug": "yemen-vote", "summary": "A short summary."}
    # The title came from front matter, so the whole text but byline and bio is body.
    assert body.startswith("Senate Tables Yemen War Powers Resolution\n\n")
    assert "Mara Olsen" not in body
    assert not (new_site / "content/authors/mara-olsen.yaml").exists()


def test_unknown_front_matter_author_is_an_error(new_site: Path, cli, tmp_path: Path) -> None:
    files = write_files(tmp_path / "in", {
        "x.txt": "---\nauthor: the-editor\n---\nHeadline\n\nBody.\n"})
    result = cli("import", files / "x.txt", "--site", new_site, "--date", "2024-05-01")
    assert result.code == 1
    assert f"{files / 'x.txt'}:2:9: error: unknown author `the-editor`." in result.err
    assert "Did you mean `the-editors`?" in result.err
    assert not (new_site / "content/articles/2024").exists()


def test_warnings_are_said_once_beside_errors(new_site: Path, cli, tmp_path: Path) -> None:
    empty = write_files(tmp_path / "in", {"empty.txt": "\n\n"}) / "empty.txt"
    result = cli("import", HANDINS / "no-byline.txt", empty, "--site", new_site, "--date",
                 "2024-05-01")
    assert result.code == 1
    assert result.err.count("warning: has no byline") == 1, result.err
    assert result.err.count("error: has no headline.") == 1, result.err


def test_no_byline_is_a_warning(new_site: Path, cli) -> None:
    result = cli("import", HANDINS / "no-byline.txt", "--site", new_site, "--date",
                 "2024-05-01")
    assert result.code == 0, result.err
    assert "warning: has no byline" in result.err
    meta, _ = front_matter_of(
        new_site / "content/articles/2024/the-quiet-costs-of-secondary-sanctions.md")
    assert meta["authors"] == []


def test_two_authors_and_an_existing_profile(new_site: Path, cli, tmp_path: Path) -> None:
    write_files(new_site, {"content/authors/henrik-dahl.yaml": "name: Henrik Dahl\n"})
    result = cli("import", HANDINS / "two-authors.txt", "--site", new_site, "--date",
                 "2024-05-01")
    assert result.code == 0, result.err
    meta, _ = front_matter_of(
        new_site / "content/articles/2024/what-a-ukraine-settlement-requires.md")
    assert meta["authors"] == ["leila-haddad", "henrik-dahl"]
    assert (new_site / "content/authors/henrik-dahl.yaml").read_text() == "name: Henrik Dahl\n"
    leila = yamlio.load((new_site / "content/authors/leila-haddad.yaml").read_text())
    assert leila["role"] == "Senior Fellow"
    built = cli("build", "--site", new_site, "--now", FIXED_NOW.isoformat())
    assert built.code == 0, built.err
    page = Page((new_site / "build/2024/05/01/what-a-ukraine-settlement-requires/index.html")
                .read_text())
    assert ("/authors/leila-haddad/", "Leila Haddad") in page.links
    assert ("/authors/henrik-dahl/", "Henrik Dahl") in page.links


def test_crlf_and_bom_import_exactly_like_lf(tmp_path: Path, cli) -> None:
    text = (HANDINS / "one-author.txt").read_text()
    variants = {"lf": text.encode(), "crlf": text.replace("\n", "\r\n").encode(),
                "bom": ("\ufeff" + text).encode(),
                "both": ("\ufeff" + text.replace("\n", "\r\n")).encode()}
    trees = []
    for name, data in variants.items():
        site = tmp_path / name
        assert cli("new", "site", site, "--title", "Same", "--now", FIXED_NOW.isoformat()).code == 0
        write_files(tmp_path / "in", {f"{name}.txt": data})
        result = cli("import", tmp_path / "in" / f"{name}.txt", "--site", site, "--date",
                     "2024-05-01")
        assert result.code == 0, result.err
        trees.append(tree_bytes(site / "content"))
    assert all(tree == trees[0] for tree in trees)


def test_imported_markdown_renders_like_the_txt(new_site: Path, cli, tmp_path: Path) -> None:
    """The .md an import writes reads, once built, exactly like the hand-in built as .txt."""
    name = "markdown-looking.txt"
    assert cli("import", HANDINS / name, "--site", new_site, "--date", "2024-05-01").code == 0
    write_files(new_site, {"content/articles/2024/as-txt.txt":
                           "---\ndate: 2024-05-01\n---\n" + (HANDINS / name).read_text()})
    built = cli("build", "--site", new_site, "--now", FIXED_NOW.isoformat())
    assert built.code == 0, built.err
    imported = Page((new_site / "build/2024/05/01/markdown-characters-stay-as-typed/index.html")
                    .read_text())
    as_txt = Page((new_site / "build/2024/05/01/as-txt/index.html").read_text())
    # The theme prints each page's own URL for paper readers; that line differs by design.
    def body(page: Page) -> list[str]:
        return [p for p in page.paragraphs if not p.startswith("https://example")]

    assert body(imported) == body(as_txt)
    assert "# Not a heading, just a hash at the start of a line." in imported.paragraphs
    assert "~~~" in imported.paragraphs and "---" in imported.paragraphs


def test_default_date_is_today_in_the_sites_time_zone(new_site: Path, cli) -> None:
    config = new_site / "sitegen.yaml"
    config.write_text(config.read_text().replace("timezone: UTC",
                                                 "timezone: America/New_York"))
    result = cli("import", HANDINS / "no-byline.txt", "--site", new_site,
                 "--now", "2027-01-01T03:00:00+00:00")
    assert result.code == 0, result.err
    meta, _ = front_matter_of(
        new_site / "content/articles/2026/the-quiet-costs-of-secondary-sanctions.md")
    assert meta["date"] == "2026-12-31"


@pytest.mark.parametrize(("args", "words"), [
    (["--section", "sport"], "unknown section `sport`."),
    (["--date", "2024-02-30"], "day is out of range for month"),
])
def test_bad_options_are_usage_errors(new_site: Path, cli, capsys, args: list[str],
                                      words: str) -> None:
    before = tree_bytes(new_site)
    try:
        result = cli("import", HANDINS / "no-byline.txt", "--site", new_site, *args)
        code, err = result.code, result.err
    except SystemExit as exc:  # argparse rejects the value itself
        code, err = exc.code, capsys.readouterr().err
    assert code == 2
    assert words in err
    assert tree_bytes(new_site) == before


def test_import_without_a_site_is_a_config_error(tmp_path: Path) -> None:
    result = run_sitegen("import", HANDINS / "no-byline.txt", "--site", tmp_path)
    assert result.returncode == 2
    assert "no sitegen.yaml here" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_written_article_reads_back_as_a_valid_source(new_site: Path, cli) -> None:
    assert cli("import", HANDINS / "one-author.txt", "--site", new_site, "--date",
               "2024-05-01T09:00:00").code == 0
    path = new_site / "content/articles/2024/senate-tables-yemen-war-powers-resolution.md"
    from sitegen.errors import Problems

    problems = Problems(new_site)
    source = sources.read_source(path, problems)
    assert source is not None and not problems.errors
    assert source.meta["date"] == "2024-05-01T09:00:00"
    assert "— the third such vote" in source.body
    assert "<desk@example.com>" in source.body
    assert "[https://example.com/yemen\\-vote]" not in source.body  # a single hyphen stays


def test_browser_shows_the_imported_article(new_site: Path, cli, chromium_browser) -> None:
    """What a reader sees in Chromium: headline, dek, linked byline, the five paragraphs."""
    example_text()
    assert cli("import", EXAMPLE, "--site", new_site, "--date", "2015-10-08").code == 0
    assert cli("build", "--site", new_site, "--now", FIXED_NOW.isoformat()).code == 0
    assert Path(CHROMIUM).exists()
    page = chromium_browser.new_page()
    try:
        page.goto((new_site / f"build/2015/10/08/{EXAMPLE_SLUG}/index.html").as_uri())
        assert page.locator("h1").inner_text() == EXAMPLE_HEADLINE
        assert page.get_by_text(EXAMPLE_DEK, exact=True).is_visible()
        byline = page.locator("a[rel=author]")
        assert byline.inner_text() == "Jason Ditz"
        assert byline.get_attribute("href") == "/authors/jason-ditz/"
        main_text = page.locator("main").inner_text()
        for paragraph in handin.parse(example_text()).body.split("\n\n"):
            assert paragraph.strip() in main_text
        assert "Author: Jason Ditz" not in main_text
        page.goto((new_site / "build/authors/jason-ditz/index.html").as_uri())
        assert "Senior Editor for Antiwar.com" in page.locator("main").inner_text()
    finally:
        page.close()


def test_import_reads_no_pipe_and_keeps_the_sites_size_limit(new_site: Path, tmp_path: Path,
                                                             cli) -> None:
    """A named pipe would block the import for ever; a file over the site's max_file_size
    is refused as the build would refuse it (the advice to raise the limit then works)."""
    pipe = tmp_path / "hand-in.txt"
    os.mkfifo(pipe)
    result = run_sitegen("import", pipe, "--site", new_site, "--date", "2024-05-01",
                         timeout=60)
    assert result.returncode == 1
    assert f"{pipe}:1:1: error: is a named pipe (FIFO), not a file." in result.stderr
    with (new_site / "sitegen.yaml").open("a") as config:
        config.write("max_file_size: 100\n")
    big = write_files(tmp_path / "in", {"big.txt": "A Headline\n\n" + "Words. " * 50})
    result = cli("import", big / "big.txt", "--site", new_site, "--date", "2024-05-01")
    assert result.code == 1
    assert "over the limit of 100. Split it, or raise `max_file_size`" in result.err
