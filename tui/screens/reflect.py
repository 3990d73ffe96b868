"""Reflect: after the call, notes or a transcript in; confirmed facts and ICP evidence out.

Paste the notes (or load a .txt/.md/.vtt/.srt file with ``ctrl+l``), pick the plan the call
was prepared with (or the account, kind and date), and ``ctrl+g`` runs the reflection
(``Huddle.reflections.start``) up to its human checkpoint. Each proposed stakeholder, fact,
next step, ICP update and the stage change is then accepted (``y``), edited (``e``) or
rejected (``n``); ``ctrl+s`` resumes the workflow with those decisions and shows what was
written. Reflections left waiting (the app was closed) can be picked up from the list.

While the reflection runs, the proposal is on screen as soon as code has read the call (before
the first model call): the items code found, and a row per part the model has still to give,
which fill in as each answer arrives (``assistant.reflect.progress``). Nothing can be decided
until the proposal is complete. Escape stops the run: what is on screen stays, marked
incomplete with what is missing; nothing is proposed or written (the run's checkpoint stays,
so ``huddle reflect resume`` can still finish it).

Nothing typed is lost on an error: the notes stay in the box.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import (
    Button,
    ContentSwitcher,
    DataTable,
    Markdown,
    Select,
    Static,
    TextArea,
)
from textual.worker import get_current_worker

from tui.messages import (
    NotesLoaded,
    ReflectionProgressed,
    ReflectionProposed,
    ReflectionWritten,
    ReflectSetupLoaded,
    ReflectStepFinished,
    ReflectStepStarted,
    WorkCancelled,
    WorkFailed,
)
from tui.screens.base import HuddleScreen
from tui.widgets.reflect import CallForm, ProposalTable
from tui.widgets.reflect.proposal import KIND_LABELS
from tui.widgets.steps import REFLECT_MODEL_STEPS, REFLECT_STEPS, PrepSteps

DRAFTING = "Escape stops (nothing is proposed yet)"
NOT_ASKED = "not asked of this model: code reads the call alone (reflect.model_* settings)"

INTRO = (
    "After the call: paste your notes or the transcript on the left (or ctrl+l to load a "
    "file), pick the plan you prepared, and press ctrl+g.\n\n"
    "Huddle proposes what it found — people, facts with the words that show them, next "
    "steps, ICP evidence and the stage — and writes nothing until you accept, edit or "
    "reject each item.\n\n"
    "Mistakes are data, not blame: the lesson is about actions, not people."
)


class ReflectCancelled(Exception):
    """Raised in the workflow's event callback when the user cancelled."""


