"""Review (manager): the queue of plans in review; a plan with its evidence; approve, or
request changes with a comment per section; what changed between versions.

The queue names the rep who drafted each plan and filters by rep and day (``w``); ``m`` shows
the comments reviewers left on your own plans (``me`` in the config).

Over ``Huddle.reviews`` (``assistant.reviews``): ``list``, ``comments_for``, ``show`` (plan,
versions, history, diff against the previous version and the change request it answers), ``approve``
and ``request_changes``. The rules (only the newest version, only plans in review, a change
request needs a comment) are the core's; a refusal comes back as a modal that says why.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    Static,
    TabbedContent,
    TabPane,
)

from tui.messages import (
    CitationSelected,
    ReviewDecided,
    ReviewPlanLoaded,
    ReviewQueueLoaded,
    WorkFailed,
)
from tui.screens.base import HuddleScreen
from tui.widgets.format import status_badge, text_cell
from tui.widgets.plan_view import PlanView
from tui.widgets.source import SourceView

SECTION_LABELS = {
    "objective": "Objective", "exit_gap": "Exit criteria (where the deal stands)",
    "context": "Customer context", "buyers": "Buyer attendees",
    "roles": "Our team (roles)", "agenda": "Agenda", "questions": "Questions",
    "objections": "Objections and open items", "risks": "Risks and mitigations",
    "stories": "Stories", "icp_fit": "ICP fit", "checklist": "Checklist",
}


def diff_content(view: Any) -> Content:
    """What changed since the previous version, and the change request it answers."""
    from assistant.render import safe

    lines: list[Content] = []
    plan = view.plan
    if view.previous is None:
        lines.append(Content.styled(f"v{plan.version} is the first version: nothing to "
                                    "compare.", "dim"))
    else:
        lines.append(Content.styled(f"v{view.previous.version} → v{plan.version}", "bold"))
        if view.addressed is not None:
            a = view.addressed
            lines.append(Content.styled(f"answers the change request by {a.by} "
                                        f"({a.at[:16].replace('T', ' ')}):", "$warning"))
            if a.comment:
                lines.append(Content(f"  “{safe(a.comment)}”"))
            for section, text in a.section_comments.items():
                lines.append(Content(f"  {SECTION_LABELS.get(section, section)}: "
                                     f"“{safe(text)}”"))
        if not view.diff:
            lines.append(Content.styled("no section changed", "dim"))
        for d in view.diff:
            lines.append(Content(""))
            lines.append(Content.styled(SECTION_LABELS.get(d.section, d.section), "bold"))
            lines += [Content.styled(f"  + {safe(x)}", "$success") for x in d.added]
            lines += [Content.styled(f"  - {safe(x)}", "$error") for x in d.removed]
    return Content("\n").join(lines)


def history_content(view: Any) -> Content:
    from assistant.render import safe

    if not view.history:
        return Content.styled("no review events yet", "dim")
    lines: list[Content] = []
    for e in view.history:
        lines.append(Content.assemble(
            Content.styled(f"{e.at[:16].replace('T', ' ')} ", "dim"),
            Content.styled(f"v{e.version} {e.action.replace('_', ' ')}", "bold"),
            f" by {e.by}: {e.from_status} → ", status_badge(e.to_status)))
        if e.comment:
            lines.append(Content(f"    “{safe(e.comment)}”"))
        for section, text in e.section_comments.items():
            lines.append(Content(f"    {SECTION_LABELS.get(section, section)}: “{safe(text)}”"))
    return Content("\n").join(lines)


class ChangesModal(ModalScreen[dict[str, Any] | None]):
    """A general comment and one comment per section; empty ones are left out."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="changes.cancel",
                tooltip="Go back without requesting changes"),
        Binding("ctrl+s", "send", "Send", id="changes.send",
                tooltip="Send the plan back to the rep with these comments"),
    ]

    def __init__(self, plan: Any, draft: dict[str, Any] | None = None) -> None:
        super().__init__(classes="modal")
        self.plan = plan
        self.draft = draft or {}

    def compose(self) -> ComposeResult:
        from assistant.reviews import SECTIONS

        with Vertical(classes="dialog wide-dialog") as box:
            box.border_title = f"Request changes · {self.plan.account_name} v{self.plan.version}"
            with VerticalScroll(classes="dialog-body"):
                yield Label("What should change overall?", classes="role-name")
                yield Input(self.draft.get("comment", ""), id="c-comment", compact=True,
                            placeholder="e.g. start from their pain, not our pilot")
                for section in SECTIONS:
                    yield Label(SECTION_LABELS.get(section, section), classes="resolve-why")
                    yield Input(self.draft.get("sections", {}).get(section, ""),
                                id=f"c-{section}", compact=True, placeholder="(no comment)")
            with Horizontal(classes="buttons"):
                yield Button("Send (ctrl+s)", variant="warning", id="send", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#c-comment", Input).focus()

    def action_send(self) -> None:
        from assistant.reviews import SECTIONS

        comment = self.query_one("#c-comment", Input).value.strip()
        sections = {s: self.query_one(f"#c-{s}", Input).value.strip() for s in SECTIONS}
        sections = {k: v for k, v in sections.items() if v}
        if not comment and not sections:
            self.notify("Write at least one comment: what should the rep change?",
                        title="Request changes", severity="warning")
            return
        self.dismiss({"comment": comment, "sections": sections})

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send":
            self.action_send()
        else:
            self.dismiss(None)


class FilterModal(ModalScreen[dict[str, str] | None]):
    """Which rep's plans, for which day (both optional)."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="filter.cancel",
                tooltip="Keep the current filter"),
    ]

    def __init__(self, rep: str, day: str) -> None:
        super().__init__(classes="modal")
        self.rep, self.day = rep, day

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Filter the queue"
            yield Label("Rep (as in team.yaml; empty: the whole team)", classes="role-name")
            yield Input(self.rep, id="f-rep", compact=True, placeholder="e.g. Avery Cole")
            yield Label("Day of the meeting (YYYY-MM-DD; empty: every day)", classes="role-name")
            yield Input(self.day, id="f-day", compact=True, placeholder="e.g. 2026-11-24")
            with Horizontal(classes="buttons"):
                yield Button("Apply (enter)", variant="primary", id="apply", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#f-rep", Input).focus()

    def action_apply(self) -> None:
        import datetime as dt

        day = self.query_one("#f-day", Input).value.strip()
        if day:
            try:
                day = dt.date.fromisoformat(day).isoformat()
            except ValueError:
                self.notify(f"Days are YYYY-MM-DD; got {day!r}.", title="Filter",
                            severity="warning")
                return
        self.dismiss({"rep": " ".join(self.query_one("#f-rep", Input).value.split()),
                      "day": day})

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "f-rep":
            self.focus_next()
        else:
            self.action_apply()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.dismiss(None)


class CommentsModal(ModalScreen[None]):
    """What reviewers said on the plans the current user drafted, newest first."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "dismiss(None)", "Close", id="comments.close",
                tooltip="Back to the queue"),
    ]

    def __init__(self, me: str, rows: list[dict[str, Any]]) -> None:
        super().__init__(classes="modal")
        self.me, self.rows = me, rows

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog") as box:
            box.border_title = f"Comments on plans by {self.me}"
            with VerticalScroll(classes="dialog-body"):
                yield Static(comments_content(self.rows))
            with Horizontal(classes="buttons"):
                yield Button("Close (esc)", id="close", compact=True)

    @on(Button.Pressed)
    def _pressed(self) -> None:
        self.dismiss(None)


