"""What earlier builds learnt, kept on disk so the next build does only the new work.

One SQLite file in the cache folder (`.veil-cache/` in the site unless `--cache-dir` or
`VEIL_CACHE_DIR` says otherwise) holds:

- parsed sources: front matter, excerpt and link notes, keyed by a hash of the file's
  bytes, veil's version, the Markdown renderer and the settings that validation reads;
- rendered bodies (HTML), keyed by a hash of the Markdown and its place,
  read only when a page that shows the body is made again, and the sentences of each
  that the leak check looks for;
- the size, time and hash of each source file, so unchanged files are not read again;
- for each output folder, the fingerprint of everything each output read and the hash of
  the bytes written, so a build makes again only what changed.

Every entry is keyed by what it was made from, so an entry can never be wrong for the
input that finds it; entries that no source uses any more are dropped by the next build
that reads every source (`drop_unused`). The folder is safe to delete; a damaged or
foreign database is replaced, and a record that does not decode is treated as missing,
never trusted.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .model import Rendered


def _own_code() -> str:
    """A digest of veil's own modules. What the cache holds was made by code: a veil whose
    code differs under the same version (one installed from a checkout) starts over, as
    an upgrade does, instead of trusting parses an older reading of front matter made."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8", "surrogatepass"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# marshal's format may change between Python versions
SCHEMA = f"veil-cache-7 {__version__} {_own_code()} {sys.implementation.cache_tag}"
DATABASE = "cache.sqlite"
# A file changed within this many nanoseconds of being looked at may change again
# without its time moving (coarse file-system clocks): it is read again next time.
RACY_NS = 2_000_000_000

_TABLES = (
    "CREATE TABLE IF NOT EXISTS info(name TEXT PRIMARY KEY, value TEXT)",
    "CREATE TABLE IF NOT EXISTS parsed(key TEXT PRIMARY KEY, record BLOB)",
    "CREATE TABLE IF NOT EXISTS bodies(key TEXT PRIMARY KEY, html TEXT)",
    "CREATE TABLE IF NOT EXISTS sentences(key TEXT PRIMARY KEY, list BLOB)",
    "CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, size INT, mtime_ns INT, sha TEXT)",
    "CREATE TABLE IF NOT EXISTS outputs(dir TEXT, path TEXT, key TEXT, sha TEXT, size INT,"
    " mtime_ns INT, reads TEXT, PRIMARY KEY(dir, path))",
    "CREATE TABLE IF NOT EXISTS snapshots(dir TEXT PRIMARY KEY, record TEXT)",
)


@dataclass(frozen=True, slots=True)
class OutputRecord:
    key: str  # fingerprint of what the output read
    sha: str  # hash of the bytes written
    size: int
    mtime_ns: int
    reads: str | None = None  # the rendered bodies the fingerprint read (`reads.encode`)


@dataclass(frozen=True, slots=True)
class FileStat:
    size: int
    mtime_ns: int
    sha: str


_INHERITED: list[sqlite3.Connection] = []
_LOCKED_TRIES = 250  # 5 s


def default_cache_dir(root: Path, chosen: Path | None = None) -> Path:
    """`--cache-dir`, else $VEIL_CACHE_DIR, else `.veil-cache` in the site."""
    configured = chosen or os.environ.get("VEIL_CACHE_DIR")
    return Path(configured).expanduser().resolve() if configured else root / ".veil-cache"


