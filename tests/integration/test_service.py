"""The service as the one front door: what both faces need, validated once, in ``Huddle``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from assistant.config import load_settings
from assistant.errors import HuddleError
from assistant.service import Huddle
from cli.main import main
from tests.conftest import DATA, DEMO_KB
from tests.fakes import FakeLLM, ticking_clock
from tests.integration.reflect_support import make_huddle

NY = ZoneInfo("America/New_York")


@pytest.fixture
def huddle(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Huddle:
    return make_huddle(small_kb, tmp_path / "data", FakeLLM().install(monkeypatch))


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=NY)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_service_reads_then_saves_a_calendar_with_the_rep_s_answers(
        tmp_path: Path) -> None:
    h = Huddle(load_settings(kb=DEMO_KB, data_dir=tmp_path / "data"), clock=ticking_clock())
    result = h.read_calendar(DATA / "demo-week.ics", since=dt.date(2026, 11, 23), days=6)
    assert [u.event.summary for u in result.unmatched] == ["Intro call - Harbor Logistics"]
    assert h.meetings.list_meetings() == []  # reading stores nothing
    done = h.save_calendar(result, {"Intro call - Harbor Logistics": "summit"})
    assert len(done.saved) == 6 and len(h.meetings.list_meetings()) == 6
    assert "Intro call - Harbor Logistics" in [m.title for m in done.saved]
    skipped_without_answer = h.save_calendar(result).skipped
    assert skipped_without_answer == done.skipped + 1  # the unanswered one counts as skipped


def test_a_meeting_outside_10_to_240_minutes_is_refused_by_the_service(
        huddle: Huddle, small_kb: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    for minutes in (5, 241):
        with pytest.raises(HuddleError, match="between 10 and 240 minutes"):
            huddle.meeting(account="acme", kind="discovery", date="2026-11-24",
                           sellers="Avery Cole", minutes=minutes)
    code, _, err = run(capsys, "meetings", "add", "--account", "acme", "--kind", "discovery",
                       "--date", "2026-11-24", "--sellers", "Avery Cole", "--minutes", "5",
                       "--kb", str(small_kb), "--data-dir", str(tmp_path / "cli"))
    assert code == 2 and "Minutes: a meeting lasts between 10 and 240 minutes" in err


def test_schedule_adds_then_updates_the_stored_meeting(huddle: Huddle) -> None:
    meeting = huddle.meeting(account="acme", kind="discovery", date="2026-11-24",
                             sellers="Avery Cole", minutes=30)
    added = huddle.schedule(meeting, at("2026-11-24"), title="Acme discovery")
    moved = huddle.schedule(meeting.model_copy(update={"minutes": 60}), at("2026-11-24", 14),
                            meeting_id=added.id, title="ignored on update")
    stored = huddle.meetings.get(added.id)
    assert moved.id == added.id and stored.minutes == 60 and stored.starts_at.hour == 14
    assert stored.title == "Acme discovery" and len(huddle.meetings.list_meetings()) == 1


def test_icp_evidence_is_the_ledger_table_and_refuses_an_unknown_attribute(
        huddle: Huddle) -> None:
    table = huddle.icp_evidence()
    assert table and table == huddle.ledger.table(huddle.kb.icp)
    first = table[0].attribute
    assert {e.attribute for e in huddle.icp_evidence(first)} == {first}
    with pytest.raises(HuddleError, match="unknown ICP attribute 'nope'; attributes: "):
        huddle.icp_evidence("nope")


def test_an_empty_account_is_refused_with_what_to_do(huddle: Huddle) -> None:
    with pytest.raises(HuddleError, match="pick the account this meeting is with"):
        huddle.meeting(account="", kind="discovery", date="2026-11-24", sellers="Avery Cole")


def test_warming_an_account_readies_its_first_plan_once(
        huddle: Huddle, monkeypatch: pytest.MonkeyPatch) -> None:
    """warm_account does a plan's slow first-time work (the notes' scan, the collections)
    once per account and KB; an unknown account does nothing."""
    from assistant import note_scan
    from tests.fakes import install_fake_embeddings

    install_fake_embeddings(monkeypatch)
    note_scan._vouching_text.cache_clear()
    scans: list[str | None] = []
    real = note_scan.allowlist_for
    monkeypatch.setattr(note_scan, "allowlist_for",
                        lambda kb, account: scans.append(account) or real(kb, account))
    huddle.warm_account("nobody")
    assert scans == []
    huddle.warm_account("acme")
    assert scans == ["acme", None]
    notes = huddle.kb.notes_for("acme")
    assert note_scan._vouching_text.cache_info().currsize >= len(notes) > 0
    opened = set(huddle.retriever.store._collections)
    assert {"acct-acme", "huddle_stories"} <= opened
    huddle.warm_account("acme")
    assert scans == ["acme", None]  # done already
    huddle.reload_kb()
    huddle.warm_account("acme")
    assert scans == ["acme", None, "acme", None]  # a new KB: its notes may have changed


def test_start_up_warms_the_next_meetings_accounts_and_survives_a_failure(
        huddle: Huddle, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from assistant import service
    from knowledge import embeddings

    real_lexical = type(huddle.retriever).warm_lexical  # ingests the KB now
    monkeypatch.setattr(embeddings, "get_model", lambda: None)
    huddle._gateway = SimpleNamespace(prepare=lambda: None, model="fake/x")  # type: ignore
    warmed: list[str] = []
    monkeypatch.setattr(huddle, "warm_account", warmed.append)
    lexical: list[bool] = []
    monkeypatch.setattr(type(huddle.retriever), "warm_lexical",
                        lambda self: lexical.append(real_lexical(self)) or lexical[-1])
    assert huddle.warm() == "fake/x" and warmed == ["acme"]  # small KB: every account
    assert lexical == [False]  # asked; a small store needs no postings in memory
    monkeypatch.setattr(service, "WARM_ALL_NOTES", 0)
    warmed.clear()
    assert huddle.warm() == "fake/x" and warmed == []  # no meeting ahead: nothing to warm
    meeting = huddle.meeting(account="acme", kind="discovery", date="2026-11-30",
                             sellers="Avery Cole")
    huddle.schedule(meeting, at("2026-11-30"))
    assert huddle.warm() == "fake/x" and warmed == ["acme"]

    def broken(account: str) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(huddle, "warm_account", broken)
    monkeypatch.setattr(type(huddle.retriever), "warm_lexical", broken)
    assert huddle.warm() == "fake/x"  # a head start only: the model is still ready
