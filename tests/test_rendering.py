"""What readers see: Markdown, links between posts, warnings, meta tags, feeds, URLs, dates.

Pages are read with html.parser and feeds with xml.etree, so the checks hold whatever the
whitespace or attribute order of the theme.
"""

from __future__ import annotations

import html
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import cast
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import veil.outputs.indexes
from conftest import BASIC_CONFIG, NOW, CliRun, SiteDir, image_size, jpeg, post
from veil import srcset
from veil.config import SiteConfig
from veil.pipeline import markdown
from veil.pipeline.markdown import render_markdown
from veil.urls import Linker

SEA_SIZE, PIC_SIZE = (12, 8), (8, 12)
SEA, PIC = jpeg(*SEA_SIZE), jpeg(*PIC_SIZE)

BASE = "https://example.org/blog/"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"

# --- a small DOM on html.parser ------------------------------------------------------------

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})


class Node:
    def __init__(self, tag: str, attrs: list[tuple[str, str | None]], parent: Node | None):
        self.tag = tag
        self.attrs: dict[str, str | None] = dict(attrs)
        self.parent = parent
        self.children: list[Node | str] = []

    def iter(self, tag: str | None = None) -> Iterator[Node]:
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter(tag)

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter(tag) if cls is None or cls in n.classes]

    def find(self, tag: str, cls: str | None = None) -> Node:
        found = self.find_all(tag, cls)
        assert found, f"no <{tag}{' class=' + cls if cls else ''}>"
        return found[0]

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def text(self) -> str:
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def lineage(self) -> Iterator[Node]:
        node: Node | None = self
        while node is not None:
            yield node
            node = node.parent

    def holders_of(self, phrase: str) -> list[Node]:
        """Elements whose own text (not their children's) contains `phrase`."""
        return [n for n in self.iter()
                if any(isinstance(c, str) and phrase in c for c in n.children)]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, attrs, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, attrs, self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def page(site: SiteDir, rel: str) -> Node:
    return parse_html(site.read(rel))


def meta_content(doc: Node, *, name: str | None = None, prop: str | None = None) -> str | None:
    for meta in doc.find_all("meta"):
        if (name and meta.attrs.get("name") == name) or (prop and meta.attrs.get("property")
                                                         == prop):
            return meta.attrs.get("content") or ""
    return None


def html_files(site: SiteDir) -> list[str]:
    return sorted(p.relative_to(site.out).as_posix() for p in site.out.rglob("*.html"))


def link_target(out: Path, page_rel: str, href: str) -> tuple[Path, str]:
    """The output file a relative link from `page_rel` opens, and its fragment."""
    parts = urlsplit(href)
    assert not parts.scheme and not parts.netloc and not parts.path.startswith("/"), href
    if not parts.path:
        return out / page_rel, parts.fragment
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_rel),
                                               unquote(parts.path)))
    assert joined != ".." and not joined.startswith("../"), f"{href} leaves the site"
    if parts.path.endswith("/") or (out / joined).is_dir():
        joined = posixpath.join(joined, "index.html")
    return out / joined, parts.fragment


def body_of(doc: Node) -> Node:
    return doc.find("div", "post-body")


def anchor(doc: Node, text: str) -> Node:
    found = [a for a in body_of(doc).find_all("a") if a.text() == text]
    assert found, f"no link {text!r} in the body"
    return found[0]


# --- Markdown -------------------------------------------------------------------------

def test_markdown_extensions(site: SiteDir) -> None:
    site.post("rich", "Rich text", body="""
        | Feeling | Strength |
        |---------|---------:|
        | calm    | 3        |

        This is ~~struck out~~ and kept.

        A claim that needs a source.[^src]

        See https://example.net/path?x=1 and www.example.com for more.

        ## Where It Starts

        Text under the heading; [jump up](#where-it-starts).

        [^src]: The source, in a footnote.
        """)
    site.build()
    doc = page(site, "posts/rich/index.html")
    body = body_of(doc)

    table = body.find("table")
    assert [th.text() for th in table.find_all("th")] == ["Feeling", "Strength"]
    assert [td.text() for td in table.find_all("td")] == ["calm", "3"]

    struck = body.find_all("s") + body.find_all("del")
    assert [s.text() for s in struck] == ["struck out"]

    ref = next(a for a in body.find_all("a") if (a.attrs.get("href") or "").startswith("#fn"))
    target_id = (ref.attrs["href"] or "")[1:]
    notes = [n for n in doc.iter() if n.attrs.get("id") == target_id]
    assert len(notes) == 1 and "The source, in a footnote." in notes[0].text()
    assert "[^src]" not in body.text()

    links = {a.text(): a.attrs.get("href") for a in body.find_all("a")}
    assert links["https://example.net/path?x=1"] == "https://example.net/path?x=1"
    assert urlsplit(links["www.example.com"] or "").netloc == "www.example.com"
    assert urlsplit(links["www.example.com"] or "").scheme in ("http", "https")

    heading = body.find("h2")
    assert heading.text() == "Where It Starts"
    assert heading.attrs.get("id") == "where-it-starts"
    assert links["jump up"] == "#where-it-starts"


def test_a_file_name_in_prose_does_not_become_a_link_to_a_stranger(site: SiteDir) -> None:
    """Bare https:// and www. addresses are linked; `notes.md` is a file name, not a site."""
    site.post("prose", "Prose", body="I keep it all in notes.md, as my therapist suggested.")
    site.build()
    body = body_of(page(site, "posts/prose/index.html"))
    assert "I keep it all in notes.md, as my therapist suggested." in body.text()
    assert [a.attrs.get("href") for a in body.iter("a")] == []


def test_bare_addresses_are_linked_wherever_they_sit_in_a_paragraph() -> None:
    """Each piece of a paragraph's text is tested on its own for addresses (after
    emphasis, beside a written link), whatever their case."""
    html_out = render_markdown(
        "*Read* [this](https://example.org/a) and Www.Example.com, or *mail* me@example.net "
        "about notes.md or WWW.SHOUT.ORG.", "posts/p.md", 1).html
    linked = re.findall(r'<a href="([^"]+)">([^<]+)</a>', html_out)
    assert linked == [("https://example.org/a", "this"),
                      ("http://Www.Example.com", "Www.Example.com"),
                      ("mailto:me@example.net", "me@example.net"),
                      ("http://WWW.SHOUT.ORG", "WWW.SHOUT.ORG")]


# Pieces of link destinations, from the plain ones veil's shortcut keeps as written to the
# ones markdown-it-py must normalize (hosts in capitals, ports, escapes, accents, spaces).
_LINK_PIECES = ["http://", "https://", "HTTPS://", "mailto:", "//", "www.", "example.com",
                "Example.COM", "/x/", "?q=1", "&b=2", "#frag", ":80", "user@", "[::1]", "%",
                "%2F", "xn--", "-", ".", "..", "/", "~", "+", "=", "?", "#", "é", " ", "\\",
                ":", "@", "a", "Z", "0"]


