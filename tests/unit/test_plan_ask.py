"""The ask reads as a rep would say it; stakes belong to their person; ICP questions are
grammatical; the open criterion's person is found by any name form."""

from __future__ import annotations

import glob
import re
from pathlib import Path

import pytest
import yaml

from assistant.plan import CriterionCheck
from assistant.prep.assemble import _ask, _brief, _named, _objective, stakes
from assistant.prep.buyers import buyer_lines
from assistant.prep.sentences import note_sentences, pool, pronouns
from knowledge.icp import attribute_question

ROOT = Path(__file__).resolve().parents[2]


def _note(text: str, nid: str = "k-n1", date: str = "2026-05-04",
          contacts: tuple[str, ...] = ()) -> dict[str, object]:
    return {"id": nid, "date": date, "author": "Pat Quill", "kind": "call",
            "full_text": text, "contacts": list(contacts)}


# ---- the ask ---------------------------------------------------------------------------

def test_the_ask_names_the_person_the_activity_and_the_question_that_settles_the_gap() -> None:
    g = {"next_stage_activity": "pilot kickoff"}
    target = ("The customer put a cost on the problem (late loads, detention fees, chargebacks, "
              "overtime) in their own numbers")
    ask = _ask(g, "Dr. Mirela Okafor", target,
               ("Mirela's stake", "“Mirela wants the dock schedule off paper.”", ["k-n3"]))
    assert ask == ("Ask Mirela to set a date for the pilot kickoff; first ask: “Can you put your "
                   "own number on the problem (late loads, detention fees)?” (why it matters to "
                   "Mirela: “Mirela wants the dock schedule off paper.”)")
    assert "once this is settled" not in ask and "chargebacks" not in ask


def test_an_ask_without_an_activity_asks_the_question_and_leaves_with_a_date() -> None:
    ask = _ask({}, "Bo Lindqvist", "Signature date set", None)
    assert ask == ("Ask Bo: “What date can we agree for the signature?”, and leave with a date "
                   "and an owner")
    assert _ask({}, None, "", None) == ("Ask them for a dated next step and who on their side "
                                        "owns it")


def test_brief_keeps_two_items_of_a_parenthesised_list_and_leaves_other_brackets() -> None:
    assert _brief("a (b, c, d) e (f g)") == "a (b, c) e (f g)"


# ---- stakes belong to their person ------------------------------------------------------

def test_a_she_after_two_people_is_not_the_man_named_last() -> None:
    people = ["Dr. Anton Weil", "Dr. Sonia Brandt"]
    older = _note("Anton called back. He wants a 12-month term.", "k-n0", "2026-04-01")
    newer = _note('- Sonia: "We lose 30 hours a week to rescheduling."\n'
                  '- Approver: "Dr. Anton Weil, our CMO, approves anything we buy."\n'
                  "- She wants her nurses on one calendar before the winter surge.",
                  contacts=("Dr. Sonia Brandt",))
    assert pronouns([older["full_text"], newer["full_text"]], people) == {  # type: ignore[list-item]
        "Dr. Anton Weil": "m"}
    rows = pool([newer, older], people, ["Pat Quill"])
    she = next(r for r in rows if r.text.startswith("She wants"))
    assert she.about == "Dr. Sonia Brandt"
    lines = buyer_lines(people, rows, people=people, team=["Pat Quill"])
    assert not any("nurses" in ln.text for ln in lines["Dr. Anton Weil"])
    assert any("nurses" in ln.text for ln in lines["Dr. Sonia Brandt"])


def test_a_pronoun_two_unknown_people_could_mean_is_nobodys() -> None:
    rows = note_sentences(_note('Lu Chen called. Approver: "Kai Mora signs." She is wary.'),
                          ["Kai Mora", "Lu Chen"])
    assert rows[-1].about is None
    # the person the pronoun agrees with, when the notes show it
    rows = note_sentences(_note("Lu Chen called. Kai Mora approves; he said so twice. "
                                "She is wary."), ["Kai Mora", "Lu Chen"])
    assert rows[-1].about == "Lu Chen"


