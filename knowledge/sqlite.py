"""The SQLite files Huddle keeps under its data directory: one way to open them.

Plans, reviews, meetings, reflections and the ICP ledger each live in a SQLite file that
several processes may open at once (the terminal app, a CLI command, an eval run). Every
connection uses WAL (readers never block the writer), waits up to 30 s for a lock instead of
failing, and runs its statements in one transaction: committed when the block ends, rolled
back if it raises, so a crash leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_S = 30


class SqliteFile:
    """A database file with its schema applied on open. Cheap: connects per operation."""

    foreign_keys = False

    def __init__(self, path: str | Path, schema: str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
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
