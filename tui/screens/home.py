"""Home: upcoming meetings, accounts with stage and ICP fit, recent plans with review status.

The night-before actions start here: import a calendar (``c``), prepare all of tomorrow's
meetings (``a``, progress per meeting, cancellable with Escape), export the huddle block of a
meeting (``x``). Enter opens the selected meeting, account or plan in the Prep screen.

Reads through :mod:`assistant.meetings`, :mod:`assistant.calendar`, :mod:`assistant.exports`
and the plan records, always in workers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import DataTable, ProgressBar, Static
from textual.worker import get_current_worker

from tui.messages import (
    CalendarImported,
    CalendarRead,
    HomeLoaded,
    HuddleExported,
    MeetingDeleted,
    PrepAllFinished,
    PrepAllProgressed,
    WorkCancelled,
    WorkFailed,
)
from tui.screens.base import HuddleScreen
from tui.widgets.format import fit_badge, status_badge, text_cell, when

PREP_ALL_STATES = {
    "queued": ("·", "dim"), "started": ("◐", "$warning"), "step": ("◐", "$warning"),
    "finished": ("✓", "$success"), "failed": ("✗", "$error"), "skipped": ("=", "dim"),
}


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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

    def __init__(self) -> None:
        super().__init__()
        self.meetings: list[Any] = []
        self.plans: list[dict[str, Any]] = []
        self.prep_all_running = False
        self._prep_all_rows: dict[str, str] = {}
        self._narrow = False

    def compose(self) -> ComposeResult:
        yield from self.compose_nav()
        with Grid(id="home-grid"):
            with Vertical(id="meetings-box", classes="box") as box:
                box.border_title = "Upcoming meetings"
                box.border_subtitle = "enter: prep · c: import .ics · a: prep tomorrow"
                yield DataTable(id="meetings", cursor_type="row", zebra_stripes=True)
            with Vertical(id="accounts-box", classes="box") as box:
                box.border_title = "Accounts"
                yield DataTable(id="accounts", cursor_type="row")
            with Vertical(id="plans-box", classes="box") as box:
                box.border_title = "Recent plans"
                yield DataTable(id="plans", cursor_type="row")
        with Vertical(id="prep-all-panel"):
            yield ProgressBar(id="prep-all-bar", show_eta=False)
            yield Static(id="prep-all-lines")
        yield Static("Loading the knowledge base…", id="home-status")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._narrow = self.app.size.width < 110
        self._add_columns()
        self.query_one("#meetings", DataTable).loading = True
        self.watch(self.app, "kb", self._kb_changed)
        self.watch(self.app, "store_state", self._store_changed)
        self.load()

    def _add_columns(self) -> None:
        narrow = self._narrow
        meetings = self.query_one("#meetings", DataTable)
        meetings.clear(columns=True)
        meetings.add_column("When", width=14 if narrow else 16)
        meetings.add_column("Account", width=18 if narrow else 26)
        meetings.add_column("Kind", width=11)
        meetings.add_column("Sellers", width=14 if narrow else 28)
        meetings.add_column("Plan", width=9)
        accounts = self.query_one("#accounts", DataTable)
        accounts.clear(columns=True)
        accounts.add_column("Account")
        accounts.add_column("Stage")
        accounts.add_column("ICP fit", width=9)
        plans = self.query_one("#plans", DataTable)
        plans.clear(columns=True)
        plans.add_column("Date")
        plans.add_column("Account")
        if not narrow:
            plans.add_column("Kind")
            plans.add_column("v")
        plans.add_column("Status", width=9)

    def on_resize(self) -> None:
        narrow = self.app.size.width < 110
        if narrow != getattr(self, "_narrow", narrow):
            self._narrow = narrow
            self._add_columns()
            self._fill_meetings()
            self._fill_plans()
            self._fill_accounts()

    def on_screen_resume(self) -> None:
        if self.is_mounted and not self.prep_all_running:
            self.load()

    # ---- loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="home", exit_on_error=False,
          description="Reading meetings and plans")
    def load(self) -> None:
        services = self.services
        today = self.huddle_app.today()
        meetings = services.meetings.list_meetings(since=today)
        plans = services.huddle.records.list_plans(limit=30)
        self.post_message(HomeLoaded(meetings, plans))

    @on(HomeLoaded)
    def _loaded(self, event: HomeLoaded) -> None:
        self.meetings, self.plans = event.meetings, event.plans
        self._fill_meetings()
        self._fill_plans()
        self._fill_accounts()
        self.refresh_bindings()  # Export and Delete depend on there being meetings

    def _plan_status(self, plan_id: str | None) -> str | None:
        if not plan_id:
            return None
        row = next((p for p in self.plans if p["id"] == plan_id), None)
        return row["status"] if row else "draft"

    def _fill_meetings(self) -> None:
        table = self.query_one("#meetings", DataTable)
        table.loading = False
        cursor = table.cursor_row
        table.clear()
        today = self.huddle_app.today()
        kb = self.huddle_app.kb
        for m in self.meetings:
            account = kb.accounts[m.account].name if kb and m.account in kb.accounts else m.account
            sellers = (text_cell(", ".join(s.split()[0] for s in m.sellers)) if m.sellers
                       else Content.styled("no seller", "$error"))
            status = self._plan_status(m.plan_id)
            plan = status_badge(status) if status else Content.styled("—", "dim")
            state = self._prep_all_rows.get(m.id)
            if state:
                icon, style = PREP_ALL_STATES.get(state, ("", ""))
                plan = Content.styled(f"{icon} {state}", style)
            table.add_row(when(m.starts_at, today, compact=self._narrow), text_cell(account),
                          m.kind, sellers, plan, key=m.id)
        if self.meetings:
            table.move_cursor(row=min(cursor, len(self.meetings) - 1))
        box = self.query_one("#meetings-box")
        box.border_title = f"Upcoming meetings ({len(self.meetings)})"
        if not self.meetings:
            self.set_status("No upcoming meetings: press c to import a calendar (.ics) or n to "
                            "create one.")
        elif not self.prep_all_running and self.app.store_state == "ready":
            self._store_changed("ready")

    def _fill_plans(self) -> None:
        table = self.query_one("#plans", DataTable)
        table.clear()
        kb = self.huddle_app.kb
        for p in self.plans:
            name = kb.accounts[p["account"]].name if kb and p["account"] in kb.accounts else \
                p["account"]
            if self._narrow:
                table.add_row(p["meeting_date"][5:], text_cell(_short(name, 9)),
                              status_badge(p["status"]), key=p["id"])
            else:
                table.add_row(p["meeting_date"][5:], text_cell(name), p["kind"],
                              str(p["version"]), status_badge(p["status"]), key=p["id"])

    def _fill_accounts(self) -> None:
        kb = self.huddle_app.kb
        if kb is None:
            return
        from assistant.views import stated_fit

        table = self.query_one("#accounts", DataTable)
        cursor = table.cursor_row
        table.clear()
        for slug, account in sorted(kb.accounts.items(), key=lambda kv: kv[1].name):
            name = _short(account.name, 19) if self._narrow else account.name
            table.add_row(text_cell(name), text_cell(account.stage),
                          fit_badge(stated_fit(account, kb.icp)), key=slug)
        if kb.accounts:
            table.move_cursor(row=min(cursor, len(kb.accounts) - 1))

    def _kb_changed(self, kb: Any) -> None:
        if kb is not None:
            self._fill_accounts()
            self._fill_meetings()
            self._fill_plans()

    def _store_changed(self, state: str) -> None:
        if self.prep_all_running:
            return
        if state == "ready":
            self.set_status("Ready · enter opens · n new meeting · c import .ics · "
                            "a prep tomorrow · ? keys")
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
        table = self.query_one("#meetings", DataTable)
        if not self.meetings or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return next((m for m in self.meetings if m.id == key), None)

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
        day = self.huddle_app.tomorrow()
        todo = [m for m in self.meetings if m.date == day]
        if not todo:
            self.notify(f"No meetings on {day:%a %d %b}: import a calendar (c) or create one "
                        "(n).", title="Prep tomorrow")
            return
        self.prep_all_running = True
        self._prep_all_rows = {m.id: ("skipped" if m.plan_id else "queued") for m in todo}
        self.add_class("-prep-all")
        bar = self.query_one("#prep-all-bar", ProgressBar)
        bar.update(total=len(todo), progress=sum(1 for m in todo if m.plan_id))
        self._render_prep_all(todo)
        self.refresh_bindings()
        self.prepare_all(todo)

    @work(thread=True, exclusive=True, group="prep_all", exit_on_error=False,
          description="Preparing tomorrow's meetings")
    def prepare_all(self, todo: list[Any]) -> None:
        from assistant.meetings import default_jobs, prepare_all

        services = self.services
        huddle = services.huddle
        worker = get_current_worker()

        def progress(kind: str, data: dict[str, Any]) -> None:
            state = kind.removeprefix("meeting_")
            detail = ""
            if kind == "step":
                if data.get("event") != "node_started":
                    return
                detail = data["node"]
            elif kind == "meeting_failed":
                detail = f"{data['title']}: {data['error']}"
            elif kind == "meeting_finished":
                detail = f"{data['seconds']:.0f}s"
            self.post_message(PrepAllProgressed(data["meeting_id"], state, detail))

        outcomes = prepare_all(huddle, todo, store=services.meetings,
                               jobs=default_jobs(huddle.settings.llm.model),
                               on_progress=progress, should_stop=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.post_message(PrepAllFinished(outcomes))

    @on(PrepAllProgressed)
    def _prep_all_progress(self, event: PrepAllProgressed) -> None:
        self._prep_all_rows[event.meeting_id] = event.state
        if event.state in ("finished", "failed"):
            self.query_one("#prep-all-bar", ProgressBar).advance(1)
        todo = [m for m in self.meetings if m.id in self._prep_all_rows]
        self._render_prep_all(todo, {event.meeting_id: event.detail})

    def _render_prep_all(self, todo: list[Any], details: dict[str, str] | None = None) -> None:
        details = details or {}
        kb = self.huddle_app.kb
        lines: list[Content] = []
        for m in todo:
            state = self._prep_all_rows.get(m.id, "queued")
            icon, style = PREP_ALL_STATES.get(state, ("·", "dim"))
            name = kb.accounts[m.account].name if kb and m.account in kb.accounts else m.account
            extra = details.get(m.id, "")
            lines.append(Content.assemble(
                Content.styled(f"{icon} ", style), f"{m.starts_at:%H:%M} {name} ({m.kind}) ",
                Content.styled(f"{state} {extra}".strip(), style)))
        self.query_one("#prep-all-lines", Static).update(Content("\n").join(lines))
        done = sum(1 for s in self._prep_all_rows.values() if s in ("finished", "skipped"))
        self.set_status(f"Preparing tomorrow: {done}/{len(todo)} ready · Escape cancels")

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
        from assistant.exports import write_huddle

        huddle = self.services.huddle
        plan = huddle.records.get_plan(meeting.plan_id)
        base = Path(folder).expanduser() / f"{meeting.starts_at:%Y-%m-%d-%H%M}-{meeting.account}"
        paths = write_huddle(plan, meeting.starts_at, ics=f"{base}-huddle.ics",
                             md=f"{base}-huddle.md", kb=huddle.kb, now=huddle.clock.now())
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
