"""The image stage in the engine: after planning, every article page gets its `images`
(sitegen.images.model.PageImages), and every file they point to is made, in the worker
processes, into `.sitegen-cache/images/` unless it is there already.

A file there is named by its key: a digest of the source file's bytes, the settings, the
code that makes it (and for a share card, all it shows and the fonts). So a rebuild after a
text edit finds every variant made and processes nothing; a changed photo gets new keys
(and new URLs); files no build uses any more are deleted from the cache after a build, and
from the output by the writer (a file no plan produces is stale). The writer then copies
each file into the output with its key, or keeps the one there when the key is the same.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.config import Config
from sitegen.content import images as headers
from sitegen.engine import cache as cache_mod
from sitegen.engine import parallel
from sitegen.engine.cache import Cache
from sitegen.images.model import (
    SHARE_SIZE,
    CardJob,
    CardSpec,
    Made,
    PageImages,
    PhotoJob,
    ShareImage,
)
from sitegen.images.plan import Planned, SourceImage, plan_image
from sitegen.locale.formats import join_list
from sitegen.model.site import Article
from sitegen.plan.outputs import Plan, PlannedPage

FOLDER = "images"  # under .sitegen-cache/
IMG_SRC = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
DEFAULT_COLOURS = (("bg", "#ffffff"), ("text", "#1a1a1a"), ("secondary", "#545454"),
                   ("label", "#8d2700"), ("accent", "#c74600"), ("rule", "#cecece"))
_CSS_ROLES = {"bg": ("bg",), "text": ("text",), "secondary": ("secondary",),
              "label": ("label", "opinion"), "accent": ("accent",), "rule": ("rule",)}


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """The image code's own source: a change to it makes every file again."""
    import PIL

    h = hashlib.blake2b(digest_size=8)
    for path in sorted((Path(__file__).parent.parent / "images").glob("*.py")):
        h.update(path.read_bytes())
    h.update(PIL.__version__.encode())
    return h.hexdigest()


