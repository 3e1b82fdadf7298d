"""The leak check reads every output file and stops a build that would publish withheld text."""

from __future__ import annotations

from collections.abc import Callable
from unittest.mock import patch

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import NOW, CliRun, SiteDir, post
from veil import audit
from veil.audit import (
    MIN_TITLE,
    _climbed,
    _NeedleIndex,
    _NeedleScan,
    _occurs_as_words,
    _plain,
    _referenced_paths,
    _site_path,
    _squash,
    leak_check_for,
)
from veil.build import BuildState, load_site
from veil.cache import BuildCache
from veil.errors import VeilError
from veil.workers import MINIMUM_ITEMS

SECRET = "The quiet part I never meant anyone to read, not even close friends."


def _assert_one_leak(result: CliRun, page: str, source: str) -> None:
    """The build failed on exactly one leak, naming the page and the source."""
    assert result.code == 1
    assert page in result.err and source in result.err
    assert result.err.count("leak check") == 1


def _site_with_a_leaky_template(site: SiteDir, leaked: str, template: str = "tags.html"
                                ) -> None:
    site.post("open", "An open post", body="Nothing hidden here.")
    site.post("closed", "Notes only for myself", privacy="private", body=SECRET)
    site.post("link-only", "A letter shared by link", privacy="unlisted", body="Hello.")
    # A custom template that (wrongly) prints something it was never given.
    site.write(f"templates/{template}", "{% extends 'base.html' %}{% block content %}"
               + leaked + "{% endblock %}")


def test_text_of_a_private_post_in_any_output_stops_the_build(
        site: SiteDir, run_cli: Callable[..., CliRun]) -> None:
    _site_with_a_leaky_template(site, f"<p>{SECRET}</p>")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "leak check" in result.err
    assert "tags/index.html" in result.err
    assert "content/posts/closed.md" in result.err
    assert not site.out.exists()


def test_text_of_a_private_post_rendered_among_many_in_workers_stops_the_build(
        site: SiteDir, run_cli: Callable[..., CliRun]) -> None:
    """Many posts are rendered in worker processes, which split the hidden ones'
    sentences ahead of the check: the check still finds them, in a first build and in
    one that reads them from the cache."""
    for number in range(MINIMUM_ITEMS + 2):
        site.post(f"day-{number}", f"Day {number} of the walk", body=f"Walked {number} miles.")
    _site_with_a_leaky_template(site, f"<p>{SECRET}</p>")
    for _ in range(2):
        result = run_cli("build", "--site", str(site.root))
        assert result.code == 1
        assert "tags/index.html" in result.err and "content/posts/closed.md" in result.err
        assert not site.out.exists()


@pytest.mark.parametrize("around", ["<p>{public} {secret}</p>", "<p>{secret} {public}</p>",
                                    "<p>{public}</p><p>{secret}</p>",
                                    '<p title="{public} {secret}">x</p>'])
