"""Listings: the paginated home, the archive by year, tags and series."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import cache
from itertools import groupby
from typing import Any, TypeVar

from ..model import Document
from ..site import Listed, Site
from ..urls import output_path_for
from ..visibility import Surface
from .base import Output, PageMaker, entry_view

LISTING_INPUTS = frozenset({"collection:listed-posts"})
T = TypeVar("T")


def page_url(first: str, page: int) -> str:
    """The address of a listing's page: "/tags/grief/", then "/tags/grief/page/2/"."""
    return first if page == 1 else f"{first}page/{page}/"


def plan_indexes(site: Site, maker: PageMaker) -> Iterator[Output]:
    yield from _home(site, maker)
    yield from _archive(site, maker)
    yield from _tags(site, maker)
    yield from _series(site, maker)


def _paginated(site: Site, maker: PageMaker, first: str, items: Sequence[T],
               listed: Callable[[T], Listed], template: str, title: Callable[[int], str],
               inputs: frozenset[str], **context: Any) -> Iterator[Output]:
    """A listing of `items` (each shown as `listed` gives it) split into pages of
    `posts_per_page` entries, newest first, each linking to the pages before and after
    it; one empty page when nothing is listed. (Planned for every build, made for few:
    what a page lists is taken when it is made.)"""
    size = site.config.posts_per_page
    pages = max(1, -(-len(items) // size))
    inputs = inputs | {f"template:{template}"}
    for page in range(1, pages + 1):

        def produce(page: int = page) -> bytes:
            pagination = {
                "page": page,
                "pages": pages,
                "prev_url": page_url(first, page - 1) if page > 1 else None,
                "next_url": page_url(first, page + 1) if page < pages else None,
            }
            shown = items[(page - 1) * size : page * size]
            return maker.render(template, page_url(first, page), title=title(page),
                                entries=[entry_view(site, listed(item)) for item in shown],
                                pagination=pagination, **context)

        yield Output(output_path_for(page_url(first, page)), produce, inputs,
                     shows_entries=True)


def _as_listed(item: Listed) -> Listed:
    return item


def _unlocked(doc: Document) -> Listed:
    return Listed(doc, locked=False)


def _home(site: Site, maker: PageMaker) -> Iterator[Output]:
    yield from _paginated(
        site, maker, "/", site.posts_on(Surface.LISTINGS), _as_listed, "list.html",
        lambda page: site.config.title if page == 1 else f"Page {page}", LISTING_INPUTS)


# Past this many posts, /archive/ lists the years and how many posts each holds, and each
# year's page lists its posts: a page of every post of a ten-year blog would weigh
# megabytes on a reader's phone.
ARCHIVE_LISTED_WHOLE = 300


def _archive(site: Site, maker: PageMaker) -> Iterator[Output]:
    listed = site.posts_on(Surface.LISTINGS)
    grouped = [(year, list(items)) for year, items in groupby(
        listed, key=lambda item: item.doc.date.year if item.doc.date else 0)]

    @cache
    def years() -> list[dict[str, Any]]:  # made when a page is first made or fingerprinted
        return [{"year": year, "url": f"/archive/{year}/", "count": len(items),
                 "entries": [entry_view(site, item, compact=True) for item in items]}
                for year, items in grouped]

    def counted_years() -> list[dict[str, Any]]:
        return [{"year": year, "url": f"/archive/{year}/", "count": len(items), "entries": []}
                for year, items in grouped]

    inputs = LISTING_INPUTS | {"template:archive.html"}
    whole = len(listed) <= ARCHIVE_LISTED_WHOLE
    yield Output("archive/index.html", lambda: maker.render(
        "archive.html", "/archive/", title="Archive",
        years=years() if whole else counted_years(), year=None), inputs,
        shows_entries=True)
    for index, (year, _items) in enumerate(grouped):
        url = f"/archive/{year}/"
        yield Output(output_path_for(url), lambda index=index, url=url, year=year: maker.render(
            "archive.html", url, title=f"Posts from {year}", years=[years()[index]],
            year=year), inputs, shows_entries=True)


def _tags(site: Site, maker: PageMaker) -> Iterator[Output]:
    groups = site.tag_groups
    tags = [{"name": g.tag.name, "url": g.tag.url, "count": len(g.posts)} for g in groups]
    inputs = frozenset({"collection:tagged-posts"})
    yield Output("tags/index.html", lambda: maker.render(
        "tags.html", "/tags/", title="Tags", tags=tags), inputs | {"template:tags.html"})
    for group in groups:
        tag = {"name": group.tag.name, "url": group.tag.url}
        heading = f"Posts tagged “{group.tag.name}”"
        yield from _paginated(
            site, maker, group.tag.url, group.posts, _unlocked, "tag.html",
            lambda page, heading=heading: heading if page == 1 else f"{heading}, page {page}",
            inputs | {f"tag:{group.tag.slug}"}, tag=tag)


def _series(site: Site, maker: PageMaker) -> Iterator[Output]:
    groups = site.series_groups
    inputs = frozenset({"collection:series"})
    series_list = [{"title": g.series.title, "url": g.series.url, "count": len(g.parts)}
                   for g in groups]
    yield Output("series/index.html", lambda: maker.render(
        "series_index.html", "/series/", title="Series", series_list=series_list),
        inputs | {"template:series_index.html"})
    for group in groups:
        url = group.series.url
        view = {"title": group.series.title, "url": url, "rss": url + "feed.xml",
                "atom": url + "atom.xml"}
        feeds = [{"title": group.series.title, "rss": view["rss"], "atom": view["atom"]}]
        yield Output(output_path_for(url), lambda group=group, view=view, feeds=feeds:
                     maker.render("series.html", group.series.url,
                                  title=group.series.title, series=view, feeds=feeds,
                                  entries=[entry_view(site, item, part=number) for number, item
                                           in enumerate(group.parts, start=1)]),
                     inputs | {"template:series.html", f"series:{group.series.slug}"},
                     shows_entries=True)