def key(*parts: str) -> str:
    data = "\x00".join([code_digest(), *parts]).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class ImageWork:
    """What one build knows of its images: each source read once, each page's images,
    and every job and file to make."""

    config: Config
    static: dict[str, Path]  # output path -> static file (the build's static files)
    cache: Cache
    cache_dir: Path
    colours: tuple[tuple[str, str], ...] = DEFAULT_COLOURS
    cards_later: bool = False  # the share cards are made after the pages (see `make`)
    sources: dict[str, SourceImage | None] = field(default_factory=dict)
    planned: dict[str, Planned] = field(default_factory=dict)
    photo_jobs: dict[str, PhotoJob] = field(default_factory=dict)
    card_jobs: dict[str, CardJob] = field(default_factory=dict)
    processed: int = 0  # files made by this build (not found in the cache)
    _dirs: list[Path] = field(default_factory=list)
    _rels: dict[Path, str] = field(default_factory=dict)
    _logo_found: tuple[str, str] | None = None
    # Each article's card (by the article's identity): this build's, and the dev server's
    # last build's, taken again for an article object it kept (see `carry`).
    cards: dict[int, tuple[Article, str, CardJob, ShareImage]] = field(default_factory=dict)
    _last_cards: dict[int, tuple[Article, str, CardJob, ShareImage]] = field(
        default_factory=dict)

    def __post_init__(self) -> None:
        self._dirs = _static_dirs(self.static)
        self._rels = {path: rel for rel, path in self.static.items()}

    def source(self, url: str) -> SourceImage | None:
        """The local image at root-relative `url`, probed (from the cache when its file's
        signature is unchanged); None when it is not ours or not an image we resize."""
        if url in self.sources:
            return self.sources[url]
        found = None
        path = headers.static_file(url, self.config.root_path, self._dirs)
        rel = self._rels.get(path) if path is not None else None
        if path is not None and rel is not None:
            found = self._probe(url, rel, path)
        self.sources[url] = found
        return found

    def _probe(self, url: str, rel: str, path: Path) -> SourceImage | None:
        from sitegen.images import pixels

        try:
            st = path.stat()
        except OSError:
            return None
        sig = cache_mod.signature(st)
        hit = self.cache.images.get(str(path))
        if hit is None or tuple(hit[0]) != sig or sig[1] >= hit[1] - cache_mod.RACY_NS:
            try:
                digest = cache_mod.digest_bytes(path.read_bytes())
                width, height, kind = pixels.probe(path)
                hit = (sig, cache_mod.now_ns(), digest, width, height, kind)
            except (OSError, pixels.NotAnImage):
                hit = (sig, cache_mod.now_ns(), "", 0, 0, "")
            self.cache.images[str(path)] = hit
            self.cache.dirty = True
        if not hit[2] or not hit[5]:
            return None
        return SourceImage(url, rel, str(path), hit[2], hit[3], hit[4], hit[5])

    def plan(self, image: SourceImage) -> Planned:
        planned = self.planned.get(image.url)
        if planned is None:
            planned = plan_image(image, self.config.images, self.config.root_path, key)
            self.planned[image.url] = planned
        self.photo_jobs[image.path] = PhotoJob(image.path, planned.renditions,
                                               self.config.images.quality)
        return planned

    def fresh(self) -> ImageWork:
        """The same sources and plans, no jobs yet: for the dev server's patched rebuild,
        which makes and writes only the files of the pages it plans again."""
        return dataclasses.replace(self, photo_jobs={}, card_jobs={}, processed=0,
                                   cards={}, _last_cards=self.cards)

    def page_images(self, page: PlannedPage, article: Article) -> PageImages:
        """The images of one article's page, noting every file they need."""
        lead_source = self.source(article.image) if article.image else None
        lead = self.plan(lead_source) if lead_source else None
        body = []
        # Most bodies show no picture, and their record says so: those are not read back.
        srcs = _body_srcs(article.body_html) if article.body.pictures else []
        for src in dict.fromkeys(srcs):
            found = self.source(src)
            if found is not None:
                body.append((src, self.plan(found).picture))
        if lead is not None:
            return PageImages(lead.picture, tuple(body), lead.share, lead.jsonld)
        share = self._card(page, article) if self.config.images.share_cards else None
        return PageImages(None, tuple(body), share, (share.url,) if share else ())

    def carry(self, last: ImageWork | None) -> None:
        """Take the cards the dev server's last build planned, for the articles it kept as
        they were (the same objects): a card is a function of its article and of what is
        the same here (settings, colours, logo), and planning 10,000 again cost a quarter
        of a second before an added article's pages could be served."""
        if (last is not None and last.config == self.config and last.colours == self.colours
                and last._logo() == self._logo()):
            self._last_cards = last.cards

    def _card(self, page: PlannedPage, article: Article) -> ShareImage:
        rel = page.path.rpartition("/")[0] + "/share.png" if "/" in page.path else "share.png"
        hit = self._last_cards.get(id(article))
        if hit is None or hit[0] is not article or hit[1] != rel:
            hit = (article, rel, *self._plan_card(rel, article))
        self.cards[id(article)] = hit
        self.card_jobs[rel] = hit[2]
        return hit[3]

    def _plan_card(self, rel: str, article: Article) -> tuple[CardJob, ShareImage]:
        config = self.config
        logo, logo_sig = self._logo()
        spec = CardSpec(article.title, article.section.title if article.section else "",
                        join_list([a.name for a in article.authors], article.language),
                        config.publisher.name or config.title, logo,
                        article.language, self.colours)
        return (CardJob(rel, key(repr(spec), logo_sig, _font_identity()), spec),
                ShareImage(config.root_path + "/" + rel, *SHARE_SIZE, "image/png"))

    def _logo(self) -> tuple[str, str]:
        """The publisher's logo file on every card, and its signature: looked up once a
        build, not once an article (a dev server's build plans 10,000 cards)."""
        if self._logo_found is None:
            config = self.config
            logo = headers.static_file(config.publisher.logo, config.root_path,
                                       self._dirs) if config.publisher.logo else None
            self._logo_found = (str(logo or ""),
                                str(cache_mod.signature(logo.stat())) if logo else "")
        return self._logo_found

    def made(self) -> list[Made]:
        """Every file the planned pages point to, with its key and cache file."""
        files = [Made(r.rel, r.key, self._cached(r.key, r.format))
                 for job in self.photo_jobs.values() for r in job.renditions]
        files += [Made(j.rel, j.key, self._cached(j.key, "png")) for j in self.card_jobs.values()]
        return files

    def _cached(self, name: str, fmt: str) -> str:
        return f"{self.cache_dir}{os.sep}{name}.{fmt}"

    def replaced(self) -> dict[Path, Path]:
        """Static file -> the cache file published in its place (upright, no metadata)."""
        out: dict[Path, Path] = {}
        for job in self.photo_jobs.values():
            first = job.renditions[0]  # the upright copy at the source's own path
            out[Path(job.source)] = Path(self._cached(first.key, first.format))
        return out


