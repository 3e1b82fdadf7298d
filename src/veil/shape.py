"""The shape of a site: everything a build reads except the rendered bodies.

That is every input file but the Markdown documents (by size and time), the options, and
of every document its front matter, URL, files and visibility now. Two builds of the same
shape plan the same outputs from the same values, except where a body changed; an output
whose fingerprint read none of the changed bodies (see `reads`) keeps its fingerprint.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from operator import attrgetter

from .fingerprints import fingerprint
from .model import Document
from .site import Site
from .snapshot import Inputs

_fields = attrgetter(*(f.name for f in fields(Document) if f.name != "rendered"))


def site_shape(inputs: Inputs | None, site: Site, *read: str) -> str | None:
    """`read`: digests of what the build read besides the documents (templates, settings,
    passwords), taken from what it read rather than from file times, so that a file
    changed while the build ran, or reached through a link, cannot be missed. None when
    the inputs cannot be trusted to show a change (one changed just now)."""
    if inputs is None or not inputs.trusted(inputs.newest_besides_documents):
        return None
    # What else a page reads of a document (whether it may be linked to, say) follows from
    # its visibility; in a drafts preview, also whether it is shown only there. The fields
    # are plain data (strings, numbers, dates, paths, enums, frozen dataclasses), so their
    # repr stands for them, and is many times quicker than JSON.
    preview = site.preview_drafts
    documents = repr([
        (_fields(doc), site.visibility(doc), preview and site.is_preview_only(doc))
        for doc in site.all_documents_for_routing()])
    return fingerprint("shape", inputs.besides_documents, read, site.preview_drafts,
                       hashlib.sha256(documents.encode("utf-8", "surrogatepass")).hexdigest())
