"""The meeting form: account, kind, date · time · minutes, sellers, buyers, goal.

The Prep screen composes it on the left. It reads and fills its fields; it validates nothing
(``Huddle.meeting`` does, when the plan is drafted).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from assistant.plan import MEETING_KINDS
from tui.widgets.accounts import fill_account_select
from tui.widgets.checklist import CheckList

TEXT_FIELDS = ("date", "time", "minutes", "buyers", "goal")
DEMO_MEETING = {
    "account": "summit", "kind": "discovery", "time": "10:00", "minutes": "45",
    "sellers": ["Avery Cole", "Jordan Pike"],
    "buyers": "Dana Ruiz (CFO), Tom Becker (Head of Operations)", "goal": "",
}
"""The form's first meeting on the bundled demo knowledge base."""


def form_values_of_meeting(m: Any) -> dict[str, Any]:
    """The form's values for a stored upcoming meeting."""
    return {"account": m.account, "kind": m.kind, "date": m.date.isoformat(),
            "time": f"{m.starts_at:%H:%M}", "minutes": str(m.minutes),
            "sellers": m.sellers, "buyers": m.buyers_text, "goal": m.goal or "",
            "meeting_id": m.id}


def form_values_of_plan(plan: Any) -> dict[str, Any]:
    """The form's values for the meeting a plan was drafted for (no stored meeting)."""
    pm = plan.meeting
    return {"account": pm.account, "kind": pm.kind, "date": pm.date.isoformat(),
            "minutes": str(pm.minutes), "sellers": pm.sellers,
            "buyers": ", ".join(f"{b.name} ({b.title})" if b.title else b.name
                                for b in pm.buyers),
            "goal": pm.goal or "", "meeting_id": None}


class MeetingForm(VerticalScroll):
    """The fields of one meeting, the Draft button and a one-line state."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Meeting"

    def compose(self) -> ComposeResult:
        yield Label("Account", classes="field-label")
        yield Select([], prompt="account…", id="f-account", compact=True)
        yield Label("Kind", classes="field-label")
        yield Select([(k, k) for k in MEETING_KINDS], value="discovery",
                     allow_blank=False, id="f-kind", compact=True)
        yield Label("Date · time · minutes", classes="field-label")
        with Horizontal(id="f-when"):
            yield Input(placeholder="YYYY-MM-DD", id="f-date", compact=True)
            yield Input("09:00", placeholder="HH:MM", id="f-time", compact=True)
            yield Input("45", type="integer", id="f-minutes", compact=True)
        yield Label("Sellers (space toggles)", classes="field-label")
        yield CheckList(id="f-sellers", compact=True)
        yield Label("Buyers: Name (Title), …", classes="field-label")
        yield Input(placeholder="Dana Ruiz (CFO), Tom Becker (Ops)", id="f-buyers",
                    compact=True)
        yield Label("Goal (optional)", classes="field-label")
        yield Input(placeholder="what you want from the call", id="f-goal",
                    compact=True)
        yield Button("Draft plan  ctrl+g", id="f-run", variant="primary", compact=True)
        yield Static("", id="f-state")

    def fill(self, kb: Any) -> None:
        """The knowledge base's accounts and team as the choices (what was picked stays)."""
        fill_account_select(self.query_one("#f-account", Select), kb)
        sellers = self.query_one("#f-sellers", SelectionList)
        chosen = set(sellers.selected)
        sellers.clear_options()
        sellers.add_options([(f"{p.name} · {p.title}", p.name, p.name in chosen)
                             for p in kb.team.people])

    def values(self) -> dict[str, Any]:
        """What the fields hold, as typed (trimmed)."""
        account = self.query_one("#f-account", Select).value
        kind = self.query_one("#f-kind", Select).value
        return {
            "account": "" if account == Select.NULL else str(account),
            "kind": "discovery" if kind == Select.NULL else str(kind),
            "date": self.query_one("#f-date", Input).value.strip(),
            "time": self.query_one("#f-time", Input).value.strip(),
            "minutes": self.query_one("#f-minutes", Input).value.strip(),
            "sellers": list(self.query_one("#f-sellers", SelectionList).selected),
            "buyers": self.query_one("#f-buyers", Input).value.strip(),
            "goal": self.query_one("#f-goal", Input).value.strip(),
        }

    def apply(self, values: dict[str, Any], accounts: Any) -> None:
        """Put ``values`` in the fields (keys not given stay as they are)."""
        account = self.query_one("#f-account", Select)
        if values.get("account") in accounts:
            account.value = values["account"]
        elif "account" in values:
            account.clear()
        if values.get("kind") in MEETING_KINDS:
            self.query_one("#f-kind", Select).value = values["kind"]
        for key in TEXT_FIELDS:
            if key in values:
                self.query_one(f"#f-{key}", Input).value = str(values[key] or "")
        if "sellers" in values:
            sellers = self.query_one("#f-sellers", SelectionList)
            sellers.deselect_all()
            for name in values["sellers"]:
                try:
                    sellers.select(name)
                except Exception:  # a seller no longer in team.yaml
                    continue

    def show_state(self, text: str) -> None:
        self.query_one("#f-state", Static).update(text)
