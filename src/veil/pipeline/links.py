"""Resolve links between sources once every URL is known.

A link to another post becomes a link to its URL only if that post may be linked to
from elsewhere (it is public): a link to a private, unlisted, draft or future post is
reduced to its text, so no other page names its URL; so is a link to a file beside such a
post (its photo, say), which that post alone shows. Broken links and images without alt
text are warnings (errors under --strict).
"""

from __future__ import annotations

import html
import re
from collections import ChainMap
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from .. import srcset
from ..errors import Diagnostics, Location
from ..fingerprints import fingerprint
from ..model import Document, Rendered
from ..outputs.files import published_path
from ..site import Site
from ..visibility import Visibility
from .discover import walk_files
from .markdown import SITE_LINK, SOURCE_LINK

# (a link's text ends at its own </a>: never past another link or placeholder, so an
# opening tag written without its end is resolved on its own, by `_LEFTOVER`)
_LINK = re.compile(r'<a href="' + SOURCE_LINK + r'([^"#]*)(#[^"]*)?"([^>]*)>'
                   r'((?:(?!<a[\s>/]|' + SOURCE_LINK + r').)*?)</a>', re.S | re.IGNORECASE)
_IMAGE = re.compile(r'<img src="' + SOURCE_LINK + r'([^"#]*)(#[^"]*)?"([^>]*?)\s*/?>')
_ALT = re.compile(r'alt="([^"]*)"')
_LEFTOVER = re.compile(r'(?<![\w-])(href|src|poster|data)="' + SOURCE_LINK + r'([^"#]*)(#[^"]*)?"')


def published_files(site: Site) -> dict[str, str]:
    """Content-relative path -> site path, for every file this build publishes."""
    files: dict[str, str] = {}
    content = site.config.content_dir
    for path in walk_files(content / "media"):
        key = path.relative_to(content).as_posix()
        files[key] = "/media/" + published_path(path, content / "media")
    for doc in site.written_documents():
        if site.visibility(doc) is not Visibility.PROTECTED:
            files.update(bundle_files(doc, content))
    return files


def bundle_files(doc: Document, content: Path) -> dict[str, str]:
    """Content path -> site path of the files published beside `doc`'s page."""
    folder = doc.source.parent
    return {asset.relative_to(content).as_posix(): doc.url + published_path(asset, folder)
            for asset in doc.bundle_assets}


# The body last made, with the key of what it was made from, and its HTML: the page just
# rendered shows it, and the leak check reads it next (one only, so that a process making
# thousands of pages never holds their bodies).
_last_made: list[Any] = [None, "", ""]


