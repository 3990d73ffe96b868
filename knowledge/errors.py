"""Huddle's exception hierarchy: errors carry text a user can act on.

This is the lowest layer, so `assistant` and the faces reuse these classes. Raise them in
the core; show them at the edge (CLI prints ``title: message``; the TUI shows a modal).
"""

from __future__ import annotations


class HuddleError(Exception):
    """An error whose message tells the user what to fix."""

    title = "Huddle error"

    def __init__(self, message: str, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class KnowledgeBaseError(HuddleError):
    """The knowledge base on disk has problems; ``problems`` lists every one."""

    title = "Knowledge base problem"

    def __init__(self, problems: list[KbProblem], kb: str = "") -> None:
        self.problems = problems
        lines = [f"{len(problems)} problem(s) in knowledge base {kb}".rstrip()]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


class KbProblem:
    """One problem in one file: where, which field, and what to do about it."""

    __slots__ = ("path", "field", "message")

    def __init__(self, path: str, field: str, message: str) -> None:
        self.path = path
        self.field = field
        self.message = message

    def __str__(self) -> str:
        where = f"{self.path}" + (f" [{self.field}]" if self.field else "")
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "field": self.field, "message": self.message}


class StoreLockedError(HuddleError):
    """Another process is writing the vector store."""

    title = "Store busy"


class DatabaseUnavailableError(HuddleError):
    """The team database (``database_url``) cannot be reached: a failure, not bad input."""

    title = "Database"


class StoreMismatchError(HuddleError):
    """The store on disk does not belong to this knowledge base or embedding model."""

    title = "Store mismatch"


class NotIngestedError(HuddleError):
    """Retrieval was asked of a data directory with no ingested knowledge base."""

    title = "Not ingested"


class DamagedFileError(HuddleError):
    """A data file Huddle cannot read (empty, not a database, failed its integrity check).

    Huddle never replaces such a file: the message names it and says what to do."""

    title = "Damaged file"

    def __init__(self, message: str, path: str = "") -> None:
        super().__init__(message)
        self.path = path
