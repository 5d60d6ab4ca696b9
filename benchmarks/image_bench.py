"""The image scenarios of benchmarks/run.py (`--images`): sitegen and Hugo on the corpus
with one 3000 x 2000 JPEG lead photo per ten articles (benchmarks/corpus.py --images).

  sitegen cold, images          no cache, no output: every variant, crop and share card made
  sitegen cold, images webp     the same with `formats: [webp]`, what Hugo makes below
  sitegen cold, no images       the same articles without photos, `share_cards: false`
  sitegen warm, images          nothing changed (the no-op check)
  sitegen text edit, images     one article's body edited: must make no image (checked)
  hugo cold, no images          the peer site as converted (../shared/peers/convert.py)
  hugo cold, images             the same with the photos in assets/ and, in its templates,
                                resources.Resize at 480, 800, 1200, 1600 px in WebP and
                                JPEG and resources.Fill 1200x630 for each
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

Runner = Callable[[], tuple[float, float]]

_WIDTHS = "slice 480 800 1200 1600"
HUGO_IMAGES = (
    '{{ define "main" }}<h1>Photos</h1>\n'
    '{{ range resources.Match "images/*.jpg" }}{{ $img := . }}<picture>\n'
    '<source type="image/webp" srcset="{{ range $i, $w := ' + _WIDTHS + ' }}'
    '{{ if $i }}, {{ end }}{{ ($img.Resize (printf "%dx webp q80" $w)).RelPermalink }} '
    '{{ $w }}w{{ end }}">\n'
    '<img srcset="{{ range $i, $w := ' + _WIDTHS + ' }}{{ if $i }}, {{ end }}'
    '{{ ($img.Resize (printf "%dx jpg q80" $w)).RelPermalink }} {{ $w }}w{{ end }}" '
    'src="{{ ($img.Resize "1200x jpg q80").RelPermalink }}">\n'
    '</picture><meta content="{{ ($img.Fill "1200x630 jpg q80").Permalink }}">\n'
    '{{ end }}{{ end }}\n')


def image_scenarios(timed: Callable[..., tuple[float, float]], make_corpus: Callable[..., Path],
                    sitegen_cmd: Callable[..., list[str]], env: dict[str, str],
                    corpus_script: Path, n: int, work: Path, jobs: int,
                    hugo: tuple[Path, Path] | None) -> dict[str, Runner]:
    """The runners; `hugo`: the binary and the peer site converted from the plain corpus."""
    photos = make_corpus(corpus_script, n, work, "--images")
    plain = make_corpus(corpus_script, n, work)
    webp = _copy(photos, "webp", "images:\n  formats: [webp]\n")
    bare = _copy(plain, "bare", "images:\n  share_cards: false\n")
    edited = _copy(photos, "edit", "")
    kept = _copy(photos, "warm", "")  # its own cache: the cold runs clear the photos site's

    def cold(site: Path, name: str) -> Runner:
        def run() -> tuple[float, float]:
            out = work / f"img-{name}-{n}"
            _rm(out, site / ".sitegen-cache")
            return timed(sitegen_cmd(site, out, jobs), env=env)
        return run

    warm_out = work / f"img-warm-{n}"
    subprocess.run(sitegen_cmd(kept, warm_out, jobs), env={**os.environ, **env}, check=True)

    def warm() -> tuple[float, float]:
        return timed(sitegen_cmd(kept, warm_out, jobs), env=env)

    edit_out = work / f"img-edit-{n}"
    article = sorted((edited / "content/articles").rglob("*.md"))[0]
    original = article.read_text()
    subprocess.run(sitegen_cmd(edited, edit_out, jobs), env={**os.environ, **env}, check=True)

    def text_edit() -> tuple[float, float]:
        article.write_text(original + f"\nEdited at {os.urandom(4).hex()}.\n")
        result = timed(sitegen_cmd(edited, edit_out, jobs), env=env)
        article.write_text(original + f"\nChecked at {os.urandom(4).hex()}.\n")
        _no_image_made(sitegen_cmd(edited, edit_out, jobs), env)
        return result

    runners = {"sitegen cold, images": cold(photos, "cold"),
               "sitegen cold, images webp": cold(webp, "webp"),
               "sitegen cold, no images": cold(bare, "bare"),
               "sitegen warm, images": warm, "sitegen text edit, images": text_edit}
    if hugo is not None:
        runners.update(_hugo(timed, hugo, photos, work, n))
    return runners


def _copy(corpus: Path, name: str, config: str) -> Path:
    copy = corpus.parent / f"{corpus.name}-{name}"
    if not copy.exists():
        shutil.copytree(corpus, copy, ignore=shutil.ignore_patterns(".sitegen-cache"))
        with (copy / "sitegen.yaml").open("a") as f:
            f.write(config)
    return copy


def _rm(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def _no_image_made(cmd: list[str], env: dict[str, str]) -> None:
    """The same kind of text edit as the timed one, built untimed with --verbose: it must
    say that it made no image."""
    out = subprocess.run([*(c for c in cmd if c != "-q"), "--verbose"],
                         env={**os.environ, **env}, capture_output=True, text=True,
                         check=True).stdout
    if "images made (not in the cache) 0\n" not in out:
        raise SystemExit(f"a rebuild made images:\n{out}")


def _hugo(timed: Callable[..., tuple[float, float]], hugo: tuple[Path, Path], photos: Path,
          work: Path, n: int) -> dict[str, Runner]:
    binary, site = hugo
    with_images = work / f"hugo-images-{n}"
    if not with_images.exists():
        shutil.copytree(site, with_images)
        shutil.copytree(photos / "static" / "images", with_images / "assets" / "images")
        (with_images / "content" / "photos.md").write_text(
            "---\ntitle: Photos\nurl: /photos/\nlayout: photos\n---\n")
        (with_images / "layouts" / "photos.html").write_text(HUGO_IMAGES)

    def run(project: Path, name: str) -> Runner:
        def go() -> tuple[float, float]:
            out = work / f"hugo-{name}-{n}-out"
            cache = work / f"hugo-{name}-{n}-cache"
            _rm(out, cache, project / "resources")
            return timed([str(binary), "--destination", str(out), "--quiet"], cwd=project,
                         env={"HUGO_CACHEDIR": str(cache)})
        return go

    return {"hugo cold, no images": run(site, "plain"),
            "hugo cold, images": run(with_images, "images")}


if __name__ == "__main__":
    sys.exit("run it through benchmarks/run.py --images")