def test_withheld_text_beside_a_public_title_or_excerpt_in_a_listing_is_a_leak(
        site: SiteDir, run_cli: Callable[..., CliRun], around: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A listing's text that is a public post's title or excerpt, whole, is public and
    not searched (in builds of many outputs: here all); withheld text beside it, even in
    the same paragraph, still is."""
    monkeypatch.setattr(audit, "MANY_OUTPUTS", 0)
    public = "The first paragraph of an open post, which every listing shows."
    site.post("open", "An open post about the sea", body=public)
    site.post("closed", "Notes only for myself", privacy="private", body=SECRET)
    page = around.format(public=public, secret=SECRET)
    site.write("templates/tags.html", "{% extends 'base.html' %}{% block content %}"
               f"<p>{public}</p><h2>An open post about the sea</h2>{page}"
               "{% endblock %}")
    _assert_one_leak(run_cli("build", "--site", str(site.root)), "tags/index.html", "closed.md")


@pytest.mark.parametrize("markup", ["*{title}*", "[{title}](open.md)"])
def test_withheld_sentence_around_a_public_title_inside_a_line_is_a_leak(
        site: SiteDir, run_cli: Callable[..., CliRun], markup: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A public title inside a line (emphasis, a link) is part of the sentence around
    it: the withheld sentence is still found, where public titles are left out too."""
    monkeypatch.setattr(audit, "MANY_OUTPUTS", 0)
    title = "The Remains of the Day"
    site.post("open", title, body="A public post about a book.")
    sentence = "I cried reading {} on the train home after she left me."
    site.post("closed", "Notes only for myself", privacy="private",
              body=sentence.format(markup.format(title=title)))
    site.write("templates/tags.html", "{% extends 'base.html' %}{% block content %}"
               "<p>"
               + sentence.format(f"<em>{title}</em>") + "</p>{% endblock %}")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "tags/index.html" in result.err and "closed.md" in result.err


def test_the_address_of_an_unlisted_post_on_another_page_stops_the_build(
        site: SiteDir, run_cli: Callable[..., CliRun]) -> None:
    _site_with_a_leaky_template(site, '<a href="{{ url("/posts/link-only/") }}">x</a>')
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "leak check" in result.err and "link-only.md" in result.err


def test_text_the_author_also_published_is_not_a_leak(site: SiteDir) -> None:
    shared = "A sentence I wrote in a draft and then published in a public post as well."
    site.post("draft", "A draft version of the walk", draft="true", body=shared)
    site.post("walk", "The walk", body=shared)
    site.build()
    assert shared in site.read("posts/walk/index.html")
    assert not (site.out / "posts" / "draft").exists()


@pytest.mark.parametrize("sentences", [1, 40])
def test_withheld_text_on_an_unlisted_page_that_an_unlinked_public_post_holds_is_no_leak(
        site: SiteDir, run_cli: Callable[..., CliRun], sentences: int) -> None:
    """The public posts shown where a needle was found are read first; here none of them
    holds it, so the others are read until one does (many needles at a time through an
    index, the last few one by one)."""
    shared = [f"Sentence {number} that I kept in a private note and also published openly."
              for number in range(sentences)]
    site.post("note", "My private note", privacy="private", body=" ".join(shared))
    site.post("essay", "An open essay", body=" ".join(shared[:20]))
    site.post("coda", "A short coda", body=" ".join(shared[20:]) or "Nothing more.")
    site.post("letter", "A letter shared by link", privacy="unlisted", body=" ".join(shared))
    site.build()
    assert shared[-1] in site.read("posts/letter/index.html")
    # a sentence of the private note that no public post holds is still reported
    secret = "Only the private note and this letter hold this particular sentence."
    site.post("note", "My private note", privacy="private", body=" ".join([*shared, secret]))
    site.post("letter", "A letter shared by link", privacy="unlisted",
              body=" ".join([*shared, secret]))
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "posts/letter/index.html" in result.err and "note.md" in result.err
    assert result.err.count("leak check") == 1


def test_a_public_post_that_holds_withheld_text_across_a_tag_inside_a_word_is_found(
        site: SiteDir) -> None:
    """Public posts whose HTML lacks a word of a needle are read last; one that holds it
    with emphasis inside the word (`<em>` cuts the word in its HTML, not in its text) is
    still read, and the text is not a leak."""
    sentence = "Incomprehensibly, the quiet evenings were the hardest part of that year."
    site.post("note", "My private note", privacy="private", body=sentence)
    site.post("letter", "A letter shared by link", privacy="unlisted", body=sentence)
    site.post("essay", "An open essay",
              body="It took me a while to write this.\n\n"
                   "Incompre*hensibly*, the quiet evenings were the hardest part of that year.")
    site.post("other", "Another open post", body="Nothing of the kind here.")
    site.build()
    assert sentence in site.read("posts/letter/index.html")
    assert "Incompre<em>hensibly</em>" in site.read("posts/essay/index.html")


def test_withheld_text_on_a_public_post_page_is_a_leak_unless_that_post_holds_it(
        site: SiteDir, run_cli: Callable[..., CliRun]) -> None:
    shared = "A sentence I wrote in a private note and then quoted in a public post too."
    site.post("open", "An open post", body="Nothing hidden here.")
    site.post("quoting", "A quoting post", body=shared)
    site.post("closed", "Notes only for myself", privacy="private", body=f"{SECRET}\n\n{shared}")
    site.write("templates/post.html", "{% extends 'base.html' %}{% block content %}"
               f"<p>{shared}</p>{{% if page.path == '/posts/open/' %}}<p>{SECRET}</p>"
               "{% endif %}{% endblock %}")
    # the quoted sentence is published by the quoting post: not reported on any page
    _assert_one_leak(run_cli("build", "--site", str(site.root)), "posts/open/index.html",
                     "closed.md")


@pytest.mark.parametrize("around", ["{body}<p>{secret}</p>", "{body}{secret}",
                                    "<p>{secret}</p>{body}", "{body}<p>{secret}</p>{body}",
                                    "<p>Words before</p><p>{secret}</p>",
                                    "<li>An item</li><li>{secret}</li>"])
def test_withheld_text_next_to_a_public_post_body_on_its_page_is_a_leak(
        site: SiteDir, run_cli: Callable[..., CliRun], around: str) -> None:
    # The post's own body is public text and is not searched; what a template puts beside
    # it, even touching it, still is.
    site.post("open", "An open post", body="Nothing hidden here. " * 40)
    site.post("closed", "Notes only for myself", privacy="private", body=SECRET)
    page = around.format(body="{{ post.body | safe }}", secret=SECRET)
    site.write("templates/post.html", "{% extends 'base.html' %}{% block content %}"
               + page + "{% endblock %}")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "posts/open/index.html" in result.err and "closed.md" in result.err
    assert not site.out.exists()


@pytest.mark.parametrize("feed", ["feed.xml", "atom.xml", "series/walks/feed.xml"])
def test_withheld_text_next_to_a_public_body_in_a_feed_is_a_leak(site: SiteDir,
                                                                  feed: str) -> None:
    """A feed's public bodies are not searched (they are most of it), but anything beside
    one, even touching it, still is."""
    site.post("open", "An open post", body="Nothing hidden here.\n\n" * 40, series="Walks",
              part="1")
    site.post("closed", "Notes only for myself", privacy="private", body=SECRET)
    site.build()
    built = (site.out / feed).read_text(encoding="utf-8")
    site_model, bodies, *_ = load_site(site.root, now=NOW)
    check = leak_check_for(site_model, bodies, None, None)
    check.prepare(2, frozenset())
    reading, attributes = check._page_texts(feed, built, None)
    searched = " ".join(reading + attributes)
    # the excerpt may be there (read both ways); the body, 40 times over, may not
    assert searched.count("Nothing hidden") <= 2, "the body was searched"
    assert check.problems([check.scan(feed, built.encode())]) == []
    end = built.index("Nothing hidden here.&lt;/p&gt;") + len("Nothing hidden here.&lt;/p&gt;")
    for leaked in (built[:end] + f"&lt;p&gt;{SECRET}&lt;/p&gt;" + built[end:],
                   built[:end] + SECRET + built[end:]):
        (problem,) = check.problems([check.scan(feed, leaked.encode())])
        assert problem.location.path.name == "closed.md" and feed in problem.message


def test_withheld_text_with_markup_in_a_feed_is_found_as_a_feed_reader_shows_it(
        site: SiteDir) -> None:
    """A feed escapes the HTML of its bodies: withheld sentences holding emphasis or an
    ampersand are found there as a reader of the feed reads them."""
    site.post("open", "An open post", body="Nothing hidden here.")
    site.post("closed", "Notes only for myself", privacy="private",
              body="My mum & dad never knew what happened at the lake that summer.\n\n"
                   "I told my sister *everything* about that night in the car.")
    site.build()
    built = (site.out / "feed.xml").read_text(encoding="utf-8")
    site_model, bodies, *_ = load_site(site.root, now=NOW)
    check = leak_check_for(site_model, bodies, None, None)
    check.prepare(2, frozenset())
    closed = next(d for d in site_model.all_documents_for_routing()
                  if d.title == "Notes only for myself")
    escaped = closed.rendered.html.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;")
    at = built.index("</item>")
    leaked = built[:at] + f"<description>{escaped}</description>" + built[at:]
    problems = check.problems([check.scan("feed.xml", leaked.encode())])
    found = " ".join(p.message for p in problems)
    assert "My mum &amp; dad" in found or "My mum & dad" in found, found
    assert "I told my sister everything" in found, found


def test_needle_prefixes_end_with_their_needle() -> None:
    texts = ["short one", "é" * 5, "a much longer needle that goes on past thirty-two"]
    assert audit._Texts(texts).prefixes == [audit._prefix(t) for t in texts]


@pytest.mark.parametrize("privacy", ["private", "unlisted"])
def test_a_link_into_the_folder_of_a_withheld_post_stops_the_build(
        site: SiteDir, run_cli: Callable[..., CliRun], privacy: str) -> None:
    """A file inside a withheld post's folder names the post's address: HTML written into
    a public post that shows one is a leak, like a link to the post itself."""
    site.write("content/posts/closed/index.md",
               post("Notes only for myself", privacy=privacy, body="Hello."))
    site.post("open", "An open post",
              body='A photo: <img src="/posts/closed/photo.jpg" alt="the lake">')
    site.post("other", "Another post", body="Nothing hidden here.")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "posts/open/index.html" in result.err and "closed/index.md" in result.err
    assert "HTML written into a post" in result.err
    assert not site.out.exists()


def test_a_post_linking_a_withheld_post_by_its_folder_name_stops_the_build(
        site: SiteDir, run_cli: Callable[..., CliRun]) -> None:
    """HTML in a post that names a private post's folder from the wrong place leads
    nowhere, but still shows its slug: a leak, like a link that works."""
    site.write("content/posts/closed/index.md",
               post("Notes only for myself", privacy="private", body="Hello."))
    site.post("open", "An open post", body='See <a href="closed/">my notes</a>.')
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "posts/open/index.html" in result.err and "closed/index.md" in result.err
    assert not site.out.exists()


@pytest.mark.parametrize("slug", ["writing", "tags", "about", "2024", "website", "archive"])
def test_a_withheld_slug_that_is_also_a_folder_of_the_site_is_no_leak(
        site: SiteDir, slug: str) -> None:
    """A private post may share its slug with a tag page, an archive year, a page or a
    word the theme writes in a meta tag: links to those are not links to it."""
    site.post(slug, "Kept back", privacy="private", body="Words kept back.")
    site.post("open", "An open post", date="2024-03-01", tags=f"[{slug}, other]",
              body="Nothing hidden here.")
    site.write("content/pages/about.md", "---\ntitle: About\n---\n\nAbout me.\n")
    site.build()
    assert (site.out / "posts" / "open" / "index.html").exists()


def test_files_beside_an_unlisted_post_may_name_its_address(site: SiteDir) -> None:
    """An unlisted post's own files (a drawing that links to its photo) sit at its address:
    they are not leaks of it."""
    site.write("content/posts/letter/index.md", post(
        "A letter shared by link", privacy="unlisted",
        body="Hello.\n\n![a drawing](drawing.svg)"))
    site.write("content/posts/letter/drawing.svg",
               '<svg xmlns="http://www.w3.org/2000/svg"><image href="/posts/letter/photo.png"/>'
               "</svg>")
    site.post("open", "An open post", body="Nothing hidden here.")
    site.build()
    assert "/posts/letter/photo.png" in site.read("posts/letter/drawing.svg")


def test_the_title_of_an_unlisted_post_outside_its_own_page_stops_the_build(
        site: SiteDir, run_cli: Callable[..., CliRun]) -> None:
    _site_with_a_leaky_template(site, "<p>A letter shared by link</p>")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "leak check" in result.err and "title of this unlisted post" in result.err


def test_a_private_title_that_public_words_happen_to_contain_is_not_a_leak(
        site: SiteDir) -> None:
    site.post("diary", "Room Street New", privacy="private", body="Private words here.")
    site.post("walk", "A walk", body="We passed the Room Street New Town sign and kept going.")
    site.build()
    assert "Room Street New Town" in site.read("posts/walk/index.html")
    assert not (site.out / "posts" / "diary").exists()


def test_a_withheld_title_is_matched_as_whole_words_only(site: SiteDir) -> None:
    site.post("diary", "Softly Brother Room Street New", privacy="private", body="Mine.")
    site.post("walk", "Softly Brother Room Street Newer", body="A public post.")
    site.build()  # the public title starts with the private one; that is not a leak
    assert "Softly Brother Room Street Newer" in site.read("index.html")


@pytest.mark.parametrize("link", [
    "<a href='/blog/posts/link-only/'>x</a>",
    '<a HREF="/blog/posts/link-only/">x</a>',
    '<a href = "../posts/link-only/">x</a>',
    "<a href=../posts/link-only/index.html>x</a>",
    '<a href="//example.org/blog/posts/link-only/">x</a>',
    '<a href="/blog/posts/./link-only/">x</a>',
    '<a href="/blog/tags/../posts/link-only/">x</a>',
    '<a href="..\\posts\\link-only\\">x</a>',
    '<a href="../../../posts/link-only/">x</a>',
    '<a href="/./blog/posts/link-only/">x</a>',
    '<a href="https://example.org/blog/../blog/posts/link-only/">x</a>',
    '<a href="//EXAMPLE.org/blog/posts/link-only/">x</a>',
    '<a href="http://example.org:80/blog/posts/link-only/">x</a>',
    '<a href="https:../posts/link-only/">x</a>',
    '<a href="/blog/posts/link-only/&#35;top">x</a>',
    '<a href=" /blog/posts/link-\tonly/ ">x</a>',
    '<a href="/blog/posts/link-only/index.html/">x</a>',
    '<meta http-equiv="refresh" content="0; url=/blog/posts/link-only/">',
    '<form action="/blog/posts/link-only/"><button>Go</button></form>',
    '<base href="/blog/posts/"><a href="link-only/">x</a>',
    '<a href="///example.org/blog/posts/link-only/">x</a>',
    '<a href="http:example.org/blog/posts/link-only/">x</a>',
    '<a href="/blog/posts/link-only/\x0b">x</a>',
    '<base href=" /blog/posts/"><a href="link-only/">x</a>',
    '<p>https://example.org/blog/posts/x/../link-only/</p>',
    '<img srcset="/blog/posts/a.png 1x, /blog/posts/link-only/photo.png 2x" alt="x">',
    "<picture><source srcset='../posts/link-only/photo.png'></picture>",
    '<img srcset="https://example.com/a.jpg 1x&#44; ../posts/link-only/photo.png 2x">',
    '<img srcset="a.png 1x((y), ../posts/link-only/photo.png 2x" alt="x">',
    '<link rel="preload" as="image" imagesrcset="../posts/link-only/photo.png 2x">',
    '<p style="background-image: url(/blog/posts/link-only/photo.png)">x</p>',
    "<style>p { background: url('../posts/link-only/photo.png') }</style>",
    '<img src="/blog/posts/link-only/photo.png" alt="x">',
    '<a href="link-only/">x</a>',
    '<img src="link-only/photo.png" alt="x">',
], ids=["single quotes", "upper case", "spaces", "no quotes", "no scheme", "dot",
        "dot-dot", "backslashes", "above the root", "dot before the base",
        "dot-dot through the base", "host in capitals", "http and a port", "scheme only",
        "encoded fragment", "spaces and a tab", "index.html and a slash", "refresh",
        "form", "base", "three slashes", "another scheme without slashes",
        "a control character", "base with a space", "bare address with dot-dot",
        "srcset", "srcset in single quotes", "srcset with an encoded comma",
        "srcset with a parenthesis in a descriptor", "imagesrcset", "css url",
        "css url in quotes",
        "a file in its folder", "its name, leading nowhere",
        "its name as a folder, leading nowhere"])
def test_the_address_of_an_unlisted_post_written_as_html_allows_stops_the_build(
        site: SiteDir, run_cli: Callable[..., CliRun], link: str) -> None:
    """Hand-written HTML may spell a link in many ways a browser follows all the same."""
    _site_with_a_leaky_template(site, link)
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "leak check" in result.err and "link-only.md" in result.err


WORDS = ("calm", "tide", "Grief", "(aside)", "mid-word", "line,", "over.", "é", "x_y", "  ")


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=3, max_size=12), min_size=1,
                max_size=6),
       st.lists(st.sampled_from(WORDS), max_size=60), st.sampled_from((" ", "", "\n")))
