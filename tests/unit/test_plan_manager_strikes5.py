"""What a sales manager struck in the seventh held-out plan run, as rules with invented
examples: our own prep note is our plan (never a criterion met, never a risk); a cost held
against what they make, in one sentence of the customer's own e-mail, is an objection; who
signs above a sum is no objection, and a "Name:" minute names its speaker; a fallback that
repeats the advance, or an ask for the signer to meet the signer, gives way to code's."""

from __future__ import annotations

from typing import Any

from assistant.plan import CriterionCheck, Draft
from assistant.prep.assemble import _objective
from assistant.prep.criteria import read_criterion
from assistant.prep.objections import find_objections
from assistant.prep.risks import find_risks
from assistant.prep.sentences import plan_note, pool

ROLES = [{"name": "Ines Vogel", "role": "lead"}, {"name": "Paul Brandt", "role": "commercial"}]
TEAM = ["Ines Vogel", "Paul Brandt"]
BUYERS = ["Rosa Lindqvist", "Theo Marsh"]
PREP = ("Ask: Rosa agrees to $2,400 a site and to the rollout order (Leeds first, York in "
        "June). Paul answers the price: no discount per site; one setup fee if the order is "
        "signed by March 3. The Ferncliff story is the proof: same jump from RouteMate, won at "
        "list.")


def _note(nid: str, date: str, text: str, *, kind: str = "research", title: str = "",
          author: str = "Ines Vogel") -> dict[str, Any]:
    return {"id": nid, "date": date, "author": author, "kind": kind, "title": title,
            "full_text": text, "contacts": list(BUYERS)}


def test_a_note_whose_title_or_first_line_says_prep_is_our_plan() -> None:
    assert plan_note(_note("x1", "2027-02-01", "Bring the order form.", title="Prep for March 2"))
    assert plan_note(_note("x2", "2027-02-01", "Goal for the 2nd: Rosa picks the first site."))
    assert plan_note(_note("x3", "2027-02-01", PREP, title="Before Tuesday"))
    # a call with their champion called "Prep call", minutes and an e-mail are records
    assert not plan_note(_note("x4", "2027-02-01", "Rosa: the board meets in May.", kind="call",
                               title="Prep call with Rosa"))
    assert not plan_note(_note("x5", "2027-02-01", "Rosa said yes to the price.", kind="call",
                               title="Pricing call"))
    assert not plan_note(_note("x6", "2027-02-01", "Ask: can you send it?", kind="email",
                               title="Prep"))


def test_our_prep_note_never_shows_the_customer_said_yes() -> None:
    rows = pool([_note("rv-n8", "2027-02-20", PREP, title="Prep for February 21")],
                BUYERS, TEAM)
    assert all(s.plan for s in rows)
    read = read_criterion("The signer said yes to the site price and the rollout order", rows)
    assert read.status != "met"
    # the same words as minutes of a call are evidence
    call = pool([_note("rv-n9", "2027-02-22", "Rosa said yes to $2,400 a site and agreed the "
                       "rollout order: Leeds first, York in June.", kind="call",
                       title="Pricing call")], BUYERS, TEAM)
    assert not any(s.plan for s in call)
    assert read_criterion("The signer said yes to the site price and the rollout order",
                          call).status == "met"


def test_our_prep_note_lines_are_never_risks() -> None:
    rows = pool([_note("rv-n8", "2027-02-20", PREP, title="Prep for February 21")],
                BUYERS, TEAM)
    risks = find_risks(rows, [], ROLES, BUYERS, competitors=["RouteMate"], team=TEAM)
    assert not any("Ferncliff" in r.risk or "RouteMate" in r.risk for r in risks)
    mine = pool([_note("rv-n7", "2027-02-19", "Theo still runs RouteMate and RouteMate "
                       "offered them 30% off to renew.", kind="call", title="Call with Theo")],
                BUYERS, TEAM)
    assert any("RouteMate" in r.risk for r in find_risks(mine, [], ROLES, BUYERS,
                                                         competitors=["RouteMate"], team=TEAM))


MAIL = ("From: Rosa Lindqvist <rosa@lindqvist.example>\nSent: Monday, February 16, 2027\n"
        "Subject: Friday\n\nInes, Theo showed me your figures. $28,800 a year is nearly a "
        "quarter of what the York depot cleared last year. Leeds goes first.\n\nRosa Lindqvist\n")


def test_a_cost_held_against_their_gain_in_their_own_mail_is_a_price_objection() -> None:
    rows = pool([_note("rv-n7", "2027-02-16", MAIL, kind="email", title="Rosa (pasted)")],
                BUYERS, TEAM)
    found = [o for o in find_objections(rows, ROLES, [], BUYERS, team=TEAM)
             if "$28,800" in o.text]
    assert found and found[0].topic == "price" and found[0].speaker == "Rosa Lindqvist"
    # our own research line with the same sum is no objection of theirs
    ours = pool([_note("rv-n6", "2027-02-15", "Our quote is $28,800 a year, about a quarter "
                       "of the York depot's cleared profit.")], BUYERS, TEAM)
    assert not any("$28,800" in o.text for o in find_objections(ours, ROLES, [], BUYERS,
                                                                team=TEAM))


