"""The plan's judgement sections read from notes: sentences, exit-criteria gap, objections,
open items, risks, buyers' lines, and the 'specific' test (assistant.prep.*)."""

from __future__ import annotations

from typing import Any

from assistant.prep.buyers import buyer_lines
from assistant.prep.criteria import read_criterion
from assistant.prep.objections import find_objections, find_open_items, owner_for
from assistant.prep.reading import apply_answers, read_evidence, undecided
from assistant.prep.risks import find_risks
from assistant.prep.sentences import note_sentences, pool
from assistant.prep.specific import is_specific

ROLES = [{"name": "Sam Reyes", "role": "lead"}, {"name": "Ola Berg", "role": "commercial"},
         {"name": "Ken Ito", "role": "technical"}]

EMAIL = {
    "id": "vx-n4", "date": "2026-11-20", "author": "Sam Reyes", "kind": "email",
    "full_text": (
        "Maria's reply:\n\n> Hi Sam,\n>\n> Thanks for the proposal. Before I take it to the "
        "board I need to understand why year-two pricing goes up 12%.\n> Our IT lead also "
        "asked whether you host the data in the EU.\n>\n> Best,\n> Maria Lenz\n> COO | "
        "Vertex Clinics\n> +49 30 5550 1234\n\nSo the price is the open point."),
}
CALL = {
    "id": "vx-n3", "date": "2026-11-10", "author": "Sam Reyes", "kind": "call",
    "full_text": (
        "Call with Maria and Jonas.\n\n- Jonas wants to cut no-shows from 18% across 22 "
        "clinics.\n- Maria signs anything over 200k; the economic buyer for the rollout is "
        "not confirmed.\n- Security questionnaire: 30 of 180 answers sent, due Dec 1.\n"
        "- They are also evaluating CareBook, which quoted 20% less.\n"),
}
OLD = {
    "id": "vx-n1", "date": "2026-09-01", "author": "Ola Berg", "kind": "research",
    "full_text": "Vertex runs 22 clinics in Berlin and Hamburg. Budget for scheduling "
                 "tools was confirmed at 150k for next year.",
}
NOTES = [EMAIL, CALL, OLD]
STORY = {"id": "story-medix", "title": "Medix rollout", "outcome": "won", "date": "",
         "full_text": "Medix pushed back on the year-two price. We capped the uplift at 4% "
                      "and tied it to the no-show reduction, and they signed in two weeks."}


def sentences() -> list[Any]:
    return pool(NOTES, ["Maria Lenz", "Jonas Weber"])


def test_a_quoted_email_is_the_customers_words_and_knows_who_signed_it() -> None:
    rows = note_sentences(EMAIL, ["Maria Lenz"])
    texts = [r.text for r in rows]
    assert any("year-two pricing goes up 12%" in t for t in texts)
    pricing = next(r for r in rows if "12%" in r.text)
    assert pricing.quoted and pricing.speaker == "Maria Lenz" and pricing.customer
    # greetings, sign-offs, signature and phone lines are not sentences
    assert not any(t.startswith(("Hi ", "Best", "+49", "Maria Lenz")) for t in texts)
    ours = next(r for r in rows if r.text.startswith("So the price"))
    assert not ours.quoted and ours.speaker is None


def test_bullets_are_sentences_and_pool_is_newest_first() -> None:
    rows = sentences()
    assert rows[0].note_id == "vx-n4" and rows[-1].note_id == "vx-n1"
    assert any(r.text.startswith("Jonas wants to cut no-shows") for r in rows)


def test_criteria_open_or_met_with_the_sentence_that_shows_it() -> None:
    rows = sentences()
    eb = read_criterion("Economic buyer identified by name and met", rows)
    assert eb.status == "open" and eb.cites == ["vx-n3"]
    assert "not confirmed" in eb.quote.text  # type: ignore[union-attr]
    budget = read_criterion("Budget range discussed", rows)
    assert budget.status == "met" and budget.cites == ["vx-n1"]
    legal = read_criterion("Legal redlines on the MSA resolved", rows)
    assert legal.status == "open" and legal.quote is None  # no note shows it met: to get


def test_a_plan_or_an_agenda_line_never_makes_a_criterion_met() -> None:
    note = {"id": "x-n1", "date": "2026-11-01", "author": "A", "kind": "call",
            "full_text": "Agenda for Monday: confirm the pilot success criteria with Dana."}
    read = read_criterion("Pilot success criteria agreed in writing", pool([note]))
    # our own plan line says what we still have to get: open, and never met
    assert read.status == "open" and read.cites == ["x-n1"]


