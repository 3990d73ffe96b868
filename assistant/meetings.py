"""Upcoming meetings (created by hand or imported from a calendar) and prep-all.

Table ``meetings`` (:mod:`knowledge.tables`) beside the plans, in ``<data dir>/huddle.db``
or the team database. A meeting imported from a calendar carries the occurrence key of its event, so
importing the same file again updates the row instead of adding a second one; the plan
prepared for it is remembered in ``plan_id``. A meeting belongs to the rep who added or
imported it (``owner``: ``me``); meetings stored before owners existed have none (shared:
:meth:`Meetings.list_meetings` with ``owner`` lists them for everyone).

:func:`prepare_all` drafts a plan for each meeting of a day with a thread pool. The embedded
model runs one generation at a time, so ``jobs`` > 1 only helps a hosted model
(:func:`default_jobs` picks 1 for the embedded model). One meeting failing never stops the
others; each outcome says what happened.

Touches the records database and, through :class:`~assistant.service.Huddle`, everything prep does.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from assistant.clock import Clock
from assistant.plan import Buyer, Meeting
from knowledge.database import Database, insert
from knowledge.errors import HuddleError
from knowledge.tables import meetings as meetings_table

if TYPE_CHECKING:
    from assistant.calendar import CalendarImport
    from assistant.events import EventHandler
    from assistant.plan import Plan
    from knowledge.models import KnowledgeBase
    from knowledge.retrieval import Retriever

_COLUMNS = ["id", "external_key", "account", "kind", "starts_at", "day", "minutes", "sellers",
            "buyers", "goal", "title", "source", "plan_id", "created_at", "owner"]


class MeetingNotFound(HuddleError):
    title = "No such meeting"


class PrepHost(Protocol):
    """Enough of the service (``assistant.service.Huddle``) to prepare stored meetings."""

    @property
    def meetings(self) -> Meetings: ...

    @property
    def retriever(self) -> Retriever: ...

    def meeting(
        self, *, account: str, kind: str, date: dt.date | str, sellers: list[str] | str,
        buyers: list[Buyer] | str = "", goal: str | None = None, minutes: int = 45,
    ) -> Meeting: ...

    def prepare(self, meeting: Meeting, *, on_event: EventHandler | None = None,
                plan_id: str | None = None, parent: Plan | None = None) -> Plan: ...


@dataclass
class UpcomingMeeting:
    """A meeting on the rep's calendar that Huddle can prepare."""

    id: str
    account: str
    kind: str
    starts_at: dt.datetime
    minutes: int = 45
    sellers: list[str] = field(default_factory=list)
    buyers: list[Buyer] = field(default_factory=list)
    goal: str | None = None
    title: str = ""
    source: str = "app"  # "app" | "calendar"
    plan_id: str | None = None
    external_key: str | None = None
    created_at: str = ""
    owner: str | None = None  # the rep it belongs to (``me`` who added it); None: shared

    @property
    def date(self) -> dt.date:
        return self.starts_at.date()

    @property
    def buyers_text(self) -> str:
        return ", ".join(f"{b.name} ({b.title})" if b.title else b.name for b in self.buyers)

    def meeting(self, huddle: PrepHost) -> Meeting:
        """The validated :class:`Meeting` to prepare (raises HuddleError with what to fix)."""
        if not self.sellers:
            raise HuddleError(
                f"meeting {self.id} ({self.title or self.account}) has no seller from team.yaml; "
                "open it in the app and pick who attends, or use `huddle prep --sellers`",
                title="No sellers")
        return huddle.meeting(account=self.account, kind=self.kind, date=self.date,
                              sellers=self.sellers, buyers=self.buyers, goal=self.goal,
                              minutes=self.minutes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "account": self.account, "kind": self.kind,
            "starts_at": self.starts_at.isoformat(), "minutes": self.minutes,
            "sellers": self.sellers, "buyers": [b.model_dump() for b in self.buyers],
            "goal": self.goal, "title": self.title, "source": self.source,
            "plan_id": self.plan_id, "external_key": self.external_key, "owner": self.owner,
        }


def new_meeting_id(account: str, day: dt.date) -> str:
    """A fresh id: 32 random bits per account and day (:meth:`Meetings.add` still checks it
    is free, so a collision gets another id and never overwrites a stored meeting)."""
    return f"m-{day.strftime('%Y%m%d')}-{account}-{secrets.token_hex(4)}"


