"""Ask which account each unmatched calendar meeting is for (or skip it)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select

from assistant.calendar import SKIP


class ResolveModal(ModalScreen[dict[str, str] | None]):
    """One row per unmatched event: its time, summary and why; an account picker."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "dismiss(None)", "Skip all", id="resolve.cancel",
                tooltip="Import only the matched meetings"),
        Binding("ctrl+s", "save", "Import", id="resolve.save",
                tooltip="Import with the accounts chosen here"),
    ]

    def __init__(self, unmatched: list[Any], accounts: list[tuple[str, str]]) -> None:
        super().__init__(classes="modal")
        self.unmatched = unmatched
        self.accounts = accounts

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog") as box:
            box.border_title = f"{len(self.unmatched)} meeting(s) match no account"
            with VerticalScroll(classes="dialog-body"):
                for i, item in enumerate(self.unmatched):
                    e = item.event
                    people = ", ".join(a.label for a in e.attendees[:4])
                    yield Label(f"{e.start:%a %d %b %H:%M}  {e.summary}", markup=False,
                                classes="resolve-title")
                    yield Label(f"{item.reason}; attendees: {people}", markup=False,
                                classes="resolve-why")
                    options = [("skip this meeting", SKIP), *self.accounts]
                    yield Select(options, value=SKIP, allow_blank=False, id=f"resolve-{i}",
                                 compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Import (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Skip all (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        if self.unmatched:
            self.query_one("#resolve-0", Select).focus()

    def action_save(self) -> None:
        answers = {}
        for i, item in enumerate(self.unmatched):
            value = self.query_one(f"#resolve-{i}", Select).value
            answers[item.event.summary] = str(value) if value != Select.NULL else SKIP
        self.dismiss(answers)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)
