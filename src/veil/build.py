"""Run the pipeline: discover, parse, route, assemble, resolve, plan, render, audit, write."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .audit import audit_images, audit_outputs
from .config import SiteConfig, load_config
from .content_warnings import load_vocabulary
from .errors import Diagnostics, Location, Problem
from .memo import BuildMemo, MarkdownStore
from .model import Privacy
from .passwords import env_name, load_passwords
from .pipeline.assemble import assemble
from .pipeline.discover import discover, escaping_links
from .pipeline.links import resolve_links
from .pipeline.parse import ParsedSource, parse_source
from .pipeline.plan import plan_outputs
from .pipeline.route import route
from .protect import PayloadCache, Protector
from .site import Site
from .templates import TemplateRenderer
from .write import WriteReport, check_output_dir, write_site


@dataclass
class BuildResult:
    site: Site
    files: dict[str, bytes]
    warnings: list[Problem] = field(default_factory=list)
    report: WriteReport | None = None
    seconds: float = 0.0


CACHE_DIR = ".veil-cache"


def load_site(root: Path, *, strict: bool = False, now: datetime | None = None,
              diagnostics: Diagnostics | None = None, preview_drafts: bool = False,
              memo: BuildMemo | None = None
              ) -> tuple[Site, dict[str, str], tuple[Path, ...], Protector, Diagnostics]:
    """Everything up to the site model and resolved bodies; raises VeilError on errors."""
    diagnostics = diagnostics or Diagnostics(strict=strict)
    config = load_config(root, diagnostics)
    vocabulary = load_vocabulary(root, diagnostics)
    diagnostics.raise_if_errors()
    assert config is not None
    sources = discover(root)
    for link in escaping_links(root):
        diagnostics.error(Location(link), "this is a link to something outside its folder: veil "
                          "reads only what is inside the site",
                          "copy the file into the site instead of linking to it")
    parsed: list[ParsedSource] = []
    for source in sources.documents:
        item = parse_source(source, config, vocabulary, diagnostics, memo)
        if item is not None:
            parsed.append(item)
    urls = route(parsed, diagnostics)
    site = assemble(parsed, urls, config, vocabulary, now or datetime.now(config.timezone),
                    preview_drafts=preview_drafts)
    bodies = resolve_links(site, diagnostics)
    protector = _protector(root, config, parsed, diagnostics)
    diagnostics.raise_if_errors()
    return site, bodies, sources.static, protector, diagnostics


def _protector(root: Path, config: SiteConfig, parsed: list[ParsedSource],
               diagnostics: Diagnostics) -> Protector:
    """Each protected post's circle passwords; a missing one stops the build."""
    passwords = load_passwords(root, diagnostics)
    passwords_for: dict[str, list[str]] = {}
    for item in parsed:
        if item.meta.privacy is not Privacy.PROTECTED:
            continue
        found = []
        for circle in item.meta.circles:
            password = passwords.for_circle(circle)
            if password is None:
                diagnostics.error(
                    item.circles_location,
                    f"no password for circle `{circle}`, so this protected post cannot be "
                    "published (it is never published in the clear)",
                    f"add `passwords: {{{circle}: ...}}` to secrets.yaml, or set "
                    f"{env_name(circle)}")
            else:
                found.append(password)
        passwords_for[item.source.key] = found
    return Protector(passwords_for, config.iterations,
                     PayloadCache(root / CACHE_DIR / "protected"))


def render_site(root: Path, *, strict: bool = False, now: datetime | None = None,
                preview_drafts: bool = False, memo: BuildMemo | None = None,
                progress: Callable[[int, int], None] | None = None) -> BuildResult:
    """Build the whole site in memory and audit it; nothing is written."""
    started = time.perf_counter()
    memo = memo or BuildMemo()
    if memo.store is None:
        memo.store = MarkdownStore(root.resolve() / CACHE_DIR / "markdown")
    memo.start_build()
    site, bodies, static_files, protector, diagnostics = load_site(
        root, strict=strict, now=now, preview_drafts=preview_drafts, memo=memo)
    outputs = plan_outputs(site, bodies, static_files, TemplateRenderer(site.config),
                           protector, diagnostics, memo)
    diagnostics.raise_if_errors()
    files = {}
    for done, output in enumerate(outputs, start=1):
        files[output.path] = output.produce()
        if progress is not None:
            progress(done, len(outputs))
    audit_outputs(site, files)
    audit_images(files)
    return BuildResult(site, files, diagnostics.warnings,
                       seconds=time.perf_counter() - started)


def build_site(root: Path, output: Path | None = None, *, strict: bool = False,
               now: datetime | None = None, preview_drafts: bool = False,
               memo: BuildMemo | None = None,
               progress: Callable[[int, int], None] | None = None) -> BuildResult:
    root = root.resolve()
    output = (output or root / "site").resolve()
    check_output_dir(output, root)
    memo = memo or BuildMemo()
    result = render_site(root, strict=strict, now=now, preview_drafts=preview_drafts,
                         memo=memo, progress=progress)
    result.report = write_site(result.files, output)
    if memo is not None and memo.store is not None:
        memo.store.flush()
    return result

