"""Read source files: front matter split, validated, body rendered; reused when unchanged.

A file is read again only when its size or time changed; it is parsed again only when its
bytes (or the comments beside it, veil, the renderer or the settings validation reads)
changed. Many files to parse are shared out between processes, one per core.
"""

from __future__ import annotations

import hashlib
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..audit import sentences_to_keep
from ..cache import RACY_NS, BuildCache, FileStat
from ..config import SiteConfig
from ..content_warnings import Vocabulary
from ..errors import Diagnostics, Location, Problem
from ..fingerprints import fingerprint
from ..model import Comment, Privacy, Rendered
from ..workers import MINIMUM_ITEMS, map_in_processes
from .comments import COMMENTS_FILE, read_comments
from .discover import SourceFile
from .frontmatter import split_front_matter
from .markdown import RENDERER_DIGEST, failing_line, render_markdown
from .records import decode_parsed, encode_parsed
from .schema import Metadata, read_metadata


@dataclass(frozen=True, slots=True)
class ParsedSource:
    source: SourceFile
    meta: Metadata
    rendered: Rendered
    slug_location: Location  # where a URL collision is reported
    circles_location: Location  # where a missing circle password is reported
    comments: tuple[Comment, ...] = ()


@dataclass(frozen=True, slots=True)
class _Parsed:
    """One file's parse in a worker: the result (None on errors) and what it reported;
    for a file not hashed before it was parsed, its size, time and hash as read."""

    parsed: ParsedSource | None
    problems: tuple[Problem, ...]
    read: FileStat | None = None


def parse_sources(sources: tuple[SourceFile, ...], config: SiteConfig,
                  vocabulary: Vocabulary, diagnostics: Diagnostics,
                  cache: BuildCache, *, forget_others: bool = True,
                  stats: Mapping[str, tuple[int, int]] | None = None) -> list[ParsedSource]:
    """Every source that parses, in the order given; problems go to `diagnostics`.
    `forget_others`: these are all the site's sources (what the cache keeps in memory for
    any other is let go). `stats`: the size and time of sources (by key), just taken."""
    settings = fingerprint("settings", config.timezone, config.default_privacy, vocabulary)
    now = _clock_ns()
    # A first build (no parse kept) has nothing to reuse: its sources are hashed where
    # they are parsed, not read here first one by one.
    first_build = len(sources) >= MINIMUM_ITEMS and not cache.has_parsed()
    # Looked for once, before any parse: a key names the comments file hashed here (one
    # deleted while a first build parses keys that parse as having had comments).
    comments_files = {s.key: _comments_file(s) for s in sources}
    hashes = _content_hashes(sources, comments_files, cache, stats or {}, now,
                             sources_too=not first_build)

    def key_of(source: SourceFile, sha: str | None) -> str:
        comments = comments_files[source.key]
        parts = ("parsed", RENDERER_DIGEST, settings, source.key, source.kind.value,
                 source.default_slug, sha or "-",
                 hashes.get(str(comments)) or "-" if comments is not None else "")
        return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()

    keys = {} if first_build else {s.key: key_of(s, hashes.get(str(s.path))) for s in sources}
    remembered = cache.remembered
    records = cache.parsed(k for k in keys.values() if k not in remembered)
    stored = cache.has_bodies(r["rendered"]["key"] for r in records.values()
                              if isinstance(r.get("rendered"), dict)
                              and isinstance(r["rendered"].get("key"), str))
    results: dict[str, ParsedSource] = {}
    replayed: list[Problem] = []
    misses = []
    for source in sources:
        if first_build:
            misses.append(source)
            continue
        record = records.get(keys[source.key])
        decoded = remembered.get(keys[source.key]) or (decode_parsed(
            record, source, comments_files[source.key], config.timezone, cache)
            if record is not None else None)
        if decoded is None or (keys[source.key] not in remembered
                               and decoded[0].rendered.key not in stored):
            misses.append(source)
            continue
        results[source.key], problems = decoded
        replayed.extend(problems)
        cache.remember(keys[source.key], decoded)
    # Many bodies to render: the workers keep them in the cache themselves, so that they
    # never all sit in this process's memory at once.
    keeper = cache if len(misses) >= MINIMUM_ITEMS and cache.writable else None
    if keeper is not None:
        keeper.db  # noqa: B018 - made here, before the workers that write into it start
    chunks = [misses[start:start + CHUNK] for start in range(0, len(misses), CHUNK)]
    made = [outcome for chunk in map_in_processes(_parse_chunk, chunks,
                                                  (config, vocabulary, keeper, first_build),
                                                  minimum=2)
            for outcome in chunk]
    read_here: dict[str, FileStat] = {}
    for source, outcome in zip(misses, made, strict=True):
        if first_build:
            keys[source.key] = key_of(source, outcome.read.sha if outcome.read else None)
            if outcome.read is not None and now - outcome.read.mtime_ns > RACY_NS:
                read_here[str(source.path)] = outcome.read
        replayed.extend(outcome.problems)
        if outcome.parsed is None:
            continue
        results[source.key] = outcome.parsed
        # kept for later builds, unless it was a file saved again while it was read
        if not any(p.is_error for p in outcome.problems) and (
                outcome.read is not None or not first_build):
            cache.remember(keys[source.key], (outcome.parsed, list(outcome.problems)))
            cache.add_parsed(keys[source.key],
                             encode_parsed(outcome.parsed, outcome.problems,
                                           comments_files[source.key]),
                             outcome.parsed.rendered,
                             body_kept=not outcome.parsed.rendered.in_memory)
    cache.add_file_stats(read_here)
    cache.parsed_anew = len(misses)
    if forget_others:
        cache.forget_all_but(set(keys.values()))
    for problem in replayed:  # validated without --strict; the build's own rules apply now
        if problem.is_error:
            diagnostics.extend([problem])
        else:
            diagnostics.warn(problem.location, problem.message, problem.fix)
    return [results[s.key] for s in sources if s.key in results]


