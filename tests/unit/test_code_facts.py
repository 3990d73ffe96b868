"""The facts code proposes before any model answer: no recording header, nothing twice."""

from __future__ import annotations

from assistant.reflect import extract as ex
from assistant.reflect.fields import field_facts
from assistant.reflect.validate import Builder

TURNS = [
    {"id": "t1", "speaker": "Renata Solis", "text": "[Zoom transcript - Mesquite pilot review "
     "- 18 Nov 2026 - 44 min]"},
    {"id": "t2", "speaker": "Colt Ward", "text": "Samsara quoted $38 a truck, and the board "
     "decides on March 3."},
    {"id": "t3", "speaker": "Colt Ward", "text": "Our budget for this is $40k."},
]


def _code() -> list[dict]:
    hints = ex.find_hints(TURNS, competitors=["Samsara"], people=["Colt Ward"])
    return (field_facts(TURNS, sellers=["Renata Solis"], competitors=["Samsara"],
                        people=["Colt Ward"])
            + ex.code_facts(TURNS, hints, sellers=["Renata Solis"]))


def test_the_recording_header_is_no_timeline() -> None:
    assert not any("Nov 2026" in f["value"] or "transcript" in f["quote"] for f in _code())


def test_a_code_fact_inside_one_already_proposed_is_left_out() -> None:
    code = _code()
    assert any(f["value"] == "$40k" for f in code)  # the amount hint alone...
    builder = Builder(gathered={"attributes": []}, turns=TURNS, grams=set(),
                      icp=None)  # type: ignore[arg-type]  # facts read no ICP
    values = [f.value for f in builder.facts(None, code)]
    assert "$40k" not in values  # ...adds nothing to "Our budget for this is $40k."
    assert "Our budget for this is $40k." in values
    assert "Samsara" not in values and "$38" not in values  # the budget has no other fact
    # Samsara's price is competitor context, filed once, never as our budget
    filed = {f.field: f.value for f in builder.facts(None, code)}
    assert filed["competitors"].startswith("Samsara quoted $38")
    assert filed["budget"] == "Our budget for this is $40k."


def test_a_closed_deal_without_an_objective_quote_shows_its_evidence_by_the_last_refusal() -> None:
    from assistant.reflect.models import ObjectiveCheck
    from knowledge.models import Icp, IcpAttribute

    icp = Icp(attributes=[IcpAttribute(name="gpo", kind="category", ideal=["vizient"])])
    turns = [{"id": "t1", "speaker": "Devon", "text": "Would a $15k assessment help?"},
             {"id": "t2", "speaker": "Walt", "text": "Not even that. Come back after the "
              "bond vote."}]
    builder = Builder(gathered={"attributes": [{"name": "gpo", "kind": "category",
                                                "ideal": ["vizient"]}],
                                "values": {"gpo": "premier"}, "team": ["Devon"],
                                "buyers_known": {"Walt": ""}},
                      turns=turns, grams=set(), icp=icp)
    silent = ObjectiveCheck(statement="Agree a pilot", status="missed")
    ((evidence, quote),) = builder.outcome_evidence("no-decision", [], silent)
    assert (evidence["attribute"], evidence["raw"], evidence["signal"]) == (
        "gpo", "premier", "against")
    assert (quote.text, quote.turn) == ("Come back after the bond vote.", "t2")
    assert builder.outcome_evidence("no-decision", [], silent) and not builder.outcome_evidence(
        None, [], silent)


def test_a_lost_deal_is_no_evidence_for_a_value_it_names() -> None:
    from knowledge.models import Icp, IcpAttribute

    icp = Icp(attributes=[IcpAttribute(name="gpo", kind="category",
                                       ideal=["vizient", "healthtrust"])])
    turns = [{"id": "t1", "speaker": "Glen", "text": "The HealthTrust suite covers us."}]
    builder = Builder(gathered={"attributes": [{"name": "gpo", "kind": "category",
                                                "ideal": ["vizient", "healthtrust"]}],
                                "team": ["Caroline"], "buyers_known": {}},
                      turns=turns, grams=set(), icp=icp)
    read = [{"attribute": "gpo", "raw": "healthtrust", "quote": turns[0]["text"],
             "turn": "t1"}]
    assert [(e.value, e.signal) for e in builder.icp_evidence(None, read)] == [
        ("healthtrust", "supports")]
    assert builder.icp_evidence(None, read, [], "lost") == []
    assert any("ended lost" in d for d in builder.dropped)


