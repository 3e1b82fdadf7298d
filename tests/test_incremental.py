"""Rebuilds that reuse earlier work give exactly the bytes of a clean build."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASIC_CONFIG, NOW, SiteDir, jpeg, post
from veil.build import build_site
from veil.memo import BuildMemo

NAMES = ("alder", "birch", "cedar", "damson")
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


@settings(max_examples=15, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(edit, min_size=1, max_size=6))
def test_random_edit_sequences_match_a_clean_build(edits: list[tuple[str, str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = SiteDir(Path(tmp) / "blog")
        site.write("veil.yaml", BASIC_CONFIG)
        site.write("content/media/leaf.jpg", jpeg(6, 4))
        states = {n: {"body": "calm", "privacy": "public", "tag": "", "series": "",
                      "warning": ""} for n in NAMES}
        for name in NAMES:
            _write(site, name, states[name])
        memo = BuildMemo()
        build_site(site.root, site.out, now=NOW, memo=memo)
        for kind, name, value in edits:
            if kind == "delete":
                (site.root / "content" / "posts" / f"{name}.md").unlink(missing_ok=True)
            elif kind == "template":
                site.write("templates/tag.html", "{% extends 'base.html' %}{% block content %}"
                           f"<p>Version {value}</p>{{% endblock %}}")
            elif kind == "config":
                site.write("veil.yaml", BASIC_CONFIG.replace("posts_per_page: 3",
                                                             f"posts_per_page: {value}"))
            elif kind == "image":
                site.write("content/media/leaf.jpg", jpeg(6, 4) if value == "small"
                           else jpeg(12, 8))
            else:
                states[name][kind] = value
                _write(site, name, states[name])
            build_site(site.root, site.out, now=NOW, memo=memo)
            clean = SiteDir(site.root)
            build_site(site.root, Path(tmp) / "clean", now=NOW)
            clean_files = {p.relative_to(Path(tmp) / "clean").as_posix(): p.read_bytes()
                           for p in sorted((Path(tmp) / "clean").rglob("*")) if p.is_file()}
            assert site.files() == clean_files, (kind, name, value)
            del clean


def test_the_markdown_cache_is_reused_and_a_damaged_entry_is_ignored(
        tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    for name in NAMES:
        site.write(f"content/posts/{name}.md", post(f"The {name} tree", body=f"About {name}."))
    build_site(site.root, site.out, now=NOW)
    first = site.files()
    cache = site.root / ".veil-cache" / "markdown"
    entries = sorted(cache.glob("*.json"))
    assert len(entries) == len(NAMES)

    fresh = BuildMemo()
    build_site(site.root, tmp_path / "again", now=NOW, memo=fresh)
    assert fresh.store is not None
    assert (fresh.store.hits, fresh.store.misses) == (len(NAMES), 0)  # nothing rendered anew

    entries[0].write_text('{"broken', encoding="utf-8")
    entries[1].write_text('{"html": 5, "excerpt": [], "text": null, "links": "x"}',
                          encoding="utf-8")
    build_site(site.root, tmp_path / "third", now=NOW)
    third = {p.relative_to(tmp_path / "third").as_posix(): p.read_bytes()
             for p in sorted((tmp_path / "third").rglob("*")) if p.is_file()}
    assert third == first
