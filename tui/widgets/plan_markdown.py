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

A plan fills in while the rep reads it (the code-built sections first, then what the model
adds): :meth:`PlanMarkdown.update_sections` re-builds only the sections (split at level-2
headings) whose text changed, where ``Markdown.update`` re-mounts every block (about 25 ms
a widget on the busy machine, ~120 widgets for the demo plan).
"""

from __future__ import annotations

import re
from typing import Any

from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
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
    """A bullet list whose runs of one-paragraph items are one :class:`BulletLines`; a list
    of only such items draws them itself (one widget for the whole list)."""

    _flat: BulletLines | None = None

    def compose(self) -> ComposeResult:
        items = [b for b in self._blocks if isinstance(b, MarkdownListItem)]
        if items and all(len(b._blocks) == 1 and type(b._blocks[0]) is MarkdownParagraph
                         for b in items):
            self._flat = BulletLines(self._markdown, [(b.bullet, b._blocks[0]) for b in items])
            self._blocks.clear()
            return
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

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self._flat is None:
            return super().get_content_height(container, viewport, width)
        return self._flat._lines(width).plain.count("\n") + 1

    def render(self) -> Any:
        if self._flat is None:
            return super().render()
        return self._flat._lines(self.content_size.width or self.size.width)


_SECTION = re.compile(r"(?m)^(?=## )")


def split_sections(markdown: str) -> list[str]:
    """``markdown`` cut before each level-2 heading (the pieces join back to it); one piece
    when it has fenced code (a ``## `` line inside a fence is no heading)."""
    if "```" in markdown or "~~~" in markdown:
        return [markdown]
    return [part for part in _SECTION.split(markdown) if part]


class PlanMarkdown(Markdown):
    """The plan's Markdown: lists laid out with :class:`LightBulletList`, and updated
    section by section (:meth:`update_sections`)."""

    BLOCKS: dict[str, Any] = {**Markdown.BLOCKS, "bullet_list_open": LightBulletList}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sections: list[tuple[str, list[Widget]]] = []

    def update(self, markdown: str) -> AwaitComplete:
        self._sections = []  # every block is replaced
        return super().update(markdown)

    @property
    def section_count(self) -> int:
        """How many sections :meth:`update_sections` has on screen."""
        return len(self._sections)

    def update_sections(self, markdown: str) -> AwaitComplete:
        """Show ``markdown``, keeping the blocks of every section whose text is unchanged
        (matched in order): only new or changed sections are parsed and mounted, each in
        its place. The same blocks as :meth:`update` would make."""
        parts = split_sections(markdown)
        self._markdown = markdown
        self._table_of_contents = None

        async def run() -> None:
            async with self.lock:
                old = self._sections
                if any(b.parent is not self for _, blocks in old for b in blocks):
                    old = []  # replaced meanwhile (update, clear): start over
                if not old:
                    await self.query_children(MarkdownBlock).remove()
                matched = _match_in_order([text for text, _ in old], parts)
                kept = set(matched) - {None}
                stale = [b for i, (_, blocks) in enumerate(old) if i not in kept
                         for b in blocks]
                sections: list[tuple[str, list[Widget]]] = []
                pending: list[Widget] = []
                with self.app.batch_update():
                    if stale:
                        await self.remove_children(stale)
                    for text, index in zip(parts, matched, strict=True):
                        if index is None:
                            blocks = list(self._build_from_source(text))
                            pending += blocks
                        else:
                            blocks = old[index][1]
                            if pending and blocks:
                                await self.mount_all(pending, before=blocks[0])
                                pending = []
                        sections.append((text, blocks))
                    if pending:
                        await self.mount_all(pending)
                self._sections = sections
            self.post_message(
                Markdown.TableOfContentsUpdated(self, self.table_of_contents).set_sender(self))

        return AwaitComplete(run())


def _match_in_order(old: list[str], new: list[str]) -> list[int | None]:
    """For each of ``new``, the index of an equal text in ``old`` (in order: the indexes
    increase), or None."""
    out: list[int | None] = []
    start = 0
    for text in new:
        index = next((i for i in range(start, len(old)) if old[i] == text), None)
        out.append(index)
        if index is not None:
            start = index + 1
    return out


__all__ = ["BulletLines", "LightBulletList", "PlanMarkdown"]
