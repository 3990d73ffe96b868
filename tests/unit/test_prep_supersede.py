"""Polarity and supersession (assistant/prep/supersede.py), and the plan parts that use them.

Every case is written in words unlike the eval scenarios: a bakery chain, a dental group, a
shipping broker."""

from __future__ import annotations

import pytest

from assistant.prep.criteria import read_criterion
from assistant.prep.questions import ask_for
from assistant.prep.risks import find_risks
from assistant.prep.sentences import Sentence
from assistant.prep.supersede import current, figures, hedged, superseded

ROLES = [{"name": "Pia Rand", "role": "lead"}, {"name": "Omar Tull", "role": "technical"}]


def s(text: str, date: str, note: str = "n1", **kw: object) -> Sentence:
    return Sentence(text, note, date, "Pia Rand", "call", **kw)  # type: ignore[arg-type]


# ---- polarity -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    'Who approves the ovens: "we\'ll see, it is between me and Bruno".',
    "Ingrid: I'd have to check with the board before I say yes.",
    "Approval sits with both of us, we split things.",
    "Signing is not up to me.",
    "Yes in principle, once the dentists vote.",
    "Ask Bruno after the owners meet.",
])
def test_hedged_yes_is_no_yes(text: str) -> None:
    assert hedged(text)


@pytest.mark.parametrize("text", [
    "Ingrid approved the oven budget on the call.",
    "Bruno signs every contract over $5,000.",
    "The pilot ran at the Eastgate bakery for four weeks.",
])
def test_plain_statements_are_not_hedged(text: str) -> None:
    assert not hedged(text)


def test_a_hedged_answer_on_the_signer_keeps_the_criterion_open() -> None:
    crit = "We know the person who signs for equipment, by name"
    said = s('Asked who signs for equipment: "we\'ll see, Bruno and I split that".', "2026-03-02")
    read = read_criterion(crit, [said])
    assert read.status == "open"
    assert read.quote is said


# ---- supersession ---------------------------------------------------------------------------

def test_a_newer_figure_for_the_same_thing_replaces_the_older() -> None:
    old = s("Quoted $9,400 a year plus $1,200 for the scanners.", "2026-02-01", "a")
    new = s("Re-quoted for two clinics: $6,100 a year, scanner install $800.", "2026-03-01", "b")
    pool = [new, old]
    assert superseded(old, pool)
    assert not superseded(new, pool)
    assert current(pool) == [new]


def test_a_figure_for_another_thing_does_not_replace() -> None:
    pain = s("No-shows cost the clinic $14,000 in chair time.", "2026-02-01", "a")
    price = s("Re-quoted: $6,100 a year.", "2026-03-01", "b")
    assert not superseded(pain, [price, pain])


def test_figures_know_what_they_are_for() -> None:
    (value, words, rate), = figures("They pay $2.5k a month for the old scheduler.")
    assert value == 2500 and rate and "schedule" in " ".join(words)


def test_a_thing_taken_out_drops_the_older_point_about_it() -> None:
    old = s("Why pay the full rate for Harbourview when it is half empty?", "2026-02-01", "a")
    out = s("Took Harbourview out of the order for now.", "2026-03-01", "b")
    other = s("Why pay for a second scanner at Millgate?", "2026-02-01", "a")
    pool = [out, old, other]
    assert superseded(old, pool)
    assert not superseded(other, pool)


def test_a_point_closed_later_is_not_sent_back() -> None:
    worry = s("Ingrid worries the import will scramble the patient recall list.", "2026-02-01", "a")
    spend = s("Ingrid also mentioned a freeze on new purchases.", "2026-02-01", "a")
    fixed = s("Omar reran the import: the recall list came through intact.", "2026-03-01", "b")
    closed = s('Ingrid replied "fine by me".', "2026-03-01", "b")
    pool = [fixed, closed, worry, spend]
    assert superseded(worry, pool)
    assert not superseded(spend, pool)  # the close was about the recall list, not the freeze


def test_a_hedged_close_closes_nothing() -> None:
    worry = s("Ingrid worries the import will scramble the patient recall list.", "2026-02-01", "a")
    fixed = s("Omar reran the import of the recall list.", "2026-03-01", "b")
    maybe = s('Ingrid: "fine by me, probably, I\'d have to check".', "2026-03-01", "b")
    assert not superseded(worry, [fixed, maybe, worry])


# ---- hinted risks ---------------------------------------------------------------------------

