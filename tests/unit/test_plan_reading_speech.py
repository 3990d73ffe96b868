"""Reading what customers said in our own notes: quotes, who said them, refusals, conditions;
exit criteria read by the step they ask for; risks beyond competitors; the objective code
writes when the model gives nothing usable."""

from __future__ import annotations

import re

from assistant.prep.buyers import buyer_lines
from assistant.prep.criteria import read_criterion
from assistant.prep.objections import find_objections, find_open_items
from assistant.prep.risks import find_risks
from assistant.prep.sentences import note_sentences, pool

ROLES = [{"name": "Sam Reyes", "role": "lead"}, {"name": "Ola Berg", "role": "commercial"},
         {"name": "Ivo Tan", "role": "technical"}]
PEOPLE = ["Martin Greaves", "Angela Whitcomb", "Tony Marchetti"]


def note(text: str, nid: str = "x-n1", date: str = "2026-11-10") -> dict[str, str]:
    return {"id": nid, "date": date, "author": "Sam Reyes", "kind": "call", "full_text": text}


def test_a_sentence_ends_inside_a_closing_quote_and_the_quoted_person_is_the_speaker() -> None:
    rows = note_sentences(note(
        "Angela: \"Martin told me, 'I don't pay consultants on savings I can't audit.'\" "
        "Path: the Finance Committee decides on Dec 15."), PEOPLE)
    assert [r.text[:6] for r in rows] == ["Angela", "Path: "]
    assert rows[0].speaker == "Martin Greaves" and rows[0].reported and rows[0].customer
    assert rows[1].speaker is None and not rows[1].customer


def test_a_quote_that_runs_over_sentences_stays_the_customers_words() -> None:
    rows = note_sentences(note(
        'Tony Marchetti said: "Why does year two go up 11%? And I never sign auto-renewals, '
        'ever." Then we talked about the weather in Boston.'), PEOPLE)
    assert [(r.speaker, r.reported) for r in rows] == [
        ("Tony Marchetti", True), ("Tony Marchetti", True), (None, False)]


def test_refusals_conditions_and_redlines_are_objections_with_an_owner() -> None:
    rows = pool([note('Tony Marchetti: "I\'m not paying $12,500 to move our own customer '
                      'list." Angela says security: "No gateways on my network until this is '
                      'closed." Redlines from their counsel: termination for convenience after '
                      "12 months, liability capped at fees.")], PEOPLE)
    found = find_objections(rows, ROLES, [], ["Tony Marchetti", "Angela Whitcomb"])
    texts = " | ".join(o.text for o in found)
    assert "$12,500" in texts and "No gateways" in texts and "termination" in texts
    owners = {o.topic: o.owner for o in found}
    assert owners["price"] == "Ola Berg" and owners["legal"] == "Ola Berg"


def test_work_we_owe_is_an_open_item_not_an_objection() -> None:
    rows = pool([note("Open items: our SLA credit language (Ola, due Dec 5) and the insurance "
                      "certificate Nora asked for.")], PEOPLE)
    assert find_objections(rows, ROLES, [], ["Nora Castellanos"]) == []
    assert [i.owner for i in find_open_items(rows, ROLES, team=["Ola Berg"])] == ["Ola Berg"]


def test_a_customer_naming_a_rival_with_a_price_is_an_objection() -> None:
    rows = pool([note('Martin Greaves: "Gusto costs me six dollars a head."')], PEOPLE)
    found = find_objections(rows, ROLES, [], ["Martin Greaves"], competitors=["Gusto"])
    # its point is money: a price objection, the rival in its text
    assert [(o.topic, o.speaker) for o in found] == [("price", "Martin Greaves")]
    plain = find_objections(rows, ROLES, [], ["Martin Greaves"])  # no rival known: a price point
    assert [(o.topic, o.answer) for o in plain] == [
        ("price", "needs an answer: Ola Berg, on Martin's price point (costs)")]


def test_a_done_word_counts_only_for_the_step_the_criterion_asks_for() -> None:
    sent = pool([note("Sent the proposal to Ray: 64 techs at $109 per tech per month.")])
    assert read_criterion("Signer has seen the price and said yes to the number",
                          sent).status != "met"
    agreed = pool([note("Ray agreed to the $109 price on the call.")])
    assert read_criterion("Signer has seen the price and said yes to the number",
                          agreed).status == "met"


