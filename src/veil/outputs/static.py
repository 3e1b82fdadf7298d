"""Files copied as they are: the theme's assets, content/media, the site's static/."""

from __future__ import annotations

from collections.abc import Iterator

from ..config import names_made_public
from ..pipeline.discover import walk_files
from ..site import Site
from ..templates import theme_dirs
from .base import Output, PageMaker
from .files import file_key, file_producer, published_path, static_file_producer


def media_shown(site: Site) -> tuple[frozenset[str], frozenset[str]]:
    """The files of content/media (as "media/...") that posts show, by their links and
    images: those a post shown in the clear shows (published), and those that only
    private, draft, future or protected posts show (never published)."""
    shown = site.files_shown_in_clear
    media = {key for key in site.linked_files if key.startswith("media/")}
    return frozenset(media & shown), frozenset(media - shown)


def plan_static(site: Site, static_files: tuple, maker: PageMaker,
                unshown: list[str]) -> Iterator[Output]:
    """`unshown`: gets the files of content/media that no post shows (not published)."""
    config = site.config
    seen: set[str] = set()
    for theme in theme_dirs(config):  # the first theme that has a file wins
        folder = theme / "static"
        for path in walk_files(folder):
            rel = "assets/" + path.relative_to(folder).as_posix()
            if rel not in seen:
                seen.add(rel)
                yield Output(rel, path.read_bytes, frozenset({f"file:{path}"}), file_key(path))
    media = config.content_dir / "media"
    public = names_made_public(config)
    # A file is published only when a post in the clear shows it: one that no post shows
    # may be meant for a hidden post in a way links cannot tell (a script, a style).
    published, hidden_only = media_shown(site)
    for path in walk_files(media):
        key = path.relative_to(config.content_dir).as_posix()
        if key in published:
            yield Output("media/" + published_path(path, media), file_producer(path),
                         frozenset({f"file:{path}"}), file_key(path, public))
        elif key not in hidden_only:
            unshown.append(key)
    for path in static_files:
        yield Output(path.relative_to(config.root / "static").as_posix(),
                     static_file_producer(path), frozenset({f"file:{path}"}),
                     file_key(path, public))
    yield Output("404.html", lambda: maker.render(
        "404.html", "/404.html", title="Page not found", noindex=True, rooted=True,
        output_path="404.html"), frozenset({"template:404.html"}))
