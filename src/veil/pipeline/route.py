"""Decide every document's URL, and refuse collisions and names veil needs itself."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from ..errors import Diagnostics
from ..model import Kind, Privacy
from .parse import ParsedSource

# First path segments that veil's own outputs use; a page may not take them.
RESERVED = frozenset({
    "posts", "tags", "series", "archive", "page", "assets", "media", "preferences", "staying-safe",
    "feed.xml", "atom.xml", "sitemap.xml", "robots.txt", "404.html", "index.html",
})


def url_for(kind: Kind, slug: str) -> str:
    return f"/posts/{slug}/" if kind is Kind.POST else f"/{slug}/"


def url_of(item: ParsedSource) -> str:
    """A protected post's address says nothing of it unless its author chose a slug:
    a file name like `what-happened-at-home.md` would otherwise be readable by anyone."""
    meta = item.meta
    if meta.privacy is Privacy.PROTECTED and not meta.slug_is_explicit:
        digest = hashlib.sha256(item.source.key.encode("utf-8")).hexdigest()[:12]
        return url_for(item.source.kind, f"protected-{digest}")
    return url_for(item.source.kind, meta.slug)


def route(parsed: Sequence[ParsedSource], diagnostics: Diagnostics) -> dict[str, str]:
    """Map each source key to its URL; every collision is an error naming both files."""
    urls: dict[str, str] = {}
    owner: dict[str, ParsedSource] = {}
    for item in parsed:
        url = url_of(item)
        where = item.slug_location
        if item.source.kind is Kind.PAGE and item.meta.slug in RESERVED:
            diagnostics.error(where, f"the page URL `{url}` is one veil uses for its own pages",
                              f"give the page another `slug:` than `{item.meta.slug}`")
            continue
        if url.lower() in owner:
            first = owner[url.lower()].source.key
            diagnostics.error(where, f"`{url}` is also the URL of content/{first}",
                              "give one of them a different `slug:` or file name")
            continue
        owner[url.lower()] = item  # hosts on case-insensitive disks would merge them
        urls[item.source.key] = url
    return urls