def test_a_criterion_in_their_own_words_is_met_by_a_quote_with_numbers() -> None:
    rows = pool([note('Kira: "We lose 30 hours a week to callbacks and drive time."')],
                ["Kira Sato"])
    read = read_criterion("The pain, in the customer's own words and numbers (callbacks, "
                          "drive time)", rows)
    assert read.status == "met" and read.cites == ["x-n1"]
    ours = pool([note("Callbacks and drive time cost them about 30 hours a week.")])
    assert read_criterion("The pain, in the customer's own words and numbers (callbacks, "
                          "drive time)", ours).status != "met"


def test_reported_words_are_the_buyers_own_even_when_another_name_opens_the_sentence() -> None:
    rows = pool([note("Angela: \"Martin told me, 'I don't pay consultants on savings I can't "
                      "audit.'\"")], PEOPLE)
    lines = buyer_lines(["Martin Greaves", "Angela Whitcomb"], rows, people=PEOPLE)
    assert lines["Martin Greaves"] and lines["Martin Greaves"][0].own_words
    assert lines["Angela Whitcomb"] == []


def test_product_gaps_deadlines_and_legal_terms_are_risks_with_a_dated_mitigation() -> None:
    rows = pool([note("Product says a Canada region is planned for H1 2027, no committed date. "
                      "Kira pulled the contract: notice is due December 30. Their counsel wants "
                      "uncapped liability for data breaches.")], ["Kira Sato"])
    risks = {r.kind: r for r in find_risks(rows, [], ROLES, ["Kira Sato"])}
    assert {"product_gap", "deadline", "legal_terms"} <= set(risks)
    assert "work back from December 30 with Kira Sato" in risks["deadline"].mitigation
    assert risks["legal_terms"].mitigation.startswith("Ola Berg")
    assert risks["product_gap"].mitigation.startswith("Ivo Tan")


def test_a_rival_is_a_risk_where_it_competes_not_where_its_files_are_named() -> None:
    rows = pool([note("Data: Oracle AP and PO, item master, Vizient contract files.")])
    assert find_risks(rows, [], ROLES, [], competitors=["Vizient"]) == []
    quoted = pool([note("Neil will bring Vizient's quote for its savings module.")])
    assert [r.kind for r in find_risks(quoted, [], ROLES, [], competitors=["Vizient"])] == [
        "competitor"]


STORIES = [
    {"id": "story-won", "outcome": "won", "title": "Foothill Air", "full_text":
     "The controller objected to the jump from the year-one rate to list in year two. We capped "
     "the year-two increase at 6% instead of cutting year one."},
    {"id": "story-lost", "outcome": "lost", "title": "Canyon", "full_text":
     "They chose the cheaper tool; our price was 20% higher in year two."},
]


def test_a_won_storys_answer_answers_the_objection_not_its_setup_nor_a_loss() -> None:
    rows = pool([note('Pam: "$109 in year one and then $129, that\'s an 18% jump in year two '
                      'and I can\'t take that to Ray."')], ["Pam Ostrowski"])
    found = find_objections(rows, ROLES, STORIES, ["Pam Ostrowski"])
    assert len(found) == 1 and found[0].answer_cites == ("story-won",)
    assert "We capped the year-two increase at 6%" in found[0].answer


def test_a_possessive_name_before_a_quote_is_not_the_speaker() -> None:
    rows = note_sentences(note('Frank Moretti saw Kate\'s numbers: "I\'d do the trucks '
                               'tomorrow."'), ["Frank Moretti", "Kate Doyle"])
    assert rows[0].speaker == "Frank Moretti"


def test_bullets_under_an_open_items_heading_are_open_items_with_their_owner() -> None:
    rows = pool([note("Open before Nov 13:\n"
                      "- Soft-Pak integration confirmation, API key with their IT vendor (Ivo)\n"
                      "- written answer on hardware ownership after 36 months (Ola)\n\n"
                      "Wins so far:\n- Wade liked the photo proof")])
    items = find_open_items(rows, ROLES, team=["Ivo Tan", "Ola Berg"])
    assert [(i.text[:14], i.owner) for i in items] == [("Soft-Pak integ", "Ivo Tan"),
                                                        ("written answer", "Ola Berg")]


def test_a_rival_a_newer_note_rules_out_is_no_objection() -> None:
    rows = pool([note('Dana Ruiz: "Tom\'s team has a quote from Tallyworks for about $9,000 a '
                      'year."', "x-n1", "2026-10-29"),
                 note("Tom: We're not going ahead with Tallyworks.", "x-n2", "2026-11-18")],
                ["Dana Ruiz", "Tom Becker"])
    found = find_objections(rows, ROLES, [], ["Dana Ruiz", "Tom Becker"],
                            competitors=["Tallyworks"])
    assert found == []


