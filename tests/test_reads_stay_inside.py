"""veil reads only what is inside the site: links out of it are errors, never published."""

from __future__ import annotations

from pathlib import Path

from conftest import SiteDir


def test_a_symlink_out_of_the_content_folder_stops_the_build(
        site: SiteDir, run_cli, tmp_path: Path) -> None:
    outside = tmp_path / "diary.txt"
    outside.write_text("my real name and address", encoding="utf-8")
    site.post("p", "A post", body="Hello.")
    (site.root / "content" / "media").mkdir(parents=True)
    (site.root / "content" / "media" / "notes.txt").symlink_to(outside)
    (site.root / "content" / "posts" / "elsewhere").symlink_to(tmp_path, target_is_directory=True)
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "content/media/notes.txt" in result.err
    assert "content/posts/elsewhere" in result.err
    assert not site.out.exists()


def test_a_symlink_that_stays_inside_is_fine(site: SiteDir) -> None:
    site.write("content/media/real.txt", "a leaflet")
    (site.root / "content" / "media" / "alias.txt").symlink_to(site.root / "content" / "media"
                                                                / "real.txt")
    site.post("p", "A post", body="Hello. [The leaflet](../media/alias.txt).")
    site.build()
    assert (site.out / "media" / "alias.txt").read_text(encoding="utf-8") == "a leaflet"


def test_a_link_that_climbs_out_of_content_is_an_error(site: SiteDir, run_cli) -> None:
    site.post("p", "A post", body="See [my notes](../../../private/notes.md).")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "content/posts/p.md:6" in result.err and "outside content/" in result.err
