"""Encryption of protected posts: what the browser opens with a circle's password.

The rendered article (title, body, tags, warnings, images inlined) is encrypted with
AES-256-GCM under a random content key. That key is wrapped once per circle with a key
derived from the circle's password by PBKDF2-HMAC-SHA256, each with its own random salt
and IV. The header (format version, KDF, hash, iterations, salts) and the post's URL are
the additional authenticated data of every encryption, so a payload moved to another post,
or any changed byte, fails to open. The plaintext is padded to a size bucket so that its
length says little about the post.

Payload, as embedded in the page (JSON):
    {"header": "<the exact AAD string>", "keys": [{"iv", "wrapped"}...], "iv", "data"}
    header = {"v": 1, "kdf": "PBKDF2", "hash": "SHA-256", "iterations": N,
              "url": "/posts/x/", "salts": [...]}    (base64 for all binary values)

The browser side is `themes/default/static/protect.js`, using WebCrypto.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import unicodedata
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from .machine_key import seal

FORMAT_VERSION = 1
DEFAULT_ITERATIONS = 1_000_000
MIN_ITERATIONS = 600_000
SALT_BYTES = 16
IV_BYTES = 12
KEY_BYTES = 32
MIN_BUCKET = 4096


class ProtectionError(Exception):
    """A payload that cannot be opened: wrong password, tampered, or unsafe settings."""


@dataclass(frozen=True, slots=True)
class Plaintext:
    title: str
    html: str

    def to_bytes(self) -> bytes:
        return json.dumps({"title": self.title, "html": self.html},
                          ensure_ascii=False, sort_keys=True).encode("utf-8")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def normalise_password(password: str) -> bytes:
    """NFC, so that the same password typed on any keyboard or system opens the post."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


def _derive(password: str, salt: bytes, iterations: int) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt,
                     iterations=iterations)
    return kdf.derive(normalise_password(password))


def pad(data: bytes) -> bytes:
    """Pad with spaces (JSON ignores them) up to the next power of two, at least 4 KiB."""
    size = MIN_BUCKET
    while size < len(data):
        size *= 2
    return data + b" " * (size - len(data))


def encrypt(plaintext: Plaintext, url: str, passwords: list[str],
            iterations: int = DEFAULT_ITERATIONS) -> dict[str, object]:
    """A new payload: fresh content key, salts and IVs every time."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if iterations < MIN_ITERATIONS:
        raise ProtectionError(f"{iterations} PBKDF2 iterations is below the floor of "
                              f"{MIN_ITERATIONS}")
    if not passwords:
        raise ProtectionError("a protected post needs at least one password")
    salts = [os.urandom(SALT_BYTES) for _ in passwords]
    header = json.dumps({
        "v": FORMAT_VERSION, "kdf": "PBKDF2", "hash": "SHA-256", "iterations": iterations,
        "url": url, "salts": [_b64(s) for s in salts],
    }, sort_keys=True, separators=(",", ":"))
    aad = header.encode("utf-8")
    content_key = AESGCM.generate_key(bit_length=KEY_BYTES * 8)
    keys = []
    for password, salt in zip(passwords, salts, strict=True):
        iv = os.urandom(IV_BYTES)
        wrapping = AESGCM(_derive(password, salt, iterations))
        keys.append({"iv": _b64(iv), "wrapped": _b64(wrapping.encrypt(iv, content_key, aad))})
    iv = os.urandom(IV_BYTES)
    data = AESGCM(content_key).encrypt(iv, pad(plaintext.to_bytes()), aad)
    return {"header": header, "keys": keys, "iv": _b64(iv), "data": _b64(data)}


def decrypt(payload: dict[str, object], url: str, password: str) -> Plaintext:
    """Open a payload as the browser does; for tests and `veil check`."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        header_text = str(payload["header"])
        header = json.loads(header_text)
        iterations = int(header["iterations"])
        if header.get("v") != FORMAT_VERSION or header.get("kdf") != "PBKDF2":
            raise ProtectionError("unknown payload format")
        if iterations < MIN_ITERATIONS:
            raise ProtectionError("the payload asks for fewer iterations than the floor")
        if header.get("url") != url:
            raise ProtectionError("this payload belongs to another post")
        aad = header_text.encode("utf-8")
        salts = [_unb64(s) for s in header["salts"]]
        keys = payload["keys"]
        assert isinstance(keys, list)
    except (KeyError, ValueError, TypeError, AssertionError) as exc:
        raise ProtectionError(f"malformed payload: {exc}") from None
    for salt, entry in zip(salts, keys, strict=False):
        try:
            wrapping = AESGCM(_derive(password, salt, iterations))
            content_key = wrapping.decrypt(_unb64(entry["iv"]), _unb64(entry["wrapped"]), aad)
        except Exception:
            continue
        try:
            clear = AESGCM(content_key).decrypt(_unb64(str(payload["iv"])),
                                                _unb64(str(payload["data"])), aad)
        except Exception as exc:
            raise ProtectionError("the content does not match its key") from exc
        opened = json.loads(clear.decode("utf-8"))
        return Plaintext(title=opened["title"], html=opened["html"])
    raise ProtectionError("wrong password")