DEMO = [
    {"id": "t1", "speaker": "Owen Kasprzak", "text": "Thanks, everyone. Marlon, Jo, this is "
     "about your day, not ours."},
    {"id": "t2", "speaker": "Marlon Pierce", "text": "That's the hour a day I spend walking to "
     "the front for the ticket. I like the barcode."},
    {"id": "t3", "speaker": "Bianca Castellanos", "text": "DentaFlow called me again. $49 a "
     "seat, no setup fee."},
    {"id": "t4", "speaker": "Ray Castellanos", "text": "Our ceiling is $1,500 a month, and "
     "I'm not paying $7,500 to try something."},
]
DEMO_SELLERS = ["Owen Kasprzak"]


def _demo_code() -> list[dict]:
    hints = ex.find_hints(DEMO, competitors=["DentaFlow"], people=["Marlon Pierce"])
    return (field_facts(DEMO, sellers=DEMO_SELLERS, competitors=["DentaFlow"],
                        people=["Marlon Pierce"])
            + ex.code_facts(DEMO, hints, sellers=DEMO_SELLERS))


def test_a_rival_s_price_is_competition_and_a_metric_needs_a_quantity() -> None:
    code = _demo_code()
    budget = [f["quote"] for f in code if f["field"] == "budget"]
    assert not any("$49" in q for q in budget)  # DentaFlow's price, the sentence before
    assert any("$1,500" in q for q in budget)   # the customer's own money stays budget
    assert any("$49" in f["quote"] for f in code if f["field"] == "competitors")
    assert not any("about your day" in f["quote"] for f in code if f["field"] == "metrics")


def test_the_model_s_facts_follow_the_same_rules_and_one_sentence_has_one_field() -> None:
    draft = {"facts": [
        {"field": "budget", "value": "$49", "status": "known",
         "quote": "DentaFlow called me again. $49 a seat, no setup fee."},
        {"field": "metrics", "value": "this is about your day", "status": "inferred",
         "quote": "Marlon, Jo, this is about your day, not ours."},
        {"field": "metrics", "value": "an hour a day walking for the ticket", "status": "known",
         "quote": "That's the hour a day I spend walking to the front for the ticket."},
        {"field": "pains", "value": "walking to the front for the ticket", "status": "known",
         "quote": "That's the hour a day I spend walking to the front for the ticket."},
    ]}
    builder = Builder(gathered={"attributes": [], "competitors": ["DentaFlow"]}, turns=DEMO,
                      grams=set(), icp=None)  # type: ignore[arg-type]
    facts = builder.facts(draft, _demo_code())
    assert not any("$49" in f.value for f in facts if f.field == "budget")
    rival = [f for f in facts if f.field == "competitors" and "$49" in f.value]
    assert rival and rival[0].value.startswith("DentaFlow")
    assert rival[0].quote.text == "$49 a seat, no setup fee."
    assert not any(f.field == "metrics" and "your day" in f.quote.text for f in facts)
    hour = [f for f in facts if "hour a day" in f.quote.text]
    assert hour and {f.field for f in hour} == {"metrics"}  # one field for the sentence
    assert any("names no measurable quantity" in d for d in builder.dropped)


def test_next_steps_are_steps_not_the_future_tense_of_talk() -> None:
    import datetime as dt

    from assistant.reflect.extract import code_next_steps

    said = [("Dana Ruiz", "Go ahead. I saw RouteIQ on Tuesday, so I'll be comparing."),
            ("Tom Becker", "Better than RouteIQ's, I'll say that."),
            ("Dana Ruiz", "Then I'll be straight with you, Avery."),
            ("Avery Cole", "I'll send the pilot outline with the savings measure by Friday."),
            ("Tom Becker", "I'll be sending the route export on Monday.")]
    turns = [{"id": f"t{i}", "speaker": who, "text": text}
             for i, (who, text) in enumerate(said, 1)]
    steps = code_next_steps(turns, people=[], meeting=dt.date(2026, 11, 20))
    assert [s["owner"] for s in steps] == ["Avery Cole", "Tom Becker"]
    assert steps[0]["action"].startswith("Send the pilot outline")


