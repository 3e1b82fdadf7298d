"""After rendering, before writing: prove that nothing withheld reached any output file.

The visibility table decides what goes where; this check does not trust it. It scans the
bytes of every output for the titles, addresses and sentences of posts that must not be
there, and fails the build, naming the file and what it holds. Text that the author also
published in a public post is not a leak and is not reported.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from .errors import Location, Problem, VeilError
from .images import has_location, is_image
from .model import Document
from .site import Site
from .urls import output_path_for
from .visibility import Visibility

TEXT_SUFFIXES = (".html", ".xml", ".txt", ".json", ".js", ".css", ".svg", ".webmanifest")
MIN_SENTENCE = 32
MIN_TITLE = 12
PREFIX = MIN_TITLE  # no needle is shorter than this
_TAG = re.compile(r"<[^>]*>")
_WORD_START = re.compile(r"(?<!\w)\S")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


@dataclass(frozen=True, slots=True)
class Needle:
    text: str
    what: str  # "title", "address", "text"
    doc: Document


def _squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _plain(data: bytes) -> str:
    return _squash(html.unescape(_TAG.sub("", data.decode("utf-8", "replace"))))


def _sentences(text: str) -> Iterable[str]:
    for piece in _SENTENCE_END.split(text):
        piece = _squash(piece)
        if len(piece) >= MIN_SENTENCE:
            yield piece


_ATTR = re.compile(r'(?:href|src|content)="([^"#?]*)')


def _referenced_paths(path: str, raw: str, base_url: str, base_path: str) -> set[str]:
    """Every site path an output links to, relative or absolute, as "/posts/slug/"."""
    found = set()
    folder = posixpath.dirname(path)
    for target in _ATTR.findall(raw):
        target = unquote(html.unescape(target))
        if target.startswith(base_url):
            target = "/" + target[len(base_url):]
        elif "://" in target or target.startswith(("//", "mailto:", "data:")):
            continue
        elif target.startswith(base_path):
            target = "/" + target[len(base_path):]
        elif not target.startswith("/"):
            target = "/" + posixpath.normpath(posixpath.join(folder, target or ".")).lstrip(".")
        found.add(_as_url(target))
    start = 0
    while (start := raw.find(base_url, start)) != -1:  # feeds, sitemaps: bare addresses
        end = start + len(base_url)
        match = re.match(r"[^\s<>\"']*", raw[end:])
        found.add(_as_url("/" + unquote(match.group(0) if match else "")))
        start = end
    return found


def _as_url(target: str) -> str:
    if target.endswith("/index.html"):
        target = target[: -len("index.html")]
    elif not target.endswith("/") and "." not in posixpath.basename(target):
        target += "/"
    return target


def audit_outputs(site: Site, files: Mapping[str, bytes]) -> None:
    written = site.written_documents()

    text_needles: list[tuple[Needle, Callable[[str], bool]]] = []
    address_needles: list[tuple[Needle, Callable[[str], bool]]] = []
    for doc in site.withheld_documents() + written:
        visibility = site.visibility(doc)
        if visibility is Visibility.PUBLIC:
            continue
        # Protected text is encrypted even on its own page; unlisted text is on its page only.
        own = output_path_for(doc.url)
        text_allowed = ((lambda path, own=own: path == own)
                        if visibility is Visibility.UNLISTED else (lambda path: False))
        title = _squash(doc.title)
        if len(title) >= MIN_TITLE:
            text_needles.append((Needle(title, "title", doc), text_allowed))
        comments = "\n".join(_plain(c.html.encode()) for c in doc.comments)
        for sentence in _sentences(doc.rendered.text + "\n" + comments):
            text_needles.append((Needle(sentence, "text", doc), text_allowed))
        address_needles.append((Needle(doc.url, "address", doc), _address_allowed_in(site, doc)))

    # Words the author also published in a public post are theirs to show: not a leak.
    public = " \n ".join(_squash(f"{d.title}\n{d.rendered.text}") for d in written
                         if site.visibility(d) is Visibility.PUBLIC)
    also_public = {id(entry) for entry in _NeedleIndex(text_needles).found_in(public)}
    text_needles = [entry for entry in text_needles if id(entry) not in also_public]
    index = _NeedleIndex(text_needles)
    problems = []
    for path, data in sorted(files.items()):
        if not path.endswith(TEXT_SUFFIXES):
            continue
        raw = data.decode("utf-8", "replace")
        if text_needles:
            for needle, allowed in index.found_in(_plain(data)):
                if not allowed(path):
                    problems.append(_problem(site, path, needle))
        if address_needles:
            linked = _referenced_paths(path, raw, site.config.base_url,
                                      site.config.base_path)
            for needle, allowed in address_needles:
                if needle.text in linked and not allowed(path):
                    problems.append(_problem(site, path, needle))
    if problems:
        raise VeilError(problems)


class _NeedleIndex:
    """Finds many sentences in a text at once: each needle is filed under its first few
    characters, and only the places where a word starts are looked up."""

    def __init__(self, needles: list[tuple[Needle, Callable[[str], bool]]]):
        self.by_prefix: dict[str, list[tuple[Needle, Callable[[str], bool]]]] = {}
        for entry in needles:
            self.by_prefix.setdefault(entry[0].text[:PREFIX], []).append(entry)

    def found_in(self, text: str) -> list[tuple[Needle, Callable[[str], bool]]]:
        found: dict[int, tuple[Needle, Callable[[str], bool]]] = {}
        if not self.by_prefix:
            return []
        for match in _WORD_START.finditer(text):
            start = match.start()
            candidates = self.by_prefix.get(text[start:start + PREFIX])
            for entry in candidates or ():
                end = start + len(entry[0].text)
                if text.startswith(entry[0].text, start) and not (
                        end < len(text) and (text[end].isalnum() or text[end] == "_")):
                    found[id(entry)] = entry  # whole words only: "New" is not in "Newer"
        return list(found.values())


def _address_allowed_in(site: Site, doc: Document) -> Callable[[str], bool]:
    """Where a non-public post's address may be: its own page; for a protected post also
    the listings that show it as a locked entry (home, archive, its series page)."""
    visibility = site.visibility(doc)
    own = output_path_for(doc.url) if visibility.is_written else None
    if visibility is not Visibility.PROTECTED:
        return lambda path: path == own
    series = site.series_of(doc)
    series_page = output_path_for(series.series.url) if series else None

    def allowed(path: str) -> bool:
        return (path in (own, "index.html", series_page)
                or path.startswith(("page/", "archive/")))

    return allowed


def audit_images(files: Mapping[str, bytes]) -> None:
    """Fail the build if any published image still carries a location."""
    problems = [
        Problem(Location(Path(path)), f"output `{path}` still carries GPS data after cleaning. "
                "Nothing was written.", "remove the location from the image, or report this")
        for path, data in sorted(files.items())
        if is_image(PurePosixPath(path)) and has_location(data)
    ]
    if problems:
        raise VeilError(problems)


def _problem(site: Site, path: str, needle: Needle) -> Problem:
    level = {Visibility.UNLISTED: "unlisted", Visibility.PROTECTED: "protected"}.get(
        site.visibility(needle.doc), "unpublished")
    shown = needle.text if len(needle.text) <= 60 else needle.text[:57] + "..."
    return Problem(
        Location(needle.doc.source),
        f"leak check: output `{path}` would contain the {needle.what} of this {level} "
        f"{needle.doc.kind.value}: “{shown}”. Nothing was written.",
        "this is a bug in veil or in a template of this site: the template must use only "
        "the collections it is given. Please report it.",
    )