def test_undecided_criteria_get_one_narrow_question_each_then_the_answer_is_kept() -> None:
    g = {"buyers": [], "exit_criteria": ["Systems in place and data owners known"]}
    note = {"id": "x-n2", "date": "2026-11-01", "author": "A", "kind": "call",
            "full_text": "They run Epic as the EHR and the data sits with the IT team."}
    reading = read_evidence(g, [note], [], ROLES)
    assert undecided(reading) == [0]
    assert apply_answers(reading, {0: "met"})["criteria"][0]["status"] == "met"
    no_model = apply_answers(reading, {})["criteria"][0]  # not shown met: still to get
    assert no_model["status"] == "open" and no_model["quote"] == "" and no_model["cites"] == []


def test_an_objection_is_the_customers_question_with_who_answers_it() -> None:
    found = find_objections(sentences(), ROLES, [STORY], ["Maria Lenz", "Jonas Weber"])
    price = next(o for o in found if o.topic == "price")
    assert "year-two pricing goes up 12%" in price.text and price.cites == ("vx-n4",)
    assert price.owner == "Ola Berg"  # commercial answers price
    assert price.answer.startswith("From story-medix:") and "4%" in price.answer
    security = next(o for o in found if o.topic == "security")
    assert security.owner == "Ken Ito"
    assert security.answer.startswith("needs an answer: Ken Ito, on ")


def test_owner_falls_back_to_the_lead_when_nobody_holds_the_role() -> None:
    assert owner_for("security", [{"name": "Sam", "role": "lead"}]) == ("Sam", "lead")


def test_open_items_are_recent_owed_work_not_done_later() -> None:
    items = find_open_items(sentences(), ROLES)
    assert [i.text for i in items] == [
        "Security questionnaire: 30 of 180 answers sent, due Dec 1."]
    assert items[0].owner == "Ken Ito"
    done = {"id": "vx-n5", "date": "2026-11-25", "author": "Ken Ito", "kind": "email",
            "full_text": "All 180 security questionnaire answers were sent and accepted."}
    assert find_open_items(pool([done, CALL]), ROLES) == []


def test_risks_come_from_the_evidence_with_a_mitigation_naming_an_owner() -> None:
    rows = sentences()
    reads = [read_criterion("Economic buyer identified by name and met", rows)]
    risks = find_risks(rows, reads, ROLES, ["Maria Lenz", "Jonas Weber"])
    kinds = {r.kind: r for r in risks}
    assert {"economic_buyer", "competitor", "open_work"} <= set(kinds)
    assert kinds["competitor"].cites == ("vx-n3",)
    assert kinds["competitor"].mitigation.startswith("Ola Berg:")
    assert all("Prepare an answer tonight" not in r.mitigation for r in risks)


def test_an_apology_for_a_delay_is_not_a_risk() -> None:
    note = {"id": "x-n3", "date": "2026-11-01", "author": "A", "kind": "email",
            "full_text": "> Ethan's extract should be with you by Friday, sorry for the delay."}
    assert find_risks(pool([note]), [], ROLES, ["Ethan Brooks"]) == []


def test_a_competitor_a_newer_note_rules_out_is_not_a_risk() -> None:
    old = {"id": "x-n4", "date": "2026-10-01", "author": "A", "kind": "call",
           "full_text": "Tom's team has a quote from Tallyworks for about $9,000 a year."}
    new = {"id": "x-n5", "date": "2026-11-01", "author": "A", "kind": "email",
           "full_text": "> We're not going ahead with Tallyworks, please take it off the table."}
    risks = find_risks(pool([new, old]), [], ROLES, ["Tom Becker"])
    assert not [r for r in risks if r.kind == "competitor"]


def test_two_buyers_never_share_a_line_and_quote_their_own_words() -> None:
    lines = buyer_lines(["Maria Lenz", "Jonas Weber"], sentences())
    maria = [ln.text for ln in lines["Maria Lenz"]]
    jonas = [ln.text for ln in lines["Jonas Weber"]]
    assert maria and jonas and not set(maria) & set(jonas)
    assert any("12%" in t and t.startswith("said:") for t in maria)
    assert any("18% across 22 clinics" in t for t in jonas)
    assert buyer_lines(["Nobody Here"], sentences()) == {"Nobody Here": []}


def test_specific_means_a_number_name_or_facts_of_the_evidence_beyond_the_meeting() -> None:
    evidence = " ".join(n["full_text"] for n in NOTES)
    known = "Vertex Clinics proposal Proposal Negotiation Maria Lenz COO"
    assert is_specific("Answer why year-two pricing goes up 12%", evidence=evidence,
                       known=known)
    assert is_specific("Ask Jonas about the no-show target", evidence=evidence, known=known)
    assert not is_specific("Proceed with the next stage of the proposal process",
                           evidence=evidence, known=known)
    assert not is_specific("Vertex Clinics is having a proposal meeting", evidence=evidence,
                           known=known)


def test_a_status_word_alone_does_not_make_a_sentence_about_a_criterion() -> None:
    note = {"id": "x-n6", "date": "2026-11-01", "author": "A", "kind": "call",
            "full_text": "Omar signed off the technical evaluation."}
    read = read_criterion("Order form signed", pool([note]))
    assert read.status == "open" and read.quote is None and read.decided_by == "none"


