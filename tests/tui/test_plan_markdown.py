"""PlanMarkdown: a plan's lists as one widget per run of items, painted as Textual paints them,
links still clickable."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from tui.widgets.plan_markdown import BulletLines, PlanMarkdown

TEXT = """\
## Risks

- a short item
- see [\\[acme-n1\\]](cite:acme-n1) for the long item that wraps over more than one line of \
the narrow terminal used here, with **bold** words in it and *more* after them
- **Dana Ruiz**, CFO
  - cares about: payback
  - mentioned in: [\\[acme-n2\\]](cite:acme-n2)
- the last item

**After** the list.
"""


class Doc(App[None]):
    def __init__(self, kind: type[Markdown]) -> None:
        super().__init__()
        self.kind = kind
        self.clicked: list[str] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield self.kind(TEXT, open_links=False, id="md")

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        self.clicked.append(event.href)


async def painted(kind: type[Markdown]) -> tuple[str, Any]:
    app = Doc(kind)
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        console = Console(width=60, height=24, file=io.StringIO(), record=True)
        console.print(app.screen._compositor.render_update(full=True, screen_stack=[]))
        lines = app.query(BulletLines)
        runs = [len(b.items) for b in lines]
        clicked: list[str] = []
        if lines:
            await pilot.click(lines.first(), offset=(7, 1))  # the link on the second item
            await pilot.pause()
            clicked = app.clicked
        return console.export_text(), (runs, clicked)


async def test_lists_paint_as_textual_paints_them_with_fewer_widgets() -> None:
    textual_screen, _ = await painted(Markdown)
    light_screen, (runs, clicked) = await painted(PlanMarkdown)
    # the same characters cell for cell (the snapshot tests compare the colours too)
    assert light_screen == textual_screen
    assert "with **bold**" not in light_screen and "bold words" in light_screen
    assert runs == [2, 2, 1]  # one widget per run of one-paragraph items (nested too)
    assert clicked == ["cite:acme-n1"]
