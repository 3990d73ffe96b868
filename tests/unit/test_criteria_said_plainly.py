"""Exit criteria a call meets in plain words that are not a bare yes (issue 11): a negated
criterion affirmed by a sentence negating the same verb, an agreed plan restated after our
proposal, and our question answered firmly turns later, every part of it
(``assistant.reflect.cues``, ``assistant.reflect.dialogue``). Written in words unlike any eval
scenario."""

from __future__ import annotations

from assistant.reflect.criteria import code_checks
from assistant.reflect.cues import negated_verb, parts, polarity
from assistant.reflect.dialogue import replies
from tests.turns import said as _turns

SELLERS = ["Ines Valcourt", "Bram Okoye"]


def _check(criterion: str, *lines: str) -> tuple[str, str]:
    [c] = code_checks("Quote", [criterion], _turns(*lines), sellers=SELLERS)
    return c.status, c.quote.text if c.quote else ""


PUSH = "The clinic director heard the annual licence fee and did not push back"


def test_the_negated_verb_of_a_criterion() -> None:
    assert negated_verb(PUSH) == ("push", "back")
    assert negated_verb("The pharmacists logged a week without ringing support") == ("ring", "")
    assert negated_verb("Licence fee agreed") is None


def test_polarity_agrees_disagrees_or_says_nothing() -> None:
    verb = ("push", "back")
    assert polarity("I'm not pushing back on that number.", verb) == "agrees"
    assert polarity("Nobody here will push back on it.", verb) == "agrees"
    assert polarity("Our board pushed back on the licence.", verb) == "disagrees"
    assert polarity("I'll push back if it grows.", verb) is None  # a plan, not a deed
    assert polarity("The fee is steep.", verb) is None


def test_a_negated_criterion_met_by_a_sentence_negating_the_same_verb() -> None:
    status, quote = _check(
        PUSH,
        "Ines Valcourt: The annual licence fee comes to nine thousand four hundred.",
        "Orla Denholm: Nine four. I'm not pushing back on that. Steeper than I wanted.")
    assert (status, quote) == ("met", "I'm not pushing back on that.")


def test_a_negation_that_disagrees_is_a_refusal_and_a_hedge_settles_nothing() -> None:
    status, _ = _check(
        PUSH,
        "Ines Valcourt: The annual licence fee comes to nine thousand four hundred.",
        "Orla Denholm: I pushed back on that figure with my partners already.")
    assert status == "not_met"
    status, _ = _check(
        PUSH,
        "Ines Valcourt: The annual licence fee comes to nine thousand four hundred.",
        "Orla Denholm: Maybe I won't push back on it, we'll see.")
    assert status == "unknown"


def test_without_a_verb_met_by_nobody_doing_it() -> None:
    status, quote = _check(
        "The pharmacists logged a week of refills without ringing support",
        "Bram Okoye: How did the refills week go for the pharmacists?",
        "Orla Denholm: Nobody had to ring your support line. The refills logged fine.")
    assert status == "met" and quote == "Nobody had to ring your support line."


ROLLOUT = "The rollout sequence for the remaining clinics is agreed"


def test_an_agreed_order_restated_after_our_proposal() -> None:
    status, quote = _check(
        ROLLOUT,
        "Orla Denholm: Which clinic comes next?",
        "Bram Okoye: We'd suggest Kestrel Row in April, then Moss Bank in June.",
        "Orla Denholm: Kestrel Row, April. Moss Bank, June. The partners can live with that.")
    assert status == "met"
    assert quote.startswith("Kestrel Row, April. Moss Bank, June.")


def test_a_restatement_without_an_agreeing_remark_or_with_a_hedge_is_no_agreement() -> None:
    lines = ["Orla Denholm: Which clinic comes next?",
             "Bram Okoye: We'd suggest Kestrel Row in April, then Moss Bank in June."]
    status, _ = _check(ROLLOUT, *lines, "Orla Denholm: Kestrel Row, April. Moss Bank, June.")
    assert status == "unknown"
    status, _ = _check(ROLLOUT, *lines, "Orla Denholm: Kestrel Row, April. Moss Bank, June. "
                       "That works, probably, once the partners look.")
    assert status == "unknown"


def test_a_parked_question_is_answered_when_the_customer_comes_back_to_it() -> None:
    turns = _turns(
        "Ines Valcourt: Orla, who audits the lease on your side?",
        "Orla Denholm: Before that. Does the licence cover the satellite clinic?",
        "Bram Okoye: It does, at no extra fee.",
        "Orla Denholm: Good. Then the lease. Hamid Sorensen in compliance audits it. "
        "Allow him ten days.")
    [r] = [r for r in replies(turns, sellers=SELLERS) if r.question.wants == "person"]
    assert r.turn == "t4" and r.strength == "firm" and "Hamid Sorensen" in r.text


AUDIT = "We know who audits the lease on their side and how long they take"


