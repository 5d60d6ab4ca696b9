"""The front page (issue 17): what leads and what follows, chosen by the editors with
`featured: true` and the `front:` list, newest first otherwise; its mistakes reported at
their line; the labels that say what each piece is, also on social cards."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import FIXED_NOW
from htmlcheck import visible_text
from pagehead import read_head


def build(cli, site: Path) -> tuple[int, str, Path]:
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    return result.code, result.err, site / "build"


def lead_and_top(out: Path) -> list[str]:
    """The headlines of the lead story and the top stories, in order."""
    home = (out / "index.html").read_text()
    top = home.split('class="front-top"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="teaser-title"><a href="[^"]+">([^<]+)</a>', top)


def story(name: str, date: str, section: str = "news", extra: str = "") -> str:
    return (f"---\ntitle: {name}\ndate: {date}\nauthor: ann-lee\nsection: {section}\n"
            f"{extra}---\nBody of {name}.\n")


MORE = {
    "content/articles/2024/fourth.md": story("Fourth Story", "2024-03-04T10:00:00Z"),
    "content/articles/2024/fifth.md": story("Fifth Story", "2024-03-05T10:00:00Z"),
    "content/articles/2023/old.md": story("Old Featured", "2023-01-01T10:00:00Z",
                                          extra="featured: true\n"),
}


def test_newest_news_leads_and_opinion_goes_to_the_rail(make_site, cli) -> None:
    code, err, out = build(cli, make_site({k: v for k, v in MORE.items() if "old" not in k}))
    assert code == 0, err
    assert lead_and_top(out) == ["Fifth Story", "Fourth Story", "Third Story", "First Story"]
    home = (out / "index.html").read_text()
    rail = home.split('class="front-rail"', 1)[1].split('class="front-sections"', 1)[0]
    assert "Second Story" in rail and "Fifth Story" not in rail  # the opinion piece


def test_featured_articles_lead_newest_first_before_the_rest(make_site, cli) -> None:
    site = make_site(MORE)
    second = site / "content/articles/2024/second.md"  # opinion, and pinned: it may lead
    second.write_text(second.read_text().replace("section: opinion", "section: opinion\n"
                                                 "featured: true"))
    code, err, out = build(cli, site)
    assert code == 0, err
    assert lead_and_top(out) == ["Second Story", "Old Featured", "Fifth Story", "Fourth Story"]
    text = visible_text(out / "index.html")
    assert text.count("Second Story") == 1  # shown once, not again in the rail


def test_the_front_list_in_the_config_orders_the_lead_and_top(make_site, cli) -> None:
    site = make_site(MORE)
    config = site / "sitegen.yaml"
    config.write_text(config.read_text() + "front:\n  - first\n  - /2024/03/04/fourth/\n"
                      "  - content/articles/2024/third.txt\n")
    code, err, out = build(cli, site)
    assert code == 0, err
    # the list first, in its order; then featured ones; then the newest news
    assert lead_and_top(out) == ["First Story", "Fourth Story", "Third Story", "Old Featured"]


def test_a_front_entry_that_names_no_article_is_an_error_at_its_line(make_site, cli) -> None:
    site = make_site()
    config = site / "sitegen.yaml"
    lines = config.read_text().splitlines()
    config.write_text("\n".join([*lines, "front:", "  - first", "  - no-such-story"]) + "\n")
    code, err, _ = build(cli, site)
    assert code == 1
    assert (f"sitegen.yaml:{len(lines) + 3}:5: error: `front` entry `no-such-story` names no "
            "article. Write an article's URL") in err


def test_front_and_featured_must_have_their_shape(make_site, cli) -> None:
    site = make_site({"content/articles/2024/bad.md": story("Bad", "2024-03-09",
                                                            extra="featured: yes please\n")})
    code, err, _ = build(cli, site)
    assert code == 1 and "bad.md:6:11: error: `featured` must be true or false." in err
    config = site / "sitegen.yaml"
    config.write_text(config.read_text() + "front: {first: 1}\n")
    (site / "content/articles/2024/bad.md").unlink()
    code, err, _ = build(cli, site)
    assert code == 2 and "error: `front` must be a list of articles" in err


def test_cards_and_pages_say_what_an_opinion_piece_is(make_site, cli) -> None:
    code, err, out = build(cli, make_site())
    assert code == 0, err
    opinion = read_head(out / "2024/03/02/second/index.html")
    assert opinion.one("og:title") == "Opinion: Second Story"
    assert opinion.one("twitter:title") == "Opinion: Second Story"
    assert read_head(out / "2024/03/01/first/index.html").one("og:title") == "First Story"
    page = (out / "2024/03/02/second/index.html").read_text()
    assert 'class="article article-opinion"' in page and 'class="label label-opinion"' in page


def test_headlines_and_deks_get_curly_quotes(make_site, cli) -> None:
    site = make_site({"content/articles/2024/quoted.md": (
        '---\ntitle: "Why \'Restraint\' Isn\'t \\"Retreat\\""\nsubtitle: "A \\"dek\\""\n'
        "date: 2024-03-08T10:00:00Z\nsection: news\n---\nBody.\n")})
    code, err, out = build(cli, site)
    assert code == 0, err
    page = visible_text(out / "2024/03/08/quoted/index.html")
    assert "Why ‘Restraint’ Isn’t “Retreat”" in page and "A “dek”" in page
    assert "Why ‘Restraint’ Isn’t “Retreat”" in visible_text(out / "index.html")


def test_plain_text_bullets_become_a_list_and_tables_scroll_in_a_named_box(make_site,
                                                                           cli) -> None:
    site = make_site({
        "content/articles/2024/listed.txt": ("---\ntitle: Listed\ndate: 2024-03-08\n---\n"
                                             "What we ask:\n* one *thing*\n* another\n"),
        "content/articles/2024/tabled.md": ("---\ntitle: Tabled\ndate: 2024-03-08\n---\n"
                                            "| Year | Cost |\n|---|---|\n| 2024 | 1 |\n"),
    })
    code, err, out = build(cli, site)
    assert code == 0, err
    listed = (out / "2024/03/08/listed/index.html").read_text()
    assert "<p>What we ask:</p>\n<ul>\n<li>one *thing*</li>\n<li>another</li>\n</ul>" in listed
    tabled = (out / "2024/03/08/tabled/index.html").read_text()
    assert ('<div class="table-scroll" role="region" aria-labelledby="table-1" tabindex="0">'
            '<table><caption id="table-1">Table 1: Year and Cost</caption>') in tabled


def test_a_site_with_only_opinion_still_leads_with_its_newest(make_site, cli) -> None:
    site = make_site()
    for name in ("first.md", "third.txt"):
        (site / "content/articles/2024" / name).unlink()
    code, err, out = build(cli, site)
    assert code == 0, err
    assert lead_and_top(out) == ["Second Story"]
    assert "Nothing published yet" not in visible_text(out / "index.html")


def test_parts_of_a_series_say_so_on_the_front_and_in_lists(make_site, cli) -> None:
    series = "series: The Long Road\n"
    site = make_site({
        "content/articles/2024/part-one.md": story("Part One", "2024-03-04T10:00:00Z",
                                                   extra=series),
        "content/articles/2024/part-two.md": story("Part Two", "2024-03-05T10:00:00Z",
                                                   extra=series),
    })
    code, err, out = build(cli, site)
    assert code == 0, err
    home = visible_text(out / "index.html")
    assert "News Series: The Long Road Part Two By Ann Lee" in home
    assert "News Series: The Long Road Part One By Ann Lee" in home
    assert "Series: The Long Road Third Story" not in home and "News Third Story" in home
    # the section's page drops the label it would repeat, not the series
    assert "Series: The Long Road Part Two By Ann Lee" in visible_text(out / "news/index.html")
    author = visible_text(out / "authors/ann-lee/index.html")
    assert "News Series: The Long Road Part Two" in author
    article = visible_text(out / "2024/03/05/part-two/index.html")
    assert "The Long Road · Part 2 of 2" in article


def test_front_entries_name_articles_of_every_language_by_their_own_urls(tmp_path) -> None:
    """On a multilingual site a French article's URL is under /fr/: `front:` naming it so
    pins it on the French front page; a slug the translations share pins each in its own
    language; a URL of no article is still an error."""
    from multilingual_site import CONFIG, write_site

    from sitegen.engine.build import BuildOptions, build
    from sitegen.errors import ContentError

    site = write_site(tmp_path / "site")
    config = site / "sitegen.yaml"
    config.write_text(CONFIG + "front:\n  - /fr/2025/03/02/breve/\n  - talks\n")
    build(BuildOptions(site=site, output=site / "build", now=FIXED_NOW, jobs=1))
    french = (site / "build" / "fr").resolve()
    assert lead_and_top(french)[:2] == ["Brève du Golfe", "Reprise des pourparlers à Mascate"]
    assert lead_and_top(site / "build")[0] == "Talks Resume in Muscat"
    config.write_text(CONFIG + "front:\n  - /2025/03/02/breve/\n")
    try:
        build(BuildOptions(site=site, output=site / "build", now=FIXED_NOW, jobs=1))
    except ContentError as error:
        assert "`front` entry `/2025/03/02/breve/` names no article" in str(error)
    else:
        raise AssertionError("a URL without its language's /fr/ names no article")
