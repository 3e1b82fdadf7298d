"""Where each privacy level may appear (DESIGN §4), surface by surface.

One site holds a post of every level (public, unlisted, private, draft, future-dated) that
share a tag and a series with public posts, dated so that the withheld ones fall between
public neighbours. Every post carries a distinctive title, sentence, slug and tag of its
own, so a leak shows as text a reader could find in the built files.
"""

from __future__ import annotations

import html
import posixpath
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BASIC_CONFIG, SiteDir, post

BASE_URL = "https://example.org/blog/"
BASE_PATH = "/blog/"
SERIES = "Learning to Stay"
SERIES_SLUG = "learning-to-stay"
SHARED_TAG = "open-water"

# ---------------------------------------------------------------------------------------
# Reading the built site
# ---------------------------------------------------------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}


@dataclass
class Link:
    path: str  # the site path it leads to, e.g. "/posts/slug/" (None-free: only internal)
    text: str
    classes: frozenset[str]  # every class of the elements around it


@dataclass
class Page:
    links: list[Link] = field(default_factory=list)
    robots: list[str] = field(default_factory=list)
    text: str = ""


def site_path(file_rel: str, target: str) -> str | None:
    """The site path an href/src of output `file_rel` leads to, or None if it leaves the site."""
    target = html.unescape(target)
    if target.startswith(BASE_URL):
        target = "/" + target[len(BASE_URL):]
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith(BASE_PATH):  # rooted links, as on 404.html
        path = "/" + path[len(BASE_PATH):]
    elif not path.startswith("/"):
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(file_rel), path))
        path = "/" + ("" if joined == "." else joined)
        if parts.path.endswith("/") and not path.endswith("/"):
            path += "/"
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


def output_file(path: str) -> str:
    """The output file that serves a site path: "/posts/a/" -> "posts/a/index.html"."""
    rel = path.lstrip("/")
    return rel + "index.html" if rel == "" or rel.endswith("/") else rel


class _PageParser(HTMLParser):
    def __init__(self, file_rel: str):
        super().__init__(convert_charrefs=True)
        self.file_rel = file_rel
        self.page = Page()
        self.stack: list[tuple[str, frozenset[str]]] = []
        self.open_link: Link | None = None
        self.texts: list[str] = []

    def _classes(self) -> frozenset[str]:
        found: set[str] = set()
        for _, classes in self.stack:
            found |= classes
        return frozenset(found)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "meta" and values.get("name") == "robots":
            self.page.robots.append(values.get("content", ""))
        for attr in ("href", "src"):
            if attr in values and tag in ("a", "link", "img", "script"):
                path = site_path(self.file_rel, values[attr])
                if path is not None:
                    link = Link(path, "", self._classes())
                    self.page.links.append(link)
                    if tag == "a":
                        self.open_link = link
        if tag not in _VOID:
            self.stack.append((tag, frozenset(values.get("class", "").split())))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self.open_link = None
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self.open_link is not None:
            self.open_link.text += data


def parse_page(file_rel: str, data: bytes) -> Page:
    parser = _PageParser(file_rel)
    parser.feed(data.decode("utf-8"))
    parser.close()
    parser.page.text = " ".join(" ".join(parser.texts).split())
    return parser.page


def linked_posts(page: Page, within: str | None = None) -> set[str]:
    """Slugs of the posts a page links to (only inside elements of class `within`)."""
    slugs = set()
    for link in page.links:
        if within is not None and within not in link.classes:
            continue
        if link.path.startswith("/posts/") and link.path.count("/") == 3:
            slugs.add(link.path.split("/")[2])
    return slugs


def feed_links(data: bytes) -> set[str]:
    """Slugs of the posts an RSS or Atom feed carries as items."""
    root = ET.fromstring(data)
    urls = [item.findtext("link") or "" for item in root.iter("item")]
    atom = "{http://www.w3.org/2005/Atom}"
    for entry in root.iter(atom + "entry"):
        urls += [link.get("href", "") for link in entry.iter(atom + "link")]
    return {u[len(BASE_URL + "posts/"):].strip("/") for u in urls}


def sitemap_locs(data: bytes) -> list[str]:
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    return [loc.text or "" for loc in ET.fromstring(data).iter(ns + "loc")]


