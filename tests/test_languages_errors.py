"""Languages (issue 15): one site in one language other than English, strings overridden
in the config and the theme, the English fallback's warning, and the errors (path:line:col,
what to do, every one of a run, build/ untouched)."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXED_NOW, tree_bytes

NOW = FIXED_NOW.isoformat()


def _build(cli, site: Path):  # type: ignore[no-untyped-def]
    return cli("build", "--site", site, "--now", NOW)


def test_a_persian_site_is_right_to_left_with_persian_strings_digits_and_dates(
        make_site, cli) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"sitegen.yaml": "title: Test Times\nbase_url: https://example.test/\n"
                                      "language: fa\nper_page: 2\n"})
    assert _build(cli, site).code == 0
    html = (site / "build/2024/03/02/second/index.html").read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in html
    assert "نوشتهٔ" in html and "۲ مارس ۲۰۲۴" in html and "دقیقه مطالعه" in html
    assert ('<a class="label label-opinion" href="/opinion/" data-pagefind-meta="section">'
            'دیدگاه</a>') in html


def test_strings_from_the_config_and_the_theme_win(make_site, cli) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "sitegen.yaml": """
            title: Test Times
            base_url: https://example.test/
            theme: mine
            strings:
              byline: "Written by {names}"
              section.news: Dispatches
        """,
        "themes/mine/strings/en.yaml": "home.archive_word: Newest\n",
    })
    result = _build(cli, site)
    assert result.code == 0, result.err
    home = (site / "build/index.html").read_text(encoding="utf-8")
    assert "Newest" in home and ">Dispatches<" in home
    article = (site / "build/2024/03/01/first/index.html").read_text(encoding="utf-8")
    assert 'Written by <a href="/authors/ann-lee/"' in article


def test_a_language_without_a_catalogue_falls_back_to_english_with_one_warning(
        make_site, cli) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"sitegen.yaml": "title: Test Times\nbase_url: https://example.test/\n"
                                      "language: sw\n"})
    result = _build(cli, site)
    assert result.code == 0
    warnings = [line for line in result.err.splitlines() if "warning" in line]
    assert len(warnings) == 1, result.err
    assert warnings[0].startswith("sitegen.yaml:3:1: warning: sitegen has no `sw` strings")
    html = (site / "build/2024/03/01/first/index.html").read_text(encoding="utf-8")
    assert '<html lang="sw" dir="ltr">' in html and "1 Machi 2024" in html  # CLDR's dates


def test_a_string_missing_from_a_catalogue_warns_once_naming_its_key(
        make_site, cli) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "sitegen.yaml": "title: T\nbase_url: https://example.test/\nlanguage: fr\n"
                        "theme: mine\n",
        "themes/mine/strings/en.yaml": "promo: Subscribe\n",
    })
    result = _build(cli, site)
    warnings = [line for line in result.err.splitlines() if "warning" in line]
    assert warnings == ["sitegen.yaml:3:1: warning: string `promo` has no `fr` translation, "
                        "so pages show the English. Add it under `strings:` of language "
                        "`fr` in sitegen.yaml."]


def _languages_site(make_site, files: dict[str, str]) -> Path:  # type: ignore[no-untyped-def]
    return make_site({"sitegen.yaml": "title: Test Times\nbase_url: https://example.test/\n"
                                      "languages:\n  - en\n  - fr\n", **files})


def test_article_language_errors_point_at_the_field(make_site, cli) -> None:  # type: ignore[no-untyped-def]
    site = _languages_site(make_site, {
        "content/articles/2024/de.md": "---\ntitle: Hallo\ndate: 2024-01-01\n"
                                       "language: de\n---\nText.\n",
        "content/articles/2024/bad.md": "---\ntitle: Bad\ndate: 2024-01-01\n"
                                        "lang: klingon-x\n---\nText.\n",
        "content/articles/fr/2024/a.md": "---\ntitle: Un\ndate: 2024-01-01\n"
                                         "translation_key: same\n---\nTexte.\n",
        "content/articles/fr/2024/b.md": "---\ntitle: Deux\ndate: 2024-01-02\n"
                                         "translation_key: same\n---\nTexte.\n",
    })
    result = _build(cli, site)
    assert result.code == 1
    err = result.err
    assert ("content/articles/2024/de.md:4:11: error: `language: de` is not a language "
            "this site publishes in (en, fr). Add `de` to `languages` in sitegen.yaml, or "
            "write one of those.") in err
    assert ("content/articles/2024/bad.md:4:7: error: `klingon-x` is not a language tag. "
            "Write one of the site's languages: en, fr.") in err
    assert ("content/articles/fr/2024/b.md:4:18: error: `translation_key: same` is also that "
            "of content/articles/fr/2024/a.md, in the same language (fr). Give one of them "
            "another `translation_key`, or another `language`.") in err
    assert "3 errors in 3 files" in err


def test_config_language_errors_are_at_their_line_and_leave_the_build_alone(
        make_site, cli) -> None:  # type: ignore[no-untyped-def]
    site = _languages_site(make_site, {})
    assert _build(cli, site).code == 0
    before = tree_bytes(site / "build")
    (site / "sitegen.yaml").write_text(
        "title: Test Times\nbase_url: https://example.test/\nlanguages:\n  - en\n"
        "  - tag: frx\n  - fa\n  - fa\nstrings:\n  bylin: By {names}\n", encoding="utf-8")
    result = _build(cli, site)
    assert result.code == 2
    assert ("sitegen.yaml:5:1: error: language `frx` is not a language tag CLDR knows. "
            "Did you mean `fr`? Use a BCP 47 tag") in result.err
    assert "sitegen.yaml:7:1: error: language `fa` is listed twice. Remove one." in result.err
    assert tree_bytes(site / "build") == before
    (site / "sitegen.yaml").write_text(
        "title: Test Times\nbase_url: https://example.test/\nlanguages: [en, fr]\n"
        "strings:\n  bylin: By {names}\n", encoding="utf-8")
    result = _build(cli, site)
    assert result.code == 2
    assert ("sitegen.yaml:5:1: error: unknown string `bylin`. Did you mean `byline`?"
            in result.err)
    assert tree_bytes(site / "build") == before


def test_a_taxonomy_is_titled_per_language_and_one_without_a_title_warns(
        make_site, cli) -> None:  # type: ignore[no-untyped-def]
    site = make_site({
        "sitegen.yaml": "title: Test Times\nbase_url: https://example.test/\n"
                        "taxonomies: [regions]\nlanguages:\n  - en\n  - tag: fr\n"
                        "    strings: {taxonomy.regions: Régions}\n  - de\n",
        "content/articles/fr/2024/golfe.md": "---\ntitle: Golfe\ndate: 2024-01-01\n"
                                             "regions: [Golfe]\n---\nTexte.\n",
        "content/articles/de/2024/golf.md": "---\ntitle: Golf\ndate: 2024-01-01\n"
                                            "regions: [Golf]\n---\nText.\n",
    })
    result = _build(cli, site)
    assert result.code == 0, result.err
    warnings = [line for line in result.err.splitlines() if "warning" in line]
    assert warnings == ["sitegen.yaml:8:1: warning: taxonomy `regions` has no `de` title, "
                        "so its pages show `Regions`. Add `taxonomy.regions` under "
                        "`strings:` of language `de` in sitegen.yaml."]
    build = site / "build"
    assert "<h1>Régions</h1>" in (build / "fr/regions/index.html").read_text(encoding="utf-8")
    assert "<h1>Regions</h1>" in (build / "regions/index.html").read_text(encoding="utf-8")
    assert "<h1>Regions</h1>" in (build / "de/regions/index.html").read_text(encoding="utf-8")