def test_a_composite_criterion_needs_every_part_answered() -> None:
    assert parts(AUDIT) == ["person", "duration"]
    asked = ["Ines Valcourt: Orla, who audits the lease on your side?",
             "Orla Denholm: Before that. Does the licence cover the satellite clinic?",
             "Bram Okoye: It does, at no extra fee."]
    status, quote = _check(AUDIT, *asked, "Orla Denholm: Then the lease. Hamid Sorensen "
                           "in compliance audits it. Allow him ten days.")
    assert status == "met" and "Hamid Sorensen" in quote
    status, _ = _check(AUDIT, *asked, "Orla Denholm: Then the lease. Hamid Sorensen in "
                       "compliance audits it.")
    assert status == "unknown"  # a name without how long is half of it


def test_a_step_answered_with_a_day_meets_a_dated_agreement() -> None:
    status, quote = _check(
        "They agreed to a kickoff workshop, with a date booked",
        "Bram Okoye: Could we fix the kickoff workshop now?",
        "Orla Denholm: The second Thursday of April.",
        "Bram Okoye: Thursday the eighth, then.")
    assert status == "met" and quote == "The second Thursday of April."


def test_a_day_on_a_hedged_line_books_nothing() -> None:
    status, _ = _check(
        "They agreed to a kickoff workshop, with a date booked",
        "Bram Okoye: Could we fix the kickoff workshop now?",
        "Orla Denholm: The second Thursday of April, if the partners agree.")
    assert status == "unknown"


def test_a_negation_about_something_else_leaves_the_sentence_its_yes_or_figure() -> None:
    status, quote = _check(
        "The practice owner said yes to the locum rate",
        "Ines Valcourt: The locum rate stays at sixty an hour.",
        "Orla Denholm: My partners needn't hear about it first: yes, the locum rate as quoted.")
    assert status == "met" and quote.startswith("My partners needn't")
    status, _ = _check(
        "The practice owner said yes to the locum rate",
        "Ines Valcourt: The locum rate stays at sixty an hour.",
        "Orla Denholm: Yes, though we don't accept the locum rate for weekends.")
    assert status == "unknown"  # the negation is about the rate itself


def test_negates_it_reads_what_the_negation_is_about() -> None:
    from assistant.reflect.cues import negates_it

    terms = {"locum", "rate"}
    assert negates_it("Not at that rate.", terms)
    assert negates_it("We can't take the locum rate.", terms)
    assert not negates_it("Nobody here argues; the locum rate is fine.", terms)


def test_a_figure_in_words_after_the_sentence_that_names_its_subject() -> None:
    status, quote = _check(
        "The practice put its own figure on what missed recalls cost them",
        "Bram Okoye: And the recall list, did you get to it?",
        "Orla Denholm: I did the missed recalls properly this time. Roughly eleven thousand "
        "pounds a quarter walks out the door.")
    assert status == "met" and quote.startswith("Roughly eleven thousand pounds")
    status, _ = _check(
        "The practice put its own figure on what missed recalls cost them",
        "Bram Okoye: And the recall list, did you get to it?",
        "Orla Denholm: I did the missed recalls properly this time. Eleven of us were in.")
    assert status == "unknown"  # a count of people is no cost


def test_a_first_person_signer_in_a_long_turn_meets_the_name_criterion() -> None:
    """"I sign." in a turn that other turns outscore on the criterion's words: every turn
    about it is read, and "signs" and "sign" are one word."""
    status, quote = _check(
        "We know by name who signs for the kiln software",
        "Ines Valcourt: The kiln software licence covers all four studios and the glaze room.",
        "Marta Lind: The kiln software licence, the glaze room, the studios: fine.",
        "Ines Valcourt: Last time signing sat between you and Per. Where did that land?",
        "Marta Lind: I sign. Per and I talked it over, he runs the floor and I own the money.",
    )
    assert (status, quote) == ("met", "I sign.")


def test_our_dated_proposal_answered_with_the_day_sets_the_date() -> None:
    status, quote = _check(
        "They booked a trial firing at one studio with a start date",
        "Bram Okoye: Then the trial firing. Northside studio, one week. Tuesday March 9?",
        "Marta Lind: March 9 at Northside. Yes.",
    )
    assert (status, quote) == ("met", "March 9 at Northside.")
    status, _ = _check(
        "They booked a trial firing at one studio with a start date",
        "Bram Okoye: Then the trial firing. Northside studio, one week. Tuesday March 9?",
        "Marta Lind: Maybe March 9, I would have to check.",
    )
    assert status != "met"


def test_a_late_good_to_another_point_is_no_yes_to_the_price() -> None:
    """The newest clear line wins among the turns about the criterion; a "Good." to a later
    point (billing) is not one of them, so the yes to the price stands as the quote."""
    status, quote = _check(
        "The owner said yes to the kiln price and the order in which their studios go live",
        "Ines Valcourt: We'd like your answer on the kiln price and the order the studios go live.",
        "Marta Lind: Yes to $2,400 a kiln, and yes to Northside in April and Eastgate in June.",
        "Ines Valcourt: Thank you. Who reads the paperwork?",
        "Marta Lind: Our lawyer Per Holm, a week.",
        "Bram Okoye: And billing for Eastgate starts when it opens.",
        "Marta Lind: Good. Don't make me regret it.",
    )
    assert status == "met"
    assert quote.startswith("Yes to $2,400 a kiln")
