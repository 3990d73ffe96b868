"""The SQLite files Huddle keeps under its data directory: one way to open them.

Plans, reviews, meetings, reflections and the ICP ledger each live in a SQLite file that
several processes may open at once (the terminal app, a CLI command, an eval run). Every
connection uses WAL (readers never block the writer), waits up to 30 s for a lock instead of
failing, and runs its statements in one transaction: committed when the block ends, rolled
back if it raises, so a crash leaves nothing half-written.

A file is checked when it is opened (:func:`check_database`): an empty file, a file that is
not a database or one that fails ``PRAGMA quick_check`` raises :class:`DamagedFileError`
naming the file and what to do; Huddle never replaces it. A new database is created under a
temporary name and renamed into place, so an empty file is always damage, never a database
Huddle was about to create. Files are private: the folder 0700, each database 0600.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from knowledge.errors import DamagedFileError
from knowledge.private import private_dir, private_file

BUSY_TIMEOUT_S = 30
SQLITE_HEADER = b"SQLite format 3\x00"


def check_database(path: Path, *, holds: str, remedy: str, full: bool = True) -> None:
    """Raise :class:`DamagedFileError` if the existing database ``path`` is damaged.

    ``holds`` says what the file keeps and ``remedy`` what to do about it (both end up in
    the message). ``full=False`` reads the header and the schema only (for a large index);
    otherwise ``PRAGMA quick_check`` runs too. A missing file is fine (it will be created).
    """
    if not path.exists():
        return
    if path.is_dir():
        problem: str | None = "is a folder, not a database file"
    else:
        state = _file_state(path, full)
        if state in _SOUND:
            return  # this process already checked the file as it is now (same size, time)
        problem = _problem(path, full)
        if problem is None:
            with _SOUND_LOCK:
                _SOUND.add(state)
    if problem:
        raise DamagedFileError(
            f"{path} {problem}. It holds {holds}; Huddle did not change it. {remedy} "
            "(`huddle doctor` checks every file of the data folder.)", path=str(path))


# Files this process found sound, by (path, check depth, size and mtime of the file and of its
# write-ahead log): huddle.db is opened by the plans, meetings and reflections stores in turn,
# and each open would otherwise read the whole file again. Any write changes the key.
_SOUND: set[tuple[object, ...]] = set()
_SOUND_LOCK = threading.Lock()


def _file_state(path: Path, full: bool) -> tuple[object, ...]:
    out: list[object] = [str(path.resolve()), full]
    for f in (path, path.with_name(path.name + "-wal")):
        try:
            st = f.stat()
            out += [st.st_size, st.st_mtime_ns]
        except FileNotFoundError:
            out += [None, None]
    return tuple(out)


def _problem(path: Path, full: bool) -> str | None:
    size = path.stat().st_size
    if size == 0:
        return "is empty (0 bytes): it was truncated or overwritten"
    with path.open("rb") as fh:
        if fh.read(16) != SQLITE_HEADER:
            return "is not a SQLite database (its first bytes are wrong)"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if full:
                rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
                if rows != ["ok"]:
                    return "failed its integrity check (" + "; ".join(rows[:3]) + ")"
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"cannot be read as a database ({exc})"
    return None


def create_database(path: Path, schema: str) -> None:
    """Create ``path`` with ``schema`` whole (temp file, then rename), mode 0600."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.new")
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode=WAL")  # writes the header: never 0 bytes
            conn.executescript(schema)
            conn.commit()
        finally:
            conn.close()
        private_file(tmp)
        with contextlib.suppress(FileExistsError):  # another one made it first: keep theirs
            os.link(tmp, path)  # never replaces an existing file, unlike a rename
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


class SqliteFile:
    """A database file with its schema applied on open. Cheap: connects per operation."""

    foreign_keys = False
    holds = "records that cannot be rebuilt"
    """What the file keeps, for the message when it is damaged."""

    def __init__(self, path: str | Path, schema: str) -> None:
        self.path = Path(path)
        private_dir(self.path.parent)
        check_database(self.path, holds=self.holds, remedy=damaged_remedy(self.path))
        if not self.path.exists():
            create_database(self.path, schema)
        private_file(self.path)
        with self.db() as db:
            db.executescript(schema)

    @contextlib.contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one transaction (commit on success, rollback on error)."""
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        conn.execute("PRAGMA journal_mode=WAL")
        if self.foreign_keys:
            conn.execute("PRAGMA foreign_keys=ON")
        try:
            with conn:
                yield conn
        finally:
            conn.close()

    def listing(self, table: str, keys: list[str], *, where: Mapping[str, Any], order_by: str,
                limit: int) -> list[dict[str, Any]]:
        """Rows of ``table`` as dicts of ``keys``, filtered by the ``where`` values that are
        set (equality), newest first by ``order_by``. Names come from code, never users."""
        conds = [f"{column} = ?" for column, value in where.items() if value]
        params: list[Any] = [value for value in where.values() if value]
        sql = f"SELECT {', '.join(keys)} FROM {table}"  # noqa: S608 - names are constants
        if conds:
            sql += " WHERE " + " AND ".join(conds)
        sql += f" ORDER BY {order_by} LIMIT ?"
        params.append(limit)
        with self.db() as db:
            return [dict(zip(keys, row, strict=True)) for row in db.execute(sql, params)]


def damaged_remedy(path: Path) -> str:
    """What to do with a damaged database that cannot be rebuilt."""
    return (f"Restore it from your backup; or keep it for later and start with an empty one: "
            f"`mv {path} {path}.damaged` (what it held is then no longer shown).")
