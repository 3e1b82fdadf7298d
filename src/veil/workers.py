"""Share CPU-heavy work (Markdown, pages) out between processes, one per core.

Threads would not help: the work is Python code and holds the interpreter lock. Workers
are forked, so they start at once with everything the build knows; where forking is not
available, or the process already runs threads (the preview server), or the work is small,
it runs here instead.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from multiprocessing.sharedctypes import Synchronized
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MINIMUM_ITEMS = 48  # fewer than this is faster in one process
_job: _Job | None = None


def worker_count() -> int:
    configured = os.environ.get("VEIL_JOBS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return ("fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1)


def map_in_processes(func: Callable[[T, Any], R], items: Sequence[T], shared: Any,
                     *, minimum: int = MINIMUM_ITEMS,
                     progress: Callable[[int, int], None] | None = None,
                     here_first: int = 0) -> list[R]:
    """`[func(item, shared) for item in items]`, in order, spread over the cores: this
    process takes its share beside the forked workers (one process fewer holding a copy of
    what the workers change of the memory they share with it). The first `here_first`
    items are made by this process alone, before it takes its share of the others (what
    they make and keep, such as the views of listed posts, is then made in one process)."""
    workers = min(worker_count(), max(1, len(items) // max(1, minimum // 2)))
    if len(items) < minimum or workers < 2 or not can_fork():
        results: list[R] = []
        for item in items:
            results.append(func(item, shared))
            if progress is not None:
                progress(len(results), len(items))
        return results
    global _job
    context = multiprocessing.get_context("fork")
    rest = items[here_first:]
    chunk = max(1, min(64, len(rest) // (workers * 8)))
    # chunks are taken in turn from one counter, so a slow chunk holds up no one
    _job = _Job(func, shared, rest, chunk, context.Value("q", 0), context.Value("q", 0),
                len(items))
    # The workers share this process's memory until they write to it. Garbage collection
    # in a worker would write to every object it looks at, copying the memory they
    # share; frozen objects are left alone.
    frozen_here = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        _give_back_free_memory()
        with context.Pool(workers - 1) as pool:
            # One task a chunk: each chunk's results come back as soon as it is made (read
            # by the pool's thread here), so a worker never holds all of its results at
            # once, nor does this process receive them all at the end.
            theirs = [pool.apply_async(_take_one_chunk)
                      for _ in range(-(-len(rest) // chunk))]
            first = _make_here(items[:here_first], progress)
            done = _take_chunks(progress)
            for result in theirs:
                taken = result.get()
                if taken is not None:
                    done[taken[0]] = taken[1]
        if progress is not None:
            progress(len(items), len(items))  # the workers' last chunks may end after ours
        return first + [result for number in range(len(done)) for result in done[number]]
    finally:
        if frozen_here:
            gc.unfreeze()
        _job = None


def _give_back_free_memory() -> None:
    """Hand the pages the C allocator holds free back to the system (loading a site, or
    making a chunk of pages, leaves megabytes of them; glibc only)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL(None).malloc_trim  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


@dataclass(frozen=True, slots=True)
class _Job:
    """The work of one `map_in_processes`, inherited by the forked workers (never pickled)."""

    func: Callable[[Any, Any], Any]
    shared: Any
    items: Sequence[Any]
    chunk: int
    taken: Synchronized[int]  # chunks taken by any process
    finished: Synchronized[int]  # items done by any process
    total: int  # items, with those this process makes alone

    def count_done(self, items: int, progress: Callable[[int, int], None] | None) -> None:
        with self.finished.get_lock():
            self.finished.value += items
            finished = self.finished.value
        if progress is not None:
            progress(finished, self.total)

    def stop(self) -> None:
        with self.taken.get_lock():
            self.taken.value = len(self.items)  # past the last chunk

    def next_chunk(self) -> int | None:
        with self.taken.get_lock():
            number = self.taken.value
            if number * self.chunk >= len(self.items):
                return None
            self.taken.value = number + 1
            return number


def _take_chunks(progress: Callable[[int, int], None] | None = None) -> dict[int, list[Any]]:
    """Chunks of the job, in this process, until none is left: their results by number."""
    done = {}
    while (taken := _take_one_chunk(progress)) is not None:
        done[taken[0]] = taken[1]
    return done


def _take_one_chunk(progress: Callable[[int, int], None] | None = None
                    ) -> tuple[int, list[Any]] | None:
    """The next chunk of the job (one task of a worker): its number and results; None
    when none is left."""
    job = _job
    assert job is not None
    number = job.next_chunk()
    if number is None:
        return None
    start = number * job.chunk
    return number, _made(job, job.items[start:start + job.chunk], progress)


def _make_here(items: Sequence[Any], progress: Callable[[int, int], None] | None
               ) -> list[Any]:
    """`items`, made by this process alone, a chunk at a time."""
    job = _job
    assert job is not None
    return [result for start in range(0, len(items), job.chunk)
            for result in _made(job, items[start:start + job.chunk], progress)]


def _made(job: _Job, chunk: Sequence[Any], progress: Callable[[int, int], None] | None
          ) -> list[Any]:
    try:
        made = [job.func(item, job.shared) for item in chunk]
    except BaseException:
        job.stop()  # no process takes another chunk: the error ends the job
        raise
    job.count_done(len(made), progress)
    # Pages made and dropped leave free heap that the allocator keeps: handed back after
    # each chunk, the processes of a large build stay 10-20 MB smaller each.
    _give_back_free_memory()
    return made
