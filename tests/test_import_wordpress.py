"""`veil import wordpress`: nothing is more public after the import than it was before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import NOW, REPO, jpeg
from veil.build import build_site
from veil.cli import main
from veil.errors import Diagnostics
from veil.importers.earlier import private_text
from veil.passwords import load_passwords

FIXTURES = REPO / "tests" / "wordpress"
EXPORT = FIXTURES / "export.xml"
NEVER_PUBLISHED = (
    "A private sentence that must never be published anywhere.",
    "A draft sentence that stays on my own computer.",
    "A pending sentence.",
    "A scheduled sentence for later.",
    "A sentence only the password holders should ever read.",
    "Trash.",
)


def _new_site(tmp_path: Path) -> Path:
    root = tmp_path / "blog"
    assert main(["init", str(root)]) == 0
    (root / "content" / "posts" / "welcome.md").unlink()
    (root / "content" / "pages" / "about.md").unlink()
    return root


def _import(root: Path, *extra: str, export: Path = EXPORT) -> int:
    return main(["import", "wordpress", str(export), "--site", str(root),
                 "--media", str(FIXTURES / "uploads"), *extra])


def _front(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    root = _new_site(tmp_path)
    capsys.readouterr()
    assert _import(root, "--series-from", "category:Learning to stay") == 0
    return root, capsys.readouterr().out


def test_every_status_maps_to_something_no_more_public(imported: tuple[Path, str]) -> None:
    root, report = imported
    posts = root / "content" / "posts"
    assert "privacy" not in _front(posts / "part-two.md")  # publish → public
    assert _front(posts / "my-private-diary.md")["privacy"] == "private"
    for name in ("half-a-thought.md", "waiting.md", "scheduled.md"):  # draft/pending/future
        assert _front(posts / name)["draft"] is True
    assert not list(posts.glob("thrown-away*"))
    assert "“Thrown away” (id 8): in the trash" in report
    protected = _front(posts / "only-for-my-friends.md")
    assert protected["privacy"] == "protected"
    circle = protected["circles"][0]
    secrets = yaml.safe_load((root / "secrets.yaml").read_text(encoding="utf-8"))
    assert secrets["passwords"][circle] == "kettle on"
    assert len(secrets["address_key"]) == 48, "imported protected posts' addresses need a key"
    assert "secrets.yaml" in (root / ".gitignore").read_text(encoding="utf-8")
    for path in (root / "content").rglob("*"):
        if path.is_file() and path.suffix in (".md", ".yaml"):
            assert "kettle on" not in path.read_text(encoding="utf-8"), path


def test_passwords_already_in_secrets_yaml_are_kept_as_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unquoted `0123` stays the password `0123` (YAML 1.1 would rewrite it as 83); the
    file stays readable by its owner only; a key given in the environment is not joined
    by another one in the file (the two would give the posts different addresses)."""
    root = _new_site(tmp_path)
    (root / "secrets.yaml").write_text(
        'address_key: "kept-key-of-this-site-0001"\npasswords:\n  old-circle: 0123\n',
        encoding="utf-8")
    assert _import(root) == 0
    passwords = load_passwords(root, Diagnostics())
    assert passwords.for_circle("old-circle") == "0123"
    assert passwords.address_key == "kept-key-of-this-site-0001"
    assert (root / "secrets.yaml").stat().st_mode & 0o077 == 0

    other = _new_site(tmp_path / "other")
    (other / "secrets.yaml").unlink()
    monkeypatch.setenv("VEIL_ADDRESS_KEY", "the-key-the-ci-server-is-given")
    assert _import(other) == 0
    written = yaml.safe_load((other / "secrets.yaml").read_text(encoding="utf-8"))
    assert "address_key" not in written and written["passwords"]


