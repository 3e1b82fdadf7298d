"""The `srcset` of an image or picture source: image candidates, each an address and its
descriptors ("a.jpg 1x, a@2x.jpg 2x"), read as browsers read them (the HTML standard's
"parse a srcset attribute"): what veil rewrites, and what its leak check reads, is what a
browser fetches."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

# A srcset attribute as HTML may write it (`imagesrcset` on a preload link too), with its
# value double-quoted, single-quoted or bare: one of the three groups holds it.
ATTRIBUTE = r"""\b(?:image)?srcset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"""
_SPACE = " \t\n\f\r"  # HTML's whitespace (not Unicode's: a no-break space is no separator)


def candidates(value: str) -> list[tuple[str, str]]:
    """Each candidate's address and descriptors (space-separated). An address ends at a
    space, or at the commas that end it; descriptors run to a comma that is not between
    parentheses (a "(" there is a character like any other: the first ")" closes)."""
    found = []
    at, end = 0, len(value)
    while True:
        while at < end and (value[at] in _SPACE or value[at] == ","):
            at += 1
        if at >= end:
            return found
        start = at
        while at < end and value[at] not in _SPACE:
            at += 1
        address = value[start:at]
        if address.endswith(","):
            found.append((address.rstrip(","), ""))
            continue
        descriptors, at = _descriptors(value, at)
        found.append((address, " ".join(descriptors)))


def _descriptors(value: str, at: int) -> tuple[list[str], int]:
    """The descriptors from `at` to the comma that ends them, and where the next
    candidate may start."""
    tokens: list[str] = []
    current = ""
    in_parentheses = False
    for position in range(at, len(value)):
        char = value[position]
        if in_parentheses:
            current += char
            in_parentheses = char != ")"
        elif char in _SPACE:
            if current:
                tokens.append(current)
                current = ""
        elif char == ",":
            if current:
                tokens.append(current)
            return tokens, position + 1
        else:
            current += char
            in_parentheses = char == "("
    if current:
        tokens.append(current)
    return tokens, len(value)


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


def rewrite_marked(html_text: str, mark: str, address_of: Callable[[str], str | None]) -> str:
    """In the srcsets of HTML as veil writes it (`srcset="..."`), each address that starts
    with `mark` (a placeholder) replaced by what `address_of` gives for the rest of it;
    a candidate it gives None for is left out."""
    if mark not in html_text or "srcset" not in html_text:
        return html_text

    def marked(address: str) -> str | None:
        return address_of(address[len(mark):]) if address.startswith(mark) else address

    return _marked_srcset(mark).sub(
        lambda m: f'{m.group(1)}{rewrite(m.group(2), marked)}"', html_text)


@cache
def _marked_srcset(mark: str) -> re.Pattern[str]:
    return re.compile(r'(\ssrcset=")([^"]*' + re.escape(mark) + r'[^"]*)"')
