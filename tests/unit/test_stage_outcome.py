"""A reflection with an outcome: the deal closes in the stage that records it, pending
``huddle outcome``; a call alone moves a deal only between open stages."""

from __future__ import annotations

from assistant.reflect.models import StageCheck
from assistant.reflect.outcomes import closing_stage_of

STAGES = ["Intro", "Evaluate", "Paper", "Closed Won", "Closed Lost"]


def test_closing_stage_of_reads_the_stage_names() -> None:
    assert closing_stage_of(STAGES, "won") == "Closed Won"
    assert closing_stage_of(STAGES, "lost") == "Closed Lost"
    assert closing_stage_of(["Intro", "Evaluate"], "won") == "Evaluate"  # furthest open
    assert closing_stage_of(["Intro", "Evaluate"], "lost") is None


def test_the_headline_says_the_deal_closes_pending_the_outcome_command() -> None:
    st = StageCheck(before="Evaluate", after="Evaluate", status="unchanged",
                    closes="Closed Lost")
    assert st.headline("zeta", "lost") == \
        "Evaluate → Closed Lost, pending `huddle outcome zeta lost`"
    assert "stays" not in st.headline("zeta", "lost")
    # without an outcome a stage is where the call leaves it
    assert StageCheck(before="Intro", after="Intro").headline("zeta", None) == "stays Intro"
    assert StageCheck(before="Intro", after="Evaluate").headline("zeta", None) == \
        "Intro → Evaluate"
