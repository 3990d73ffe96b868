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


def _gap(*checks: tuple[str, str]) -> list[Any]:
    from assistant.plan import CriterionCheck
    return [CriterionCheck(criterion=c, status="open", quote=q, cites=["sh-n4"] if q else [])
            for c, q in checks]


G = {"account_name": "Shale Works", "stage": "Demo", "next_stage": "Pilot",
     "exit_criteria": ["The person who signs is named", "Current contract end date written down"],
     "next_stage_activity": "pilot kickoff", "buyers": [{"name": "Olek Brandt", "title": "COO"}]}


def test_our_own_ask_line_is_never_what_stands_in_the_way() -> None:
    from assistant.prep.assemble import _objective
    gap = _gap(("The person who signs is named", "Ask for May 9: Olek names who signs."),
               ("Current contract end date written down", ""))
    o = _objective(G, None, [], gap, {})
    assert "Ask for May 9" not in o.statement.text and "in the way" not in o.statement.text


def test_the_fallback_is_a_smaller_step_on_a_named_open_item() -> None:
    from assistant.prep.assemble import _objective
    from assistant.prep.objections import OpenItem
    gap = _gap(("Current contract end date written down", "Contract end date unknown."),
               ("The person who signs is named", 'Olek said "me and my partner", no name.'))
    o = _objective(G, None, [], gap, {})
    assert o.fallback.startswith("If Olek will not commit today, ask Olek for less: “")
    assert "signs" in o.fallback and "(now: “Olek said \"me and my partner\", no name.”)" \
        in o.fallback
    owed = OpenItem(text="Tomo owes them a smaller quote: $4,100 a year.", topic="price",
                    owner="Tomo Sato", cites=("sh-n5",))
    alone = _gap(("Current contract end date written down", "Contract end date unknown."))
    o = _objective(G, None, [], alone, {}, [], [owed])
    assert o.fallback == ("If Olek will not commit today: Tomo Sato delivers what we owe "
                          "(“Tomo owes them a smaller quote: $4,100 a year.”) and Olek names "
                          "the day to go through it")


# ---- risks: the newest note decides; a mitigation names who, what, when, or says so ----

RISK_ROLES = [{"name": "Kai Moss", "role": "lead"}, {"name": "Tomo Sato", "role": "technical"}]


def test_a_risk_a_newer_note_settled_is_gone() -> None:
    from assistant.prep.risks import find_risks
    older = _note("sh-n2", "2027-01-10", "Olek said no to March 3: the safety committee meets "
                  "March 20 and wants every answer by March 12.")
    newer = _note("sh-n6", "2027-03-21", "> The safety committee approved Shale Works "
                  "yesterday.\n>\n> Olek Brandt", kind="email")
    both = find_risks(pool([newer, older], BUYERS, TEAM), [], RISK_ROLES, BUYERS, team=TEAM)
    assert not any("March 3" in r.risk for r in both)
    alone = find_risks(pool([older], BUYERS, TEAM), [], RISK_ROLES, BUYERS, team=TEAM)
    assert any("March 3" in r.risk for r in alone)  # before the approval it is a risk


def test_the_signer_mitigation_names_who_gets_us_there_and_when_or_needs_a_plan() -> None:
    from assistant.prep.criteria import CriterionRead
    from assistant.prep.risks import find_risks
    rows = pool([_note("sh-n3", "2027-01-10", "Who signs: Nina said \"the owners\", no name "
                       "before April 2.")], BUYERS, TEAM)
    read = CriterionRead("The person who signs is named", "open", rows[0], rows[:1])
    [eb] = [r for r in find_risks(rows, [read], RISK_ROLES, BUYERS, team=TEAM,
                                  attending=["Olek Brandt"]) if r.kind == "economic_buyer"]
    assert eb.mitigation.startswith("Kai Moss: ask Olek Brandt who signs, by name")
    assert "before April 2" in eb.mitigation and "our champion" not in eb.mitigation
    bare = CriterionRead("The person who signs is named", "open")
    [eb] = [r for r in find_risks([], [bare], RISK_ROLES, BUYERS, team=TEAM)
            if r.kind == "economic_buyer"]
    assert eb.mitigation == "needs a plan: Kai Moss (who signs, and who gets us to them)"


# ---- the exit-criteria gap: what the notes show, in the customer's words ----------------

def _read(criterion: str, *notes: dict[str, Any]) -> Any:
    from assistant.prep.criteria import read_criterion
    return read_criterion(criterion, pool(list(notes), BUYERS, TEAM))


COST = ("The customer put a number on what their late orders cost them (lost revenue, hours, "
        "credits) in their own words")


def test_a_cost_the_customer_put_in_their_own_words_is_met_whatever_words_it_uses() -> None:
    note = _note("sh-n4", "2027-01-08", 'Nina: pallet blocks shipped late cost about $42,000 '
                 'last year (a 20-pallet block for Dunmore left two days late).')
    assert _read(COST, note).status == "met"  # a "block" of pallets is no blocker
    quoted = _note("sh-n5", "2027-01-09", 'Olek: in March late orders cost the Dunmore line '
                   'six shifts; "about $18,000 we didn\'t bill" across the two plants.')
    assert _read(COST, quoted).status == "met"  # their "didn't" is the cost, not a status


