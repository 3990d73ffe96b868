"""What the reflection's assessment asks the model (``reflect_assess@7``), decided by code.

The assessment is asked only what code cannot decide: the objective, when the model's answer
could change the verdict code composes (``verdict.model_can_decide``), and the plan's items
(agenda, questions, roles; the first few of each) with the turn that shows each done or not.
When neither is left, nothing is asked and no call is made: the answer is the one an empty
grammar allows (``{}``: objective unknown, no checks), the same reflection as before.

Shared by the reflect graph (what to ask) and the progress view (what to mark pending), so
both name the same parts. Pure functions over the gathered plan and the turns. Whether a call
is made at all is the settings' (``reflect.model_*``, :func:`asks_model`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assistant.config import REFLECT_CALLS
from assistant.reflect.verdict import model_can_decide

MAX_PLAN_ITEMS = {"A": 5, "Q": 4, "R": 4}
"""How many agenda items (A), questions (Q) and roles (R) the assessment is asked about."""


def plan_items(g: Mapping[str, Any]) -> tuple[str, list[str]]:
    """The plan items offered to the model (``A1: ...``), bounded, and their keys."""
    lines, keys = [], []
    for prefix, rows in (("A", [f"{a['topic']} ({a['owner']})" for a in g["agenda"]]),
                         ("Q", g["questions"]),
                         ("R", [f"{r['seller']} as {r['role']}" for r in g["roles"]])):
        for i, text in enumerate(rows[: MAX_PLAN_ITEMS[prefix]], start=1):
            text = " ".join(str(text).split())
            lines.append(f"{prefix}{i}: {text[:70]}")
            keys.append(f"{prefix}{i}")
    return "\n".join(lines), keys


@dataclass(frozen=True)
class AssessmentAsks:
    """What the assessment call asks: the objective or not, and the plan items' lines and
    keys (``A1``, ``Q2``, ``R1``)."""

    objective: bool
    items: str
    keys: tuple[str, ...]

    @property
    def empty(self) -> bool:
        """True when there is nothing to ask: the call is not made."""
        return not self.objective and not self.keys


def assessment_asks(g: Mapping[str, Any], turns: list[dict[str, Any]],
                    outcome: str | None = None) -> AssessmentAsks:
    """What the assessment asks after a call with these ``turns`` (``g``: the graph's
    ``gathered``: team, known buyers, agenda, questions, roles)."""
    items, keys = plan_items(g)
    objective = model_can_decide(turns, sellers=g["team"], people=list(g["buyers_known"]),
                                 outcome=outcome)
    return AssessmentAsks(objective=objective, items=items, keys=tuple(keys))


def asks_model(state: Mapping[str, Any], call: str) -> bool:
    """Whether the settings let ``call`` (``facts``, ``assessment``, ``criteria``) ask the
    model, from the reflect graph's state (``model_calls``, fixed by ``gather``); a state
    from before the setting asks all of them."""
    return call in state.get("model_calls", REFLECT_CALLS)


__all__ = ["MAX_PLAN_ITEMS", "AssessmentAsks", "asks_model", "assessment_asks", "plan_items"]
