"""Facts a rep would strike: one fact per sentence and field, losses and bare price talk are
no budget, a rival's contract is no timeline, our own promise is no customer fact."""

from __future__ import annotations

from typing import Any

from assistant.reflect import extract as ex
from assistant.reflect.fields import called_by_name, field_facts, misfiled, own_promise
from assistant.reflect.validate import Builder

SELLERS = ["Ines Varga", "Piet Moll"]
TURNS: list[dict[str, Any]] = [
    {"id": "t1", "speaker": "Ines Varga", "text": "Piet will walk the dock schedule, and we'd "
     "like Rosa to trial it at the Leeds depot from March 3."},
    {"id": "t2", "speaker": "Piet Moll", "text": "Today we log the arrivals and the approval "
     "times per bay, and the paperwork sits in a folder."},
    {"id": "t3", "speaker": "Rosa Quint", "text": "We lose about £7,500 a month on pallets we "
     "never invoice. Finance set aside £30k for a pilot in Q3."},
    {"id": "t4", "speaker": "Rosa Quint", "text": "We already pay Dockly for booking until "
     "August 31, so nothing before then."},
    {"id": "t5", "speaker": "Ines Varga", "text": "I'll send the data-protection answers by "
     "May 2."},
    {"id": "t6", "speaker": "Rosa Quint", "text": "Good. Send them to Abel too."},
    {"id": "t7", "speaker": "Ines Varga", "text": "Then we'd like the pilot review on June 9 "
     "with Abel."},
    {"id": "t8", "speaker": "Rosa Quint", "text": "June 9 works."},
]
OURS = {s.casefold() for s in SELLERS}


def _builder() -> Builder:
    gathered = {"attributes": [], "team": SELLERS, "competitors": ["Dockly"],
                "buyers_known": {"Rosa Quint": ""}}
    return Builder(gathered=gathered, turns=TURNS, grams=set(), icp=None)  # type: ignore[arg-type]


def test_a_loss_and_words_with_no_money_are_no_budget() -> None:
    loss = "We lose about £7,500 a month on pallets we never invoice."
    assert misfiled("budget", "£7,500", loss) is not None  # "invoice" does not make it spend
    assert misfiled("budget", "£30k", "Finance set aside £30k for a pilot in Q3.") is None
    assert misfiled("budget", "x", TURNS[1]["text"]) == "no amount and no budget in it"
    assert misfiled("budget", "x", "There is no budget until the autumn.") is None
    assert misfiled("budget", "£40k", "The board approved £40k to cut the overtime.") is None


def test_a_rivals_contract_is_a_competitors_fact_not_a_timeline() -> None:
    assert misfiled("timeline", "August 31", TURNS[3]["text"], rivals=["Dockly"]) is not None
    assert misfiled("timeline", "June 30", "Our Fleetbase licence runs until June 30.",
                    rivals=["Fleetbase"]) is not None
    assert misfiled("timeline", "June 30", "We go live by June 30.", rivals=["Fleetbase"]) \
        is None


def test_our_promise_is_a_next_step_unless_the_customer_made_it_theirs() -> None:
    # a proposal nobody on their side answered, a promise to send: ours
    assert own_promise(TURNS[0]["text"], TURNS, 0, OURS)
    assert own_promise(TURNS[4]["text"], TURNS, 4, OURS)  # "Good." does not make it theirs
    # a proposal their next turn agrees to is a plan they made theirs
    assert not own_promise(TURNS[6]["text"], TURNS, 6, OURS)
    # a promise doing what they just asked for
    asked = [{"id": "t1", "speaker": "Rosa Quint", "text": "Keep the trial running through "
              "April if you can."},
             {"id": "t2", "speaker": "Piet Moll", "text": "We'll keep it on until April 30."}]
    assert not own_promise(asked[1]["text"], asked, 1, OURS)
    facts = field_facts(TURNS, sellers=SELLERS, competitors=["Dockly"], people=["Rosa Quint"])
    quotes = [f["quote"] for f in facts]
    assert not any("we'd like Rosa" in q or "data-protection" in q for q in quotes)
    assert not any(f["field"] == "budget" and "folder" in f["quote"] for f in facts)
    assert not any(f["field"] == "budget" and "£7,500" in f["quote"] for f in facts)
    assert any(f["field"] == "timeline" and "June 9" in f["value"] for f in facts)