def cache_key(plaintext: Plaintext, url: str, passwords: list[str], iterations: int) -> str:
    """What a payload depends on; an unchanged post reuses its payload, so an unchanged
    site builds to the same bytes."""
    digest = hashlib.sha256()
    for part in (plaintext.to_bytes(), url.encode(), str(iterations).encode(),
                 *(seal((normalise_password(p).hex(),)).encode() for p in passwords)):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


class PayloadCache:
    """Payloads from earlier builds, kept outside the output (safe to delete): one file
    per protected post, holding its latest payload and what it was made from, so that an
    earlier version of the post does not stay behind once it has changed."""

    def __init__(self, folder: Path | None, *, writable: bool = True):
        self.folder = folder  # None: nothing kept
        self.writable = writable  # false: payloads are read, never written or removed

    def get(self, source_key: str, key: str) -> dict[str, object] | None:
        if self.folder is None:
            return None
        try:
            kept = json.loads((self.folder / _slot(source_key)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(kept, dict) or kept.get("key") != key:
            return None  # another version, or foreign or damaged: never trusted
        payload = kept.get("payload")
        if not isinstance(payload, dict) or not {"header", "keys", "iv", "data"} <= payload.keys():
            return None
        return payload

    def put(self, source_key: str, key: str, payload: dict[str, object]) -> None:
        if self.folder is None or not self.writable:
            return
        slot = _slot(source_key)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{slot}.tmp"
            tmp.write_text(json.dumps({"key": key, "payload": payload}, sort_keys=True),
                           encoding="utf-8")
            tmp.replace(self.folder / slot)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def keep_only(self, source_keys: Iterable[str]) -> None:
        """Remove the payloads of posts that are no longer protected or no longer exist
        (after a build that read every source)."""
        if self.folder is None or not self.writable:
            return
        kept = {_slot(key) for key in source_keys}
        try:
            names = [entry.name for entry in os.scandir(self.folder)]
        except OSError:
            return
        for name in names:
            if name not in kept:
                with suppress(OSError):  # (removed meanwhile, or a folder put there)
                    (self.folder / name).unlink()


def _slot(source_key: str) -> str:
    """The file of a post's payload, named without naming the post (keyed with this
    machine's secret, so that a guessed file name cannot be tested against it)."""
    return seal(("veil-payload", source_key))[:40] + ".json"


class Protector:
    """Makes the payload of each protected post, reusing the last one when nothing changed."""

    def __init__(self, passwords_for: dict[str, list[str]], iterations: int, cache: PayloadCache):
        self.passwords_for = passwords_for  # source key -> passwords of its circles, in order
        self.iterations = iterations
        self.cache = cache

    def fingerprint_for(self, source_key: str) -> str:
        """Stands for the post's passwords and the key strength, without revealing them."""
        secret = json.dumps([self.passwords_for.get(source_key, []), self.iterations])
        return seal(("veil-protected-inputs", secret))

    def digest(self) -> str:
        """Stands for every protected post's passwords and the key strength."""
        secret = json.dumps([sorted(self.passwords_for.items()), self.iterations])
        return seal(("veil-protected-inputs", secret))

    def payload(self, source_key: str, url: str, plaintext: Plaintext) -> dict[str, object]:
        passwords = self.passwords_for[source_key]
        key = cache_key(plaintext, url, passwords, self.iterations)
        cached = self.cache.get(source_key, key)
        if cached is not None and _fits(cached, url, self.iterations, len(passwords)):
            return cached
        payload = encrypt(plaintext, url, passwords, self.iterations)
        self.cache.put(source_key, key, payload)
        return payload

    def keep_only_current(self) -> None:
        """Let the payload cache keep only the posts protected now."""
        self.cache.keep_only(self.passwords_for)


def _fits(payload: dict[str, object], url: str, iterations: int, circles: int) -> bool:
    try:
        header = json.loads(str(payload["header"]))
        keys = payload["keys"]
        return (header.get("url") == url and header.get("iterations") == iterations
                and header.get("v") == FORMAT_VERSION and isinstance(keys, list)
                and len(keys) == circles == len(header.get("salts", [])))
    except (ValueError, TypeError):
        return False


def embed(payload: dict[str, object]) -> str:
    """The payload as JSON that is safe inside a <script type="application/json">."""
    return json.dumps(payload, sort_keys=True).replace("<", "\\u003c")
