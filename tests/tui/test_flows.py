"""Pilot tests of the terminal app: each flow driven by keys, asserting on the app's messages
first and on what was stored second."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select, SelectionList, TextArea

from tests.fakes import FakeLLM
from tests.tui.conftest import DEMO_ICS, SUMMIT_DRAFT, by_schema, ready, seed_meetings, wait_for
from tui.messages import (
    CalendarImported,
    CalendarRead,
    CitationSelected,
    HomeFilled,
    HomeLoaded,
    HuddleExported,
    IngestFinished,
    KbLoaded,
    LedgerLoaded,
    MeetingSaved,
    PlanDrafted,
    PlanProgressed,
    PlanRevised,
    PlanSubmitted,
    PrepAllFinished,
    PrepAllProgressed,
    PrepStepFinished,
    PrepStepStarted,
    ReflectionProgressed,
    ReflectionProposed,
    ReflectionWritten,
    ReviewDecided,
    SearchFinished,
    StoreReady,
    WorkCancelled,
    WorkFailed,
)

NODES = ["gather", "retrieve", "assign_roles", "read_notes", "ask_criteria", "draft", "validate",
         "assemble", "save"]


def of(messages: list[Any], kind: type) -> list[Any]:
    """Messages of ``kind``, each once (a bubbling message reaches the hook per node)."""
    seen: set[int] = set()
    out = []
    for m in messages:
        if isinstance(m, kind) and id(m) not in seen:
            seen.add(id(m))
            out.append(m)
    return out


async def to_prep(pilot: Any) -> Any:
    await pilot.press("p")
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "_form_ready", False), what="form")
    return pilot.app.screen


async def draft(pilot: Any, messages: list[Any]) -> Any:
    screen = await to_prep(pilot)
    before = len(of(messages, PlanDrafted))
    await pilot.press("ctrl+g")
    await wait_for(pilot, lambda: len(of(messages, PlanDrafted)) > before, 60, "plan drafted")
    return screen


class TestStartup:
    """The first screen paints before anything heavy loads; the store is checked after."""

    def test_importing_the_app_loads_nothing_heavy(self) -> None:
        code = ("import json, sys, time; t=time.perf_counter(); import tui.app, tui.cli; "
                "print(json.dumps([sorted(sys.modules), time.perf_counter()-t]))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
        modules, _seconds = json.loads(out.stdout)
        heavy = ["torch", "chromadb", "litellm", "langgraph", "sentence_transformers",
                 "xllamacpp", "assistant.service", "knowledge.retrieval"]
        assert not [m for m in heavy if m in modules]

    async def test_home_paints_then_the_kb_and_store_arrive(self, make_app) -> None:
        messages: list[Any] = []
        app = make_app()
        async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
            assert app.screen.query_one("#home-status").render()  # painted, placeholders
            await ready(pilot)
            kinds = [type(m) for m in of(messages, KbLoaded | StoreReady)]
            assert kinds == [KbLoaded, StoreReady]
            accounts = app.screen.query_one("#accounts", DataTable)
            assert accounts.row_count == 8
            assert app.store_state == "ready"
            await pilot.press("ctrl+q")


    async def test_reads_start_after_the_first_frame_and_home_says_when_filled(
            self, make_app, make_huddle, monkeypatch: pytest.MonkeyPatch) -> None:
        """Nothing is read before the first frame is on the screen; the Home screen announces
        (``filled``, ``HomeFilled``) when its tables show what was read, however late the
        read comes (here: held until after the store is ready)."""
        huddle = make_huddle()
        meetings = seed_meetings(huddle)
        release, reading = threading.Event(), threading.Event()
        painted_at_read: list[bool] = []
        list_meetings, ensure_ingested = huddle.list_meetings, huddle.ensure_ingested
        app = make_app(huddle)

        def held_list(*args: Any, **kwargs: Any) -> Any:
            painted_at_read.append(app.painted)
            reading.set()
            release.wait(30)
            return list_meetings(*args, **kwargs)

        def checked_ingest(*args: Any, **kwargs: Any) -> Any:
            painted_at_read.append(app.painted)
            return ensure_ingested(*args, **kwargs)

        monkeypatch.setattr(huddle, "list_meetings", held_list)
        monkeypatch.setattr(huddle, "ensure_ingested", checked_ingest)
        messages: list[Any] = []
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await wait_for(pilot, lambda: app.store_state == "ready" and reading.is_set(),
                           what="store ready, meetings being read")
            home = app.screen
            assert len(painted_at_read) >= 2 and all(painted_at_read)  # ingest and read
            assert not home.filled and not of(messages, HomeFilled)
            assert home.query_one("#meetings", DataTable).row_count == 0
            release.set()
            await wait_for(pilot, lambda: home.filled, what="home filled")
            assert len(of(messages, HomeFilled)) == 1
            assert home.query_one("#meetings", DataTable).row_count == len(meetings)
            assert home.query_one("#accounts", DataTable).row_count == 8
            await pilot.press("ctrl+q")


    async def test_the_first_frame_hook_runs_once_before_the_start_up_work(
            self, make_app, make_huddle, monkeypatch: pytest.MonkeyPatch) -> None:
        """``after_first_frame`` (``huddle`` resumes the garbage collector there) runs once,
        after the frame that follows ``Ready`` and before the boot worker reads anything."""
        huddle = make_huddle()
        events: list[str] = []
        ensure_ingested = huddle.ensure_ingested

        def ingest(*args: Any, **kwargs: Any) -> Any:
            events.append("ingest")
            return ensure_ingested(*args, **kwargs)

        monkeypatch.setattr(huddle, "ensure_ingested", ingest)
        app = make_app(huddle, after_first_frame=lambda: events.append(
            f"hook painted={app.painted}"))
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            assert events == ["hook painted=False", "ingest"]
            await pilot.press("ctrl+q")

    def test_huddle_collects_no_garbage_until_its_first_frame(
            self, monkeypatch: pytest.MonkeyPatch) -> None:
        """``run_app`` pauses the collector for the start and resumes it (freezing what is
        alive) from the app's first-frame hook; it is on again whatever happens."""
        import gc

        import tui.app
        import tui.cli

        seen: dict[str, Any] = {}

        class App(tui.app.HuddleApp):
            def run(self, *args: Any, **kwargs: Any) -> None:
                seen["during start"] = gc.isenabled()
                self._after_first_frame()  # type: ignore[misc]
                seen["after first frame"] = gc.isenabled()
                seen["frozen"] = gc.get_freeze_count()

        monkeypatch.setattr(tui.app, "HuddleApp", App)
        # _finish leaves with os._exit while other threads run: that would end pytest
        monkeypatch.setattr(tui.cli, "_finish", lambda code: code)
        try:
            assert tui.cli.run_app(SimpleNamespace()) == 0
        finally:
            gc.unfreeze()
        assert seen["during start"] is False and seen["after first frame"] is True
        assert seen["frozen"] > 0 and gc.isenabled()


