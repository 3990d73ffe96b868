"""The after-call half of a scenario: run the reflection and read what the scorers need.

The reflection workflow stops at a human checkpoint (the rep confirms the proposed facts,
stage change and ICP evidence); eval runs answer it "accept all". This module is the one
place that knows the shape of the reflection API, so a change there changes only this file.

When the assistant has no reflection API, :class:`ReflectionUnavailable` is raised and the
runner records the after-call metrics as unscored. Touches what the reflection touches (the
scenario's private KB copy and data directory).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evals.scenario import Scenario


class ReflectionUnavailable(Exception):
    """The assistant offers no reflection API: the after-call metrics are unscored."""


@dataclass
class ReflectionOutcome:
    """What the after-call scorers read, whatever shape the reflection API returns."""

    objective: str | None = None
    stage_after: str | None = None
    facts: list[str] = field(default_factory=list)
    fact_rows: list[dict[str, Any]] = field(default_factory=list)
    """The proposed facts as ``fact_noise`` reads them: field, value, quote, speaker."""
    icp: list[dict[str, str]] = field(default_factory=list)
    prompts: dict[str, str] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)
    markdown: str = ""
    """The reflection as the rep reads it (``assistant.reflect.render``)."""


def run_reflection(huddle: Any, plan: Any, scenario: Scenario) -> ReflectionOutcome:
    from assistant.reflect.render import reflection_markdown

    """Run the reflection on ``after_call.notes`` for ``plan``, every proposal accepted.

    Then records ``after_call.outcome`` (dated the meeting day) when the scenario gives one.
    What the scorers read:

    - ``objective``: the reflection's verdict on the plan's objective;
    - ``stage_after``: the account's stage in the (private) KB after the accepted writes;
    - ``facts``: the new facts' values and the next steps' actions, as proposed and accepted;
    - ``fact_rows``: each new fact's field, value and quoted words with their speaker;
    - ``icp``: the ICP evidence, each item under both its ledger label and its raw value.
    """
    try:
        reflections = huddle.reflections
    except (AttributeError, ImportError) as exc:
        raise ReflectionUnavailable(f"{type(exc).__name__}: {exc}") from exc
    if not callable(getattr(reflections, "start", None)):
        raise ReflectionUnavailable("Huddle.reflections has no start()")
    after = scenario.after_call
    assert after is not None
    # the rep who pastes the notes of the call that closed the deal says so: the reflection
    # then proposes the ICP evidence the outcome makes of the deal's figures
    run = reflections.start(text=after.notes, plan_id=plan.id, decisions="accept-all",
                            **({"outcome": after.outcome} if after.outcome else {}))
    r = run.reflection
    if r is None:
        raise RuntimeError(f"reflection {run.run_id} ended {run.status} without a result")
    detail: dict[str, Any] = {
        "run_id": run.run_id, "status": run.status, "objective_statement": r.objective.statement,
        "stage_proposed": {"before": r.stage.before, "after": r.stage.after,
                           "status": r.stage.status},
        "next_steps": [n.action for n in r.next_steps],
        "stakeholders": [s.name for s in r.stakeholders],
        "fallback": list(r.provenance.fallback), "warnings": list(r.provenance.warnings),
        "quarantined": list(r.provenance.quarantined),
    }
    if after.outcome:
        result = huddle.record_outcome(plan.meeting.account, after.outcome,
                                       date=plan.meeting.date)
        detail["outcome"] = {"outcome": after.outcome, "action": result.action}
    account = huddle.reload_kb().account(plan.meeting.account)
    icp: list[dict[str, str]] = []
    for e in r.icp_evidence:
        for value in dict.fromkeys([e.value, e.raw]):
            icp.append({"attribute": e.attribute, "value": value, "signal": e.signal})
    return ReflectionOutcome(
        objective=r.objective.status,
        stage_after=account.stage if account is not None else r.stage.after,
        facts=[f.value for f in r.facts] + [n.action for n in r.next_steps],
        fact_rows=[{"field": f.field, "value": f.value, "quote": f.quote.text,
                    "speaker": f.quote.speaker} for f in r.facts],
        icp=icp,
        prompts=dict(r.provenance.prompts),
        detail=detail,
        markdown=reflection_markdown(r),
    )
