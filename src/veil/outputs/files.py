"""Files published from the content folder: images cleaned and renamed, others as they are."""

from __future__ import annotations

import base64
import hashlib
import html
import mimetypes
import posixpath
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from .. import srcset
from ..documents import is_document
from ..errors import Location, Problem, VeilError
from ..fingerprints import fingerprint
from ..images import (
    CLEANING,
    LOCATION_FIX,
    ImageError,
    cannot_clean,
    carries_metadata,
    clean_image,
    is_image,
    location_refusal,
    looks_like_image,
    published_name,
)
from ..model import Document


def published_path(path: Path, folder: Path) -> str:
    """`path` relative to `folder`, with the file name it is published under."""
    rel = path.relative_to(folder)
    return (rel.parent / published_name(path)).as_posix()


def file_key(path: Path, names_made_public: tuple[str, ...] = ()) -> Callable[[], str]:
    """Fingerprint of a published file: its bytes, and how veil cleans files (so a file an
    earlier veil published as it was is made again by one that cleans it); for a document,
    the names it may carry (a document checked against other names is checked again)."""

    def key() -> str:
        data = path.read_bytes()
        names = list(names_made_public) if is_document(path.name, data) else []
        return fingerprint("file", CLEANING, hashlib.sha256(data).hexdigest(), names)

    return key


def file_producer(path: Path) -> Callable[[], bytes]:
    """A file as it is published: an image rewritten without its metadata (known by its
    bytes, not only by its name), any other file as it is, unless it may say where it was
    made and veil cannot take that out."""
    return lambda: _published(path, path.read_bytes())


def static_file_producer(path: Path) -> Callable[[], bytes]:
    """A file of static/ as it is published: as it is, but for a photo that tells who took
    it, where or with what (EXIF, XMP, comments), which is saved again without that."""

    def produce() -> bytes:
        data = path.read_bytes()
        if (is_image(path) or looks_like_image(data)) and carries_metadata(data):
            return _published(path, data)
        return data

    return produce


def _published(path: Path, data: bytes) -> bytes:
    """The bytes of `path` (read as `data`) as they are published (`file_producer`)."""
    if cannot_clean(path) or not (is_image(path) or looks_like_image(data)):
        refusal = location_refusal(path, data)
        if refusal is None:
            return data
        raise VeilError([Problem(Location(path), f"{refusal}. Nothing was written.",
                                 LOCATION_FIX)])
    try:
        return clean_image(data)
    except ImageError as exc:
        raise VeilError([Problem(Location(path), str(exc),
                                 "re-save the image as JPEG, PNG, WebP or GIF")]) from None


_IMG_SRC = re.compile(r'(<img [^>]*?src=")([^"]+)(")')
_IMAGE_TAG = re.compile(r"<(?:img|source)\s[^>]*>", re.IGNORECASE)
_SRCSET_ATTR = re.compile(r"\s" + srcset.ATTRIBUTE, re.IGNORECASE)


def shown_images(doc: Document, content: Path) -> dict[str, Path]:
    """The images a post shows, by the site path they would be published at: those beside
    it and those of content/media it links to."""
    found = {doc.url + published_path(a, doc.source.parent): a
             for a in doc.bundle_assets if is_image(a)}
    media = content / "media"
    for note in doc.rendered.links:
        path = content / note.target
        if note.target.startswith("media/") and is_image(path) and path.is_file():
            found["/media/" + published_path(path, media)] = path
    return found


def inline_images(html_text: str, doc: Document, content: Path) -> str:
    """The images a post shows (`shown_images`) as data: URLs, so that they travel inside
    its payload. Each image travels once: a srcset's other sizes are left out (they are
    not published), and the browser shows the image its src holds."""
    assets = shown_images(doc, content)

    def replace(match: re.Match[str]) -> str:
        src = unquote(html.unescape(match.group(2)))
        if not src.startswith("/"):  # relative to the post's page
            src = posixpath.normpath(posixpath.join(doc.url, src))
        asset = assets.get(src)
        if asset is None:
            return match.group(0)
        mime = mimetypes.guess_type(asset.name)[0] or "application/octet-stream"
        data = base64.b64encode(file_producer(asset)()).decode("ascii")
        return f"{match.group(1)}data:{mime};base64,{data}{match.group(3)}"

    without_srcsets = _IMAGE_TAG.sub(lambda tag: _SRCSET_ATTR.sub("", tag.group(0)), html_text)
    return _IMG_SRC.sub(replace, without_srcsets)