class TestHome:
    """Upcoming meetings, accounts and plans; calendar import with questions; prep-all."""

    async def test_meetings_open_in_prep_with_the_form_filled(self, make_app, make_huddle
                                                              ) -> None:
        huddle = make_huddle()
        seed_meetings(huddle)
        messages: list[Any] = []
        app = make_app(huddle)
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            loaded = of(messages, HomeLoaded)[-1]
            assert [m.account for m in loaded.meetings][:3] == ["summit", "meridian",
                                                                  "larkspur"]
            table = app.screen.query_one("#meetings", DataTable)
            assert str(table.get_row_at(0)[0]) == "Tomorrow 10:00"
            table.focus()
            await pilot.press("down", "enter")  # Meridian, the security review
            await wait_for(pilot, lambda: app.screen.id != "_default" and
                           getattr(app.screen, "meeting_id", None) is not None, what="opened")
            prep = app.screen
            values = prep.form_values()
            assert values["account"] == "meridian" and values["kind"] == "technical"
            assert values["sellers"] == ["Priya Natarajan", "Avery Cole"]  # as invited
            assert (values["date"], values["time"]) == ("2026-11-24", "14:00")

    async def test_calendar_import_asks_about_unmatched_meetings(self, make_app, make_huddle
                                                                 ) -> None:
        huddle = make_huddle()
        messages: list[Any] = []
        app = make_app(huddle)
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            await pilot.press("c")
            app.screen.query_one("#ask-input", Input).value = str(DEMO_ICS)
            await pilot.press("enter")
            await wait_for(pilot, lambda: of(messages, CalendarRead), what="calendar read")
            result = of(messages, CalendarRead)[0].result
            assert [u.event.summary for u in result.unmatched] == [
                "Intro call - Harbor Logistics"]
            # the modal asks which account: pick Summit Freight for the Harbor intro
            app.screen.query_one("#resolve-0", Select).value = "summit"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: of(messages, CalendarImported), what="imported")
            imported = of(messages, CalendarImported)[0]
            assert len(imported.saved) == 7  # 6 matched in 14 days + the resolved one
            stored = app.services.meetings.list_meetings()
            assert "Intro call - Harbor Logistics" in [m.title for m in stored]
            assert len(stored) == 7

    async def test_a_missing_calendar_file_is_a_modal_that_says_so(self, make_app) -> None:
        messages: list[Any] = []
        app = make_app()
        async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
            await ready(pilot)
            await pilot.press("c")
            app.screen.query_one("#ask-input", Input).value = "/nowhere/cal.ics"
            await pilot.press("enter")
            await wait_for(pilot, lambda: of(messages, WorkFailed), what="failure")
            failed = of(messages, WorkFailed)[0]
            assert (failed.group, failed.title) == ("calendar", "Calendar")
            assert "no such file" in failed.message
            assert type(app.screen).__name__ == "ErrorModal"
            await pilot.press("enter")
            assert type(app.screen).__name__ == "HomeScreen"

    async def test_prep_all_prepares_tomorrow_with_progress(self, make_app, make_huddle
                                                            ) -> None:
        huddle = make_huddle()
        seed_meetings(huddle)
        messages: list[Any] = []
        app = make_app(huddle)
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            await pilot.press("a")
            await wait_for(pilot, lambda: of(messages, PrepAllFinished), 120, "prep-all")
            outcomes = of(messages, PrepAllFinished)[0].outcomes
            assert [o.meeting.account for o in outcomes] == ["summit", "meridian", "larkspur"]
            assert all(o.ok for o in outcomes)
            states = [(p.meeting_id, p.state) for p in of(messages, PrepAllProgressed)]
            first = outcomes[0].meeting.id
            assert (first, "started") in states and (first, "finished") in states
            for o in outcomes:
                assert huddle.records.get_plan(o.plan_id).status == "draft"
                assert app.services.meetings.get(o.meeting.id).plan_id == o.plan_id


