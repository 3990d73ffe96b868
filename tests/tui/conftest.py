"""Fixtures for the terminal app's tests: a fixed clock, no cursor blink, a scripted model.

Every app under test runs on the demo knowledge base with a private copy of the session's
ingested store (``demo_data_dir``), a :class:`~tests.fakes.FakeLLM` behind the real gateway,
and the service's clock fixed at Monday 2026-11-23 17:30 in New York (the demo calendar's zone),
so "tomorrow" is the day of the demo meetings, every plan and review is stamped 22:30 UTC and
every elapsed time reads 0.0 s.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from assistant.clock import Clock
from tests.conftest import DATA, DEMO_KB
from tests.fakes import FakeLLM

NEW_YORK = ZoneInfo("America/New_York")
NOW = dt.datetime(2026, 11, 23, 17, 30, tzinfo=NEW_YORK)
CLOCK = Clock.fixed(NOW)
DEMO_ICS = DATA / "demo-week.ics"

SUMMIT_DRAFT = {
    "objective": "Confirm the pilot success criteria with Dana and Tom and agree the next step",
    "advance": "A dated pilot scoping workshop with Dana, Tom and Kelsey",
    "fallback": "A call with Tom to review the Louisville routes",
    "situation": [{"text": "Summit dropped Tallyworks and wants to see late retail orders",
                   "cites": ["summit-n10"]}],
    "needs": [{"text": "Stop re-planning routes by hand every morning", "cites": ["summit-n06"]}],
    "buyers": [{"name": "Dana Ruiz", "cares_about": "payback inside the budget year",
                "cites": ["summit-n03"]}],
    "questions": [{"text": "Who signs above Dana for the pilot?", "cites": ["summit-n03"]}],
    "risks": [{"risk": "Budget was cut after the board meeting",
               "answer": "Scope a two-terminal pilot", "cites": ["summit-n08"]}],
}


@pytest.fixture(autouse=True)
def _no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cursors stay visible: a snapshot never catches a blink."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    if hasattr(TextArea, "_toggle_cursor_blink_visible"):
        monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


@pytest.fixture
def data_dir(demo_data_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the ingested demo store (tests write plans and meetings)."""
    dest = tmp_path / "data"
    shutil.copytree(demo_data_dir, dest)
    return dest


@pytest.fixture
def fake_llm(monkeypatch: pytest.MonkeyPatch) -> FakeLLM:
    return FakeLLM(default=SUMMIT_DRAFT).install(monkeypatch)


@pytest.fixture
def make_huddle(data_dir: Path, fake_llm: FakeLLM) -> Callable[..., Any]:
    from assistant.config import load_settings
    from assistant.service import Huddle

    def make(**llm: Any) -> Any:
        settings = load_settings(kb=DEMO_KB, data_dir=data_dir)
        settings.llm.model = fake_llm.model
        settings.llm.cache = False
        if settings.me is None:  # plans name their rep: the same one on every machine
            settings.me = "Avery Cole"
        for key, value in llm.items():
            setattr(settings.llm, key, value)
        return Huddle(settings, clock=CLOCK)

    return make


@pytest.fixture
def make_app(make_huddle: Callable[..., Any]) -> Callable[..., Any]:
    """``make_app()`` -> a HuddleApp on the demo KB with the fake model; the app reads the
    Huddle's fixed clock."""
    from tui.app import HuddleApp

    def make(huddle: Any = None, **kwargs: Any) -> HuddleApp:
        return HuddleApp(huddle=huddle or make_huddle(),
                         monotonic=lambda: 0.0, warm=False, log_to_file=False, **kwargs)

    return make


def by_schema(**answers: Any) -> Callable[[Any], Any]:
    """A FakeLLM answer chosen by the JSON schema's name (order of calls does not matter)."""

    def answer(call: Any) -> Any:
        if call.schema_name not in answers:
            raise AssertionError(f"no scripted answer for schema {call.schema_name!r}")
        return answers[call.schema_name]

    return answer


async def wait_for(pilot: Any, predicate: Callable[[], bool], timeout: float = 30.0,
                   what: str = "") -> None:
    """Let the app run until ``predicate()`` holds (workers report through messages)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause(0.05)
    await pilot.pause()


async def ready(pilot: Any) -> None:
    """Wait until the boot worker loaded the KB and checked the store, and the Home screen
    (where the app starts) filled its tables."""
    await wait_for(pilot, lambda: pilot.app.store_state == "ready", what="store ready")
    await wait_for(pilot, lambda: pilot.app.screen.filled, what="home tables filled")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def seed_meetings(huddle: Any) -> list[Any]:
    """The demo calendar's matched meetings, stored (what `huddle calendar import` does)."""
    from assistant.calendar import import_calendar
    result = import_calendar(huddle.kb, DEMO_ICS, window_start=NOW.date(),
                             window_end=NOW.date() + dt.timedelta(days=14), tz=NEW_YORK)
    return huddle.meetings.save_import(result)


def fixed_plan(huddle: Any, plan: Any, suffix: str = "fixed1") -> Any:
    """A copy of ``plan`` with a fixed id and timings, saved (for snapshots)."""
    fixed = plan.model_copy(deep=True)
    fixed.id = f"p-{plan.meeting.date:%Y%m%d}-{plan.meeting.account}-{suffix}"
    fixed.parent_id = None
    fixed.created_at = "2026-11-23T23:00:00+00:00"
    fixed.provenance.timings = {k: 0.0 for k in fixed.provenance.timings}
    huddle.records.save_plan(fixed)
    return fixed
