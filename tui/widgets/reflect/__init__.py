"""Widgets of the Reflect screen: the call's input form and the proposal to decide on."""

from tui.widgets.reflect.call_form import CallForm
from tui.widgets.reflect.proposal import ProposalTable

__all__ = ["CallForm", "ProposalTable"]
