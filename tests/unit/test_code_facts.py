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
    assert "Samsara" not in values and "$38" in values  # the budget has no other fact


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
