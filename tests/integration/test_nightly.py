"""Prep-all in the background: a detached process, one per data directory, a status file.

The child process is ``tests/nightly_driver.py`` (fake embeddings, the scripted fake model,
then the real ``huddle prep-all --run-job``), so everything but the model is the product's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from assistant import nightly
from assistant.config import load_settings
from assistant.nightly import MeetingState, PrepAllRunning, RunPaths, RunStatus
from assistant.service import Huddle
from cli.main import main
from tests.conftest import ROOT
from tests.fakes import FakeLLM, install_fake_embeddings, ticking_clock
from tests.nightly_driver import DRAFT

NY = ZoneInfo("America/New_York")
DAY = dt.date(2026, 11, 24)  # tomorrow on the test clock
KINDS = ("discovery", "demo", "proposal")


def driver(*opts: str) -> list[str]:
    return [sys.executable, "-m", "tests.nightly_driver", *opts, "prep-all"]


@pytest.fixture
def huddle(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Huddle:
    install_fake_embeddings(monkeypatch)
    fake = FakeLLM(default=DRAFT).install(monkeypatch)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the child imports tests.nightly_driver
    settings = load_settings(kb=small_kb, data_dir=tmp_path / "data")
    settings.llm.model = fake.model
    settings.llm.cache = False
    h = Huddle(settings, clock=ticking_clock())
    h.ensure_ingested()
    for hour, kind in zip((9, 11, 14), KINDS, strict=True):
        h.meetings.add(account="acme", kind=kind, minutes=45, sellers=["Avery Cole"],
                       starts_at=dt.datetime.combine(DAY, dt.time(hour), tzinfo=NY))
    return h


def wait_until(check: Callable[[], bool], what: str, timeout: float = 90.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def finished(h: Huddle) -> Callable[[], bool]:
    def check() -> bool:
        status = h.prep_all_status()
        return status is not None and not status.active
    return check


def test_a_background_run_drafts_every_meeting_in_a_detached_process(huddle: Huddle) -> None:
    meetings = huddle.list_meetings(day=DAY)
    started = huddle.start_prep_all(meetings, day=DAY, jobs=1, command=driver("--slow", "0.2"))
    assert started.pid and started.state == "starting"
    assert [m.state for m in started.meetings] == ["queued"] * 3
    assert started.estimate_s == nightly.DEFAULT_HOSTED_SECONDS  # no plan drafted yet
    # a new session: closing the terminal (SIGHUP to its session) does not reach it
    assert os.getsid(started.pid) == started.pid != os.getsid(0)
    wait_until(lambda: any(m.state == "running"
                           for m in huddle.prep_all_status().meetings), "a running meeting")
    wait_until(finished(huddle), "the run to end")
    status = huddle.prep_all_status()
    assert status is not None and status.state == "finished" and status.pid == started.pid
    assert [m.state for m in status.meetings] == ["ready"] * 3
    for row in status.meetings:  # the same saved plan the app opens for that meeting
        assert huddle.meetings.get(row.meeting_id).plan_id == row.plan_id
        plan = huddle.records.get_plan(row.plan_id)
        assert plan.status == "draft" and plan.meeting.kind == row.kind
        assert row.seconds is not None and row.seconds > 0 and row.finished_at
    # the estimate follows what the run measured, and the next run starts from the history
    assert status.estimate_s == pytest.approx(
        sum(m.seconds for m in status.meetings) / 3, abs=0.11)  # type: ignore[misc]
    assert 1.0 <= huddle.prep_estimate() < 60
    log = Path(status.log).read_text()
    assert log.count(": ready") == 3 and "finished; 3 ready, 0 failed" in log
    assert not [p.name for p in RunPaths.of(huddle.settings.data_path).folder.iterdir()
                if p.name.endswith(".tmp")]


def test_the_run_outlives_the_terminal_that_started_it(huddle: Huddle, small_kb: Path
                                                       ) -> None:
    data = huddle.settings.data_path
    launcher = subprocess.Popen(
        [*driver("--slow", "0.3", "--child-slow", "0.3"), "--background", "--kb",
         str(small_kb), "--data-dir", str(data), "--date", DAY.isoformat()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
        env={**os.environ})
    out, err = launcher.communicate(timeout=60)
    assert launcher.returncode == 0, err
    assert "runs in the background" in out and "log:" in out
    status = huddle.prep_all_status()
    assert status is not None and status.active  # the launcher is gone, the run is not
    assert status.model == "fake/scripted"
    wait_until(lambda: huddle.prep_all_status().pid is not None, "the run to say its pid")
    status = huddle.prep_all_status()
    with pytest.raises(ProcessLookupError):  # nothing is left in the launcher's group
        os.killpg(launcher.pid, signal.SIGHUP)
    assert status.pid is not None and os.getpgid(status.pid) != launcher.pid
    os.kill(status.pid, signal.SIGHUP)  # a hangup sent to the run itself is ignored
    wait_until(finished(huddle), "the run to end")
    assert [m.state for m in huddle.prep_all_status().meetings] == ["ready"] * 3


def test_one_run_at_a_time_and_the_second_start_says_where_the_log_is(
        huddle: Huddle, capsys: pytest.CaptureFixture[str]) -> None:
    meetings = huddle.list_meetings(day=DAY)
    first = huddle.start_prep_all(meetings, day=DAY, jobs=1, command=driver("--slow", "1"))
    with pytest.raises(PrepAllRunning, match="already running") as refused:
        huddle.start_prep_all(meetings, day=DAY, command=driver())
    assert first.log in refused.value.message and "--status" in refused.value.message
    args = ["--kb", str(huddle.settings.kb_path), "--data-dir", str(huddle.settings.data_path)]
    assert main(["prep-all", "--background", "--date", DAY.isoformat(), *args],
                clock=ticking_clock()) != 0
    assert "already running" in capsys.readouterr().err
    assert main(["prep-all", "--status", *args], clock=ticking_clock()) == 0
    out = capsys.readouterr().out
    assert "prep-all run-" in out and first.log in out and "left by that estimate" in out
    wait_until(lambda: any(m.state == "running"
                           for m in huddle.prep_all_status().meetings), "a running meeting")
    os.kill(first.pid, signal.SIGTERM)  # stopping it: what it had not drafted is failed
    wait_until(finished(huddle), "the run to stop")
    status = huddle.prep_all_status()
    assert status is not None and status.state == "failed" and "SIGTERM" in status.error
    assert {m.state for m in status.meetings} <= {"ready", "failed"}
    assert any(m.state == "failed" for m in status.meetings)
    again = huddle.start_prep_all(meetings, day=DAY, jobs=1, command=driver())  # lock free
    wait_until(finished(huddle), "the second run")
    states = {m.meeting_id: m.state for m in huddle.prep_all_status().meetings}
    assert again.run_id != first.run_id and set(states.values()) <= {"ready", "skipped"}


def test_a_crash_mid_run_leaves_a_clear_failed_state_and_nothing_half_written(
        huddle: Huddle, capsys: pytest.CaptureFixture[str]) -> None:
    meetings = huddle.list_meetings(day=DAY)
    # the child dies (os._exit, as kill -9) after the second meeting's plan was assembled,
    # before it was saved
    huddle.start_prep_all(meetings, day=DAY, jobs=1,
                          command=driver("--fault", "after:assemble:2"))
    wait_until(finished(huddle), "the crash to show")
    status = huddle.prep_all_status()
    assert status is not None and status.state == "crashed"
    assert "ended before the run finished" in (status.error or "")
    assert [m.state for m in status.meetings] == ["ready", "failed", "failed"]
    assert "while drafting this meeting" in (status.meetings[1].error or "")
    assert "not started" in (status.meetings[2].error or "")
    # the stored file says so too (valid JSON, no temp file left), for every later reader
    paths = RunPaths.of(huddle.settings.data_path)
    assert json.loads(paths.status.read_text())["state"] == "crashed"
    assert not [p for p in paths.folder.iterdir() if p.name.endswith(".tmp")]
    # one plan, for the first meeting; the second meeting has none, half or whole
    plans = huddle.records.list_plans()
    assert [p["id"] for p in plans] == [status.meetings[0].plan_id]
    assert [huddle.meetings.get(m.id).plan_id is None for m in meetings] == [False, True, True]
    args = ["--kb", str(huddle.settings.kb_path), "--data-dir", str(huddle.settings.data_path)]
    assert main(["prep-all", "--status", *args], clock=ticking_clock()) == 1
    out = capsys.readouterr().out
    assert ": crashed" in out and "✗" in out and "Run prep-all again" in out


def test_status_before_any_run_and_the_estimate_left() -> None:
    def row(state: str, started: str | None = None) -> MeetingState:
        return MeetingState("m", "acme", "demo", "2026-11-24T09:00:00-05:00", state=state,
                            started_at=started)

    status = RunStatus(run_id="r", day="2026-11-24", model="m", log="l", estimate_s=30.0,
                       meetings=[row("ready"), row("running", "2026-11-23T22:30:00+00:00"),
                                 row("queued"), row("queued")])
    now = dt.datetime(2026, 11, 23, 22, 30, 10, tzinfo=dt.UTC)
    assert status.remaining_s(now) == 20 + 30 + 30
    late = now + dt.timedelta(minutes=5)  # over its estimate: a tenth of it is still left
    assert status.remaining_s(late) == 3 + 30 + 30
    assert RunStatus.from_dict(status.as_dict()) == status
    # the one estimate the CLI and the app use, foreground (jobs at a time) or background
    assert nightly.seconds_left(30.0, 4, jobs=2) == 60
    assert nightly.seconds_left(30.0, 1, running_spent=[10.0, 100.0]) == 30 + 20 + 3
    assert [nightly.duration_text(s) for s in (45, 89, 600)] == ["45 s", "89 s", "10 min"]
    # the stored estimate until a meeting finishes, then the mean of those finished
    running = nightly.RunningEstimate(60.0)
    assert running.each == 60.0
    assert running.finished(20.0) == 20.0 and running.finished(31.0) == 25.5


def test_status_without_a_run(huddle: Huddle, capsys: pytest.CaptureFixture[str]) -> None:
    assert huddle.prep_all_status() is None
    args = ["--kb", str(huddle.settings.kb_path), "--data-dir", str(huddle.settings.data_path)]
    assert main(["prep-all", "--status", *args], clock=ticking_clock()) == 0
    assert "no background prep-all" in capsys.readouterr().out


def test_a_damaged_status_file_says_what_to_do(huddle: Huddle) -> None:
    paths = RunPaths.of(huddle.settings.data_path)
    paths.folder.mkdir(parents=True)
    for damaged in ("{not json", "[1, 2]", '{"run_id": "r", "meetings": [3]}'):
        paths.status.write_text(damaged)
        with pytest.raises(nightly.HuddleError, match="delete it and run prep-all again"):
            huddle.prep_all_status()


def test_the_index_check_waits_for_another_writer_when_asked(
        huddle: Huddle, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run's index check waits while the app checks the index as it starts (and the app
    waits for a running background run's): a short write lock is waited out."""
    import threading

    from filelock import FileLock

    from knowledge.errors import StoreLockedError

    held = threading.Event()

    def writer() -> None:  # another process's ingest, for 1.5 s
        lock = FileLock(str(huddle.settings.data_path / ".write.lock"), thread_local=False)
        with lock:
            held.set()
            time.sleep(1.5)

    threading.Thread(target=writer).start()
    held.wait(5)
    with pytest.raises(StoreLockedError):
        huddle.ensure_ingested()
    from knowledge import ingest as ingest_module

    chunked = []
    real = ingest_module.kb_documents
    monkeypatch.setattr(ingest_module, "kb_documents",
                        lambda kb: chunked.append(1) or real(kb))
    start = time.monotonic()
    assert huddle.ensure_ingested(wait_s=10).summary()
    assert chunked == [1]  # the wait is in the store's lock: the KB is chunked once
    assert time.monotonic() - start < 5  # taken when the other writer lets go
    assert not huddle.background_prep_active()