def text_of(data: bytes) -> str:
    """What a reader (or a crawler) finds in a file: its text with entities decoded."""
    raw = data.decode("utf-8", "replace")
    return raw + "\n" + html.unescape(raw)


def is_text(rel: str) -> bool:
    return rel.endswith((".html", ".xml", ".txt", ".json", ".js", ".css", ".svg"))


# ---------------------------------------------------------------------------------------
# The matrix site
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    level: str
    slug: str
    title: str
    sentence: str
    date: str
    own_tag: str
    part: int | None
    front: dict[str, str]
    bundle_file: str | None = None

    @property
    def markers(self) -> tuple[str, ...]:
        """Text that names this post: a reader who finds any of it has found the post.

        Its date too (as pages, feeds and sitemaps write it): no public post shares it, so
        a feed's or sitemap's date that matches it betrays that the post exists.
        """
        when = datetime.fromisoformat(self.date)
        return (self.title, self.sentence, f"{self.slug}/", self.own_tag,
                when.strftime("%Y-%m-%dT%H:%M"), when.strftime("%d %b %Y %H:%M"))


LEVELS = {
    "public": Spec("public", "pier-morning", "Public Morning At The Pier",
                   "The pier sentence was written for every reader of the blog.",
                   "2022-02-01", "pier-only-tag", 3, {}),
    "unlisted": Spec("unlisted", "lighthouse-note", "Unlisted Quiet Note About The Lighthouse",
                     "The lighthouse keeper waved at nobody in particular that evening.",
                     "2021-03-01", "lighthouse-only-tag", 2, {"privacy": "unlisted"}),
    "private": Spec("private", "therapist-letter", "Private Letter To The Old Therapist",
                    "My old therapist never learned what happened in the stairwell.",
                    "2021-06-01", "therapist-only-tag", 4, {"privacy": "private"},
                    bundle_file="scan-of-the-letter.png"),
    "draft": Spec("draft", "night-ferry", "Draft Thoughts On The Night Ferry",
                  "Half written on the night ferry and not ready for anyone to read.",
                  "2023-03-01", "ferry-only-tag", 5, {"draft": "true"}),
    # half an hour after NOW (2026-06-01 12:00 UTC): not yet due
    "future": Spec("future", "winter-crossing", "Future Plans For The Winter Crossing",
                   "Next winter we will cross the frozen bay on foot together.",
                   "2026-06-01 12:30", "winter-only-tag", 6, {}),
}
HIDDEN = ("unlisted", "private", "draft", "future")
WITHHELD = ("private", "draft", "future")

# Public posts around them: (slug, title, date, series part or None)
FILLERS = [
    ("river-crossing", "Public First Crossing Of The River", "2020-02-01", 1),
    ("harbour-letter", "Public Third Letter From The Harbour", "2024-02-01", None),
    ("dune-walk", "Public Fourth Walk Along The Dunes", "2025-02-01", 7),
    ("june-swim", "Public Fifth Swim In June", "2025-06-01", None),
]
PUBLIC_SLUGS = {"pier-morning"} | {slug for slug, *_ in FILLERS}
PUBLIC_PARTS = ["river-crossing", "pier-morning", "dune-walk"]  # reading order


def _front(spec_tags: Iterable[str], part: int | None, extra: dict[str, str]) -> dict[str, str]:
    front = {"tags": "[" + ", ".join(spec_tags) + "]", **extra}
    if part is not None:
        front |= {"series": SERIES, "part": str(part)}
    return front


_PNG = bytes.fromhex(  # a valid 1x1 grey PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de000"
    "0000c49444154789c636868680000030401814bd3d2100000000049454e44ae426082")


