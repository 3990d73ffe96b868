"""The prep step list: a step the run will not take is shown as such, never as pending."""

from __future__ import annotations


def test_the_steps_show_a_skipped_draft_as_not_asked() -> None:
    from tui.widgets.steps import PrepSteps

    steps = PrepSteps(lambda: 0.0)
    steps.start("Drafting", "m")
    steps.skip("draft", "validate")
    lines = steps.render_steps().plain.splitlines()
    draft = next(line for line in lines if "Drafting with the model" in line)
    pending = next(line for line in lines if "Assembling the plan" in line)
    assert "not asked" in draft and "–" in draft
    assert "not asked" not in pending and "·" in pending
