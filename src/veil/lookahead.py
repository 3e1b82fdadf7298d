"""Work whose result is needed later, done meanwhile in a forked process.

A new process that builds a large site has to know every output file's size and time
(at 10,000 posts about 0.15 s, mostly one folder per post). Loading the site does not
depend on them, so the other core looks at them while this one loads. Where forking is
not possible, the work is done here when it is needed.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable
from contextlib import suppress
from typing import Generic, TypeVar

from .workers import can_fork, worker_count

T = TypeVar("T")


class Lookahead(Generic[T]):
    """`work()`, started now in a forked process when `ahead`; `result()` waits for it.
    Anything that goes wrong over there is done again here, so the result is always this
    process's own answer to `work()` as of when it was started or asked for."""

    def __init__(self, work: Callable[[], T], *, ahead: bool = True):
        self._work = work
        self._pid = 0
        self._reading = -1
        self._result: tuple[T] | None = None
        if ahead and can_fork() and worker_count() > 1:
            self._start()

    def _start(self) -> None:
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the forked process: never returns
            code = 1
            try:
                os.close(reading)
                data = pickle.dumps(self._work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(writing, "wb") as pipe:
                    pipe.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(writing)
        self._pid, self._reading = pid, reading

    def result(self) -> T:
        if self._result is None:
            self._result = (self._collect(),)
        return self._result[0]

    def _collect(self) -> T:
        if not self._pid:
            return self._work()
        reading, self._reading = self._reading, -1  # closed by the `with`, come what may
        with os.fdopen(reading, "rb") as pipe:
            data = pipe.read()
        pid, self._pid = self._pid, 0
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:  # reaped already (SIGCHLD ignored): its exit is unknown
            return self._work()
        if os.waitstatus_to_exitcode(status) == 0:
            with suppress(Exception):
                return pickle.loads(data)  # type: ignore[no-any-return]
        return self._work()

    def cancel(self) -> None:
        """Stop the forked process if its result was not asked for."""
        if self._pid:
            with suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
            with suppress(OSError):
                os.waitpid(self._pid, 0)
            self._pid = 0
        if self._reading >= 0:
            with suppress(OSError):
                os.close(self._reading)
            self._reading = -1