def test_the_models_fact_and_codes_on_one_sentence_are_one_fact() -> None:
    b = _builder()
    hints = ex.find_hints(TURNS, competitors=["Dockly"], people=["Rosa Quint", *SELLERS])
    # as the workflow reads them: per field, then the amounts, dates and rivals alone
    code = (field_facts(TURNS, sellers=SELLERS, competitors=["Dockly"], people=["Rosa Quint"])
            + ex.code_facts(TURNS, hints, sellers=SELLERS))
    draft = {"facts": [
        {"field": "budget", "value": "£30k", "status": "inferred",
         "quote": "Finance set aside £30k for a pilot in Q3."},
        {"field": "timeline", "value": "from March 3", "status": "known",
         "quote": "we'd like Rosa to trial it at the Leeds depot from March 3"},
        {"field": "timeline", "value": "August 31", "status": "known",
         "quote": "We already pay Dockly for booking until August 31"},
    ]}
    facts = b.facts(draft, code)
    budget = [f for f in facts if f.field == "budget"]
    # one line: the model's value (it kept the amount), the sentence once, and the status of
    # who said it (the customer: known, whatever the model said)
    assert [(f.value, f.status, f.quote.text) for f in budget] == [
        ("£30k", "known", "Finance set aside £30k for a pilot in Q3.")]
    # our proposal is dropped, the rival's contract filed under competitors
    assert not any("March 3" in f.quote.text for f in facts)
    assert any("our own promise" in d for d in b.dropped)
    dockly = [f for f in facts if "Dockly" in f.quote.text]
    assert dockly and {f.field for f in dockly} == {"competitors"}
    # no sentence twice in one field
    keys = [(f.field, f.quote.text) for f in facts]
    assert len(keys) == len(set(keys))


def test_codes_sentence_replaces_a_model_value_that_lost_a_name() -> None:
    turns = [{"id": "t1", "speaker": "Rosa Quint",
              "text": "Abel Ortiz signs anything above £50k for Leeds and Hull."}]
    b = Builder(gathered={"attributes": [], "team": SELLERS, "competitors": [],
                          "buyers_known": {}}, turns=turns, grams=set(),
                icp=None)  # type: ignore[arg-type]
    code = [{"field": "economic_buyer", "value": turns[0]["text"], "quote": turns[0]["text"],
             "turn": "t1", "said_by_customer": True}]
    draft = {"facts": [{"field": "economic_buyer", "value": "signs above £50k",
                        "status": "inferred", "quote": turns[0]["text"]}]}
    facts = b.facts(draft, code)
    assert [(f.value, f.source, f.status) for f in facts] == [
        (turns[0]["text"], "code", "known")]


def test_our_agenda_for_the_call_is_no_customer_fact() -> None:
    turns = [{"id": "t1", "speaker": "Ines Varga", "text": "Today we want to understand the "
              "pilot scope and who decides on the Leeds rollout."},
             {"id": "t2", "speaker": "Rosa Quint", "text": "Abel decides anything above £50k."}]
    assert own_promise(turns[0]["text"], turns, 0, OURS)
    facts = field_facts(turns, sellers=SELLERS, people=["Rosa Quint"])
    assert not any(f["turn"] == "t1" for f in facts)
    assert any(f["turn"] == "t2" for f in facts)


