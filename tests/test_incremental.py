"""Rebuilds that reuse earlier work give exactly the bytes of a clean build."""

from __future__ import annotations

import marshal
import os
import pickle
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import veil.build
import veil.pipeline.parse
import veil.resume
from conftest import BASIC_CONFIG, NOW, SiteDir, jpeg, post
from veil.build import BuildResult, BuildState, build_site, inputs_as_last_built
from veil.cache import BuildCache
from veil.errors import VeilError
from veil.watch import Rebuilder
from veil.workers import MINIMUM_ITEMS

NAMES = ("alder", "birch", "cedar", "damson", "elder")
edit = st.one_of(
    st.tuples(st.just("body"), st.sampled_from(NAMES), st.sampled_from(("calm", "storm", "tide"))),
    st.tuples(st.just("privacy"), st.sampled_from(NAMES),
              st.sampled_from(("public", "unlisted", "private", "draft"))),
    st.tuples(st.just("tag"), st.sampled_from(NAMES), st.sampled_from(("grief", "rest", ""))),
    st.tuples(st.just("series"), st.sampled_from(NAMES), st.sampled_from(("Tides", ""))),
    st.tuples(st.just("warning"), st.sampled_from(NAMES), st.sampled_from(("grief", ""))),
    st.tuples(st.just("delete"), st.sampled_from(NAMES), st.just("")),
    st.tuples(st.just("template"), st.just(""), st.sampled_from(("A", "B"))),
    st.tuples(st.just("config"), st.just(""), st.sampled_from(("2", "3"))),
    st.tuples(st.just("image"), st.just(""), st.sampled_from(("small", "large"))),
    st.tuples(st.just("vocabulary"), st.just(""), st.sampled_from(("Loss.", "Mourning."))),
)


def _write(site: SiteDir, name: str, state: dict[str, str]) -> None:
    front = {}
    if state["privacy"] == "draft":
        front["draft"] = "true"
    elif state["privacy"] != "public":
        front["privacy"] = state["privacy"]
    for key in ("tag", "series", "warning"):
        if state[key]:
            front[{"tag": "tags", "series": "series", "warning": "warnings"}[key]] = (
                f"[{state[key]}]" if key != "series" else state[key])
    site.write(f"content/posts/{name}.md", post(
        f"The {name} tree", date=f"2024-01-0{NAMES.index(name) + 1}",
        body=f"The {name} post, in {state['body']} weather. ![a leaf](../media/leaf.jpg)",
        **front))


def _four_posts(folder: Path) -> SiteDir:
    site = SiteDir(folder / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    for name in NAMES:
        site.write(f"content/posts/{name}.md", post(f"The {name} tree", body=f"About {name}."))
    return site


def _clean_build(site: SiteDir, folder: Path) -> dict[str, bytes]:
    """A build with an empty cache into an empty folder, as on a new machine."""
    output = folder / "clean"
    build_site(site.root, output, now=NOW, state=BuildState(BuildCache(folder / "clean-cache")))
    return {p.relative_to(output).as_posix(): p.read_bytes()
            for p in sorted(output.rglob("*")) if p.is_file()}


def _rebuild_after_saving(site: SiteDir, state: BuildState, *saved: Path,
                          trust_watcher: bool = False) -> BuildResult:
    """What `veil watch` does after these saves: their times settle, then the site is
    built with the watcher's word for what was saved."""
    site.settle()
    return build_site(site.root, site.out, now=NOW, state=state, changed=set(saved),
                      trust_watcher=trust_watcher)


@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(edit, st.booleans()), min_size=1, max_size=6))
def test_random_edit_sequences_match_a_clean_build(
        edits: list[tuple[tuple[str, str, str], bool]]) -> None:
    """After each edit the site is rebuilt, either by the same process (as `veil watch`
    does, keeping what it knows) or by a new one (as `veil build` does, from the cache on
    disk); every time the output equals a clean build of the same sources byte for byte."""
    with tempfile.TemporaryDirectory() as tmp:
        site = SiteDir(Path(tmp) / "blog")
        site.write("veil.yaml", BASIC_CONFIG)
        site.write("content/media/leaf.jpg", jpeg(6, 4))
        states = {n: {"body": "calm", "privacy": "public", "tag": "", "series": "",
                      "warning": ""} for n in NAMES}
        for name in NAMES:
            _write(site, name, states[name])
        site.settle()
        watching = BuildState(BuildCache(site.root / ".veil-cache"))
        build_site(site.root, site.out, now=NOW, state=watching)
        for step, ((kind, name, value), new_process) in enumerate(edits):
            saved = {"template": "templates/tag.html", "config": "veil.yaml",
                     "image": "content/media/leaf.jpg", "vocabulary": "warnings.yaml"
                     }.get(kind, f"content/posts/{name}.md")
            if kind == "delete":
                (site.root / saved).unlink(missing_ok=True)
            elif kind == "template":
                site.write(saved, "{% extends 'base.html' %}{% block content %}"
                           f"<p>Version {value}</p>{{% endblock %}}")
            elif kind == "config":
                site.write(saved, BASIC_CONFIG.replace("posts_per_page: 3",
                                                       f"posts_per_page: {value}"))
            elif kind == "image":
                site.write(saved, jpeg(6, 4) if value == "small" else jpeg(12, 8))
            elif kind == "vocabulary":
                site.write(saved, f"terms:\n  grief:\n    description: {value}\n")
            else:
                states[name][kind] = value
                _write(site, name, states[name])
            site.settle()  # saved a while ago, so the build may trust the files' times
            if new_process:
                build_site(site.root, site.out, now=NOW,
                           state=BuildState(BuildCache(site.root / ".veil-cache")))
            else:  # told what was saved, as the watcher tells it, and taken at its word
                build_site(site.root, site.out, now=NOW, state=watching,
                           changed={(site.root / saved).resolve()}, trust_watcher=True)
                assert inputs_as_last_built(watching, site.root)  # nothing was missed
            clean = _clean_build(site, Path(tmp) / f"step-{step}")
            assert site.files() == clean, (kind, name, value, new_process)


