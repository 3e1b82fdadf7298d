"""Plan every output of the site, and refuse two outputs at one path."""

from __future__ import annotations

import posixpath
from pathlib import Path

from ..errors import Diagnostics, Location
from ..outputs.base import Output, PageMaker
from ..outputs.feeds import plan_feeds
from ..outputs.indexes import plan_indexes
from ..outputs.pages import plan_documents, plan_support_page, unlinked_assets
from ..outputs.reader import plan_reader_pages
from ..outputs.sitemap import plan_sitemap
from ..outputs.static import plan_static
from ..pipeline.links import Body
from ..protect import Protector
from ..site import Site
from ..themes import builtin_themes_dir


def plan_outputs(site: Site, bodies: dict[str, Body], static_files: tuple[Path, ...],
                 maker: PageMaker, protector: Protector,
                 diagnostics: Diagnostics) -> list[Output]:
    unshown: list[str] = []
    planned = [
        *plan_documents(site, maker, bodies, protector),
        *plan_support_page(site, maker),
        *plan_reader_pages(site, maker),
        *plan_indexes(site, maker),
        *plan_feeds(site, bodies),
        *plan_sitemap(site),
        *plan_static(site, static_files, maker, unshown),
    ]
    _warn_of_unlinked_tag_pages(site, maker, diagnostics)
    _warn_of_unshown_files(site, unshown + unlinked_assets(site), diagnostics)
    by_path: dict[str, Output] = {}
    for output in planned:
        if not is_safe_output_path(output.path):
            diagnostics.error(Location(site.config.root), f"output `{output.path}` would be "
                              "written outside the output folder", "rename the file")
            continue
        if output.path in by_path:
            diagnostics.error(Location(_origin(output, site)),
                              f"two files would be written to `{output.path}`",
                              "rename one of them: " + ", ".join(
                                  sorted(_describe(o) for o in (by_path[output.path], output))))
            continue
        by_path[output.path] = output
    return list(by_path.values())


def _warn_of_unlinked_tag_pages(site: Site, maker: PageMaker, diagnostics: Diagnostics) -> None:
    """A tag's posts past the first page are on pages that only a tag.html showing its
    `pagination` links to: a site's own copy made before tags had pages may not."""
    size = site.config.posts_per_page
    if not any(len(group.posts) > size for group in site.tag_groups):
        return
    origin = maker.renderer.origin("tag.html")
    if origin is None or origin.is_relative_to(builtin_themes_dir()):
        return  # (the built-in theme's shows it; a template is parsed only when it is not)
    if maker.renderer.reads_variable("tag.html", "pagination") is not False:
        return
    diagnostics.warn_once(
        Location(origin), f"`tag.html` does not show `pagination`: a tag's posts after the "
        f"first {size} are on its next pages (/tags/<tag>/page/2/ and on), which nothing "
        "links to",
        "add `{% from \"_pagination.html\" import pagination_nav with context %}` at the top "
        "and `{{ pagination_nav(pagination) }}` under the entries (see docs/theming.md)")


UNSHOWN_NAMED = 5  # files named in the warning about files no post shows


def _warn_of_unshown_files(site: Site, unshown: list[str], diagnostics: Diagnostics) -> None:
    """Files in content/ that no post links to or shows are not published (they may be
    meant for a hidden post in a way links cannot tell, or be an editor's backup): named,
    so that one left out by mistake is found."""
    if not unshown:
        return
    named = ", ".join(f"`{key}`" for key in unshown[:UNSHOWN_NAMED])
    more = f" and {len(unshown) - UNSHOWN_NAMED} more" if len(unshown) > UNSHOWN_NAMED else ""
    diagnostics.warn_once(
        Location(site.config.content_dir), f"{len(unshown)} file(s) in content/ that no post "
        f"or page links to or shows are not published: {named}{more}",
        "link to a file from the post that shows it (`[the letter](../media/letter.pdf)`); "
        "put files to publish as they are (a logo, a file other sites link to) in static/")


def is_safe_output_path(path: str) -> bool:
    normal = posixpath.normpath(path)
    return (bool(path) and not path.startswith("/") and normal == path
            and not normal.startswith(".."))


def _origin(output: Output, site: Site) -> Path:
    for item in sorted(output.inputs):
        kind, _, value = item.partition(":")
        if kind == "file":
            return Path(value)
        if kind == "source":
            return site.config.content_dir / value
    return site.config.root


def _describe(output: Output) -> str:
    return " + ".join(sorted(i for i in output.inputs if i.startswith(("file:", "source:"))
                             )) or "a page veil makes"
