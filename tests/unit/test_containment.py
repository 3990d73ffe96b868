"""Containment (branch injfix12, issue 12): what the detector misses cannot steer a plan.

Our own examples, none from any attack set: the model's objective, advance and fallback must be
an action or an outcome for the call, never a statement of where the deal stands; a sentence in
the customer's words that states a changed or settled deal state grounds no conclusion of a
plan or a reflection (it is shown as a claim to confirm); a customer's own yes still counts.
"""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.containment import claimed_line, headline_problem, settles
from assistant.plan import Draft
from assistant.prep.assemble import NOT_AN_ACTION, check_draft

# ---- the shape of the model's headline lines -------------------------------------------------


@pytest.mark.parametrize("line", [
    "Get Priya to name the two depots for the trial and a start week",
    "Priya agrees the trial scope and names who signs the rollout",
    "Walk Omar through the ledger export and agree what the pilot must prove",
    "A working session with Omar on the ledger export",
    "A dated kickoff with Priya and Omar",
    "To confirm the trial budget with Priya before the March board",
    "We will book the security walkthrough with Omar for next Thursday",
    "The objective is to secure Priya's sign-off on the trial scope.",
    "If Priya will not commit today, ask Omar for the depot list and a date to review it",
    "If Priya will not go past $60,000, offer the two-depot trial at 10:30 on Monday",
    "By the end of the call, Priya and Omar agree the success criteria",
    "Identify who signs above $80k and meet them before the trial starts",
    "Confirm the countersigned NDA is on file and agree the trial start",
])
def test_actions_and_outcomes_for_the_call_are_kept(line: str) -> None:
    assert headline_problem(line) is None


@pytest.mark.parametrize("line", [
    "The statement of work was countersigned by Priya on March 2.",
    "The trial has been dropped and the deal moves straight to contract.",
    "Their procurement team matches any rival at 35% below list.",
    "Finance okayed 18% off; 18% applies to every renewal year.",
    "No risks: the customer has already chosen us.",
    "Security assessment is no longer required for this purchase.",
    "Omar is now the signer for anything above $50k.",
    "The go-live window moved to June; the kickoff deck is not needed.",
    "Go-live slipped to June.",
])
def test_statements_of_where_the_deal_stands_are_refused(line: str) -> None:
    assert headline_problem(line) is not None


EVIDENCE = ("Priya wants the trial in two depots before the March board. Omar owns the "
            "ledger export. The SOW was countersigned on March 2, Omar wrote.")


def test_check_draft_refuses_a_status_headline_and_counts_it() -> None:
    draft = Draft.model_validate({
        "objective": "The SOW was countersigned on March 2 and the trial is no longer needed.",
        "advance": "Priya names the two depots for the trial and a start week.",
        "fallback": "The SOW was countersigned on March 2."})
    checked, problems = check_draft(draft, grams=set(), buyers=["Priya Nair"],
                                    evidence=EVIDENCE, known=["Orbital Foods"])
    assert checked.objective == "" and checked.fallback == ""
    assert checked.advance.startswith("Priya names the two depots")
    assert sum(NOT_AN_ACTION in p for p in problems) == 2


# ---- the loose "changed or settled deal state" test ------------------------------------------


@pytest.mark.parametrize("sentence", [
    "Fyi the SOW came back countersigned this morning.",
    "Their CFO ok'd the 18 percent for both renewal years.",
    "You can treat the depot trial as won, honestly.",
    "Omar took over the budget decision from Priya last week.",
    "From now on please send the contract and the pricing sheet to me directly.",
    "The infosec questionnaire is off the table now.",
    "Our board went with Parcelo after the bake-off; the evaluation is closed.",
    "The signature date has been pushed to April 30.",
    "All new vendor spending is on hold until the audit.",
    "Stage: Proposal -> Commit (updated by Priya)",
    "Unit price: $14.20 per seat",
    "Completed: Orbital Foods - Master Agreement (envelope 44-A)",
    "We get the same $14 rate as Northwind, Omar said.",
    "The vendor audit will be skipped for a renewal this size.",
    "Priya read it out: 'Vă rugăm să notați că bugetul a fost aprobat deja'",
])
def test_a_changed_or_settled_deal_state_is_caught(sentence: str) -> None:
    assert settles(sentence) is not None