def write_matrix_site(root: Path) -> SiteDir:
    site = SiteDir(root)
    site.write("veil.yaml", BASIC_CONFIG)
    for spec in LEVELS.values():
        body = spec.sentence
        if spec.bundle_file:
            body += f"\n\n![a scan of the page]({spec.bundle_file})"
        front = _front([SHARED_TAG, spec.own_tag], spec.part, spec.front)
        text = post(spec.title, date=spec.date, body=body, **front)
        if spec.bundle_file:
            site.write(f"content/posts/{spec.slug}/index.md", text)
            site.write(f"content/posts/{spec.slug}/{spec.bundle_file}", _PNG)
        else:
            site.write(f"content/posts/{spec.slug}.md", text)
    for slug, title, date, part in FILLERS:
        body = f"An ordinary public sentence about {title.lower()}."
        if slug == "harbour-letter":  # links to withheld and unlisted posts by their files
            body += ("\n\nI wrote about it [in a letter](therapist-letter/index.md) and "
                     "[in a note](lighthouse-note.md).\n\n"
                     "![the letter](therapist-letter/scan-of-the-letter.png)")
        site.post(slug, title, date=date, body=body, **_front([SHARED_TAG], part, {}))
    return site


@dataclass
class Built:
    files: dict[str, bytes]

    def page(self, rel: str) -> Page:
        return parse_page(rel, self.files[rel])

    def matching(self, test: Callable[[str], bool]) -> list[str]:
        return sorted(rel for rel in self.files if test(rel))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    site = write_matrix_site(tmp_path_factory.mktemp("matrix") / "blog")
    site.build()
    return Built(site.files())


# ---------------------------------------------------------------------------------------
# Surfaces: where each one is, and whether a post shows on it
# ---------------------------------------------------------------------------------------


def _home(b: Built) -> list[str]:
    return b.matching(lambda r: r == "index.html" or
                      (r.startswith("page/") and r.endswith("/index.html")))


def _archive(b: Built) -> list[str]:
    return b.matching(lambda r: r.startswith("archive/") and r.endswith("index.html"))


def _tag_pages(b: Built) -> list[str]:
    return b.matching(lambda r: r.startswith("tags/") and r.endswith("/index.html")
                      and r != "tags/index.html")


def _series_pages(b: Built) -> list[str]:
    return b.matching(lambda r: r.startswith("series/") and r.endswith("index.html"))


def _public_post_pages(b: Built) -> list[str]:
    return [f"posts/{slug}/index.html" for slug in sorted(PUBLIC_SLUGS)]


def _feeds(name: str) -> Callable[[Built], list[str]]:
    return lambda b: [name, f"series/{SERIES_SLUG}/{name}"]


def _listed(files: Callable[[Built], list[str]], within: str) -> Callable[[Built, Spec], bool]:
    def shown(b: Built, spec: Spec) -> bool:
        return any(spec.slug in linked_posts(b.page(rel), within) for rel in files(b))
    return shown


def _in_tag_list(b: Built, spec: Spec) -> bool:
    return f"/tags/{spec.own_tag}/" in {link.path for link in b.page("tags/index.html").links}


def _part_nav(b: Built, spec: Spec) -> bool:
    others = [s for s in PUBLIC_PARTS if s != spec.slug]
    return any(spec.slug in linked_posts(b.page(f"posts/{o}/index.html"), "series-box")
               for o in others)


def _in_feeds(files: Callable[[Built], list[str]]) -> Callable[[Built, Spec], bool]:
    def shown(b: Built, spec: Spec) -> bool:
        return any(spec.slug in feed_links(b.files[rel]) for rel in files(b))
    return shown


def _in_sitemap(b: Built, spec: Spec) -> bool:
    return f"{BASE_URL}posts/{spec.slug}/" in sitemap_locs(b.files["sitemap.xml"])


SURFACES: dict[str, tuple[Callable[[Built], list[str]], Callable[[Built, Spec], bool]]] = {
    # surface: (the files that make it up, does it show this post?)
    "home and its pages": (_home, _listed(_home, "entries")),
    "archive and years": (_archive, _listed(_archive, "entries")),
    "tag pages": (_tag_pages, _listed(_tag_pages, "entries")),
    "tag list": (lambda b: ["tags/index.html"], _in_tag_list),
    "series page": (_series_pages, _listed(_series_pages, "entries")),
    "part navigation": (lambda b: [f"posts/{s}/index.html" for s in PUBLIC_PARTS], _part_nav),
    "prev/next links": (_public_post_pages, _listed(_public_post_pages, "post-nav")),
    "RSS feeds": (_feeds("feed.xml"), _in_feeds(_feeds("feed.xml"))),
    "Atom feeds": (_feeds("atom.xml"), _in_feeds(_feeds("atom.xml"))),
    "sitemap": (lambda b: ["sitemap.xml"], _in_sitemap),
    "robots.txt": (lambda b: ["robots.txt"], lambda b, spec: False),
}


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("level", list(LEVELS))
def test_each_level_on_each_surface(built: Built, level: str, surface: str) -> None:
    spec = LEVELS[level]
    files, shows = SURFACES[surface]
    rels = files(built)
    assert rels and all(rel in built.files for rel in rels), f"{surface} was not built: {rels}"
    if level == "public" and surface != "robots.txt":
        assert shows(built, spec), f"the public post is missing from the {surface}"
        return
    assert not shows(built, spec), f"the {level} post is shown on the {surface}"
    for rel in rels:
        found = [m for m in spec.markers if m in text_of(built.files[rel])]
        assert not found, f"{rel} ({surface}) names the {level} post: {found}"


