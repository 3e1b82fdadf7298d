"""The site model: plain frozen data that every later stage reads and none changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from . import reads


class Privacy(StrEnum):
    PUBLIC = "public"
    UNLISTED = "unlisted"
    PROTECTED = "protected"
    PRIVATE = "private"


class Kind(StrEnum):
    POST = "post"
    PAGE = "page"


@dataclass(frozen=True, slots=True)
class LinkNote:
    """A link or image found while rendering, for the checks that need the whole site."""

    line: int
    target: str  # content-relative path (for source links) or the href as written
    written: str  # the href as the author wrote it, for messages
    is_image: bool
    alt_missing: bool = False
    climbs_out: bool = False


@dataclass(frozen=True, slots=True)
class Comment:
    """One comment of a post's read-only archive (imported from another blog)."""

    comment_id: str
    parent_id: str  # "0" for a comment on the post itself
    author: str
    date: str
    html: str  # cleaned: a few inline tags, links


class BodySource(Protocol):
    def body(self, key: str) -> str | None: ...


class MissingBody(LookupError):
    """A body kept only in the build cache is no longer there (another veil process that
    shares the cache dropped it as unused): the site is to be read again."""


class Rendered:
    """What Markdown rendering makes of one body; depends only on the file itself.

    The excerpt and link notes are always at hand; the HTML may live in the build cache
    and is read from there each time a page needs it. Reading any of them is noted (see
    `reads`), so a build knows which outputs show which bodies.
    """

    __slots__ = ("_excerpt", "_html", "_key", "_links", "_source")

    def __init__(self, html: str | None, excerpt: str,
                 links: tuple[LinkNote, ...] = (), key: str = "",
                 source: BodySource | None = None):
        self._excerpt = excerpt  # plain text of the first paragraph, shortened
        self._links = links
        self._key = key  # hash of what the body was rendered from
        self._html = html  # links to other sources are `veil-src:` placeholders
        self._source = source

    @property
    def key(self) -> str:
        reads.note(self._key)
        return self._key

    @property
    def excerpt(self) -> str:
        reads.note(self._key)
        return self._excerpt

    @property
    def links(self) -> tuple[LinkNote, ...]:
        reads.note(self._key)
        return self._links

    @property
    def html(self) -> str:
        reads.note(self._key)
        return self._html if self._html is not None else self._load()

    def _load(self) -> str:
        """Read from the cache each time: a build over thousands of posts would otherwise
        end up holding every body in every process."""
        found = self._source.body(self._key) if self._source is not None else None
        if found is None:
            raise MissingBody(f"the rendered body {self._key} is missing from the build cache")
        return found

    @property
    def in_memory(self) -> bool:
        return self._html is not None

    def offload(self, source: BodySource) -> None:
        """Forget the HTML, which `source` now keeps."""
        self._source = source
        self._html = None

    def __getstate__(self) -> tuple[object, ...]:
        return (self._excerpt, self._links, self._key, self._html, None)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        (self._excerpt, self._links, self._key, self._html,  # type: ignore[assignment]
         self._source) = state  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class Document:
    """A post or a page, validated and rendered, with its URL decided."""

    kind: Kind
    source: Path  # absolute path of the Markdown file
    source_key: str  # its path relative to content/, with "/" separators
    title: str
    date: datetime | None  # required for posts, optional for pages
    updated: datetime | None
    summary: str | None
    warnings: tuple[str, ...]  # canonical vocabulary terms (or unknown terms as written)
    privacy: Privacy
    draft: bool
    circles: tuple[str, ...]
    series: str | None
    part: int | None
    tags: tuple[str, ...]
    slug: str
    menu: int | None
    url: str  # site path such as "/posts/slug/"
    rendered: Rendered
    bundle_assets: tuple[Path, ...]  # files published beside the page (post bundles)
    comments: tuple[Comment, ...] = ()

    @property
    def is_post(self) -> bool:
        return self.kind is Kind.POST

    @property
    def sort_key(self) -> tuple[datetime, str]:
        assert self.date is not None
        return (self.date, self.source_key)


@dataclass(frozen=True, slots=True)
class Tag:
    name: str
    slug: str
    url: str


@dataclass(frozen=True, slots=True)
class Series:
    title: str
    slug: str
    url: str
