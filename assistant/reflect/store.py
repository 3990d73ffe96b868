"""Reflection runs in ``huddle.db``: their state for people, and which writes are done.

Two tables of their own (:mod:`knowledge.tables`, beside the plans):

- ``reflections``: one row per run — account, plan, status (``running`` →
  ``awaiting_review`` → ``writing`` → ``applied`` | ``rejected``), the reflection and the
  rep's decisions as JSON;
- ``reflection_writes``: one row per write a run has finished (``note``, ``account``,
  ``ledger:i1``…), keyed by ``(run_id, key)``. A resumed run skips what is recorded here,
  and every write is idempotent besides, so a crash between a write and its record costs a
  repeat of the same write, never a second copy.

The langgraph checkpoint (``checkpoints.sqlite``, or the team database) is the workflow's own
state; this is what the CLI and the TUI list and show. Touches only the records database.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from knowledge.database import Database, insert
from knowledge.errors import HuddleError
from knowledge.tables import reflection_writes, reflections

STATUSES = ("running", "awaiting_review", "writing", "applied", "rejected")


class RunNotFound(HuddleError):
    title = "No such reflection"


_KEYS = ["run_id", "account", "plan_id", "meeting_date", "status", "author", "source",
         "created_at", "updated_at"]


class ReflectionStore(Database):
    holds = "your plans, reviews, meetings and reflections (they cannot be rebuilt)"
    stream = "records"

    def __init__(self, data_dir: str | Path, *, stamp: Callable[[], str],
                 database_url: str | None = None) -> None:
        """``stamp()`` is the service clock's "now" (``created_at``, ``updated_at``)."""
        super().__init__(Path(data_dir) / "huddle.db", url=database_url)
        self._stamp = stamp

    def create(self, *, run_id: str, account: str, plan_id: str | None, meeting_date: str,
               author: str, source: str) -> None:
        now = self._stamp()
        with self.db() as db:
            db.execute(insert(db, reflections).values(
                run_id=run_id, account=account, plan_id=plan_id, meeting_date=meeting_date,
                status="running", author=author, source=source, created_at=now,
                updated_at=now).on_conflict_do_nothing(index_elements=[reflections.c.run_id]))

    def update(self, run_id: str, *, status: str | None = None,
               body: dict[str, Any] | None = None,
               decisions: dict[str, Any] | None = None) -> None:
        values: dict[str, Any] = {"updated_at": self._stamp()}
        if status is not None:
            values["status"] = status
        if body is not None:
            values["body"] = json.dumps(body, default=str)
        if decisions is not None:
            values["decisions"] = json.dumps(decisions, default=str)
        with self.db() as db:
            db.execute(sa.update(reflections).where(reflections.c.run_id == run_id)
                       .values(**values))

    def get(self, run_id: str) -> dict[str, Any]:
        cols = [reflections.c[k] for k in [*_KEYS, "body", "decisions"]]
        with self.db() as db:
            row = db.execute(sa.select(*cols).where(reflections.c.run_id == run_id)).first()
            if row is None:
                rows = db.execute(sa.select(*cols).where(
                    reflections.c.run_id.like(run_id + "%")).limit(2)).all()
                row = rows[0] if len(rows) == 1 else None
        if row is None:
            raise RunNotFound(f"no reflection {run_id!r}: `huddle reflect list` shows the ids")
        out = dict(row._mapping)
        out["body"] = json.loads(out["body"]) if out["body"] else None
        out["decisions"] = json.loads(out["decisions"]) if out["decisions"] else None
        out["writes"] = self.writes(out["run_id"])
        return out

    def list(self, account: str | None = None, status: str | None = None,
             limit: int = 50) -> list[dict[str, Any]]:
        return self.listing(reflections, _KEYS, where={"account": account, "status": status},
                            order_by=[reflections.c.created_at.desc(),
                                      reflections.c.run_id.desc()], limit=limit)

    # ---- the write log ---------------------------------------------------------------

    def write_done(self, run_id: str, key: str) -> bool:
        w = reflection_writes
        with self.db() as db:
            return db.execute(sa.select(w.c.key).where(w.c.run_id == run_id, w.c.key == key)
                              ).first() is not None

    def mark_write(self, run_id: str, key: str, detail: str = "") -> None:
        with self.db() as db:
            db.execute(insert(db, reflection_writes).values(
                run_id=run_id, key=key, detail=detail, done_at=self._stamp()
            ).on_conflict_do_nothing(index_elements=[reflection_writes.c.run_id,
                                                     reflection_writes.c.key]))

    def writes(self, run_id: str) -> dict[str, str]:
        w = reflection_writes
        with self.db() as db:
            return {k: d for k, d in db.execute(
                sa.select(w.c.key, w.c.detail).where(w.c.run_id == run_id)
                .order_by(w.c.done_at, w.c.key))}
