"""The call form of the Reflect screen: the plan (or account, kind and date), the notes.

It reads and fills its fields; the reflection service checks what they hold.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, TextArea

from assistant.plan import MEETING_KINDS
from tui.widgets.accounts import fill_account_select

FORMATS = [("plain notes (txt)", "txt"), ("Markdown notes", "md"), ("WebVTT captions", "vtt"),
           ("SRT captions", "srt")]


class CallForm(Vertical):
    """Which meeting, the notes' format and text, the Reflect button, waiting reflections."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "The call"

    def compose(self) -> ComposeResult:
        yield Select([], prompt="the plan you prepared (or none)", id="r-plan",
                     compact=True)
        with Horizontal(id="r-meeting"):
            yield Select([], prompt="account", id="r-account", compact=True)
            yield Select([(k, k) for k in MEETING_KINDS], value="discovery",
                         allow_blank=False, id="r-kind", compact=True)
            yield Input(placeholder="YYYY-MM-DD", id="r-date", compact=True)
        yield Select(FORMATS, value="txt", allow_blank=False, id="r-format",
                     compact=True)
        yield TextArea(id="r-notes", soft_wrap=True, compact=True,
                       placeholder="Paste notes or a transcript here…")
        yield Button("Reflect  ctrl+g", id="r-run", variant="primary", compact=True)
        yield Select([], prompt="reflections waiting for you", id="r-pending",
                     compact=True)

    def fill_accounts(self, kb: Any, today: str) -> None:
        fill_account_select(self.query_one("#r-account", Select), kb)
        date = self.query_one("#r-date", Input)
        if not date.value:
            date.value = today

    def fill_choices(self, kb: Any, plans: list[dict[str, Any]],
                     pending: list[dict[str, Any]]) -> None:
        """Recent plans to reflect on, and reflections waiting for decisions."""
        plan_select = self.query_one("#r-plan", Select)
        current = plan_select.value
        options = []
        for p in plans:
            name = kb.accounts[p["account"]].name if kb and p["account"] in kb.accounts else \
                p["account"]
            options.append((f"{p['meeting_date']} {name} {p['kind']} v{p['version']}", p["id"]))
        plan_select.set_options(options)
        if current != Select.NULL and any(v == current for _, v in options):
            plan_select.value = current
        waiting = self.query_one("#r-pending", Select)
        waiting.set_options([(f"{r['meeting_date']} {r['account']} ({r['run_id']})",
                              r["run_id"]) for r in pending])
        waiting.display = bool(pending)

    @on(Select.Changed, "#r-plan")
    def _plan_changed(self, event: Select.Changed) -> None:
        self.query_one("#r-meeting").display = event.value == Select.NULL

    def values(self) -> dict[str, Any]:
        def value(selector: str) -> str | None:
            v = self.query_one(selector, Select).value
            return None if v == Select.NULL else str(v)

        return {"plan_id": value("#r-plan"), "account": value("#r-account"),
                "kind": value("#r-kind"), "date": self.query_one("#r-date", Input).value.strip(),
                "format": value("#r-format") or "txt",
                "text": self.query_one("#r-notes", TextArea).text}

    def set_notes(self, text: str, fmt: str | None = None) -> None:
        self.query_one("#r-notes", TextArea).text = text
        if fmt is not None:
            self.query_one("#r-format", Select).value = fmt