def test_a_date_that_is_due_is_a_date_written_down() -> None:
    crit = "Current ERP and the contract end date of their ERP written down"
    note = _note("sh-n3", "2027-01-05", "Their Fabrik ERP contract renews June 30 with 60 "
                 "days' notice, so notice is due May 1.")
    assert _read(crit, note).status == "met"
    month = _note("sh-n2", "2027-01-04", "They run Fabrik ERP for invoicing; the license "
                  "renews July 2027.")
    assert _read(crit, month).status == "met"
    still = _note("sh-n6", "2027-01-12", "Still open: when the Fabrik ERP contract ends.")
    assert _read(crit, still).status == "open"


def test_nothing_booked_yet_is_open_and_a_count_of_things_is_a_number_written_down() -> None:
    assert _read("The owner agreed to a demo on a date",
                 _note("sh-n2", "2027-01-02", "Short call with Nina. No demo booked yet.")
                 ).status == "open"
    counted = [_note("sh-n1", "2027-01-01", 'Web form: "We run a 3-plant shop in Ohio."'),
               _note("sh-n0", "2026-12-30", "Website: 3 plants, 140 staff, Toledo.")]
    assert _read("Number of plants and staff written down", *counted).status == "met"


def test_a_cost_held_against_what_they_clear_is_a_price_ceiling_risk() -> None:
    from assistant.prep.risks import find_risks
    rows = pool([_note("sh-n5", "2027-02-01", DEMO)], BUYERS, TEAM)
    [r] = [r for r in find_risks(rows, [], RISK_ROLES, BUYERS, team=TEAM)
           if r.kind == "budget_limit"]
    assert "$88,000" in r.risk and "$9,200" in r.risk and r.cites == ("sh-n5",)
    assert r.mitigation == ("Kai Moss: bring a smaller first step priced for what they clear "
                            "($9,200 against $88,000); ask Olek Brandt what first-year figure "
                            "they would sign.")


def test_a_figure_all_in_is_their_ceiling_and_an_objection() -> None:
    rows = pool([_note("sh-n8", "2027-02-03", '> I have $52,000 a year for the Toledo plant, '
                       'all in, the scanner link included.\n>\n> Olek Brandt', kind="email")],
                BUYERS, TEAM)
    [o] = find_objections(rows, ROLES, [], BUYERS, team=TEAM)
    assert o.topic == "price" and "$52,000" in o.text and o.speaker == "Olek Brandt"


def test_the_fallback_takes_the_open_item_that_carries_a_fact_of_the_notes() -> None:
    from assistant.prep.assemble import _objective
    from assistant.prep.objections import OpenItem
    g = {**G, "exit_criteria": ["Pilot scope agreed", "Economic buyer named"]}
    gap = _gap(("Pilot scope agreed", "Scope still open: two plants or three."),
               ("Economic buyer named", "Economic buyer not yet named."))
    owed = OpenItem(text="Tomo owes Olek the Toledo line-rate sheet by March 4.", topic="scope",
                    owner="Tomo Sato", cites=("sh-n7",))
    o = _objective(g, None, [], gap, {}, [], [owed])
    assert "Toledo line-rate sheet" in o.fallback  # not "(now: “Economic buyer not yet named.”)"
    assert "Economic buyer not yet named" not in o.fallback


def test_a_conditional_approval_settles_no_risk() -> None:
    from assistant.prep.risks import find_risks
    older = _note("sh-n2", "2027-01-10", "Olek said no to March 3: the safety committee meets "
                  "March 20 and wants every answer by March 12.")
    newer = _note("sh-n6", "2027-02-01", "Tomo is approved to waive the fee if the safety "
                  "committee signs before March 20.")
    risks = find_risks(pool([newer, older], BUYERS, TEAM), [], RISK_ROLES, BUYERS, team=TEAM)
    assert any("March 3" in r.risk for r in risks)


def test_a_dated_promise_is_no_contract_end_date_and_their_cost_beats_our_owed_work() -> None:
    crit = "Current ERP and the contract end date of their ERP written down"
    promise = _note("sh-n7", "2027-01-12", "Their ERP pricing module is not in scope; Kai "
                    "promised a written answer by March 2.")
    assert _read(crit, promise).status != "met"
    owed = _note("sh-n3", "2027-01-02", "Tomo owes Olek a cost comparison of late orders "
                 "against the $9,000 a month they pay today.")
    said = _note("sh-n4", "2027-01-08", "Nina: late orders cost about $42,000 last year in "
                 "credits.")
    read = _read(COST, said, owed)
    assert read.status == "met" and read.cites == ["sh-n4"]


def test_with_every_criterion_met_the_objective_books_the_next_stage() -> None:
    from assistant.plan import CriterionCheck
    from assistant.prep.assemble import _objective
    gap = [CriterionCheck(criterion=c, status="met", quote="Olek signed the scope.",
                          cites=["sh-n9"]) for c in G["exit_criteria"]]
    o = _objective(G, None, [], gap, {})
    assert "every exit criterion met" in o.statement.text
    assert "date and an owner for the pilot kickoff" in o.statement.text
    assert o.advance.startswith("Ask Olek to set a date for the pilot kickoff")


def test_our_narration_with_a_quoted_scrap_is_not_why_it_matters() -> None:
    from assistant.prep.assemble import stakes
    lines = {"Olek Brandt": [
        {"text": 'Olek asked for a proposal "before the audit".', "cites": ["sh-n2"],
         "own_words": True, "plain": 'Olek asked for a proposal "before the audit".'},
        {"text": "said: “I can't run a third plant on paper.”", "cites": ["sh-n3"],
         "own_words": True, "plain": "I can't run a third plant on paper."}]}
    assert [t for t, _ in stakes("Olek Brandt", lines, own_only=True)] == [
        "“I can't run a third plant on paper.”"]
