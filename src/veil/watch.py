"""Watch a site's sources and rebuild when they change.

Watchdog watches the site folder (directories, not files: editors save by writing a
temporary file and renaming it over the original). Events are gathered until the folder
has been quiet for a moment, so a burst of writes ends in one rebuild. A rebuild that
fails prints `file:line: message` and leaves the last good site in place; the watcher
itself never stops on bad input.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from .build import (
    BuildResult,
    BuildState,
    build_site,
    get_ready_for_saves,
    inputs_as_last_built,
)
from .cache import BuildCache, default_cache_dir
from .errors import Location, Problem, VeilError
from .pipeline.discover import is_ignored

WATCHED_FOLDERS = ("content", "templates", "themes", "static")
WATCHED_FILES = ("veil.yaml", "warnings.yaml", "secrets.yaml")
DEBOUNCE_SECONDS = 0.05  # an editor's save is a few writes within milliseconds


@dataclass(frozen=True)
class Rebuild:
    changed: tuple[str, ...]
    result: BuildResult | None
    problems: tuple[Problem, ...]  # empty when the build succeeded
    seconds: float
    rendered: int = 0  # pages rendered anew (the rest were the same as last time)
    missed: bool = False  # built for a change the watcher did not report

    @property
    def failed(self) -> bool:
        return self.result is None

    def summary(self) -> str:
        what = ", ".join(self.changed[:3]) + (" …" if len(self.changed) > 3 else "")
        cause = (f"after a change to {what}" if self.changed
                 else "after a change the watcher missed" if self.missed else "at start")
        if self.failed:
            return f"Build failed {cause}; the last good site stays."
        report = self.result.report if self.result else None
        counts = (f"{report.written} written, {report.removed} removed"
                  if report else "nothing written")
        outputs = len(self.result.files) if self.result else 0
        return (f"Built {cause}: {outputs} outputs, {self.rendered} pages rendered, {counts}, "
                f"in {self.seconds:.2f} s.")


class _Collector(FileSystemEventHandler):
    def __init__(self, root: Path, ignored: tuple[Path, ...], notify: Callable[[Path], None]):
        self.root = root
        self.ignored = ignored
        self.notify = notify

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        if event.is_directory and event.event_type == "modified":
            return  # the file event inside it says what changed
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw and self._relevant(Path(str(raw))):
                self.notify(Path(str(raw)))

    def _relevant(self, path: Path) -> bool:
        if any(path == folder or folder in path.parents for folder in self.ignored):
            return False
        try:
            rel = path.relative_to(self.root)
        except ValueError:
            return False
        if not rel.parts:
            return False
        if len(rel.parts) == 1:
            return rel.name in WATCHED_FILES or rel.name in WATCHED_FOLDERS
        if rel.parts[0] not in WATCHED_FOLDERS:
            return False
        return not any(is_ignored(Path(part), keep_hidden=rel.parts[0] == "static")
                       for part in rel.parts[1:])


class SiteWatcher:
    """Calls `on_change(paths)` once per burst of changes to the site's sources."""

    def __init__(self, root: Path, on_change: Callable[[set[Path]], None],
                 ignored: tuple[Path, ...] = (), debounce: float = DEBOUNCE_SECONDS):
        self.root = root.resolve()
        self.on_change = on_change
        self.debounce = debounce
        self._pending: set[Path] = set()
        self._last_event = 0.0
        self._wake = threading.Condition()
        self._stopped = False
        self._observer = Observer()
        self._handler = _Collector(self.root, tuple(p.resolve() for p in ignored), self._notify)
        self._scheduled: set[str] = set()
        # The site folder itself only for its own files; the source folders recursively,
        # so that the output folder and the build's staging are never watched.
        self._observer.schedule(self._handler, str(self.root), recursive=False)
        for name in WATCHED_FOLDERS:
            self._watch_folder(name)
        self._worker = threading.Thread(target=self._run, name="veil-rebuild", daemon=True)

    def start(self) -> None:
        self._observer.start()
        self._worker.start()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify_all()
        self._observer.stop()
        self._observer.join(timeout=5)
        self._worker.join(timeout=5)

    def _watch_folder(self, name: str) -> None:
        folder = self.root / name
        if name not in self._scheduled and folder.is_dir():
            self._scheduled.add(name)
            self._observer.schedule(self._handler, str(folder), recursive=True)

    def _notify(self, path: Path) -> None:
        if path.parent == self.root and path.name in WATCHED_FOLDERS:
            self._watch_folder(path.name)  # a source folder made after the watch began
        with self._wake:
            self._pending.add(path)
            self._last_event = time.monotonic()
            self._wake.notify_all()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                quiet_for = time.monotonic() - self._last_event
                if quiet_for < self.debounce:
                    self._wake.wait(self.debounce - quiet_for)
                    continue
                changed, self._pending = self._pending, set()
            self.on_change(changed)


class Rebuilder:
    """Builds the site on demand and remembers the outcome of the last build."""

    def __init__(self, root: Path, output: Path, *, preview_drafts: bool = False,
                 on_done: Callable[[Rebuild], None] | None = None,
                 cache_dir: Path | None = None):
        self.root = root.resolve()
        self.output = output
        self.preview_drafts = preview_drafts
        self.on_done = on_done
        self.lock = threading.Lock()  # held while the output folder is being replaced
        # held while the build state is used (the preview server waits only for `lock`)
        self.busy = threading.Lock()
        self.last: Rebuild | None = None
        self.state = BuildState(BuildCache(default_cache_dir(self.root, cache_dir)))
        self.state.cache.keep_in_memory = True  # parsed sources stay between rebuilds

    def get_ready_for_saves(self) -> None:
        """After the first build: what the first rebuild after a save needs, made now (a
        save meanwhile waits for it; the preview server does not)."""
        # on failure only time is lost: the first save makes it all
        with self.busy, suppress(Exception):
            get_ready_for_saves(self.state, self.root, self.output,
                                preview_drafts=self.preview_drafts)

    def build(self, changed: set[Path] | None = None) -> Rebuild:
        """A build after the watcher saw `changed` saved takes its word for which posts
        changed, so that the page is rebuilt at once; then every input is looked at, and a
        save the watcher missed (a privacy level changed, say) is built right after."""
        with self.busy:
            rebuild = self._build(changed, trust_watcher=bool(changed))
            if not rebuild.failed and changed:
                with self.lock:
                    missed = not inputs_as_last_built(self.state, self.root)
                if missed:
                    rebuild = self._build(set(), trust_watcher=False, missed=True)
            return rebuild

    def _build(self, changed: set[Path] | None, *, trust_watcher: bool,
               missed: bool = False) -> Rebuild:
        started = time.perf_counter()
        names = tuple(sorted(self._shown(p) for p in (changed or set())))
        result, problems = None, ()
        try:
            with self.lock:
                result = build_site(self.root, self.output, preview_drafts=self.preview_drafts,
                                    state=self.state, changed=changed,
                                    trust_watcher=trust_watcher)
        except VeilError as error:
            problems = error.problems
        except OSError as error:  # a file vanished mid-save; the next event rebuilds again
            problems = (Problem(Location(Path(error.filename or self.root)),
                                error.strerror or str(error)),)
        rebuild = Rebuild(names, result, problems, time.perf_counter() - started,
                          result.rendered if result else 0, missed)
        self.last = rebuild
        if self.on_done:
            self.on_done(rebuild)
        return rebuild

    def _shown(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)
