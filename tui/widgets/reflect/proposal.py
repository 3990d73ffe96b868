"""The proposal table: each item a reflection proposes, with the rep's decision on it.

Accept / reject / edit are recorded here (``decisions``: item id -> ``"accept"``,
``"reject"`` or ``{"action": "edit", "value": ...}``) and sent as they are to
``Huddle.reflections.resume``; nothing is written until then.
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


class ProposalTable(Vertical):
    """Title, one row per proposed item (decision, kind, value), the highlighted item's detail."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.run: Any = None  # the ReflectRun awaiting decisions
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
        self.decisions = {}
        r = run.reflection
        title = (f"{r.account_name} — {r.meeting_kind}, {r.meeting_date}: "
                 f"{len(run.items)} item(s) to confirm before anything is written")
        self.query_one("#r-proposal-title", Static).update(Content.styled(title, "bold"))
        self.fill()

    def clear(self) -> None:
        self.run = None
        self.decisions = {}

    def fill(self) -> None:
        from assistant.render import safe

        table = self.query_one("#r-items", DataTable)
        cursor = table.cursor_row
        table.clear()
        for item in self.run.items:
            decision = self.decisions.get(item.id)
            action = decision if isinstance(decision, str) or decision is None else "edit"
            label, style = DECISION_STYLES[action]
            text = safe(item.summary)
            if isinstance(decision, dict):
                text += f"  → {safe(decision['value'])}"
            table.add_row(Content.styled(label, style), KIND_LABELS.get(item.kind, item.kind),
                          text_cell(text), key=item.id)
        if self.run.items:
            table.move_cursor(row=min(max(cursor, 0), len(self.run.items) - 1))
        self.border_subtitle = f"{len(self.undecided())} undecided"

    @on(DataTable.RowHighlighted, "#r-items")
    def _item_highlighted(self, event: DataTable.RowHighlighted) -> None:
        item = self.item(str(event.row_key.value)) if event.row_key.value else None
        detail = self.query_one("#r-item-detail", Static)
        if item is None:
            detail.update("")
            return
        from assistant.render import safe

        quote = ""
        if item.quote is not None:
            who = f" — {safe(item.quote.speaker)}" if item.quote.speaker else ""
            quote = f"\n“{safe(item.quote.text)}”{who}"
        status = f" ({item.status})" if item.status else ""
        detail.update(f"{safe(item.summary)}{status}{quote}")

    def item(self, item_id: str) -> Any:
        return next((i for i in self.run.items if i.id == item_id), None) \
            if self.run else None

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
