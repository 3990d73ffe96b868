"""A customer's "Send the pricing" is a step for us, and not twice when we already said it."""

from __future__ import annotations

import datetime as dt

from assistant.reflect.extract import code_next_steps

DAY = dt.date(2026, 12, 8)


def _steps(turns: list[tuple[str, str]]) -> list[dict[str, object]]:
    return code_next_steps([{"id": f"t{i}", "speaker": who, "text": text}
                            for i, (who, text) in enumerate(turns, start=1)],
                           people=["Dana Ruiz", "Jordan Pike"], meeting=DAY,
                           sellers=["Jordan Pike", "Avery Cole"])


def test_an_imperative_from_the_customer_is_ours_even_with_their_we_will_after_it() -> None:
    steps = _steps([("Jordan Pike", "Thanks, that helps."),
                    ("Dana Ruiz", "Send the pricing and we'll take it from there.")])
    assert [(s["owner"], s["quote"]) for s in steps] == [
        ("Jordan Pike", "Send the pricing and we'll take it from there.")]


def test_the_customer_asking_for_what_we_promised_is_not_a_second_step() -> None:
    steps = _steps([
        ("Jordan Pike", "We'll send the year-two pricing with the three-year option by Friday."),
        ("Avery Cole", "And the questionnaire: we sent 96 of the 120 answers on Tuesday."),
        ("Dana Ruiz", "Look, we're positive. Send the pricing and we'll take it from there."),
        ("Dana Ruiz", "Also send us the SOC 2 report before Tuesday.")])
    assert [(s["owner"], s["due"]) for s in steps] == [
        ("Jordan Pike", dt.date(2026, 12, 11)), ("Avery Cole", dt.date(2026, 12, 15))]


def test_their_own_we_will_stays_theirs() -> None:
    steps = _steps([("Dana Ruiz", "We'll take it to the board on January 12.")])
    assert [s["owner"] for s in steps] == ["Dana Ruiz"]
