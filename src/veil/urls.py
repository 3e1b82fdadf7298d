"""Links from one output to another: relative inside the site, absolute in feeds."""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import quote

from . import srcset
from .config import SiteConfig
from .pipeline.markdown import SITE_LINK

_SITE_LINK_ATTR = re.compile(r'(href|src|poster)="' + SITE_LINK + r'([^"]*)"')


def output_path_for(url: str) -> str:
    """The file an URL is written to: "/posts/a/" -> "posts/a/index.html"."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path


@lru_cache(maxsize=4096)  # the links of a few pages: most repeat within a page
def _relative(target: str, start: str) -> str:
    """`posixpath.relpath(target, start)` for clean "/"-separated site paths (hot: every
    link of every page goes through here)."""
    if not start:
        return target or "."
    start_parts = start.split("/")
    if not target.startswith(start_parts[0]):  # most links: nothing in common
        return "../" * (len(start_parts) - 1) + ".." + ("/" + target if target else "")
    to = target.split("/") if target else []
    common = 0
    while (common < len(to) and common < len(start_parts)
           and to[common] == start_parts[common]):
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + to[common:]) or "."


# What `quote(link, safe=_SAFE)` leaves as it is: tested first, as most links are this.
_SAFE = "/.-_~%"
_QUOTED_ALREADY = re.compile(r"[A-Za-z0-9/._~%-]*")


class Linker:
    """Makes links for one output file.

    `rooted` links (for 404.html, which a server shows at any address) start from the
    site's base path instead of being relative.
    """

    def __init__(self, config: SiteConfig, output_path: str, *, rooted: bool = False):
        self.config = config
        self.output_dir = posixpath.dirname(output_path)
        self.rooted = rooted

    def url(self, path: str) -> str:
        path, hash_mark, fragment = path.partition("#")
        if path.endswith("/") and not self.config.pretty_links:
            path += "index.html"
        if self.rooted:
            link = self.config.base_path + path.lstrip("/")
        else:
            link = _relative(path.strip("/"), self.output_dir)
            if path.endswith("/") and not link.endswith("/"):
                link += "/"
            if link == "./":
                link = "./"
        if not _QUOTED_ALREADY.fullmatch(link):
            link = quote(link, safe=_SAFE)
        return link + hash_mark + fragment

    def absolute(self, path: str) -> str:
        return self.config.base_url + quote(path.lstrip("/"), safe="/.-_~%#")

    def relocate(self, html_text: str) -> str:
        """Turn ``veil:/site/path`` links in rendered HTML into links from this output."""
        if SITE_LINK not in html_text:  # most pages: a tenth of the time of the search
            return html_text
        made = _SITE_LINK_ATTR.sub(lambda m: f'{m.group(1)}="{self.url(m.group(2))}"',
                                   html_text)
        return srcset.rewrite_marked(made, SITE_LINK, self.url)

    def absolutize(self, html_text: str) -> str:
        if SITE_LINK not in html_text:
            return html_text
        made = _SITE_LINK_ATTR.sub(lambda m: f'{m.group(1)}="{self.absolute(m.group(2))}"',
                                   html_text)
        return srcset.rewrite_marked(made, SITE_LINK, self.absolute)

