"""The progressive reflection: what code reads off the call before any model answer, then the
model's parts one answer at a time, and the proposal the same as without progress."""

from __future__ import annotations

import copy
import itertools
import json
import threading
from pathlib import Path
from typing import Any

import pytest

from assistant.reflect.models import Reflection
from assistant.reflect.progress import PENDING, ReflectionProgress, progress_markdown
from assistant.service import Huddle
from tests.fakes import FakeLLM
from tests.integration.reflect_support import (
    ASSESS,
    CALL,
    CRITERION,
    FACTS,
    GOOD_DRAFT,
    make_huddle,
    write_call,
)
from tests.integration.test_prep_progress import Gate
from tests.tui.conftest import by_schema

SCRIPT = [FACTS, CRITERION]
"""No plan, and code reads Dana's yes to the ask: the assessment has nothing to ask (no
planned item, no objective left open), so the model is asked the facts and the criterion."""


@pytest.fixture(autouse=True)
def _pinned_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run ids are the same on every run, so two runs can be compared."""
    import assistant.reflect.service

    counter = itertools.count(1)
    monkeypatch.setattr(assistant.reflect.service, "secrets", type("S", (), {
        "token_hex": staticmethod(lambda n=3: f"{next(counter):0{2 * n}x}")}))


def huddle(small_kb: Path, data: Path, monkeypatch: pytest.MonkeyPatch,
           script: list[Any], default: Any = None) -> tuple[Huddle, FakeLLM]:
    fake = FakeLLM([copy.deepcopy(x) if isinstance(x, dict) else x for x in script],
                   default=default).install(monkeypatch)
    return make_huddle(small_kb, data, fake), fake


def start(h: Huddle, tmp_path: Path, text: str = CALL, **kwargs: Any) -> Any:
    return h.reflections.start(notes=write_call(tmp_path, text), account="acme",
                               kind="discovery", date="2026-11-20", sellers="Avery Cole",
                               **kwargs)


def comparable(r: Reflection) -> dict[str, Any]:
    out = r.model_dump(mode="json")
    out["provenance"].pop("timings")
    out["provenance"]["usage"].pop("model_seconds")
    return out


def nothing_written(small_kb: Path, h: Huddle) -> None:
    assert not list((small_kb / "accounts/acme/notes").glob("reflection-*"))
    assert h.ledger.signals() == []


def test_the_code_part_comes_before_any_model_answer(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = Gate()
    h, _ = huddle(small_kb, tmp_path / "data", monkeypatch,
                  [gate.answer(copy.deepcopy(x)) for x in SCRIPT])
    account = (small_kb / "accounts/acme/account.yaml").read_text()
    got: list[ReflectionProgress] = []
    first = threading.Event()

    def on_progress(p: ReflectionProgress) -> None:
        got.append(p)
        first.set()

    result: list[Any] = []
    worker = threading.Thread(target=lambda: result.append(start(h, tmp_path,
                                                                 on_progress=on_progress)))
    worker.start()
    try:
        assert first.wait(120), "no partial reflection arrived"
        assert gate.finished == 0  # the model is held: nothing it says is in yet
        partial = got[0]
        assert not partial.final and partial.stage == "extract" and partial.turns == 10
        # no plan and the objective read by code: no assessment call, nothing of it pending
        assert partial.pending == ("facts", "criterion: pain confirmed", "stage")
        assert partial.pending_criteria == (0,) and partial.pending_items == ()
        r = partial.reflection
        # what code decides is there: the verdict, its facts, the next step, the people
        assert r.objective.status == "met" and r.objective.decided_by == "code"
        assert "objective" not in partial.pending  # code decided it: not the model's
        assert [n.action for n in r.next_steps] == ["Send the pilot outline by Friday."]
        assert any(f.field == "budget" and "$65k" in f.value for f in r.facts)
        assert {s.name for s in r.stakeholders} >= {"Dana Ruiz", "Maria Chen"}
        # what worked is code's, shown at once and never pending: the customer's yes, by name
        assert r.worked == ['Dana agreed to book a scoping workshop next Tuesday: "Yes, '
                            'Tuesday works."']
        assert r.lesson is None and r.icp_evidence == []
        text = progress_markdown(partial)
        assert text.startswith("> **Reflecting.**") and "Not saved yet" in text
        assert '- worked: Dana agreed to book a scoping workshop' in text
        assert "- lesson: unknown" in text and f"lesson: **{PENDING}**" not in text
        assert "what worked" not in partial.missing()
        assert f"- [c1] **{PENDING}**: " in text
        assert "1 exit criterion the model judges" in partial.missing()
        items = {i.id: i.summary for i in partial.items}
        assert items["c1"].endswith(f"— {PENDING}") and PENDING in items["stage"]
        # nothing proposed, nothing written while the model works
        row = h.reflections.store.get(r.run_id)
        assert row["status"] == "running" and not row["body"]
        nothing_written(small_kb, h)
    finally:
        gate.release.set()
        worker.join(120)
    run = result[0]
    # the assess node asked nothing, so it changed nothing: no partial reflection after it
    assert [p.stage for p in got] == ["extract", "facts", "criteria", "propose"]
    # each answer takes its part off the pending list, in the graph's order
    assert [p.pending for p in got[1:]] == [("criterion: pain confirmed", "stage"), (), ()]
    # what worked is code's line from the first partial reflection to the proposal
    assert got[1].reflection.icp_evidence and got[1].reflection.worked[0].startswith("Dana agreed")
    assert all(p.reflection.worked == r.worked and p.reflection.lesson is None for p in got)
    assert got[2].reflection.stage.after == "Solution"
    final = got[-1]
    assert final.final and final.reflection == run.reflection
    assert progress_markdown(final) == progress_markdown(final, stopped="cancelled")
    assert run.awaiting_review and PENDING not in str([i.summary for i in run.items])
    assert (small_kb / "accounts/acme/account.yaml").read_text() == account
    nothing_written(small_kb, h)  # still: the rep confirms first


def test_the_proposal_is_the_same_with_or_without_progress(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runs = []
    for i, progressive in enumerate((False, True)):
        monkeypatch.setattr("assistant.reflect.service.secrets", type("S", (), {
            "token_hex": staticmethod(lambda n=3: "abcdef")}))
        h, fake = huddle(small_kb, tmp_path / f"data{i}", monkeypatch, SCRIPT)
        seen: list[ReflectionProgress] = []
        runs.append(start(h, tmp_path, on_progress=seen.append if progressive else None))
        assert fake.remaining == 0
        assert bool(seen) == progressive
        stored = h.reflections.get(runs[-1].run_id)
        assert stored.reflection == runs[-1].reflection
    assert comparable(runs[0].reflection) == comparable(runs[1].reflection)
    assert [i.model_dump() for i in runs[0].items] == [i.model_dump() for i in runs[1].items]


class Stop(Exception):
    pass


def test_a_run_stopped_after_the_code_part_writes_nothing_and_can_be_resumed(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What Escape does in the app: the next step raises; nothing is proposed or written, and
    the checkpoint still finishes the run later (``huddle reflect resume``)."""
    h, fake = huddle(small_kb, tmp_path / "data", monkeypatch, SCRIPT)
    got: list[ReflectionProgress] = []

    def on_event(kind: str, data: dict[str, Any]) -> None:
        if kind == "node_started" and got:
            raise Stop()

    with pytest.raises(Stop):
        start(h, tmp_path, on_event=on_event, on_progress=got.append)
    assert [p.stage for p in got] == ["extract"] and not fake.calls
    stopped = progress_markdown(got[0], stopped="cancelled")
    assert "Reflection cancelled: incomplete; nothing was proposed or written" in stopped
    assert "Missing: the stakeholders, facts and ICP evidence the model reads" in stopped
    (row,) = h.reflections.list()
    assert row["status"] == "running"
    assert not h.reflections.store.get(row["run_id"])["body"]
    nothing_written(small_kb, h)
    run = h.reflections.resume(row["run_id"])  # from the checkpoint after extract
    assert run.awaiting_review and len(fake.calls) == 2  # facts, criterion: nothing to assess
    assert run.reflection is not None and run.reflection.stage.after == "Solution"
    nothing_written(small_kb, h)