def test_a_second_build_reuses_every_parsed_source_and_writes_nothing(tmp_path: Path) -> None:
    site = _four_posts(tmp_path)
    first = build_site(site.root, site.out, now=NOW)
    assert first.parsed == len(NAMES)
    again = build_site(site.root, site.out, now=NOW)  # a new process: the cache on disk
    assert (again.parsed, again.rendered) == (0, 0)
    assert again.report is not None and not again.report.changed

    site.write("content/posts/birch.md", post("The birch tree", body="About birch, again."))
    edited = build_site(site.root, site.out, now=NOW)
    assert edited.parsed == 1
    assert edited.report is not None and edited.report.written >= 1
    assert "About birch, again." in site.read("posts/birch/index.html")


@pytest.mark.parametrize("settled", [True, False], ids=["saved a while ago", "saved just now"])
def test_a_first_build_of_many_posts_keeps_what_the_next_build_reuses(
        tmp_path: Path, settled: bool) -> None:
    """A first build hashes its many sources where it parses them, not before: the next
    build finds every parse under the key it takes itself, files saved just now too."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    names = [f"day-{number:02}" for number in range(MINIMUM_ITEMS + 2)]
    for name in names:
        site.write(f"content/posts/{name}.md", post(f"The {name} walk", body=f"About {name}."))
    if settled:
        site.settle()
    first = build_site(site.root, site.out, now=NOW)
    assert first.parsed == len(names)
    again = build_site(site.root, site.out, now=NOW)
    assert (again.parsed, again.rendered) == (0, 0)

    site.write("content/posts/day-07.md", post("The day-07 walk", body="Rain all day."))
    edited = build_site(site.root, site.out, now=NOW)
    assert edited.parsed == 1
    assert "Rain all day." in site.read("posts/day-07/index.html")
    assert site.files() == _clean_build(site, tmp_path)


def test_comments_deleted_while_a_first_build_parses_are_not_kept_as_published(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse of a post whose comments file went away during a first build is kept
    under the comments it was read with: the next build reads the post again, and the
    comments are gone from its page."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    for number in range(MINIMUM_ITEMS + 2):
        site.write(f"content/posts/day-{number:02}.md",
                   post(f"The day {number} walk", body=f"About day {number}."))
    site.write("content/posts/alder/index.md", post("The alder tree", body="Alder."))
    comments = site.write("content/posts/alder/comments.yaml", (
        "comments:\n  - author: Ann\n    date: '2024-01-02'\n"
        "    html: Words that name me\n"))
    site.settle()
    parse_chunk = veil.pipeline.parse._parse_chunk

    def deleting_the_comments(sources: list[Any], shared: Any) -> Any:
        parsed = parse_chunk(sources, shared)
        if any(s.bundle_dir is not None for s in sources):
            comments.unlink(missing_ok=True)  # deleted by the writer just after the parse
        return parsed

    monkeypatch.setenv("VEIL_JOBS", "1")
    monkeypatch.setattr(veil.pipeline.parse, "_parse_chunk", deleting_the_comments)
    build_site(site.root, site.out, now=NOW)
    monkeypatch.setattr(veil.pipeline.parse, "_parse_chunk", parse_chunk)
    assert not comments.exists()
    again = build_site(site.root, site.out, now=NOW)
    assert again.parsed == 1
    assert "Words that name me" not in site.read("posts/alder/index.html")


@pytest.mark.parametrize("watching", [False, True], ids=["new process", "watch"])
def test_a_body_edit_takes_again_only_the_fingerprints_of_pages_that_show_it(
        tmp_path: Path, watching: bool) -> None:
    """When only a body changed, the outputs that never read it keep their fingerprints;
    the ones that show it (its page, listings with its excerpt, feeds) are made again. The
    archive lists titles only, so it is not."""
    kept = BuildState(BuildCache(tmp_path / "blog" / ".veil-cache"))

    def build_site(root: Path, out: Path, now: datetime) -> BuildResult:
        state = kept if watching else None
        return veil.build.build_site(root, out, now=now, state=state)

    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    site.write("content/posts/alder.md", post("The alder tree", body="About alder.",
                                              tags="[trees]", date="2024-01-01"))
    site.write("content/posts/birch.md", post("The birch tree", body="About birch.",
                                              date="2024-01-02"))
    site.settle()
    first = build_site(site.root, site.out, now=NOW)
    assert first.fingerprinted == len(first.paths)

    site.write("content/posts/alder.md", post("The alder tree", body="Alder, in winter.",
                                              tags="[trees]", date="2024-01-01"))
    site.settle()
    edited = build_site(site.root, site.out, now=NOW)
    assert site.files() == _clean_build(site, tmp_path)
    showing = {"posts/alder/index.html", "index.html", "tags/trees/index.html", "feed.xml",
               "atom.xml"}
    assert edited.fingerprinted == len(showing)
    assert edited.rendered == len(showing)
    assert "Alder, in winter." in site.read("tags/trees/index.html")

    site.write("content/posts/alder.md", post("The alder tree, renamed", body="Alder.",
                                              tags="[trees]", date="2024-01-01"))
    site.settle()
    renamed = build_site(site.root, site.out, now=NOW)  # a title is read far and wide
    assert renamed.fingerprinted == len(renamed.paths)
    assert site.files() == _clean_build(site, tmp_path / "renamed")


def test_a_damaged_or_foreign_cache_is_ignored(tmp_path: Path) -> None:
    site = _four_posts(tmp_path)
    site.write("content/posts/damson.md", post(  # its sentences are kept for the leak check
        "The damson tree", body="A private sentence, long enough to be looked for.",
        privacy="private"))
    build_site(site.root, site.out, now=NOW)
    first = site.files()
    database = site.root / ".veil-cache" / "cache.sqlite"

    with sqlite3.connect(database) as db:  # records that decode to nonsense
        db.execute("UPDATE parsed SET record = ? WHERE rowid = 1", (marshal.dumps({"meta": 5}),))
        db.execute("UPDATE parsed SET record = ? WHERE rowid = 2", (b"\xffnot a record",))
        db.execute("UPDATE parsed SET record = 'text' WHERE rowid = 3")
        db.execute("UPDATE sentences SET list = ? WHERE rowid = 1", (marshal.dumps([1, 2]),))
        db.execute("UPDATE bodies SET html = NULL WHERE rowid = 3")
    shutil.rmtree(site.out)
    build_site(site.root, site.out, now=NOW)
    assert site.files() == first

    database.write_bytes(b"this is not a database" * 100)  # a damaged file
    shutil.rmtree(site.out)
    build_site(site.root, site.out, now=NOW)
    assert site.files() == first


def test_another_veils_cache_is_started_over_whole(tmp_path: Path) -> None:
    """A cache another veil made is started over, tables of its own making too (one
    shaped otherwise, or holding text this veil would never drop)."""
    site = _four_posts(tmp_path)
    build_site(site.root, site.out, now=NOW)
    first = site.files()
    database = site.root / ".veil-cache" / "cache.sqlite"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE kept_by_another_veil(text TEXT)")
        db.execute("INSERT INTO kept_by_another_veil VALUES('a sentence taken out since')")
        db.execute("UPDATE info SET value = 'veil-cache-0 another' WHERE name = 'schema'")
    shutil.rmtree(site.out)
    build_site(site.root, site.out, now=NOW)
    assert site.files() == first
    with sqlite3.connect(database) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert "kept_by_another_veil" not in tables and "parsed" in tables


def test_a_template_change_renders_again_only_the_pages_that_use_it(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    for name in NAMES:
        site.write(f"content/posts/{name}.md", post(f"The {name} tree", body=f"About {name}.",
                                                   tags="[trees]"))
    build_site(site.root, site.out, now=NOW)
    before = site.files()
    site.write("templates/tag.html", "{% extends 'base.html' %}{% block content %}"
               "<p>Trees, all of them</p>{% endblock %}")
    result = build_site(site.root, site.out, now=NOW)
    after = site.files()
    changed = sorted(p for p in after if after[p] != before.get(p))
    tag_pages = ["tags/trees/index.html", "tags/trees/page/2/index.html"]
    assert changed == tag_pages
    assert result.report is not None and result.report.written == len(tag_pages)
    assert result.rendered == len(tag_pages)  # no other page uses tag.html


def test_a_warning_vocabulary_change_reaches_every_page_that_shows_the_warning(
        tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    site.write("content/posts/alder.md", post("The alder tree", body="Loss.", warnings="[grief]"))
    site.write("content/posts/birch.md", post("The birch tree", body="Calm."))
    build_site(site.root, site.out, now=NOW)
    site.write("warnings.yaml", "terms:\n  grief:\n    description: Loss, mourning, and "
               "a new way of saying so.\n")
    build_site(site.root, site.out, now=NOW)
    assert site.files() == _clean_build(site, tmp_path)
    assert "a new way of saying so" in site.read("posts/alder/index.html")


def test_the_cache_can_live_elsewhere_and_a_second_build_says_nothing_changed(
        tmp_path: Path, run_cli, monkeypatch) -> None:
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    site.write("content/posts/alder.md", post("The alder tree", body="About alder."))
    elsewhere = tmp_path / "caches" / "blog"
    first = run_cli("build", "--site", str(site.root), "--cache-dir", str(elsewhere))
    assert first.code == 0, first.err
    assert "1 rendered" not in first.out and "rendered" in first.out
    assert (elsewhere / "cache.sqlite").is_file()
    assert not (site.root / ".veil-cache").exists()

    monkeypatch.setenv("VEIL_CACHE_DIR", str(elsewhere))
    site.write("content/posts/alder.md", post("The alder tree", body="About alder, again."))
    edited = run_cli("build", "--site", str(site.root))
    assert edited.code == 0, edited.err
    rendered = re.search(r"(\d+) rendered", edited.out)
    assert rendered and 0 < int(rendered.group(1)) < len(site.files()), edited.out
    assert not (site.root / ".veil-cache").exists()
    again = run_cli("build", "--site", str(site.root))
    assert "Nothing changed" in again.out, again.out


def test_a_changed_setting_reaches_every_page_that_shows_it(tmp_path: Path) -> None:
    site = _four_posts(tmp_path)
    build_site(site.root, site.out, now=NOW)
    before = site.files()
    site.write("veil.yaml", BASIC_CONFIG.replace("title: Test Blog", "title: Renamed Blog"))
    result = build_site(site.root, site.out, now=NOW)
    after = site.files()
    assert after == _clean_build(site, tmp_path)
    pages = [p for p in after if p.endswith(".html")]
    assert all(after[p] != before[p] for p in pages if p in before), "a page kept the old title"
    assert result.rendered >= len(pages)


def test_a_theme_linked_in_from_elsewhere_is_followed(tmp_path: Path) -> None:
    """A writer may keep a theme outside the site and link it in: an edit there reaches
    every page that uses it, even when a post was edited at the same time."""
    theme = tmp_path / "elsewhere" / "quiet"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates" / "tags.html").write_text(
        "{% extends 'base.html' %}{% block content %}<p>Quiet one</p>{% endblock %}")
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG + "theme: quiet\n")
    (site.root / "themes").mkdir()
    link = site.root / "themes" / "quiet"
    link.symlink_to(theme, target_is_directory=True)
    an_hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(link, ns=(an_hour_ago, an_hour_ago), follow_symlinks=False)
    for name in NAMES:
        site.write(f"content/posts/{name}.md", post(f"The {name} tree", body=f"About {name}.",
                                                   tags="[trees]"))
    site.settle()
    build_site(site.root, site.out, now=NOW)
    assert "Quiet one" in site.read("tags/index.html")

    (theme / "templates" / "tags.html").write_text(
        "{% extends 'base.html' %}{% block content %}<p>Quiet two</p>{% endblock %}")
    site.write("content/posts/alder.md", post("The alder tree", body="Alder, again.",
                                              tags="[trees]"))
    site.settle()
    build_site(site.root, site.out, now=NOW)
    assert "Quiet two" in site.read("tags/index.html")
    assert site.files() == _clean_build(site, tmp_path)


def test_a_template_changed_while_the_build_runs_is_the_one_its_pages_use(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build reads templates after it has looked at the files' times: a template
    saved in between is the one its pages are made from."""
    site = _four_posts(tmp_path)
    site.write("templates/tags.html", "{% extends 'base.html' %}{% block content %}"
               "<p>First</p>{% endblock %}")
    site.settle()
    build_site(site.root, site.out, now=NOW)

    def edited_meanwhile(loading: Callable[..., object]) -> Callable[..., object]:
        def load(*args: object, **kwargs: object) -> object:
            if "Second" not in (site.root / "templates/tags.html").read_text():
                path = site.write("templates/tags.html", "{% extends 'base.html' %}"
                                  "{% block content %}<p>Second</p>{% endblock %}")
                stat = path.stat()
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 3600 * 10**9))
            return loading(*args, **kwargs)
        return load

    site.write("content/posts/alder.md", post("The alder tree", body="Alder, again."))
    site.settle()
    # only a body changed: the site model the last build saved is read, not the site
    monkeypatch.setattr(veil.build, "load_model", edited_meanwhile(veil.build.load_model))
    monkeypatch.setattr(veil.build, "load_site", edited_meanwhile(veil.build.load_site))
    build_site(site.root, site.out, now=NOW)
    monkeypatch.undo()
    assert "Second" in site.read("tags/index.html")
    assert site.files() == _clean_build(site, tmp_path)


