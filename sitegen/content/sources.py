"""Stage 2: find content files, decode them, split front matter and safe-load its YAML.

Line numbers are kept so that later stages can point at the line a writer must edit
in the file itself, not in the YAML block.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitegen.content import yamlio
from sitegen.errors import Problems

ARTICLE_SUFFIXES = {".md", ".markdown", ".txt", ".html"}
AUTHOR_SUFFIXES = {".yaml", ".yml", ".md"}
PAGE_SUFFIXES = {".md", ".markdown", ".txt", ".html"}
# Other tools' names for Markdown: read as Markdown, so a copied archive is not skipped.
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mkdn", ".mdown", ".mkd", ".text"}
ARTICLE_SUFFIXES |= MARKDOWN_SUFFIXES
# Editors' temporary and swap files are never content (Vim, Emacs, JetBrains, gedit).
IGNORED_PREFIXES = (".", "#", "~")
IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", "___jb_tmp___", "___jb_old___")


@dataclass(frozen=True, slots=True)
class Source:
    """One content file, split: front matter data, its raw text, and the body. Once the
    front matter is read into an entry, the source is kept `without_meta`."""

    path: Path
    rel: str  # path relative to the site folder, as shown in messages
    meta: dict[str, Any]
    meta_text: str  # the raw YAML, for finding the line of a key
    meta_line: int  # 1-based line of the first YAML line in the file
    body: str
    body_line: int  # 1-based line of the first body line in the file

    @property
    def kind(self) -> str:
        suffix = self.path.suffix.lower()
        return "txt" if suffix == ".txt" else "html" if suffix in (".html", ".htm") else "md"

    def line_of(self, key: str) -> tuple[int, int]:
        """1-based (line, col) in the file of front matter `key`, or of the first line."""
        line, col = yamlio.key_line(self.meta_text, key)
        if (line, col) == (0, 0) and not self.meta_text.startswith(f"{key}:"):
            return max(self.meta_line - 1, 1), 1
        return self.meta_line + line, col + 1

    def has_key(self, key: str) -> bool:
        """True when the front matter names `key` (read from its text: see without_meta)."""
        return key in self.meta or yamlio.key_line(self.meta_text, key) != (0, 0)


def without_meta(source: Source) -> Source:
    """The source without its parsed front matter and body (its raw front matter stays,
    for lines): what an archive keeps of each file once its entry is read."""
    return Source(source.path, source.rel, {}, source.meta_text, source.meta_line, "",
                  source.body_line)


def is_ignored(name: str) -> bool:
    """True for hidden files and editor temporaries that must never be read as content."""
    return (name.startswith(IGNORED_PREFIXES) or name.endswith(IGNORED_SUFFIXES)
            or name == "4913" or name.startswith(".goutputstream-"))


# Hidden names a static folder publishes as they are, for the host that reads them
# (`.well-known/`, `.nojekyll`, `.htaccess`): all but these, which are never a site's.
NEVER_PUBLISHED = {".git", ".svn", ".hg", ".DS_Store", ".gitignore", ".gitattributes",
                   ".gitkeep", ".sitegen-cache"}


def is_temporary(name: str) -> bool:
    """An editor's or desktop's temporary file, hidden or not."""
    return (name.startswith(("#", "~", ".#", ".goutputstream-")) or name in NEVER_PUBLISHED
            or name.endswith(IGNORED_SUFFIXES) or name == "4913")


def skipped(name: str, hidden: bool) -> bool:
    """True for a file or folder name the build does not read: hidden ones too, unless
    `hidden` (a static folder), where only temporaries and NEVER_PUBLISHED are."""
    return is_temporary(name) if hidden else is_ignored(name)


def find_files(folder: Path, suffixes: set[str] | None, *, hidden: bool = False) -> list[Path]:
    """Files under `folder` (with one of `suffixes`, or any), sorted, skipping temporary
    files and, unless `hidden` (static folders), hidden files and folders."""
    if not folder.is_dir():
        return []
    found: list[tuple[tuple[str, ...], str]] = []
    top = str(folder)
    seen: set[tuple[int, int]] = set()  # folders walked, by device and inode
    # Symbolic links to folders are followed (inside_site then leaves out what lies outside
    # the site), each real folder once: a link cycle ends where it began.
    for root, dirs, files in os.walk(top, followlinks=True):
        try:
            st = os.stat(root)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not (d.startswith(".") and skipped(d, hidden)))
        parts = tuple(root[len(top):].split(os.sep)[1:])
        for name in files:
            if ((suffixes is None or os.path.splitext(name)[1] in suffixes)
                    and not skipped(name, hidden)):
                found.append((parts, name))
    # Sorted as Paths sort (by segments), without making 10,000 Paths to compare.
    found.sort(key=lambda item: (*item[0], item[1]))
    return [Path(top, *parts, name) for parts, name in found]


def inside_site(paths: list[Path], site: Path, problems: Problems) -> list[Path]:
    """The regular files of `paths`, each read where the site can: drop (with a warning)
    files whose symlinks lead outside the site folder, as a pull request must not be able to
    publish /etc/passwd or a deploy key by linking to it; and (an error) named pipes,
    sockets and devices, which a build reading them would wait on forever."""
    root = site.resolve()
    kept = []
    outside = _Outside(site, root, problems)
    for path in paths:
        if not _utf8_name(path, site, problems) or outside.left_out(path):
            continue
        try:
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                if not path.resolve().is_relative_to(root):
                    problems.warn(path, 1, 1, "is a symbolic link to a file outside the site "
                                  f"({path.resolve()}); it is left out. Copy the file in "
                                  "instead.")
                    continue
                st = os.stat(path)
        except OSError:
            kept.append(path)  # reading it says what is wrong
            continue
        if not stat.S_ISREG(st.st_mode):
            problems.error(path, 1, 1, f"is a {_special_kind(st.st_mode)}, not a file, and "
                           "reading it could wait forever. Remove it from the site.")
            continue
        kept.append(path)
    return kept


def readable(path: Path | str) -> str:
    """A path as text a terminal and a page can show: bytes that are not UTF-8 (which
    Python holds as lone surrogates) written as \\xff."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _utf8_name(path: Path, site: Path, problems: Problems) -> bool:
    """False (and an error at the path) for a name that is not UTF-8: no URL can name
    it, and no page or message can show it as it is."""
    text = str(path)
    if not encodes(text):
        bad = next(part for part in path.parts if not encodes(part))
        what = "file" if bad == path.name else "folder"
        problems.error(Path(readable(text)), 1, 1, f"the {what} name {readable(bad)} is not "
                       "UTF-8, and no URL can name it. Rename it in UTF-8 (in a shell: "
                       f"mv $'{readable(bad)}' NEW-NAME).")
        return False
    return True


