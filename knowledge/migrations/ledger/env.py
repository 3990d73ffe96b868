"""Alembic environment of the ``ledger`` stream (see knowledge/database.py)."""

from knowledge.database import run_env

run_env("ledger")
