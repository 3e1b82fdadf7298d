"""Protected posts made by Python open in real Chromium (WebCrypto), and only with a password."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from conftest import NOW, SiteDir
from test_protected import SECRET_SENTENCE, TITLE, _protected_site
from veil.build import build_site

ACCENTED = "café au lait"  # typed below in its other Unicode form


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    site = _protected_site(SiteDir(tmp_path_factory.mktemp("protected") / "blog"))
    site.write("secrets.yaml", 'passwords:\n  close-friends: "tea and biscuits"\n'
               f'  therapist: "{unicodedata.normalize("NFC", ACCENTED)}"\n')
    site.write("content/posts/other.md", "---\ntitle: Another closed door\ndate: 2024-02-05\n"
               "privacy: protected\ncircles: [therapist]\n---\n\nA different secret.\n")
    build_site(site.root, site.out, now=NOW)
    page = next(p for p in (site.out / "posts").glob("protected-*/index.html")
                if "2 February 2024" in p.read_text(encoding="utf-8"))
    return site.out, page.parent.relative_to(site.out).as_posix() + "/index.html"


def _open_page(browser, serve, built, **context_options):
    out, path = built
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.goto(serve(out) + path)
    return context, page


def _unlock(page, password: str, remember: bool = False) -> None:
    page.get_by_label("Password").fill(password)
    if remember:
        page.get_by_label("Remember on this device").check()
    page.get_by_role("button", name="Open the post").click()


def test_the_right_password_opens_the_post_with_its_image(browser, serve, built) -> None:
    context, page = _open_page(browser, serve, built)
    assert page.title().startswith("Protected post")
    assert SECRET_SENTENCE not in page.content()
    _unlock(page, "tea and biscuits")
    page.get_by_role("heading", name=TITLE).wait_for(timeout=30000)
    assert page.title().startswith(TITLE)
    page.locator("details.content-warning > summary").click()  # still behind its warning
    assert page.get_by_text(SECRET_SENTENCE).is_visible()
    sizes = page.evaluate("[...document.images].map(i => [i.src.slice(0, 22), i.naturalWidth])")
    assert sizes == [["data:image/jpeg;base64", 16]]
    context.close()


def test_a_wrong_password_gets_a_calm_message_and_nothing_else(browser, serve, built) -> None:
    context, page = _open_page(browser, serve, built)
    _unlock(page, "tea and biscuit")
    page.get_by_text("did not open this post").wait_for(timeout=30000)
    assert SECRET_SENTENCE not in page.content()
    assert page.get_by_role("heading", name="Protected post").is_visible()
    context.close()


def test_the_same_password_in_another_unicode_form_opens_it(browser, serve, built) -> None:
    context, page = _open_page(browser, serve, built)
    _unlock(page, unicodedata.normalize("NFD", ACCENTED))
    page.get_by_role("heading", name=TITLE).wait_for(timeout=30000)
    context.close()


def test_remember_keeps_it_open_for_the_session_until_forgotten(browser, serve, built) -> None:
    context, page = _open_page(browser, serve, built)
    _unlock(page, "tea and biscuits")
    page.get_by_role("heading", name=TITLE).wait_for(timeout=30000)
    assert page.evaluate("sessionStorage.length") == 0  # not ticked: nothing kept
    page.reload()
    page.get_by_label("Password").wait_for()
    _unlock(page, "tea and biscuits", remember=True)
    page.get_by_role("heading", name=TITLE).wait_for(timeout=30000)
    assert page.evaluate("localStorage.length") == 0
    page.reload()
    page.get_by_role("heading", name=TITLE).wait_for(timeout=10000)
    page.get_by_role("button", name="Forget this post on this device").click()
    page.get_by_label("Password").wait_for()
    assert page.evaluate("sessionStorage.length") == 0
    assert SECRET_SENTENCE not in page.content()
    context.close()


def test_without_javascript_the_page_says_the_post_is_protected(browser, serve, built) -> None:
    context, page = _open_page(browser, serve, built, java_script_enabled=False)
    assert page.get_by_text("This post is protected. Opening it needs JavaScript").is_visible()
    assert not page.get_by_label("Password").is_visible()
    context.close()


def test_a_payload_swapped_in_from_another_post_does_not_open(
        browser, serve, built, tmp_path: Path) -> None:
    out, path = built
    copy = tmp_path / "site"
    shutil.copytree(out, copy)
    pages = sorted(copy.glob("posts/protected-*/index.html"))
    target = copy / path
    other = next(p for p in pages if p != target)
    payload = re.search(r'(<script type="application/json" id="veil-payload">.*?</script>)',
                        other.read_text(encoding="utf-8"), re.S)
    assert payload
    html = re.sub(r'<script type="application/json" id="veil-payload">.*?</script>',
                  lambda _: payload.group(1), target.read_text(encoding="utf-8"), flags=re.S)
    target.write_text(html, encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.goto(serve(copy) + path)
    page.get_by_text("cannot be opened safely").wait_for(timeout=10000)
    assert page.get_by_role("button", name="Open the post").is_disabled()
    context.close()