class Body:
    """A document's HTML with its links to other sources resolved, made each time it is
    shown (kept, every body of a large site would end up in every process's memory).

    Its `fingerprint_token` names everything it is made from (the rendered body and where
    each of its links goes), so an output's fingerprint need not read the HTML."""

    __slots__ = ("_rendered", "_targets")

    def __init__(self, rendered: Rendered, targets: Mapping[str, str | None]):
        self._rendered = rendered
        self._targets = {note.target: targets.get(note.target) for note in rendered.links}

    def rebind(self, rendered: Rendered) -> None:
        """The same document's new body, with the same links (`veil watch`)."""
        assert [n.target for n in rendered.links] == [n.target for n in self._rendered.links]
        self._rendered = rendered

    @property
    def html(self) -> str:
        key = self._rendered.key
        if _last_made[0] is self and _last_made[1] == key:
            return _last_made[2]
        made = _substitute(self._rendered.html, self._targets)
        _last_made[:] = [self, key, made]
        return made

    @property
    def fingerprint_token(self) -> str:
        return fingerprint("body", self._rendered.key, sorted(self._targets.items(),
                                                               key=lambda kv: kv[0]))

    def __html__(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def resolve_links(site: Site, diagnostics: Diagnostics) -> dict[str, Body]:
    """Body of every written document, with source links resolved."""
    content = site.config.content_dir
    files = published_files(site)
    documents = {d.source_key: d for d in site.all_documents_for_routing()}
    targets: dict[str, str | None] = dict(files)
    # A file beside a post that may not be linked to is shown by that post alone: its
    # address names the post's (and a protected post's files go inside its payload).
    hidden_files = {key: doc for doc in documents.values() if not site.linkable(doc)
                    for key in bundle_files(doc, content)}
    targets.update(dict.fromkeys(hidden_files))
    for key, doc in documents.items():
        targets[key] = doc.url if site.linkable(doc) else None

    def own(doc: Document) -> Mapping[str, str | None]:
        if site.linkable(doc) or not doc.bundle_assets:
            return targets
        return ChainMap(bundle_files(doc, content), targets)  # type: ignore[arg-type]

    for doc in site.all_documents_for_routing():
        _check_notes(doc, documents, own(doc), hidden_files, diagnostics)
    return {doc.source_key: Body(doc.rendered, own(doc)) for doc in site.written_documents()}


def _check_notes(doc: Document, documents: dict[str, Document],
                 targets: Mapping[str, str | None], hidden_files: dict[str, Document],
                 diagnostics: Diagnostics) -> None:
    for note in doc.rendered.links:
        where = Location(doc.source, note.line)
        what = "image" if note.is_image else "link"
        if note.alt_missing:
            diagnostics.warn(where, f"image `{note.written}` has no alt text",
                             "describe the image for people who cannot see it: "
                             "![a grey sea under low cloud](photo.jpg)")
        elif note.climbs_out:
            diagnostics.error(where, f"{what} `{note.written}` points outside content/",
                             "link to files inside content/, e.g. ../media/photo.jpg")
        elif targets.get(note.target) is not None:
            continue
        elif note.target in documents:
            diagnostics.warn(where, f"{what} to `{note.written}`, which is not public: it is "
                             "shown as plain text so its address stays hidden",
                             "remove the link, or make the post it points to public")
        elif note.target in hidden_files:
            diagnostics.warn(where, f"{what} `{note.written}` is a file of another post, "
                             "which is not public: it is left out so that post's address "
                             "stays hidden",
                             "copy the file beside this post or into content/media/, or "
                             "make the post it belongs to public")
        else:
            diagnostics.warn(where, f"{what} `{note.written}` finds no file",
                             "check the path: it is relative to this file "
                             "(e.g. ../other-post.md or photo.jpg beside index.md)")


def _substitute(body: str, targets: dict[str, str | None]) -> str:
    if not targets and SOURCE_LINK not in body:  # no placeholder (nor raw HTML like one)
        return body
    def link(match: re.Match[str]) -> str:
        target = targets.get(html.unescape(match.group(1)))
        if target is None:
            return f'<span class="unresolved-link">{match.group(4)}</span>'
        href = f"{SITE_LINK}{html.escape(target)}{match.group(2) or ''}"
        return f'<a href="{href}"{match.group(3)}>{match.group(4)}</a>'

    def image(match: re.Match[str]) -> str:
        target = targets.get(html.unescape(match.group(1)))
        if target is None:
            alt = _ALT.search(match.group(3))
            return f'<span class="unresolved-image">{alt.group(1) if alt else ""}</span>'
        return f'<img src="{SITE_LINK}{html.escape(target)}"{match.group(3)} />'

    def leftover(match: re.Match[str]) -> str:
        target = targets.get(html.unescape(match.group(2)))
        if target is None:
            return f'{match.group(1)}=""'
        return f'{match.group(1)}="{SITE_LINK}{html.escape(target)}{match.group(3) or ""}"'

    def in_srcset(source: str) -> str | None:
        target = targets.get(unquote(source))
        # (an image that is not public is left out; the srcset's others still serve)
        return None if target is None else SITE_LINK + quote(target, safe="/")

    made = srcset.rewrite_marked(_IMAGE.sub(image, _LINK.sub(link, body)), SOURCE_LINK,
                                 in_srcset)
    # a placeholder in a tag written otherwise (a link without its closing tag, say)
    return _LEFTOVER.sub(leftover, made) if SOURCE_LINK in made else made
