"""``huddle outcome`` closes the deal: the account's stage moves to the closing stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.fakes import FakeLLM
from tests.integration.reflect_support import CALL, make_huddle, write_call


def _with_closing_stages(kb: Path) -> None:
    (kb / "process.yaml").write_text(yaml.safe_dump({"stages": [
        {"name": "Discovery", "exit_criteria": ["pain confirmed"]},
        {"name": "Solution", "exit_criteria": ["fit confirmed"]},
        {"name": "Closed Won", "exit_criteria": ["signed"]},
        {"name": "Closed Lost", "exit_criteria": ["reason recorded"]},
    ]}))


def _stage(kb: Path) -> str:
    data = yaml.safe_load((kb / "accounts" / "acme" / "account.yaml").read_text())
    return str(data["stage"])


def test_won_moves_the_account_to_closed_won(small_kb: Path, tmp_path: Path) -> None:
    _with_closing_stages(small_kb)
    huddle = make_huddle(small_kb, tmp_path, FakeLLM([]))
    result = huddle.record_outcome("acme", "won", date="2026-12-15")
    assert result.stage == {"from": "Discovery", "to": "Closed Won"}
    assert _stage(small_kb) == "Closed Won"
    assert huddle.kb.account("acme").stage == "Closed Won"  # the service sees it at once
    text = (small_kb / "accounts" / "acme" / "account.yaml").read_text()
    assert "industry: logistics" in text and "employees: 420" in text  # nothing else changed


def test_lost_moves_to_closed_lost_and_keep_stage_leaves_it(small_kb: Path,
                                                            tmp_path: Path) -> None:
    _with_closing_stages(small_kb)
    huddle = make_huddle(small_kb, tmp_path, FakeLLM([]))
    huddle.record_outcome("acme", "lost", date="2026-12-15", close_stage=False)
    assert _stage(small_kb) == "Discovery"
    huddle.record_outcome("acme", "lost", date="2026-12-16")
    assert _stage(small_kb) == "Closed Lost"


def test_a_process_without_a_lost_stage_says_so_and_keeps_the_stage(small_kb: Path,
                                                                     tmp_path: Path) -> None:
    huddle = make_huddle(small_kb, tmp_path, FakeLLM([]))  # Discovery, Solution only
    result = huddle.record_outcome("acme", "lost", date="2026-12-15")
    assert "no stage for a lost deal" in str(result.stage["note"])
    assert _stage(small_kb) == "Discovery"
    won = huddle.record_outcome("acme", "won", date="2026-12-16")
    assert won.stage == {"from": "Discovery", "to": "Solution"}  # the furthest open stage


def _empty(call: Any) -> str:
    """The smallest valid answer to any schema: the model adds nothing."""
    out: dict[str, Any] = {}
    for key, prop in (call.schema or {}).get("properties", {}).items():
        out[key] = [] if prop.get("type") == "array" else (prop.get("enum") or [""])[-1]
    return json.dumps(out)


CLOSING_CALL = CALL + (
    "Dana Ruiz: Signed today: three-year term, $148k a year all in.\n"
    "Dana Ruiz: That was 73 days from first call to signature.\n"
    "Tom Becker: And the pilot rollout went smoothly, on time.\n")


def test_a_closing_call_proposes_figures_and_icp_evidence_the_outcome_uses(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (small_kb / "icp.yaml").write_text(
        "attributes:\n  - {name: industry, kind: category, ideal: [logistics]}\n"
        "  - {name: employees, kind: number, buckets: [200, 1000]}\n")
    fake = FakeLLM([], default=_empty).install(monkeypatch)
    huddle = make_huddle(small_kb, tmp_path / "data", fake)
    run = huddle.reflections.start(notes=write_call(tmp_path, CLOSING_CALL), account="acme",
                                   kind="negotiation", date="2026-12-01",
                                   sellers="Avery Cole", outcome="won")
    r = run.reflection
    figures = {f.name: (f.value, f.quote.speaker) for f in r.figures}
    assert figures["deal_size"] == ("148000", "Dana Ruiz")
    assert figures["cycle_days"] == ("73", "Dana Ruiz")
    assert figures["delivery_friction"] == ("low", "Tom Becker")
    assert r.outcome == "won"
    from assistant.reflect.render import reflection_markdown
    md = reflection_markdown(r)  # the rep's next step: the deal closes on the outcome
    assert "Discovery → **Solution** (the deal ended won), pending `huddle outcome acme won`" \
        in md and "stays Discovery" not in md
    assert r.stage.closes == "Solution" and r.stage.after == "Discovery"
    stage_item = next(i for i in run.items if i.kind == "stage")
    assert "pending `huddle outcome acme won`" in stage_item.summary
    # a smooth win: evidence for the account's values, shown by the sentence that says so
    closed = [(e.attribute, e.value, e.signal, e.quote.speaker) for e in r.icp_evidence]
    assert ("industry", "logistics", "supports", "Tom Becker") in closed
    assert [i.kind for i in run.items].count("figure") == 3
    # nothing recorded before the rep confirms; the rep corrects the deal size
    assert huddle.ledger.outcomes(account="acme") == []
    deal = next(f.id for f in r.figures if f.name == "deal_size")
    huddle.reflections.resume(run.run_id, {"default": "accept", deal: {"edit": "$150,000"}})
    result = huddle.record_outcome("acme", "won", date="2026-12-01")
    row = result.row
    assert (row.cycle_days, row.deal_size, row.delivery_friction) == (73, 150000.0, "low")
    assert result.derived["cycle_days"] == f"confirmed in reflection {run.run_id}"
    note = (small_kb / f"accounts/acme/notes/reflection-{run.run_id}.md").read_text()
    assert "Deal figures (won):" in note and "- cycle days: 73" in note


def test_a_bad_figure_edit_is_refused(small_kb: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.reflect.writes import DecisionError

    fake = FakeLLM([], default=_empty).install(monkeypatch)
    huddle = make_huddle(small_kb, tmp_path / "data", fake)
    run = huddle.reflections.start(notes=write_call(tmp_path, CLOSING_CALL), account="acme",
                                   kind="negotiation", date="2026-12-01",
                                   sellers="Avery Cole", outcome="won")
    cycle = next(f.id for f in run.reflection.figures if f.name == "cycle_days")
    with pytest.raises(DecisionError, match="cycle days is a number"):
        huddle.reflections.resume(run.run_id, {cycle: {"edit": "about ten weeks"}})


def test_no_plan_and_no_account_says_what_to_pick(small_kb: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.errors import HuddleError
    fake = FakeLLM([], default=_empty).install(monkeypatch)
    huddle = make_huddle(small_kb, tmp_path / "data", fake)
    with pytest.raises(HuddleError) as err:
        huddle.reflections.start(notes=write_call(tmp_path, CALL))
    assert "Pick the plan you prepared" in str(err.value) and "--account" in str(err.value)
