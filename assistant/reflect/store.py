"""Reflection runs in ``huddle.db``: their state for people, and which writes are done.

Two tables of their own (created here, ``CREATE TABLE IF NOT EXISTS``):

- ``reflections``: one row per run — account, plan, status (``running`` →
  ``awaiting_review`` → ``writing`` → ``applied`` | ``rejected``), the reflection and the
  rep's decisions as JSON;
- ``reflection_writes``: one row per write a run has finished (``note``, ``account``,
  ``ledger:i1``…), keyed by ``(run_id, key)``. A resumed run skips what is recorded here,
  and every write is idempotent besides, so a crash between a write and its record costs a
  repeat of the same write, never a second copy.

The langgraph checkpoint (``checkpoints.sqlite``) is the workflow's own state; this is what
the CLI and the TUI list and show. Touches only ``huddle.db``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from knowledge.errors import HuddleError
from knowledge.sqlite import SqliteFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS reflections (
    run_id TEXT PRIMARY KEY,
    account TEXT NOT NULL,
    plan_id TEXT,
    meeting_date TEXT,
    status TEXT NOT NULL,
    author TEXT,
    source TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT,
    decisions TEXT
);
CREATE INDEX IF NOT EXISTS reflections_account ON reflections(account, created_at);
CREATE TABLE IF NOT EXISTS reflection_writes (
    run_id TEXT NOT NULL,
    key TEXT NOT NULL,
    detail TEXT,
    done_at TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
);
"""

STATUSES = ("running", "awaiting_review", "writing", "applied", "rejected")


class RunNotFound(HuddleError):
    title = "No such reflection"


class ReflectionStore(SqliteFile):
    holds = "your plans, reviews, meetings and reflections (they cannot be rebuilt)"

    def __init__(self, data_dir: str | Path, *, stamp: Callable[[], str]) -> None:
        """``stamp()`` is the service clock's "now" (``created_at``, ``updated_at``)."""
        super().__init__(Path(data_dir) / "huddle.db", _SCHEMA)
        self._stamp = stamp

    def create(self, *, run_id: str, account: str, plan_id: str | None, meeting_date: str,
               author: str, source: str) -> None:
        now = self._stamp()
        with self.db() as db:
            db.execute(
                "INSERT INTO reflections(run_id, account, plan_id, meeting_date, status, author,"
                " source, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(run_id) DO NOTHING",
                (run_id, account, plan_id, meeting_date, "running", author, source, now, now),
            )

    def update(self, run_id: str, *, status: str | None = None,
               body: dict[str, Any] | None = None,
               decisions: dict[str, Any] | None = None) -> None:
        sets, params = ["updated_at = ?"], [self._stamp()]
        if status is not None:
            sets.append("status = ?")
            params.append(status)
        if body is not None:
            sets.append("body = ?")
            params.append(json.dumps(body, default=str))
        if decisions is not None:
            sets.append("decisions = ?")
            params.append(json.dumps(decisions, default=str))
        with self.db() as db:
            db.execute(f"UPDATE reflections SET {', '.join(sets)} WHERE run_id = ?",
                       (*params, run_id))

    def get(self, run_id: str) -> dict[str, Any]:
        keys = ["run_id", "account", "plan_id", "meeting_date", "status", "author", "source",
                "created_at", "updated_at", "body", "decisions"]
        with self.db() as db:
            row = db.execute(f"SELECT {', '.join(keys)} FROM reflections WHERE run_id = ?",
                             (run_id,)).fetchone()
            if row is None:
                rows = db.execute(f"SELECT {', '.join(keys)} FROM reflections WHERE run_id LIKE ?",
                                  (run_id + "%",)).fetchall()
                row = rows[0] if len(rows) == 1 else None
        if row is None:
            raise RunNotFound(f"no reflection {run_id!r}: `huddle reflect list` shows the ids")
        out = dict(zip(keys, row, strict=True))
        out["body"] = json.loads(out["body"]) if out["body"] else None
        out["decisions"] = json.loads(out["decisions"]) if out["decisions"] else None
        out["writes"] = self.writes(out["run_id"])
        return out

    def list(self, account: str | None = None, status: str | None = None,
             limit: int = 50) -> list[dict[str, Any]]:
        keys = ["run_id", "account", "plan_id", "meeting_date", "status", "author", "source",
                "created_at", "updated_at"]
        return self.listing("reflections", keys, where={"account": account, "status": status},
                            order_by="created_at DESC, run_id DESC", limit=limit)

    # ---- the write log ---------------------------------------------------------------

    def write_done(self, run_id: str, key: str) -> bool:
        with self.db() as db:
            return db.execute("SELECT 1 FROM reflection_writes WHERE run_id = ? AND key = ?",
                              (run_id, key)).fetchone() is not None

    def mark_write(self, run_id: str, key: str, detail: str = "") -> None:
        with self.db() as db:
            db.execute("INSERT INTO reflection_writes(run_id, key, detail, done_at)"
                       " VALUES(?,?,?,?) ON CONFLICT(run_id, key) DO NOTHING",
                       (run_id, key, detail, self._stamp()))

    def writes(self, run_id: str) -> dict[str, str]:
        with self.db() as db:
            return {k: d for k, d in db.execute(
                "SELECT key, detail FROM reflection_writes WHERE run_id = ? ORDER BY done_at, key",
                (run_id,))}
