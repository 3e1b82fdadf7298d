"""Make the outputs that changed, check them, and stage them for writing.

Each output has a fingerprint of everything it reads. An output is made again only when
its fingerprint differs from the one recorded when its file was written, or when that
file is not on disk as it was left. When the site's shape is the last build's, only the
outputs that read a changed body have their fingerprint taken again (see `reads`).
What is made is checked for leaks and, when its bytes differ from the file on disk,
written to a staging folder; nothing reaches the output folder until every output has
been made and checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import reads
from .audit import LeakCheck, Scan, image_problem
from .cache import OutputRecord
from .documents_check import named_in_document
from .errors import Problem, VeilError
from .outputs.base import Output, PageMaker
from .workers import map_in_processes


@dataclass(frozen=True, slots=True)
class Made:
    path: str
    key: str
    sha: str
    staged: bool  # its bytes differ from the file on record, so it is in staging
    reads: str  # the bodies its fingerprint read (`reads.encode`)
    scan: Scan  # what the leak check found in it
    problem: Problem | None = None


@dataclass(frozen=True, slots=True)
class Production:
    made: list[Made]  # outputs made again this build
    # outputs not made again whose fingerprint, taken again, read other bodies than recorded
    reread: dict[str, str] = field(default_factory=dict)
    fingerprinted: int = 0  # outputs whose fingerprint was taken

    @property
    def staged(self) -> list[Made]:
        return [m for m in self.made if m.staged]


DiskState = dict[str, tuple[int, int]]  # output path -> (size, mtime_ns) as found on disk


@dataclass(frozen=True, slots=True)
class Keyed:
    key: str
    reads: str  # the bodies read while the key was taken (`reads.encode`)
    data: bytes | None  # the output itself, when making it was the cheapest way to a key


def output_key(output: Output, maker: PageMaker, *, making: bool = False) -> Keyed:
    """The output's fingerprint, with the bodies it read; `making`: with the output itself
    (a page is then rendered from the context its fingerprint is taken of, not made anew)."""
    with reads.collecting() as body_reads:
        if output.key is not None:
            return Keyed(output.key(), reads.encode(body_reads), None)
        maker.keying, maker.keyed, maker.making_too, maker.made = True, False, making, None
        try:
            data = output.produce()
        finally:
            maker.keying = maker.making_too = False
    if maker.keyed:
        made, maker.made = maker.made, None
        return Keyed(data.decode(), reads.encode(body_reads), made)
    return Keyed("bytes:" + hashlib.sha256(data).hexdigest(), reads.encode(body_reads), data)


KEYS_IN_PROCESSES = 2000  # fingerprints are quick: worth other processes only for many


def _key(number: int, shared: tuple[list[Output], PageMaker]) -> Keyed:
    outputs, maker = shared
    return output_key(outputs[number], maker)


@dataclass(frozen=True, slots=True)
class _Job:
    outputs: list[Output]
    maker: PageMaker
    keyed: dict[int, Keyed]
    previous: dict[str, OutputRecord]
    on_disk: DiskState
    output: Path
    staging: Path
    check: LeakCheck
    # staging folders this process has made (one mkdir per output costs more than a set)
    folders_made: set[Path] = field(default_factory=set)


def produce_outputs(outputs: list[Output], maker: PageMaker, leak_check: Callable[[], LeakCheck],
                    previous: dict[str, OutputRecord], on_disk: DiskState, output: Path,
                    staging: Path, progress: Callable[[int, int], None] | None = None,
                    current_bodies: reads.CurrentBodies | None = None) -> Production:
    """`current_bodies`: this build's bodies, when the site's shape is the last build's
    (then an output that read only these keeps its recorded fingerprint)."""
    # An output without a record is made whatever its fingerprint: that is taken as it is
    # made, in the worker that makes it (a first build takes no fingerprint twice).
    recorded = [previous.get(o.path) for o in outputs]
    if current_bodies is None:
        to_key = [n for n, record in enumerate(recorded) if record is not None]
    else:
        hold = current_bodies.hold
        to_key = [n for n, record in enumerate(recorded) if record is not None
                  and (record.reads is None or not hold(record.reads))]
    keyed = dict(zip(to_key, map_in_processes(_key, to_key, (outputs, maker),
                                              minimum=KEYS_IN_PROCESSES), strict=True))
    # made again: new, fingerprint changed, or its file not as it was left
    dirty = [n for n, (o, record) in enumerate(zip(outputs, recorded, strict=True))
             if record is None or on_disk.get(o.path) != (record.size, record.mtime_ns)
             or (n in keyed and keyed[n].key != record.key)]
    reread = {outputs[n].path: k.reads for n, k in keyed.items()
              if (record := recorded[n]) is not None and record.reads != k.reads}
    if not dirty:
        return Production([], reread, len(keyed))
    check = leak_check()  # made before the workers start, so each of them has it
    check.prepare(len(dirty), frozenset(o.path for o in outputs))
    job = _Job(outputs, maker, keyed, previous, on_disk, output, staging, check)
    # Listings first, all made in this process: the views of listed posts they share are
    # then made in one process, not in each.
    listings = [n for n in dirty if outputs[n].shows_entries]
    # The others last planned first: feeds and the sitemap (planned after the pages) take
    # much memory for a moment, which then adds to processes that have not grown yet.
    others = [n for n in reversed(dirty) if not outputs[n].shows_entries]
    made = map_in_processes(_make, listings + others, job, progress=progress,
                            here_first=len(listings))
    problems = [m.problem for m in made if m.problem is not None]
    problems += check.problems([m.scan for m in made])
    check.forget_outputs()
    if problems:
        raise VeilError(problems)
    return Production(made, reread, len(keyed) + recorded.count(None))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _make(number: int, job: _Job) -> Made:
    output = job.outputs[number]
    record = job.previous.get(output.path)
    keyed = job.keyed.get(number)
    if keyed is None and record is None:  # new: its fingerprint is taken now
        keyed = output_key(output, job.maker, making=True)
    elif keyed is None:  # kept its fingerprint, but its file is not as it was left
        assert record is not None and record.reads is not None
        keyed = Keyed(record.key, record.reads, None)
    data = keyed.data
    if data is None:
        data = output.produce()
    sha = hashlib.sha256(data).hexdigest()
    if record is not None:
        unchanged = (record.sha == sha
                     and job.on_disk.get(output.path) == (record.size, record.mtime_ns))
    else:  # no record (a new cache): the file already there may hold these very bytes
        unchanged = (job.on_disk.get(output.path, (-1, 0))[0] == len(data)
                     and _read(job.output / output.path) == data)
    if not unchanged:
        target = job.staging / output.path
        if target.parent not in job.folders_made:
            target.parent.mkdir(parents=True, exist_ok=True)
            job.folders_made.add(target.parent)
        target.write_bytes(data)
    return Made(output.path, keyed.key, sha, not unchanged, keyed.reads,
                job.check.scan(output.path, data),
                image_problem(output.path, data)
                or named_in_document(output, data, job.maker.site.config))