def comments_content(rows: list[dict[str, Any]]) -> Content:
    from assistant.render import safe

    if not rows:
        return Content.styled("No comments on your plans yet.", "dim")
    lines: list[Content] = []
    for r in rows:
        lines.append(Content.assemble(
            Content.styled(f"{r['at'][:16].replace('T', ' ')} ", "dim"),
            Content.styled(f"{r['account']} {r['meeting_date']} v{r['version']}", "bold"),
            f" · {r['action'].replace('_', ' ')} by {safe(r['by'])}"))
        if r["comment"]:
            lines.append(Content(f"    “{safe(r['comment'])}”"))
        for section, text in r["section_comments"].items():
            lines.append(Content(f"    {SECTION_LABELS.get(section, section)}: “{safe(text)}”"))
    return Content("\n").join(lines)


class ReviewScreen(HuddleScreen):
    """The review queue beside the selected plan (plan, changes, history)."""

    MODE = "review"
    HELP = ("The manager's queue: plans sent to review. Open one to read it with its "
            "evidence, then approve it or send it back with comments per section.")
    BINDINGS: ClassVar[list[Any]] = [
        Binding("a", "approve", "Approve", id="review.approve",
                tooltip="Approve the selected plan (it must be in review)"),
        Binding("c", "request_changes", "Request changes", id="review.changes",
                tooltip="Send the plan back with a comment per section"),
        Binding("d", "show_tab('review-diff')", "Changes", id="review.diff",
                tooltip="What changed since the previous version, and the request it answers"),
        Binding("f", "toggle_filter", "All/queue", id="review.filter",
                tooltip="Show all recent plans or only the ones waiting for review"),
        Binding("w", "filter_rep", "Rep/day", id="review.rep",
                tooltip="Only one rep's plans, or one day's (the team's queue by default)"),
        Binding("m", "my_comments", "My comments", id="review.mine",
                tooltip="What reviewers said on the plans you drafted"),
        Binding("ctrl+r", "refresh", "Refresh", id="review.refresh", show=False,
                tooltip="Read the queue again"),
        Binding("escape", "close_source", "Close note", id="review.close", show=False,
                tooltip="Close the source note"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.view: Any = None
        self.only_queue = True
        self.rep = ""
        self.day = ""
        self._changes_draft: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_nav()
        with Horizontal(id="review-body"):
            with Vertical(id="review-queue-box", classes="box") as box:
                box.border_title = "In review"
                yield DataTable(id="review-queue", cursor_type="row", zebra_stripes=True)
            with TabbedContent(id="review-tabs"):
                with TabPane("Plan", id="review-plan"):
                    with Horizontal():
                        yield PlanView(id="review-plan-view")
                        yield SourceView(id="review-source")
                with TabPane("Changes", id="review-diff"):
                    with VerticalScroll():
                        yield Static("", id="review-diff-text")
                with TabPane("History", id="review-history"):
                    with VerticalScroll():
                        yield Static("", id="review-history-text")
        yield Static("", id="review-status")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        queue = self.query_one("#review-queue", DataTable)
        queue.add_columns("Date", "Account", "Rep", "Kind", "v")
        queue.add_column("Status", width=9)
        self.load()

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.load()

    # ---- queue -----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="review_queue", exit_on_error=False,
          description="Reading the review queue")
    def load(self) -> None:
        reviews = self.services.huddle.reviews
        rows = reviews.list(status="in_review" if self.only_queue else None, limit=50,
                            rep=self.rep or None, day=self.day or None)
        self.post_message(ReviewQueueLoaded(rows))

    @on(ReviewQueueLoaded)
    def _queue(self, event: ReviewQueueLoaded) -> None:
        self.rows = event.rows
        table = self.query_one("#review-queue", DataTable)
        cursor = table.cursor_row
        table.clear()
        kb = self.huddle_app.kb
        for r in event.rows:
            name = kb.accounts[r["account"]].name if kb and r["account"] in kb.accounts else \
                r["account"]
            table.add_row(r["meeting_date"][5:], text_cell(name),
                          text_cell(r.get("author") or "–"), r["kind"], str(r["version"]),
                          status_badge(r["status"]), key=r["id"])
        box = self.query_one("#review-queue-box")
        scope = "".join(f" · {x}" for x in (self.rep, self.day) if x)
        box.border_title = (f"In review{scope} ({len(event.rows)})" if self.only_queue else
                            f"Recent plans{scope} ({len(event.rows)})")
        if event.rows:
            table.move_cursor(row=min(max(cursor, 0), len(event.rows) - 1))
            self.set_status("enter opens · a approve · c request changes · d changes · "
                            "f all plans")
        else:
            self.set_status("Nothing waiting for review. Reps send plans here with ctrl+s in "
                            "Prep (f shows all recent plans).")
            self.view = None
            self.query_one(PlanView).clear("*Nothing to review.*")
            self.query_one("#review-diff-text", Static).update("")
            self.query_one("#review-history-text", Static).update("")
            self.refresh_bindings()

    def set_status(self, text: str) -> None:
        self.query_one("#review-status", Static).update(text)

    @on(DataTable.RowHighlighted, "#review-queue")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value and (self.view is None or
                                    self.view.plan.id != event.row_key.value):
            self.open(str(event.row_key.value))

    @on(DataTable.RowSelected, "#review-queue")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.query_one("#review-tabs", TabbedContent).active = "review-plan"
        self.query_one("#plan-scroll").focus()

    @work(thread=True, exclusive=True, group="review_plan", exit_on_error=False,
          description="Opening the plan")
    def open(self, plan_id: str) -> None:
        view = self.services.huddle.reviews.show(plan_id)
        self.post_message(ReviewPlanLoaded(view))

    @on(ReviewPlanLoaded)
    def _plan_loaded(self, event: ReviewPlanLoaded) -> None:
        view = event.view
        self.view = view
        self.query_one(PlanView).show(view.plan, self.huddle_app.kb)
        self.query_one("#review-diff-text", Static).update(diff_content(view))
        self.query_one("#review-history-text", Static).update(history_content(view))
        self.refresh_bindings()

    @on(CitationSelected)
    def _citation(self, event: CitationSelected) -> None:
        self.query_one(SourceView).show(self.huddle_app.kb, event.doc_id)
        self.add_class("-source-open")

    def action_close_source(self) -> None:
        if self.has_class("-source-open"):
            self.remove_class("-source-open")
        else:
            self.set_focus(None)

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#review-tabs", TabbedContent).active = tab

    def action_toggle_filter(self) -> None:
        self.only_queue = not self.only_queue
        self.load()

    def action_refresh(self) -> None:
        self.load()

    def action_filter_rep(self) -> None:
        def answer(result: dict[str, str] | None) -> None:
            if result is not None:
                self.rep, self.day = result["rep"], result["day"]
                self.load()

        self.app.push_screen(FilterModal(self.rep, self.day), answer)

    def action_my_comments(self) -> None:
        self.load_comments()

    @work(thread=True, exclusive=True, group="review_comments", exit_on_error=False,
          description="Reading the comments on your plans")
    def load_comments(self) -> None:
        huddle = self.services.huddle
        me = str(huddle.whoami()["name"])
        rows = huddle.reviews.comments_for(me)
        self.app.call_from_thread(self.app.push_screen, CommentsModal(me, rows))

    # ---- decisions -------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("approve", "request_changes"):
            if self.view is None:
                return False
            return True if self.view.plan.status == "in_review" else None
        if action == "show_tab":
            return self.view is not None
        return True

    def _refused(self, action: str) -> bool:
        """Whether the person's role refuses ``action`` (shown as the service says it, before
        a confirmation or comments are asked for; the service checks again when it writes)."""
        from assistant.errors import HuddleError

        try:
            self.services.huddle.reviews.check(action)
        except HuddleError as exc:
            self.huddle_app.show_error(exc.title, exc.message)
            return True
        return False

    def action_approve(self) -> None:
        if self.view is None or self._refused("approve"):
            return
        from tui.screens.modals import ConfirmModal

        plan = self.view.plan

        def answer(yes: bool | None) -> None:
            if yes:
                self.decide(plan.id, "approve", {})

        self.app.push_screen(ConfirmModal(
            f"Approve {plan.account_name} {plan.meeting.kind} ({plan.meeting.date}) "
            f"v{plan.version}?", title="Approve"), answer)

    def action_request_changes(self) -> None:
        if self.view is None or self._refused("request_changes"):
            return
        plan = self.view.plan

        def answer(result: dict[str, Any] | None) -> None:
            if result:
                self._changes_draft = result
                self.decide(plan.id, "request_changes", result)

        self.app.push_screen(ChangesModal(plan, self._changes_draft), answer)

    @work(thread=True, exclusive=True, group="review_decide", exit_on_error=False,
          description="Recording the review")
    def decide(self, plan_id: str, decision: str, data: dict[str, Any]) -> None:
        reviews = self.services.huddle.reviews
        if decision == "approve":
            reviews.approve(plan_id)
        else:
            reviews.request_changes(plan_id, comment=data.get("comment") or None,
                                    section_comments=data.get("sections") or {})
        self.post_message(ReviewDecided(plan_id, decision))

    @on(ReviewDecided)
    def _decided(self, event: ReviewDecided) -> None:
        if event.decision == "request_changes":
            self._changes_draft = {}
        self.notify("Approved." if event.decision == "approve" else
                    "Sent back to the rep with your comments.", title="Review")
        self.view = None
        self.load()

    @on(WorkFailed)
    def _failed(self, event: WorkFailed) -> None:
        if event.group == "review_decide":
            self.load()

    def commands(self) -> list[tuple[str, str, Any]]:
        return [("Approve the selected plan", "Mark it approved", self.action_approve),
                ("Request changes", "Send the selected plan back with comments",
                 self.action_request_changes)]