_SRCSET_ADDRESS = st.text(st.sampled_from("ab/.:%()-_,\u00a0"), min_size=1, max_size=12
                          ).filter(lambda a: not a.startswith(",") and not a.endswith(","))
_SRCSET_DESCRIPTOR = st.sampled_from(["", "1x", "2x", "1.5x", "480w", "100w 2x", "1x((y)",
                                      "(a, b) 2x", "f(x\u00a0y)"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_SRCSET_ADDRESS, _SRCSET_DESCRIPTOR), min_size=1, max_size=5),
       st.sampled_from([", ", " ,\n  "]))
@example([("a.jpg", "1x"), ("b.jpg", "2x")], ",")  # a comma alone ends descriptors
@example([("a.jpg", "1x((y)"), ("../hidden/b.jpg", "2x")], ", ")  # "(" does not nest
@example([("a\u00a0b.jpg", "")], ", ")  # a no-break space is part of the address
def test_a_srcset_is_read_as_browsers_read_its_candidates(
        written: list[tuple[str, str]], comma: str) -> None:
    value = comma.join(f"{address} {descriptor}" if descriptor else address
                       for address, descriptor in written)
    assert srcset.candidates(value) == written
    assert srcset.rewrite(value, lambda address: address) == value
    assert srcset.rewrite(value, lambda address: "x" + address) == ", ".join(
        f"x{address} {descriptor}" if descriptor else f"x{address}"
        for address, descriptor in written)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_LINK_PIECES), max_size=10).map("".join))
@example("https://example.org/resources/stream-patience?x=1&y=2#part-2")
@example("//EXAMPLE.com/a")
@example("https://" + ("a" * 60 + ".") * 5 + "com/x")
def test_link_destinations_are_normalized_as_markdown_it_normalizes_them(url: str) -> None:
    """veil keeps a plain destination as written without asking markdown-it-py: the
    result is always the library's own."""
    from markdown_it.common.normalize_url import normalizeLink

    assert markdown.markdown_parser().normalizeLink(url) == normalizeLink(url)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["a", "ab", "posts", "post", "x y", "é", "%20", "~q"]),
                min_size=1, max_size=4).map("/".join),
       st.lists(st.sampled_from(["a", "ab", "posts", "post", "b", "é"]), max_size=3)
       .map("/".join))
def test_links_between_outputs_are_relative_paths(target: str, start: str) -> None:
    """A link from an output to another is the relative path between them, escaped."""
    from urllib.parse import quote

    expected = posixpath.relpath(target, start or ".")
    config = cast(SiteConfig, SimpleNamespace(pretty_links=True))
    linker = Linker(config, posixpath.join(start, "index.html"))
    assert linker.url("/" + target) == quote(expected, safe="/.-_~%")


def test_an_address_inside_an_unclosed_link_label_is_text_not_a_crash(site: SiteDir) -> None:
    """markdown-it-py's own rule for bare addresses stops its parser on this text; veil
    builds the post and keeps the text."""
    site.post("odd", "Odd", body="I filed it under notes.org[http://p:// for now.")
    site.build()
    assert "notes.org[" in body_of(page(site, "posts/odd/index.html")).text()


def test_a_paragraph_the_markdown_library_fails_on_is_reported_with_its_line(
        site: SiteDir, run_cli: Callable[..., CliRun], monkeypatch: pytest.MonkeyPatch) -> None:
    # without veil's guard, the library's rule fails on this paragraph (see above)
    monkeypatch.setattr(markdown, "_inline_linkify_that_moves_on", markdown.inline_linkify)
    markdown.markdown_parser.cache_clear()
    try:
        site.post("odd", "Odd", body="A first paragraph.\n\nFiled under notes.org[http://p://.")
        result = run_cli("build", "--site", str(site.root))
    finally:
        monkeypatch.undo()
        markdown.markdown_parser.cache_clear()
    assert result.code == 1
    assert "odd.md:8" in result.err and "Markdown parser failed" in result.err
    assert "Traceback" not in result.err and not site.out.exists()


def test_heading_ids_are_unique_on_a_page(site: SiteDir) -> None:
    site.post("twice", "Twice", body="## Again\n\none\n\n## Again\n\ntwo\n")
    site.build()
    ids = [h.attrs.get("id") for h in body_of(page(site, "posts/twice/index.html")).iter("h2")]
    assert len(ids) == 2 and None not in ids and len(set(ids)) == 2


def linked_site(site: SiteDir, pretty: bool) -> None:
    site.write("veil.yaml", BASIC_CONFIG + f"pretty_links: {'true' if pretty else 'false'}\n")
    site.write("content/media/sea.jpg", SEA)
    site.write("content/posts/bundle/pic.jpg", PIC)
    site.post("first", "First post", date="2024-01-01", body="""
        To [the second](second.md), to [its middle](second.md#the-middle),
        to [the bundle](bundle/index.md) and [about me](../pages/about.md).

        ![the grey sea](../media/sea.jpg)
        """)
    site.post("second", "Second post", date="2024-02-01", body="""
        Before.

        ## The middle

        Back to [the first](./first.md).
        """)
    site.write("content/posts/bundle/index.md", """---
title: Bundled post
date: 2024-03-01
---

![a small picture](pic.jpg) and ![the grey sea](../../media/sea.jpg)

Back to [the first](../first.md) or [the picture itself](pic.jpg).
""")
    site.write("content/pages/about.md", """---
title: About me
---

Start with [the first](../posts/first.md) or [the bundle](../posts/bundle/index.md).
![the grey sea](../media/sea.jpg)
""")


TITLES = {"first": "First post", "second": "Second post", "bundle": "Bundled post",
          "about": "About me"}


@pytest.mark.parametrize("pretty", [False, True], ids=["index-links", "pretty-links"])
def test_links_between_sources_open_the_right_page_from_every_depth(
        site: SiteDir, pretty: bool) -> None:
    linked_site(site, pretty)
    result = site.build()
    assert not result.warnings, [p.format() for p in result.warnings]

    expected = {
        "posts/first/index.html": {"the second": ("second", ""),
                                   "its middle": ("second", "the-middle"),
                                   "the bundle": ("bundle", ""), "about me": ("about", "")},
        "posts/second/index.html": {"the first": ("first", "")},
        "posts/bundle/index.html": {"the first": ("first", "")},
        "about/index.html": {"the first": ("first", ""), "the bundle": ("bundle", "")},
    }
    for source_page, links in expected.items():
        doc = page(site, source_page)
        for text, (target, fragment) in links.items():
            href = anchor(doc, text).attrs.get("href") or ""
            assert not href.startswith(("/", "http")), f"{source_page}: {href} is not relative"
            assert ".md" not in href
            file, got_fragment = link_target(site.out, source_page, href)
            assert file.is_file(), f"{source_page}: {href} opens nothing"
            assert parse_html(file.read_text("utf-8")).find("h1").text() == TITLES[target]
            assert got_fragment == fragment
            if fragment:
                assert any(n.attrs.get("id") == fragment
                           for n in parse_html(file.read_text("utf-8")).iter())