class TestPrep:
    """Draft a plan with visible steps, open its sources, change roles, submit, export."""

    async def test_draft_shows_each_step_and_saves_the_plan(self, make_app) -> None:
        messages: list[Any] = []
        app = make_app()
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            screen = await draft(pilot, messages)
            assert [m.node for m in of(messages, PrepStepStarted)] == NODES
            assert [m.node for m in of(messages, PrepStepFinished)] == NODES
            plan = of(messages, PlanDrafted)[0].plan
            meeting_id = of(messages, MeetingSaved)[0].meeting_id
            stored = app.services.huddle.records.get_plan(plan.id)
            assert stored.status == "draft" and stored.meeting.account == "summit"
            assert stored.objective.statement.text == SUMMIT_DRAFT["objective"]
            assert app.services.meetings.get(meeting_id).plan_id == plan.id
            assert screen.has_class("-has-plan")
            # the demo meeting: Avery leads, Jordan closes
            assert {r.name: r.role for r in plan.roles} == {"Avery Cole": "lead",
                                                           "Jordan Pike": "closer"}

    async def test_a_citation_opens_its_note_beside_the_plan(self, make_app) -> None:
        messages: list[Any] = []
        app = make_app()
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            screen = await draft(pilot, messages)
            await pilot.press("ctrl+l", "enter")
            await wait_for(pilot, lambda: of(messages, CitationSelected), what="citation")
            first = of(messages, PlanDrafted)[0].plan.provenance.retrieved_ids[0]
            assert of(messages, CitationSelected)[0].doc_id == first
            assert screen.has_class("-source-open")
            assert screen.query_one("#source").border_title == first
            await pilot.press("escape")
            assert not screen.has_class("-source-open")

    async def test_roles_change_is_a_new_version_without_a_model_call(
            self, make_app, fake_llm: FakeLLM) -> None:
        messages: list[Any] = []
        app = make_app()
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            await draft(pilot, messages)
            calls = len(fake_llm.calls)
            plan = of(messages, PlanDrafted)[0].plan
            await pilot.press("ctrl+o")
            app.screen.query_one("#role-1", Select).value = "commercial"  # Jordan
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: of(messages, PlanRevised), what="revised")
            revised = of(messages, PlanRevised)[0]
            assert revised.changed == {"Jordan Pike": "commercial"}
            assert (revised.plan.version, revised.plan.parent_id) == (2, plan.id)
            assert {r.name: r.role for r in revised.plan.roles}["Jordan Pike"] == "commercial"
            assert revised.plan.objective == plan.objective  # nothing else changed
            assert len(fake_llm.calls) == calls
            versions = app.services.huddle.records.versions(revised.plan.id)
            assert [v.version for v in versions] == [1, 2]

    async def test_submit_and_export(self, make_app, tmp_path: Path) -> None:
        messages: list[Any] = []
        app = make_app()
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            await draft(pilot, messages)
            plan = of(messages, PlanDrafted)[0].plan
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: of(messages, PlanSubmitted), what="submitted")
            assert app.services.huddle.records.get_plan(plan.id).status == "in_review"
            await pilot.press("ctrl+t")
            app.screen.query_one("#ask-input", Input).value = str(tmp_path / "out")
            await pilot.press("enter")
            await wait_for(pilot, lambda: of(messages, HuddleExported), what="exported")
            names = sorted(Path(p).name for p in of(messages, HuddleExported)[0].paths)
            assert names == [f"{plan.id}-huddle.ics", f"{plan.id}-huddle.md", f"{plan.id}.md"]
            assert "## Who does what" in (tmp_path / "out" / f"{plan.id}-huddle.md").read_text()

    async def test_an_error_keeps_what_was_typed(self, make_app) -> None:
        messages: list[Any] = []
        app = make_app()
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            screen = await to_prep(pilot)
            screen.query_one("#f-sellers", SelectionList).deselect_all()
            screen.query_one("#f-goal", Input).value = "meet the economic buyer"
            await pilot.press("ctrl+g")
            await wait_for(pilot, lambda: of(messages, WorkFailed), what="failure")
            failed = of(messages, WorkFailed)[0]
            assert (failed.group, failed.title) == ("prep", "No sellers")
            assert failed.restore["goal"] == "meet the economic buyer"
            assert type(app.screen).__name__ == "ErrorModal"
            await pilot.press("escape")
            values = screen.form_values()
            assert values["goal"] == "meet the economic buyer"
            assert values["buyers"].startswith("Dana Ruiz (CFO)")
            assert not screen.running and not of(messages, PlanDrafted)

    async def test_a_long_run_can_be_cancelled(self, make_app, fake_llm: FakeLLM) -> None:
        release = threading.Event()
        started = threading.Event()

        def slow(call: Any) -> dict[str, Any]:
            started.set()
            release.wait(20)
            return SUMMIT_DRAFT

        fake_llm.push(slow)
        messages: list[Any] = []
        app = make_app()
        try:
            async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
                await ready(pilot)
                screen = await to_prep(pilot)
                await pilot.press("ctrl+g")
                await wait_for(pilot, started.is_set, what="model call")
                await pilot.press("h", "p")  # the UI stays responsive meanwhile
                assert screen.running
                await pilot.press("escape")
                await wait_for(pilot, lambda: [m for m in of(messages, WorkCancelled)
                                               if m.group == "prep"], what="cancelled")
                assert not screen.running
                assert screen.query_one("#steps").outcome == "cancelled"
                release.set()
                await pilot.pause(0.5)
                assert not of(messages, PlanDrafted)
        finally:
            release.set()

    async def test_the_plan_is_on_screen_while_the_model_works_and_escape_keeps_it(
            self, make_app, fake_llm: FakeLLM) -> None:
        from textual.widgets import Markdown

        release, started = threading.Event(), threading.Event()

        def held(answer: Any) -> Any:
            def call(_: Any) -> Any:
                started.set()
                release.wait(20)
                return answer
            return call

        fake_llm.push(held(SUMMIT_DRAFT))
        fake_llm.standing = {"prep_criterion": held({"status": "open"})}
        messages: list[Any] = []
        app = make_app()
        try:
            async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
                await ready(pilot)
                screen = await to_prep(pilot)
                await pilot.press("ctrl+g")
                await wait_for(pilot, lambda: of(messages, PlanProgressed), what="partial")
                await wait_for(pilot, started.is_set, what="model call")
                shown = screen.query_one("#plan-md", Markdown).source
                assert "pending (model): the objective" in shown
                for heading in ("## Customer context", "## Our team", "## Agenda",
                                "## Huddle checklist"):
                    assert heading in shown
                assert screen.has_class("-has-plan") and screen.running
                assert screen.plan is None  # no roles, review or export on a partial plan
                assert "Escape stops" in str(screen.query_one("#plan-scroll").border_subtitle)
                await pilot.press("escape")
                await wait_for(pilot, lambda: [m for m in of(messages, WorkCancelled)
                                               if m.group == "prep"], what="cancelled")
                kept = screen.query_one("#plan-md", Markdown).source
                assert "Drafting cancelled: this plan is incomplete and was not saved" in kept
                assert "Missing: objective, advance, fallback" in kept
                assert "## Agenda" in kept  # what was on screen stays
                assert "was not saved" in str(screen.query_one("#f-state").render())
                release.set()
                await pilot.pause(0.5)
                assert not of(messages, PlanDrafted)
                assert app.services.huddle.records.list_plans() == []
        finally:
            release.set()