@functools.lru_cache(maxsize=1)
def _font_identity() -> str:
    from sitegen.images import fonts

    return fonts.identity()


def _static_dirs(static: dict[str, Path]) -> list[Path]:
    """The folders static files come from, in copy order (the site's own last)."""
    dirs: dict[Path, None] = {}
    for rel, path in static.items():
        root = path
        for _ in rel.split("/"):
            root = root.parent
        dirs.setdefault(root)
    return list(dirs)


def _body_srcs(html: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in IMG_SRC.finditer(html)]


def theme_colours(static: dict[str, Path]) -> tuple[tuple[str, str], ...]:
    """The theme's colours for share cards: custom properties of the first `:root` rule of
    css/style.css (the site's own file wins), each role defaulting to the default theme's."""
    css = static.get("css/style.css")
    found: dict[str, str] = {}
    if css is not None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            text = css.read_text(encoding="utf-8")
            root = re.search(r":root\s*\{([^}]*)\}", text)
            for name, value in re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{6})\b",
                                          root.group(1) if root else ""):
                found.setdefault(name, value.lower())
    colours = dict(DEFAULT_COLOURS)
    for role, names in _CSS_ROLES.items():
        for name in names:
            if name in found:
                colours[role] = found[name]
                break
    return tuple(colours.items())


def attach(plan: Plan, work: ImageWork) -> Plan:
    """The plan with `images` in the context of every article page."""
    pages = [with_images(page, work) for page in plan.pages]
    return dataclasses.replace(plan, pages=tuple(pages))


def with_images(page: PlannedPage, work: ImageWork) -> PlannedPage:
    if page.kind == "home":
        return _with_front_pictures(page, work)
    article = page.context.get("article")
    if page.kind != "article" or not isinstance(article, Article):
        return page
    images = work.page_images(page, article)
    if page.context.get("images") == images:
        # The dev server's last page, taken by the plan as it was: kept as the very same
        # object, so that its last key holds without a look (see PageKeys.page).
        return page
    return dataclasses.replace(page, context={**page.context, "images": images})


def _with_front_pictures(page: PlannedPage, work: ImageWork) -> PlannedPage:
    """The front page with `lead_picture`, its lead story's image as a picture (the page's
    largest paint), and `front_pictures`, image URL -> picture, for every other teaser it
    shows with an image (the top stories, the first of each news desk's block): each an
    image the build makes variants of."""
    lead = page.context.get("lead")
    shown = [lead] if isinstance(lead, Article) else []
    shown += list(page.context.get("top", ()))
    shown += [block["articles"][0] for block in page.context.get("blocks", ())
              if block.get("articles")]
    pictures = {}
    for article in shown:
        source = work.source(article.image) if article.image else None
        if source is not None:
            pictures[article.image] = work.plan(source).picture
    if not pictures:
        return page
    extra: dict[str, Any] = {"front_pictures": pictures}
    if isinstance(lead, Article) and lead.image in pictures:
        extra["lead_picture"] = pictures[lead.image]
    return dataclasses.replace(page, context={**page.context, **extra})


