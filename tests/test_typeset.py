"""Curly quotes in headlines and deks, as each language writes them (CLDR's delimiters, in
the catalogues): “English”, «\u202ffrançais\u202f», „Deutsch“, 「日本語」; apostrophes stay
apostrophes; a site's own `quotes` string wins."""

from __future__ import annotations

import pytest
from conftest import FIXED_NOW, write_files
from htmlcheck import visible_text

from sitegen.locale import catalogue
from sitegen.render.typeset import ENGLISH, curly_quotes, quotes_of

NNBSP = "\u202f"
HEADLINE = "Why 'Restraint' Isn't \"Retreat\""


def marks(language: str) -> str:
    """The shipped catalogue's `quotes` message of `language`."""
    return str(catalogue.plain_strings(language).messages["quotes"])


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Why ‘Restraint’ Isn’t “Retreat”"),
    ("fr", f"Why «{NNBSP}Restraint{NNBSP}» Isn’t «{NNBSP}Retreat{NNBSP}»"),
    ("de", "Why ‚Restraint‘ Isn’t „Retreat“"),
    ("ja", "Why 『Restraint』 Isn’t 「Retreat」"),
])
def test_each_language_gets_its_own_quotation_marks(language: str, expected: str) -> None:
    assert curly_quotes(HEADLINE, quotes_of(marks(language))) == expected


def test_apostrophes_are_never_taken_for_quotes() -> None:
    german = quotes_of(marks("de"))
    assert curly_quotes("Wie geht's? Die '90er", german) == "Wie geht’s? Die ’90er"
    assert curly_quotes("L'Iran et \"l'accord\"", quotes_of(marks("fr"))) == (
        f"L’Iran et «{NNBSP}l’accord{NNBSP}»")
    assert curly_quotes("The students' union", ENGLISH) == "The students’ union"
    assert curly_quotes('She said, "\'No.\'"', ENGLISH) == "She said, “‘No.’”"


def test_a_space_typed_inside_french_quotes_is_not_doubled() -> None:
    assert curly_quotes('Le " non " de Paris', quotes_of(marks("fr"))) == (
        f"Le «{NNBSP}non{NNBSP}» de Paris")


def test_every_catalogue_has_four_marks() -> None:
    for language in catalogue.shipped_languages():
        message = catalogue.shipped(language)["quotes"]
        assert isinstance(message, str) and len(message.split(" ")) == 4, language


@pytest.mark.parametrize(("language", "headline", "dek"), [
    ("fr", f"Pourquoi la «{NNBSP}retenue{NNBSP}» n’est pas un repli",
     f"Un «{NNBSP}dek{NNBSP}»"),
    ("de", "Warum „Zurückhaltung“ kein Rückzug ist", "Ein „Dek“"),
    ("ja", "「抑制」は撤退ではない", "「見出し」"),
    ("en", "Why “Restraint” Isn’t Retreat", "A “dek”"),
])
def test_built_pages_quote_in_the_site_language(tmp_path, language: str, headline: str,
                                                dek: str) -> None:
    from sitegen.engine.build import BuildOptions, build

    titles = {"fr": "Pourquoi la \\\"retenue\\\" n'est pas un repli",
              "de": 'Warum \\"Zurückhaltung\\" kein Rückzug ist',
              "ja": '\\"抑制\\"は撤退ではない', "en": "Why \\\"Restraint\\\" Isn't Retreat"}
    deks = {"fr": 'Un \\"dek\\"', "de": 'Ein \\"Dek\\"', "ja": '\\"見出し\\"',
            "en": 'A \\"dek\\"'}
    site = write_files(tmp_path / "site", {
        "sitegen.yaml": f"title: T\nbase_url: https://example.test/\nlanguage: {language}\n",
        "content/articles/2024/quoted.md": (
            f'---\ntitle: "{titles[language]}"\nsubtitle: "{deks[language]}"\n'
            "date: 2024-03-08T10:00:00Z\nsection: news\n---\nBody.\n"),
    })
    build(BuildOptions(site=site, output=site / "build", now=FIXED_NOW))
    for page in ("2024/03/08/quoted/index.html", "index.html"):
        html = (site / "build" / page).read_text()  # as it is: the text view splits at U+202F
        assert f">{headline}<" in html and f">{dek}<" in html, page


def test_a_site_sets_its_own_house_style(tmp_path) -> None:
    from sitegen.engine.build import BuildOptions, build

    site = write_files(tmp_path / "site", {
        "sitegen.yaml": ("title: T\nbase_url: https://example.test/\nlanguage: fr\n"
                         "strings:\n  quotes: \"« » “ ”\"\n"),  # Swiss French: no spaces
        "content/articles/2024/quoted.md": ('---\ntitle: "Le \\"non\\" de Berne"\n'
                                            "date: 2024-03-08T10:00:00Z\n---\nBody.\n"),
    })
    build(BuildOptions(site=site, output=site / "build", now=FIXED_NOW))
    assert "Le «non» de Berne" in visible_text(site / "build/2024/03/08/quoted/index.html")
