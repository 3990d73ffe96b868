"""Reflection reading by meaning: which question an answer answers, the customer's people in
their roles, a signer speaking for themself, an estimate that is no request, a painful win
in figures."""

from __future__ import annotations

from typing import Any

from assistant.reflect.criteria import candidates
from assistant.reflect.cues import read_clear
from assistant.reflect.fields import field_facts, instruction_clause, named_answers, pointed_people
from assistant.reflect.figures import propose_figures
from assistant.reflect.parts import judge_parts
from assistant.reflect.verdict import answers, compose_objective
from evals.noise import strikes

SELLERS = ["Ruth Ambler", "Kofi Mensah"]


def turns(*lines: tuple[str, str]) -> list[dict[str, Any]]:
    return [{"id": f"t{k}", "speaker": who, "text": text}
            for k, (who, text) in enumerate(lines, start=1)]


# ---- an answer goes with the question just before it --------------------------------------

def test_a_later_question_takes_the_no() -> None:
    ts = turns(
        ("Ruth Ambler", "Could we hold the steering review on April 14?"),
        ("Ines Duval", "The 14th is a Monday. Two o'clock suits."),
        ("Ruth Ambler", "Should Kofi copy your auditor on the plan beforehand?"),
        ("Ines Duval", "No. Not until it's final."),
    )
    said = answers(ts, sellers=SELLERS)
    # the "No." answers whether to copy the auditor, not the review on April 14
    assert not [a for a in said if a.kind == "no"]


def test_a_no_right_after_the_ask_still_declines() -> None:
    ts = turns(
        ("Ruth Ambler", "Could we hold the steering review on April 14?"),
        ("Ines Duval", "No. April is closed for us."),
    )
    assert [a.kind for a in answers(ts, sellers=SELLERS)] == ["no"]


def test_a_dated_part_asked_by_a_turn_on_the_part_that_proposes_a_day() -> None:
    ts = turns(
        ("Ruth Ambler", "I'd like you to meet Tomas Berg, our VP, on the terms. "
                        "Would May 6 work, at your plant?"),
        ("Ines Duval", "May 6 is a Wednesday. Nine o'clock."),
        ("Ruth Ambler", "And who reviews the contract for you?"),
        ("Ines Duval", "Our counsel, Harald Wendt."),
    )
    parts = judge_parts("Ines books a meeting with our VP on a date and names who reviews "
                        "the contract", ts, sellers=SELLERS)
    assert [p.status for p in parts] == ["agreed", "agreed"]
    assert parts[0].turn == "t2"
    v = compose_objective(ts, sellers=SELLERS, people=["Ines Duval"],
                          ask="Ines books a meeting with our VP on a date and names who "
                              "reviews the contract")
    assert v.status == "met"


# ---- the customer's people in their roles --------------------------------------------------

def test_a_person_without_a_known_title_then_what_she_does() -> None:
    ts = turns(("Ines Duval", "Marta Quill, the managing partner at Solvang Holdings. She "
                              "signs anything over $15,000 for us."))
    got = pointed_people(ts, sellers=SELLERS)
    assert [(f["field"], f["value"].split(",")[0]) for f in got] == [
        ("economic_buyer", "Marta Quill")]


def test_the_pronoun_may_come_two_sentences_later() -> None:
    ts = turns(("Ines Duval", "Oskar Lind. Chairman. He has the last word on capital."))
    got = pointed_people(ts, sellers=SELLERS)
    assert got and got[0]["field"] == "economic_buyer"
    assert got[0]["value"].startswith("Oskar Lind.")


def test_a_pronoun_that_is_not_the_subject_makes_no_signer() -> None:
    # she reads it; the speaker signs: the person named is no economic buyer
    ts = turns(("Ines Duval", "My sister, Carla Duval. I never sign what she hasn't read."))
    assert pointed_people(ts, sellers=SELLERS) == []