def test_the_imported_site_builds_and_publishes_nothing_that_was_hidden(
        imported: tuple[Path, str]) -> None:
    root, _ = imported
    result = build_site(root, root / "site", now=NOW)  # the leak check runs here too
    assert not [p for p in result.warnings if "address_key" in (p.fix or "")]
    everything = b"".join(result.files.values())
    for sentence in NEVER_PUBLISHED:
        assert sentence.encode() not in everything, sentence
    assert b"Das war genug" in everything and "我很高兴".encode() in everything
    part_one = (root / "site" / "posts" / "the-first-session" / "index.html").read_text()
    assert 'href="../part-two/index.html"' in part_one  # the internal link, rewritten
    assert "../../media/2019/03/chair.jpg" in part_one


def test_warning_lines_become_warnings_and_leave_the_body(imported: tuple[Path, str]) -> None:
    root, report = imported
    posts = root / "content" / "posts"
    first = (posts / "the-first-session" / "index.md").read_text(encoding="utf-8")
    assert _front(posts / "the-first-session" / "index.md")["warnings"] == [
        "dissociation", "self-harm"]
    assert "TW:" not in first
    assert _front(posts / "only-for-my-friends.md")["warnings"] == ["family estrangement"]
    assert _front(posts / "part-two.md")["warnings"] == ["grief", "dissociaton"]
    assert "dissociaton (1): did you mean `dissociation`?" in report


def test_hostile_html_is_gone_and_comments_keep_nothing_personal(
        imported: tuple[Path, str]) -> None:
    root, _ = imported
    built = build_site(root, root / "site", now=NOW)
    imported_text = "".join(p.read_text(encoding="utf-8") for p in (root / "content").rglob("*")
                            if p.suffix in (".md", ".yaml"))
    for text in (imported_text, b"".join(built.files.values()).decode("utf-8", "replace")):
        for bad in ("<script>", "onerror=", "alert(", "sam@example.com", "203.0.113.9",
                    "198.51.100.7", "sam.example.com", "Buy things at my shop"):
            assert bad not in text, bad


def test_comments_are_a_threaded_archive_inside_the_warning(imported: tuple[Path, str]) -> None:
    root, _ = imported
    build_site(root, root / "site", now=NOW)
    html = (root / "site" / "posts" / "the-first-session" / "index.html").read_text()
    details = html[html.index('<details class="content-warning"'):]
    assert "Comments are closed" in details[: details.index("</details>")]
    reply = html.index("Thank you, Sam.")
    assert html.rfind("comment-replies", 0, reply) > html.index("This helped me")


def test_anonymised_comments_name_no_one(tmp_path: Path) -> None:
    root = _new_site(tmp_path)
    assert _import(root, "--anonymise-comments") == 0
    comments = yaml.safe_load((root / "content" / "posts" / "the-first-session" /
                               "comments.yaml").read_text(encoding="utf-8"))["comments"]
    assert [c["author"] for c in comments] == ["Reader 1", "Reader 2"]


def test_shortcodes_become_images_with_alt_text_and_missing_media_is_listed(
        imported: tuple[Path, str]) -> None:
    root, report = imported
    first = (root / "content" / "posts" / "the-first-session" / "index.md").read_text()
    assert "![The blue chair, empty](../../media/2019/03/chair.jpg)" in first
    second = (root / "content" / "posts" / "part-two.md").read_text()
    assert "![The blue chair](../media/2019/03/chair.jpg)" in second
    assert "image not imported: window" in second
    assert "uploads/2019/03/window.jpg" in report
    assert (root / "content" / "media" / "2019" / "03" / "chair.jpg").is_file()
    assert _front(root / "content" / "posts" / "part-two.md")["series"] == "Learning to stay"


def test_dry_run_writes_nothing_and_a_second_run_updates_in_place(tmp_path: Path) -> None:
    root = _new_site(tmp_path)
    before = _tree(root)
    assert _import(root, "--dry-run") == 0
    assert _tree(root) == before
    assert _import(root) == 0
    first = _tree(root)
    assert _import(root) == 0
    assert _tree(root) == first


