"""Moving in: copy one rep's local records (SQLite files) into the team's database.

``huddle team migrate --from-sqlite DATA_DIR`` reads ``huddle.db`` and ``icp_ledger.sqlite``
of a data directory — read-only, the files are not changed — and copies plans (every
version), review events, meetings, reflection runs and their write logs, and the recorded
outcomes and call evidence into the database at ``database_url``. Idempotent: every row is
matched by its key (a review event by plan, version, action, time and reviewer), so running
it twice copies nothing the second time, and a run stopped half-way is finished by running
it again (each table is one transaction).

Plans drafted before team mode have no author: they get the rep named with ``--rep`` (default
``me``), who also owns every meeting copied (one laptop, one rep's calendar). The story rows of
the ledger are not copied (each machine derives them from the KB).

Unfinished reflections (waiting for the rep's decisions, or stopped half-way) move too: the
checkpoints of their workflow, with the writes pending on them, are copied from the local
``checkpoints.sqlite`` into the team's langgraph checkpointer (PostgreSQL), so
``huddle reflect resume RUN`` finishes them on any machine. Idempotent as well: a checkpoint
already in the team database is left as it is (its writes are copied first, the checkpoint
last, so a copy stopped half-way is completed by the next run).

Touches the source files (read; ``checkpoints.sqlite`` is read through an in-memory copy)
and the team database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from knowledge.database import Database, insert
from knowledge.errors import HuddleError
from knowledge.sqlite import check_database, damaged_remedy
from knowledge.tables import (
    meetings,
    outcomes,
    plan_reviews,
    plans,
    reflection_writes,
    reflections,
    signals,
)

RECORD_TABLES = (plans, plan_reviews, meetings, reflections, reflection_writes)
LEDGER_TABLES = (outcomes, signals)
REVIEW_KEY = ("plan_id", "version", "action", "at", "by")


class MigrateError(HuddleError):
    title = "Team migrate"


@dataclass
class MigrateReport:
    source: str
    target: str
    copied: dict[str, int] = field(default_factory=dict)
    already: dict[str, int] = field(default_factory=dict)
    unfinished: list[str] = field(default_factory=list)
    checkpoints_copied: int = 0
    checkpoints_already: int = 0
    resumable: list[str] = field(default_factory=list)
    """Unfinished reflections whose workflow state is now in the team database."""

    @property
    def total_copied(self) -> int:
        return sum(self.copied.values()) + self.checkpoints_copied

    @property
    def stranded(self) -> list[str]:
        """Unfinished reflections with no workflow state to move (start them again)."""
        return [r for r in self.unfinished if r not in self.resumable]

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "copied": self.copied,
                "already_there": self.already, "unfinished_reflections": self.unfinished,
                "checkpoints": {"copied": self.checkpoints_copied,
                                "already_there": self.checkpoints_already,
                                "resumable": self.resumable, "stranded": self.stranded}}


def migrate_from_sqlite(source_dir: str | Path, *, records: Database, ledger: Database,
                        rep: str, checkpointer: Callable[[], Any] | None = None
                        ) -> MigrateReport:
    """Copy the records of ``source_dir`` into ``records`` / ``ledger`` (the team database),
    and the workflow state of its unfinished reflections into ``checkpointer()`` (the team's
    langgraph checkpointer; the caller's factory, closed here) when given."""
    src = Path(source_dir).expanduser().resolve()
    if not src.is_dir():
        raise MigrateError(f"{src} is not a folder: give the data directory to copy from "
                           "(`huddle status` on that machine shows it)")
    if records.path is not None and records.path.parent.resolve() == src:
        raise MigrateError("that is this data directory: point database_url at the team "
                           "database (HUDDLE_DATABASE_URL) and migrate from the local folder")
    report = MigrateReport(source=str(src), target=records.where)
    found = False
    for filename, target, tables in (("huddle.db", records, RECORD_TABLES),
                                     ("icp_ledger.sqlite", ledger, LEDGER_TABLES)):
        path = src / filename
        if not path.exists():
            continue
        found = True
        check_database(path, holds="the records to copy", remedy=damaged_remedy(path))
        source = sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true",
                                  poolclass=sa.pool.NullPool)
        try:
            with source.connect() as conn:
                for table in tables:
                    rows = _read(conn, table)
                    copied, already = _copy(target, table, rows, rep=rep)
                    report.copied[table.name] = copied
                    report.already[table.name] = already
                if filename == "huddle.db" and sa.inspect(conn).has_table("reflections"):
                    report.unfinished = [r[0] for r in conn.execute(sa.text(
                        "SELECT run_id FROM reflections WHERE status NOT IN "
                        "('applied', 'rejected') ORDER BY created_at"))]
        finally:
            source.dispose()
    if not found:
        raise MigrateError(f"no huddle.db or icp_ledger.sqlite in {src}: is it a Huddle data "
                           "directory?")
    checkpoints = src / "checkpoints.sqlite"
    if checkpointer is not None and report.unfinished and checkpoints.exists():
        check_database(checkpoints, holds="the workflow state of unfinished reflections",
                       remedy=damaged_remedy(checkpoints))
        target = checkpointer()
        try:
            copy_checkpoints(checkpoints, report, target)
        finally:
            target.conn.close()
    return report


