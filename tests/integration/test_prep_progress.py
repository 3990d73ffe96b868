"""The progressive plan: the code-built plan before any model answer, then the model's parts,
and the saved plan the same as without progress."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from assistant.config import load_settings
from assistant.plan import Plan
from assistant.prep.progress import (
    PENDING,
    PlanProgress,
    changed_sections,
    progress_markdown,
    sections,
)
from assistant.service import Huddle
from tests.fakes import FakeLLM, ticking_clock
from tests.integration.test_prep import good_draft

BUYERS = "Dana Ruiz (CFO), Tom Becker (Head of Ops)"


class Gate:
    """Model answers that wait until released, counting the calls that finished."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started = threading.Event()
        self.finished = 0
        self.lock = threading.Lock()

    def answer(self, value: Any) -> Any:
        def call(_: Any) -> Any:
            self.started.set()
            assert self.release.wait(60), "the test never released the model"
            with self.lock:
                self.finished += 1
            return value
        return call


def make(small_kb: Path, data: Path, fake: FakeLLM) -> Huddle:
    s = load_settings(kb=small_kb, data_dir=data)
    s.llm.model = fake.model
    s.llm.cache = False
    return Huddle(s, clock=ticking_clock())


def prep(h: Huddle, on_progress: Any = None) -> Plan:
    meeting = h.meeting(account="acme", kind="discovery", date="2026-11-20",
                        sellers="Avery Cole", buyers=BUYERS)
    return h.prepare(meeting, plan_id="p-20261120-acme-fixed", on_progress=on_progress)


def comparable(plan: Plan) -> dict[str, Any]:
    out = plan.model_dump(mode="json")
    out["provenance"].pop("timings")
    out["provenance"]["usage"].pop("model_seconds")
    return out


@pytest.fixture
def criterion_open() -> dict[str, Any]:
    return {"status": "open"}


def test_the_code_built_plan_comes_before_any_model_answer(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        criterion_open: dict[str, Any]) -> None:
    gate = Gate()
    fake = FakeLLM([gate.answer(good_draft())]).install(monkeypatch)
    fake.standing = {"prep_criterion": gate.answer(criterion_open)}
    h = make(small_kb, tmp_path / "data", fake)
    got: list[PlanProgress] = []
    first = threading.Event()

    def on_progress(p: PlanProgress) -> None:
        got.append(p)
        first.set()

    result: list[Plan] = []
    worker = threading.Thread(target=lambda: result.append(prep(h, on_progress)))
    worker.start()
    try:
        assert first.wait(120), "no partial plan arrived"
        assert gate.finished == 0  # no model answer yet: the model is held
        partial = got[0]
        assert not partial.final and partial.stage == "read_notes"
        assert set(partial.pending) >= {"objective", "advance", "fallback"}
        p = partial.plan
        # everything code decides is there
        assert p.roles and p.agenda and p.checklist and p.context.situation and p.buyers
        assert sum(a.minutes for a in p.agenda) == 45
        assert p.objective.statement.text.startswith(f"*{PENDING}")
        text = progress_markdown(partial)
        assert "**Drafting.**" in text and "## Agenda" in text and "## Our team" in text
        assert "Not saved yet" in text and "status **drafting**" in text
        assert h.records.list_plans() == []  # nothing is saved before the end
    finally:
        gate.release.set()
        worker.join(120)
    plan = result[0]
    assert [g.stage for g in got] == ["read_notes", "ask_criteria", "save"]
    assert got[-1].final and got[-1].plan == plan and not got[-1].pending
    # the criteria answers came before the draft's, and filled the pending criteria
    asked = got[0].pending_criteria
    assert asked, "the fixture KB should leave a criterion for the model"
    after = got[1]
    assert not after.pending_criteria and "objective" in after.pending
    gap = {c.criterion: c for c in after.plan.exit_gap}
    assert all(gap[c].status == "open" and gap[c].decided_by == "model" for c in asked)
    assert f"**{PENDING}**: " in progress_markdown(got[0])
    assert f"**{PENDING}**: " not in progress_markdown(after)
    assert plan.objective.statement.text == good_draft()["objective"]


