"""Run the pipeline: discover, parse, route, assemble, resolve, plan, render, audit, write."""

from __future__ import annotations

import gc
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache as cache_result
from pathlib import Path

from .audit import FEW_OUTPUTS, LeakCheck, leak_check_for
from .body_edits import LastBuild, saved_documents, swap_edited_bodies
from .cache import BuildCache, OutputRecord, default_cache_dir
from .config import SiteConfig, load_config
from .content_warnings import load_vocabulary
from .errors import Diagnostics, Location, Problem, VeilError
from .fingerprints import fingerprint
from .lookahead import Lookahead
from .machine_key import seal
from .model import MissingBody, Privacy
from .outputs.base import Output, PageMaker, current_bodies, drop_views
from .passwords import Passwords, env_name, load_passwords
from .pipeline.assemble import assemble
from .pipeline.discover import discover, escaping_links
from .pipeline.links import Body, resolve_links
from .pipeline.markdown import warm_up
from .pipeline.parse import ParsedSource, parse_sources
from .pipeline.plan import plan_outputs
from .pipeline.route import route
from .produce import DiskState, Production, produce_outputs
from .protect import PayloadCache, Protector
from .reads import CurrentBodies
from .resume import KeptParses, SavedModel, delete_saved_models, load_model, save_model
from .shape import site_shape
from .site import Site
from .snapshot import Inputs, inputs_fingerprint, remember, unchanged_since_last_build
from .templates import TemplateRenderer
from .write import (
    KEEP,
    WriteReport,
    apply_staged,
    check_cache_dir,
    check_output_dir,
    discard_staging,
    files_on_disk,
    staging_folder,
)


@dataclass
class BuildResult:
    site: Site | None  # None when nothing changed and the site was not loaded
    output: Path
    paths: tuple[str, ...]  # every file of the built site
    warnings: list[Problem] = field(default_factory=list)
    report: WriteReport | None = None
    seconds: float = 0.0
    rendered: int = 0  # outputs made again by this build
    parsed: int = 0  # sources parsed again (not found in the cache)
    fingerprinted: int = 0  # outputs whose fingerprint was taken (the rest kept theirs)

    @property
    def files(self) -> Mapping[str, bytes]:
        """The built site's files, read from the output folder when asked for."""
        return _OutputFiles(self.output, self.paths)


