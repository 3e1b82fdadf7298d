"""A parsed source as a record of plain data (dicts, lists, strings, numbers) for the
build cache, and back.

Decoding checks every field's type; a record that does not fit is treated as missing.
Paths are stored relative to the source, so a moved site keeps its cache.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime, tzinfo
from datetime import timezone as timezone_type
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Location, Problem
from ..model import BodySource, Comment, LinkNote, Privacy, Rendered
from .discover import SourceFile
from .schema import Metadata

if TYPE_CHECKING:
    from .parse import ParsedSource

_SOURCE = "@source"
_COMMENTS = "@comments"


def encode_parsed(parsed: ParsedSource, problems: tuple[Problem, ...],
                  comments_file: Path | None) -> dict[str, Any]:
    meta = parsed.meta

    def place(path: Path) -> str:
        if path == parsed.source.path:
            return _SOURCE
        return _COMMENTS if path == comments_file else str(path)

    return {
        "meta": {
            **{f.name: _plain(getattr(meta, f.name)) for f in fields(Metadata)},
            "date": _encode_moment(meta.date),
            "updated": _encode_moment(meta.updated),
            "privacy": meta.privacy.value,
        },
        "rendered": {"key": parsed.rendered.key, "excerpt": parsed.rendered.excerpt,
                     "links": [[getattr(n, f.name) for f in fields(LinkNote)]
                               for n in parsed.rendered.links]},
        "slug_line": parsed.slug_location.line,
        "circles_line": parsed.circles_location.line,
        "comments": [[getattr(c, f.name) for f in fields(Comment)] for c in parsed.comments],
        "problems": [[place(p.location.path), p.location.line, p.message, p.fix, p.is_error]
                     for p in problems],
    }


def decode_parsed(record: dict[str, Any], source: SourceFile, comments_file: Path | None,
                  timezone: tzinfo, bodies: BodySource
                  ) -> tuple[ParsedSource, list[Problem]] | None:
    # Types are checked inline: this runs for every source of a site on every build.
    parsed_source = _parsed_source_class()
    try:
        raw = record["meta"]
        title, slug, summary, series = raw["title"], raw["slug"], raw["summary"], raw["series"]
        draft, slug_is_explicit = raw["draft"], raw["slug_is_explicit"]
        part, menu = raw["part"], raw["menu"]
        warnings, circles, tags = raw["warnings"], raw["circles"], raw["tags"]
        body = record["rendered"]
        excerpt, key = body["excerpt"], body["key"]
        slug_line, circles_line = record["slug_line"], record["circles_line"]
        if not (type(title) is str and type(slug) is str and type(excerpt) is str
                and type(key) is str and type(draft) is bool
                and type(slug_is_explicit) is bool
                and (summary is None or type(summary) is str)
                and (series is None or type(series) is str)
                and (part is None or type(part) is int)
                and (menu is None or type(menu) is int)
                and (slug_line is None or type(slug_line) is int)
                and (circles_line is None or type(circles_line) is int)
                and _are_strings(warnings) and _are_strings(circles) and _are_strings(tags)):
            return None
        meta = Metadata(title, _moment(raw["date"], timezone), _moment(raw["updated"], timezone),
                        summary, tuple(warnings), Privacy(raw["privacy"]), draft,
                        tuple(circles), series, part, tuple(tags), slug, slug_is_explicit, menu)
        links = tuple(LinkNote(*note) for note in body["links"])
        rendered = Rendered(None, excerpt, links, key, bodies)
        comments = tuple(Comment(*map(str, entry)) for entry in record["comments"])
        problems = [Problem(Location(_path(where, source, comments_file), line), message, fix,
                            bool(is_error))
                    for where, line, message, fix, is_error in record["problems"]]
        parsed = parsed_source(source, meta, rendered, Location(source.path, slug_line),
                               Location(source.path, circles_line), comments)
    except (KeyError, TypeError, ValueError):
        return None
    return parsed, problems


def _are_strings(value: Any) -> bool:
    return type(value) is list and all(type(v) is str for v in value)


def _path(place: str, source: SourceFile, comments_file: Path | None) -> Path:
    if place == _SOURCE:
        return source.path
    if place == _COMMENTS and comments_file is not None:
        return comments_file
    return Path(place)


@cache
def _parsed_source_class() -> type[ParsedSource]:
    from .parse import ParsedSource  # parse imports this module

    return ParsedSource


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _encode_moment(moment: datetime | None) -> list[Any] | None:
    """The moment, and whether its zone is the site's (it comes back as that zone)."""
    if moment is None:
        return None
    return [moment.isoformat(), not isinstance(moment.tzinfo, timezone_type)]


def _moment(value: Any, zone: tzinfo) -> datetime | None:
    if value is None:
        return None
    if type(value) is not list or len(value) != 2 or type(value[0]) is not str:
        raise TypeError("expected a moment")
    moment = datetime.fromisoformat(value[0])
    return moment.astimezone(zone) if value[1] else moment
