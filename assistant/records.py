"""Records of what Huddle produced: plans (with versions and status).

Table ``plans`` (:mod:`knowledge.tables`) in ``<data dir>/huddle.db``, or in the team's
PostgreSQL database when ``database_url`` is set. Writes are idempotent (a plan is keyed by
id; saving the same id again replaces its status and body in one transaction), so a workflow
node that re-runs after a crash writes nothing twice. A new version of a plan is stored only
if no other version took its number first (two people revising the same plan at once: the
second gets :class:`~knowledge.database.StaleWriteError`, nothing is overwritten), and a status
change names the revision it read (:meth:`Records.set_status`).

Touches only the records database.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from assistant.plan import Plan
from knowledge.database import Database, StaleWriteError, insert
from knowledge.errors import HuddleError
from knowledge.faults import crash_point
from knowledge.tables import plans


class PlanNotFound(HuddleError):
    title = "No such plan"


def new_plan_id(account: str, date: dt.date) -> str:
    """A fresh id: 32 random bits per account and meeting date (``Records.new_plan_id``
    also checks that no stored plan has it)."""
    return f"p-{date.strftime('%Y%m%d')}-{account}-{secrets.token_hex(4)}"


class Records(Database):
    """The plans under a data directory (or in the team database at ``database_url``)."""

    holds = "your plans, reviews, meetings and reflections (they cannot be rebuilt)"
    stream = "records"

    def __init__(self, data_dir: str | Path, *, database_url: str | None = None) -> None:
        super().__init__(Path(data_dir) / "huddle.db", url=database_url)

    # ---- plans ---------------------------------------------------------------------

    def new_plan_id(self, account: str, date: dt.date, attempts: int = 8) -> str:
        """An id no stored plan has (saving a plan under a taken id would replace it)."""
        for _ in range(attempts):
            plan_id = new_plan_id(account, date)
            with self.db() as db:
                if db.execute(sa.select(plans.c.id).where(plans.c.id == plan_id)).first() is None:
                    return plan_id
        raise HuddleError(f"found no free plan id for {account} on {date} in {attempts} tries; "
                          "nothing was saved. Try again; if it repeats, report it",
                          title="Plans")

    def save_plan(self, plan: Plan, *, author: str | None = None) -> None:
        """Store ``plan`` (again: its status and body are replaced, its revision bumped).

        A new version (``parent_id`` set) is refused with :class:`StaleWriteError` when its
        plan already has that version under another id: someone revised it meanwhile."""
        root = plan.id
        if plan.parent_id:
            parent = self.get_plan(plan.parent_id)
            root = self._root_of(parent.id)
        row = {"id": plan.id, "root_id": root, "version": plan.version,
               "parent_id": plan.parent_id, "account": plan.meeting.account,
               "meeting_date": plan.meeting.date.isoformat(), "kind": plan.meeting.kind,
               "status": plan.status, "created_at": plan.created_at,
               "model": plan.provenance.model, "body": plan.model_dump_json(),
               "author": author, "revision": 1}
        try:
            with self.db() as db:
                taken = db.execute(sa.select(plans.c.id, plans.c.author).where(
                    plans.c.root_id == root, plans.c.version == plan.version,
                    plans.c.id != plan.id)).first()
                if taken is not None:
                    raise _version_taken(root, plan.version, taken.id, taken.author)
                stmt = insert(db, plans).values(**row)
                db.execute(stmt.on_conflict_do_update(index_elements=[plans.c.id], set_={
                    "status": stmt.excluded.status, "body": stmt.excluded.body,
                    "model": stmt.excluded.model,
                    "author": sa.func.coalesce(stmt.excluded.author, plans.c.author),
                    "revision": plans.c.revision + 1}))
        except sa.exc.IntegrityError:  # the unique (root_id, version): a revision won the race
            raise _version_taken(root, plan.version, None, None) from None
        crash_point("records.plan")

    def _root_of(self, plan_id: str) -> str:
        with self.db() as db:
            root = db.execute(sa.select(plans.c.root_id).where(plans.c.id == plan_id)).scalar()
        return root if root else plan_id

    def _find(self, plan_id: str, *columns: sa.ColumnElement[Any]) -> sa.Row[Any] | None:
        """The row of ``plan_id`` or of the one plan whose id starts with it."""
        with self.db() as db:
            row = db.execute(sa.select(*columns).where(plans.c.id == plan_id)).first()
            if row is None:
                matches = db.execute(sa.select(*columns).where(
                    plans.c.id.like(plan_id + "%")).limit(2)).all()
                if len(matches) == 1:
                    row = matches[0]
        return row

    def get_plan(self, plan_id: str) -> Plan:
        row = self._find(plan_id, plans.c.body)
        if row is None:
            raise PlanNotFound(f"no plan {plan_id!r}: `huddle plans list` shows the ids")
        return Plan.model_validate_json(row[0])

    def info(self, plan_id: str) -> dict[str, Any]:
        """Who drafted the plan, its root and its row revision (for optimistic writes)."""
        row = self._find(plan_id, plans.c.id, plans.c.root_id, plans.c.author,
                         plans.c.revision, plans.c.status)
        if row is None:
            raise PlanNotFound(f"no plan {plan_id!r}: `huddle plans list` shows the ids")
        return dict(row._mapping)

    def owner(self, plan_id: str) -> str | None:
        """The rep a plan belongs to: who drafted its first version (else this one); None
        for a plan drafted before team mode named anyone."""
        info = self.info(plan_id)
        with self.db() as db:
            first = db.execute(sa.select(plans.c.author).where(
                plans.c.id == info["root_id"])).scalar()
        return first or info["author"]

    def set_status(self, plan_id: str, status: str, *,
                   expected_revision: int | None = None) -> Plan:
        """Change a plan's status; with ``expected_revision``, only if nobody changed the
        plan since that revision was read (else :class:`StaleWriteError`)."""
        plan = self.get_plan(plan_id)
        info = self.info(plan.id)
        revision = info["revision"] if expected_revision is None else expected_revision
        updated = plan.model_copy(update={"status": status})
        with self.db() as db:
            done = db.execute(sa.update(plans).where(
                plans.c.id == plan.id, plans.c.revision == revision).values(
                status=status, body=updated.model_dump_json(),
                revision=plans.c.revision + 1)).rowcount
        if done != 1:
            raise stale_plan(plan.id, self.info(plan.id))
        return updated

    def list_plans(self, account: str | None = None, status: str | None = None,
                   limit: int = 50, author: str | None = None) -> list[dict[str, Any]]:
        keys = ["id", "version", "parent_id", "account", "meeting_date", "kind", "status",
                "created_at", "model", "author"]
        return self.listing(plans, keys,
                            where={"account": account, "status": status, "author": author},
                            order_by=[plans.c.created_at.desc(), plans.c.id.desc()],
                            limit=limit)

    def versions(self, plan_id: str) -> list[Plan]:
        root = self._root_of(plan_id)
        with self.db() as db:
            rows = db.execute(sa.select(plans.c.body).where(plans.c.root_id == root)
                              .order_by(plans.c.version)).all()
        return [Plan.model_validate_json(r[0]) for r in rows]

    def body_json(self, plan_id: str) -> dict[str, Any]:
        return json.loads(self.get_plan(plan_id).model_dump_json())


def _version_taken(root: str, version: int, other: str | None,
                   author: str | None) -> StaleWriteError:
    who = f" by {author}" if author else ""
    which = f" ({other}{who})" if other else ""
    return StaleWriteError(
        f"plan {root} already has a version {version}{which}, saved while you were working; "
        f"nothing was saved. Open its newest version (`huddle review show {root}`) and make "
        "your change there")


def stale_plan(plan_id: str, now: dict[str, Any]) -> StaleWriteError:
    """The message for a write that read an older revision of ``plan_id``."""
    return StaleWriteError(
        f"plan {plan_id} changed since you opened it (it is now "
        f"{str(now['status']).replace('_', ' ')}, revision {now['revision']}); nothing was "
        f"written. Reload it (`huddle review show {plan_id}`) and try again")
