"""The facts call is shown only the hints it needs (``reflect_facts@6``): the people named.

Amounts, dates and competitors are read by code (``assistant.reflect.fields``) and are not
asked of the model since ``reflect_facts@5``; listing them cost evaluated tokens only.
"""

from __future__ import annotations

from assistant.reflect import extract as ex
from assistant.reflect.graph import FACTS_HINTS

TURNS = [
    {"id": "t1", "speaker": "Dana Ruiz", "text": "The board approved $65k on December 9. "
     "We looked at Tallyworks too."},
    {"id": "t2", "speaker": "Avery Cole", "text": "Tom Becker will run the pilot."},
]


def hints() -> dict[str, list[dict[str, str]]]:
    return ex.find_hints(TURNS, competitors=["Tallyworks"], people=["Tom Becker"])


def test_every_hint_kind_by_default() -> None:
    line = ex.hint_line(hints())
    assert line == ("amounts: $65k; dates: December 9; competitors: Tallyworks; "
                    "people named: Tom Becker")


def test_the_facts_call_is_shown_the_people_named_only() -> None:
    assert ex.hint_line(hints(), FACTS_HINTS) == "people named: Tom Becker"
    assert ex.hint_line(hints(), ("money",)) == "amounts: $65k"
    assert ex.hint_line({"people": []}, FACTS_HINTS) == ""  # no block at all in the prompt
