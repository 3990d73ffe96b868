"""Every record table, defined once (SQLAlchemy Core), for SQLite and PostgreSQL alike.

Two groups, each with its own migration stream (``knowledge/migrations/<stream>``):

- ``RECORDS`` — plans (and their versions), plan reviews, upcoming meetings, reflection runs
  and their write log: ``<data dir>/huddle.db`` in the embedded default;
- ``LEDGER`` — the ICP evidence ledger's outcomes and signals: ``<data dir>/icp_ledger.sqlite``.

In team mode both groups live in one PostgreSQL database (each stream keeps its own version
table, so the two never step on each other). The column types are the ones the SQLite files
always had (text, integer, real), so files written before these definitions load unchanged;
the migrations say how an older file reaches the current shape.

Imports SQLAlchemy only.
"""

from __future__ import annotations

import sqlalchemy as sa

RECORDS = sa.MetaData()
LEDGER = sa.MetaData()

# ---- records (huddle.db) -----------------------------------------------------------------

plans = sa.Table(
    "plans", RECORDS,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("root_id", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("parent_id", sa.Text),
    sa.Column("account", sa.Text, nullable=False),
    sa.Column("meeting_date", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("model", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    # 0002: who drafted it (the rep), and the row's revision for optimistic writes
    sa.Column("author", sa.Text),
    sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
    sa.Index("plans_account", "account", "meeting_date"),
    sa.Index("plans_root", "root_id", "version"),
    # 0002: one row per version of a plan, so two revisions of the same version cannot both
    # be stored (the second is a stale write); left out of a file that already held such a
    # pair (see the migration), where the check in ``Records.save_plan`` still applies
    sa.Index("plans_root_version", "root_id", "version", unique=True),
)

plan_reviews = sa.Table(
    "plan_reviews", RECORDS,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("plan_id", sa.Text, nullable=False),
    sa.Column("root_id", sa.Text, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("action", sa.Text, nullable=False),
    sa.Column("from_status", sa.Text, nullable=False),
    sa.Column("to_status", sa.Text, nullable=False),
    sa.Column("by", sa.Text, nullable=False),
    sa.Column("at", sa.Text, nullable=False),
    sa.Column("comment", sa.Text),
    sa.Column("section_comments", sa.Text, nullable=False, server_default="{}"),
    sa.Index("plan_reviews_root", "root_id", "id"),
    sqlite_autoincrement=True,
)

meetings = sa.Table(
    "meetings", RECORDS,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("external_key", sa.Text, unique=True),
    sa.Column("account", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("starts_at", sa.Text, nullable=False),
    sa.Column("day", sa.Text, nullable=False),
    sa.Column("minutes", sa.Integer, nullable=False),
    sa.Column("sellers", sa.Text, nullable=False),
    sa.Column("buyers", sa.Text, nullable=False),
    sa.Column("goal", sa.Text),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("plan_id", sa.Text),
    sa.Column("created_at", sa.Text, nullable=False),
    # 0003: the rep the meeting belongs to (``me`` when added or imported); NULL: shared
    sa.Column("owner", sa.Text),
    sa.Index("meetings_day", "day", "starts_at"),
    sa.Index("meetings_owner", "owner", "day"),
)

reflections = sa.Table(
    "reflections", RECORDS,
    sa.Column("run_id", sa.Text, primary_key=True),
    sa.Column("account", sa.Text, nullable=False),
    sa.Column("plan_id", sa.Text),
    sa.Column("meeting_date", sa.Text),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("author", sa.Text),
    sa.Column("source", sa.Text),
    sa.Column("created_at", sa.Text, nullable=False),
    sa.Column("updated_at", sa.Text, nullable=False),
    sa.Column("body", sa.Text),
    sa.Column("decisions", sa.Text),
    sa.Index("reflections_account", "account", "created_at"),
)

reflection_writes = sa.Table(
    "reflection_writes", RECORDS,
    sa.Column("run_id", sa.Text, primary_key=True),
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("detail", sa.Text),
    sa.Column("done_at", sa.Text, nullable=False),
)

# ---- the ICP ledger (icp_ledger.sqlite) ----------------------------------------------------

outcomes = sa.Table(
    "outcomes", LEDGER,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("source_id", sa.Text, nullable=False),
    sa.Column("account", sa.Text),
    sa.Column("outcome", sa.Text, nullable=False),
    sa.Column("date", sa.Text),
    sa.Column("profile", sa.Text, nullable=False),
    sa.Column("competitor", sa.Text),
    sa.Column("reason", sa.Text),
    sa.Column("cycle_days", sa.Integer),
    sa.Column("people_involved", sa.Integer),
    sa.Column("delivery_friction", sa.Text),
    sa.Column("satisfaction", sa.Integer),
    sa.Column("deal_size", sa.Float),
    sa.Column("fit", sa.Text),
    sa.Column("recorded_by", sa.Text),
    sa.Column("recorded_at", sa.Text, nullable=False),
    sa.CheckConstraint("source IN ('story', 'outcome')", name="outcomes_source"),
    sa.CheckConstraint("outcome IN ('won', 'lost', 'no-decision')", name="outcomes_outcome"),
    sa.Index("outcomes_account", "account"),
)

signals = sa.Table(
    "signals", LEDGER,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("source_id", sa.Text, nullable=False),
    sa.Column("account", sa.Text, nullable=False),
    sa.Column("attribute", sa.Text, nullable=False),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("raw", sa.Text),
    sa.Column("signal", sa.Text, nullable=False),
    sa.Column("quote", sa.Text, nullable=False),
    sa.Column("speaker", sa.Text),
    sa.Column("recorded_by", sa.Text),
    sa.Column("recorded_at", sa.Text, nullable=False),
    sa.CheckConstraint("signal IN ('supports', 'against')", name="signals_signal"),
    sa.Index("signals_attr", "attribute", "value"),
)

STREAMS: dict[str, sa.MetaData] = {"records": RECORDS, "ledger": LEDGER}
"""Migration stream name -> the tables it owns."""
