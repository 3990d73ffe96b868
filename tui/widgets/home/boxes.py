"""The Home screen's three boxes: upcoming meetings, accounts, recent plans.

Each is a bordered box around one table; it lays out its columns for the width (narrow or
not) and fills its rows from what the screen loaded.

Columns sized to their content get their width here, from the cells, as the rows are added
(:func:`fill_table`), not from Textual's ``auto_width``: a ``DataTable`` measures auto
columns on its next idle, and a frame the screen renders before that caches the new rows'
cells at the columns' old widths (its render caches are keyed by the table's update count,
which the measuring does not change). The Home screen fills its tables while the start-up
worker runs, so that frame came often ("11-2", "Summit", "disc" in the plans table).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rich.text import Text
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


ColumnSpec = tuple[str, int | None]
"""A column's label and width; ``None``: as wide as its label and its widest cell."""


def cell_width(cell: Any) -> int:
    """Cells a one-line table cell takes, as ``DataTable`` measures it (``str`` is markup)."""
    if isinstance(cell, str):
        return Text.from_markup(cell).cell_len
    if isinstance(cell, Text):
        return cell.cell_len
    if isinstance(cell, Content):
        return cell.cell_length
    return Text(str(cell)).cell_len


def fill_table(table: DataTable[Any], columns: Sequence[ColumnSpec],
               rows: Sequence[tuple[str, Sequence[Any]]]) -> None:
    """Replace the table's columns and rows (``(key, cells)``), every column's width known
    before the table can be rendered again (see the module's docstring)."""
    widths = [width if width is not None else
              max([cell_width(label), *(cell_width(cells[i]) for _key, cells in rows)])
              for i, (label, width) in enumerate(columns)]
    table.clear(columns=True)
    for (label, _width), width in zip(columns, widths, strict=True):
        table.add_column(label, width=width)
    for key, cells in rows:
        table.add_row(*cells, key=key)


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
        self._columns: list[ColumnSpec] = []

    def compose(self) -> ComposeResult:
        yield DataTable(id="accounts", cursor_type="row")

    def set_columns(self, narrow: bool) -> None:
        self._columns = [("Account", None), ("Stage", None), ("ICP fit", 9)]
        fill_table(self.query_one("#accounts", DataTable), self._columns, [])

    def fill(self, kb: Any, *, narrow: bool) -> None:
        if kb is None:
            return
        from assistant.views import stated_fit

        table = self.query_one("#accounts", DataTable)
        cursor = table.cursor_row
        rows = [(slug, (text_cell(short(account.name, 19) if narrow else account.name),
                        text_cell(account.stage), fit_badge(stated_fit(account, kb.icp))))
                for slug, account in sorted(kb.accounts.items(), key=lambda kv: kv[1].name)]
        fill_table(table, self._columns, rows)
        if kb.accounts:
            table.move_cursor(row=min(cursor, len(kb.accounts) - 1))


class PlansBox(Vertical):
    """Recent plans: date, account, kind, version and review status."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = "Recent plans"
        self._columns: list[ColumnSpec] = []

    def compose(self) -> ComposeResult:
        yield DataTable(id="plans", cursor_type="row")

    def set_columns(self, narrow: bool) -> None:
        self._columns = [("Date", None), ("Account", None),
                         *([] if narrow else [("Kind", None), ("v", None)]), ("Status", 9)]
        fill_table(self.query_one("#plans", DataTable), self._columns, [])

    def fill(self, plans: list[dict[str, Any]], *, kb: Any, narrow: bool) -> None:
        rows = []
        for p in plans:
            name = _account_name(kb, p["account"])
            if narrow:
                cells: tuple[Any, ...] = (p["meeting_date"][5:], text_cell(short(name, 9)),
                                          status_badge(p["status"]))
            else:
                cells = (p["meeting_date"][5:], text_cell(name), p["kind"], str(p["version"]),
                         status_badge(p["status"]))
            rows.append((p["id"], cells))
        fill_table(self.query_one("#plans", DataTable), self._columns, rows)
