"""``python -m evals.fact_check``: the reflection's own nodes, no model, scored as the runner
scores facts and ICP evidence."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from assistant.reflect.models import Fact, Quote, Reflection
from evals.fact_check import check, check_scenario, noise
from evals.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "evals" / "scenarios"


def test_a_painful_win_scores_its_facts_and_its_icp_evidence() -> None:
    c = check_scenario(load_scenario(SCENARIOS / "shieldpoint-fernhill-followup.yaml"))
    assert c is not None and c.fact_score is not None and c.icp_score is not None
    assert c.fact_score.value == 1.0 and c.icp_score.value == 1.0, c.misses
    assert {"attribute": "segment", "value": "veterinary", "signal": "against"} in c.icp


def test_the_totals_count_each_scenario_once(capsys: pytest.CaptureFixture[str]) -> None:
    totals = check(SCENARIOS, pattern="shieldpoint-fernhill-*.yaml")
    assert {k: totals[k] for k in ("facts", "facts_expected", "icp", "icp_expected")} == {
        "facts": 2, "facts_expected": 2, "icp": 1, "icp_expected": 1}
    assert totals["noise"] == 0 and totals["proposed"] > 0
    out = capsys.readouterr().out
    assert "shieldpoint-fernhill-followup" in out and "2/2 expected facts" in out


def _fact(field: str, value: str, quote: str, speaker: str | None = None) -> Fact:
    """A proposed fact quoting ``quote`` from turn t1 (said by ``speaker``)."""
    return Fact(id="f", field=field, value=value, status="known",  # type: ignore[arg-type]
                quote=Quote(text=quote, turn="t1", speaker=speaker))


def test_noise_counts_the_facts_a_rep_would_strike() -> None:
    r = Reflection.model_construct(facts=[
        _fact("budget", "$49", "DentaFlow called me again. $49 a seat, no setup fee."),
        _fact("metrics", "about your day", "Marlon, Jo, this is about your day, not ours."),
        _fact("pains", "the hour a day", "That's the hour a day I spend walking."),
        _fact("metrics", "an hour a day", "That's the hour a day I spend walking."),
    ])
    found = noise(r, ["DentaFlow"])
    assert len(found) == 3, found


def test_noise_counts_a_cost_as_budget_and_a_timeline_with_no_time() -> None:
    r = Reflection.model_construct(facts=[
        _fact("budget", "$80k", "Rework cost us $80k in overtime."),
        _fact("budget", "$25k", "Finance approved $25k for it."),
        _fact("timeline", "Lea Moss, our CFO.", "Lea Moss, our CFO."),
        _fact("timeline", "after the audit in March", "After the audit in March."),
    ])
    found = noise(r, [])
    assert [f.split(":")[0] for f in found] == ["a cost or a loss as budget",
                                                "timeline without a time"], found


def test_noise_counts_bare_price_talk_a_rivals_contract_and_our_promise() -> None:
    fact = functools.partial(_fact, speaker="Rosa Quint")  # the customer unless said
    r = Reflection.model_construct(facts=[
        fact("budget", "approval times", "Today we log the approval times per bay."),
        fact("budget", "no budget", "There is no budget until the autumn."),
        fact("timeline", "August 31", "We already pay Dockly for booking until August 31."),
        fact("timeline", "May 2", "I'll send the answers by May 2.", speaker="Ines Varga"),
        fact("timeline", "May 2", "I'll decide by May 2."),  # the customer's own: kept
    ])
    found = noise(r, ["Dockly"], ["Ines Varga"])
    assert [f.split(":")[0] for f in found] == [
        "budget without an amount", "a rival's contract as timeline",
        "our own promise as a fact"], found


def test_noise_counts_an_objection_a_denial_a_to_do_and_our_proposal() -> None:
    fact = functools.partial(_fact, speaker="Omar Diaz")  # the customer unless said
    r = Reflection.model_construct(facts=[
        fact("decision_criteria", "too steep", "$18,000 plus your $4,000 is too steep."),
        fact("decision_criteria", "Excel", "It has to export to Excel."),  # a criterion: kept
        fact("metrics", "twenty minutes", "I'll join for the first twenty minutes."),
        fact("pains", "paperwork", "The paperwork isn't our problem."),
        fact("pains", "scheduling", "Scheduling is a problem every week."),  # kept
        fact("timeline", "March 4", "I'd suggest March 4.", speaker="Ines Varga"),
        fact("timeline", "Feb 20", "Meanwhile I'll send the plan by February 20.",
             speaker="Ines Varga"),
    ])
    found = noise(r, [], ["Ines Varga"])
    assert [f.split(":")[0] for f in found] == [
        "a price objection as a criterion", "a to-do as a metric", "a problem denied as a pain",
        "our own promise as a fact", "our own promise as a fact"], found
