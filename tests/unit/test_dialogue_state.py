"""Dialogue state: a question stays open until a turn answers it (assistant.reflect.dialogue),
figures said in words (assistant.reflect.spoken), and the ask's parts read through both
(assistant.reflect.parts). Written in words unlike any eval scenario."""

from __future__ import annotations

from assistant.reflect.dialogue import questions, replies, settled, wants
from assistant.reflect.parts import judge_part, status_of
from assistant.reflect.spoken import says_money, spoken_figures, word_value
from tests.turns import said as _turns

SELLERS = ["Priya Nandakumar"]


def test_wants_reads_the_kind_of_answer() -> None:
    assert wants("Who approves the order on your side?") == "person"
    assert wants("How much did the recount cost you?") == "figure"
    assert wants("When does the lease run out?") == "date"
    assert wants("Could the pharmacists try it in March?") == "yesno"


def test_word_values_and_ranges() -> None:
    assert word_value("a hundred and sixty") == 160
    assert word_value("thirty-seven") == 37
    assert word_value("$2,400") == 2400
    [span] = spoken_figures("The recount runs between six and nine thousand euros a quarter.")
    assert (span.value, span.high) == (6000, 9000)
    [fixed] = spoken_figures("We have thirty... no, thirty-four pharmacies now.")
    assert fixed.value == 34  # the corrected figure counts, not the first one
    assert spoken_figures("One of us will ring you.") == []
    assert says_money("Roughly seven thousand euros.")
    assert not says_money("Three pharmacists, every Monday.")


def test_a_question_parked_then_answered_later_stays_open() -> None:
    turns = _turns(
        "Priya Nandakumar: Tomas, who approves the order on your side?",
        "Tomas Varga: Hold that. First tell me about the label printer.",
        "Priya Nandakumar: It prints from the tablet, no driver.",
        "Tomas Varga: Good. Back to your question: the order stops with me.",
    )
    [q] = questions(turns, sellers=SELLERS)
    assert q.wants == "person" and q.to == "Tomas Varga"
    [r] = replies(turns, sellers=SELLERS)
    assert r.turn == "t4" and r.strength == "firm"


def test_a_name_in_passing_is_no_answer_and_a_product_is_no_name() -> None:
    turns = _turns(
        "Priya Nandakumar: Who reads the contract for you?",
        "Tomas Varga: Helga, you saw the Pillbox quote last week, didn't you?",
    )
    [r] = replies(turns, sellers=SELLERS, customers=["Tomas Varga", "Helga Brun"])
    assert r.strength is None  # an address and a product: nobody named as the reader


def test_a_hedged_check_hedges_the_name() -> None:
    turns = _turns(
        "Priya Nandakumar: Who signs the order?",
        "Tomas Varga: Our treasurer, Mirela Costa, usually.",
        "Priya Nandakumar: Should I send it straight to Mirela?",
        "Tomas Varga: I'd think so. Let me check.",
    )
    said = replies(turns, sellers=SELLERS)
    assert said[0].strength == "hedged"  # "usually" already hedges
    turns[1]["text"] = "Our treasurer, Mirela Costa."
    said = replies(turns, sellers=SELLERS)
    assert said[0].strength == "firm"
    assert settled(said[0], said[1:]).strength == "hedged"


def test_an_evasion_is_declined_and_a_no_closes_a_yes_no_question() -> None:
    turns = _turns(
        "Priya Nandakumar: Who would sign something like this?",
        "Tomas Varga: We're a family firm. We'll work it out.",
        "Priya Nandakumar: Could we fix the trial for the 9th of March?",
        "Tomas Varga: Not in March.",
        "Tomas Varga: Anyway, Thursday suits the pharmacists.",
    )
    first, second = replies(turns, sellers=SELLERS)
    assert first.strength == "declined"
    assert second.strength == "declined" and second.turn == "t4"


def test_a_follow_up_question_carries_the_thread() -> None:
    turns = _turns(
        "Priya Nandakumar: Tomas, can we get the regional buyer into a review?",
        "Tomas Varga: I mentioned it. She said spring.",
        "Priya Nandakumar: Would she take a day now?",
        "Tomas Varga: Let me see. April 14, nine o'clock.",
    )
    said = replies(turns, sellers=SELLERS)
    assert said[1].question.to == "Tomas Varga" and "revie" in said[1].question.topic
    assert said[1].text.startswith("April 14")


def test_parts_use_the_late_answer_and_the_figure_in_words() -> None:
    turns = _turns(
        "Priya Nandakumar: Two things from me: who approves this, and what the recount "
        "costs you.",
        "Tomas Varga: The recount first. Somewhere between six and nine thousand euros a "
        "quarter.",
        "Priya Nandakumar: Thank you.",
        "Tomas Varga: And to your other question: that lands with me.",
    )
    who = judge_part("we learn who approves", turns, sellers=SELLERS)
    cost = judge_part("Tomas puts a cost on the recount", turns, sellers=SELLERS)
    assert (who.status, who.turn) == ("agreed", "t4")
    assert (cost.status, cost.turn) == ("agreed", "t2")