@pytest.mark.parametrize("new_process", [False, True], ids=["watch", "new process"])
def test_edited_bodies_are_swapped_in_without_loading_the_site_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_process: bool) -> None:
    """A save that changed only what a post says is built from the last build's site with
    the new body swapped in: in `veil watch`, the site it keeps; in a new process, the
    one the cache keeps. Anything more (a title, a new link, a new file) loads the whole
    site again. Either way the output is that of a clean build."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)

    def write(name: str, body: str, **front: object) -> Path:
        return site.write(f"content/posts/{name}.md", post(
            f"The {name} tree", date=f"2024-01-0{NAMES.index(name) + 1}", body=body,
            **front)).resolve()

    write("alder", "Alder, in spring.", tags="[trees]", series="Tides")
    write("birch", "Birch, unlisted.", privacy="unlisted", series="Tides")
    write("cedar", "Cedar, private.", privacy="private")
    write("damson", "Damson. See [the alder](alder.md).", tags="[trees]")
    site.settle()
    state = BuildState(BuildCache(site.root / ".veil-cache"))
    build_site(site.root, site.out, now=NOW, state=state)
    loading = veil.build.load_site
    loads: list[Path] = []

    def counted(root: Path, **kwargs: object) -> object:
        loads.append(root)
        return loading(root, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(veil.build, "load_site", counted)

    def watched(step: int, saved: Path) -> BuildResult:
        site.settle()
        before = len(loads)
        if new_process:
            result = build_site(site.root, site.out, now=NOW,
                                state=BuildState(BuildCache(site.root / ".veil-cache")))
        else:
            result = build_site(site.root, site.out, now=NOW, state=state, changed={saved})
        result.loaded = len(loads) > before  # type: ignore[attr-defined]
        assert site.files() == _clean_build(site, tmp_path / f"clean-{saved.stem}-{step}")
        return result

    body_edits = [
        lambda: write("alder", "Alder, in winter.\n\n## Snow\n\nDeep.", tags="[trees]",
                      series="Tides"),
        lambda: write("birch", "Birch, still unlisted, longer.", privacy="unlisted",
                      series="Tides"),
        lambda: write("cedar", "Cedar, still private.", privacy="private"),
        lambda: write("damson", "Damson, later. See [the alder](alder.md).", tags="[trees]"),
    ]
    for step, save in enumerate(body_edits):
        assert not watched(step, save()).loaded  # type: ignore[attr-defined]
    assert "Deep." in site.read("posts/alder/index.html")
    assert "Birch, still unlisted" in site.read("posts/birch/index.html")

    more_than_bodies = [
        lambda: site.write("content/posts/alder.md", post(
            "Renamed alder", date="2024-01-01", body="Alder.", tags="[trees]",
            series="Tides")).resolve(),
        lambda: write("damson", "Damson. See [the birch](birch.md).", tags="[trees]"),
        lambda: write("alder", "Alder. ![](leaf.jpg)", tags="[trees]", series="Tides"),
        lambda: write("elder", "A new post."),
    ]
    for step, save in enumerate(more_than_bodies):
        assert watched(step, save()).loaded  # type: ignore[attr-defined]
    assert "The elder tree" in site.read("index.html")


def test_watch_looks_at_every_input_not_only_at_what_the_watcher_reported(
        tmp_path: Path) -> None:
    """A change the watcher did not report (made before it started, or in a file linked
    to another) is built all the same: a post made private leaves the site."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    alder = site.write("content/posts/alder.md", post("The alder tree", body="Alder.")).resolve()
    birch = site.write("content/posts/birch.md", post("The birch tree", body="Birch."))
    (site.root / "content/posts/cedar.md").symlink_to("alder.md")
    site.settle()
    state = BuildState(BuildCache(site.root / ".veil-cache"))
    build_site(site.root, site.out, now=NOW, state=state)
    assert "The birch tree" in site.read("index.html")

    birch.write_text(post("The birch tree", body="Birch.", privacy="private"))
    site.write("content/posts/alder.md", post("The alder tree", body="Alder, in winter."))
    _rebuild_after_saving(site, state, alder)
    assert not (site.out / "posts" / "birch").exists()
    assert "The birch tree" not in site.read("index.html")
    assert "Alder, in winter." in site.read("posts/cedar/index.html")
    assert site.files() == _clean_build(site, tmp_path / "clean-private")

    site.write("content/posts/alder.md", post("The alder tree", body="Alder, in spring."))
    _rebuild_after_saving(site, state, alder)
    assert "Alder, in spring." in site.read("posts/cedar/index.html")
    assert site.files() == _clean_build(site, tmp_path / "clean-linked")


