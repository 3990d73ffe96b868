"""The kinds of meeting Huddle plans for.

A module of its own so the command line can offer them (``--kind`` choices) without
importing the plan's models (pydantic, ~0.3 s): ``huddle`` alone starts the app through the
command line, and that import came before the app's first paint. ``assistant.plan``
re-exports the name.

Pure data.
"""

from __future__ import annotations

MEETING_KINDS = (
    "discovery", "demo", "technical", "proposal", "negotiation", "executive", "follow-up",
)