def test_with_a_plan_only_the_items_the_assessment_checks_are_pending(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    h, fake = huddle(small_kb, tmp_path / "data", monkeypatch,
                     [GOOD_DRAFT, FACTS, ASSESS, CRITERION])
    plan = h.prepare(h.meeting(account="acme", kind="discovery", date="2026-11-20",
                               sellers="Avery Cole",
                               buyers="Dana Ruiz (CFO), Tom Becker (Head of Ops)"))
    got: list[ReflectionProgress] = []
    run = h.reflections.start(plan_id=plan.id, notes=write_call(tmp_path),
                              on_progress=got.append)
    assert [(c.prompt_id or "").split("@")[0] for c in fake.calls][-3:] == [
        "reflect_facts", "reflect_assess", "reflect_criterion"]
    assert [p.stage for p in got] == ["extract", "facts", "assess", "criteria", "propose"]
    first = got[0]
    keys = ([f"A{i}" for i in range(1, min(5, len(plan.agenda)) + 1)]
            + [f"Q{i}" for i in range(1, min(4, len(plan.questions)) + 1)]
            + [f"R{i}" for i in range(1, min(4, len(plan.roles)) + 1)])
    assert first.pending[:2] == ("facts", "assessment") and "objective" not in first.pending
    assert first.pending_items == tuple(keys)
    assert "the plan items' checks" in first.missing() and "worked" not in first.missing()
    text = progress_markdown(first)
    section = text.split("## Against the plan", 1)[1].split("\n## ", 1)[0]
    marked = [line for line in section.splitlines() if PENDING in line]
    unknown = [c for c in first.reflection.agenda + first.reflection.questions
               + first.reflection.roles if c.status == "unknown"]
    assert len(marked) == len(unknown) > 0 and all(line.startswith("- … ") for line in marked)
    # code's own lines are there at once: what worked, and the role code found played
    assert first.reflection.roles[0].status == "done" and "✓" in section
    assert "- worked: " in text and f"worked: **{PENDING}**" not in text
    # the assessment's answer takes the items off the list and fills Q1 in
    after = got[2]
    assert after.pending_items == () and "assessment" not in after.pending
    assert after.reflection.questions[0].status == "done"
    assert PENDING not in progress_markdown(after).split("## Against the plan", 1)[1].split(
        "\n## ", 1)[0]
    assert got[-1].reflection == run.reflection


def test_a_transcript_without_content_has_nothing_pending(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    h, fake = huddle(small_kb, tmp_path / "data", monkeypatch, [])
    got: list[ReflectionProgress] = []
    run = start(h, tmp_path, "Avery Cole: Hello?\nDana Ruiz: Bye.\n", on_progress=got.append)
    assert not fake.calls
    assert [p.stage for p in got] == ["extract", "propose"]  # model nodes that ask nothing
    assert got[0].pending == () and got[0].missing() == "nothing"
    assert got[-1].reflection == run.reflection


def test_a_failed_model_still_ends_in_the_proposal(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    h, _ = huddle(small_kb, tmp_path / "data", monkeypatch, [], default="unavailable")
    got: list[ReflectionProgress] = []
    run = start(h, tmp_path, on_progress=got.append)
    assert got[-1].final and got[-1].reflection == run.reflection
    assert not got[-2].pending and "facts" in run.reflection.provenance.fallback


# ---- huddle reflect --------------------------------------------------------------------


REFLECT = ["reflect", "--account", "acme", "--kind", "discovery", "--date", "2026-11-20",
           "--sellers", "Avery Cole"]


@pytest.fixture
def cli(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    fake = FakeLLM(default=by_schema(FactsDraft=FACTS, AssessDraft=ASSESS,
                                     CriterionAnswer=CRITERION)).install(monkeypatch)
    monkeypatch.setenv("HUDDLE_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("HUDDLE_KB", str(small_kb))
    monkeypatch.setenv("HUDDLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HUDDLE_MODEL", fake.model)
    return [*REFLECT, "--notes", str(write_call(tmp_path))]


def test_reflect_prints_the_code_part_first_then_the_models_sections(
        cli: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    assert main([*cli, "--progressive", "-q"]) == 0
    out = capsys.readouterr().out
    first, _, rest = out.partition("*Filled in by the model")
    for heading in ("## Objective", "## What we learned", "## Stage", "## Next steps"):
        assert heading in first
    assert "Send the pilot outline by Friday" in first and "Not saved yet" in first
    assert "- lesson: unknown" in first and f"lesson: **{PENDING}**" not in first
    assert f"- [c1] **{PENDING}**" in first
    # facts and criterion: no plan and the objective read by code, so no assessment
    assert out.count("*Filled in by the model") == 2
    assert ASSESS["lesson"] not in out and "Discovery → **Solution**" in rest
    assert rest.count("## Next steps") == 0  # unchanged sections are not printed again
    # then the proposal, as without --progressive
    assert "Proposed (nothing is written until you decide):" in rest
    assert "waiting for your decisions" not in out  # that goes to stderr


def test_reflect_without_a_terminal_and_json_are_unchanged(
        cli: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    assert main([*cli, "-q"]) == 0  # stdout is not a terminal here
    out = capsys.readouterr().out
    assert out.startswith("# Reflection: Acme Corp") and PENDING not in out
    assert "Filled in by the model" not in out
    assert main([*cli, "--json", "--progressive", "-q"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["status"] == "awaiting_review"
    assert body["reflection"]["worked"][0].startswith("Dana agreed to book a scoping workshop")
    assert body["reflection"]["lesson"] is None and "Filled in" not in str(body)
