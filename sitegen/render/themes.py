"""Where themes live: the site's own `themes/<name>/`, falling back to the default theme.

The default theme sits at the repository root for the demo site and theme authors, and is
copied into the installed package (see pyproject.toml), so both layouts are searched.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # the sitegen package


def default_theme_dir() -> Path:
    for candidate in (_PACKAGE / "themes" / "default", _PACKAGE.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("the default theme is missing from this sitegen installation")


def theme_dirs(site: Path, name: str) -> list[Path]:
    """Theme folders in lookup order: the site's chosen theme first, then the default."""
    dirs = []
    own = site / "themes" / name
    if own.is_dir():
        dirs.append(own)
    default = default_theme_dir()
    if own.resolve() != default.resolve():
        dirs.append(default)
    return dirs


def template_dirs(site: Path, name: str) -> list[Path]:
    return [d / "templates" for d in theme_dirs(site, name) if (d / "templates").is_dir()]


def static_dirs(site: Path, name: str) -> list[Path]:
    """Static folders, lowest priority first: default theme, site theme, site `static/`."""
    dirs = [d / "static" for d in reversed(theme_dirs(site, name)) if (d / "static").is_dir()]
    if (site / "static").is_dir():
        dirs.append(site / "static")
    return dirs
