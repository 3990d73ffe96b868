"""Change sellers' roles in a plan: one role picker per seller; returns the changed ones."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from assistant.plan import ROLE_MEANING, ROLES


class RolesModal(ModalScreen[dict[str, str] | None]):
    """Pick a role for each seller; ``ctrl+s`` applies (only changed roles are returned)."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="roles.cancel",
                tooltip="Keep the roles as they are"),
        Binding("ctrl+s", "apply", "Apply", id="roles.apply",
                tooltip="Save a new plan version with these roles"),
    ]

    def __init__(self, plan: Any) -> None:
        super().__init__(classes="modal")
        self.plan = plan

    def compose(self) -> ComposeResult:
        options = [(f"{r} — {ROLE_MEANING[r]}", r) for r in ROLES]
        with Vertical(classes="dialog wide-dialog") as box:
            box.border_title = f"Roles · plan v{self.plan.version}"
            with VerticalScroll(classes="dialog-body"):
                for i, role in enumerate(self.plan.roles):
                    star = " ★ owns the ask" if role.owns_next_step else ""
                    yield Label(f"{role.name} ({role.title}){star}", markup=False,
                                classes="role-name")
                    yield Select(options, value=role.role, allow_blank=False,
                                 id=f"role-{i}", compact=True)
                yield Static("One seller leads; with two or more, one may be the closer (else "
                             "the lead asks for the next step). Agenda and checklist follow "
                             "the roles; nothing else in the plan changes.", classes="hint",
                             markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Apply (ctrl+s)", variant="primary", id="apply", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#role-0", Select).focus()

    def action_apply(self) -> None:
        changed = {}
        for i, role in enumerate(self.plan.roles):
            value = self.query_one(f"#role-{i}", Select).value
            if value != Select.NULL and value != role.role:
                changed[role.name] = str(value)
        self.dismiss(changed or None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self.action_apply()
        else:
            self.dismiss(None)