def test_the_needle_index_finds_exactly_the_needles_that_occur_as_whole_words(
        needles: list[list[str]], words: list[str], glue: str) -> None:
    """The index (and the scan used for a few outputs) looks only where a needle may
    start, a part of the text at a time; that must never skip one that is there, nor
    report one that is not (checked against a plain search), wherever the parts end."""
    texts = [t for t in (_squash(" ".join(n)) for n in needles) if len(t) >= MIN_TITLE]
    text = _squash(glue.join([*words, texts[0] if texts else "", *words[::-1]]))
    expected = {n for n, needle in enumerate(texts) if _occurs_as_words(needle, text)}
    for at_once in (audit.WINDOWS_AT_ONCE, 1, 3):
        with patch.object(audit, "WINDOWS_AT_ONCE", at_once):
            assert _NeedleIndex(texts, range(len(texts))).found_in(text, texts) == expected
            assert _NeedleScan(texts, range(len(texts))).found_in(text, texts) == expected


SEGMENTS = ("..", ".", "posts", "a b", "%2E%2E", "&amp;", "index.html", "", "https:", "x.xml")


@example(["posts"], ["..", "https:"], "")
@example(["posts"], ["..", " a"], "")
@example(["posts", "a"], ["..", "\\x"], "")
@example(["posts"], ["", "", ""], "")
@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.sampled_from(("posts", "tags", "a", "2024")), max_size=3),
       st.lists(st.sampled_from(SEGMENTS), max_size=6),
       st.sampled_from(("", "https://example.org/", "//example.org/", "/")))
