"""What the prep and reflect workflows share: timed graph nodes that report progress.

A node is written as ``fn(state, ctx) -> update`` over the workflow's runtime context;
:func:`timed` makes it a langgraph node ``(state, runtime)`` that tells ``ctx.on_event``
when it starts and finishes (the terminal app's progress steps) and records its seconds in
the update's ``timings`` (the plan's or reflection's provenance).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from langgraph.runtime import Runtime

from knowledge.faults import crash_point


def timed(name: str) -> Callable[..., Any]:
    """Decorate a node function. A node that runs again in the same run (the prep graph's
    repair loop) adds its seconds to the time already in ``state["timings"]``."""

    def wrap(fn: Callable[[Any, Any], dict[str, Any]]) -> Callable[..., dict[str, Any]]:
        def node(state: Mapping[str, Any], runtime: Runtime[Any]) -> dict[str, Any]:
            ctx = runtime.context
            if ctx.on_event:
                ctx.on_event("node_started", {"node": name})
            start = time.perf_counter()
            update = fn(state, ctx)
            crash_point(f"after:{name}")  # the node's work is done, its checkpoint is not
            seconds = time.perf_counter() - start
            before = state.get("timings", {}).get(name, 0)
            update["timings"] = {name: round(seconds + before, 4)}
            if ctx.on_event:
                ctx.on_event("node_finished", {"node": name, "seconds": seconds})
            return update

        node.__name__ = name
        return node

    return wrap
