"""The output folder: exactly this build's files, written only when they change, never lost.

What a deploy sees (rsync, a git-based host): an unchanged site changes no file; a build is
the same bytes wherever and whenever it runs; a post taken down leaves nothing behind; a
failed build leaves the previous site whole; veil refuses to replace a folder it must not.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import NOW, REPO, SiteDir
from veil.build import build_site
from veil.errors import VeilError


def png(rgb: tuple[int, int, int]) -> bytes:
    """A valid 1x1 PNG of one colour (images may be re-encoded to strip their metadata)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + bytes(rgb))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


PNG = png((120, 130, 140))
PDF = b"%PDF-1.4\n% a leaflet\n" + bytes(range(200, 256)) + b"\n%%EOF\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`, hidden ones included, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def stats(folder: Path) -> dict[str, tuple[int, int]]:
    """Inode and modification time of every file: what rsync and deploy tools compare."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def fill(site: SiteDir) -> SiteDir:
    """A small but complete site: posts, a tag, a series, a bundle, media and static files."""
    site.post("first-light", "First Light", date="2024-01-05", tags="[mornings]",
              series="Waking", body="The first light came in through the blinds. "
              '<a href="../media/docs/leaflet.pdf">A leaflet</a> lay on the sill.')
    site.post("second-light", "Second Light", date="2024-02-05", tags="[mornings, rest]",
              series="Waking", body="A second morning, slower than the first.")
    site.post("late-autumn", "Late Autumn", date="2023-10-10",
              body="Leaves, and a picture of the sea: ![a grey sea](../media/photos/sea.png)")
    site.write("content/posts/walk-to-the-sea/index.md", _bundle_post("Walk To The Sea"))
    site.write("content/posts/walk-to-the-sea/path.png", PNG)
    site.write("content/media/photos/sea.png", png((40, 60, 90)))
    site.write("content/media/docs/leaflet.pdf", PDF)
    site.write("static/favicon.ico", b"\x00\x00\x01\x00icon")
    site.write("static/js/extra/hello.txt", "hello from static\n")
    return site


def _bundle_post(title: str, privacy: str = "public") -> str:
    return (f"---\ntitle: {title}\ndate: 2024-03-01\nprivacy: {privacy}\n---\n\n"
            "We walked down to the water along the old path.\n\n"
            "![a narrow path between dunes](path.png)\n")


@pytest.fixture
def full(site: SiteDir) -> SiteDir:
    return fill(site)


# ---------------------------------------------------------------------------------------
# Writing only what changed
# ---------------------------------------------------------------------------------------


def test_second_build_with_nothing_changed_writes_nothing(full: SiteDir) -> None:
    first = full.build()
    assert first.report is not None and first.report.written == len(first.files)
    before_bytes, before_stats = snapshot(full.out), stats(full.out)

    second = full.build()
    assert second.report is not None
    assert (second.report.written, second.report.removed) == (0, 0)
    assert second.report.unchanged == len(second.files)
    assert snapshot(full.out) == before_bytes
    assert stats(full.out) == before_stats


def test_a_change_rewrites_only_the_files_whose_bytes_change(full: SiteDir) -> None:
    full.build()
    before_bytes, before_stats = snapshot(full.out), stats(full.out)

    full.post("late-autumn", "Late Autumn", date="2023-10-10",
              body="Leaves, rewritten: ![a grey sea](../media/photos/sea.png)")
    result = full.build()
    after_bytes, after_stats = snapshot(full.out), stats(full.out)

    changed = {rel for rel, data in after_bytes.items() if before_bytes.get(rel) != data}
    assert "posts/late-autumn/index.html" in changed
    assert result.report is not None and result.report.written == len(changed)
    assert result.report.removed == 0
    kept = {rel for rel in after_bytes if rel not in changed}
    assert "assets/style.css" in kept and "posts/walk-to-the-sea/path.png" in kept
    moved = sorted(rel for rel in kept if after_stats[rel] != before_stats[rel])
    assert moved == [], "files with the same bytes were rewritten"


def test_a_cname_in_static_does_not_make_every_build_write(full: SiteDir) -> None:
    """static/CNAME is published like any static file; an unchanged rebuild writes nothing."""
    full.write("static/CNAME", "blog.example.org\n")
    full.build()
    before_stats = stats(full.out)
    again = full.build()
    assert again.report is not None
    assert (again.report.written, again.report.removed) == (0, 0)
    assert stats(full.out) == before_stats


def test_the_command_says_when_nothing_changed(full: SiteDir, run_cli) -> None:
    assert run_cli("build", "--site", str(full.root)).code == 0
    again = run_cli("build", "--site", str(full.root))
    assert again.code == 0
    assert "Nothing changed" in again.out


# ---------------------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------------------


def test_two_builds_into_different_folders_are_byte_identical(full: SiteDir,
                                                              tmp_path: Path) -> None:
    build_site(full.root, tmp_path / "one", now=NOW)
    build_site(full.root, tmp_path / "two", now=NOW)
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert one and one == two


def test_the_site_folder_location_does_not_change_the_output(full: SiteDir,
                                                             tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere" / "another-name"
    shutil.copytree(full.root, moved)
    build_site(full.root, tmp_path / "here", now=NOW)
    build_site(moved, tmp_path / "there", now=NOW)
    assert snapshot(tmp_path / "here") == snapshot(tmp_path / "there")


def test_separate_processes_produce_the_same_bytes(full: SiteDir, tmp_path: Path) -> None:
    """Set and dict ordering differ between interpreter runs (PYTHONHASHSEED)."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "veil", "build", "--site", str(full.root),
                               "--output", str(out)], env=env, capture_output=True, text=True,
                              cwd=tmp_path, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        outputs.append(snapshot(out))
    assert outputs[0] == outputs[1]


