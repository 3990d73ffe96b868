"""Scope, timing and change-effort pushback is found where customers say it: deferrals ("call
me when …", "nothing new starts before …"), limits ("anything over $80,000 goes to …"), their
own contract terms in their own e-mail, conditions in a sentence that also counts work, and
inside long sentences, where the line shown starts at the clause that pushes back."""

from __future__ import annotations

import pytest

from assistant.prep.objections import clause_of, find_objections
from assistant.prep.sentences import pool

ROLES = [{"name": "Ivo Marsh", "role": "lead"}, {"name": "Rhea Solt", "role": "commercial"},
         {"name": "Oskar Lind", "role": "technical"}]
BUYERS = ["Tilda Berne", "Marco Vidal"]


def _found(text: str, *, quoted: bool = False) -> list[str]:
    body = "\n".join(f"> {ln}" for ln in text.splitlines()) + "\n>\n> Tilda Berne" \
        if quoted else text
    note = {"id": "zz-n3", "date": "2026-09-09", "author": "Ivo Marsh", "kind": "email",
            "full_text": body, "contacts": ["Tilda Berne"]}
    rows = pool([note], BUYERS, ["Ivo Marsh"])
    return [o.text for o in find_objections(rows, ROLES, [], BUYERS, team=["Ivo Marsh"])]


@pytest.mark.parametrize("line", [
    "Honestly, call me when the tool prints the pallet labels itself.",
    "Our audit is the week of March 3, so nothing new touches the line before it is over.",
    "We can't take on another system while the plant move is running.",
    "That is too much change for the night shift this winter.",
    "Anything over $80,000 goes to the county board, and I won't take it there twice.",
    "Uploading floor plans to a public cloud is a non-starter for us.",
    "Not this quarter: the freight contracts renew in June and nobody has the time.",
    "We will not retype 300 supplier records.",
    "$60,000 is the most I can put in next year's plan.",
    "Before anything touching payroll goes live: your SOC 1 report and SSO through our Okta.",
])
def test_pushback_in_the_customers_own_words_is_an_objection(line: str) -> None:
    assert _found(line, quoted=True) == [line]


def test_their_contract_terms_in_their_own_email_are_objections() -> None:
    got = _found("Our changes:\n- Termination for convenience after month six.\n"
                 "- Liability cap at 3x annual fees.\n- The governing law clause is fine as "
                 "drafted.", quoted=True)
    assert any("Termination for convenience" in t for t in got)
    assert any("Liability cap at 3x" in t for t in got)
    assert not any("governing law" in t for t in got)  # a term they accept


def test_a_bullet_of_our_open_items_list_is_an_open_item_not_their_point() -> None:
    assert _found("Open before the call:\n- the insurance certificate, Tilda asked for it (Rhea)"
                  ) == []


def test_our_note_of_what_they_will_raise_and_their_condition_is_an_objection() -> None:
    got = _found("Tilda warned me: she'll ask what the scanners cost before anything else. "
                 "Marco will not approve a supplier without a complete file: the 140-item "
                 "checklist, insurance and two references.")
    assert any("scanners cost" in t for t in got)
    assert any("will not approve a supplier without" in t for t in got)


def test_a_chat_stamp_is_not_a_meeting_time() -> None:
    got = _found("Chat, pasted:\nTilda Berne, 9:12 PM: does your tool read our shift rota from "
                 "the HR system?")
    assert got and "shift rota" in got[0]


def test_a_friendly_fact_is_not_pushback() -> None:
    assert _found("The pilot ran for six weeks on two lines and the team liked the labels.",
                  quoted=True) == []


def test_a_long_sentence_shows_the_clause_that_pushes_back() -> None:
    text = ("We ran the trial on the Harwell line for six weeks with the day crew and the "
            "scanners held up well, the supervisors liked the dashboards and the export to "
            "the warehouse system worked on the second try after Oskar fixed the mapping, "
            "but we can't take on the second plant before the spring audit is closed.")
    assert len(text) > 220
    got = clause_of(text)
    assert got.startswith("…but we can't take on the second plant")
    assert got.endswith("closed.")
    assert clause_of("Short and fine, but we can't take it on.") == (
        "Short and fine, but we can't take it on.")
