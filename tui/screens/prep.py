"""Prep: pick or create a meeting, draft its plan with visible progress, work the plan.

Left, the meeting form (account, kind, date and time, sellers from ``team.yaml``, buyers,
goal). ``ctrl+g`` stores the meeting as an upcoming meeting and runs the prep workflow in a
worker (``Huddle.prepare``), showing each step and its time. As soon as code has built its
sections (before the first model call) the plan is on screen with the model's parts marked
pending, and they fill in as each model answer arrives (``assistant.prep.progress``).
Escape cancels: what is on screen stays, marked incomplete with what is missing; nothing is
saved (a plan is saved only when complete). The plan
appears as Markdown with its evidence list; picking a citation opens the source note beside
it. ``ctrl+o`` changes sellers' roles (``Huddle.revise_roles``: a new version, roles, agenda
and checklist only, no model call); ``ctrl+s`` sends it to review; ``ctrl+t`` exports the
plan and the huddle block.

Nothing typed is lost on an error: the form is never cleared by a failure.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import (
    Button,
    ContentSwitcher,
    Input,
    Select,
    Static,
)
from textual.worker import get_current_worker

from tui.messages import (
    CitationSelected,
    MeetingSaved,
    PlanDrafted,
    PlanOpened,
    PlanProgressed,
    PrepStepFinished,
    PrepStepStarted,
    WorkCancelled,
    WorkFailed,
)
from tui.screens.plan_actions import PlanActions
from tui.widgets.plan_view import PlanView
from tui.widgets.prep import MeetingForm
from tui.widgets.prep.meeting_form import (
    DEMO_MEETING,
    form_values_of_meeting,
    form_values_of_plan,
)
from tui.widgets.source import SourceView
from tui.widgets.steps import STEPS, PrepSteps

log = logging.getLogger(__name__)

INTRO = (
    "Fill in the meeting on the left and press ctrl+g to draft its plan.\n\n"
    "The plan starts from the customer: their situation and needs from your notes, who "
    "attends on their side, a role for each of your sellers, an agenda, questions, risks "
    "and stories, every claim citing its note.\n\n"
    "Open a meeting from Home (h) to prepare it; ctrl+o changes roles once a plan exists."
)


class PrepCancelled(Exception):
    """Raised inside the workflow's event callback when the user cancelled the run."""


