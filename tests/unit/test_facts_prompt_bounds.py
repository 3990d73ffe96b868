"""reflect_facts@7 generates less: our own people are not offered as "people named", the
answer's lists stop where the measured answers' later items were never kept, and an ICP item
asks for no signal when validation sets it from the attribute's ideal anyway."""

from __future__ import annotations

from assistant.llm.schema import response_schema
from assistant.prompts import load_prompt
from assistant.reflect import extract as ex
from assistant.reflect.graph import prompt_hints
from assistant.reflect.models import (
    MAX_DRAFT_FACTS,
    MAX_DRAFT_ICP,
    MAX_DRAFT_STAKEHOLDERS,
    facts_schema,
)

TURNS = [
    {"id": "t1", "speaker": "Renata Solberg",
     "text": "Marisol Tate, our VP of Sales, is with me. Celeste, thanks for the time."},
    {"id": "t2", "speaker": "Celeste Harrow",
     "text": "Priscilla Ong reviews it, I sign it. $42,900 a year is a lot, Marisol."},
]


def test_the_people_named_leave_out_our_own_people_and_keep_the_rest() -> None:
    hints = ex.find_hints(TURNS, competitors=[],
                          people=["Renata Solberg", "Marisol Tate", "Priscilla Ong"])
    assert [h["value"] for h in hints["people"]] == ["Marisol Tate", "Priscilla Ong"]
    shown = prompt_hints(hints, ["Renata Solberg", " marisol  tate"])
    assert [h["value"] for h in shown["people"]] == ["Priscilla Ong"]
    assert shown["money"] == hints["money"] and hints["people"][0]["value"] == "Marisol Tate"
    line = ex.hint_line(shown)
    assert "people named: Priscilla Ong" in line and "Marisol" not in line
    assert "amounts: $42,900" in line  # the other hints stay as they were
    # only our people named: no "people named" at all
    assert "people named" not in ex.hint_line(prompt_hints(hints, ["Marisol Tate",
                                                                   "Priscilla Ong"]))


def test_the_lists_are_bounded_where_later_items_were_never_kept() -> None:
    schema, _ = response_schema(facts_schema(["segment"], ["t1", "t2"]))
    bounds = {k: schema["properties"][k]["maxItems"] for k in ("stakeholders", "facts", "icp")}
    assert bounds == {"stakeholders": MAX_DRAFT_STAKEHOLDERS, "facts": MAX_DRAFT_FACTS,
                      "icp": MAX_DRAFT_ICP} == {"stakeholders": 2, "facts": 3, "icp": 1}
    # an answer with more (a test's fake, a cached answer) parses up to the bounds before
    model = facts_schema(["segment"], ["t1", "t2"])
    fact = {"field": "pains", "value": "pain", "status": "known", "turn": "t2"}
    assert len(model.model_validate({"stakeholders": [], "icp": [],
                                     "facts": [fact] * 4}).facts) == 4  # type: ignore[attr-defined]
    try:
        model.model_validate({"stakeholders": [], "icp": [], "facts": [fact] * 5})
    except ValueError as exc:
        assert "facts" in str(exc)
    else:
        raise AssertionError("a fifth fact passed the bound")


def test_an_icp_item_asks_for_a_signal_only_when_validation_cannot_set_it() -> None:
    asked, _ = response_schema(facts_schema(["segment"], ["t1"]))
    assert "signal" in asked["$defs"]["DraftIcp"]["properties"]
    schema, _ = response_schema(facts_schema(["segment"], ["t1"], signal=False))
    icp = schema["$defs"]["DraftIcp"]
    assert "signal" not in icp["properties"] and "signal" not in icp["required"]
    answer = facts_schema(["segment"], ["t1"], signal=False).model_validate(
        {"stakeholders": [], "facts": [],
         "icp": [{"attribute": "segment", "value": "general contractor", "turn": "t1"}]})
    assert answer.model_dump(mode="json")["icp"][0]["signal"] is None


def test_the_prompt_is_versioned_past_the_reverted_variant() -> None:
    assert load_prompt("reflect_facts").id == "reflect_facts@7"
