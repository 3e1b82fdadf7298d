"""A post's read-only comment archive: `comments.yaml` beside its `index.md`.

The importer writes it from WordPress; veil shows the comments below the post, inside the
post's warning. The HTML is cleaned again here with nh3, whoever wrote the file.
"""

from __future__ import annotations

from pathlib import Path

import nh3

from ..errors import Diagnostics
from ..fields import FieldReader
from ..model import Comment
from ..yamlfile import LineMap, YamlDocument, parse_yaml_mapping

COMMENTS_FILE = "comments.yaml"
COMMENT_TAGS = {"p", "br", "em", "strong", "b", "i", "a", "blockquote", "ul", "ol", "li",
                "code", "pre"}


def clean_comment_html(html: str) -> str:
    return nh3.clean(html, tags=COMMENT_TAGS, attributes={"a": {"href"}})


def read_comments(path: Path, diagnostics: Diagnostics) -> tuple[Comment, ...]:
    parsed = parse_yaml_mapping(path.read_text(encoding="utf-8"), path, what=COMMENTS_FILE)
    if not isinstance(parsed, YamlDocument):
        diagnostics.extend([parsed])
        return ()
    fields = FieldReader(parsed, diagnostics, ("comments",), COMMENTS_FILE)
    raw = fields.mapping.get("comments") or []
    if not isinstance(raw, list):
        fields.error("comments", "`comments` must be a list", "write `comments:` then `  - ...`")
        return ()
    comments = []
    for entry in raw:
        if not isinstance(entry, LineMap):
            fields.error("comments", "each comment must have `author:`, `date:` and `html:`")
            continue
        item = FieldReader(parsed, diagnostics, ("id", "parent", "author", "date", "html"),
                           "a comment", mapping=entry)
        comments.append(Comment(
            comment_id=str(item.mapping.get("id", len(comments) + 1)),
            parent_id=str(item.mapping.get("parent", 0) or 0),
            author=item.string("author", "A reader") or "A reader",
            date=item.string("date", "") or "",
            html=clean_comment_html(item.string("html", "") or ""),
        ))
    return tuple(comments)