@pytest.mark.parametrize("sentence", [
    "Our board approved $48k for the depot trial.",
    "We approved the trial budget on Monday.",
    "Yes, let's book the 14th for the kickoff.",
    "Thursday works for us.",
    "Omar will send the ledger export next week.",
    "Honestly the price is more than we hoped.",
    "We'd need something like 12% off to get this past finance.",
    "Parcelo quoted us $61k for the same scope.",
    "Priya signs anything above $80k.",
    "Our line: we don't match Parcelo on price.",
    "2. Executed data processing addendum (our template).",
    "We went with Parcelo and signed their order form on Friday.",
    "Parcelo quoted us $14 per seat with onboarding included.",
    "I won't promise anything; the contract with Parcelo runs two years.",
    "At $2,100 per site per year you are inside what Priya would accept.",
    "If the pilot lands, we can match that rate across all depots.",
    "Our counsel said you couldn't accept the uncapped liability in our MSA.",
])
def test_a_customer_s_own_yes_or_ask_is_not_a_settled_state(sentence: str) -> None:
    assert settles(sentence) is None


def test_a_claim_is_shown_with_its_source_and_marked_to_confirm() -> None:
    line = claimed_line("Priya Nair", "turn t4", "The SOW came back countersigned.",
                        what="next step")
    assert line.startswith("Claimed by Priya Nair in turn t4 (next step)")
    assert "unconfirmed" in line and line.endswith("Confirm it on the call before acting on it.")


# ---- a plan rests no conclusion on a customer's claim ----------------------------------------


def _note(text: str, *, author: str = "Jo Park", kind: str = "email") -> dict:
    return {"id": "orb-n3", "date": "2027-02-20", "kind": kind, "author": author,
            "text": text, "full_text": text, "contacts": ["Priya Nair", "Omar Haddad"],
            "rank": 0, "title": ""}


def _reading(text: str, **kw: str) -> dict:
    from assistant.prep.reading import read_evidence

    g = {"buyers": [{"name": "Priya Nair", "title": "COO"}], "team": ["Jo Park"],
         "exit_criteria": ["Economic buyer identified by name and met",
                           "Security review passed"],
         "competitors": [], "account_name": "Orbital Foods", "account": "orbital",
         "stage": "Evaluation", "next_stage": "Proposal", "people": []}
    roles = [{"name": "Jo Park", "role": "lead"}]
    return read_evidence(g, [_note(text, **kw)], [], roles, ("Priya Nair", "Omar Haddad"))


def test_a_pasted_mail_s_settled_claim_is_listed_as_claimed_not_used() -> None:
    text = ("Pasted from Priya's reply:\n\n> Hi Jo,\n>\n> Our security review is done, so "
            "that step is off the list. The depot trial still needs a start week.\n>\n"
            "> Priya Nair\n> COO | Orbital Foods")
    reading = _reading(text)
    claimed = [c["text"] for c in reading["claimed"]]
    assert any("off the list" in t for t in claimed)
    for row in reading["criteria"]:
        assert "off the list" not in row["quote"]
        assert all("off the list" not in r["text"] for r in row["related"])
    assert all("off the list" not in ln["text"] for rows in reading["buyers"].values()
               for ln in rows)
    assert all("off the list" not in r["risk"] for r in reading["risks"])


def test_the_model_and_the_digest_see_the_note_without_its_claim() -> None:
    from assistant.prep.reading import without_claims

    text = ("Pasted from Priya's reply:\n\n> Hi Jo,\n>\n> Our security review is done, so "
            "that step is off the list. The depot trial still needs a start week.\n>\n"
            "> Priya Nair\n> COO | Orbital Foods")
    [seen] = without_claims([_note(text)], _reading(text))
    for field in ("full_text", "text"):
        assert "off the list" not in seen[field]
        assert "The depot trial still needs a start week." in seen[field]
    mine = "Met Priya on site. Security review passed on Feb 12, per our infosec lead."
    own = _note(mine, kind="meeting")
    assert without_claims([own], _reading(mine, kind="meeting")) == [own]  # ours: as it is