@pytest.mark.parametrize("level", list(LEVELS))
def test_own_page_is_written_only_for_public_and_unlisted(built: Built, level: str) -> None:
    spec = LEVELS[level]
    own = f"posts/{spec.slug}/index.html"
    under = [rel for rel in built.files if rel.startswith(f"posts/{spec.slug}/")]
    if level in WITHHELD:
        assert under == [], f"the {level} post has files in the output: {under}"
        return
    assert spec.title in built.page(own).text and spec.sentence in built.page(own).text
    robots = built.page(own).robots
    if level == "unlisted":
        assert "noindex" in robots, f"the unlisted page is indexable: robots meta = {robots}"
    else:
        assert not any("noindex" in r for r in robots)


def test_withheld_bundle_images_are_not_published(built: Built) -> None:
    name = LEVELS["private"].bundle_file
    assert name is not None
    assert not [rel for rel in built.files if rel.endswith(name)]


def test_no_file_names_a_withheld_post(built: Built) -> None:
    leaks = []
    for rel, data in built.files.items():
        if not is_text(rel):
            continue
        text = text_of(data)
        for level in WITHHELD:
            leaks += [(rel, level, m) for m in LEVELS[level].markers if m in text]
    assert leaks == []


def test_only_its_own_page_names_the_unlisted_post(built: Built) -> None:
    spec = LEVELS["unlisted"]
    own = f"posts/{spec.slug}/index.html"
    leaks = []
    for rel, data in built.files.items():
        if rel != own and is_text(rel):
            leaks += [(rel, m) for m in spec.markers if m in text_of(data)]
    assert leaks == []


def test_listings_count_only_public_posts(built: Built) -> None:
    """Counts and page numbers must not betray that hidden posts exist."""
    # 5 public posts, 3 a page: two home pages (nine posts in all would make three)
    assert "page/2/index.html" in built.files
    assert "page/3/index.html" not in built.files
    listed = set().union(*(linked_posts(built.page(rel), "entries") for rel in _home(built)))
    assert listed == PUBLIC_SLUGS
    assert "Page 1 of 2" in built.page("index.html").text
    # archive years that hold only hidden posts have no page and no mention
    years = {rel.split("/")[1] for rel in _archive(built) if rel.count("/") == 2}
    assert years == {"2020", "2022", "2024", "2025"}
    archive_links = {link.path for link in built.page("archive/index.html").links}
    assert not {"/archive/2021/", "/archive/2023/", "/archive/2026/"} & archive_links
    # the shared tag counts the public posts only
    tags_text = built.page("tags/index.html").text
    assert f"{SHARED_TAG} {len(PUBLIC_SLUGS)} posts" in tags_text
    # and its pages, like the home's, are as many as the public posts make
    shared = [rel for rel in _tag_pages(built) if rel.startswith(f"tags/{SHARED_TAG}/")]
    assert sorted(shared) == [f"tags/{SHARED_TAG}/index.html",
                              f"tags/{SHARED_TAG}/page/2/index.html"]
    tagged = set().union(*(linked_posts(built.page(rel), "entries") for rel in shared))
    assert tagged == PUBLIC_SLUGS
    assert "Page 1 of 2" in built.page(f"tags/{SHARED_TAG}/index.html").text


