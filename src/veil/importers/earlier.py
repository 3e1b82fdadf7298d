"""What earlier imports wrote, so that running the import again never leaves public what
WordPress no longer publishes.

Each run records the file every WordPress post and page went to, by its WordPress id, in
`.veil-import/wordpress.json`: beside veil.yaml, outside content/ and static/, so never
published. On the next run the earlier file of an item that WordPress no longer publishes
(in the trash, deleted, left out of the export) is made private in place, the writer's
text kept; the file of an item whose slug changed is moved to the new name, so a renamed
post never exists twice. Nothing a writer wrote is deleted.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import Location, Problem, VeilError
from ..yamlfile import YamlDocument, parse_yaml_mapping

MANIFEST = PurePosixPath(".veil-import/wordpress.json")
SET_ASIDE = PurePosixPath(".veil-import/set-aside")
CONTENT_FOLDERS = (PurePosixPath("content/posts"), PurePosixPath("content/pages"))
# WordPress renames a trashed post's slug to free it for new posts
TRASHED_SUFFIX = re.compile(r"__trashed(?:-\d+)?$")
PROTECTION_KEYS = ("circle", "circles")
FENCES = ("---", "...")


@dataclass(frozen=True)
class Place:
    """Where a post or page lives: `folder/slug.md`, or the bundle `folder/slug/index.md`."""

    folder: PurePosixPath  # relative to the site
    slug: str

    @classmethod
    def of_file(cls, file: PurePosixPath) -> Place:
        if file.name == "index.md":
            return cls(file.parent.parent, file.parent.name)
        return cls(file.parent, file.stem)

    def file_in(self, root: Path) -> Path | None:
        """Its Markdown file as it is now, flat or bundled."""
        for candidate in (root / self.folder / f"{self.slug}.md",
                          root / self.folder / self.slug / "index.md"):
            if candidate.is_file():
                return candidate
        return None

    def is_on_disk(self, root: Path) -> bool:
        folder = root / self.folder
        return (folder / f"{self.slug}.md").exists() or (folder / self.slug).exists()


@dataclass(frozen=True)
class Entry:
    file: PurePosixPath  # relative to the site
    made_private: bool = False  # by an import, because WordPress no longer published it


@dataclass
class Outcome:
    entries: dict[str, Entry] = field(default_factory=dict)  # items not written this run
    made_private: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)


def untrashed(slug: str) -> str:
    return TRASHED_SUFFIX.sub("", slug)


def read_manifest(root: Path) -> dict[str, Entry]:
    path = root / MANIFEST
    if not path.is_file():
        return {}
    try:
        items = json.loads(path.read_text(encoding="utf-8"))["items"]
        return {str(post_id): _entry(value) for post_id, value in items.items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise VeilError([Problem(
            Location(path), f"this record of earlier imports cannot be read ({exc})",
            "restore it from a backup or from git: without it, posts trashed or deleted in "
            "WordPress since the last import are not found to be made private")]) from None


def _entry(value: object) -> Entry:
    if not isinstance(value, dict) or not isinstance(value.get("file"), str):
        raise ValueError(f"an item is not a file and a flag: {value!r}")
    file = PurePosixPath(value["file"])
    if file.suffix != ".md" or ".." in file.parts or not (
            file.parent in CONTENT_FOLDERS or file.parent.parent in CONTENT_FOLDERS):
        raise ValueError(f"{file} is not a post or page in content/")
    return Entry(file, bool(value.get("made_private", False)))


def write_manifest(root: Path, entries: Mapping[str, Entry]) -> None:
    items = {post_id: {"file": entries[post_id].file.as_posix(),
                       **({"made_private": True} if entries[post_id].made_private else {})}
             for post_id in sorted(entries, key=lambda key: (len(key), key))}
    record = {"about": "Which file each WordPress post and page was imported to, by its "
                       "WordPress id: `veil import wordpress` reads it to update, move or "
                       "make private its earlier files. Never published.",
              "items": items}
    path = root / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def reconcile(root: Path, earlier: Mapping[str, Entry], wanted: Mapping[str, Place],
              why_not_published: Mapping[str, str], *, dry_run: bool) -> Outcome:
    """Before this run writes its items (`wanted`: where each goes, by id): make private
    the earlier files of items it no longer writes, and move those whose slug changed.

    `why_not_published` says why an item in the export is not written (e.g. "in the
    WordPress trash"); an earlier item missing from it was deleted or left out."""
    disk = _Disk(root, dry_run, claimed=set(wanted.values()))
    outcome = Outcome()
    for post_id, entry in earlier.items():  # first, to free their names for renamed posts
        if post_id in wanted:
            continue
        if entry.made_private:  # once made private, the writer decides: never again
            outcome.entries[post_id] = entry
            continue
        reason = why_not_published.get(post_id, "not in this export (deleted in WordPress, "
                                                "or left out of it)")
        hidden = _make_private(disk, entry.file, post_id, reason, outcome)
        if hidden is not None:
            outcome.entries[post_id] = Entry(hidden, made_private=True)
    for post_id, place in wanted.items():
        entry = earlier.get(post_id)
        if entry is not None and Place.of_file(entry.file) != place:
            _follow_rename(disk, entry.file, place, post_id, outcome)
    return outcome


def _follow_rename(disk: _Disk, earlier_file: PurePosixPath, place: Place, post_id: str,
                   outcome: Outcome) -> None:
    file = disk.current(earlier_file)
    if file is None:
        return
    if disk.is_free(place):
        moved = disk.move(file, place)
        outcome.moved.append(f"{file} → {moved} (id {post_id})")
        return
    reason = f"its slug is now `{place.slug}`, whose file was there already"
    _make_private(disk, earlier_file, post_id, reason, outcome)


def _make_private(disk: _Disk, earlier_file: PurePosixPath, post_id: str, reason: str,
                  outcome: Outcome) -> PurePosixPath | None:
    """Make the earlier file private where it is, or beside it when this run writes
    another post there; set it aside, outside content/, when its front matter cannot be
    edited. None when there is no such file any more."""
    file = disk.current(earlier_file)
    if file is None:
        return None
    text = _read(disk.root / file)
    private = private_text(text, disk.root / file) if text is not None else None
    if text is None or private is None:
        aside = disk.set_aside(file, post_id)
        outcome.set_aside.append(f"{file} → {aside} (id {post_id}): {reason}")
        return None
    moved_from = ""
    if Place.of_file(file) in disk.claimed:
        moved_from = f"{file} → "
        file = disk.move(file, disk.free_beside(Place.of_file(file), post_id))
        reason += "; a post of this export takes its name"
    if private != text:
        disk.write(file, private)
    if private != text or moved_from:
        outcome.made_private.append(f"{moved_from}{file} made private (id {post_id}): {reason}")
    return file


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None


def private_text(text: str, path: Path) -> str | None:
    """The file with `privacy: private` in its front matter and no circles, its lines
    otherwise as written; None when its front matter cannot be read or so edited."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].removeprefix("\ufeff").rstrip() != FENCES[0]:
        return None
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in FENCES), None)
    front = _front(lines, close, path)
    if close is None or front is None:
        return None
    if front.data.get("privacy") == "private" and not _protection(front):
        return text
    dropped = {index for key in ("privacy", *_protection(front))
               for index in _key_lines(lines, front, key, close)}
    newline = lines[0][len(lines[0].rstrip("\r\n")):] or "\n"
    edited = [lines[0], f"privacy: private{newline}",
              *(line for index, line in enumerate(lines[1:close], 1) if index not in dropped),
              *lines[close:]]
    after = _front(edited, close + 1 - len(dropped), path)
    kept = set(front.data) - {"privacy", *PROTECTION_KEYS}
    if after is None or after.data.get("privacy") != "private" or _protection(after) or \
            set(after.data) - {"privacy"} != kept:
        return None
    return "".join(edited)


def _front(lines: list[str], close: int | None, path: Path) -> YamlDocument | None:
    if close is None:
        return None
    front = parse_yaml_mapping("".join(lines[1:close]), path, first_line=2)
    return front if isinstance(front, YamlDocument) else None


def _protection(front: YamlDocument) -> list[str]:
    return [key for key in PROTECTION_KEYS if key in front.data]


def _key_lines(lines: list[str], front: YamlDocument, key: str, close: int) -> range:
    """The lines of a top-level key and its value, without the comments after it."""
    if key not in front.data:
        return range(0)
    first = front.data.key_lines[key]  # its line in the YAML is its index in `lines`
    end = min((line for line in front.data.key_lines.values() if line > first), default=close)
    while end - 1 > first and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return range(first, end)


@dataclass
class _Disk:
    """The site's files as this run changes them; in a dry run only imagined, so that the
    report still says what a real run would do."""

    root: Path
    dry_run: bool
    claimed: set[Place]  # where this run writes its items
    vacated: set[Place] = field(default_factory=set)
    taken: set[Place] = field(default_factory=set)

    def current(self, file: PurePosixPath) -> PurePosixPath | None:
        """The post's file now, flat or bundled, whichever it was made since."""
        place = Place.of_file(file)
        if place in self.vacated:
            return None
        found = place.file_in(self.root)
        return PurePosixPath(found.relative_to(self.root).as_posix()) if found else None

    def is_free(self, place: Place) -> bool:
        return place not in self.taken and (
            place in self.vacated or not place.is_on_disk(self.root))

    def free_beside(self, place: Place, post_id: str) -> Place:
        candidate, number = Place(place.folder, f"{place.slug}-{post_id}"), 1
        while candidate in self.claimed or not self.is_free(candidate):
            number += 1
            candidate = Place(place.folder, f"{place.slug}-{post_id}-{number}")
        return candidate

    def move(self, file: PurePosixPath, to: Place) -> PurePosixPath:
        """Move a post, with the files of its bundle, to another place."""
        bundled = file.name == "index.md"
        source = file.parent if bundled else file
        target = to.folder / (to.slug if bundled else f"{to.slug}.md")
        self._move(source, target)
        self.vacated.add(Place.of_file(file))
        self.vacated.discard(to)
        self.taken.add(to)
        return target / "index.md" if bundled else target

    def set_aside(self, file: PurePosixPath, post_id: str) -> PurePosixPath:
        """Move a post, with the files of its bundle, out of content/."""
        bundled = file.name == "index.md"
        source = file.parent if bundled else file
        folder, number = SET_ASIDE / post_id, 1
        while (self.root / folder / source.name).exists():
            number += 1
            folder = SET_ASIDE / f"{post_id}-{number}"
        self._move(source, folder / source.name)
        self.vacated.add(Place.of_file(file))
        return folder / source.name / "index.md" if bundled else folder / source.name

    def write(self, file: PurePosixPath, text: str) -> None:
        if not self.dry_run:
            (self.root / file).write_text(text, encoding="utf-8")

    def _move(self, source: PurePosixPath, target: PurePosixPath) -> None:
        if self.dry_run:
            return
        (self.root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.move(self.root / source, self.root / target)
