"""Baseline: the ICP ledger's outcomes and signals as icp_ledger.sqlite always had them.

Creates only the tables a database lacks, so a ledger written before migrations is adopted.

Revision ID: ledger_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "ledger_0001"
down_revision = None
branch_labels = None
depends_on = None


def _missing(name: str) -> bool:
    return not sa.inspect(op.get_bind()).has_table(name)


def upgrade() -> None:
    if _missing("outcomes"):
        op.create_table(
            "outcomes",
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
            sa.CheckConstraint("outcome IN ('won', 'lost', 'no-decision')",
                               name="outcomes_outcome"),
        )
        op.create_index("outcomes_account", "outcomes", ["account"])
    if _missing("signals"):
        op.create_table(
            "signals",
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
        )
        op.create_index("signals_attr", "signals", ["attribute", "value"])


def downgrade() -> None:
    raise NotImplementedError("the ledger cannot be downgraded below the baseline")
