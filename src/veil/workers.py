"""Share CPU-heavy work (Markdown, pages) out between processes, one per core.

Threads would not help: the work is Python code and holds the interpreter lock. Workers
are forked, so they start at once with everything the build knows; where forking is not
available, or the process already runs threads (the preview server), or the work is small,
it runs here instead.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MINIMUM_ITEMS = 48  # fewer than this is faster in one process
_job: tuple[Callable[[Any, Any], Any], Any] | None = None


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
                     progress: Callable[[int, int], None] | None = None) -> list[R]:
    """`[func(item, shared) for item in items]`, in order, spread over the cores."""
    workers = min(worker_count(), max(1, len(items) // max(1, minimum // 2)))
    results: list[R] = []
    if len(items) < minimum or workers < 2 or not can_fork():
        for item in items:
            results.append(func(item, shared))
            if progress is not None:
                progress(len(results), len(items))
        return results
    global _job
    _job = (func, shared)  # inherited by the forked workers, never pickled
    # The workers share this process's memory until they write to it. Garbage collection
    # in a worker would write to every object it looks at, copying the memory they
    # share; frozen objects are left alone.
    frozen_here = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunk = max(1, min(64, len(items) // (workers * 8)))
            for result in pool.imap(_run, items, chunksize=chunk):
                results.append(result)
                if progress is not None:
                    progress(len(results), len(items))
        return results
    finally:
        if frozen_here:
            gc.unfreeze()
        _job = None


def _run(item: Any) -> Any:
    assert _job is not None
    func, shared = _job
    return func(item, shared)