def test_links_resolve_to_the_same_site_path_whichever_page_folder_shares_the_cache(
        folder: list[str], segments: list[str], prefix: str) -> None:
    """Links are resolved through a cache keyed by the folder left after climbing out
    with "../"; that must give what resolving from the page's own folder gives."""
    target = prefix + "/".join(segments)
    page_folder = "/".join(folder)
    args = ("https://example.org/", "/")
    assert (_site_path(*_climbed(page_folder, target), *args)
            == _site_path.__wrapped__(page_folder, target, *args))


LINK_SEGMENTS = ("..", ".", "posts", "a%20b", "index.html", "", "caf%C3%A9", "caf&#233;",
                 "x.xml", "&#35;x", " a b\t", "a:b")


@settings(max_examples=600, deadline=None, database=None)
@given(st.lists(st.sampled_from(("posts", "a b")), max_size=2),
       st.lists(st.tuples(st.sampled_from(("", "https://example.org/", "/", "../")),
                          st.lists(st.sampled_from(LINK_SEGMENTS), max_size=4)), max_size=6),
       st.lists(st.lists(st.sampled_from(("posts", "a b", "x.xml", "café")),
                         min_size=1, max_size=2), min_size=1, max_size=3))
@example(["posts", "a b"], [("", ["index.html"])], [["posts", "a b"]])
@example(["posts", "x"], [("", [".."])], [["posts"]])
@example([], [("/", ["posts", "caf%C3%A9", ""])], [["posts", "café"]])
@example([], [("", ["posts", "index.html", ""])], [["posts"]])
@example(["posts", "x"], [("../", ["a%20b", "index.html%2F"])], [["posts", "a b"]])
@example(["posts"], [("../", [" a b\t"])], [["a b"]])
@example(["posts"], [("", ["https:a b"])], [["posts", "a b"]])
@example(["posts"], [("/", ["posts", "a b;"])], [["posts", "a b"]])
@example(["posts"], [("/", ["posts", "a b", "x.xml"])], [["posts", "a b"]])
@example(["posts"], [("", ["a%20b", "x.xml"])], [["posts", "a b"]])
def test_links_left_out_by_their_names_never_lead_to_or_into_a_withheld_address(
        folder: list[str], links: list[tuple[str, list[str]]], hidden: list[list[str]]) -> None:
    """Links none of whose names a withheld address ends in are not resolved; the links
    found to withheld addresses, or to files inside them, must be those that resolving
    every link finds."""
    addresses = {"/" + "/".join(parts) + "/" for parts in hidden}
    names = frozenset(audit._last_name(a) for a in addresses)
    targets = [prefix + "/".join(parts) for prefix, parts in links]
    raw = "".join(f'<a href="{t}">x</a> {t} ' for t in targets)
    path = "/".join([*folder, "index.html"])
    args = (path, raw, "https://example.org/", "/")

    def withheld(found: set[str]) -> set[str]:
        return {p for p in found if p.startswith(tuple(addresses))}

    assert withheld(_referenced_paths(*args, names)) == withheld(_referenced_paths(*args))