ID_ATTEMPTS = 8


class Meetings(Database):
    """The upcoming meetings under a data directory (or in the team database)."""

    holds = "your plans, reviews, meetings and reflections (they cannot be rebuilt)"
    stream = "records"

    def __init__(self, data_dir: str | Path, clock: Clock, *,
                 database_url: str | None = None) -> None:
        super().__init__(Path(data_dir) / "huddle.db", url=database_url)
        self.clock = clock

    # ---- writing ---------------------------------------------------------------------

    def add(
        self, *, account: str, kind: str, starts_at: dt.datetime, minutes: int = 45,
        sellers: list[str] | None = None, buyers: list[Buyer] | None = None,
        goal: str | None = None, title: str = "", source: str = "app",
        external_key: str | None = None, owner: str | None = None,
    ) -> UpcomingMeeting:
        """Store a meeting belonging to ``owner``; with ``external_key`` an existing row for
        it is updated (its owner kept, or set if it had none)."""
        if starts_at.tzinfo is None:
            starts_at = starts_at.replace(tzinfo=self.clock.tz)
        existing = self.by_external_key(external_key) if external_key else None
        meeting = UpcomingMeeting(
            id=existing.id if existing else "",
            account=account, kind=kind, starts_at=starts_at, minutes=minutes,
            sellers=list(sellers or []), buyers=list(buyers or []), goal=goal or None,
            title=title or f"{account} {kind}", source=source,
            plan_id=existing.plan_id if existing else None, external_key=external_key,
            created_at=existing.created_at if existing else self.clock.stamp(),
            owner=(existing.owner if existing else None) or owner,
        )
        if existing:
            self.save(meeting)
            return meeting
        for _ in range(ID_ATTEMPTS):  # a new meeting: an id no stored meeting has
            meeting.id = new_meeting_id(account, starts_at.date())
            if self.save(meeting, new=True):
                return meeting
        raise HuddleError(
            f"found no free meeting id for {account} on {starts_at.date()} in {ID_ATTEMPTS} "
            "tries; nothing was stored. Try again; if it repeats, report it", title="Meetings")

    def save(self, m: UpcomingMeeting, *, new: bool = False) -> bool:
        """Store ``m``: update the row with its id, or with ``new`` insert it only if the id
        is free (returns False when it is taken, and writes nothing)."""
        row = dict(zip(_COLUMNS, (
            m.id, m.external_key, m.account, m.kind, m.starts_at.isoformat(),
            m.date.isoformat(), m.minutes, json.dumps(m.sellers),
            json.dumps([b.model_dump() for b in m.buyers]), m.goal, m.title, m.source,
            m.plan_id, m.created_at or self.clock.stamp(), m.owner), strict=True))
        with self.db() as db:
            stmt = insert(db, meetings_table).values(**row)
            if new:
                # RETURNING, not rowcount: psycopg reports -1 for an INSERT ... ON CONFLICT
                return db.execute(stmt.on_conflict_do_nothing(
                    index_elements=[meetings_table.c.id]).returning(meetings_table.c.id)
                ).first() is not None
            db.execute(stmt.on_conflict_do_update(
                index_elements=[meetings_table.c.id],
                set_={c: stmt.excluded[c] for c in _COLUMNS[1:]}))
        return True

    def set_plan(self, meeting_id: str, plan_id: str) -> UpcomingMeeting:
        m = self.get(meeting_id)
        m.plan_id = plan_id
        self.save(m)
        return m

    def delete(self, meeting_id: str) -> None:
        m = self.get(meeting_id)
        with self.db() as db:
            db.execute(sa.delete(meetings_table).where(meetings_table.c.id == m.id))

    def save_import(self, result: CalendarImport, *,
                    owner: str | None = None) -> list[UpcomingMeeting]:
        """Store every matched event of a calendar import (idempotent per occurrence) as
        ``owner``'s meetings."""
        out = []
        for item in result.matched:
            e = item.event
            out.append(self.add(
                account=item.account, kind=item.kind, starts_at=e.start, minutes=e.minutes,
                sellers=item.sellers, buyers=item.buyers, title=e.summary, source="calendar",
                external_key=e.key, owner=owner,
            ))
        return out

    # ---- reading ---------------------------------------------------------------------

    def get(self, meeting_id: str) -> UpcomingMeeting:
        t = meetings_table
        with self.db() as db:
            rows = db.execute(_select().where(t.c.id == meeting_id)).all()
            if not rows:
                rows = db.execute(_select().where(t.c.id.like(meeting_id + "%")).limit(2)).all()
        if len(rows) != 1:
            raise MeetingNotFound(
                f"no meeting {meeting_id!r}: `huddle meetings list --all` shows the ids")
        return _from_row(rows[0])

    def by_external_key(self, key: str | None) -> UpcomingMeeting | None:
        if not key:
            return None
        with self.db() as db:
            row = db.execute(_select().where(meetings_table.c.external_key == key)).first()
        return _from_row(row) if row else None

    def for_plan(self, plan_id: str,
                 version_ids: list[str] | None = None) -> UpcomingMeeting | None:
        """The meeting a plan (or any version of it) was prepared for."""
        ids = [plan_id, *(version_ids or [])]
        t = meetings_table
        with self.db() as db:
            row = db.execute(_select().where(t.c.plan_id.in_(ids))
                             .order_by(t.c.starts_at).limit(1)).first()
        return _from_row(row) if row else None

    def list_meetings(self, *, day: dt.date | None = None, since: dt.date | None = None,
             until: dt.date | None = None, account: str | None = None,
             owner: str | None = None, limit: int = 200) -> list[UpcomingMeeting]:
        """Stored meetings, earliest first; with ``owner``, only that rep's and the shared
        ones (no owner)."""
        t = meetings_table
        query = _select()
        if owner:
            query = query.where(sa.or_(t.c.owner.is_(None),
                                       sa.func.lower(t.c.owner) == owner.strip().lower()))
        if day:
            query = query.where(t.c.day == day.isoformat())
        if since:
            query = query.where(t.c.day >= since.isoformat())
        if until:
            query = query.where(t.c.day <= until.isoformat())
        if account:
            query = query.where(t.c.account == account)
        with self.db() as db:
            return [_from_row(r) for r in db.execute(
                query.order_by(t.c.starts_at, t.c.id).limit(limit))]


