"""Work shared out between processes gives what one process would: the same results in
the same order, the same site byte for byte, and the first error."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from conftest import NOW, SiteDir
from veil.build import build_site
from veil.workers import can_fork, map_in_processes

needs_fork = pytest.mark.skipif(not can_fork(), reason="this platform cannot fork")


def _square_with_pid(item: int, offset: Any) -> tuple[int, int]:
    time.sleep(0.002)  # long enough that the workers have started before it is all done
    return item * item + offset, os.getpid()


def _fails_on_seventy(item: int, _shared: Any) -> int:
    if item == 70:
        raise ValueError("seventy")
    return item


@needs_fork
def test_results_come_back_in_order_from_this_process_and_the_workers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VEIL_JOBS", "3")
    seen = []
    results = map_in_processes(_square_with_pid, list(range(500)), 7,
                               progress=lambda done, total: seen.append((done, total)))
    assert [value for value, _ in results] == [n * n + 7 for n in range(500)]
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) >= 2  # this process takes a share too
    assert seen and all(total == 500 for _, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


@needs_fork
def test_an_error_in_any_share_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VEIL_JOBS", "2")
    with pytest.raises(ValueError, match="seventy"):
        map_in_processes(_fails_on_seventy, list(range(300)), None)


@needs_fork
def test_a_site_built_in_several_processes_is_the_site_built_in_one(
        site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    privacy = ("public", "public", "unlisted", "private")
    for number in range(120):  # enough to be shared out, in parsing and in pages
        site.post(f"p{number:03}", f"Entry number {number}", date=f"2024-02-{number % 28 + 1:02}",
                  privacy=privacy[number % 4], tags=f"[day{number % 5}]",
                  warnings="[self-harm]" if number % 6 == 0 else "[]",
                  body=f"Entry {number} has its own first paragraph, long enough to be "
                       f"a sentence the leak check looks for.\n\nAnd a second one, {number}.")
    built = {}
    for jobs in ("1", "2"):
        monkeypatch.setenv("VEIL_JOBS", jobs)
        shutil.rmtree(site.root / ".veil-cache", ignore_errors=True)
        out = tmp_path / f"out-{jobs}"
        result = build_site(site.root, out, now=NOW)
        assert result.rendered > 120
        built[jobs] = {p.relative_to(out).as_posix(): p.read_bytes()
                       for p in sorted(out.rglob("*")) if p.is_file()}
    assert built["1"] == built["2"]
    assert "posts/p003/index.html" not in built["2"]  # private