def test_a_stake_is_by_or_about_its_person() -> None:
    lines = {"Ines Falk": [
        {"text": "Security committee approved us on May 2.", "cites": ["k-n2"]},
        {"text": "She wants one login for all six sites.", "cites": ["k-n2"]},
        {"text": "said: “No new hardware.”", "cites": ["k-n4"], "own_words": True,
         "plain": "No new hardware."},
        {"text": "Ines asked for the SOC 2 report.", "cites": ["k-n5"]}]}
    got = [t for t, _ in stakes("Ines Falk", lines)]
    assert got == ["“She wants one login for all six sites.”", "“No new hardware.”",
                   "“Ines asked for the SOC 2 report.”"]


def test_two_buyers_never_get_the_same_stake_in_one_plan() -> None:
    people = ["Nora Vance", "Eli Park"]
    rows = pool([_note("Nora and Eli both want the Q3 go-live. Nora worries about cost.")],
                people)
    lines = buyer_lines(people, rows, people=people)
    data = {b: [{"text": ln.text, "cites": list(ln.cites), "plain": ln.plain}
                for ln in ls] for b, ls in lines.items()}
    nora = {t for t, _ in stakes("Nora Vance", data)}
    eli = {t for t, _ in stakes("Eli Park", data)}
    assert not nora & eli


def test_the_objective_ask_carries_the_deciders_own_stake() -> None:
    g = {"account_name": "Tarn", "stage": "Demo", "next_stage": "Pilot",
         "exit_criteria": ["Pilot scope agreed"], "next_stage_activity": "pilot kickoff",
         "buyers": [{"name": "Vera Holt", "title": "COO"}]}
    lines = {"Vera Holt": [{"text": "said: “We want 4 depots live by June.”", "cites": ["t-n2"],
                            "own_words": True, "plain": "We want 4 depots live by June."}]}
    gap = [CriterionCheck(criterion="Pilot scope agreed", status="open", cites=["t-n1"],
                          quote="Scope still open: two depots or four.")]
    o = _objective(g, None, [], gap, lines)
    assert o.advance.startswith("Ask Vera to set a date for the pilot kickoff; first ask: “")
    assert o.advance.endswith("(why it matters to Vera: “We want 4 depots live by June.”)")
    # our note's narration of her is not her reason: no "why it matters" at all
    told = {"Vera Holt": [{"text": "After the depot tour Vera came back and asked for a price.",
                           "cites": ["t-n3"]}]}
    assert "matters to Vera" not in _objective(g, None, [], gap, told).advance


# ---- the open criterion's person, by any name form ---------------------------------------

def test_named_finds_the_person_by_first_name_as_the_rest_of_the_plan_does() -> None:
    check = CriterionCheck(criterion="Economic buyer named", status="open",
                           quote="Dana said Greg may want to see it.", cites=["s-n8"])
    buyers = [{"name": "Dana Ruiz"}]
    # before: only the whole name counted, so "Greg" found nobody and the question was generic
    assert _named(check, ["Greg Hollis", "Dana Ruiz"], buyers) == "Greg Hollis"
    shared = CriterionCheck(criterion="Economic buyer named", status="open",
                            quote="Greg may sign.", cites=["s-n8"])
    assert _named(shared, ["Greg Hollis", "Greg Mann"], buyers) == ""  # a shared first name


# ---- ICP questions ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "kind", "question"), [
    ("has_data_team", "bool", "Do they have a data team?"),
    ("has_soc", "bool", "Do they have a SOC?"),
    ("has_erp", "bool", "Do they have an ERP?"),
    ("uses_kafka", "bool", "Do they use kafka?"),
    ("is_public", "bool", "Are they public?"),
    ("unionized", "bool", "Are they unionized?"),
    ("multi_site", "bool", "Are they multi-site?"),
    ("crm_in_place", "bool", "Do they have CRM in place?"),
    ("union_contracts", "bool", "Do they have union contracts?"),
    ("franchise", "bool", "Are they a franchise?"),
    ("warehouses", "number", "How many warehouses do they have?"),
    ("it_staff", "number", "How many IT staff do they have?"),
    ("team_size", "number", "How big is their team?"),
    ("orders_per_week", "number", "How many orders per week?"),
    ("revenue_musd", "number", "What is their revenue, in millions of US dollars?"),
    ("erp", "category", "What is their ERP?"),
    ("billing_system", "category", "What is their billing system?"),
    ("languages", "category", "What are their languages?"),
])
def test_icp_questions_are_grammatical_for_each_kind(name: str, kind: str,
                                                      question: str) -> None:
    assert attribute_question(name, kind) == question


