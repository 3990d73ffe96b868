"""The app's own messages: small past-tense events that workers post back to the UI.

Workers (threads) call the ``assistant`` API and report with ``post_message``; screens react
in ``@on(...)`` handlers. High-rate progress events implement ``can_replace`` so a slow UI
keeps only the newest. A failure message carries what the UI needs to restore its state.

Imports only Textual's ``Message``: the payloads are typed ``Any`` so this module stays light.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual.message import Message

# ---- start-up, knowledge base, store -------------------------------------------------------


@dataclass
class SettingsLoaded(Message):
    """Settings were read (the app can say which KB, data dir and model it uses)."""

    settings: Any


@dataclass
class KbLoaded(Message):
    """The knowledge base files were loaded (or reloaded)."""

    kb: Any


@dataclass
class StoreProgressed(Message):
    """Ingest embedded ``done`` of ``total`` chunks."""

    phase: str
    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StoreProgressed)


@dataclass
class StoreReady(Message):
    """The vector store matches the KB files; ``summary`` says what ingest did."""

    summary: str
    changed: bool = False


@dataclass
class ModelWarmed(Message):
    """The LLM stack is imported and the embedded model (if any) is loaded."""

    model: str


@dataclass
class WorkFailed(Message):
    """A worker failed; ``group`` says which, ``restore`` what the UI had (kept as typed)."""

    group: str
    title: str
    message: str
    restore: dict[str, Any] = field(default_factory=dict)


@dataclass
class WorkCancelled(Message):
    """A worker was cancelled by the user."""

    group: str


# ---- home ---------------------------------------------------------------------------------


@dataclass
class HomeLoaded(Message):
    """Upcoming meetings, recent plans and review states were read for the Home screen."""

    meetings: list[Any]
    plans: list[dict[str, Any]]


@dataclass
class HomeFilled(Message):
    """The Home screen's tables first show what was read (meetings, plans, accounts)."""


@dataclass
class MeetingDeleted(Message):
    """An upcoming meeting was removed."""

    meeting_id: str


@dataclass
class CalendarRead(Message):
    """A calendar file was read and matched; ``result.unmatched`` still need an account."""

    path: str
    result: Any


@dataclass
class CalendarImported(Message):
    """Matched calendar meetings were stored as upcoming meetings."""

    path: str
    saved: list[Any]
    skipped: int


@dataclass
class PrepAllProgressed(Message):
    """One meeting of a prep-all run changed state (started, step, finished, failed)."""

    meeting_id: str
    state: str
    detail: str = ""
    seconds: float = 0.0  # a finished meeting's


@dataclass
class PrepAllFinished(Message):
    """A prep-all run ended; one outcome per meeting."""

    outcomes: list[Any]


@dataclass
class BackgroundPrepRead(Message):
    """The background prep-all's status was read (``status`` None: no run in this data
    directory; ``error``: the status file could not be read)."""

    status: Any
    error: str = ""


@dataclass
class HuddleExported(Message):
    """Files were written by an export (plan Markdown, huddle .ics and agenda)."""

    paths: list[str]


# ---- prep ---------------------------------------------------------------------------------


@dataclass
class PrepStepStarted(Message):
    """A prep workflow step began."""

    run: int
    node: str


@dataclass
class PrepStepFinished(Message):
    """A prep workflow step ended after ``seconds``."""

    run: int
    node: str
    seconds: float


@dataclass
class PlanProgressed(Message):
    """The plan being drafted filled in further (``assistant.prep.progress.PlanProgress``):
    the code-built plan before the first model answer, then each model answer's sections."""

    run: int
    progress: Any


@dataclass
class PlanDrafted(Message):
    """The prep workflow produced and saved a plan (for the stored meeting ``meeting_id``)."""

    run: int
    plan: Any
    meeting_id: str | None


@dataclass
class PlanOpened(Message):
    """A saved plan was loaded into the Prep screen."""

    plan: Any
    meeting: Any = None


