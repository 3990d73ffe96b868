"""Where records live: a SQLite file under the data directory, or a PostgreSQL database.

One code path for both: SQLAlchemy Core over the tables of :mod:`knowledge.tables`, the
schema brought up to date by Alembic (``knowledge/migrations/<stream>``) when a store opens.

- **Embedded** (the default): each store's file under the data directory, as before —
  ``huddle.db`` and ``icp_ledger.sqlite``. A file is checked before it is opened
  (:func:`knowledge.sqlite.check_database`: a damaged file is reported, never replaced), a new
  one is created whole (temp file, then link), files are private (0600), connections use WAL
  and wait up to 30 s for a lock. A file written before migrations existed is brought to the
  current schema in place: the first migration creates only the tables it lacks.
- **Team** (``database_url``): every store in one PostgreSQL database through psycopg 3; the
  two migration streams keep their own version tables; a migration runs under an advisory lock
  so two machines starting at once do not both apply it.

Every unit of work is one transaction (:meth:`Database.db`): committed when the block ends,
rolled back if it raises, so a crash leaves nothing half-written.

Imports SQLAlchemy at import time (cheap); Alembic only when a schema is behind.
"""

from __future__ import annotations

import contextlib
import threading
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url

from knowledge.errors import DatabaseUnavailableError, HuddleError
from knowledge.private import private_dir, private_file
from knowledge.sqlite import BUSY_TIMEOUT_S, check_database, create_database, damaged_remedy

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEADS = {"records": "records_0003", "ledger": "ledger_0001"}
"""The newest revision of each stream (a test checks these against the scripts)."""


class DatabaseError(HuddleError):
    title = "Database"


class StaleWriteError(HuddleError):
    """Someone else changed the record since it was read: nothing was written."""

    title = "Changed meanwhile"


# ---- URLs ----------------------------------------------------------------------------------


def sqlalchemy_url(url: str) -> URL:
    """``postgresql://`` / ``postgres://`` -> the psycopg 3 driver; other URLs as given."""
    try:
        parsed = make_url(url.strip())
    except Exception as exc:  # noqa: BLE001 - SQLAlchemy raises ArgumentError
        raise DatabaseError(f"database_url {mask_url(url)!r} is not a database URL ({exc}); "
                            "write it as postgresql://USER:PASSWORD@HOST:5432/DBNAME") from None
    if parsed.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if not parsed.drivername.startswith(("postgresql", "sqlite")):
        raise DatabaseError(f"database_url {mask_url(url)!r}: Huddle stores records in "
                            "PostgreSQL (postgresql://...) or SQLite (the default, no URL)")
    return parsed


def libpq_url(url: str) -> str:
    """The URL as libpq / psycopg takes it (``postgresql://``), password included."""
    return sqlalchemy_url(url).set(drivername="postgresql").render_as_string(
        hide_password=False)


def mask_url(url: str | None) -> str:
    """``url`` with any password replaced by ``***`` (for settings, status, errors, logs)."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def describe_backend(url: str | None) -> str:
    """One line for settings and ``huddle status``: which database holds the records."""
    if not url:
        return "SQLite files in the data directory (embedded)"
    kind = "PostgreSQL" if sqlalchemy_url(url).drivername.startswith("postgresql") else "SQLite"
    return f"{kind} at {mask_url(url)} (team)"


# ---- engines -------------------------------------------------------------------------------

_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def engine_for(url: str | URL) -> Engine:
    """One engine per database per process. SQLite connects per unit of work (as Huddle
    always did: nothing stays open on a file the user may move aside); PostgreSQL pools."""
    parsed = url if isinstance(url, URL) else sqlalchemy_url(url)
    key = parsed.render_as_string(hide_password=False)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is None:
            engine = _ENGINES[key] = _make_engine(parsed)
        return engine


def _make_engine(url: URL) -> Engine:
    if url.drivername.startswith("sqlite"):
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool,
                                  connect_args={"timeout": BUSY_TIMEOUT_S})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10,
                            connect_args={"connect_timeout": 10})


def dispose_engines() -> None:
    """Close every pooled connection (tests, and before a process forks)."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()