def test_the_saved_plan_is_the_same_with_or_without_progress(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        criterion_open: dict[str, Any]) -> None:
    plans = []
    for i, progressive in enumerate((False, True)):
        fake = FakeLLM([good_draft()]).install(monkeypatch)
        fake.standing = {"prep_criterion": criterion_open}
        h = make(small_kb, tmp_path / f"data{i}", fake)
        seen: list[PlanProgress] = []
        plans.append(prep(h, seen.append if progressive else None))
        assert h.records.get_plan(plans[-1].id) == plans[-1]
    assert comparable(plans[0]) == comparable(plans[1])
    assert "ask_criteria" in plans[1].provenance.timings


def test_a_failed_model_still_ends_in_the_saved_plan(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeLLM([], default="unavailable").install(monkeypatch)
    fake.standing = {"prep_criterion": "unavailable"}
    h = make(small_kb, tmp_path / "data", fake)
    seen: list[PlanProgress] = []
    plan = prep(h, seen.append)
    assert seen[-1].final and seen[-1].plan == plan
    assert "objective" in plan.provenance.fallback_sections


def test_changed_sections_prints_only_what_changed() -> None:
    before = "# T\n\nintro\n\n## A\n\n- one\n\n## B\n\n- two\n\n---\n\n*foot*\n"
    after = "# T\n\nintro2\n\n## A\n\n- one\n\n## B\n\n- three\n\n---\n\n*foot2*\n"
    assert [h for h, _ in sections(after)] == ["", "## A", "## B", "---"]
    out = changed_sections(before, after)
    assert out.startswith("## B") and "- three" in out and "*foot2*" in out
    assert "## A" not in out and "intro2" not in out


# ---- huddle prep -----------------------------------------------------------------------


PREP = ["prep", "--account", "acme", "--kind", "discovery", "--date", "2026-11-20",
        "--sellers", "Avery Cole", "--buyers", BUYERS]


@pytest.fixture
def cli(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeLLM:
    fake = FakeLLM([good_draft()], default=good_draft()).install(monkeypatch)
    fake.standing = {"prep_criterion": {"status": "open"}}
    monkeypatch.setenv("HUDDLE_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("HUDDLE_KB", str(small_kb))
    monkeypatch.setenv("HUDDLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HUDDLE_MODEL", fake.model)
    return fake


def test_prep_prints_the_code_built_plan_first_then_the_models_sections(
        cli: FakeLLM, capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    assert main([*PREP, "--progressive", "-q"]) == 0
    out = capsys.readouterr().out
    first, _, rest = out.partition("*Filled in by the model")
    # first: every code-built section, the model's parts pending, nothing saved yet
    for heading in ("## Customer context", "## Our team", "## Agenda", "## Risks",
                    "## Huddle checklist"):
        assert heading in first
    assert f"*{PENDING}: the objective*" in first and "Not saved yet" in first
    assert good_draft()["objective"] not in first
    # then the criteria the model judged, then the draft's sections and the provenance
    assert "exit criteri" in rest.split("\n", 1)[0]
    last = out.rsplit("*Filled in by the model", 1)[1]
    assert last.startswith(": objective, advance, fallback.*")
    assert good_draft()["objective"] in last and "*Drafted by `fake/scripted`" in last
    assert "## Agenda" not in last  # unchanged sections are not printed again
    assert out.count("*Filled in by the model") == 2


def test_prep_without_a_terminal_prints_the_plan_once_and_json_is_unchanged(
        cli: FakeLLM, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from cli.main import main

    assert main([*PREP, "-q"]) == 0  # stdout is not a terminal here
    out = capsys.readouterr().out
    assert "Filled in by the model" not in out and PENDING not in out
    assert out.startswith("# Acme")
    assert main([*PREP, "--json", "--progressive", "-q"]) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["objective"]["statement"]["text"] == good_draft()["objective"]