def _comments_file(source: SourceFile) -> Path | None:
    if source.bundle_dir is None:
        return None
    path = source.bundle_dir / COMMENTS_FILE
    return path if path.is_file() else None


def _content_hashes(sources: tuple[SourceFile, ...],
                    comments_files: Mapping[str, Path | None], cache: BuildCache,
                    stats: Mapping[str, tuple[int, int]], now: int, *, sources_too: bool
                    ) -> dict[str, str]:
    """sha256 of each source (unless not `sources_too`) and comments file, read only when
    its size or time moved (`stats`: sizes and times of sources already taken, by key)."""
    paths = [(s.path, stats.get(s.key)) for s in sources if sources_too] + [
        (c, None) for c in comments_files.values() if c is not None]
    known = cache.file_stats([str(path) for path, _ in paths])
    hashes: dict[str, str] = {}
    fresh: dict[str, FileStat] = {}
    for path, taken in paths:
        if taken is not None:
            size, mtime_ns = taken
        else:
            try:
                stat = path.stat()
            except OSError:
                continue
            size, mtime_ns = stat.st_size, stat.st_mtime_ns
        name = str(path)
        old = known.get(name)
        if old is not None and old.size == size and old.mtime_ns == mtime_ns:
            hashes[name] = old.sha
            continue
        try:
            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            after = path.stat()
        except OSError:
            continue
        hashes[name] = sha
        # Kept only when the file was not saved again between its size and time being
        # taken and its bytes read; a file changed just now is hashed again.
        if (after.st_size, after.st_mtime_ns) == (size, mtime_ns) and now - mtime_ns > RACY_NS:
            fresh[name] = FileStat(size, mtime_ns, sha)
    cache.add_file_stats(fresh)
    return hashes


def _clock_ns() -> int:
    return time.time_ns()


