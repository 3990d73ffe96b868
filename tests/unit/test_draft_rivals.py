"""The answer check refuses a headline that gets the roles backwards (a competitor the notes
name made what we roll out, propose or sell) and one that stops mid-word; a line that names
the competitor as the thing to beat, or asks about it, stays."""

from __future__ import annotations

import pytest

from assistant.plan import Draft
from assistant.prep.assemble import check_draft
from assistant.prep.rivals import cut_short, named_rivals, sells_rival

EVIDENCE = (
    "Quick update. We're not going ahead with Brightlane. Ines looked at it and said it is a "
    "prettier spreadsheet. Raul's team had a quote from Brightlane for about $7,000 a year. "
    "Ines asked why don't we just move to Copperfield's cloud version. Raul wants the pilot "
    "to cut the re-plan time across the four depots before he approves the rollout. "
    "We run Copperfield today and the renewal notice is due March 1.")
RIVALS = ["Brightlane", "Copperfield"]


def _check(**fields: str) -> tuple[Draft, list[str]]:
    draft = Draft.model_validate({"objective": "", "advance": "", "fallback": "",
                                  **fields})
    return check_draft(draft, grams=set(), buyers=["Raul Ortega"],
                       evidence=EVIDENCE, known=["Halden Haulage proposal call", "Raul Ortega"],
                       rivals=RIVALS)


def test_notes_name_the_rivals_they_weigh_run_or_ruled_out() -> None:
    found = named_rivals(EVIDENCE.split(". "), exclude=["Raul Ortega", "Ines Vidal"])
    assert found == ["Brightlane", "Copperfield"]
    # people, the account and our own company are never rivals
    assert named_rivals(["We are switching to Halden next year."], exclude=["Halden"]) == []
    assert named_rivals(["Overtime cost across 3 plants is high; 3 DCs at $14k."]) == []
    assert named_rivals(["Jobber costs them about $349 a month."]) == ["Jobber"]


@pytest.mark.parametrize("line", [
    "Discuss the economic viability of a full-scale rollout of Brightlane",
    "Raul agrees to proceed with the Copperfield implementation by March 1",
    "If Raul will not commit, propose Brightlane for the four depots",
    "Secure Raul's commitment to a Brightlane rollout",
])
def test_a_headline_that_sells_a_rival_is_refused(line: str) -> None:
    assert sells_rival(line, RIVALS)
    for label in ("objective", "advance", "fallback"):
        checked, problems = _check(**{label: line})
        assert getattr(checked, label) == ""
        assert any(p.startswith(f"{label}: it made a competitor") for p in problems)


@pytest.mark.parametrize("line", [
    "Raul agrees the pilot scope that shows why we beat Brightlane on re-plan time",
    "If Raul will not commit, ask Ines where the Copperfield renewal stands before March 1",
    "Raul confirms a pilot to replace Copperfield in the four depots",
    "Show Raul our rollout against Copperfield's cloud version",
])
def test_a_headline_that_names_a_rival_to_beat_is_kept(line: str) -> None:
    assert sells_rival(line, RIVALS) is None
    checked, problems = _check(objective=line)
    assert checked.objective == line, problems


def test_a_fallback_that_stops_mid_word_is_refused() -> None:
    cut = "If Raul will not commit today, agree a working session on the four depots to redc."
    checked, problems = _check(fallback=cut)
    assert checked.fallback == ""
    assert any("stopped mid-word" in p for p in problems)
    whole = "If Raul will not commit today, agree a working session on the four depots."
    assert _check(fallback=whole)[0].fallback == whole


def test_cut_short_reads_the_last_word() -> None:
    vocab = {"cut", "the", "time"}
    assert cut_short("a session to redc.", vocab)          # no English word ends in "dc"
    assert cut_short("a session with Raul to rvw", vocab)    # no vowel
    assert not cut_short("a session to cut the time.", vocab)
    assert not cut_short("a session with the team to reconvene.", vocab)
    assert not cut_short("a session on depots, routes, etc.", vocab)
    # at the schema's length cap a word the evidence lacks is a cut, not a choice
    long = "x" * 150 + " a reducti"
    assert cut_short(long, vocab, cap=160)
    assert not cut_short("a short line on the reducti", vocab, cap=160)