def test_a_new_watch_gets_ready_for_saves_from_the_model_an_earlier_process_saved(
        tmp_path: Path) -> None:
    """`veil serve` started again on a site built before finds nothing to build, then reads
    in the site the last build saved (with the posts an earlier watch rebuilt since), so
    that the first save is made like the next ones: the site ends as a clean build."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    alder = site.write("content/posts/alder.md", _alder("Alder.")).resolve()
    birch = site.write("content/posts/birch.md", post("The birch tree", body="Birch.",
                                                      tags="[trees]")).resolve()
    site.write("content/posts/cedar.md", post("The cedar tree", body="A secret cedar.",
                                              privacy="unlisted"))
    site.write("content/posts/elm.md", post("The elm tree", body="A private elm.",
                                            privacy="private"))
    site.settle()
    first = Rebuilder(site.root, site.out)
    first.build()
    site.write("content/posts/alder.md", _alder("Alder, in winter."))
    site.settle()
    assert not first.build({alder}).missed  # made from the watch's own site: none saved

    again = Rebuilder(site.root, site.out)
    assert again.build().rendered == 0
    again.get_ready_for_saves()
    assert again.state.last is not None  # the saved site, with alder's new body
    site.write("content/posts/birch.md", post("The birch tree", body="Birch, in spring.",
                                              tags="[trees]"))
    site.settle()
    rebuild = again.build({birch})
    assert not rebuild.failed and not rebuild.missed
    assert "Birch, in spring." in site.read("posts/birch/index.html")
    assert "Alder, in winter." in site.read("posts/alder/index.html")
    assert site.files() == _clean_build(site, tmp_path / "clean")


def test_a_template_changed_unseen_and_changed_back_leaves_no_page_of_the_other(
        tmp_path: Path) -> None:
    """A theme linked in from elsewhere sends the watcher no events. Its template edited,
    then put back, while posts are saved: each rebuild renders with the templates whose
    digest its fingerprints hold, so the site ends as a clean build, and a new `veil
    build` finds it so."""
    theme_post = (Path(veil.build.__file__).parents[2] / "themes/default/templates/post.html")
    old = theme_post.read_text().replace("{% endblock %}", "<p>OLD</p>{% endblock %}", 1)
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    site.write("templates/post.html", old)
    alder = site.write("content/posts/alder.md", post("Alder", body="Alder.")).resolve()
    birch = site.write("content/posts/birch.md", post("Birch", body="Birch.")).resolve()
    site.settle()
    subprocess.run([sys.executable, "-m", "veil", "build", "--site", str(site.root)],
                   check=True, capture_output=True)

    watch = Rebuilder(site.root, site.out)  # `veil serve` started later, in a new process
    assert watch.build().rendered == 0
    watch.get_ready_for_saves()
    site.write("templates/post.html", old.replace("OLD", "NEW"))  # not reported
    site.write("content/posts/alder.md", post("Alder", body="Alder, again."))
    site.settle()
    assert not watch.build({alder}).failed
    assert site.files() == _clean_build(site, tmp_path / "clean-new")

    site.write("templates/post.html", old)  # put back, not reported either
    site.write("content/posts/birch.md", post("Birch", body="Birch, again."))
    site.settle()
    assert not watch.build({birch}).failed
    assert "OLD" in site.read("posts/alder/index.html")
    assert site.files() == _clean_build(site, tmp_path / "clean-old")
    assert build_site(site.root, site.out).rendered == 0


def _alder(body: str) -> str:
    return post("The alder tree", body=body, tags="[trees]")


def test_a_save_the_watcher_missed_is_built_right_after_the_one_it_reported(
        tmp_path: Path) -> None:
    """`veil watch` takes the watcher's word for which posts were saved, so that a page is
    rebuilt at once, then looks at every input: a post made private in a save the watcher
    missed has left the site when the rebuild is over."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    alder = site.write("content/posts/alder.md", _alder("Alder.")).resolve()
    birch = site.write("content/posts/birch.md", post("The birch tree", body="Birch."))
    site.settle()
    rebuilder = Rebuilder(site.root, site.out)
    rebuilder.build()
    assert "The birch tree" in site.read("index.html")

    birch.write_text(post("The birch tree", body="Birch.", privacy="private"))
    site.write("content/posts/alder.md", _alder("Alder, in winter."))
    site.settle()
    rebuild = rebuilder.build({alder})
    assert rebuild.missed and not rebuild.failed
    assert not (site.out / "posts" / "birch").exists()
    assert "The birch tree" not in site.read("index.html")
    assert "Alder, in winter." in site.read("posts/alder/index.html")
    assert site.files() == _clean_build(site, tmp_path / "clean-missed")

    # A template saved unseen beside a post the watcher saw: once the rebuild is over, the
    # site is built with both.
    site.write("templates/tag.html", "{% extends 'base.html' %}{% block content %}"
               "<p>Trees tagged {{ tag.name }}</p>{% endblock %}")
    site.write("content/posts/alder.md", _alder("Alder, in the wind."))
    site.settle()
    rebuild = rebuilder.build({alder})
    assert not rebuild.failed
    assert "Trees tagged" in site.read("tags/trees/index.html")
    assert site.files() == _clean_build(site, tmp_path / "clean-template")

    (site.root / "content/posts/cedar.md").symlink_to("alder.md")
    site.settle()
    rebuilder.build({site.root / "content/posts/cedar.md"})
    site.write("content/posts/alder.md", _alder("Alder, in spring."))
    site.settle()
    rebuild = rebuilder.build({alder})
    assert not rebuild.missed  # a link is looked at whatever the watcher says
    assert "Alder, in spring." in site.read("posts/cedar/index.html")
    assert site.files() == _clean_build(site, tmp_path / "clean-linked")


