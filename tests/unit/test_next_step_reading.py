"""Which sentences of a call are next steps: a step word used as a verb, not refused, not
the recording's header, not the ask we came to the call with."""

from __future__ import annotations

import datetime as dt

from assistant.reflect.extract import code_next_steps

MEETING = dt.date(2027, 3, 2)


def _actions(*lines: tuple[str, str]) -> list[str]:
    turns = [{"id": f"t{k}", "speaker": who, "text": text}
             for k, (who, text) in enumerate(lines, start=1)]
    return [s["action"] for s in code_next_steps(turns, people=[], meeting=MEETING)]


def test_a_schedule_or_a_share_named_as_a_thing_is_no_step() -> None:
    steps = _actions(
        ("Lio Park", "Our ops lead has the shift schedule open on her laptop right now."),
        ("Lio Park", "Legal stopped every outbound data share in January."),
        ("Ama Cole", "I'll send the shift template by March 5."),
    )
    assert steps == ["Send the shift template by March 5."], steps


def test_a_refusal_is_no_step_but_a_promise_with_a_condition_after_it_is() -> None:
    steps = _actions(
        ("Lio Park", "I won't book a second workshop before the audit."),
        ("Lio Park", "I'm not sending payroll data until the contract is signed."),
        ("Ama Cole", "We'll raise the limit or tell you by March 9 that we can't."),
    )
    assert steps == ["Raise the limit or tell you by March 9 that we can't."], steps


def test_the_header_and_the_ask_of_this_call_are_no_steps() -> None:
    steps = _actions(
        ("Ama Cole", "[Teams recording - Lumo follow-up - Mar 2, 2027 - 31 min]"),
        ("Ama Cole", "Our goal today is to agree the pilot and book the kickoff."),
        ("Lio Park", "Send me the pilot plan by Friday."),
    )
    assert steps == ["Send me the pilot plan by Friday."], steps


def test_a_call_asked_for_is_a_step_and_we_will_see_is_not() -> None:
    steps = _actions(
        ("Lio Park", "If the board says no, we'll see."),
        ("Lio Park", "Call me on April 12, after the board."),
        ("Lio Park", "The stores call us all day about the rota."),
    )
    assert steps == ["Call me on April 12, after the board."], steps


def test_a_customer_s_send_me_is_ours_to_do() -> None:
    turns = [{"id": "t1", "speaker": "Ama Cole", "text": "Can we start the trial on March 16?"},
             {"id": "t2", "speaker": "Lio Park", "text": "Yes. Send me the trial agreement by "
              "Friday."},
             {"id": "t3", "speaker": "Lio Park", "text": "I'll book the room for the kickoff."}]
    steps = code_next_steps(turns, people=["Lio Park", "Ama Cole"], meeting=MEETING,
                            sellers=["Ama Cole", "Ben Ode"])
    owners = {s["action"]: s["owner"] for s in steps}
    assert owners == {"Send me the trial agreement by Friday.": "Ama Cole",
                      "Book the room for the kickoff.": "Lio Park"}, owners


def test_a_we_will_step_is_owned_by_who_said_it() -> None:
    import datetime as dt

    from assistant.reflect.extract import code_next_steps

    turns = [{"id": "t1", "speaker": "Jordan Pike",
              "text": "We'll send the questionnaire answers by December 18."}]
    (step,) = code_next_steps(turns, people=["Jordan Pike"], meeting=dt.date(2026, 12, 8),
                              sellers=["Avery Cole", "Jordan Pike"])
    assert step["owner"] == "Jordan Pike" and step["due"] == dt.date(2026, 12, 18)
