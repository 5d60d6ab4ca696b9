"""Screenshots of every kind of page of the demo site, at 360 and 1280 px, light and dark.

    python3 scripts/screenshots.py OUTDIR [--print]

Builds the demo into a temporary folder, serves it on 127.0.0.1 and writes
OUTDIR/<kind>-<width>-<scheme>.png (whole pages) with Debian's Chromium through Playwright.
`--print` also writes OUTDIR/<kind>-print.pdf for the articles, as a reader's "Save as PDF".
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from scripts.demo_site import CHECKED_PAGES, OTHER_PAGES, build_demo, serve
from tests.conftest import CHROMIUM, CHROMIUM_ARGS

WIDTHS = (360, 1280)
SCHEMES = ("light", "dark")

# A whole-page screenshot does not scroll, so lazy images below the fold would stay blank:
# scroll through the page first, as a reader would, and wait for every image.
SCROLL_THROUGH = """async () => {
  for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
    scrollTo(0, y);
    await new Promise((done) => setTimeout(done, 50));
  }
  scrollTo(0, 0);
}"""
ALL_IMAGES_LOADED = "[...document.images].every((img) => img.complete)"


def take(outdir: Path, with_print: bool) -> list[Path]:
    """Write the screenshots (and PDFs) into `outdir`; return the files written."""
    outdir.mkdir(parents=True, exist_ok=True)
    pages = {**CHECKED_PAGES, **OTHER_PAGES}
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="sitegen-shots-") as tmp:
        site = build_demo(Path(tmp) / "site")
        with serve(site) as origin, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for scheme in SCHEMES:
                for width in WIDTHS:
                    context = browser.new_context(viewport={"width": width, "height": 800},
                                                  color_scheme=scheme)
                    page = context.new_page()
                    for kind, url in pages.items():
                        page.goto(origin + url, wait_until="load")
                        page.evaluate(SCROLL_THROUGH)
                        page.wait_for_function(ALL_IMAGES_LOADED)
                        path = outdir / f"{kind}-{width}-{scheme}.png"
                        page.screenshot(path=str(path), full_page=True)
                        written.append(path)
                    context.close()
            if with_print:
                page = browser.new_page()
                for kind, url in pages.items():
                    if kind.startswith("article"):
                        page.goto(origin + url, wait_until="load")
                        path = outdir / f"{kind}-print.pdf"
                        page.pdf(path=str(path), format="A4")
                        written.append(path)
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder for the PNG files")
    parser.add_argument("--print", action="store_true", dest="with_print",
                        help="also save the articles as PDF through the print stylesheet")
    args = parser.parse_args(argv)
    written = take(args.outdir, args.with_print)
    print(f"{len(written)} files in {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
