"""An article's lead image checked against its file: its size read, so that pages can
reserve its space; what is wrong with it said at the `image:` line."""

from __future__ import annotations

from pathlib import Path

from sitegen.config import Config
from sitegen.content import images
from sitegen.errors import Problems
from sitegen.model.entries import Entry

MIN_SHARE_WIDTH = 1200  # share cards, Google's large previews and JSON-LD crops want this


def image_size(entry: Entry, config: Config, static: list[Path],
                problems: Problems) -> tuple[int, int] | None:
    """The lead image's pixel size, so pages can reserve its space; a file that is not an
    image is an error, a missing file, a missing `image_alt` or a small photo a warning."""
    if not entry.image or not entry.image.startswith("/") or entry.image.startswith("//"):
        return None  # no image, or one on another host: nothing of ours to read
    line, col = entry.source.line_of("image")
    path = images.static_file(entry.image, config.root_path, static)
    size = images.read_image_size(path) if path else None
    where = entry.source.path
    if not entry.image_alt:
        problems.warn(where, line, col, f"image `{entry.image}` has no `image_alt`. Add "
                      "`image_alt:` saying what the picture shows, for readers who cannot "
                      "see it (and for share cards).")
    if size is None and path is not None and path.suffix.lower() in images.RASTER_SUFFIXES:
        problems.error(where, line, col, f"image `{entry.image}` is not an image file: its "
                       "bytes are no JPEG, PNG, GIF or WebP. Export the picture again.")
    elif size is None:
        what = "is not a PNG, GIF, JPEG or WebP file" if path else "is not in static/"
        problems.warn(where, line, col, f"image `{entry.image}` {what}, so the "
                      "page cannot give its width and height. Fix the path or the file.")
    elif size[0] < MIN_SHARE_WIDTH and path is not None and path.suffix.lower() != ".gif":
        problems.warn(where, line, col, f"image `{entry.image}` is {size[0]} x {size[1]} "
                      f"pixels; share cards and search previews want at least "
                      f"{MIN_SHARE_WIDTH} pixels wide. Use a larger original.")
    return size
