"""One clock for the whole service: every "now" and "today" comes from ``Huddle.clock``.

Two kinds of check. A scan of the product's source finds any call that reads the system time
outside ``assistant/clock.py`` (a new ``datetime.now()`` in a module is how the day a test
runs leaked into the results before). Then each feature that stamps or compares time is run
on clocks set on different days, and must follow the clock it was handed, not the machine's.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest

from assistant.clock import Clock
from assistant.config import load_settings
from assistant.service import Huddle
from cli.main import main
from tests.conftest import ROOT
from tests.fakes import TEST_NOW, FakeLLM, ticking_clock

PRODUCT = ["assistant", "knowledge", "tui", "evals", "cli"]
ALLOWED = {Path("assistant/clock.py")}
# the local provider fills the ``created`` field of an OpenAI-style response (litellm's
# protocol asks for unix time); it is never stored or compared
PROTOCOL = ("assistant/llm/", "time.time()")
SYSTEM_TIME = {("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"),
               ("date", "today"), ("time", "time")}
DRAFT = {"objective": "Agree the pilot scope", "advance": "A dated scoping workshop",
         "fallback": "A call with Tom", "situation": [], "needs": [], "buyers": [],
         "questions": [], "risks": []}


def _system_time_calls(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = (owner.attr if isinstance(owner, ast.Attribute) else
                    owner.id if isinstance(owner, ast.Name) else "")
            if (name, node.func.attr) in SYSTEM_TIME:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}.{node.func.attr}()")
        # datetime.astimezone() with no zone reads the machine's zone: the clock owns it
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "astimezone" and not node.args and not node.keywords):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} .astimezone()")
    return found


def test_nothing_but_the_service_clock_reads_the_system_time() -> None:
    offenders = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path.relative_to(ROOT) not in ALLOWED and "demo" not in path.parts:
                offenders += [f for f in _system_time_calls(path)
                              if not (f.startswith(PROTOCOL[0]) and f.endswith(PROTOCOL[1]))]
    # the wall clock of the app's step timer and of the gateway's latency are durations
    # (time.monotonic / perf_counter), not dates, and are not matched above
    assert offenders == [], "read time from Huddle.clock instead:\n" + "\n".join(offenders)


def test_the_scan_finds_a_system_time_call(tmp_path: Path) -> None:
    bad = ROOT / "tests" / "data" / "_clock_probe.py"
    try:
        bad.write_text("import datetime as dt\nstamp = dt.datetime.now(dt.UTC)\n"
                       "day = dt.date.today()\nlocal = stamp.astimezone()\n")
        assert [f.split(" ", 1)[1] for f in _system_time_calls(bad)] == [
            "datetime.now()", "date.today()", ".astimezone()"]
    finally:
        bad.unlink()


def test_clock_today_and_stamp_follow_the_zone() -> None:
    new_york = dt.timezone(dt.timedelta(hours=-5))
    late = Clock.fixed(dt.datetime(2026, 11, 23, 22, 30, tzinfo=new_york))
    assert late.today() == dt.date(2026, 11, 23)  # still Monday where the rep is
    assert late.tomorrow() == dt.date(2026, 11, 24)
    assert late.stamp() == "2026-11-24T03:30:00+00:00"  # records are stamped in UTC
    naive = Clock.fixed(dt.datetime(2026, 1, 2, 3, 4))
    assert naive.now().tzinfo is not None and naive.stamp() == "2026-01-02T03:04:00+00:00"
    ticking = ticking_clock()
    assert ticking.now() < ticking.now()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeLLM:
    return FakeLLM(default=DRAFT).install(monkeypatch)


def _huddle(kb: Path, data: Path, fake: FakeLLM, clock: Clock) -> Huddle:
    settings = load_settings(kb=kb, data_dir=data)
    settings.llm.model, settings.llm.cache = fake.model, False
    return Huddle(settings, clock=clock)


@pytest.mark.parametrize("days", [-400, 0, 90, 3650])
def test_plans_reviews_revisions_and_outcomes_are_stamped_by_the_service_clock(
        small_kb: Path, tmp_path: Path, fake: FakeLLM, days: int) -> None:
    at = TEST_NOW + dt.timedelta(days=days)
    huddle = _huddle(small_kb, tmp_path / "data", fake, Clock.fixed(at))
    stamp = at.astimezone(dt.UTC).isoformat(timespec="seconds")
    plan = huddle.prepare(huddle.meeting(account="acme", kind="discovery", date="2026-11-24",
                                         sellers="Avery Cole"))
    assert plan.created_at == stamp
    event = huddle.reviews.submit(plan.id, by="Avery Cole")
    assert event.at == stamp
    revised = huddle.revise_roles(plan.id, {})
    assert revised.created_at == stamp
    result = huddle.record_outcome("acme", "won")  # no --date: the clock's today
    assert result.row.date == at.date().isoformat()
    assert result.row.recorded_at == stamp
    meeting = huddle.meetings.add(account="acme", kind="demo",
                                  starts_at=dt.datetime(2026, 11, 25, 10, 0))
    assert meeting.created_at == stamp
    assert meeting.starts_at.utcoffset() == at.utcoffset()  # a naive time is in the clock's zone


def test_tomorrow_in_the_cli_is_the_clock_s_tomorrow(
        small_kb: Path, tmp_path: Path, fake: FakeLLM, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """prep-all and meetings list default to the clock's days, whatever the machine says."""
    monkeypatch.setenv("HUDDLE_MODEL", fake.model)
    monkeypatch.setenv("HUDDLE_LLM__CACHE", "false")
    common = ["--kb", str(small_kb), "--data-dir", str(tmp_path / "data")]
    for day, hour in (("2031-03-04", "10:00"), ("2031-03-05", "11:00")):
        assert main(["meetings", "add", "--account", "acme", "--kind", "discovery", "--date",
                     day, "--time", hour, "--sellers", "Avery Cole", *common]) == 0
    capsys.readouterr()
    evening = Clock.fixed(dt.datetime(2031, 3, 3, 20, 0, tzinfo=dt.UTC))
    assert main(["meetings", "list", "--json", *common], clock=evening) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2  # both are upcoming on 2031-03-03
    later = Clock.fixed(dt.datetime(2031, 3, 5, 8, 0, tzinfo=dt.UTC))
    assert main(["meetings", "list", "--json", *common], clock=later) == 0
    assert [m["starts_at"][:10] for m in json.loads(capsys.readouterr().out)] == ["2031-03-05"]
    assert main(["prep-all", "-q", *common], clock=evening) == 0
    out = capsys.readouterr().out
    assert len(out.strip().splitlines()) == 1 and "-acme-" in out  # only 2031-03-04's meeting
    assert main(["prep-all", "-q", *common], clock=later) == 0
    assert "no meetings on 2031-03-06" in capsys.readouterr().err
    assert main(["prep-all", "-q", *common],
                clock=Clock.fixed(dt.datetime(2031, 3, 4, 20, 0, tzinfo=dt.UTC))) == 0
    assert "p-20310305-acme-" in capsys.readouterr().out  # tomorrow from the 4th is the 5th
