"""Problems found in a site's input, each tied to the file and line that caused it.

Every content problem is reported as ``file:line: message`` followed by the fix, so an
editor or terminal can jump straight to it. A build collects all of them before it stops.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Location:
    path: Path
    line: int | None = None

    def display(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None:
            with contextlib.suppress(ValueError):
                shown = self.path.relative_to(root)
        return f"{shown}:{self.line}" if self.line else str(shown)


@dataclass(frozen=True, slots=True)
class Problem:
    """One error or warning about the site's input."""

    location: Location
    message: str
    fix: str | None = None
    is_error: bool = True

    def format(self, root: Path | None = None) -> str:
        kind = "error" if self.is_error else "warning"
        text = f"{self.location.display(root)}: {kind}: {self.message}"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


class VeilError(Exception):
    """Raised when a build cannot go on; carries every problem found so far."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


@dataclass
class Diagnostics:
    """Collects errors and warnings so a build can report all of them at once."""

    strict: bool = False
    problems: list[Problem] = field(default_factory=list)

    def error(self, location: Location, message: str, fix: str | None = None) -> None:
        self.problems.append(Problem(location, message, fix, is_error=True))

    def warn(self, location: Location, message: str, fix: str | None = None) -> None:
        """A warning, or an error under ``--strict``."""
        self.problems.append(Problem(location, message, fix, is_error=self.strict))

    def warn_once(self, location: Location, message: str, fix: str | None = None) -> None:
        """`warn`, unless this very warning is already among the problems (one about the
        whole site, made again when a build resumes from the problems of an earlier one)."""
        problem = Problem(location, message, fix, is_error=self.strict)
        if problem not in self.problems:
            self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise VeilError(self.errors)


class UsageError(Exception):
    """A command was called wrongly (exit code 2), as opposed to bad content (exit code 1)."""
