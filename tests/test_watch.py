"""Watch mode with real file-system events: every way editors save ends in a correct build."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import pytest

from conftest import SiteDir, post
from veil.watch import Rebuild, Rebuilder, SiteWatcher


class Watching:
    def __init__(self, site: SiteDir):
        self.site = site
        self.rebuilds: list[Rebuild] = []
        self.rebuilder = Rebuilder(site.root, site.out, on_done=self.rebuilds.append)
        self.rebuilder.build()
        self.watcher = SiteWatcher(site.root, self.rebuilder.build,
                                   ignored=(site.out, site.root / ".veil-cache"))

    def wait_for(self, condition: Callable[[], bool], timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.05)
        raise AssertionError("the site was not rebuilt in time")

    def page(self, name: str) -> str:
        path = self.site.out / "posts" / name / "index.html"
        return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.fixture
def watching(site: SiteDir) -> Iterator[Watching]:
    site.post("hello", "Hello there", body="The first version.")
    running = Watching(site)
    running.watcher.start()
    time.sleep(0.3)  # let the observer settle before the test touches files
    yield running
    running.watcher.stop()


def test_an_edit_rebuilds_the_post(watching: Watching) -> None:
    before = len(watching.rebuilds)
    watching.site.post("hello", "Hello there", body="The second version.")
    watching.wait_for(lambda: len(watching.rebuilds) > before)
    assert "The second version." in watching.page("hello")
    assert watching.rebuilds[-1].changed == ("content/posts/hello.md",)


def test_a_save_by_rename_over_the_original_rebuilds(watching: Watching) -> None:
    folder = watching.site.root / "content" / "posts"
    temporary = folder / ".hello.md.swp"
    temporary.write_text(post("Hello there", body="Saved the way vim saves."), encoding="utf-8")
    os.replace(temporary, folder / "hello.md")
    watching.wait_for(lambda: "Saved the way vim saves." in watching.page("hello"))


def test_a_deleted_post_leaves_the_site(watching: Watching) -> None:
    (watching.site.root / "content" / "posts" / "hello.md").unlink()
    watching.wait_for(lambda: not (watching.site.out / "posts" / "hello").exists())


def test_a_new_folder_with_a_post_in_it_is_built(watching: Watching) -> None:
    watching.site.write("content/posts/new-walk/index.md",
                        post("A new walk", body="Written in a new folder."))
    watching.wait_for(lambda: "Written in a new folder." in watching.page("new-walk"))


def test_a_burst_of_writes_ends_in_one_rebuild(watching: Watching) -> None:
    before = len(watching.rebuilds)
    for number in range(20):
        watching.site.post("hello", "Hello there", body=f"Version {number}.")
    watching.wait_for(lambda: "Version 19." in watching.page("hello"))
    time.sleep(0.5)
    assert len(watching.rebuilds) - before <= 2


def test_bad_input_keeps_the_last_good_site_and_the_watcher_alive(watching: Watching) -> None:
    good = watching.page("hello")
    watching.site.write("content/posts/hello.md", "---\ntitle: Broken\n")  # half-written
    watching.wait_for(lambda: watching.rebuilds[-1].failed)
    assert watching.page("hello") == good
    assert "content/posts/hello.md:1" in watching.rebuilds[-1].problems[0].format(
        watching.site.root.resolve())
    watching.site.post("hello", "Hello there", body="Fixed again.")
    watching.wait_for(lambda: "Fixed again." in watching.page("hello"))
