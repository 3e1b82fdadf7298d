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
from dataclasses import dataclass, field
from typing import Any, TypeVar

from . import __version__

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


@dataclass
class BuildMemo:
    markdown: _Table = field(default_factory=_Table)
    pages: _Table = field(default_factory=_Table)
    files: _Table = field(default_factory=_Table)

    def start_build(self) -> None:
        for table in (self.markdown, self.pages, self.files):
            table.next_build()

    @property
    def pages_rendered(self) -> int:
        return self.pages.made

    @property
    def pages_reused(self) -> int:
        return self.pages.reused
