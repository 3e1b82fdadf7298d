"""The shape of a site: everything a build reads except the rendered bodies.

That is every input file but the Markdown documents (by size and time), the options, and
of every document its front matter, URL, files and visibility now. Two builds of the same
shape plan the same outputs from the same values, except where a body changed; an output
whose fingerprint read none of the changed bodies (see `reads`) keeps its fingerprint.
"""

from __future__ import annotations

from dataclasses import fields

from .fingerprints import fingerprint
from .model import Document
from .site import Site
from .snapshot import Inputs

_FIELDS = tuple(f.name for f in fields(Document) if f.name != "rendered")


def site_shape(inputs: Inputs | None, site: Site) -> str | None:
    """None when the inputs cannot be trusted to show a change (one changed just now)."""
    if inputs is None or not inputs.trusted(inputs.newest_besides_documents):
        return None
    return fingerprint("shape", inputs.besides_documents, site.preview_drafts, [
        ([getattr(doc, name) for name in _FIELDS], site.visibility(doc).value,
         site.linkable(doc), site.is_preview_only(doc))
        for doc in site.all_documents_for_routing()])
