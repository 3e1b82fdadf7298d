"""The one place that says where each post may appear.

Every collection that reaches a template or a feed is filtered through `appearance()`;
nothing else in veil looks at `privacy`, `draft` or dates to decide what to show.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from .model import Document, Privacy


class Visibility(Enum):
    PUBLIC = "public"
    UNLISTED = "unlisted"
    PROTECTED = "protected"
    WITHHELD = "withheld"  # private, draft or future-dated: never written by `veil build`

    @property
    def is_written(self) -> bool:
        return appearance(self, Surface.OWN_PAGE) is not Appearance.ABSENT

    @property
    def noindex(self) -> bool:
        return self is not Visibility.PUBLIC


class Surface(Enum):
    OWN_PAGE = "its own page"
    LISTINGS = "home and archive"
    TAGS = "tag pages and tag lists"
    SERIES = "series page and part navigation"
    PREV_NEXT = "previous/next links"
    FEEDS = "RSS and Atom feeds"
    SITEMAP = "sitemap"
    SEARCH = "search index"
    LINKS = "links from other pages"


class Appearance(Enum):
    FULL = "full"
    LOCKED = "locked"  # shown as a locked entry: no title, summary or text
    ABSENT = "absent"


_F, _L, _A = Appearance.FULL, Appearance.LOCKED, Appearance.ABSENT

TABLE: dict[Visibility, dict[Surface, Appearance]] = {
    Visibility.PUBLIC: dict.fromkeys(Surface, _F),
    Visibility.UNLISTED: {s: _F if s is Surface.OWN_PAGE else _A for s in Surface},
    Visibility.PROTECTED: {
        **dict.fromkeys(Surface, _A),
        Surface.OWN_PAGE: _F,
        Surface.LISTINGS: _L,
        Surface.SERIES: _L,
    },
    Visibility.WITHHELD: dict.fromkeys(Surface, _A),
}


def appearance(visibility: Visibility, surface: Surface) -> Appearance:
    return TABLE[visibility][surface]


def is_withheld(doc: Document, now: datetime) -> bool:
    """Private, draft or future-dated: never published by `veil build`."""
    return (doc.draft or doc.privacy is Privacy.PRIVATE
            or (doc.date is not None and doc.date > now))


def visibility_of(doc: Document, now: datetime, *, preview_drafts: bool = False) -> Visibility:
    """Where `doc` may appear. `preview_drafts` (only `veil serve --drafts`, never written
    to the publish folder) shows withheld posts as if they were public."""
    if is_withheld(doc, now):
        return Visibility.PUBLIC if preview_drafts else Visibility.WITHHELD
    return {
        Privacy.PUBLIC: Visibility.PUBLIC,
        Privacy.UNLISTED: Visibility.UNLISTED,
        Privacy.PROTECTED: Visibility.PROTECTED,
    }[doc.privacy]
