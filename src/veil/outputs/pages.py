"""The page of each post and page, and the files of post bundles beside them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from ..config import names_made_public
from ..fingerprints import fingerprint
from ..model import Document
from ..pipeline.links import Body
from ..protect import Plaintext, Protector, embed
from ..site import Site
from ..urls import output_path_for
from ..visibility import Surface, Visibility
from .base import (
    SUPPORT_URL,
    Output,
    PageMaker,
    display_date,
    meta_description,
    support_page,
    tag_views,
    warning_views,
)
from .files import file_key, file_producer, inline_images, published_path, shown_images


def plan_documents(site: Site, maker: PageMaker, bodies: dict[str, Body],
                   protector: Protector) -> Iterator[Output]:
    neighbours = _neighbours(site)
    for doc in site.written_documents():
        body = bodies[doc.source_key]
        inputs = frozenset({f"source:{doc.source_key}", "collection:public-posts"})
        if site.visibility(doc) is Visibility.PROTECTED:
            # Its images travel inside the encrypted payload, never in the clear.
            yield Output(output_path_for(doc.url),
                         _protected_page(site, maker, doc, body, protector),
                         inputs | {"template:protected.html", "template:_post_article.html",
                                   "secrets"},
                         _protected_key(site, maker, doc, body, protector))
            continue
        if doc.is_post:
            yield Output(output_path_for(doc.url),
                         _post_page(site, maker, doc, body, neighbours.get(doc.source_key)),
                         inputs | {"template:post.html", "collection:series"})
        else:
            yield Output(output_path_for(doc.url), _page_page(site, maker, doc, body),
                         inputs | {"template:page.html"})
        for asset in linked_assets(site, doc):
            rel = published_path(asset, doc.source.parent)
            yield Output(doc.url.lstrip("/") + rel, file_producer(asset),
                         frozenset({f"file:{asset}", f"source:{doc.source_key}"}),
                         file_key(asset, names_made_public(site.config)))


def linked_assets(site: Site, doc: Document) -> list[Path]:
    """The files beside a post that a post shown in the clear links to or shows: the
    others (an editor's backup of the text, a camera's raw original, a photo only a
    hidden post still shows) are not published."""
    content, shown = site.config.content_dir, site.files_shown_in_clear
    return [a for a in doc.bundle_assets if a.relative_to(content).as_posix() in shown]


def unlinked_assets(site: Site) -> list[str]:
    """The files beside written posts that no post at all links to or shows
    (content-relative): not published, and named so that one left out by mistake is
    found."""
    content, linked = site.config.content_dir, site.linked_files
    return [key for doc in site.written_documents()
            if site.visibility(doc) is not Visibility.PROTECTED
            for key in (a.relative_to(content).as_posix() for a in doc.bundle_assets)
            if key not in linked]


def plan_support_page(site: Site, maker: PageMaker) -> Iterator[Output]:
    """/support/ from the resources in veil.yaml, unless the writer made that page."""
    if not site.config.support or support_page(site) is not None:
        return
    yield Output(output_path_for(SUPPORT_URL), lambda: maker.render(
        "support.html", SUPPORT_URL, title="Support"),
        frozenset({"config", "template:support.html"}))


def _neighbours(site: Site) -> dict[str, tuple[Document | None, Document | None]]:
    """source key -> (older, newer) among posts that take part in previous/next links."""
    posts = site.public_posts(Surface.PREV_NEXT)  # newest first
    result = {}
    for index, doc in enumerate(posts):
        older = posts[index + 1] if index + 1 < len(posts) else None
        newer = posts[index - 1] if index > 0 else None
        result[doc.source_key] = (older, newer)
    return result


def comment_threads(doc: Document) -> list[dict[str, Any]]:
    """The post's comments as threads: each `{author, date, html, replies}`."""
    views = {}
    for comment in doc.comments:
        views[comment.comment_id] = {"id": comment.comment_id, "author": comment.author,
                                     "date": comment.date, "html": comment.html, "replies": []}
    top = []
    for comment in doc.comments:
        view = views[comment.comment_id]
        parent = views.get(comment.parent_id)
        (parent["replies"] if parent is not None else top).append(view)
    return top


def _link(doc: Document | None) -> dict[str, str] | None:
    return {"title": doc.title, "url": doc.url} if doc else None


# A longer series shows, on each part's page, its first and last part and those near this
# one (the series page lists them all): a list of every part on every page would make a
# long series heavy to read, to hear with a screen reader, and to build.
PARTS_LISTED_WHOLE = 12
PARTS_AROUND = 3


