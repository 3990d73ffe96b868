"""Textual's Markdown widget, with list items that cost one widget instead of four.

A plan is mostly bullet lists (~100 items on the demo plan). Textual lays out each item as
``Horizontal(MarkdownBullet, Vertical(MarkdownParagraph))``: four widgets, two nested
layouts, and a height measured twice per item. On the busy 2-core machine laying out the
demo's partial plan took 2.0-3.0 s (``benchmarks/plan_layout.py``), most of it in the
compositor's reflow over those ~400 widgets. Here an item that is one paragraph (all of a
plan's but the buyers with their nested lines) joins the run of such items around it in one
:class:`BulletLines` widget: each paragraph's content wrapped to the width left by its
bullet, with the same hanging indent, so the plan looks the same and its links still click.
Items with anything else inside keep Textual's layout.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Markdown
from textual.widgets._markdown import (
    MarkdownBlock,
    MarkdownBullet,
    MarkdownBulletList,
    MarkdownListItem,
    MarkdownParagraph,
)


class BulletLines(MarkdownBlock):
    """Consecutive list items of one paragraph each, as one widget: each item's bullet, then
    its text wrapped with a hanging indent."""

    DEFAULT_CSS = """
    BulletLines { width: 1fr; height: auto; }
    """

    def __init__(self, markdown: Markdown, items: list[tuple[str, MarkdownParagraph]]) -> None:
        super().__init__(markdown, items[0][1]._token)
        self.items = [(symbol, paragraph._content) for symbol, paragraph in items]
        self._wrapped: tuple[int, Content] | None = None

    def _lines(self, width: int) -> Content:
        if self._wrapped is not None and self._wrapped[0] == width:
            return self._wrapped[1]
        out: list[Content] = []
        for symbol, content in self.items:
            indent = len(symbol)
            lines = content.wrap(max(width - indent, 1)) or [Content("")]
            out.append(Content.styled(symbol, "$text-primary") + lines[0])
            out += [Content(" " * indent) + line for line in lines[1:]]
        text = Content("\n").join(out)
        self._wrapped = (width, text)
        return text

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._lines(width).plain.count("\n") + 1

    def render(self) -> Content:
        return self._lines(self.content_size.width or self.size.width)


class LightBulletList(MarkdownBulletList):
    """A bullet list whose runs of one-paragraph items are one :class:`BulletLines`."""

    def compose(self) -> ComposeResult:
        run: list[tuple[str, MarkdownParagraph]] = []
        for block in self._blocks:
            if not isinstance(block, MarkdownListItem):
                continue
            inner = block._blocks
            if len(inner) == 1 and type(inner[0]) is MarkdownParagraph:
                run.append((block.bullet, inner[0]))
                continue
            if run:
                yield BulletLines(self._markdown, run)
                run = []
            bullet = MarkdownBullet()
            bullet.symbol = block.bullet
            yield Horizontal(bullet, Vertical(*inner))
        if run:
            yield BulletLines(self._markdown, run)
        self._blocks.clear()


class PlanMarkdown(Markdown):
    """The plan's Markdown: lists laid out with :class:`LightBulletList`."""

    BLOCKS: dict[str, Any] = {**Markdown.BLOCKS, "bullet_list_open": LightBulletList}


__all__ = ["BulletLines", "LightBulletList", "PlanMarkdown"]
