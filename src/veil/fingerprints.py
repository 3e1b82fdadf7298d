"""Fingerprints: one hash for everything a result is made from.

Two results with the same fingerprint are the same result, so a build reuses what an
earlier build made instead of making it again. An object can stand for itself by a
`fingerprint_token` (a body's token names its source and links, not its HTML).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from . import __version__, reads


def fingerprint(*parts: Any) -> str:
    text = json.dumps([__version__, *parts], default=_token, sort_keys=True,
                      ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _token(value: Any) -> str:
    token = getattr(value, "fingerprint_token", None)
    if not isinstance(token, str):
        return str(value)
    body_reads = getattr(value, "reads", None)
    if body_reads:  # what a view was made from is read wherever the view is
        reads.note_all(body_reads)
    return token
