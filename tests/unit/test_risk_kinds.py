"""Risks a sales manager looks for, found in note sentences by general cues: a price ceiling
below ours, the signer we have not met, a champion leaving, a project nobody owns, a scope
change, a notice date; and sentences that only resemble them are not risks."""

from __future__ import annotations

import pytest

from assistant.prep.risks import find_risks
from assistant.prep.sentences import pool

ROLES = [{"name": "Sam Reyes", "role": "lead"}, {"name": "Ola Berg", "role": "commercial"},
         {"name": "Ken Ito", "role": "technical"}]


def _risks(text: str, competitors: tuple[str, ...] = ()) -> dict[str, str]:
    note = {"id": "rk-n1", "date": "2026-11-10", "author": "Sam Reyes", "kind": "call",
            "full_text": text}
    found = find_risks(pool([note], ["Maria Lenz"]), [], ROLES, ["Maria Lenz"],
                       competitors=list(competitors))
    return {r.kind: f"{r.risk} {r.mitigation}" for r in found}


@pytest.mark.parametrize(("text", "kind", "phrase"), [
    ("Maria wants year one under $45,000, all in.", "budget_limit", "$45,000"),
    ("The CFO, Piet Claes, approves anything over $25k.", "economic_buyer", "Piet Claes"),
    ("We have never met Piet.", "economic_buyer", "Piet"),
    ("Jonas leaves Vertex on Oct 3.", "champion_change", "Oct 3"),
    ("Below our floor, and nobody on their side owns the project.", "no_owner", "owns"),
    ("We may move the Hamburg clinic in the spring.", "scope_change", "Hamburg"),
    ("Their contract auto-renews March 31, with 60 days' notice.", "deadline", "March 31"),
    ("If the packet is not complete by December 3 it waits until February.", "stalled",
     "February"),
    ("We're paying Carebook about $4,200 a year.", "competitor", "Carebook"),
    ("Recurring templates are not native; we built them as custom work.", "product_gap",
     "not native"),
])
def test_a_risk_sentence_is_found_with_its_words(text: str, kind: str, phrase: str) -> None:
    risks = _risks(text, ("Carebook",))
    assert kind in risks and phrase in risks[kind]
    assert risks[kind].split(" ", 1)[1]  # a mitigation follows


@pytest.mark.parametrize("text", [
    "Confirm in writing that no PHI leaves our tenant.",
    "Vertex Federal Credit Union, 14 branches, about 96,000 members.",
    "Options approved by Ola: subscription floor $420k, or gainshare capped at $450k.",
])
def test_a_sentence_that_only_resembles_a_risk_is_not_one(text: str) -> None:
    assert not {"champion_change", "evaluator", "budget_limit"} & set(_risks(text))


def test_a_signer_who_attends_is_met_in_the_call_not_a_risk() -> None:
    note = {"id": "rk-n2", "date": "2026-11-10", "author": "Sam Reyes", "kind": "call",
            "full_text": "Maria signs anything over $20k."}
    rows = pool([note], ["Maria Lenz"])
    assert find_risks(rows, [], ROLES, ["Maria Lenz"], attending=["Maria Lenz"]) == []
    kinds = {r.kind for r in find_risks(rows, [], ROLES, ["Maria Lenz"], attending=[])}
    assert kinds == {"economic_buyer"}
    small = _risks("We are a small lab, I don't think we can do anything over $1,500 a month.")
    assert set(small) == {"budget_limit"}


def test_a_mitigation_goes_to_whose_concern_it_is_in_a_short_phrase() -> None:
    from assistant.prep.risks import find_risks
    from assistant.prep.sentences import pool

    said = ("My target this fiscal year is overtime down from 9% to 6%; the new screens are "
            "Rosa's project, not a reason to pay double.")
    mail = {"id": "ov-n2", "date": "2026-09-14", "author": "Sam Reyes", "kind": "email",
            "full_text": f"> {said}\n>\n> Nils Ek"}
    people = ["Rosa Lind", "Nils Ek"]
    roles = [{"name": "Sam Reyes", "role": "lead"}]
    risks = find_risks(pool([mail], people), [], roles, people)
    assert [r.kind for r in risks] == ["deadline"]
    mitigation = risks[0].mitigation
    assert "Nils Ek" in mitigation and "Rosa" not in mitigation  # Nils's goal, put to Nils
    assert said[:60] not in mitigation and len(mitigation) < 140  # a phrase, not the sentence


def test_a_point_is_a_short_phrase_that_keeps_the_figures() -> None:
    from assistant.prep.risks import _KIND_RE, point_of

    legal = point_of("Liability: their counsel wants it uncapped for any data breach at all.",
                     _KIND_RE["legal_terms"])
    assert legal.startswith("“Liability: their counsel wants")  # not “Liability” alone
    limit = point_of("After the board met, Ada says the whole thing must come in well under "
                     "$40,000 a year.", _KIND_RE["budget_limit"])
    assert "$40,000" in limit and len(limit.split()) <= 8
