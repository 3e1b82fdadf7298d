"""Work shared out between processes gives what one process would: the same results in
the same order, the same site byte for byte, and an error raised in any of them.

Each check runs in a process of its own: forking is refused while other threads run, as
they may in this one after other tests.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import SiteDir

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="this platform cannot fork")

MAPPING = """
import json, os, sys, time
from veil.workers import map_in_processes

def square_with_pid(item, offset):
    time.sleep(0.002)  # long enough that the workers have started before it is all done
    if item == int(sys.argv[1]):
        raise ValueError("the failing item")
    return item * item + offset, os.getpid()

seen = []
try:
    results = map_in_processes(square_with_pid, list(range(500)), 7,
                               progress=lambda done, total: seen.append([done, total]))
except ValueError as error:
    print(json.dumps({"error": str(error)}))
else:
    print(json.dumps({"results": results, "seen": seen, "me": os.getpid()}))
"""


def _map(tmp_path: Path, jobs: str, failing: int = -1) -> dict[str, object]:
    script = tmp_path / "mapping.py"
    script.write_text(textwrap.dedent(MAPPING))
    done = subprocess.run([sys.executable, str(script), str(failing)], capture_output=True,
                          text=True, timeout=60, check=False,
                          env={**os.environ, "VEIL_JOBS": jobs})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@needs_fork
def test_results_come_back_in_order_from_this_process_and_the_workers(tmp_path: Path) -> None:
    found = _map(tmp_path, "3")
    results = found["results"]
    assert isinstance(results, list)
    assert [value for value, _ in results] == [n * n + 7 for n in range(500)]
    pids = {pid for _, pid in results}
    assert found["me"] in pids and len(pids) >= 2  # the calling process takes a share too
    seen = found["seen"]
    assert isinstance(seen, list) and seen and all(total == 500 for _, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == [500, 500]  # the line ends, whichever process did the last chunk


@needs_fork
def test_an_error_in_any_share_reaches_the_caller(tmp_path: Path) -> None:
    for failing in (3, 250, 499):  # in an early, a middle and the last chunk
        assert _map(tmp_path, "2", failing) == {"error": "the failing item"}


@needs_fork
def test_a_site_built_in_several_processes_is_the_site_built_in_one(
        site: SiteDir, tmp_path: Path) -> None:
    privacy = ("public", "public", "unlisted", "private")
    for number in range(120):  # enough to be shared out, in parsing and in pages
        site.post(f"p{number:03}", f"Entry number {number}", date=f"2024-02-{number % 28 + 1:02}",
                  privacy=privacy[number % 4], tags=f"[day{number % 5}]",
                  warnings="[self-harm]" if number % 6 == 0 else "[]",
                  body=f"Entry {number} has its own first paragraph, long enough to be "
                       f"a sentence the leak check looks for.\n\nAnd a second one, {number}.")
    built = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        done = subprocess.run(
            [sys.executable, "-m", "veil", "build", "--site", str(site.root), "--output",
             str(out), "--cache-dir", str(tmp_path / f"cache-{jobs}")],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "VEIL_JOBS": jobs})
        assert done.returncode == 0, done.stderr
        built[jobs] = {p.relative_to(out).as_posix(): p.read_bytes()
                       for p in sorted(out.rglob("*")) if p.is_file()}
    assert len(built["2"]) > 120
    assert built["1"] == built["2"]
    assert "posts/p003/index.html" not in built["2"]  # private


LOOKAHEAD = """
import json, os, time
from veil.lookahead import Lookahead

me = os.getpid()
ahead = Lookahead(lambda: [os.getpid(), "looked"])
elsewhere = ahead.result()
assert ahead.result() is elsewhere  # asked twice, done once

def only_here():
    if os.getpid() != me:
        raise RuntimeError("fails in the forked process")
    return [os.getpid(), "looked again"]

fallback = Lookahead(only_here).result()
slow = Lookahead(lambda: time.sleep(30))
started = time.monotonic()
slow.cancel()
print(json.dumps({"me": me, "elsewhere": elsewhere, "fallback": fallback,
                  "cancelled_in": time.monotonic() - started}))
"""


@needs_fork
def test_lookahead_works_in_a_forked_process_and_falls_back_to_this_one(
        tmp_path: Path) -> None:
    script = tmp_path / "lookahead.py"
    script.write_text(textwrap.dedent(LOOKAHEAD))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=60, check=False, env={**os.environ, "VEIL_JOBS": "2"})
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["elsewhere"][1] == "looked" and found["elsewhere"][0] != found["me"]
    assert found["fallback"] == [found["me"], "looked again"]
    assert found["cancelled_in"] < 5


NEW_CACHE_RACE = """
import os, shutil, sys, tempfile, time
from pathlib import Path
from veil.cache import BuildCache

lost = 0
for trial in range(60):
    folder = Path(tempfile.mkdtemp()) / "cache"
    start = time.time() + 0.03
    pids = []
    for who in range(2):
        pid = os.fork()
        if pid == 0:  # two workers of a first build keep their first bodies at once
            cache = BuildCache(folder)
            while time.time() < start:
                pass
            kept = cache.save_bodies([(f"{who}-{n}", "<p>body</p>") for n in range(24)])
            os._exit(0 if kept else 3)
        pids.append(pid)
    claimed = sum(24 for pid in pids if os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0)
    found = BuildCache(folder).has_bodies(f"{who}-{n}" for who in range(2) for n in range(24))
    lost += len(found) < claimed
    shutil.rmtree(folder.parent)
print(lost)
"""


@needs_fork
def test_bodies_that_processes_say_they_kept_in_a_new_cache_are_there(tmp_path: Path) -> None:
    """A body a worker says it kept is read back from the cache, not sent back: one that is
    not there would stop the build."""
    script = tmp_path / "race.py"
    script.write_text(textwrap.dedent(NEW_CACHE_RACE))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"
