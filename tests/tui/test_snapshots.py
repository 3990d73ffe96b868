"""SVG snapshots of every screen at 80x24 and 120x40 (pytest-textual-snapshot).

Update only after reading the diff: ``pytest tests/tui/test_snapshots.py --snapshot-update``
and look at the report. Ids, timestamps and timings are pinned by the fixtures below, the
clock by ``tests/tui/conftest.py``; paths that depend on the machine are masked.
"""

from __future__ import annotations

import itertools
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select, TextArea

from tests.fakes import FakeLLM
from tests.tui.conftest import (
    CLOCK,
    DEMO_ICS,
    SUMMIT_DRAFT,
    by_schema,
    fixed_plan,
    seed_meetings,
    wait_for,
)

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def _pinned_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Plan, meeting and reflection ids are the same on every run (times: the fixed clock)."""
    import assistant.meetings
    import assistant.records
    import assistant.reflect.service

    counter = itertools.count(1)
    fake_secrets = type("S", (), {"token_hex": staticmethod(
        lambda n=3: f"{next(counter):0{2 * n}x}")})
    for module in (assistant.meetings, assistant.records, assistant.reflect.service):
        monkeypatch.setattr(module, "secrets", fake_secrets)


async def booted(pilot: Any) -> None:
    """The store is ready and the Home screen (every test starts there) shows what it read:
    the app announces both (``store_state``, ``HomeScreen.filled``), so no test waits on a
    delay for the tables to fill."""
    await wait_for(pilot, lambda: pilot.app.store_state == "ready", what="store ready")
    await wait_for(pilot, lambda: pilot.app.screen.filled, what="home tables filled")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.2)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def planned(huddle: Any, account: str = "summit", sellers: str = "Avery Cole,Jordan Pike",
            suffix: str = "fixed1") -> Any:
    """A drafted plan with a fixed id and timings, for screens that show plans."""
    plan = huddle.prepare(huddle.meeting(
        account=account, kind="discovery", date="2026-11-24", sellers=sellers,
        buyers="Dana Ruiz (CFO), Tom Becker (Head of Operations)"))
    return fixed_plan(huddle, plan, suffix)


class TestHomeSnapshots:
    """Home: upcoming meetings from the demo calendar, accounts with ICP fit, plans."""

    @pytest.mark.parametrize("size", SIZES)
    def test_home(self, snap_compare, make_app, make_huddle, size) -> None:
        huddle = make_huddle()
        meetings = seed_meetings(huddle)
        plan = planned(huddle)
        huddle.reviews.submit(plan.id, by="avery")
        huddle.meetings.set_plan(meetings[0].id, plan.id)
        app = make_app(huddle)

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_calendar_questions(self, snap_compare, make_app, size) -> None:
        app = make_app()

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.press("c")
            pilot.app.screen.query_one("#ask-input", Input).value = str(DEMO_ICS)
            await pilot.press("enter")
            await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ResolveModal",
                           what="questions")
            await pilot.pause()

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestPrepSnapshots:
    """Prep: the demo meeting form, a run in progress, the plan, a source beside it."""

    @pytest.mark.parametrize("size", SIZES)
    def test_form(self, snap_compare, make_app, size) -> None:
        app = make_app()

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.press("p")
            await wait_for(pilot, lambda: pilot.app.screen._form_ready, what="form")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_progress(self, snap_compare, make_app, fake_llm: FakeLLM, size) -> None:
        release, started = threading.Event(), threading.Event()

        app = make_app()

        def slow(call: Any) -> dict[str, Any]:
            started.set()
            while not release.wait(0.05) and app.return_value is None:
                pass  # held until the screenshot is taken and the app exits
            return SUMMIT_DRAFT

        fake_llm.push(slow)

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.press("p")
            await wait_for(pilot, lambda: pilot.app.screen._form_ready, what="form")
            await pilot.press("ctrl+g")
            await wait_for(pilot, started.is_set, what="drafting")
            await pilot.pause(0.3)

        try:
            assert snap_compare(app, terminal_size=size, run_before=run_before)
        finally:
            release.set()

    @pytest.mark.parametrize("size", SIZES)
    def test_plan(self, snap_compare, make_app, make_huddle, size) -> None:
        huddle = make_huddle()
        plan = planned(huddle)
        app = make_app(huddle)

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.app.action_open_plan(plan.id)
            await wait_for(pilot, lambda: pilot.app.screen.plan is not None, what="plan")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_source_beside_the_plan(self, snap_compare, make_app, make_huddle, size) -> None:
        huddle = make_huddle()
        plan = planned(huddle)
        app = make_app(huddle)

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.app.action_open_plan(plan.id)
            await wait_for(pilot, lambda: pilot.app.screen.plan is not None, what="plan")
            await settle(pilot)
            await pilot.press("ctrl+l", "enter")
            await pilot.pause()

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestReviewSnapshots:
    """Review: the queue with the plan, and what changed between versions."""

    @pytest.mark.parametrize("size", SIZES)
    def test_queue(self, snap_compare, make_app, make_huddle, size) -> None:
        huddle = make_huddle()
        plan = planned(huddle)
        huddle.reviews.submit(plan.id, by="avery")
        app = make_app(huddle)

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.press("v")
            await wait_for(pilot, lambda: pilot.app.screen.view is not None, what="review")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_changes_between_versions(self, snap_compare, make_app, make_huddle, size
                                      ) -> None:
        huddle = make_huddle()
        plan = planned(huddle)
        huddle.reviews.submit(plan.id, by="avery")
        huddle.reviews.request_changes(plan.id, by="morgan", section_comments={
            "roles": "Jordan should own the commercial conversation"})
        v2 = huddle.revise_roles(plan.id, {"Jordan Pike": "commercial"})
        huddle.reviews.submit(v2.id, by="avery")
        app = make_app(huddle)

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.press("v")
            await wait_for(pilot, lambda: pilot.app.screen.view is not None, what="review")
            await settle(pilot)
            await pilot.press("d")
            await pilot.pause()

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestReflectSnapshots:
    """Reflect: notes pasted against a plan; the proposal waiting for decisions."""

    @pytest.mark.parametrize("size", SIZES)
    def test_notes(self, snap_compare, make_app, make_huddle, size) -> None:
        from tests.integration.reflect_support import CALL

        huddle = make_huddle()
        planned(huddle)
        app = make_app(huddle)

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.press("r")
            await wait_for(pilot, lambda: pilot.app.screen.plans, what="plans")
            screen = pilot.app.screen
            screen.query_one("#r-plan", Select).value = screen.plans[0]["id"]
            screen.query_one("#r-notes", TextArea).text = CALL
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_proposal(self, snap_compare, small_kb: Path, tmp_path: Path,
                      monkeypatch: pytest.MonkeyPatch, size) -> None:
        from assistant.config import load_settings
        from assistant.service import Huddle
        from tests.integration.reflect_support import ASSESS, CALL, CRITERION, FACTS, GOOD_DRAFT
        from tui.app import HuddleApp

        fake = FakeLLM(default=by_schema(Draft=GOOD_DRAFT, FactsDraft=FACTS,
                                         AssessDraft=ASSESS,
                                         CriterionAnswer=CRITERION)).install(monkeypatch)
        settings = load_settings(kb=small_kb, data_dir=tmp_path / "data")
        settings.llm.model, settings.llm.cache = fake.model, False
        huddle = Huddle(settings, clock=CLOCK)
        plan = huddle.prepare(huddle.meeting(account="acme", kind="discovery",
                                             date="2026-11-20", sellers="Avery Cole",
                                             buyers="Dana Ruiz (CFO), Tom Becker (Head of Ops)"))
        app = HuddleApp(huddle=huddle, monotonic=lambda: 0.0, warm=False,
                        log_to_file=False)

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.press("r")
            screen = pilot.app.screen
            await wait_for(pilot, lambda: screen.plans, what="plans")
            screen.query_one("#r-plan", Select).value = plan.id
            screen.query_one("#r-notes", TextArea).text = CALL
            await pilot.press("ctrl+g")
            await wait_for(pilot, lambda: screen.current is not None, 60, "proposal")
            await pilot.press("y", "n")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestIcpSnapshots:
    """ICP: the ledger with win-rate bars and intervals, and what is behind a number."""

    @pytest.mark.parametrize("size", SIZES)
    def test_ledger(self, snap_compare, make_app, size) -> None:
        app = make_app()

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.press("i")
            await wait_for(pilot, lambda: pilot.app.screen.rows, what="ledger")
            await settle(pilot)
            pilot.app.screen.query_one("#icp-table", DataTable).focus()
            await pilot.press("down", "down", "down", "down", "down", "down")
            await pilot.pause()

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestKnowledgeSnapshots:
    """Knowledge: search results beside the note."""

    @pytest.mark.parametrize("size", SIZES)
    def test_search(self, snap_compare, make_app, size) -> None:
        app = make_app()

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.press("k")
            await pilot.pause()
            await pilot.press(*"budget for the pilot", "enter")
            await wait_for(pilot, lambda: pilot.app.screen.hits, what="results")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)


class TestSettingsAndHelpSnapshots:
    """Settings in effect (machine paths masked) and the key list."""

    @pytest.mark.parametrize("size", SIZES)
    def test_settings(self, snap_compare, make_app, monkeypatch: pytest.MonkeyPatch, size
                      ) -> None:
        import tui.screens.settings as module

        original = module.settings_rows

        def masked(settings: Any, *args: Any) -> list[Any]:
            rows = original(settings, *args)
            swap = {str(settings.kb_path): "<repo>/knowledge/demo",
                    str(settings.data_path): "<tmp>/data", args[-1]: "<tmp>/no-config.toml"}
            return [(label, swap.get(value, value) if isinstance(value, str) else value, how)
                    for label, value, how in rows]

        monkeypatch.setattr(module, "settings_rows", masked)
        monkeypatch.setenv("HUDDLE_ME", "Avery Cole")  # not the login name of the machine
        app = make_app()

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.press("s")
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=run_before)

    @pytest.mark.parametrize("size", SIZES)
    def test_help(self, snap_compare, make_app, size) -> None:
        app = make_app()

        async def run_before(pilot: Any) -> None:
            await booted(pilot)
            await pilot.press("question_mark")
            await pilot.pause()

        assert snap_compare(app, terminal_size=size, run_before=run_before)
