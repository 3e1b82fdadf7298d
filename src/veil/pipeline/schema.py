"""Validate front matter into typed `Metadata`, reporting every problem with its line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..config import PRIVACY_LEVELS, SiteConfig
from ..content_warnings import Vocabulary
from ..errors import Diagnostics
from ..fields import FieldReader
from ..model import Kind, Privacy
from ..text import slugify
from .frontmatter import SplitFile

POST_KEYS = (
    "title", "date", "updated", "summary", "warnings", "privacy", "circle", "circles",
    "series", "part", "tags", "draft", "slug",
)
PAGE_KEYS = ("title", "date", "updated", "summary", "warnings", "privacy", "draft", "slug",
             "menu")

_SLUG_OK = re.compile(r"[\w][\w-]*")


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    date: datetime | None
    updated: datetime | None
    summary: str | None
    warnings: tuple[str, ...]
    privacy: Privacy
    draft: bool
    circles: tuple[str, ...]
    series: str | None
    part: int | None
    tags: tuple[str, ...]
    slug: str
    slug_is_explicit: bool
    menu: int | None


def read_metadata(
    split: SplitFile,
    kind: Kind,
    default_slug: str,
    config: SiteConfig,
    vocabulary: Vocabulary,
    diagnostics: Diagnostics,
) -> Metadata | None:
    before = len(diagnostics.errors)
    what = "post front matter" if kind is Kind.POST else "page front matter"
    fields = FieldReader(split.front, diagnostics, POST_KEYS if kind is Kind.POST else PAGE_KEYS,
                         what)
    tz = config.timezone
    title = fields.string("title", required=True, example="A title for this " + kind.value)
    date = fields.moment("date", tz, required=kind is Kind.POST)
    updated = fields.moment("updated", tz)
    privacy = Privacy(fields.choice("privacy", PRIVACY_LEVELS, config.default_privacy))
    if "privacy" not in fields.mapping and config.default_privacy == "protected":
        privacy = Privacy.PROTECTED
    circles = (*fields.string_list("circle"), *fields.string_list("circles"))
    if privacy is Privacy.PROTECTED and kind is Kind.PAGE:
        fields.error("privacy", "pages cannot be protected, only posts",
                     "make it a post in content/posts/, or use `privacy: unlisted`")
    elif privacy is Privacy.PROTECTED and not circles:
        fields.error(
            "privacy" if "privacy" in fields.mapping else None,
            "a protected post must name the circle(s) whose password opens it",
            "add a line such as `circles: [close-friends]`, and the circle's password to "
            "secrets.yaml",
        )
    elif privacy is not Privacy.PROTECTED and circles:
        fields.error("circles" if "circles" in fields.mapping else "circle",
                     "`circles` only apply to protected posts",
                     "remove the line, or set `privacy: protected`")

    slug = _slug(fields, default_slug)
    meta = Metadata(
        title=title or "",
        date=date,
        updated=updated,
        summary=fields.string("summary"),
        warnings=_warnings(fields, vocabulary),
        privacy=privacy,
        draft=fields.boolean("draft", False),
        circles=circles,
        series=fields.string("series") if kind is Kind.POST else None,
        part=fields.integer("part", None, minimum=1) if kind is Kind.POST else None,
        tags=_tags(fields) if kind is Kind.POST else (),
        slug=slug,
        slug_is_explicit=fields.has("slug"),
        menu=fields.integer("menu", None, minimum=0) if kind is Kind.PAGE else None,
    )
    if date and updated and updated < date:
        fields.error("updated", "`updated` is earlier than `date`",
                     "set `updated` to the day you last changed the post, after `date`")
    return None if len(diagnostics.errors) > before else meta


def _slug(fields: FieldReader, default_slug: str) -> str:
    explicit = fields.string("slug")
    if explicit is None:
        return slugify(default_slug) or "untitled"
    if "/" in explicit or "\\" in explicit or ".." in explicit or not _SLUG_OK.fullmatch(explicit):
        suggestion = slugify(explicit) or "my-post"
        fields.error("slug", f"`slug: {explicit}` is not a plain name: it must not leave its "
                     "folder or contain `/`, `..` or spaces",
                     f"use letters, digits and hyphens, e.g. `slug: {suggestion}`")
        return slugify(default_slug) or "untitled"
    return explicit


def _warnings(fields: FieldReader, vocabulary: Vocabulary) -> tuple[str, ...]:
    terms: list[str] = []
    for written in fields.string_list("warnings"):
        term = vocabulary.resolve(written)
        if term is None:
            guess = vocabulary.suggest(written)
            fields.diagnostics.warn(
                fields.loc("warnings"),
                f"`{written}` is not in the warning vocabulary; it is shown as written",
                f"did you mean `{guess}`? Or add it to warnings.yaml" if guess
                else "add it to warnings.yaml with a description",
            )
            term = written.strip().lower()
        if term not in terms:
            terms.append(term)
    return tuple(terms)


def _tags(fields: FieldReader) -> tuple[str, ...]:
    tags: list[str] = []
    for tag in fields.string_list("tags"):
        if not slugify(tag):
            fields.error("tags", f"tag `{tag}` has no letters or digits",
                         "use words, e.g. `tags: [therapy, writing]`")
        elif tag not in tags:
            tags.append(tag)
    return tuple(tags)