class ReflectScreen(HuddleScreen):
    """Notes in, proposal to confirm, what was written."""

    MODE = "reflect"
    HELP = "Reflect on a call: confirm, edit or reject each proposed fact and ICP update."
    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+g", "run", "Reflect", id="reflect.run",
                tooltip="Run the reflection on the notes (stops for your decisions)"),
        Binding("ctrl+l", "load_file", "Load file", id="reflect.load", show=False,
                tooltip="Load notes or a transcript (.txt .md .vtt .srt) into the box"),
        Binding("y", "decide('accept')", "Accept", id="reflect.accept",
                tooltip="Accept the highlighted item"),
        Binding("n", "decide('reject')", "Reject", id="reflect.reject",
                tooltip="Reject the highlighted item (nothing is written for it)"),
        Binding("e", "edit", "Edit", id="reflect.edit",
                tooltip="Correct the highlighted item's value, then accept it"),
        Binding("A", "decide_all('accept')", "Accept all", id="reflect.accept_all",
                tooltip="Accept every item still undecided"),
        Binding("ctrl+s", "write", "Write", id="reflect.write",
                tooltip="Write what you accepted (note, account stage, ICP ledger)"),
        Binding("escape", "cancel", "Cancel", id="reflect.cancel", show=False,
                tooltip="Cancel the running reflection, or leave the text box"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.run_id = 0
        self.running = False
        self.plans: list[dict[str, Any]] = []
        self.partial: Any = None
        """The reflection being drafted (``ReflectionProgress``) while it is on screen."""
        self._snapshot: dict[str, Any] = {}

    @property
    def current(self) -> Any:
        """The reflection run awaiting decisions (None when there is none)."""
        tables = self.query(ProposalTable)
        return tables.first().run if tables else None

    @property
    def decisions(self) -> dict[str, Any]:
        tables = self.query(ProposalTable)
        return tables.first().decisions if tables else {}

    def compose(self) -> ComposeResult:
        yield from self.compose_nav()
        with Horizontal(id="reflect-body"):
            yield CallForm(id="reflect-input")
            with ContentSwitcher(initial="r-intro", id="reflect-switch"):
                yield Static(INTRO, id="r-intro", markup=False)
                with VerticalScroll(id="r-progress"):
                    yield PrepSteps(self.huddle_app.monotonic, REFLECT_STEPS, id="r-steps")
                yield ProposalTable(id="r-proposal")
                with VerticalScroll(id="r-written"):
                    yield Static("", id="r-writes")
                    yield Markdown(open_links=False, id="r-reflection-md")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.watch(self.app, "kb", self._kb_changed)
        self.set_interval(0.5, self._tick)
        self.load_setup()

    def on_screen_resume(self) -> None:
        if self.is_mounted and not self.running:
            self.load_setup()

    def _kb_changed(self, kb: Any) -> None:
        if kb is None:
            return
        self.query_one(CallForm).fill_accounts(kb, self.huddle_app.today().isoformat())

    @work(thread=True, exclusive=True, group="reflect_setup", exit_on_error=False,
          description="Reading plans and waiting reflections")
    def load_setup(self) -> None:
        huddle = self.services.huddle
        plans = huddle.records.list_plans(limit=30)
        pending = huddle.reflections.pending()
        self.post_message(ReflectSetupLoaded(plans, pending))

    @on(ReflectSetupLoaded)
    def _setup(self, event: ReflectSetupLoaded) -> None:
        self.plans = event.plans
        self.query_one(CallForm).fill_choices(self.huddle_app.kb, event.plans, event.pending)

    @on(Select.Changed, "#r-pending")
    def _pending_changed(self, event: Select.Changed) -> None:
        if event.value != Select.NULL:
            self.open_run(str(event.value))

    # ---- loading notes ---------------------------------------------------------------------

    def action_load_file(self) -> None:
        from tui.screens.modals import AskModal

        def chosen(path: str | None) -> None:
            if path:
                self.read_file(path)

        self.app.push_screen(AskModal("Load notes", "Path of the notes or transcript "
                                      "(.txt, .md, .vtt, .srt):",
                                      placeholder="~/calls/summit-2026-11-24.vtt"), chosen)

    @work(thread=True, exclusive=True, group="reflect_file", exit_on_error=False,
          description="Reading the notes file")
    def read_file(self, path: str) -> None:
        from assistant.errors import HuddleError

        p = Path(path).expanduser()
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise HuddleError(f"no such file: {p}", title="Load notes") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise HuddleError(f"cannot read {p}: {exc}", title="Load notes") from None
        fmt = {".vtt": "vtt", ".srt": "srt", ".md": "md"}.get(p.suffix.lower(), "txt")
        self.post_message(NotesLoaded(text, fmt, p.name))

    @on(NotesLoaded)
    def _loaded(self, event: NotesLoaded) -> None:
        self.query_one(CallForm).set_notes(event.text, event.fmt)
        self.notify(f"Loaded {event.name} ({len(event.text.splitlines())} lines).",
                    title="Notes", markup=False)

    # ---- running ----------------------------------------------------------------------------

    def form_values(self) -> dict[str, Any]:
        return self.query_one(CallForm).values()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        proposal = self.current is not None and not self.running
        if action in ("decide", "edit", "decide_all", "write"):
            return proposal
        if action == "run":
            return not self.running
        return True

    @on(Button.Pressed, "#r-run")
    def _run_pressed(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        if self.running:
            return
        values = self.form_values()
        if not values["text"].strip():
            self.notify("Paste the notes or the transcript first (or ctrl+l to load a file).",
                        title="Reflect", severity="warning")
            self.query_one("#r-notes").focus()
            return
        self._snapshot = values
        self._start_progress("Reflecting on the call")
        self.reflect(self.run_id, values)

    def _start_progress(self, title: str) -> None:
        self.run_id += 1
        self.running = True
        self.partial = None
        settings = self.huddle_app.settings
        steps = self.query_one(PrepSteps)
        steps.start(title, settings.llm.model if settings else "")
        if settings is not None:
            asked = settings.reflect.asks(settings.llm)
            unasked = [node for call, node in REFLECT_MODEL_STEPS.items() if call not in asked]
            if unasked:
                steps.skip(*unasked, why=NOT_ASKED)  # by the reflect.model_* settings
        self.query_one("#reflect-switch", ContentSwitcher).current = "r-progress"
        self.refresh_bindings()

    def _on_event(self, run: int) -> Any:
        return self.step_reporter(run, ReflectStepStarted, ReflectStepFinished,
                                  ReflectCancelled)

    @work(thread=True, exclusive=True, group="reflect", exit_on_error=False,
          description="Reflecting on the call")
    def reflect(self, run: int, values: dict[str, Any]) -> None:
        worker = get_current_worker()
        reflections = self.services.huddle.reflections
        kwargs: dict[str, Any] = {"text": values["text"], "fmt": values["format"]}
        if values["plan_id"]:
            kwargs["plan_id"] = values["plan_id"]
        else:
            kwargs.update(account=values["account"], kind=values["kind"], date=values["date"])

        def on_progress(progress: Any) -> None:
            if not progress.final and not worker.is_cancelled:
                self.post_message(ReflectionProgressed(run, progress))

        result = reflections.start(on_event=self._on_event(run), on_progress=on_progress,
                                   **kwargs)
        if result.awaiting_review:
            self.post_message(ReflectionProposed(run, result))
        else:
            self.post_message(ReflectionWritten(run, result))

    @work(thread=True, exclusive=True, group="reflect", exit_on_error=False,
          description="Opening the reflection")
    def open_run(self, run_id: str) -> None:
        result = self.services.huddle.reflections.get(run_id)
        self.post_message(ReflectionProposed(self.run_id, result) if result.awaiting_review
                          else ReflectionWritten(self.run_id, result))

    @on(ReflectStepStarted)
    def _step_started(self, event: ReflectStepStarted) -> None:
        if event.run == self.run_id and self.running:
            self.query_one(PrepSteps).begin_step(event.node)

    @on(ReflectStepFinished)
    def _step_finished(self, event: ReflectStepFinished) -> None:
        if event.run == self.run_id and self.running:
            self.query_one(PrepSteps).end_step(event.node, event.seconds)

    @on(ReflectionProgressed)
    def _progressed(self, event: ReflectionProgressed) -> None:
        """The proposal so far: on screen at once, the model's parts as pending rows."""
        if event.run != self.run_id or not self.running:
            return
        first = self.partial is None
        self.partial = event.progress
        self.query_one(ProposalTable).show_partial(event.progress)
        self.query_one("#reflect-switch", ContentSwitcher).current = "r-proposal"
        self._drafting_status()
        if first:
            self.query_one("#r-items", DataTable).focus()

    def _drafting_status(self) -> None:
        """The proposal pane's subtitle while a partial proposal is on screen."""
        if self.partial is None or not self.running:
            return
        steps = self.query_one(PrepSteps)
        label = dict(REFLECT_STEPS).get(steps.current or "", "working")
        self.query_one(ProposalTable).border_subtitle = (
            f"{label}… {steps.elapsed():.0f}s · {DRAFTING}")

    def _tick(self) -> None:
        if self.running:
            self.query_one(PrepSteps).refresh_view()
            self._drafting_status()

    # ---- deciding ---------------------------------------------------------------------------

    @on(ReflectionProposed)
    def _proposed(self, event: ReflectionProposed) -> None:
        if event.run != self.run_id:
            return
        if self.running:
            self.query_one(PrepSteps).finish("done")
        self.running = False
        self.partial = None
        self.add_class("-has-proposal")
        self.query_one(ProposalTable).show(event.proposal)
        self.query_one("#reflect-switch", ContentSwitcher).current = "r-proposal"
        self.query_one("#r-items", DataTable).focus()
        self.refresh_bindings()

    def action_decide(self, action: str) -> None:
        self.query_one(ProposalTable).decide(action)

    def action_decide_all(self, action: str) -> None:
        self.query_one(ProposalTable).decide_all(action)

    def action_edit(self) -> None:
        proposal = self.query_one(ProposalTable)
        item = proposal.highlighted()
        if item is None:
            return
        from tui.screens.modals import AskModal

        current = self.decisions.get(item.id)
        value = current["value"] if isinstance(current, dict) else item.value

        def edited(text: str | None) -> None:
            if text:
                proposal.edit(item.id, text)

        hint = ("the stage after the call" if item.kind == "stage" else
                "the corrected value; it is written instead of the proposal")
        self.app.push_screen(AskModal(f"Edit {KIND_LABELS.get(item.kind, item.kind)}",
                                      f"{item.summary}\n\nNew value ({hint}):", value=value),
                             edited)

    def action_write(self) -> None:
        if self.current is None:
            return
        undecided = self.query_one(ProposalTable).undecided()
        if undecided:
            from tui.screens.modals import ConfirmModal

            def answer(yes: bool | None) -> None:
                if yes:
                    self._write()

            self.app.push_screen(ConfirmModal(
                f"{len(undecided)} item(s) are undecided and will be rejected (not written). "
                "Write the rest?", title="Write reflection"), answer)
            return
        self._write()

    def _write(self) -> None:
        run_id = self.current.run_id
        decisions = dict(self.decisions)
        self._start_progress("Writing what you confirmed")
        self.resume(self.run_id, run_id, decisions)

    @work(thread=True, exclusive=True, group="reflect", exit_on_error=False,
          description="Writing the reflection")
    def resume(self, run: int, run_id: str, decisions: dict[str, Any]) -> None:
        result = self.services.huddle.reflections.resume(run_id, decisions,
                                                         on_event=self._on_event(run))
        self.post_message(ReflectionWritten(run, result))

    @on(ReflectionWritten)
    def _written(self, event: ReflectionWritten) -> None:
        if event.run != self.run_id:
            return
        if self.running:
            self.query_one(PrepSteps).finish("done")
        self.running = False
        self.query_one(ProposalTable).clear()
        self.remove_class("-has-proposal")
        result = event.result
        lines = [Content.styled(f"Reflection {result.run_id}: {result.status}", "bold")]
        if result.writes:
            lines.append(Content.styled("Written:", "bold $success"))
            lines += [Content(f"  ✓ {key}: {detail}") for key, detail in result.writes.items()]
        else:
            lines.append(Content.styled("Nothing was written (everything rejected).", "dim"))
        self.query_one("#r-writes", Static).update(Content("\n").join(lines))
        markdown = ""
        if result.reflection is not None:
            from assistant.reflect.render import reflection_markdown

            markdown = reflection_markdown(result.reflection)
        self.query_one("#r-reflection-md", Markdown).update(markdown)
        self.query_one("#reflect-switch", ContentSwitcher).current = "r-written"
        self.refresh_bindings()
        self.notify("The reflection is written; the knowledge base was re-indexed."
                    if result.writes else "Nothing was written.", title="Reflection")
        self.load_setup()

    # ---- cancel, failures -------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "reflect")
            self._stopped("cancelled")
        else:
            self.set_focus(None)

    def _stopped(self, outcome: str) -> None:
        if not self.running:
            return
        self.running = False
        self.run_id += 1
        self.query_one(PrepSteps).finish(outcome)
        if self.current is not None:
            self.query_one("#reflect-switch", ContentSwitcher).current = "r-proposal"
        elif self.partial is not None:
            self._keep_partial(outcome)
        self.refresh_bindings()

    def _keep_partial(self, outcome: str) -> None:
        """A stopped run's partial proposal stays on screen, marked incomplete, with what is
        missing; nothing was proposed for decisions and nothing was written."""
        missing = self.partial.missing()
        self.query_one(ProposalTable).show_partial(self.partial, stopped=outcome)
        self.query_one("#reflect-switch", ContentSwitcher).current = "r-proposal"
        self.notify(f"Missing: {missing}. Nothing was proposed or written; ctrl+g runs the "
                    "reflection again.", title=f"Reflection {outcome}", severity="warning",
                    markup=False)

    @on(WorkCancelled)
    def _cancelled(self, event: WorkCancelled) -> None:
        if event.group == "reflect":
            self._stopped("cancelled")

    @on(WorkFailed)
    def _failed(self, event: WorkFailed) -> None:
        if event.group == "reflect":
            self._stopped("failed")
            notes = self.query_one("#r-notes", TextArea)
            if not notes.text and event.restore.get("text"):
                notes.text = event.restore["text"]

    def restore_state(self, group: str) -> dict[str, Any]:
        return dict(self._snapshot) if group == "reflect" else {}

    def commands(self) -> list[tuple[str, str, Any]]:
        return [("Run the reflection", "Reflect on the notes in the box", self.action_run),
                ("Load notes from a file", "txt, md, vtt or srt", self.action_load_file)]
