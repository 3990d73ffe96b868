"""The Home screen's three boxes: upcoming meetings, accounts, recent plans.

Each is a bordered box around one table; it lays out its columns for the width (narrow or
not) and fills its rows from what the screen loaded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DataTable

from tui.widgets.format import fit_badge, status_badge, text_cell, when
from tui.widgets.home.prep_all import PREP_ALL_STATES


def short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _account_name(kb: Any, slug: str) -> str:
    return kb.accounts[slug].name if kb and slug in kb.accounts else slug


class MeetingsBox(Vertical):
    """Upcoming meetings: when, account, kind, sellers, and the plan's status."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Upcoming meetings"
        self.border_subtitle = "enter: prep · c: import .ics · a: prep tomorrow"

    def compose(self) -> ComposeResult:
        yield DataTable(id="meetings", cursor_type="row", zebra_stripes=True)

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#meetings", DataTable)

    def set_columns(self, narrow: bool) -> None:
        meetings = self.table
        meetings.clear(columns=True)
        meetings.add_column("When", width=14 if narrow else 16)
        meetings.add_column("Account", width=18 if narrow else 26)
        meetings.add_column("Kind", width=11)
        meetings.add_column("Sellers", width=14 if narrow else 28)
        meetings.add_column("Plan", width=9)

    def fill(self, meetings: list[Any], plans: list[dict[str, Any]], *, kb: Any, today: dt.date,
             narrow: bool, prep_all: dict[str, str]) -> None:
        """One row per meeting; ``prep_all`` (meeting id -> state) overrides the plan column."""
        table = self.table
        table.loading = False
        cursor = table.cursor_row
        table.clear()
        for m in meetings:
            sellers = (text_cell(", ".join(s.split()[0] for s in m.sellers)) if m.sellers
                       else Content.styled("no seller", "$error"))
            status = _plan_status(plans, m.plan_id)
            plan = status_badge(status) if status else Content.styled("—", "dim")
            state = prep_all.get(m.id)
            if state:
                icon, style = PREP_ALL_STATES.get(state, ("", ""))
                plan = Content.styled(f"{icon} {state}", style)
            table.add_row(when(m.starts_at, today, compact=narrow),
                          text_cell(_account_name(kb, m.account)), m.kind, sellers, plan,
                          key=m.id)
        if meetings:
            table.move_cursor(row=min(cursor, len(meetings) - 1))
        self.border_title = f"Upcoming meetings ({len(meetings)})"

    def selected(self, meetings: list[Any]) -> Any | None:
        table = self.table
        if not meetings or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        return next((m for m in meetings if m.id == key), None)


def _plan_status(plans: list[dict[str, Any]], plan_id: str | None) -> str | None:
    if not plan_id:
        return None
    row = next((p for p in plans if p["id"] == plan_id), None)
    return row["status"] if row else "draft"


class AccountsBox(Vertical):
    """Accounts with their stage and stated ICP fit."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Accounts"

    def compose(self) -> ComposeResult:
        yield DataTable(id="accounts", cursor_type="row")

    def set_columns(self, narrow: bool) -> None:
        accounts = self.query_one("#accounts", DataTable)
        accounts.clear(columns=True)
        accounts.add_column("Account")
        accounts.add_column("Stage")
        accounts.add_column("ICP fit", width=9)

    def fill(self, kb: Any, *, narrow: bool) -> None:
        if kb is None:
            return
        from assistant.views import stated_fit

        table = self.query_one("#accounts", DataTable)
        cursor = table.cursor_row
        table.clear()
        for slug, account in sorted(kb.accounts.items(), key=lambda kv: kv[1].name):
            name = short(account.name, 19) if narrow else account.name
            table.add_row(text_cell(name), text_cell(account.stage),
                          fit_badge(stated_fit(account, kb.icp)), key=slug)
        if kb.accounts:
            table.move_cursor(row=min(cursor, len(kb.accounts) - 1))


class PlansBox(Vertical):
    """Recent plans: date, account, kind, version and review status."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Recent plans"

    def compose(self) -> ComposeResult:
        yield DataTable(id="plans", cursor_type="row")

    def set_columns(self, narrow: bool) -> None:
        plans = self.query_one("#plans", DataTable)
        plans.clear(columns=True)
        plans.add_column("Date")
        plans.add_column("Account")
        if not narrow:
            plans.add_column("Kind")
            plans.add_column("v")
        plans.add_column("Status", width=9)

    def fill(self, plans: list[dict[str, Any]], *, kb: Any, narrow: bool) -> None:
        table = self.query_one("#plans", DataTable)
        table.clear()
        for p in plans:
            name = _account_name(kb, p["account"])
            if narrow:
                table.add_row(p["meeting_date"][5:], text_cell(short(name, 9)),
                              status_badge(p["status"]), key=p["id"])
            else:
                table.add_row(p["meeting_date"][5:], text_cell(name), p["kind"],
                              str(p["version"]), status_badge(p["status"]), key=p["id"])
