"""Meetings per rep: ``meetings.owner``, the rep a meeting belongs to.

Set to ``me`` when a meeting is added or imported from a calendar; NULL for meetings stored
before (shared: every rep sees them). In team mode a rep's upcoming meetings and prep-all
list their own and the shared ones by default; a manager sees all.

Checks what is there first, so a run interrupted half-way completes on the next open.

Revision ID: records_0003
Revises: records_0002
"""

import sqlalchemy as sa
from alembic import op

revision = "records_0003"
down_revision = "records_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if "owner" not in {c["name"] for c in inspector.get_columns("meetings")}:
        op.add_column("meetings", sa.Column("owner", sa.Text))
    if "meetings_owner" not in {i["name"] for i in inspector.get_indexes("meetings")}:
        op.create_index("meetings_owner", "meetings", ["owner", "day"])


def downgrade() -> None:
    op.drop_index("meetings_owner", table_name="meetings", if_exists=True)
    op.drop_column("meetings", "owner")
