"""Make the outputs that changed, check them, and stage them for writing.

Each output has a fingerprint of everything it reads. An output is made again only when
its fingerprint differs from the one recorded when its file was written, or when that
file is not on disk as it was left. What is made is checked for leaks and, when its bytes
differ from the file on disk, written to a staging folder; nothing reaches the output
folder until every output has been made and checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .audit import Finding, LeakCheck, image_problem
from .cache import OutputRecord
from .errors import Problem, VeilError
from .outputs.base import Output, PageMaker
from .workers import map_in_processes


@dataclass(frozen=True, slots=True)
class Made:
    path: str
    key: str
    sha: str
    staged: bool  # its bytes differ from the file on record, so it is in staging
    findings: tuple[Finding, ...] = ()
    problem: Problem | None = None


@dataclass(frozen=True, slots=True)
class Production:
    made: list[Made]  # outputs made again this build

    @property
    def staged(self) -> list[Made]:
        return [m for m in self.made if m.staged]


DiskState = dict[str, tuple[int, int]]  # output path -> (size, mtime_ns) as found on disk


def output_key(output: Output, maker: PageMaker) -> tuple[str, bytes | None]:
    """The output's fingerprint, and its bytes when making them was the cheapest way."""
    if output.key is not None:
        return output.key(), None
    maker.keying, maker.keyed = True, False
    try:
        data = output.produce()
    finally:
        maker.keying = False
    if maker.keyed:
        return data.decode(), None
    return "bytes:" + hashlib.sha256(data).hexdigest(), data


KEYS_IN_PROCESSES = 2000  # fingerprints are quick: worth other processes only for many


def _key(number: int, shared: tuple[list[Output], PageMaker]) -> tuple[str, bytes | None]:
    outputs, maker = shared
    return output_key(outputs[number], maker)


@dataclass(frozen=True, slots=True)
class _Job:
    outputs: list[Output]
    keys: list[str]
    made_early: dict[int, bytes]
    previous: dict[str, OutputRecord]
    on_disk: DiskState
    output: Path
    staging: Path
    check: LeakCheck


def produce_outputs(outputs: list[Output], maker: PageMaker, leak_check: Callable[[], LeakCheck],
                    previous: dict[str, OutputRecord], on_disk: DiskState, output: Path,
                    staging: Path,
                    progress: Callable[[int, int], None] | None = None) -> Production:
    keyed = map_in_processes(_key, range(len(outputs)), (outputs, maker),
                             minimum=KEYS_IN_PROCESSES)
    keys = [key for key, _ in keyed]
    made_early = {n: data for n, (_, data) in enumerate(keyed) if data is not None}
    dirty = [n for n, output in enumerate(outputs)
             if _is_dirty(output.path, keys[n], previous, on_disk)]
    if not dirty:
        return Production([])
    check = leak_check()  # made before the workers start, so each of them has it
    job = _Job(outputs, keys, made_early, previous, on_disk, output, staging, check)
    made = map_in_processes(_make, dirty, job, progress=progress)
    findings = [f for m in made for f in m.findings]
    problems = [m.problem for m in made if m.problem is not None]
    problems += check.problems(findings)
    if problems:
        raise VeilError(problems)
    return Production(made)


def _is_dirty(path: str, key: str, previous: dict[str, OutputRecord],
              on_disk: DiskState) -> bool:
    record = previous.get(path)
    return (record is None or record.key != key
            or on_disk.get(path) != (record.size, record.mtime_ns))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _make(number: int, job: _Job) -> Made:
    output = job.outputs[number]
    data = job.made_early.get(number)
    if data is None:
        data = output.produce()
    sha = hashlib.sha256(data).hexdigest()
    record = job.previous.get(output.path)
    if record is not None:
        unchanged = (record.sha == sha
                     and job.on_disk.get(output.path) == (record.size, record.mtime_ns))
    else:  # no record (a new cache): the file already there may hold these very bytes
        unchanged = (job.on_disk.get(output.path, (-1, 0))[0] == len(data)
                     and _read(job.output / output.path) == data)
    if not unchanged:
        target = job.staging / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return Made(output.path, job.keys[number], sha, not unchanged,
                tuple(job.check.findings(output.path, data)),
                image_problem(output.path, data))