class TestReview:
    """The manager's queue: request changes per section, see the diff, approve."""

    async def test_request_changes_then_approve_the_revision(self, make_app, make_huddle
                                                             ) -> None:
        huddle = make_huddle()
        plan = huddle.prepare(huddle.meeting(account="summit", kind="discovery",
                                             date="2026-11-24",
                                             sellers="Avery Cole,Jordan Pike"))
        huddle.reviews.submit(plan.id, by="avery")
        messages: list[Any] = []
        app = make_app(huddle)
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            await pilot.press("v")
            await wait_for(pilot, lambda: getattr(app.screen, "view", None) is not None,
                           what="plan open")
            assert app.screen.query_one("#review-queue", DataTable).row_count == 1
            app.screen.query_one("#review-queue").focus()
            await pilot.press("c")
            app.screen.query_one("#c-roles", Input).value = "Put Priya on the pilot scope"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: of(messages, ReviewDecided), what="decided")
            assert of(messages, ReviewDecided)[0].decision == "request_changes"
            assert huddle.records.get_plan(plan.id).status == "changes_requested"
            # the rep revises the roles and submits again
            v2 = huddle.revise_roles(plan.id, {"Jordan Pike": "technical"})
            huddle.reviews.submit(v2.id)
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: getattr(app.screen, "view", None) is not None and
                           app.screen.view.plan.id == v2.id, what="v2 open")
            diff = str(app.screen.query_one("#review-diff-text").render())
            assert "Put Priya on the pilot scope" in diff
            assert "+ Jordan Pike: technical" in diff
            app.screen.query_one("#review-queue").focus()
            await pilot.press("a", "y")
            await wait_for(pilot, lambda: len(of(messages, ReviewDecided)) == 2, what="approve")
            assert huddle.records.get_plan(v2.id).status == "approved"


    async def test_a_rep_pressing_approve_or_send_back_is_told_to_ask_a_manager(
            self, make_app, make_huddle) -> None:
        huddle = make_huddle()  # me = Avery Cole (tests/tui/conftest.py)
        huddle.kb.team.find("Marcus Oyelaran").role = "manager"  # roles in force
        plan = huddle.prepare(huddle.meeting(account="summit", kind="discovery",
                                             date="2026-11-24", sellers="Avery Cole"))
        huddle.reviews.submit(plan.id)
        app = make_app(huddle)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("v")
            await wait_for(pilot, lambda: getattr(app.screen, "view", None) is not None,
                           what="plan open")
            for key in ("a", "c"):
                app.screen.query_one("#review-queue").focus()
                await pilot.press(key)
                await wait_for(pilot, lambda: type(app.screen).__name__ == "ErrorModal",
                               what="refusal")
                text = str(app.screen.query_one("#error-message").render())
                assert "Avery Cole is a rep in team.yaml" in text
                assert "Ask a manager (Marcus Oyelaran)" in text
                await pilot.press("enter")
                assert type(app.screen).__name__ == "ReviewScreen"
        assert huddle.records.get_plan(plan.id).status == "in_review"
        assert [e.action for e in huddle.reviews.history(plan.id)] == ["submit"]

    async def test_the_queue_by_rep_and_day_and_my_comments(self, make_app, make_huddle
                                                             ) -> None:
        huddle = make_huddle()  # me = Avery Cole (tests/tui/conftest.py)
        plans = [huddle.prepare(huddle.meeting(account="summit", kind="discovery", date=day,
                                               sellers="Avery Cole"))
                 for day in ("2026-11-24", "2026-11-25")]
        for p in plans:
            huddle.reviews.submit(p.id)
        huddle.reviews.request_changes(plans[0].id, by="Marcus Oyelaran",
                                       comment="Start from their churn numbers")
        huddle.reviews.submit(plans[0].id)
        app = make_app(huddle)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("v")
            table = app.screen.query_one("#review-queue", DataTable)
            await wait_for(pilot, lambda: table.row_count == 2, what="queue")
            assert "Avery Cole" in str(table.get_row_at(0))
            app.screen.query_one("#review-queue").focus()
            await pilot.press("w")
            app.screen.query_one("#f-day", Input).value = "2026-11-25"
            app.screen.query_one("#f-rep", Input).value = "Avery Cole"
            await pilot.click("#apply")
            await wait_for(pilot, lambda: table.row_count == 1, what="filtered queue")
            assert table.coordinate_to_cell_key((0, 0)).row_key.value == plans[1].id
            assert "Avery Cole · 2026-11-25" in str(
                app.screen.query_one("#review-queue-box").border_title)
            app.screen.query_one("#review-queue").focus()
            await pilot.press("m")
            from tui.screens.review import CommentsModal

            await wait_for(pilot, lambda: isinstance(app.screen, CommentsModal),
                           what="comments")
            text = " ".join(str(w.render()) for w in app.screen.query("Static"))
            assert "Start from their churn numbers" in text and "Marcus Oyelaran" in text


