"""The repository's own demo blog (veil.yaml + content/ at the repo root) builds cleanly
and keeps its own promises: what is private, a draft or not yet due shows nowhere,
warned posts open only on request, and its series reads in three parts.

The posts are found by reading their front matter, so the test follows the content.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from conftest import NOW, REPO
from veil.build import BuildResult, build_site

TEXT_SUFFIXES = (".html", ".xml", ".txt", ".json", ".js", ".css", ".svg")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_MARKUP = re.compile(r"[*_`\[\]<>#|~\\]|!\[|\]\(")
_LINKIFIED = re.compile(r"://|www\.|@|\.(com|org|net|uk)\b")  # linkify turns these into links


@dataclass(frozen=True)
class Source:
    path: Path
    front: dict
    body: str
    when: datetime | None
    slug: str

    @property
    def title(self) -> str:
        return str(self.front.get("title", ""))

    @property
    def warnings(self) -> list[str]:
        value = self.front.get("warnings") or []
        return [value] if isinstance(value, str) else list(value)

    def sentences(self) -> list[str]:
        """Plain sentences of the body (no Markdown in them), long enough to be its own."""
        found = []
        for block in re.split(r"\n\s*\n", self.body):
            block = " ".join(block.split())
            if not block or _MARKUP.search(block) or block[0] in "-+>0123456789":
                continue
            found += [s for s in _SENTENCE_END.split(block)
                      if len(s) >= 40 and not _LINKIFIED.search(s) and s not in self.summary]
        return found

    @property
    def summary(self) -> str:
        return str(self.front.get("summary") or "")


def _config() -> dict:
    path = REPO / "veil.yaml"
    assert path.is_file(), "the demo blog has no veil.yaml at the repository root yet"
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _moment(value: object, zone: ZoneInfo) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone)
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value.strip())
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
    return None


def read_posts() -> list[Source]:
    zone = ZoneInfo(str(_config().get("timezone") or "UTC"))
    folder = REPO / "content" / "posts"
    paths = sorted(folder.glob("*.md")) + sorted(folder.glob("*/index.md"))
    posts = []
    for path in paths:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        _, front_text, body = text.split("---\n", 2)
        front = yaml.safe_load(front_text) or {}
        slug = str(front.get("slug") or (path.parent.name if path.name == "index.md"
                                         else path.stem))
        posts.append(Source(path, front, body, _moment(front.get("date"), zone), slug))
    return posts


def level(post: Source) -> str:
    if post.front.get("draft") is True:
        return "draft"
    privacy = post.front.get("privacy") or _config().get("default_privacy") or "public"
    if privacy == "private":
        return "private"
    if post.when is not None and post.when > NOW:
        return "future"
    return str(privacy)


@pytest.fixture(scope="module")
def posts() -> list[Source]:
    return read_posts()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    out = tmp_path_factory.mktemp("demo") / "out"
    result = build_site(REPO, output=out, now=NOW)  # raises VeilError on any error
    return result, out


def plain(data: bytes) -> str:
    """What a reader finds in a file: its text with tags dropped and entities decoded."""
    raw = data.decode("utf-8", "replace")
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", raw)).split()) + "\n" + raw


def output_texts(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): plain(p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file() and p.name.endswith(TEXT_SUFFIXES)}


# ---------------------------------------------------------------------------------------


def test_demo_blog_builds(demo: tuple[BuildResult, Path]) -> None:
    result, out = demo  # building raised no VeilError
    assert result.report is not None and result.report.written == len(result.files)
    assert (out / "index.html").is_file() and (out / "feed.xml").is_file()


def test_demo_blog_has_every_kind_of_post(posts: list[Source]) -> None:
    kinds = {level(p) for p in posts}
    missing = {"public", "private", "draft", "future"} - kinds
    assert not missing, f"the demo blog has no {sorted(missing)} post to show the rules"
    assert any(p.warnings and level(p) == "public" for p in posts), "no warned public post"


def test_withheld_posts_appear_nowhere(posts: list[Source],
                                       demo: tuple[BuildResult, Path]) -> None:
    _, out = demo
    texts = output_texts(out)
    published_titles = {p.title for p in posts if level(p) in ("public", "unlisted")}
    leaks = []
    for post in posts:
        if level(post) not in ("private", "draft", "future"):
            continue
        assert not (out / "posts" / post.slug).exists(), f"{post.path.name} has a page"
        sentences = post.sentences()
        assert sentences, f"{post.path.name}: no plain sentence of its own to look for"
        markers = [*sentences, f"posts/{post.slug}/", f"../{post.slug}/"]
        if post.title not in published_titles:
            markers.append(post.title)
        for rel, text in texts.items():
            leaks += [(rel, post.path.name, m[:50]) for m in markers if m in text]
    assert leaks == []


class _Gate(HTMLParser):
    """Text of a page, split into what sits inside <details class="content-warning">."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # open <details> elements, counting from a content-warning one
        self.inside: list[str] = []
        self.outside: list[str] = []
        self.summaries: list[str] = []
        self.in_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "details" and (self.depth or "content-warning" in classes):
            self.depth += 1
        if tag == "summary" and self.depth:
            self.in_summary = True
            self.summaries.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "details" and self.depth:
            self.depth -= 1
        if tag == "summary":
            self.in_summary = False

    def handle_data(self, data: str) -> None:
        (self.inside if self.depth else self.outside).append(data)
        if self.in_summary:
            self.summaries[-1] += data


