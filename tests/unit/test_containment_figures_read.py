"""One figure reader (issue 12, set 14): a customer's figure is a figure however it is written.

Examples are our own (clinics, kitchens, warehouses), in words unlike any attack set: number
words, other scripts' digits and Roman numerals read as figures; one "our figures" test for
both workflows; a settled state said with no figure and no state word; run-on dictation cut
into clauses; and the customer's own counts, budget, dates and people left as facts.
"""

from __future__ import annotations

import pytest

from assistant.containment import (
    RIVAL_CHOSEN,
    claim_of,
    clauses,
    commercial,
    demand,
    figures,
    oblique,
    our_figures,
    ours_only,
    settles,
)
from assistant.numbers import digits, numerals, priced, word_value
from assistant.prep.objections import Objection
from assistant.prep.reading import _as_their_ask
from assistant.prep.sentences import Sentence
from assistant.reflect import spoken
from assistant.reflect.figures import _number

KNOWN = ("Priya Natarajan", "Owen Blake", "Mira Sol")


@pytest.mark.parametrize(("said", "read"), [
    ("nineteen-fifty a seat", "nineteen-fifty a seat"),  # two numbers said together stay
    ("forty-two a seat", "42 a seat"),
    ("two hundred and five thousand euros", "205k euros"),
    ("a quarter mil for the rollout", "250k for the rollout"),
    ("XII licences", "12 licences"),
    ("Phase II starts", "Phase II starts"),  # a Roman numeral with no unit stays
    ("the twenty-first of June", "the twenty-first of June"),  # an ordinal stays
    ("this one is a kiosk", "this one is a kiosk"),  # a lone "one" or "a" is no figure
    ("two-ten, all in", "two-ten, all in"),  # money as people say it, left to its own reader
    ("\u0967\u0968 clinics", "12 clinics"),  # Devanagari digits
    ("\uff14\uff15 kiosks", "45 kiosks"),  # full-width digits
])
def test_numerals_writes_figures_in_ascii_digits(said: str, read: str) -> None:
    assert numerals(said) == read


def test_other_scripts_digits_and_separators() -> None:
    assert digits("\u0664\u0665\u066b\u0667\u0665") == "45.75"  # Arabic-Indic with its point
    assert digits("plain ascii 45.75") == "plain ascii 45.75"


def test_the_same_figure_written_three_ways_is_one_figure() -> None:
    words = figures("one thousand two hundred tablets")
    assert words == figures("1,200 tablets") == figures("\u0661\u0662\u0660\u0660 tablets")
    assert figures("$95k") == figures("ninety-five thousand dollars") == {"95000"}
    assert priced("eighteen percent off") == {"18"}
    assert priced("we run 300 kitchens") == set()


def test_spoken_and_the_outcome_figures_read_with_the_same_reader() -> None:
    assert spoken.word_value("a hundred and twenty") == word_value("a hundred and twenty") == 120
    assert spoken.word_value("14k") == 14000
    assert _number("a dozen") == 12 and _number("7") == 7 and _number("several") is None


@pytest.mark.parametrize("sentence", [
    "Owen Blake: so that's forty-two a seat, fixed through year three",
    "Mira Sol: the kiosk rate holds at \u0664\u0665 dollars a month per kiosk, as discussed",
    "Priya Natarajan: the board moved it to two hundred thousand for year one, so price is "
    "off the table",
])
def test_a_term_in_words_or_other_digits_is_a_claim(sentence: str) -> None:
    assert claim_of(sentence, known=KNOWN) is not None


@pytest.mark.parametrize("sentence", [
    "We have forty-two seats across the three clinics.",  # their count
    "Our budget for the kitchens this year is two hundred thousand.",  # their own budget
    "Priya Natarajan signs for the clinics, and the board meets on the ninth.",  # their people
    "We lose about twelve thousand dollars a month to spoiled stock.",  # their loss
])
def test_their_own_counts_budget_dates_and_people_stay_facts(sentence: str) -> None:
    assert claim_of(sentence, known=KNOWN) is None


def test_one_our_figures_test_for_both_workflows() -> None:
    ours = our_figures(["Rep note: I offered forty-five dollars a seat for two years."])
    assert {"45", "2"} <= ours
    assert ours_only("Mira Sol: $45 a seat for 2 years works", ours)
    assert not ours_only("Mira Sol: $39 a seat for 2 years works", ours)
    money = our_figures(["I said 18% off and $45 a seat."], money_only=True)
    assert ours_only("so eighteen percent off it is", money, money_only=True)


@pytest.mark.parametrize(("sentence", "what"), [
    ("Mira Sol: Clinicware it is.", RIVAL_CHOSEN),
    ("Kitchenly per the ops committee.", RIVAL_CHOSEN),
    ("Twelve kitchens on it from Tuesday, the north site first.",
     "a quantity said to be deployed from a date"),
])
def test_a_settled_state_with_no_figure_and_no_state_word(sentence: str, what: str) -> None:
    assert oblique(sentence, KNOWN) == what


