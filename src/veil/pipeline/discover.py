"""Find the site's sources: posts, pages, media, static files.

Posts live in ``content/posts/`` as ``name.md`` or as a bundle ``name/index.md`` with its
images beside it; pages likewise in ``content/pages/``. Hidden files and editor
leftovers (swap files, backups) are ignored.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..model import Kind


@dataclass(frozen=True, slots=True)
class SourceFile:
    path: Path
    key: str  # relative to content/, "/"-separated
    kind: Kind
    bundle_dir: Path | None  # the folder of a bundle's index.md

    @property
    def default_slug(self) -> str:
        return self.bundle_dir.name if self.bundle_dir else self.path.stem


@dataclass(frozen=True, slots=True)
class Sources:
    documents: tuple[SourceFile, ...]
    media: tuple[Path, ...]  # content/media/**, published under /media/
    static: tuple[Path, ...]  # static/**, copied to the site root as is


JUNK = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", ".git", "__pycache__"})


def is_ignored(path: Path, *, keep_hidden: bool = False) -> bool:
    """Editor leftovers and system files; hidden names too unless `keep_hidden`
    (static/ may hold a `.well-known/` folder that must be published)."""
    return is_ignored_name(path.name, keep_hidden=keep_hidden)


def is_ignored_name(name: str, *, keep_hidden: bool = False) -> bool:
    return (
        name in JUNK
        or (name.startswith(".") and not keep_hidden)
        or name.startswith(("#", "~", ".#"))
        or name.endswith(("~", ".swp", ".swx", ".tmp", ".bak"))
    )


def walk_files(folder: Path, *, keep_hidden: bool = False,
               within: Path | None = None) -> Iterator[Path]:
    """Files below `folder`, sorted, skipping ignored names and symlinked folders.

    A symlink whose target lies outside `within` (by default `folder`) is never read:
    `escaping_links` reports it as an error.
    """
    if not folder.is_dir():
        return
    within = within or folder
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda e: e.name)
    for entry in entries:
        if is_ignored_name(entry.name, keep_hidden=keep_hidden):
            continue
        path = folder / entry.name
        if entry.is_symlink():
            if _inside(path, within) and path.is_file():
                yield path
        elif entry.is_dir(follow_symlinks=False):
            yield from walk_files(path, keep_hidden=keep_hidden, within=within)
        elif entry.is_file(follow_symlinks=False):
            yield path


def _inside(link: Path, folder: Path) -> bool:
    target = link.resolve()
    base = folder.resolve()
    return target == base or base in target.parents


def escaping_links(root: Path) -> list[Path]:
    """Symlinks in content/ or static/ that lead outside that folder."""
    found = []
    for top in (root / "content", root / "static"):
        folders = [top] if top.is_dir() else []
        while folders:
            try:
                with os.scandir(folders.pop()) as entries:
                    for entry in entries:
                        if entry.is_symlink():
                            if not _inside(Path(entry.path), top):
                                found.append(Path(entry.path))
                        elif entry.is_dir(follow_symlinks=False):
                            folders.append(Path(entry.path))
            except OSError:  # a folder that cannot be read holds nothing to publish
                continue
    return sorted(found)


def discover(root: Path) -> Sources:
    content = root / "content"
    skip = len(str(content)) + 1  # a path's key is what follows "<content>/"
    documents: list[SourceFile] = []
    for folder, kind in ((content / "posts", Kind.POST), (content / "pages", Kind.PAGE)):
        for path in walk_files(folder):
            if not path.name.lower().endswith(".md"):
                continue
            bundle = path.parent if path.name == "index.md" and path.parent != folder else None
            key = str(path)[skip:].replace(os.sep, "/")
            documents.append(SourceFile(path, key, kind, bundle))
    return Sources(
        documents=tuple(documents),
        media=tuple(walk_files(content / "media")),
        static=tuple(walk_files(root / "static", keep_hidden=True)),
    )


def bundle_assets(source: SourceFile) -> tuple[Path, ...]:
    """The files published beside a bundle's page: those of its folder and subfolders,
    but not of a bundle nested in it (another post, with a privacy of its own)."""
    bundle = source.bundle_dir
    if bundle is None:
        return ()
    nested: dict[Path, bool] = {}

    def in_nested_bundle(folder: Path) -> bool:
        while folder != bundle:
            if folder not in nested:
                nested[folder] = (folder / "index.md").is_file()
            if nested[folder]:
                return True
            folder = folder.parent
        return False

    return tuple(p for p in walk_files(bundle)
                 if p.suffix.lower() != ".md" and p.name != "comments.yaml"
                 and not in_nested_bundle(p.parent))
