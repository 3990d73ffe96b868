"""The exit-criteria reading: a named decider shows "economic buyer named", a hedge ("or
maybe", "so far") keeps a criterion open, "said yes" is a yes, "due-date sheet" is no due
date, and the examples a criterion lists in brackets make a sentence about it."""

from __future__ import annotations

from assistant.prep.criteria import read_criterion, relevance
from assistant.prep.sentences import pool


def _rows(*texts: str) -> list:
    note = {"id": "cc-n1", "date": "2026-11-10", "author": "Sam Reyes", "kind": "call",
            "full_text": "\n\n".join(texts)}
    return pool([note])


def test_a_named_decider_shows_the_economic_buyer_named() -> None:
    read = read_criterion("Economic buyer named", _rows("Lorena Vidal (CFO) decides."))
    assert read.status == "met" and "Lorena Vidal" in read.quote.text


def test_a_hedge_keeps_who_signs_open() -> None:
    rows = _rows('Who signs: "procurement at BrightPath, or maybe our VP of lab operations."')
    assert read_criterion("We know by name who signs the order form", rows).status == "open"
    rows = _rows("Their security questionnaire: 118 questions, 84 answered so far.")
    assert read_criterion("Security questions answered in writing", rows).status == "open"


def test_said_yes_is_met_and_a_due_date_sheet_is_not_due() -> None:
    rows = _rows("Helen said yes to $95 a seat and the January go-live.")
    assert read_criterion("The signer said yes to the seat price", rows).status == "met"
    rows = _rows("Paper tickets, an Excel due-date sheet, QuickBooks Online for invoicing.")
    assert read_criterion("Current system and contract end date written down",
                          rows).status != "open"


def test_an_example_in_brackets_relates_a_sentence() -> None:
    criterion = "The pain, in their own numbers (callbacks, drive time, missed calls)"
    row = _rows("We miss 15 to 20 calls a week in summer.")[0]
    assert relevance(criterion, row) >= 1.0


def test_evidence_is_about_the_criterion_not_a_sentence_with_figures() -> None:
    notes = [
        {"id": "dx-n3", "date": "2026-10-20", "author": "Sam Reyes", "kind": "call",
         "full_text": 'Trial over. Ines on the phone: "It works, my dispatchers stopped '
                      'calling me at night."'},
        {"id": "dx-n4", "date": "2026-10-28", "author": "Sam Reyes", "kind": "email",
         "full_text": "> Two depots at $300 plus $2,000 setup is $2,600 in year one.\n>\n"
                      "> Ines Vidal"},
    ]
    read = read_criterion("One depot scheduled on it for two weeks and the dispatch lead "
                          "said it works, in their words", pool(notes, ["Ines Vidal"]))
    assert read.quote is not None and read.quote.note_id == "dx-n3"
    assert "$" not in read.quote.text


def test_a_rivals_own_pilot_is_no_evidence_for_ours() -> None:
    from assistant.prep.criteria import read_criteria

    rows = _rows("Heads-up: Corvex finished its pilot at the north depot and the lead signed "
                 "off.")
    criterion = "Two-week pilot on live routes signed off by their operations lead"
    assert read_criteria([criterion], rows)[0].status == "met"  # without knowing the rival
    read = read_criteria([criterion], rows, rivals=["Corvex"])[0]
    assert read.status == "open" and read.quote is None


def test_criterion_evidence_is_about_the_criterion_s_subject() -> None:
    """"Pain confirmed ..." is not met by "the pilot is confirmed" (a shared word, another
    subject), nor by a number that is our price; it is by their hours of overtime."""
    from assistant.reflect.criteria import candidates
    from assistant.reflect.cues import read_clear, subject_words

    pain = ("Pain confirmed in the customer's own words, with at least one number (hours, "
            "overtime, miles, waste)")
    assert subject_words(pain) == {"pain", "hours", "overt", "miles", "waste"}

    def clear(*lines: str) -> object:
        turns = [{"id": f"t{k}", "speaker": who, "text": text} for k, (who, text) in
                 enumerate(zip(["Ann Seller", "Dana Ruiz"], lines, strict=True), start=1)]
        related = {t["id"] for t in candidates(pain, turns)}
        return read_clear(pain, turns, sellers=["Ann Seller"], related=related)

    assert clear("And the pilot, is that settled now?",
                 "Yes, the pilot is confirmed for March.") is None
    assert clear("What does the planning pain cost you?",
                 "Your price is $2,400 a month per site.") is None
    got = clear("What does the planning pain cost you?", "We pay 40 hours of overtime a week.")
    assert got is not None and getattr(got, "status", None) == "met"


def test_an_elliptical_answer_to_who_signs_names_the_signer() -> None:
    from assistant.reflect.cues import read_clear

    turns = [{"id": "t1", "speaker": "Hollis Brandvold", "text": "Fair. And at the end, who "
              "signs?"},
             {"id": "t2", "speaker": "Ingrid Verrill", "text": "Arne does. Anything over "
              "$25,000 goes to my father, he signs it."}]
    got = read_clear("We have the name of whoever signs for software", turns,
                     sellers=["Hollis Brandvold"], related=set())
    assert got is not None and got.status == "met" and got.text == "Arne does."
    turns[1]["text"] = "She does. Anything over $25,000."  # a pronoun names nobody
    assert read_clear("We have the name of whoever signs for software", turns,
                      sellers=["Hollis Brandvold"], related=set()) is None
