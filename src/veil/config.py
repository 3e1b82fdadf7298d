"""veil.yaml -> a frozen, typed `SiteConfig`. Unknown keys and wrong values are errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import Diagnostics, Location, Problem, VeilError
from .fields import FieldReader
from .protect import DEFAULT_ITERATIONS, MIN_ITERATIONS
from .themes import BUILTIN_THEME, theme_search_path
from .yamlfile import YamlDocument, parse_yaml_mapping

CONFIG_NAME = "veil.yaml"
PRIVACY_LEVELS = ("public", "unlisted", "protected", "private")
WARNED_CONTENT = ("summary", "full", "none")


@dataclass(frozen=True, slots=True)
class SupportResource:
    name: str
    description: str | None
    url: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class FeedSettings:
    warned_content: str = "summary"
    items: int = 20


DEFAULT_QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"


@dataclass(frozen=True, slots=True)
class QuickExit:
    enabled: bool = True
    url: str = DEFAULT_QUICK_EXIT_URL


@dataclass(frozen=True, slots=True)
class SiteConfig:
    root: Path
    title: str
    base_url: str  # absolute, always ends with "/"
    description: str
    author: str
    language: str
    timezone: ZoneInfo
    theme: str
    posts_per_page: int
    default_privacy: str
    pretty_links: bool
    feeds: FeedSettings
    support: tuple[SupportResource, ...]
    quick_exit: QuickExit
    iterations: int  # PBKDF2 iterations for protected posts
    # names a linked document may carry in its properties besides `author` (a leaflet's
    # publisher): any other stops the build
    public_names: tuple[str, ...] = ()

    @property
    def base_path(self) -> str:
        """The path part of base_url, e.g. "/blog/" for a site served from a sub-path."""
        return urlsplit(self.base_url).path or "/"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"


def names_made_public(config: SiteConfig) -> tuple[str, ...]:
    """The names a published document may carry in its properties: the site's author's
    and its `public_names`."""
    return tuple(name for name in (config.author, *config.public_names) if name)


_TOP_KEYS = (
    "title", "base_url", "description", "author", "language", "timezone", "theme",
    "posts_per_page", "default_privacy", "pretty_links", "feeds", "support", "quick_exit",
    "protection", "public_names",
)


def load_config(root: Path, diagnostics: Diagnostics) -> SiteConfig | None:
    """Read ``root/veil.yaml``; problems go to `diagnostics`, None if it cannot be used."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise VeilError([_no_config(path)])
    parsed = parse_yaml_mapping(path.read_text(encoding="utf-8"), path, what=CONFIG_NAME)
    if not isinstance(parsed, YamlDocument):
        diagnostics.extend([parsed])
        return None
    return read_config(parsed, root, diagnostics)


def _no_config(path: Path) -> Problem:
    return Problem(Location(path), f"no {CONFIG_NAME} here: this is not a veil site",
                   "run `veil init DIR` to make a site, or pass `--site DIR`")


def read_config(doc: YamlDocument, root: Path, diagnostics: Diagnostics) -> SiteConfig | None:
    before = len(diagnostics.errors)
    fields = FieldReader(doc, diagnostics, _TOP_KEYS, CONFIG_NAME)
    title = fields.string("title", required=True, example="My quiet blog") or ""
    base_url = _base_url(fields)
    timezone = _timezone(fields)
    feeds_map = fields.submapping("feeds")
    feeds = FeedSettings()
    if feeds_map is not None:
        feed_fields = FieldReader(doc, diagnostics, ("warned_content", "items"), "`feeds`",
                                  mapping=feeds_map)
        feeds = FeedSettings(
            warned_content=feed_fields.choice("warned_content", WARNED_CONTENT, "summary"),
            items=feed_fields.integer("items", 20, minimum=1) or 20,
        )
    language = fields.string("language", "en") or "en"
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
        fields.error("language", f"`language: {language}` is not a language tag",
                     "write a tag such as `en`, `en-GB` or `de`")
    config = SiteConfig(
        root=root,
        title=title,
        base_url=base_url,
        description=fields.string("description", "") or "",
        author=fields.string("author", "") or "",
        language=language,
        timezone=timezone,
        theme=_theme(fields, root),
        posts_per_page=fields.integer("posts_per_page", 10, minimum=1) or 10,
        default_privacy=fields.choice("default_privacy", PRIVACY_LEVELS, "public"),
        pretty_links=fields.boolean("pretty_links", False),
        feeds=feeds,
        support=_support(doc, fields, diagnostics),
        quick_exit=_quick_exit(doc, fields, diagnostics),
        iterations=_iterations(doc, fields, diagnostics),
        public_names=fields.string_list("public_names"),
    )
    return None if len(diagnostics.errors) > before else config


