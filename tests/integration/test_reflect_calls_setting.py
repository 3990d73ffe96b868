"""``reflect.model_facts`` / ``model_assess`` / ``model_criteria``: which of a reflection's
model calls are made.

Under ``auto`` the bundled embedded model is asked none of them (on unseen8 and unseen9 its
answers added nothing right that code lacked); any other model is asked all three. A call the
settings leave out is not a fallback: no warning, nothing pending, the provenance's
``skipped`` names it, the footer says so, and the reflection is the one a model answering
nothing would have given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.config import DEFAULT_LOCAL_MODEL
from assistant.reflect.models import Reflection
from assistant.reflect.progress import PENDING, ReflectionProgress, progress_markdown
from assistant.reflect.render import reflection_markdown
from assistant.service import Huddle
from tests.fakes import FakeLLM
from tests.integration.reflect_support import CRITERION, FACTS, answer, make_huddle, write_call

EMPTY_FACTS = {"stakeholders": [], "facts": [], "icp": []}


def reflect(h: Huddle, tmp_path: Path, **kwargs: Any) -> Reflection:
    run = h.reflections.start(notes=write_call(tmp_path), account="acme", kind="discovery",
                              date="2026-11-20", sellers="Avery Cole", **kwargs)
    assert run.status == "awaiting_review" and run.reflection is not None
    return run.reflection


def huddle(small_kb: Path, tmp_path: Path, fake: FakeLLM, **modes: str) -> Huddle:
    h = make_huddle(small_kb, tmp_path / "data", fake)
    for key, mode in modes.items():
        setattr(h.settings.reflect, key, mode)
    return h


def seen(r: Reflection) -> dict[str, Any]:
    """What the rep reads and decides on, without provenance and ids of the run."""
    return {
        "objective": r.objective.model_dump(mode="json"),
        "facts": [(f.field, f.value, f.status, f.source) for f in r.facts],
        "stakeholders": [(s.name, s.title, s.stance) for s in r.stakeholders],
        "icp": [(e.attribute, e.value, e.signal) for e in r.icp_evidence],
        "stage": (r.stage.before, r.stage.after),
        "criteria": [(c.text, c.status, c.decided_by) for c in r.stage.criteria],
        "next_steps": [(n.action, n.owner) for n in r.next_steps],
    }


def test_the_bundled_model_is_asked_nothing_by_default(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeLLM([answer(FACTS), answer(CRITERION)], provider="huddle-local")
    fake.install(monkeypatch)
    assert fake.model == DEFAULT_LOCAL_MODEL
    h = huddle(small_kb, tmp_path, fake)
    got: list[ReflectionProgress] = []
    r = reflect(h, tmp_path, on_progress=got.append)
    assert fake.calls == [] and fake.remaining == 2  # no call at all
    p = r.provenance
    assert p.skipped == ["facts", "assessment", "criteria"]
    assert p.prompts == {} and p.usage.calls == 0
    assert p.fallback == [] and not any("model" in w for w in p.warnings), p.warnings
    assert any("RouteIQ" in f.value for f in r.facts)  # code's reading stands
    assert all(f.source != "model" for f in r.facts)
    assert not [g for g in got if g.pending]  # nothing shown as waiting for the model
    first = progress_markdown(got[0])
    assert "this model is not asked, by setting" in first and PENDING not in first
    text = reflection_markdown(r)
    assert "no model call; code read all" in text
    assert "Not asked of this model, by setting" in text and "`reflect.model_facts`" in text
    # with no model asked, what the checks removed was code's own proposal, not a model's
    r.provenance.dropped = ["exit criterion 4: quote not in the transcript: 'Good.'"]
    footer = reflection_markdown(r)
    assert "Checks removed 1 item(s) from what code proposed:" in footer
    assert "model's answer" not in footer


def test_skipping_gives_the_reflection_a_silent_model_gives(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    skipped = reflect(huddle(small_kb, tmp_path / "a", FakeLLM(provider="huddle-local")
                             .install(monkeypatch)), tmp_path / "a")
    silent = FakeLLM([answer(EMPTY_FACTS), {"answer": "unknown", "turn": "t3"}])
    silent.install(monkeypatch)
    asked = reflect(huddle(small_kb, tmp_path / "b", silent), tmp_path / "b")
    assert len(silent.calls) == 2 and asked.provenance.skipped == []
    assert seen(skipped) == seen(asked)


@pytest.mark.parametrize("mode", ["always", None])
def test_always_or_another_model_asks_as_before(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str | None
) -> None:
    provider = "huddle-local" if mode else "fake"
    fake = FakeLLM([answer(FACTS), answer(CRITERION)], provider=provider).install(monkeypatch)
    modes = {"model_facts": mode, "model_assess": mode, "model_criteria": mode} if mode else {}
    r = reflect(huddle(small_kb, tmp_path, fake, **modes), tmp_path)
    assert [c.prompt_id.split("@")[0] for c in fake.calls if c.prompt_id] == [
        "reflect_facts", "reflect_criterion"]
    assert r.provenance.skipped == [] and r.provenance.usage.calls == 2
    assert set(r.provenance.prompts) == {"reflect_facts", "reflect_assess", "reflect_criterion"}
    assert "Maria Chen" in {s.name for s in r.stakeholders}  # the model's stakeholder
    assert "Not asked of this model" not in reflection_markdown(r)
    r.provenance.dropped = ["a quote not in the transcript"]
    assert "Checks removed 1 item(s) from the model's answer:" in reflection_markdown(r)


def test_one_call_off_by_setting(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeLLM([answer(FACTS)]).install(monkeypatch)
    r = reflect(huddle(small_kb, tmp_path, fake, model_criteria="never"), tmp_path)
    assert [c.prompt_id.split("@")[0] for c in fake.calls if c.prompt_id] == ["reflect_facts"]
    assert r.provenance.skipped == ["criteria"]
    assert set(r.provenance.prompts) == {"reflect_facts", "reflect_assess"}
    assert [c.status for c in r.stage.criteria] == ["unknown"]
    text = reflection_markdown(r)
    assert "1 call(s)" in text and "`reflect.model_criteria`" in text
    assert "`reflect.model_facts`" not in text
