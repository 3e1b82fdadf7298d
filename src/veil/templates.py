"""Jinja environment with the loader chain: site templates/ > site theme > built-in theme."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from .config import SiteConfig
from .errors import Location, Problem, VeilError

BUILTIN_THEME = "default"


def builtin_themes_dir() -> Path:
    """Where the themes that ship with veil are: inside the package once installed,
    at the top of the source tree when running from a checkout."""
    packaged = Path(__file__).parent / "themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "themes"


def theme_dirs(config: SiteConfig) -> list[Path]:
    """Theme folders in the order they are searched (each has templates/ and static/)."""
    dirs = []
    own = config.root / "themes" / config.theme
    if own.is_dir():
        dirs.append(own)
    builtin = builtin_themes_dir()
    if config.theme != BUILTIN_THEME and (builtin / config.theme).is_dir():
        dirs.append(builtin / config.theme)
    if not dirs and config.theme != BUILTIN_THEME:
        raise VeilError([Problem(
            Location(config.root / "veil.yaml"),
            f"no theme named `{config.theme}`",
            f"put it in themes/{config.theme}/ or remove the `theme:` line for the default theme",
        )])
    dirs.append(builtin / BUILTIN_THEME)
    return dirs


def make_environment(config: SiteConfig) -> jinja2.Environment:
    search = [config.root / "templates"] + [d / "templates" for d in theme_dirs(config)]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(p) for p in search if p.is_dir()]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


class TemplateRenderer:
    def __init__(self, config: SiteConfig):
        self.env = make_environment(config)

    def render(self, template: str, context: dict[str, Any]) -> str:
        try:
            return self.env.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise VeilError([Problem(
                Location(Path(exc.filename or template), exc.lineno),
                f"template error: {exc.message}",
                "fix the template's syntax",
            )]) from None
        except jinja2.UndefinedError as exc:
            raise VeilError([Problem(
                Location(Path(self._origin(template))),
                f"template `{template}` uses something that does not exist: {exc.message}",
                "see docs/theming.md for the variables each template receives",
            )]) from None

    def _origin(self, template: str) -> str:
        try:
            return self.env.get_template(template).filename or template
        except jinja2.TemplateError:
            return template


Helper = Callable[..., Any]
