"""Small formatting helpers for tables: dates, badges, bars. Pure; return Textual Content."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.content import Content

STATUS_STYLES = {
    "draft": ("draft", "dim"),
    "in_review": ("in review", "bold $warning"),
    "approved": ("approved", "bold $success"),
    "changes_requested": ("changes", "bold $error"),
}


def when(starts_at: dt.datetime, today: dt.date, *, compact: bool = False) -> str:
    """``Today 10:00`` / ``Tomorrow 10:00`` / ``Thu 26 Nov 10:00`` (``Thu 26 10:00``)."""
    day = starts_at.date()
    if day == today:
        label = "Today"
    elif day == today + dt.timedelta(days=1):
        label = "Tomorrow"
    else:
        label = f"{starts_at:%a %d}" if compact else f"{starts_at:%a %d %b}"
    return f"{label} {starts_at:%H:%M}"


def status_badge(status: str | None) -> Content:
    if not status:
        return Content.styled("—", "dim")
    text, style = STATUS_STYLES.get(status, (status, ""))
    return Content.styled(text, style)


def fit_badge(fit: list[dict[str, Any]]) -> Content:
    """``4✓ 1✗ 2?``: attributes matching, mismatching and unknown against icp.yaml."""
    match = sum(1 for f in fit if f["status"] == "match")
    miss = sum(1 for f in fit if f["status"] == "mismatch")
    unknown = sum(1 for f in fit if f["status"] == "unknown")
    return Content.assemble(
        Content.styled(f"{match}✓", "$success"), " ",
        Content.styled(f"{miss}✗", "$error" if miss else "dim"), " ",
        Content.styled(f"{unknown}?", "$warning" if unknown else "dim"),
    )


def bar(fraction: float | None, width: int = 10) -> str:
    """A text bar for a rate in [0, 1] (eighth blocks); blank when unknown."""
    if fraction is None:
        return " " * width
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, rest = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[rest] if rest else ""
    return ("█" * full + partial).ljust(width)


def interval_bar(rate: float | None, low: float | None, high: float | None,
                 width: int = 20) -> Content:
    """A win-rate bar with its interval: ``███████──┤`` (solid to the rate, line to high)."""
    if rate is None or low is None or high is None:
        return Content.styled("·" * width, "dim")
    cells = []
    for i in range(width):
        x = (i + 0.5) / width
        if x <= rate:
            cells.append(Content.styled("█", "$success" if x >= low else "$success 70%"))
        elif x <= high:
            cells.append(Content.styled("─", "$warning"))
        else:
            cells.append(Content.styled("·", "dim"))
    return Content.assemble(*cells)


def text_cell(value: object) -> Any:
    """A table cell showing ``value`` as text: never parsed as markup, no control codes.

    DataTable parses plain ``str`` cells as Rich markup, so anything that comes from a
    file, a calendar or a model goes through here.
    """
    from rich.text import Text

    from assistant.text import safe_text

    return Text(safe_text(str(value)).replace("\n", " "), no_wrap=True, end="")