class _OutputFiles(Mapping[str, bytes]):
    def __init__(self, folder: Path, paths: tuple[str, ...]):
        self.folder = folder
        self.paths = paths
        self.known = frozenset(paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self.known:
            raise KeyError(path)
        return (self.folder / path).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


@dataclass
class BuildState:
    """What one process keeps between builds of a site (`veil watch`): the cache, and the
    output folder's files as the last build left them (so they need not be looked at)."""

    cache: BuildCache
    on_disk: DiskState | None = None
    generation: str | None = None  # of the output folder when `on_disk` was taken
    folder_as_left: tuple[int, int, int] | None = None  # `folder_identity` then
    records: dict[str, OutputRecord] | None = None  # the outputs' records, as saved then
    # the records as another process's build saved them, read ahead for the first save
    # (with the folder's generation then); unlike `records`, not this process's own
    records_read: tuple[str | None, dict[str, OutputRecord]] | None = None
    leak_check: LeakCheck | None = None  # the last build's, reused while it fits
    # the last build's views of listed posts, and the shape of the site they were made in
    views: dict[object, object] = field(default_factory=dict)
    views_shape: str | None = None
    last: LastBuild | None = None  # the last build's site and outputs, while they may serve

    def forget_site(self) -> None:
        """Let go of the site, parses and views kept from earlier builds."""
        self.last, self.leak_check, self.views, self.views_shape = None, None, {}, None
        self.cache.remembered.clear()
        self.cache.discard_pending()

    def files_on_disk(self, output: Path) -> DiskState:
        """The output folder's files: as this process left them, unless another process
        has built into the folder since, or the folder itself was removed or changed
        (then they are looked at again)."""
        if (self.on_disk is not None and self.generation == self.cache.generation(output)
                and self.folder_as_left == folder_identity(output)):
            return self.on_disk
        return files_on_disk(output)

    def output_records(self, output: Path) -> dict[str, OutputRecord]:
        """What the cache holds of each output, kept by this process like `on_disk`."""
        generation = self.cache.generation(output)
        if self.records is not None and self.generation == generation:
            return self.records
        if self.records_read is not None and self.records_read[0] == generation:
            return self.records_read[1]
        return self.cache.outputs(output)


def load_site(root: Path, *, strict: bool = False, now: datetime | None = None,
              diagnostics: Diagnostics | None = None, preview_drafts: bool = False,
              cache: BuildCache | None = None, inputs: Inputs | None = None
              ) -> tuple[Site, dict[str, Body], tuple[Path, ...], Protector, Diagnostics,
                         list[ParsedSource]]:
    """Everything up to the site model and resolved bodies; raises VeilError on errors.
    `inputs`: the sizes and times of the site's files, taken just before (not again)."""
    diagnostics = diagnostics or Diagnostics(strict=strict)
    cache = cache or BuildCache(None)
    config = load_config(root, diagnostics)
    vocabulary = load_vocabulary(root, diagnostics)
    diagnostics.raise_if_errors()
    assert config is not None
    sources = discover(root)
    for link in escaping_links(root):
        diagnostics.error(Location(link), "this is a link to something outside its folder: veil "
                          "reads only what is inside the site",
                          "copy the file into the site instead of linking to it")
    parsed = parse_sources(sources.documents, config, vocabulary, diagnostics, cache,
                           stats=inputs.documents if inputs is not None else None)
    passwords = load_passwords(root, diagnostics)
    urls = route(parsed, diagnostics, passwords.address_key)
    site = assemble(parsed, urls, config, vocabulary, now or datetime.now(config.timezone),
                    preview_drafts=preview_drafts)
    bodies = resolve_links(site, diagnostics)
    protector = _protector(root, config, parsed, diagnostics, cache, passwords)
    diagnostics.raise_if_errors()
    return site, bodies, sources.static, protector, diagnostics, parsed


def _protector(root: Path, config: SiteConfig, parsed: list[ParsedSource],
               diagnostics: Diagnostics, cache: BuildCache,
               passwords: Passwords | None = None) -> Protector:
    """Each protected post's circle passwords; a missing one stops the build."""
    passwords = passwords or load_passwords(root, diagnostics)
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
                     PayloadCache(cache.folder / "protected" if cache.folder else None,
                                  writable=cache.writable))


def render_site(root: Path, *, strict: bool = False, now: datetime | None = None,
                preview_drafts: bool = False, cache_dir: Path | None = None) -> BuildResult:
    """Build and check the whole site without touching its output folder (`veil check`)."""
    root = root.resolve()
    with tempfile.TemporaryDirectory(prefix="veil-check-") as folder:
        output = Path(folder) / "site"
        cache = BuildCache(default_cache_dir(root, cache_dir), read_only=True)
        return build_site(root, output, strict=strict, now=now,
                          preview_drafts=preview_drafts, state=BuildState(cache))


