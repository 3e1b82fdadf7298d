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
    parsed_source = _parsed_source_class()
    try:
        raw = record["meta"]
        meta = Metadata(
            title=_typed(raw["title"], str),
            date=_moment(raw["date"], timezone),
            updated=_moment(raw["updated"], timezone),
            summary=_optional(raw["summary"], str),
            warnings=_strings(raw["warnings"]),
            privacy=Privacy(raw["privacy"]),
            draft=_typed(raw["draft"], bool),
            circles=_strings(raw["circles"]),
            series=_optional(raw["series"], str),
            part=_optional(raw["part"], int),
            tags=_strings(raw["tags"]),
            slug=_typed(raw["slug"], str),
            slug_is_explicit=_typed(raw["slug_is_explicit"], bool),
            menu=_optional(raw["menu"], int),
        )
        body = record["rendered"]
        links = tuple(LinkNote(*note) for note in body["links"])
        rendered = Rendered(None, _typed(body["excerpt"], str), None, links,
                            _typed(body["key"], str), bodies)
        comments = tuple(Comment(*map(str, entry)) for entry in record["comments"])

        problems = [Problem(Location(_path(where, source, comments_file), line), message, fix,
                            bool(is_error))
                    for where, line, message, fix, is_error in record["problems"]]
        parsed = parsed_source(source, meta, rendered,
                              Location(source.path, _optional(record["slug_line"], int)),
                              Location(source.path, _optional(record["circles_line"], int)),
                              comments)
    except (KeyError, TypeError, ValueError):
        return None
    return parsed, problems


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


def _typed(value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__}")
    return value


def _optional(value: Any, kind: type) -> Any:
    return None if value is None else _typed(value, kind)


def _strings(value: Any) -> tuple[str, ...]:
    if type(value) is not list or not set(map(type, value)) <= {str}:
        raise TypeError("expected a list of strings")
    return tuple(value)


def _encode_moment(moment: datetime | None) -> list[Any] | None:
    """The moment, and whether its zone is the site's (it comes back as that zone)."""
    if moment is None:
        return None
    return [moment.isoformat(), not isinstance(moment.tzinfo, timezone_type)]


def _moment(value: Any, zone: tzinfo) -> datetime | None:
    if value is None:
        return None
    text, in_site_zone = _typed(value, list)
    moment = datetime.fromisoformat(_typed(text, str))
    return moment.astimezone(zone) if in_site_zone else moment