def _kinds(pool: list[Sentence], people: list[str]) -> dict[str, str]:
    return {r.kind: r.risk for r in find_risks(pool, [], ROLES, people)}


def test_a_champion_stepping_back_is_a_risk_with_who_sits_in() -> None:
    pool = [s("I'm stepping back for a few weeks after Easter.", "2026-03-01", "m"),
            s("Dario Fenn will sit in for me.", "2026-03-01", "m")]
    kinds = _kinds(pool, ["Ingrid Holm", "Dario Fenn"])
    assert "champion_change" in kinds and "Dario Fenn" in kinds["champion_change"]
    risk, = [r for r in find_risks(pool, [], ROLES, ["Ingrid Holm", "Dario Fenn"])
             if r.kind == "champion_change"]
    assert "meet Dario Fenn" in risk.mitigation


def test_work_moving_in_house_is_a_risk() -> None:
    pool = [s("The owners are talking about bringing the delivery routes in-house.", "2026-03-01")]
    assert "work_change" in _kinds(pool, ["Ingrid Holm"])


def test_a_decision_above_them_is_a_risk() -> None:
    pool = [s("Anything this size needs the parent company's sign-off.", "2026-03-01")]
    assert "decision_change" in _kinds(pool, ["Ingrid Holm"])


def test_no_signer_named_once_they_have_our_price_is_a_risk() -> None:
    pool = [s("Sent our quote: $6,100 a year for two clinics.", "2026-03-01"),
            s("Ingrid liked the recall screen.", "2026-02-01")]
    risks = find_risks(pool, [], ROLES, ["Ingrid Holm"], attending=["Ingrid Holm"])
    eb = [r for r in risks if r.kind == "economic_buyer"]
    assert eb and "who signs" in eb[0].risk and "Ingrid Holm" in eb[0].mitigation


def test_a_named_signer_is_no_absence() -> None:
    pool = [s("Sent our quote: $6,100 a year for two clinics.", "2026-03-01"),
            s("Bruno Vale signs anything over $5,000.", "2026-02-01")]
    risks = find_risks(pool, [], ROLES, ["Ingrid Holm", "Bruno Vale"])
    assert not any(r.risk.startswith("No note names who signs") for r in risks)


# ---- questions that can be said -------------------------------------------------------------

@pytest.mark.parametrize("criterion", [
    "They agreed to trial one bakery, with a start date booked",
    "Nobody approved the oven budget",
    "No one signed off the rollout",
    "He agreed to the delivery terms",
    "Someone approved the budget",
    "The owner saw the price per bakery and did not walk away",
    "The rollout order is agreed",
    "They told us in their own figures what waste costs them",
    "We know the person who approves equipment, by name",
    "Every kitchen used the app for a week",
    "The baker at that branch said the ovens heated evenly",
    "They walked the floor with us",
    "Nobody stayed on the call",
    "Zz",
])
def test_template_questions_are_grammatical_with_any_filler(criterion: str) -> None:
    q = ask_for(criterion)
    assert q.endswith("?") and q[0].isupper()
    for broken in ("the they", "the nobody", "the he ", "is is", "are is", "nobody need",
                   "and did not", "they told us", "the you"):
        assert broken not in q.casefold(), (criterion, q)


def test_told_us_becomes_a_question_to_them() -> None:
    assert ask_for("They told us in their own figures what waste costs them") == \
        "Can you tell us in your own figures what waste costs you?"


# ---- shorthand: a refusal that names its point only through "that" --------------------------

def test_a_refusal_through_that_carries_the_sentence_before() -> None:
    from assistant.prep.sentences import with_antecedents

    before = s("The last installer cracked two of our oven doors.", "2026-02-01", "e",
               quoted=True, speaker="Bruno Vale")
    refusal = s("I will not go through that again.", "2026-02-01", "e", quoted=True,
                speaker="Bruno Vale")
    joined = with_antecedents([before, refusal])
    assert len(joined) == 1 and "oven doors" in joined[0].text and "again" in joined[0].text
    own = s("I will not pay for delivery again.", "2026-02-01", "e", quoted=True,
            speaker="Bruno Vale")
    assert len(with_antecedents([before, own])) == 2  # it names its own point


# ---- open items: unanswered questions and answers put off -----------------------------------

@pytest.mark.parametrize("text", [
    "Still nobody has said who approves the ovens.",
    'Oven budget and who signs: "after the owners meet in March, ask Bruno".',
    "Trial agreed, but no start date until the landlord confirms the wiring.",
])
def test_unanswered_or_deferred_points_are_open_items(text: str) -> None:
    from assistant.prep.objections import find_open_items

    items = find_open_items([s(text, "2026-03-01")], ROLES, team=["Pia Rand", "Omar Tull"])
    assert [i.text for i in items] == [text]