def build_site(root: Path, output: Path | None = None, *, strict: bool = False,
               now: datetime | None = None, preview_drafts: bool = False,
               state: BuildState | None = None,
               progress: Callable[[int, int], None] | None = None,
               cache_dir: Path | None = None,
               changed: set[Path] | None = None, trust_watcher: bool = False) -> BuildResult:
    """Build the site into `output`, making again only what changed since the last build.
    `changed`: the files saved since the last build with this `state`, as a watcher saw
    them (when only bodies changed, the site need not be loaded again). With
    `trust_watcher`, the other documents are not looked at: the caller looks at every
    input after the build (`inputs_as_last_built`) and builds again if one was missed."""
    started = time.perf_counter()
    root = root.resolve()
    output = (output or root / "site").resolve()
    check_output_dir(output, root)
    state = state or BuildState(BuildCache(default_cache_dir(root, cache_dir)))
    check_cache_dir(state.cache.folder, output, root)
    # A new process looks at the output folder on the other core while it reads the site.
    as_left = Lookahead(lambda: state.files_on_disk(output), ahead=state.on_disk is None)
    try:
        try:
            return _build(state, root, output, as_left, strict=strict, now=now,
                          preview_drafts=preview_drafts, progress=progress, changed=changed,
                          trust_watcher=trust_watcher, started=started)
        except MissingBody:
            # Another process sharing the cache dropped a body this one still held (nothing
            # was written): what this process keeps is let go and the site read again.
            state.forget_site()
            state.cache.save_model_mark(output, None)  # its model may hold that body too
            return _build(state, root, output, as_left, strict=strict, now=now,
                          preview_drafts=preview_drafts, progress=progress, changed=None,
                          trust_watcher=False, started=started)
    finally:
        as_left.cancel()


def _build(state: BuildState, root: Path, output: Path,
           as_left: Lookahead[DiskState], *, strict: bool,
           now: datetime | None, preview_drafts: bool,
           progress: Callable[[int, int], None] | None, changed: set[Path] | None,
           trust_watcher: bool, started: float) -> BuildResult:
    cache = state.cache
    options = (str(output), strict, preview_drafts)
    if (changed is not None and state.last is not None and state.last.options == options
            and state.generation == cache.generation(output)):
        last, state.last = state.last, None  # given back below if the build goes well
        inputs = inputs_fingerprint(root, options, last=last.inputs if trust_watcher else None,
                                    reported=changed)
        saved = saved_documents(last, inputs, changed, root / "content")
        try:
            edited = (swap_edited_bodies(last, saved, now or datetime.now(UTC), cache)
                      if saved is not None else None)
        except BaseException:
            cache.discard_pending()
            raise
        if edited is not None:
            cache.flush()
            return _produce_and_write(state, output, _Loaded(
                last.site, last.bodies, last.outputs, last.maker, last.parsed, inputs,
                last.shape, Diagnostics(strict=strict, problems=list(last.warnings)),
                edited.stale), options, started, progress)
        if trust_watcher:  # the site is loaded: the documents it reads are all looked at
            inputs = inputs_fingerprint(root, options)
    else:
        inputs = inputs_fingerprint(root, options)
    state.last = None
    records = cache_result(lambda: state.output_records(output))
    replayed = unchanged_since_last_build(cache, output, inputs, now or datetime.now(UTC),
                                          lambda: (as_left.result(), records()))
    if replayed is not None:
        paths = tuple(sorted(records()))
        return BuildResult(None, output, paths, replayed, WriteReport(0, len(paths), 0),
                           time.perf_counter() - started)
    resumed = _resume(state, root, output, as_left, records, options, inputs, strict=strict,
                      now=now, started=started, progress=progress)
    if resumed is not None:
        return resumed
    try:
        site, bodies, static_files, protector, diagnostics, parsed = load_site(
            root, strict=strict, now=now, preview_drafts=preview_drafts, cache=cache,
            inputs=inputs)
    except BaseException:
        cache.discard_pending()
        raise
    cache.flush()
    with _long_lived():
        renderer = _renderer(cache, site.config)
        read = _read_besides_documents(site, renderer, protector)
        shape = site_shape(inputs, site, *read)
        if shape is not None and shape == state.views_shape:
            drop_views(state.views, current_bodies(site))
            site.views.update(state.views)
        maker = PageMaker(site, renderer)
        outputs = plan_outputs(site, bodies, static_files, maker, protector, diagnostics)
        diagnostics.raise_if_errors()
        on_disk, previous = as_left.result(), records()
        result = _produce_and_write(
            state, output, _Loaded(site, bodies, outputs, maker,
                                   {p.source.path: p for p in parsed}, inputs, shape,
                                   diagnostics),
            options, started, progress, on_disk, previous)
        if cache.drop_unused({p.rendered.key for p in parsed}):
            delete_saved_models(cache)
        protector.keep_only_current()
        last = state.last
        # Kept only if every input is still as it was when the build began: a file made or
        # removed while the site was read would be in the model but not in its inputs.
        if last is not None and _still(root, options, last.inputs):
            save_model(cache, output, SavedModel(
                options, site, bodies, KeptParses.of(last.parsed), static_files, last.inputs,
                read, last.shape, last.warnings, last.next_change))
        return result


