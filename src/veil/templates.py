"""Jinja environment with the loader chain: site templates/ > site theme > built-in theme."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from .config import SiteConfig
from .errors import Location, Problem, VeilError
from .themes import theme_search_path


def theme_dirs(config: SiteConfig) -> list[Path]:
    """Theme folders in the order they are searched (each has templates/ and static/)."""
    dirs = theme_search_path(config.root, config.theme)
    assert dirs is not None, "config validation checks that the theme exists"
    return dirs


def _template_frame(exc: BaseException) -> tuple[Path, int] | None:
    """The innermost template file and line in a rendering error's traceback."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (Path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


class _SnapshotLoader(jinja2.FileSystemLoader):
    """The templates as they were when the loader was made: a build renders with exactly
    the templates whose digest its outputs' fingerprints hold, even when one is saved while
    it runs (or while `veil watch` keeps the build's site for the next save)."""

    def __init__(self, searchpath: list[str]):
        super().__init__(searchpath)
        self.sources: dict[str, tuple[str, str]] = {}  # name -> source, file
        digest = hashlib.sha256()
        for folder in self.searchpath:
            for path in sorted(Path(folder).rglob("*")):
                if not path.is_file():
                    continue
                data = path.read_bytes()
                digest.update(str(path).encode() + b"\0" + data)
                name = path.relative_to(folder).as_posix()
                if name in self.sources:
                    continue  # an earlier folder's template of that name wins
                with suppress(UnicodeDecodeError):  # read (and refused) when used
                    # as a text file is read: every line ending a "\n"
                    text = data.decode(self.encoding).replace("\r\n", "\n").replace("\r", "\n")
                    self.sources[name] = (text, os.path.normpath(path))
        self.digest = digest.hexdigest()  # of every file the loader can see

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool]]:
        found = self.sources.get(template)
        if found is None:  # not seen when made (inside a linked folder, say): kept as read
            source, filename, _ = super().get_source(environment, template)
            found = self.sources[template] = (source, filename or template)
        return found[0], found[1], lambda: True


