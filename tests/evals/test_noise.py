"""``evals.noise``: the rules behind ``fact_noise``, read from a reflection or plain rows."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.reflect.models import Fact, Quote
from evals.noise import Row, rivals, strikes


def test_a_reflection_fact_and_a_row_are_read_alike() -> None:
    fact = Fact(id="f1", field="timeline", value="May 2", status="known",
                quote=Quote(text="I'll send the answers by May 2.", speaker="Ines Varga"))
    row = {"field": "timeline", "value": "May 2", "quote": "I'll send the answers by May 2.",
           "speaker": "Ines Varga"}
    assert Row.of(fact) == Row.of(row)
    assert [s.index for s in strikes([fact, row], [], ["Ines Varga"])] == [0, 1]
    assert strikes([fact], [], ["Someone Else"]) == []  # the customer's own date: kept


def test_rivals_come_from_stories_and_from_competitor_cues_in_notes() -> None:
    kb = SimpleNamespace(
        stories=[SimpleNamespace(competitor="Medius"), SimpleNamespace(competitor=None)],
        notes=[SimpleNamespace(body="They lost to Tallyworks last year; the incumbent "
                                    "Paylane renews in June. We met Dana on Monday.")])
    assert rivals(kb) == ["Medius", "Tallyworks", "Paylane"]


def test_a_rivals_amount_is_not_their_budget() -> None:
    rows = [{"field": "budget", "value": "$49 a seat", "quote": "Paylane quoted $49 a seat."},
            {"field": "budget", "value": "$30k", "quote": "We budgeted $30k this year."}]
    assert [s.index for s in strikes(rows, ["Paylane"])] == [0]
    assert strikes(rows, []) == []


def _why(field: str, value: str, quote: str | None = None) -> list[str]:
    return [s.why.split(":")[0] for s in strikes(
        [{"field": field, "value": value, "quote": quote if quote is not None else value}], [])]


def test_an_instruction_or_a_request_is_not_a_fact() -> None:
    assert _why("pains", "Put the Stillwater audit date in it.") == [
        "an instruction or a request as a fact"]
    assert _why("decision_criteria", "Ravi, send me the interface spec.") == [
        "an instruction or a request as a fact"]
    assert "an instruction or a request as a fact" in _why("pains", "Could you add Racine?")
    # the customer's fact inside an instruction, taken as its own clause: kept
    assert _why("timeline", "the Stillwater audit is in April either way",
                "Tell her the Stillwater audit is in April either way.") == []
    # a bare date that says when ("Start March 22") and a commitment on a condition: kept
    assert _why("timeline", "Start March 22, the Monday after Wen's set-up.") == []
    assert _why("decision_process", "Send it and I'll sign today.") == []


def test_a_fragment_needs_the_question_it_answers() -> None:
    assert _why("decision_process", "Arne does.") == [
        "a fragment that needs the question it answers"]
    assert _why("economic_buyer", "Yes, she will.") == [
        "a fragment that needs the question it answers"]
    # read with its question, the same answer is a fact
    assert _why("decision_process", "Arne signs", "Who signs? Arne does.") == []
    assert _why("economic_buyer", "Anything over $25,000 goes to my father, he signs it.") == []


def test_a_question_is_not_a_fact() -> None:
    assert _why("budget", "does $43,956 work for year one?",
                "On the price sheet, does $43,956 work for year one?") == ["a question as a fact"]
    assert _why("budget", "We set aside $40,000.") == []