def test_a_story_that_names_the_rival_answers_with_what_we_did_next_not_the_setup() -> None:
    """A won story's sentence about the rival ("DentaFlow was $46 a seat cheaper on paper.")
    is the scene; the prepared answer is the story's next sentence saying what we did."""
    from assistant.prep.objections import _story_answer

    story = {"id": "story-ridge-win", "outcome": "won", "date": "2026-05-14",
             "full_text": "DentaFlow was $46 a seat cheaper on paper. We won because the owner saw "
                     "her own remake number next to our price: 180 remade units a quarter. "
                     "Go-live was booked in January."}
    rival = [re.compile(r"\bDentaFlow\b")]
    answer = _story_answer("competitor", "DentaFlow quoted us $49 a seat, so I need to show "
                           "her why you are almost double.", [story], rival)
    assert answer is not None
    assert answer[0].startswith("From story-ridge-win: We won because the owner saw")


def test_a_reported_worry_is_the_objection_of_the_buyer_it_belongs_to() -> None:
    note = {"id": "hb-n06", "date": "2026-11-16", "author": "Nadia Ferreira",
            "full_text": "Per Greg, Helen's real worry is her ceramists: \"my ceramists will "
                         "not learn a new screen in December.\""}
    buyers = ["Helen Marchetti", "Greg Thibodeau"]
    sentences = note_sentences(note, buyers, ["Nadia Ferreira"])
    found = find_objections(sentences, [{"name": "Nadia Ferreira", "role": "lead"}], [], buyers,
                            team=["Nadia Ferreira"])
    assert found and found[0].speaker == "Helen Marchetti"


def test_a_chat_mention_starts_a_sentence_of_its_own() -> None:
    note = {"id": "hb-n06", "date": "2026-11-16", "author": "Nadia Ferreira",
            "full_text": "Also Helen asked Greg \"why don't we just move to Labwright's cloud "
                         "version\". @Marcus @Tamsin can you both join?"}
    texts = [s.text for s in note_sentences(note, ["Helen Marchetti"], ["Nadia Ferreira"])]
    assert texts[0].endswith("cloud version\".") and "@Marcus" not in texts[0]


def test_open_work_is_found_however_the_note_writes_it() -> None:
    rows = pool([
        note("Open before the Oct 30 review: the signed DPA from their counsel (Ola). "
             "Their IT sent a 48-item vendor checklist; the checklist is still 30/48. "
             "Ivo to confirm the tablets run offline. I owe Nora a written answer on "
             "data retention.", "y-n3", "2026-10-20"),
        note("Ivo promised Nora a sizing sheet for all 9 sites by Oct 1.", "y-n1", "2026-09-02"),
        note("Nora says the sizing sheet slipped on their side too, sorry.", "y-n2",
             "2026-10-18"),
        note("Ken signed the security review; all 48 questions answered.", "y-n4",
             "2026-10-21")], PEOPLE)
    items = " | ".join(i.text for i in find_open_items(rows, ROLES, team=["Ivo Tan", "Ola Berg"]))
    for said in ("signed DPA", "48-item", "still 30/48", "Ivo to confirm", "I owe Nora",
                 "sizing sheet for all 9 sites", "slipped"):
        assert said in items, said
    assert "all 48 questions answered" not in items  # done, not open


def test_a_line_about_what_we_owe_in_general_is_no_open_item() -> None:
    rows = pool([note("Where things stand: what we owe Vantor and what they owe us.")])
    assert find_open_items(rows, ROLES, team=["Ivo Tan"]) == []


def test_a_story_scene_that_carries_its_own_answer_is_kept_over_a_bare_outcome() -> None:
    """"Brightwell was cheaper but could not print tickets offline." answers the rival's price
    by itself; the story's next sentence, "Closed in three weeks.", only says what happened
    after and answers nothing."""
    from assistant.prep.objections import _story_answer

    story = {"id": "story-kiln-win", "outcome": "won", "date": "2026-03-02",
             "full_text": "Brightwell was cheaper but could not print tickets offline. "
                          "Signed in three weeks."}
    rival = [re.compile(r"\bBrightwell\b")]
    answer = _story_answer("competitor", "Brightwell quoted $30 a kiln a month.", [story], rival)
    assert answer is not None
    assert answer[0] == ("From story-kiln-win: Brightwell was cheaper but could not print "
                         "tickets offline.")