def test_links_to_files_with_spaces_and_accents(site: SiteDir) -> None:
    site.post("my notes", "My notes", date="2024-01-01",
              body="To [the accented one](%C3%BCber-m%C3%BCde.md) and [again](<über-müde.md>).")
    site.post("über-müde", "Über müde", date="2024-01-02",
              body="Back to [my notes](my%20notes.md) and [again](<my notes.md>).")
    result = site.build()
    assert not result.warnings, [p.format() for p in result.warnings]
    for source, target in (("my-notes", "Über müde"), ("über-müde", "My notes")):
        rel = f"posts/{source}/index.html"
        links = list(body_of(page(site, rel)).iter("a"))
        assert len(links) == 2
        for a in links:
            file, _ = link_target(site.out, rel, a.attrs.get("href") or "")
            assert file.is_file(), f"{rel}: {a.attrs.get('href')} opens nothing"
            assert parse_html(file.read_text("utf-8")).find("h1").text() == target


def test_images_are_published_and_found_from_their_pages(site: SiteDir) -> None:
    linked_site(site, pretty=False)
    site.build()
    assert image_size(site.out / "posts" / "bundle" / "pic.jpg") == PIC_SIZE
    assert image_size(site.out / "media" / "sea.jpg") == SEA_SIZE
    for source_page in ("posts/first/index.html", "posts/bundle/index.html", "about/index.html"):
        images = {img.attrs.get("alt"): img.attrs.get("src")
                  for img in body_of(page(site, source_page)).iter("img")}
        assert "the grey sea" in images, source_page
        for alt, src in images.items():
            file, _ = link_target(site.out, source_page, src or "")
            assert file.is_file(), f"{source_page}: image {alt!r} at {src} is missing"
            if alt == "the grey sea":
                assert image_size(file) == SEA_SIZE
            if alt == "a small picture":
                assert image_size(file) == PIC_SIZE
    bundle = page(site, "posts/bundle/index.html")
    file, _ = link_target(site.out, "posts/bundle/index.html",
                          anchor(bundle, "the picture itself").attrs.get("href") or "")
    assert image_size(file) == PIC_SIZE


@pytest.mark.parametrize("privacy", ["private", "unlisted", "draft", "future"])
def test_a_link_to_a_hidden_post_becomes_plain_text(site: SiteDir, privacy: str) -> None:
    front = {"private": {"privacy": "private"}, "unlisted": {"privacy": "unlisted"},
             "draft": {"draft": "true"}, "future": {}}[privacy]
    date = "2030-01-01" if privacy == "future" else "2024-01-01"
    site.post("hidden-one", "Kept back", date=date, body="Words kept back.", **front)
    site.post("open", "Open post", date="2024-02-01", body="""
        Intro.

        More in [the other one](hidden-one.md), later.
        """)
    result = site.build()
    doc = page(site, "posts/open/index.html")
    assert "More in the other one, later." in body_of(doc).text()
    assert not [a for a in body_of(doc).iter("a") if a.text() == "the other one"]
    for rel, data in site.files().items():
        if rel.startswith("posts/hidden-one/"):
            continue
        assert b"hidden-one" not in data, f"{rel} names the hidden post's address"
    warned = [p.format(site.root.resolve()) for p in result.warnings]
    assert any(w.startswith("content/posts/open.md:8: warning:") and "hidden-one.md" in w
               for w in warned), warned


@pytest.mark.parametrize("privacy", ["unlisted", "private", "protected"])
def test_a_photo_of_a_hidden_post_is_shown_by_that_post_alone(
        site: SiteDir, privacy: str) -> None:
    """A file beside a post names the post's address: another post that shows it would
    tell readers where an unlisted post lives, or that a private one exists. It is left
    out there, with a warning; the post itself shows it without one."""
    site.write("secrets.yaml", "address_key: a-key-for-this-test-site\n"
                               "passwords:\n  friends: a long shared passphrase\n")
    circles = {"circles": "[friends]"} if privacy == "protected" else {}
    site.write("content/posts/hidden-one/photo.jpg", jpeg(8, 6))
    site.write("content/posts/hidden-one/index.md", post(
        "Kept back", privacy=privacy, body="Words kept back.\n\n![the lake](photo.jpg)",
        **circles))
    site.post("open", "Open post", date="2024-02-01", body="""
        Intro.

        ![the lake, again](hidden-one/photo.jpg)
        """)
    result = site.build()
    assert "the lake, again" in body_of(page(site, "posts/open/index.html")).text()
    for rel, data in site.files().items():
        if not rel.startswith("posts/hidden-one/"):
            assert b"hidden-one" not in data, f"{rel} names the hidden post's address"
    if privacy == "unlisted":
        assert 'src="photo.jpg"' in site.read("posts/hidden-one/index.html")
    warned = [p.format(site.root.resolve()) for p in result.warnings]
    assert [w for w in warned if "hidden-one" in w or "photo.jpg" in w] == [
        "content/posts/open.md:8: warning: image `hidden-one/photo.jpg` is a file of "
        "another post, which is not public: it is left out so that post's address stays "
        "hidden\n    fix: copy the file beside this post or into content/media/, or make the "
        "post it belongs to public"], warned


