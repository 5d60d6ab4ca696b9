"""Import a real site of another tool into a new sitegen site, build it, and print the
figures the importer issue asks for: posts imported (published and drafts), article pages
built, pages showing template syntax as text, old URLs answering in build/.

    python3 scripts/real_site.py KIND SOURCE WORKDIR

KIND is jekyll, hugo, eleventy, pelican or wordpress; WORKDIR is made anew (its `site/`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TEMPLATE_CODE = re.compile(r"\{%|\{\{|\{#|\[/?caption|\[gallery|<!--\s*/?wp:")
# Where template syntax is no leak: code samples, scripts, and the head (a description
# quoting a code span is the article's own text).
CODE = re.compile(r"<(pre|code|script|style|head)\b.*?</\1>", re.DOTALL)


def sitegen(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sitegen", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, check=False)


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    data = yaml.safe_load(text[4:text.index("\n---\n", 4)])
    return data if isinstance(data, dict) else {}


def answers(build: Path, url: str) -> bool:
    """True when `url` (a site path) is a file in build/: a page or a redirect page, or a
    query URL's line in _redirects."""
    rules = build / "_redirects"
    if rules.is_file() and any(line.split(" ")[0] == url.split("#")[0] for line
                               in rules.read_text(encoding="utf-8").splitlines()):
        return True  # a host's redirect (a query URL, or one differing only in case)
    path = build / url.lstrip("/").split("#")[0]
    return (path / "index.html").is_file() if url.endswith("/") else path.is_file() or (
        path / "index.html").is_file()


def shows_template_code(page: Path) -> bool:
    return bool(TEMPLATE_CODE.search(CODE.sub("", page.read_text(encoding="utf-8"))))


def main(kind: str, source: Path, work: Path) -> int:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    site = work / "site"
    scaffold: set[Path] = set()  # the new site's own articles (its welcome article)
    for step in (("new", "site", site), ("import", "--from", kind, source, "--site", site),
                 ("build", "--site", site)):
        done = sitegen(*step)
        (work / f"{step[0]}.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        print(f"sitegen {step[0]}: exit {done.returncode}")
        if done.returncode != 0:
            print(done.stderr[-3000:])
            return 1
        if step[0] == "new":
            scaffold = set((site / "content/articles").rglob("*.*"))
    build = site / "build"
    articles = [p for p in (site / "content/articles").rglob("*.*") if p not in scaffold]
    own = {f"{p.parent.name}-{p.stem}" for p in scaffold}  # 2026/05-01-welcome: its page
    metas = {p: front_matter(p) for p in articles}
    published = [p for p, m in metas.items() if not m.get("draft")]
    pages = [p for p in build.rglob("index.html")
             if 'class="kind-article"' in p.read_text(encoding="utf-8")
             and not any(o.endswith(p.parent.name) for o in own)]
    shown = [p.relative_to(build).as_posix() for p in build.rglob("*.html")
             if shows_template_code(p)]
    aliases = [str(a) for p in published for a in metas[p].get("aliases") or []]  # type: ignore[attr-defined]
    answered = [a for a in aliases if answers(build, a)]
    print(f"posts imported {len(articles)} (published {len(published)}, drafts "
          f"{len(articles) - len(published)}); article pages {len(pages)} "
          f"({100 * len(pages) / max(len(published), 1):.1f}% of published)")
    print(f"pages showing template syntax: {len(shown)} {shown[:10]}")
    print(f"old URLs answering: {len(answered)} of {len(aliases)} "
          f"{[a for a in aliases if a not in answered][:10]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])))