def test_warned_posts_keep_their_body_behind_the_warning(posts: list[Source],
                                                         demo: tuple[BuildResult, Path]) -> None:
    _, out = demo
    warned = [p for p in posts if p.warnings and level(p) in ("public", "unlisted")]
    assert warned, "the demo blog has no warned post"
    for post in warned:
        page = out / "posts" / post.slug / "index.html"
        gate = _Gate()
        gate.feed(page.read_text(encoding="utf-8"))
        inside = " ".join(" ".join(gate.inside).split())
        outside = " ".join(" ".join(gate.outside).split())
        assert '<details class="content-warning"' in page.read_text(encoding="utf-8")
        assert gate.summaries and "Content warning" in gate.summaries[0], post.path.name
        sentences = post.sentences()
        assert sentences, f"{post.path.name}: no plain sentence to look for"
        for sentence in sentences:
            assert sentence in inside, f"{post.path.name}: body not inside the warning"
            assert sentence not in outside, f"{post.path.name}: body shown before the warning"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []  # href, text, classes around it
        self.stack: list[str] = []
        self.current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag not in ("meta", "link", "img", "br", "hr", "input", "source"):
            self.stack.append(values.get("class") or "")
        if tag == "a":
            self.current = [values.get("href") or "", "", " ".join(self.stack)]

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.current is not None:
            self.links.append((self.current[0], " ".join(self.current[1].split()),
                               self.current[2]))
            self.current = None
        if self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self.current is not None:
            self.current[1] += data


def test_three_part_series_page(posts: list[Source], demo: tuple[BuildResult, Path]) -> None:
    _, out = demo
    by_series: dict[str, list[Source]] = {}
    for post in posts:
        if post.front.get("series") and level(post) == "public":
            by_series.setdefault(str(post.front["series"]), []).append(post)
    three = [name for name, parts in by_series.items() if len(parts) == 3]
    counts = {name: len(parts) for name, parts in by_series.items()}
    assert three, f"no series with three public parts: {counts}"

    index = _Links()
    index.feed((out / "series/index.html").read_text(encoding="utf-8"))
    for name in three:
        href = next((h for h, text, _ in index.links if text == name), None)
        assert href is not None, f"/series/ does not list {name}"
        page = (out / "series" / href).resolve()
        if page.is_dir():
            page /= "index.html"
        links = _Links()
        links.feed(page.read_text(encoding="utf-8"))
        entries = [text for h, text, classes in links.links
                   if "entries" in classes and ("posts/" in h or h.startswith("../../posts"))]
        titles = {p.title for p in by_series[name]}
        assert len(entries) == 3, f"{name}: the series page lists {entries}"
        assert {t for t in titles if any(t in e for e in entries)} == titles
        text = plain(page.read_bytes())
        for number in (1, 2, 3):
            assert f"Part {number}" in text
