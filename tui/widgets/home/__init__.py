"""Widgets of the Home screen: the meetings, accounts and plans boxes, the prep-all panel."""

from tui.widgets.home.boxes import AccountsBox, MeetingsBox, PlansBox
from tui.widgets.home.prep_all import PREP_ALL_STATES, PrepAllPanel

__all__ = ["PREP_ALL_STATES", "AccountsBox", "MeetingsBox", "PlansBox", "PrepAllPanel"]
