"""What earlier builds in this process made, reused when the inputs are exactly the same.

`veil watch` and `veil serve` keep one `BuildMemo` across rebuilds: a Markdown body is
rendered again only when its text changes, a page only when something it shows changes
(its template context, or any template), an image only when its bytes change. Keys are
hashes of everything the result depends on, so a reused result is the one a clean build
would make. After each build only the entries that build used are kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from . import __version__
from .model import LinkNote, Rendered

T = TypeVar("T")


def fingerprint(*parts: Any) -> str:
    text = json.dumps([__version__, *parts], default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class _Table:
    previous: dict[str, Any] = field(default_factory=dict)
    current: dict[str, Any] = field(default_factory=dict)
    made: int = 0
    reused: int = 0

    def get_or_make(self, key: str, make: Callable[[], T]) -> T:
        if key in self.current:
            return self.current[key]  # type: ignore[no-any-return]
        if key in self.previous:
            self.reused += 1
            value = self.previous[key]
        else:
            self.made += 1
            value = make()
        self.current[key] = value
        return value  # type: ignore[no-any-return]

    def next_build(self) -> None:
        self.previous, self.current = self.current, {}
        self.made = self.reused = 0


class MarkdownStore:
    """Rendered Markdown kept on disk between runs, so a fresh `veil build` renders only the
    bodies that changed. Safe to delete; an entry that does not read back is ignored."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self.pending: dict[str, Rendered] = {}  # written by `flush`, after a good build

    def load(self, key: str) -> Rendered | None:
        rendered = self._read(key)
        if rendered is None:
            self.misses += 1
        else:
            self.hits += 1
        return rendered

    def _read(self, key: str) -> Rendered | None:
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            links = tuple(LinkNote(**note) for note in data["links"])
            rendered = Rendered(data["html"], data["excerpt"], data["text"], links)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not all(isinstance(v, str) for v in (rendered.html, rendered.excerpt, rendered.text)):
            return None
        return rendered

    def save(self, key: str, rendered: Rendered) -> None:
        self.pending[key] = rendered

    def flush(self) -> None:
        """Write what this build rendered; only a build that succeeded calls this, so a
        failed build or `veil check` leaves no trace."""
        pending, self.pending = self.pending, {}
        for key, rendered in pending.items():
            data = {"html": rendered.html, "excerpt": rendered.excerpt, "text": rendered.text,
                    "links": [asdict(note) for note in rendered.links]}
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                temporary = self.folder / f".{key}.tmp"
                temporary.write_text(json.dumps(data), encoding="utf-8")
                temporary.replace(self.folder / f"{key}.json")
            except OSError:
                return  # a cache that cannot be written only costs time


@dataclass
class BuildMemo:
    markdown: _Table = field(default_factory=_Table)
    store: MarkdownStore | None = None
    pages: _Table = field(default_factory=_Table)
    files: _Table = field(default_factory=_Table)

    def start_build(self) -> None:
        for table in (self.markdown, self.pages, self.files):
            table.next_build()

    def rendered_markdown(self, key: str, render: Callable[[], Rendered]) -> Rendered:
        """From this process, else from the disk store, else rendered now (and stored)."""
        store = self.store
        if store is None:
            return self.markdown.get_or_make(key, render)

        def from_store() -> Rendered:
            cached = store.load(key)
            if cached is not None:
                return cached
            made = render()
            store.save(key, made)
            return made

        return self.markdown.get_or_make(key, from_store)

    @property
    def pages_rendered(self) -> int:
        return self.pages.made

    @property
    def pages_reused(self) -> int:
        return self.pages.reused