@pytest.mark.parametrize(("export", "phrase"), [
    ("bomb.xml", "declares entities or a DTD"),
    ("truncated.xml", "not well-formed"),
])
def test_a_hostile_or_broken_export_is_refused_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], export: str, phrase: str) -> None:
    root = _new_site(tmp_path)
    before = _tree(root)
    capsys.readouterr()
    assert _import(root, export=FIXTURES / export) == 1
    err = capsys.readouterr().err
    assert phrase in err and "Traceback" not in err
    if export == "truncated.xml":
        assert "truncated.xml:" in err  # the line where it breaks
    assert _tree(root) == before


def test_a_protected_post_keeps_no_address_from_its_wordpress_slug(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A password-protected post's WordPress slug (often an earlier title) would name it in
    the address its locked entry links to: it is imported without one, so its address is
    made from a hash, as for any protected post."""
    export = tmp_path / "export.xml"
    export.write_text(EXPORT.read_text(encoding="utf-8").replace(
        "<wp:post_name><![CDATA[only-for-my-friends]]></wp:post_name>",
        "<wp:post_name><![CDATA[the-night-he-left]]></wp:post_name>"), encoding="utf-8")
    root = _new_site(tmp_path)
    assert _import(root, export=export) == 0
    protected = [p for p in (root / "content" / "posts").glob("*.md")
                 if _front(p).get("privacy") == "protected"]
    assert len(protected) == 1 and "slug" not in _front(protected[0])
    build_site(root, now=NOW)
    for path in (root / "site").rglob("*"):
        if path.is_file():
            assert b"the-night-he-left" not in path.read_bytes(), path


WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Small export</title><link>https://fern.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://fern.example</wp:base_blog_url>
"""


def _post_item(post_id: int, slug: str, html: str, *, status: str = "publish",
               title: str = "", password: str = "") -> str:
    return f"""<item><title>{title or slug.replace("-", " ").capitalize()}</title>
<content:encoded><![CDATA[{html}]]></content:encoded>
<wp:post_id>{post_id}</wp:post_id><wp:post_date>2020-01-0{post_id} 09:00:00</wp:post_date>
<wp:post_name>{slug}</wp:post_name><wp:status>{status}</wp:status>
<wp:post_password>{password}</wp:post_password><wp:post_type>post</wp:post_type></item>
"""


def _attachment_item(post_id: int, title: str, path: str, alt: str = "") -> str:
    meta = (f"<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key>"
            f"<wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>" if alt else "")
    return f"""<item><title>{title}</title><wp:post_id>{post_id}</wp:post_id>
<wp:post_type>attachment</wp:post_type><wp:status>inherit</wp:status>
<wp:attachment_url>https://fern.example/wp-content/uploads/{path}</wp:attachment_url>
{meta}</item>
"""


def _small_export(tmp_path: Path, *items: str) -> Path:
    export = tmp_path / "export.xml"
    export.write_text(WXR_HEAD + "".join(items) + "</channel></rss>\n", encoding="utf-8")
    return export


def _import_and_build(tmp_path: Path, *items: str, media: Path = FIXTURES / "uploads") -> Path:
    root = _new_site(tmp_path)
    assert main(["import", "wordpress", str(_small_export(tmp_path, *items)),
                 "--site", str(root), "--media", str(media)]) == 0
    build_site(root, root / "site", now=NOW)
    return root


def _what_readers_meet_first(root: Path, slug: str) -> str:
    """What a reader meets before opening a warning: the feeds, the home page outside its
    excerpt gates, and the post page up to its warning (its meta description too)."""
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    page = (root / "site" / "posts" / slug / "index.html").read_text(encoding="utf-8")
    return "\n".join([re.sub(r"<details\b.*?</details>", "", home, flags=re.S),
                      (root / "site" / "feed.xml").read_text(encoding="utf-8"),
                      (root / "site" / "atom.xml").read_text(encoding="utf-8"),
                      page[: page.index('<details class="content-warning"')]])


def test_a_warning_line_with_writing_after_it_keeps_the_writing_in_the_body(
        tmp_path: Path) -> None:
    """Only the terms become warnings; the sentence after them is body text, shown once
    the reader has opened the warning."""
    root = _import_and_build(tmp_path, _post_item(
        1, "the-pills", "TW: suicide. WARNEDSAMELINE yesterday I took the pills and woke up"
        " in hospital.\n\nThe nurses were kind."))
    post = root / "content" / "posts" / "the-pills.md"
    assert _front(post)["warnings"] == ["suicide"]
    body = post.read_text(encoding="utf-8").split("---", 2)[2]
    assert body.strip().startswith("WARNEDSAMELINE yesterday I took the pills")
    first_met = _what_readers_meet_first(root, "the-pills")
    assert "Content warning: suicide" in first_met
    assert "WARNEDSAMELINE" not in first_met and "took the pills" not in first_met
    page = (root / "site" / "posts" / "the-pills" / "index.html").read_text(encoding="utf-8")
    assert "WARNEDSAMELINE yesterday I took the pills" in page  # inside the warning


@pytest.mark.parametrize("line", [
    "TW: suicide, self-harm I took the pills yesterday and",  # no end: too long for a term
    "CW: the night I took every pill in the house",
])
def test_a_warning_line_that_does_not_end_is_not_read_as_terms(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str) -> None:
    root = _new_site(tmp_path)
    capsys.readouterr()
    assert _import(root, export=_small_export(tmp_path, _post_item(1, "unclear", line))) == 0
    post = root / "content" / "posts" / "unclear.md"
    assert "warnings" not in _front(post)
    assert line.split(": ", 1)[1] in post.read_text(encoding="utf-8")  # left for its writer
    assert "“Unclear” (id 1)" in capsys.readouterr().out


@pytest.mark.parametrize("warning", [
    "<h3>TW: self-harm</h3>",
    "<h2>Content Warning – self-harm</h2>",
    '<p class="has-text-align-center"><strong>TW:</strong> self-harm</p>',
    "<p><strong>Content warning: self-harm</strong></p>",
    "<div><em>cn -</em> <span>Self-harm</span></div>",
    "<p><b>Trigger warnings:</b> self-harm.<br />HEADINGWARNED is where it starts.</p>",
])
def test_a_warning_in_a_heading_or_in_bold_is_read_and_leaves_the_body(
        tmp_path: Path, warning: str) -> None:
    root = _import_and_build(tmp_path, _post_item(
        1, "last-night", f"{warning}\n<p>HEADINGWARNED last night I cut my arm.</p>"))
    post = root / "content" / "posts" / "last-night.md"
    assert _front(post)["warnings"] == ["self-harm"]
    body = post.read_text(encoding="utf-8").split("---", 2)[2]
    assert "self-harm" not in body.lower() and "warning" not in body.lower()
    assert body.strip().startswith("HEADINGWARNED")
    first_met = _what_readers_meet_first(root, "last-night")
    assert "Content warning: self-harm" in first_met
    assert "HEADINGWARNED" not in first_met


def test_gallery_images_named_by_the_camera_have_no_camera_name_on_the_page(
        tmp_path: Path) -> None:
    """WordPress titles an upload with its file name (date, time, phone): an image's alt
    text is its own alt text or caption, never that title."""
    media = tmp_path / "uploads"
    (media / "2020" / "01").mkdir(parents=True)
    for width, name in enumerate(("IMG_20200101_080808.jpg", "PXL_20200102_093012.jpg",
                                  "sofa.jpg"), start=20):
        (media / "2020" / "01" / name).write_bytes(jpeg(width, 10))
    root = _import_and_build(
        tmp_path,
        _post_item(1, "the-room", '<p>My room. [gallery ids="31,32,33,34"]</p>'),
        _attachment_item(31, "IMG_20200101_080808", "2020/01/IMG_20200101_080808.jpg"),
        _attachment_item(32, "PXL_20200102_093012", "2020/01/PXL_20200102_093012.jpg",
                         alt="A green armchair by the window"),
        _attachment_item(33, "Old sofa", "2020/01/sofa.jpg"),
        _attachment_item(34, "IMG_20200101_090909", "2020/01/IMG_20200101_090909.jpg"),
        media=media)
    page = (root / "site" / "posts" / "the-room" / "index.html").read_text(encoding="utf-8")
    assert 'alt="A green armchair by the window"' in page
    assert 'alt="Old sofa"' in page
    assert 'alt=""' in page
    assert "image not imported" in page
    for path in (root / "site").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for camera_name in (b"IMG_2020", b"PXL_2020", b"20200101_0"):
                assert camera_name not in data, (path, camera_name)


TAKEN_DOWN = "TAKENDOWN the evening I finally told my sister everything."
STAYING = _post_item(2, "still-here", "<p>Still here, still writing.</p>")


def _import_twice(tmp_path: Path, first: str, *second: str, between: str = "") -> Path:
    """Import an export holding `first`, let its writer add `between` to the imported
    file, then import a later export holding `second` (and, each time, a post that stays)."""
    root = _new_site(tmp_path)
    assert _import(root, export=_small_export(tmp_path, first, STAYING)) == 0
    if between:
        leaving = root / "content" / "posts" / "leaving.md"
        leaving.write_text(leaving.read_text(encoding="utf-8") + between, encoding="utf-8")
    assert _import(root, export=_small_export(tmp_path, *second, STAYING)) == 0
    return root


def _built_text(root: Path) -> bytes:
    return b"".join(build_site(root, root / "site", now=NOW).files.values())


@pytest.mark.parametrize("second", [
    (_post_item(1, "leaving__trashed", f"<p>{TAKEN_DOWN}</p>", status="trash",
                title="Leaving"),),
    (),  # deleted in WordPress: missing from the later export
], ids=["trashed", "deleted"])
def test_a_post_taken_down_in_wordpress_is_made_private_by_the_next_import(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], second: tuple[str, ...]) -> None:
    """Its earlier file stays, with what its writer has added since, but is private."""
    root = _import_twice(tmp_path, _post_item(1, "leaving", f"<p>{TAKEN_DOWN}</p>"), *second,
                         between="\nWRITERSEDIT added after the first import.\n")
    leaving = root / "content" / "posts" / "leaving.md"
    assert _front(leaving)["privacy"] == "private"
    assert _front(leaving)["title"] == "Leaving"
    assert "WRITERSEDIT" in leaving.read_text(encoding="utf-8")
    assert "content/posts/leaving.md made private (id 1" in capsys.readouterr().out
    built = _built_text(root)
    assert b"TAKENDOWN" not in built and b"WRITERSEDIT" not in built
    assert b"Still here, still writing." in built


