"""Split a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, Problem
from ..yamlfile import YamlDocument, parse_yaml_mapping

FENCE = "---"


@dataclass(frozen=True, slots=True)
class SplitFile:
    front: YamlDocument
    body: str
    body_first_line: int  # line of the file where the body starts


def split_front_matter(text: str, path: Path) -> SplitFile | Problem:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return Problem(
            Location(path, 1),
            "this file has no front matter",
            "start the file with a line `---`, then `title: ...` and `date: ...`, "
            "then a closing `---` line",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            yaml_text = "\n".join(lines[1:index])
            front = parse_yaml_mapping(yaml_text, path, first_line=2, what="front matter")
            if isinstance(front, Problem):
                return front
            return SplitFile(front, "\n".join(lines[index + 1 :]), index + 2)
    return Problem(
        Location(path, 1),
        "the front matter that starts on line 1 is never closed",
        "add a line `---` after the last front matter line (did you forget the closing `---`?)",
    )
