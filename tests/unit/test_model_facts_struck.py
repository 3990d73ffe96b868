"""The model's facts a rep would strike are dropped by the same rules as code's (issue 11)."""

from __future__ import annotations

from assistant.reflect.validate import Builder

TURNS = [
    {"id": "t1", "speaker": "Omar Diaz", "text": "We lost $12,000 in rework last winter. "
     "Still, $18,000 plus your $4,000 setup is too steep, you'd have to prove it pays back."},
    {"id": "t2", "speaker": "Lena Ruiz", "text": "The paperwork isn't our problem. "
     "Scheduling is."},
    {"id": "t3", "speaker": "Jonas Richter", "text": "Could we run the trial? I'd suggest "
     "March 4."},
    {"id": "t4", "speaker": "Lena Ruiz", "text": "March 4 at ten works."},
    {"id": "t5", "speaker": "Omar Diaz", "text": "I'll join for the first twenty minutes."},
    {"id": "t6", "speaker": "Jonas Richter", "text": "Thanks. Meanwhile I'll send you the "
     "trial plan by February 20."},
]


def fact(field: str, quote: str) -> dict[str, str]:
    return {"field": field, "value": quote, "quote": quote, "status": "known"}


def test_an_objection_a_denial_a_to_do_and_our_dates_are_dropped_from_the_model() -> None:
    b = Builder(gathered={"team": ["Jonas Richter"], "competitors": [], "buyers_known": {},
                          "attributes": []}, turns=TURNS, grams=set(), icp=None)  # type: ignore[arg-type]
    kept = b._model_facts({"facts": [
        fact("decision_criteria", "Still, $18,000 plus your $4,000 setup is too steep, "
             "you'd have to prove it pays back."),
        fact("pains", "The paperwork isn't our problem."),
        fact("timeline", "I'd suggest March 4."),
        fact("metrics", "I'll join for the first twenty minutes."),
        fact("timeline", "Meanwhile I'll send you the trial plan by February 20."),
        fact("pains", "We lost $12,000 in rework last winter."),
        fact("timeline", "March 4 at ten works."),
    ]})
    assert [(f.field, f.value) for f in kept] == [
        ("pains", "We lost $12,000 in rework last winter."),
        ("timeline", "March 4 at ten works.")], b.dropped
    assert len(b.dropped) == 5
