"""Read one source file: front matter split, validated, body rendered."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import SiteConfig
from ..content_warnings import Vocabulary
from ..errors import Diagnostics, Location, Problem
from ..memo import BuildMemo, fingerprint
from ..model import Comment, Rendered
from .comments import COMMENTS_FILE, read_comments
from .discover import SourceFile
from .frontmatter import split_front_matter
from .markdown import RENDERER_DIGEST, render_markdown
from .schema import Metadata, read_metadata


@dataclass(frozen=True, slots=True)
class ParsedSource:
    source: SourceFile
    meta: Metadata
    rendered: Rendered
    slug_location: Location  # where a URL collision is reported
    circles_location: Location  # where a missing circle password is reported
    comments: tuple[Comment, ...] = ()


def parse_source(source: SourceFile, config: SiteConfig, vocabulary: Vocabulary,
                 diagnostics: Diagnostics, memo: BuildMemo | None = None) -> ParsedSource | None:
    try:
        text = source.path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = source.path.read_bytes()[: exc.start].count(b"\n") + 1
        diagnostics.error(Location(source.path, line), "this file is not UTF-8 text",
                          "save it as UTF-8 in your editor")
        return None
    split = split_front_matter(text, source.path)
    if isinstance(split, Problem):
        diagnostics.extend([split])
        return None
    meta = read_metadata(split, source.kind, source.default_slug, config, vocabulary, diagnostics)
    if meta is None:
        return None
    def render() -> Rendered:
        return render_markdown(split.body, source.key, split.body_first_line)

    rendered = (memo.rendered_markdown(
        fingerprint("markdown", RENDERER_DIGEST, source.key, split.body_first_line, split.body),
        render)
        if memo is not None else render())
    comments_file = source.bundle_dir / COMMENTS_FILE if source.bundle_dir else None
    comments = (read_comments(comments_file, diagnostics)
                if comments_file is not None and comments_file.is_file() else ())
    return ParsedSource(source, meta, rendered, split.front.loc("slug"),
                        split.front.loc("circles" if "circles" in split.front.data else "circle"),
                        comments)
