"""Baseline: the tables huddle.db had before migrations (plans, reviews, meetings, reflections).

Creates only the tables a database lacks, so a file written by an earlier Huddle (whose
stores each ran ``CREATE TABLE IF NOT EXISTS``, some of them never) is adopted as it is.

Revision ID: records_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "records_0001"
down_revision = None
branch_labels = None
depends_on = None


def _missing(name: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(name)


def upgrade() -> None:
    if _missing("plans"):
        op.create_table(
            "plans",
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
        )
        op.create_index("plans_account", "plans", ["account", "meeting_date"])
        op.create_index("plans_root", "plans", ["root_id", "version"])
    if _missing("plan_reviews"):
        op.create_table(
            "plan_reviews",
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
            sqlite_autoincrement=True,
        )
        op.create_index("plan_reviews_root", "plan_reviews", ["root_id", "id"])
    if _missing("meetings"):
        op.create_table(
            "meetings",
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
        )
        op.create_index("meetings_day", "meetings", ["day", "starts_at"])
    if _missing("reflections"):
        op.create_table(
            "reflections",
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
        )
        op.create_index("reflections_account", "reflections", ["account", "created_at"])
    if _missing("reflection_writes"):
        op.create_table(
            "reflection_writes",
            sa.Column("run_id", sa.Text, primary_key=True),
            sa.Column("key", sa.Text, primary_key=True),
            sa.Column("detail", sa.Text),
            sa.Column("done_at", sa.Text, nullable=False),
        )


def downgrade() -> None:
    raise NotImplementedError("records cannot be downgraded below the baseline")
