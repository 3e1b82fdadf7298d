"""`veil serve` in real Chromium: a save shows up by itself; a broken file shows an overlay
over the last good page, and fixing it clears the overlay."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from conftest import SiteDir, post
from veil.serve import PreviewState, make_server
from veil.watch import Rebuilder, SiteWatcher


@pytest.fixture
def preview(site: SiteDir) -> Iterator[str]:
    site.post("hello", "Hello there", body="The first version of this post.")
    state = PreviewState()
    rebuilder = Rebuilder(site.root, site.out, on_done=state.publish)
    rebuilder.build()
    watcher = SiteWatcher(site.root, rebuilder.build, ignored=(site.out,))
    watcher.start()
    server = make_server(site.out, state, rebuilder.lock, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    time.sleep(0.3)
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    watcher.stop()


def test_live_reload_and_the_error_overlay(browser, site: SiteDir, preview: str) -> None:
    page = browser.new_page()
    page.goto(preview + "posts/hello/index.html")
    assert page.get_by_text("The first version").is_visible()
    time.sleep(0.3)  # the event stream connects

    site.post("hello", "Hello there", body="The second version, saved in an editor.")
    page.get_by_text("The second version").wait_for(timeout=10000)

    site.write("content/posts/hello.md", "---\ntitle: Hello there\ndate: 2024-13-45\n---\n\nX\n")
    overlay = page.locator("#veil-problem")
    overlay.wait_for(timeout=10000)
    assert "content/posts/hello.md:3" in overlay.inner_text()
    assert page.get_by_text("The second version").is_visible()  # the last good page stays

    site.write("content/posts/hello.md", post("Hello there", body="Fixed, third version."))
    page.get_by_text("Fixed, third version.").wait_for(timeout=10000)
    assert page.locator("#veil-problem").count() == 0
    page.close()
