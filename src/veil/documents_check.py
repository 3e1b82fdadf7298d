"""A document published from the site may not name anyone its writer has not made public.

A PDF or office file linked from a post keeps the names its programs wrote into its
properties (see `documents`): the writer's own name under a pen name, their employer, a
therapist who commented on a worksheet. The build stops on any name other than the site's
`author` and its `public_names`, naming the file, so it never goes out unseen.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from .audit import TEXT_SUFFIXES
from .config import SiteConfig, names_made_public
from .documents import document_authors, is_document
from .errors import Location, Problem
from .outputs.base import Output


def named_in_document(output: Output, data: bytes, config: SiteConfig) -> Problem | None:
    """The problem with a published document that names someone not made public; None
    for any other output, and for a document that names no one else."""
    name = PurePosixPath(output.path).name
    if output.path.endswith(TEXT_SUFFIXES) or not is_document(name, data):
        return None  # (a page about PDFs may begin like one)
    public = {n.casefold() for n in names_made_public(config)}
    names = [n for n in document_authors(name, data) if n.casefold() not in public]
    if not names:
        return None
    shown = ", ".join(f"“{n}”" for n in names)
    return Problem(
        Location(_source(output, config)),
        f"this document names {shown} in its properties (author, last editor, company, or "
        "a comment's author), which anyone who downloads it can read. Nothing was written.",
        "remove them from the document's properties (in most editors: File → Info or "
        "Properties, or export it again as PDF without them); if a name is meant to be "
        "public (a leaflet's publisher), add it to `public_names:` in veil.yaml")


def _source(output: Output, config: SiteConfig) -> Path:
    """The file the output is published from."""
    for item in output.inputs:
        if item.startswith("file:"):
            return Path(item[len("file:"):])
    return config.root / output.path
