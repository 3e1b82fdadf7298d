"""Passwords of circles, from secrets.yaml (never published) or VEIL_PASSWORD_<CIRCLE>;
and the site's address key (`address_key`, or VEIL_ADDRESS_KEY), which makes protected
posts' addresses."""

from __future__ import annotations

import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostics, Location
from .fields import FieldReader
from .yamlfile import YamlDocument, parse_yaml_mapping

SECRETS_FILE = "secrets.yaml"
ADDRESS_KEY_ENV = "VEIL_ADDRESS_KEY"
MIN_ADDRESS_KEY = 16  # characters: guessing it must be out of reach


def new_address_key() -> str:
    return secrets.token_hex(24)


# What a warning or error offers to make a key with: never a key itself, as what a build
# prints may end up in a log others read.
MAKE_A_KEY = 'python3 -c "import secrets; print(secrets.token_hex(24))"'


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner may read (secrets.yaml), from its first byte on."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a file that was there keeps its mode otherwise
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def write_secrets(root: Path, passwords: Mapping[str, str], address_key: str | None) -> None:
    """secrets.yaml with these passwords and address key, every value quoted (an unquoted
    `0123` would be read as a number)."""
    lines = ["# Passwords of protected posts, and the key of their addresses.",
             "# Never publish or commit this file."]
    if address_key:
        lines.append(f"address_key: {json.dumps(address_key, ensure_ascii=False)}")
    if passwords:
        lines.append("passwords:")
        lines += [f"  {json.dumps(circle, ensure_ascii=False)}: "
                  f"{json.dumps(password, ensure_ascii=False)}"
                  for circle, password in sorted(passwords.items())]
    write_private(root / SECRETS_FILE, "\n".join(lines) + "\n")


def env_name(circle: str) -> str:
    return "VEIL_PASSWORD_" + re.sub(r"[^A-Za-z0-9]+", "_", circle).strip("_").upper()


@dataclass(frozen=True)
class Passwords:
    """Circle passwords; the environment variable wins over secrets.yaml."""

    from_file: dict[str, str]
    environ: Mapping[str, str]
    key_from_file: str | None = None

    def for_circle(self, circle: str) -> str | None:
        return self.environ.get(env_name(circle)) or self.from_file.get(circle)

    @property
    def address_key(self) -> str | None:
        """The secret that protected posts' addresses are made with (`route.url_of`)."""
        return self.environ.get(ADDRESS_KEY_ENV) or self.key_from_file


def load_passwords(root: Path, diagnostics: Diagnostics,
                   environ: Mapping[str, str] | None = None) -> Passwords:
    passwords: dict[str, str] = {}
    address_key: str | None = None
    path = root / SECRETS_FILE
    if path.is_file():
        parsed = parse_yaml_mapping(path.read_text(encoding="utf-8"), path, what=SECRETS_FILE)
        if isinstance(parsed, YamlDocument):
            fields = FieldReader(parsed, diagnostics, ("passwords", "address_key"),
                                 SECRETS_FILE)
            written = parsed.data.get("address_key")
            if written is not None:
                if isinstance(written, str) and len(written.strip()) >= MIN_ADDRESS_KEY:
                    address_key = written.strip()
                else:
                    fields.error("address_key", "the address key must be text of at least "
                                 f"{MIN_ADDRESS_KEY} characters, kept secret",
                                 "write `address_key: \"...\"` with a new random key, such as "
                                 f"`{MAKE_A_KEY}` prints; protected posts move to new addresses "
                                 "when it changes")
            mapping = fields.submapping("passwords") or {}
            for circle, password in mapping.items():
                if isinstance(password, bool) or not isinstance(password, str | int) \
                        or not str(password):
                    fields.error("passwords", f"the password of circle `{circle}` must be text",
                                 f'write `  {circle}: "a long passphrase"`')
                    continue
                passwords[str(circle)] = str(password)
        else:
            diagnostics.extend([parsed])
    environ = dict(os.environ if environ is None else environ)
    from_environment = environ.get(ADDRESS_KEY_ENV)
    if from_environment is not None:
        if len(from_environment.strip()) < MIN_ADDRESS_KEY:
            diagnostics.error(Location(Path(ADDRESS_KEY_ENV)), f"{ADDRESS_KEY_ENV} must be at "
                              f"least {MIN_ADDRESS_KEY} characters, kept secret",
                              f"set it to a new random key, such as `{MAKE_A_KEY}` prints")
        environ[ADDRESS_KEY_ENV] = from_environment.strip()
    return Passwords(passwords, environ, address_key)
