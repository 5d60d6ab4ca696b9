"""`sitegen import --from pelican`: the fixture in tests/importsites/pelican (Key: value
headers, reST, a folder category, ARTICLE_URL with date formats, {static} and {filename},
Status: draft, a page), imported and built."""

from __future__ import annotations

import re
from pathlib import Path

from importsupport import SITES, import_and_build

PELICAN = SITES / "pelican"


def test_articles_pages_and_old_urls(cli, tmp_path: Path) -> None:
    # the fixture's .rst post needs docutils, a dependency (pyproject.toml): no skipping
    site = import_and_build(cli, tmp_path, "pelican", PELICAN)
    assert len(site.article_pages()) == 2  # Status: draft stays out
    crane = site.page("/2018/09/10/the-crane-contract/")
    # copied, and shown as a picture of it (sitegen.images)
    assert re.search(r'<img src="/_img/[0-9a-f]+/crane-\d+\.png"', crane)
    assert (site.build / "images/crane.png").is_file()
    assert 'href="/2018/10/02/dockers-strike-for-a-day/"' in crane  # {filename}
    assert 'href="/authors/marta-sousa/"' in crane and 'href="/authors/rui-lobo/"' in crane
    strike = site.page("/2018/10/02/dockers-strike-for-a-day/")
    assert "<strong>dawn</strong>" in strike and ":date:" not in strike
    assert "The crane contract" in site.page("/economy/")  # folder category -> section
    assert site.redirects_to("/2018/09/the-crane-contract/") == \
        "/2018/09/10/the-crane-contract/"
    assert "Write to the desk." in site.page("/contact-the-desk/")
    assert site.template_code_shown() == []
