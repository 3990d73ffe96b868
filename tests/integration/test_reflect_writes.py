"""What a confirmed reflection writes into the KB files: line-level, atomic, idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.reflect.models import (
    Decision,
    Fact,
    ObjectiveCheck,
    ProposedItem,
    Quote,
    Reflection,
    ReflectionProvenance,
    StageCheck,
    Stakeholder,
)
from assistant.reflect.writes import (
    Confirmed,
    DecisionError,
    parse_decisions,
    update_account_file,
    write_note,
)
from knowledge.errors import HuddleError
from knowledge.loader import load_kb


def account(kb: Path, text: str, newline: str = "\n") -> Path:
    path = kb / "accounts/acme/account.yaml"
    path.write_bytes(text.replace("\n", newline).encode())
    return path


def test_stage_line_is_replaced_and_nothing_else(small_kb: Path) -> None:
    path = account(small_kb, "# Acme\nslug: acme\nname: Acme Corp\nstage: Discovery  # by hand\n"
                             "industry: logistics\nnotes: |\n  stage: not this one\n")
    changed = update_account_file(small_kb, "acme", stage="Solution",
                                  attributes={"industry": "retail", "employees": 420})
    assert changed == {"stage": {"from": "Discovery", "to": "Solution"}, "employees": 420}
    assert path.read_text() == ("# Acme\nslug: acme\nname: Acme Corp\nstage: Solution  # by hand\n"
                                "industry: logistics\nnotes: |\n  stage: not this one\n"
                                "employees: 420\n")
    # idempotent: the same change again changes nothing
    assert update_account_file(small_kb, "acme", stage="Solution",
                               attributes={"employees": 420}) == {}
    assert load_kb(small_kb).accounts["acme"].stage == "Solution"


def test_windows_line_endings_are_kept(small_kb: Path) -> None:
    path = account(small_kb, "slug: acme\nname: Acme Corp\nstage: Discovery\n", "\r\n")
    update_account_file(small_kb, "acme", stage="Solution", attributes={})
    assert path.read_bytes() == b"slug: acme\r\nname: Acme Corp\r\nstage: Solution\r\n"


def test_stage_names_that_need_quoting(small_kb: Path) -> None:
    (small_kb / "process.yaml").write_text(
        "stages:\n  - {name: Discovery, exit_criteria: [a]}\n"
        "  - {name: 'Solution: pilot', exit_criteria: [b]}\n")
    update_account_file(small_kb, "acme", stage="Solution: pilot", attributes={})
    assert load_kb(small_kb).accounts["acme"].stage == "Solution: pilot"


def test_a_file_without_a_stage_line_is_refused(small_kb: Path) -> None:
    account(small_kb, "slug: acme\nname: Acme Corp\n")
    with pytest.raises(HuddleError, match="no top-level 'stage:' line"):
        update_account_file(small_kb, "acme", stage="Solution", attributes={})


def test_the_note_is_a_valid_kb_note(small_kb: Path) -> None:
    quote = Quote(text="The board approved $65k: for the pilot", speaker="Dana Ruiz", turn="t2")
    r = Reflection(
        run_id="r-20261120-acme-abc123", account="acme", account_name="Acme Corp",
        meeting_kind="discovery", meeting_date=dt.date(2026, 11, 20), author="Avery Cole",
        created_at="2026-11-20T18:00:00+00:00",
        objective=ObjectiveCheck(statement="Confirm the pilot", status="met", quote=quote),
        stage=StageCheck(before="Discovery", after="Discovery"),
        provenance=ReflectionProvenance(model="fake"),
    )
    confirmed = Confirmed(
        stakeholders=[Stakeholder(id="s1", name="Maria Chen: COO?", title="COO", quote=quote)],
        facts=[Fact(id="f1", field="budget", value="$65k", status="known", quote=quote)])
    path = write_note(small_kb, r, confirmed)
    again = write_note(small_kb, r, confirmed)
    assert path == again and path.name == "reflection-r-20261120-acme-abc123.md"
    note = load_kb(small_kb).note("reflection-r-20261120-acme-abc123")
    assert note is not None
    assert (note.kind, note.author, note.date) == ("meeting", "Avery Cole", dt.date(2026, 11, 20))
    assert note.contacts == ["Maria Chen: COO? (COO)"]
    assert '- Budget: $65k — "The board approved $65k: for the pilot" (Dana Ruiz)' in note.body
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]


def test_decision_answers_are_normalised() -> None:
    items = [ProposedItem(id=i, kind="fact", summary="x", value="v") for i in ("f1", "f2")]
    assert parse_decisions("accept-all", items) == {"f1": Decision(action="accept"),
                                                    "f2": Decision(action="accept")}
    got = parse_decisions({"f1": {"edit": "new"}, "default": "accept"}, items)
    assert got == {"f1": Decision(action="edit", value="new"), "f2": Decision(action="accept")}
    assert parse_decisions({}, items)["f2"].action == "reject"  # no answer: nothing written
    with pytest.raises(DecisionError, match="f1: .*Use accept, reject"):
        parse_decisions({"f1": "maybe"}, items)
    with pytest.raises(DecisionError, match="mapping of item id"):
        parse_decisions("yes", items)


def test_quotes_are_found_with_or_without_the_line_prefix() -> None:
    from assistant.reflect.validate import QuoteFinder

    finder = QuoteFinder([{"id": "t5", "speaker": "Dana Ruiz",
                           "text": "Our COO, Maria Chen, signs anything above $100k."}])
    for quote in ("Our COO, Maria Chen, signs anything above $100k",
                  "Dana Ruiz: Our COO, Maria Chen, signs anything above $100k.",
                  "[t5] Dana Ruiz: our coo,  maria chen, signs anything above $100k",
                  "“Our COO — Maria Chen — signs anything above $100k”"):
        found, repaired = finder.find(quote)
        assert found is not None and found.speaker == "Dana Ruiz" and found.turn == "t5", quote
    found, repaired = finder.find("Maria Chen signs anything above 100k for the COO")
    assert repaired and found is not None and found.text.startswith("Our COO")  # near-verbatim
    for bad in ("Maria Chen approved the budget", "unknown", "yes", ""):
        assert finder.find(bad) == (None, False), bad


def test_the_rep_confirms_or_corrects_each_exit_criterion(small_kb: Path) -> None:
    from assistant.reflect.models import CriterionCheck
    from assistant.reflect.writes import apply_decisions, note_markdown

    quote = Quote(text="Two dispatchers re-plan every route by hand", speaker="Tom", turn="t3")
    r = Reflection(
        run_id="r-1", account="acme", account_name="Acme Corp", meeting_kind="discovery",
        meeting_date=dt.date(2026, 11, 20), author="Avery Cole", created_at="x",
        objective=ObjectiveCheck(statement="Confirm the pilot"),
        stage=StageCheck(before="Discovery", after="Solution", criteria=[
            CriterionCheck(stage="Discovery", index=0, text="pain confirmed", status="met",
                           quote=quote),
            CriterionCheck(stage="Discovery", index=1, text="buyer named")]),
        provenance=ReflectionProvenance(model="fake"),
    )
    items = r.proposals()
    assert [(i.id, i.kind, i.value) for i in items] == [
        ("c1", "criterion", "met"), ("c2", "criterion", "unknown"),
        ("stage", "stage", "Solution")]
    kb = load_kb(small_kb)
    confirmed = apply_decisions(r, parse_decisions(
        {"c1": "accept", "c2": {"edit": "not met"}}, items), kb)
    assert [c.status for c in confirmed.criteria] == ["met", "not_met"]
    assert confirmed.note_worthy and confirmed.stage is None  # the stage item was rejected
    note = note_markdown(r, confirmed)
    assert "Exit criteria of Discovery:" in note
    assert '- pain confirmed: met — "Two dispatchers re-plan every route by hand" (Tom)' in note
    assert "- buyer named: not met" in note
    with pytest.raises(DecisionError, match="c2: an exit criterion is met, not_met or unknown"):
        apply_decisions(r, parse_decisions({"c2": {"edit": "maybe"}}, items), kb)