def get_ready_for_saves(state: BuildState, root: Path, output: Path, *,
                        strict: bool = False, preview_drafts: bool = False) -> None:
    """Make what the first rebuild after a save would otherwise make first (`veil watch`
    and `veil serve`, after their first build; at 10,000 posts about 2 s the writer's
    first save then does not wait for): the site, when the first build found nothing
    changed and did not load it (from the model the last build saved), and its leak
    check with the index of its needles; and the Markdown renderer's first use."""
    warm_up()
    root, output = root.resolve(), output.resolve()
    if state.last is None:
        _keep_saved_model(state, root, output, (str(output), strict, preview_drafts))
    last = state.last
    if last is None:
        return
    check = _leak_check(state, last.site, last.bodies)
    check.prepare(FEW_OUTPUTS + 1, frozenset(o.path for o in last.outputs))
    check.forget_outputs()


def _keep_saved_model(state: BuildState, root: Path, output: Path,
                      options: tuple[object, ...]) -> None:
    """The saved model as this process's last build, when the output folder was built
    from it and no input changed since (a save then takes the watch's quick way)."""
    cache = state.cache
    inputs = inputs_fingerprint(root, options)
    generation, folder = cache.generation(output), folder_identity(output)
    as_left = cache_result(lambda: (files_on_disk(output), cache.outputs(output)))
    if (inputs is None or not inputs.trusted(inputs.newest)
            or unchanged_since_last_build(cache, output, inputs, datetime.now(UTC),
                                          as_left) is None):
        return
    # (posts saved by `veil watch` after the model was are swapped in)
    found = _saved_model_as_now(cache, root, output, options, inputs, datetime.now(UTC))
    if found is None:
        return
    model = found[0]
    with _long_lived():
        planned = _planned_from_model(root, cache, model, Diagnostics())
    if planned is None or cache.generation(output) != generation:
        return  # (another process built into the folder meanwhile)
    maker, outputs = planned
    state.last = LastBuild(options, model.site, model.bodies, outputs, maker, model.parsed,
                           inputs, model.shape, model.warnings, model.next_change)
    state.generation = generation
    # (its records serve the first save, which does not take them for its own, like a new
    # process's build resumed from the model)
    state.on_disk, state.folder_as_left = as_left()[0], folder
    state.records_read = (generation, as_left()[1])


def inputs_as_last_built(state: BuildState, root: Path) -> bool:
    """Every input is as the last build with `state` took it to be (after a build that
    trusted the watcher; false when one of its saves was missed)."""
    last = state.last
    return last is None or _still(root, last.options, last.inputs)


def _still(root: Path, options: tuple[object, ...], inputs: Inputs) -> bool:
    now = inputs_fingerprint(root, options)
    return now is not None and now.everything == inputs.everything


def _renderer(cache: BuildCache, config: SiteConfig) -> TemplateRenderer:
    """Compiled templates are kept in the cache, when it can be written."""
    compiled = cache.folder / "templates" if cache.writable and cache.folder else None
    return TemplateRenderer(config, compiled)


def _read_besides_documents(site: Site, renderer: TemplateRenderer,
                            protector: Protector) -> tuple[str, ...]:
    """Digests of what the build read besides the documents, as read (see `site_shape`)."""
    return (renderer.digest, fingerprint("settings", site.config, site.vocabulary),
            seal((protector.digest(),)))