def test_a_figure_that_is_no_sum_does_not_answer_a_money_part() -> None:
    turns = _turns(
        "Priya Nandakumar: Tomas, what does the recount cost you?",
        "Tomas Varga: Three pharmacists, every Monday, all morning.",
    )
    part = judge_part("Tomas puts a euro cost on the recount", turns, sellers=SELLERS)
    assert part.status != "agreed"


def test_warm_words_with_nothing_agreed_are_no_commitment() -> None:
    turns = _turns(
        "Priya Nandakumar: Tomas, would you run a trial at the Eastgate branch?",
        "Tomas Varga: Oh, absolutely, love it. Let's see after the audit. Mail me some options.",
    )
    part = judge_part("Tomas agrees a trial at Eastgate", turns, sellers=SELLERS)
    assert part.status == "vague"
    turns[1]["text"] = "Yes. I'll open Eastgate on the 3rd of May."
    assert judge_part("Tomas agrees a trial at Eastgate", turns, sellers=SELLERS).status == \
        "agreed"


def test_parts_status_warm_and_declined_is_missed() -> None:
    from assistant.reflect.parts import Part
    assert status_of([Part("a", "vague"), Part("b", "declined")]) == "missed"
    assert status_of([Part("a", "vague"), Part("b", "agreed")]) == "partial"


def test_their_day_instead_of_ours_is_a_condition() -> None:
    turns = _turns(
        "Priya Nandakumar: Tomas, can we start the trial on March 2?",
        "Tomas Varga: March 23 then.",
    )
    part = judge_part("a trial starting March 2", turns, sellers=SELLERS)
    assert part.status == "conditional"


def test_a_late_answer_is_a_fact_read_with_its_question() -> None:
    from assistant.reflect.fields import field_facts, late_answers
    turns = _turns(
        "Priya Nandakumar: Two things from me: who signs for the pharmacies, and what the "
        "recount costs you.",
        "Tomas Varga: Let me start with the audit. It went fine.",
        "Priya Nandakumar: Good to hear.",
        "Tomas Varga: The recount: roughly seven thousand euros a quarter.",
        "Priya Nandakumar: Thank you.",
        "Tomas Varga: And your first question. That lands with me.",
    )
    late = late_answers(turns, sellers=SELLERS)
    assert {(f["field"], f["quote"]) for f in late} == {
        ("economic_buyer", "That lands with me."),
        ("metrics", "The recount: roughly seven thousand euros a quarter.")}
    facts = field_facts(turns, sellers=SELLERS)
    assert sum(f["quote"] == "That lands with me." for f in facts) == 1


def test_an_unbracketed_recording_header_is_no_fact() -> None:
    from assistant.reflect.extract import is_header
    assert is_header("Video call | Kettle Row Pharmacy x Dosewise | Tue 3 Mar 2026 | 38 min")
    assert is_header("Recording - Kettle Row / Dosewise - 3 March 2026 - 38 minutes")
    assert not is_header("We spent 2026 on it, and every audit takes 40 min at least.")


def test_the_lesson_comes_from_the_part_the_call_did_not_settle() -> None:
    from assistant.reflect.learning import compose
    from assistant.reflect.verdict import compose_objective
    turns = _turns(
        "Priya Nandakumar: Tomas, would you run a trial at the Eastgate branch?",
        "Tomas Varga: Oh, absolutely, love it. Let's see after the audit. Mail me some options.",
        "Priya Nandakumar: And who approves the order when it comes?",
        "Tomas Varga: We're a family firm. We'll work it out.",
    )
    ask = "Tomas agrees a trial at Eastgate and we learn who approves the order"
    verdict = compose_objective(turns, sellers=SELLERS, people=["Tomas Varga"], ask=ask)
    assert verdict.status == "missed"
    worked, didnt, lesson = compose(turns, sellers=SELLERS, people=["Tomas Varga"],
                                    verdict=verdict)
    assert worked == []
    assert lesson is not None and "We'll work it out." in lesson and "Tomas" in lesson


def test_a_question_for_a_date_left_unanswered_is_what_did_not_work() -> None:
    from assistant.reflect.learning import unanswered
    turns = _turns(
        "Priya Nandakumar: When does your current contract with Pillbox end?",
        "Tomas Varga: The pharmacists like the tablets, by the way.",
        "Priya Nandakumar: Good. Who signs?",
        "Tomas Varga: Mirela Costa.",
    )
    assert unanswered(turns, SELLERS) == [
        'No answer to our question "When does your current contract with Pillbox end?"']


def test_a_criterion_shown_by_a_late_answer() -> None:
    from assistant.reflect.cues import read_clear
    turns = _turns(
        "Priya Nandakumar: Tomas, two questions: who approves the purchase, and how many "
        "hours the recount takes you.",
        "Tomas Varga: The audit went well, first of all.",
        "Priya Nandakumar: Glad to hear it.",
        "Tomas Varga: The recount: about thirty hours a month. And the purchase stops with me.",
    )
    named = read_clear("We have the name of whoever signs for the purchase", turns,
                       sellers=SELLERS, related=set())
    assert named is not None and named.status == "met" and named.turn["id"] == "t4"
    turns[3]["text"] = "The recount: about thirty hours a month. The purchase? We'll see."
    named = read_clear("We have the name of whoever signs for the purchase", turns,
                       sellers=SELLERS, related=set())
    assert named is None
