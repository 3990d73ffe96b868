"""``huddle outcome`` closes the deal: the account's stage moves to the closing stage."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.fakes import FakeLLM
from tests.integration.reflect_support import make_huddle


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