def test_a_watch_rebuild_after_another_process_built_the_folder_trusts_none_of_its_records(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A `veil build` in another terminal that read a post before its last save, and wrote
    the folder while `veil watch` was rebuilding after another save, leaves that post's
    page as it read it; the watch rebuild makes it again from the text saved last."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    zed = site.write("content/posts/zed.md", post("Zed", body="Zed, first.")).resolve()
    ex = site.write("content/posts/ex.md", post("Ex", body="Ex, first.")).resolve()
    site.settle()
    state = BuildState(BuildCache(site.root / ".veil-cache"))
    build_site(site.root, site.out, now=NOW, state=state)
    zed.write_text(post("Zed", body="Zed, second."))
    _rebuild_after_saving(site, state, zed, trust_watcher=True)
    assert "Zed, second." in site.read("posts/zed/index.html")

    ex.write_text(post("Ex", body="Ex, second."))
    site.settle()
    swapping = veil.build.swap_edited_bodies

    def other_build_meanwhile(*args: object, **kwargs: object) -> object:
        monkeypatch.setattr(veil.build, "swap_edited_bodies", swapping)  # once
        saved, stat = zed.read_text(), zed.stat()
        zed.write_text(post("Zed", body="Zed, first."))  # as the other build read it
        build_site(site.root, site.out, now=NOW,
                   state=BuildState(BuildCache(site.root / ".veil-cache")))
        zed.write_text(saved)
        os.utime(zed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        return swapping(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(veil.build, "swap_edited_bodies", other_build_meanwhile)
    build_site(site.root, site.out, now=NOW, state=state, changed={ex}, trust_watcher=True)
    monkeypatch.undo()
    assert "Zed, second." in site.read("posts/zed/index.html")
    assert site.files() == _clean_build(site, tmp_path / "clean")


def test_a_file_saved_just_before_a_long_build_looked_at_it_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file's time counts as settled from when the build looked at it, not from when the
    build ended: a comments file saved a second before a slow build is read again when it
    is saved again within the same second (as a coarse clock shows it), also in watch."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    site.write("content/posts/alder/index.md", post("The alder tree", body="Alder."))
    comments = site.write("content/posts/alder/comments.yaml", "comments:\n  - author: Ann\n"
                          "    date: '2024-01-02'\n    html: Kind words here\n")
    birch = site.write("content/posts/birch.md", post("The birch tree", body="Birch."))
    site.settle()
    just_before = time.time_ns() - 1_000_000_000
    os.utime(comments, ns=(just_before, just_before))
    loading = veil.build.load_site

    def slow(*args: object, **kwargs: object) -> object:
        loaded = loading(*args, **kwargs)
        time.sleep(1.5)  # a large site
        return loaded

    state = BuildState(BuildCache(tmp_path / "cache"))
    monkeypatch.setattr(veil.build, "load_site", slow)
    build_site(site.root, site.out, now=NOW, state=state)
    monkeypatch.undo()
    comments.write_text("comments:\n  - author: Ann\n    date: '2024-01-02'\n"
                        "    html: Cruel word here\n")
    birch.write_text(post("The birch tree", body="Birch!"))
    site.settle()
    os.utime(comments, ns=(just_before, just_before))  # the same second, on a coarse clock
    build_site(site.root, site.out, now=NOW, state=state,
               changed={comments.resolve(), birch.resolve()})
    assert "Cruel word here" in site.read("posts/alder/index.html")
    assert site.files() == _clean_build(site, tmp_path / "clean")


def test_a_link_to_nothing_outside_the_site_is_reported_by_the_next_build(
        tmp_path: Path) -> None:
    site = _four_posts(tmp_path)
    site.settle()
    build_site(site.root, site.out, now=NOW)
    (site.root / "content/posts/elsewhere.md").symlink_to(tmp_path / "nowhere" / "x.md")
    with pytest.raises(VeilError, match="outside its folder"):
        build_site(site.root, site.out, now=NOW)


def test_an_editors_temporary_file_does_not_make_watch_load_the_site(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """sed -i and vim save through a file that is gone by the time the build runs; the
    watcher reports it, but only the saved post is read again."""
    site = _four_posts(tmp_path)
    site.settle()
    state = BuildState(BuildCache(tmp_path / "cache"))
    build_site(site.root, site.out, now=NOW, state=state)
    loading = veil.build.load_site
    loads: list[object] = []
    monkeypatch.setattr(veil.build, "load_site",
                        lambda *a, **k: loads.append(a) or loading(*a, **k))  # type: ignore[func-returns-value]
    folder = (site.root / "content" / "posts").resolve()
    temporary = folder / "sedX1b2c3"
    temporary.write_text(post("The alder tree", body="Alder, saved through sed."))
    os.replace(temporary, folder / "alder.md")
    site.settle()
    build_site(site.root, site.out, now=NOW, state=state,
               changed={temporary, folder / "alder.md"})
    assert loads == []
    assert "Alder, saved through sed." in site.read("posts/alder/index.html")


def test_a_post_saved_while_a_build_reads_it_is_not_remembered_under_its_old_time(
        site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer's post is saved again (a slip: a real name, say) just after a build took
    its size and time; later the writer restores the earlier file from a backup, with its
    time: the site shows the restored text, not the slip."""
    note = site.post("note", "A note", body="Version A of the note, as it first read.")
    site.settle()
    site.build()
    note.write_text(note.read_text().replace("Version A", "Version C"))
    site.settle()
    restored_text, restored_stat = note.read_text(), note.stat()
    looked = veil.build.inputs_fingerprint

    def saved_meanwhile(*args: object, **kwargs: object) -> object:
        found = looked(*args, **kwargs)  # type: ignore[arg-type]
        note.write_text(restored_text.replace("Version C", "Version B"))  # same size
        return found

    monkeypatch.setattr(veil.build, "inputs_fingerprint", saved_meanwhile)
    site.build()
    monkeypatch.undo()
    assert "Version B" in site.read("posts/note/index.html")
    note.write_text(restored_text)
    os.utime(note, ns=(restored_stat.st_atime_ns, restored_stat.st_mtime_ns))
    site.post("other", "Another post", body="Written later.")  # the site loads again
    site.settle()
    site.build()
    assert "Version C" in site.read("posts/note/index.html")


class _Calls:
    """Pickles as a call of `function` (a class found by a dotted name, a function)."""

    def __init__(self, function: object, *args: object):
        self.function, self.args = function, args

    def __reduce__(self) -> tuple[object, ...]:
        return (self.function, self.args)


def _global_call(module: str, name: str, *args: str) -> bytes:
    """A pickle that calls `module`.`name` with `args` (protocol 4 looks dotted names up)."""
    def text(value: str) -> bytes:
        data = value.encode()
        return b"\x8c" + bytes([len(data)]) + data  # SHORT_BINUNICODE

    return (b"\x80\x04" + text(module) + text(name) + b"\x93"  # PROTO, STACK_GLOBAL
            + b"(" + b"".join(map(text, args)) + b"tR.")  # MARK, TUPLE, REDUCE, STOP


def test_a_damaged_foreign_or_crafted_saved_site_model_is_ignored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site model a build keeps for the next process is read only when it is whole,
    signed with this machine's key, made from these very inputs, and beside the cache
    database it was saved with; and even then only into veil's own classes: a file that
    would call anything else is not read."""
    site = _four_posts(tmp_path)
    site.settle()
    build_site(site.root, site.out, now=NOW)
    (model,) = (site.root / ".veil-cache" / "models").glob("*.pickle")
    canary = site.write("canary.txt", "still here")
    loading = veil.build.load_site
    loads: list[Path] = []

    def counted(root: Path, **kwargs: object) -> object:
        loads.append(root)
        return loading(root, **kwargs)  # type: ignore[arg-type]

    def signed(data: bytes) -> None:
        """`data` as a model file this machine would sign: the unpickler is all that is
        left to refuse it."""
        mark = BuildCache(site.root / ".veil-cache").model_mark(site.out.resolve())
        inputs = veil.build.inputs_fingerprint(site.root.resolve(),
                                               (str(site.out.resolve()), False, False))
        assert mark is not None and inputs is not None
        key = veil.resume.machine_key()
        assert key is not None
        signer = veil.resume._signer(key, (str(site.out.resolve()), False, False),
                                     inputs.besides_documents, mark)
        signer.update(data)
        model.write_bytes(veil.resume.FORMAT + signer.digest() + data)

    def other_machine() -> None:
        monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "elsewhere"))

    monkeypatch.setattr(veil.build, "load_site", counted)
    spoiled = {
        "as saved": lambda: None,
        "damaged": lambda: model.write_bytes(model.read_bytes()[:-40] + b"x" * 40),
        "signed elsewhere": other_machine,
        "a function": lambda: signed(pickle.dumps(_Calls(os.remove, str(canary)))),
        # pathlib.io.FileIO(canary, "w") would empty the file
        "a class by a dotted name": lambda: signed(_global_call("pathlib", "io.FileIO",
                                                               str(canary), "w")),
        "database made anew": lambda: BuildCache(site.root / ".veil-cache")
        .save_model_mark(site.out.resolve(), None),
    }
    for step, (how, spoil) in enumerate(spoiled.items()):
        site.write("content/posts/alder.md", post("The alder tree", body=f"Alder, {how}."))
        site.settle()
        spoil()
        before = len(loads)
        build_site(site.root, site.out, now=NOW)
        assert len(loads) == before + (how != "as saved"), how  # the whole site was loaded
        assert f"Alder, {how}." in site.read("posts/alder/index.html")
        assert site.files() == _clean_build(site, tmp_path / f"clean-{step}")
        assert canary.read_text() == "still here", how
        monkeypatch.delenv("XDG_STATE_HOME")
        monkeypatch.undo()
        monkeypatch.setattr(veil.build, "load_site", counted)


def test_a_file_made_while_the_site_is_read_is_not_kept_in_the_saved_model(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A post made after the build looked at the files but before it read them, and gone
    again by the next build, is in no saved model that the next build could resume from:
    its page stays out of the site."""
    site = _four_posts(tmp_path)
    site.settle()
    build_site(site.root, site.out, now=NOW)
    loading = veil.build.load_site

    def made_meanwhile(*args: object, **kwargs: object) -> object:
        site.write("content/posts/fleeting.md", post("A fleeting post", body="Gone soon."))
        return loading(*args, **kwargs)

    site.write("content/posts/alder.md", post("The alder tree, retitled", body="About alder."))
    site.settle()
    monkeypatch.setattr(veil.build, "load_site", made_meanwhile)
    build_site(site.root, site.out, now=NOW)
    monkeypatch.undo()
    assert "A fleeting post" in site.read("index.html")

    (site.root / "content/posts/fleeting.md").unlink()
    site.write("content/posts/birch.md", post("The birch tree", body="About birch, again."))
    site.settle()
    build_site(site.root, site.out, now=NOW)
    assert not (site.out / "posts/fleeting/index.html").exists()
    assert site.files() == _clean_build(site, tmp_path)


def test_a_post_replaced_by_a_link_outside_the_site_is_refused_not_published(
        tmp_path: Path) -> None:
    site = _four_posts(tmp_path)
    site.settle()
    build_site(site.root, site.out, now=NOW)
    outside = tmp_path / "diary.md"
    outside.write_text(post("The alder tree", body="Written outside the site."))
    alder = site.root / "content/posts/alder.md"
    alder.unlink()
    alder.symlink_to(outside)
    site.settle()
    with pytest.raises(VeilError, match="outside its folder"):
        build_site(site.root, site.out, now=NOW)
    assert "Written outside" not in site.read("posts/alder/index.html")


def _cache_bytes(site: SiteDir) -> bytes:
    """Every byte the cache folder holds, database and log included."""
    return b"".join(p.read_bytes() for p in sorted((site.root / ".veil-cache").rglob("*"))
                    if p.is_file())


def test_text_taken_out_of_posts_leaves_the_cache_at_the_next_full_load(
        tmp_path: Path) -> None:
    """The cache holds what the site is, not every version of it: an edited post's earlier
    text and a deleted post's text are gone from it once a build reads the whole site
    again (a body-only edit is built without doing so, and keeps them until then)."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    first = "The first version said something I would rather not keep anywhere."
    gone = "A post I deleted altogether, and whose words should go with it."
    site.post("alder", "The alder tree", body=first, privacy="private")
    site.post("birch", "The birch tree", body=gone)
    site.post("cedar", "The cedar tree", body="Cedar stays.")
    site.settle()
    site.build()
    assert first.encode() in _cache_bytes(site)

    site.post("alder", "The alder tree", body="The second version.", privacy="private")
    site.settle()
    result = site.build()  # a body-only edit: the site is not read again
    assert result.parsed == 1 and first.encode() in _cache_bytes(site)

    (site.root / "content/posts/birch.md").unlink()
    site.post("damson", "The damson tree", body="A new post.")
    site.settle()
    site.build()
    kept = _cache_bytes(site)
    assert first.encode() not in kept and gone.encode() not in kept
    assert b"The second version." in kept and b"Cedar stays." in kept
    with sqlite3.connect(site.root / ".veil-cache" / "cache.sqlite") as db:
        assert db.execute("SELECT count(*) FROM parsed").fetchone() == (3,)
        assert db.execute("SELECT count(*) FROM bodies").fetchone() == (3,)
    # what is left serves the next build whole
    again = site.build()
    assert again.parsed == 0 and again.report.written == 0
    assert site.files() == _clean_build(site, tmp_path / "clean")


def test_a_site_model_saved_for_another_folder_is_not_used_once_its_bodies_are_dropped(
        tmp_path: Path) -> None:
    """Two output folders share one cache (`veil build` and a preview, say). A build into
    one that drops old bodies leaves the other's saved site model unused: its next build
    reads the site again rather than look for a body no longer kept, even for a post put
    back as it was, time and all (as a backup tool restores it)."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    alder = site.post("alder", "The alder tree", body="Alder, the first time.")
    site.post("birch", "The birch tree", body="Birch.")
    site.settle()
    first = alder.read_bytes(), alder.stat()
    other = tmp_path / "other"
    site.build()
    site.build(output=other)  # saves its own site model, with the first alder body
    site.post("alder", "The alder tree", body="Alder, the second time!")
    site.post("birch", "The birch tree, renamed", body="Birch.")
    site.settle()
    site.build()  # reads the whole site (a new title) and drops the first alder body
    assert b"Alder, the first time." not in _cache_bytes(site)  # the other model's too
    alder.write_bytes(first[0])
    os.utime(alder, ns=(first[1].st_atime_ns, first[1].st_mtime_ns))
    site.post("birch", "The birch tree", body="Birch, edited.")  # the feed shows both
    site.settle()
    site.build(output=other)
    built = {p.relative_to(other).as_posix(): p.read_bytes()
             for p in sorted(other.rglob("*")) if p.is_file()}
    assert built == _clean_build(site, tmp_path / "clean")
    assert "Alder, the first time." in (other / "feed.xml").read_text()


def test_watch_reads_the_site_again_when_another_build_dropped_a_body_it_held(
        tmp_path: Path) -> None:
    """`veil watch` keeps parses and bodies between builds; a `veil build` into another
    folder that shares the cache drops what the current sources do not use. An edit the
    writer then undoes brings back a body the watch remembers but the cache no longer
    holds: the watch reads the site again instead of failing."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    alder = site.post("alder", "The alder tree", body="Alder, as first written.").resolve()
    site.post("birch", "The birch tree", body="Birch.")
    site.settle()
    first = alder.read_bytes()
    watching = BuildState(BuildCache(site.root / ".veil-cache"))
    watching.cache.keep_in_memory = True  # as `veil watch` keeps parsed sources
    build_site(site.root, site.out, now=NOW, state=watching)
    site.post("alder", "The alder tree", body="Alder, rewritten.")
    _rebuild_after_saving(site, watching, alder)
    # another process reads the whole site into its own folder and drops the first body
    build_site(site.root, tmp_path / "elsewhere", now=NOW,
               state=BuildState(BuildCache(site.root / ".veil-cache")))
    alder.write_bytes(first)
    _rebuild_after_saving(site, watching, alder)
    assert "Alder, as first written." in site.read("posts/alder/index.html")
    assert site.files() == _clean_build(site, tmp_path / "clean")


def test_watch_makes_the_whole_site_again_when_its_folder_was_removed(
        tmp_path: Path) -> None:
    """The output folder removed while `veil watch` runs (a writer clearing it by hand):
    the next save's build makes every file again, not only the saved post's page."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    alder = site.post("alder", "The alder tree", body="Alder.").resolve()
    site.post("birch", "The birch tree", body="Birch.")
    site.settle()
    watching = BuildState(BuildCache(site.root / ".veil-cache"))
    build_site(site.root, site.out, now=NOW, state=watching)
    shutil.rmtree(site.out)
    site.post("alder", "The alder tree", body="Alder, in spring.")
    _rebuild_after_saving(site, watching, alder)
    assert "The birch tree" in site.read("index.html")
    assert site.files() == _clean_build(site, tmp_path / "clean")