class PrepScreen(PlanActions):
    """The meeting form, the run's progress, the plan and its sources."""

    MODE = "prep"
    HELP = "Draft a pre-call plan for a meeting, change roles, send it to review, export it."
    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+g", "run", "Draft plan", id="prep.run",
                tooltip="Store the meeting and draft its plan (runs in the background)"),
        Binding("escape", "cancel", "Cancel", id="prep.cancel",
                tooltip="Cancel the running draft, or close the source pane, or leave the field"),
        Binding("ctrl+o", "roles", "Roles", id="prep.roles",
                tooltip="Change a seller's role: a new version with roles, agenda and "
                        "checklist redone (no model call)"),
        Binding("ctrl+s", "submit", "To review", id="prep.submit",
                tooltip="Send the plan to the manager's review queue"),
        Binding("ctrl+t", "export", "Export", id="prep.export",
                tooltip="Write the plan (.md) and the huddle block (.ics + agenda .md)"),
        Binding("ctrl+l", "sources", "Evidence", id="prep.sources", show=False,
                tooltip="Jump to the evidence list (enter opens a note beside the plan)"),
        Binding("ctrl+b", "toggle_form", "Form", id="prep.form", show=False,
                tooltip="Hide or show the meeting form, to give the plan the whole width"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.meeting_id: str | None = None
        self.plan: Any = None
        self.partial: Any = None
        """The plan being drafted (``PlanProgress``) while it is on screen unfinished."""
        self.run_id = 0
        self.running = False
        self._form_ready = False
        self._pending: dict[str, Any] | None = None
        self._snapshot: dict[str, Any] = {}

    # ---- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from self.compose_nav()
        with Horizontal(id="prep-body"):
            yield MeetingForm(id="prep-form")
            with ContentSwitcher(initial="prep-intro", id="prep-switch"):
                yield Static(INTRO, id="prep-intro", markup=False)
                with VerticalScroll(id="prep-progress"):
                    yield PrepSteps(self.huddle_app.monotonic, id="steps")
                with Horizontal(id="prep-plan"):
                    yield PlanView(id="plan-view")
                    yield SourceView(id="source")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#f-sellers").border_title = None
        self.watch(self.app, "kb", self._kb_changed)
        self.set_interval(0.5, self._tick)

    def _kb_changed(self, kb: Any) -> None:
        if kb is None:
            self.query_one("#f-state", Static).update("Loading the knowledge base…")
            return
        self.query_one(MeetingForm).fill(kb)
        first = not self._form_ready
        self._form_ready = True
        self.query_one("#f-state", Static).update("")
        if self._pending is not None:
            values, self._pending = self._pending, None
            self.set_form(values)
        elif first and not self.query_one("#f-date", Input).value:
            self.new_meeting()

    # ---- form ------------------------------------------------------------------------------

    def form_values(self) -> dict[str, Any]:
        return {**self.query_one(MeetingForm).values(), "meeting_id": self.meeting_id}

    def set_form(self, values: dict[str, Any]) -> None:
        if not self._form_ready:
            self._pending = values
            return
        kb = self.huddle_app.kb
        self.query_one(MeetingForm).apply(values, kb.accounts if kb else {})
        self.meeting_id = values.get("meeting_id")
        self._show_meeting_state()

    def _show_meeting_state(self) -> None:
        text = f"stored meeting {self.meeting_id}" if self.meeting_id else "new meeting"
        if self.plan is not None:
            text += f" · plan v{self.plan.version} ({self.plan.status})"
        self.query_one("#f-state", Static).update(text)

    def new_meeting(self, account: str | None = None) -> None:
        """An empty form for tomorrow (the demo meeting on the demo knowledge base)."""
        from assistant.config import DEMO_KB

        kb = self.huddle_app.kb
        demo = (kb is not None and account is None and
                Path(kb.root).resolve() == DEMO_KB.resolve() and "summit" in kb.accounts)
        values: dict[str, Any] = dict(DEMO_MEETING) if demo else {
            "account": account, "kind": "discovery", "time": "09:00", "minutes": "45",
            "sellers": [], "buyers": "", "goal": ""}
        values["date"] = self.huddle_app.tomorrow().isoformat()
        values["meeting_id"] = None
        self.plan = None
        self.remove_class("-has-plan", "-source-open", "-form-hidden")
        self.query_one("#prep-switch", ContentSwitcher).current = "prep-intro"
        self.set_form(values)
        self.refresh_bindings()
        self.query_one("#f-account", Select).focus()

    # ---- opening meetings and plans --------------------------------------------------------

    def open_meeting(self, meeting_id: str) -> None:
        self.load_meeting(meeting_id)

    def open_plan(self, plan_id: str) -> None:
        self.load_plan(plan_id)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False,
          description="Opening the meeting")
    def load_meeting(self, meeting_id: str) -> None:
        services = self.services
        meeting = services.meetings.get(meeting_id)
        plan = services.huddle.records.get_plan(meeting.plan_id) if meeting.plan_id else None
        self.post_message(PlanOpened(plan, meeting))

    @work(thread=True, exclusive=True, group="open", exit_on_error=False,
          description="Opening the plan")
    def load_plan(self, plan_id: str) -> None:
        huddle = self.services.huddle
        plan = huddle.records.get_plan(plan_id)
        self.post_message(PlanOpened(plan, huddle.meeting_for_plan(plan.id)))

    @on(PlanOpened)
    def _opened(self, event: PlanOpened) -> None:
        if event.meeting is not None:
            self.set_form(form_values_of_meeting(event.meeting))
        elif event.plan is not None:
            self.set_form(form_values_of_plan(event.plan))
        if event.plan is not None:
            self.show_plan(event.plan)
        else:
            self.plan = None
            self.remove_class("-has-plan", "-source-open", "-form-hidden")
            self.query_one("#prep-switch", ContentSwitcher).current = "prep-intro"
            self._show_meeting_state()
            self.refresh_bindings()
            self.query_one("#f-run", Button).focus()

    def show_plan(self, plan: Any, *, home: bool = True) -> None:
        self.plan = plan
        self.partial = None
        self.query_one("#plan-scroll").border_subtitle = None
        self.add_class("-has-plan")
        if self.app.size.width < 110:
            self.add_class("-form-hidden")
        self.query_one("#prep-switch", ContentSwitcher).current = "prep-plan"
        self.query_one(PlanView).show(plan, self.huddle_app.kb, home=home)
        self._show_meeting_state()
        self.refresh_bindings()
        self.query_one("#plan-scroll").focus()

    # ---- drafting --------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("roles", "submit", "export", "sources"):
            return self.plan is not None and not self.running
        if action == "run":
            return not self.running
        if action == "toggle_form":
            return self.plan is not None
        return True

    @on(Button.Pressed, "#f-run")
    def _run_pressed(self) -> None:
        self.action_run()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        if self.running:
            return
        if self.huddle_app.kb is None:
            self.notify("Still loading the knowledge base; try again in a moment.",
                        title="Draft plan")
            return
        values = self.form_values()
        self._snapshot = values
        self.run_id += 1
        self.running = True
        kb = self.huddle_app.kb
        name = kb.accounts[values["account"]].name if values["account"] in kb.accounts else "?"
        settings = self.huddle_app.settings
        model = settings.llm.model if settings is not None else ""
        self.query_one(PrepSteps).start(f"Drafting: {name} — {values['kind']}, {values['date']}",
                                        model)
        if settings is not None and not settings.prep.asks_model(settings.llm):
            self.query_one(PrepSteps).skip("draft", "validate")  # headlines by code
        self.partial = None
        self.query_one("#plan-scroll").border_subtitle = None
        self.remove_class("-has-plan", "-source-open")
        self.query_one("#prep-switch", ContentSwitcher).current = "prep-progress"
        self.query_one("#f-state", Static).update("drafting… (Escape cancels)")
        self.refresh_bindings()
        self.draft(self.run_id, values)

    @work(thread=True, exclusive=True, group="prep", exit_on_error=False,
          description="Drafting the plan")
    def draft(self, run: int, values: dict[str, Any]) -> None:
        from assistant.errors import HuddleError
        from assistant.meetings import parse_start

        worker = get_current_worker()
        services = self.services
        huddle = services.huddle
        try:
            minutes = int(values["minutes"] or 45)
        except ValueError:
            raise HuddleError(f"minutes must be a number; got {values['minutes']!r}",
                              title="Minutes") from None
        meeting = huddle.meeting(account=values["account"], kind=values["kind"],
                                 date=values["date"], sellers=values["sellers"],
                                 buyers=values["buyers"], goal=values["goal"] or None,
                                 minutes=minutes)
        starts_at = parse_start(values["date"], values["time"] or None, tz=huddle.clock.tz)
        stored = huddle.schedule(
            meeting, starts_at, meeting_id=values.get("meeting_id") or None,
            title=f"{huddle.kb.accounts[meeting.account].name} {meeting.kind}")
        self.post_message(MeetingSaved(stored.id))

        on_event = self.step_reporter(run, PrepStepStarted, PrepStepFinished, PrepCancelled)

        def on_progress(progress: Any) -> None:
            if not progress.final and not worker.is_cancelled:
                self.post_message(PlanProgressed(run, progress))

        plan = huddle.prepare(meeting, on_event=on_event, on_progress=on_progress)
        huddle.meetings.set_plan(stored.id, plan.id)
        if not worker.is_cancelled:
            self.post_message(PlanDrafted(run, plan, stored.id))

    @on(Select.Changed, "#f-account")
    def _account_picked(self, event: Select.Changed) -> None:
        """While the rep fills in the rest of the form, ready a plan of the picked account
        in the background (``Huddle.warm_account``): its first sections then show sooner."""
        if isinstance(event.value, str) and self.huddle_app.store_state == "ready" \
                and not self.running:
            self.warm_account(event.value)

    @work(thread=True, exclusive=True, group="warm-account", exit_on_error=False,
          description="Readying a plan of the account")
    def warm_account(self, account: str) -> None:
        try:
            self.services.huddle.warm_account(account)
        except Exception as exc:  # a head start only: ctrl+g reports real problems
            log.warning("warming %s failed: %s", account, exc)

    @on(MeetingSaved)
    def _meeting_saved(self, event: MeetingSaved) -> None:
        self.meeting_id = event.meeting_id

    @on(PrepStepStarted)
    def _step_started(self, event: PrepStepStarted) -> None:
        if event.run == self.run_id and self.running:
            self.query_one(PrepSteps).begin_step(event.node)

    @on(PrepStepFinished)
    def _step_finished(self, event: PrepStepFinished) -> None:
        if event.run == self.run_id and self.running:
            self.query_one(PrepSteps).end_step(event.node, event.seconds)

    @on(PlanProgressed)
    def _progressed(self, event: PlanProgressed) -> None:
        """The plan so far: on screen at once, the model's parts marked pending."""
        from assistant.prep.progress import progress_markdown

        if event.run != self.run_id or not self.running:
            return
        first = self.partial is None
        self.partial = event.progress
        self.plan = None  # nothing saved yet: no roles, review or export on a partial plan
        self.add_class("-has-plan")
        if first and self.app.size.width < 110:
            self.add_class("-form-hidden")
        self.query_one("#prep-switch", ContentSwitcher).current = "prep-plan"
        self.query_one(PlanView).show(event.progress.plan, self.huddle_app.kb, home=first,
                                      head_first=first,
                                      markdown=progress_markdown(event.progress))
        self._drafting_status()
        self.refresh_bindings()
        if first:
            self.query_one("#plan-scroll").focus()

    def _drafting_status(self) -> None:
        """The plan pane's subtitle while a partial plan is on screen: step and time."""
        if self.partial is None or not self.running:
            return
        steps = self.query_one(PrepSteps)
        label = dict(STEPS).get(steps.current or "", "working")
        self.query_one("#plan-scroll").border_subtitle = (
            f"{label}… {steps.elapsed():.0f}s · Escape stops (nothing is saved yet)")

    @on(PlanDrafted)
    def _drafted(self, event: PlanDrafted) -> None:
        if event.run != self.run_id:
            return
        self.running = False
        self.query_one(PrepSteps).finish("done")
        self.meeting_id = event.meeting_id
        self.show_plan(event.plan, home=self.partial is None)
        fallback = event.plan.provenance.fallback_sections
        if fallback:
            self.notify("Built from evidence without the model: " + ", ".join(fallback),
                        title="Plan drafted", severity="warning", markup=False)
        else:
            self.notify(f"Plan {event.plan.id} saved as a draft.", title="Plan drafted",
                        markup=False)

    def _tick(self) -> None:
        if self.running:
            self.query_one(PrepSteps).refresh_view()
            self._drafting_status()

    def action_cancel(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "prep")
            self._stopped("cancelled")
        elif self.has_class("-source-open"):
            self.remove_class("-source-open")
            self.query_one("#plan-scroll").focus()
        else:
            self.set_focus(None)

    def _stopped(self, outcome: str) -> None:
        if not self.running:
            return
        self.running = False
        self.run_id += 1  # late events of the stopped run are ignored
        self.query_one(PrepSteps).finish(outcome)
        self.query_one("#f-state", Static).update(
            "cancelled; the form is as you left it" if outcome == "cancelled" else
            "failed; the form is as you left it — fix it and press ctrl+g")
        if self.partial is not None:
            self._keep_partial(outcome)
        self.refresh_bindings()

    def _keep_partial(self, outcome: str) -> None:
        """A stopped run's partial plan stays on screen, marked incomplete, with what is
        missing; it is not saved (the workflow saves only a complete plan)."""
        from assistant.prep.progress import progress_markdown

        partial = self.partial
        missing = partial.missing()
        self.query_one(PlanView).show(partial.plan, self.huddle_app.kb, home=False,
                                      markdown=progress_markdown(partial, stopped=outcome))
        self.query_one("#plan-scroll").border_subtitle = f"{outcome} · not saved"
        self.query_one("#f-state", Static).update(
            f"{outcome}: the plan on screen is incomplete and was not saved (missing: "
            f"{missing}); ctrl+g drafts it again")
        self.notify(f"Missing: {missing}. The plan on screen was not saved; ctrl+g drafts "
                    "it again.", title=f"Drafting {outcome}", severity="warning",
                    markup=False)

    @on(WorkCancelled)
    def _work_cancelled(self, event: WorkCancelled) -> None:
        if event.group == "prep":
            self._stopped("cancelled")

    @on(WorkFailed)
    def _work_failed(self, event: WorkFailed) -> None:
        if event.group == "prep":
            self._stopped("failed")
            if event.restore:
                current = self.form_values()
                if any(not current.get(k) and v for k, v in event.restore.items()):
                    self.set_form(event.restore)

    def restore_state(self, group: str) -> dict[str, Any]:
        return dict(self._snapshot) if group == "prep" else {}

    # ---- sources ---------------------------------------------------------------------------

    @on(CitationSelected)
    def _citation(self, event: CitationSelected) -> None:
        self.query_one(SourceView).show(self.huddle_app.kb, event.doc_id)
        self.add_class("-source-open")

    def action_sources(self) -> None:
        self.query_one("#evidence").focus()

    def action_toggle_form(self) -> None:
        self.toggle_class("-form-hidden")
        if not self.has_class("-form-hidden"):
            self.remove_class("-source-open")
            self.query_one("#f-account").focus()

    def commands(self) -> list[tuple[str, str, Any]]:
        out: list[tuple[str, str, Any]] = [
            ("Draft the plan", "Run the prep workflow for the meeting in the form",
             self.action_run)]
        if self.plan is not None:
            out += [("Change roles", "Give a seller another role (new version)",
                     self.action_roles),
                    ("Send to review", "Put the plan in the manager's queue",
                     self.action_submit),
                    ("Export plan and huddle", "Markdown, .ics prep block and agenda",
                     self.action_export)]
        return out
