"""YAML loading that remembers the line of every mapping key.

Dates are left as strings (we parse them ourselves, with errors that name the line), and
YAML's own syntax errors are turned into problems at their line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import Location, Problem


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader (libyaml's when PyYAML has it) that records key lines and does not
    turn dates into datetimes."""


_INT = "tag:yaml.org,2002:int"
# Whole numbers as a writer means them (YAML 1.2): `part: 08` and `part: 010` are 8 and 10,
# not a string and an octal 8; `1:30` is text, not YAML 1.1's base-60 number 90.
_WHOLE_NUMBER = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", _INT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "-+0123456789":
    _LineLoader.yaml_implicit_resolvers.setdefault(_first, []).insert(
        0, (_INT, _WHOLE_NUMBER))


class WrittenNumber(int):
    """A whole number that keeps how it was written (`007`, `+3`, `0x1f`): a field read as
    text (a title, a slug, a password) gets the text as written, not `7`."""

    written: str

    def __new__(cls, value: int, written: str) -> WrittenNumber:
        number = super().__new__(cls, value)
        number.written = written
        return number

    def __getnewargs__(self) -> tuple[int, str]:  # type: ignore[override]
        return int(self), self.written

    def __str__(self) -> str:
        return self.written


def _construct_whole_number(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text[:2] in ("0o", "0x"):
        value = int(text[2:], 8 if text[1] == "o" else 16)
    else:
        value = int(text, 10)
    return value if str(value) == text else WrittenNumber(value, text)


_LineLoader.add_constructor(_INT, _construct_whole_number)


class LineMap(dict[str, Any]):
    """A dict from YAML that knows on which line each of its keys was written."""

    key_lines: dict[str, int]
    line: int


class _DuplicateKey(yaml.MarkedYAMLError):
    def __init__(self, key: str, first: int, mark: yaml.Mark):
        super().__init__(problem=f"duplicate key {key}", problem_mark=mark)
        self.key = key
        self.first = first


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    mapping = LineMap()
    mapping.key_lines = {}
    mapping.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in mapping:
            raise _DuplicateKey(key, mapping.key_lines[key], key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass(frozen=True, slots=True)
class YamlDocument:
    path: Path
    data: LineMap
    first_line: int  # line of the file where this YAML text starts

    def loc(self, key: str | None = None) -> Location:
        if key is not None and key in self.data.key_lines:
            return Location(self.path, self.data.key_lines[key] + self.first_line - 1)
        return Location(self.path, self.first_line)

    def loc_in(self, mapping: LineMap, key: str | None = None) -> Location:
        line = mapping.key_lines.get(key, mapping.line) if key is not None else mapping.line
        return Location(self.path, line + self.first_line - 1)


def _empty_map() -> LineMap:
    mapping = LineMap()
    mapping.key_lines = {}
    mapping.line = 1
    return mapping


def parse_yaml_mapping(
    text: str, path: Path, first_line: int = 1, what: str = "this file"
) -> YamlDocument | Problem:
    """Parse YAML text that must be a mapping; return the document or the problem."""
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        reason = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, _DuplicateKey):
            return Problem(
                Location(path, line),
                f"`{exc.key}` is written twice (first on line {first_line + exc.first - 1})",
                "keep one of the two lines: which one counts would be a guess",
            )
        return Problem(
            Location(path, line),
            f"YAML syntax error: {reason}",
            _yaml_hint(text, mark.line if mark else 0),
        )
    except yaml.YAMLError as exc:
        return Problem(Location(path, first_line), f"YAML error: {exc}")
    if data is None:
        data = _empty_map()
    if not isinstance(data, LineMap):
        return Problem(
            Location(path, first_line),
            f"{what} must be a set of `key: value` lines, not a {type(data).__name__}",
            "write one `key: value` per line",
        )
    return YamlDocument(path, data, first_line)


def _yaml_hint(text: str, line_index: int) -> str:
    lines = text.splitlines()
    nearby = lines[max(0, line_index - 1) : line_index + 1]
    if any(re.search(r":\s.*:\s", line) for line in nearby):
        return "a value that contains `: ` must be quoted, e.g. title: \"Part 1: Beginning\""
    if any("\t" in line for line in nearby):
        return "indent with spaces, not tabs"
    return "check the indentation and quoting on this line and the one before"
