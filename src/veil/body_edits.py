"""`veil watch` after a save that changed only what some posts say, not what they are.

The watcher says which files it saw saved, but it may miss some (a save made before it
started, a theme linked in from elsewhere), so the sizes and times of all inputs are
looked at again. When nothing but Markdown documents the last build read has changed, and
each changed one parses again without a problem into the same front matter, comments and
links (only its body differs), the site has the same shape as before: the same documents,
URLs, listings and outputs. Then the last build's site model is kept and
only those documents' bodies are swapped in; the outputs that read them are made again
(see `reads`). Anything else (a new or deleted file, a template, a setting, an edited
title, a link added, a warning to show) loads the whole site again.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from .cache import BuildCache
from .errors import Diagnostics, Problem
from .model import Document, LinkNote
from .outputs.base import Output, PageMaker, drop_views
from .pipeline.links import Body
from .pipeline.parse import ParsedSource, parse_sources
from .reads import CurrentBodies
from .site import Site
from .snapshot import Inputs


@dataclass
class LastBuild:
    """What a build of this process made, kept for the next one (`veil watch`)."""

    options: tuple[object, ...]  # output folder, --strict, drafts preview
    site: Site
    bodies: dict[str, Body]
    outputs: list[Output]
    maker: PageMaker
    parsed: MutableMapping[Path, ParsedSource]  # by source path
    inputs: Inputs  # as they were when the build began
    shape: str
    warnings: list[Problem]
    next_change: datetime | None  # when a dated document appears or goes


class KeptSite(Protocol):
    """What the checks below read of a kept site: the last build's (`LastBuild`), or one
    saved by an earlier process (`resume.SavedModel`)."""

    @property
    def site(self) -> Site: ...
    @property
    def bodies(self) -> dict[str, Body]: ...
    @property
    def parsed(self) -> MutableMapping[Path, ParsedSource]: ...
    @property
    def inputs(self) -> Inputs: ...
    @property
    def warnings(self) -> list[Problem]: ...
    @property
    def next_change(self) -> datetime | None: ...


def saved_documents(last: KeptSite, inputs: Inputs | None, seen: set[Path],
                    content: Path) -> set[Path] | None:
    """The documents saved since `last` began: those whose size or time moved or was too
    recent to tell, and those the watcher saw saved. None when anything else changed, or
    the watcher saw anything else saved (a second save may leave size and time as they
    were)."""
    if any(path not in last.parsed and os.path.lexists(path) for path in seen):
        return None  # (one that is gone, such as an editor's temporary file, matters not)
    if (inputs is None or inputs.besides_documents != last.inputs.besides_documents
            or not inputs.trusted(inputs.newest_besides_documents)
            or inputs.documents.keys() != last.inputs.documents.keys()):
        return None
    before, settled = last.inputs.documents, last.inputs.settled_before
    saved = {content / path for path, stat in inputs.documents.items()
             if before[path] != stat or stat[1] >= settled}
    return saved | (seen & last.parsed.keys())


@dataclass(frozen=True, slots=True)
class Swapped:
    edited: list[Document]  # the documents whose bodies were swapped
    stale: frozenset[str]  # the keys of bodies the site held before and holds no more


def swap_edited_bodies(last: KeptSite, changed: set[Path], now: datetime,
                       cache: BuildCache) -> Swapped | None:
    """Swap the new bodies of `changed` into the last build's site; None when the site
    has to be loaded again."""
    if not changed or any(path not in last.parsed or not path.is_file() or path.is_symlink()
                          for path in changed):
        return None  # (a link may lead outside the site: loading the site tells)
    if now < last.site.now or (last.next_change is not None and now >= last.next_change):
        return None
    if any(problem.location.path in changed for problem in last.warnings):
        return None  # its warnings are to be told again, from a full load
    site = last.site
    diagnostics = Diagnostics(strict=False)
    sources = tuple(last.parsed[path].source for path in sorted(changed))
    parsed = parse_sources(sources, site.config, site.vocabulary, diagnostics, cache,
                           forget_others=False)
    if diagnostics.problems or len(parsed) != len(sources):
        return None
    for new in parsed:
        old = last.parsed[new.source.path]
        if (replace(new, rendered=old.rendered) != old
                or _links(new.rendered.links) != _links(old.rendered.links)):
            return None
    documents = {d.source_key: d for d in site.all_documents_for_routing()}
    edited = []
    for new in parsed:
        doc = documents.get(new.source.key)
        if doc is None:  # a draft outside a preview, say: nothing of it is built
            return None
        edited.append((doc, new))
    before = {doc.rendered.key for doc, _ in edited}
    for doc, new in edited:
        # The site model is plain frozen data that no stage changes. This is the one
        # exception: the build it came from is over, and the document is the same in all
        # but its body, as a site assembled again from these sources would hold it.
        object.__setattr__(doc, "rendered", new.rendered)
        body = last.bodies.get(doc.source_key)
        if body is not None:
            body.rebind(new.rendered)
        last.parsed[new.source.path] = new
    # Another document may hold the very same body: then what reads it is made again
    # for nothing, which is rare and costs less than looking at every document.
    stale = frozenset(before - {new.rendered.key for new in parsed})
    drop_views(site.views, CurrentBodies(stale=stale))
    return Swapped([doc for doc, _ in edited], stale)


def _links(notes: tuple[LinkNote, ...]) -> list[tuple[object, ...]]:
    """What a body links to, wherever in it the links are."""
    return [(n.target, n.written, n.is_image, n.alt_missing, n.climbs_out) for n in notes]
