"""Objections, risks, open items and exit criteria read the way a sales manager reads notes
the night before: what happened (a trial ran, a file was checked, a visit has its date, a
newer note names the signers) meets a criterion; a done word that is negated ("not sent")
does not; a budget they set aside, or a price they hold against what they earn, is a price
objection; a signer above the buyer that nobody named, a notice date, a wait until after
their busy season are risks; work being checked, or an approval not given, is an open item;
and one of our own reference customers is not a competitor."""

from __future__ import annotations

from typing import Any

from assistant.prep.criteria import acted, read_criterion
from assistant.prep.objections import cost_against_gain, find_objections, find_open_items
from assistant.prep.reading import rivals_of
from assistant.prep.risks import find_risks
from assistant.prep.sentences import SHARE, pool

ROLES = [{"name": "Ines Moreau", "role": "lead"}, {"name": "Bo Lind", "role": "commercial"},
         {"name": "Kai Osei", "role": "technical"}]
TEAM = ["Ines Moreau", "Bo Lind", "Kai Osei"]
BUYERS = ["Petra Vance", "Omar Reyes"]


def _note(text: str, *, nid: str = "t-n1", date: str = "2026-10-05",
          contacts: tuple[str, ...] = ("Petra Vance",)) -> dict[str, Any]:
    return {"id": nid, "date": date, "author": "Ines Moreau", "kind": "call",
            "contacts": list(contacts), "full_text": text}


def _rows(*notes: dict[str, Any]) -> list:
    return pool(list(notes), BUYERS, TEAM)


# ---- exit criteria ------------------------------------------------------------------------

def test_a_trial_that_ran_meets_a_criterion_that_asks_for_it() -> None:
    rows = _rows(_note("Trial at the Leeds depot ran four weeks, 212 real orders."))
    read = read_criterion("One depot ran real orders on our tool", rows)
    assert read.status == "met" and "212" in read.quote.text


def test_a_file_our_engineer_checked_meets_the_criterion() -> None:
    rows = _rows(_note("Their order history arrived Oct 2; Kai checked it (9,300 rows, clean)."))
    read = read_criterion("Their order history reached us and our engineer checked it", rows)
    assert read.status == "met"


def test_talk_verbs_and_plans_do_not_count_as_something_that_happened() -> None:
    assert not acted("The owner said in writing whether to go ahead", "Petra said she'd think.")
    rows = _rows({**_note("Plan: Kai checks their order history on the call."), "kind": "research",
                  "title": "Prep for the call"})
    read = read_criterion("Their order history reached us and our engineer checked it", rows)
    assert read.status != "met"


def test_a_visit_with_a_date_meets_a_criterion_that_wants_a_set_date() -> None:
    rows = _rows(_note('Nothing fixed on the call; Petra emailed later: "site visit nov 3, 9am".'))
    read = read_criterion("The buyer agreed to a site visit on a set date", rows)
    assert read.status == "met"


def test_a_negated_done_word_keeps_the_criterion_open() -> None:
    rows = _rows(_note('Renewal date of their current tool: "autumn, I believe", not given.'))
    read = read_criterion("Their current tool is written down, with the contract end date", rows)
    assert read.status == "open"


def test_the_newest_note_naming_the_signers_wins_over_an_older_doubt() -> None:
    old = _note('Omar: "Petra signs the cheques. Whether she signs contracts, no idea."',
                date="2026-09-01", contacts=("Omar Reyes",))
    new = _note("Signers: Petra and her partner Lucas (needed for anything over $20,000).",
                nid="t-n2", date="2026-10-01")
    read = read_criterion("The person who signs for software is named", _rows(new, old))
    assert read.status == "met" and "Lucas" in read.quote.text


def test_their_own_figure_in_the_singular_is_met_by_their_number() -> None:
    rows = _rows(_note('Petra: dispatchers rekey every order, "about 900 hours a year".'))
    read = read_criterion("They put their own figure on what the manual work costs them", rows)
    assert read.status == "met"


# ---- objections ---------------------------------------------------------------------------

def _objections(*notes: dict[str, Any]) -> list[str]:
    return [o.text for o in find_objections(_rows(*notes), ROLES, [], BUYERS, team=TEAM)]


def test_a_budget_they_set_aside_below_our_price_is_a_price_objection() -> None:
    found = find_objections(_rows(_note(
        'Omar says Petra told the board "$18,000 is what we have set aside, training included."',
        contacts=("Omar Reyes",))), ROLES, [], BUYERS, team=TEAM)
    assert found and found[0].topic == "price" and "$18,000" in found[0].text


def test_a_reaction_that_weighs_our_price_against_what_they_earn_is_joined_to_the_price() -> None:
    texts = _objections(_note('Quoted: $9,600 a year plus $1,500 setup. Petra: "that\'s what we '
                              'clear on two weddings."'))
    assert any("$9,600" in t and "two weddings" in t for t in texts)


