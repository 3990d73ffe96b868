"""The question a rep asks for an open exit criterion (assistant.prep.questions.ask_for).

Criteria here are invented for the test, in the shapes process.yaml files use."""

import pytest

from assistant.prep.questions import ask_for, qualification_gaps


@pytest.mark.parametrize("criterion, question", [
    # who decides
    ("Economic buyer named", "Who signs off on this?"),
    ("Decision maker identified by name", "Who makes the decision?"),
    ("Economic buyer and budget identified",
     "Who signs off on this, and what budget is set aside?"),
    ("Economic buyer identified by name and met or scheduled",
     "Who signs off on this, and when can we meet them?"),
    ("Executive sponsor (VP Finance) identified by name",
     "Who sponsors this on your side (VP Finance)?"),
    ("We know by name who signs the renewal", "Can you tell us who signs the renewal?"),
    # a date
    ("Contract start date agreed", "What date can we agree for the contract start?"),
    # numbers and pain
    ("Churn pain confirmed with numbers", "What does the churn problem cost you today, in your "
                                          "own numbers?"),
    ("The clinic put a number on missed appointments, in their own figures",
     "Can you put your own number on missed appointments?"),
    ("Waste stated in dollars or pallets",
     "Can you put your own number on the waste, in dollars or pallets?"),
    # known / confirmed
    ("Warehouse count and order volume known",
     "Can you tell us the warehouse count and order volume?"),
    ("SSO provider confirmed by their IT lead", "Can your IT lead confirm the SSO provider?"),
    ("Go-live budget confirmed for the next fiscal year (opex or capex)",
     "Can you confirm the go-live budget for the next fiscal year (opex or capex)?"),
    ("Incumbent's notice period written down", "Can you tell us the incumbent's notice period?"),
    ("What they use now is written down, with the end date if they pay for it",
     "Can you tell us what you use now?"),
    # someone agrees, sees
    ("Finance director accepted the three-year price",
     "What would the finance director need to accept the three-year price?"),
    ("Customer agrees to a paid pilot with two depots",
     "What would you need to agree to a paid pilot with two depots?"),
    ("Head of nursing saw the pilot results",
     "When can the head of nursing see the pilot results?"),
    # a state to reach
    ("Data processing agreement signed",
     "What is left before the data processing agreement is signed, and who owns it?"),
    ("Penetration test findings closed",
     "What is left before the penetration test findings are closed, and who owns it?"),
])
def test_a_criterion_becomes_the_question_the_rep_asks(criterion: str, question: str) -> None:
    assert ask_for(criterion) == question


def test_a_shape_it_does_not_know_still_asks_on_the_criterion_s_words() -> None:
    q = ask_for("Two stores ran the rota for a month and the area manager wants it everywhere")
    assert q.startswith("What is left before this holds: two stores ran the rota")
    assert q.endswith("and who owns it?")


def test_it_speaks_to_the_customer() -> None:
    assert "your" in ask_for("Their procurement team accepted our vendor form")
    assert "their" not in ask_for("Their procurement team accepted our vendor form").lower()
    assert ask_for("") == ""


def test_who_decides_asks_about_the_person_the_open_note_names() -> None:
    q = ask_for("Economic buyer identified by name and met or scheduled", named="Mara Lind")
    assert q == "Is Mara Lind the one who signs off on this, and when can we meet them?"
    # the name only changes a question about who decides
    assert ask_for("Security review passed", named="Mara Lind") == ask_for("Security review passed")


def test_qualification_gaps_ask_what_no_note_shows_most_important_first() -> None:
    notes = ["Priya runs the depot; the night shift re-keys orders by hand.",
             "She wants it live before the spring peak."]
    gaps = qualification_gaps(notes, kind="discovery")
    assert [f for f, _ in gaps] == ["economic buyer", "decision process"]  # two at most
    assert gaps[0][1].startswith("Who signs off on this")


def test_a_field_the_notes_show_or_a_question_asks_is_not_asked_again() -> None:
    notes = ["Omar approves anything above $20k; the board decides in March.",
             "Their must-have is offline scanning. They also looked at Palletly."]
    assert [f for f, _ in qualification_gaps(notes, kind="discovery")] == []
    thin = ["Priya runs the depot."]
    asked = ["Is Omar the one who signs off on this, and when can we meet them?"]
    assert "economic buyer" not in [f for f, _ in qualification_gaps(thin, kind="discovery",
                                                                     asked=asked)]
    # a rival the notes name shows the competition
    named = ["Priya runs the depot and signs; the committee decides; it saves 3 hours a day; "
             "her must-have is offline use; Palletly pitched last week."]
    assert qualification_gaps(named, kind="discovery", rivals=["Palletly"]) == []


def test_late_meetings_do_not_reopen_the_criteria_or_the_competition() -> None:
    thin = ["Priya runs the depot."]
    assert [f for f, _ in qualification_gaps(thin, kind="negotiation")] == [
        "economic buyer", "decision process"]
    signed = ["Omar signs; the committee decides in March."]
    assert qualification_gaps(signed, kind="negotiation") == []


def test_a_relative_clause_or_a_passive_state_is_not_someone_acting() -> None:
    # before: "What would the one who need to sign the order is named?" and "What would the
    # data processing agreement need to accept in writing?"
    assert ask_for("The one who signs the order is named") == "Who signs off on this?"
    assert ask_for("Data processing agreement accepted in writing") == (
        "What is left before the data processing agreement is accepted in writing, and who "
        "owns it?")
    assert ask_for("Plant manager approved the rollout budget") == (
        "What would the plant manager need to approve the rollout budget?")