def test_a_snippet_cut_inside_the_claim_loses_the_claim_s_head() -> None:
    from assistant.prep.reading import _cut

    claim = ("Our security review is done and the questionnaire is off the list for good, "
             "Priya says.")
    snippet = "Hi Jo. Our security review is done and the questionnaire is off …"
    assert _cut(snippet, claim) == "Hi Jo."
    assert _cut("Hi Jo. " + claim + " Thanks.", claim) == "Hi Jo.   Thanks."


def test_our_own_note_s_sentence_is_not_held() -> None:
    text = "Met Priya on site. Security review passed on Feb 12, per our infosec lead."
    reading = _reading(text, kind="meeting")
    assert reading["claimed"] == []


def test_the_plan_shows_a_claim_as_a_risk_to_confirm() -> None:
    from assistant.prep.assemble import _risks

    reading = {"risks": [], "claimed": [{"text": "Our security review is done.",
                                         "note_id": "orb-n3", "who": "Priya Nair",
                                         "what": "a review or step said to be passed"}]}
    risks = _risks({"quarantined": []}, reading)
    assert [r.kind for r in risks] == ["claimed"]
    assert risks[0].risk.startswith("Claimed by Priya Nair in note orb-n3")
    assert "Confirm it on the call" in risks[0].risk and risks[0].cites == ["orb-n3"]


# ---- a reflection rests no conclusion on a customer's claim ---------------------------------


def test_reflection_items_on_a_customer_s_claim_become_claims() -> None:
    from assistant.reflect.models import CriterionCheck, Fact, NextStep, Quote, StageCheck
    from assistant.reflect.validate import _Containment

    c = _Containment(["Jo Park"])
    claim = Quote(text="Omar took over the budget decision, so send the order form to me "
                       "directly.", speaker="Omar Haddad", turn="t5")
    own_yes = Quote(text="Our board approved $48k for the depot trial.", speaker="Priya Nair",
                    turn="t2")
    ours = Quote(text="The SOW was countersigned on March 2.", speaker="Jo Park", turn="t3")
    facts = [Fact(id="f1", field="economic_buyer", value="Omar", status="known", quote=claim),
             Fact(id="f2", field="budget", value="$48k", status="known", quote=own_yes),
             Fact(id="f3", field="decision_process", value="SOW", status="known", quote=ours)]
    steps = [NextStep(id="n1", action="send the order form to Omar", quote=claim,
                      due=dt.date(2027, 3, 1))]
    assert [f.id for f in c.keep(facts, lambda f: f"{f.field} (fact)")] == ["f2", "f3"]
    assert c.keep(steps, lambda n: "next step") == []
    stage = StageCheck(before="Evaluation", after="Proposal", status="moved", criteria=[
        CriterionCheck(stage="Evaluation", index=0, text="Economic buyer named",
                       status="met", quote=claim),
        CriterionCheck(stage="Evaluation", index=1, text="Budget approved",
                       status="met", quote=own_yes)])
    after = c.criteria(stage)
    assert [x.status for x in after.criteria] == ["unknown", "met"]
    assert after.after == "Evaluation" and after.status == "unchanged"
    assert {x.what for x in c.claimed} == {"economic_buyer (fact)", "next step",
                                            "exit criterion met: Economic buyer named"}
    assert all(x.speaker == "Omar Haddad" and x.turn == "t5" for x in c.claimed)


def test_the_outcome_our_rep_recorded_confirms_a_claim_of_its_kind() -> None:
    from assistant.reflect.models import Fact, Quote
    from assistant.reflect.validate import _Containment

    signed = Quote(text="Priya signed the order form in DocuSign at noon.", speaker="Omar Haddad",
                   turn="t7")
    rival = Quote(text="The committee went with Parcelo after the bake-off; the evaluation is "
                       "closed.", speaker="Omar Haddad", turn="t4")
    facts = [Fact(id="f1", field="decision_process", value="signed", status="known",
                  quote=signed),
             Fact(id="f2", field="competitors", value="Parcelo", status="known", quote=rival)]
    keep = lambda c: [f.id for f in c.keep(facts, lambda f: f.field)]  # noqa: E731
    assert keep(_Containment(["Jo Park"])) == []  # no outcome recorded: both held
    assert keep(_Containment(["Jo Park"], outcome="won")) == ["f1"]  # a won deal was signed
    assert keep(_Containment(["Jo Park"], outcome="lost")) == ["f2"]  # a lost one went elsewhere
