"""The derived index of a knowledge base: chromadb vectors plus a SQLite manifest and FTS.

Layout under the data directory::

    chroma/          chromadb PersistentClient (collection ``huddle_chunks``), telemetry off
    index.sqlite     manifest (which documents are in the store, at which content hash),
                     chunk texts and metadata, and an FTS5 table for lexical (BM25) search
                     whose rowids equal the rowids of ``chunks`` (see ``FTS_ROWIDS``)
    .write.lock      held by the one process allowed to write

Write order per document is "vectors first, manifest second": a crash between the two leaves
a document the manifest does not know at that hash, so the next ingest re-applies it (upsert
is idempotent). Deleting goes the same way. That is why a killed ingest converges.

chromadb is not process-safe; one writer at a time holds ``.write.lock`` (fail fast, or wait up
to ``wait_s`` seconds for it: ``Huddle.ensure_ingested(wait_s=)``).

Team mode (:class:`IndexServer`): the vectors live on a Chroma server (``chroma run``, reached
with chromadb's ``HttpClient``) in the same collections with the same metadata, embedded with
our own sentence-transformers function as always; ``index.sqlite`` (manifest and lexical
index) stays in each machine's data directory, rebuilt from the KB like the rest. One writer
per knowledge base across machines: the writer holds a PostgreSQL advisory lock in the team
database (released by the server if the writer dies) instead of ``.write.lock``; readers take
no lock and are never blocked.

The index is derived from the KB files, so it is the one thing Huddle may throw away:
``Store(writer=True, fresh=True)`` (``ingest --rebuild``) deletes ``index.sqlite`` and
``chroma/`` under the lock and starts empty, whatever state they were in. A damaged
``index.sqlite`` is reported on open (:class:`DamagedFileError`, saying to rebuild), and an
ingest that has not finished (running, or killed) leaves ``meta.ingest = running``, which
readers report as "index incomplete" instead of searching half an index.
Touches only the data directory.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.chunking import Chunk
from knowledge.errors import (
    DamagedFileError,
    HuddleError,
    NotIngestedError,
    StoreLockedError,
    StoreMismatchError,
)
from knowledge.faults import crash_point
from knowledge.private import private_dir, private_file, private_tree
from knowledge.sqlite import check_database

log = logging.getLogger(__name__)

ALL = "huddle_all"
STORIES = "huddle_stories"


def account_collection(slug: str) -> str:
    return f"acct-{slug}"


def partition_of(chunk: Chunk) -> str:
    if chunk.doc_type == "story":
        return STORIES
    return account_collection(chunk.metadata.get("account") or "none")
SCHEMA_VERSION = "1"
INDEX_FILES = ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm", "chroma")
INDEX_HOLDS = "the search index, which is rebuilt from the KB files"
INDEX_REMEDY = "Rebuild it from the KB: `huddle ingest --rebuild`."

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, doc_type TEXT NOT NULL,
    account TEXT NOT NULL, sha TEXT NOT NULL, chunk_ids TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
    doc_type TEXT NOT NULL, account TEXT NOT NULL, kind TEXT NOT NULL,
    outcome TEXT NOT NULL, date INTEGER NOT NULL, author TEXT NOT NULL,
    text TEXT NOT NULL, metadata TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE INDEX IF NOT EXISTS chunks_account ON chunks(account, doc_type);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, chunk_id UNINDEXED, tokenize = 'porter unicode61'
);
"""

# Meta key: when its value is "chunks", every chunks_fts row has the rowid of its chunks row.
# A filtered lexical search can then restrict FTS matches by rowid (no per-match join, no
# read of the FTS content) — at 100k chunks the account-scoped FTS query fell from ~100 ms to
# ~12 ms. Set by the writer (which re-keys older stores once); readers check it per query.
FTS_ROWIDS = "fts_rowids"
# Meta key: a counter every write to chunks_fts bumps in its own transaction, so a reader
# holding FTS statistics in memory (``knowledge.postings``) knows they are stale.
FTS_GENERATION = "fts_generation"


