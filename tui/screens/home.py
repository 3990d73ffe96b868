"""Home: upcoming meetings, accounts with stage and ICP fit, recent plans with review status.

The night-before actions start here: import a calendar (``c``), prepare all of tomorrow's
meetings (``a``, progress per meeting, cancellable with Escape), export the huddle block of a
meeting (``x``). Enter opens the selected meeting, account or plan in the Prep screen.

A background prep-all (``huddle prep-all --background``, another process) is followed while
the screen is open: every :attr:`HomeScreen.BACKGROUND_POLL_S` seconds a worker reads its
status (``Huddle.prep_all_status``) and the meetings list marks each of its meetings queued,
running, ready or failed; when a meeting becomes ready the list is read again, so Enter opens
the plan the background run saved.

Its reads start once the app's first frame is on the screen (``HuddleApp.painted``). When
the three tables first show what was read (meetings and plans from the store, accounts from
the knowledge base), :attr:`HomeScreen.filled` turns True and :class:`~tui.messages.HomeFilled`
is posted: tests and benchmarks wait for that, never for a delay.

Composes the boxes of :mod:`tui.widgets.home`; reads and writes through the service
(``Huddle.meetings``, ``read_calendar`` / ``save_calendar``, ``prepare_all``,
``export_meeting_huddle``, the plan records), always in workers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid
from textual.content import Content
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from tui.messages import (
    BackgroundPrepRead,
    CalendarImported,
    CalendarRead,
    HomeFilled,
    HomeLoaded,
    HuddleExported,
    MeetingDeleted,
    PrepAllFinished,
    PrepAllProgressed,
    WorkCancelled,
    WorkFailed,
)
from tui.screens.base import HuddleScreen
from tui.widgets.home import AccountsBox, MeetingsBox, PlansBox, PrepAllPanel

if TYPE_CHECKING:  # imported where used: not needed for the first frame
    from assistant.nightly import RunningEstimate


class HomeScreen(HuddleScreen):
    """Upcoming meetings, accounts and recent plans."""

    MODE = "home"
    HELP = ("Upcoming meetings (imported from a calendar or created in Prep), accounts with "
            "their stage and ICP fit, and recent plans with their review status.")
    BINDINGS: ClassVar[list[Any]] = [
        Binding("n", "new_meeting", "New", id="home.new",
                tooltip="Open an empty meeting form in Prep"),
        Binding("c", "import_calendar", "Import .ics", id="home.import",
                tooltip="Read a calendar export and add its customer meetings"),
        Binding("a", "prep_all", "Prep tomorrow", id="home.prep_all",
                tooltip="Draft a plan for every meeting tomorrow (progress below)"),
        Binding("x", "export_huddle", "Export", id="home.export",
                tooltip="Write the selected meeting's prep block (.ics) and huddle agenda (.md)"),
        Binding("d", "delete_meeting", "Delete", id="home.delete", show=False,
                tooltip="Remove the selected upcoming meeting (its plans stay)"),
        Binding("ctrl+r", "refresh", "Refresh", id="home.refresh", show=False,
                tooltip="Read meetings and plans again (and retry a failed start-up)"),
        Binding("escape", "cancel_prep_all", "Cancel", id="home.cancel",
                tooltip="Stop preparing: the meeting in progress stops at its next step"),
    ]

    BACKGROUND_POLL_S: ClassVar[float] = 2.0
    """How often a background prep-all is checked while the screen is open: its status is
    read while a run is active, otherwise only when the status file has changed."""

    def __init__(self) -> None:
        super().__init__()
        self.meetings: list[Any] = []
        self.plans: list[dict[str, Any]] = []
        self.prep_all_running = False
        self._prep_all_rows: dict[str, str] = {}
        self._prep_all_estimate: RunningEstimate | None = None  # None: not known yet
        self._background: Any = None  # the last status read of a background prep-all
        self._background_error = ""
        self._background_stamp: object = None  # the status file's mtime at the last read
        self._narrow = False
        self._read = False  # meetings and plans have been read at least once
        self.filled = False
        """True once the tables show what was read: meetings, plans and the KB's accounts."""

    def compose(self) -> ComposeResult:
        yield from self.compose_nav()
        with Grid(id="home-grid"):
            yield MeetingsBox(id="meetings-box", classes="box")
            yield AccountsBox(id="accounts-box", classes="box")
            yield PlansBox(id="plans-box", classes="box")
        yield PrepAllPanel(id="prep-all-panel")
        yield Static("Loading the knowledge base…", id="home-status")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._narrow = self.app.size.width < 110
        self._add_columns()
        self.query_one("#meetings", DataTable).loading = True
        self.watch(self.app, "kb", self._kb_changed)
        self.watch(self.app, "store_state", self._store_changed)
        # after the first frame (at once when the app has painted already): a worker that
        # imports the service while the frame is built slows the paint
        self.watch(self.app, "painted", self._start_reads)
        self.set_interval(self.BACKGROUND_POLL_S, lambda: self.read_background(force=False),
                          name="prep-all-status")

    def _add_columns(self) -> None:
        for box in (self.query_one(MeetingsBox), self.query_one(AccountsBox),
                    self.query_one(PlansBox)):
            box.set_columns(self._narrow)

    def _start_reads(self, painted: bool) -> None:
        if painted:
            self.load()
            self.read_background()

    def _check_filled(self) -> None:
        if self.filled or not self._read or self.huddle_app.kb is None:
            return
        self.filled = True
        self.post_message(HomeFilled())

    def on_resize(self) -> None:
        narrow = self.app.size.width < 110
        if narrow != getattr(self, "_narrow", narrow):
            self._narrow = narrow
            self._add_columns()
            self._fill_meetings()
            self._fill_plans()
            self._fill_accounts()

    def on_screen_resume(self) -> None:
        # the first resume comes before the first frame: the reads start on ``painted``
        if self.is_mounted and self.huddle_app.painted and not self.prep_all_running:
            self.load()
            self.read_background()

    # ---- loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="home", exit_on_error=False,
          description="Reading meetings and plans")
    def load(self) -> None:
        services = self.services
        today = self.huddle_app.today()
        meetings = services.huddle.list_meetings(since=today)  # in team mode: mine
        plans = services.huddle.records.list_plans(limit=30)
        self.post_message(HomeLoaded(meetings, plans))

    @on(HomeLoaded)
    def _loaded(self, event: HomeLoaded) -> None:
        self.meetings, self.plans = event.meetings, event.plans
        self._fill_meetings()
        self._fill_plans()
        self._fill_accounts()
        self.refresh_bindings()  # Export and Delete depend on there being meetings
        self._read = True
        self._check_filled()

    def _fill_meetings(self) -> None:
        self.query_one(MeetingsBox).fill(
            self.meetings, self.plans, kb=self.huddle_app.kb, today=self.huddle_app.today(),
            narrow=self._narrow, prep_all={**self._background_marks(), **self._prep_all_rows})
        if not self.meetings:
            self.set_status("No upcoming meetings: press c to import a calendar (.ics) or n to "
                            "create one.")
        elif not self.prep_all_running and self.app.store_state == "ready":
            self._store_changed("ready")

    # ---- a background prep-all (another process) -------------------------------------------

    @work(thread=True, exclusive=True, group="prep_all_status", exit_on_error=False)
    def read_background(self, *, force: bool = True) -> None:
        """Read the background run's status. Polled (``force=False``): read while a run is
        active, otherwise only when the status file changed (a run started from the CLI),
        which costs one ``stat``."""
        stamp = self.services.huddle.prep_all_status_stamp()
        active = self._background is not None and self._background.active
        if not (force or active or stamp != self._background_stamp):
            return
        self._background_stamp = stamp
        try:
            status = self.services.huddle.prep_all_status()
        except Exception as exc:  # a damaged status file: said once in the status line
            self.post_message(BackgroundPrepRead(None, str(getattr(exc, "message", exc))))
            return
        self.post_message(BackgroundPrepRead(status))

    @on(BackgroundPrepRead)
    def _background_read(self, event: BackgroundPrepRead) -> None:
        before, self._background = self._background, event.status
        self._background_error = event.error
        old = _done_meetings(before)
        if _done_meetings(event.status) != old:
            self.load()  # a plan was saved (or a meeting failed): read meetings and plans
        elif _marks(before) != _marks(event.status):
            self._fill_meetings()
        if before is not None and before.active and event.status is not None \
                and not event.status.active:
            counts = event.status.counts()
            self.notify(f"{counts['ready']} plan(s) ready, {counts['failed']} failed "
                        f"({event.status.state}).", title="Background prep-all",
                        severity="warning" if counts["failed"] else "information")
        active = event.status is not None and event.status.active
        if (active or _marks(before) != _marks(event.status) or event.error) \
                and self.meetings and not self.prep_all_running \
                and self.app.store_state == "ready":
            self._store_changed("ready")

    def _background_marks(self) -> dict[str, str]:
        """Meeting id -> queued / running / failed / ready, for the meetings of the last
        background run; ready only while the meeting still has the plan that run saved."""
        status = self._background
        if status is None:
            return {}
        plan_of = {m.id: m.plan_id for m in self.meetings}
        marks = {}
        for row in status.meetings:
            if row.state in ("queued", "running") and status.active:
                marks[row.meeting_id] = row.state
            elif row.state == "failed":
                marks[row.meeting_id] = "failed"
            elif row.state == "ready" and row.plan_id and plan_of.get(row.meeting_id) \
                    == row.plan_id:
                marks[row.meeting_id] = "ready"
        return marks

    def _background_line(self) -> str:
        status = self._background
        if self._background_error:
            return f" · background prep-all: {self._background_error}"
        if status is None or not status.active:
            return ""
        from assistant.nightly import duration_text

        counts = status.counts()
        left = status.remaining_s(self.huddle_app.clock.now())
        running = next((m for m in status.meetings if m.state == "running"), None)
        doing = f", drafting {running.account}" if running else ""
        return (f" · background prep-all: {counts['ready']}/{len(status.meetings)} ready"
                f"{doing}, about {duration_text(left)} left")

    def _fill_plans(self) -> None:
        self.query_one(PlansBox).fill(self.plans, kb=self.huddle_app.kb, narrow=self._narrow)

    def _fill_accounts(self) -> None:
        self.query_one(AccountsBox).fill(self.huddle_app.kb, narrow=self._narrow)

    def _kb_changed(self, kb: Any) -> None:
        if kb is not None:
            self._fill_accounts()
            self._fill_meetings()
            self._fill_plans()
            self._check_filled()

    def _store_changed(self, state: str) -> None:
        if self.prep_all_running:
            return
        if state == "ready":
            self.set_status("Ready · enter opens · n new meeting · c import .ics · "
                            "a prep tomorrow · ? keys" + self._background_line())
        elif state == "error":
            self.set_status("Start-up failed (see the message). Fix it, then press ctrl+r to "
                            "try again.")
        elif state.startswith("indexing"):
            self.set_status(f"Indexing the knowledge base: {state.split(' ', 1)[1]} chunks "
                            "(you can browse meanwhile)")

    def set_status(self, text: str | Content) -> None:
        self.query_one("#home-status", Static).update(text)

    # ---- opening ---------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#meetings")
    async def _open_meeting(self, event: DataTable.RowSelected) -> None:
        await self.huddle_app.action_open_meeting(str(event.row_key.value))

    @on(DataTable.RowSelected, "#plans")
    async def _open_plan(self, event: DataTable.RowSelected) -> None:
        await self.huddle_app.action_open_plan(str(event.row_key.value))

    @on(DataTable.RowSelected, "#accounts")
    async def _open_account(self, event: DataTable.RowSelected) -> None:
        await self.app.switch_mode("prep")
        self.app.screen.new_meeting(account=event.row_key.value)  # type: ignore[attr-defined]

    async def action_new_meeting(self) -> None:
        await self.app.switch_mode("prep")
        self.app.screen.new_meeting()  # type: ignore[attr-defined]

    def action_refresh(self) -> None:
        if self.app.store_state == "error":
            self.huddle_app.retry_boot()
        self.load()

    def selected_meeting(self) -> Any | None:
        return self.query_one(MeetingsBox).selected(self.meetings)

    # ---- calendar import -------------------------------------------------------------------

    def action_import_calendar(self) -> None:
        from tui.screens.modals import AskModal

        def chosen(path: str | None) -> None:
            if path:
                self.read_calendar(path)

        self.app.push_screen(AskModal(
            "Import calendar", "Path of a calendar export (.ics). Meetings from today "
            "to 14 days ahead with people outside the team are kept.",
            placeholder="~/Downloads/calendar.ics"), chosen)

    @work(thread=True, exclusive=True, group="calendar", exit_on_error=False,
          description="Reading the calendar file")
    def read_calendar(self, path: str) -> None:
        result = self.services.huddle.read_calendar(Path(path).expanduser(),
                                                    since=self.huddle_app.today(), days=14)
        self.post_message(CalendarRead(path, result))

    @on(CalendarRead)
    def _calendar_read(self, event: CalendarRead) -> None:
        result = event.result
        if not result.unmatched:
            self.save_calendar(event.path, result, {})
            return
        from tui.screens.resolve import ResolveModal

        def resolved(answers: dict[str, str] | None) -> None:
            self.save_calendar(event.path, result, answers or {})

        kb = self.huddle_app.kb
        accounts = sorted(((a.name, slug) for slug, a in kb.accounts.items())) if kb else []
        self.app.push_screen(ResolveModal(result.unmatched, accounts), resolved)

    @work(thread=True, exclusive=True, group="calendar", exit_on_error=False,
          description="Saving imported meetings")
    def save_calendar(self, path: str, result: Any, answers: dict[str, str]) -> None:
        done = self.services.huddle.save_calendar(result, answers)
        self.post_message(CalendarImported(path, done.saved, done.skipped))

    @on(CalendarImported)
    def _calendar_imported(self, event: CalendarImported) -> None:
        self.notify(f"{len(event.saved)} meeting(s) added or updated from {event.path}; "
                    f"{event.skipped} skipped (internal, all-day, cancelled or unresolved).",
                    title="Calendar imported", markup=False)
        self.load()

    # ---- prep all --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_prep_all":
            return self.prep_all_running
        if action == "prep_all":
            return not self.prep_all_running
        if action in ("export_huddle", "delete_meeting"):
            return bool(self.meetings)
        return True

    def action_prep_all(self) -> None:
        if self._background is not None and self._background.active:
            self.notify(f"A background prep-all is drafting {self._background.day}'s meetings "
                        f"(log: {self._background.log}); its plans appear here as they finish.",
                        title="Prep tomorrow", severity="warning", markup=False)
            return
        day = self.huddle_app.tomorrow()
        todo = [m for m in self.meetings if m.date == day]
        if not todo:
            self.notify(f"No meetings on {day:%a %d %b}: import a calendar (c) or create one "
                        "(n).", title="Prep tomorrow")
            return
        self.prep_all_running = True
        self._prep_all_rows = {m.id: ("skipped" if m.plan_id else "queued") for m in todo}
        self.add_class("-prep-all")
        self.query_one(PrepAllPanel).start(len(todo), sum(1 for m in todo if m.plan_id))
        self._render_prep_all(todo)
        self.refresh_bindings()
        self.prepare_all(todo)

    @work(thread=True, exclusive=True, group="prep_all", exit_on_error=False,
          description="Preparing tomorrow's meetings")
    def prepare_all(self, todo: list[Any]) -> None:
        worker = get_current_worker()
        estimate = self.services.huddle.prep_estimate()
        self.app.call_from_thread(self._set_estimate, estimate)

        def progress(kind: str, data: dict[str, Any]) -> None:
            state = kind.removeprefix("meeting_")
            detail, seconds = "", 0.0
            if kind == "step":
                if data.get("event") != "node_started":
                    return
                detail = data["node"]
            elif kind == "meeting_failed":
                detail = f"{data['title']}: {data['error']}"
            elif kind == "meeting_finished":
                seconds = float(data["seconds"])
                detail = f"{seconds:.0f}s"
            self.post_message(PrepAllProgressed(data["meeting_id"], state, detail, seconds))

        outcomes = self.services.huddle.prepare_all(todo, on_progress=progress,
                                                    should_stop=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.post_message(PrepAllFinished(outcomes))

    @on(PrepAllProgressed)
    def _prep_all_progress(self, event: PrepAllProgressed) -> None:
        self._prep_all_rows[event.meeting_id] = event.state
        if event.state == "finished" and self._prep_all_estimate is not None:
            self._prep_all_estimate.finished(event.seconds)
        if event.state in ("finished", "failed"):
            self.query_one(PrepAllPanel).advance()
        todo = [m for m in self.meetings if m.id in self._prep_all_rows]
        self._render_prep_all(todo, {event.meeting_id: event.detail})

    def _set_estimate(self, seconds: float) -> None:
        from assistant.nightly import RunningEstimate

        self._prep_all_estimate = RunningEstimate(seconds)
        todo = [m for m in self.meetings if m.id in self._prep_all_rows]
        if self.prep_all_running:
            self._render_prep_all(todo)

    def _render_prep_all(self, todo: list[Any], details: dict[str, str] | None = None) -> None:
        self.query_one(PrepAllPanel).show(todo, self._prep_all_rows, self.huddle_app.kb, details)
        done = sum(1 for s in self._prep_all_rows.values() if s in ("finished", "skipped"))
        left = sum(1 for s in self._prep_all_rows.values() if s in ("queued", "started", "step"))
        eta = ""
        if self._prep_all_estimate is not None and left:
            from assistant.nightly import duration_text, seconds_left

            each = self._prep_all_estimate.each
            eta = (f" · about {each:.0f} s a meeting, "
                   f"~{duration_text(seconds_left(each, left))} left")
        self.set_status(f"Preparing tomorrow: {done}/{len(todo)} ready{eta} · Escape cancels")

    @on(PrepAllFinished)
    def _prep_all_finished(self, event: PrepAllFinished) -> None:
        self.prep_all_running = False
        self.refresh_bindings()
        ok = sum(1 for o in event.outcomes if o.ok)
        failed = [o for o in event.outcomes if not o.ok]
        text = f"{ok} of {len(event.outcomes)} meeting(s) have a plan."
        if failed:
            text += " Failed: " + "; ".join(f"{o.meeting.account}: {o.error}" for o in failed)
        self.notify(text, title="Prep tomorrow", severity="warning" if failed else "information",
                    markup=False, timeout=10)
        self.set_status(text + "  (enter opens a plan)")
        self.load()

    def action_cancel_prep_all(self) -> None:
        self.workers.cancel_group(self, "prep_all")

    @on(WorkCancelled)
    def _cancelled(self, event: WorkCancelled) -> None:
        if event.group == "prep_all":
            self.prep_all_running = False
            self.refresh_bindings()
            self.set_status("Prep-all cancelled: the meeting in progress stops at its next step; "
                            "finished plans are kept.")
            self.notify("Prep-all cancelled.", title="Prep tomorrow")
            self.load()

    @on(WorkFailed)
    def _failed(self, event: WorkFailed) -> None:
        if event.group == "prep_all":
            self.prep_all_running = False
            self.refresh_bindings()
            self.load()
        elif event.group == "home":
            self.query_one("#meetings", DataTable).loading = False

    # ---- export, delete --------------------------------------------------------------------

    def action_export_huddle(self) -> None:
        meeting = self.selected_meeting()
        if meeting is None:
            return
        if not meeting.plan_id:
            self.notify("This meeting has no plan yet: press enter to prepare it, or a to "
                        "prepare all of tomorrow's.", title="Export huddle")
            return
        from tui.screens.modals import AskModal

        def chosen(folder: str | None) -> None:
            if folder:
                self.export_huddle(meeting, folder)

        self.app.push_screen(AskModal(
            "Export huddle", "Folder for the prep block (.ics) and the huddle agenda (.md):",
            value=str(Path.cwd() / "huddle-exports")), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False,
          description="Writing the huddle files")
    def export_huddle(self, meeting: Any, folder: str) -> None:
        paths = self.services.huddle.export_meeting_huddle(meeting, folder)
        self.post_message(HuddleExported([str(p) for p in paths]))

    @on(HuddleExported)
    def _exported(self, event: HuddleExported) -> None:
        self.notify("Wrote " + ", ".join(event.paths), title="Exported", markup=False,
                    timeout=8)

    def action_delete_meeting(self) -> None:
        meeting = self.selected_meeting()
        if meeting is None:
            return
        from tui.screens.modals import ConfirmModal

        def answer(yes: bool | None) -> None:
            if yes:
                self.delete_meeting(meeting.id)

        self.app.push_screen(ConfirmModal(
            f"Remove the meeting {meeting.title!r} on {meeting.starts_at:%a %d %b %H:%M}? "
            "Its plans stay.", title="Delete meeting"), answer)

    @work(thread=True, exclusive=True, group="delete", exit_on_error=False)
    def delete_meeting(self, meeting_id: str) -> None:
        self.services.meetings.delete(meeting_id)
        self.post_message(MeetingDeleted(meeting_id))

    @on(MeetingDeleted)
    def _deleted(self) -> None:
        self.load()

    def commands(self) -> list[tuple[str, str, Any]]:
        return [("New meeting", "Open an empty meeting form in Prep", self.action_new_meeting),
                ("Export huddle of the selected meeting",
                 "Prep block (.ics) and huddle agenda (.md)", self.action_export_huddle)]


def _done_meetings(status: Any) -> set[tuple[str, str]]:
    if status is None:
        return set()
    return {(m.meeting_id, m.state) for m in status.meetings if m.state in ("ready", "failed")}


def _marks(status: Any) -> list[tuple[str, str]] | None:
    if status is None:
        return None
    return [(m.meeting_id, m.state) for m in status.meetings] + [("", status.state)]
