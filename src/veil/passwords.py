"""Passwords of circles: from secrets.yaml (never published) or VEIL_PASSWORD_<CIRCLE>."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostics
from .fields import FieldReader
from .yamlfile import YamlDocument, parse_yaml_mapping

SECRETS_FILE = "secrets.yaml"


def env_name(circle: str) -> str:
    return "VEIL_PASSWORD_" + re.sub(r"[^A-Za-z0-9]+", "_", circle).strip("_").upper()


@dataclass(frozen=True)
class Passwords:
    """Circle passwords; the environment variable wins over secrets.yaml."""

    from_file: dict[str, str]
    environ: Mapping[str, str]

    def for_circle(self, circle: str) -> str | None:
        return self.environ.get(env_name(circle)) or self.from_file.get(circle)


def load_passwords(root: Path, diagnostics: Diagnostics,
                   environ: Mapping[str, str] | None = None) -> Passwords:
    passwords: dict[str, str] = {}
    path = root / SECRETS_FILE
    if path.is_file():
        parsed = parse_yaml_mapping(path.read_text(encoding="utf-8"), path, what=SECRETS_FILE)
        if isinstance(parsed, YamlDocument):
            fields = FieldReader(parsed, diagnostics, ("passwords",), SECRETS_FILE)
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
    return Passwords(passwords, dict(os.environ if environ is None else environ))
