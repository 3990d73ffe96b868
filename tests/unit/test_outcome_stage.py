"""A won or lost deal closes: which stage of process.yaml records each outcome."""

from __future__ import annotations

import pytest

from assistant.reflect.outcomes import closing_stage
from knowledge.models import Process


def _process(*names: str) -> Process:
    return Process.model_validate({"stages": [{"name": n, "exit_criteria": ["x"]}
                                              for n in names]})


FULL = _process("Discovery", "Pilot", "Rollout Proposal", "Closed Won", "Closed Lost",
                "No Decision")
SHORT = _process("Discover", "Proposal", "Contracting", "Won", "Lost")
DEMO = _process("Prospect", "Discovery", "Solution", "Proposal", "Negotiation", "Commit")


@pytest.mark.parametrize(("process", "outcome", "stage"), [
    (FULL, "won", "Closed Won"), (FULL, "lost", "Closed Lost"),
    (FULL, "no-decision", "No Decision"),
    (SHORT, "won", "Won"), (SHORT, "lost", "Lost"), (SHORT, "no-decision", None),
    # no stage named for a win: the furthest open stage; none for a loss: stays put
    (DEMO, "won", "Commit"), (DEMO, "lost", None), (DEMO, "no-decision", None),
    (FULL, "stalled", None),
])
def test_closing_stage(process: Process, outcome: str, stage: str | None) -> None:
    assert closing_stage(process, outcome) == stage


def test_a_stage_that_only_contains_won_as_a_substring_is_not_the_won_stage() -> None:
    process = _process("Discovery", "Wonder Review", "Done")
    assert closing_stage(process, "won") == "Done"


def test_a_parked_stage_records_no_decision_and_is_no_place_for_a_win() -> None:
    """A team's own words: "Parked" holds a deal without a decision; a win closes at the
    furthest stage before the stages that record an outcome, never in "Parked"."""
    process = _process("First Look", "Pilot Trucks", "Rolling", "Lost", "Parked")
    assert closing_stage(process, "no-decision") == "Parked"
    assert closing_stage(process, "won") == "Rolling"
    assert closing_stage(_process("Discovery", "Proposal", "On Hold"), "no-decision") == \
        "On Hold"


def test_closing_stages_in_a_teams_own_words_are_the_neighbours_of_lost() -> None:
    """A win closes before the lost stage and a deal without a decision in the stage listed
    right after it, whatever the team calls them; a signature is a win, a shelf no decision."""
    own = _process("Intro", "Trial", "Proposal Out", "Contracting", "Rolling", "Lost", "Icebox")
    assert closing_stage(own, "won") == "Rolling"
    assert closing_stage(own, "no-decision") == "Icebox"
    worded = _process("Intro", "Proposal Out", "Contracting", "Signed", "Lost", "Shelved")
    assert closing_stage(worded, "won") == "Signed"
    assert closing_stage(worded, "no-decision") == "Shelved"
    # a loss listed last leaves no place for a deal without a decision
    assert closing_stage(_process("Proposal", "Negotiation", "Lost"), "no-decision") is None
