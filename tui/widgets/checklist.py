"""A SelectionList whose unticked boxes are empty, so the state shows without colour too
(monochrome terminals, screen captures, colour-blind readers)."""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets._toggle_button import ToggleButton


class CheckList(SelectionList[str]):
    """``[X]`` ticked, ``[ ]`` not."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        style = segments[1].style
        meta: dict[str, Any] = style.meta if style is not None else {}
        index = meta.get("option")
        if index is None:
            return strip
        value = self.get_option_at_index(index).value
        if value in self.selected:
            return strip
        segments[1] = Segment(" " * len(segments[1].text), style)
        return Strip(segments, strip.cell_length)
