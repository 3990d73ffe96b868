"""The langgraph checkpointer in the team's PostgreSQL database (langgraph-checkpoint-postgres).

A reflection paused for the rep's decisions on one machine resumes on another: the
checkpoint lives in the database every machine points at. ``PostgresSaver.setup()`` (its own
tables and migrations) runs once per process per database, under an advisory lock so two
machines starting at once do not both create the tables.

Touches the database at ``database_url`` only.
"""

from __future__ import annotations

import threading
from typing import Any

from knowledge.database import libpq_url, lock_key

_READY: set[str] = set()
_READY_LOCK = threading.Lock()


def postgres_saver(database_url: str) -> Any:
    """A ``PostgresSaver`` on its own connection (the caller closes ``saver.conn``)."""
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg import Connection
    from psycopg.rows import dict_row

    url = libpq_url(database_url)
    conn: Connection[Any] = Connection.connect(url, autocommit=True, prepare_threshold=0,
                                               row_factory=dict_row)
    saver = PostgresSaver(conn)  # type: ignore[arg-type]
    with _READY_LOCK:
        if url not in _READY:
            try:
                conn.execute("SELECT pg_advisory_lock(%s)", (lock_key("checkpoints"),))
                try:
                    saver.setup()
                finally:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (lock_key("checkpoints"),))
            except BaseException:
                conn.close()
                raise
            _READY.add(url)
    return saver
