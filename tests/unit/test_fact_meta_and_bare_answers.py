"""Issue 11: a fact is a claim about the account. A call's header, a stage direction and talk
about the talk are never facts; a one- or two-word answer is one only with its question."""

from __future__ import annotations

from assistant.reflect.extract import is_header
from assistant.reflect.fields import bare_answer, field_facts, meta_line

SELLERS = ["Tobias Wren"]


def test_a_header_with_a_time_and_the_attendees_is_no_fact() -> None:
    assert is_header("Site visit, Mon Mar 2, 9:30 am (Tobias; Ilse Kramer, Ravi Patel)")
    assert is_header("Zoom, Fri Apr 3, 10 am (Tobias, Meg; Ilse Kramer)")
    assert not is_header("We open the cold store at 9 am (Mondays and Thursdays) now.")


def test_talk_about_the_talk_is_no_fact() -> None:
    assert meta_line("Let me walk you through the freight numbers first.")
    assert meta_line("Sorry, I have to run at four, the auditor is here.")
    assert meta_line("We argued about the roster for two hours last week.")
    assert not meta_line("The roster costs us two hours every Monday.")


def test_bare_answers_are_one_or_two_words() -> None:
    assert bare_answer("Keycloak.") and bare_answer("ISO 27001.") and bare_answer("Maybe.")
    assert not bare_answer("Keycloak, for every depot.")


def _facts(turns: list[dict[str, str]]) -> list[dict[str, object]]:
    return field_facts(turns, sellers=SELLERS)


def test_a_one_word_answer_carries_the_question_it_answers() -> None:
    turns = [{"id": "t1", "speaker": "Tobias Wren",
              "text": "Ilse, what would you need before you approve the rollout?"},
             {"id": "t2", "speaker": "Ilse Kramer", "text": "ISO 27001."}]
    facts = _facts(turns)
    assert facts, facts
    assert all("asked:" in str(f["value"]) and "approve the rollout" in str(f["value"])
               for f in facts if f["quote"] == "ISO 27001.")


def test_a_one_word_answer_to_a_question_about_no_field_is_dropped() -> None:
    turns = [{"id": "t1", "speaker": "Tobias Wren", "text": "Anything else?"},
             {"id": "t2", "speaker": "Ilse Kramer", "text": "Keycloak."}]
    assert not [f for f in _facts(turns) if f["quote"] == "Keycloak."]


def test_stage_directions_and_meta_lines_are_not_filed() -> None:
    turns = [{"id": "t1", "speaker": "Ilse Kramer",
              "text": "Ravi signs anything above $40k. [Ravi leaves, 10:12 am]"},
             {"id": "t2", "speaker": "Ilse Kramer",
              "text": "Let me give you the spoilage figures first, Ravi asked me to."},
             {"id": "t3", "speaker": "Ilse Kramer",
              "text": "Sorry, I have to run at four, the auditor is at the Leeds depot."}]
    facts = _facts(turns)
    assert not any("[" in str(f["value"]) for f in facts), facts
    assert not any("spoilage figures first" in str(f["quote"]) or "have to run" in
                   str(f["quote"]) for f in facts), facts
    assert any("$40k" in str(f["value"]) for f in facts), facts


def test_talk_that_gives_a_date_or_an_amount_keeps_the_figure() -> None:
    assert not meta_line("Let me give you the go-live first: October 3.")
    assert not meta_line("I have to run, but the board approved $80k this morning.")


def test_the_calls_header_lines_are_no_facts_but_the_reps_sentences_before_it_are() -> None:
    """Before the first line somebody speaks: a title, a date and place, who attended are
    the call's header; the rep's own sentences there are the rep's account."""
    from assistant.reflect.extract import preamble

    turns = [
        {"id": "t1", "speaker": None, "text": "Kiln check-in, Brookvale Ceramics"},
        {"id": "t2", "speaker": None, "text": "Tue Mar 3, 2027, 4:00-4:40 pm, studio office"},
        {"id": "t3", "speaker": None, "text": "Present: Ola Berg, Tam Reyes; Ines Moor"},
        {"id": "t4", "speaker": None, "text": "Chatted with Ines before. She runs four kilns."},
        {"id": "t5", "speaker": "Ola Berg", "text": "Thanks for having us, Ines."},
        {"id": "t6", "speaker": None, "text": "Short line later on"},
    ]
    assert preamble(turns) == {"t1", "t2", "t3"}
    assert preamble([{**t, "speaker": None} for t in turns]) == set()  # notes, no speakers
