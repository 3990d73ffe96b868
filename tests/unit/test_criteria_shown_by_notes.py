"""Exit criteria read from what the notes show, in words unlike any eval file: a yes held
back is open; what they keep records in today, written down; who does the thing, named
beside the verb the criterion asks about; a research heading with its figure."""

from __future__ import annotations

import pytest

from assistant.prep.criteria import names_who, read_criterion
from assistant.prep.sentences import pool

PEOPLE = ["Wanda Petrov", "Hugo Lind"]


def _status(criterion: str, *texts: str) -> str:
    notes = [{"id": f"cr-n{i}", "date": f"2026-09-{10 + i:02d}", "author": "Ada Quist",
              "kind": "call", "full_text": t, "contacts": ["Wanda Petrov"]}
             for i, t in enumerate(texts)]
    return read_criterion(criterion, pool(notes, PEOPLE, ["Ada Quist"])).status


def test_a_yes_held_back_is_open() -> None:
    assert _status("The buyer accepted the price per clinic",
                   "Wanda likes the rota screens; not saying yes to $31,000 a year.") == "open"


def test_what_they_keep_records_in_today_written_down_is_met() -> None:
    crit = "What they schedule the drivers in today is written down, with the contract end"
    assert _status(crit, "Routes planned in a spreadsheet, drivers called by phone.",
                   "The whiteboard in the yard is the only plan on Sundays.") == "met"


def test_with_nothing_said_of_their_records_it_stays_open() -> None:
    crit = "What they schedule the drivers in today is written down, with the contract end"
    assert _status(crit, "Wanda wants fewer empty miles.") == "open"


@pytest.mark.parametrize(("criterion", "text"), [
    ("We know who reads the contract on their side", "Hugo Lind, their counsel, reads the "
     "contract, two weeks."),
    ("We know who writes the cheque, by name", "Wanda signs; she said so twice."),
])
def test_a_person_named_doing_what_the_criterion_asks_meets_it(criterion: str,
                                                                text: str) -> None:
    assert names_who(criterion, text)
    assert _status(criterion, text) == "met"


@pytest.mark.parametrize("text", ["Nobody signs without the board.",
                                  "Who signs is still a conversation."])
def test_nobody_named_is_not_a_signer(text: str) -> None:
    assert not names_who("We know who writes the cheque, by name", text)


def test_a_research_heading_with_its_figure_counts() -> None:
    assert _status("How many vans they run and how many depots are written down",
                   "Vans in service: ~140") == "met"


def test_the_quote_names_the_most_of_what_they_keep_records_in() -> None:
    crit = "What they schedule the drivers in today is written down"
    notes = [{"id": f"cr-n{i}", "date": f"2026-09-{10 + i:02d}", "author": "Ada Quist",
              "kind": "call", "full_text": t, "contacts": ["Wanda Petrov"]}
             for i, t in enumerate(["Routes in a spreadsheet, the week on a whiteboard.",
                                    "Somebody wiped the whiteboard on Friday."])]
    read = read_criterion(crit, pool(notes, PEOPLE, ["Ada Quist"]))
    assert read.status == "met" and read.quote is not None
    assert read.quote.text.startswith("Routes in a spreadsheet")


def test_a_close_sentence_is_not_lost_to_a_rounding_error() -> None:
    # scores are sums of 0.35s: a name that reviews the contract (1.7) beside a plan line
    # scoring 2.7 must still be read, and it is newer than the old "still don't know"
    crit = "We know who reviews the contract, who signs and the go-live month"
    notes = [
        {"id": "cr-n1", "date": "2026-09-01", "author": "Ada Quist", "kind": "research",
         "full_text": "Still don't know who reviews the contract on their side.", "contacts": []},
        {"id": "cr-n2", "date": "2026-09-08", "author": "Ada Quist", "kind": "call",
         "full_text": "Hugo Lind (outside attorney) reviews, Wanda signs.",
         "contacts": ["Wanda Petrov"]},
        {"id": "cr-n3", "date": "2026-09-15", "author": "Ada Quist", "kind": "research",
         "full_text": "Mine: the depot order and the go-live month.", "contacts": []}]
    read = read_criterion(crit, pool(notes, PEOPLE, ["Ada Quist"]))
    assert read.status == "met" and read.quote is not None and "Hugo Lind" in read.quote.text
