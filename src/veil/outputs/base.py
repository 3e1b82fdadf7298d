"""What every planned output is, and the context every template receives."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property
from typing import Any

from .. import reads
from ..fingerprints import fingerprint
from ..model import Document
from ..site import Listed, Site, tag_for
from ..templates import TemplateRenderer
from ..urls import Linker, output_path_for
from ..visibility import Surface


@dataclass(frozen=True)
class Output:
    """One file of the built site: where it goes, how to make it, and what it reads.

    `inputs` names the sources, templates and collections an output depends on (for
    messages); `key` fingerprints their values, so an output is made again exactly when
    something it reads has changed.
    """

    path: str  # relative to the output folder, "/"-separated
    produce: Callable[[], bytes]
    inputs: frozenset[str] = field(default_factory=frozenset)
    # A fingerprint of everything `produce` reads. None: a page (the page maker fingerprints
    # what it would render), or an output cheap enough to make every time.
    key: Callable[[], str] | None = None
    # It lists posts through `entry_view`: such outputs are made in one process, which
    # makes each view once (see `produce`).
    shows_entries: bool = False


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def display_date(moment: datetime | None) -> str | None:
    """"3 March 2024" (in English whatever the machine's locale; strftime is slow too)."""
    return f"{moment.day} {_MONTHS[moment.month - 1]} {moment.year}" if moment else None


def warning_views(site: Site, terms: Iterable[str]) -> list[dict[str, str]]:
    return [_shared_view(term=t, description=site.vocabulary.description(t)) for t in terms]


@cache
def _shared_view(**fields: str) -> dict[str, str]:
    """One dict for each warning or tag, shared by every view that shows it (ten thousand
    posts would otherwise carry copies of them in each process). Never changed."""
    return fields


def warning_line(terms: Iterable[str]) -> str:
    return "Content warning: " + ", ".join(terms) + "."


def meta_description(doc: Document) -> str:
    """What a post may say of itself in meta tags: only its warnings when it has any."""
    if doc.warnings:
        return warning_line(doc.warnings)
    return doc.summary or doc.rendered.excerpt


class View(Mapping[str, Any]):
    """What a template reads of one thing, made once per build and fingerprinted once: a
    listing's fingerprint holds the tokens of its entries, not their text."""

    __slots__ = ("_data", "fingerprint_token", "reads")

    def __init__(self, data: dict[str, Any], body_reads: Iterable[str] = ()):
        self._data = data
        # The data is plain (strings, numbers, dates, lists and dicts of them, built in one
        # order), so its repr stands for it, and is quicker to make than JSON.
        self.fingerprint_token = "view:" + hashlib.sha256(
            repr(data).encode("utf-8", "surrogatepass")).hexdigest()
        self.reads = tuple(body_reads)  # the rendered bodies its data was made from

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __getattr__(self, name: str) -> Any:  # `post.title` in a template, without a detour
        if name.startswith("_"):  # (also while the object is being made, without `_data`)
            raise AttributeError(name)
        try:
            return self._data[name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def current_bodies(site: Site) -> reads.CurrentBodies:
    """The keys of the site's rendered bodies."""
    return reads.CurrentBodies(frozenset(d.rendered.key
                                         for d in site.all_documents_for_routing()))


def drop_views(views: dict[object, object], current: reads.CurrentBodies) -> None:
    """Forget the views made from bodies no longer current (a view holds its excerpt),
    in place: what is left still holds for a site of the same shape."""
    hold_all = current.hold_all
    for key in [key for key, view in views.items()
                if not (isinstance(view, View) and hold_all(view.reads))]:
        del views[key]


def entry_view(site: Site, item: Listed, part: int | None = None, *,
               compact: bool = False) -> View:
    """A post as a listing shows it (the same view wherever it is listed). A `compact`
    entry (the archive's) has no excerpt, so it reads nothing of the post's body: a long
    list of titles is not made again for every edit of a post."""
    key = (item.doc.source_key, item.locked, part, compact)
    found: View | None = site.views.get(key)  # type: ignore[assignment]
    if found is None:
        with reads.collecting() as body_reads:
            data = _entry(site, item, part, compact)
        found = site.views[key] = View(data, body_reads)
    reads.note_all(found.reads)
    return found


def _entry(site: Site, item: Listed, part: int | None, compact: bool) -> dict[str, Any]:
    doc = item.doc
    dates = {
        "date": doc.date,
        "date_iso": doc.date.isoformat() if doc.date else None,
        "date_display": display_date(doc.date),
    }
    if item.locked:
        return {"locked": True, "title": "Protected post", "url": doc.url, **dates,
                "warnings": [], "summary": None, "excerpt": "", "tags": [], "part": part}
    return {
        "locked": False,
        "title": doc.title,
        "url": doc.url,
        **dates,
        "warnings": warning_views(site, doc.warnings),
        "summary": doc.summary,
        "excerpt": "" if compact else doc.rendered.excerpt,
        "tags": tag_views(site, doc),
        "part": part,
    }


def tag_views(site: Site, doc: Document) -> list[dict[str, str]]:
    """The post's tags that have a tag page (a tag only unlisted posts carry has none)."""
    pages = site.tag_slugs
    return [_shared_view(name=t.name, url=t.url) for t in map(tag_for, doc.tags)
            if t.slug in pages]


SUPPORT_URL = "/support/"
PREFERENCES_URL = "/preferences/"
SAFETY_URL = "/staying-safe/"


def support_page(site: Site) -> Document | None:
    """The writer's own page at /support/, if there is a public one."""
    return next((p for p in site.pages_on(Surface.LISTINGS) if p.url == SUPPORT_URL), None)


def support_url(site: Site) -> str | None:
    """Where the support link of every page goes: the writer's own support page, or the
    one veil makes from `support:` in veil.yaml; none when there is neither."""
    if site.config.support or support_page(site) is not None:
        return SUPPORT_URL
    return None


class PageMaker:
    """Renders templates with the context shared by every page of one site."""

    def __init__(self, site: Site, renderer: TemplateRenderer):
        self.site = site
        self.renderer = renderer
        # While `keying`, `render` returns the fingerprint of what it would render; with
        # `making_too`, it also renders the page into `made` (one context for both).
        self.keying = False
        self.keyed = False
        self.making_too = False
        self.made: bytes | None = None
        config = site.config
        nav = [{"title": "Archive", "url": "/archive/"}]
        if site.series_groups:
            nav.append({"title": "Series", "url": "/series/"})
        nav.append({"title": "Tags", "url": "/tags/"})
        menu_pages = sorted((p for p in site.pages_on(Surface.LISTINGS) if p.menu is not None),
                            key=lambda p: (p.menu, p.title))
        nav += [{"title": p.title, "url": p.url} for p in menu_pages]
        self.site_view = {
            "title": config.title,
            "description": config.description,
            "author": config.author,
            "language": config.language,
            "base_url": config.base_url,
            "nav": nav,
            "support": [
                {"name": r.name, "description": r.description, "url": r.url, "phone": r.phone}
                for r in config.support
            ],
            "feeds": {"rss": "/feed.xml", "atom": "/atom.xml"},
            "support_url": support_url(site),
            "preferences_url": PREFERENCES_URL,
            "safety_url": SAFETY_URL,
            "quick_exit": {"enabled": config.quick_exit.enabled, "url": config.quick_exit.url},
            "preview_drafts": site.preview_drafts,
        }

    def render(self, template: str, url: str, *, title: str, description: str | None = None,
               noindex: bool = False, og_type: str = "website", feeds: list[Any] | None = None,
               rooted: bool = False, output_path: str | None = None,
               robots: str | None = None, **variables: Any) -> bytes:
        if self.keying:
            self.keyed = True
            key = fingerprint("page", self.digest, self.renderer.digest_for(template),
                              template, url, title, description,
                              noindex, og_type, feeds, rooted, output_path, robots,
                              variables).encode()
            if self.making_too:
                with reads.unnoted():  # the fingerprint alone tells what the page read
                    self.made = self._render_page(template, url, title, description,
                                                  noindex, og_type, feeds, rooted,
                                                  output_path, robots, variables)
            return key
        return self._render_page(template, url, title, description, noindex, og_type,
                                 feeds, rooted, output_path, robots, variables)

    @cached_property
    def digest(self) -> str:
        """What every page reads besides its own context and templates: the settings and
        the site view."""
        return fingerprint("site", self.site.config, self.site_view)

    def _render_page(self, template: str, url: str, title: str, description: str | None,
                     noindex: bool, og_type: str, feeds: list[Any] | None, rooted: bool,
                     output_path: str | None, robots: str | None,
                     variables: dict[str, Any]) -> bytes:
        config = self.site.config
        path = output_path or output_path_for(url)
        linker = Linker(config, path, rooted=rooted)
        full_title = title if url == "/" else f"{title} · {config.title}"
        canonical = None if noindex or rooted else linker.absolute(url)
        context = {
            **self._helpers(linker),
            "page": {
                "path": url,
                "title": full_title,
                "description": description or config.description or None,
                "canonical": canonical,
                "noindex": noindex,
                "robots": robots or ("noindex" if noindex else None),
                "og": {"title": title, "description": description or config.description,
                       "type": og_type, "url": canonical, "image": None},
                "feeds": feeds or [],
                "template": template,
            },
            **variables,
        }
        return self._render(template, context, linker).encode("utf-8")

    def render_fragment(self, template: str, url: str, **variables: Any) -> str:
        """A partial template (such as a post's article) as it would sit in `url`'s page."""
        linker = Linker(self.site.config, output_path_for(url))
        return self._render(template, {**self._helpers(linker), **variables}, linker)

    def _helpers(self, linker: Linker) -> dict[str, Any]:
        """What every template may use: the site and links from the page being rendered."""
        return {"site": self.site_view, "url": linker.url,
                "asset": lambda name: linker.url("/assets/" + name),
                "absolute_url": linker.absolute}

    def _render(self, template: str, context: dict[str, Any], linker: Linker) -> str:
        return linker.relocate(self.renderer.render(template, context))