class TestReflect:
    """Notes in, proposal confirmed item by item, what was written shown."""

    async def test_reflect_confirm_edit_reject_and_write(self, small_kb: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
        from assistant.config import load_settings
        from assistant.service import Huddle
        from tests.integration.reflect_support import ASSESS, CALL, CRITERION, FACTS, GOOD_DRAFT
        from tests.tui.conftest import CLOCK
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
        messages: list[Any] = []
        app = HuddleApp(huddle=huddle, monotonic=lambda: 0.0, warm=False,
                        log_to_file=False)
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            await pilot.press("r")
            screen = app.screen
            await wait_for(pilot, lambda: screen.plans, what="plans listed")
            screen.query_one("#r-plan", Select).value = plan.id
            screen.query_one("#r-notes", TextArea).text = CALL
            await pilot.press("ctrl+g")
            await wait_for(pilot, lambda: of(messages, ReflectionProposed), 60, "proposal")
            proposal = of(messages, ReflectionProposed)[0].proposal
            ids = [i.id for i in proposal.items]
            assert proposal.status == "awaiting_review" and "stage" in ids
            # nothing is written before the decisions
            assert not list((small_kb / "accounts/acme/notes").glob("reflection-*"))
            table = screen.query_one("#r-items", DataTable)
            table.focus()
            await pilot.press("n")  # reject the first item
            await pilot.press("A")  # accept everything else
            stage_row = ids.index("stage")
            table.move_cursor(row=stage_row)
            await pilot.press("e")
            app.screen.query_one("#ask-input", Input).value = "Discovery"
            await pilot.press("enter")
            assert screen.decisions[ids[0]] == "reject"
            assert screen.decisions["stage"] == {"action": "edit", "value": "Discovery"}
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: of(messages, ReflectionWritten), 60, "written")
            result = of(messages, ReflectionWritten)[0].result
            assert result.status == "applied" and result.writes
            notes = list((small_kb / "accounts/acme/notes").glob("reflection-*.md"))
            assert len(notes) == 1
            assert "stage: Discovery" in (small_kb / "accounts/acme/account.yaml").read_text()
            shown = str(screen.query_one("#r-writes").render())
            assert "Written:" in shown


    async def test_the_proposal_is_on_screen_while_the_model_works_and_escape_keeps_it(
            self, small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from assistant.config import load_settings
        from assistant.service import Huddle
        from tests.integration.reflect_support import CALL, CRITERION, FACTS, GOOD_DRAFT
        from tests.tui.conftest import CLOCK
        from tui.app import HuddleApp

        answers = by_schema(Draft=GOOD_DRAFT, FactsDraft=FACTS, CriterionAnswer=CRITERION)
        fake = FakeLLM(default=answers).install(monkeypatch)
        settings = load_settings(kb=small_kb, data_dir=tmp_path / "data")
        settings.llm.model, settings.llm.cache = fake.model, False
        huddle = Huddle(settings, clock=CLOCK)
        plan = huddle.prepare(huddle.meeting(account="acme", kind="discovery",
                                             date="2026-11-20", sellers="Avery Cole",
                                             buyers="Dana Ruiz (CFO), Tom Becker (Head of Ops)"))
        release, started = threading.Event(), threading.Event()

        def held(call: Any) -> Any:
            started.set()
            release.wait(20)
            return answers(call)

        fake.default = held  # every model answer waits until the test releases it
        account = (small_kb / "accounts/acme/account.yaml").read_text()
        messages: list[Any] = []
        app = HuddleApp(huddle=huddle, monotonic=lambda: 0.0, warm=False, log_to_file=False)
        try:
            async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
                await ready(pilot)
                await pilot.press("r")
                screen = app.screen
                await wait_for(pilot, lambda: screen.plans, what="plans listed")
                screen.query_one("#r-plan", Select).value = plan.id
                screen.query_one("#r-notes", TextArea).text = CALL
                await pilot.press("ctrl+g")
                await wait_for(pilot, lambda: of(messages, ReflectionProgressed), 60, "partial")
                await wait_for(pilot, started.is_set, what="model call")
                table = screen.query_one("#r-items", DataTable)
                rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
                # what code read is there at once: a next step, facts, nothing to decide yet
                assert any("Send the pilot outline by Friday" in r[2] for r in rows)
                assert any(r[1] == "fact" and "$65k" in r[2] for r in rows)
                assert all(r[0] in ("… wait", "… model") for r in rows)
                pending = [r[2] for r in rows if r[1] == "pending"]
                assert pending[0].startswith("the stakeholders, facts and ICP evidence")
                assert "exit criterion: pain confirmed" in pending
                title = str(screen.query_one("#r-proposal-title").render())
                assert "so far — drafting" in title and "Pending from the model" in title
                assert screen.current is None and screen.running  # nothing to decide
                assert "Escape stops" in str(screen.query_one("#r-proposal").border_subtitle)
                await pilot.press("y")
                assert screen.decisions == {}
                await pilot.press("escape")
                await wait_for(pilot, lambda: [m for m in of(messages, WorkCancelled)
                                               if m.group == "reflect"], what="cancelled")
                title = str(screen.query_one("#r-proposal-title").render())
                assert "reflection cancelled: incomplete; nothing was proposed or written" \
                    in title
                assert "Missing: the stakeholders, facts and ICP evidence" in title
                assert table.row_count == len(rows)  # what was on screen stays
                release.set()
                await pilot.pause(0.5)
                await app.workers.wait_for_complete()
                assert not of(messages, ReflectionProposed)
                (row,) = huddle.reflections.list()
                assert row["status"] == "running"  # its checkpoint stays: resumable
                assert not list((small_kb / "accounts/acme/notes").glob("reflection-*"))
                assert (small_kb / "accounts/acme/account.yaml").read_text() == account
                assert huddle.ledger.signals() == []
        finally:
            release.set()


class TestIcpAndKnowledge:
    """The ledger with filter and drill-down; search, open a note, re-index."""

    async def test_ledger_filter_and_drill_down(self, make_app) -> None:
        messages: list[Any] = []
        app = make_app()
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            await pilot.press("i")
            await wait_for(pilot, lambda: of(messages, LedgerLoaded), what="ledger")
            rows = of(messages, LedgerLoaded)[0].rows
            base = of(messages, LedgerLoaded)[0].base
            assert base.closed == 16  # every demo story
            screen = app.screen
            table = screen.query_one("#icp-table", DataTable)
            assert table.row_count == len(rows)
            screen.query_one("#icp-attribute", Select).value = "industry"
            await pilot.pause()
            assert {r.attribute for r in screen.shown} == {"industry"}
            assert table.row_count == len([r for r in rows if r.attribute == "industry"])
            table.focus()
            await pilot.press("enter")
            sources = screen.query_one("#icp-sources", DataTable)
            assert sources.row_count == len(screen.shown[0].sources)
            await pilot.press("enter")  # open the first story behind the number
            assert screen.has_class("-source-open")
            assert screen.query_one("#icp-source").border_title.startswith("story-")

    async def test_search_open_and_reindex(self, make_app) -> None:
        messages: list[Any] = []
        app = make_app()
        async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
            await ready(pilot)
            await pilot.press("k")
            await pilot.pause()
            await pilot.press(*"budget for the pilot", "enter")
            await wait_for(pilot, lambda: of(messages, SearchFinished), what="search")
            hits = of(messages, SearchFinished)[0].hits
            from assistant import kb as kb_ops

            cli = kb_ops.search(app.services.settings, "budget for the pilot", k=12)
            assert [h.id for h in hits] == [h.id for h in cli]  # the CLI's retrieval
            assert app.screen.query_one("#kb-source").border_title == hits[0].id
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: of(messages, IngestFinished), what="ingest")
            assert "0 added" in of(messages, IngestFinished)[0].summary