def test_a_name_given_to_our_who_question_is_a_fact_with_the_question() -> None:
    ts = turns(("Ruth Ambler", "Ines, who checks the paperwork for you?"),
               ("Ines Duval", "My cousin, Carla Duval. She's a notary."))
    got = named_answers(ts, sellers=SELLERS)
    assert len(got) == 1
    assert got[0]["field"] == "decision_process"
    assert got[0]["value"].startswith("Carla Duval checks the paperwork")
    assert got[0]["quote"] == "My cousin, Carla Duval."
    ts[0]["text"] = "Ines, who signs the order?"
    assert named_answers(ts, sellers=SELLERS)[0]["field"] == "economic_buyer"


def test_who_signs_read_from_a_name_three_sentences_back() -> None:
    ts = turns(("Ruth Ambler", "Who would sign for the software?"),
               ("Ines Duval", "Oskar Lind. Chairman. Mostly abroad. He signs when the board "
                              "agrees."))
    criterion = "The person who signs for software is named"
    got = read_clear(criterion, ts, sellers=SELLERS,
                     related={t["id"] for t in candidates(criterion, ts)})
    assert got is not None and got.status == "met"
    assert got.text.startswith("Oskar Lind.")


def test_a_signer_who_says_it_of_themself_is_the_economic_buyer() -> None:
    ts = turns(("Ines Duval", "Harald reads every contract first, and I sign, nobody else."))
    got = field_facts(ts, sellers=SELLERS)
    assert [f["field"] for f in got] == ["economic_buyer"]


def test_a_signature_today_is_no_rule_of_who_signs() -> None:
    ts = turns(("Ines Duval", "Send the order form and I'll sign it tonight, $14,000."))
    assert "economic_buyer" not in {f["field"] for f in field_facts(ts, sellers=SELLERS)}


# ---- an estimate is not a request ------------------------------------------------------------

def test_call_it_a_number_is_an_estimate() -> None:
    assert instruction_clause("Call it 480 hours a year.") is None
    assert instruction_clause("Call it about $9,000 in fines.") is None
    assert instruction_clause("Call me in June.") == ""
    ts = turns(("Ines Duval", "Three clerks retype every order. Call it 480 hours a year."))
    assert any("480 hours" in f["value"] for f in field_facts(ts, sellers=SELLERS))
    row = {"field": "metrics", "value": "Call it 480 hours a year.",
           "quote": "Call it 480 hours a year."}
    assert strikes([row], []) == []
    assert strikes([{**row, "value": "Call Harald in June.",
                     "quote": "Call Harald in June."}], [])


# ---- a painful win in figures --------------------------------------------------------------

def test_a_price_far_under_list_is_a_heavy_discount() -> None:
    ts = turns(("Ruth Ambler", "List for nine sites is $80,000 a year."),
               ("Ines Duval", "$55,000 a year, all in, or nothing."))
    got = {f["name"]: f for f in propose_figures(ts)}
    assert got["delivery_friction"]["value"] == "high"
    assert got["delivery_friction"]["turn"] == "t2"
    # a fee far under the list is no price, and a price near the list no heavy discount
    for text in ("Setup is $6,000 a year.", "$72,000 a year, all in."):
        ts[1]["text"] = text
        assert "delivery_friction" not in {f["name"] for f in propose_figures(ts)}


def test_nobody_to_run_it_is_friction() -> None:
    ts = turns(("Ruth Ambler", "Who runs the rollout at your sites?"),
               ("Ines Duval", "I wish I could say. Nobody is, yet."))
    got = {f["name"]: f for f in propose_figures(ts)}
    assert got["delivery_friction"]["quote"] == "Nobody is, yet."
    ts[0]["text"] = "Who else was on the call?"
    assert "delivery_friction" not in {f["name"] for f in propose_figures(ts)}


def test_the_amount_replaced_is_no_deal_size() -> None:
    ts = turns(("Kofi Mensah", "With both sites, year one is $31,200 instead of $36,400."))
    got = {f["name"]: f["value"] for f in propose_figures(ts)}
    assert got["deal_size"] == "31200"


# ---- facts and steps a rep follows up on ---------------------------------------------------

def test_a_short_answer_to_our_question_on_the_pain_is_the_pain() -> None:
    ts = turns(("Ruth Ambler", "What's the hardest part of month end?"),
               ("Ines Duval", "The customs forms. Every single line."))
    got = field_facts(ts, sellers=SELLERS)
    assert [(f["field"], f["quote"]) for f in got][:1] == [("pains", "The customs forms.")]
    ts[1]["text"] = "No. Not really."
    assert field_facts(ts, sellers=SELLERS) == []