def test_the_model_s_budget_and_timeline_need_field_evidence() -> None:
    turns = [
        {"id": "t1", "speaker": "Ines Varga", "text": "Returns processing cost us $75k in "
         "overtime last quarter."},
        {"id": "t2", "speaker": "Ines Varga", "text": "Piet Molen, our CFO."},
        {"id": "t3", "speaker": "Ines Varga", "text": "We have $30k approved for a pilot."},
    ]
    draft = {"facts": [
        {"field": "budget", "value": "$75k", "status": "known", "quote": turns[0]["text"]},
        {"field": "timeline", "value": "Piet Molen, our CFO", "status": "known",
         "quote": turns[1]["text"]},
        {"field": "budget", "value": "$30k", "status": "known", "quote": turns[2]["text"]},
    ]}
    builder = Builder(gathered={"attributes": [], "competitors": []}, turns=turns,
                      grams=set(), icp=None)  # type: ignore[arg-type]
    facts = builder.facts(draft, [])
    assert [(f.field, f.value) for f in facts] == [("budget", "$30k")]
    assert any("costs or loses them" in d for d in builder.dropped)
    assert any("only a name and a title" in d for d in builder.dropped)


def test_a_long_next_step_keeps_the_clause_with_its_date() -> None:
    import datetime as dt

    from assistant.reflect.extract import code_next_steps

    said = ("And the depot question stays open on our side for now; I'll have the product "
            "team's written answer on the cold-chain sensors to you by March 12.")
    turns = [{"id": "t1", "speaker": "Mara Lind", "text": said}]
    (step,) = code_next_steps(turns, people=["Mara Lind"], meeting=dt.date(2026, 2, 20))
    assert step["action"] == ("Have the product team's written answer on the cold-chain "
                              "sensors to you by March 12.")
    assert step["quote"] == said  # the whole sentence stays the quote
    assert step["owner"] == "Mara Lind"


# ---- our own ask is no fact of theirs -------------------------------------------------

OPENING = [
    {"id": "t1", "speaker": "Hana Brook", "text": "Thanks for the time, Piet. Then I'd like "
     "your go for the pilot on March 9."},
    {"id": "t2", "speaker": "Piet Lowe", "text": "Go ahead. Our season opens on April 20, "
     "so anything after March is too late."},
    {"id": "t3", "speaker": "Hana Brook", "text": "I'd like us to close the open points today "
     "so you can sign before March 20."},
    {"id": "t4", "speaker": "Piet Lowe", "text": "Good. Show me the export first."},
]


def _opening_facts() -> list[dict]:
    hints = ex.find_hints(OPENING, competitors=[], people=["Piet Lowe"])
    return (field_facts(OPENING, sellers=["Hana Brook"], people=["Piet Lowe"])
            + ex.code_facts(OPENING, hints, sellers=["Hana Brook"]))


def test_the_date_of_our_own_ask_is_not_their_timeline_even_after_a_go_ahead() -> None:
    facts = _opening_facts()
    # "Go ahead" and "Good" let the meeting go on: they do not make our asks their dates
    assert not [f for f in facts if "March 9" in f["value"] or "March 20" in f["value"]], facts
    assert not [f for f in facts if "I'd like" in f["quote"]], facts
    # the customer's own date in the next turn stays a timeline fact
    assert any(f["field"] == "timeline" and "April 20" in f["value"] for f in facts), facts


def test_the_customers_own_wish_with_a_date_stays_a_fact() -> None:
    turns = [{"id": "t1", "speaker": "Piet Lowe", "text": "We'd like it live by April 20."}]
    hints = ex.find_hints(turns, competitors=[], people=["Piet Lowe"])
    facts = (field_facts(turns, sellers=["Hana Brook"], people=["Piet Lowe"])
             + ex.code_facts(turns, hints, sellers=["Hana Brook"]))
    assert any(f["field"] == "timeline" and "April 20" in f["value"] for f in facts), facts
