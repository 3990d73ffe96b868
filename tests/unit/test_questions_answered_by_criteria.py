"""A planned question comes from an open exit criterion; when the call meets that criterion,
the question is answered, however the rep worded it on the call
(``assistant.reflect.validate.answered_by_criteria``)."""

from __future__ import annotations

from assistant.reflect.models import CriterionCheck, ItemCheck, Quote, StageCheck
from assistant.reflect.validate import answered_by_criteria

SIGNER = "We know who approves spending on new equipment, by name"


def _stage(status: str = "met", decided_by: str = "code") -> StageCheck:
    quote = Quote(text="That one lands on my desk.", speaker="Mira Okafor", turn="t9")
    return StageCheck(before="Discovery", after="Discovery", criteria=[
        CriterionCheck(stage="Discovery", index=0, text=SIGNER, status=status,  # type: ignore[arg-type]
                       quote=quote, decided_by=decided_by),  # type: ignore[arg-type]
    ])


def test_the_question_a_met_criterion_came_from_is_done_with_the_calls_line() -> None:
    asked = ItemCheck(index=0, text="Can you tell us who approves spending on new equipment?")
    other = ItemCheck(index=1, text="Which pharmacy systems do you run today?")
    got = answered_by_criteria([asked, other], _stage())
    assert got[0].status == "done" and got[0].quote is not None
    assert got[0].quote.text == "That one lands on my desk."
    assert got[1].status == "unknown" and got[1].quote is None


def test_a_criterion_not_met_or_met_by_the_notes_answers_no_question() -> None:
    asked = ItemCheck(index=0, text="Can you tell us who approves spending on new equipment?")
    assert answered_by_criteria([asked], _stage(status="unknown"))[0].status == "unknown"
    assert answered_by_criteria([asked], _stage(decided_by="plan"))[0].status == "unknown"


def test_a_question_already_judged_keeps_its_own_reading() -> None:
    quote = Quote(text="Not yet, no.", speaker="Mira Okafor", turn="t4")
    asked = ItemCheck(index=0, text="Can you tell us who approves spending on new equipment?",
                      status="not_done", quote=quote)
    got = answered_by_criteria([asked], _stage())[0]
    assert got.status == "not_done" and got.quote == quote
