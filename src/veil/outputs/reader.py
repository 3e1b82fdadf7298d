"""Pages for the reader's own safety: warning preferences and staying safe online."""

from __future__ import annotations

from collections.abc import Iterator

from ..site import Site
from ..urls import output_path_for
from ..visibility import Surface
from .base import PREFERENCES_URL, SAFETY_URL, Output, PageMaker


def preference_terms(site: Site) -> list[dict[str, str]]:
    """Every term of the vocabulary, and any other term a listed post uses, by name."""
    terms = {term: entry.description for term, entry in site.vocabulary.terms.items()}
    for doc in site.public_posts(Surface.LISTINGS):
        for term in doc.warnings:
            terms.setdefault(term, "")
    return [{"term": t, "description": d} for t, d in sorted(terms.items())]


def plan_reader_pages(site: Site, maker: PageMaker) -> Iterator[Output]:
    yield Output(output_path_for(PREFERENCES_URL), lambda: maker.render(
        "preferences.html", PREFERENCES_URL, title="Your warning preferences",
        description="Choose, for each kind of content warning, whether to be asked first.",
        terms=preference_terms(site)),
        frozenset({"template:preferences.html", "vocabulary", "collection:listed-posts"}))
    yield Output(output_path_for(SAFETY_URL), lambda: maker.render(
        "staying_safe.html", SAFETY_URL, title="Staying safe online",
        description="Private browsing, history, and leaving this site quickly."),
        frozenset({"template:staying_safe.html", "config"}))