def test_a_settled_point_is_no_open_item() -> None:
    from assistant.prep.objections import find_open_items

    pool = [s("Omar reran the import: the recall list came through intact.", "2026-03-02", "b"),
            s('Ingrid replied "fine by me".', "2026-03-02", "b"),
            s("Waiting on Omar to rerun the recall list import.", "2026-03-01", "a")]
    assert find_open_items(pool, ROLES, team=["Pia Rand", "Omar Tull"]) == []


def test_an_outside_change_that_may_take_part_of_the_site_is_a_risk() -> None:
    pool = [s("The harbour board might take our loading bay for the new ferry ramp.",
              "2026-03-01")]
    assert "scope_change" in _kinds(pool, ["Ingrid Holm"])
    assert "scope_change" not in _kinds([s("The import will take two weeks.", "2026-03-01")],
                                        ["Ingrid Holm"])


def test_their_ceiling_and_a_rivals_price_stand_against_our_held_back_figures() -> None:
    cap = s("Ingrid wants year one under $30,000, all in.", "2026-02-01", "a")
    rival = s("Chairly quoted us $40 a chair.", "2026-02-01", "a")
    option = s("Option for Ingrid's cap: split the install fee, $29,400 year one.", "2026-03-01",
               "b")
    floor = s("Pia approves down to $52 a chair if we must.", "2026-03-01", "b")
    pool = [option, floor, cap, rival]
    assert not superseded(cap, pool) and not superseded(rival, pool)
    newer_cap = s("Ingrid now says under $27,000 for year one.", "2026-03-05", "c")
    assert superseded(cap, [newer_cap, *pool])


def test_a_rivals_figure_is_not_replaced_by_our_offer() -> None:
    rival = s("Chairly has offered $40 a chair for every clinic.", "2026-02-01", "a")
    ours = s("Offer: 60 chairs at $70 a chair, onboarding extra.", "2026-03-01", "b")
    assert not superseded(rival, [ours, rival])
    again = s("Chairly came back at $36 a chair.", "2026-03-02", "c")
    assert superseded(rival, [again, ours, rival])


def test_a_call_notes_shorthand_refusal_is_an_objection() -> None:
    from assistant.prep.objections import find_objections

    said = Sentence("No to moving the card readers (the bank leases them).", "n1",
                    "2026-03-01", "Pia Rand", "call")
    found = find_objections([said], ROLES, [], ["Ingrid Holm"], team=["Pia Rand"])
    assert [o.text for o in found] and "card readers" in found[0].text
    plan = Sentence("No to moving the card readers (the bank leases them).", "n1",
                    "2026-03-01", "Pia Rand", "research", plan=True)
    assert find_objections([plan], ROLES, [], ["Ingrid Holm"], team=["Pia Rand"]) == []


def test_a_closed_point_is_no_quote_for_an_open_criterion() -> None:
    from assistant.prep.criteria import read_criteria

    story = s("In 2024 a fitter cracked two oven doors and cost us $4,000 in repairs.",
              "2026-02-01", "a", quoted=True, speaker="Bruno Vale")
    fixed = s("The oven maker wrote that our bracket does not void the door warranty.",
              "2026-03-01", "b")
    ok = s('Bruno forwarded it with "fine by me".', "2026-03-01", "b")
    read, = read_criteria(["They told us in their own figures what waste costs them"],
                          [fixed, ok, story])
    assert read.quote is not story


def test_a_person_named_later_settles_the_older_no_name() -> None:
    old = s('Who approves the lease: "the family", no name.', "2026-02-01", "a")
    new = s("The lease goes to Marta Quill, their solicitor, who needs ten days.", "2026-03-01",
            "b")
    other = s("No name yet for the fit-out contractor.", "2026-02-01", "a")
    pool = [new, old, other]
    assert superseded(old, pool)
    assert not superseded(other, pool)  # the newer name is for the lease, not the fit-out


def test_what_we_asked_for_is_no_objection() -> None:
    from assistant.prep.objections import find_objections

    ours = Sentence("Asked for a tasting with both owners together; she'll check his week.",
                    "n1", "2026-03-01", "Pia Rand", "call", contacts=("Ingrid Holm",))
    assert find_objections([ours], ROLES, [], ["Ingrid Holm"], team=["Pia Rand"]) == []


