"""Crash points for the fault tests: ``HUDDLE_FAULT_AT=<point>:<n>`` kills the process there.

Every write step of a workflow calls :func:`crash_point` with a name (``reflect.note``,
``after:write_note``, ``store.vectors``...). Normally that is one dictionary lookup and
nothing happens. When the environment variable ``HUDDLE_FAULT_AT`` is ``<point>:<n>``, the
n-th time (1-based; ``:<n>`` may be left out for 1) this process reaches ``<point>`` it ends
at once with ``os._exit(FAULT_EXIT)``: no ``finally``, no ``atexit``, no flush, as a
``kill -9`` would. ``HUDDLE_FAULT_AT=list`` prints every point reached to stderr instead,
so a test can find the points a run passes through.

Only the fault tests set the variable (tests/integration/test_crash_points.py,
benchmarks/crash.py). Pure standard library; touches nothing.
"""

from __future__ import annotations

import os
import sys

ENV = "HUDDLE_FAULT_AT"
FAULT_EXIT = 86  # the exit code a crash point ends the process with
_seen: dict[str, int] = {}


def crash_point(name: str) -> None:
    """End the process here if ``HUDDLE_FAULT_AT`` names this point and occurrence."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    if spec == "list":
        print(f"crash point: {name}", file=sys.stderr, flush=True)
        return
    point, _, nth = spec.rpartition(":")
    if not nth.isdigit():  # no occurrence given: the first one
        point, nth = spec, "1"
    if point != name:
        return
    _seen[name] = _seen.get(name, 0) + 1
    if _seen[name] == int(nth):
        os._exit(FAULT_EXIT)
