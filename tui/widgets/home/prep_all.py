"""The prep-all panel: a progress bar and one line per meeting being prepared.

Hidden until a prep-all starts, so its bar and lines are mounted then: the Home screen's
first frame does not import, mount and style a progress bar nobody sees yet.
"""

from __future__ import annotations

from typing import Any

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

PREP_ALL_STATES = {
    "queued": ("·", "dim"), "started": ("◐", "$warning"), "step": ("◐", "$warning"),
    "finished": ("✓", "$success"), "failed": ("✗", "$error"), "skipped": ("=", "dim"),
    "running": ("◐", "$warning"), "ready": ("✓", "$success"),
}
"""Icon and style per state: of the app's own prep-all (queued ... skipped) and of a
background run's meetings (queued, running, ready, failed)."""


class PrepAllPanel(Vertical):
    """Where each of tomorrow's meetings stands while they are prepared."""

    def start(self, total: int, done: int) -> None:
        from textual.widgets import ProgressBar

        bars = self.query("#prep-all-bar").results(ProgressBar)
        bar = next(bars, None)
        if bar is None:  # the first prep-all of the session: the bar and lines appear now
            bar = ProgressBar(id="prep-all-bar", show_eta=False)
            self.mount(bar, Static(id="prep-all-lines"))
        bar.update(total=total, progress=done)

    def advance(self) -> None:
        from textual.widgets import ProgressBar

        self.query_one("#prep-all-bar", ProgressBar).advance(1)

    def show(self, todo: list[Any], states: dict[str, str], kb: Any,
             details: dict[str, str] | None = None) -> None:
        details = details or {}
        lines: list[Content] = []
        for m in todo:
            state = states.get(m.id, "queued")
            icon, style = PREP_ALL_STATES.get(state, ("·", "dim"))
            name = kb.accounts[m.account].name if kb and m.account in kb.accounts else m.account
            extra = details.get(m.id, "")
            lines.append(Content.assemble(
                Content.styled(f"{icon} ", style), f"{m.starts_at:%H:%M} {name} ({m.kind}) ",
                Content.styled(f"{state} {extra}".strip(), style)))
        self.query_one("#prep-all-lines", Static).update(Content("\n").join(lines))