def test_links_and_images_written_as_html_go_where_markdown_ones_go(site: SiteDir) -> None:
    """HTML written into a post (or brought in by an import) links to other posts by
    their files as Markdown does: a link to a post that is not public becomes its text, a
    photo is found under the name it is published as."""
    site.post("hidden-one", "Kept back", privacy="private", body="Words kept back.")
    site.post("other", "Another open post", body="Hello.")
    site.write("content/posts/open/IMG_20240101_093012.jpg", jpeg(8, 6))
    site.write("content/posts/open/index.md", post("Open post", date="2024-02-01", body="""
        Intro.

        <p>Read <a href="../hidden-one.md" rel="noopener">what I kept back</a> and
        <a class="x" href='../other.md#top'>the other one</a>.</p>

        <img alt="waves" src="IMG_20240101_093012.jpg">

        <p><a href=../hidden-one.md>unquoted</a>, <a title="a>b" href="../hidden-one.md">a
        title with a bracket</a>, <A HREF="../hidden-one.md">in capitals</A> and
        <a href="../about/">a page, written from the page</a>.</p>

        <video controls src="VID_20240101_101010.mp4"></video>

        A line with <a href="../hidden-one.md">an unclosed link, then
        [a link of another site](https://example.com/f) and
        <a href="../hidden-one%2Emd">an encoded one</a>.
        """))
    site.write("content/posts/open/VID_20240101_101010.mp4", b"\x00\x00\x00\x08free")
    result = site.build()
    page_html = site.read("posts/open/index.html")
    for rel, data in site.files().items():
        assert b"hidden-one" not in data, f"{rel} names the hidden post's address"
    assert "what I kept back" in page_html and "IMG_2024" not in page_html
    assert re.search(r'<a href="\.\./other/(index\.html)?#top" class="x">the other one</a>',
                     page_html)
    for suffix in (".jpg", ".mp4"):
        neutral = next(p.name for p in (site.out / "posts" / "open").iterdir()
                       if p.suffix == suffix)
        assert f'src="{neutral}"' in page_html, suffix
    assert '<a href="../about/">a page, written from the page</a>' in page_html
    assert '<a href="https://example.com/f">a link of another site</a>' in page_html
    for text in ("unquoted", "title with a bracket", "in capitals"):
        assert re.search(f"<span class=\"unresolved-link\">[^<]*{text}</span>", page_html), text
    warned = [p.format(site.root.resolve()) for p in result.warnings]
    assert [w for w in warned if "hidden-one.md" in w and "not public" in w], warned


def test_the_images_of_a_srcset_written_as_html_go_where_its_src_goes(site: SiteDir) -> None:
    """A srcset (an image for each screen density or width, as blogging tools write them)
    finds each image under the name it is published as, from the page and from the feed;
    an image of a post that is not public is left out of it, with a warning."""
    site.write("content/posts/hidden-one/IMG_20240101_093013.jpg", jpeg(8, 6))
    site.post("hidden-one/index", "Kept back", privacy="private", body="Words kept back.")
    site.write("content/media/sea at dusk.jpg", jpeg(8, 6))
    site.write("content/media/sea at dusk, large.jpg", jpeg(16, 12))
    site.write("content/posts/open/IMG_20240101_093012.jpg", jpeg(8, 6))
    site.write("content/posts/open/IMG_20240101_093012-2x.jpg", jpeg(16, 12))
    site.write("content/posts/open/index.md", post("Open post", date="2024-02-01", body="""
        Intro.

        <img alt="waves" src="IMG_20240101_093012.jpg"
          srcset="IMG_20240101_093012.jpg 1x,IMG_20240101_093012-2x.jpg 2x">

        <img alt="odd descriptors" src="IMG_20240101_093012.jpg"
          srcset="IMG_20240101_093012.jpg 1x((y), ../hidden-one/IMG_20240101_093013.jpg 2x">

        <picture>
        <source media="(min-width: 40em)"
          srcset="../../media/sea%20at%20dusk%2C%20large.jpg 800w,
            ../hidden-one/IMG_20240101_093013.jpg 400w, https://example.com/far.jpg 1200w">
        <img alt="the sea" src="../../media/sea%20at%20dusk.jpg">
        </picture>
        """))
    result = site.build()
    page_html = site.read("posts/open/index.html")
    published = sorted(p.name for p in (site.out / "posts" / "open").iterdir()
                       if p.suffix == ".jpg")
    assert len(published) == 2 and not any("IMG_" in name for name in published)
    waves = re.search(r'<img src="([\w.-]+)" alt="waves" srcset="\1 1x, ([\w.-]+) 2x" />',
                      page_html)
    assert waves is not None and sorted(waves.groups()) == published
    small, large = waves.groups()
    assert ('srcset="../../media/sea%20at%20dusk%2C%20large.jpg 800w, '
            'https://example.com/far.jpg 1200w"') in page_html
    for rel, data in site.files().items():
        assert b"hidden-one" not in data and b"IMG_" not in data, rel
    feed = site.read("feed.xml")
    assert (f'srcset="https://example.org/blog/posts/open/{small} 1x, '
            f'https://example.org/blog/posts/open/{large} 2x"') in feed
    warned = [p.format(site.root.resolve()) for p in result.warnings]
    assert [w for w in warned if "hidden-one/IMG" in w and "not public" in w], warned


def test_a_broken_link_is_a_warning_at_its_line(site: SiteDir) -> None:
    site.post("broken", "Broken", body="""
        Intro.

        A link to [nowhere](nowhere.md) in a short paragraph.
        """)
    result = site.build()
    warned = [p.format(site.root.resolve()) for p in result.warnings]
    assert any(w.startswith("content/posts/broken.md:8: warning:") and "nowhere.md" in w
               for w in warned), warned
    assert "A link to nowhere in a short paragraph." in body_of(
        page(site, "posts/broken/index.html")).text()


def test_a_broken_link_in_a_wrapped_paragraph_is_reported_at_its_own_line(
        site: SiteDir) -> None:
    site.post("wrapped", "Wrapped", body="""
        Intro.

        A paragraph wrapped
        over several lines
        before [the broken link](nowhere.md) comes,
        and after it.
        """)
    result = site.build()
    warned = [p.format(site.root.resolve()) for p in result.warnings if "nowhere.md" in p.message]
    assert len(warned) == 1
    # the file: 1 ---, 2 title, 3 date, 4 ---, 5 blank, 6 Intro., 7 blank, 8-11 paragraph
    assert warned[0].startswith("content/posts/wrapped.md:10: warning:"), warned


# --- warnings on the post page ---------------------------------------------------------

def test_a_warned_post_sits_in_a_closed_details_that_names_canonical_terms(
        site: SiteDir) -> None:
    site.post("heavy", "A heavy day", warnings="[sa, SH]",
              body="The body of the heavy day begins here.")
    result = site.build()
    assert not result.warnings
    doc = page(site, "posts/heavy/index.html")
    gates = doc.find_all("details", "content-warning")
    assert len(gates) == 1
    gate = gates[0]
    assert "open" not in gate.attrs
    summary = gate.find("summary")
    assert summary.parent is gate and gate.children.index(summary) == next(
        i for i, c in enumerate(gate.children) if isinstance(c, Node))
    said = summary.text()
    assert "sexual assault" in said and "self-harm" in said
    assert not re.search(r"\b(sa|SH)\b", said)
    holders = doc.holders_of("The body of the heavy day begins here.")
    assert holders
    for holder in holders:
        assert gate in holder.lineage(), "body text outside the warning"
        assert summary not in holder.lineage()
    assert doc.find("h1").text() == "A heavy day"