# ---------------------------------------------------------------------------------------
# Nothing left behind
# ---------------------------------------------------------------------------------------


def test_post_made_private_leaves_no_file_behind(full: SiteDir) -> None:
    full.build()
    assert (full.out / "posts/walk-to-the-sea/index.html").is_file()
    assert (full.out / "posts/walk-to-the-sea/path.png").is_file()

    full.write("content/posts/walk-to-the-sea/index.md",
               _bundle_post("Walk To The Sea", privacy="private"))
    result = full.build()
    assert not (full.out / "posts/walk-to-the-sea").exists()
    assert [rel for rel in snapshot(full.out) if "walk-to-the-sea" in rel] == []
    for rel, data in snapshot(full.out).items():
        assert b"walk-to-the-sea" not in data, f"{rel} still links to the private post"
        assert b"Walk To The Sea" not in data, f"{rel} still names the private post"
    assert result.report is not None and result.report.removed >= 2


def test_renamed_post_leaves_nothing_behind(full: SiteDir) -> None:
    full.build()
    old = full.root / "content/posts/first-light.md"
    old.rename(old.with_name("dawn.md"))
    full.build()
    assert not (full.out / "posts/first-light").exists()
    assert (full.out / "posts/dawn/index.html").is_file()
    for rel, data in snapshot(full.out).items():
        assert b"first-light" not in data, f"{rel} still links to the old address"


def test_output_holds_nothing_but_this_builds_files(full: SiteDir) -> None:
    full.build()
    full.write("site/stale-page.html", "<p>from an older build</p>")
    full.write("site/posts/ghost/index.html", "<p>a post deleted long ago</p>")
    full.write("site/.DS_Store", b"\x00junk")
    result = full.build()
    on_disk = snapshot(full.out)
    assert set(on_disk) == set(result.files)
    assert all(on_disk[rel] == data for rel, data in result.files.items())
    assert result.report is not None and result.report.removed == 3
    empty = [d for d in full.out.rglob("*") if d.is_dir() and not any(d.iterdir())]
    assert empty == []
    beside = sorted(p.name for p in full.root.iterdir() if p.name != ".veil-cache")
    assert beside == ["content", "site", "static", "veil.yaml"], "staging folders left behind"


def test_git_folder_and_cname_survive_rebuilds(full: SiteDir) -> None:
    full.build()
    keep = {".git/HEAD": "ref: refs/heads/main\n", ".git/objects/ab/cdef": "blob",
            "CNAME": "blog.example.org\n", ".nojekyll": ""}
    for rel, text in keep.items():
        full.write(f"site/{rel}", text)

    full.build()  # nothing changed
    full.post("new-one", "A New One", date="2024-04-01", body="Something new to publish.")
    result = full.build()  # something changed: the folder is swapped
    assert result.report is not None and result.report.written > 0
    for rel, text in keep.items():
        assert (full.out / rel).read_text() == text, f"{rel} was lost"