def _read_only_copy(path: Path) -> sqlite3.Connection:
    """An in-memory copy of the SQLite file at ``path`` (the file is only read)."""
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        source.backup(memory)
    finally:
        source.close()
    return memory


def copy_checkpoints(path: Path, report: MigrateReport, target: Any) -> None:
    """Copy every checkpoint of each unfinished reflection's thread (``reflect:RUN``) from
    the SQLite checkpointer file ``path`` into ``target``, oldest first, each with its
    pending writes; a checkpoint ``target`` already holds is left alone."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    source = SqliteSaver(_read_only_copy(path))
    try:
        for run_id in report.unfinished:
            thread: Any = {"configurable": {"thread_id": f"reflect:{run_id}"}}
            found = list(source.list(thread))
            for item in reversed(found):  # oldest first: parents before children
                if target.get_tuple(item.config) is not None:
                    report.checkpoints_already += 1
                    continue
                by_task: dict[str, list[tuple[str, Any]]] = {}
                for task_id, channel, value in item.pending_writes or []:
                    by_task.setdefault(task_id, []).append((channel, value))
                for task_id, writes in by_task.items():
                    target.put_writes(item.config, writes, task_id)
                parent = item.parent_config or {"configurable": {
                    "thread_id": item.config["configurable"]["thread_id"],
                    "checkpoint_ns": item.config["configurable"].get("checkpoint_ns", "")}}
                target.put(parent, item.checkpoint, item.metadata,
                           item.checkpoint["channel_versions"])
                report.checkpoints_copied += 1
            if found:
                report.resumable.append(run_id)
    finally:
        source.conn.close()


def _read(conn: sa.Connection, table: sa.Table) -> list[dict[str, Any]]:
    """The rows of ``table`` in the source, with the columns both schemas have."""
    if not sa.inspect(conn).has_table(table.name):
        return []
    have = {c["name"] for c in sa.inspect(conn).get_columns(table.name)}
    cols = [c for c in table.c if c.name in have]
    query = sa.select(*cols)
    if table is outcomes:
        query = query.where(outcomes.c.source == "outcome")  # stories come from the KB
    if table is plan_reviews:
        query = query.order_by(plan_reviews.c.id)
    return [dict(r._mapping) for r in conn.execute(query)]


def _copy(target: Database, table: sa.Table, rows: list[dict[str, Any]], *,
          rep: str) -> tuple[int, int]:
    copied = 0
    with target.db() as db:
        for row in rows:
            if table is plans:
                row = {**row, "author": row.get("author") or rep, "revision": 1}
            if table is meetings:  # one rep's laptop, one rep's calendar (a local owner is
                row = {**row, "owner": rep}  # their login name, not their team.yaml name)
            if table is plan_reviews:
                row.pop("id", None)  # the team database numbers its own events
                match = db.execute(sa.select(plan_reviews.c.id).where(
                    *(plan_reviews.c[k] == row[k] for k in REVIEW_KEY))).first()
                if match is None:
                    db.execute(sa.insert(plan_reviews).values(**row))
                    copied += 1
                continue
            stmt = insert(db, table).values(**row).on_conflict_do_nothing()
            pk = next(iter(table.primary_key.columns))
            if db.execute(stmt.returning(pk)).first() is not None:
                copied += 1
    return copied, len(rows) - copied
