"""The assessment asks the model only what code cannot decide (``reflect_assess@7``): the
objective when code found no clear answer, the planned items, each as a turn id that code
turns into the turn's sentence. What worked, what did not and the lesson are not asked."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from assistant.llm.schema import response_schema
from assistant.reflect.facts_answer import expand_assessment
from assistant.reflect.graph import assess_node
from assistant.reflect.models import assess_schema
from assistant.reflect.verdict import model_can_decide

AGREED = [
    {"id": "t1", "speaker": "Avery Cole", "text": "Can we book a scoping workshop next Tuesday?"},
    {"id": "t2", "speaker": "Dana Ruiz", "text": "Yes, Tuesday works. I'll bring Tom."},
]
SILENT = [
    {"id": "t1", "speaker": "Avery Cole",
     "text": "Thanks for the time today, tell us how dispatch runs at your two terminals."},
    {"id": "t2", "speaker": "Dana Ruiz",
     "text": "Overtime is the pain. We paid $610k in overtime last year."},
    {"id": "t3", "speaker": "Tom Becker",
     "text": "Two dispatchers re-plan every route by hand each morning, about three hours."},
]


def _state(turns: list[dict[str, Any]], questions: list[str]) -> dict[str, Any]:
    g = {"agenda": [], "questions": questions, "roles": [], "team": ["Avery Cole"],
         "buyers_known": {}, "account_name": "Summit Freight", "meeting_kind": "discovery",
         "meeting_date": "2026-11-24", "objective": "Book a scoping workshop"}
    excerpt = "\n".join(f"[{t['id']}] {t['speaker']}: {t['text']}" for t in turns)
    return {"substantive": True, "gathered": g, "turns": turns, "excerpt": excerpt}


class _Gateway:
    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer, self.schemas = answer, []

    def structured(self, *, messages: Any, schema: Any, prompt_id: str, max_tokens: int) -> Any:
        self.schemas.append(response_schema(schema)[0])
        usage = SimpleNamespace(prompt_tokens=1, completion_tokens=1, cost_usd=0.0,
                                latency_s=0.0, cached=False)
        return SimpleNamespace(value=schema.model_validate(self.answer), usage=usage,
                               valid_first_try=True, salvaged=False)


def _run(state: dict[str, Any], gateway: _Gateway) -> dict[str, Any]:
    ctx = SimpleNamespace(gateway=gateway, on_event=None)
    return assess_node(state, SimpleNamespace(context=ctx))  # type: ignore[arg-type]


def test_nothing_is_asked_when_code_decides_the_objective_and_the_plan_has_no_items() -> None:
    assert not model_can_decide(AGREED, sellers=["Avery Cole"])
    gateway = _Gateway({})
    update = _run(_state(AGREED, []), gateway)
    assert gateway.schemas == []  # nothing to ask: no call
    assert "usage" not in update and "valid_first_try" not in update
    # the grammar it would have been asked allows only {}: the draft is that answer's
    (schema, _) = response_schema(assess_schema([], ["t1", "t2"], objective=False))
    assert schema["properties"] == {} and schema["required"] == []
    assert update["assess_draft"] == {"objective": "unknown", "objective_quote": "",
                                      "checks": [], "worked": [], "didnt": [], "lesson": ""}


def test_the_model_names_turns_and_code_writes_their_sentences() -> None:
    assert model_can_decide(SILENT, sellers=["Avery Cole"])
    gateway = _Gateway({"objective": "partial", "turn": "t2",
                        "checks": [{"item": "Q1", "status": "done", "turn": "t2"}]})
    draft = _run(_state(SILENT, ["How much overtime did you pay?"]), gateway)["assess_draft"]
    (schema,) = gateway.schemas
    assert list(schema["properties"]) == ["objective", "turn", "checks"]  # nothing else asked
    assert schema["properties"]["turn"]["enum"] == ["t1", "t2", "t3"]
    assert schema["$defs"]["DraftCheck"]["properties"]["turn"]["enum"] == ["t1", "t2", "t3"]
    assert draft["objective"] == "partial"
    # the sentence of t2 most like the item, not the whole turn
    assert draft["objective_quote"] in ("Overtime is the pain.",
                                        "We paid $610k in overtime last year.")
    assert draft["checks"] == [{"item": "Q1", "status": "done",
                                "quote": "We paid $610k in overtime last year."}]
    assert (draft["worked"], draft["didnt"], draft["lesson"]) == ([], [], "")


def test_the_objective_is_not_asked_when_code_decides_it() -> None:
    gateway = _Gateway({"checks": [{"item": "Q1", "status": "not_done", "turn": "t1"}]})
    draft = _run(_state(AGREED, ["Book the scoping workshop"]), gateway)["assess_draft"]
    assert list(gateway.schemas[0]["properties"]) == ["checks"]
    assert draft["objective"] == "unknown" and draft["objective_quote"] == ""
    assert draft["checks"][0]["quote"] == "Can we book a scoping workshop next Tuesday?"


def test_older_answers_pass_through_and_unknown_turns_become_no_quote() -> None:
    old = assess_schema(["Q1"]).model_validate({
        "objective": "met", "objective_quote": "Yes, Tuesday works.",
        "checks": [{"item": "Q1", "status": "done", "quote": "t9"}],
        "worked": ["Asking who signs surfaced the COO"], "lesson": "Ask earlier"})
    out = expand_assessment(old.model_dump(mode="json"), AGREED, objective="x",
                            items={"Q1": "Who signs?"})
    assert out is not None
    assert out["objective_quote"] == "Yes, Tuesday works."  # words: unchanged
    assert out["checks"][0]["quote"] == ""  # t9 is not a turn: no quote, validation drops it
    assert out["worked"] == ["Asking who signs surfaced the COO"] and out["didnt"] == []
    assert expand_assessment(None, AGREED, objective="x", items={}) is None


def test_an_item_check_on_a_line_that_shares_no_word_with_the_item_has_no_quote() -> None:
    turns = [*SILENT, {"id": "t4", "speaker": "Avery Cole", "text": "Who signs above you?"}]
    draft = {"checks": [
        {"item": "A1", "status": "done", "quote": "t2"},  # a story, on the overtime line
        {"item": "Q1", "status": "done", "quote": "t4"},  # the question, asked
        {"item": "R1", "status": "done", "quote": "t1"}]}  # a role: its speaker decides
    out = expand_assessment(draft, turns, objective="x", items={
        "A1": "How others like them solved it (story) (Avery Cole)",
        "Q1": "Who signs above you for a rollout?", "R1": "Avery Cole as lead"})
    assert out is not None
    assert [c["quote"] for c in out["checks"]] == [
        "", "Who signs above you?", SILENT[0]["text"]]