def encodes(text: str) -> bool:
    """True when `text` (a path) is UTF-8 all through (see readable)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Outside:
    """Files reached through a folder that is a symbolic link out of the site: left out,
    with one warning for each such link, as a file linked from outside is."""

    def __init__(self, site: Path, root: Path, problems: Problems) -> None:
        self.site, self.root, self.problems = site, root, problems
        self.folders: dict[str, bool] = {}  # a file's folder -> whether it lies outside
        self.links: set[Path] = set()  # folder links already reported

    def left_out(self, path: Path) -> bool:
        folder = os.path.dirname(path)
        out = self.folders.get(folder)
        if out is None:
            out = self.folders[folder] = not Path(folder).resolve().is_relative_to(self.root)
            if out:
                self._report(Path(folder))
        return out

    def _report(self, folder: Path) -> None:
        link = folder
        for candidate in [folder, *folder.parents]:
            if candidate == self.site or candidate == self.root:
                break
            if candidate.is_symlink():
                link = candidate
        if link not in self.links:
            self.links.add(link)
            self.problems.warn(link, 1, 1, "is a symbolic link to a folder outside the site "
                               f"({link.resolve()}); its files are left out. Copy them in "
                               "instead.")


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "special file"


def decode(path: Path, data: bytes, problems: Problems) -> str | None:
    """UTF-8 text with BOM removed and line endings made LF; None (and an error) otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.error(path, 1, 1, "is UTF-16 (it starts with a UTF-16 byte order mark). Save "
                       "it as UTF-8.")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(path, line, col, f"is not UTF-8 (byte 0x{data[exc.start]:02x} at offset "
                       f"{exc.start}). Save the file as UTF-8.")
        return None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        problems.error(path, line, 1, "contains a NUL character. Remove it; the file may be "
                       "binary or saved as UTF-16.")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = _CONTROL.search(text)
    if control:
        # Pasted from word processors (form feeds, vertical tabs); invalid in HTML and XML.
        line = text.count("\n", 0, control.start()) + 1
        col = control.start() - (text.rfind("\n", 0, control.start()) + 1) + 1
        problems.warn(path, line, col, f"contains the control character "
                      f"U+{ord(control.group(0)):04X}; it is removed. Delete it from the file.")
        text = _CONTROL.sub("", text)
    return text


_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")


