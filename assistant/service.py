"""The assistant API, its one front door: what the CLI, the TUI and the eval runner call.

``Huddle(settings, clock=...)`` owns the long-lived pieces for one knowledge base — the
loaded KB, the retriever, the LLM gateway, the plan records, the upcoming meetings, the
checkpointer, the ICP ledger, reviews and reflections — and opens each lazily, so
constructing it is cheap and the TUI can paint before torch or litellm load. Its public
methods are typed; it validates what the faces pass (a face checks nothing it does not), and
every error a user can act on is an :class:`assistant.errors.HuddleError`.

Nothing else in the assistant imports this module: the workflows behind it depend on small
protocols (``assistant.reflect.host``, ``assistant.meetings.PrepHost``).

Touches the KB (read), the data directory (store, ``huddle.db``, ``checkpoints.sqlite``,
the LLM cache) — or, in team mode, the PostgreSQL database and the Chroma server of the
settings — and, through the gateway, the configured model.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.clock import SYSTEM, Clock
from assistant.config import Settings
from assistant.errors import HuddleError
from assistant.events import EventHandler
from assistant.plan import MAX_MINUTES, MIN_MINUTES, Buyer, Meeting, Plan, parse_buyers
from assistant.records import Records
from knowledge.models import KnowledgeBase

if TYPE_CHECKING:
    from langgraph.checkpoint.sqlite import SqliteSaver

    from assistant.access import Access
    from assistant.calendar import CalendarImport
    from assistant.importing.plan import Progress
    from assistant.importing.run import ImportReport
    from assistant.llm.gateway import Gateway
    from assistant.meetings import CalendarSaved, Meetings, PrepOutcome, UpcomingMeeting
    from assistant.nightly import RunStatus
    from assistant.note_scan import NoteScan
    from assistant.prep.progress import PlanProgress
    from assistant.reflect.host import DecisionAnswer
    from assistant.reflect.outcomes import AccountFit, OutcomeResult
    from assistant.reflect.progress import ReflectionProgress
    from assistant.reflect.service import Reflections, ReflectRun
    from assistant.reviews import Reviews
    from assistant.team import MigrateReport
    from assistant.views import NoteOrigin, NoteRow
    from knowledge.ingest import IngestReport
    from knowledge.ledger import Ledger, ValueEvidence
    from knowledge.retrieval import Retriever

__all__ = ["EventHandler", "Huddle", "parse_buyers"]

log = logging.getLogger(__name__)

WARM_ALL_NOTES = 200
"""Up to this many notes in the KB, the start-up warm-up (``Huddle.warm``) readies a plan of
every account, not only those of the next meetings (as on the demo KB)."""


class Huddle:
    """One knowledge base's assistant. Thread-safe for the TUI's workers."""

    def __init__(self, settings: Settings, *, clock: Clock = SYSTEM,
                 gateway: Gateway | None = None, retriever: Retriever | None = None) -> None:
        self.settings = settings
        self.clock = clock
        """The one source of "now" and "today" for everything this service stamps or compares."""
        self._meetings: Meetings | None = None
        self._kb: KnowledgeBase | None = None
        self._gateway = gateway
        self._retriever = retriever
        self._records: Records | None = None
        self._access: Access | None = None
        self._lock = threading.RLock()
        self._ingested = retriever is not None
        self._warmed: set[tuple[int, str | None]] = set()  # (kb, account); None: stories

    # ---- lazily opened parts -------------------------------------------------------

    @property
    def kb(self) -> KnowledgeBase:
        with self._lock:
            if self._kb is None:
                from knowledge.loader import load_kb

                self._kb = load_kb(self.settings.kb_path)
            return self._kb

    def reload_kb(self) -> KnowledgeBase:
        with self._lock:
            self._kb = None
            return self.kb

    @property
    def records(self) -> Records:
        with self._lock:
            if self._records is None:
                self._records = Records(self.settings.data_path,
                                        database_url=self.settings.database)
            return self._records

    @property
    def meetings(self) -> Meetings:
        """Upcoming meetings (calendar imports, meetings added by hand, their plans)."""
        with self._lock:
            if self._meetings is None:
                from assistant.meetings import Meetings

                self._meetings = Meetings(self.settings.data_path, self.clock,
                                          database_url=self.settings.database)
            return self._meetings

    @property
    def gateway(self) -> Gateway:
        with self._lock:
            if self._gateway is None:
                from assistant.llm.gateway import Gateway

                self._gateway = Gateway(self.settings.llm, self.settings.data_path)
            return self._gateway

    @property
    def retriever(self) -> Retriever:
        with self._lock:
            if self._retriever is None:
                self._ingest_before_reading()
                from knowledge.retrieval import Retriever

                self._retriever = Retriever(self.settings.data_path,
                                            server=self.settings.index_server())
            return self._retriever

    def ensure_ingested(self, progress: Callable[[str, int, int], None] | None = None,
                        *, wait_s: int = 0) -> IngestReport:
        """Bring the store up to date with the KB files (cheap when nothing changed).

        With ``wait_s``, a store that another Huddle process is writing (a background
        prep-all checking the index, an ingest) is waited for, up to that many seconds, in
        the store's write lock before :class:`StoreLockedError` is raised."""
        from knowledge.ingest import ingest

        with self._lock:
            report = ingest(self.settings.kb_path, self.settings.data_path,
                            kb=self.kb, progress=progress,
                            server=self.settings.index_server(), wait_s=max(0, wait_s))
            self._ingested = True
            return report

    def _ingest_before_reading(self) -> None:
        """Bring the index up to date before searching; in team mode a writer on another
        machine does not block this reader: it searches what the index holds. Skipped when
        this service has just brought it up to date (``ensure_ingested``)."""
        from knowledge.errors import StoreLockedError

        if self._ingested:
            return
        try:
            self.ensure_ingested()
        except StoreLockedError:
            if not self.settings.chroma:
                raise
            log.info("another machine is writing the team index; searching what it holds")

    def warm(self) -> str:
        """Load the embedding model and prepare the LLM now (slow, once; for a background
        worker at start-up); returns the model's name. Also imports the prep workflow
        (langgraph: about a second), so the first plan's code-built sections show at once,
        and on a large store builds global search's in-memory postings (~2 s at 100k)."""
        import assistant.prep.graph  # noqa: F401
        from knowledge import embeddings

        embeddings.get_model()
        self.gateway.prepare()
        try:
            for account in self._upcoming_accounts():
                self.warm_account(account)
        except Exception as exc:  # a head start only: the plan itself reports real problems
            log.warning("warming the next meetings' accounts failed: %s", exc)
        try:  # global search on a large store: postings in memory (knowledge.postings)
            warm_lexical = getattr(self.retriever, "warm_lexical", None)  # fakes have none
            if warm_lexical is not None:
                warm_lexical()
        except Exception as exc:  # searches rank through FTS5 meanwhile
            log.warning("building the in-memory search index failed: %s", exc)
        return self.gateway.model

    def warm_account(self, account: str) -> None:
        """Do now, in the background, the slow first-time work of a plan for ``account``:
        its search collections opened (chromadb loads an index on its first query), the
        scan of its notes and the team's stories for instruction-like text (cached by text)
        and the patterns of that scan compiled. A first plan's code-built sections then
        show in about half the time. Nothing is stored; an unknown account does nothing."""
        from assistant.note_scan import allowlist_for, confirmations

        kb = self.kb
        with self._lock:
            if kb.account(account) is None or (id(kb), account) in self._warmed:
                return
            self._warmed.add((id(kb), account))
            stories = (id(kb), None) not in self._warmed  # the same for every account
            self._warmed.add((id(kb), None))
        allowlist_for(kb, account)
        confirmations(kb, account)
        name = kb.accounts[account].name
        retriever = self.retriever
        retriever.search(name, k=1, account=account, doc_type="note")
        if stories:
            allowlist_for(kb, None)
            retriever.search(name, k=1, doc_type="story")

    def _upcoming_accounts(self, limit: int = 3) -> list[str]:
        """The accounts of the next stored meetings (today on), soonest first, at most
        ``limit``; on a small KB (up to ``WARM_ALL_NOTES`` notes) then every other account."""
        out: list[str] = []
        for m in self.meetings.list_meetings(since=self.clock.today(), limit=20):
            if m.account not in out and len(out) < limit:
                out.append(m.account)
        kb = self.kb
        if len(kb.notes) <= WARM_ALL_NOTES:
            out += [slug for slug in kb.accounts if slug not in out]
        return out

    def checkpointer(self) -> SqliteSaver | Any:
        """The langgraph checkpointer of prep and reflection runs: ``checkpoints.sqlite`` in
        the data directory, or the team database (``PostgresSaver``), so a reflection
        started on one machine resumes on another. The caller closes ``saver.conn``."""
        if self.settings.database:
            from assistant.checkpoints import postgres_saver

            return postgres_saver(self.settings.database)
        from langgraph.checkpoint.sqlite import SqliteSaver

        from knowledge.private import private_dir, private_file
        from knowledge.sqlite import check_database, create_database

        path = self.settings.data_path / "checkpoints.sqlite"
        private_dir(path.parent)
        check_database(path, holds="the state of prep and reflection runs in progress "
                       "(finished plans and reflections are in huddle.db)",
                       remedy=f"Move it aside (`mv {path} {path}.damaged`): only runs that "
                       "were not finished are lost; start those again.")
        if not path.exists():
            create_database(path, "")  # whole, so an empty file always means damage
        conn = sqlite3.connect(path, check_same_thread=False)
        private_file(path)
        return SqliteSaver(conn)

    # ---- who and where -----------------------------------------------------------------

    @property
    def access(self) -> Access:
        """Who may do what (``assistant.access``): roles from team.yaml once it names a
        manager and ``me`` is set; otherwise everyone may do everything."""
        from assistant.access import Access

        with self._lock:
            if self._access is None:
                self._access = Access(self.settings, lambda: self.kb.team)
            return self._access

    def whoami(self) -> dict[str, str | bool]:
        """Who is using Huddle (``me`` in the config, else the login name), their role
        from team.yaml (``rep`` unless the person says ``role: manager``) and whether roles
        are in force (``assistant.access``)."""
        who = self.access.actor()
        return {"name": who.name, "role": who.role, "in_team": who.in_team,
                "roles_enforced": who.enforced}

    def status(self) -> dict[str, str | bool]:
        """What ``huddle status`` and the settings screen show: who, which KB, and which
        backend holds the records and the index (passwords masked, never printed)."""
        who = self.whoami()
        return {
            "me": who["name"], "role": who["role"], "in_team": who["in_team"],
            "roles_enforced": who["roles_enforced"],
            "mode": "team" if self.settings.team_mode else "embedded",
            "kb": str(self.settings.kb_path), "data_dir": str(self.settings.data_path),
            "records": self.settings.database_label, "index": self.settings.index_label,
            "model": self.settings.llm.model,
        }

    # ---- prep ------------------------------------------------------------------------

    def meeting(
        self, *, account: str, kind: str, date: dt.date | str, sellers: list[str] | str,
        buyers: list[Buyer] | str = "", goal: str | None = None, minutes: int = 45,
    ) -> Meeting:
        """A validated meeting: unknown accounts or sellers are named with what exists."""
        from assistant.plan import MEETING_KINDS

        kb = self.kb
        if not account:
            raise HuddleError("pick the account this meeting is with", title="Account")
        if account not in kb.accounts:
            raise HuddleError(f"unknown account {account!r}; accounts: "
                              + ", ".join(sorted(kb.accounts)), title="Unknown account")
        if kind not in MEETING_KINDS:
            raise HuddleError(f"unknown meeting kind {kind!r}; kinds: "
                              + ", ".join(MEETING_KINDS), title="Meeting kind")
        names = [s.strip() for s in sellers.split(",")] if isinstance(sellers, str) else sellers
        names = [n for n in names if n]
        if not names:
            raise HuddleError("name at least one seller who attends (--sellers)",
                              title="No sellers")
        unknown = [n for n in names if kb.team.find(n) is None]
        if unknown:
            raise HuddleError(
                f"not in team.yaml: {', '.join(unknown)}; people: "
                + ", ".join(p.name for p in kb.team.people), title="Unknown seller")
        # one person named twice ("Avery Cole, avery cole") attends once, with one role
        sellers_found = list(dict.fromkeys(kb.team.find(n).name  # type: ignore[union-attr]
                                           for n in names))
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError:
                raise HuddleError(f"dates are YYYY-MM-DD; got {date!r}", title="Date") from None
        if not isinstance(minutes, int) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
            raise HuddleError(f"a meeting lasts between {MIN_MINUTES} and {MAX_MINUTES} "
                              f"minutes; got {minutes!r} (--minutes)", title="Minutes")
        buyer_list = parse_buyers(buyers) if isinstance(buyers, str) else buyers
        return Meeting(account=account, kind=kind, date=date, sellers=sellers_found,
                       buyers=buyer_list, goal=goal or None, minutes=minutes)

    def prepare(self, meeting: Meeting, *, on_event: EventHandler | None = None,
                plan_id: str | None = None, parent: Plan | None = None,
                allow_past: bool = False,
                on_progress: Callable[[PlanProgress], None] | None = None) -> Plan:
        """Run the prep workflow for ``meeting`` and save the plan (status ``draft``).

        Refused before anything runs when the meeting is dated before every note of the
        account (the plan would use none of them: a typo in the date, usually) unless
        ``allow_past``; the records database is opened first, so a damaged one fails before
        the model is called, not at save.

        ``on_progress`` (called in the caller's thread) hears the plan as it fills in
        (``assistant.prep.progress``): the code-built plan with the model's parts pending
        before the first model call, the exit criteria once the model judged them, then the
        saved plan (``final``). The saved plan is the same with or without it; a run that
        stops early saves nothing."""
        from assistant.prep.checks import check_meeting_date
        from assistant.prep.graph import PrepContext, PrepInput, build_prep_graph

        if not allow_past:
            check_meeting_date(self.kb, meeting)
        records = self.records  # opened (and so checked) here, before the model runs
        if parent is not None:  # a new version: the rep's own plan, or a manager's call
            self.access.check("revise", author=records.owner(parent.id), plan=parent.id)
        plan_id = plan_id or records.new_plan_id(meeting.account, meeting.date)
        retriever = self.retriever
        version = (parent.version + 1) if parent else 1

        def save(plan: Plan) -> None:
            if parent is not None:
                plan = plan.model_copy(update={"version": version, "parent_id": parent.id})
            self.records.save_plan(plan, author=self.settings.user)

        context = PrepContext(
            kb=self.kb, retriever=retriever, gateway=self.gateway,
            notes_k=self.settings.retrieval.notes_k, stories_k=self.settings.retrieval.stories_k,
            save=save, on_event=on_event, ledger=self.ledger, clock=self.clock,
            model_headlines=self.settings.prep.asks_model(self.settings.llm),
        )
        saver = self.checkpointer()
        inputs: PrepInput = {"plan_id": plan_id, "meeting": meeting.model_dump(mode="json")}
        config: Any = {"configurable": {"thread_id": f"prep:{plan_id}"}}
        tracker = None
        try:
            graph = build_prep_graph().compile(checkpointer=saver)
            if on_progress is None:
                graph.invoke(inputs, config=config, context=context, durability="sync")
            else:
                from assistant.prep.progress import PlanTracker

                tracker = PlanTracker(on_progress, model=self.gateway.model)
                tracker.start(inputs)
                for update in graph.stream(inputs, config=config, context=context,
                                           durability="sync", stream_mode="updates"):
                    tracker.feed(update)
        finally:
            saver.conn.close()
        plan = self.records.get_plan(plan_id)
        if tracker is not None:
            tracker.finish(plan)
        return plan

    def note_scan(self, doc_id: str) -> NoteScan | None:
        """Instruction-like text in note or story ``doc_id``: findings and the marked text.

        ``assistant.note_scan.NoteScan`` (None when the KB has no such id): what plans leave
        out of that note and why, for the note view.
        """
        from assistant.note_scan import scan_note

        return scan_note(self.kb, doc_id)

    def prepare_all(
        self, meetings: list[UpcomingMeeting], *, jobs: int | None = None,
        on_progress: EventHandler | None = None, should_stop: Callable[[], bool] | None = None,
        redo: bool = False,
    ) -> list[PrepOutcome]:
        """Draft a plan for each stored meeting, ``jobs`` at a time (default: 1 for the
        embedded model, 3 for a hosted one); see ``assistant.meetings.prepare_all``."""
        from assistant.meetings import default_jobs, prepare_all

        return prepare_all(self, meetings, store=self.meetings,
                           jobs=jobs or default_jobs(self.settings.llm.model),
                           on_progress=on_progress, should_stop=should_stop, redo=redo)

    def prep_estimate(self) -> float:
        """Seconds one plan is expected to take with the configured model (the median of
        its last uncached plans, else a default); see ``assistant.nightly``."""
        from assistant.meetings import default_jobs
        from assistant.nightly import estimate_seconds

        model = self.settings.llm.model
        return estimate_seconds(self.records, model, local=default_jobs(model) == 1)

    def start_prep_all(
        self, meetings: list[UpcomingMeeting], *, day: dt.date, jobs: int | None = None,
        redo: bool = False, command: list[str] | None = None,
    ) -> RunStatus:
        """Draft ``meetings`` in a detached background process (one per data directory;
        :class:`assistant.nightly.PrepAllRunning` while another runs). Returns the status the
        run starts from; :meth:`prep_all_status` follows it. ``command`` replaces the child
        command (``assistant.nightly.child_command``)."""
        from assistant import nightly
        from assistant.meetings import default_jobs

        if not meetings:
            raise HuddleError(f"no meetings on {day} to prepare", title="Prep-all")
        model = self.settings.llm.model
        job = nightly.Job(
            run_id=nightly.new_run_id(self.clock), kb=str(self.settings.kb_path.resolve()),
            data_dir=str(self.settings.data_path.resolve()), model=model, day=day.isoformat(),
            meeting_ids=[m.id for m in meetings], redo=redo,
            jobs=jobs or default_jobs(model))
        return nightly.start(job, meetings, clock=self.clock, estimate_s=self.prep_estimate(),
                             command=command)

    def prep_all_status(self) -> RunStatus | None:
        """The last background prep-all of this data directory (None if there was none); a
        run that died unfinished reads ``crashed``, its unfinished meetings ``failed``."""
        from assistant.nightly import read_status

        return read_status(self.settings.data_path, clock=self.clock)

    def prep_all_status_stamp(self) -> int | None:
        """When the background prep-all's status file last changed (None: there is none);
        cheap (one ``stat``), for a screen deciding whether to read the status again."""
        from assistant.nightly import RunPaths

        try:
            return RunPaths.of(self.settings.data_path).status.stat().st_mtime_ns
        except OSError:
            return None

    @classmethod
    def run_prep_all_job(cls, job_path: str | Path, *, lock_fd: int | None = None,
                         clock: Clock = SYSTEM) -> RunStatus:
        """The background process's work (``huddle prep-all --run-job``): the service for the
        job's KB, data directory and model, every meeting drafted, the status file kept."""
        from assistant import nightly
        from assistant.config import load_settings

        job = nightly.Job.read(job_path)
        huddle = cls(load_settings(kb=job.kb, data_dir=job.data_dir, model=job.model),
                     clock=clock)

        def prepare_all(todo: list[UpcomingMeeting], **kw: Any) -> list[PrepOutcome]:
            # the app may be checking the index as it starts: wait for it, not fail the night
            huddle.ensure_ingested(wait_s=nightly.STORE_WAIT_S)
            return huddle.prepare_all(todo, **kw)

        return nightly.run_job(job, lock_fd=lock_fd, clock=clock, prepare_all=prepare_all,
                               meetings=lambda ids: [huddle.meetings.get(i) for i in ids])

    def background_prep_active(self) -> bool:
        """A background prep-all of this data directory is running (cheap: a file read)."""
        try:
            status = self.prep_all_status()
        except HuddleError:
            return False
        return status is not None and status.active

    def revise_roles(self, plan_id: str, roles: dict[str, str]) -> Plan:
        """A new version of a plan with some sellers' roles changed by the rep.

        Only the sections that follow from roles change (roles, agenda, checklist): no model
        call. With two or more sellers exactly one must be ``closer`` or the ``lead`` owns the
        ask; two closers or two leads are refused.
        """
        from assistant.prep.roles import revise_roles

        plan = self.records.get_plan(plan_id)
        self.access.check("revise", author=self.records.owner(plan.id), plan=plan.id)
        revised = revise_roles(plan, roles,
                               new_id=self.records.new_plan_id(plan.meeting.account,
                                                               plan.meeting.date),
                               created_at=self.clock.stamp())
        self.records.save_plan(revised, author=self.settings.user)
        return revised

    # ---- upcoming meetings, the calendar, exports ------------------------------------

    def schedule(self, meeting: Meeting, starts_at: dt.datetime, *, title: str = "",
                 meeting_id: str | None = None) -> UpcomingMeeting:
        """Store a validated ``meeting`` (``Huddle.meeting``) as an upcoming meeting at
        ``starts_at``, belonging to ``me``; with ``meeting_id``, update that stored meeting
        instead (its title and owner stay)."""
        store = self.meetings
        if meeting_id:
            stored = store.get(meeting_id)
            stored.account, stored.kind, stored.starts_at = meeting.account, meeting.kind, \
                starts_at
            stored.minutes, stored.sellers, stored.buyers = meeting.minutes, meeting.sellers, \
                meeting.buyers
            stored.goal = meeting.goal
            store.save(stored)
            return stored
        return store.add(account=meeting.account, kind=meeting.kind, starts_at=starts_at,
                         minutes=meeting.minutes, sellers=meeting.sellers, buyers=meeting.buyers,
                         goal=meeting.goal, title=title, owner=self._me())

    def _me(self) -> str:
        """``me`` as team.yaml spells it (else as configured, or the login name)."""
        return self.access.actor().name

    def list_meetings(self, *, day: dt.date | None = None, since: dt.date | None = None,
                      until: dt.date | None = None, account: str | None = None,
                      rep: str | None = None, all_reps: bool = False,
                      limit: int = 200) -> list[UpcomingMeeting]:
        """Stored meetings, earliest first. In team mode (``database_url``) a rep sees their
        own meetings and the shared ones (stored before meetings had owners) unless
        ``all_reps``; a manager sees every rep's. ``rep`` lists that rep's (and the shared
        ones) in either mode; in the embedded default everything is listed."""
        return self.meetings.list_meetings(day=day, since=since, until=until, account=account,
                                           owner=self.meeting_scope(rep, all_reps=all_reps),
                                           limit=limit)

    def meeting_scope(self, rep: str | None = None, *, all_reps: bool = False) -> str | None:
        """Whose meetings :meth:`list_meetings` lists (None: everyone's)."""
        if rep and rep.strip():
            try:
                person = self.kb.team.find(rep)
            except HuddleError:
                person = None
            return person.name if person else " ".join(rep.split())
        if all_reps or not self.settings.database:
            return None
        who = self.access.actor()
        return None if who.is_manager else who.name

    def meeting_for_plan(self, plan_id: str) -> UpcomingMeeting | None:
        """The stored meeting a plan (any of its versions) was prepared for, if any."""
        versions = [p.id for p in self.records.versions(plan_id)]
        return self.meetings.for_plan(plan_id, versions)

    def export_plan(self, plan_id: str, folder: str | Path) -> list[Path]:
        """Write the plan as Markdown into ``folder`` and, when it was prepared for a stored
        meeting, the huddle block (``.ics``) and its agenda (``.md``); returns the paths."""
        from assistant.exports import write_huddle
        from assistant.render import plan_markdown

        plan = self.records.get_plan(plan_id)
        out = Path(folder).expanduser()
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{plan.id}.md"
        path.write_text(plan_markdown(plan), encoding="utf-8")
        paths = [path]
        meeting = self.meeting_for_plan(plan.id)
        if meeting is not None:
            paths += write_huddle(plan, meeting.starts_at, ics=out / f"{plan.id}-huddle.ics",
                                  md=out / f"{plan.id}-huddle.md", kb=self.kb,
                                  now=self.clock.now())
        return paths

    def export_meeting_huddle(self, meeting: UpcomingMeeting, folder: str | Path) -> list[Path]:
        """Write a stored meeting's prep block (``.ics``) and huddle agenda (``.md``) into
        ``folder``, named by its start and account; returns the paths."""
        from assistant.exports import write_huddle

        if not meeting.plan_id:
            raise HuddleError(f"meeting {meeting.id} has no plan yet: prepare it first",
                              title="Export huddle")
        plan = self.records.get_plan(meeting.plan_id)
        base = Path(folder).expanduser() / f"{meeting.starts_at:%Y-%m-%d-%H%M}-{meeting.account}"
        return write_huddle(plan, meeting.starts_at, ics=f"{base}-huddle.ics",
                            md=f"{base}-huddle.md", kb=self.kb, now=self.clock.now())

    def read_calendar(
        self, source: str | Path | bytes, *, resolve: Mapping[str, str] | None = None,
        since: dt.date | None = None, days: int = 14,
    ) -> CalendarImport:
        """Read a calendar export and match its external meetings to accounts (nothing is
        stored): ``days`` days from ``since`` (default today); ``resolve`` gives the account
        (or ``skip``) of meetings by their summary."""
        from assistant.calendar import import_calendar

        start = since or self.clock.today()
        return import_calendar(self.kb, source, resolve=dict(resolve or {}), window_start=start,
                               window_end=start + dt.timedelta(days=days), tz=self.clock.tz)

    def save_calendar(self, result: CalendarImport,
                      answers: Mapping[str, str] | None = None) -> CalendarSaved:
        """Store what ``read_calendar`` matched, and the unmatched meetings the rep named an
        account for in ``answers`` (summary -> slug, or ``skip``), as ``me``'s meetings."""
        from assistant.meetings import save_calendar_import

        return save_calendar_import(self.meetings, self.kb, result, answers or {},
                                    owner=self._me())

    # ---- after the call: reflections, outcomes, the ICP ledger, reviews --------------
    # (assistant.reflect, knowledge.ledger, assistant.reviews; see docs/after-the-call.md)

    _ledger: Ledger | None = None
    _ledger_kb: KnowledgeBase | None = None
    _reflections: Reflections | None = None
    _reviews: Reviews | None = None

    @property
    def ledger(self) -> Ledger:
        """The ICP evidence ledger, synced with the KB's stories (idempotent, cheap)."""
        from knowledge.ledger import Ledger

        with self._lock:
            kb = self.kb
            if self._ledger is None:
                self._ledger = Ledger.open(self.settings.data_path, stamp=self.clock.stamp,
                                           database_url=self.settings.database)
            if self._ledger_kb is not kb:  # a (re)loaded KB: re-sync stories
                self._ledger.sync_stories(kb)
                self._ledger_kb = kb
            return self._ledger

    @property
    def reflections(self) -> Reflections:
        """Start, resume and list post-call reflections (``assistant.reflect.service``)."""
        from assistant.reflect.service import Reflections

        with self._lock:
            if self._reflections is None:
                self._reflections = Reflections(self)
            return self._reflections

    @property
    def reviews(self) -> Reviews:
        """Manager review of plans (``assistant.reviews.Reviews``)."""
        from assistant.reviews import Reviews

        with self._lock:
            if self._reviews is None:
                self._reviews = Reviews(self.records, self.clock, me=self.settings.user,
                                        access=self.access)
            return self._reviews

    def reflect(
        self, *, notes: str | Path | None = None, text: str | None = None, fmt: str = "txt",
        plan_id: str | None = None, account: str | None = None, kind: str | None = None,
        date: dt.date | str | None = None, sellers: list[str] | str | None = None,
        author: str | None = None, decisions: DecisionAnswer = None,
        on_event: EventHandler | None = None,
        on_progress: Callable[[ReflectionProgress], None] | None = None,
    ) -> ReflectRun:
        """``reflections.start(...)``: reflect on a call (pass ``decisions="accept-all"``
        to go through the checkpoint at once; ``on_progress`` hears the reflection as it
        fills in, ``assistant.reflect.progress``)."""
        return self.reflections.start(
            notes=notes, text=text, fmt=fmt, plan_id=plan_id, account=account, kind=kind,
            date=date, sellers=sellers, author=author, decisions=decisions, on_event=on_event,
            on_progress=on_progress)

    def record_outcome(
        self, account: str, outcome: str, *, reason: str | None = None,
        competitor: str | None = None, date: dt.date | str | None = None,
        cycle_days: int | None = None, people_involved: int | None = None,
        delivery_friction: str | None = None, satisfaction: int | None = None,
        deal_size: float | None = None, by: str | None = None, close_stage: bool = True,
    ) -> OutcomeResult:
        """Record a deal outcome in the ICP ledger (``assistant.reflect.outcomes``); a won or
        lost deal moves the account to the stage that records it unless ``close_stage`` is
        False. Figures not given come from the account's latest reflection whose deal
        figures the rep confirmed, and the result says so."""
        from assistant.reflect.outcomes import record_outcome

        given: dict[str, Any] = {"cycle_days": cycle_days, "people_involved": people_involved,
                 "delivery_friction": delivery_friction, "satisfaction": satisfaction,
                 "deal_size": deal_size}
        confirmed = self.reflections.confirmed_figures(account) if self.kb.account(account) \
            else None
        used: dict[str, str] = {}
        if confirmed is not None:
            run_id, figures = confirmed
            for name, value in figures.items():
                if given.get(name) is None and not (
                        outcome != "won" and name in ("delivery_friction", "satisfaction")):
                    given[name] = value
                    used[name] = f"confirmed in reflection {run_id}"
        result = record_outcome(self, account, outcome, reason=reason, competitor=competitor,
                                date=date, by=by, close_stage=close_stage, **given)
        result.derived.update(used)
        return result

    def icp_evidence(self, attribute: str | None = None) -> list[ValueEvidence]:
        """The ICP evidence ledger's table: each value's outcomes and win rate (one
        attribute's values with ``attribute``; an unknown attribute is refused)."""
        from assistant.reflect.outcomes import icp_evidence

        return icp_evidence(self, attribute)

    def icp_explain(self, account: str) -> AccountFit:
        """The account's ICP fit with the ledger's evidence behind each attribute."""
        from assistant.reflect.outcomes import icp_explain

        return icp_explain(self, account)

    # ---- team mode -------------------------------------------------------------------

    def migrate_from_sqlite(self, source_dir: str | Path, *, rep: str | None = None
                            ) -> MigrateReport:
        """Copy one rep's local records (a data directory's SQLite files, read only) into the
        team database at ``database_url``, with the workflow state (langgraph checkpoints) of
        its unfinished reflections, so they resume on any machine; idempotent
        (``assistant.team``). Plans without an author get ``rep`` (default: ``me``)."""
        from assistant.team import MigrateError, migrate_from_sqlite
        from knowledge.ledger import Ledger

        if not self.settings.database:
            raise MigrateError("set the team database first: database_url in the config file "
                               "or HUDDLE_DATABASE_URL=postgresql://USER:PASSWORD@HOST/DB")
        ledger = Ledger.open(self.settings.data_path, stamp=self.clock.stamp,
                             database_url=self.settings.database)
        return migrate_from_sqlite(source_dir, records=self.records, ledger=ledger,
                                   rep=" ".join((rep or self.settings.user).split()),
                                   checkpointer=self.checkpointer if self.records.is_postgres
                                   else None)

    # ---- bringing notes in -------------------------------------------------------------

    def import_notes(self, kind: str, source: str | Path, *, mapping: str | Path | None = None,
                     dry_run: bool = False, on_progress: Progress | None = None
                     ) -> ImportReport:
        """Write KB files from a CRM export, e-mail or transcripts (``assistant.importing``):
        what would be written with ``dry_run``; then the KB is reloaded (run ``ingest`` to
        index the new notes). ``on_progress(done, total, label)`` hears each source record
        planned, then each file written (``run_import``)."""
        from assistant.importing import run_import

        with self._lock:
            report = run_import(kind, source, self.settings.kb_path, mapping, dry_run=dry_run,
                                on_progress=on_progress)
            if not dry_run:
                self._kb = None  # the files changed: read them again when next needed
            return report

    def note_origin(self, doc_id: str) -> NoteOrigin | None:
        """Where a note or story came from: its KB file, and the source system, record and
        file when ``huddle import`` wrote it (None: no such id)."""
        from assistant.views import note_origin

        return note_origin(self.kb, doc_id)

    def note_rows(self, *, account: str | None = None, ids: list[str] | None = None
                  ) -> list[NoteRow]:
        """The KB's notes and stories with where each came from (only ``account``'s, or only
        ``ids``)."""
        from assistant.views import note_rows

        return note_rows(self.kb, account=account, ids=ids)
