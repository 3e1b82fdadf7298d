"""A new process picks up the last build's site model when only post bodies changed.

`veil watch` keeps the last build's site in memory and swaps in the bodies of edited posts
(see `body_edits`). A `veil build` run after editing one post would otherwise load the
whole site again: at 10,000 posts that load is most of its time. So after each build that
loaded the site, its model (documents, bodies, the parse of each source) is saved in the
cache; the next process reads it back instead, and the same checks as in `veil watch`
decide whether it still holds: every input but the Markdown documents is as it was, the
same documents exist, and each changed one differs only in its body.

The saved model is an older build's, not necessarily the last one's: that is safe, as it
is only used for inputs that differ from its own in nothing but bodies, and a site
assembled from those inputs is that model with those bodies. It is read only when the
header saying which inputs it was made from matches, and only into veil's own classes and
plain data; anything else in the file (another version's, a damaged one) is ignored.
"""

from __future__ import annotations

import gc
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from enum import Enum
from functools import cache
from operator import attrgetter
from pathlib import Path, PurePath
from typing import Any
from zoneinfo import ZoneInfo

from .cache import BuildCache
from .errors import Problem
from .pipeline.links import Body
from .pipeline.parse import ParsedSource
from .site import Site
from .snapshot import Inputs

FORMAT = b"veil-model-1"
# Where the classes of a saved model come from; a file that names any other is not read.
_MODULES = ("veil.", "datetime", "pathlib", "zoneinfo", "collections")


@dataclass(frozen=True, slots=True)
class SavedModel:
    """A loaded site as a build left it, before its outputs were planned."""

    options: tuple[object, ...]  # output folder, --strict, drafts preview
    site: Site
    bodies: dict[str, Body]
    parsed: dict[Path, ParsedSource]  # by source path
    static_files: tuple[Path, ...]
    inputs: Inputs  # as they were when that build began
    read: tuple[str, ...]  # digests of the templates, settings and passwords it read
    shape: str
    warnings: list[Problem]
    next_change: datetime | None


def save_model(cache: BuildCache, output: Path, model: SavedModel) -> None:
    """Keep `model` for the next process that builds into `output`."""
    if not cache.writable or cache.folder is None:
        return
    path = _place(cache.folder, output)
    buffer = io.BytesIO()
    try:
        _ModelPickler(buffer, pickle.HIGHEST_PROTOCOL).dump(model)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    data = buffer.getbuffer()
    # The bodies a model does not hold are in the cache database it was saved beside;
    # bodies are never taken out of it, so while the database holds this mark, it holds them.
    mark = os.urandom(16).hex()
    header = _header(model.options, model.inputs.besides_documents, mark)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as file:
            file.write(header + hashlib.sha256(data).digest())
            file.write(data)
        cache.save_model_mark(output, None)  # no model while the file is replaced
        os.replace(temporary, path)
        cache.save_model_mark(output, mark)
    except OSError:
        with suppress(OSError):
            temporary.unlink()


def load_model(cache: BuildCache, output: Path, options: tuple[object, ...],
               inputs: Inputs | None) -> SavedModel | None:
    """The model saved for `output` by a build with these options and these inputs besides
    the documents; None when there is none that fits."""
    if inputs is None or cache.folder is None:
        return None
    try:
        raw = _place(cache.folder, output).read_bytes()
    except OSError:
        return None
    mark = cache.model_mark(output)
    if mark is None:
        return None
    header = _header(options, inputs.besides_documents, mark)
    digest, data = raw[len(header):len(header) + 32], memoryview(raw)[len(header) + 32:]
    if not raw.startswith(header) or hashlib.sha256(data).digest() != digest:
        return None
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of objects, none of them garbage
    try:
        model = _ModelUnpickler(io.BytesIO(data)).load()
    except Exception:  # whatever the file holds, it is only not used
        return None
    finally:
        if collecting:
            gc.enable()
    if not isinstance(model, SavedModel) or model.options != options:
        return None
    for item in model.parsed.values():  # the documents share these
        if not item.rendered.in_memory:
            item.rendered.offload(cache)
    return model


def _place(folder: Path, output: Path) -> Path:
    name = hashlib.sha256(str(output).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return folder / "models" / f"{name}.pickle"


def _header(options: tuple[object, ...], besides_documents: str, mark: str) -> bytes:
    made_by = f"{sys.version} {sys.platform} {options!r} {besides_documents} {mark}"
    return FORMAT + hashlib.sha256(made_by.encode("utf-8", "surrogatepass")).digest()


class _ModelPickler(pickle.Pickler):
    """Saves frozen dataclasses by their fields, enums by their values, time zones by their
    names: each is then made again by calling its class, the one kind of callable a model
    file may name."""

    def reducer_override(self, obj: Any) -> Any:
        reduce = _reducer(type(obj))
        return NotImplemented if reduce is None else reduce(obj)


Reduced = tuple[type, tuple[Any, ...]]


@cache
def _reducer(cls: type) -> Callable[[Any], Reduced] | None:
    """How objects of `cls` are saved; None: as usual (their class and state)."""
    if issubclass(cls, Enum):
        return lambda member: (cls, (member.value,))
    if issubclass(cls, ZoneInfo):
        return lambda zone: (cls, (zone.key,)) if zone.key is not None else NotImplemented
    if issubclass(cls, PurePath):  # one string is parsed quicker than its parts
        return lambda path: (cls, (str(path),))
    if issubclass(cls, Site):  # what it works out from its documents is made again
        return lambda site: (cls, (site.config, site.vocabulary, site.now,
                                   site.all_documents_for_routing(), site.preview_drafts))
    if not (is_dataclass(cls) and "__slots__" in cls.__dict__):
        return None
    found = fields(cls)
    if not found or any(not f.init for f in found):
        return None
    if len(found) == 1:
        name = found[0].name
        return lambda obj: (cls, (getattr(obj, name),))
    values = attrgetter(*(f.name for f in found))
    return lambda obj: (cls, values(obj))


class _ModelUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module.startswith(_MODULES) or module == "builtins":
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a site model")
