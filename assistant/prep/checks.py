"""Checks on a meeting that must pass before the prep workflow runs the model.

A plan only uses what was known on the meeting's day (notes dated on or before it), so a
meeting dated before every note of its account gets a plan with no evidence at all. That is
almost always a typo in the date ("2016" for "2026"); it is refused with what to do.

Pure: reads the loaded knowledge base only.
"""

from __future__ import annotations

from assistant.plan import Meeting
from knowledge.errors import HuddleError
from knowledge.models import KnowledgeBase


class MeetingDateError(HuddleError):
    """The meeting's date leaves the plan without evidence."""

    title = "Meeting date"


def check_meeting_date(kb: KnowledgeBase, meeting: Meeting) -> None:
    """Raise :class:`MeetingDateError` when ``meeting`` is dated before every note of its
    account (an account without notes passes: there is nothing to lose)."""
    dates = sorted(n.date for n in kb.notes_for(meeting.account))
    if not dates or meeting.date >= dates[0]:
        return
    years = (dates[0] - meeting.date).days / 365.25
    gap = f"{years:.0f} years" if years >= 1.5 else f"{(dates[0] - meeting.date).days} days"
    raise MeetingDateError(
        f"the meeting is dated {meeting.date}, {gap} before the first note of "
        f"{meeting.account} ({dates[0]}); a plan uses only what was known on the meeting's "
        f"day, so it would use none of the {len(dates)} notes. Check the date; to prepare "
        "it anyway, pass --allow-past (huddle prep)."
    )
