"""Issue 11: each buyer's stance from what that person said across the call, quoted."""

from __future__ import annotations

from assistant.reflect.extract import code_stakeholders
from assistant.reflect.stances import stance_of


def _t(i: int, who: str, text: str) -> dict[str, str]:
    return {"id": f"t{i}", "speaker": who, "text": text}


CALL = [
    _t(1, "Wendy Sol", "Right, so the depot dashboards. How does the cold-chain alert work?"),
    _t(2, "Olu Berg", "Honestly, that is exactly what we need. Let's do it."),
    _t(3, "Kasia Nowak", "I'm not convinced we need another tool, it looks expensive."),
    _t(4, "Femi Adé", "Which of our drivers gets the app first?"),
    _t(5, "Femi Adé", "And who trains them?"),
    _t(6, "Ruth Lane", "Yes."),
    _t(7, "Ruth Lane", "The depot in Hull opens at six."),
]
SELLERS = ["Wendy Sol"]


def test_a_buyer_who_endorses_is_a_supporter_with_the_line() -> None:
    s = stance_of("Olu Berg", CALL)
    assert (s.stance, s.turn) == ("supporter", "t2") and "Let's do it" in s.quote


def test_a_buyer_who_doubts_is_a_skeptic() -> None:
    s = stance_of("Kasia Nowak", CALL)
    assert s.stance == "skeptic" and "not convinced" in s.quote


def test_a_buyer_who_only_asks_is_neutral() -> None:
    assert stance_of("Femi Adé", CALL).stance == "neutral"


def test_a_bare_yes_and_plain_statements_show_no_stance() -> None:
    assert stance_of("Ruth Lane", CALL).stance == "unknown"
    assert stance_of("Nobody Here", CALL).stance == "unknown"


def test_a_doubt_answered_then_a_yes_is_a_supporter_and_a_refusal_wins_back() -> None:
    turns = [_t(1, "Kasia Nowak", "It looks expensive."),
             _t(2, "Kasia Nowak", "Fine, I can live with that price.")]
    assert stance_of("Kasia Nowak", turns).stance == "supporter"
    turns.append(_t(3, "Kasia Nowak", "No, we won't sign this year, not interested."))
    assert stance_of("Kasia Nowak", turns).stance == "skeptic"


def test_a_stage_direction_is_not_what_they_said() -> None:
    turns = [_t(1, "Olu Berg", "Gone now. [Olu leaves; his note later: \"we should do this\"]")]
    assert stance_of("Olu Berg", turns).stance == "unknown"


def test_code_stakeholders_carry_the_stance_and_its_quote() -> None:
    rows = code_stakeholders(CALL, sellers=SELLERS, known={}, titles={})
    by = {r["name"]: r for r in rows}
    assert by["Olu Berg"]["stance"] == "supporter" and by["Olu Berg"]["turn"] == "t2"
    assert by["Kasia Nowak"]["stance"] == "skeptic"
