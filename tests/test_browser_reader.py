"""Reader safety and accessibility of the default theme, in real Chromium.

The demo blog (every page type: home, posts with and without warnings, series, tags,
archive, pages, preferences, staying safe, 404) is built once, with its quick exit aimed
at about:blank so that leaving needs no network.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import NOW, REPO
from veil.build import build_site

SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

PAGE_TYPES = {
    "home": "index.html",
    "home-page-2": "page/2/index.html",
    "post-warned": "posts/learning-to-stay-2/index.html",
    "post-several-warnings": "posts/when-time-goes-missing/index.html",
    "post-unwarned": "posts/the-walk-to-the-sea/index.html",
    "post-with-table": "posts/grounding-techniques/index.html",
    "post-unlisted": "posts/a-letter-to-my-therapist/index.html",
    "series-index": "series/index.html",
    "series": "series/learning-to-stay/index.html",
    "tags": "tags/index.html",
    "tag": "tags/therapy/index.html",
    "archive": "archive/index.html",
    "archive-year": "archive/2024/index.html",
    "page": "about/index.html",
    "support": "support/index.html",
    "preferences": "preferences/index.html",
    "staying-safe": "staying-safe/index.html",
    "404": "404.html",
    "post-protected": "posts/protected-*/index.html",  # its address is made from a hash
}


def _path(site: Path, pattern: str) -> str:
    if "*" not in pattern:
        return pattern
    return next(site.glob(pattern)).relative_to(site).as_posix()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo")
    for name in ("content", "warnings.yaml", "secrets.yaml"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    config = (REPO / "veil.yaml").read_text(encoding="utf-8")
    (root / "veil.yaml").write_text(config + "quick_exit:\n  url: about:blank\n",
                                    encoding="utf-8")
    build_site(root, root / "site", now=NOW)
    return root / "site"


@pytest.fixture(scope="module")
def base_url(demo: Path) -> Iterator[str]:
    import functools
    import http.server
    import threading

    from browser_fixtures import _QuietHandler

    handler = functools.partial(_QuietHandler, directory=str(demo))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def _entries_titled(page, text: str):
    return page.locator("[data-entry]").filter(has_text=text)


# ---------- Preferences ----------

def test_hide_from_lists_is_kept_across_reloads_and_honoured_on_every_list(
        browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "preferences/index.html")
    page.locator("fieldset").filter(has_text="dissociation").get_by_label(
        "Hide from lists").check()
    page.reload()
    assert page.locator("fieldset").filter(has_text="dissociation").get_by_label(
        "Hide from lists").is_checked()

    for listing, hidden_title in (
        ("index.html", "When time goes missing"),
        ("series/learning-to-stay/index.html", "going somewhere else"),
        ("tags/therapy/index.html", "going somewhere else"),
        ("archive/2025/index.html", "When time goes missing"),
    ):
        page.goto(base_url + listing)
        assert not _entries_titled(page, hidden_title).is_visible(), listing
        note = page.locator("[data-hidden-note]")
        assert "hidden by your preferences" in note.inner_text(), listing
        note.get_by_role("button").click()
        assert _entries_titled(page, hidden_title).is_visible(), listing
    context.close()


def test_show_without_asking_opens_only_posts_whose_every_warning_is_shown(
        browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "preferences/index.html")
    page.locator("fieldset").filter(has_text="dissociation").get_by_label(
        "Show without asking").check()

    page.goto(base_url + "posts/learning-to-stay-2/index.html")  # dissociation only
    assert page.locator("details.content-warning").get_attribute("open") is not None
    assert page.get_by_text("I lost parts of sessions").is_visible()

    page.goto(base_url + "posts/when-time-goes-missing/index.html")  # + flashbacks: ask
    assert page.locator("details.content-warning").get_attribute("open") is None
    assert not page.get_by_text("standing at the sink").is_visible()
    context.close()


def test_reset_and_no_request_when_a_preference_changes(browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "preferences/index.html")
    page.wait_for_load_state("networkidle")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    grief = page.locator("fieldset").filter(has_text="Loss and mourning")
    grief.get_by_label("Hide from lists").check()
    grief.get_by_label("Show without asking").check()
    page.get_by_role("button", name="Reset all").click()
    assert requests == []
    assert grief.get_by_label("Ask me").is_checked()
    assert page.evaluate("Object.keys(localStorage).length") == 0
    assert context.cookies() == []
    context.close()


# ---------- Quick exit ----------

@pytest.mark.parametrize("how", ["button", "shift-three-times"])
def test_quick_exit_replaces_the_page_and_back_does_not_return(
        browser, base_url: str, how: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "index.html")
    page.get_by_role("link", name="When time goes missing").click()
    page.wait_for_url("**/when-time-goes-missing/**")
    history_before = page.evaluate("history.length")

    if how == "button":
        page.get_by_role("link", name="Exit this page").click()
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url("about:blank")
    assert page.evaluate("history.length") == history_before

    page.go_back()
    assert "when-time-goes-missing" not in page.url
    assert page.url.endswith("/index.html")
    context.close()


def test_without_javascript_the_exit_is_a_plain_link(browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "posts/learning-to-stay-2/index.html")
    exit_link = page.get_by_role("link", name="Exit this page")
    assert exit_link.get_attribute("href") == "about:blank"
    assert page.locator("details.content-warning").get_attribute("open") is None
    assert "JavaScript" in page.goto(base_url + "preferences/index.html").text()
    context.close()


# ---------- Keyboard, focus, targets, zoom, motion ----------

def _focus_is_visible(page) -> bool:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
            || style.boxShadow !== 'none';
    }""")


