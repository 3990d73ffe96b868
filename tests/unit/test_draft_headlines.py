"""The model's ask and fallback must each say something: an ask that only repeats the
objective and a fallback that does nothing instead are dropped, and code writes them."""

from __future__ import annotations

from assistant.plan import Draft
from assistant.prep.assemble import GENERIC_OBJECTIVE, check_draft

EVIDENCE = ("Helen wants year one under $45,000, all in. Draft: 36 seats x $95. Option: split "
            "onboarding $3,750 in year one and $3,750 in year two. Tamsin approves down to "
            "$88 a seat. Reference call with Cobalt Ridge, a Labwright migration.")


def _check(**fields: str) -> tuple[Draft, list[str]]:
    draft = Draft.model_validate({"objective": "", "advance": "", "fallback": "",
                                  **fields})
    return check_draft(draft, grams=set(), buyers=["Helen Marchetti"],
                       evidence=EVIDENCE, known=["Harbor Dental Arts proposal call"])


def test_an_ask_that_repeats_the_objective_is_dropped() -> None:
    objective = ("To confirm Helen's agreement to the proposed 36 seats at $95 with the "
                 "onboarding split, and to schedule a go-live week in January.")
    checked, problems = _check(
        objective=objective,
        advance="We will confirm Helen's agreement to the proposed 36 seats at $95 with the "
                "onboarding split, and schedule a go-live week in January.")
    assert checked.objective == objective and checked.advance == ""
    assert any(p.startswith("advance: it restated the objective") for p in problems)


def test_a_fallback_that_only_reschedules_is_dropped_and_a_real_one_kept() -> None:
    empty, problems = _check(fallback="If Helen does not agree to the proposed 36 seats at "
                                      "$95, we will need to reschedule the meeting.")
    assert empty.fallback == "" and any(p.startswith("fallback:") for p in problems)
    real = ("If Helen will not go past $45,000 in year one, offer the onboarding split: "
            "$3,750 in year one and $3,750 in year two.")
    kept, _ = _check(fallback=real)
    assert kept.fallback == real


def test_an_ask_with_its_own_terms_is_kept() -> None:
    checked, _ = _check(
        objective="Get Helen to agree the seat price and the onboarding split.",
        advance="Helen agrees to $88 a seat with the onboarding split and names the Cobalt "
                "Ridge reference call.")
    assert checked.advance.startswith("Helen agrees to $88 a seat")


def test_plain_note_text_drops_a_pasted_mail_s_header_and_salutation() -> None:
    from assistant.prep.assemble import plain

    note = ("From: Tobias Wren <twren@example.com>\nSent: Wednesday, January 6, 2027 9:15 AM\n"
            "Subject: Before any pilot\n\nBeatriz,\n\nIngrid wants to see both of you side by "
            "side.\nShe decides after the demo.\n\nThanks,\nTobias")
    text = plain(note)
    assert text.startswith("Ingrid wants to see both of you side by side.")
    assert "Subject" not in text and "Sent:" not in text and "Beatriz," not in text
    # a wrapped line that merely ends in a comma stays
    assert plain("The pilot runs in the commissary,\nnot the hospital kitchen.") == (
        "The pilot runs in the commissary, not the hospital kitchen.")


def _with_goal(objective: str, goal: str) -> tuple[Draft, list[str]]:
    draft = Draft.model_validate({"objective": objective, "advance": "", "fallback": ""})
    return check_draft(draft, grams=set(), buyers=["Helen Marchetti"], evidence=EVIDENCE,
                       known=["Harbor Dental Arts proposal call", goal], goal=goal)


def test_an_objective_that_repeats_the_meeting_request_is_dropped() -> None:
    goal = "Helen agrees to the 36-seat order form by January 15"
    checked, problems = _with_goal("Helen agrees to the 36-seat order form by January 15.", goal)
    assert checked.objective == ""
    assert any(p.startswith(GENERIC_OBJECTIVE) for p in problems)


def test_an_objective_that_says_nothing_of_the_notes_is_dropped_and_a_real_one_kept() -> None:
    goal = "Helen agrees to the order form"
    empty, problems = _with_goal("To discuss the proposal and gather information about "
                                 "the decision process.", goal)
    assert empty.objective == "" and any(p.startswith(GENERIC_OBJECTIVE) for p in problems)
    real = "Get Helen to accept year one under $45,000 with the onboarding split over two years."
    kept, _ = _with_goal(real, goal)
    assert kept.objective == real


def test_an_objective_that_copies_our_own_notes_ask_is_dropped() -> None:
    draft = Draft.model_validate({"objective": "Helen names who signs and books the go-live "
                                               "week in January.", "advance": "", "fallback": ""})
    checked, problems = check_draft(
        draft, grams=set(), buyers=["Helen Marchetti"], known=["Harbor Dental Arts"],
        evidence=EVIDENCE + " Ask for Jan 9: Helen names who signs and books the go-live week "
                            "in January.")
    assert checked.objective == ""
    assert any(p.startswith("objective: it repeated our own note's ask") for p in problems)


def test_the_plan_records_which_model_headlines_code_replaced() -> None:
    from assistant.plan import Claim, Objective
    from assistant.prep.graph import replaced_headlines

    raw = {"objective": "Confirm the discovery call.",
           "advance": "Helen agrees to the $88 seat price and the onboarding split.",
           "fallback": "A working session with Tamsin on the onboarding split."}
    checked, _ = _check(**raw)
    assert checked.objective == ""  # generic: code writes it
    state = {"draft": checked.model_dump(), "offered": raw}
    code = Objective(stage="Proposal", next_stage="Negotiation", exit_criteria=[],
                     statement=Claim(text="Move Harbor …", origin="code"),
                     advance=checked.advance, fallback="Tamsin names the day")
    assert replaced_headlines(state, code) == ["objective", "fallback"]
    kept = code.model_copy(update={"fallback": checked.fallback})
    assert replaced_headlines(state, kept) == ["objective"]
    assert replaced_headlines({"draft": None, "offered": {}}, code) == []
