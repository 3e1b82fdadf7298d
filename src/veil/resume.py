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
header saying which inputs and which veil and libraries it was made from matches, and
only when it is signed with this machine's own key (kept outside the site, in the user's
state folder): a file made elsewhere, or changed, is never read. It is read into veil's
own classes and plain data only; anything else in the file is refused.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import io
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import suppress
from dataclasses import dataclass, fields, is_dataclass
from datetime import datetime
from enum import Enum
from functools import cache
from operator import attrgetter
from pathlib import Path, PurePath
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from .cache import BuildCache
from .errors import Problem
from .machine_key import machine_key
from .model import BodySource
from .pipeline.links import Body
from .pipeline.parse import ParsedSource
from .site import Site
from .snapshot import Inputs

FORMAT = b"veil-model-2"
MAC_SIZE = 32
# Where the classes of a saved model come from; a file that names any other is not read.
_MODULES = frozenset({"datetime", "pathlib", "zoneinfo"})


class KeptParses(MutableMapping[Path, ParsedSource]):
    """Each source's parse by its path, each kept as a pickle of its own and read back only
    when asked for: a build resumed after an edit needs the parses of the edited posts
    only (reading all 10,000 would be a third of reading the model)."""

    def __init__(self, pickled: dict[str, bytes]):
        self._pickled = pickled  # by the path as a string (paths are slow to make)
        self._read: dict[str, ParsedSource] = {}
        self._bodies: BodySource | None = None

    @classmethod
    def of(cls, parsed: Mapping[Path, ParsedSource]) -> KeptParses:
        return cls({str(path): _dumps(item) for path, item in parsed.items()})

    def read_bodies_from(self, bodies: BodySource) -> None:
        self._bodies = bodies

    def __getitem__(self, path: Path) -> ParsedSource:
        key = str(path)
        found = self._read.get(key)
        if found is None:
            found = _ModelUnpickler(io.BytesIO(self._pickled[key])).load()
            if not isinstance(found, ParsedSource):
                raise TypeError(f"{key}: not a parsed source")
            if self._bodies is not None and not found.rendered.in_memory:
                found.rendered.offload(self._bodies)
            self._read[key] = found
        return found

    def __setitem__(self, path: Path, item: ParsedSource) -> None:
        self._pickled.setdefault(str(path), b"")
        self._read[str(path)] = item

    def __delitem__(self, path: Path) -> None:
        del self._pickled[str(path)]
        self._read.pop(str(path), None)

    def __contains__(self, path: object) -> bool:
        return str(path) in self._pickled

    def __iter__(self) -> Iterator[Path]:
        return map(Path, self._pickled)

    def __len__(self) -> int:
        return len(self._pickled)

    def __reduce__(self) -> tuple[object, ...]:
        for key, item in self._read.items():  # the parses swapped in since it was read
            self._pickled[key] = _dumps(item)
        return (KeptParses, (self._pickled,))


@dataclass(frozen=True, slots=True)
class SavedModel:
    """A loaded site as a build left it, before its outputs were planned."""

    options: tuple[object, ...]  # output folder, --strict, drafts preview
    site: Site
    bodies: dict[str, Body]
    parsed: KeptParses  # by source path
    static_files: tuple[Path, ...]
    inputs: Inputs  # as they were when that build began
    read: tuple[str, ...]  # digests of what it read besides the documents (passwords sealed)
    shape: str
    warnings: list[Problem]
    next_change: datetime | None


def save_model(cache: BuildCache, output: Path, model: SavedModel) -> None:
    """Keep `model` for the next process that builds into `output` (when this machine has a
    key to sign it with). Failing to keep it only costs the next build time."""
    key = machine_key()
    if key is None or not cache.writable or cache.folder is None:
        return
    path = _place(cache.folder, output)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        # The bodies a model does not hold are in the cache database it was saved beside;
        # bodies are taken out of it only together with every model's mark
        # (`BuildCache.drop_unused`), so while the database holds this mark, it holds them.
        mark = os.urandom(16).hex()
        signer = _signer(key, model.options, model.inputs.besides_documents, mark)
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600),
                       "wb") as file:
            file.write(FORMAT + bytes(MAC_SIZE))  # the signature, once the model is written
            # written as it is pickled, not held whole first (at 10,000 posts, 17 MB more
            # at the very moment the build is largest)
            _ModelPickler(_Signing(file, signer), pickle.HIGHEST_PROTOCOL).dump(model)
            file.seek(len(FORMAT))
            file.write(signer.digest())
        cache.save_model_mark(output, None)  # no model while the file is replaced
        os.replace(temporary, path)
        cache.save_model_mark(output, mark)
    except Exception:  # the build itself went well: it is not failed for this
        with suppress(OSError):
            temporary.unlink()