@dataclass
class PlanRevised(Message):
    """The rep changed roles: a new plan version (roles, agenda, checklist) was saved."""

    plan: Any
    changed: dict[str, str]


@dataclass
class PlanSubmitted(Message):
    """A plan was sent to the manager's review queue."""

    plan_id: str


# ---- knowledge ----------------------------------------------------------------------------


@dataclass
class SearchFinished(Message):
    """A knowledge-base search returned ``hits`` (best first)."""

    query: str
    hits: list[Any]
    origins: dict[str, Any] = field(default_factory=dict)
    """Hit id -> ``assistant.views.NoteOrigin`` (where the note came from)."""


@dataclass
class IngestFinished(Message):
    """An ingest run from the Knowledge screen finished."""

    summary: str


@dataclass
class NotesListed(Message):
    """The Knowledge screen's note list: ``rows`` (``assistant.views.NoteRow``) under
    ``title`` ("Notes of acme", "Imported from salesforce")."""

    title: str
    rows: list[Any]
    kb: Any = None
    """The knowledge base the rows came from (newer than the app's right after an import)."""


@dataclass
class ImportProgressed(Message):
    """``Huddle.import_notes`` reported ``done`` of ``total`` (``label``: phase and item)."""

    done: int
    total: int
    label: str

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ImportProgressed)


@dataclass
class ImportPreviewed(Message):
    """A dry run finished: ``report`` (``ImportReport``) says what would be written."""

    report: Any


@dataclass
class ImportFinished(Message):
    """An import wrote its files: ``report`` is the ``ImportReport``."""

    report: Any


@dataclass
class ImportFailed(Message):
    """The import could not run (bad path, malformed export, bad mapping): nothing written."""

    title: str
    message: str


# ---- review, reflect, ICP -----------------------------------------------------------------


@dataclass
class ReviewQueueLoaded(Message):
    """The plans waiting for review (and recently reviewed ones) were read."""

    rows: list[dict[str, Any]]


@dataclass
class ReviewPlanLoaded(Message):
    """One plan with its versions, review history and diff was read (a ``ReviewView``)."""

    view: Any


@dataclass
class ReviewDecided(Message):
    """The manager approved a plan or requested changes."""

    plan_id: str
    decision: str


@dataclass
class ReflectionProposed(Message):
    """The reflection workflow paused with proposed facts and ICP updates to confirm."""

    run: int
    proposal: Any


@dataclass
class ReflectionProgressed(Message):
    """The reflection being drafted filled in further
    (``assistant.reflect.progress.ReflectionProgress``): what code read off the call before the
    first model answer, then each model answer. Nothing in it can be decided on yet."""

    run: int
    progress: Any


@dataclass
class ReflectionWritten(Message):
    """The confirmed reflection was written (facts, stage, ICP evidence)."""

    run: int
    result: Any


@dataclass
class LedgerLoaded(Message):
    """The ICP ledger was read: one row per attribute value, and all deals together."""

    rows: list[Any]
    base: Any


@dataclass
class EvidenceOpened(Message):
    """One source behind a ledger number (a reflection or a recorded outcome) was read."""

    source_id: str
    title: str
    markdown: str


# ---- widget events ------------------------------------------------------------------------


@dataclass
class CitationSelected(Message):
    """The user picked a cited note or story (link in a plan, or the evidence list)."""

    doc_id: str


@dataclass
class MeetingSaved(Message):
    """The Prep form's meeting was stored as an upcoming meeting (before drafting)."""

    meeting_id: str


@dataclass
class ReflectSetupLoaded(Message):
    """Recent plans and the reflections waiting for a decision were read."""

    plans: list[dict[str, Any]]
    pending: list[dict[str, Any]]


@dataclass
class ReflectStepStarted(Message):
    """A reflection workflow step began."""

    run: int
    node: str


@dataclass
class ReflectStepFinished(Message):
    """A reflection workflow step ended after ``seconds``."""

    run: int
    node: str
    seconds: float


@dataclass
class NotesLoaded(Message):
    """A notes or transcript file was read for the Reflect screen."""

    text: str
    fmt: str
    name: str