def test_withheld_text_split_by_a_tag_is_found_as_pages_read_it(
        site: SiteDir, run_cli: Callable[..., CliRun]) -> None:
    # raw HTML in the private post: a page shows "diary, and I went" across the <br>
    diary = ("Everything I wrote down in my diary that week,<br>and then I went down to "
             "the river alone that night without telling anyone.")
    site.post("open", "An open post", body="Nothing hidden here.")
    site.post("closed", "Notes only for myself", privacy="private", body=diary)
    site.write("templates/tags.html", "{% extends 'base.html' %}{% block content %}"
               f"<p>{diary}</p>{{% endblock %}}")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "tags/index.html" in result.err and "closed.md" in result.err


def test_the_address_of_a_private_post_with_a_fragment_in_a_meta_tag_stops_the_build(
        site: SiteDir, run_cli: Callable[..., CliRun]) -> None:
    site.post("open", "An open post", body="Nothing hidden here.")
    site.post("closed", "Notes only for myself", privacy="private", body="Hello.")
    site.write("templates/tags.html", "{% extends 'base.html' %}{% block head %}"
               '<meta property="og:see_also" content="/posts/closed/#part-2">'
               "{% endblock %}{% block content %}{% endblock %}")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "tags/index.html" in result.err and "closed.md" in result.err