def _base_url(fields: FieldReader) -> str:
    value = fields.string("base_url", required=True, example="https://example.org/") or ""
    if not value:
        return "https://example.org/"
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        fields.error("base_url", f"`base_url: {value}` is not an absolute web address",
                     "write the address the site will live at, e.g. "
                     "`base_url: https://example.org/blog/`")
        return "https://example.org/"
    return value if value.endswith("/") else value + "/"


def _quick_exit(doc: YamlDocument, fields: FieldReader, diagnostics: Diagnostics) -> QuickExit:
    mapping = fields.submapping("quick_exit")
    if mapping is None:
        return QuickExit()
    exit_fields = FieldReader(doc, diagnostics, ("enabled", "url"), "`quick_exit`",
                              mapping=mapping)
    url = exit_fields.string("url", DEFAULT_QUICK_EXIT_URL) or DEFAULT_QUICK_EXIT_URL
    scheme = urlsplit(url).scheme
    if scheme not in ("http", "https", "about"):
        exit_fields.error("url", f"`url: {url}` is not a full web address",
                          f"write a neutral site's address, e.g. `url: {DEFAULT_QUICK_EXIT_URL}`")
        url = DEFAULT_QUICK_EXIT_URL
    return QuickExit(enabled=exit_fields.boolean("enabled", True), url=url)


def _iterations(doc: YamlDocument, fields: FieldReader, diagnostics: Diagnostics) -> int:
    mapping = fields.submapping("protection")
    if mapping is None:
        return DEFAULT_ITERATIONS
    protection = FieldReader(doc, diagnostics, ("iterations",), "`protection`", mapping=mapping)
    iterations = protection.integer("iterations", DEFAULT_ITERATIONS, minimum=1)
    if iterations is not None and iterations < MIN_ITERATIONS:
        protection.error("iterations", f"`iterations: {iterations}` is too few to slow down "
                         "password guessing",
                         f"use at least {MIN_ITERATIONS} (the default is {DEFAULT_ITERATIONS})")
        return DEFAULT_ITERATIONS
    return iterations or DEFAULT_ITERATIONS


def _theme(fields: FieldReader, root: Path) -> str:
    name = fields.string("theme", BUILTIN_THEME) or BUILTIN_THEME
    if theme_search_path(root, name) is None:
        fields.error("theme", f"no theme named `{name}`",
                     f"put it in themes/{name}/ (with templates/ and static/), or remove the "
                     "line to use the default theme")
        return BUILTIN_THEME
    return name


def _timezone(fields: FieldReader) -> ZoneInfo:
    name = fields.string("timezone", "UTC") or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        fields.error("timezone", f"`timezone: {name}` is not a known time zone",
                     "write a name such as `Europe/London`, `America/Chicago` or `UTC`")
        return ZoneInfo("UTC")


def _support(doc: YamlDocument, fields: FieldReader,
             diagnostics: Diagnostics) -> tuple[SupportResource, ...]:
    if not fields.has("support"):
        return ()
    raw = fields.mapping["support"]
    if not isinstance(raw, list):
        fields.error("support", "`support` must be a list of resources",
                     "write `support:` then lines `  - name: ...` with description, url, phone")
        return ()
    resources = []
    for item in raw:
        if not isinstance(item, dict):
            fields.error("support", "each support resource must have `name:` and more",
                         "write `  - name: Samaritans` and below it `    phone: \"116 123\"`")
            continue
        item_fields = FieldReader(doc, diagnostics, ("name", "description", "url", "phone"),
                                  "a support resource", mapping=item)  # type: ignore[arg-type]
        name = item_fields.string("name", required=True, example="Samaritans")
        if name:
            resources.append(SupportResource(
                name=name,
                description=item_fields.string("description"),
                url=item_fields.string("url"),
                phone=item_fields.string("phone"),
            ))
    return tuple(resources)
