"""Know in a moment that nothing changed since the last build.

After a build, veil remembers the size and time of every file the build could read (the
site's folders and settings, the built-in theme, veil itself), the build's options and the
first moment a dated post would appear or disappear. When all of that is the same, and the
output folder still holds exactly the files the build left, there is nothing to do: the
next build says so without loading the site. Files changed within the last two seconds
are never trusted this way (a coarse clock may hide a second change).
"""

from __future__ import annotations

import hashlib
import os
import time
from array import array
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from pathlib import Path
from typing import Any

from .cache import RACY_NS, BuildCache, OutputRecord
from .errors import Location, Problem
from .fingerprints import fingerprint
from .machine_key import seal
from .passwords import ADDRESS_KEY_ENV
from .pipeline.discover import is_ignored_name
from .themes import builtin_themes_dir
from .write import KEEP, file_stats

INPUT_FOLDERS = ("content", "static", "templates", "themes")
INPUT_FILES = ("veil.yaml", "warnings.yaml", "secrets.yaml")


@dataclass(frozen=True, slots=True)
class Inputs:
    """Fingerprints of the size and time of every input, with the newest time among them:
    of all of them, and of all but the Markdown documents (whose bodies a build follows
    one by one, see `shape`)."""

    everything: str
    newest: int
    besides_documents: str
    newest_besides_documents: int
    documents: dict[str, tuple[int, int]]  # path under content/ -> size, time
    taken_ns: int  # when the sizes and times were taken
    secrets: list[tuple[str, str]]  # the passwords and key given in the environment, sealed
    linked: frozenset[str]  # the documents that are symlinks (their targets may change)

    def trusted(self, newest: int) -> bool:
        """A file changed just before it was looked at may change again without its time
        moving (counted from when it was looked at, not from now: a build takes a while)."""
        return newest < self.settled_before

    @property
    def settled_before(self) -> int:
        """Files whose time is earlier than this are `trusted`."""
        return self.taken_ns - RACY_NS


def inputs_fingerprint(root: Path, options: Iterable[Any], *, last: Inputs | None = None,
                       reported: Collection[Path] = ()) -> Inputs | None:
    """None when the site cannot be looked at. With `last`, the inputs of the last build
    of this process, only the documents among `reported` (the files a watcher saw saved),
    new ones and links are looked at; the others are taken as they were. When the watcher
    saw only documents of the last build saved, nothing else is looked at. The caller
    looks at all of them afterwards (see `watch`)."""
    taken_ns = time.time_ns()
    content = root / "content"
    secrets = sorted((k, seal((v,)))
                     for k, v in os.environ.items()
                     if k.startswith("VEIL_PASSWORD_") or k == ADDRESS_KEY_ENV)
    if last is not None and secrets == last.secrets:
        saved = _with_saved_documents(last, content, reported, taken_ns)
        if saved is not None:
            return saved
    folders = [root / name for name in INPUT_FOLDERS] + [builtin_themes_dir(),
                                                         Path(__file__).parent]
    others: list[tuple[str, list[tuple[str, tuple[int, int]]]]] = []
    documents: dict[str, tuple[int, int]] = {}
    links: set[str] = set()
    known = None
    if last is not None:
        saved = {path.relative_to(content).as_posix() for path in reported
                 if path.is_relative_to(content)}
        known = {path: stat for path, stat in last.documents.items() if path not in saved}
    try:
        for folder in folders:
            # A theme may be linked in from elsewhere; content/ and static/ may not (but a
            # file there may be a link to another file there: its target's time counts).
            follow = folder.name in ("templates", "themes")
            # what discover leaves out of content/ and static/ is no input
            skip = {"content": is_ignored_name, "static": _ignored_in_static}.get(folder.name)
            stats = file_stats(folder, skip_anywhere=("__pycache__",), follow_links=follow,
                               follow_file_links=True, skip_name=skip,
                               known=known if folder == content else None,
                               links=links if folder == content else None)
            if folder == content:
                documents = {path: stat for path, stat in stats.items()
                             if (known is not None and path in known) or _is_document(path)}
                stats = {path: stat for path, stat in stats.items() if path not in documents}
            others.append((str(folder), sorted(stats.items())))
        for name in INPUT_FILES:
            path = root / name
            if path.exists():
                stat = path.stat()
                others.append((str(path), [("", (stat.st_size, stat.st_mtime_ns))]))
    except OSError:
        return None
    options = list(options)
    return _inputs(_digest(options, secrets, others), _newest(others), documents, taken_ns,
                   secrets, frozenset(links & documents.keys()))