def insert(conn: Connection, table: sa.Table) -> Any:
    """SQLAlchemy's INSERT for the connection's dialect, with ``on_conflict_do_update`` /
    ``on_conflict_do_nothing`` (both dialects spell them the same)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


# ---- migrations ----------------------------------------------------------------------------

def version_table(stream: str) -> str:
    return f"alembic_version_{stream}"


def current_revision(conn: Connection, stream: str) -> str | None:
    if not sa.inspect(conn).has_table(version_table(stream)):
        return None
    return conn.execute(sa.text(f"SELECT version_num FROM {version_table(stream)}")).scalar()


def migrate(engine: Engine, stream: str) -> None:
    """Bring ``stream``'s tables to :data:`HEADS` (cheap when they are: one query).

    The whole upgrade is one transaction that holds the database's write lock: PostgreSQL
    runs DDL in transactions (and an advisory lock keeps a second machine waiting); SQLite
    gets ``BEGIN IMMEDIATE`` on a connection that leaves transactions to us (SQLAlchemy's
    recipe for pysqlite), so two processes opening a new data folder at once migrate it once,
    and a crash half-way leaves the schema as it was."""
    with engine.connect() as conn:
        if current_revision(conn, stream) == HEADS[stream]:
            return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS / stream))
    cfg.attributes["stream"] = stream
    sqlite = engine.dialect.name == "sqlite"
    runner = _sqlite_migration_engine(engine.url) if sqlite else engine
    try:
        with _ALEMBIC_LOCK, runner.begin() as conn:
            if not sqlite:  # two machines starting at once: one migrates
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"),
                             {"k": lock_key(f"migrate:{stream}")})
            if current_revision(conn, stream) == HEADS[stream]:
                return  # another process did it while we waited for the lock
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    finally:
        if sqlite:
            runner.dispose()


_ALEMBIC_LOCK = threading.Lock()
"""Alembic's ``context`` is one module-global proxy: two threads migrating at once (an eval
run opening several data folders) would clobber each other's, so one at a time."""


def _sqlite_migration_engine(url: URL) -> Engine:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool,
                              connect_args={"timeout": BUSY_TIMEOUT_S, "isolation_level": None})

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def lock_key(name: str) -> int:
    """A stable 32-bit key for a PostgreSQL advisory lock named ``name``."""
    return zlib.crc32(f"huddle:{name}".encode())


# ---- a store's database --------------------------------------------------------------------


class Database:
    """The database one store keeps its tables in: ``path`` (SQLite) unless ``url`` is set.

    Cheap to construct again: the file check and the migration run once per process while
    nothing changes."""

    stream = "records"
    holds = "records that cannot be rebuilt"
    """What the file keeps, for the message when it is damaged."""

    def __init__(self, path: str | Path, *, url: str | None = None) -> None:
        self.path: Path | None = None
        if url:
            self.url = sqlalchemy_url(url)
        else:
            self.path = Path(path)
            private_dir(self.path.parent)
            check_database(self.path, holds=self.holds, remedy=damaged_remedy(self.path))
            if not self.path.exists():
                create_database(self.path, "")
            private_file(self.path)
            self.url = URL.create("sqlite", database=str(self.path))
        self.engine = engine_for(self.url)
        try:
            migrate(self.engine, self.stream)
        except HuddleError:
            raise
        except sa.exc.OperationalError as exc:
            raise DatabaseUnavailableError(
                f"cannot reach the database {self.where} ({_first_line(exc)}); check "
                "database_url / HUDDLE_DATABASE_URL and that the server is running") from None

    @property
    def where(self) -> str:
        if self.path:
            return str(self.path)
        return self.url.set(drivername=self.url.drivername.split("+")[0]).render_as_string(
            hide_password=True)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextlib.contextmanager
    def db(self) -> Iterator[Connection]:
        """A connection inside one transaction (commit on success, rollback on error)."""
        with self.engine.begin() as conn:
            yield conn

    def listing(self, table: sa.Table, keys: list[str], *, where: Mapping[str, Any],
                order_by: list[Any], limit: int) -> list[dict[str, Any]]:
        """Rows of ``table`` as dicts of ``keys``, filtered by the ``where`` values that are
        set (equality), in ``order_by`` order."""
        query = sa.select(*(table.c[k] for k in keys))
        for column, value in where.items():
            if value:
                query = query.where(table.c[column] == value)
        query = query.order_by(*order_by).limit(limit)
        with self.db() as db:
            return [dict(row._mapping) for row in db.execute(query)]


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def run_env(stream: str) -> None:
    """The body of each stream's ``env.py`` (online only, on the connection it was given)."""
    from alembic import context

    from knowledge.tables import STREAMS

    conn = context.config.attributes.get("connection")
    if conn is None:
        raise DatabaseError("Huddle's migrations run when a store opens; there is no "
                            "separate `alembic upgrade` step")
    context.configure(connection=conn, target_metadata=STREAMS[stream],
                      version_table=version_table(stream))
    with context.begin_transaction():
        context.run_migrations()
