"""`sitegen new article` writes a draft with the byline, desk and tags asked for and says
how to publish it; a build warns when a published article still holds its placeholder."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXED_NOW

NOW = FIXED_NOW.isoformat()


def _new(site: Path, cli, *extra: str):
    return cli("new", "article", "Talks Resume", "--site", site, "--now", NOW, *extra)


def test_a_new_article_is_a_draft_with_byline_section_and_tags(make_site, cli) -> None:
    site = make_site()
    result = _new(site, cli, "--author", "ann-lee", "--section", "news", "--tags",
                  "Iran, Oman,Diplomacy")
    assert result.code == 0, result.err
    path = site / "content/articles/2026/talks-resume.md"
    text = path.read_text()
    assert text.startswith("---\ntitle: Talks Resume\n# subtitle: the dek")
    assert "\ndraft: true\nauthors: [ann-lee]\ntags: [Iran, Oman, Diplomacy]\nsection: news\n" \
        in text
    assert "It is a draft: `sitegen serve --drafts`" in result.out
    assert "delete the `draft: true` line" in result.out
    # Not published by a build; shown by a preview with --drafts.
    build = site / "build"
    assert cli("build", "--site", site, "--now", NOW).code == 0
    assert not (build / "2026/11/25/talks-resume").exists()
    preview = cli("build", "--site", site, "--now", NOW, "--drafts")
    assert preview.code == 0
    assert (build / "2026/11/25/talks-resume/index.html").is_file()


def test_publishing_the_placeholder_is_warned_at_its_line(make_site, cli) -> None:
    site = make_site()
    assert _new(site, cli).code == 0
    path = site / "content/articles/2026/talks-resume.md"
    path.write_text(path.read_text().replace("draft: true\n", ""))
    result = cli("build", "--site", site, "--now", NOW)
    assert result.code == 0
    line = path.read_text().split("\n").index("Write the article here, in Markdown.") + 1
    assert (f"content/articles/2026/talks-resume.md:{line}:1: warning: still holds the "
            "placeholder text of `sitegen new article`") in result.err
    path.write_text(path.read_text().replace("Write the article here, in Markdown.",
                                             "The talks resumed."))
    again = cli("build", "--site", site, "--now", NOW)
    assert "placeholder" not in again.err
