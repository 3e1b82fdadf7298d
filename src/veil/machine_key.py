"""A secret of this machine's user, kept outside every site, and digests made with it.

veil keeps digests of what it read in its cache (to know when something changed), some
of them of passwords. A plain hash there would let anyone holding a copy of the cache
test guessed passwords at the speed of a hash, where the published pages make each guess
cost a million rounds of PBKDF2. Digests that may stand for passwords are therefore
keyed with this secret (`seal`), and site models are signed with it (see `resume`).
"""

from __future__ import annotations

import hmac
import os
from contextlib import suppress
from functools import cache
from pathlib import Path

KEY_FILE = "model-key"


def machine_key() -> bytes | None:
    """A secret of this machine's user, made once, kept outside any site (under
    $XDG_STATE_HOME, by default ~/.local/state/veil/); None when there is no such place."""
    return _machine_key(os.environ.get("XDG_STATE_HOME") or "")


@cache
def _machine_key(state_home: str) -> bytes | None:
    try:
        folder = Path(state_home or Path.home() / ".local" / "state") / "veil"
        path = folder / KEY_FILE
        with suppress(FileNotFoundError):
            key = path.read_bytes()
            return key if len(key) == 32 else None
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600),
                           "wb") as file:
                file.write(os.urandom(32))
        except FileExistsError:  # another process made it meanwhile
            pass
        key = path.read_bytes()
        return key if len(key) == 32 else None
    except (OSError, RuntimeError):  # no home, or nowhere to write
        return None


def seal(values: tuple[str, ...]) -> str:
    """`values` (digests that may stand for passwords) as the cache keeps them: keyed with
    this machine's secret, so that a copy of the cache gives nothing to test a guessed
    password against (without a secret, as when there is no home folder, a plain hash)."""
    key = machine_key() or b""
    return hmac.new(key, repr(values).encode("utf-8", "surrogatepass"), "sha256").hexdigest()
