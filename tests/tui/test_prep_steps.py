"""The prep step list and progress view: a step the run will not take (the draft, when the
plan's headlines are code's by setting) is shown as such, never as pending."""

from __future__ import annotations

from tui.widgets.steps import PrepSteps


def test_the_steps_show_a_skipped_draft_as_not_asked() -> None:
    steps = PrepSteps(lambda: 0.0)
    steps.start("Drafting", "m")
    steps.skip("draft", "validate")
    lines = steps.render_steps().plain.splitlines()
    draft = next(line for line in lines if "Drafting with the model" in line)
    pending = next(line for line in lines if "Assembling the plan" in line)
    assert "not asked" in draft and "–" in draft
    assert "not asked" not in pending and "·" in pending


async def test_with_the_embedded_model_the_draft_is_not_asked_nor_pending(
        make_app, make_huddle, monkeypatch) -> None:
    from assistant.prep.progress import PENDING
    from tests.fakes import FakeLLM
    from tests.tui.conftest import SUMMIT_DRAFT, ready, wait_for
    from tests.tui.test_flows import draft, of
    from tui.messages import PlanDrafted, PlanProgressed, PrepStepStarted

    local = FakeLLM(default=SUMMIT_DRAFT, provider="huddle-local").install(monkeypatch)
    messages: list = []
    app = make_app(make_huddle(model=local.model))  # the bundled model's name, under auto
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await ready(pilot)
        screen = await draft(pilot, messages)
        await wait_for(pilot, lambda: of(messages, PlanDrafted), what="plan")
        steps = screen.query_one(PrepSteps)
        assert steps.state["draft"] == "skipped" and steps.state["validate"] == "skipped"
        assert "draft" not in [m.node for m in of(messages, PrepStepStarted)]
        partial = of(messages, PlanProgressed)[0].progress
        assert not {"objective", "advance", "fallback"} & set(partial.pending)
        assert partial.plan.objective.statement.text != f"*{PENDING}: the objective*"
        plan = of(messages, PlanDrafted)[0].plan
        assert plan.provenance.headlines == "code" and plan.provenance.warnings == []
        assert plan.objective.statement.text != SUMMIT_DRAFT["objective"]
        assert not [c for c in local.calls if (c.prompt_id or "").startswith("prep_draft")]


def test_a_step_skipped_by_setting_stays_skipped_when_its_node_runs_code_alone() -> None:
    from tui.widgets.steps import REFLECT_STEPS

    steps = PrepSteps(lambda: 0.0, REFLECT_STEPS)
    steps.start("Reflecting", "m")
    steps.skip("facts", "assess", why="not asked of this model")
    steps.begin_step("facts")  # the node still runs: code's reading, no model call
    assert steps.state["facts"] == "skipped" and steps.current is None
    steps.end_step("facts", 0.2)
    steps.begin_step("criteria")
    assert steps.state["criteria"] == "running" and steps.current == "criteria"
    lines = steps.render_steps().plain.splitlines()
    facts = next(line for line in lines if "Asking the model for facts" in line)
    assert "not asked" in facts and "–" in facts and "✓" not in facts
    assert sum("not asked of this model" in line for line in lines) == 1  # said once


def test_the_reflection_model_steps_name_every_model_call() -> None:
    from assistant.config import REFLECT_CALLS
    from tui.widgets.steps import REFLECT_MODEL_STEPS, REFLECT_STEPS

    assert list(REFLECT_MODEL_STEPS) == list(REFLECT_CALLS)
    assert set(REFLECT_MODEL_STEPS.values()) <= {node for node, _ in REFLECT_STEPS}


async def test_no_line_of_the_step_list_is_a_bare_dot_at_any_width() -> None:
    """The model line used to say "model M · no token streaming ...": wrapped at some widths
    (47-54 columns with the bundled model's name), a line began with that "·", which reads
    as a pending step with no name."""
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.geometry import Region

    from assistant.config import DEFAULT_LOCAL_MODEL
    from tui.widgets.steps import REFLECT_STEPS

    class One(App[None]):
        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield PrepSteps(lambda: 0.0, REFLECT_STEPS)

    labels = tuple(label[:8] for _, label in REFLECT_STEPS)
    app = One()
    async with app.run_test(size=(100, 40)) as pilot:
        steps = app.query_one(PrepSteps)
        steps.start("Reflecting on the call", DEFAULT_LOCAL_MODEL)
        for width in range(30, 80):
            app.query_one(VerticalScroll).styles.width = width
            await pilot.pause()
            strips = steps.render_lines(Region(0, 0, steps.size.width, steps.size.height))
            for strip in strips:
                text = "".join(segment.text for segment in strip).strip()
                if text.startswith("·"):
                    assert text[1:].strip().startswith(labels), (width, text)


async def test_with_the_embedded_model_the_reflection_steps_say_not_asked_from_the_start(
        make_app, make_huddle, monkeypatch) -> None:
    from textual.widgets import Select, TextArea

    from tests.fakes import FakeLLM
    from tests.integration.reflect_support import CALL, FACTS
    from tests.tui.conftest import SUMMIT_DRAFT, by_schema, ready, wait_for
    from tests.tui.test_flows import of
    from tui.messages import ReflectionProposed, ReflectStepStarted

    local = FakeLLM(default=by_schema(Draft=SUMMIT_DRAFT, FactsDraft=FACTS),
                    provider="huddle-local").install(monkeypatch)
    huddle = make_huddle(model=local.model)  # the bundled model's name: reflect.model_* auto
    plan = huddle.prepare(huddle.meeting(account="summit", kind="discovery",
                                         date="2026-11-20", sellers="Avery Cole"))
    messages: list = []
    app = make_app(huddle)
    async with app.run_test(size=(120, 40), message_hook=messages.append) as pilot:
        await ready(pilot)
        await pilot.press("r")
        screen = app.screen
        await wait_for(pilot, lambda: screen.plans, what="plans listed")
        screen.query_one("#r-plan", Select).value = plan.id
        screen.query_one("#r-notes", TextArea).text = CALL
        steps = screen.query_one(PrepSteps)
        seen: list[dict[str, str]] = []
        begin = steps.begin_step

        def begun(node: str) -> None:
            seen.append(dict(steps.state))  # as the list stood before this step began
            begin(node)

        steps.begin_step = begun  # type: ignore[method-assign]
        await pilot.press("ctrl+g")
        await wait_for(pilot, lambda: seen, what="first step")
        # before any step has run: the model's three steps are not pending
        assert {seen[0].get(n) for n in ("facts", "assess", "criteria")} == {"skipped"}
        await wait_for(pilot, lambda: of(messages, ReflectionProposed), 60, "proposal")
        ran = {m.node for m in of(messages, ReflectStepStarted)}
        assert {"facts", "assess", "criteria"} <= ran  # their nodes ran, code alone
        assert {steps.state[n] for n in ("facts", "assess", "criteria")} == {"skipped"}
        text = steps.render_steps().plain
        assert "not asked of this model" in text
        assert not [c for c in local.calls if (c.prompt_id or "").startswith("reflect_")]
