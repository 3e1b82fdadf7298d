"""`veil import wordpress`: nothing is more public after the import than it was before."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import NOW, REPO
from veil.build import build_site
from veil.cli import main
from veil.errors import Diagnostics
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