def test_who_signs_above_a_sum_is_no_objection_and_the_minute_names_the_speaker() -> None:
    rows = pool([_note("rv-n2", "2027-01-10", '- Theo: "Rosa signs anything over $30,000. I '
                       'take it to her."\n- Theo: "I can\'t take a jump like that to Rosa '
                       'without a side-by-side."', kind="call", title="Discovery")],
                BUYERS, TEAM)
    found = find_objections(rows, ROLES, [], BUYERS, team=TEAM)
    assert not any("signs anything over" in o.text for o in found)
    jump = [o for o in found if "side-by-side" in o.text]
    assert jump and jump[0].speaker == "Theo Marsh" and not jump[0].text.startswith("Theo:")
    # a limit they hold against us is still pushback
    limit = pool([_note("rv-n3", "2027-01-11", 'Theo: "Anything over $30,000 goes to the '
                        'board, and the board meets in June."', kind="call", title="Call")],
                 BUYERS, TEAM)
    assert any("$30,000" in o.text for o in find_objections(limit, ROLES, [], BUYERS, team=TEAM))


G = {"account_name": "Lindqvist Freight", "stage": "Proposal", "next_stage": "Contract",
     "exit_criteria": ["The signer said yes to the site price", "Who signs is known"],
     "next_stage_activity": "contract review", "goal": "",
     "buyers": [{"name": "Rosa Lindqvist", "title": "CEO"}, {"name": "Theo Marsh",
                                                             "title": "CFO"}]}


def _gap() -> list[CriterionCheck]:
    return [CriterionCheck(criterion="The signer said yes to the site price", status="open",
                           quote="Rosa has not said yes to $2,400 a site.", cites=["rv-n5"]),
            CriterionCheck(criterion="Who signs is known", status="met",
                           quote="Rosa signs.", cites=["rv-n5"])]


def _draft(advance: str, fallback: str) -> Draft:
    return Draft(objective="Rosa says yes to $2,400 a site and to Leeds going first.",
                 advance=advance, fallback=fallback)


def test_a_fallback_that_repeats_the_advance_gives_way_to_codes() -> None:
    ask = "Rosa agrees to $2,400 a site and sets the date Leeds goes live."
    for fallback in (ask, ask.rstrip(".") + ", if Theo is away.",
                     "Rosa agrees to $2,400 a site"):
        o = _objective(G, _draft(ask, fallback), [], _gap(), {})
        assert o.advance == ask
        assert o.fallback != fallback and o.fallback.startswith("If Rosa will not commit")
    kept = "If Rosa will not commit, Theo reviews the side-by-side with us by March 1."
    assert _objective(G, _draft(ask, kept), [], _gap(), {}).fallback == kept


def test_an_ask_for_the_signer_to_meet_the_signer_is_dropped() -> None:
    odd = "Rosa Lindqvist will meet with the signer to confirm the site price."
    o = _objective(G, _draft(odd, "Theo sends the side-by-side by March 1."), [], _gap(), {})
    assert o.advance != odd and o.advance.startswith("Ask Rosa")
    # the same ask of someone else stands
    fine = "Theo Marsh will book a meeting with the signer by March 1."
    assert _objective(G, _draft(fine, "Theo sends the side-by-side by March 1."), [], _gap(),
                      {}).advance == fine


def test_a_prep_note_may_report_what_the_customer_already_did() -> None:
    rows = pool([_note("rv-n8", "2027-02-20", "First time we meet Rosa. She signs: Theo "
                       "confirmed it on the phone on February 12.", title="Prep for the demo")],
                BUYERS, TEAM)
    assert all(s.plan for s in rows)
    assert read_criterion("We know by name who signs the order form", rows).status == "met"


def test_a_budget_they_approved_is_no_yes_to_our_price() -> None:
    rows = pool([_note("rv-n6", "2027-02-09", "Theo: $40,000 set aside for routing software "
                       "next year, approved by Rosa.", kind="call", title="Follow-up")],
                BUYERS, TEAM)
    assert read_criterion("The signer said yes to the site price", rows).status != "met"
    yes = pool([_note("rv-n9", "2027-02-22", "Rosa approved the price: $2,400 a site.",
                      kind="call", title="Pricing call")], BUYERS, TEAM)
    assert read_criterion("The signer said yes to the site price", yes).status == "met"


def test_an_open_reference_in_our_prep_note_is_still_a_risk() -> None:
    rows = pool([_note("rv-n5", "2027-02-05", "Open before Feb 21: a written roadmap letter "
                       "for the depot import (Paul drafts it); a freight reference (we have "
                       "none yet).", title="Prep for February 21")], BUYERS, TEAM)
    risks = find_risks(rows, [], ROLES, BUYERS, team=TEAM)
    assert any("reference" in r.risk for r in risks)
