"""Where themes are found: the site's own themes/ first, then those that ship with veil."""

from __future__ import annotations

from pathlib import Path

BUILTIN_THEME = "default"


def builtin_themes_dir() -> Path:
    """Inside the package once installed; at the top of the source tree in a checkout."""
    packaged = Path(__file__).parent / "themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "themes"


def theme_search_path(root: Path, name: str) -> list[Path] | None:
    """Theme folders in the order they are searched, ending with the built-in theme;
    None when no theme of that name exists."""
    dirs = []
    own = root / "themes" / name
    if own.is_dir():
        dirs.append(own)
    builtin = builtin_themes_dir()
    if name != BUILTIN_THEME and (builtin / name).is_dir():
        dirs.append(builtin / name)
    if not dirs and name != BUILTIN_THEME:
        return None
    dirs.append(builtin / BUILTIN_THEME)
    return dirs
