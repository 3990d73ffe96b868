"""The shape of a workflow's progress events, shared by the service and its workflows.

``on_event(kind, data)``: ``kind`` is ``node_started`` / ``node_finished`` (and, for
prep-all, ``meeting_*``); ``data`` carries the node, the seconds and what else the kind says.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

EventHandler = Callable[[str, dict[str, Any]], None]

__all__ = ["EventHandler"]