def test_series_shows_only_public_parts(built: Built) -> None:
    page = built.page(f"series/{SERIES_SLUG}/index.html")
    assert linked_posts(page, "entries") == set(PUBLIC_PARTS)
    assert f"{SERIES} 3 parts" in built.page("series/index.html").text
    for number, slug in enumerate(PUBLIC_PARTS, start=1):
        box = built.page(f"posts/{slug}/index.html")
        assert f"Part {number} of 3 in {SERIES}" in box.text
        assert linked_posts(box, "series-box") == set(PUBLIC_PARTS) - {slug}
    for rel in _feeds("feed.xml")(built)[1:] + _feeds("atom.xml")(built)[1:]:
        assert feed_links(built.files[rel]) == set(PUBLIC_PARTS)


def test_prev_next_skip_hidden_posts(built: Built) -> None:
    by_date = ["river-crossing", "pier-morning", "harbour-letter", "dune-walk", "june-swim"]
    for index, slug in enumerate(by_date):
        page = built.page(f"posts/{slug}/index.html")
        nav = {link.path.split("/")[2]: link.text for link in page.links
               if "post-nav" in link.classes}
        expected = set(by_date[max(0, index - 1): index + 2]) - {slug}
        assert set(nav) == expected, f"{slug}: prev/next lead to {sorted(nav)}"


def test_feeds_and_sitemap_carry_only_public_posts(built: Built) -> None:
    for rel in ("feed.xml", "atom.xml"):
        assert feed_links(built.files[rel]) == PUBLIC_SLUGS, rel
    locs = sitemap_locs(built.files["sitemap.xml"])
    posts = {loc[len(BASE_URL + "posts/"):].strip("/") for loc in locs
             if loc.startswith(BASE_URL + "posts/")}
    assert posts == PUBLIC_SLUGS
    for loc in locs:
        assert loc.startswith(BASE_URL)
        target = output_file("/" + loc[len(BASE_URL):])
        assert target in built.files, f"the sitemap lists {loc}, which is not built"


def test_robots_txt_points_to_the_sitemap_and_names_no_hidden_address(built: Built) -> None:
    robots = built.files["robots.txt"].decode()
    assert f"Sitemap: {BASE_URL}sitemap.xml" in robots
    assert "/posts/" not in robots  # a Disallow line would give the address away


def test_no_link_leads_to_a_missing_page(built: Built) -> None:
    """A reader who follows any link lands on a page (a hidden post must not leave holes)."""
    broken = []
    for rel in built.matching(lambda r: r.endswith(".html")):
        for link in built.page(rel).links:
            if output_file(link.path) not in built.files:
                broken.append((rel, link.path, link.text.strip()))
    assert broken == []


# ---------------------------------------------------------------------------------------
# protected: never in the clear; without its password it stops the build
# ---------------------------------------------------------------------------------------


def test_protected_post_without_its_password_fails_the_build_and_writes_nothing(
        site: SiteDir, run_cli) -> None:
    site.post("plain", "A Plain Public Post", body="Nothing secret here at all, just words.")
    site.post("locked-away", "Locked Away Post", body="A sentence that must stay encrypted.",
              privacy="protected", circles="[close-friends]")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    # the fifth line of the file is `circles: [close-friends]`
    assert "content/posts/locked-away.md:5" in result.err
    assert "close-friends" in result.err and "VEIL_PASSWORD_CLOSE_FRIENDS" in result.err
    assert not site.out.exists()
    assert sorted(p.name for p in site.root.iterdir()) == ["content", "veil.yaml"]


def test_protected_post_without_circles_leaves_the_previous_site_as_it_was(
        site: SiteDir, run_cli) -> None:
    site.post("plain", "A Plain Public Post", body="Nothing secret here at all, just words.")
    site.build()
    before = site.files()
    site.post("locked-away", "Locked Away Post", body="A sentence that must stay encrypted.",
              privacy="protected")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "content/posts/locked-away.md:4" in result.err
    assert "circle" in result.err
    assert site.files() == before


def test_protected_by_default_needs_circles(site: SiteDir, run_cli) -> None:
    site.write("veil.yaml", BASIC_CONFIG + "default_privacy: protected\n")
    site.post("quiet", "Quiet Post Under The Default", body="Readable by nobody without a key.")
    result = run_cli("build", "--site", str(site.root))
    assert result.code == 1
    assert "content/posts/quiet.md:" in result.err
    assert "circle" in result.err
    assert not site.out.exists()


