"""Broken sites: every mistake is reported as `file:line`, with a fix, and nothing is written.

Each folder of tests/sites_invalid/ is a small site with one kind of mistake (or several,
in `several_errors`). Its `expected.txt` lists, one a line,

    relative/path:line | a phrase of the message | a phrase of the fix (optional)

The site is copied into a temporary folder where a good version of it was built first,
so each test also proves that a failed build leaves the previous output as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, CliRun

CASES_DIR = REPO / "tests" / "sites_invalid"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "expected.txt").is_file())

GOOD_CONFIG = """\
title: A good blog
base_url: https://example.org/
author: Tester
"""

GOOD_POST = """\
---
title: Everything fine
date: 2024-01-05
tags: [writing]
---

A post that builds.
"""


@dataclass(frozen=True)
class Expected:
    location: str
    message: str
    fix: str | None


def expectations(case: str) -> list[Expected]:
    found = []
    for raw in (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split(" | ")]
        assert len(parts) in (2, 3), f"{case}/expected.txt: bad line {raw!r}"
        found.append(Expected(parts[0], parts[1], parts[2] if len(parts) == 3 else None))
    assert found, f"{case}/expected.txt lists nothing"
    return found


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def copy_case(case: str, into: Path) -> Path:
    """The broken site of `case`, copied to `into` (replacing its veil.yaml and content/)."""
    source = CASES_DIR / case
    for name in ("veil.yaml", "warnings.yaml", "content"):
        old = into / name
        if old.is_dir():
            shutil.rmtree(old)
        elif old.exists():
            old.unlink()
    for item in source.iterdir():
        if item.name == "expected.txt":
            continue
        if item.is_dir():
            shutil.copytree(item, into / item.name)
        else:
            shutil.copy2(item, into / item.name)
    return into


def problem_blocks(stderr: str) -> list[str]:
    """The stderr of a failed run, cut into problems: `file:line: error: ...` + its `fix:`."""
    blocks: list[str] = []
    for line in stderr.splitlines():
        if line.startswith((" ", "\t")) and blocks:
            blocks[-1] += "\n" + line
        else:
            blocks.append(line)
    return [b for b in blocks if ": error: " in b.splitlines()[0]]


def assert_reported(case: str, stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    blocks = problem_blocks(stderr)
    assert blocks, f"no `file:line: error:` line in:\n{stderr}"
    for want in expectations(case):
        at_location = [b for b in blocks if b.startswith(want.location + ": error: ")]
        assert at_location, f"nothing reported at {want.location} in:\n{stderr}"
        matching = [b for b in at_location if want.message in b.splitlines()[0]]
        assert matching, f"{want.location}: no message with {want.message!r} in:\n{stderr}"
        for block in matching:
            fix_lines = [ln.strip() for ln in block.splitlines()[1:]
                         if ln.strip().startswith("fix:")]
            assert fix_lines, f"no `fix:` line after:\n{block}"
            if want.fix:
                assert any(want.fix in ln for ln in fix_lines), (
                    f"{want.location}: the fix does not say {want.fix!r}:\n{block}")


def test_every_case_has_a_site_and_an_expectation() -> None:
    assert len(CASES) >= 18
    for case in CASES:
        folder = CASES_DIR / case
        assert (folder / "veil.yaml").is_file(), case
        assert (folder / "content").is_dir(), case
        for want in expectations(case):
            path, _, line = want.location.rpartition(":")
            assert (folder / path).is_file(), f"{case}: {path} does not exist"
            assert line.isdigit(), f"{case}: {want.location} has no line number"
            lines = (folder / path).read_text(encoding="utf-8").splitlines()
            assert 1 <= int(line) <= len(lines), f"{case}: {want.location} is past the end"


@pytest.mark.parametrize("case", CASES)
def test_a_broken_site_is_reported_and_the_previous_build_survives(
        case: str, tmp_path: Path, run_cli: Callable[..., CliRun]) -> None:
    root = tmp_path / "blog"
    (root / "content" / "posts").mkdir(parents=True)
    (root / "veil.yaml").write_text(GOOD_CONFIG, encoding="utf-8")
    (root / "content" / "posts" / "fine.md").write_text(GOOD_POST, encoding="utf-8")
    good = run_cli("build", "--site", str(root))
    assert good.code == 0, good.err
    before = snapshot(root / "site")
    assert "posts/fine/index.html" in before

    copy_case(case, root)
    result = run_cli("build", "--site", str(root))

    assert result.code == 1, result.out + result.err
    assert_reported(case, result.err)
    assert snapshot(root / "site") == before, "a failed build changed the previous output"
    leftovers = sorted(p.name for p in root.iterdir() if "staging" in p.name)
    assert not leftovers, f"staging folders left behind: {leftovers}"


@pytest.mark.parametrize("case", CASES)
def test_check_reports_the_same_problems_and_writes_nothing(
        case: str, tmp_path: Path, run_cli: Callable[..., CliRun]) -> None:
    (tmp_path / "blog").mkdir()
    root = copy_case(case, tmp_path / "blog")
    files_before = snapshot(tmp_path)

    checked = run_cli("check", "--site", str(root))
    built = run_cli("build", "--site", str(root))

    assert checked.code == 1, checked.out + checked.err
    assert_reported(case, checked.err)
    assert problem_blocks(checked.err) == problem_blocks(built.err)
    assert snapshot(tmp_path) == files_before, "check or a failed build wrote files"
    assert sorted(p.name for p in root.iterdir()) == sorted(
        p.name for p in (CASES_DIR / case).iterdir() if p.name != "expected.txt")


def test_several_errors_are_all_reported_in_one_run(
        tmp_path: Path, run_cli: Callable[..., CliRun]) -> None:
    root = tmp_path / "blog"
    root.mkdir()
    copy_case("several_errors", root)
    result = run_cli("build", "--site", str(root))
    assert result.code == 1
    reported_files = {b.split(":", 1)[0] for b in problem_blocks(result.err)}
    assert len(reported_files) >= 4, result.err
    assert len(problem_blocks(result.err)) == len(expectations("several_errors"))
    assert f"{len(expectations('several_errors'))} problems" in result.err


def test_an_unknown_privacy_value_never_publishes_the_post(
        tmp_path: Path, run_cli: Callable[..., CliRun]) -> None:
    root = tmp_path / "blog"
    root.mkdir()
    copy_case("unknown_privacy", root)
    result = run_cli("build", "--site", str(root), "--output", str(tmp_path / "out"))
    assert result.code == 1
    out = tmp_path / "out"
    published = b"".join(snapshot(out).values()) if out.exists() else b""
    assert b"never be published" not in published
    assert b"Only for me" not in published
