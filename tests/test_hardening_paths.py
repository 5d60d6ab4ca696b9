"""File names and folders a build meets on disk: names that are not UTF-8, folders that are
symbolic links (out of the site, inside it, in a cycle); under build and serve."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import FIXED_NOW, run_sitegen, tree_bytes
from serve_support import request, serving, wait_for, wait_for_status

ARTICLE = b"---\ntitle: Odd Name\ndate: 2024-01-05\n---\nBody.\n"


def build(cli, site: Path, *more: str):
    return cli("build", "--site", site, "--now", FIXED_NOW.isoformat(), *more)


def test_names_that_are_not_utf8_are_errors_at_their_path(make_site, cli) -> None:
    site = make_site()
    assert build(cli, site).code == 0
    before = tree_bytes(site / "build")
    root = os.fsencode(site)
    with open(root + b"/content/articles/2024/odd\xff\xfe.md", "wb") as f:
        f.write(ARTICLE)
    os.makedirs(root + b"/content/articles/caf\xe9")
    with open(root + b"/content/articles/caf\xe9/x.md", "wb") as f:
        f.write(ARTICLE)
    os.makedirs(root + b"/static", exist_ok=True)
    with open(root + b"/static/logo\xff.png", "wb") as f:
        f.write(b"png")
    result = build(cli, site)
    assert result.code == 1 and "Traceback" not in result.err
    assert ("content/articles/2024/odd\\xff\\xfe.md:1:1: error: the file name odd\\xff\\xfe.md "
            "is not UTF-8, and no URL can name it. Rename it in UTF-8 (in a shell: "
            "mv $'odd\\xff\\xfe.md' NEW-NAME).") in result.err
    assert "content/articles/caf\\xe9/x.md:1:1: error: the folder name caf\\xe9" in result.err
    assert "static/logo\\xff.png:1:1: error: the file name logo\\xff.png" in result.err
    assert tree_bytes(site / "build") == before
    done = run_sitegen("build", "--site", site, "--now", FIXED_NOW.isoformat())
    assert done.returncode == 1 and "Traceback" not in done.stderr  # and from a real process


def test_the_dev_server_shows_a_non_utf8_name_and_serves_on(make_site) -> None:
    site = make_site()
    with serving(site) as server:
        with open(os.fsencode(site) + b"/content/articles/2024/odd\xff.md", "wb") as f:
            f.write(ARTICLE)
        wait_for_status(server, lambda s: s.failed, "the failed build")
        assert any("odd\\xff.md" in line and "not UTF-8" in line
                   for line in server.preview.status.errors)
        page = request(server, "/")
        assert page.status == 200 and "odd\\xff.md" in page.text  # the overlay says it
        assert request(server, "/odd%FF.md").status == 404
        os.unlink(os.fsencode(site) + b"/content/articles/2024/odd\xff.md")
        wait_for_status(server, lambda s: not s.failed, "the good build again")


def test_a_static_folder_linking_out_of_the_site_is_left_out(make_site, cli,
                                                            tmp_path: Path) -> None:
    secrets = tmp_path / "home-of-the-editor"
    (secrets / ".ssh").mkdir(parents=True)
    (secrets / "id_rsa").write_text("PRIVATE KEY")
    (secrets / "notes.md").write_text("---\ntitle: PRIVATE KEY\ndate: 2023-01-01\n---\nx\n")
    site = make_site()
    (site / "static").symlink_to(secrets)
    (site / "content/articles/2023").symlink_to(secrets)
    result = build(cli, site)
    assert result.code == 0, result.err
    assert (f"static:1:1: warning: is a symbolic link to a folder outside the site ({secrets}); "
            "its files are left out. Copy them in instead.") in result.err
    assert "content/articles/2023:1:1: warning: is a symbolic link to a folder" in result.err
    assert b"PRIVATE KEY" not in b"".join(tree_bytes(site / "build").values())
    assert not (site / "build/id_rsa").exists()


def test_folder_links_inside_the_site_are_followed_and_cycles_end(make_site, cli) -> None:
    site = make_site({"drafts/2022/kept.md": "---\ntitle: Kept Story\ndate: 2022-05-01\n---\n"
                                             "Body.\n"})
    (site / "content/articles/2022").symlink_to(site / "drafts/2022")
    (site / "content/articles/2024/loop").symlink_to(site / "content/articles")
    (site / "content/articles/2024/self").symlink_to(".")
    result = build(cli, site)
    assert result.code == 0, result.err
    assert (site / "build/2022/05/01/kept/index.html").is_file()
    again = build(cli, site)
    assert again.code == 0 and "Up to date" in again.out


def test_the_dev_server_survives_a_link_cycle(make_site) -> None:
    site = make_site()
    with serving(site) as server:
        (site / "content/articles/2024/loop").symlink_to(site / "content/articles")
        (site / "content/articles/2024/new.md").write_text(ARTICLE.decode())
        wait_for(lambda: request(server, "/2024/01/05/new/").status == 200, what="the page")
        assert not server.preview.status.failed
