"""The keys: every binding of the app and of each screen, with its id and what it does.

Keys shown are the ones in effect (after ``[tui.keymap]`` overrides). The ids are what the
config file rebinds.
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from tui.screens.base import NAV
from tui.widgets.format import text_cell

SCREEN_CLASSES = {
    "home": ("tui.screens.home", "HomeScreen"),
    "prep": ("tui.screens.prep", "PrepScreen"),
    "review": ("tui.screens.review", "ReviewScreen"),
    "reflect": ("tui.screens.reflect", "ReflectScreen"),
    "icp": ("tui.screens.icp", "IcpScreen"),
    "knowledge": ("tui.screens.knowledge", "KnowledgeScreen"),
    "settings": ("tui.screens.settings", "SettingsScreen"),
}


def binding_rows(bindings: list[Any], keymap: dict[str, str],
                 key_display: Any) -> list[tuple[str, str, str, str]]:
    """(keys, label, what it does, id) for bindings that have an id."""
    rows = []
    for b in bindings:
        if not isinstance(b, Binding) or not b.id:
            continue
        keys = keymap.get(b.id, b.key)
        shown = ", ".join(key_display(Binding(k.strip(), b.action)) for k in keys.split(","))
        rows.append((shown, b.description or b.action, b.tooltip, b.id))
    return rows


class HelpScreen(ModalScreen[None]):
    """A table of keys: this screen's first, then the app's, then the other screens'."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape,question_mark,f1,q", "dismiss", "Close", id="help.close",
                tooltip="Close the key list"),
    ]

    def __init__(self, current: Screen[Any]) -> None:
        super().__init__(classes="modal")
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc closes · ctrl+p: command palette reaches every screen"
            yield Static("", id="help-intro", markup=False)
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        app: Any = self.app
        keymap = getattr(app, "keymap", {})
        table = self.query_one("#help-table", DataTable)
        table.add_columns("Key", "Action", "What it does", "Id")
        current_mode = getattr(self.current, "MODE", "")
        intro = getattr(self.current, "HELP", "")
        self.query_one("#help-intro", Static).update(intro)

        def section(title: str, bindings: list[Any]) -> None:
            rows = binding_rows(bindings, keymap, app.get_key_display)
            if not rows:
                return
            from rich.text import Text

            table.add_row("", Text(title, style="bold underline"), "", "")
            for keys, label, tip, bid in rows:
                table.add_row(keys, text_cell(label), text_cell(tip), bid)

        modes = [m for m, _, _ in NAV]
        order = [current_mode] + [m for m in modes if m != current_mode] \
            if current_mode in modes else modes
        if current_mode in modes:
            section(_label(current_mode) + " (this screen)", _screen_bindings(current_mode))
        section("Everywhere", list(type(app).BINDINGS) + [
            Binding(app.COMMAND_PALETTE_BINDING, "command_palette", "Commands",
                    id="command_palette", tooltip="Search every screen and action by name")])
        for mode in order:
            if mode != current_mode:
                section(_label(mode), _screen_bindings(mode))
        table.focus()


def _label(mode: str) -> str:
    return next(label for m, _, label in NAV if m == mode)


def _screen_bindings(mode: str) -> list[Any]:
    module, name = SCREEN_CLASSES[mode]
    try:
        cls = getattr(importlib.import_module(module), name)
    except ImportError:
        return []
    return list(getattr(cls, "BINDINGS", []))
