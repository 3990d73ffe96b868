"""The proposal table: each item a reflection proposes, with the rep's decision on it.

Accept / reject / edit are recorded here (``decisions``: item id -> ``"accept"``,
``"reject"`` or ``{"action": "edit", "value": ...}``) and sent as they are to
``Huddle.reflections.resume``; nothing is written until then.

While the reflection is drafted the table shows the partial proposal
(``assistant.reflect.progress``): the items code found, one row per part the model has still
to give, and nothing to decide (``run`` stays None until the proposal is saved).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from tui.widgets.format import text_cell

KIND_LABELS = {"stakeholder": "person", "fact": "fact", "next_step": "next step",
               "icp": "ICP", "stage": "stage"}
DECISION_STYLES = {"accept": ("✓ accept", "$success"), "reject": ("✗ reject", "$error"),
                   "edit": ("✎ edit", "$warning"), None: ("? decide", "dim")}
WAIT = ("… wait", "dim")  # a partial proposal's item: decided once the proposal is complete


class ProposalTable(Vertical):
    """Title, one row per proposed item (decision, kind, value), the highlighted item's detail."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.run: Any = None  # the ReflectRun awaiting decisions
        self.partial: Any = None  # the ReflectionProgress on screen while drafting
        self.decisions: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="r-proposal-title")
        yield DataTable(id="r-items", cursor_type="row", zebra_stripes=True)
        yield Static("", id="r-item-detail", markup=False)

    def on_mount(self) -> None:
        items = self.query_one("#r-items", DataTable)
        items.add_column("Decision", width=9)
        items.add_columns("Kind", "Proposed")

    def show(self, run: Any) -> None:
        """A new proposal: no decisions yet."""
        self.run = run
        self.partial = None
        self.decisions = {}
        r = run.reflection
        title = (f"{r.account_name} — {r.meeting_kind}, {r.meeting_date}: "
                 f"{len(run.items)} item(s) to confirm before anything is written")
        self.query_one("#r-proposal-title", Static).update(Content.styled(title, "bold"))
        self.fill()

    def show_partial(self, progress: Any, *, stopped: str = "") -> None:
        """The proposal as far as it is known: nothing to decide yet. ``stopped`` (e.g.
        ``"cancelled"``): the run ended there; what is on screen stays, marked incomplete."""
        from assistant.render import safe

        self.run = None
        self.partial = progress
        self.decisions = {}
        r = progress.reflection
        head = f"{safe(r.account_name)} — {r.meeting_kind}, {r.meeting_date}: "
        n = len(progress.items)
        missing = progress.missing()
        if stopped:
            title = Content.assemble(
                Content.styled(f"{head}reflection {stopped}: incomplete; nothing was "
                               "proposed or written.", "bold $error"),
                Content(f"\nMissing: {missing}. ctrl+g runs the reflection again."))
            self.border_subtitle = f"{stopped} · not saved"
        else:
            title = Content.assemble(
                Content.styled(f"{head}{n} item(s) so far — drafting", "bold"),
                Content(f"\nPending from the model: {missing}. You decide each item when the "
                        "proposal is complete; nothing is written until then."))
        self.query_one("#r-proposal-title", Static).update(title)
        self.fill()

    def clear(self) -> None:
        self.run = None
        self.partial = None
        self.decisions = {}

    def items(self) -> list[Any]:
        """The rows' items: the proposal's, or the partial proposal's while drafting."""
        if self.run is not None:
            return list(self.run.items)
        return list(self.partial.items) if self.partial is not None else []

    def fill(self) -> None:
        from assistant.render import safe

        table = self.query_one("#r-items", DataTable)
        cursor = table.cursor_row
        table.clear()
        items = self.items()
        for item in items:
            decision = self.decisions.get(item.id)
            action = decision if isinstance(decision, str) or decision is None else "edit"
            label, style = DECISION_STYLES[action] if self.run is not None else WAIT
            text = safe(item.summary)
            if isinstance(decision, dict):
                text += f"  → {safe(decision['value'])}"
            table.add_row(Content.styled(label, style), KIND_LABELS.get(item.kind, item.kind),
                          text_cell(text), key=item.id)
        if self.run is None and self.partial is not None:
            for k, part in enumerate(self.partial.parts()):
                table.add_row(Content.styled("… model", "$warning"), "pending",
                              text_cell(safe(part)), key=f"pending:{k}")
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))
        if self.run is not None:
            self.border_subtitle = f"{len(self.undecided())} undecided"

    @on(DataTable.RowHighlighted, "#r-items")
    def _item_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = str(event.row_key.value or "")
        item = self.item(key) if key else None
        detail = self.query_one("#r-item-detail", Static)
        if item is None:
            parts = self.partial.parts() if self.partial is not None else []
            k = int(key.removeprefix("pending:")) if key.startswith("pending:") else -1
            detail.update(f"Pending from the model: {parts[k]}" if 0 <= k < len(parts)
                          else "")
            return
        from assistant.render import safe

        quote = ""
        if item.quote is not None:
            who = f" — {safe(item.quote.speaker)}" if item.quote.speaker else ""
            quote = f"\n“{safe(item.quote.text)}”{who}"
        status = f" ({item.status})" if item.status else ""
        detail.update(f"{safe(item.summary)}{status}{quote}")

    def item(self, item_id: str) -> Any:
        return next((i for i in self.items() if i.id == item_id), None)

    def highlighted(self) -> Any:
        table = self.query_one("#r-items", DataTable)
        if self.run is None or not self.run.items or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return self.item(str(key))

    def undecided(self) -> list[Any]:
        return [i for i in self.run.items if i.id not in self.decisions] if self.run else []

    def decide(self, action: str) -> None:
        """Decide the highlighted item and move to the next one."""
        item = self.highlighted()
        if item is None:
            return
        self.decisions[item.id] = action
        self.fill()
        table = self.query_one("#r-items", DataTable)
        if table.cursor_row < len(self.run.items) - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def decide_all(self, action: str) -> None:
        """Decide every item still undecided."""
        if self.run is None:
            return
        for item in self.run.items:
            self.decisions.setdefault(item.id, action)
        self.fill()

    def edit(self, item_id: str, value: str) -> None:
        self.decisions[item_id] = {"action": "edit", "value": value}
        self.fill()