def _resume(state: BuildState, root: Path, output: Path, as_left: Lookahead[DiskState],
            records: Callable[[], dict[str, OutputRecord]], options: tuple[object, ...],
            inputs: Inputs | None, *, strict: bool, now: datetime | None, started: float,
            progress: Callable[[int, int], None] | None) -> BuildResult | None:
    """A new process's build after only post bodies were edited: the site model an earlier
    build saved, with the new bodies swapped in (see `resume`). None when it does not
    serve, and the site is to be loaded."""
    if state.last is not None:
        return None
    cache = state.cache
    found = _saved_model_as_now(cache, root, output, options, inputs, now or datetime.now(UTC))
    if found is None or not found[1]:
        return None
    model = found[0]
    diagnostics = Diagnostics(strict=strict, problems=list(model.warnings))
    with _long_lived():
        planned = _planned_from_model(root, cache, model, diagnostics)
        if planned is None:
            return None
        maker, outputs = planned
        return _produce_and_write(
            state, output, _Loaded(model.site, model.bodies, outputs, maker, model.parsed,
                                   inputs, model.shape, diagnostics),
            options, started, progress, as_left.result(), records())


def _saved_model_as_now(cache: BuildCache, root: Path, output: Path,
                        options: tuple[object, ...], inputs: Inputs | None, now: datetime
                        ) -> tuple[SavedModel, bool] | None:
    """The site model the last full load saved, with the new bodies of the documents saved
    since swapped in, and whether there were any; None when it does not fit (the site is
    to be loaded)."""
    model = load_model(cache, output, options, inputs)
    if model is None:
        return None
    try:
        saved = saved_documents(model, inputs, set(), root / "content")
        edited = swap_edited_bodies(model, saved, now, cache) if saved else None
    except Exception as error:
        cache.discard_pending()
        if isinstance(error, VeilError):
            raise
        return None  # a model that does not fit after all: the site is loaded instead
    except BaseException:
        cache.discard_pending()
        raise
    if saved is None or (saved and edited is None):
        return None
    if saved:
        cache.flush()
    return model, bool(saved)


def _planned_from_model(root: Path, cache: BuildCache, model: SavedModel,
                        diagnostics: Diagnostics) -> tuple[PageMaker, list[Output]] | None:
    """The outputs of a saved model's site; None when a template or password changed after
    the model's files were looked at."""
    site = model.site
    renderer = _renderer(cache, site.config)
    protected = [model.parsed[d.source] for d in site.all_documents_for_routing()
                 if d.privacy is Privacy.PROTECTED]  # the others' parses are not read
    protector = _protector(root, site.config, protected, diagnostics, cache)
    if _read_besides_documents(site, renderer, protector) != model.read:
        return None
    maker = PageMaker(site, renderer)
    outputs = plan_outputs(site, model.bodies, model.static_files, maker, protector,
                           diagnostics)
    diagnostics.raise_if_errors()
    return maker, outputs


@dataclass(frozen=True, slots=True)
class _Loaded:
    """A site ready to have its outputs made."""

    site: Site
    bodies: dict[str, Body]
    outputs: list[Output]
    maker: PageMaker
    parsed: MutableMapping[Path, ParsedSource]
    inputs: Inputs | None  # as they were when the build began
    shape: str | None
    diagnostics: Diagnostics
    # the bodies gone since the last build of this process, whose outputs' records serve
    # while they are this process's own (None: told apart by all of this build's bodies)
    stale: frozenset[str] | None = None