INLINE = ("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i",
          "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup",
          "time", "u", "var", "wbr")
BLOCK = ("address", "article", "aside", "blockquote", "body", "br", "dd", "details", "div",
         "dl", "dt", "embed", "figcaption", "figure", "footer", "h1", "h2", "header", "hr",
         "img", "li", "main", "nav", "ol", "p", "pre", "section", "strike", "summary",
         "table", "td", "th", "title", "tr", "ul", "item", "entry", "description")


@pytest.mark.parametrize("name", INLINE + BLOCK)
def test_tags_inside_a_line_join_words_and_the_others_separate_them(name: str) -> None:
    for tag in (f"<{name}>", f"</{name}>", f"<{name.upper()} class=x>", f"<{name}/>"):
        expected = "oneword" if name in INLINE else "one word"
        assert _plain(f"one{tag}word") == expected, tag


@pytest.mark.parametrize("attribute", ['<meta name="description" content="{secret}">',
                                       "<img alt='{secret}' src='x.png'>",
                                       '<abbr title="{secret}">x</abbr>'])
def test_withheld_text_in_an_attribute_stops_the_build(
        site: SiteDir, run_cli: Callable[..., CliRun], attribute: str) -> None:
    _site_with_a_leaky_template(site, attribute.format(secret=SECRET))
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "tags/index.html" in result.err and "closed.md" in result.err


