"""Pushback said as a stance, a surprise or a condition; a past vendor's story joined to the
point it explains; and risks only implied: a spending stop being talked about, a decision
sent on to a later meeting, a person handing their work over (a risk, not an objection).
Written in words unlike any eval file."""

from __future__ import annotations

import pytest

from assistant.prep.objections import find_objections
from assistant.prep.risks import find_risks
from assistant.prep.sentences import pool

ROLES = [{"name": "Ivo Marsh", "role": "lead"}, {"name": "Rhea Solt", "role": "commercial"},
         {"name": "Oskar Lind", "role": "technical"}]
BUYERS = ["Tilda Berne", "Marco Vidal"]
TEAM = ["Ivo Marsh", "Rhea Solt", "Oskar Lind"]


def _note(text: str, *, quoted: bool) -> dict[str, object]:
    body = "\n".join(f"> {ln}" for ln in text.splitlines()) + "\n>\n> Tilda Berne" \
        if quoted else text
    return {"id": "st-n2", "date": "2026-10-14", "author": "Ivo Marsh", "kind": "email",
            "full_text": body, "contacts": ["Tilda Berne"]}


def _objections(text: str, *, quoted: bool = True) -> list[str]:
    rows = pool([_note(text, quoted=quoted)], BUYERS, TEAM)
    return [o.text for o in find_objections(rows, ROLES, [], BUYERS, team=TEAM)]


def _risks(text: str) -> dict[str, str]:
    rows = pool([_note(text, quoted=False)], BUYERS, TEAM)
    return {r.kind: r.risk for r in find_risks(rows, [], ROLES, BUYERS, team=TEAM)}


@pytest.mark.parametrize("line", [
    "I am not putting the night nurses through another rollout for prettier charts.",
    "Marco won't let a new tool near the ledger during the audit.",
    "Eleven thousand a year is more than we figured for the dispatch side.",
    "If the quote comes back unchanged, don't bother booking the second visit.",
])
def test_a_stance_surprise_or_condition_in_their_words_is_an_objection(line: str) -> None:
    assert _objections(line) == [line]


def test_a_plain_statement_of_their_own_plans_is_not_an_objection() -> None:
    assert _objections("The warehouse lease runs out in June and we're not extending.") == []


def test_a_past_vendors_story_travels_with_the_point_it_explains() -> None:
    got = _objections("Our old scheduling vendor took nine weeks and $3,400 to hand back our "
                      "own rosters. I want to know how we would leave you before we start.")
    assert len(got) == 1
    assert "$3,400" in got[0] and "how we would leave you" in got[0]


def test_a_story_with_no_point_beside_it_is_no_objection() -> None:
    assert _objections("Our old scheduling vendor took nine weeks to hand back the rosters.\n"
                       "\nThe kitchen moves to the new wing in May.") == []


def test_a_person_handing_their_work_over_is_a_risk_not_an_objection() -> None:
    text = ('Tilda mentioned she is handing the intake rota to Ferris from April, "I will be '
            'away a lot".')
    assert _objections(text, quoted=False) == []
    assert "Ferris" in _risks(text).get("champion_change", "")


@pytest.mark.parametrize(("text", "kind", "phrase"), [
    ("Marco says the board is talking about pausing new purchases until autumn. Not final.",
     "budget_change", "autumn"),
    ("Their facilities review decides the capex freeze on the 9th.", "budget_change", "9th"),
    ("The software question got pushed to their quarterly review on the 19th.", "stalled",
     "19th"),
])
def test_an_implied_risk_is_found(text: str, kind: str, phrase: str) -> None:
    risks = _risks(text)
    assert kind in risks and phrase in risks[kind]


def test_our_own_hand_over_of_a_document_is_no_champion_change() -> None:
    assert "champion_change" not in _risks("Oskar hands the draft to Tilda on Friday.")


def test_a_buyers_line_keeps_the_story_with_its_figure() -> None:
    from assistant.prep.buyers import buyer_lines

    text = ("Our old scheduling vendor took nine weeks and $3,400 to hand back our own rosters. "
            "I want to know how we would leave you before we start.")
    rows = pool([_note(text, quoted=True)], BUYERS, TEAM)
    lines = buyer_lines(BUYERS, rows, team=TEAM)["Tilda Berne"]
    assert any("$3,400" in ln.text and "leave you" in ln.text for ln in lines)


def test_what_a_buyer_will_not_do_is_among_their_lines() -> None:
    from assistant.prep.buyers import buyer_lines

    text = ("Marco walked the floor with us on Tuesday.\n\nMarco liked the handheld scanners.\n\n"
            "Marco is not having anyone new near the ledger this autumn.")
    rows = pool([_note(text, quoted=False)], BUYERS, TEAM)
    lines = buyer_lines(BUYERS, rows, team=TEAM)["Marco Vidal"]
    assert "ledger" in lines[0].text


def test_data_pushed_to_another_system_is_no_stall() -> None:
    assert "stalled" not in _risks("Orders are pushed to their warehouse system as pick lists.")


def test_a_hedge_is_not_a_stance() -> None:
    assert _objections("I'm not saying the old rota is right, but it gives the board a "
                       "starting point.") == []
