"""Widgets of the Prep screen: the meeting form."""

from tui.widgets.prep.meeting_form import MeetingForm

__all__ = ["MeetingForm"]