def test_a_protected_post_trashed_in_wordpress_loses_its_circles_and_is_private(
        tmp_path: Path) -> None:
    root = _import_twice(
        tmp_path, _post_item(1, "leaving", f"<p>{TAKEN_DOWN}</p>", password="kettle on"),
        _post_item(1, "leaving__trashed", f"<p>{TAKEN_DOWN}</p>", status="trash",
                   title="Leaving", password="kettle on"))
    front = _front(root / "content" / "posts" / "leaving.md")
    assert front["privacy"] == "private" and "circles" not in front
    built = _built_text(root)
    assert b"TAKENDOWN" not in built and b'class="locked' not in built


def test_a_post_trashed_before_any_import_was_recorded_is_found_by_its_old_slug(
        tmp_path: Path) -> None:
    root = _new_site(tmp_path)
    assert _import(root, export=_small_export(
        tmp_path, _post_item(1, "leaving", f"<p>{TAKEN_DOWN}</p>"), STAYING)) == 0
    (root / ".veil-import" / "wordpress.json").unlink(missing_ok=True)
    assert _import(root, export=_small_export(
        tmp_path, _post_item(1, "leaving__trashed", f"<p>{TAKEN_DOWN}</p>", status="trash",
                             title="Leaving"), STAYING)) == 0
    assert _front(root / "content" / "posts" / "leaving.md")["privacy"] == "private"
    assert b"TAKENDOWN" not in _built_text(root)


