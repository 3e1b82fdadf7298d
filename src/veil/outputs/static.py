"""Files copied as they are: the theme's assets, content/media, the site's static/."""

from __future__ import annotations

from collections.abc import Iterator

from ..pipeline.discover import walk_files
from ..site import Site
from ..templates import theme_dirs
from ..visibility import Visibility
from .base import Output, PageMaker
from .files import file_key, file_producer, published_path


def withheld_media(site: Site) -> frozenset[str]:
    """The files of content/media (as "media/...") that only posts not shown in the clear
    show: private, draft and future posts (never published), protected ones (whose images
    travel inside their payload). A file no post shows is published, as static/ is."""
    in_clear: dict[str, bool] = {}
    shown_as = {v: v.is_written and v is not Visibility.PROTECTED for v in Visibility}
    for doc in site.all_documents_for_routing():
        shown = shown_as[site.visibility(doc)]
        for note in doc.rendered.links:
            if note.target.startswith("media/"):
                in_clear[note.target] = in_clear.get(note.target, False) or shown
    return frozenset(key for key, shown in in_clear.items() if not shown)


def plan_static(site: Site, static_files: tuple, maker: PageMaker) -> Iterator[Output]:
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
    withheld = withheld_media(site)
    for path in walk_files(media):
        if path.relative_to(config.content_dir).as_posix() in withheld:
            continue
        yield Output("media/" + published_path(path, media), file_producer(path),
                     frozenset({f"file:{path}"}), file_key(path))
    for path in static_files:
        yield Output(path.relative_to(config.root / "static").as_posix(), path.read_bytes,
                     frozenset({f"file:{path}"}), file_key(path))
    yield Output("404.html", lambda: maker.render(
        "404.html", "/404.html", title="Page not found", noindex=True, rooted=True,
        output_path="404.html"), frozenset({"template:404.html"}))