def test_keyboard_alone_opens_a_warned_post_with_visible_focus(browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "posts/learning-to-stay-2/index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert _focus_is_visible(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert "Exit this page" in page.evaluate("document.activeElement.textContent")
    assert _focus_is_visible(page)

    for _ in range(40):
        page.keyboard.press("Tab")
        assert _focus_is_visible(page), page.evaluate("document.activeElement.outerHTML")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY" and page.evaluate(
                "document.activeElement.parentElement.classList.contains('content-warning')"):
            break
    else:
        pytest.fail("Tab never reached the warning's summary")
    assert not page.get_by_text("I lost parts of sessions").is_visible()
    page.keyboard.press("Enter")
    assert page.get_by_text("I lost parts of sessions").is_visible()
    context.close()


@pytest.mark.parametrize("name", ["home", "post-warned", "preferences", "series", "tag"])
def test_controls_are_at_least_24_pixels_and_nothing_moves(
        browser, base_url: str, name: str) -> None:
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(base_url + PAGE_TYPES[name])
    small = page.evaluate("""() => {
        const inText = el => el.closest('p, li, td, dd, blockquote, figcaption')
            && !el.closest(
                '.site-nav, .site-footer, .pagination, .safety-bar, .tag-links, .post-nav');
        return [...document.querySelectorAll('a[href], button, summary, input, label')]
            .filter(el => el.offsetParent !== null && !inText(el))
            .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect()])
            .filter(([, r]) => r.width < 24 || r.height < 24)
            .map(([html]) => html);
    }""")
    assert small == []
    moving = page.evaluate("""() => [...document.querySelectorAll('*')].filter(el => {
        const s = getComputedStyle(el);
        return s.animationName !== 'none' || parseFloat(s.transitionDuration) > 0;
    }).length""")
    assert moving == 0
    context.close()


def test_every_page_reads_at_400_percent_zoom_without_sideways_scrolling(
        browser, base_url: str, demo: Path) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    for name, path in PAGE_TYPES.items():
        page.goto(base_url + _path(demo, path))
        for details in page.locator("details").all():
            details.evaluate("d => d.open = true")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 320px"
    context.close()


# ---------- axe-core, screenshots, third parties ----------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_page_type(
        browser, base_url: str, demo: Path, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    other_origins: list[str] = []
    page.on("request", lambda request: other_origins.append(request.url)
            if not request.url.startswith(base_url) else None)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reports = []
    for name, path in PAGE_TYPES.items():
        page.goto(base_url + _path(demo, path))
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{scheme}.png"), full_page=True)
        for state in ("closed", "open"):
            if state == "open":
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
            results = axe.run(page, options={"runOnly": [
                "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]})
            if results.violations_count:
                reports.append(f"{name} ({state}, {scheme}):\n{results.generate_report()}")
    context.close()
    assert reports == [], "\n".join(reports)
    assert other_origins == []
