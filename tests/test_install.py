"""veil installed the way a user installs it: a fresh venv, `pip install`, then init + build.

This proves that the default theme ships inside the package: the build runs far from the
source tree, so it cannot borrow the repository's themes/ folder. It takes about half a
minute; set VEIL_SKIP_INSTALL_TEST=1 to skip it locally.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(bool(os.environ.get("VEIL_SKIP_INSTALL_TEST")),
                                reason="VEIL_SKIP_INSTALL_TEST is set")


def run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_pip_install_then_init_and_build_outside_the_repo(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    work = tmp_path / "elsewhere"
    work.mkdir()
    assert REPO not in work.parents
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}

    run([sys.executable, "-m", "venv", venv], cwd=work, env=env)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    run([python, "-m", "pip", "install", "--quiet", REPO], cwd=work, env=env)

    where = run([python, "-c", "import veil, sys; print(veil.__file__)"], cwd=work, env=env)
    installed_at = Path(where.stdout.strip()).resolve()
    assert venv.resolve() in installed_at.parents, f"veil imported from {installed_at}"
    assert REPO.resolve() not in installed_at.parents

    veil = bin_dir / "veil"
    run([veil, "init", "blog"], cwd=work, env=env)
    built = run([veil, "build", "--site", "blog"], cwd=work, env=env)
    assert "Traceback" not in built.stderr

    out = work / "blog" / "site"
    theme_css = REPO / "themes" / "default" / "static" / "style.css"
    assert (out / "assets" / "style.css").read_bytes() == theme_css.read_bytes()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'rel="stylesheet" href="assets/style.css"' in home
    assert (out / "feed.xml").is_file()
    assert (out / "404.html").is_file()