def delete_saved_models(cache: BuildCache) -> None:
    """Delete every saved model's file (after `BuildCache.drop_unused`, which took away
    their marks: they may hold the titles and excerpts of posts since deleted or edited)."""
    if cache.folder is None:
        return
    for path in (cache.folder / "models").glob("*.pickle"):
        with suppress(OSError):
            path.unlink()


def load_model(cache: BuildCache, output: Path, options: tuple[object, ...],
               inputs: Inputs | None) -> SavedModel | None:
    """The model saved for `output` by a build with these options and these inputs besides
    the documents; None when there is none that fits."""
    key = machine_key()
    if key is None or inputs is None or cache.folder is None:
        return None
    try:
        raw = memoryview(_place(cache.folder, output).read_bytes())
    except OSError:
        return None
    mark = cache.model_mark(output)
    start = len(FORMAT) + MAC_SIZE
    if mark is None or bytes(raw[:len(FORMAT)]) != FORMAT:
        return None
    data = raw[start:]
    signer = _signer(key, options, inputs.besides_documents, mark)
    signer.update(data)
    if not hmac.compare_digest(bytes(raw[len(FORMAT):start]), signer.digest()):
        return None
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of objects, none of them garbage
    try:
        model = _ModelUnpickler(io.BytesIO(data)).load()
        if not _is_whole(model, options):
            return None
        for doc in model.site.all_documents_for_routing():
            if not doc.rendered.in_memory:
                doc.rendered.offload(cache)
        model.parsed.read_bodies_from(cache)
    except Exception:  # whatever the file holds, it is only not used
        return None
    finally:
        if collecting:
            gc.enable()
    return model  # type: ignore[no-any-return]


def _is_whole(model: Any, options: tuple[object, ...]) -> bool:
    return (isinstance(model, SavedModel) and model.options == options
            and isinstance(model.site, Site) and isinstance(model.bodies, dict)
            and isinstance(model.parsed, KeptParses) and isinstance(model.inputs, Inputs)
            and isinstance(model.static_files, tuple) and isinstance(model.read, tuple)
            and isinstance(model.shape, str) and isinstance(model.warnings, list)
            and all(isinstance(body, Body) for body in model.bodies.values()))


def _place(folder: Path, output: Path) -> Path:
    name = hashlib.sha256(str(output).encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return folder / "models" / f"{name}.pickle"


def _signer(key: bytes, options: tuple[object, ...], besides_documents: str,
            mark: str) -> hmac.HMAC:
    """Signs what the model was made from and by (options, every input but the documents,
    the cache database it belongs to, the versions of Python and of what rendered its
    bodies), together with the model itself, given to it next."""
    made_by = (f"{sys.version} {sys.platform} {_libraries()} {options!r} "
               f"{besides_documents} {mark}").encode("utf-8", "surrogatepass")
    return hmac.new(key, made_by, "sha256")


class _Signing:
    """A file that what is written to also signs."""

    def __init__(self, file: BinaryIO, signer: hmac.HMAC):
        self.file, self.signer = file, signer

    def write(self, data: bytes) -> int:
        self.signer.update(data)
        return self.file.write(data)


@cache
def _libraries() -> str:
    """The cache's schema and the versions of the libraries whose output a model holds."""
    from importlib.metadata import PackageNotFoundError, version

    from .cache import SCHEMA
    from .pipeline.markdown import RENDERER_DIGEST

    found = []
    for name in ("jinja2", "nh3", "PyYAML", "Pillow"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} none")
    return f"{SCHEMA} {RENDERER_DIGEST} {', '.join(found)}"


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    _ModelPickler(buffer, pickle.HIGHEST_PROTOCOL).dump(value)
    return buffer.getvalue()


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
    """Finds only classes, by their plain names, in veil's modules and the few standard
    ones a model holds, all of them imported already (nothing is imported to read a
    model)."""

    def find_class(self, module: str, name: str) -> Any:
        loaded = sys.modules.get(module)
        if (loaded is not None and "." not in name
                and (module in _MODULES or module.startswith("veil."))):
            found = getattr(loaded, name, None)
            if isinstance(found, type) and found.__module__ == module:
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a site model")
