"""PlanMarkdown: a plan's lists as one widget per run of items, painted as Textual paints them,
links still clickable."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Markdown

from tui.widgets.plan_markdown import BulletLines, LightBulletList, PlanMarkdown

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
        screen = console.export_text()
        lines = app.query(BulletLines)
        runs = [len(b.items) for b in lines]
        flat = [len(b._flat.items) for b in app.query(LightBulletList) if b._flat]
        clicked: list[str] = []
        if lines:
            await pilot.click(lines.first(), offset=(7, 1))  # the link on the second item
            await pilot.pause()
            text = screen.splitlines()
            row = next(i for i, line in enumerate(text) if "acme-n2" in line)
            await pilot.click(offset=(text[row].index("acme-n2"), row))  # in the nested list
            await pilot.pause()
            clicked = app.clicked
        return screen, (runs, flat, clicked)


async def test_lists_paint_as_textual_paints_them_with_fewer_widgets() -> None:
    textual_screen, _ = await painted(Markdown)
    light_screen, (runs, flat, clicked) = await painted(PlanMarkdown)
    # the same characters cell for cell (the snapshot tests compare the colours too)
    assert light_screen == textual_screen
    assert "with **bold**" not in light_screen and "bold words" in light_screen
    assert runs == [2, 1]  # one widget per run of one-paragraph items
    assert flat == [2]  # a list of only such items (the nested one) is one widget
    assert clicked == ["cite:acme-n1", "cite:acme-n2"]


PLAN = """\
> **Drafting.** the model's parts are pending

## Objective

_pending: the model drafts it_

## Context

- Dana owns the budget [\\[acme-n1\\]](cite:acme-n1)
- Tom runs dispatch

## Risks

- a short item

## Checklist

1. read the notes
"""
SAVED = (PLAN.replace("> **Drafting.** the model's parts are pending", "# Acme — discovery")
         .replace("_pending: the model drafts it_", "Confirm the pilot criteria.")
         .replace("1. read the notes", "1. read the notes\n2. send the agenda"))


class Sections(App[None]):
    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield PlanMarkdown(open_links=False, id="md")


async def shown(texts: list[str], way: str) -> tuple[list[str], list[tuple[str, str]], set[int]]:
    """Screens at three scroll positions and the blocks after showing ``texts`` in turn
    (``way``: update or update_sections); the ids of the blocks the last text kept."""
    app = Sections()
    async with app.run_test(size=(60, 12)) as pilot:
        md = app.query_one("#md", PlanMarkdown)
        before: set[int] = set()
        for text in texts:
            before = {id(b) for b in md.children}
            await getattr(md, way)(text)
            await pilot.pause()
        kept = {id(b) for b in md.children} & before
        screens = []
        for y in (0, 8, 100):
            app.query_one(VerticalScroll).scroll_to(y=y, animate=False)
            await pilot.pause()
            console = Console(width=60, height=12, file=io.StringIO(), record=True)
            console.print(app.screen._compositor.render_update(full=True, screen_stack=[]))
            screens.append(console.export_text())
        blocks = [(type(w).__name__, str(getattr(w, "_content", ""))) for w in md.query("*")]
        assert md.source == texts[-1]
        return screens, blocks, kept


async def test_a_plan_filling_in_rebuilds_only_the_sections_that_changed() -> None:
    for texts in ([PLAN, SAVED], [PLAN[:80], PLAN, SAVED], [SAVED, PLAN], [PLAN, PLAN + "\n"]):
        want = await shown([texts[-1]], "update")
        got = await shown(texts, "update_sections")
        assert got[:2] == want[:2], texts  # the same screen and blocks as a fresh update
    _, blocks, kept = await shown([PLAN, SAVED], "update_sections")
    # Context and Risks kept their widgets (two headings, two lists); the rest was rebuilt
    assert len(kept) == 4 and len(blocks) > 10
    _, _, kept = await shown([PLAN, SAVED], "update")
    assert not kept


def test_sections_split_before_level_2_headings_and_join_back() -> None:
    from tui.widgets.plan_markdown import split_sections

    parts = split_sections(PLAN)
    assert [p.split("\n")[0] for p in parts] == [
        "> **Drafting.** the model's parts are pending", "## Objective", "## Context",
        "## Risks", "## Checklist"]
    assert "".join(parts) == PLAN
    fenced = "## A\n\n```\n## not a heading\n```\n"
    assert split_sections(fenced) == [fenced]
