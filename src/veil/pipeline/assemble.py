"""Turn parsed sources and their URLs into the frozen site model."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from ..config import SiteConfig
from ..content_warnings import Vocabulary
from ..model import Document
from ..site import Site
from .discover import bundle_assets
from .parse import ParsedSource


def assemble(parsed: Sequence[ParsedSource], urls: dict[str, str], config: SiteConfig,
             vocabulary: Vocabulary, now: datetime, *, preview_drafts: bool = False) -> Site:
    documents = []
    for item in parsed:
        url = urls.get(item.source.key)
        if url is None:
            continue  # its URL collided: already reported
        meta = item.meta
        documents.append(Document(
            kind=item.source.kind,
            source=item.source.path,
            source_key=item.source.key,
            title=meta.title,
            date=meta.date,
            updated=meta.updated,
            summary=meta.summary,
            warnings=meta.warnings,
            privacy=meta.privacy,
            draft=meta.draft,
            circles=meta.circles,
            series=meta.series,
            part=meta.part,
            tags=meta.tags,
            slug=meta.slug,
            menu=meta.menu,
            url=url,
            rendered=item.rendered,
            bundle_assets=bundle_assets(item.source),
            comments=item.comments,
        ))
    return Site(config, vocabulary, now, tuple(documents), preview_drafts)
