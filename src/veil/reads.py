"""Which rendered bodies an output reads, noted while its fingerprint is taken.

Each rendered body notes its key when any part of it (HTML, text, excerpt, links) is read.
While an output's fingerprint is taken, every body read is collected; the build keeps
that set beside the fingerprint. A later build of a site whose shape is the same (the same
documents with the same front matter, settings, templates and files) need not take that
output's fingerprint again unless one of the bodies it read has changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

_open: list[set[str]] = []  # the collections under way, innermost last


def note(body_key: str) -> None:
    for reads in _open:
        reads.add(body_key)


def note_all(body_keys: Iterable[str]) -> None:
    for reads in _open:
        reads.update(body_keys)


@contextmanager
def collecting() -> Iterator[set[str]]:
    """The keys of the bodies read inside the `with` block (also noted by any outer one)."""
    reads: set[str] = set()
    _open.append(reads)
    try:
        yield reads
    finally:
        _open.pop()


@contextmanager
def unnoted() -> Iterator[None]:
    """Reads inside the `with` block are noted by no collection under way."""
    saved = _open[:]
    _open.clear()
    try:
        yield
    finally:
        _open[:] = saved


def encode(reads: Iterable[str]) -> str:
    return "\n".join(sorted(reads))


def all_current(encoded: str, current: frozenset[str] | set[str]) -> bool:
    """Every body in `encoded` (as `encode` wrote it) is among `current`."""
    return not encoded or current.issuperset(encoded.split("\n"))


@dataclass(frozen=True, slots=True)
class CurrentBodies:
    """Which bodies read by an earlier build of a site of the same shape are still the
    site's: told by all of this build's keys, or, right after a build of this process
    (whose reads were all its own bodies), by the few keys gone since (`stale`)."""

    current: frozenset[str] = frozenset()
    stale: frozenset[str] | None = None

    def hold(self, encoded: str) -> bool:
        """Every body in `encoded` (as `encode` wrote it) is still the site's."""
        if self.stale is None:
            return all_current(encoded, self.current)
        # A key found inside another (never the case for keys of one length) only costs
        # a fingerprint taken again.
        return all(key not in encoded for key in self.stale)

    def hold_all(self, keys: tuple[str, ...]) -> bool:
        if self.stale is None:
            return self.current.issuperset(keys)
        return self.stale.isdisjoint(keys)
