"""Write a build to its output folder all at once, or not at all.

The new site is assembled in a staging folder beside the output and swapped in with
renames, so a reader or a deploy never sees half a site and a failed build leaves the
previous one whole. Files whose bytes did not change keep their inode and time (they are
hard-linked from the previous build), so rsync and deploy tools see only real changes.
A `.git` folder or `CNAME` file in the output survives every build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
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


def _input_folders(root: Path) -> tuple[Path, ...]:
    return tuple(root / name for name in ("content", "static", "templates", "themes"))


def _existing_files(folder: Path) -> set[str]:
    """Files of the previous build (what is inside a kept `.git` folder is not one)."""
    if not folder.is_dir():
        return set()
    found = set()
    for dirpath, dirnames, filenames in os.walk(folder):
        rel = Path(dirpath).relative_to(folder)
        if rel == Path("."):
            dirnames[:] = [d for d in dirnames if d not in KEEP]
        for name in filenames:
            found.add((rel / name).as_posix())
    return found


def write_site(files: Mapping[str, bytes], output: Path) -> WriteReport:
    existing = _existing_files(output)
    changed = [path for path, data in files.items()
               if path not in existing or (output / path).read_bytes() != data]
    removed = existing - files.keys() - set(KEEP)
    report = WriteReport(len(changed), len(files) - len(changed), len(removed))
    if not report.changed:
        return report

    staging = output.with_name(f".{output.name}.veil-staging")
    previous = output.with_name(f".{output.name}.veil-previous")
    for leftover in (staging, previous):
        if leftover.exists():
            shutil.rmtree(leftover)
    staging.mkdir(parents=True)
    changed_set = set(changed)
    try:
        for path, data in files.items():
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if path in changed_set:
                target.write_bytes(data)
            else:
                _link_or_copy(output / path, target)
        if output.exists():
            for name in KEEP:
                if (output / name).exists() and name not in files:
                    os.rename(output / name, staging / name)
            os.rename(output, previous)
        os.rename(staging, output)
    except BaseException:
        if previous.exists() and not output.exists():
            os.rename(previous, output)
        for name in KEEP:  # give back what was moved into staging before it goes
            if (staging / name).exists() and not (output / name).exists() and output.exists():
                os.rename(staging / name, output / name)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    return report


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