@pytest.mark.parametrize(("status", "privacy"), [("publish", None), ("private", "private")])
def test_a_post_whose_slug_changed_moves_and_takes_its_new_privacy(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], status: str,
        privacy: str | None) -> None:
    """A renamed post never exists twice, and made private as it was renamed, it is
    published under neither name."""
    root = _import_twice(tmp_path, _post_item(1, "leaving", f"<p>{TAKEN_DOWN}</p>"),
                         _post_item(1, "leaving-quietly", f"<p>{TAKEN_DOWN}</p>",
                                    status=status, title="Leaving"))
    posts = root / "content" / "posts"
    assert sorted(p.name for p in posts.iterdir()) == ["leaving-quietly.md", "still-here.md"]
    assert _front(posts / "leaving-quietly.md").get("privacy") == privacy
    assert "content/posts/leaving.md → content/posts/leaving-quietly.md (id 1)" in \
        capsys.readouterr().out
    assert (b"TAKENDOWN" in _built_text(root)) is (privacy is None)
    assert not (root / "site" / "posts" / "leaving").exists()
    assert (root / "site" / "posts" / "leaving-quietly").exists() is (privacy is None)


def test_a_new_post_taking_a_trashed_posts_slug_leaves_the_trashed_one_private_beside_it(
        tmp_path: Path) -> None:
    """WordPress frees a trashed post's slug: the new post is written there, the earlier
    file moves aside rather than being overwritten."""
    root = _import_twice(tmp_path, _post_item(1, "leaving", f"<p>{TAKEN_DOWN}</p>"),
                         _post_item(1, "leaving__trashed", f"<p>{TAKEN_DOWN}</p>",
                                    status="trash", title="Leaving"),
                         _post_item(3, "leaving", "<p>A new start.</p>"))
    posts = root / "content" / "posts"
    assert "A new start." in (posts / "leaving.md").read_text(encoding="utf-8")
    assert _front(posts / "leaving-1.md")["privacy"] == "private"
    assert TAKEN_DOWN in (posts / "leaving-1.md").read_text(encoding="utf-8")
    assert b"TAKENDOWN" not in _built_text(root)


