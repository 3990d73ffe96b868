"""Upcoming meetings, prep-all, the night-before export, and their CLI commands."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from assistant.calendar import import_calendar
from assistant.config import load_settings
from assistant.exports import huddle_ics, huddle_markdown, prep_block, write_huddle
from assistant.meetings import (
    MeetingNotFound,
    Meetings,
    default_jobs,
    parse_start,
    prepare_all,
)
from assistant.plan import Buyer
from assistant.service import Huddle
from cli.main import main
from knowledge.errors import HuddleError
from tests.conftest import DATA, DEMO_KB
from tests.fakes import FakeLLM, ticking_clock

NY = ZoneInfo("America/New_York")
DRAFT = {
    "objective": "Agree the pilot scope", "advance": "A scoping workshop on a date",
    "fallback": "A call with Tom", "situation": [], "needs": [], "buyers": [],
    "questions": [{"text": "Who signs?", "cites": []}],
    "risks": [{"risk": "Budget", "answer": "Phase it", "cites": []}],
}


@pytest.fixture
def huddle(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Huddle:
    fake = FakeLLM(default=DRAFT).install(monkeypatch)
    settings = load_settings(kb=small_kb, data_dir=tmp_path / "data")
    settings.llm.model = fake.model
    settings.llm.cache = False
    return Huddle(settings, clock=ticking_clock())


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=NY)


# ---- the store -----------------------------------------------------------------------


def test_meetings_are_stored_listed_and_found(tmp_path: Path) -> None:
    store = Meetings(tmp_path, ticking_clock())
    a = store.add(account="acme", kind="discovery", starts_at=at("2026-11-24", 10),
                  sellers=["Avery Cole"], buyers=[Buyer(name="Dana Ruiz", title="CFO")])
    b = store.add(account="acme", kind="demo", starts_at=at("2026-11-25", 9), minutes=30)
    assert [m.id for m in store.list_meetings()] == [a.id, b.id]
    assert [m.id for m in store.list_meetings(day=dt.date(2026, 11, 25))] == [b.id]
    got = store.get(a.id[:-2])  # a unique prefix is enough
    assert got.buyers == [Buyer(name="Dana Ruiz", title="CFO")]
    assert got.starts_at == at("2026-11-24", 10) and got.buyers_text == "Dana Ruiz (CFO)"
    store.set_plan(a.id, "p-1")
    assert store.for_plan("p-2", ["p-1"]).id == a.id  # type: ignore[union-attr]
    store.delete(b.id)
    with pytest.raises(MeetingNotFound):
        store.get(b.id)
    assert Meetings(tmp_path, ticking_clock()).get(a.id).plan_id == "p-1"  # survives a new process


def test_a_calendar_import_is_idempotent_and_keeps_the_plan(tmp_path: Path) -> None:
    from knowledge.loader import load_kb

    kb = load_kb(DEMO_KB)
    result = import_calendar(kb, DATA / "demo-week.ics", window_start=dt.date(2026, 11, 23),
                             window_end=dt.date(2026, 11, 29), tz=NY)
    store = Meetings(tmp_path, ticking_clock())
    first = store.save_import(result)
    store.set_plan(first[0].id, "p-kept")
    again = store.save_import(result)
    assert [m.id for m in again] == [m.id for m in first]
    assert len(store.list_meetings()) == len(first) == 5
    assert store.get(first[0].id).plan_id == "p-kept"
    assert {m.source for m in first} == {"calendar"}


def test_parse_start_is_strict() -> None:
    assert parse_start("2026-11-24", "10:30", tz=NY).time() == dt.time(10, 30)
    assert parse_start("2026-11-24", tz=NY).time() == dt.time(9, 0)
    with pytest.raises(HuddleError, match="HH:MM"):
        parse_start("2026-11-24", "half past ten", tz=NY)
    with pytest.raises(HuddleError, match="YYYY-MM-DD"):
        parse_start("24/11/2026", tz=NY)


# ---- prep-all ------------------------------------------------------------------------


def test_prepare_all_drafts_each_meeting_and_reports_progress(huddle: Huddle) -> None:
    store = huddle.meetings
    good = store.add(account="acme", kind="discovery", starts_at=at("2026-11-24", 9),
                     sellers=["Avery Cole"])
    no_seller = store.add(account="acme", kind="demo", starts_at=at("2026-11-24", 14))
    events: list[tuple[str, dict[str, Any]]] = []
    outcomes = prepare_all(huddle, store.list_meetings(day=dt.date(2026, 11, 24)),
                           store=store, on_progress=lambda k, d: events.append((k, d)))
    assert [o.meeting.id for o in outcomes] == [good.id, no_seller.id]
    ok, failed = outcomes
    assert ok.ok and huddle.records.get_plan(ok.plan_id).meeting.account == "acme"  # type: ignore[arg-type]
    assert store.get(good.id).plan_id == ok.plan_id
    assert not failed.ok and failed.error_title == "No sellers"
    assert "pick who attends" in (failed.error or "")
    kinds = [k for k, d in events if d["meeting_id"] == good.id]
    assert kinds[0] == "meeting_started" and kinds[-1] == "meeting_finished"
    steps = [d["node"] for k, d in events if k == "step" and d["event"] == "node_finished"]
    assert steps[:2] == ["gather", "retrieve"] and steps[-1] == "save"
    assert ("meeting_failed", {"meeting_id": no_seller.id, "error": failed.error,
                               "title": "No sellers"}) in events
    # a second run skips what has a plan; --redo drafts again
    again = prepare_all(huddle, store.list_meetings(day=dt.date(2026, 11, 24)), store=store)
    assert again[0].skipped and again[0].plan_id == ok.plan_id
    redo = prepare_all(huddle, [store.get(good.id)], store=store, redo=True)
    assert redo[0].ok and redo[0].plan_id != ok.plan_id


def test_prepare_all_runs_meetings_concurrently_for_a_hosted_model(huddle: Huddle) -> None:
    store = huddle.meetings
    for hour in (9, 11, 13):
        store.add(account="acme", kind="discovery", starts_at=at("2026-11-24", hour),
                  sellers=["Avery Cole"])
    threads: set[str] = set()

    def progress(kind: str, data: dict[str, Any]) -> None:
        if kind == "meeting_started":
            threads.add(threading.current_thread().name)

    outcomes = prepare_all(huddle, store.list_meetings(), store=store, jobs=3,
                           on_progress=progress)
    assert all(o.ok for o in outcomes) and len({o.plan_id for o in outcomes}) == 3
    assert len(threads) >= 2  # the pool really ran them side by side


def test_prepare_all_stops_when_asked(huddle: Huddle) -> None:
    store = huddle.meetings
    for hour in (9, 11):
        store.add(account="acme", kind="discovery", starts_at=at("2026-11-24", hour),
                  sellers=["Avery Cole"])
    stop = threading.Event()

    def progress(kind: str, data: dict[str, Any]) -> None:
        if kind == "step":
            stop.set()  # the user pressed cancel during the first meeting

    outcomes = prepare_all(huddle, store.list_meetings(), store=store, on_progress=progress,
                           should_stop=stop.is_set)
    assert [o.ok for o in outcomes] == [False, False]
    assert outcomes[1].error == "cancelled before it started"
    assert not huddle.records.list_plans()


def test_default_jobs_is_one_for_the_embedded_model() -> None:
    assert default_jobs("huddle-local/qwen2.5-coder-1.5b-instruct-q4") == 1
    assert default_jobs("ollama/llama3") == 1
    assert default_jobs("openai/gpt-4o-mini") == 3


# ---- export --------------------------------------------------------------------------


def test_huddle_export_is_a_prep_block_with_the_agenda(huddle: Huddle, tmp_path: Path) -> None:
    team = huddle.kb.team.people
    plan = huddle.prepare(huddle.meeting(account="acme", kind="discovery", date="2026-11-24",
                                         sellers=[team[0].name]))
    starts = at("2026-11-24", 10)
    assert prep_block(starts) == (at("2026-11-24", 10) - dt.timedelta(minutes=30), starts)
    cal = Calendar.from_ical(huddle_ics(plan, starts, kb=huddle.kb,
                                        now=dt.datetime(2026, 11, 23, tzinfo=dt.UTC)))
    (event,) = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == starts - dt.timedelta(minutes=30)
    assert event.decoded("DTEND") == starts
    assert str(event["UID"]) == f"{plan.id}-prep@huddle"
    assert "Acme Corp" in str(event["SUMMARY"]) and "10:00" in str(event["SUMMARY"])
    description = str(event["DESCRIPTION"])
    assert f"{team[0].name}: lead" in description and "Agenda (10:00)" in description
    assert "10:00 " in description  # agenda items on the clock
    md = huddle_markdown(plan, starts)
    assert "## Who does what" in md and "- **Prep block:** 09:30–10:00 (30 min)" in md
    assert f"| {team[0].name} | **lead**" in md
    written = write_huddle(plan, starts, ics=tmp_path / "x/h.ics", md=tmp_path / "x/h.md",
                           now=huddle.clock.now())
    assert [p.name for p in written] == ["h.ics", "h.md"]


# ---- CLI -------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_calendar_import_meetings_prep_all_export(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeLLM(default=DRAFT).install(monkeypatch)
    monkeypatch.setenv("HUDDLE_MODEL", fake.model)
    monkeypatch.setenv("HUDDLE_LLM__CACHE", "false")
    data = str(tmp_path / "data")
    demo = ["--kb", str(DEMO_KB), "--data-dir", str(tmp_path / "demo-data")]
    code, out, err = run(capsys, "calendar", "import", str(DATA / "demo-week.ics"),
                         "--since", "2026-11-23", "--days", "6", *demo)
    assert code == 0
    assert "5 meeting(s) matched, 1 need an account" in out
    assert "Intro call - Harbor Logistics" in err and '--resolve "Intro call' in err
    code, out, _ = run(capsys, "calendar", "import", str(DATA / "demo-week.ics"), "--since",
                       "2026-11-23", "--days", "6", "--resolve",
                       "Intro call - Harbor Logistics=summit", "--json", *demo)
    imported = json.loads(out)["imported"]
    assert len(imported) == 6 and not json.loads(out)["unmatched"]
    code, out, _ = run(capsys, "meetings", "list", "--all", "--json", *demo)
    assert len(json.loads(out)) == 6  # the second import updated, it did not duplicate

    common = ["--kb", str(small_kb), "--data-dir", data]
    code, out, _ = run(capsys, "meetings", "add", "--account", "acme", "--kind", "discovery",
                       "--date", "2026-11-24", "--time", "10:00", "--sellers", "Avery Cole",
                       "--buyers", "Dana Ruiz (CFO)", *common)
    assert code == 0 and out.startswith("added m-20261124-acme-")
    code, _, err = run(capsys, "meetings", "add", "--account", "acme", "--kind", "discovery",
                       "--date", "2026-11-24", "--sellers", "Nobody", *common)
    assert code == 2 and "not in team.yaml" in err
    code, out, err = run(capsys, "prep-all", "--date", "2026-11-24", *common)
    assert code == 0, err
    assert "preparing 1 meeting(s) on 2026-11-24 with 3 at a time" in err
    plan_id = out.split()[2]
    assert plan_id.startswith("p-20261124-acme-") and out.rstrip().endswith("ok")
    code, out, _ = run(capsys, "meetings", "list", "--date", "2026-11-24", *common)
    assert f"plan {plan_id}" in out
    ics, md = tmp_path / "h.ics", tmp_path / "h.md"
    code, out, _ = run(capsys, "export-huddle", plan_id, "--ics", str(ics), "--md", str(md),
                       *common)
    assert code == 0 and ics.is_file() and md.is_file()
    (event,) = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert event.decoded("DTEND").strftime("%H:%M") == "10:00"

    # a plan drafted by `huddle prep` has no stored meeting: say how to give the time
    code, out, _ = run(capsys, "prep", "--account", "acme", "--kind", "demo", "--date",
                       "2026-11-26", "--sellers", "Avery Cole", "--json", "-q", *common)
    other = json.loads(out)["id"]
    code, _, err = run(capsys, "export-huddle", other, "--md", str(md), *common)
    assert code == 2 and '--start "2026-11-26 HH:MM"' in err
    code, _, _ = run(capsys, "export-huddle", other, "--md", str(md), "--start",
                     "2026-11-26 15:00", *common)
    assert code == 0 and "15:00" in md.read_text()

