"""RSS 2.0 and Atom feeds for the site and each series.

Only posts the visibility table allows in feeds are read. A warned item's title leads
with "[CW: ...]", its text starts with the warnings and, by default, carries only the
author's own summary and a link: the body itself stays behind the warning on the site.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from ..fingerprints import fingerprint
from ..model import Document
from ..pipeline.links import Body
from ..site import Site
from ..urls import Linker
from ..visibility import Surface
from .base import Output, warning_line

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def plan_feeds(site: Site, bodies: dict[str, Body]) -> Iterator[Output]:
    posts = site.public_posts(Surface.FEEDS)
    inputs = frozenset({"collection:feed-posts", "config"})
    yield from _pair(site, bodies, posts, "/", site.config.title, inputs)
    in_feed = {d.source_key for d in posts}
    for group in site.series_groups:
        parts = [item.doc for item in reversed(group.parts) if item.doc.source_key in in_feed]
        parts.sort(key=lambda d: d.sort_key, reverse=True)
        yield from _pair(site, bodies, parts, group.series.url,
                         f"{group.series.title} · {site.config.title}",
                         inputs | {f"series:{group.series.slug}"})


def _pair(site: Site, bodies: dict[str, Body], posts: list[Document], folder: str, title: str,
          inputs: frozenset[str]) -> Iterator[Output]:
    base = folder.lstrip("/")

    def key() -> str:
        chosen = posts[: site.config.feeds.items]
        return fingerprint("feed", site.config, folder, title, [
            (d.url, d.title, d.date, d.updated, d.tags, d.warnings, d.summary,
             d.rendered.excerpt, bodies[d.source_key]) for d in chosen])

    yield Output(base + "feed.xml",
                 lambda: _generator(site, bodies, posts, folder, title).rss_str(pretty=True),
                 inputs, lambda: "rss" + key())
    yield Output(base + "atom.xml",
                 lambda: _generator(site, bodies, posts, folder, title).atom_str(pretty=True),
                 inputs, lambda: "atom" + key())


def _generator(site: Site, bodies: dict[str, Body], posts: list[Document], folder: str,
               title: str) -> FeedGenerator:
    config = site.config
    linker = Linker(config, "feed.xml")
    chosen = posts[: config.feeds.items]
    from feedgen.feed import FeedGenerator  # with lxml, a good part of start-up

    fg = FeedGenerator()
    fg.id(linker.absolute(folder))
    fg.title(title)
    fg.description(config.description or title)
    fg.subtitle(config.description or title)
    fg.language(config.language)
    fg.generator("")
    fg.link(href=linker.absolute(folder + "atom.xml"), rel="self")
    fg.link(href=linker.absolute(folder), rel="alternate")
    if config.author:
        fg.author({"name": config.author})
    newest = max((_changed(d) for d in chosen), default=_EPOCH)
    fg.updated(newest.astimezone(UTC))
    for doc in chosen:
        url = linker.absolute(doc.url)
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.link(href=url)
        entry.published(doc.date.astimezone(UTC) if doc.date else _EPOCH)
        entry.updated(_changed(doc).astimezone(UTC))
        for tag in doc.tags:
            entry.category(term=tag)
        if doc.warnings:
            _warned_item(entry, doc, url, linker, bodies, config.feeds.warned_content)
        else:
            entry.title(doc.title)
            entry.description(html.escape(doc.summary or doc.rendered.excerpt))
            entry.content(linker.absolutize(bodies[doc.source_key].html), type="html")
    return fg


def _warned_item(entry, doc: Document, url: str, linker: Linker, bodies: dict[str, Body],
                 mode: str) -> None:
    entry.title(f"[CW: {', '.join(doc.warnings)}] {doc.title}")
    lead = f"<p><strong>{html.escape(warning_line(doc.warnings))}</strong></p>"
    read = f'<p><a href="{html.escape(url)}">Read the post on the site</a></p>'
    if mode == "full":
        text = lead + linker.absolutize(bodies[doc.source_key].html)
    elif mode == "summary" and doc.summary:
        text = lead + f"<p>{html.escape(doc.summary)}</p>" + read
    else:
        text = lead + read
    entry.description(text)
    entry.content(text, type="html")


def _changed(doc: Document) -> datetime:
    return doc.updated or doc.date or _EPOCH