def test_a_percentage_after_their_figures_is_part_of_the_same_price_point() -> None:
    assert SHARE.search("That is 64% more than we pay today.")
    rows = _rows({**_note('From: Petra Vance\n\nIt is $14,000 a year against the $8,000 we pay '
                          'now. That is 75% more for the same job.\n\nPetra'), "kind": "email"})
    joined = [s.text for s in cost_against_gain(rows)]
    assert any("$14,000" in t and "75% more" in t for t in joined)


# ---- risks --------------------------------------------------------------------------------

def _risks(*notes: dict[str, Any]) -> dict[str, str]:
    found = find_risks(_rows(*notes), [], ROLES, BUYERS, attending=BUYERS, team=TEAM)
    return {r.kind: f"{r.risk} {r.mitigation}" for r in found}


def test_a_signer_above_them_nobody_named_is_an_economic_buyer_risk() -> None:
    risks = _risks(_note('Omar: "Anything this big goes up to the parent company; they sign." '
                         "He did not say who.", contacts=("Omar Reyes",)))
    assert "economic_buyer" in risks and "parent" in risks["economic_buyer"]


def test_a_notice_date_and_an_event_they_must_beat_are_deadlines() -> None:
    assert "May 15" in _risks(_note("Routelink notice May 15.")).get("deadline", "")
    risks = _risks(_note('Petra: "we want this running before the fire safety audit in June."'))
    assert "June" in risks.get("deadline", "")


def test_nothing_new_until_after_their_busy_season_is_a_stalled_timeline() -> None:
    risks = _risks(_note("Omar says nothing new until after the harvest.",
                         contacts=("Omar Reyes",)))
    assert "harvest" in risks.get("stalled", "")


# ---- open items ---------------------------------------------------------------------------

def test_work_being_checked_and_an_approval_not_given_are_open_items() -> None:
    items = [i.text for i in find_open_items(_rows(
        _note("Their data file arrived Oct 3; Kai is checking it, answer by Oct 9."),
        {**_note("From: Petra Vance\n\nThe board hasn't approved the $2,400 data fee yet.\n\n"
                 "Petra", nid="t-n2"), "kind": "email"}), ROLES, team=TEAM)]
    assert any("Kai is checking" in t for t in items)
    assert any("hasn't approved" in t for t in items)


def test_a_comparison_still_not_done_is_an_open_item() -> None:
    items = find_open_items(_rows(_note("Bo's cost comparison is still not done; he sends it "
                                        "Oct 7.")), ROLES, team=TEAM)
    assert items and items[0].owner == "Bo Lind"


# ---- rivals -------------------------------------------------------------------------------

def test_a_customer_of_our_own_story_is_not_a_rival() -> None:
    g = {"buyers": [{"name": b} for b in BUYERS], "team": TEAM, "competitors": ["Routelink"]}
    rows = _rows(_note("Reference call with Fenwick offered, not booked. Routelink quoted "
                       "them $7,000 a year."))
    stories = [{"id": "story-fenwick", "title": "Fenwick Haulage, off Routelink in a month",
                "outcome": "won"}]
    rivals = rivals_of(g, rows, BUYERS, stories)
    assert "Fenwick" not in rivals and "Routelink" in rivals


def test_a_newer_note_that_changes_the_budget_is_the_one_the_criterion_quotes() -> None:
    old = _note("Petra confirmed a budget for the trial in Q3, up to $20k.", date="2026-09-01")
    new = _note("Update: Petra has lifted the trial budget to $32k (was $20k). Timing "
                "unchanged: trial in Q3, start by July 1.", nid="t-n2", date="2026-10-01")
    read = read_criterion("Budget range and the timeline for a decision discussed",
                          _rows(new, old))
    assert read.status == "met" and "$32k" in read.quote.text


def test_a_request_to_see_it_work_is_shown_not_left_as_needs_an_answer() -> None:
    [o] = find_objections(_rows(_note('Omar: "Petra wants to see how you would cope with the '
                                      'Friday returns and the Glasgow depot."',
                                      contacts=("Omar Reyes",))), ROLES, [], BUYERS, team=TEAM)
    assert o.topic == "scope" and o.owner == "Kai Osei"
    assert "Friday returns" in o.answer and "needs an answer" not in o.answer


def test_an_unnamed_signer_risk_asks_the_buyer_in_the_meeting_by_name() -> None:
    note = {**_note("Still no name for who signs."), "contacts": []}
    found = find_risks(_rows(note), [], ROLES, BUYERS, attending=["Omar Reyes"], team=TEAM)
    [r] = [r for r in found if r.kind == "economic_buyer"]
    assert "ask Omar Reyes" in r.mitigation and "the buyer" not in r.mitigation



def test_what_they_require_of_us_is_not_what_happened() -> None:
    rows = _rows({**_note("Before any depot goes live I need: our 90-question form completed, "
                          "your pen test report, and data kept in the EU."), "kind": "email"})
    read = read_criterion("Their IT lead approved our security answers in writing", rows)
    assert read.status != "met"
    done = _rows(_note("Omar approved our security answers in writing on Oct 2."))
    assert read_criterion("Their IT lead approved our security answers in writing",
                          done).status == "met"
