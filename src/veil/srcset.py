"""The `srcset` of an image or picture source: image candidates, each an address and its
descriptors ("a.jpg 1x, a@2x.jpg 2x"), read as browsers read them."""

from __future__ import annotations

from collections.abc import Callable


def candidates(value: str) -> list[tuple[str, str]]:
    """Each candidate's address and descriptors (HTML's parsing of a srcset: an address
    ends at a space, or at commas that end it; descriptors run to a comma outside
    parentheses)."""
    found = []
    at, end = 0, len(value)
    while True:
        while at < end and (value[at].isspace() or value[at] == ","):
            at += 1
        if at >= end:
            return found
        start = at
        while at < end and not value[at].isspace():
            at += 1
        address, descriptors = value[start:at], ""
        if address.endswith(","):
            address = address.rstrip(",")
        else:
            start, depth = at, 0
            while at < end and (value[at] != "," or depth):
                depth += {"(": 1, ")": -1 if depth else 0}.get(value[at], 0)
                at += 1
            descriptors = " ".join(value[start:at].split())
        found.append((address, descriptors))


def rewrite(value: str, address_of: Callable[[str], str | None]) -> str:
    """`value` with each candidate's address given by `address_of`; a candidate whose
    address it gives as None is left out. Unchanged (as written) when every address is."""
    kept, changed = [], False
    for address, descriptors in candidates(value):
        new = address_of(address)
        changed = changed or new != address
        if new is not None:
            kept.append(f"{new} {descriptors}" if descriptors else new)
    return ", ".join(kept) if changed else value