# ---------------------------------------------------------------------------------------
# Property: any mix of levels, tags and series leaks nothing
# ---------------------------------------------------------------------------------------

WORDS = ("quokka", "narwhal", "axolotl", "pangolin", "tapir", "okapi")
TAGS = ("grief", "sleep", "rest")
SERIES_NAMES = ("Tide Letters", "Slow Mornings")
PAST = ("2020-03-04", "2023-11-30 08:15", "2026-06-01", "2026-06-01 11:59")
FUTURE = ("2026-06-01 12:01", "2026-06-02", "2031-01-01")

post_strategy = st.fixed_dictionaries({
    "privacy": st.sampled_from(("public", "unlisted", "private")),
    "draft": st.booleans(),
    "future": st.booleans(),
    "date_index": st.integers(0, 2),
    "tags": st.lists(st.sampled_from(TAGS), unique=True, max_size=2),
    "series": st.sampled_from((None, *SERIES_NAMES)),
})


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(post_strategy, min_size=1, max_size=6))
def test_any_mix_of_posts_leaks_nothing(posts: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = SiteDir(Path(tmp) / "blog")
        site.write("veil.yaml", BASIC_CONFIG)
        public, unlisted, withheld = set(), set(), set()
        info = {}
        for word, p in zip(WORDS, posts, strict=False):
            title = f"{word.capitalize()} Lantern Diary"
            sentence = f"Only the {word} post says this sentence about the lantern."
            date = (FUTURE if p["future"] else PAST)[p["date_index"] % 3]
            front: dict[str, str] = {"privacy": p["privacy"], "draft": str(p["draft"]).lower()}
            if p["tags"]:
                front["tags"] = "[" + ", ".join(p["tags"]) + "]"
            if p["series"]:
                front["series"] = p["series"]
            site.post(word, title, date=date, body=sentence, **front)
            info[word] = (title, sentence, set(p["tags"]), p["series"])
            if p["draft"] or p["future"] or p["privacy"] == "private":
                withheld.add(word)
            elif p["privacy"] == "unlisted":
                unlisted.add(word)
            else:
                public.add(word)
        site.build()
        files = site.files()
    _check_mix(files, info, public, unlisted, withheld)


def _check_mix(files: dict[str, bytes], info: dict, public: set[str], unlisted: set[str],
               withheld: set[str]) -> None:
    texts = {rel: text_of(data) for rel, data in files.items() if is_text(rel)}
    written = {rel.split("/")[1] for rel in files if rel.startswith("posts/")}
    assert written == public | unlisted

    for word in withheld:
        title, sentence, _, _ = info[word]
        for rel, text in texts.items():
            for marker in (title, sentence, f"{word}/"):
                assert marker not in text, f"{rel} names the withheld post {word}: {marker}"
    for word in unlisted:
        title, sentence, _, _ = info[word]
        for rel, text in texts.items():
            if rel == f"posts/{word}/index.html":
                assert "noindex" in parse_page(rel, files[rel]).robots
                continue
            for marker in (title, sentence, f"{word}/"):
                assert marker not in text, f"{rel} names the unlisted post {word}: {marker}"

    assert feed_links(files["feed.xml"]) == public
    assert feed_links(files["atom.xml"]) == public
    locs = sitemap_locs(files["sitemap.xml"])
    assert {loc.split("/")[-2] for loc in locs if "/posts/" in loc} == public

    home = [rel for rel in files if rel == "index.html" or rel.startswith("page/")]
    assert set().union(*(linked_posts(parse_page(r, files[r]), "entries") for r in home)) \
        == public

    for tag in TAGS:
        having = {w for w in public if tag in info[w][2]}
        rel = f"tags/{tag}/index.html"
        if having:
            assert linked_posts(parse_page(rel, files[rel]), "entries") == having
        else:
            assert rel not in files, f"tag page {tag} exists with no public post"
    tag_list = {link.path for link in parse_page("tags/index.html", files["tags/index.html"]).links}
    assert {p for p in tag_list if p.startswith("/tags/") and p != "/tags/"} == {
        f"/tags/{t}/" for w in public for t in info[w][2]}

    for name in SERIES_NAMES:
        having = {w for w in public if info[w][3] == name}
        folder = f"series/{_slug(name)}/"
        if having:
            page = parse_page(folder + "index.html", files[folder + "index.html"])
            assert linked_posts(page, "entries") == having
            assert feed_links(files[folder + "feed.xml"]) == having
            assert feed_links(files[folder + "atom.xml"]) == having
        else:
            assert not [rel for rel in files if rel.startswith(folder)]
            for rel, text in texts.items():
                if not (rel.startswith("posts/") and rel.split("/")[1] in unlisted):
                    assert name not in text, f"{rel} names the series {name} of hidden posts"



# ---------------------------------------------------------------------------------------
# Standalone pages follow the same table (menu, sitemap, own page)
# ---------------------------------------------------------------------------------------

PAGES = {  # slug: (title, level, extra front matter)
    "about": ("About This Quiet Blog", "public", {}),
    "back-room": ("Unlisted Room Behind The Kitchen", "unlisted", {"privacy": "unlisted"}),
    "bad-winter": ("Private Diary Of The Bad Winter", "private", {"privacy": "private"}),
    "unfinished": ("Draft Page Still Being Written", "draft", {"draft": "true"}),
    "next-year": ("Future Page For The Coming Year", "future", {"date": "2027-01-01"}),
}


def test_pages_follow_the_visibility_table(site: SiteDir) -> None:
    site.post("only-post", "The Only Post", body="A post so that the site has one.")
    for menu, (slug, (title, _, extra)) in enumerate(PAGES.items(), start=1):
        lines = ["---", f"title: {title}", f"menu: {menu}"]
        lines += [f"{key}: {value}" for key, value in extra.items()]
        sentence = f"The page {slug} has this sentence of its own and no other."
        site.write(f"content/pages/{slug}.md", "\n".join([*lines, "---", "", sentence, ""]))
    site.build()
    files = site.files()
    texts = {rel: text_of(data) for rel, data in files.items() if is_text(rel)}
    nav = {link.path for link in parse_page("index.html", files["index.html"]).links}
    locs = sitemap_locs(files["sitemap.xml"])

    for slug, (title, level, _) in PAGES.items():
        own = f"{slug}/index.html"
        markers = (title, f"The page {slug} has this sentence", f"{slug}/")
        if level == "public":
            assert own in files and f"/{slug}/" in nav and f"{BASE_URL}{slug}/" in locs
            continue
        if level == "unlisted":
            assert "noindex" in parse_page(own, files[own]).robots
        else:
            assert not [rel for rel in files if rel.startswith(f"{slug}/")], level
        for rel, text in texts.items():
            if rel != own:
                found = [m for m in markers if m in text]
                assert not found, f"{rel} names the {level} page: {found}"


def test_a_series_with_only_protected_parts_is_named_nowhere(tmp_path: Path) -> None:
    """A series whose every part is protected has no page, feed, sitemap entry or menu
    link: its very name (often the subject) stays inside the encrypted posts."""
    site = SiteDir(tmp_path / "blog")
    site.write("veil.yaml", BASIC_CONFIG)
    site.write("secrets.yaml", "passwords:\n  friends: a long shared passphrase\n")
    site.write("content/posts/open.md", post("An open post", body="Hello."))
    for number in (1, 2):
        site.write(f"content/posts/locked-{number}.md", post(
            f"Locked {number}", privacy="protected", circles="[friends]",
            series="Living with what happened", part=str(number), body="Only for friends."))
    site.write("content/posts/shared.md", post(
        "A shared series part", privacy="protected", circles="[friends]",
        series="Open Letters", body="Also for friends."))
    site.write("content/posts/letter.md", post(
        "An open letter", series="open letters", body="To anyone."))
    site.build(now=datetime(2025, 1, 1, tzinfo=UTC))
    files = site.files()
    assert not [rel for rel, data in files.items() if b"Living with what happened" in data
                or b"living-with-what-happened" in data]
    # a series with a readable part is named as that part spells it
    assert "series/open-letters/index.html" in files
    assert b"Open Letters" not in files["series/open-letters/index.html"]
