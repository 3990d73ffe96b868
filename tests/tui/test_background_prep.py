"""The meetings list follows a background prep-all (another process) while the app is open.

The test plays the background process: it holds the run's lock (as a live run does) and
writes its status file the way ``assistant.nightly`` does; the app reads it on its timer.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from textual.widgets import DataTable

from assistant import nightly
from assistant.nightly import MeetingState, RunPaths, RunStatus
from tests.tui.conftest import ready, seed_meetings, wait_for
from tui.screens.home import HomeScreen


def plan_cell(app: Any, meeting_id: str) -> str:
    table = app.screen.query_one("#meetings", DataTable)
    return str(table.get_row(meeting_id)[4])


def write(paths: RunPaths, status: RunStatus) -> None:
    nightly._write_status(paths, status)


@pytest.fixture
def fast_poll(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(HomeScreen, "BACKGROUND_POLL_S", 0.1)


async def test_meetings_show_ready_running_queued_and_failed_from_a_background_run(
        make_app, make_huddle, fast_poll) -> None:
    huddle = make_huddle()
    meetings = [m for m in seed_meetings(huddle) if m.date == huddle.clock.tomorrow()]
    first, second, third = meetings[:3]
    plan = huddle.prepare(first.meeting(huddle))  # what the background run saved for #1
    huddle.meetings.set_plan(first.id, plan.id)
    paths = RunPaths.of(huddle.settings.data_path)
    lock = nightly._try_lock(paths)  # the run is alive: it holds the lock
    assert lock is not None

    def row(m: Any, state: str, **kw: Any) -> MeetingState:
        return MeetingState(m.id, m.account, m.kind, m.starts_at.isoformat(), state=state,
                            **kw)

    status = RunStatus(run_id="run-x", day=str(first.date), model="m", log=str(paths.log),
                       state="running", pid=os.getpid(), estimate_s=60.0,
                       meetings=[row(first, "ready", plan_id=plan.id), row(second, "running",
                                 started_at="2026-11-23T22:30:00+00:00"), row(third, "queued")])
    write(paths, status)
    app = make_app(huddle)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await wait_for(pilot, lambda: "running" in plan_cell(app, second.id), 10,
                           "the running mark")
            assert "✓ ready" in plan_cell(app, first.id)
            assert "◐ running" in plan_cell(app, second.id)
            assert "· queued" in plan_cell(app, third.id)
            line = str(app.screen.query_one("#home-status").render())
            assert "background prep-all: 1/3 ready, drafting" in line
            await pilot.press("a")  # no second prep-all beside the background one
            assert not app.screen.prep_all_running
            # the run goes on: #2 fails, #3 is drafted; the list follows without a key press
            plan3 = huddle.prepare(third.meeting(huddle))
            huddle.meetings.set_plan(third.id, plan3.id)
            status.meetings[1].state, status.meetings[1].error = "failed", "LLM timed out"
            status.meetings[2].state, status.meetings[2].plan_id = "ready", plan3.id
            status.state = "finished"
            write(paths, status)
            await wait_for(pilot, lambda: "ready" in plan_cell(app, third.id), 10,
                           "the third meeting ready")
            assert "✗ failed" in plan_cell(app, second.id)
            assert "✓ ready" in plan_cell(app, first.id)
            # the ready meeting opens the plan the background run saved
            assert next(m for m in app.screen.meetings if m.id == third.id).plan_id == plan3.id
    finally:
        os.close(lock)


async def test_no_background_run_changes_nothing(make_app, make_huddle, fast_poll) -> None:
    huddle = make_huddle()
    seeded = seed_meetings(huddle)
    app = make_app(huddle)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)  # a few polls
        cells = [plan_cell(app, m.id) for m in seeded]
        assert cells and all(c == "—" for c in cells)
        assert "background" not in str(app.screen.query_one("#home-status").render())


async def test_the_status_is_read_only_while_a_run_is_active_or_its_file_changed(
        make_app, make_huddle, fast_poll, monkeypatch: pytest.MonkeyPatch) -> None:
    """No run: the timer only looks at the file's time, and reads it once a run appears."""
    huddle = make_huddle()
    first = [m for m in seed_meetings(huddle) if m.date == huddle.clock.tomorrow()][0]
    reads: list[int] = []
    real = type(huddle).prep_all_status

    def counting(self: Any) -> Any:
        reads.append(1)
        return real(self)

    monkeypatch.setattr(type(huddle), "prep_all_status", counting)
    app = make_app(huddle)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        idle = len(reads)
        await pilot.pause(0.6)  # six polls with no run and no file: no read
        assert len(reads) == idle
        paths = RunPaths.of(huddle.settings.data_path)
        lock = nightly._try_lock(paths)  # a run started from the CLI
        assert lock is not None
        try:
            write(paths, RunStatus(
                run_id="run-y", day=str(first.date), model="m", log=str(paths.log),
                state="running", pid=os.getpid(), estimate_s=60.0,
                meetings=[MeetingState(first.id, first.account, first.kind,
                                       first.starts_at.isoformat())]))
            await wait_for(pilot, lambda: "queued" in plan_cell(app, first.id), 10,
                           "the run started after the app")
            line = str(app.screen.query_one("#home-status").render())
            assert "background prep-all: 0/1 ready, about 60 s left" in line
            before = len(reads)
            await pilot.pause(0.5)
            assert len(reads) > before  # an active run is followed
        finally:
            os.close(lock)
