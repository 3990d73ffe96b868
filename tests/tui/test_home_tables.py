"""The Home boxes' tables: a frame rendered as rows arrive shows whole cells.

A ``DataTable`` measures ``auto_width`` columns on its next idle and caches each rendered
cell by its update count, which the measuring does not change (only a resize does, and a
table as wide as its box is not resized when its columns widen): a frame the screen
rendered between adding the rows and that idle kept the cells at the columns' old widths
for good (the plans table's "11-2", "Summit", "disc" of a Home snapshot, once the start-up
worker ran beside the fill). The boxes now size those columns from the cells as they add
the rows.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tui.widgets.home import AccountsBox, PlansBox
from tui.widgets.home.boxes import cell_width, fill_table

PLANS = [{"id": "p1", "account": "summit", "meeting_date": "2026-11-24", "kind": "discovery",
          "version": 12, "status": "in_review"},
         {"id": "p2", "account": "acme", "meeting_date": "2026-11-25", "kind": "demo",
          "version": 1, "status": "draft"}]
KB = SimpleNamespace(
    accounts={"summit": SimpleNamespace(name="Summit Freight Logistics", stage="Negotiation",
                                        icp={}),
              "acme": SimpleNamespace(name="Acme", stage="Discovery", icp={})},
    icp=SimpleNamespace(attributes=[]))


class Boxes(App[None]):
    """The boxes with the Home screen's table sizes: as wide as the box, whatever the columns."""

    CSS = "PlansBox, AccountsBox { height: 8; } DataTable { height: 1fr; width: 1fr; }"

    def compose(self) -> ComposeResult:
        yield PlansBox(id="plans-box")
        yield AccountsBox(id="accounts-box")


def line(table: DataTable[Any], y: int) -> str:
    return table.render_line(y).text


async def test_a_frame_before_the_tables_idle_shows_whole_plan_cells() -> None:
    app = Boxes()
    async with app.run_test(size=(120, 30)) as pilot:
        box = app.query_one(PlansBox)
        box.set_columns(False)
        await pilot.pause()
        table = box.query_one(DataTable)
        box.fill(PLANS, kb=KB, narrow=False)
        first = line(table, 1)  # rendered (and cached) before the table's idle
        await pilot.pause(0.2)
        after = line(table, 1)
        assert "11-24" in after and "Summit Freight Logistics" in after \
            and "discovery" in after and "12" in after, after
        assert first == after
        assert "11-25" in line(table, 2) and "Acme" in line(table, 2)


async def test_a_frame_before_the_tables_idle_shows_whole_account_cells(monkeypatch) -> None:
    import assistant.views

    monkeypatch.setattr(assistant.views, "stated_fit", lambda account, icp: [])
    app = Boxes()
    async with app.run_test(size=(120, 30)) as pilot:
        box = app.query_one(AccountsBox)
        box.set_columns(False)
        await pilot.pause()
        table = box.query_one(DataTable)
        box.fill(KB, narrow=False)
        first = line(table, 2)  # sorted by name: Acme, then Summit
        await pilot.pause(0.2)
        after = line(table, 2)
        assert "Summit Freight Logistics" in after and "Negotiation" in after, after
        assert first == after


async def test_columns_are_as_wide_as_their_label_or_widest_cell() -> None:
    app = Boxes()
    async with app.run_test(size=(120, 30)) as pilot:
        table = app.query_one(PlansBox).query_one(DataTable)
        fill_table(table, [("Account", None), ("Status", 9), ("v", None)],
                   [("a", ("Acme", "draft", "12")), ("b", ("Summit Freight", "approved", "3"))])
        await pilot.pause()
        assert [c.get_render_width(table) - 2 * table.cell_padding
                for c in table.ordered_columns] == [14, 9, 2]
        fill_table(table, [("Account", None)], [])
        assert [c.width for c in table.ordered_columns] == [7]
        assert cell_width("[b]bold[/b]") == 4  # a str cell is markup, as DataTable reads it