@dataclass(frozen=True)
class IndexServer:
    """Where a team's index lives: the Chroma server, and the database holding the lock."""

    chroma_url: str
    database_url: str | None = None

    @property
    def label(self) -> str:
        from knowledge.database import mask_url

        return f"the Chroma server at {mask_url(self.chroma_url)}"

    def client(self) -> Any:
        """chromadb's ``HttpClient`` for the URL (``http[s]://[user:password@]host[:port]``),
        telemetry off."""
        import base64
        from urllib.parse import unquote, urlsplit

        import chromadb
        from chromadb.config import Settings as ChromaSettings

        parts = urlsplit(self.chroma_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise HuddleError(f"chroma_url {self.label} is not http(s)://HOST:PORT",
                              title="Chroma server")
        headers = {}
        if parts.username is not None:
            token = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
            headers["Authorization"] = "Basic " + base64.b64encode(token.encode()).decode()
        return chromadb.HttpClient(
            host=parts.hostname, port=parts.port or (443 if parts.scheme == "https" else 8000),
            ssl=parts.scheme == "https", headers=headers or None,
            settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False))


class Store:
    """Open the index under ``data_dir`` (vectors on ``server`` when given). ``writer=True``
    takes the write lock, waiting up to ``wait_s`` seconds for another writer to let go
    (0: fail at once with :class:`StoreLockedError`)."""

    def __init__(self, data_dir: str | Path, *, writer: bool = False,
                 fresh: bool = False, server: IndexServer | None = None,
                 wait_s: float = 0) -> None:
        self.data_dir = Path(data_dir)
        self.server = server
        self.writer = writer
        self._lock: Any = None
        self._client: Any = None
        self._collections: dict[str, Any] = {}
        self._local = threading.local()
        if writer:
            private_dir(self.data_dir)
            self._acquire_lock(wait_s)
            if fresh:
                self._remove_index()
        elif not (self.data_dir / "index.sqlite").exists():
            raise NotIngestedError(
                f"no index in {self.data_dir}: run `huddle ingest` first (same --kb/--data-dir)"
            )
        try:
            check_database(self.data_dir / "index.sqlite", holds=INDEX_HOLDS,
                           remedy=INDEX_REMEDY, full=writer)
            with self.db() as db:
                db.executescript(_SCHEMA)
            if writer:
                self._key_fts_by_chunk_rowid()
        except BaseException:
            self.close()
            raise
        if writer:
            private_file(self.data_dir / "index.sqlite")

    def _remove_index(self) -> None:
        """Delete the derived index (any state, even unreadable) so it is rebuilt from the KB."""
        import shutil

        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None
        if self.server is not None:  # the shared vectors go too (we hold the team's lock)
            self._drop_collections(self._client_())
        self._client = None
        self._collections.clear()
        forget_chroma_clients()
        for name in INDEX_FILES:
            path = self.data_dir / name
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
        log.info("removed the index in %s for a rebuild", self.data_dir)

    def completeness(self) -> str | None:
        """None when the last ingest finished; otherwise what to tell a reader."""
        try:
            state = self.get_meta("ingest")
            finished = self.get_meta("last_ingest")
        except sqlite3.DatabaseError as exc:
            raise self.damaged(exc) from None
        if state == "running" or finished is None:
            return (f"the index in {self.data_dir} is incomplete: an ingest is running or "
                    "was stopped before it finished. Run `huddle ingest` (or wait for the "
                    "running one), then search again")
        return None

    def damaged(self, exc: Exception) -> DamagedFileError:
        path = self.data_dir / "index.sqlite"
        return DamagedFileError(f"{path} cannot be read ({exc}). It holds {INDEX_HOLDS}. "
                                f"{INDEX_REMEDY}", path=str(path))

    # ---- locking -------------------------------------------------------------------

    def _acquire_lock(self, wait_s: float = 0) -> None:
        if self.server is not None:
            self._lock = _ServerLock(self.server, wait_s)
            return
        from filelock import FileLock, Timeout

        lock = FileLock(str(self.data_dir / ".write.lock"))
        try:
            lock.acquire(timeout=max(0.0, wait_s))
        except Timeout:
            raise StoreLockedError(
                f"another Huddle process is writing {self.data_dir} (ingest or the app). "
                "Wait for it to finish, or close it, then try again."
            ) from None
        self._lock = lock

    def close(self) -> None:
        if self._lock is not None:
            if self.server is None:
                private_file(self.data_dir / ".write.lock")
            self._lock.release()
            self._lock = None
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- sqlite --------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.data_dir / "index.sqlite", timeout=30)
            private_file(self.data_dir / "index.sqlite")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    @contextlib.contextmanager
    def db(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with conn:
            yield conn

    def get_meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, values: dict[str, str]) -> None:
        with self.db() as db:
            db.executemany(
                "INSERT INTO meta(key, value) VALUES(?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    def fts_keyed_by_chunk_rowid(self) -> bool:
        return self.get_meta(FTS_ROWIDS) == "chunks"

    def _key_fts_by_chunk_rowid(self) -> None:
        """Once per store: give every FTS row its chunk's rowid (and index chunks by type)."""
        if self.fts_keyed_by_chunk_rowid():
            return
        with self.db() as db:
            db.execute("CREATE INDEX IF NOT EXISTS chunks_type ON chunks(doc_type)")
            db.execute("DROP TABLE IF EXISTS temp.fts_rekey")
            db.execute(
                "CREATE TEMP TABLE fts_rekey AS SELECT c.rowid AS rid, f.text AS text, "
                "f.chunk_id AS chunk_id FROM chunks_fts f JOIN chunks c ON c.chunk_id = f.chunk_id"
            )
            db.execute("DELETE FROM chunks_fts")
            db.execute(
                "INSERT INTO chunks_fts(rowid, text, chunk_id) "
                "SELECT rid, text, chunk_id FROM temp.fts_rekey"
            )
            db.execute("DROP TABLE temp.fts_rekey")
            _bump_generation(db)
            db.execute(
                "INSERT INTO meta(key, value) VALUES(?, 'chunks') "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (FTS_ROWIDS,),
            )

    def manifest(self) -> dict[str, str]:
        """doc id -> content hash of what the store holds."""
        return dict(self._conn().execute("SELECT doc_id, sha FROM docs").fetchall())

    def doc_chunk_ids(self, doc_id: str) -> list[str]:
        row = self._conn().execute(
            "SELECT chunk_ids FROM docs WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return json.loads(row[0]) if row else []

    def counts(self) -> dict[str, int]:
        conn = self._conn()
        docs = dict(
            conn.execute("SELECT doc_type, COUNT(*) FROM docs GROUP BY doc_type").fetchall()
        )
        chunks = conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        fts = conn.execute("SELECT COUNT(*) FROM chunks_fts").fetchone()[0]
        return {
            "notes": docs.get("note", 0), "stories": docs.get("story", 0),
            "chunks": chunks, "fts_rows": fts,
        }

    # ---- chroma --------------------------------------------------------------------
    #
    # chromadb's metadata filters cost 56 ms p50 at 100k chunks (measured, see README), so
    # the store is partitioned instead: ``huddle_all`` (every chunk, for global search),
    # ``huddle_stories`` (stories) and ``acct-<slug>`` (the notes of one account). Each
    # query then runs unfiltered on the smallest collection that holds what it wants.

    def _client_(self) -> Any:
        if self._client is None and self.server is not None:
            self._client = self.server.client()
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            private_dir(self.data_dir / "chroma")
            self._client = chromadb.PersistentClient(
                path=str(self.data_dir / "chroma"),
                settings=ChromaSettings(anonymized_telemetry=False, allow_reset=False),
            )
        return self._client

    def collection_for(self, name: str, *, create: bool = False) -> Any | None:
        """The named collection (None when it does not exist and ``create`` is False)."""
        if name in self._collections:
            return self._collections[name]
        from knowledge.embeddings import MODEL_NAME, embedding_function, model_fingerprint

        client = self._client_()
        fingerprint = model_fingerprint()
        try:
            col = client.get_collection(name, embedding_function=embedding_function())
        except Exception:  # chromadb raises NotFoundError (or ValueError in older releases)
            col = None
        if col is not None:
            stored = (col.metadata or {}).get("embed_fingerprint")
            if stored != fingerprint:
                raise StoreMismatchError(
                    f"the store in {self.data_dir} was embedded with model "
                    f"{(col.metadata or {}).get('embed_model')} ({stored}); this install has "
                    f"{MODEL_NAME} ({fingerprint}). Run `huddle ingest --rebuild`."
                )
        elif create:
            self._require_writer()
            col = client.create_collection(
                name,
                embedding_function=embedding_function(),
                metadata={
                    "embed_model": MODEL_NAME,
                    "embed_fingerprint": fingerprint,
                    "hnsw:space": "cosine",
                },
            )
        else:
            return None
        self._collections[name] = col
        return col

    @property
    def collection(self) -> Any:
        """The global collection (every chunk)."""
        col = self.collection_for(ALL, create=self.writer)
        if col is None:
            raise NotIngestedError(f"no vectors in {self.data_dir}: run `huddle ingest` first")
        return col

    def vector_count(self) -> int:
        return int(self.collection.count())

    # ---- writing -------------------------------------------------------------------

    def _require_writer(self) -> None:
        if not self.writer:
            raise RuntimeError("Store opened read-only")

    def _old_chunks(self, doc_id: str) -> tuple[str, list[str]]:
        row = self._conn().execute(
            "SELECT doc_type, account, chunk_ids FROM docs WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return "", []
        partition = STORIES if row[0] == "story" else account_collection(row[1] or "none")
        return partition, json.loads(row[2])

    def _delete_vectors(self, by_partition: dict[str, list[str]]) -> None:
        for partition, ids in by_partition.items():
            if not ids:
                continue
            self.collection.delete(ids=ids)
            col = self.collection_for(partition)
            if col is not None:
                col.delete(ids=ids)

    def apply_docs(
        self,
        docs: Sequence[tuple[str, str, str, list[Chunk]]],
        embeddings: dict[str, list[float]],
    ) -> None:
        """Write documents (doc_id, path, sha, chunks): vectors first, then the manifest."""
        self._require_writer()
        if not docs:
            return
        stale: dict[str, list[str]] = {}
        by_partition: dict[str, list[Chunk]] = {}
        for doc_id, _, _, chunks in docs:
            keep = {c.id for c in chunks}
            new_partition = partition_of(chunks[0]) if chunks else ""
            old_partition, old_ids = self._old_chunks(doc_id)
            stale.setdefault(old_partition, []).extend(
                cid for cid in old_ids if cid not in keep or old_partition != new_partition
            )
            for chunk in chunks:
                by_partition.setdefault(partition_of(chunk), []).append(chunk)
        self._delete_vectors(stale)
        for name, chunks in [(ALL, [c for cs in by_partition.values() for c in cs])] + list(
            by_partition.items()
        ):
            collection = self.collection_for(name, create=True) if chunks else None
            if collection is not None:
                collection.upsert(
                    ids=[c.id for c in chunks],
                    embeddings=[embeddings[c.id] for c in chunks],
                    documents=[c.text for c in chunks],
                    metadatas=[c.metadata for c in chunks],
                )
        crash_point("store.vectors")  # vectors written, manifest not yet
        with self.db() as db:
            for doc_id, path, sha, chunks in docs:
                self._delete_doc_rows(db, doc_id)
                db.execute(
                    "INSERT INTO docs(doc_id, path, doc_type, account, sha, chunk_ids) "
                    "VALUES(?, ?, ?, ?, ?, ?)",
                    (
                        doc_id, path, chunks[0].doc_type if chunks else "note",
                        chunks[0].metadata.get("account", "") if chunks else "",
                        sha, json.dumps([c.id for c in chunks]),
                    ),
                )
                db.executemany(
                    "INSERT INTO chunks(chunk_id, doc_id, ordinal, doc_type, account, kind, "
                    "outcome, date, author, text, metadata) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                    [
                        (
                            c.id, doc_id, c.ordinal, c.doc_type, c.metadata.get("account", ""),
                            c.metadata.get("kind", ""), c.metadata.get("outcome", ""),
                            c.metadata.get("date", 0), c.metadata.get("author", ""), c.text,
                            json.dumps(c.metadata),
                        )
                        for c in chunks
                    ],
                )
                db.executemany(  # same rowid as the chunks row (FTS_ROWIDS)
                    "INSERT INTO chunks_fts(rowid, text, chunk_id) "
                    "SELECT rowid, ?, chunk_id FROM chunks WHERE chunk_id = ?",
                    [(c.embed_text, c.id) for c in chunks],
                )
            _bump_generation(db)
        crash_point("store.manifest")

    def delete_docs(self, doc_ids: Sequence[str]) -> None:
        self._require_writer()
        if not doc_ids:
            return
        stale: dict[str, list[str]] = {}
        for doc_id in doc_ids:
            partition, ids = self._old_chunks(doc_id)
            stale.setdefault(partition, []).extend(ids)
        self._delete_vectors(stale)
        with self.db() as db:
            for doc_id in doc_ids:
                self._delete_doc_rows(db, doc_id)
            _bump_generation(db)

    @staticmethod
    def _delete_doc_rows(db: sqlite3.Connection, doc_id: str) -> None:
        # FTS rows share their chunk's rowid (FTS_ROWIDS): delete by rowid, not by a scan
        # of the unindexed chunk_id column.
        db.execute(
            "DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE doc_id = ?)",
            (doc_id,),
        )
        db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
        db.execute("DELETE FROM docs WHERE doc_id = ?", (doc_id,))

    def private(self) -> None:
        """Make every file of the index 0600 and its folders 0700 (after a write)."""
        private_tree(self.data_dir / "chroma")
        private_file(self.data_dir / "index.sqlite")

    def wipe(self) -> None:
        """Drop every vector and manifest row (the files remain the source of truth)."""
        self._require_writer()
        self._drop_collections(self._client_())
        self._collections.clear()
        with self.db() as db:
            for table in ("docs", "chunks", "chunks_fts"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
            db.execute("DELETE FROM meta WHERE key != ?", (FTS_GENERATION,))  # counts on
            db.execute("INSERT INTO meta(key, value) VALUES(?, 'chunks')", (FTS_ROWIDS,))
            _bump_generation(db)


    @staticmethod
    def _drop_collections(client: Any) -> None:
        for col in client.list_collections():
            name = getattr(col, "name", col)
            if name in (ALL, STORIES) or str(name).startswith("acct-"):
                client.delete_collection(name)


def _bump_generation(db: sqlite3.Connection) -> None:
    """Count one more write to chunks_fts (``FTS_GENERATION``), in the caller's transaction."""
    db.execute(
        "INSERT INTO meta(key, value) VALUES(?, '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
        (FTS_GENERATION,),
    )


class _ServerLock:
    """The team's index-writer lock: a PostgreSQL advisory lock held by a connection of its
    own for as long as the writer lives (the server drops it if the writer's process dies).
    Tried once a second for up to ``wait_s`` seconds while another machine holds it."""

    def __init__(self, server: IndexServer, wait_s: float = 0) -> None:
        from knowledge.database import libpq_url, lock_key, mask_url, sqlalchemy_url

        if not server.database_url or not sqlalchemy_url(server.database_url).drivername \
                .startswith("postgresql"):
            raise StoreLockedError(
                f"writing {server.label} needs the team's PostgreSQL database for its writer "
                "lock: set database_url (or HUDDLE_DATABASE_URL) as well")
        import psycopg

        self._key = lock_key("index-writer:" + _server_key(server.chroma_url))
        self._conn = psycopg.connect(libpq_url(server.database_url), autocommit=True,
                                     connect_timeout=10,
                                     application_name="huddle index writer")
        try:
            got = self._try_lock(wait_s)
        except BaseException:
            self._conn.close()
            raise
        if not got:
            self._conn.close()
            raise StoreLockedError(
                f"someone else is writing {server.label} (an ingest or the app on another "
                f"machine; lock held in {mask_url(server.database_url)}). Wait for it to "
                "finish, then try again; searching works meanwhile.")

    def _try_lock(self, wait_s: float) -> bool:
        import time

        deadline = time.monotonic() + max(0.0, wait_s)
        while True:
            row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (self._key,)).fetchone()
            if row and row[0]:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))

    def release(self) -> None:
        self._conn.close()  # ends the session: the advisory lock goes with it


def _server_key(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}{parts.path.rstrip('/')}"


def forget_chroma_clients() -> None:
    """Drop chromadb's per-process client cache: after its files are deleted, a cached
    client would write to files that are gone ("attempt to write a readonly database")."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient
    except ImportError:  # pragma: no cover - chromadb not imported yet or moved
        return
    SharedSystemClient.clear_system_cache()