def test_what_they_pay_a_rival_today_is_filed_under_competitors() -> None:
    turns = [{"id": "t1", "speaker": "Rosa Quint", "text": "I don't need a booking tool; we "
              "already pay Slotwise for that until June 30."},
             {"id": "t2", "speaker": "Piet Moll", "text": "Today we track the arrivals and the "
              "approval times per bay."}]
    facts = field_facts(turns, sellers=SELLERS, people=["Rosa Quint"])
    assert [(f["field"], f["turn"]) for f in facts] == [("competitors", "t1")]


def test_a_company_or_our_seller_is_no_economic_buyer_or_champion() -> None:
    b = _builder()
    draft = {"facts": [
        {"field": "economic_buyer", "value": "Dockly", "status": "known",
         "quote": "We already pay Dockly for booking until August 31"},
        {"field": "champion", "value": "Piet Moll", "status": "known",
         "quote": "Today we log the arrivals and the approval times per bay"},
        {"field": "economic_buyer", "value": "Abel", "status": "known",
         "quote": "Send them to Abel too."},
    ]}
    facts = b.facts(draft, [])
    # Abel is named in the call and never as a vendor: a person, kept
    assert [(f.field, f.value) for f in facts] == [("economic_buyer", "Abel")]
    assert any("Dockly" in d and "company" in d for d in b.dropped)
    assert any("Piet Moll" in d and "our own sellers" in d for d in b.dropped)


def test_names_a_buyer_may_have_are_never_a_vendor_or_a_product() -> None:
    turns = [{"id": "t1", "speaker": "Rosa Quint", "text": "We pay Tallyhub $900 a month and "
              "the numbers sit in ShiftDesk. Ask Abel, he runs the floor."}]
    names = called_by_name(turns)
    assert "Abel" in names and "Tallyhub" not in names and "ShiftDesk" not in names


def test_our_sellers_agenda_is_no_fact_even_when_the_customer_says_sure() -> None:
    turns = [{"id": "t1", "speaker": "Rosa Quint", "text": "Morning both."},
             {"id": "t2", "speaker": "Ines Varga", "text": "Morning. Today we want to settle "
              "the trial scope and the depot rollout decision."},
             {"id": "t3", "speaker": "Rosa Quint", "text": "Sure, sounds good."},
             {"id": "t4", "speaker": "Piet Moll", "text": "So that's 14 bays at Leeds, and "
              "the trial starts March 3."},
             {"id": "t5", "speaker": "Rosa Quint", "text": "What about the Hull scanners?"},
             {"id": "t6", "speaker": "Piet Moll", "text": "The Hull scanners read the same "
              "labels as Leeds. Two things from us today: your budget and your signer."}]
    b = Builder(gathered={"attributes": [], "team": SELLERS, "competitors": [],
                          "buyers_known": {"Rosa Quint": ""}}, turns=turns, grams=set(),
                icp=None)  # type: ignore[arg-type]
    draft = {"facts": [
        {"field": "decision_criteria", "value": "trial scope, depot rollout decision",
         "status": "known", "quote": "Today we want to settle the trial scope and the depot "
         "rollout decision."},
        {"field": "budget", "value": "your budget", "status": "known",
         "quote": "Two things from us today: your budget and your signer."},
        {"field": "timeline", "value": "March 3", "status": "known",
         "quote": "So that's 14 bays at Leeds, and the trial starts March 3."},
        {"field": "decision_criteria", "value": "same labels as Leeds", "status": "known",
         "quote": "The Hull scanners read the same labels as Leeds."}]}
    facts = b.facts(draft, [])
    # our agenda lines are dropped; our recap of their figure and our answer to their
    # question stay
    assert [f.quote.turn for f in facts] == ["t4", "t6"]
    assert sum("our seller's line" in d for d in b.dropped) == 2
    code = field_facts(turns, sellers=SELLERS, people=["Rosa Quint"])
    assert not any(c["turn"] == "t2" or "budget and your signer" in c["quote"] for c in code)
