"""What the command line says when a command fails: what happened and what to do.

``huddle`` never shows a traceback for an error it can explain. :func:`explain` turns any
exception a command raises into an exit code and one message:

- exit 2, bad input: the command or the files it names need fixing (a ``HuddleError``, a
  missing or unreadable path, a folder where a file belongs, a file that is not text);
- exit 1, a failure: the model or a database failed, a disk is full, or a bug (the message
  says to re-run with ``-v``, which prints the traceback).

Pure: formats text, touches nothing.
"""

from __future__ import annotations

import errno
import sqlite3
import sys

from knowledge.errors import (
    DamagedFileError,
    DatabaseUnavailableError,
    HuddleError,
    StoreLockedError,
)

EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def _failures() -> tuple[type[BaseException], ...]:
    """HuddleErrors that are failures, not bad input (the model, a busy store, a damaged
    database)."""
    out: list[type[BaseException]] = [StoreLockedError, DamagedFileError,
                                      DatabaseUnavailableError]
    try:
        from assistant.llm.errors import LLMError
    except ImportError:  # pragma: no cover - the core always has it
        pass
    else:
        out.append(LLMError)
    return tuple(out)


def _hint(path: object, data_dir: str | None) -> str:
    """What to do when ``path`` is (inside) the data directory."""
    if data_dir and str(path).startswith(data_dir.rstrip("/")):
        return (f" ({data_dir} is the data directory: pass --data-dir, or set "
                "HUDDLE_DATA_DIR, to a folder you can write)")
    return ""


def _os_error(exc: OSError, data_dir: str | None) -> tuple[int, str]:
    where = exc.filename if exc.filename is not None else "a file"
    hint = _hint(where, data_dir)
    reason = exc.strerror or str(exc)
    if isinstance(exc, FileNotFoundError):
        return EXIT_BAD_INPUT, (f"File not found: {where}: check the path{hint}")
    if isinstance(exc, IsADirectoryError):
        return EXIT_BAD_INPUT, f"Folder given for a file: {where}: give a file path{hint}"
    if isinstance(exc, NotADirectoryError):
        return EXIT_BAD_INPUT, f"Not a folder: part of {where} is a file{hint}"
    if isinstance(exc, FileExistsError):
        return EXIT_BAD_INPUT, f"Not a folder: {where} is a file{hint}"
    if isinstance(exc, PermissionError):
        return EXIT_BAD_INPUT, (f"Permission denied: {where}: check its permissions or choose "
                                f"another path{hint}")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return EXIT_FAILURE, f"Disk full: {where}: free some space and run the command again"
    return EXIT_FAILURE, f"Cannot read or write {where} ({reason}): check the path{hint}"


def explain(exc: BaseException, *, data_dir: str | None = None) -> tuple[int, str]:
    """The exit code and the message for ``exc`` raised by a command."""
    from pydantic import ValidationError

    if isinstance(exc, HuddleError):
        code = EXIT_FAILURE if isinstance(exc, _failures()) else EXIT_BAD_INPUT
        return code, f"{exc.title}: {exc.message}"
    if isinstance(exc, ValidationError):
        errors = exc.errors()
        parts = [f"{'.'.join(str(p) for p in e['loc']) or 'value'}: "
                 f"{e['msg'].removeprefix('Value error, ')}" for e in errors[:3]]
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        return EXIT_BAD_INPUT, f"Invalid input: {'; '.join(parts)}{more}"
    if isinstance(exc, UnicodeDecodeError):
        return EXIT_BAD_INPUT, (f"Not UTF-8 text (bad byte at offset {exc.start}): give a text "
                                "file saved as UTF-8")
    if isinstance(exc, OSError):
        return _os_error(exc, data_dir)
    sa_exc = sys.modules.get("sqlalchemy.exc")  # the stores run on SQLAlchemy: unwrap
    if sa_exc is not None and isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None:
        if not isinstance(exc.orig, sqlite3.Error):  # PostgreSQL (team mode)
            first = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
            kind = type(exc.orig).__name__
            if isinstance(exc, sa_exc.OperationalError):
                return EXIT_FAILURE, (
                    f"Database unreachable ({kind}: {first}): check database_url / "
                    "HUDDLE_DATABASE_URL and that the PostgreSQL server is running, then "
                    "run the command again (nothing was half-written: the transaction was "
                    "rolled back)")
            return EXIT_FAILURE, (f"Database error ({kind}: {first}); nothing was "
                                  "half-written. Run the command again with -v and report it")
        exc = exc.orig
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
        return EXIT_FAILURE, ("Database busy: another Huddle process is writing it; wait for "
                              "it to finish (or close it) and run the command again")
    if isinstance(exc, sqlite3.DatabaseError):
        where = f" in {data_dir}" if data_dir else ""
        return EXIT_FAILURE, (
            f"Database error: {exc}. A database file{where} is damaged or is not a Huddle "
            "database. Copy the data directory somewhere safe before anything else; "
            "`huddle ingest --rebuild` rebuilds the search index from the knowledge base")
    if isinstance(exc, MemoryError):
        return EXIT_FAILURE, "Out of memory: close other programs or use smaller inputs"
    return EXIT_FAILURE, (f"Internal error ({type(exc).__name__}: {exc}): this is a bug in "
                          "Huddle; run the command again with -v to see where, and report it")
