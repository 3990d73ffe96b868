"""The ICP evidence ledger: counts, intervals and idempotence against hand-computed numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knowledge.icp import stated_fit
from knowledge.ledger import MIN_EVIDENCE, Ledger, LedgerError, wilson_interval
from knowledge.loader import load_kb
from tests.fakes import ticking_clock

ICP = """attributes:
  - {name: industry, kind: category, ideal: [logistics]}
  - {name: employees, kind: number, buckets: [200, 1000], ideal: ["200-999"]}
  - {name: has_data_team, kind: bool, ideal: [yes]}
"""
# (id, outcome, industry, employees, has_data_team, competitor)
STORIES = [
    ("s-a", "won", "logistics", 420, True, "RouteIQ"),
    ("s-b", "won", "logistics", 650, False, None),
    ("s-c", "lost", "logistics", 300, None, "RouteIQ"),
    ("s-d", "no-decision", "logistics", 1500, None, None),
    ("s-e", "lost", "retail", 150, None, None),
    ("s-f", "won", "retail", 2500, True, None),
]


def write_story(kb: Path, sid: str, outcome: str, industry: str, employees: int,
                data_team: bool | None, competitor: str | None) -> None:
    profile = f"industry: {industry}, employees: {employees}"
    if data_team is not None:
        profile += f", has_data_team: {str(data_team).lower()}"
    extra = f"competitor: {competitor}\n" if competitor else ""
    (kb / "stories" / f"{sid}.md").write_text(
        f"---\nid: {sid}\noutcome: {outcome}\naccount_profile: {{{profile}}}\ncycle_days: 60\n"
        f"deal_size: 50000\nroles: {{Avery Cole: ran it}}\n{extra}---\nWhat happened.\n")


@pytest.fixture
def kb_path(small_kb: Path) -> Path:
    (small_kb / "icp.yaml").write_text(ICP)
    (small_kb / "stories" / "s1.md").unlink()
    for row in STORIES:
        write_story(small_kb, *row)
    return small_kb


def test_wilson_interval_matches_hand_computed_values() -> None:
    lo, hi = wilson_interval(3, 5)  # type: ignore[misc]
    assert (round(lo, 4), round(hi, 4)) == (0.2307, 0.8824)
    lo, hi = wilson_interval(0, 4)  # type: ignore[misc]
    assert (lo, round(hi, 4)) == (0.0, 0.4899)
    lo, hi = wilson_interval(4, 4)  # type: ignore[misc]
    assert (round(lo, 4), hi) == (0.5101, 1.0)
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(5, 4)


def test_counts_per_value_from_stories(
    database_url: str | None, kb_path: Path, tmp_path: Path
) -> None:
    kb = load_kb(kb_path)
    ledger = Ledger(tmp_path / "ledger.sqlite", stamp=ticking_clock().stamp,
                    database_url=database_url)
    assert ledger.sync_stories(kb) == {"added": 6, "updated": 0, "removed": 0, "unchanged": 0}
    ev = ledger.evidence(kb.icp)
    logistics = ev[("industry", "logistics")]
    assert (logistics.won, logistics.lost, logistics.lost_competitive,
            logistics.no_decision) == (2, 1, 1, 1)
    assert logistics.closed == 4 and not logistics.enough  # below MIN_EVIDENCE = 5
    assert "not enough evidence (4 closed deals; 5 needed)" in logistics.summary()
    assert logistics.competitive_win_rate == pytest.approx(2 / 3)  # no-decisions left out
    retail = ev[("industry", "retail")]
    assert (retail.won, retail.lost, retail.lost_competitive, retail.no_decision) == (1, 1, 0, 0)
    assert (ev[("employees", "200-999")].won, ev[("employees", "200-999")].lost) == (2, 1)
    assert (ev[("employees", "<200")].lost, ev[("employees", "1000+")].closed) == (1, 2)
    assert (ev[("has_data_team", "yes")].won, ev[("has_data_team", "no")].won) == (2, 1)
    assert ("has_data_team", "no") in ev and len(ev[("has_data_team", "no")].sources) == 1
    assert {s.id for s in logistics.sources} == {"s-a", "s-b", "s-c", "s-d"}
    base = ledger.base_rate()
    assert (base.won, base.lost, base.no_decision) == (3, 2, 1)
    assert MIN_EVIDENCE == 5


def test_sync_is_idempotent_and_follows_the_files(
    database_url: str | None, kb_path: Path, tmp_path: Path
) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite", stamp=ticking_clock().stamp,
                    database_url=database_url)
    ledger.sync_stories(load_kb(kb_path))
    assert ledger.sync_stories(load_kb(kb_path))["unchanged"] == 6
    (kb_path / "stories" / "s-e.md").unlink()
    write_story(kb_path, "s-f", "lost", "retail", 2500, True, "Planwise")  # corrected story
    report = ledger.sync_stories(load_kb(kb_path))
    assert (report["removed"], report["updated"], report["unchanged"]) == (1, 1, 4)
    ev = ledger.evidence(load_kb(kb_path).icp)
    assert (ev[("industry", "retail")].won, ev[("industry", "retail")].lost) == (0, 1)
    assert len(ledger.outcomes()) == 5


def test_outcomes_and_signals_count_once_and_reach_the_threshold(
    database_url: str | None, kb_path: Path, tmp_path: Path
) -> None:
    kb = load_kb(kb_path)
    ledger = Ledger(tmp_path / "ledger.sqlite", stamp=ticking_clock().stamp,
                    database_url=database_url)
    ledger.sync_stories(kb)
    acme = kb.account("acme")
    assert acme is not None
    profile = acme.attribute_values(kb.icp)  # logistics, 420
    day = dt.date(2026, 12, 1)
    row, action = ledger.record_outcome(account="acme", outcome="lost", profile=profile,
                                        date=day, icp=kb.icp, competitor="RouteIQ")
    assert action == "added" and row.key == "outcome:acme:2026-12-01"
    row, action = ledger.record_outcome(account="acme", outcome="won", profile=profile,
                                        date=day, icp=kb.icp, delivery_friction="low",
                                        satisfaction=5, cycle_days=61)
    assert action == "updated"  # the same deal, corrected: still one row
    ev = ledger.evidence(kb.icp)
    logistics = ev[("industry", "logistics")]
    assert (logistics.won, logistics.lost, logistics.no_decision) == (3, 1, 1)
    assert logistics.enough and logistics.win_rate == pytest.approx(3 / 5)
    lo, hi = logistics.interval  # type: ignore[misc]
    assert (round(lo, 4), round(hi, 4)) == (0.2307, 0.8824)
    assert "win rate 60% (95% CI 23%–88%)" in logistics.summary()
    assert [s.kind for s in logistics.sources].count("outcome") == 1

    for _ in range(2):  # a replayed confirmation writes nothing the second time
        ledger.record_signal(key="reflection:r1:i1", account="acme", attribute="employees",
                             value="420", raw="420", signal="supports", quote="we are 420 people",
                             icp=kb.icp, source_id="r1")
    assert len(ledger.signals()) == 1
    emp = ledger.evidence(kb.icp)[("employees", "200-999")]
    assert (emp.supports, emp.against) == (1, 0)
    assert emp.won == 3  # signals never change the outcome counts
    assert any(s.kind == "reflection" and s.id == "r1" and s.quote for s in emp.sources)


def test_bad_input_is_refused(
    database_url: str | None, kb_path: Path, tmp_path: Path
) -> None:
    kb = load_kb(kb_path)
    ledger = Ledger(tmp_path / "ledger.sqlite", stamp=ticking_clock().stamp,
                    database_url=database_url)
    day = dt.date(2026, 12, 1)
    with pytest.raises(LedgerError, match="wins only"):
        ledger.record_outcome(account="acme", outcome="lost", profile={}, date=day, icp=kb.icp,
                              delivery_friction="high")
    with pytest.raises(LedgerError, match="satisfaction is 1 to 5"):
        ledger.record_outcome(account="acme", outcome="won", profile={}, date=day, icp=kb.icp,
                              satisfaction=7)
    with pytest.raises(LedgerError, match="outcome is one of"):
        ledger.record_outcome(account="acme", outcome="stalled", profile={}, date=day,
                              icp=kb.icp)
    with pytest.raises(LedgerError, match="unknown ICP attribute 'size'"):
        ledger.record_signal(key="k", account="acme", attribute="size", value="1",
                             signal="supports", quote="q", icp=kb.icp)
    with pytest.raises(LedgerError, match="not a value of employees"):
        ledger.record_signal(key="k", account="acme", attribute="employees", value="lots",
                             signal="supports", quote="q", icp=kb.icp)
    assert ledger.outcomes() == [] and ledger.signals() == []


def test_counts_follow_icp_buckets_when_they_change(
    database_url: str | None, kb_path: Path, tmp_path: Path
) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite", stamp=ticking_clock().stamp,
                    database_url=database_url)
    ledger.sync_stories(load_kb(kb_path))
    (kb_path / "icp.yaml").write_text(ICP.replace("buckets: [200, 1000]", "buckets: [500]")
                                      .replace('ideal: ["200-999"]', 'ideal: ["<500"]'))
    ev = ledger.evidence(load_kb(kb_path).icp)
    assert (ev[("employees", "<500")].won, ev[("employees", "<500")].lost) == (1, 2)
    assert ev[("employees", "500+")].closed == 3


def test_account_fit_carries_the_evidence(
    database_url: str | None, kb_path: Path, tmp_path: Path
) -> None:
    kb = load_kb(kb_path)
    ledger = Ledger(tmp_path / "ledger.sqlite", stamp=ticking_clock().stamp,
                    database_url=database_url)
    ledger.sync_stories(kb)
    acme = kb.account("acme")
    assert acme is not None
    fit = {f["attribute"]: f for f in ledger.account_fit(acme, kb.icp)}
    assert fit["industry"]["status"] == "match"
    assert (fit["industry"]["won"], fit["industry"]["lost"], fit["industry"]["no_decision"]) == (
        2, 1, 1)
    assert fit["industry"]["enough_evidence"] is False
    assert "evidence: 2 won · 1 lost (1 to a competitor) · 1 no-decision" in fit["industry"]["note"]
    assert fit["has_data_team"]["status"] == "unknown" and "won" not in fit["has_data_team"]
    # without a ledger the stated fit is unchanged (old plans and callers keep working)
    assert "won" not in stated_fit(acme, kb.icp)[0]
