"""What code can tell of the plan's agenda, questions and roles from the transcript alone."""

from __future__ import annotations

from assistant.reflect.extract import code_item_checks

TURNS = [{"id": f"t{i}", "speaker": who, "text": text} for i, (who, text) in enumerate([
    ("Avery Cole", "Thanks both for the time. Goal today: who signs the rollout."),
    ("Dana Ruiz", "Happy to be here."),
    ("Avery Cole", "On the signer: is that Greg Hollis for the rollout?"),
    ("Dana Ruiz", "Whether he signs or I do depends on the final number."),
    ("Jordan Pike", "Would a 30-minute slot with Greg before the demo help?"),
    ("Dana Ruiz", "Maybe."),
], start=1)]
ROLES = [("Avery Cole", "lead"), ("Jordan Pike", "closer")]
AGENDA = [("Open: introductions, purpose, agenda check", "Avery Cole"),
          ("Their situation, priorities and what they need", "Avery Cole"),
          ("Open items and new information", "Avery Cole"),
          ("Agree the next step", "Jordan Pike")]


def test_the_lead_opens_when_first_of_our_sellers_to_speak_and_the_closer_asks() -> None:
    got = code_item_checks(TURNS, [], ROLES, AGENDA)
    assert got["R1"]["quote"] == "Thanks both for the time." and got["R1"]["turn"] == "t1"
    assert got["R2"]["quote"] == "Would a 30-minute slot with Greg before the demo help?"
    assert got["A1"]["turn"] == "t1" and got["A4"]["turn"] == "t5"
    assert "A2" not in got and "A3" not in got  # "Open items" is no opening


def test_a_question_asked_in_other_words_is_found_by_its_stems() -> None:
    got = code_item_checks(TURNS, ["Is Greg Hollis the one who signs off on this, and when "
                                   "can we meet them?"], ROLES)
    assert got["Q1"]["turn"] == "t3"


def test_no_lead_opening_when_another_seller_spoke_first() -> None:
    got = code_item_checks(TURNS, [], [("Jordan Pike", "lead"), ("Avery Cole", "closer")])
    assert "R1" not in got or got["R1"]["turn"] != "t1"


def test_nothing_said_is_not_evidence_of_anything() -> None:
    assert code_item_checks([{"id": "t1", "speaker": "Dana Ruiz", "text": "Hello."}],
                            ["Who signs off on the budget this year?"], ROLES, AGENDA) == {}


def test_a_seller_alone_asks_for_the_next_step_as_lead() -> None:
    turns = [{"id": "t1", "speaker": "Bo Lind", "text": "Thanks for making time today."},
             {"id": "t2", "speaker": "Ola Berg", "text": "Sure."},
             {"id": "t3", "speaker": "Bo Lind", "text": "Could we book the trial for the week "
              "of March 2?"}]
    got = code_item_checks(turns, [], [("Bo Lind", "lead")],
                           [("Open: recap of the last meeting", "Bo Lind"),
                            ("Agree the next step", "Bo Lind")])
    assert got["A1"]["turn"] == "t1" and got["A2"]["turn"] == "t3"
