"""What the faces show that the core works out: an account's stated ICP fit, where the
model runs, where a note came from (``note_origin``, ``note_rows``). The faces (``tui``,
``cli``) import these from here, never from ``knowledge`` or ``assistant.llm``.

Pure; touches nothing (the gateway's policy module loads only when asked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from knowledge.icp import stated_fit
from knowledge.models import KnowledgeBase, Note, Story

if TYPE_CHECKING:
    from assistant.config import LLMSettings

__all__ = ["NoteOrigin", "NoteRow", "note_origin", "note_rows", "privacy_tier", "stated_fit"]


def privacy_tier(llm: LLMSettings) -> Literal["local", "hosted"]:
    """``"local"`` when prompts to the configured model stay on this machine, else ``"hosted"``."""
    from assistant.llm.gateway import privacy_tier as tier

    return tier(llm.model, llm.api_base)



# ---- where a note came from --------------------------------------------------------------

SOURCE_NAMES = {"salesforce": "Salesforce", "hubspot": "HubSpot", "email": "e-mail",
                "transcript": "transcript"}


@dataclass(frozen=True)
class NoteOrigin:
    """Where a KB note or story came from: its file in the KB and, when ``huddle import``
    wrote it, the source system, record and file (front matter ``source``,
    ``source_record``, ``source_file``)."""

    doc_id: str
    doc_type: Literal["note", "story"]
    path: str
    """The file, relative to the KB folder (``accounts/acme/notes/n01.md``)."""
    source: str | None = None
    """``salesforce``, ``hubspot``, ``email`` or ``transcript``; None: written by hand."""
    record: str | None = None
    """The source system's record (``salesforce Task/00T5e...``)."""
    file: str | None = None
    """The export file, message or transcript it was read from."""

    @property
    def imported(self) -> bool:
        return self.source is not None

    @property
    def short(self) -> str:
        """One word for a table column: ``hand`` or the source system."""
        return self.source or "hand"

    def describe(self) -> str:
        """``hand-written: accounts/x/notes/y.md`` or ``imported from Salesforce (record
        Task/00T...; file Task.csv): accounts/x/notes/sf-task-00T....md``."""
        if not self.imported:
            return f"hand-written: {self.path}"
        name = SOURCE_NAMES.get(self.source or "", self.source)
        facts = []
        if self.record:  # "salesforce Task/00T..." -> "Task/00T..." (the system is named)
            system, _, rest = self.record.partition(" ")
            facts.append(f"record {rest if rest and system == self.source else self.record}")
        if self.file:
            facts.append(f"file {self.file}")
        detail = f" ({'; '.join(facts)})" if facts else ""
        return f"imported from {name}{detail}: {self.path}"


@dataclass(frozen=True)
class NoteRow:
    """One note or story in the Knowledge screen's list."""

    doc_id: str
    doc_type: Literal["note", "story"]
    account: str
    date: dt.date | None
    label: str
    """The note's kind (call, email, ...) or the story's outcome."""
    title: str
    origin: NoteOrigin


def _origin(doc: Note | Story, doc_type: Literal["note", "story"]) -> NoteOrigin:
    extra = doc.model_extra or {}

    def text(key: str) -> str | None:
        value = extra.get(key)
        return str(value).strip() or None if value is not None else None

    return NoteOrigin(doc.id, doc_type, doc.path, text("source"), text("source_record"),
                      text("source_file"))


def note_origin(kb: KnowledgeBase, doc_id: str) -> NoteOrigin | None:
    """Where the note or story ``doc_id`` came from, or None when the KB has no such id."""
    note = kb.note(doc_id)
    if note is not None:
        return _origin(note, "note")
    story = kb.story(doc_id)
    if story is not None:
        return _origin(story, "story")
    return None


def note_rows(kb: KnowledgeBase, *, account: str | None = None,
              ids: Iterable[str] | None = None) -> list[NoteRow]:
    """The KB's notes (then stories), newest first within each account; only ``account``'s,
    or only ``ids`` (in the KB's order) when given."""
    wanted = set(ids) if ids is not None else None
    rows: list[NoteRow] = []
    for note in kb.notes:
        if (account and note.account != account) or (wanted is not None and note.id not in wanted):
            continue
        rows.append(NoteRow(note.id, "note", note.account, note.date, note.kind,
                            note.title or "", _origin(note, "note")))
    for story in kb.stories:
        if (account and story.account != account) or (
                wanted is not None and story.id not in wanted):
            continue
        rows.append(NoteRow(story.id, "story", story.account or "", story.date, story.outcome,
                            story.title or "", _origin(story, "story")))
    rows.sort(key=lambda r: (r.doc_type != "note", r.account,
                             -(r.date.toordinal() if r.date else 0), r.doc_id))
    return rows
