"""Protected posts: encrypted for their circles, and nothing of them in the clear."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import shutil
import sqlite3
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASIC_CONFIG, NOW, CliRun, SiteDir, jpeg
from veil.build import BuildResult, build_site
from veil.errors import VeilError
from veil.protect import (
    MIN_ITERATIONS,
    Plaintext,
    ProtectionError,
    decrypt,
    encrypt,
)

SECRET_SENTENCE = "Only my close friends should read this sentence about the winter at home."
TITLE = "What happened at home that winter"
FAST = MIN_ITERATIONS  # the floor: the slowest setting that is still allowed


ADDRESS_KEY = "a-secret-key-for-this-site-7f3a9c"
SECRETS = ('passwords:\n  close-friends: "tea and biscuits"\n  therapist: "blue chair"\n')


def _protected_site(site: SiteDir, *, key: str | None = ADDRESS_KEY, **extra: str) -> SiteDir:
    site.write("veil.yaml", BASIC_CONFIG + f"protection:\n  iterations: {FAST}\n")
    site.write("secrets.yaml", SECRETS + (f'address_key: "{key}"\n' if key else ""))
    site.post("open", "An open post about spring", date="2024-03-01",
              body="Spring came back slowly this year.", series="Winter Notes", part="1",
              tags="[family]")
    site.write("content/posts/winter/window.jpg", jpeg(16, 10))
    front = {"privacy": "protected", "circles": "[close-friends, therapist]",
             "warnings": "[family estrangement, kitchen-table arguments]",
             "tags": "[family, secret-tag-word]",
             "series": "Winter Notes", "part": "2", **extra}
    lines = ["---", f"title: {TITLE}", "date: 2024-02-02"]
    lines += [f"{k}: {v}" for k, v in front.items()]
    lines += ["---", "", SECRET_SENTENCE, "", "![the window in winter](window.jpg)", ""]
    site.write("content/posts/winter/index.md", "\n".join(lines))
    return site


def _page_of(site: SiteDir) -> tuple[str, str]:
    pages = [p for p in (site.out / "posts").iterdir() if p.name.startswith("protected-")]
    assert len(pages) == 1
    path = pages[0] / "index.html"
    return f"/posts/{pages[0].name}/", path.read_text(encoding="utf-8")


def _payload(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="veil-payload">(.*?)</script>',
                      html, re.S)
    assert match
    return json.loads(match.group(1))


# ---------- The built site ----------

def test_nothing_of_a_protected_post_is_in_the_clear(site: SiteDir) -> None:
    _protected_site(site).build()
    url, html = _page_of(site)
    assert "winter" not in url  # the address says nothing of the post
    everything = b"".join(site.files().values())
    for clear in (SECRET_SENTENCE, TITLE, "secret-tag-word", "kitchen-table arguments",
                  "the window in winter"):
        assert clear.encode() not in everything, clear
    assert not any(name.endswith("window.jpg") for name in site.files())
    assert '<meta name="robots" content="noindex, noarchive">' in html
    assert '<meta name="referrer" content="no-referrer">' in html
    assert "Opening it needs JavaScript" in html  # shown until the script hides it


def test_media_images_only_hidden_posts_show_stay_out_of_the_output(site: SiteDir) -> None:
    """An image in content/media that only a protected post shows travels inside its
    payload; one that only a private post shows is not published; one a public post also
    shows is published as usual."""
    _protected_site(site)
    site.write("content/media/hospital-bed.jpg", jpeg(12, 8, (200, 10, 10)))
    site.write("content/media/front-door.jpg", jpeg(12, 8, (10, 200, 10)))
    site.write("content/media/shared sky.jpg", jpeg(12, 8, (10, 10, 200)))
    winter = site.root / "content/posts/winter/index.md"
    winter.write_text(winter.read_text().replace(
        "![the window in winter](window.jpg)",
        "![the window in winter](window.jpg)\n\n![the ward](../../media/hospital-bed.jpg)\n\n"
        "![the sky](../../media/shared%20sky.jpg)"))
    site.write("content/media/garden.jpg", jpeg(12, 8, (90, 90, 10)))
    site.post("diary", "A private diary", privacy="private",
              body="![the door](../media/front-door.jpg) ![the garden](../media/garden.jpg)")
    site.post("garden", "The garden", date="2024-03-03",
              body='<img src="/media/garden.jpg" alt="the garden, from the root">')
    site.post("sky", "The sky", date="2024-03-02", body="![the sky](../media/shared%20sky.jpg)")
    site.build()
    files = site.files()
    assert "media/shared sky.jpg" in files and "media/garden.jpg" in files
    assert not [rel for rel in files if "hospital" in rel or "front-door" in rel]
    url, html = _page_of(site)
    opened = decrypt(_payload(html), url, "tea and biscuits")
    assert opened.html.count("data:image/jpeg;base64,") == 3  # window, ward and sky


def test_a_protected_post_shows_the_image_of_a_srcset_its_src_holds(site: SiteDir) -> None:
    """A protected post's images travel inside its payload, once each: a srcset's other
    sizes (never published) are left out, so the browser shows the image of `src`."""
    _protected_site(site)
    site.write("content/posts/winter/window-large.jpg", jpeg(32, 20))
    winter = site.root / "content/posts/winter/index.md"
    winter.write_text(winter.read_text().replace(
        "![the window in winter](window.jpg)",
        '<picture><source media="(min-width: 40em)" srcset="window-large.jpg">'
        '<img alt="the window in winter" src="window.jpg"\n'
        '  srcset="window.jpg 1x, window-large.jpg 2x"></picture>'))
    site.build()
    assert not [rel for rel in site.files() if rel.endswith(".jpg")]
    url, html = _page_of(site)
    opened = decrypt(_payload(html), url, "tea and biscuits").html
    assert "srcset" not in opened and "window" not in opened.replace("the window in", "")
    assert re.search(r'<img src="data:image/jpeg;base64,[^"]+" alt="the window in winter"',
                     opened)


def test_listings_show_a_locked_entry_and_feeds_tags_sitemap_leave_it_out(
        site: SiteDir) -> None:
    _protected_site(site).build()
    url, _ = _page_of(site)
    home = site.read("index.html")
    assert "Protected post" in home and "2 February 2024" in home
    assert url.strip("/") in home
    series = site.read("series/winter-notes/index.html")
    assert "Protected post" in series and url.strip("/") in series
    part_one = site.read("posts/open/index.html")  # its series navigation
    assert "Part 1 of 2" in part_one and "Protected part" in part_one
    for rel in ("feed.xml", "atom.xml", "sitemap.xml", "tags/family/index.html",
                "series/winter-notes/feed.xml", "posts/open/index.html"):
        assert url.strip("/") not in site.read(rel), rel


def test_each_circle_opens_it_and_a_wrong_password_does_not(site: SiteDir) -> None:
    _protected_site(site).build()
    url, html = _page_of(site)
    payload = _payload(html)
    for password in ("tea and biscuits", "blue chair"):
        opened = decrypt(payload, url, password)
        assert opened.title == TITLE
        assert SECRET_SENTENCE in opened.html
        assert "data:image/jpeg;base64," in opened.html  # the image travels inside
    with pytest.raises(ProtectionError):
        decrypt(payload, url, "tea and biscuit")


def test_an_unchanged_site_keeps_its_ciphertext_so_a_rebuild_writes_nothing(
        site: SiteDir) -> None:
    _protected_site(site).build()
    again = site.build()
    assert again.report is not None and again.report.written == 0


def test_changing_one_circles_password_revokes_that_circle_only(site: SiteDir) -> None:
    _protected_site(site).build()
    site.write("secrets.yaml", 'passwords:\n  close-friends: "new kettle"\n'
                               '  therapist: "blue chair"\n')
    site.build()
    url, html = _page_of(site)
    payload = _payload(html)
    assert decrypt(payload, url, "new kettle").title == TITLE
    assert decrypt(payload, url, "blue chair").title == TITLE
    with pytest.raises(ProtectionError):
        decrypt(payload, url, "tea and biscuits")


def test_a_password_from_the_environment_wins(site: SiteDir,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _protected_site(site)
    monkeypatch.setenv("VEIL_PASSWORD_THERAPIST", "green sofa")
    site.build()
    url, html = _page_of(site)
    assert decrypt(_payload(html), url, "green sofa").title == TITLE


# ---------- The address ----------

def _address_warnings(result: BuildResult) -> list[str]:
    return [p.format() for p in result.warnings if "address_key" in (p.fix or "")]


def test_a_guessed_file_name_does_not_confirm_the_address(site: SiteDir,
                                                          tmp_path: Path) -> None:
    """Anyone may hash a guessed file name (`posts/winter/index.md`): with the site's key
    the address matches no such hash, stays put from build to build, and differs under
    another key."""
    result = _protected_site(site).build()
    url, _ = _page_of(site)
    assert _address_warnings(result) == []
    guesses = ["posts/winter/index.md", "posts/winter.md", "winter/index.md", "winter"]
    for guess in guesses:
        assert hashlib.sha256(guess.encode()).hexdigest()[:12] not in url
    shutil.rmtree(site.out)
    shutil.rmtree(site.root / ".veil-cache")
    site.build()
    assert _page_of(site)[0] == url, "a clean build moved the post"
    site.write("secrets.yaml", SECRETS + 'address_key: "another-key-for-another-site-01"\n')
    site.build()
    moved, html = _page_of(site)
    assert moved != url
    assert decrypt(_payload(html), moved, "blue chair").title == TITLE


def test_the_address_key_from_the_environment_wins(site: SiteDir,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    _protected_site(site).build()
    from_file, _ = _page_of(site)
    monkeypatch.setenv("VEIL_ADDRESS_KEY", "the-key-the-ci-server-is-given")
    site.build()  # the same cache: the new key is an input like the others
    from_env, _ = _page_of(site)
    assert from_env != from_file
    _protected_site(site, key=None)
    site.settle()
    site.build()
    assert _page_of(site)[0] == from_env


def test_without_a_key_the_build_warns_and_offers_one(site: SiteDir) -> None:
    """A site made before address keys (or whose secrets.yaml lacks one) still builds,
    at the old address, and is told how to close the gap; --strict refuses it."""
    result = _protected_site(site, key=None).build()
    old_url, _ = _page_of(site)
    plain_hash = hashlib.sha256(b"posts/winter/index.md").hexdigest()[:12]
    assert old_url == f"/posts/protected-{plain_hash}/"
    (warning,) = _address_warnings(result)
    assert "content/posts/winter/index.md" in warning and "guesses the file name" in warning
    # how to make a key, never a key: what a build prints may end up in a log others read
    assert "secrets.token_hex" in warning and not re.search(r"[0-9a-f]{24}", warning)
    with pytest.raises(VeilError, match="address_key"):
        site.build(strict=True)
    site.write("secrets.yaml", SECRETS + f'address_key: "{secrets.token_hex(24)}"\n')
    after = site.build()
    assert _address_warnings(after) == []
    new_url, html = _page_of(site)
    assert new_url != old_url
    assert decrypt(_payload(html), new_url, "tea and biscuits").title == TITLE


def test_an_address_key_in_the_environment_is_checked_and_trimmed(
        site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    _protected_site(site, key=None)
    monkeypatch.setenv("VEIL_ADDRESS_KEY", "x")
    with pytest.raises(VeilError, match="VEIL_ADDRESS_KEY must be at least 16"):
        site.build()
    assert not site.out.exists()
    monkeypatch.setenv("VEIL_ADDRESS_KEY", ADDRESS_KEY + "\n")  # as `echo` leaves it
    site.build()
    from_env, _ = _page_of(site)
    monkeypatch.delenv("VEIL_ADDRESS_KEY")
    _protected_site(site)  # the same key, in secrets.yaml
    site.settle()
    site.build()
    assert _page_of(site)[0] == from_env


@pytest.mark.parametrize("written", ['"short"', "12345678901234567890", "[a, b]"])
def test_an_address_key_that_is_not_long_text_is_refused(site: SiteDir, written: str) -> None:
    _protected_site(site, key=None)
    site.write("secrets.yaml", SECRETS + f"address_key: {written}\n")
    with pytest.raises(VeilError) as raised:
        site.build()
    (problem,) = raised.value.problems
    assert problem.location.path.name == "secrets.yaml" and problem.location.line == 4
    assert "at least 16 characters" in problem.message
    assert not site.out.exists(), "a refused build wrote a site"


def test_a_password_written_as_a_number_is_the_text_written(site: SiteDir) -> None:
    """`therapist: 0123` unquoted: the password is `0123` (YAML would make it 83)."""
    _protected_site(site)
    site.write("secrets.yaml", 'passwords:\n  close-friends: 0123\n  therapist: 4711\n'
                               f'address_key: "{ADDRESS_KEY}"\n')
    site.build()
    url, html = _page_of(site)
    assert decrypt(_payload(html), url, "0123").title == TITLE
    assert decrypt(_payload(html), url, "4711").title == TITLE


def test_two_posts_never_share_a_salt_or_iv(site: SiteDir, tmp_path: Path) -> None:
    _protected_site(site)
    site.write("content/posts/second.md", "---\ntitle: Another closed door\ndate: 2024-02-03\n"
               "privacy: protected\ncircles: [close-friends, therapist]\n---\n\nHello.\n")
    site.build()
    values = []
    for page in (site.out / "posts").glob("protected-*/index.html"):
        payload = _payload(page.read_text(encoding="utf-8"))
        values += json.loads(payload["header"])["salts"] + [payload["iv"]]
        values += [key["iv"] for key in payload["keys"]]
    assert len(values) == 2 * (2 + 1 + 2)
    assert len(set(values)) == len(values)


def test_a_protected_post_without_circles_or_below_the_iteration_floor_is_refused(
        site: SiteDir, run_cli) -> None:
    site.write("veil.yaml", BASIC_CONFIG + "protection:\n  iterations: 100000\n")
    site.post("p", "A post", body="Hi.")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "veil.yaml:" in result.err and "600000" in result.err


# ---------- The cryptography itself ----------

PLAIN = Plaintext("A title", "<article><p>" + "words " * 50 + "</p></article>")


@pytest.fixture(scope="module")
def sealed() -> dict:
    return encrypt(PLAIN, "/posts/a/", ["first", "second"], FAST)


def test_round_trip_and_padding_to_a_bucket(sealed: dict) -> None:
    assert decrypt(sealed, "/posts/a/", "second") == PLAIN
    assert len(base64.b64decode(sealed["data"])) == 4096 + 16  # padded, plus the GCM tag


@pytest.mark.parametrize("field", ["header", "wrapped", "iv", "data"])
def test_a_flipped_bit_anywhere_fails(sealed: dict, field: str) -> None:
    tampered = json.loads(json.dumps(sealed))
    if field == "header":
        tampered["header"] = tampered["header"].replace('"iterations":600000',
                                                        '"iterations":600001')
    elif field == "wrapped":
        for key in tampered["keys"]:
            raw = bytearray(base64.b64decode(key["wrapped"]))
            raw[5] ^= 0x01
            key["wrapped"] = base64.b64encode(bytes(raw)).decode()
    else:
        raw = bytearray(base64.b64decode(tampered[field]))
        raw[-1] ^= 0x80
        tampered[field] = base64.b64encode(bytes(raw)).decode()
    with pytest.raises(ProtectionError):
        decrypt(tampered, "/posts/a/", "first")


def test_a_payload_moved_to_another_post_or_truncated_fails(sealed: dict) -> None:
    with pytest.raises(ProtectionError):
        decrypt(sealed, "/posts/b/", "first")
    truncated = dict(sealed, data=base64.b64encode(base64.b64decode(sealed["data"])[:-40])
                     .decode())
    with pytest.raises(ProtectionError):
        decrypt(truncated, "/posts/a/", "first")


def test_the_iteration_floor_holds_on_both_sides(sealed: dict) -> None:
    with pytest.raises(ProtectionError):
        encrypt(PLAIN, "/posts/a/", ["first"], MIN_ITERATIONS - 1)
    weak = dict(sealed, header=sealed["header"].replace('"iterations":600000',
                                                       '"iterations":1000'))
    with pytest.raises(ProtectionError, match="floor"):
        decrypt(weak, "/posts/a/", "first")


def test_every_payload_made_anew_has_fresh_salts_and_ivs() -> None:
    one = encrypt(PLAIN, "/posts/a/", ["first"], FAST)
    two = encrypt(PLAIN, "/posts/a/", ["first"], FAST)
    assert json.loads(one["header"])["salts"] != json.loads(two["header"])["salts"]
    assert one["iv"] != two["iv"] and one["keys"][0]["iv"] != two["keys"][0]["iv"]


def test_nfc_and_nfd_forms_of_one_password_both_open_it() -> None:
    composed = unicodedata.normalize("NFC", "café crème")
    decomposed = unicodedata.normalize("NFD", "café crème")
    assert composed != decomposed
    payload = encrypt(PLAIN, "/posts/a/", [decomposed], FAST)
    assert decrypt(payload, "/posts/a/", composed) == PLAIN


def test_build_into_another_folder_reuses_the_cache(site: SiteDir, tmp_path: Path) -> None:
    _protected_site(site).build()
    first = site.files()
    build_site(site.root, tmp_path / "elsewhere", now=NOW)
    second = {p.relative_to(tmp_path / "elsewhere").as_posix(): p.read_bytes()
              for p in (tmp_path / "elsewhere").rglob("*") if p.is_file()}
    assert first == second


# ---------- Any mix of protected and public posts ----------

CIRCLES = {"friends": "kettle on the hob", "therapist": "blue chair", "sister": "old garden"}

protected_strategy = st.fixed_dictionaries({
    "protected": st.booleans(),
    "circles": st.lists(st.sampled_from(sorted(CIRCLES)), min_size=1, max_size=3, unique=True),
    "tag": st.sampled_from((None, "grief", "rest")),
    "series": st.booleans(),
})


@settings(max_examples=10, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(protected_strategy, min_size=1, max_size=4))
def test_any_mix_keeps_protected_posts_sealed_to_their_circles(posts: list[dict]) -> None:
    words = ("heron", "otter", "badger", "wren")
    with tempfile.TemporaryDirectory() as tmp:
        site = SiteDir(Path(tmp) / "blog")
        site.write("veil.yaml", BASIC_CONFIG + f"protection:\n  iterations: {FAST}\n")
        site.write("secrets.yaml", "passwords:\n" + "".join(
            f'  {circle}: "{password}"\n' for circle, password in CIRCLES.items()))
        for word, p in zip(words, posts, strict=False):
            front = {"tags": f"[{p['tag']}]"} if p["tag"] else {}
            if p["series"]:
                front["series"] = "Shared Walks"
            if p["protected"]:
                front |= {"privacy": "protected", "circles": "[" + ", ".join(p["circles"]) + "]"}
            site.post(word, f"{word.capitalize()} by the river", date="2024-01-0" + str(
                words.index(word) + 1), body=f"Only the {word} post has this riverbank line.",
                **front)
        site.build()
        files = site.files()
        sealed = {w: p for w, p in zip(words, posts, strict=False) if p["protected"]}
        pages = sorted(rel for rel in files if rel.startswith("posts/protected-"))
        assert len(pages) == len(sealed)
        for word in sealed:
            for rel, data in files.items():
                assert f"{word} post has this riverbank line".encode() not in data, rel
                assert f"{word.capitalize()} by the river".encode() not in data, rel
        for rel in pages:
            url = "/" + rel.removesuffix("index.html")
            folder = url.strip("/")
            for other, data in files.items():
                if folder.encode() in data:
                    assert other == rel or other == "index.html" or other.startswith(
                        ("page/", "archive/", "series/shared-walks/index.html")), other
            payload = _payload(files[rel].decode())
            opened_by = set()
            for circle, password in CIRCLES.items():
                try:
                    decrypt(payload, url, password)
                    opened_by.add(circle)
                except ProtectionError:
                    pass
            assert opened_by in [set(p["circles"]) for p in sealed.values()]


def test_the_cache_keeps_only_the_latest_payload_of_each_protected_post(
        site: SiteDir, run_cli: Callable[..., CliRun]) -> None:
    """An earlier version of a protected post does not stay behind in the cache, even
    encrypted; nor does the payload of a post deleted or no longer protected. An unchanged
    post keeps its payload (its page stays the same bytes)."""
    _protected_site(site)
    site.post("second", "Another protected one", privacy="protected", circles="[therapist]",
              body="A second kept thing.")
    payloads = site.root / ".veil-cache" / "protected"
    site.build()
    first = {p.name: p.read_bytes() for p in payloads.iterdir()}
    assert len(first) == 2
    page = site.files()
    winter = site.root / "content/posts/winter/index.md"
    winter.write_text(winter.read_text(encoding="utf-8") + "\nA later sentence.\n",
                      encoding="utf-8")
    site.build()
    second = {p.name: p.read_bytes() for p in payloads.iterdir()}
    assert second.keys() == first.keys()
    assert [name for name in first if first[name] != second[name]] != []
    assert sum(first[name] == second[name] for name in first) == 1  # the unchanged post's
    protected_pages = [rel for rel in page if rel.startswith("posts/protected-")]
    assert sum(page[rel] == site.files()[rel] for rel in protected_pages) == 1
    for damaged, slot in zip(("null", '{"key": 1}', "[1, 2]"), sorted(payloads.iterdir()),
                             strict=False):
        slot.write_text(damaged, encoding="utf-8")  # read as missing, never trusted
    shutil.rmtree(site.out)  # (every page made again)
    site.build()
    assert len(list(payloads.iterdir())) == 2
    (site.root / "content/posts/second.md").unlink()
    made_private = winter.read_text(encoding="utf-8").replace("privacy: protected",
                                                              "privacy: private")
    winter.write_text(re.sub(r"\ncircles: .*", "", made_private), encoding="utf-8")
    assert run_cli("check", "--site", str(site.root)).code == 0
    assert len(list(payloads.iterdir())) == 2  # `veil check` writes and removes nothing
    site.build()
    assert list(payloads.iterdir()) == []


def test_the_cache_keeps_no_plain_digest_of_a_password(
        site: SiteDir, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """What the cache keeps that passwords went into (payload names, the site's shape, the
    inputs' fingerprint) is keyed with this machine's secret: the same site and passwords
    under another secret give other names and digests, and no plain hash of a password
    is anywhere in it."""
    _protected_site(site)
    site.settle()  # files saved a while ago: the build keeps its shape and inputs
    monkeypatch.setenv("VEIL_PASSWORD_THERAPIST", "green sofa")
    cache = site.root / ".veil-cache"

    def kept(state: str) -> tuple[set[str], set[str]]:
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / state))
        for old in cache.glob("protected/*"):  # the payloads made anew
            old.unlink()
        site.build()
        with sqlite3.connect(cache / "cache.sqlite") as db:
            rows = {str(v) for (v,) in db.execute("SELECT value FROM info WHERE name LIKE "
                                                   "'shape:%'")}
            rows |= {str(r) for (r,) in db.execute("SELECT record FROM snapshots")}
        return {p.name for p in (cache / "protected").iterdir()}, rows

    payloads, digests = kept("machine-a")
    other_payloads, other_digests = kept("machine-b")
    assert payloads and not payloads & other_payloads
    assert digests and not digests & other_digests
    everything = b"".join(p.read_bytes() for p in cache.rglob("*") if p.is_file())
    for password in ("tea and biscuits", "blue chair", "green sofa"):
        plain = hashlib.sha256(password.encode()).digest()
        assert plain not in everything and plain.hex().encode() not in everything
