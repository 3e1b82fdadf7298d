"""Decide every document's URL, and refuse collisions and names veil needs itself."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from ..errors import Diagnostics
from ..model import Kind, Privacy
from ..passwords import ADDRESS_KEY_ENV, MAKE_A_KEY, SECRETS_FILE
from .parse import ParsedSource

# First path segments that veil's own outputs use; a page may not take them.
RESERVED = frozenset({
    "posts", "tags", "series", "archive", "page", "assets", "media", "preferences", "staying-safe",
    "feed.xml", "atom.xml", "sitemap.xml", "robots.txt", "404.html", "index.html",
})


def url_for(kind: Kind, slug: str) -> str:
    return f"/posts/{slug}/" if kind is Kind.POST else f"/{slug}/"


def hides_its_name(item: ParsedSource) -> bool:
    """A protected post whose author chose no slug: its address must say nothing of it
    (a file name like `what-happened-at-home.md` would otherwise be readable by anyone)."""
    return item.meta.privacy is Privacy.PROTECTED and not item.meta.slug_is_explicit


def url_of(item: ParsedSource, address_key: str | None) -> str:
    """Made with the site's secret `address_key`, a protected post's address cannot be
    told from its file name; without one, anyone who guesses the file name can confirm it
    (the address was then a plain hash of the name, as sites without a key still have)."""
    if hides_its_name(item):
        name = item.source.key.encode("utf-8")
        digest = (hmac.new(address_key.encode("utf-8"), name, "sha256").hexdigest()[:12]
                  if address_key else hashlib.sha256(name).hexdigest()[:12])
        return url_for(item.source.kind, f"protected-{digest}")
    return url_for(item.source.kind, item.meta.slug)


def route(parsed: Sequence[ParsedSource], diagnostics: Diagnostics,
          address_key: str | None = None) -> dict[str, str]:
    """Map each source key to its URL; every collision is an error naming both files."""
    urls: dict[str, str] = {}
    owner: dict[str, ParsedSource] = {}
    unkeyed = [item for item in parsed if hides_its_name(item)] if not address_key else []
    if unkeyed:
        diagnostics.warn(
            unkeyed[0].slug_location,
            f"{len(unkeyed)} protected post(s) have addresses that anyone who guesses the "
            f"file name can confirm, as {SECRETS_FILE} has no `address_key`",
            f'add `address_key: "..."` to {SECRETS_FILE} with a new random key, such as '
            f"`{MAKE_A_KEY}` prints, or set {ADDRESS_KEY_ENV} where you build; these posts "
            "then move to new addresses, once")
    for item in parsed:
        url = url_of(item, address_key)
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
