"""Shared helpers: write a site into a temporary folder, build it, read its output."""

from __future__ import annotations

import os
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from veil.build import BuildResult, build_site
from veil.cli import main

pytest_plugins = ["browser_fixtures"]

REPO = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("UTC"))

BASIC_CONFIG = """\
title: Test Blog
base_url: https://example.org/blog/
author: Tester
description: A blog for tests.
posts_per_page: 3
"""


@pytest.fixture(autouse=True, scope="session")
def _state_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The user's state folder (where the key signing saved site models is made) is the
    session's own, not the home folder of whoever runs the tests."""
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))


def post(title: str, date: str = "2024-01-01", body: str = "Some words.", **front: object) -> str:
    """Markdown text of a post with the given front matter keys (values as YAML text)."""
    lines = ["---", f"title: {title}", f"date: {date}"]
    for key, value in front.items():
        lines.append(f"{key}: {value}")
    lines += ["---", "", textwrap.dedent(body).strip(), ""]
    return "\n".join(lines)


@dataclass
class SiteDir:
    root: Path

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def settle(self) -> None:
        """Move the times of files written in the last minute an hour back, as if the
        writer had saved them a while ago: a build trusts only times that are not just now
        (a coarse clock may hide a second change). Each file moves once, so every save
        still has a time of its own."""
        now = time.time_ns()
        for path in self.root.rglob("*"):
            if path.is_file() and not path.is_relative_to(self.out) and ".veil-cache" not in (
                    path.parts):
                stat = path.stat()
                if now - stat.st_mtime_ns < 60 * 10**9:
                    moved = stat.st_mtime_ns - 3600 * 10**9
                    os.utime(path, ns=(moved, moved))

    def post(self, name: str, title: str, **kwargs: object) -> Path:
        return self.write(f"content/posts/{name}.md", post(title, **kwargs))  # type: ignore[arg-type]

    @property
    def out(self) -> Path:
        return self.root / "site"

    def build(self, **kwargs: object) -> BuildResult:
        kwargs.setdefault("now", NOW)
        return build_site(self.root, **kwargs)  # type: ignore[arg-type]

    def read(self, rel: str) -> str:
        return (self.out / rel).read_text(encoding="utf-8")

    def files(self) -> dict[str, bytes]:
        return {p.relative_to(self.out).as_posix(): p.read_bytes()
                for p in sorted(self.out.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    """An empty, valid site: veil.yaml only. Add posts with `site.post(...)`."""
    made = SiteDir(tmp_path / "blog")
    made.write("veil.yaml", BASIC_CONFIG)
    return made


@dataclass
class CliRun:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliRun]:
    """Run the `veil` command in-process and capture what it prints."""

    def run(*args: str) -> CliRun:
        try:
            code = main(list(args))
        except SystemExit as exit_:  # argparse usage errors
            code = int(exit_.code or 0)
        captured = capsys.readouterr()
        return CliRun(code, captured.out, captured.err)

    return run


def jpeg(width: int, height: int, colour: tuple[int, int, int] = (90, 110, 130)) -> bytes:
    """A real JPEG image (published images are decoded and re-encoded without metadata)."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()


def image_size(path: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size