def make_environment(config: SiteConfig, compiled: Path | None = None) -> jinja2.Environment:
    """`compiled`: a folder where compiled templates are kept between builds (each under a
    hash of its name and source, so an edited template is compiled again)."""
    search = [config.root / "templates"] + [d / "templates" for d in theme_dirs(config)]
    bytecode = None
    if compiled is not None:
        try:
            compiled.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(compiled))
        except OSError:  # an unwritable cache only costs time
            bytecode = None
    env = _Environment(
        loader=_SnapshotLoader([str(p) for p in search if p.is_dir()]),
        bytecode_cache=bytecode,
        auto_reload=False,  # the loader's templates never change (`_SnapshotLoader`)
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


class _Environment(jinja2.Environment):
    """Looks up `x.name` in a dict as a key first. Templates receive their data as dicts,
    for which Jinja tries the attribute first and takes the key only after the attribute
    failed: an exception raised and caught for almost every name a page shows."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class _References:
    """The templates each template source names (extends, includes, imports), kept in a
    file beside the compiled templates so that a new process need not parse them again."""

    def __init__(self, path: Path | None):
        self.path = path
        self.known: dict[str, list[str] | None] | None = None

    def of(self, source: str, env: jinja2.Environment) -> list[str] | None:
        """None when the source names a template by a variable, or does not parse."""
        if self.known is None:
            self.known = self._load()
        key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        if key not in self.known:
            try:
                found = list(jinja2.meta.find_referenced_templates(env.parse(source)))
                self.known[key] = None if None in found else [str(r) for r in found]
            except jinja2.TemplateSyntaxError:
                self.known[key] = None
            self._save()
        return self.known[key]

    def _load(self) -> dict[str, list[str] | None]:
        if self.path is None:
            return {}
        try:
            value = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(value, dict):
            return {}
        return {k: v for k, v in value.items() if v is None or (
            isinstance(v, list) and all(isinstance(item, str) for item in v))}

    def _save(self) -> None:
        if self.path is not None:
            with suppress(OSError):
                temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
                temporary.write_text(json.dumps(self.known), encoding="utf-8")
                temporary.replace(self.path)


class TemplateRenderer:
    def __init__(self, config: SiteConfig, compiled: Path | None = None):
        self.config = config
        self.env = make_environment(config, compiled)
        assert isinstance(self.env.loader, _SnapshotLoader)
        self.digest = self.env.loader.digest
        self.references = _References(compiled / "references.json" if compiled else None)
        self._closures: dict[str, str] = {}

    def digest_for(self, template: str) -> str:
        """A hash of `template` and of every template it extends, includes or imports, as
        this renderer's loader has them (a site's own copy wins over the theme's). When one
        of them names another by a variable, or does not parse, every template counts."""
        found = self._closures.get(template)
        if found is None:
            found = self._closures[template] = self._closure_digest(template)
        return found

    def _closure_digest(self, template: str) -> str:
        parts = []

        def visit(name: str, source: str | None, filename: str | None) -> list[str] | None:
            if source is None:
                parts.append(f"{name}: none")
                return []
            referenced = self.references.of(source, self.env)
            if referenced is not None:
                parts.append(f"{name}: {filename}: {hashlib.sha256(source.encode()).hexdigest()}")
            return referenced

        if not self._visit_closure(template, visit):
            return self.digest
        return hashlib.sha256("\n".join(sorted(parts)).encode()).hexdigest()

    def origin(self, template: str) -> Path | None:
        """The file `template` is loaded from; None when there is none."""
        loader = self.env.loader
        assert loader is not None
        try:
            return Path(loader.get_source(self.env, template)[1] or template)
        except jinja2.TemplateNotFound:
            return None

    def reads_variable(self, template: str, variable: str) -> bool | None:
        """Whether `template`, or a template it extends, includes or imports, reads
        `variable` from what it is given; None when that cannot be told (a template
        missing, named by a variable, or not parsing)."""
        reads = False

        def visit(name: str, source: str | None, filename: str | None) -> list[str] | None:
            nonlocal reads
            if source is None:
                return None
            try:
                parsed = self.env.parse(source)
            except jinja2.TemplateSyntaxError:
                return None
            referenced = list(jinja2.meta.find_referenced_templates(parsed))
            if None in referenced:
                return None
            reads = reads or variable in jinja2.meta.find_undeclared_variables(parsed)
            return [str(r) for r in referenced]

        return reads if self._visit_closure(template, visit) else None

    def _visit_closure(self, template: str,
                       visit: Callable[[str, str | None, str | None], list[str] | None]
                       ) -> bool:
        """`visit(name, source, file)` for `template` and every template it extends,
        includes or imports, once each (source and file None for one not found); `visit`
        gives the templates its source names, or None to stop. False when it stopped."""
        loader = self.env.loader
        assert loader is not None
        seen: set[str] = set()
        pending = [template]
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            try:
                source, filename, _ = loader.get_source(self.env, name)
            except jinja2.TemplateNotFound:
                source = filename = None
            referenced = visit(name, source, filename)
            if referenced is None:
                return False
            pending.extend(referenced)
        return True

    def render(self, template: str, context: dict[str, Any]) -> str:
        try:
            return self.env.get_template(template).render(context)
        except jinja2.TemplateSyntaxError as exc:
            raise VeilError([Problem(
                Location(Path(exc.filename or template), exc.lineno),
                f"template error: {exc.message}",
                "fix the template's syntax",
            )]) from None
        except jinja2.TemplateNotFound as exc:
            raise VeilError([Problem(
                Location(self.config.root / "templates"),
                f"no template `{exc.name}` in the site's templates/ or its theme",
                f"copy `{exc.name}` from veil's default theme into templates/, or remove the "
                "template that asks for it",
            )]) from None
        except jinja2.UndefinedError as exc:
            raise VeilError([Problem(
                Location(Path(self._origin(template))),
                f"template `{template}` uses something that does not exist: {exc.message}",
                "see docs/theming.md for the variables each template receives",
            )]) from None

        except VeilError:
            raise
        except Exception as exc:  # a theme's own mistake, e.g. looping over a number
            where = _template_frame(exc) or (Path(self._origin(template)), None)
            raise VeilError([Problem(
                Location(*where),
                f"template error while rendering `{template}`: {exc}",
                "fix the template at this line (see docs/theming.md for what it receives)",
            )]) from None

    def _origin(self, template: str) -> str:
        try:
            return self.env.get_template(template).filename or template
        except jinja2.TemplateError:
            return template

