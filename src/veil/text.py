"""Small text helpers shared by several stages."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=8192)  # pure; a site names the same few tags and series thousands of times
def slugify(text: str) -> str:
    """A URL-safe name: lower case, words joined by hyphens; letters of any script kept."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = text.replace("'", "").replace("\u2019", "")
    return _NOT_WORD.sub("-", text).strip("-_")