def test_a_note_with_one_contact_speaks_for_them_and_a_named_competitor_is_a_risk() -> None:
    note = {"id": "fp-n5", "date": "2026-11-05", "author": "A", "kind": "call",
            "contacts": ["Kelly Brennan"],
            "full_text": "Still open: the auto-renewal clause (they want it removed). "
                         "Monte Carlo re-engaged with a $90k offer."}
    rows = pool([note])
    lines = buyer_lines(["Kelly Brennan", "Rachel Kim"], rows)
    assert any("auto-renewal" in ln.text for ln in lines["Kelly Brennan"])
    assert lines["Rachel Kim"] == []
    risks = find_risks(rows, [], ROLES, ["Kelly Brennan"], competitors=["Monte Carlo"])
    assert [r.kind for r in risks] == ["competitor"]
    assert "ask Kelly Brennan what Monte Carlo must do to win" in risks[0].mitigation
    assert find_risks(rows, [], ROLES, ["Kelly Brennan"]) == []  # no name, no pattern


def test_a_pasted_email_with_a_from_header_is_the_senders_words() -> None:
    note = {"id": "dm-n3", "date": "2026-10-06", "author": "Marcus Bell", "kind": "email",
            "full_text": "From: Omar Haddad\nSubject: RE: intro\n\nMarcus, two things. "
                         "Moving six years of job history is my worry: our pricebook has "
                         "1,900 items.\n\nOmar Haddad, Controller, Del Mar Plumbing"}
    rows = [r for r in note_sentences(note, ["Omar Haddad"]) if "pricebook" in r.text]
    texts = [r.text for r in note_sentences(note, ["Omar Haddad"])]
    assert not any(t.startswith(("From:", "Subject:", "Omar Haddad,")) for t in texts)
    assert rows[0].speaker == "Omar Haddad" and rows[0].customer
    found = find_objections(rows, ROLES, [], ["Omar Haddad"])
    assert found and found[0].topic == "scope" and found[0].owner == "Ken Ito"


def test_a_redline_is_an_objection_and_owed_work_is_an_open_item() -> None:
    note = {"id": "cp-n8", "date": "2026-12-03", "author": "Nadia Okafor", "kind": "email",
            "full_text": "Alan sent redlines:\n> 1. Delete automatic renewal.\n"
                         "> 2. Liability cap at 24 months of fees, not 12.\n\n"
                         "Sam owes Alan our response on all three by Dec 7."}
    rows = pool([note], ["Alan Birch"])
    topics = {o.topic for o in find_objections(rows, ROLES, [], ["Alan Birch"])}
    assert topics == {"legal"}
    items = find_open_items(rows, ROLES, team=["Sam Reyes"])
    assert [(i.owner, i.cites) for i in items] == [("Sam Reyes", ("cp-n8",))]


def test_no_blocker_is_not_a_risk() -> None:
    note = {"id": "x-n7", "date": "2026-11-01", "author": "A", "kind": "meeting",
            "full_text": "They care about SOC 2 Type II and US hosting. No blocker seen."}
    assert [r.kind for r in find_risks(pool([note]), [], ROLES, [])] == []


def test_one_story_line_answers_one_objection_only() -> None:
    note = {"id": "x-n8", "date": "2026-11-01", "author": "A", "kind": "email",
            "full_text": "> Why does the year-two price go up?\n\n> Why is the price per seat "
                         "higher than last year's quote?"}
    found = find_objections(pool([note]), ROLES, [STORY], [])
    assert len(found) == 2
    assert found[0].answer.startswith("From story-medix:")
    assert found[1].answer.startswith("needs an answer: Ola Berg, on ")


def test_a_pain_in_their_words_is_their_number_not_our_price() -> None:
    """The newest note weighs our ballpark against a hoped-for gain; the older one says what
    the pain costs them today. The pain is shown by the older one."""
    older = {"id": "gx-n1", "date": "2026-10-01", "author": "Sam Reyes", "kind": "call",
             "full_text": "Call with Maria.\n\n- Maria: \"Missed appointments cost us about "
                          "$90k last year.\""}
    newer = {"id": "gx-n2", "date": "2026-11-01", "author": "Sam Reyes", "kind": "call",
             "full_text": "Maria said the ballpark we gave ($40-60k/yr) is fine if the pilot "
                          "shows 15% fewer missed appointments."}
    pain = ("Pain confirmed in the customer's own words, with at least one number "
            "(appointments, hours, no-shows)")
    read = read_criterion(pain, pool([newer, older], ["Maria Lenz"]))
    assert read.status == "met" and read.cites == ["gx-n1"]
    # a criterion about money is shown by the price talk
    money = read_criterion("Budget range discussed in their own words",
                           pool([newer], ["Maria Lenz"]))
    assert money.cites == ["gx-n2"]