def test_the_approver_above_them_attending_is_no_risk() -> None:
    pool = [s("The parent company CFO, Vera Stone, will join on the 12th.", "2026-03-01")]
    assert "decision_change" in _kinds(pool, ["Vera Stone"])
    attended = find_risks(pool, [], ROLES, ["Vera Stone"], attending=["Vera Stone"])
    assert "decision_change" not in {r.kind for r in attended}


def test_the_act_we_waited_on_done_later_settles_the_wait() -> None:
    wait = s("Nils has our fire-safety answers; his sign-off is still owed.", "2026-02-01", "a")
    done = s("Nils signed off by e-mail this morning.", "2026-03-01", "b")
    other = s("Still waiting on Mona for the floor plan.", "2026-02-01", "a")
    pool = [done, wait, other]
    assert superseded(wait, pool) and not superseded(other, pool)
    maybe = s("Nils approved it, probably, if the plan holds.", "2026-03-01", "b")
    assert not superseded(wait, [maybe, wait])


@pytest.mark.parametrize(("criterion", "question"), [
    ("One bakery ran a full week of orders on the new ovens",
     "Has one bakery run a full week of orders on the new ovens?"),
    ("The head baker said the proofing times held", "Has the head baker said the proofing "
     "times held?"),
    ("They walked the floor with us", "Have you walked the floor with us?"),
])
def test_what_someone_did_is_asked_as_has_it_happened(criterion: str, question: str) -> None:
    assert ask_for(criterion) == question


def test_a_buyer_stepping_back_is_a_cue_for_their_lines() -> None:
    from assistant.prep.buyers import CHANGE, cue_weight

    assert CHANGE.search("I'm stepping back from the project after Easter.")
    assert cue_weight("Dario will sit in for me until May.") > 0
    assert not CHANGE.search("Step back through the order screen to edit a line.")


def test_a_step_back_in_a_screen_is_no_person_change() -> None:
    import re

    from assistant.prep.objections import PERSON_CHANGE

    assert re.search(PERSON_CHANGE, "She is stepping away in June.", re.IGNORECASE)
    assert not re.search(PERSON_CHANGE, "Step back through the order screen to edit.",
                         re.IGNORECASE)


def test_a_thing_opening_a_sentence_is_still_a_thing_but_a_name_is_not() -> None:
    old = s('Who signs the lease: "the family", no name.', "2026-02-01", "a")
    new = s("Lease goes to Marta Quill, their solicitor.", "2026-03-01", "b")
    assert superseded(old, [new, old])
    spend = s("Bruno also mentioned a freeze on new purchases.", "2026-02-01", "a")
    closed = s('Bruno wrote back: "fine by me", the ovens pass.', "2026-03-01", "b")
    talk = s("We met Bruno and Ingrid on site.", "2026-01-01", "z")
    assert not superseded(spend, [closed, spend, talk])  # "Bruno" is a name, not a thing


def test_a_past_sale_in_a_story_is_no_decision_change() -> None:
    past = [s("In 2022 a vendor sold us an oven timer that never worked.", "2026-03-01")]
    assert "decision_change" not in _kinds(past, ["Ingrid Holm"])
    ahead = [s("Two of the bakeries may be sold by the autumn.", "2026-03-01")]
    assert "decision_change" in _kinds(ahead, ["Ingrid Holm"])


def test_our_own_plan_line_is_no_sign_they_have_the_price() -> None:
    plan = [s("@Omar you walk them through our quote on Thursday.", "2026-03-01",
              teammate="Pia Rand")]
    risks = find_risks(plan, [], ROLES, ["Ingrid Holm"], attending=["Ingrid Holm"])
    assert not any(r.risk.startswith("No note names who signs") for r in risks)


def test_a_newer_to_do_of_the_same_person_on_the_same_thing_replaces_the_older() -> None:
    older = s("Omar to send the revised delivery schedule before the tasting.", "2026-04-02",
              "n1")
    newer = s("Omar brings the delivery schedule for all four bakeries, printed.",
              "2026-04-09", "n2")
    other = s("Omar to send the oven warranty terms.", "2026-04-02", "n1")
    pool = [newer, older, other]
    assert superseded(older, pool)
    assert not superseded(newer, pool)
    assert not superseded(other, pool)  # another thing of his stays open
    someone_else = s("Pia to send the revised delivery schedule.", "2026-04-02", "n1")
    assert not superseded(someone_else, [newer, someone_else])  # another person's to-do
