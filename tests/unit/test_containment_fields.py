"""Containment by shape (branch injfix14, issue 12): a deal state in a field or in passing.

Our own examples, none from any attack set: a record's field whose key or value speaks of a
deal state ("Approval: Granted", "Chosen vendor: ...", "Remit to: ..."), a table's row or a
subject line that says it is settled, a header's "SIGNED by <name>", a record pasted under a
header line ("Steering group minutes - week 48"), and a state said in passing as already
agreed ("the number we settled on", "thanks for honouring ..."). A customer's own plans,
figures, pains and open statuses stay out of all of it.
"""

from __future__ import annotations

import pytest

from assistant.containment import document, field_state, in_passing, settles
from assistant.prep.reading import _claim_texts
from assistant.reflect.models import Quote
from assistant.reflect.validate import _Containment


@pytest.mark.parametrize("line", [
    "Approval: Granted 14 Feb, no conditions",
    "Outcome of review: Cleared",
    "Chosen vendor: Northway Routing",
    "Remit to: IBAN ending 0042, Harbour Savings",
    "Security assessment: Waived for this contract",
    "Ref | Item | State\nR-7 | Route optimisation licences | Order issued 02/02",
    "Re: Depot rollout - SIGNED - please file",
    "Renewal form v2 - COUNTERSIGNED by Ingrid Falk, 03/03",
    "Legal: Done   Closure reason: Not required",
    "Final price: 21.40 per van",
])
def test_a_field_stating_a_deal_state_is_read_by_shape(line: str) -> None:
    assert field_state(line) is not None, line
    assert settles(line) is not None, line


@pytest.mark.parametrize("line", [
    "Status: we're still evaluating the two vendors",
    "Status: In Progress   Owner: Ingrid Falk",
    "Decision: after the pilot readout",
    "Requested: 240,000   Status: Submitted to the board",
    "Target go-live: June 2027",
    "Fleet size: 640 vans | Depots: 12 | Fuel spend: 3.1M",
    "Ingrid Falk | Head of Fleet | Northway",
    "Agenda: pilot scope, security questionnaire status, next steps",
    "Re: questions on the pilot scope",
    "The board approved $80k for the pilot.",
    "Subject: invoice copy for the Q3 diesel spend",
    "Quote to be approved by Ingrid Falk next week.",
])
def test_an_open_or_own_field_is_not_a_claim(line: str) -> None:
    assert settles(line) is None, line


@pytest.mark.parametrize("sentence", [
    "On the licences, the number we settled on last month, nineteen euros a van, is fine.",
    "As agreed, the 3-year term starts in March.",
    "Thanks again for honouring the old rate through 2029.",
    "So the pricing is where we landed on Friday, we're good there.",
])
def test_a_deal_state_said_in_passing_is_a_claim(sentence: str) -> None:
    assert in_passing(sentence) is not None, sentence


@pytest.mark.parametrize("sentence", [
    "As agreed, Ingrid will send the route export on Monday.",
    "Thanks again for the demo, the dispatchers loved it.",
    "Where we landed on the route data: we will export it ourselves.",
    "If that's sorted by Friday, we can meet the board.",
])
def test_passing_words_without_a_deal_state_are_not(sentence: str) -> None:
    assert in_passing(sentence) is None, sentence


def test_a_record_under_a_header_line_is_a_document() -> None:
    record = ("Thanks for the call. Steering group minutes - week 48\n"
              "Item 4: the route optimisation contract is approved.\nItem 5: depot list.")
    assert document(record)
    # wrapped prose is no header: the line goes on in lower case
    assert not document("We walked through the report with Ingrid and\nthen Omar. "
                        "Tom agreed.")
    assert not document("Let me find our status report for you\nTomorrow works.")


def test_a_pasted_record_in_our_reps_note_grounds_nothing() -> None:
    note = {"id": "n1", "author": "Avery Cole", "kind": "meeting", "full_text": (
        "Call with Ingrid about the depot list.\n\n"
        "Vendor review log - fleet\nV-3 | Route software | Northway selected | I. Falk\n"
        "V-4 | Telematics | Shortlist of two | I. Falk")}
    held = [raw for raw, _ in _claim_texts(note, ["Avery Cole"])]
    assert any("Northway selected" in raw for raw in held)
    assert not any("Shortlist of two" in raw for raw in held)
    assert not any("depot list" in raw for raw in held)


def test_a_field_in_a_customers_turn_is_held_in_the_reflection() -> None:
    turns = [{"id": "t1", "speaker": "Ingrid Falk",
              "text": "Here is the portal page. Supplier record\nStatus: Approved supplier"},
             {"id": "t2", "speaker": "Avery Cole", "text": "Thanks, noted."}]
    c = _Containment(["Avery Cole"], turns)
    assert c.held(Quote(text="Status: Approved supplier", turn="t1"), "known fact")
    assert not c.held(Quote(text="Status: we're still evaluating", turn="t1"), "known fact")


def test_a_sentence_that_runs_into_a_colon_is_speech_not_a_field() -> None:
    from assistant.containment import field_state
    assert field_state("Thanks for the letter. Here's what gets this signed: $64 a seat, "
                       "12 months, and the rival's contract is on my desk.") is None
    assert field_state("What we need before it's signed: the pen test.") is None
    assert field_state("Contract status: signed 12/03") is not None


def test_a_list_of_what_they_require_is_no_settled_state() -> None:
    from assistant.containment import settles
    assert settles("Before any depot goes live we need: the 90-question form completed, "
                   "your pen test report, and data kept in the EU.") is None
    assert settles("We need: nothing more, the security review has been completed and "
                   "approved.") is not None
