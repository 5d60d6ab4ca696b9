"""The smallest end-to-end check: the fixture site builds and the article page reads right."""

from pathlib import Path

from conftest import FIXED_NOW


def test_fixture_site_builds(make_site, cli) -> None:
    site = make_site()
    result = cli("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert result.code == 0, result.err
    page = (site / "build/2024/03/01/first/index.html").read_text()
    assert "First Story" in page
    assert 'href="/authors/ann-lee/"' in page
    assert FIXED_NOW.year == 2026
    assert Path(site / "build/feed.xml").is_file()
