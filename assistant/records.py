"""SQLite records of what Huddle produced: plans (with versions and status).

``<data dir>/huddle.db``. Writes are idempotent (a plan is keyed by id; saving the same id
again replaces it in one transaction), so a workflow node that re-runs after a crash writes
nothing twice. Other record kinds (reviews, reflections) add their own tables here.

Touches only ``huddle.db``.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path
from typing import Any

from assistant.plan import Plan
from knowledge.errors import HuddleError
from knowledge.faults import crash_point
from knowledge.sqlite import SqliteFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS plans (
    id TEXT PRIMARY KEY,
    root_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    parent_id TEXT,
    account TEXT NOT NULL,
    meeting_date TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    model TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS plans_account ON plans(account, meeting_date);
CREATE INDEX IF NOT EXISTS plans_root ON plans(root_id, version);
"""


class PlanNotFound(HuddleError):
    title = "No such plan"


def new_plan_id(account: str, date: dt.date) -> str:
    """A fresh id: 32 random bits per account and meeting date (``Records.new_plan_id``
    also checks that no stored plan has it)."""
    return f"p-{date.strftime('%Y%m%d')}-{account}-{secrets.token_hex(4)}"


class Records(SqliteFile):
    """The plans database under a data directory."""

    holds = "your plans, reviews, meetings and reflections (they cannot be rebuilt)"

    foreign_keys = True

    def __init__(self, data_dir: str | Path) -> None:
        super().__init__(Path(data_dir) / "huddle.db", _SCHEMA)

    # ---- plans ---------------------------------------------------------------------

    def new_plan_id(self, account: str, date: dt.date, attempts: int = 8) -> str:
        """An id no stored plan has (saving a plan under a taken id would replace it)."""
        for _ in range(attempts):
            plan_id = new_plan_id(account, date)
            with self.db() as db:
                if db.execute("SELECT 1 FROM plans WHERE id = ?", (plan_id,)).fetchone() is None:
                    return plan_id
        raise HuddleError(f"found no free plan id for {account} on {date} in {attempts} tries; "
                          "nothing was saved. Try again; if it repeats, report it",
                          title="Plans")

    def save_plan(self, plan: Plan) -> None:
        root = plan.id
        if plan.parent_id:
            parent = self.get_plan(plan.parent_id)
            root = self._root_of(parent.id)
        with self.db() as db:
            db.execute(
                "INSERT INTO plans(id, root_id, version, parent_id, account, meeting_date, kind,"
                " status, created_at, model, body) VALUES(?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(id) DO UPDATE SET status=excluded.status, body=excluded.body,"
                " model=excluded.model",
                (plan.id, root, plan.version, plan.parent_id, plan.meeting.account,
                 plan.meeting.date.isoformat(), plan.meeting.kind, plan.status,
                 plan.created_at, plan.provenance.model, plan.model_dump_json()),
            )
        crash_point("records.plan")

    def _root_of(self, plan_id: str) -> str:
        with self.db() as db:
            row = db.execute("SELECT root_id FROM plans WHERE id = ?", (plan_id,)).fetchone()
        return row[0] if row else plan_id

    def get_plan(self, plan_id: str) -> Plan:
        with self.db() as db:
            row = db.execute("SELECT body FROM plans WHERE id = ?", (plan_id,)).fetchone()
            if row is None:
                matches = db.execute("SELECT body FROM plans WHERE id LIKE ?",
                                     (plan_id + "%",)).fetchall()
                if len(matches) == 1:
                    row = matches[0]
        if row is None:
            raise PlanNotFound(f"no plan {plan_id!r}: `huddle plans list` shows the ids")
        return Plan.model_validate_json(row[0])

    def set_status(self, plan_id: str, status: str) -> Plan:
        plan = self.get_plan(plan_id)
        plan.status = status  # type: ignore[assignment]
        self.save_plan(plan)
        return plan

    def list_plans(self, account: str | None = None, status: str | None = None,
                   limit: int = 50) -> list[dict[str, Any]]:
        keys = ["id", "version", "parent_id", "account", "meeting_date", "kind", "status",
                "created_at", "model"]
        return self.listing("plans", keys, where={"account": account, "status": status},
                            order_by="created_at DESC, id DESC", limit=limit)

    def versions(self, plan_id: str) -> list[Plan]:
        root = self._root_of(plan_id)
        with self.db() as db:
            rows = db.execute("SELECT body FROM plans WHERE root_id = ? ORDER BY version",
                              (root,)).fetchall()
        return [Plan.model_validate_json(r[0]) for r in rows]

    def body_json(self, plan_id: str) -> dict[str, Any]:
        return json.loads(self.get_plan(plan_id).model_dump_json())
