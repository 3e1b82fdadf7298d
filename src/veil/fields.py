"""Typed reading of YAML mappings (site config and front matter), reporting every problem.

A `FieldReader` reads one mapping: each accessor returns a typed value or a default, and
records a problem with the key's line when the value is missing or of the wrong kind.
Unknown keys are reported with a "did you mean" suggestion.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from .errors import Diagnostics, Location
from .yamlfile import LineMap, YamlDocument


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


# Keys other blog tools use, and what veil calls them.
FAMILIAR_KEYS = {
    "categories": "tags", "category": "tags", "tag": "tags", "keywords": "tags",
    "warning": "warnings", "cw": "warnings", "tw": "warnings", "trigger_warnings": "warnings",
    "content_warnings": "warnings", "description": "summary", "excerpt": "summary",
    "published": "draft", "status": "privacy", "visibility": "privacy", "url": "slug",
    "permalink": "slug", "lastmod": "updated", "modified": "updated", "baseurl": "base_url",
    "baseURL": "base_url", "url_base": "base_url", "lang": "language", "tz": "timezone",
}


def _guess(key: str, known: list[str]) -> str | None:
    familiar = {k: v for k, v in FAMILIAR_KEYS.items() if v in known and k not in known}
    close = did_you_mean(key, [*known, *familiar])
    return familiar.get(close, close) if close else None


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}` (true/false)"
    if isinstance(value, LineMap | dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"`{value}`"


class FieldReader:
    def __init__(
        self,
        doc: YamlDocument,
        diagnostics: Diagnostics,
        known: Iterable[str],
        what: str,
        mapping: LineMap | None = None,
    ):
        self.doc = doc
        self.mapping = doc.data if mapping is None else mapping
        self.diagnostics = diagnostics
        self.what = what
        known = list(known)
        self.suggested: set[str] = set()
        for key in self.mapping:
            if key not in known:
                guess = _guess(key, known)
                if guess:
                    self.suggested.add(guess)
                fix = f"did you mean `{guess}`?" if guess else f"known keys: {', '.join(known)}"
                self.error(key, f"unknown key `{key}` in {what}", fix)

    def loc(self, key: str | None = None) -> Location:
        return self.doc.loc_in(self.mapping, key)

    def error(self, key: str | None, message: str, fix: str | None = None) -> None:
        self.diagnostics.error(self.loc(key), message, fix)

    def _missing(self, key: str, example: str) -> None:
        if key in self.suggested:
            return  # already reported as the misspelt key
        self.error(None, f"`{key}` is required in {self.what}", f"add a line `{key}: {example}`")

    def has(self, key: str) -> bool:
        return key in self.mapping and self.mapping[key] is not None

    def string(self, key: str, default: str | None = None, *, required: bool = False,
               example: str = "...") -> str | None:
        if not self.has(key):
            if required:
                self._missing(key, example)
            return default
        value = self.mapping[key]
        if isinstance(value, (bool, LineMap | list)):
            self.error(key, f"`{key}` must be text, not {_describe(value)}",
                       f"write it as `{key}: \"...\"`")
            return default
        text = str(value).strip()
        if required and not text:
            self._missing(key, example)
            return default
        return text

    def integer(self, key: str, default: int | None, *, minimum: int = 0) -> int | None:
        if not self.has(key):
            return default
        value = self.mapping[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.error(key, f"`{key}` must be a whole number of at least {minimum}, "
                       f"not {_describe(value)}", f"for example `{key}: {max(minimum, 1)}`")
            return default
        return int(value)  # not how it was written (`08`): a plain number

    def boolean(self, key: str, default: bool) -> bool:
        if not self.has(key):
            return default
        value = self.mapping[key]
        if not isinstance(value, bool):
            self.error(key, f"`{key}` must be true or false, not {_describe(value)}",
                       f"write `{key}: true` or `{key}: false`")
            return default
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        if key in self.mapping and self.mapping[key] is None:
            self.error(key, f"`{key}:` is empty", f"write one of: {', '.join(choices)}")
            return default
        value = self.string(key)
        if value is None:
            return default
        if value not in choices:
            guess = did_you_mean(value, choices)
            hint = f"did you mean `{guess}`? " if guess else ""
            self.error(key, f"`{key}: {value}` is not one of {', '.join(choices)}",
                       f"{hint}write one of: {', '.join(choices)}")
            return default
        return value

    def string_list(self, key: str) -> tuple[str, ...]:
        """A list of text; a single text value is read as a list of one."""
        if not self.has(key):
            return ()
        value = self.mapping[key]
        items = value if isinstance(value, list) else [value]
        result: list[str] = []
        for item in items:
            if isinstance(item, (bool, LineMap | list)) or item is None:
                self.error(key, f"`{key}` must be a list of words, not {_describe(item)}",
                           f"write `{key}: [first, second]`")
                return ()
            text = str(item).strip()
            if text:
                result.append(text)
        return tuple(result)

    def submapping(self, key: str) -> LineMap | None:
        if not self.has(key):
            return None
        value = self.mapping[key]
        if not isinstance(value, LineMap):
            self.error(key, f"`{key}` must be a set of `name: value` lines, not {_describe(value)}")
            return None
        return value

    def moment(self, key: str, tz: ZoneInfo, *, required: bool = False) -> datetime | None:
        """A date or datetime; naive values are read in the site's timezone."""
        if not self.has(key):
            if required:
                self._missing(key, "2024-03-09")
            return None
        value = self.mapping[key]
        parsed = parse_moment(value, tz)
        if parsed is None:
            self.error(key, f"`{key}: {value}` is not a real date",
                       f"write `{key}: 2024-03-09` or `{key}: 2024-03-09 08:30`")
        return parsed


def parse_moment(value: Any, tz: ZoneInfo) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1) if " " in text else text)
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment
