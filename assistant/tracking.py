"""Following a workflow graph as it runs: the base of the prep and reflect trackers.

A tracker reads a langgraph ``stream_mode="updates"`` output (``{node: update}`` items), keeps
the part of the graph's state its partial results are built from, and hands each partial
result to the face's callback. :class:`assistant.prep.progress.PlanTracker` and
:class:`assistant.reflect.progress.ReflectionTracker` say which keys they keep and when a
node gives a partial result. Pure, apart from the callback (no langgraph import).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

P = TypeVar("P")


class GraphTracker(Generic[P]):
    """Calls ``on_progress`` with the partial results :meth:`partial` builds as the graph's
    nodes finish, and with the final one at :meth:`finish` time (the subclass's)."""

    keys: ClassVar[tuple[str, ...]] = ()
    """State keys a node's update replaces."""
    appended: ClassVar[tuple[str, ...]] = ("warnings",)
    """State keys whose lists each node's update adds to."""

    def __init__(self, on_progress: Callable[[P], None]) -> None:
        self.on_progress = on_progress
        self.state: dict[str, Any] = {}
        self.done: set[str] = set()
        self.sent: list[P] = []

    def start(self, inputs: Mapping[str, Any]) -> None:
        self.state = dict(inputs)
        self.done = set()

    def feed(self, update: Mapping[str, Any]) -> None:
        """One ``{node: update}`` item of the stream."""
        for node, values in update.items():
            if not isinstance(values, Mapping):
                continue  # the checkpoint's interrupt
            for key in self.keys:
                if key in values:
                    self.state[key] = values[key]
            for key in self.appended:
                self.state[key] = [*self.state.get(key, []), *values.get(key, [])]
            self.done.add(node)
            progress = self.partial(node, values)
            if progress is not None:
                self._send(progress)

    def partial(self, node: str, values: Mapping[str, Any]) -> P | None:
        """The partial result after ``node`` (its update ``values`` already in ``state``),
        or None when this node gives none."""
        return None

    def _send(self, progress: P) -> None:
        self.sent.append(progress)
        self.on_progress(progress)


__all__ = ["GraphTracker"]
