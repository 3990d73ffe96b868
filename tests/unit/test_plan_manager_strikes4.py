"""What a sales manager struck in a real-model plan run, as rules with invented examples: a
price objection said as statements (a cost held against what they make) is an objection; a
shown line is whole, with its quote marks balanced and without the note's "Name:" before
their words."""

from __future__ import annotations

from typing import Any

from assistant.prep.buyers import buyer_lines
from assistant.prep.objections import cost_against_gain, find_objections
from assistant.prep.sentences import balanced, pool

ROLES = [{"name": "Kai Moss", "role": "lead"}, {"name": "Tomo Sato", "role": "commercial"}]
TEAM = ["Kai Moss", "Tomo Sato"]
BUYERS = ["Nina Holt", "Olek Brandt"]
DEMO = ('Nina liked the weekly report: "I would never have seen that." Olek: "It\'s $9,200 in '
        'the first year. We cleared $88,000 on the whole shop last year. That\'s more than a '
        'tenth of it." Tomo owes them a smaller quote.')


def _note(nid: str, date: str, text: str, kind: str = "meeting") -> dict[str, Any]:
    return {"id": nid, "date": date, "author": "Kai Moss", "kind": kind, "full_text": text,
            "contacts": list(BUYERS)}


def test_a_cost_held_against_what_they_clear_is_a_price_objection() -> None:
    rows = pool([_note("sh-n5", "2027-02-01", DEMO)], BUYERS, TEAM)
    [o] = [o for o in find_objections(rows, ROLES, [], BUYERS, team=TEAM) if "$9,200" in o.text]
    assert o.topic == "price" and o.owner == "Tomo Sato" and o.speaker == "Olek Brandt"
    assert o.text == ("It's $9,200 in the first year. We cleared $88,000 on the whole shop "
                      "last year. That's more than a tenth of it.")
    assert "$88,000" in o.answer  # the answer must address both figures


def test_a_cost_alone_or_a_gain_alone_is_no_objection() -> None:
    alone = pool([_note("sh-n6", "2027-02-01", 'Olek: "It\'s $9,200 in the first year. '
                        'The report looks good."')], BUYERS, TEAM)
    assert [s.text for s in cost_against_gain(alone)] == [s.text for s in alone]
    assert not any("$9,200" in o.text for o in find_objections(alone, ROLES, [], BUYERS,
                                                               team=TEAM))


def test_a_line_opened_mid_quote_is_shown_whole_and_balanced() -> None:
    assert balanced('Olek: "It\'s $9,200 in the first year.') == \
        "Olek: It's $9,200 in the first year."
    assert balanced("She said “fine and left.") == "She said fine and left."
    assert balanced('"Fine by me."') == '"Fine by me."'
    rows = pool([_note("sh-n5", "2027-02-01", DEMO)], BUYERS, TEAM)
    lines = buyer_lines(BUYERS, rows, team=TEAM)
    shown = [ln.text for ln in lines["Olek Brandt"]]
    assert shown and all(t.count('"') % 2 == 0 and t.count("“") == t.count("”") for t in shown)
    assert not any(t.startswith("Olek:") or "“Olek:" in t for t in shown)
