"""reflect_facts@5: the model names a turn, code picks the turn's sentence as the quote."""

from __future__ import annotations

from assistant.llm.schema import response_schema
from assistant.reflect.facts_answer import best_sentence, expand, shown_turns
from assistant.reflect.models import MODEL_FIELDS, facts_schema

TURNS = [
    {"id": "t1", "speaker": "Avery Cole", "text": "Thanks for the time. Who signs?"},
    {"id": "t2", "speaker": "Dana Ruiz",
     "text": "Fine. Greg Hollis, our COO, signs anything above $100k. We paid $610k in overtime."},
    {"id": "t3", "speaker": "Tom Becker", "text": "We run 120 employees in logistics."},
]


def test_the_schema_asks_for_a_shown_turn_and_the_fields_code_does_not_read() -> None:
    schema, _ = response_schema(facts_schema(["industry"], ["t1", "t3"]))
    for item in ("DraftStakeholder", "DraftFact", "DraftIcp"):
        props = schema["$defs"][item]["properties"]
        assert "quote" not in props and props["turn"]["enum"] == ["t1", "t3"]
    assert schema["$defs"]["DraftFact"]["properties"]["field"]["enum"] == list(MODEL_FIELDS)
    assert "budget" not in MODEL_FIELDS and "pains" in MODEL_FIELDS


def test_the_answer_comes_back_in_the_shape_validation_reads() -> None:
    model = facts_schema(["employees"], ["t1", "t2", "t3"])
    answer = model.model_validate({
        "stakeholders": [{"name": "Greg Hollis", "title": "COO", "stance": "unknown",
                          "turn": "t2"}],
        "facts": [{"field": "economic_buyer", "value": "Greg Hollis signs above $100k",
                   "status": "known", "turn": "t2"}],
        "icp": [{"attribute": "employees", "value": "120", "signal": "supports",
                 "turn": "t3"}],
    }).model_dump(mode="json")
    out = expand(answer, TURNS)
    assert out is not None
    assert out["stakeholders"][0]["quote"] == ("Greg Hollis, our COO, signs anything above "
                                               "$100k.")
    assert out["facts"][0]["quote"] == "Greg Hollis, our COO, signs anything above $100k."
    assert set(out["facts"][0]) == {"field", "value", "status", "quote"}
    assert out["icp"][0]["quote"] == "We run 120 employees in logistics."


def test_words_pass_through_and_an_unknown_turn_gives_no_quote() -> None:
    draft = {"stakeholders": [], "icp": [],
             "facts": [{"field": "budget", "value": "$65k", "status": "known",
                        "quote": "The board approved $65k"},
                       {"field": "pains", "value": "overtime", "status": "known",
                        "quote": "t9"}]}
    model = facts_schema([], ["t1"])
    out = expand(model.model_validate(draft).model_dump(mode="json"), TURNS)
    assert out is not None
    assert [f["quote"] for f in out["facts"]] == ["The board approved $65k", ""]
    assert expand(None, TURNS) is None


def test_numbers_weigh_more_than_words_and_an_empty_clue_takes_the_fullest_sentence() -> None:
    text = TURNS[1]["text"]
    assert best_sentence(text, ["$610k overtime"]) == "We paid $610k in overtime."
    assert best_sentence(text, [""]).startswith("Greg Hollis")
    assert shown_turns("[t2] Dana: a\n[t5] Tom: b\n[t2] again") == ["t2", "t5"]
