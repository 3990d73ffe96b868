"""The deal's own figures read off the call, and the ICP evidence a closed deal makes."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.reflect.figures import (
    closing_sentence,
    money_value,
    outcome_evidence,
    painful,
    propose_figures,
)

TURNS = [
    {"id": "t1", "speaker": "Rosa", "text": "Signed today: three-year term, $148k a year all in."},
    {"id": "t2", "speaker": "Rosa", "text": "That was 73 days from first call to signature."},
    {"id": "t3", "speaker": "Beth", "text": "Beth, Tony, Kevin, Priya and two specialists were "
     "involved on our side."},
    {"id": "t4", "speaker": "Beth", "text": "Honestly the rollout was painful, nobody owned the "
     "project on our side."},
    {"id": "t5", "speaker": "Beth", "text": "How long did the install take?"},
]


def by_name(turns: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in propose_figures(turns, people=["Kevin Shaw", "Priya Das"])}


def test_figures_said_in_the_call_with_their_sentence() -> None:
    got = by_name(TURNS)
    assert got["deal_size"]["value"] == "148000" and got["deal_size"]["turn"] == "t1"
    assert got["cycle_days"]["value"] == "73"
    assert got["cycle_days"]["quote"] == "That was 73 days from first call to signature."
    assert got["people_involved"]["value"] == "6"  # four names and two specialists
    assert got["delivery_friction"]["value"] == "high"
    assert "satisfaction" not in got  # not said: not guessed


@pytest.mark.parametrize(("text", "name", "value"), [
    ("It took 8.5 months to close, start to finish.", "cycle_days", "258"),
    ("We gave them 36% off to get it signed.", "delivery_friction", "high"),
    ("The install went smoothly, on time.", "delivery_friction", "low"),
    ("Kate rated us 4 out of 5 for satisfaction.", "satisfaction", "4"),
    ("Honestly, we'll need two extra engineers for three months to do it.",
     "delivery_friction", "high"),
    ("Delivery estimates we lose money on this account in year one.", "delivery_friction",
     "high"),
    ("The contract came to $1.2m over three years.", "deal_size", "1200000"),
    ("Six months from first call.", "cycle_days", "182"),
    ("Discount 20% off list and onboarding waived.", "delivery_friction", "high"),
    ("That is below anything we've done this year, and it's final.", "delivery_friction",
     "high"),
    ("Priya, for the minutes, that's under our list price.", "delivery_friction", "high"),
    ("Heads up: Marco retires in June and no one has been named to run it.",
     "delivery_friction", "high"),
    ("Fair warning: nobody on the client side owns it once it is live.", "delivery_friction",
     "high"),
])
def test_one_figure(text: str, name: str, value: str) -> None:
    assert by_name([{"id": "t1", "speaker": "X", "text": text}])[name]["value"] == value


def test_questions_are_not_figures() -> None:
    assert by_name([TURNS[4]]) == {}


def test_a_small_discount_alone_is_no_pain() -> None:
    assert "delivery_friction" not in by_name([{"id": "t1", "speaker": "X",
                                                "text": "We gave them 20% off the list."}])


def test_money_value() -> None:
    assert money_value("$148k") == 148000 and money_value("$29,000") == 29000
    assert money_value("€2.5m") == 2_500_000 and money_value("no amount") is None


ATTRS = [{"name": "industry", "ideal": ["logistics"]}, {"name": "employees", "ideal": []}]


def label(_: str, value: Any) -> str:
    return str(value)


@pytest.mark.parametrize(("outcome", "figures", "values", "expected"), [
    # a smooth win: evidence for the account's values
    ("won", {"delivery_friction": "low"}, {"industry": "logistics"},
     [("industry", "supports")]),
    ("won", {}, {"industry": "dental"}, [("industry", "supports")]),
    # a painful win outside the profile: against; inside it: no evidence either way
    ("won", {"delivery_friction": "high"}, {"industry": "dental"}, [("industry", "against")]),
    ("won", {"cycle_days": "258"}, {"industry": "dental"}, [("industry", "against")]),
    ("won", {"delivery_friction": "high"}, {"industry": "logistics"}, []),
    # losses and no decisions outside the profile: against
    ("lost", {}, {"industry": "dental"}, [("industry", "against")]),
    ("no-decision", {}, {"industry": "dental"}, [("industry", "against")]),
    # a loss inside the profile counts against it too; a no-decision there is no verdict
    ("lost", {}, {"industry": "logistics"}, [("industry", "against")]),
    ("no-decision", {}, {"industry": "logistics"}, []),
    (None, {}, {"industry": "dental"}, []),  # the deal is open: nothing
])
def test_outcome_evidence(outcome: str | None, figures: dict[str, Any],
                          values: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    got = outcome_evidence(outcome, figures, values=values, attributes=ATTRS,
                           usual_cycle=90.0, label=label)
    assert [(e["attribute"], e["signal"]) for e in got] == expected


def test_painful() -> None:
    assert painful({"cycle_days": "200"}, 90.0) == ["a 200-day cycle against the usual 90"]
    assert painful({"cycle_days": "100"}, 90.0) == []
    assert painful({"cycle_days": "500"}, None) == []  # no usual cycle: no comparison


CLOSING = [
    {"id": "t1", "speaker": "Walt", "text": "Go ahead."},
    {"id": "t2", "speaker": "Devon", "text": "Would a paid assessment at $15k help you decide?"},
    {"id": "t3", "speaker": "Walt", "text": "Not even that. Come back after the bond vote."},
    {"id": "t4", "speaker": "Devon", "text": "We went with the smaller scope, as agreed."},
]


def test_closing_sentence_is_the_customers_last_words_that_show_the_outcome() -> None:
    last = ("Come back after the bond vote.", "t3")
    assert closing_sentence(CLOSING, "no-decision", sellers=["Devon"]) == last
    assert closing_sentence(CLOSING, "lost", sellers=["Devon"]) == last
    assert closing_sentence(CLOSING, "won", sellers=["Devon"]) == ("Go ahead.", "t1")
    assert closing_sentence(CLOSING, None, sellers=["Devon"]) is None
    assert closing_sentence(CLOSING[1:2], "lost", sellers=["Devon"]) is None  # ours: no


def test_closing_sentence_knows_our_seller_by_first_name_as_the_rest_does() -> None:
    # the team lists "Devon Mwangi", the transcript labels him "Devon": still our side
    assert closing_sentence(CLOSING, "won", sellers=["Devon Mwangi"]) == ("Go ahead.", "t1")
    assert closing_sentence(CLOSING[3:], "lost", sellers=["Devon Mwangi"]) is None
    assert closing_sentence(CLOSING[3:], "lost", sellers=["Someone Else"]) == (
        "We went with the smaller scope, as agreed.", "t4")


def test_no_deal_size_from_a_rivals_price_or_what_the_problem_costs() -> None:
    turns = [
        {"id": "t1", "speaker": "Rosa", "text": "We give Tallyhub $2,100 a month, $25,200 a "
         "year, for the scheduling."},
        {"id": "t2", "speaker": "Rosa", "text": "Tallyhub is the incumbent. $25,200 a year, "
         "and it renews in May."},
        {"id": "t3", "speaker": "Rosa", "text": "Last year we undercharged the spring "
         "conferences by about $18,000 a year."},
        {"id": "t4", "speaker": "Rosa", "text": "Your proposal at $31,000 a year works for us."},
    ]
    got = {f["name"]: f for f in propose_figures(turns, rivals=["Tallyhub"])}
    assert got["deal_size"]["value"] == "31000" and got["deal_size"]["turn"] == "t4"
    assert "deal_size" not in {f["name"] for f in propose_figures(turns[:3], rivals=["Tallyhub"])}


def test_a_win_below_our_floor_outside_the_profile_is_evidence_against() -> None:
    turns = [{"id": "t1", "speaker": "Luis", "text": "Okay, $40k and we waive training."},
             {"id": "t2", "speaker": "Nadia", "text": "Luis, that's below our approved price."}]
    figures = {f["name"]: f["value"] for f in propose_figures(turns, people=[])}
    assert figures.get("delivery_friction") == "high"
    got = outcome_evidence("won", figures, values={"segment": "municipal"},
                           attributes=[{"name": "segment", "ideal": ["private"]}],
                           usual_cycle=None, label=lambda _a, v: v)
    assert [(e["attribute"], e["signal"]) for e in got] == [("segment", "against")]


def test_a_painful_win_read_from_what_the_call_says() -> None:
    """The length after the sentence that says how long they have been at it, a stacked
    discount across one turn, the champion gone by a date, fees back written in."""
    got = by_name([
        {"id": "t1", "speaker": "Odette", "text": "We've been at this since July. Six months, "
         "three reviews, eleven people in the room at one point."},
        {"id": "t2", "speaker": "Gideon", "text": "$432 a kitchen, that is 20% off. Onboarding "
         "halved to $4,000."}])
    assert got["cycle_days"]["value"] == "182"
    assert got["delivery_friction"]["quote"] == "$432 a kitchen, that is 20% off."
    assert painful({"people_involved": "11"}, None) == ["11 people involved"]
    assert painful({"people_involved": "4"}, None) == []
    for said in ("You know I'm gone June 30.", "What if you miss it? Two months' fees back."):
        assert by_name([{"id": "t1", "speaker": "Paloma", "text": said}])[
            "delivery_friction"]["value"] == "high"


def test_a_delay_in_the_paperwork_is_no_delivery_friction() -> None:
    got = by_name([{"id": "t1", "speaker": "Delphine", "text": "The waiver stays open to "
                    "January 15 because the delay was on the legal side."}])
    assert "delivery_friction" not in got
    got = by_name([{"id": "t1", "speaker": "Delphine", "text": "The rollout had delays at "
                    "every branch."}])
    assert got["delivery_friction"]["value"] == "high"


@pytest.mark.parametrize("text", [
    "The board session went well, honestly.",
    "January is messy with year-end close.",
    "Sorry for the delay, he's had a busy month.",
])
def test_good_or_bad_news_about_something_else_is_no_delivery_friction(text: str) -> None:
    assert "delivery_friction" not in by_name([{"id": "t1", "speaker": "X", "text": text}])


@pytest.mark.parametrize(("text", "value"), [
    ("The rollout at the second site was messy.", "high"),
    ("Go-live slipped twice.", "high"),
    ("Onboarding went well, the team was using it in a week.", "low"),
])
def test_friction_of_the_delivery_named_beside_it(text: str, value: str) -> None:
    assert by_name([{"id": "t1", "speaker": "X", "text": text}])["delivery_friction"][
        "value"] == value