def test_an_unknown_term_is_shown_as_written_with_a_did_you_mean_warning(
        site: SiteDir) -> None:
    site.post("lost", "Lost time", warnings="[dissociaton, night terrors]",
              body="Body of lost time.")
    result = site.build()
    warned = [p.format(site.root.resolve()) for p in result.warnings]
    assert any(w.startswith("content/posts/lost.md:4: warning:") and "dissociaton" in w
               and "did you mean `dissociation`" in w for w in warned), warned
    assert any("night terrors" in w for w in warned), warned
    said = page(site, "posts/lost/index.html").find("details", "content-warning").find(
        "summary").text()
    assert "dissociaton" in said and "night terrors" in said


def test_warnings_yaml_adds_a_term_with_aliases(site: SiteDir) -> None:
    site.write("warnings.yaml", """\
terms:
  night terrors:
    description: Waking in fear at night.
    aliases: [nt, sleep terrors]
""")
    site.post("nights", "Nights", warnings="[NT, Sleep Terrors]", body="Body of the nights.")
    result = site.build()
    assert not result.warnings, [p.format() for p in result.warnings]
    summary = page(site, "posts/nights/index.html").find("details", "content-warning").find(
        "summary")
    assert summary.text().count("night terrors") == 1
    assert "nt," not in summary.text().lower() and "sleep terrors" not in summary.text().lower()
    assert any(n.attrs.get("title") == "Waking in fear at night." for n in summary.iter())


# --- warnings in listings --------------------------------------------------------------

def warned_listing_site(site: SiteDir) -> None:
    site.post("heavy", "A heavy day", date="2024-05-01", warnings="[sa]", tags="[therapy]",
              series="Rupture and repair", part="1",
              body="Unsettling opening words of the heavy day.\n\nMore after.")
    site.post("light", "A light day", date="2024-04-01", tags="[therapy]",
              series="Rupture and repair", part="2", body="Gentle opening words.")


LISTINGS = ["index.html", "tags/therapy/index.html", "archive/index.html",
            "archive/2024/index.html", "series/rupture-and-repair/index.html"]


@pytest.mark.parametrize("listing", LISTINGS)
def test_listings_show_the_warning_and_gate_the_excerpt(site: SiteDir, listing: str) -> None:
    warned_listing_site(site)
    site.build()
    raw = site.read(listing)
    doc = parse_html(raw)
    entry = next(a for a in doc.iter("article") if "A heavy day" in a.text())
    assert "Content warning" in entry.text() and "sexual assault" in entry.text()
    excerpt = "Unsettling opening words"
    holders = doc.holders_of(excerpt)
    for holder in holders:
        gates = [n for n in holder.lineage() if n.tag == "details"]
        assert gates, f"{listing}: the excerpt of a warned post is shown ungated"
        assert all("open" not in g.attrs for g in gates)
    for node in doc.iter():
        assert not any(excerpt in (v or "") for v in node.attrs.values()), listing
    if not listing.startswith("archive/"):
        assert holders, f"{listing}: the excerpt should be there, behind the gate"
    assert "Gentle opening words." in doc.text() or listing.startswith("archive/")


def test_a_warned_post_is_gated_in_the_series_parts_of_its_sibling(site: SiteDir) -> None:
    warned_listing_site(site)
    site.build()
    doc = page(site, "posts/light/index.html")
    assert "Unsettling opening words" not in doc.text()
    parts = doc.find("details", "series-parts")
    assert "open" not in parts.attrs
    part = next(li for li in parts.iter("li") if "A heavy day" in li.text())
    assert "sexual assault" in part.text()


def test_a_long_series_lists_the_parts_near_each_page_and_links_to_all(
        site: SiteDir) -> None:
    """Twenty parts: each part's page lists the first and last parts and three either side
    of itself, in order with gaps marked, and links to the series page, which lists all."""
    site.write("secrets.yaml", "address_key: a-key-for-this-test-site\n"
                               "passwords:\n  friends: a long shared passphrase\n")
    for number in range(1, 21):
        extra = ({"privacy": "protected", "circles": "[friends]"} if number == 8 else
                 {"warnings": "[grief]"} if number == 12 else {})
        site.post(f"part-{number:02}", f"Night shift, part {number}", series="Night Shift",
                  part=str(number), date=f"2024-01-{number:02}", **extra)
    site.build()

    def listed(name: str) -> list[str]:
        parts = page(site, f"posts/{name}/index.html").find("details", "series-parts")
        return [li.attrs.get("value") or " ".join(li.text().split()) for li in parts.iter("li")]

    assert listed("part-10") == ["1", "…5 more parts", "7", "8", "9", "10", "11", "12", "13",
                                 "…6 more parts", "20"]
    assert listed("part-01") == ["1", "2", "3", "4", "…15 more parts", "20"]
    assert listed("part-18") == ["1", "…13 more parts", "15", "16", "17", "18", "19", "20"]
    # a part alone between two listed ones is listed rather than hidden behind "…"
    assert listed("part-05") == [str(n) for n in range(1, 9)] + ["…11 more parts", "20"]
    doc = page(site, "posts/part-10/index.html")
    box = doc.find("nav", "series-box")
    text = " ".join(box.text().split())
    assert "Part 10 of 20" in text and "Parts near this one" in text
    assert "Protected part" in text and "Night shift, part 8" not in text
    assert "Content warning: grief" in text
    assert "Previous part: Night shift, part 9" in text
    everything = next(a for a in box.iter("a") if "All 20 parts" in a.text())
    assert everything.attrs["href"] == "../../series/night-shift/index.html"
    series_page = page(site, "series/night-shift/index.html").text()
    assert all(f"Night shift, part {n}" in series_page for n in range(1, 21) if n != 8)


def test_numbers_in_front_matter_read_as_a_writer_means_them(site: SiteDir) -> None:
    """YAML 1.1 reads `08` as text, `010` as octal 8 and `1:30` as 90: zero-padded parts
    were refused or put out of order, and a time as a title became another number."""
    for number in ("07", "08", "09", "010", "011"):
        site.write(f"content/posts/p{number}.md", f"---\ntitle: Part {number}\n"
                   f"date: 2024-01-01\nseries: Padded\npart: {number}\n---\n\nWords.\n")
    site.write("content/posts/time.md", "---\ntitle: 1:30\ndate: 2024-01-02\n---\n\nLate.\n")
    site.write("content/posts/agent.md", "---\ntitle: 007\ndate: 2024-01-03\n---\n\nShh.\n")
    site.build()
    parts = page(site, "posts/p09/index.html").find("details", "series-parts")
    assert [(li.attrs["value"], " ".join(li.text().split())) for li in parts.iter("li")] == [
        ("1", "Part 07"), ("2", "Part 08"), ("3", "Part 09 (this part)"), ("4", "Part 010"),
        ("5", "Part 011")]
    assert '<h1 class="post-title">1:30</h1>' in site.read("posts/time/index.html")
    assert '<h1 class="post-title">007</h1>' in site.read("posts/agent/index.html")


