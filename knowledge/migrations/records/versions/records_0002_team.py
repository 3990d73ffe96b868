"""Team mode: who drafted a plan, a revision counter for optimistic writes, one row per version.

- ``plans.author``: the rep who drafted the plan (``me`` in the config); empty for plans
  drafted before;
- ``plans.revision``: bumped by every change of a stored plan row; a write that read an
  older revision changes nothing and is reported (``StaleWriteError``);
- unique ``(root_id, version)``: two revisions of the same version cannot both be stored.
  A database that already holds such a pair (two revisions saved at once by an older Huddle)
  keeps them and gets no unique index; the check in ``Records.save_plan`` still applies.

Each step checks what is there first, so a run interrupted half-way (SQLite applies DDL one
statement at a time) completes on the next open.

Revision ID: records_0002
Revises: records_0001
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "records_0002"
down_revision = "records_0001"
branch_labels = None
depends_on = None

log = logging.getLogger("huddle.migrations")


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    columns = {c["name"] for c in inspector.get_columns("plans")}
    if "author" not in columns:
        op.add_column("plans", sa.Column("author", sa.Text))
    if "revision" not in columns:
        op.add_column("plans", sa.Column("revision", sa.Integer, nullable=False,
                                         server_default="1"))
    indexes = {i["name"] for i in inspector.get_indexes("plans")}
    if "plans_root_version" not in indexes:
        doubled = bind.execute(sa.text(
            "SELECT root_id, version FROM plans GROUP BY root_id, version HAVING COUNT(*) > 1"
        )).first()
        if doubled is None:
            op.create_index("plans_root_version", "plans", ["root_id", "version"], unique=True)
        else:
            log.warning("plans %s has two rows for version %s: no unique index on "
                        "(root_id, version)", doubled[0], doubled[1])


def downgrade() -> None:
    op.drop_index("plans_root_version", table_name="plans", if_exists=True)
    op.drop_column("plans", "revision")
    op.drop_column("plans", "author")
