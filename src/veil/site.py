"""The assembled site and its collections, each already filtered for where it is shown.

Templates and outputs reach posts only through `Site.posts_on(surface)` and friends, so a
post that may not appear on a surface never reaches the code that renders it. Documents
that are never published are reachable only by `Site.withheld_documents()`, a deliberate
call for the checks that must know what to keep out.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property

from .config import SiteConfig
from .content_warnings import Vocabulary
from .model import Document, Kind, Series, Tag
from .text import slugify
from .visibility import (
    Appearance,
    Surface,
    Visibility,
    appearance,
    is_withheld,
    visibility_of,
)


@dataclass(frozen=True, slots=True)
class Listed:
    """A post as one surface shows it: in full, or as a locked entry."""

    doc: Document
    locked: bool


@dataclass(frozen=True, slots=True)
class SeriesGroup:
    series: Series
    parts: tuple[Listed, ...]  # in reading order


@dataclass(frozen=True, slots=True)
class TagGroup:
    tag: Tag
    posts: tuple[Document, ...]  # newest first


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    vocabulary: Vocabulary
    now: datetime
    _documents: tuple[Document, ...]
    preview_drafts: bool = False
    _visibility: dict[str, Visibility] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_visibility", {
            d.source_key: visibility_of(d, self.now, preview_drafts=self.preview_drafts)
            for d in self._documents})

    def is_preview_only(self, doc: Document) -> bool:
        """Shown only because this is a drafts preview: it will not be published."""
        return self.preview_drafts and is_withheld(doc, self.now)

    def visibility(self, doc: Document) -> Visibility:
        return self._visibility[doc.source_key]

    def _on(self, surface: Surface, kind: Kind, documents: Iterable[Document] | None = None
            ) -> list[Listed]:
        shown_as = {v: appearance(v, surface) for v in Visibility}
        visibility, absent, locked = self._visibility, Appearance.ABSENT, Appearance.LOCKED
        listed = []
        for doc in self._documents if documents is None else documents:
            if doc.kind is kind:
                shown = shown_as[visibility[doc.source_key]]
                if shown is not absent:
                    listed.append(Listed(doc, shown is locked))
        return listed

    def posts_on(self, surface: Surface) -> list[Listed]:
        """Posts that may appear on `surface`, newest first."""
        found = self._posts_on.get(surface)
        if found is None:
            found = self._posts_on[surface] = self._on(surface, Kind.POST,
                                                       self._posts_newest_first)
        return list(found)

    @cached_property
    def _posts_on(self) -> dict[Surface, list[Listed]]:
        return {}

    @cached_property
    def _posts_newest_first(self) -> tuple[Document, ...]:
        return tuple(sorted((d for d in self._documents if d.is_post),
                            key=lambda doc: doc.sort_key, reverse=True))

    def public_posts(self, surface: Surface) -> list[Document]:
        """Posts shown in full on `surface` (locked entries left out), newest first."""
        return [item.doc for item in self.posts_on(surface) if not item.locked]

    def written_documents(self) -> list[Document]:
        """Every post and page that gets its own page in this build."""
        return list(self._written)

    @cached_property
    def _written(self) -> tuple[Document, ...]:
        written = {v: v.is_written for v in Visibility}
        return tuple(d for d in self._documents if written[self._visibility[d.source_key]])

    def pages_on(self, surface: Surface) -> list[Document]:
        return [item.doc for item in self._on(surface, Kind.PAGE) if not item.locked]

    def linkable(self, doc: Document) -> bool:
        return appearance(self.visibility(doc), Surface.LINKS) is Appearance.FULL

    def withheld_documents(self) -> list[Document]:
        """Documents that must not show anywhere in the output: for leak checks only."""
        written = {d.source_key for d in self._written}
        return [d for d in self._documents if d.source_key not in written]

    def all_documents_for_routing(self) -> tuple[Document, ...]:
        """Every document, whatever its privacy: for resolving and refusing links only."""
        return self._documents

    @cached_property
    def linked_files(self) -> frozenset[str]:
        """What any document's links and images point to (content-relative paths), shown
        or not."""
        return frozenset(note.target for doc in self._documents for note in doc.rendered.links)

    @cached_property
    def files_shown_in_clear(self) -> frozenset[str]:
        """What the links and images of the documents shown in the clear (public and
        unlisted ones) point to: a file beside a post or in content/media is published
        only when one of them does (a protected post's images travel in its payload)."""
        in_clear = {v: v.is_written and v is not Visibility.PROTECTED for v in Visibility}
        return frozenset(note.target for doc in self._documents
                         if in_clear[self._visibility[doc.source_key]]
                         for note in doc.rendered.links)

    @cached_property
    def views(self) -> dict[object, object]:
        """Views of documents made for templates during one build, shared by its pages."""
        return {}

    @cached_property
    def tag_groups(self) -> list[TagGroup]:
        groups: dict[str, list[Document]] = {}
        names: dict[str, str] = {}
        for doc in self.public_posts(Surface.TAGS):
            for name in doc.tags:
                slug = slugify(name)
                names.setdefault(slug, name)
                groups.setdefault(slug, []).append(doc)
        return [
            TagGroup(tag_for(names[slug]), tuple(posts))
            for slug, posts in sorted(groups.items(), key=lambda kv: names[kv[0]].lower())
        ]

    @cached_property
    def tag_slugs(self) -> frozenset[str]:
        return frozenset(group.tag.slug for group in self.tag_groups)

    @cached_property
    def series_groups(self) -> list[SeriesGroup]:
        groups: dict[str, list[Listed]] = {}
        titles: dict[str, str] = {}
        for item in self.posts_on(Surface.SERIES):
            if item.doc.series is None:
                continue
            slug = slugify(item.doc.series)
            if not item.locked:  # a series is named as its readable parts spell it
                titles.setdefault(slug, item.doc.series)
            groups.setdefault(slug, []).append(item)
        result = []
        for slug, parts in groups.items():
            if slug not in titles:
                continue  # only protected parts: the series' very name stays with them
            ordered = sorted(parts, key=_reading_order)
            result.append(SeriesGroup(series_for(titles[slug]), tuple(ordered)))
        return sorted(result, key=lambda g: g.series.title.lower())

    def series_of(self, doc: Document) -> SeriesGroup | None:
        if doc.series is None:
            return None
        return self._series_by_slug.get(slugify(doc.series))

    @cached_property
    def _series_by_slug(self) -> dict[str, SeriesGroup]:
        return {group.series.slug: group for group in self.series_groups}


def _reading_order(item: Listed) -> tuple[int, datetime, str]:
    part = item.doc.part if item.doc.part is not None else 1_000_000
    return (part, *item.doc.sort_key)


@cache  # pure, and asked for once per post per listing
def tag_for(name: str) -> Tag:
    slug = slugify(name)
    return Tag(name=name, slug=slug, url=f"/tags/{slug}/")


@cache
def series_for(title: str) -> Series:
    slug = slugify(title)
    return Series(title=title, slug=slug, url=f"/series/{slug}/")