CHUNK = 24  # sources a worker parses, and keeps in the cache, at a time


def _parse_chunk(sources: list[SourceFile],
                 shared: tuple[SiteConfig, Vocabulary, BuildCache | None, bool]
                 ) -> list[_Parsed]:
    """`hash_them`: the sources were not hashed before; their hashes are taken here."""
    config, vocabulary, keeper, hash_them = shared
    outcomes = []
    for source in sources:
        diagnostics = Diagnostics()
        read = None
        if hash_them:
            data, read = _read_and_hash(source.path)
            parsed = parse_bytes(source, data, config, vocabulary, diagnostics)
        else:
            parsed = parse_source(source, config, vocabulary, diagnostics)
        outcomes.append(_Parsed(parsed, tuple(diagnostics.problems), read))
    if keeper is not None:
        parsed = [o.parsed for o in outcomes if o.parsed is not None]
        keeper.save_sentences(sentences_to_keep(
            (p.rendered.key, p.rendered.html) for p in parsed if _will_be_hidden(p.meta)))
        bodies = [p.rendered for p in parsed]
        if keeper.save_bodies([(r.key, r.html) for r in bodies]):  # one transaction
            for rendered in bodies:
                rendered.offload(keeper)
    return outcomes


def _will_be_hidden(meta: Metadata) -> bool:
    """What its front matter says of a post's visibility (the site decides; a guess here
    only costs time)."""
    return (meta.privacy is not Privacy.PUBLIC or meta.draft
            or (meta.date is not None and meta.date > datetime.now(UTC)))


def _read_and_hash(path: Path) -> tuple[bytes, FileStat | None]:
    """The file's bytes, with its size, time and hash when the file stayed as it was while
    it was read."""
    before = path.stat()
    data = path.read_bytes()
    after = path.stat()
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns):
        return data, None
    return data, FileStat(after.st_size, after.st_mtime_ns, hashlib.sha256(data).hexdigest())


def parse_source(source: SourceFile, config: SiteConfig, vocabulary: Vocabulary,
                 diagnostics: Diagnostics) -> ParsedSource | None:
    return parse_bytes(source, source.path.read_bytes(), config, vocabulary, diagnostics)


def parse_bytes(source: SourceFile, data: bytes, config: SiteConfig, vocabulary: Vocabulary,
                diagnostics: Diagnostics) -> ParsedSource | None:
    """`data`: the bytes of the source's file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        diagnostics.error(Location(source.path, line), "this file is not UTF-8 text",
                          "save it as UTF-8 in your editor")
        return None
    split = split_front_matter(text, source.path)
    if isinstance(split, Problem):
        diagnostics.extend([split])
        return None
    meta = read_metadata(split, source.kind, source.default_slug, config, vocabulary, diagnostics)
    if meta is None:
        return None
    body_sha = hashlib.sha256(split.body.encode("utf-8", "surrogatepass")).hexdigest()
    key = fingerprint("markdown", RENDERER_DIGEST, source.key, split.body_first_line,
                      body_sha)  # the body's hash: quicker than the body as JSON
    try:
        rendered = render_markdown(split.body, source.key, split.body_first_line, key)
    except Exception as exc:  # a fault of the Markdown libraries: say where it struck
        line = failing_line(split.body, source.key, split.body_first_line)
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        raised = f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"
        diagnostics.error(
            Location(source.path, line),
            f"the Markdown parser failed on the text here ({type(exc).__name__} in {raised}: "
            f"{exc})",
            "reword the links or brackets in this paragraph, or put a backslash before a "
            "`[` or `<` meant as text; please report the paragraph as a bug")
        return None
    comments_file = _comments_file(source)
    comments = (read_comments(comments_file, diagnostics)
                if comments_file is not None else ())
    return ParsedSource(source, meta, rendered, split.front.loc("slug"),
                        split.front.loc("circles" if "circles" in split.front.data else "circle"),
                        comments)