def _produce_and_write(state: BuildState, output: Path, loaded: _Loaded,
                       options: tuple[object, ...], started: float,
                       progress: Callable[[int, int], None] | None,
                       on_disk: DiskState | None = None,
                       previous: dict[str, OutputRecord] | None = None) -> BuildResult:
    """Make, check and write the outputs of a loaded site; remember what was made."""
    cache, site, outputs = state.cache, loaded.site, loaded.outputs
    on_disk = state.files_on_disk(output) if on_disk is None else on_disk
    previous = state.output_records(output) if previous is None else previous
    with _long_lived():
        trusted = loaded.shape is not None and loaded.shape == cache.shape(output)
        staging = staging_folder(output)
        try:
            production = produce_outputs(
                outputs, loaded.maker, lambda: _leak_check(state, site, loaded.bodies),
                previous, on_disk, output, staging, progress,
                _current_bodies(site, loaded.stale if previous is state.records else None)
                if trusted else None)
        except BaseException:
            discard_staging(staging)
            raise
        paths = tuple(o.path for o in outputs)
        planned = set(paths)
        removed = sorted(p for p in on_disk if p not in planned and p not in KEEP)
        staged = [m.path for m in production.staged]
        cache.save_shape(output, None)  # until the records below match the files
        report = apply_staged(staging, output, staged, removed, len(outputs))
        state.records_read = None
        state.on_disk, state.records = _record_outputs(
            cache, output, production, previous, on_disk,
            set(removed) | (previous.keys() - planned))
        state.folder_as_left = folder_identity(output)
        cache.save_shape(output, loaded.shape)
        state.views, state.views_shape = site.views, loaded.shape
        state.generation = cache.new_generation(output)
        warnings = loaded.diagnostics.warnings
        next_change = _next_change(site)
        remember(cache, output, loaded.inputs, next_change, warnings)
        if loaded.shape is not None and loaded.inputs is not None:
            state.last = LastBuild(options, site, loaded.bodies, outputs, loaded.maker,
                                   loaded.parsed, loaded.inputs, loaded.shape, warnings,
                                   next_change)
        return BuildResult(site, output, paths, warnings, report,
                           time.perf_counter() - started, len(production.made),
                           cache.parsed_anew, production.fingerprinted)


def folder_identity(folder: Path) -> tuple[int, int, int] | None:
    """Tells a folder from one made again in its place, or one whose own entries changed
    (the output folder removed while `veil watch` runs, say)."""
    try:
        stat = folder.stat()
    except OSError:
        return None
    return (stat.st_dev, stat.st_ino, stat.st_mtime_ns)


def _current_bodies(site: Site, stale: frozenset[str] | None) -> CurrentBodies:
    return CurrentBodies(stale=stale) if stale is not None else current_bodies(site)


@contextmanager
def _long_lived() -> Iterator[None]:
    """The site model lives as long as the build: garbage collection need not keep looking
    at it (at 10,000 posts that looking would take a good part of the build)."""
    frozen_here = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if frozen_here:
            gc.unfreeze()


def _leak_check(state: BuildState, site: Site, bodies: dict[str, Body]) -> LeakCheck:
    state.leak_check = leak_check_for(site, bodies, state.cache, state.leak_check)
    return state.leak_check


def _next_change(site: Site) -> datetime | None:
    """The first moment a dated document will appear (a future post's date)."""
    later = [d.date for d in site.all_documents_for_routing() if d.date and d.date > site.now]
    return min(later, default=None)


def _record_outputs(cache: BuildCache, output: Path, production: Production,
                    previous: dict[str, OutputRecord], on_disk: DiskState,
                    gone: set[str]) -> tuple[DiskState, dict[str, OutputRecord]]:
    """Remember what each output was made from and how its file was left; forget the
    outputs no longer built. Returns the files on disk and every output's record."""
    disk = {path: stat for path, stat in on_disk.items() if path not in gone}
    records = {path: replace(previous[path], reads=body_reads)
               for path, body_reads in production.reread.items()}
    for made in production.made:
        if made.staged:
            stat = (output / made.path).stat()
            disk[made.path] = (stat.st_size, stat.st_mtime_ns)
        size, mtime = disk[made.path]
        records[made.path] = OutputRecord(made.key, made.sha, size, mtime, made.reads)
    cache.save_outputs(output, records, gone)
    return disk, {**{p: r for p, r in previous.items() if p not in gone}, **records}
