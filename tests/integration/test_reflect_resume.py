"""Kill the reflect workflow with SIGKILL and resume it from the SQLite checkpoint.

A child process runs the workflow; the test makes one step stall (by patching it inside the
child only), waits until the step has done part of its work, kills the child, and resumes
in this process. Whatever the step was, the note, the stage and the ledger rows end up
written exactly once.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.prompts import load_prompt
from knowledge.loader import load_kb
from tests.conftest import ROOT
from tests.fakes import FakeLLM
from tests.integration.reflect_support import (
    CALL2,
    CRITERION,
    DECISIONS,
    FACTS2,
    make_huddle,
    write_call,
)

CHILD = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    sys.path.insert(0, {root!r})
    kb, data, hang, marker, run_id, decisions = sys.argv[1:7]
    marker = Path(marker)

    def stall():
        marker.write_text("stalled")
        time.sleep(600)

    import assistant.reflect.writes as writes
    import knowledge.ledger as ledger

    if hang in ("note", "account"):
        real_write = writes.atomic_write
        def slow_write(path, text):
            real_write(path, text)
            if (path.name.startswith("reflection-") if hang == "note"
                    else path.name == "account.yaml"):
                stall()
        writes.atomic_write = slow_write
    elif hang == "ledger":
        real_signal = ledger.Ledger.record_signal
        def slow_signal(self, **kw):
            out = real_signal(self, **kw)
            stall()  # after the first ledger row, before the step finishes
            return out
        ledger.Ledger.record_signal = slow_signal

    from assistant.config import load_settings
    from assistant.service import Huddle
    h = Huddle(load_settings(kb=kb, data_dir=data))
    if hang == "model":
        import pytest
        from tests.fakes import FakeLLM
        def slow_answer(call):
            stall()
        fake = FakeLLM([json.loads(decisions), slow_answer]).install(pytest.MonkeyPatch())
        h.settings.llm.model = fake.model
        h.settings.llm.cache = False
        h.reflections.start(notes=run_id, account="acme", kind="discovery",
                            date="2026-11-20", sellers="Avery Cole")
    else:
        h.reflections.resume(run_id, json.loads(decisions))
    print("finished without stalling")
""")


def run_child(tmp_path: Path, kb: Path, data: Path, hang: str, arg: str,
              payload: Any) -> None:
    """Start the child, wait until it stalls, SIGKILL it."""
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(root=str(ROOT)))
    marker = tmp_path / f"stalled-{hang}"
    proc = subprocess.Popen(
        [sys.executable, str(script), str(kb), str(data), hang, str(marker), arg,
         json.dumps(payload)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            if proc.poll() is not None:
                out, err = proc.communicate()
                pytest.fail(f"the child ended before stalling:\n{out}\n{err[-3000:]}")
            if time.monotonic() > deadline:
                pytest.fail("the child did not reach the stalled step within 120 s")
            time.sleep(0.05)
    finally:
        proc.kill()  # SIGKILL: no cleanup, no finally blocks, no atexit in the child
        proc.wait(timeout=30)
    assert proc.returncode == -9


@pytest.fixture
def waiting(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A reflection stopped at the human checkpoint (started in this process)."""
    fake = FakeLLM([FACTS2, CRITERION]).install(monkeypatch)
    h = make_huddle(small_kb, tmp_path / "data", fake)
    run = h.reflections.start(notes=write_call(tmp_path, CALL2), account="acme",
                              kind="discovery", date="2026-11-20", sellers="Avery Cole")
    assert run.status == "awaiting_review"
    assert {i.id for i in run.items} >= set(DECISIONS)
    return h, run, fake


def assert_written_once(small_kb: Path, h: Any, run_id: str) -> None:
    notes_dir = small_kb / "accounts/acme/notes"
    assert [p.name for p in notes_dir.iterdir() if p.name.startswith(("reflection-", "."))] \
        == [f"reflection-{run_id}.md"]  # one note, no temp file left behind
    text = (notes_dir / f"reflection-{run_id}.md").read_text()
    assert text.count("Budget: $65k for the pilot") == 1
    kb = load_kb(small_kb)
    assert kb.accounts["acme"].stage == "Solution"
    assert (small_kb / "accounts/acme/account.yaml").read_text().count("stage:") == 1
    signals = h.ledger.signals()
    assert sorted(s.key for s in signals) == [f"reflection:{run_id}:i1",
                                              f"reflection:{run_id}:i2"]
    writes = h.reflections.get(run_id).writes
    assert set(writes) == {"note", "account", "ledger:i1", "ledger:i2", "reingest"}


@pytest.mark.parametrize("hang", ["note", "account", "ledger"])
def test_killed_while_writing_then_resumed_writes_everything_once(
        waiting, small_kb: Path, tmp_path: Path, hang: str) -> None:
    h, run, fake = waiting
    calls_before = len(fake.calls)
    run_child(tmp_path, small_kb, tmp_path / "data", hang, run.run_id, DECISIONS)

    # what the killed process left: decisions recorded, writes part-done
    after_kill = h.reflections.get(run.run_id)
    assert after_kill.status == "writing"
    assert after_kill.decisions["stage"] == {"action": "accept"}
    done_before = set(after_kill.writes)
    assert "reingest" not in done_before
    if hang == "ledger":
        assert len(h.ledger.signals()) == 1 and "note" in done_before
    if hang == "account":
        assert load_kb(small_kb).accounts["acme"].stage == "Solution"  # written, not logged
        assert "account" not in done_before

    # resume in this process: no decisions needed, the checkpoint has them
    resumed = h.reflections.resume(run.run_id)
    assert resumed.status == "applied"
    assert len(fake.calls) == calls_before  # no model call on resume
    assert_written_once(small_kb, h, run.run_id)
    assert resumed.writes["ledger:i1"] == ("already there" if hang == "ledger" else "added")

    # and again: nothing changes
    note = (small_kb / f"accounts/acme/notes/reflection-{run.run_id}.md").read_text()
    assert h.reflections.resume(run.run_id, DECISIONS).status == "applied"
    assert_written_once(small_kb, h, run.run_id)
    assert (small_kb / f"accounts/acme/notes/reflection-{run.run_id}.md").read_text() == note


def test_killed_during_a_model_call_resumes_from_the_last_checkpoint(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    notes = write_call(tmp_path, CALL2)
    # the child answers the facts call, then stalls in the criterion call (no plan, and code
    # reads the customer's yes: the assessment has nothing to ask and makes no call)
    run_child(tmp_path, small_kb, tmp_path / "data", "model", str(notes), FACTS2)
    fake = FakeLLM([CRITERION]).install(monkeypatch)
    h = make_huddle(small_kb, tmp_path / "data", fake)
    (row,) = h.reflections.list()
    assert row["status"] == "running"
    run = h.reflections.resume(row["run_id"])
    assert run.status == "awaiting_review"
    assert [c.prompt_id for c in fake.calls] == [  # facts kept
        load_prompt("reflect_criterion").id]
    r = run.reflection
    assert {e.attribute for e in r.icp_evidence} == {"employees", "industry"}
    assert r.objective.status == "met"
    done = h.reflections.resume(row["run_id"], DECISIONS)
    assert done.status == "applied"
    assert_written_once(small_kb, h, row["run_id"])