# ---------------------------------------------------------------------------------------
# A failed build leaves the previous site whole
# ---------------------------------------------------------------------------------------

BREAKAGES: dict[str, Callable[[SiteDir], None]] = {
    "broken YAML in a post": lambda s: s.write(
        "content/posts/second-light.md", "---\ntitle: [unclosed\ndate: 2024-02-05\n---\nx\n"),
    "broken veil.yaml": lambda s: s.write("veil.yaml", "title: Test Blog\nbase_url: [oops\n"),
    "unknown front matter key": lambda s: s.post("typo", "Typo", date="2024-05-01",
                                                 sumary="misspelt"),
    "template syntax error": lambda s: s.write("templates/post.html", "{% if %}broken"),
    "two posts at one address": lambda s: s.post("other", "Other", date="2024-05-01",
                                                 slug="first-light"),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_failed_build_leaves_previous_output_byte_identical(full: SiteDir, run_cli,
                                                            breakage: str) -> None:
    full.build()
    full.write("site/.git/HEAD", "ref: refs/heads/main\n")
    full.write("site/CNAME", "blog.example.org\n")
    full.post("newer", "A Newer Post", date="2024-06-01", body="This one never got out.")
    before_bytes, before_stats = snapshot(full.out), stats(full.out)

    BREAKAGES[breakage](full)
    result = run_cli("build", "--site", str(full.root))
    assert result.code == 1, result.err
    assert "nothing was written" in result.err
    assert snapshot(full.out) == before_bytes
    assert stats(full.out) == before_stats
    hidden = sorted(p.name for p in full.root.iterdir() if p.name.startswith("."))
    assert hidden in ([], [".veil-cache"])  # the cache of the earlier build; no staging


def test_failed_build_raises_and_writes_no_first_site(site: SiteDir) -> None:
    site.write("content/posts/bad.md", "---\ntitle: Bad\ndate: not a date\n---\nx\n")
    with pytest.raises(VeilError):
        site.build()
    assert not site.out.exists()


# ---------------------------------------------------------------------------------------
# Refusing folders that a build would destroy
# ---------------------------------------------------------------------------------------

DANGEROUS: dict[str, Callable[[SiteDir, Path], Path]] = {
    "the site folder itself": lambda s, home: s.root,
    "the folder holding the site": lambda s, home: s.root.parent,
    "the content folder": lambda s, home: s.root / "content",
    "a folder inside content": lambda s, home: s.root / "content" / "posts",
    "the home folder": lambda s, home: home,
    "the file system root": lambda s, home: Path("/"),
}


@pytest.mark.parametrize("where", list(DANGEROUS))
def test_refuses_dangerous_output_folders(full: SiteDir, run_cli, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "diary.txt").write_text("keep me")
    monkeypatch.setenv("HOME", str(home))  # the test never risks the real home folder
    if where == "the file system root":
        # Belt and braces: should the refusal ever be missing, this build fails on its
        # content instead of reaching `/` (and the message check below fails).
        full.write("content/posts/broken.md", "---\ntitle: [unclosed\n---\n")
    output = DANGEROUS[where](full, home)
    before = snapshot(tmp_path)

    result = run_cli("build", "--site", str(full.root), "--output", str(output))
    assert result.code == 1
    assert "will not build into" in result.err
    assert str(output.resolve()) in result.err
    assert snapshot(tmp_path) == before
    assert (full.root / "content/posts/first-light.md").is_file()


OWN_FOLDERS: dict[str, tuple[str, str]] = {  # what: (output folder, a file inside it)
    "the site's own theme": ("themes/default", "themes/default/templates/post.html"),
    "a folder of static files": ("static/js", "static/js/extra/hello.txt"),
    "the templates folder": ("templates", "templates/post.html"),
}


@pytest.mark.parametrize("what", list(OWN_FOLDERS))
def test_refuses_to_replace_the_sites_own_folders(full: SiteDir, run_cli, what: str) -> None:
    folder, inside = OWN_FOLDERS[what]
    full.write("themes/default/templates/post.html", (REPO / "themes/default/templates/"
                                                      "post.html").read_text())
    full.write("templates/post.html", (REPO / "themes/default/templates/post.html").read_text())
    before = snapshot(full.root)
    result = run_cli("build", "--site", str(full.root), "--output", str(full.root / folder))
    assert result.code == 1, f"veil built into {folder}"
    assert "will not build into" in result.err
    assert (full.root / inside).is_file()
    assert snapshot(full.root) == before


def test_output_inside_static_does_not_publish_itself(full: SiteDir, run_cli) -> None:
    """Building into static/public must be refused, or the next build copies the old
    output into the new one (static/ is published as it is), growing with every build."""
    output = str(full.root / "static" / "public")
    first = run_cli("build", "--site", str(full.root), "--output", output)
    if first.code == 1:
        assert "will not build into" in first.err
        return
    files_after_first = set(snapshot(Path(output)))
    second = run_cli("build", "--site", str(full.root), "--output", output)
    assert second.code == 0
    grown = sorted(set(snapshot(Path(output))) - files_after_first)
    assert grown == [], f"the second build published the first: {grown[:3]}"


def test_refuses_the_content_folder_as_a_relative_path(full: SiteDir, run_cli,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(full.root)
    result = run_cli("build", "--output", "content")
    assert result.code == 1
    assert "will not build into" in result.err
    assert not full.out.exists()


# ---------------------------------------------------------------------------------------
# Files copied as they are
# ---------------------------------------------------------------------------------------


def test_static_files_are_copied_to_the_site_root(full: SiteDir) -> None:
    full.write("static/CNAME", "blog.example.org\n")
    full.build()
    assert (full.out / "favicon.ico").read_bytes() == b"\x00\x00\x01\x00icon"
    assert (full.out / "js/extra/hello.txt").read_text() == "hello from static\n"
    assert (full.out / "CNAME").read_text() == "blog.example.org\n"
    full.write("static/CNAME", "moved.example.org\n")
    full.build()
    assert (full.out / "CNAME").read_text() == "moved.example.org\n"


def test_static_well_known_folder_is_copied(full: SiteDir) -> None:
    """docs/theming.md: static/ is copied to the site root as it is (... a `.well-known/`)."""
    full.write("static/.well-known/security.txt", "Contact: mailto:me@example.org\n")
    full.build()
    assert (full.out / ".well-known/security.txt").is_file(), \
        "static/.well-known/security.txt was not published"


def test_media_is_published_under_media(full: SiteDir) -> None:
    full.build()
    assert (full.out / "media/docs/leaflet.pdf").read_bytes() == PDF
    assert (full.out / "media/photos/sea.png").stat().st_size > 0
    page = (full.out / "posts/late-autumn/index.html").read_text()
    assert 'src="../../media/photos/sea.png"' in page
    # a link written in HTML finds its file as a Markdown link does
    page = (full.out / "posts/first-light/index.html").read_text()
    assert '<a href="../../media/docs/leaflet.pdf">A leaflet</a>' in page


def test_media_that_no_post_shows_is_not_published_and_is_named(full: SiteDir) -> None:
    """A file in content/media/ may be meant for a hidden post in a way no link shows (a
    style, a script): only what a post in the clear shows is published."""
    full.write("content/media/docs/old-letter.pdf", PDF)
    result = full.build()
    assert not (full.out / "media/docs/old-letter.pdf").exists()
    assert (full.out / "media/docs/leaflet.pdf").is_file()
    assert [w.message for w in result.warnings if "old-letter.pdf" in w.message] == [
        "1 file(s) in content/ that no post or page links to or shows are not "
        "published: `media/docs/old-letter.pdf`"]


def test_bundle_images_sit_beside_the_post_page(full: SiteDir) -> None:
    full.build()
    assert (full.out / "posts/walk-to-the-sea/path.png").is_file()
    page = (full.out / "posts/walk-to-the-sea/index.html").read_text()
    assert 'src="path.png"' in page
    assert not (full.out / "posts/walk-to-the-sea/index.md").exists()