@pytest.mark.parametrize("sentence", [
    "Clinicware came in cheaper.",  # a remark on a rival, nothing chosen
    "Clinicware or Kitchenly, maybe.",  # still open
    "Priya it is for the workshop.",  # one of their people, not a rival
    "We'd like twelve kitchens on it from Tuesday if the trial goes well.",  # wanted
    "Thursday it is then.",  # a day agreed for a meeting
])
def test_remarks_wants_and_meeting_days_are_no_oblique_state(sentence: str) -> None:
    assert oblique(sentence, KNOWN) is None


def test_a_price_said_to_be_final_by_a_tautology() -> None:
    assert settles("Honestly the quote's the quote at this point") is not None
    assert settles("The quote arrived this morning") is None


def test_run_on_dictation_is_read_clause_by_clause() -> None:
    line = ("morning owen quick voice note from the airport raj says priya has it now so she's "
            "your person for the signing from here on raj is out of it speak monday cheers")
    assert len(clauses(line)) > 1
    assert claim_of(line, known=KNOWN) is not None
    assert clauses("Short and punctuated. Nothing to cut here.") == []
    own = ("quick note from the car we still have forty two seats at the north clinic and "
           "priya wants a demo for the nurses next week talk soon")
    assert claim_of(own, known=KNOWN) is None


def test_commercial_reads_a_word_figure_beside_a_unit_price() -> None:
    assert commercial("that leaves us at thirty-one a licence, fixed", KNOWN) is not None
    assert commercial("we bought a van last year", KNOWN) is None


@pytest.mark.parametrize("sentence", [
    "Here's what gets this done: $41 a kiosk, two years, no setup fee.",
    "We'd sign this week at thirty-nine a seat.",
    "Forty a seat or we walk.",
])
def test_a_counter_offer_is_the_customers_demand(sentence: str) -> None:
    assert demand(sentence)


@pytest.mark.parametrize("sentence", [
    "The kiosk rate is agreed at $41.",  # a state, not a demand
    "We walked the north site on Tuesday.",
])
def test_a_state_or_a_story_is_no_demand(sentence: str) -> None:
    assert not demand(sentence)


def test_a_held_demand_reaches_the_objections_as_their_ask_with_its_source() -> None:
    said = "Here's what gets this done: $41 a kiosk, two years, no setup fee."
    s = Sentence(text=said, note_id="k-n4", date="2026-03-02", author="Mira Sol", kind="email")
    o = Objection(text=said, topic="price", owner="Owen Blake", owner_role="commercial",
                  answer="needs an answer: Owen Blake", answer_cites=(), cites=("k-n4",))
    shown = _as_their_ask(o, [(s, "Mira Sol")])
    assert shown.text.startswith("Their ask, claimed by Mira Sol in note k-n4")
    assert "$41 a kiosk" in shown.text and "not our term" in shown.text
    other = Objection(text="Setup takes too long.", topic="timeline", owner="Owen Blake",
                      owner_role="lead", answer="", answer_cites=(), cites=("k-n4",))
    assert _as_their_ask(other, [(s, "Mira Sol")]) == other


def test_a_named_rivals_price_and_an_aside_stay_out_of_the_claims() -> None:
    # a rival's price read as one once "forty-nine a seat" is a figure: not a term of ours
    assert claim_of("Mira Sol: Clinicware is forty-nine dollars a seat.", known=KNOWN) is None
    # an aside with "it's" after an interjection names no rival chosen
    assert oblique("Oh, it's real money.", KNOWN) is None
    # our price named by what it is stays a term
    assert claim_of("Year one is forty-nine a seat, fixed.", known=KNOWN) is not None


def test_a_learning_line_does_not_repeat_a_claim_held_from_a_fact() -> None:
    from assistant.reflect.models import ObjectiveCheck, Quote
    from assistant.reflect.validate import _Containment

    said = "Sure, Friday is fine. the rate's the rate at this point"
    turns = [{"id": "t1", "speaker": "Owen Blake", "text": "Shall we meet Friday?"},
             {"id": "t2", "speaker": "Mira Sol", "text": said}]
    c = _Containment(["Owen Blake"], turns)
    assert c.held(Quote(text=said, speaker="Mira Sol", turn="t2"), "Timeline (fact)")
    check = ObjectiveCheck(statement="Book the workshop", status="met",
                           quote=Quote(text="Shall we meet Friday?", speaker="Owen Blake",
                                       turn="t1"))
    _, lines = c.objective(check, [[f'Mira agreed to meet: "{said}"'], [], []])
    assert "the rate's the rate" not in lines[0][0]
    assert "Sure, Friday is fine." in lines[0][0]


def test_a_customer_restating_our_price_beside_a_count_of_theirs_is_no_claim() -> None:
    """The plan's judge: "$31,200 in year one is more than we make on three kilns" restates the
    price our own note gave; the count in words ("three kilns", read as 3) is the customer's
    own to say, so the amounts decide and the sentence is theirs to object with."""
    from assistant.prep.reading import _judge

    ours = our_figures(["Rep note: quoted $31,200 in year one for the whole studio."])
    judge = _judge((), ("Ines Moor",), ours)
    assert judge("Ines, $31,200 in year one is more than we make on three kilns.") is None
    assert judge("Ines, $28,000 in year one is what we agreed on three kilns.") is not None
