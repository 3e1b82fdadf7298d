"""sitemap.xml and robots.txt: public pages only."""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from ..site import Site
from ..urls import Linker
from ..visibility import Surface
from .base import Output


def plan_sitemap(site: Site) -> Iterator[Output]:
    yield Output("sitemap.xml", lambda: _sitemap(site), frozenset({"collection:sitemap"}))
    yield Output("robots.txt", lambda: _robots(site), frozenset({"config"}))


def _sitemap(site: Site) -> bytes:
    linker = Linker(site.config, "sitemap.xml")
    entries: list[tuple[str, str | None]] = [("/", None), ("/archive/", None)]
    for doc in site.public_posts(Surface.SITEMAP) + site.pages_on(Surface.SITEMAP):
        changed = doc.updated or doc.date
        entries.append((doc.url, changed.date().isoformat() if changed else None))
    entries += [(g.tag.url, None) for g in site.tag_groups]
    entries += [(g.series.url, None) for g in site.series_groups]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url, lastmod in entries:
        lines.append(f"  <url><loc>{escape(linker.absolute(url), quote=False)}</loc>"
                     + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "") + "</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def _robots(site: Site) -> bytes:
    sitemap = Linker(site.config, "robots.txt").absolute("/sitemap.xml")
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode()