def split(path: Path, text: str, problems: Problems, *, required: bool = True) -> Source | None:
    """Split `---` front matter from the body; report a missing or unclosed block."""
    rel = problems.rel(path)
    lines = text.split("\n")
    if lines and lines[0].rstrip() == "+++":
        return split_toml(path, rel, lines, problems)
    if not lines or lines[0].rstrip() != "---":
        if required:
            problems.error(path, 1, 1, "has no front matter. Start the file with a `---` line, "
                           "then `title:` and `date:`, then another `---` line.")
            return None
        return Source(path, rel, {}, "", 1, text, 1)
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        problems.error(path, 1, 1, "front matter is not closed. Add a `---` line after the "
                       "last front matter field.")
        return None
    meta_text = "\n".join(lines[1:end])
    try:
        meta = yamlio.load(meta_text)
    except yamlio.YamlProblem as exc:
        problems.error(path, exc.line + 2, exc.col + 1, f"{exc.with_offset(2)}. Fix the front "
                       "matter; quote values that contain `: ` or start with a special character.")
        return None
    if meta is None:
        meta = {}
    for key, first, second in yamlio.duplicate_keys(meta_text):
        problems.warn(path, second + 2, 1, f"`{key}` is given twice (lines {first + 2} and "
                      f"{second + 2}); the second wins. Remove one of them.")
    if not isinstance(meta, dict):
        problems.error(path, 2, 1, "front matter must be `key: value` lines, not "
                       f"a {type(meta).__name__}.")
        return None
    body = "\n".join(lines[end + 1:])
    return Source(path, rel, meta, meta_text, 2, body, end + 2)


def split_toml(path: Path, rel: str, lines: list[str], problems: Problems) -> Source | None:
    """`+++` TOML front matter, as Hugo writes it. Dates arrive as text, as YAML's do, so
    that one field reader checks both and the cache keeps plain data."""
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "+++"), 0)
    if not end:
        problems.error(path, 1, 1, "front matter is not closed. Add a `+++` line after the "
                       "last front matter field.")
        return None
    meta_text = "\n".join(lines[1:end])
    try:
        meta = tomllib.loads(meta_text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_position(str(exc))
        problems.error(path, line + 1, col, f"front matter is not valid TOML ({exc}). Fix "
                       "it; text values need quotes: title = \"...\".")
        return None
    return Source(path, rel, _plain(meta), meta_text, 2, "\n".join(lines[end + 1:]), end + 2)


def _toml_position(message: str) -> tuple[int, int]:
    found = re.search(r"line (\d+), column (\d+)", message)
    return (int(found.group(1)), int(found.group(2))) if found else (1, 1)


def _plain(value: Any) -> Any:
    """TOML's dates and times as ISO text, inside lists and tables too."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


MAX_FILE_SIZE = 5_000_000


def read_source(path: Path, problems: Problems, *, required: bool = True,
                max_size: int = MAX_FILE_SIZE) -> Source | None:
    """Read, decode and split one content file; None if it has an error (already reported)."""
    text = _read_text(path, problems, max_size)
    if text is None:
        return None
    return split(path, text, problems, required=required)


def _read_text(path: Path, problems: Problems, max_size: int | None = None) -> str | None:
    """A file's text, decoded; None after reporting why it cannot be read."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a pipe or a device: reading it may never end
            problems.error(path, 1, 1, f"is a {_special_kind(st.st_mode)}, not a file. Give "
                           "sitegen a regular file.")
            return None
        if max_size is not None and st.st_size > max_size:
            problems.error(path, 1, 1, f"is {st.st_size:,} bytes, over the limit of "
                           f"{max_size:,}. Split it, or raise `max_file_size` in sitegen.yaml.")
            return None
        data = path.read_bytes()
    except OSError as exc:
        problems.error(path, 1, 1, f"cannot be read ({exc.strerror}). Check its permissions.")
        return None
    return decode(path, data, problems)


def read_data_file(path: Path, problems: Problems) -> Source | None:
    """A YAML data file (an author profile): the whole file is the mapping."""
    text = _read_text(path, problems)
    if text is None:
        return None
    try:
        meta = yamlio.load(text)
    except yamlio.YamlProblem as exc:
        problems.error(path, exc.line + 1, exc.col + 1,
                       f"{exc.with_offset(1)}. Fix the YAML syntax.")
        return None
    if not isinstance(meta, dict):
        problems.error(path, 1, 1, "must be a mapping of `key: value` lines (name, role, bio).")
        return None
    return Source(path, problems.rel(path), meta, text, 1, "", 1)
