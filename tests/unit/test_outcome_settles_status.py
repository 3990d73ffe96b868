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
