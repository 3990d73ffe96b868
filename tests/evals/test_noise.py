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
