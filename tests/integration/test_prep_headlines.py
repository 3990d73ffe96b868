"""``prep.model_headlines``: who writes a plan's objective, ask and fallback.

Under ``auto`` the bundled embedded model is not asked (its lines were replaced by code's 4
times in 5); any other model is. When it is not asked, code's headlines are the plan's: no
warning, no fallback, nothing pending, and the provenance says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.config import DEFAULT_LOCAL_MODEL, load_settings
from assistant.plan import Plan
from assistant.prep.progress import PENDING, PlanProgress, progress_markdown
from assistant.render import HEADLINES_BY_CODE, plan_markdown
from assistant.service import Huddle
from evals.metrics import replaced_rate
from tests.fakes import FakeLLM, ticking_clock
from tests.integration.test_prep import drafts, good_draft

BUYERS = "Dana Ruiz (CFO), Tom Becker (Head of Ops)"


def make(small_kb: Path, data: Path, fake: FakeLLM, mode: str | None = None) -> Huddle:
    s = load_settings(kb=small_kb, data_dir=data)
    s.llm.model = fake.model
    s.llm.cache = False
    if mode is not None:
        s.prep.model_headlines = mode  # type: ignore[assignment]
    return Huddle(s, clock=ticking_clock())


def prep(h: Huddle, on_progress: Any = None) -> Plan:
    meeting = h.meeting(account="acme", kind="discovery", date="2026-11-20",
                        sellers="Avery Cole", buyers=BUYERS)
    return h.prepare(meeting, on_progress=on_progress)


def headlines(plan: Plan) -> tuple[str, str, str]:
    o = plan.objective
    return o.statement.text, o.advance, o.fallback


@pytest.fixture
def local(monkeypatch: pytest.MonkeyPatch) -> FakeLLM:
    """The scripted model standing in for the bundled embedded one; a draft is scripted, so
    a test that should not ask for it fails if it does."""
    fake = FakeLLM([good_draft()], provider="huddle-local").install(monkeypatch)
    fake.standing = {"prep_criterion": {"status": "open"}}
    assert fake.model == DEFAULT_LOCAL_MODEL
    return fake


@pytest.fixture
def code_headlines(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                   ) -> tuple[str, str, str]:
    """Code's headlines for the meeting: what a plan carries when the model gives nothing."""
    fake = FakeLLM([], default="unavailable").install(monkeypatch)
    fake.standing = {"prep_criterion": {"status": "open"}}
    plan = prep(make(small_kb, tmp_path / "fallback", fake))
    assert "objective" in plan.provenance.fallback_sections  # the model really failed
    return headlines(plan)


def test_auto_does_not_ask_the_embedded_model_and_code_headlines_stand(
        small_kb: Path, tmp_path: Path, local: FakeLLM,
        code_headlines: tuple[str, str, str]) -> None:
    plan = prep(make(small_kb, tmp_path / "data", local))
    p = plan.provenance
    assert drafts(local) == []  # no draft call
    assert any((c.prompt_id or "").startswith("prep_criterion") for c in local.calls)
    assert headlines(plan) == code_headlines
    assert plan.objective.statement.origin == "code"
    # a decision, not a failure: no warning, no fallback, nothing offered or replaced
    assert p.headlines == "code"
    assert p.fallback_sections == [] and p.warnings == []
    assert p.offered == [] and p.replaced == []
    assert replaced_rate(p.offered, p.replaced) is None  # n/a, not 0
    assert "prep_draft" not in p.prompts and "prep_criterion" in p.prompts
    assert "draft" not in p.timings and "validate" not in p.timings
    text = plan_markdown(plan)
    assert HEADLINES_BY_CODE in text
    assert "without the model" not in text and "no usable" not in text


def test_the_footer_says_when_no_model_was_called(small_kb: Path, tmp_path: Path,
                                                  local: FakeLLM) -> None:
    plan = prep(make(small_kb, tmp_path / "data", local))
    assert "with `prep_criterion@" in plan_markdown(plan)  # the criterion question was asked
    # a meeting whose criteria the notes settle asks nothing (the demo's summit and cascade)
    none = plan.provenance.model_copy(update={"prompts": {}})
    text = plan_markdown(plan.model_copy(update={"provenance": none}))
    assert "with no model call; " in text and "with ;" not in text


@pytest.mark.parametrize("mode", ["always", None])
def test_the_model_is_asked_under_always_and_for_any_other_model(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        mode: str | None) -> None:
    if mode == "always":  # the embedded model, forced
        fake = FakeLLM([good_draft()], provider="huddle-local").install(monkeypatch)
    else:  # auto, a model that is not the bundled one
        fake = FakeLLM([good_draft()]).install(monkeypatch)
    plan = prep(make(small_kb, tmp_path / "data", fake, mode))
    assert len(drafts(fake)) == 1
    assert plan.provenance.headlines == "model"
    assert plan.objective.statement.text == good_draft()["objective"]
    assert plan.provenance.prompts["prep_draft"] == "5"
    assert HEADLINES_BY_CODE not in plan_markdown(plan)


def test_never_asks_no_model(small_kb: Path, tmp_path: Path,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeLLM([good_draft()]).install(monkeypatch)
    plan = prep(make(small_kb, tmp_path / "data", fake, "never"))
    assert drafts(fake) == [] and plan.provenance.headlines == "code"
    assert plan.provenance.warnings == [] and plan.provenance.fallback_sections == []


def test_progress_never_shows_the_headlines_pending_when_they_will_not_come(
        small_kb: Path, tmp_path: Path, local: FakeLLM) -> None:
    seen: list[PlanProgress] = []
    plan = prep(make(small_kb, tmp_path / "data", local), seen.append)
    first = seen[0]
    assert first.stage == "read_notes" and not first.final
    assert not {"objective", "advance", "fallback"} & set(first.pending)
    # the criterion the model judges is the only thing pending
    assert first.pending_criteria and first.missing().endswith("the model judges")
    assert first.plan.objective.statement.text.startswith("Move Acme")  # code's, at once
    # once the criteria are judged, code's headlines are the saved plan's: nothing to wait for
    assert seen[1].stage == "ask_criteria" and seen[1].pending == ()
    assert headlines(seen[1].plan) == headlines(plan)
    for partial in seen[:-1]:
        assert f"{PENDING}: the objective" not in progress_markdown(partial)
        assert f"**Advance (the ask):** *{PENDING}*" not in progress_markdown(partial)
    assert seen[-1].final and seen[-1].plan == plan


def test_huddle_prep_streams_code_headlines_first(
        small_kb: Path, tmp_path: Path, local: FakeLLM, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    monkeypatch.setenv("HUDDLE_KB", str(small_kb))
    monkeypatch.setenv("HUDDLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HUDDLE_MODEL", local.model)
    assert main(["prep", "--account", "acme", "--kind", "discovery", "--date", "2026-11-20",
                 "--sellers", "Avery Cole", "--buyers", BUYERS, "--progressive", "-q"]) == 0
    captured = capsys.readouterr()
    first = captured.out.split("*Filled in by the model", 1)[0]
    assert "## Objective" in first and f"{PENDING}: the objective" not in first
    assert "Filled in by the model: objective" not in captured.out
    assert HEADLINES_BY_CODE in captured.out
    assert "no usable answer" not in captured.err
    assert drafts(local) == []