def _inputs(besides_documents: str, newest_besides_documents: int,
            documents: dict[str, tuple[int, int]], taken_ns: int,
            secrets: list[tuple[str, str]], linked: frozenset[str]) -> Inputs:
    # names (which hold no NUL) and numbers as bytes: at 10,000 documents a repr of them
    # takes four times as long, most of a watch rebuild's look at its inputs
    names = sorted(documents)
    numbers = array("q", chain.from_iterable(map(documents.__getitem__, names)))
    listed_documents = hashlib.sha256("\0".join(names).encode("utf-8", "surrogatepass")
                                      + b"\0" + numbers.tobytes()).hexdigest()
    return Inputs(fingerprint("inputs", besides_documents, listed_documents),
                  max(newest_besides_documents, *(t for _, t in documents.values()), 0),
                  besides_documents, newest_besides_documents, documents, taken_ns, secrets,
                  linked)


def _with_saved_documents(last: Inputs, content: Path, reported: Collection[Path],
                          taken_ns: int) -> Inputs | None:
    """The last build's inputs with the size and time of the documents the watcher saw
    saved, and of the documents that are links (a save of its target changes one), looked
    at now; None when it saw anything else (a file that is gone, such as an editor's
    temporary file, matters not), or when the last build did not trust the times of the
    files besides documents (one may have changed again unseen)."""
    if not reported or not last.trusted(last.newest_besides_documents):
        return None
    documents = dict(last.documents)
    for path in [*reported, *(content / name for name in last.linked)]:
        name = path.relative_to(content).as_posix() if path.is_relative_to(content) else None
        if name is None or name not in documents:
            if os.path.lexists(path):
                return None
            continue
        try:
            stat = path.stat()
        except OSError:
            return None
        documents[name] = (stat.st_size, stat.st_mtime_ns)
    return _inputs(last.besides_documents, last.newest_besides_documents, documents,
                   taken_ns, last.secrets, last.linked)


def _ignored_in_static(name: str) -> bool:
    return is_ignored_name(name, keep_hidden=True)


def _is_document(path: str) -> bool:
    """A Markdown document, by its path inside content/ (see `discover`)."""
    return path.startswith(("posts/", "pages/")) and path.lower().endswith(".md")


def _digest(options: list[Any], secrets: list[tuple[str, str]],
            listed: list[tuple[str, list[tuple[str, tuple[int, int]]]]]) -> str:
    return fingerprint("inputs", options, secrets, hashlib.sha256(
        repr(listed).encode("utf-8", "surrogatepass")).hexdigest())


def _newest(listed: list[tuple[str, list[tuple[str, tuple[int, int]]]]]) -> int:
    return max((mtime for _, entries in listed for _, (_, mtime) in entries), default=0)


def remember(cache: BuildCache, output: Path, inputs: Inputs | None,
             valid_until: datetime | None, warnings: list[Problem]) -> None:
    """Record a good build; a build whose inputs changed just now is not recorded."""
    if inputs is None or not inputs.trusted(inputs.newest):
        cache.save_snapshot(output, None)
        return
    cache.save_snapshot(output, {
        "inputs": inputs.everything,
        "valid_until": valid_until.isoformat() if valid_until else None,
        "generation": cache.generation(output),
        "warnings": [[str(p.location.path), p.location.line, p.message, p.fix]
                     for p in warnings],
    })


def unchanged_since_last_build(
        cache: BuildCache, output: Path, inputs: Inputs | None, now: datetime,
        outputs_as_left: Callable[[], tuple[dict[str, tuple[int, int]],
                                            dict[str, OutputRecord]]]) -> list[Problem] | None:
    """The warnings of the last build when nothing changed since; None otherwise.
    `outputs_as_left`: the output folder's files and their records, asked for only when
    the inputs are as they were."""
    record = cache.snapshot(output)
    if record is None or inputs is None or record.get("inputs") != inputs.everything:
        return None
    if record.get("generation") != cache.generation(output):
        return None
    until = record.get("valid_until")
    try:
        if until is not None and now >= datetime.fromisoformat(str(until)):
            return None
        on_disk, records = outputs_as_left()
        if not _matches(records, on_disk):
            return None
        return [Problem(Location(Path(path), line), message, fix, is_error=False)
                for path, line, message, fix in record.get("warnings", [])]
    except (TypeError, ValueError):
        return None


def _matches(records: dict[str, OutputRecord], on_disk: dict[str, tuple[int, int]]) -> bool:
    if not records:
        return False
    for path, record in records.items():
        if on_disk.get(path) != (record.size, record.mtime_ns):
            return False
    return all(path in records or path in KEEP for path in on_disk)
