"""In a real browser, a warned post stays closed until the reader chooses to open it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SiteDir, jpeg

BODY = "The sentence behind the warning that nobody should meet unasked."


@pytest.fixture
def warned_site(site: SiteDir) -> Path:
    site.post("hard", "A hard week", warnings="[dissociation, sh]",
              summary="Getting through it.", body=f"{BODY}\n\n![a window](../media/w.png)")
    site.post("easy", "An easy day", date="2024-02-01", body="Sunshine.")
    site.write("content/media/w.png", jpeg(10, 10))
    site.build()
    return site.out


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_body_shows_only_after_the_reader_opens_the_warning(
        browser, serve, warned_site: Path, javascript: bool) -> None:
    base = serve(warned_site)
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(base + "posts/hard/index.html")

    summary = page.locator("details.content-warning > summary")
    assert "dissociation" in summary.inner_text()
    assert "self-harm" in summary.inner_text()
    body = page.get_by_text(BODY)
    assert not body.is_visible()
    if javascript:  # browsers load every image eagerly when scripts are off
        assert not any(url.endswith("w.png") for url in requested), \
            "an image behind a closed warning was fetched"

    summary.focus()
    page.keyboard.press("Enter")
    assert body.is_visible()
    context.close()


def test_listings_show_the_warning_before_any_excerpt(browser, serve, warned_site: Path) -> None:
    page = browser.new_page()
    page.goto(serve(warned_site) + "index.html")
    entry = page.locator("article, li").filter(has_text="A hard week").first
    text = entry.inner_text()
    assert "Content warning" in text
    assert BODY[:30] not in text
    assert not page.get_by_text(BODY[:30]).is_visible()
    page.close()
