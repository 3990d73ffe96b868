"""Small modal dialogs shared by the screens: error, confirm, ask for a path.

Each returns its answer through ``dismiss`` (use with ``push_screen(..., callback)``) and
closes with Escape. Text from notes or a model is shown with markup off.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class ErrorModal(ModalScreen[None]):
    """An error the user can act on: its title, and the message that says what to do."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape,enter", "dismiss", "Close", id="modal.close",
                tooltip="Close this message"),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog") as box:
            box.border_title = self.title_text
            with VerticalScroll(classes="dialog-body"):
                yield Static(self.message, markup=False, id="error-message")
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="ok", compact=True)

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(None)


class ConfirmModal(ModalScreen[bool]):
    """A yes/no question."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape,n", "answer(False)", "No", id="modal.no", tooltip="Answer no"),
        Binding("y", "answer(True)", "Yes", id="modal.yes", tooltip="Answer yes"),
    ]

    def __init__(self, question: str, title: str = "Confirm") -> None:
        super().__init__(classes="modal")
        self.question = question
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.title_text
            yield Static(self.question, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Yes (y)", variant="primary", id="yes", compact=True)
                yield Button("No (n)", id="no", compact=True)

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class AskModal(ModalScreen[str | None]):
    """One line of text (a path, a comment); Enter accepts, Escape cancels."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="modal.cancel",
                tooltip="Close without doing anything"),
    ]

    def __init__(self, title: str, prompt: str, value: str = "", placeholder: str = "") -> None:
        super().__init__(classes="modal")
        self.title_text = title
        self.prompt = prompt
        self.value = value
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.title_text
            yield Label(self.prompt, markup=False)
            yield Input(self.value, placeholder=self.placeholder, id="ask-input")
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="ok", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#ask-input", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        value = self.query_one("#ask-input", Input).value.strip()
        self.dismiss((value or None) if event.button.id == "ok" else None)