def test_a_post_trashed_before_its_first_import_leaves_the_post_taking_its_slug_alone(
        tmp_path: Path) -> None:
    trashed = _post_item(1, "leaving__trashed", f"<p>{TAKEN_DOWN}</p>", status="trash",
                         title="Leaving")
    new_post = _post_item(3, "leaving", "<p>New.</p>")
    root = _import_twice(tmp_path, trashed, trashed, new_post)
    assert _import(root, export=_small_export(tmp_path, trashed, new_post, STAYING)) == 0
    assert sorted(p.name for p in (root / "content" / "posts").iterdir()) == [
        "leaving.md", "still-here.md"]
    assert "privacy" not in _front(root / "content" / "posts" / "leaving.md")


def test_a_trashed_post_whose_front_matter_cannot_be_edited_is_set_aside(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It is moved out of content/, never published, as a build would stop at it."""
    root = _new_site(tmp_path)
    assert _import(root, export=_small_export(
        tmp_path, _post_item(1, "leaving", f"<p>{TAKEN_DOWN}</p>"), STAYING)) == 0
    leaving = root / "content" / "posts" / "leaving.md"
    leaving.write_text(leaving.read_text(encoding="utf-8").replace("title:", "title: ["),
                       encoding="utf-8")
    capsys.readouterr()
    assert _import(root, export=_small_export(
        tmp_path, _post_item(1, "leaving__trashed", f"<p>{TAKEN_DOWN}</p>", status="trash"),
        STAYING)) == 0
    assert not leaving.exists()
    aside = root / ".veil-import" / "set-aside" / "1" / "leaving.md"
    assert TAKEN_DOWN in aside.read_text(encoding="utf-8")
    assert "content/posts/leaving.md → .veil-import/set-aside/1/leaving.md (id 1)" in \
        capsys.readouterr().out
    assert b"TAKENDOWN" not in _built_text(root)


def test_a_post_made_public_again_by_its_writer_is_left_as_they_chose(
        tmp_path: Path) -> None:
    trashed = _post_item(1, "leaving__trashed", f"<p>{TAKEN_DOWN}</p>", status="trash",
                         title="Leaving")
    root = _import_twice(tmp_path, _post_item(1, "leaving", f"<p>{TAKEN_DOWN}</p>"), trashed)
    leaving = root / "content" / "posts" / "leaving.md"
    leaving.write_text(leaving.read_text(encoding="utf-8").replace("privacy: private\n", ""),
                       encoding="utf-8")
    assert _import(root, export=_small_export(tmp_path, trashed, STAYING)) == 0
    assert "privacy" not in _front(leaving)


def test_a_dry_run_after_a_post_was_trashed_writes_nothing_and_says_what_it_would_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _new_site(tmp_path)
    assert _import(root, export=_small_export(
        tmp_path, _post_item(1, "leaving", f"<p>{TAKEN_DOWN}</p>"), STAYING)) == 0
    before = _tree(root)
    capsys.readouterr()
    assert _import(root, "--dry-run", export=_small_export(tmp_path, STAYING)) == 0
    assert _tree(root) == before
    assert "content/posts/leaving.md made private (id 1" in capsys.readouterr().out


def test_private_text_keeps_every_other_line_of_the_front_matter() -> None:
    text = ("---\ntitle: Leaving  # the working title\nprivacy: protected\ncircles:\n"
            "  - close-friends\n# where it was first posted\ntags: [family]\n---\n\nBody.\n")
    assert private_text(text, Path("leaving.md")) == (
        "---\nprivacy: private\ntitle: Leaving  # the working title\n"
        "# where it was first posted\ntags: [family]\n---\n\nBody.\n")
    assert private_text("---\n{title: x, privacy: public}\n---\n", Path("x.md")) is None
    assert private_text("no front matter\n", Path("x.md")) is None


_COMMENT = """<wp:comment><wp:comment_id>7</wp:comment_id>
<wp:comment_author><![CDATA[Sam]]></wp:comment_author>
<wp:comment_date><![CDATA[2020-01-02 10:00:00]]></wp:comment_date>
<wp:comment_content><![CDATA[Thank you for this.]]></wp:comment_content>
<wp:comment_approved><![CDATA[1]]></wp:comment_approved>
<wp:comment_type><![CDATA[comment]]></wp:comment_type>
<wp:comment_parent>0</wp:comment_parent></wp:comment>"""


def test_a_link_to_a_post_written_as_a_bundle_finds_it(tmp_path: Path) -> None:
    """A post with comments becomes a folder (its comments beside it): a link to it by
    its WordPress id leads to its page, from a post and from another bundle."""
    with_comments = _post_item(2, "the-long-night", "<p>A night that went on.</p>").replace(
        "</item>", _COMMENT + "</item>")
    linking = _post_item(3, "morning", '<p>After <a href="https://fern.example/?p=2">the '
                                       "long night</a>, morning.</p>")
    root = _import_and_build(tmp_path, with_comments, linking)
    assert (root / "content/posts/the-long-night/index.md").is_file()
    page = (root / "site/posts/morning/index.html").read_text(encoding="utf-8")
    assert '<a href="../the-long-night/index.html">the long night</a>' in page