def test_withheld_text_in_an_attribute_of_every_page_is_found_on_each_of_them(
        site: SiteDir, run_cli: Callable[..., CliRun]) -> None:
    """The needles of an attribute's text are kept for the pages that repeat it: each of
    those pages is still reported."""
    _site_with_a_leaky_template(site, f'<abbr title="{SECRET}">x</abbr>', "post.html")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "posts/open/index.html" in result.err
    assert "posts/link-only/index.html" in result.err


def test_watch_looks_for_the_new_text_of_a_private_post_edited_in_an_earlier_rebuild(
        site: SiteDir) -> None:
    """`veil watch` keeps the needles of its last check while they hold: a private post
    whose body changed in a rebuild that made no output has new sentences to look for."""
    site.post("open", "An open post", body="Nothing hidden here.")
    closed = site.post("closed", "Notes only for myself", privacy="private", body="Not yet.")
    site.write("templates/post.html", "{% extends 'base.html' %}{% block content %}"
               "{% include '_post_article.html' %}" f"<p>{SECRET}</p>{{% endblock %}}")
    site.settle()
    state = BuildState(BuildCache(site.root / ".veil-cache"))
    site.build(state=state)
    closed.write_text(post("Notes only for myself", privacy="private", body=SECRET))
    site.settle()
    site.build(state=state, changed={closed.resolve()}, trust_watcher=True)  # nothing shows it
    opened = site.post("open", "An open post", body="Nothing hidden here, still.")
    site.settle()
    with pytest.raises(VeilError, match="leak check") as raised:
        site.build(state=state, changed={opened.resolve()}, trust_watcher=True)
    assert "content/posts/closed.md" in str(raised.value.problems[0].location.path)
