"""The `veil` command as a writer meets it: init, new, build, check, exit codes."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

import veil
from conftest import BASIC_CONFIG, CliRun, SiteDir, jpeg

Run = Callable[..., CliRun]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), text
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def run_module(*args: str, cwd: Path, env: dict[str, str] | None = None
               ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "veil", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


# --- veil init -------------------------------------------------------------------------

def test_init_makes_a_site_with_an_example_post_that_builds_at_once(
        tmp_path: Path, run_cli: Run) -> None:
    folder = tmp_path / "myblog"
    made = run_cli("init", str(folder))
    assert made.code == 0, made.err
    assert (folder / "veil.yaml").is_file()
    posts = sorted((folder / "content" / "posts").glob("*.md"))
    assert posts, "no example post"
    ignored = (folder / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert any(line.strip().strip("/") == "site" for line in ignored), ignored
    assert any(line.strip().strip("/") == "secrets.yaml" for line in ignored), ignored
    secrets = folder / "secrets.yaml"
    assert secrets.stat().st_mode & 0o077 == 0, "secrets.yaml is readable by others"
    assert re.search(r'^address_key: "[0-9a-f]{48}"$', secrets.read_text(encoding="utf-8"),
                     re.M), "no address key for protected posts"

    built = run_cli("build", "--site", str(folder))
    assert built.code == 0, built.err
    assert "warning" not in built.err
    example_title = str(front_matter(posts[0])["title"])
    slug = posts[0].stem
    page = folder / "site" / "posts" / slug / "index.html"
    assert page.is_file(), "the example post is not published by the first build"
    assert example_title in (folder / "site" / "index.html").read_text(encoding="utf-8")
    assert (folder / "site" / "feed.xml").is_file()


def test_init_then_build_publishes_the_example_post_east_of_utc(tmp_path: Path) -> None:
    """A writer in Tokyo runs `veil init` and `veil build`: the welcome post must show.

    The example post's date must not lie in the future for the site's own time zone.
    """
    env = {**os.environ, "TZ": "Asia/Tokyo"}
    made = run_module("init", "blog", cwd=tmp_path, env=env)
    assert made.returncode == 0, made.stderr
    built = run_module("build", "--site", "blog", cwd=tmp_path, env=env)
    assert built.returncode == 0, built.stderr
    posts = sorted((tmp_path / "blog" / "content" / "posts").glob("*.md"))
    published = sorted(p.name for p in (tmp_path / "blog" / "site" / "posts").glob("*")
                       ) if (tmp_path / "blog" / "site" / "posts").is_dir() else []
    assert published == [p.stem for p in posts], (
        f"example post dated {front_matter(posts[0])['date']} was withheld as future-dated")


def test_init_refuses_an_existing_site(tmp_path: Path, run_cli: Run) -> None:
    folder = tmp_path / "blog"
    assert run_cli("init", str(folder)).code == 0
    (folder / "veil.yaml").write_text(BASIC_CONFIG, encoding="utf-8")
    before = tree(folder)
    again = run_cli("init", str(folder))
    assert again.code == 2
    assert "already" in again.err
    assert tree(folder) == before


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path, run_cli: Run) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "diary.txt").write_text("mine", encoding="utf-8")
    result = run_cli("init", str(folder))
    assert result.code == 2
    assert "not empty" in result.err
    assert tree(folder) == {"diary.txt": b"mine"}


# --- veil new ---------------------------------------------------------------------------

def test_new_writes_a_draft_with_canonical_warnings_and_series_parts(
        site: SiteDir, run_cli: Run) -> None:
    site.write("veil.yaml", BASIC_CONFIG)
    first = run_cli("new", "Title", "--warning", "sa", "--warning", "self harm",
                    "--series", "S", "--site", str(site.root))
    assert first.code == 0, first.err
    path = site.root / "content" / "posts" / "title.md"
    assert path.is_file()
    meta = front_matter(path)
    assert meta["title"] == "Title"
    assert meta["warnings"] == ["sexual assault", "self-harm"]
    assert meta["series"] == "S"
    assert meta["part"] == 1
    assert meta["draft"] is True
    assert meta.get("date")

    second = run_cli("new", "Another part", "--series", "S", "--site", str(site.root))
    assert second.code == 0, second.err
    assert front_matter(site.root / "content" / "posts" / "another-part.md")["part"] == 2

    built = run_cli("build", "--site", str(site.root))
    assert built.code == 0, built.err
    assert not (site.out / "posts" / "title").exists(), "a draft was published"
    for rel, data in site.files().items():
        assert b"posts/title" not in data and b"another-part" not in data, rel
    assert not (site.out / "series" / "s").exists()


def test_a_new_post_is_published_once_it_is_no_longer_a_draft(
        site: SiteDir, run_cli: Run) -> None:
    made = run_cli("new", 'Part 1: "Rupture"', "-w", "SH", "--site", str(site.root))
    assert made.code == 0, made.err
    path = next((site.root / "content" / "posts").glob("*.md"))
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"),
                    encoding="utf-8")
    built = run_cli("build", "--site", str(site.root))
    assert built.code == 0, built.err
    page = site.read(f"posts/{path.stem}/index.html")
    assert '<h1 class="post-title">Part 1: "Rupture"</h1>' in html.unescape(page)
    assert "self-harm" in page


def test_new_with_an_unknown_warning_term_suggests_a_known_one(
        site: SiteDir, run_cli: Run) -> None:
    result = run_cli("new", "Lost time", "--warning", "dissociaton", "--site", str(site.root))
    assert result.code == 0, result.err
    assert "did you mean `dissociation`" in result.err
    meta = front_matter(site.root / "content" / "posts" / "lost-time.md")
    assert meta["warnings"] == ["dissociaton"]  # kept as written, not silently dropped
    assert run_cli("build", "--site", str(site.root)).code == 0


def test_new_refuses_to_overwrite_a_post(site: SiteDir, run_cli: Run) -> None:
    site.post("title", "Already here", body="Precious words.")
    before = tree(site.root)
    result = run_cli("new", "Title", "--site", str(site.root))
    assert result.code == 2
    assert tree(site.root) == before


# --- usage errors ---------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    (),
    ("build", "--no-such-option"),
    ("publish",),
    ("new",),
    ("init",),
])
def test_usage_errors_exit_2(args: tuple[str, ...], run_cli: Run, tmp_path: Path) -> None:
    result = run_cli(*args)
    assert result.code == 2
    assert "usage:" in result.err
    assert "Traceback" not in result.err


def test_version_from_python_dash_m(tmp_path: Path) -> None:
    result = run_module("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert veil.__version__ in result.stdout + result.stderr


# --- warnings, --strict ------------------------------------------------------------------

WARNING_CASES = {
    "unknown warning term": (
        "---\ntitle: Hard day\ndate: 2024-01-01\nwarnings: [dissociaton]\n---\n\nWords.\n",
        4, "dissociaton"),
    "broken link": (
        "---\ntitle: Hard day\ndate: 2024-01-01\n---\n\nIntro.\n\nSee [this](nowhere.md).\n",
        8, "nowhere.md"),
    "missing alt text": (
        "---\ntitle: Hard day\ndate: 2024-01-01\n---\n\nIntro.\n\n![](../media/sea.jpg)\n",
        8, "alt"),
}


@pytest.mark.parametrize("case", sorted(WARNING_CASES))
def test_strict_turns_a_warning_into_an_error(case: str, site: SiteDir, run_cli: Run) -> None:
    text, line, phrase = WARNING_CASES[case]
    site.write("content/posts/hard.md", text)
    site.write("content/media/sea.jpg", jpeg(4, 4))

    plain = run_cli("build", "--site", str(site.root))
    assert plain.code == 0, plain.err
    warning_lines = [ln for ln in plain.err.splitlines()
                     if ln.startswith(f"content/posts/hard.md:{line}: warning:")]
    assert warning_lines, plain.err
    assert any(phrase in ln for ln in warning_lines), plain.err
    assert "fix:" in plain.err
    before = tree(site.out)

    strict = run_cli("build", "--strict", "--site", str(site.root))
    assert strict.code == 1, strict.err
    assert f"content/posts/hard.md:{line}: error:" in strict.err
    assert "Traceback" not in strict.err
    assert tree(site.out) == before, "a failed strict build changed the output"

    checked = run_cli("check", "--strict", "--site", str(site.root))
    assert checked.code == 1
    assert f"content/posts/hard.md:{line}: error:" in checked.err


# --- check, --output -------------------------------------------------------------------

def test_check_validates_and_writes_nothing(site: SiteDir, run_cli: Run) -> None:
    site.post("hello", "Hello", body="Words [and a link](nowhere.md).")
    before = tree(site.root)
    result = run_cli("check", "--site", str(site.root))
    assert result.code == 0, result.err
    assert "content/posts/hello.md:6: warning:" in result.err
    assert tree(site.root) == before
    assert not site.out.exists()
    assert not any(p.name.startswith(".") for p in site.root.parent.iterdir())


def test_build_into_another_output_folder(site: SiteDir, run_cli: Run, tmp_path: Path) -> None:
    site.post("hello", "Hello", body="Words here.")
    elsewhere = tmp_path / "public" / "www"
    result = run_cli("build", "--site", str(site.root), "--output", str(elsewhere))
    assert result.code == 0, result.err
    assert "Words here." in (elsewhere / "posts" / "hello" / "index.html").read_text("utf-8")
    assert (elsewhere / "feed.xml").is_file()
    assert not site.out.exists()

    again = run_cli("build", "--site", str(site.root), "--output", str(elsewhere))
    assert again.code == 0
    assert re.search(r"up to date|0 written", again.out), again.out


def test_build_refuses_to_replace_the_site_folder_itself(site: SiteDir, run_cli: Run) -> None:
    site.post("hello", "Hello")
    before = tree(site.root)
    result = run_cli("build", "--site", str(site.root), "--output", str(site.root))
    assert result.code in (1, 2)
    assert "Traceback" not in result.err
    assert tree(site.root) == before
