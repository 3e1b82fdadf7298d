"""`veil init` and `veil new`: start a site, start a post."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .config import CONFIG_NAME, SiteConfig
from .content_warnings import Vocabulary
from .errors import UsageError
from .passwords import SECRETS_FILE, new_address_key, write_private
from .text import slugify

GITIGNORE = """\
# Built site and caches: made again by `veil build`
site/
.veil-cache/
# Passwords for protected posts: never commit or publish them
secrets.yaml
"""

CONFIG_TEMPLATE = """\
title: {title}
description: A quiet place to write.
base_url: https://example.org/
author: {author}
language: en
timezone: UTC
posts_per_page: 10
feeds:
  # what feeds carry of a warned post: summary (your summary line and a link),
  # full (the whole post, after the warning) or none (the warning and a link)
  warned_content: summary
# support:
#   - name: A helpline
#     description: Someone to talk to, day or night.
#     phone: "000 000"
#     url: https://example.org/help
"""

SECRETS = """\
# Never publish or commit this file (.gitignore keeps it out of git).
# The key that protected posts' addresses are made with: keep it, or they move.
# Where you build elsewhere (CI), set VEIL_ADDRESS_KEY to it.
address_key: "{key}"
# Passwords of circles, for protected posts (or VEIL_PASSWORD_<CIRCLE>):
# passwords:
#   close-friends: "a long passphrase"
"""

WELCOME = """\
---
title: Hello, and welcome
date: {date}
summary: Why this blog exists.
tags: [writing]
---

This is the first post of your new blog. Edit it in `content/posts/welcome.md`, or start a
new one with `veil new "A title"`.

When a post touches something hard, list it under `warnings:` in the front matter. Readers
see the warnings first and choose whether to open the post.
"""

ABOUT = """\
---
title: About
menu: 1
---

Who writes here, and why.
"""


def init_site(folder: Path, now: datetime) -> list[Path]:
    if (folder / CONFIG_NAME).exists():
        raise UsageError(f"{folder / CONFIG_NAME} already exists: this is a veil site already")
    if folder.exists() and any(p for p in folder.iterdir() if not p.name.startswith(".")):
        raise UsageError(f"{folder} is not empty: choose a new or empty folder")
    files = {
        folder / CONFIG_NAME: CONFIG_TEMPLATE.format(title="My blog", author="A. Writer"),
        folder / ".gitignore": GITIGNORE,
        folder / "content" / "posts" / "welcome.md": WELCOME.format(
            date=now.strftime("%Y-%m-%d %H:%M")),
        folder / "content" / "pages" / "about.md": ABOUT,
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    write_private(folder / SECRETS_FILE, SECRETS.format(key=new_address_key()))
    (folder / "content" / "media").mkdir(exist_ok=True)
    return [*files, folder / SECRETS_FILE]


def _yaml_text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def new_post(config: SiteConfig, vocabulary: Vocabulary, title: str, warnings: list[str],
             series: str | None, now: datetime, next_part: int | None) -> tuple[Path, list[str]]:
    """Write a draft post; returns its path and notes about unknown warning terms."""
    slug = slugify(title)
    if not slug:
        raise UsageError("the title needs at least one letter or digit")
    path = config.content_dir / "posts" / f"{slug}.md"
    if path.exists() or (config.content_dir / "posts" / slug / "index.md").exists():
        raise UsageError(f"{path} already exists: choose another title")
    notes = []
    terms = []
    for written in warnings:
        term = vocabulary.resolve(written)
        if term is None:
            guess = vocabulary.suggest(written)
            notes.append(f"`{written}` is not in the warning vocabulary"
                         + (f"; did you mean `{guess}`?" if guess else ""))
            term = written.strip().lower()
        if term not in terms:
            terms.append(term)
    lines = ["---", f"title: {_yaml_text(title)}", f"date: {now:%Y-%m-%d %H:%M}"]
    if terms:
        lines.append("warnings: [" + ", ".join(_yaml_text(t) for t in terms) + "]")
    if series:
        lines.append(f"series: {_yaml_text(series)}")
        if next_part:
            lines.append(f"part: {next_part}")
    lines += ["tags: []", "summary: ", "draft: true", "---", "", "Write here.", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, notes
