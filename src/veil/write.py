"""Write a build to its output folder, or nothing at all.

What a build makes goes to a staging folder beside the output first; only when every
output has been made and checked are the changed files moved in (each with one rename)
and the files no longer built removed. A failed build leaves the previous site whole.
Unchanged files are never touched, so rsync and deploy tools see only real changes.
A `.git` folder or `CNAME` file in the output survives every build.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import Location, Problem, VeilError

KEEP = (".git", "CNAME", ".nojekyll")


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)


def check_output_dir(output: Path, site_root: Path) -> None:
    """Refuse an output folder whose replacement would destroy something else."""
    output = output.resolve()
    root = site_root.resolve()
    home = Path.home().resolve()
    reason = None
    if output == Path(output.anchor):
        reason = "it is the root of the file system"
    elif output == home:
        reason = "it is your home folder"
    elif output == root or output in root.parents:
        reason = "it holds the site itself"
    elif any(output == own or own in output.parents for own in _input_folders(root)):
        reason = "it is, or is inside, one of the site's own folders"
    elif output.is_dir() and not (output / "index.html").exists() and any(
            entry.name not in KEEP for entry in output.iterdir()):
        reason = "it holds files that veil did not build (a built site has an index.html)"
    if reason:
        raise VeilError([Problem(Location(output), f"veil will not build into {output}: "
                                 f"{reason}, and building replaces the folder",
                                 "choose an empty or dedicated folder, e.g. `--output site`")])


def check_cache_dir(cache: Path | None, output: Path, site_root: Path) -> None:
    """Refuse a cache folder that would be published or read as content: it holds the text
    of every post, private ones too."""
    if cache is None:
        return
    cache, output = cache.resolve(), output.resolve()
    inside = [folder for folder in (output, *_input_folders(site_root.resolve()))
              if cache == folder or folder in cache.parents]
    if inside:
        raise VeilError([Problem(
            Location(cache), f"veil will not keep its cache in {cache}: it is inside "
            f"{inside[0]}, and the cache holds the text of every post, private ones too",
            "choose a cache folder outside the output and content folders, e.g. "
            "`--cache-dir .veil-cache` (or unset VEIL_CACHE_DIR)")])


def _input_folders(root: Path) -> tuple[Path, ...]:
    return tuple(root / name for name in ("content", "static", "templates", "themes"))


def files_on_disk(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file of the output folder (not inside a kept `.git`), with size and time."""
    # A kept file such as CNAME is listed too: the site may publish one of its own.
    return file_stats(folder, skip_top=KEEP)


def file_stats(folder: Path, *, skip_top: Collection[str] = (),
               skip_anywhere: Collection[str] = (), follow_links: bool = False,
               follow_file_links: bool = False,
               skip_name: Callable[[str], bool] | None = None,
               known: Mapping[str, tuple[int, int]] | None = None,
               links: set[str] | None = None) -> dict[str, tuple[int, int]]:
    """Every file below `folder` ("/"-separated relative path -> size, time); folders
    named in `skip_top` (at the top) or `skip_anywhere` are left out. Symlinks are followed
    only with `follow_links` (each folder is entered once, so a loop ends), or for links
    to files only with `follow_file_links`. Files and folders whose name `skip_name`
    accepts are left out. A plain file in `known` (no link) is taken as `known` has it,
    without looking (listing a folder is quick; looking at each file in it is not).
    `links`: filled with the files that are symlinks."""
    found: dict[str, tuple[int, int]] = {}
    if not folder.is_dir():
        return found
    pending = [(str(folder), "")]
    entered = {_identity(folder)} if follow_links else set()
    while pending:
        directory, prefix = pending.pop()
        with os.scandir(directory) as entries:
            for entry in entries:
                path = prefix + entry.name
                if known is not None and path in known and entry.is_file(follow_symlinks=False):
                    found[path] = known[path]  # (its name was not skipped before either)
                    continue
                if skip_name is not None and skip_name(entry.name):
                    continue
                try:
                    if entry.is_dir(follow_symlinks=follow_links):
                        if entry.name in skip_anywhere or (not prefix and entry.name in skip_top):
                            continue
                        if follow_links:
                            identity = _identity(Path(entry.path))
                            if identity in entered:
                                continue
                            entered.add(identity)
                        pending.append((entry.path, path + "/"))
                        continue
                    stat = _stat(entry, follow_links or follow_file_links)
                    if links is not None and entry.is_symlink():
                        links.add(path)
                except OSError:  # gone meanwhile
                    continue
                found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


def _stat(entry: os.DirEntry[str], follow: bool) -> os.stat_result:
    """A link to nothing counts by its own size and time (it is still an input: a build
    reports it)."""
    try:
        return entry.stat(follow_symlinks=follow)
    except OSError:
        if not follow or not entry.is_symlink():
            raise
        return entry.stat(follow_symlinks=False)


def _identity(folder: Path) -> tuple[int, int]:
    stat = folder.stat()
    return stat.st_dev, stat.st_ino


def staging_folder(output: Path) -> Path:
    """Where a build puts what it made until all of it has been checked; empty."""
    staging = output.with_name(f".{output.name}.veil-staging")
    if staging.exists():
        shutil.rmtree(staging)
    return staging


def discard_staging(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def apply_staged(staging: Path, output: Path, staged: list[str], removed: list[str],
                 total: int) -> WriteReport:
    """Move the staged files into the output folder and remove the files no longer built.

    Only files whose bytes changed are touched: the others keep their inode and time, so
    rsync and deploy tools see only real changes. Each file is replaced whole (a rename).
    """
    report = WriteReport(len(staged), total - len(staged), len(removed))
    if not report.changed:
        discard_staging(staging)
        return report
    if not output.exists() and staging.exists():
        os.rename(staging, output)  # a first build: everything at once
        return report
    output.mkdir(parents=True, exist_ok=True)
    folders: set[Path] = set()
    try:
        for path in removed:
            target = output / path
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
            folders.update(p for p in target.parents if output in p.parents)
        for path in staged:
            target = output / path
            if not target.parent.is_dir():
                target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, target)
    finally:
        discard_staging(staging)
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only empty folders go
    return report
