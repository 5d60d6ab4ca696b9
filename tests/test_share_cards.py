"""Share cards: every article without a lead image gets a 1200 x 630 PNG with its headline,
label, byline and the site's name, in Latin, Persian (right to left) and CJK scripts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXED_NOW
from PIL import Image, ImageDraw

from sitegen.engine.build import BuildOptions, build
from sitegen.images import cards, fonts

ENGLISH = ("Sanctions Rarely Topple Governments, Three Decades of Evidence Show: Why Washington "
           "Keeps Reaching for Them Anyway, and What It Costs the People Who Live Under Them")
PERSIAN = ("تحریم‌ها به ندرت دولت‌ها را سرنگون می‌کنند: سه دهه شواهد نشان می‌دهد که چرا "
           "واشنگتن همچنان به آنها متوسل می‌شود و مردم ایران و آژانس IAEA چه هزینه‌ای "
           "می‌پردازند")
JAPANESE = "制裁が政府を倒すことはめったにない。それでもワシントンが制裁に頼り続ける理由"

needs_fonts = pytest.mark.skipif(not fonts.complete(), reason="the Noto fonts are not "
                                 "installed (scripts/setup.sh installs them)")


def card_site(make_site, headline: str, language: str = "en") -> Path:
    site = make_site({"content/articles/2024/long.md": f"""
        ---
        title: "{headline}"
        date: 2024-03-04T10:00:00Z
        authors: [ann-lee, bo-chen]
        section: analysis
        ---
        A story without a picture.
    """})
    config = site / "sitegen.yaml"
    config.write_text(config.read_text() + f"language: {language}\n")
    return site


def built_card(site: Path) -> tuple[Image.Image, str]:
    build(BuildOptions(site=site, now=FIXED_NOW, jobs=1))
    html = (site / "build/2024/03/04/long/index.html").read_text()
    og = dict(re.findall(r'<meta property="(og:image[^"]*)" content="([^"]*)"', html))
    assert og["og:image"] == "https://example.test/2024/03/04/long/share.png"
    assert (og["og:image:width"], og["og:image:height"], og["og:image:type"]) == (
        "1200", "630", "image/png")
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'content="https://example.test/2024/03/04/long/share.png"' in html.split(
        'name="twitter:image"')[1][:80]
    image = Image.open(site / "build/2024/03/04/long/share.png")
    image.load()
    return image, html


def ink_columns(image: Image.Image, top: int, bottom: int) -> tuple[int, int]:
    """The leftmost and rightmost columns with dark ink between rows top and bottom."""
    band = image.convert("L").crop((0, top, image.width, bottom)).point(
        lambda v: 255 if v < 100 else 0)
    box = band.getbbox()
    assert box is not None, "no text there"
    return box[0], box[2]


@needs_fonts
def test_a_long_english_headline_card(make_site, tmp_path: Path) -> None:
    image, _ = built_card(card_site(make_site, ENGLISH))
    assert image.size == (1200, 630) and image.format == "PNG"
    left, right = ink_columns(image, 140, 470)  # the headline's lines
    assert left < 90 and right < 1130  # set from the left margin, inside the right one
    image.save(tmp_path / "english.png")


@needs_fonts
def test_a_long_persian_headline_card_reads_right_to_left(make_site) -> None:
    image, _ = built_card(card_site(make_site, PERSIAN, "fa"))
    assert image.size == (1200, 630)
    first_line_left, first_line_right = ink_columns(image, 140, 215)
    assert first_line_right > 1110 and first_line_left > 80  # against the right margin


def test_lines_break_between_words_only() -> None:
    setter = cards.Setter("headline", 56, "en")
    lines = cards.wrap(setter, ENGLISH, 1056)
    assert len(lines) > 2
    assert [w.text for line in lines for w in line] == ENGLISH.split()
    assert all(setter.line_width(line) <= 1056 for line in lines)


def test_cjk_lines_break_between_characters_never_before_a_closing_mark() -> None:
    words = cards.words(JAPANESE)
    assert "".join(w.text for w in words) == JAPANESE
    assert not any(w.text[0] in cards.CLOSING for w in words)
    assert any(w.text.endswith("。") for w in words)


def test_a_headline_too_long_for_the_card_ends_after_a_whole_word() -> None:
    text = " ".join(["Extraordinarily"] * 60)
    setter, lines, _ = cards.fit_headline(text, "en", 1056, 300)
    assert setter.size == cards.HEADLINE_SIZES[-1]
    assert lines[-1][-1].text == "…"
    assert all(w.text in ("Extraordinarily", "…") for line in lines for w in line)


@needs_fonts
def test_a_japanese_card_draws_every_character(tmp_path: Path) -> None:
    spec = cards.CardSpec(JAPANESE, "分析", "山田 花子", "The Long View", "", "ja",
                          (("bg", "#ffffff"), ("text", "#1a1a1a"), ("secondary", "#545454"),
                           ("label", "#8d2700"), ("accent", "#c74600"), ("rule", "#cecece")))
    (tmp_path / "ja.png").write_bytes(cards.draw_card(spec))
    image = Image.open(tmp_path / "ja.png")
    assert image.size == (1200, 630)
    setter = cards.Setter("headline", 56, "ja")
    assert all(fonts.covers(fonts.for_word(setter.fonts, ch), ch) for ch in JAPANESE)


COLOURS = (("bg", "#ffffff"), ("text", "#1a1a1a"), ("secondary", "#545454"),
           ("label", "#8d2700"), ("accent", "#c74600"), ("rule", "#cecece"))


@pytest.mark.parametrize(("language", "byline", "first_right"),
                         [("fa", "Ann Lee و Bo Chen", True), ("en", "Ann Lee and Bo Chen", False)])
def test_the_byline_reads_in_the_language_s_direction(monkeypatch: pytest.MonkeyPatch,
                                                       language: str, byline: str,
                                                       first_right: bool) -> None:
    """Latin names in a Persian byline: the first author is read first, at the right."""
    drawn: dict[str, float] = {}
    text = ImageDraw.ImageDraw.text

    def spying(self: ImageDraw.ImageDraw, xy: tuple[float, float], word: str,
               *args: object, **kw: object) -> None:
        drawn.setdefault(word, xy[0])
        text(self, xy, word, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(ImageDraw.ImageDraw, "text", spying)
    cards.draw_card(cards.CardSpec(PERSIAN if language == "fa" else ENGLISH, "Analysis",
                                   byline, "Test Times", "", language, COLOURS))
    assert (drawn["Ann"] > drawn["Bo"]) is first_right
    assert (drawn["Ann"] < drawn["Lee"]) and (drawn["Bo"] < drawn["Chen"])  # each name LTR
    ann = cards.Setter("text", 28, language).width(cards.Word("Ann", False, False))
    assert drawn["Lee"] - drawn["Ann"] > ann + 4  # and a space between its words


def test_a_headline_edit_draws_a_new_card_and_nothing_else(make_site) -> None:
    site = card_site(make_site, "First headline")
    options = BuildOptions(site=site, now=FIXED_NOW, jobs=1)
    build(options)
    card = site / "build/2024/03/04/long/share.png"
    before = card.read_bytes()
    path = site / "content/articles/2024/long.md"
    path.write_text(path.read_text().replace("First headline", "Second headline"))
    result = build(options)
    assert result.images == 1  # this card, no other
    assert card.read_bytes() != before


def test_share_cards_can_be_turned_off(make_site) -> None:
    site = card_site(make_site, "No card")
    config = site / "sitegen.yaml"
    config.write_text(config.read_text() + "images:\n  share_cards: false\n")
    build(BuildOptions(site=site, now=FIXED_NOW, jobs=1))
    assert not list((site / "build").rglob("share.png"))
    html = (site / "build/2024/03/04/long/index.html").read_text()
    assert "share.png" not in html


def test_a_dev_server_draws_an_added_article_s_card_after_its_first_pages(make_site) -> None:
    # No page shows its share card (only its metadata names it): the dev server writes the
    # pages a reader waits for first, then draws the card, and the output is a clean build's.
    from conftest import tree_bytes

    from sitegen.engine.build import Builder, FirstPages

    site = card_site(make_site, "The first headline")
    builder = Builder(BuildOptions(site=site, now=FIXED_NOW, jobs=1, in_place=True))
    builder.build(save_cache=False)
    cards_made = sorted((site / ".sitegen-cache/images").glob("*.png"))
    assert cards_made  # one for each article of the site
    added = site / "content/articles/2024/added.md"
    added.write_text("---\ntitle: An added headline\ndate: 2024-03-05T10:00:00Z\n"
                     "authors: [ann-lee]\nsection: analysis\n---\nNews.\n")
    at_first_pages: list[list[Path]] = []
    first = FirstPages(frozenset({"index.html"}), lambda _: at_first_pages.append(
        sorted((site / ".sitegen-cache/images").glob("*.png"))))
    builder.build(save_cache=False, changed=[added], first=first)
    assert at_first_pages == [cards_made]  # the home page was live before the new card
    assert len(list((site / ".sitegen-cache/images").glob("*.png"))) == len(cards_made) + 1
    card = Image.open(site / "build/2024/03/05/added/share.png")
    assert card.size == (1200, 630)
    served = tree_bytes(site / "build")
    build(BuildOptions(site=site, now=FIXED_NOW, jobs=1, clean=True))
    assert tree_bytes(site / "build") == served