def test_a_large_archive_lists_its_years_and_each_year_its_posts(
        site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ARCHIVE_LISTED_WHOLE posts (3 here), /archive/ says how many posts each year
    holds, linking to the year's page, which lists them."""
    monkeypatch.setattr(veil.outputs.indexes, "ARCHIVE_LISTED_WHOLE", 3)
    for number, date in enumerate(["2023-05-01", "2024-01-01", "2024-02-01", "2024-03-01"]):
        site.post(f"post-{number}", f"A walk by the river, {number}", date=date)
    site.build()
    archive = page(site, "archive/index.html")
    text = " ".join(archive.text().split())
    assert "2024 3 posts2023 1 post" in text
    assert "A walk by the river" not in text
    assert {a.attrs["href"] for a in archive.iter("a") if a.text().strip() in ("2023", "2024")
            } == {"2023/index.html", "2024/index.html"}
    year = " ".join(page(site, "archive/2024/index.html").text().split())
    assert all(f"A walk by the river, {n}" in year for n in (1, 2, 3))



def test_a_tag_with_many_posts_is_listed_a_page_at_a_time_newest_first(site: SiteDir) -> None:
    """A tag of a large blog is paginated like the home page (3 posts a page here): every
    post once, newest first, each page linking to its neighbours."""
    for day in range(1, 8):
        site.post(f"walk-{day}", f"A walk by the river on the {day}th", date=f"2024-03-0{day}",
                  tags="[walks]")
    site.post("other", "An untagged morning", date="2024-03-09")
    site.build()
    rels = ["tags/walks/index.html", "tags/walks/page/2/index.html",
            "tags/walks/page/3/index.html"]
    assert not (site.out / "tags/walks/page/4").exists()
    titles = [[h.find("a").text() for h in page(site, rel).find_all("h2", "entry-title")]
              for rel in rels]
    assert titles == [[f"A walk by the river on the {day}th" for day in days]
                      for days in ((7, 6, 5), (4, 3, 2), (1,))]
    second = page(site, rels[1])
    assert second.find("h1").text() == "Posts tagged “walks”, page 2"
    assert "Page 2 of 3" in second.text()
    assert {a.attrs["rel"]: a.attrs["href"] for a in second.find("nav", "pagination").iter("a")
            } == {"prev": "../../index.html", "next": "../3/index.html"}
    assert "walks 7 posts" in page(site, "tags/index.html").text()

# --- meta tags --------------------------------------------------------------------------

def test_meta_of_a_warned_post_say_only_the_warnings(site: SiteDir) -> None:
    site.write("content/posts/heavy/face.jpg", jpeg(4, 4))
    site.write("content/posts/heavy/index.md", """---
title: A heavy day
date: 2024-01-01
warnings: [sa, dissociation]
summary: Safe words by the author.
---

Graphic opening sentence about the day.

![a face](face.jpg)
""")
    site.build()
    doc = page(site, "posts/heavy/index.html")
    description = meta_content(doc, name="description")
    og = meta_content(doc, prop="og:description")
    for said in (description, og):
        assert said is not None
        assert "sexual assault" in said and "dissociation" in said
        assert "Graphic" not in said and "opening" not in said and "Safe words" not in said
    assert meta_content(doc, prop="og:image") is None
    assert not [m for m in doc.iter("meta") if "face.jpg" in str(m.attrs)]


@pytest.mark.parametrize("summary", [None, "Written by me, for the list."])
def test_meta_of_an_unwarned_post_is_its_summary_or_excerpt(
        site: SiteDir, summary: str | None) -> None:
    front = {"summary": summary} if summary else {}
    site.post("calm", "A calm day", body="Quiet opening sentence of the calm day.", **front)
    site.build()
    doc = page(site, "posts/calm/index.html")
    want = summary or "Quiet opening sentence of the calm day."
    assert meta_content(doc, name="description") == want
    assert meta_content(doc, prop="og:description") == want


# --- feeds -----------------------------------------------------------------------------

def plain(html_text: str) -> str:
    return parse_html(html_text).text()


def rss_items(site: SiteDir, rel: str = "feed.xml") -> dict[str, ET.Element]:
    channel = ET.fromstring(site.read(rel)).find("channel")
    assert channel is not None
    return {item.findtext("link") or "": item for item in channel.findall("item")}


def atom_entries(site: SiteDir, rel: str = "atom.xml") -> dict[str, ET.Element]:
    feed = ET.fromstring(site.read(rel))
    entries = {}
    for entry in feed.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        assert link is not None
        entries[link.get("href") or ""] = entry
    return entries


def feed_site(site: SiteDir, warned_content: str | None = None) -> None:
    if warned_content:
        site.write("veil.yaml", BASIC_CONFIG + f"feeds:\n  warned_content: {warned_content}\n")
    site.write("content/media/sea.jpg", SEA)
    site.post("heavy", "A heavy day", date="2024-03-01", warnings="[sa, SH]",
              summary="The author's safe line.",
              body="Graphic body sentence that stays on the site.")
    site.post("unsummed", "No summary", date="2024-02-01", warnings="[grief]",
              body="Another body sentence behind a warning.")
    site.post("calm", "A calm day", date="2024-01-01",
              body="Calm body with [a link](heavy.md) and ![the sea](../media/sea.jpg).")


HEAVY = BASE + "posts/heavy/"
UNSUMMED = BASE + "posts/unsummed/"
CALM = BASE + "posts/calm/"


def item_text(item: ET.Element) -> str:
    return html.unescape(ET.tostring(item, encoding="unicode"))


def test_a_warned_feed_item_leads_with_the_warnings_and_by_default_carries_no_body(
        site: SiteDir) -> None:
    feed_site(site)
    site.build()
    items = rss_items(site)
    heavy = items[HEAVY]
    assert (heavy.findtext("title") or "").startswith("[CW: sexual assault, self-harm] ")
    assert (heavy.findtext("title") or "").endswith("A heavy day")
    description = heavy.findtext("description") or ""
    assert plain(description).startswith("Content warning: sexual assault, self-harm")
    assert "The author's safe line." in plain(description)
    assert HEAVY in description
    assert "Graphic body sentence" not in item_text(heavy)

    unsummed = items[UNSUMMED]
    assert (unsummed.findtext("title") or "").startswith("[CW: grief] ")
    assert plain(unsummed.findtext("description") or "").startswith("Content warning: grief")
    assert UNSUMMED in (unsummed.findtext("description") or "")
    assert "Another body sentence" not in item_text(unsummed)

    atom = site.read("atom.xml")
    assert "Graphic body sentence" not in atom and "Another body sentence" not in atom
    entry = atom_entries(site)[HEAVY]
    assert (entry.findtext(f"{ATOM}title") or "").startswith("[CW: sexual assault, self-harm]")


def test_warned_content_full_puts_the_body_after_the_warnings(site: SiteDir) -> None:
    feed_site(site, "full")
    site.build()
    for item in (rss_items(site)[HEAVY],):
        text = plain(item.findtext("description") or "")
        assert text.startswith("Content warning: sexual assault, self-harm")
        assert text.index("Graphic body sentence") > text.index("Content warning")
    entry = atom_entries(site)[HEAVY]
    content = plain(entry.findtext(f"{ATOM}content") or "")
    assert content.startswith("Content warning: sexual assault, self-harm")
    assert "Graphic body sentence" in content


def test_warned_content_none_gives_only_the_warnings_and_a_link(site: SiteDir) -> None:
    feed_site(site, "none")
    site.build()
    heavy = rss_items(site)[HEAVY]
    description = heavy.findtext("description") or ""
    assert plain(description).startswith("Content warning: sexual assault, self-harm")
    assert HEAVY in description
    assert "The author's safe line." not in item_text(heavy)
    assert "Graphic body sentence" not in item_text(heavy)
    assert "Graphic body sentence" not in site.read("atom.xml")


def test_an_unwarned_feed_item_carries_the_body_with_absolute_links(site: SiteDir) -> None:
    feed_site(site)
    site.build()
    calm = rss_items(site)[CALM]
    assert calm.findtext("title") == "A calm day"
    body = calm.findtext(CONTENT) or calm.findtext("description") or ""
    assert "Calm body with" in plain(body)
    doc = parse_html(body)
    assert [a.attrs.get("href") for a in doc.iter("a")] == [HEAVY]
    assert [i.attrs.get("src") for i in doc.iter("img")] == [BASE + "media/sea.jpg"]
    entry = atom_entries(site)[CALM]
    atom_body = parse_html(entry.findtext(f"{ATOM}content") or "")
    assert [a.attrs.get("href") for a in atom_body.iter("a")] == [HEAVY]


def test_feeds_are_xml_with_utc_dates_and_absolute_addresses(site: SiteDir) -> None:
    feed_site(site)
    site.post("part", "A part", date="2024-01-02", series="Letters")
    site.build()
    for rel in ("feed.xml", "series/letters/feed.xml"):
        items = rss_items(site, rel)
        assert items
        for link, item in items.items():
            assert link.startswith(BASE)
            assert (item.findtext("guid") or "").startswith(BASE)
            moment = parsedate_to_datetime(item.findtext("pubDate") or "")
            assert moment.utcoffset() == timedelta(0), item.findtext("pubDate")
    for rel in ("atom.xml", "series/letters/atom.xml"):
        feed = ET.fromstring(site.read(rel))
        for tag in ("published", "updated"):
            for stamp in feed.iter(f"{ATOM}{tag}"):
                moment = datetime.fromisoformat((stamp.text or "").replace("Z", "+00:00"))
                assert moment.utcoffset() == timedelta(0), stamp.text
        for link in feed.iter(f"{ATOM}link"):
            assert (link.get("href") or "").startswith(BASE)
    assert set(rss_items(site, "series/letters/feed.xml")) == {BASE + "posts/part/"}


def test_atom_content_declares_a_type_atom_readers_understand(site: SiteDir) -> None:
    feed_site(site)
    site.build()
    for entry in ET.fromstring(site.read("atom.xml")).findall(f"{ATOM}entry"):
        for content in entry.findall(f"{ATOM}content"):
            kind = content.get("type", "text")
            # RFC 4287 4.1.3.1: "text", "html", "xhtml" or a MIME media type
            assert kind in ("text", "html", "xhtml") or "/" in kind, (
                f"<content type={kind!r}> is not a valid Atom content type")


def test_an_unchanged_site_gives_byte_identical_feeds(site: SiteDir) -> None:
    feed_site(site)
    site.post("part", "A part", date="2024-01-02", series="Letters")
    site.build()
    first = {rel: data for rel, data in site.files().items() if rel.endswith(".xml")}
    site.build(now=NOW + timedelta(days=40))
    second = {rel: data for rel, data in site.files().items() if rel.endswith(".xml")}
    assert set(first) >= {"feed.xml", "atom.xml", "sitemap.xml", "series/letters/feed.xml"}
    assert first == second


# --- URLs -------------------------------------------------------------------------------

SUPPORT = """\
support:
  - name: A helpline
    description: Someone to talk to.
    url: https://help.example.net/
    phone: "000 111"
"""


def rich_site(site: SiteDir, extra_config: str = "") -> None:
    site.write("veil.yaml", BASIC_CONFIG + extra_config)
    linked_site_files(site)


def linked_site_files(site: SiteDir) -> None:
    site.write("content/media/sea.jpg", SEA)
    site.write("content/posts/bundle/pic.jpg", PIC)
    for number in range(1, 6):
        site.post(f"post-{number}", f"Post number {number}", date=f"2024-0{number}-01",
                  tags="[therapy, writing]", series="Letters" if number % 2 else "null",
                  warnings="[grief]" if number == 3 else "[]",
                  body=f"Body {number}. [Next](post-{number % 5 + 1}.md#part). "
                       "![the sea](../media/sea.jpg)\n\n## Part\n\nText[^1].\n\n[^1]: Note.")
    site.write("content/posts/bundle/index.md", """---
title: Bundled post
date: 2023-12-01
---

![a small picture](pic.jpg) [back](../post-1.md)
""")
    site.write("content/pages/about.md",
               "---\ntitle: About me\nmenu: 1\n---\n\nSee [a post](../posts/post-2.md).\n")


@pytest.mark.parametrize("pretty", [False, True], ids=["index-links", "pretty-links"])
def test_internal_links_are_relative_and_all_resolve(site: SiteDir, pretty: bool) -> None:
    rich_site(site, f"pretty_links: {'true' if pretty else 'false'}\n")
    site.build()
    pages = [rel for rel in html_files(site) if rel != "404.html"]
    assert len(pages) > 12
    for rel in pages:
        doc = page(site, rel)
        for node in doc.iter():
            for attr in ("href", "src"):
                value = node.attrs.get(attr)
                if value is None:
                    continue
                if node.tag == "link" and node.attrs.get("rel") == "canonical":
                    assert value.startswith(BASE)
                    continue
                assert not value.startswith("/"), f"{rel}: {attr}={value} is rooted"
                assert not value.startswith(BASE), f"{rel}: {attr}={value} is absolute"
                if urlsplit(value).scheme:
                    continue  # another site, mailto:, tel:
                file, fragment = link_target(site.out, rel, value)
                assert file.is_file(), f"{rel}: {attr}={value} opens nothing"
                if fragment and file.suffix == ".html":
                    ids = {n.attrs.get("id") for n in parse_html(file.read_text("utf-8")).iter()}
                    assert fragment in ids, f"{rel}: {value} points at a missing #{fragment}"


def test_a_site_served_from_a_sub_path(site: SiteDir) -> None:
    rich_site(site)
    site.build()
    doc = page(site, "posts/post-2/index.html")
    canonical = next(n for n in doc.iter("link") if n.attrs.get("rel") == "canonical")
    assert canonical.attrs.get("href") == BASE + "posts/post-2/"
    assert meta_content(doc, prop="og:url") == BASE + "posts/post-2/"

    sitemap = ET.fromstring(site.read("sitemap.xml"))
    locs = [loc.text or "" for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert BASE + "posts/post-2/" in locs and BASE in locs
    assert all(loc.startswith(BASE) for loc in locs)
    assert f"Sitemap: {BASE}sitemap.xml" in site.read("robots.txt")

    for link in rss_items(site):
        assert link.startswith(BASE)

    not_found = page(site, "404.html")
    checked = 0
    for node in not_found.iter():
        for attr in ("href", "src"):
            value = node.attrs.get(attr)
            if value is None or value.startswith("#") or urlsplit(value).scheme:
                continue
            assert value.startswith("/blog/"), f"404.html: {attr}={value} is not under /blog/"
            rest = value[len("/blog/"):].split("#")[0]
            target = site.out / rest
            if rest == "" or rest.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), f"404.html: {value} opens nothing"
            checked += 1
    assert checked >= 4


def test_the_support_link_of_every_page_opens_a_page(site: SiteDir) -> None:
    rich_site(site, SUPPORT)
    site.build()
    warned = page(site, "posts/post-3/index.html")
    box = warned.find("aside", "support")
    assert "A helpline" in box.text() and "000 111" in box.text()
    for rel in ("index.html", "posts/post-3/index.html", "about/index.html"):
        for a in page(site, rel).iter("a"):
            href = a.attrs.get("href") or ""
            if a.text() == "Support" and not urlsplit(href).scheme:
                file, _ = link_target(site.out, rel, href)
                assert file.is_file(), f"{rel}: the Support link {href} opens nothing"


# --- dates ------------------------------------------------------------------------------

def test_naive_dates_are_read_in_the_sites_time_zone(site: SiteDir) -> None:
    site.write("veil.yaml", BASIC_CONFIG + "timezone: America/New_York\n")
    site.post("winter", "Winter", date="2024-01-15 08:30")
    site.post("summer", "Summer", date="2024-07-01")
    site.post("offset", "Offset", date='"2024-03-01T08:30:00+01:00"')
    site.build()
    items = rss_items(site)

    def published(slug: str) -> datetime:
        return parsedate_to_datetime(items[BASE + f"posts/{slug}/"].findtext("pubDate") or "")

    assert published("winter") == datetime(2024, 1, 15, 13, 30, tzinfo=UTC)
    assert published("summer") == datetime(2024, 7, 1, 4, 0, tzinfo=UTC)
    assert published("offset") == datetime(2024, 3, 1, 7, 30, tzinfo=UTC)
    stamp = page(site, "posts/winter/index.html").find("time").attrs.get("datetime") or ""
    assert datetime.fromisoformat(stamp) == datetime(2024, 1, 15, 13, 30, tzinfo=UTC)


def test_a_post_dated_later_today_in_the_sites_zone_waits(site: SiteDir) -> None:
    # NOW is 12:00 UTC, i.e. 08:00 in New York: a post for 09:00 New York time is not yet due
    site.write("veil.yaml", BASIC_CONFIG + "timezone: America/New_York\n")
    site.post("soon", "Soon", date="2026-06-01 09:00")
    site.post("earlier", "Earlier", date="2026-06-01 07:00")
    site.build()
    assert (site.out / "posts" / "earlier" / "index.html").is_file()
    assert not (site.out / "posts" / "soon").exists()


# --- nothing from elsewhere -------------------------------------------------------------

def test_no_generator_tag_and_nothing_loaded_from_another_origin(site: SiteDir) -> None:
    rich_site(site, SUPPORT)
    site.post("linked", "Linked out", body="Read [elsewhere](https://elsewhere.example/x).")
    site.build()
    for rel in html_files(site):
        doc = page(site, rel)
        assert meta_content(doc, name="generator") is None, rel
        for node in doc.iter():
            src = node.attrs.get("src")
            if src is not None:
                assert not re.match(r"(https?:)?//", src), f"{rel}: loads {src}"
            if node.tag == "link" and "stylesheet" in (node.attrs.get("rel") or ""):
                assert not re.match(r"(https?:)?//", node.attrs.get("href") or ""), rel
            if node.tag in ("script", "iframe", "object", "embed"):
                assert not re.match(r"(https?:)?//", node.attrs.get("src") or ""), rel
    for rel, data in site.files().items():
        if rel.endswith(".css"):
            text = data.decode("utf-8")
            assert not re.search(r"(url\(\s*['\"]?|@import\s+['\"]?)(https?:)?//", text), rel


def test_a_bundle_nested_in_another_keeps_its_files_and_its_privacy(site: SiteDir) -> None:
    """A post folder inside another post's folder is a post of its own: its files are
    published with it (or not at all), never with the post around it."""
    site.write("content/posts/travels/index.md", post(
        "Travels", body="Where I went.\n\n![the coast](coast.jpg)"))
    site.write("content/posts/travels/coast.jpg", jpeg(8, 6))
    site.write("content/posts/travels/ward-stay/index.md", post(
        "The ward", privacy="private", body="Kept back.\n\n![the ward](ward.jpg)"))
    site.write("content/posts/travels/ward-stay/ward.jpg", jpeg(8, 6))
    site.write("content/posts/travels/ward-stay/letter.txt", "A discharge letter.")
    site.write("content/posts/diary/index.md", post(
        "Diary", privacy="private", body="Kept back too."))
    site.write("content/posts/diary/day-two/index.md", post(
        "Day two", body="An open day.\n\n![a field](field.jpg)"))
    site.write("content/posts/diary/day-two/field.jpg", jpeg(8, 6))
    result = site.build()
    files = site.files()
    assert not [rel for rel in files if "ward" in rel or "letter" in rel], sorted(files)
    assert any(rel.startswith("posts/travels/") and rel.endswith(".jpg") for rel in files)
    day_two = site.read("posts/day-two/index.html")
    assert "<img" in day_two and "posts/day-two/field.jpg" in files
    assert not [p for p in result.warnings if "field.jpg" in p.message or "ward" in p.message]