def test_comments_on_a_document_are_the_paper_process() -> None:
    ts = turns(("Ines Duval", "I've read the order form now. I have nine comments, mostly "
                              "liability and the data clause."))
    assert "decision_process" in {f["field"] for f in field_facts(ts, sellers=SELLERS)}


def test_a_dated_promise_with_an_owner_is_kept_past_the_first_steps() -> None:
    import datetime as dt

    from assistant.reflect.extract import code_next_steps

    ts = turns(("Ines Duval", "Talk to your finance team first."),
               ("Ruth Ambler", "I'll take that back to our desk."),
               ("Ruth Ambler", "We'd suggest the Leeds site to start."),
               ("Ines Duval", "Let me think about the pilot site."),
               ("Ruth Ambler", "I'll send the revised quote by March 9."))
    got = code_next_steps(ts, people=["Ines Duval", *SELLERS], meeting=dt.date(2027, 3, 1),
                          sellers=SELLERS)
    assert any("March 9" in s["quote"] and s["owner"] == "Ruth Ambler" for s in got)
    assert len(got) <= 4
    assert [s["turn"] for s in got] == sorted(s["turn"] for s in got)  # call order


def test_an_answer_that_says_it_whole_stays_as_said() -> None:
    ts = turns(("Ruth Ambler", "Who signs above you?"),
               ("Ines Duval", "Our chairman, Oskar Lind, signs anything above $50k."))
    assert named_answers(ts, sellers=SELLERS) == []


def test_signing_one_document_is_no_rule_of_who_signs_and_a_bare_no_is_no_fact() -> None:
    ts = turns(("Ruth Ambler", "Can you sign off the review by May 2?"),
               ("Ines Duval", "No. I sign one review, not half of one."))
    got = field_facts(ts, sellers=SELLERS)
    assert "economic_buyer" not in {f["field"] for f in got}
    assert "No." not in {f["value"] for f in got}


def test_fine_as_okay_is_no_pain_and_a_fine_as_a_penalty_is() -> None:
    ts = turns(("Ines Duval", "Nine o'clock on the 4th is fine."),
               ("Ines Duval", "Last spring the port gave us a $4,000 fine for late forms."))
    got = {f["quote"]: f["field"] for f in field_facts(ts, sellers=SELLERS)}
    assert got.get("Nine o'clock on the 4th is fine.") != "pains"
    assert got.get("Last spring the port gave us a $4,000 fine for late forms.") == "pains"


def test_a_rivals_discount_is_no_friction_of_ours() -> None:
    ts = turns(("Ines Duval", "Ledgerly phoned again. 30% off if we stay."))
    assert "delivery_friction" not in {f["name"] for f in propose_figures(ts, rivals=["Ledgerly"])}
    ts[0]["text"] = "Ledgerly phoned again. You gave us 30% off to switch, though."
    assert "delivery_friction" in {f["name"] for f in propose_figures(ts, rivals=["Ledgerly"])}


def test_an_amount_of_money_counts_nothing_for_the_icp() -> None:
    from assistant.reflect.extract import code_icp

    attrs = [{"name": "orders_per_year", "kind": "number", "words": ["orders", "a year"],
              "values": []}]
    assert code_icp(turns(("Ines Duval", "Renewal is $8,400 a year.")), attrs) == []
    got = code_icp(turns(("Ines Duval", "We ship about 2,300 orders a year.")), attrs)
    assert [g["raw"] for g in got] == ["2300"]


def test_our_sellers_own_delivered_work_is_no_fact_about_the_customer() -> None:
    from assistant.reflect.fields import field_facts
    turns = [{"id": "t1", "speaker": "Ines Moreau",
              "text": "And the questionnaire: we sent 96 of the 120 answers on Tuesday."},
             {"id": "t2", "speaker": "Omar Reyes",
              "text": "Our board decides on January 12, and I sign after that."}]
    facts = field_facts(turns, sellers=["Ines Moreau"], people=["Omar Reyes"])
    assert not any("96 of the 120" in f["quote"] for f in facts)
    assert any("January 12" in f["quote"] for f in facts)