def _select() -> sa.Select[Any]:
    return sa.select(*(meetings_table.c[c] for c in _COLUMNS))


def _from_row(row: Any) -> UpcomingMeeting:
    d = dict(zip(_COLUMNS, row, strict=True))
    return UpcomingMeeting(
        id=d["id"], account=d["account"], kind=d["kind"],
        starts_at=dt.datetime.fromisoformat(d["starts_at"]), minutes=d["minutes"],
        sellers=json.loads(d["sellers"]),
        buyers=[Buyer.model_validate(b) for b in json.loads(d["buyers"])],
        goal=d["goal"], title=d["title"], source=d["source"], plan_id=d["plan_id"],
        external_key=d["external_key"], created_at=d["created_at"], owner=d["owner"],
    )


@dataclass
class CalendarSaved:
    """What a calendar import stored, and how many events it left out."""

    saved: list[UpcomingMeeting]
    skipped: int  # internal, all-day, cancelled, or left without an account


def save_calendar_import(store: Meetings, kb: KnowledgeBase, result: CalendarImport,
                         answers: Mapping[str, str], *,
                         owner: str | None = None) -> CalendarSaved:
    """Store the matched meetings of ``result`` and the unmatched ones the rep named an account
    for (``answers``: summary -> account slug, or ``skip``), as ``owner``'s; the rest count as
    skipped."""
    from assistant.calendar import SKIP, match_events

    saved = store.save_import(result, owner=owner)
    chosen = {k: v for k, v in answers.items() if v and v != SKIP}
    if chosen:
        events = [u.event for u in result.unmatched if u.event.summary in chosen]
        saved += store.save_import(match_events(kb, events, resolve=chosen), owner=owner)
    skipped = len(result.skipped) + len(result.internal) + len(result.unmatched) - len(chosen)
    return CalendarSaved(saved, skipped)