class TestKeys:
    """Help lists every binding; keys rebind by id; the palette reaches every screen."""

    async def test_help_lists_bindings_with_ids(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("question_mark")
            table = app.screen.query_one("#help-table", DataTable)
            ids = {str(table.get_row_at(i)[3]) for i in range(table.row_count)}
            for expected in ("go.home", "go.review", "help", "prep.run", "prep.roles",
                             "home.import", "home.prep_all", "review.approve",
                             "reflect.write", "icp.filter", "kb.ingest", "kb.import", "kb.list",
                             "command_palette"):
                assert expected in ids
            await pilot.press("escape")
            assert type(app.screen).__name__ == "HomeScreen"

    async def test_every_binding_has_an_id_and_a_tooltip(self) -> None:
        from tui.app import HuddleApp
        from tui.screens.help import SCREEN_CLASSES, _screen_bindings

        bindings = list(HuddleApp.BINDINGS)
        for mode in SCREEN_CLASSES:
            bindings += _screen_bindings(mode)
        from tui.screens import importing, modals, resolve, review, roles

        for cls in (modals.ErrorModal, modals.ConfirmModal, modals.AskModal,
                    resolve.ResolveModal, roles.RolesModal, review.ChangesModal,
                    importing.ImportModal):
            bindings += cls.BINDINGS
        missing = [b.key for b in bindings if not (b.id and b.tooltip)]
        assert not missing

    async def test_keys_rebind_by_id(self, make_app) -> None:
        app = make_app(keymap={"go.review": "f3", "prep.run": "f5"})
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("f3")
            assert type(app.screen).__name__ == "ReviewScreen"
            assert "f3 Review" in str(app.screen.query_one("#nav").render())

    async def test_command_palette_reaches_every_screen(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            for label, screen in [("Go to ICP", "IcpScreen"), ("Go to Settings",
                                                                "SettingsScreen"),
                                  ("Go to Reflect", "ReflectScreen")]:
                await pilot.press("ctrl+p")
                await pilot.press(*label)
                await pilot.pause(0.4)
                await pilot.press("enter")
                await wait_for(pilot, lambda s=screen: type(app.screen).__name__ == s,
                               what=screen)

    async def test_settings_show_the_model_and_paths(self, make_app) -> None:
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("s")
            await pilot.pause()
            text = str(app.screen.query_one("#settings-table").render())
            assert "fake/scripted" in text and "hosted" in text
            assert str(app.services.settings.data_path) in text


def test_table_cells_never_parse_markup() -> None:
    from tui.widgets.format import text_cell

    cell = text_cell("[bold red]Acme[/] \x1b[31mCorp\n")
    assert cell.plain == "[bold red]Acme[/] [31mCorp " and not cell.spans


def test_keymap_and_theme_come_from_the_config_file(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.config import load_settings
    from tui.config import load_tui_config

    config = tmp_path / "config.toml"
    config.write_text('[llm]\nthreads = 1\n\n[tui]\ntheme = "nord"\n\n[tui.keymap]\n'
                      '"go.review" = "f3"\n"prep.run" = 5\n')
    monkeypatch.setenv("HUDDLE_CONFIG", str(config))
    tui = load_tui_config()
    assert tui.keymap == {"go.review": "f3"} and tui.theme == "nord"
    assert "'prep.run' wants a key string" in tui.problems[0]
    assert load_settings().llm.threads == 1  # the core ignores the [tui] table
    config.write_text("[tui\n")
    assert load_tui_config().problems  # a broken file is reported, not fatal


async def test_a_broken_knowledge_base_is_a_modal_then_a_retry(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch
                                                               ) -> None:
    import shutil

    from assistant.config import load_settings
    from tests.conftest import DATA
    from tests.tui.conftest import CLOCK
    from tui.app import HuddleApp

    kb = tmp_path / "kb"
    shutil.copytree(DATA / "kb_small", kb)
    team = (kb / "team.yaml").read_text()
    (kb / "team.yaml").write_text("people: [{name: Avery Cole}]\n")  # no title, no strengths
    messages: list[Any] = []
    app = HuddleApp(settings=load_settings(kb=kb, data_dir=tmp_path / "data"),
                    clock=CLOCK, monotonic=lambda: 0.0, warm=False, log_to_file=False)
    async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
        await wait_for(pilot, lambda: app.store_state == "error", what="boot failure")
        failed = of(messages, WorkFailed)[0]
        assert failed.group == "boot" and failed.title == "Knowledge base problem"
        assert "team.yaml" in failed.message
        assert type(app.screen).__name__ == "ErrorModal"
        await pilot.press("escape")
        (kb / "team.yaml").write_text(team)  # the rep fixes the file
        await pilot.press("ctrl+r")
        await ready(pilot)
        assert app.kb is not None and app.store_state == "ready"


class TestImportFromKnowledge:
    """Knowledge: import a sample export (preview, then write, with progress), see where each
    note came from, find the new notes indexed; a bad source writes nothing."""

    IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"

    @staticmethod
    def app_on(kb: Path, data: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
        from assistant.config import load_settings
        from assistant.service import Huddle
        from tests.tui.conftest import CLOCK
        from tui.app import HuddleApp

        fake = FakeLLM(default=SUMMIT_DRAFT).install(monkeypatch)
        settings = load_settings(kb=kb, data_dir=data)
        settings.llm.model, settings.llm.cache = fake.model, False
        huddle = Huddle(settings, clock=CLOCK)
        huddle.ensure_ingested()  # before the app: its boot then finds the store up to date
        return HuddleApp(huddle=huddle, monotonic=lambda: 0.0, warm=False, log_to_file=False)

    @staticmethod
    def files(kb: Path) -> dict[str, bytes]:
        return {p.relative_to(kb).as_posix(): p.read_bytes() for p in sorted(kb.rglob("*"))
                if p.is_file()}

    async def open_dialog(self, pilot: Any, source: str, mapping: str = "") -> Any:
        from tui.screens.importing import ImportModal

        await pilot.press("k")
        await pilot.pause()
        await pilot.press("escape", "ctrl+o")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ImportModal), what="dialog")
        modal = pilot.app.screen
        modal.query_one("#imp-source", Input).value = source
        modal.query_one("#imp-mapping", Input).value = mapping
        await pilot.pause()
        return modal

    async def test_preview_then_import_with_progress_lists_and_indexes_the_notes(
            self, small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from tui.messages import (
            ImportFinished,
            ImportPreviewed,
            ImportProgressed,
            NotesListed,
        )
        from tui.screens.importing import ImportModal

        messages: list[Any] = []
        app = self.app_on(small_kb, tmp_path / "data", monkeypatch)
        before = self.files(small_kb)
        async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
            await ready(pilot)
            modal = await self.open_dialog(pilot, str(self.IMPORTS / "salesforce"),
                                           str(self.IMPORTS / "salesforce-mapping.yaml"))
            assert not modal.check_action("write", ())  # no import before a preview
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: of(messages, ImportPreviewed), what="preview")
            preview = of(messages, ImportPreviewed)[0].report
            assert preview.dry_run and self.files(small_kb) == before  # the dry run wrote nothing
            shown = str(modal.query_one("#imp-preview").render())
            assert "Would import salesforce" in shown and "Skipped (3)" in shown
            assert "Task.csv" in shown  # what is skipped names its file and line
            bar = modal.query_one("#imp-bar")
            assert bar.total and bar.progress == bar.total  # planning reached its total
            assert f"{bar.total:.0f} of {bar.total:.0f} records" in str(
                modal.query_one("#imp-state").render())
            writes = len(preview.plan.writes)
            assert f"{writes} file(s) to write" in str(modal.query_one("#imp-status").render())
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: of(messages, ImportFinished), 60, "import")
            report = of(messages, ImportFinished)[0].report
            assert not report.dry_run and report.ok and len(report.applied.written) == writes
            writing = [m for m in of(messages, ImportProgressed) if m.label.startswith("writing")]
            assert writing[-1].done == writing[-1].total == len(report.plan.changes)
            dones = [m.done for m in writing]
            assert dones == sorted(dones)
            assert not isinstance(app.screen, ImportModal)  # the dialog closed
            after = self.files(small_kb)
            assert set(report.applied.written) == set(after) - set(before)
            # the imported notes are listed at once (the note pane reads the new files) ...
            await wait_for(pilot, lambda: of(messages, NotesListed), what="imported listed")
            await pilot.pause()
            assert "imported from Salesforce" in str(app.screen.query_one("#source-head").render())
            # ... then indexed and listed again
            await wait_for(pilot, lambda: any(m.title.endswith("indexed")
                                              for m in of(messages, NotesListed)), 120, "index")
            listed = [m for m in of(messages, NotesListed) if m.title.endswith("indexed")][0]
            imported = {p.rsplit("/", 1)[1][:-3] for p in report.applied.written
                        if p.endswith(".md")}
            assert {r.doc_id for r in listed.rows} == imported
            assert all(r.origin.source == "salesforce" for r in listed.rows)
            screen = app.screen
            table = screen.query_one("#kb-results", DataTable)
            assert table.row_count == len(imported)
            assert app.focused is table  # arrows move through the imported notes
            assert str(table.get_row_at(0)[1]) == "salesforce"
            summary = of(messages, IngestFinished)[-1].summary
            assert summary.startswith(f"{len(imported)} added")  # searchable now
            # the open note says where it came from: source system, record, file and KB path
            first = listed.rows[0]
            head = str(screen.query_one("#source-head").render())
            assert first.origin.path in head and "imported from Salesforce (record " in head
            assert first.origin.file and first.origin.file in head
            # every note listed: the hand-written ones say so
            await pilot.press("ctrl+l")
            await wait_for(pilot, lambda: any(m.title == "All notes"
                                              for m in of(messages, NotesListed)), what="list")
            everything = [m for m in of(messages, NotesListed) if m.title == "All notes"][0]
            hand = [r for r in everything.rows if not r.origin.imported]
            assert {r.doc_id for r in hand} >= {"acme-n1", "acme-n2", "acme-n3"}
            row = [r.doc_id for r in everything.rows].index("acme-n1")
            assert str(table.get_row_at(row)[1]) == "hand"
            table.move_cursor(row=row)
            await pilot.pause()
            head = str(screen.query_one("#source-head").render())
            assert "hand-written: accounts/acme/notes/n1.md" in head

    async def test_a_bad_source_shows_an_error_in_the_dialog_and_writes_nothing(
            self, small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from tui.messages import ImportFailed
        from tui.screens.importing import ImportModal

        messages: list[Any] = []
        app = self.app_on(small_kb, tmp_path / "data", monkeypatch)
        before = self.files(small_kb)
        async with app.run_test(size=(80, 24), message_hook=messages.append) as pilot:
            await ready(pilot)
            modal = await self.open_dialog(pilot, str(tmp_path / "no-such-export"),
                                           str(self.IMPORTS / "salesforce-mapping.yaml"))
            await pilot.press("enter")  # enter in a field previews
            await wait_for(pilot, lambda: of(messages, ImportFailed), what="failure")
            assert "no such file or folder" in of(messages, ImportFailed)[0].message
            assert app.screen is modal  # shown in the dialog, not a crash or another modal
            assert "no-such-export: no such file or folder" in str(
                modal.query_one("#imp-preview").render())
            status = modal.query_one("#imp-status")
            assert status.has_class("-error") and "nothing was written" in str(status.render())
            assert not modal.check_action("write", ())
            # a file where the export folder belongs: a clear message too
            modal.query_one("#imp-source", Input).value = str(
                self.IMPORTS / "salesforce-mapping.yaml")
            await pilot.press("ctrl+r")
            await wait_for(pilot, lambda: len(of(messages, ImportFailed)) > 1, what="failure")
            assert "not a folder" in of(messages, ImportFailed)[1].message
            await pilot.press("ctrl+s")  # nothing previewed: nothing to write
            await pilot.pause()
            assert isinstance(app.screen, ImportModal)
            await pilot.press("escape")
            assert not isinstance(app.screen, ImportModal)
        assert self.files(small_kb) == before