def test_no_icp_question_of_any_kb_is_built_from_a_raw_attribute_name() -> None:
    files = [f for f in glob.glob(str(ROOT / "**" / "icp.yaml"), recursive=True)
             if ".venv" not in f]
    assert len(files) >= 10
    for f in files:
        for a in yaml.safe_load(Path(f).read_text())["attributes"]:
            q = attribute_question(a["name"], a["kind"])
            assert "_" not in q and q.endswith("?") and q[0].isupper(), (f, q)
            assert not re.search(r"\btheir (?:has|is|uses)\b|\bhas \w+ \w+\?$", q), (f, q)
            assert not re.search(r"\bWhat is their \w+s\?", q) or a["kind"] != "number", q


def test_a_she_after_a_sentence_that_only_mentions_him_is_not_counted_as_his_pronoun() -> None:
    people = ["Piet Anker", "Della Roos"]
    rows = pool([_note("Della Roos is the economic buyer. Her words: \"results, not screens.\" "
                       "Contradicts Piet's March note: no hardware budget. She wants one vendor.",
                       contacts=("Della Roos",)),
                 _note("Piet Anker runs the fleet. He does not want another box on the trailer.",
                       "k-n0", "2026-03-01", contacts=("Piet Anker",))], people)
    assert pronouns([r.text for r in rows], people).get("Piet Anker") != "f"
    lines = buyer_lines(people, rows, people=people)
    assert [ln.text for ln in lines["Della Roos"] if "one vendor" in ln.text]
    assert any("another box" in ln.text for ln in lines["Piet Anker"])


def test_a_stake_says_something_not_an_introduction_or_a_date_to_talk() -> None:
    lines = {"Ola Brand": [
        {"text": "Kim: \"Ola Brand, our COO.\"", "cites": ["k-n1"]},
        {"text": "said: “Can we talk on March 3?”", "cites": ["k-n2"], "own_words": True,
         "plain": "Can we talk on March 3?"},
        {"text": "said: “Otherwise we stay on paper.”", "cites": ["k-n3"], "own_words": True,
         "plain": "Otherwise we stay on paper."}]}
    assert [t for t, _ in stakes("Ola Brand", lines)] == ["“Otherwise we stay on paper.”"]


def test_a_line_of_their_notes_that_is_not_theirs_is_a_point_not_their_stake() -> None:
    g = {"account_name": "Dunmore", "stage": "Demo", "next_stage": "Pricing",
         "exit_criteria": ["Signer said yes"], "next_stage_activity": "pricing review",
         "buyers": [{"name": "Rosa Imre", "title": "Director"}]}
    lines = {"Rosa Imre": [{"text": "Shift pay for 140 drivers is keyed by hand.",
                            "cites": ["d-n2"]}]}
    gap = [CriterionCheck(criterion="Signer said yes", status="open", cites=["d-n1"],
                          quote="No signer named yet.")]
    o = _objective(g, None, [], gap, lines)
    shown = " ".join([o.statement.text, o.advance, o.fallback])
    assert "Shift pay" not in shown  # our note's narration is nobody's reason: left out
    assert "matters to Rosa" not in o.advance and "Rosa's stake" not in o.statement.text


def test_the_writer_of_the_email_is_never_whom_its_he_means() -> None:
    note = {"id": "w-n3", "date": "2026-10-15", "author": "Pat Quill", "kind": "email",
            "contacts": ["Nell Ayres"],
            "full_text": "> Pat, Bram asked two things: the cost, and why not stay on paper?\n"
                         "> He also said nothing new gets funded until the audit closes.\n"
                         "> Nell Ayres | Operations"}
    rows = note_sentences(note, ["Nell Ayres", "Bram Okoro"], ["Pat Quill"])
    assert rows[-1].speaker == "Nell Ayres" and rows[-1].about == "Bram Okoro"