def _listed_parts(total: int, position: int) -> list[int]:
    """The parts a part's page lists (numbered from 1): all of a short series; of a long
    one the first, the last and those near `position`, and a part alone between two
    listed ones (a gap of one would hide no more than it takes to show)."""
    if total <= PARTS_LISTED_WHOLE:
        return list(range(1, total + 1))
    near = range(max(1, position - PARTS_AROUND), min(total, position + PARTS_AROUND) + 1)
    listed: list[int] = []
    for number in sorted({1, total, *near}):
        if listed and number - listed[-1] == 2:
            listed.append(number - 1)
        listed.append(number)
    return listed


def _series_nav(site: Site, doc: Document) -> dict[str, Any] | None:
    if site.visibility(doc) is not Visibility.PUBLIC:
        return None
    group = site.series_of(doc)
    if group is None:
        return None
    items = group.parts
    position = next(n for n, item in enumerate(items, start=1)
                    if item.doc.source_key == doc.source_key)
    readable = [n for n, item in enumerate(items, start=1) if not item.locked]
    index = readable.index(position)
    previous = readable[index - 1] if index > 0 else None
    following = readable[index + 1] if index + 1 < len(readable) else None
    parts: list[dict[str, Any]] = []
    last = 0
    for number in _listed_parts(len(items), position):
        item = items[number - 1]
        parts.append({"title": None if item.locked else item.doc.title,
                      "url": None if item.locked else item.doc.url,
                      "part": number, "current": number == position, "locked": item.locked,
                      "gap_before": number - last - 1,  # parts left out before this one
                      "warnings": [] if item.locked else warning_views(site, item.doc.warnings)})
        last = number
    return {
        "title": group.series.title,
        "url": group.series.url,
        "part": position,
        "total": len(items),
        "prev": _link(items[previous - 1].doc) if previous else None,
        "next": _link(items[following - 1].doc) if following else None,
        "parts": parts,
        "all_listed": len(items) <= PARTS_LISTED_WHOLE,
    }


def _post_view(site: Site, doc: Document, body: Body,
               neighbours: tuple[Document | None, Document | None] | None) -> dict[str, Any]:
    older, newer = neighbours or (None, None)
    return {
        "title": doc.title,
        "url": doc.url,
        "date": doc.date,
        "date_iso": doc.date.isoformat() if doc.date else None,
        "date_display": display_date(doc.date),
        "updated": doc.updated,
        "updated_iso": doc.updated.isoformat() if doc.updated else None,
        "updated_display": display_date(doc.updated),
        "summary": doc.summary,
        "warnings": warning_views(site, doc.warnings),
        "tags": tag_views(site, doc),
        "body": body,
        "unlisted": site.visibility(doc) is Visibility.UNLISTED,
        "preview_only": site.is_preview_only(doc),
        "series_nav": _series_nav(site, doc),
        "comments": comment_threads(doc),
        "prev": _link(older),
        "next": _link(newer),
    }


def _post_page(site: Site, maker: PageMaker, doc: Document, body: Body,
               neighbours: tuple[Document | None, Document | None] | None):
    def produce() -> bytes:
        post = _post_view(site, doc, body, neighbours)
        return maker.render("post.html", doc.url, title=doc.title,
                            description=meta_description(doc),
                            noindex=site.visibility(doc).noindex, og_type="article", post=post)

    return produce


def _protected_page(site: Site, maker: PageMaker, doc: Document, body: Body,
                    protector: Protector):
    def produce() -> bytes:
        article = maker.render_fragment("_post_article.html", doc.url,
                                        post=_post_view(site, doc, body, None))
        article = inline_images(article, doc, site.config.content_dir)
        payload = protector.payload(doc.source_key, doc.url, Plaintext(doc.title, article))
        protected = {
            "date_iso": doc.date.isoformat() if doc.date else None,
            "date_display": display_date(doc.date),
            "payload": embed(payload),
        }
        return maker.render("protected.html", doc.url, title="Protected post",
                            description="A protected post.", noindex=True,
                            robots="noindex, noarchive", protected=protected)

    return produce


def _protected_key(site: Site, maker: PageMaker, doc: Document, body: Body,
                   protector: Protector) -> Callable[[], str]:
    def key() -> str:
        images = [file_key(asset)()
                  for asset in shown_images(doc, site.config.content_dir).values()]
        return fingerprint("protected", maker.digest,
                           maker.renderer.digest_for("protected.html"),
                           maker.renderer.digest_for("_post_article.html"),
                           doc.url, doc.date, doc.title,
                           _post_view(site, doc, body, None), images,
                           protector.fingerprint_for(doc.source_key))

    return key


def _page_page(site: Site, maker: PageMaker, doc: Document, body: Body):
    def produce() -> bytes:
        entry = {
            "title": doc.title,
            "url": doc.url,
            "body": body,
            "warnings": warning_views(site, doc.warnings),
            "summary": doc.summary,
            "updated_display": display_date(doc.updated),
        }
        return maker.render("page.html", doc.url, title=doc.title,
                            description=meta_description(doc),
                            noindex=site.visibility(doc).noindex, entry=entry)

    return produce
