"""The objective judged against every part of the plan's ask (``assistant.reflect.parts``)."""

from __future__ import annotations

from assistant.reflect.parts import ask_parts, judge_parts, parts_verdict
from assistant.reflect.verdict import compose_objective

SELLERS = ["Hollis Brandvold", "Ravi Lindqvist"]
ASK = "Ingrid names who signs and agrees a pilot start date at one branch after March 16"


def _turns(*lines: tuple[str, str]) -> list[dict[str, str]]:
    return [{"id": f"t{k}", "speaker": who, "text": text}
            for k, (who, text) in enumerate(lines, start=1)]


BOTH = _turns(
    ("Hollis Brandvold", "Then which branch would pilot, and when?"),
    ("Ingrid Verrill", "Waukesha. It's the smallest branch. Start March 22, the Monday after "
     "Wen's set-up."),
    ("Hollis Brandvold", "On the price sheet, does $43,956 work for year one?"),
    ("Ingrid Verrill", "We set aside $40,000. That's for later; I'm not negotiating today."),
    ("Hollis Brandvold", "Fair. And at the end, who signs?"),
    ("Ingrid Verrill", "Arne does. Anything over $25,000 goes to my father, he signs it."),
    ("Ingrid Verrill", "If Omar says yes, I send notice in April and we're still fine."),
)


def test_an_ask_splits_into_its_parts_and_keeps_its_subject() -> None:
    assert ask_parts(ASK) == ["Ingrid names who signs",
                              "Ingrid agrees a pilot start date at one branch after March 16"]
    # a bare object after a comma belongs to the part before it
    assert ask_parts("Marguerite says yes to $49 a technician, the branch order, we confirm "
                     "reviewer, signer and go-live month") == [
        "Marguerite says yes to $49 a technician, the branch order",
        "we confirm reviewer, signer and go-live month"]
    assert ask_parts("Dale signs for a March start, or agrees a 30-day trial") == []


def test_every_part_agreed_is_met_whatever_else_is_conditional() -> None:
    got = parts_verdict(ASK, BOTH, sellers=SELLERS)
    assert got is not None and got[0] == "met"
    assert [p.quote for p in got[1]] == ["Arne does.", "Start March 22, the Monday after "
                                         "Wen's set-up."]
    v = compose_objective(BOTH, sellers=SELLERS, ask=ASK)
    assert v.status == "met" and v.reason.startswith("the plan's ask, part by part")
    # without the ask, the FieldHive condition reads as a hedge on the whole call
    assert compose_objective(BOTH, sellers=SELLERS).status != "met"


def test_a_part_declined_makes_it_partial_and_every_part_declined_missed() -> None:
    no_signer = [*BOTH[:4], *_turns(
        ("Hollis Brandvold", "And who signs at the end?"),
        ("Ingrid Verrill", "I'm not giving you a name today."))]
    no_signer = [{**t, "id": f"t{k}"} for k, t in enumerate(no_signer, start=1)]
    got = parts_verdict(ASK, no_signer, sellers=SELLERS)
    assert got is not None and got[0] == "partial"
    refused = _turns(
        ("Hollis Brandvold", "Can we agree a pilot start at one branch?"),
        ("Wen Zhao", "No. The freeze runs to March 15. Ask me in March."),
        ("Hollis Brandvold", "And who signs?"),
        ("Wen Zhao", "Not something I can tell you."))
    got = parts_verdict("Wen names who signs and agrees a pilot start date", refused,
                        sellers=SELLERS)
    assert got is not None and got[0] == "missed"


def test_a_part_the_call_never_speaks_of_leaves_the_verdict_to_the_call() -> None:
    silent = _turns(("Hollis Brandvold", "Then which branch would pilot, and when?"),
                    ("Ingrid Verrill", "Waukesha. Start March 22."))
    assert parts_verdict(ASK, silent, sellers=SELLERS) is None
    # the rep's own notes (no speakers) are no transcript to read part by part
    notes = [{"id": "t1", "speaker": None, "text": "Ingrid agreed March 22; Arne signs."}]
    assert judge_parts(ASK, notes, sellers=SELLERS) == []


def test_fine_agrees_only_to_what_was_just_asked() -> None:
    """"Fine." to the date leaves the signer the ask also needed: partial, not met; a signer
    named unasked, with what they sign, is named."""
    ask = "Tom agrees the pilot start date and names who signs the rollout"
    turns = _turns(("Hollis Brandvold", "Can we start the pilot on March 3?"),
                   ("Tom Reyes", "Fine. March 3."))
    v = compose_objective(turns, sellers=SELLERS, ask=ask)
    assert v.status == "partial" and "names who signs" in v.reason
    named = [*turns, {"id": "t3", "speaker": "Tom Reyes",
                      "text": "Dana Ruiz, our CFO, signs anything over $40,000."}]
    assert compose_objective(named, sellers=SELLERS, ask=ask).status == "met"