class BuildCache:
    """The cache database of one site. Opened lazily, again in each worker process."""

    def __init__(self, folder: Path | None, *, read_only: bool = False):
        self.folder = folder  # None: keep everything in memory (nothing on disk)
        self.read_only = read_only  # `veil check`: use what is there, change nothing
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._private = False  # this process's database is in its memory, not the folder
        # Parsed sources wait here until the site they belong to has loaded without errors.
        self._pending_parsed: dict[str, dict[str, Any]] = {}
        self._pending_bodies: list[Rendered] = []
        self._pending_stats: dict[str, FileStat] = {}
        self.parsed_anew = 0  # sources parsed by the last build rather than reused
        # `veil watch` keeps what it parsed in memory too (key -> parsed source, problems)
        self.keep_in_memory = False
        self.remembered: dict[str, Any] = {}
        # the parse keys of all the site's sources, when the last build read them all
        self.keys_in_use: frozenset[str] | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._connection is None or self._pid != os.getpid():
            if self._connection is not None:  # a parent's, across fork: never touch it
                _INHERITED.append(self._connection)
            self._connection = self._open()
            self._pid = os.getpid()
        return self._connection

    def _open(self) -> sqlite3.Connection:
        if self.folder is None:
            return self._prepare(sqlite3.connect(":memory:", check_same_thread=False))
        path = self.folder / DATABASE
        if self.read_only:
            try:
                connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True,
                                             check_same_thread=False)
                if self._schema(connection) == SCHEMA:
                    return connection
            except sqlite3.Error:
                pass
            return self._prepare(sqlite3.connect(":memory:", check_same_thread=False))
        for _attempt in range(2):
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                # one build at a time uses it (watch mode builds in its own thread)
                return self._prepare(sqlite3.connect(path, timeout=30, check_same_thread=False))
            except sqlite3.OperationalError:  # locked or unreadable: never delete it then
                break
            except (sqlite3.DatabaseError, OSError):  # not a database: start over
                with suppress(OSError):
                    for leftover in self.folder.glob(DATABASE + "*"):
                        leftover.unlink()
        # An unwritable cache only costs time. What is written here is seen by no other
        # process, so nothing is written: a worker's bodies then come back with it.
        self._private = True
        return self._prepare(sqlite3.connect(":memory:", check_same_thread=False))

    @staticmethod
    def _prepare(connection: sqlite3.Connection) -> sqlite3.Connection:
        for attempt in range(_LOCKED_TRIES):  # turning a new database to WAL waits for no one
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError:
                if attempt == _LOCKED_TRIES - 1:
                    raise
                time.sleep(0.02)
        connection.execute("PRAGMA synchronous=OFF")
        # Processes of one build may open a new cache at the same moment: the schema is
        # checked and made by one at a time (or one would drop what another just wrote).
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(_TABLES[0])
        if BuildCache._schema(connection) != SCHEMA:  # another veil's cache: start over
            # (every table, those of the other veil's own making too: made again below as
            # this veil shapes them, and no text of its making stays behind)
            for (table,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name != 'info' "
                    "AND name NOT LIKE 'sqlite_%'"
            ).fetchall():
                connection.execute(f'DROP TABLE IF EXISTS "{table}"')
            connection.execute("DELETE FROM info")
            connection.execute("INSERT INTO info VALUES('schema', ?)", (SCHEMA,))
        for statement in _TABLES[1:]:
            connection.execute(statement)
        connection.commit()
        return connection

    @staticmethod
    def _schema(connection: sqlite3.Connection) -> str | None:
        row = connection.execute("SELECT value FROM info WHERE name='schema'").fetchone()
        return str(row[0]) if row else None

    def exists(self) -> bool:
        return self.folder is None or (self.folder / DATABASE).exists() or (
            self._connection is not None and self._pid == os.getpid())

    # parsed sources and bodies

    @property
    def writable(self) -> bool:
        return self.folder is not None and not self.read_only

    def add_parsed(self, key: str, record: dict[str, Any], rendered: Rendered, *,
                   body_kept: bool = False) -> None:
        self._pending_parsed[key] = record
        if body_kept:
            rendered.offload(self)
        else:
            self._pending_bodies.append(rendered)

    def remember(self, key: str, parsed: Any) -> None:
        if self.keep_in_memory:
            self.remembered[key] = parsed

    def forget_all_but(self, keys: set[str]) -> None:
        """`keys`: the parse keys of every source of the site, just read (`drop_unused`
        keeps only these)."""
        self.keys_in_use = frozenset(keys)
        for key in [k for k in self.remembered if k not in keys]:
            del self.remembered[key]

    def drop_unused(self, bodies: set[str]) -> int:
        """After a build that read every source: drop the parses, bodies and sentences
        that it did not use (the earlier versions of edited posts, deleted posts), so that
        the cache stays the size of the site and text taken out of a post does not stay
        behind in it. `bodies`: the keys of the bodies of every source parsed. Returns the
        entries dropped."""
        keys, self.keys_in_use = self.keys_in_use, None  # not kept past the build
        if keys is None or not self.writable or self._private or not self.exists():
            return 0
        counts = self._select("SELECT (SELECT count(*) FROM parsed), "
                              "(SELECT count(*) FROM bodies)", ())
        if not counts or (counts[0][0] <= len(keys) and counts[0][1] <= len(bodies)):
            return 0  # every entry is one of these: nothing to drop
        db = self.db
        try:
            db.execute("PRAGMA secure_delete=ON")  # what is dropped is overwritten
            with db:
                for table, kept in (("kept_parses", keys), ("kept_bodies", bodies)):
                    db.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}(key TEXT PRIMARY KEY)")
                    db.execute(f"DELETE FROM {table}")
                    db.executemany(f"INSERT OR IGNORE INTO {table} VALUES(?)",
                                   [(key,) for key in kept])
                dropped = sum(db.execute(statement).rowcount for statement in (
                    "DELETE FROM parsed WHERE key NOT IN kept_parses",
                    "DELETE FROM bodies WHERE key NOT IN kept_bodies",
                    # a sentences key is its body's key, ":", and how they were split
                    "DELETE FROM sentences WHERE "
                    "substr(key, 1, instr(key, ':') - 1) NOT IN kept_bodies"))
                db.execute("DELETE FROM kept_parses")
                db.execute("DELETE FROM kept_bodies")
                if dropped:  # a saved site model may hold bodies dropped here: none is used
                    db.execute("DELETE FROM info WHERE name LIKE 'model:%'")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no copy left in the log
        except sqlite3.Error:
            return 0  # a cache that cannot be written only costs room
        finally:
            with suppress(sqlite3.Error):
                db.execute("PRAGMA secure_delete=OFF")
        return dropped

    def add_file_stats(self, stats: dict[str, FileStat]) -> None:
        self._pending_stats.update(stats)

    def flush(self) -> None:
        """Keep what this build parsed; its bodies are read back from here when needed
        (also by worker processes), so they need not stay in memory."""
        bodies, self._pending_bodies = self._pending_bodies, []
        kept = self.save_bodies((r.key, r.html) for r in bodies)
        self.save_parsed(self._pending_parsed)
        self.save_file_stats(self._pending_stats)
        self._pending_parsed, self._pending_stats = {}, {}
        if kept and self.folder is not None:
            for rendered in bodies:
                rendered.offload(self)

    def discard_pending(self) -> None:
        self._pending_parsed, self._pending_bodies, self._pending_stats = {}, [], {}

    def parsed(self, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
        return self._values_by_key("SELECT key, record FROM parsed", keys,
                                 lambda value: isinstance(value, dict))

    def has_parsed(self) -> bool:
        """Whether any parse is kept (none before a site's first build)."""
        return bool(self._pending_parsed or self.remembered
                    or self._select("SELECT 1 FROM parsed LIMIT 1", ()))

    def save_parsed(self, records: dict[str, dict[str, Any]]) -> None:
        self._write("INSERT OR REPLACE INTO parsed VALUES(?, ?)",
                    [(k, marshal.dumps(v)) for k, v in records.items()])

    def body(self, key: str) -> str | None:
        rows = self._select("SELECT html FROM bodies WHERE key=?", (key,))
        return rows[0][0] if rows and isinstance(rows[0][0], str) else None

    def has_bodies(self, keys: Iterable[str]) -> set[str]:
        wanted = set(keys)
        usable = "typeof(html) = 'text'"
        if len(wanted) > 500:  # one pass over the table is quicker than looking up each
            return {k for (k,) in self._select(f"SELECT key FROM bodies WHERE {usable}", ())
                    if k in wanted}
        marks = ",".join("?" * len(wanted))
        return {k for (k,) in self._select(
            f"SELECT key FROM bodies WHERE key IN ({marks}) AND {usable}", wanted)}

    def sentences(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """The sentences the leak check looks for, of each rendered body."""
        return self._values_by_key(
            "SELECT key, list FROM sentences", keys,
            lambda value: type(value) is list and set(map(type, value)) <= {str})

    def _values_by_key(self, select: str, keys: Iterable[str],
                       fits: Callable[[Any], bool]) -> dict[str, Any]:
        """Rows of a key -> value table (plain data in `marshal`'s format, several times
        quicker to read than JSON); a value that does not decode or fit is left out."""
        found: dict[str, Any] = {}
        for chunk in _chunks(list(keys), 500):
            marks = ",".join("?" * len(chunk))
            for key, data in self._select(f"{select} WHERE key IN ({marks})", chunk):
                with suppress(ValueError, TypeError, EOFError):
                    value = marshal.loads(data)
                    if fits(value):
                        found[key] = value
        return found

    def save_sentences(self, sentences: dict[str, list[str]]) -> None:
        self._write("INSERT OR REPLACE INTO sentences VALUES(?, ?)",
                    [(k, marshal.dumps(v)) for k, v in sentences.items()])

    def save_bodies(self, bodies: Iterable[tuple[str, str]]) -> bool:
        return self._write("INSERT OR REPLACE INTO bodies VALUES(?, ?)", list(bodies))

    # source files

    def file_stats(self, paths: list[str] | None = None) -> dict[str, FileStat]:
        """What is known of these files (of all, when None), by path."""
        select = "SELECT path, size, mtime_ns, sha FROM files"
        if paths is None or len(paths) > 500:
            rows = self._select(select, ())
        else:
            rows = self._select(f"{select} WHERE path IN ({','.join('?' * len(paths))})", paths)
        return {path: FileStat(size, mtime, sha) for path, size, mtime, sha in rows}

    def save_file_stats(self, stats: dict[str, FileStat]) -> None:
        self._write("INSERT OR REPLACE INTO files VALUES(?, ?, ?, ?)",
                    [(p, s.size, s.mtime_ns, s.sha) for p, s in stats.items()])

    # outputs

    def outputs(self, folder: Path) -> dict[str, OutputRecord]:
        rows = self._select("SELECT path, key, sha, size, mtime_ns, reads FROM outputs "
                            "WHERE dir=?", (str(folder),))
        return {path: OutputRecord(key, sha, size, mtime, reads if isinstance(reads, str)
                                   else None)
                for path, key, sha, size, mtime, reads in rows}

    def save_outputs(self, folder: Path, records: dict[str, OutputRecord],
                     removed: Iterable[str]) -> None:
        place = str(folder)
        self._write("DELETE FROM outputs WHERE dir=? AND path=?",
                    [(place, path) for path in removed])
        self._write("INSERT OR REPLACE INTO outputs VALUES(?, ?, ?, ?, ?, ?, ?)",
                    [(place, p, r.key, r.sha, r.size, r.mtime_ns, r.reads)
                     for p, r in records.items()])

    def generation(self, folder: Path) -> str | None:
        """Changes with every build into `folder`, by any process."""
        rows = self._select("SELECT value FROM info WHERE name=?", (f"generation:{folder}",))
        return str(rows[0][0]) if rows else None

    def new_generation(self, folder: Path) -> str:
        value = os.urandom(8).hex()
        self._write("INSERT OR REPLACE INTO info VALUES(?, ?)", [(f"generation:{folder}", value)])
        return value

    def shape(self, folder: Path) -> str | None:
        """The shape of the site last built into `folder` (see `shape.site_shape`)."""
        return self._info(f"shape:{folder}")

    def save_shape(self, folder: Path, shape: str | None) -> None:
        self._save_info(f"shape:{folder}", shape)

    def model_mark(self, folder: Path) -> str | None:
        """The mark of the site model saved for `folder` (see `resume`)."""
        return self._info(f"model:{folder}")

    def save_model_mark(self, folder: Path, mark: str | None) -> None:
        self._save_info(f"model:{folder}", mark)

    def _info(self, name: str) -> str | None:
        rows = self._select("SELECT value FROM info WHERE name=?", (name,))
        return str(rows[0][0]) if rows else None

    def _save_info(self, name: str, value: str | None) -> None:
        if value is None:
            self._write("DELETE FROM info WHERE name=?", [(name,)])
        else:
            self._write("INSERT OR REPLACE INTO info VALUES(?, ?)", [(name, value)])

    def snapshot(self, folder: Path) -> dict[str, Any] | None:
        rows = self._select("SELECT record FROM snapshots WHERE dir=?", (str(folder),))
        with suppress(ValueError, TypeError, IndexError):
            value = json.loads(rows[0][0])
            return value if isinstance(value, dict) else None
        return None

    def save_snapshot(self, folder: Path, record: dict[str, Any] | None) -> None:
        if record is None:
            self._write("DELETE FROM snapshots WHERE dir=?", [(str(folder),)])
        else:
            self._write("INSERT OR REPLACE INTO snapshots VALUES(?, ?)",
                        [(str(folder), json.dumps(record, ensure_ascii=False))])

    # plumbing: a cache that fails to read is empty, one that fails to write costs time

    def _select(self, sql: str, args: Iterable[Any]) -> list[tuple[Any, ...]]:
        if not self.exists():  # reading never creates the database
            return []
        try:
            return self.db.execute(sql, tuple(args)).fetchall()
        except sqlite3.Error:
            return []

    def _write(self, sql: str, rows: Iterable[tuple[Any, ...]]) -> bool:
        rows = list(rows)
        if not rows:
            return True
        if self.read_only:
            return False
        db = self.db
        if self._private and self.folder is not None:
            return False
        try:
            with db:
                db.executemany(sql, rows)
        except sqlite3.Error:
            return False
        return True


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
