"""The facts code proposes before any model answer: no recording header, nothing twice."""

from __future__ import annotations

from assistant.reflect import extract as ex
from assistant.reflect.fields import field_facts
from assistant.reflect.validate import Builder

TURNS = [
    {"id": "t1", "speaker": "Renata Solis", "text": "[Zoom transcript - Mesquite pilot review "
     "- 18 Nov 2026 - 44 min]"},
    {"id": "t2", "speaker": "Colt Ward", "text": "Samsara quoted $38 a truck, and the board "
     "decides on March 3."},
    {"id": "t3", "speaker": "Colt Ward", "text": "Our budget for this is $40k."},
]


def _code() -> list[dict]:
    hints = ex.find_hints(TURNS, competitors=["Samsara"], people=["Colt Ward"])
    return (field_facts(TURNS, sellers=["Renata Solis"], competitors=["Samsara"],
                        people=["Colt Ward"])
            + ex.code_facts(TURNS, hints, sellers=["Renata Solis"]))


def test_the_recording_header_is_no_timeline() -> None:
    assert not any("Nov 2026" in f["value"] or "transcript" in f["quote"] for f in _code())


def test_a_code_fact_inside_one_already_proposed_is_left_out() -> None:
    code = _code()
    assert any(f["value"] == "$40k" for f in code)  # the amount hint alone...
    builder = Builder(gathered={"attributes": []}, turns=TURNS, grams=set(),
                      icp=None)  # type: ignore[arg-type]  # facts read no ICP
    values = [f.value for f in builder.facts(None, code)]
    assert "$40k" not in values  # ...adds nothing to "Our budget for this is $40k."
    assert "Our budget for this is $40k." in values
    assert "Samsara" not in values and "$38" in values  # the budget has no other fact
