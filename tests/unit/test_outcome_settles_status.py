"""A deal our rep recorded as won or lost is settled: the customer telling the call how it
ended ("we signed the renewal with them on the second") is the outcome, not a claim on our
deal (``assistant.reflect.extract.clean_turns`` with ``outcome``)."""

from __future__ import annotations

import pytest

from assistant.reflect.extract import clean_turns

TURNS = [{"speaker": "Avery Cole", "text": "Are you staying with PharmaLedger?"},
         {"speaker": "Priya Shah", "text": "We signed the renewal with PharmaLedger on the second, "
          "two years. It was easier."}]


def _said(outcome: str | None) -> str:
    kept, _ = clean_turns(TURNS, [], team=["Avery Cole"], ours=[], outcome=outcome)
    return " ".join(t["text"] for t in kept)


@pytest.mark.parametrize("outcome", ["lost", "won"])
def test_a_recorded_outcome_keeps_how_it_ended(outcome: str) -> None:
    assert "signed the renewal" in _said(outcome)


def test_without_an_outcome_the_customers_status_is_held() -> None:
    assert "signed the renewal" not in _said(None)
    assert "It was easier." in _said(None)


def test_in_a_lost_deal_the_incumbents_renewal_is_the_loss_told() -> None:
    from assistant.reflect.models import Fact, Quote
    from assistant.reflect.validate import _Containment

    renewal = Quote(text="We signed the renewal on the second, two years at the old rate.",
                    speaker="Priya Shah", turn="t5")
    ours = Quote(text="Priya signed the order form in DocuSign at noon.", speaker="Priya Shah",
                 turn="t6")
    facts = [Fact(id="f1", field="competitors", value="renewal", status="known", quote=renewal),
             Fact(id="f2", field="decision_process", value="signed", status="known", quote=ours)]
    kept = [f.id for f in _Containment(["Avery Cole"], outcome="lost").keep(
        facts, lambda f: f.field)]
    assert kept == ["f1"]  # our order form "signed" in a lost deal stays a claim
    assert [f.id for f in _Containment(["Avery Cole"]).keep(facts, lambda f: f.field)] == []
