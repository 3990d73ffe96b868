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
