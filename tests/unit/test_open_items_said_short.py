"""Open items said short: a piece of work whose state is "not sent", and a to-do that does
not say what it is, joined to the sentence before it that does. Words unlike any eval file."""

from __future__ import annotations

from assistant.prep.objections import find_open_items
from assistant.prep.sentences import pool

ROLES = [{"name": "Noa Pell", "role": "lead"}, {"name": "Reza Amin", "role": "technical"}]
TEAM = ["Noa Pell", "Reza Amin"]


def _items(text: str) -> list[str]:
    note = {"id": "oi-n4", "date": "2026-08-20", "author": "Noa Pell", "kind": "call",
            "full_text": text, "contacts": ["Lise Brand"]}
    rows = pool([note], ["Lise Brand"], TEAM)
    return [i.text for i in find_open_items(rows, ROLES, team=TEAM)]


def test_work_drafted_and_not_sent_is_open() -> None:
    got = _items("The insurance summary for Lise is drafted, not sent.")
    assert any("insurance summary" in t for t in got)


def test_a_to_do_that_does_not_say_what_joins_the_sentence_before() -> None:
    got = _items("Lise asked whether the old route plans can come across. Reza to check, I "
                 "promised an answer.")
    assert any("old route plans" in t and "Reza to check" in t for t in got)


def test_work_that_was_sent_is_not_open() -> None:
    assert _items("The insurance summary went to Lise on Monday; she has it.") == []


def test_a_wrapped_line_ending_on_a_colon_inside_a_sentence_is_no_heading() -> None:
    from assistant.prep.sentences import note_sentences

    note = {"id": "oi-n5", "date": "2026-08-21", "author": "Noa Pell", "kind": "call",
            "full_text": "Walked the depot. First route day: the\nMonday run on Sep 3, Reza on "
                         "site. Who pays:\nLise, she said."}
    texts = [s.text for s in note_sentences(note, ["Lise Brand"], TEAM)]
    assert "First route day: the Monday run on Sep 3, Reza on site." in texts