def parse_start(date: str, time_of_day: str | None = None, *, tz: dt.tzinfo) -> dt.datetime:
    """``"2026-11-24"`` + ``"10:00"`` -> an aware datetime in ``tz`` (HuddleError if malformed).
    """
    try:
        day = dt.date.fromisoformat(date.strip())
    except ValueError:
        raise HuddleError(f"dates are YYYY-MM-DD; got {date!r}", title="Date") from None
    at = dt.time(9, 0)
    if time_of_day:
        try:
            at = dt.time.fromisoformat(time_of_day.strip())
        except ValueError:
            raise HuddleError(f"times are HH:MM; got {time_of_day!r}", title="Time") from None
    return dt.datetime.combine(day, at, tzinfo=tz)


# ---- prepare all ------------------------------------------------------------------------


@dataclass
class PrepOutcome:
    """What happened to one meeting in a prep-all run."""

    meeting: UpcomingMeeting
    plan_id: str | None = None
    error: str | None = None
    error_title: str | None = None
    seconds: float = 0.0
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.plan_id is not None and self.error is None


class PrepAllCancelled(HuddleError):
    title = "Cancelled"


ProgressHandler = Callable[[str, dict[str, Any]], None]


def default_jobs(model: str) -> int:
    """How many meetings to prepare at once: 1 for the embedded model, else 3."""
    from assistant.config import DEFAULT_LOCAL_MODEL

    provider = model.split("/", 1)[0]
    local = model == DEFAULT_LOCAL_MODEL or provider in {"huddle-local", "ollama", "local"}
    return 1 if local else 3


def prepare_all(
    huddle: PrepHost, meetings: list[UpcomingMeeting], *, store: Meetings | None = None,
    jobs: int = 1, on_progress: ProgressHandler | None = None,
    should_stop: Callable[[], bool] | None = None, redo: bool = False,
) -> list[PrepOutcome]:
    """Draft a plan for each meeting, ``jobs`` at a time; outcomes in the meetings' order.

    ``on_progress(kind, data)`` receives ``meeting_started``, ``step`` (the prep graph's
    node events, with ``meeting_id``), ``meeting_finished`` and ``meeting_failed``; it is
    called from worker threads. Meetings that already have a plan are skipped unless
    ``redo``. ``should_stop()`` is checked before each meeting and between workflow steps.
    """
    store = store or huddle.meetings
    emit = on_progress or (lambda kind, data: None)
    stop = should_stop or (lambda: False)
    emit_lock = threading.Lock()

    def say(kind: str, data: dict[str, Any]) -> None:
        with emit_lock:
            emit(kind, data)

    outcomes = [PrepOutcome(meeting=m) for m in meetings]
    todo = []
    for outcome in outcomes:
        if outcome.meeting.plan_id and not redo:
            outcome.plan_id = outcome.meeting.plan_id
            outcome.skipped = True
            say("meeting_skipped", {"meeting_id": outcome.meeting.id,
                                    "plan_id": outcome.meeting.plan_id})
        else:
            todo.append(outcome)
    if not todo:
        return outcomes
    _ = huddle.retriever  # ingest check and store open once, before the threads start

    def run(outcome: PrepOutcome) -> PrepOutcome:
        m = outcome.meeting
        if stop():
            outcome.error, outcome.error_title = "cancelled before it started", "Cancelled"
            return outcome
        start = time.perf_counter()
        say("meeting_started", {"meeting_id": m.id, "account": m.account})

        def on_event(kind: str, data: dict[str, Any]) -> None:
            if stop():
                raise PrepAllCancelled("prep-all was cancelled")
            say("step", {"meeting_id": m.id, "event": kind, **data})

        try:
            plan = huddle.prepare(m.meeting(huddle), on_event=on_event)
            store.set_plan(m.id, plan.id)
            outcome.plan_id = plan.id
            outcome.meeting.plan_id = plan.id
            outcome.seconds = time.perf_counter() - start
            say("meeting_finished", {"meeting_id": m.id, "plan_id": plan.id,
                                     "seconds": outcome.seconds})
        except HuddleError as exc:
            outcome.error, outcome.error_title = exc.message, exc.title
        except Exception as exc:  # one meeting's failure never stops the others
            outcome.error, outcome.error_title = f"{type(exc).__name__}: {exc}", "Prep failed"
        if outcome.error is not None:
            outcome.seconds = time.perf_counter() - start
            say("meeting_failed", {"meeting_id": m.id, "error": outcome.error,
                                   "title": outcome.error_title})
        return outcome

    with ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="prep-all") as pool:
        list(pool.map(run, todo))
    return outcomes
