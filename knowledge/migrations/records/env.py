"""Alembic environment of the ``records`` stream (see knowledge/database.py)."""

from knowledge.database import run_env

run_env("records")
