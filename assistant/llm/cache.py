"""The gateway's response cache: raw answers and their usage in ``<data_dir>/llm_cache.sqlite``.

litellm's own cache crashes here, so Huddle keeps its own. Imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from assistant.llm.results import Usage

log = logging.getLogger(__name__)


class ResponseCache:
    """Raw model answers and their usage in SQLite, keyed by a request hash.

    A broken cache never breaks a call: errors are logged and the call goes to the model.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False
        self._lock = threading.Lock()

    @staticmethod
    def key(
        *,
        model: str,
        prompt_id: str,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        max_tokens: int,
        temperature: float,
    ) -> str:
        payload = json.dumps(
            {
                "model": model,
                "prompt_id": prompt_id,
                "messages": messages,
                "schema": schema,
                "max_tokens": max_tokens,
                "temperature": temperature,
            },
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            if not self._ready:
                with self._lock:
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.execute(
                        "CREATE TABLE IF NOT EXISTS llm_cache ("
                        " key TEXT PRIMARY KEY, model TEXT NOT NULL, prompt_id TEXT NOT NULL,"
                        " raw TEXT NOT NULL, usage TEXT NOT NULL, created_at REAL NOT NULL)"
                    )
                    conn.commit()
                    from knowledge.private import private_file

                    private_file(self.path)  # prompts quote the notes: 0600
                    self._ready = True
            yield conn
        finally:
            conn.close()

    def get(self, key: str) -> tuple[str, Usage] | None:
        try:
            with self._connect() as conn:
                row = conn.execute(
                    "SELECT raw, usage FROM llm_cache WHERE key = ?", (key,)
                ).fetchone()
        except sqlite3.Error as exc:
            log.warning("LLM cache %s unreadable (%s); calling the model", self.path, exc)
            return None
        if row is None:
            return None
        try:
            usage = Usage(**json.loads(row[1]))
        except (TypeError, ValueError):
            return None
        return row[0], usage

    def put_many(self, rows: list[tuple[str, str, str, str, Usage]]) -> None:
        """Store ``(key, model, prompt_id, raw, usage)`` rows in one transaction."""
        if not rows:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO llm_cache VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (key, model, pid, raw, json.dumps(asdict(replace(u, cached=False))),
                         time.time())
                        for key, model, pid, raw, u in rows
                    ],
                )
                conn.commit()
        except (sqlite3.Error, OSError) as exc:
            log.warning("LLM cache %s not writable (%s); answer not cached", self.path, exc)