# ---------------------------------------------------------------- making the files

CARDS_PER_FORK = 12  # fewer share cards than this (and no photo) are drawn in this process


def make(work: ImageWork, jobs: int, reuse: bool, photos: bool = True,
         cards: bool = True) -> int:
    """Make every file not in the cache (all of them when not `reuse`), in parallel;
    returns how many were made. Without `cards`, the share cards are left for a later
    call: no page shows one (only its metadata names it), so a dev server draws a new
    article's card after the pages a reader waits for (16 ms of CPU a card once Pillow
    and the fonts are loaded)."""
    work.cache_dir.mkdir(parents=True, exist_ok=True)
    folder = str(work.cache_dir)
    # What the cache lacks, found here (a stat each): the workers get only what they must
    # make, not one task per file of an archive whose cards are all made already.
    todo: list[PhotoJob | CardJob] = [
        *(job for job in work.photo_jobs.values() if photos and (not reuse or not all(
            os.path.exists(f"{folder}/{r.key}.{r.format}") for r in job.renditions))),
        *(job for job in work.card_jobs.values()
          if cards and (not reuse or not os.path.exists(f"{folder}/{job.key}.png")))]
    state = (work.cache_dir, reuse)
    # A photo's renditions are worth a fork from two jobs on; a card takes 16 ms, and the
    # two forked workers cost about 50 ms more than a handful of cards drawn here.
    photo_jobs = any(isinstance(job, PhotoJob) for job in todo)
    counts = parallel.map_chunks(_make_chunk, state, todo, jobs=jobs, chunk_size=1,
                                 min_items=2 if photo_jobs else CARDS_PER_FORK)
    work.processed += sum(counts)
    return sum(counts)


def cards_after(work: ImageWork) -> Callable[[], int] | None:
    """The share cards `make` left for after the pages (`cards_later`), made when called
    (here: the dev server's one or two new cards are not worth a fork)."""
    if not work.cards_later:
        return None
    return functools.partial(make, work, 1, True, photos=False)


def _make_chunk(state: tuple[Path, bool], chunk: Sequence[PhotoJob | CardJob]) -> int:
    folder, reuse = state
    made = 0
    for job in chunk:
        if isinstance(job, CardJob):
            target = folder / f"{job.key}.png"
            if reuse and target.exists():
                continue
            from sitegen.images import cards

            _store(target, cards.draw_card(job.spec))
            made += 1
            continue
        from sitegen.images import pixels

        missing = [r for r in job.renditions
                   if not (reuse and (folder / f"{r.key}.{r.format}").exists())]
        for rendition, data in pixels.make_photo(job, missing):
            _store(folder / f"{rendition.key}.{rendition.format}", data)
            made += 1
    return made


def _store(target: Path, data: bytes) -> None:
    """Write a cache file whole or not at all (a killed build leaves no half file)."""
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temp.write_bytes(data)
    os.replace(temp, target)


def prune(work: ImageWork, keep: Sequence[Made]) -> None:
    """After a build: delete the cache files none of its pages use, and forget the
    probes of source images it did not read."""
    wanted = {Path(m.cached).name for m in keep}
    with contextlib.suppress(OSError):
        for entry in os.scandir(work.cache_dir):
            if entry.name not in wanted:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
    read = {image.path for image in work.sources.values() if image is not None}
    if set(work.cache.images) - read:
        work.cache.images = {p: hit for p, hit in work.cache.images.items() if p in read}
        work.cache.dirty = True
