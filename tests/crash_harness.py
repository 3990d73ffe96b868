"""Kill a real process at each crash point of a reflection's writes and of a prep, recover,
and count what was stuck, lost or doubled. Used by tests/integration/test_crash_points.py
(a few trials per point) and benchmarks/crash.py (20 trials per point).

A trial: set up a KB and a data directory, run ``tests/crash_driver.py`` in a child
process with ``HUDDLE_FAULT_AT=<point>:<n>`` (``knowledge.faults``: the child ends with
``os._exit`` there, as ``kill -9`` would), then recover in this process the way a user
would (``reflections.resume(id)`` / running the prep again) and check the result against
what one clean run writes. No real model: the fake LLM and fake embeddings from
tests/fakes.py, in the child and here.
"""

from __future__ import annotations

import collections
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from knowledge.faults import ENV, FAULT_EXIT
from tests.conftest import DATA, ROOT
from tests.fakes import FakeLLM, install_fake_embeddings
from tests.integration.reflect_support import (
    CALL2,
    CRITERION,
    FACTS2,
    GOOD_DRAFT,
    make_huddle,
)

MEETING = {"account": "acme", "kind": "discovery", "date": "2026-11-20",
           "sellers": "Avery Cole", "buyers": "Dana Ruiz (CFO)"}


@dataclass
class Case:
    root: Path
    kb: Path
    data: Path
    run_id: str = ""
    plans_before: int = 0


@dataclass
class Tally:
    """Per crash point: trials, and how many ended stuck, lost something or doubled it."""

    trials: collections.Counter[str] = field(default_factory=collections.Counter)
    stuck: collections.Counter[str] = field(default_factory=collections.Counter)
    lost: collections.Counter[str] = field(default_factory=collections.Counter)
    doubled: collections.Counter[str] = field(default_factory=collections.Counter)
    not_killed: collections.Counter[str] = field(default_factory=collections.Counter)
    problems: list[str] = field(default_factory=list)

    def add(self, point: str, killed: bool, problems: dict[str, list[str]]) -> None:
        self.trials[point] += 1
        if not killed:
            self.not_killed[point] += 1
        for kind in ("stuck", "lost", "doubled"):
            if problems.get(kind):
                getattr(self, kind)[point] += 1
                self.problems += [f"{point}: {kind}: {p}" for p in problems[kind]]

    def totals(self) -> dict[str, int]:
        return {k: sum(getattr(self, k).values())
                for k in ("trials", "stuck", "lost", "doubled", "not_killed")}


# ---- the child --------------------------------------------------------------------------


def run_driver(mode: str, case: Case, fault: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUDDLE_")}
    env["HUDDLE_CONFIG"] = str(case.root / "no-config.toml")
    env["HF_HUB_OFFLINE"] = "1"
    if fault:
        env[ENV] = fault
    return subprocess.run(
        [sys.executable, "-m", "tests.crash_driver", mode, str(case.kb), str(case.data),
         case.run_id], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def crash_points(mode: str, case: Case) -> list[str]:
    """Every ``point:n`` a clean run of ``mode`` passes (from ``HUDDLE_FAULT_AT=list``)."""
    proc = run_driver(mode, case, "list")
    if proc.returncode != 0:
        raise RuntimeError(f"the clean {mode} run failed:\n{proc.stderr[-3000:]}")
    seen: collections.Counter[str] = collections.Counter()
    points = []
    for line in proc.stderr.splitlines():
        if line.startswith("crash point: "):
            name = line.removeprefix("crash point: ")
            seen[name] += 1
            points.append(f"{name}:{seen[name]}")
    return points


# ---- set-up -------------------------------------------------------------------------------


def _huddle(case: Case, fake: FakeLLM) -> Any:
    return make_huddle(case.kb, case.data, fake)


def new_case(root: Path) -> Case:
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    kb = root / "kb"
    shutil.copytree(DATA / "kb_small", kb)
    return Case(root=root, kb=kb, data=root / "data")


def reflect_case(root: Path, mp: pytest.MonkeyPatch) -> Case:
    """A reflection waiting at the human checkpoint, the store ingested."""
    case = new_case(root)
    install_fake_embeddings(mp)
    fake = FakeLLM([FACTS2, CRITERION]).install(mp)
    h = _huddle(case, fake)
    h.ensure_ingested()
    call = root / "call.txt"
    call.write_text(CALL2, encoding="utf-8")
    run = h.reflections.start(notes=call, account="acme", kind="discovery",
                              date="2026-11-20", sellers="Avery Cole")
    assert run.status == "awaiting_review", run.status
    case.run_id = run.run_id
    return case


def prep_case(root: Path, mp: pytest.MonkeyPatch) -> Case:
    """An ingested KB with one plan already saved (a second plan must not disturb it)."""
    case = new_case(root)
    install_fake_embeddings(mp)
    fake = FakeLLM([], default=GOOD_DRAFT).install(mp)
    h = _huddle(case, fake)
    h.prepare(h.meeting(**MEETING))
    case.plans_before = 1
    return case


# ---- recovery and checks ---------------------------------------------------------------


def _store_problems(case: Case, h: Any) -> dict[str, list[str]]:
    """The index against the KB: every chunk once, nothing missing, nothing extra."""
    from knowledge.chunking import kb_documents
    from knowledge.store import Store

    out: dict[str, list[str]] = {"lost": [], "doubled": []}
    expected = sorted(c.id for _, chunks in kb_documents(h.reload_kb()).values()
                      for c in chunks)
    with Store(case.data) as store:
        with store.db() as db:
            have = [r[0] for r in db.execute("SELECT chunk_id FROM chunks")]
            fts = db.execute("SELECT COUNT(*) FROM chunks_fts").fetchone()[0]
        vectors = store.vector_count()
    if len(have) != len(set(have)) or fts > len(expected) or vectors > len(expected):
        out["doubled"].append(f"{len(have)} chunk rows, {fts} FTS rows, {vectors} vectors "
                              f"for {len(expected)} chunks")
    missing = set(expected) - set(have)
    if missing or fts < len(expected) or vectors < len(expected):
        out["lost"].append(f"{len(missing)} chunk(s) missing, {fts} FTS rows, {vectors} "
                           f"vectors for {len(expected)} chunks")
    return out


def recover_reflection(case: Case) -> dict[str, list[str]]:
    """Resume in this process, then count stuck / lost / doubled."""
    mp = pytest.MonkeyPatch()
    try:
        install_fake_embeddings(mp)
        fake = FakeLLM([]).install(mp)  # a resume never calls the model
        h = _huddle(case, fake)
        problems: dict[str, list[str]] = {"stuck": [], "lost": [], "doubled": []}
        try:
            run = h.reflections.resume(case.run_id)
        except Exception as exc:  # noqa: BLE001 - a failed resume is a finding
            problems["stuck"].append(f"resume failed: {type(exc).__name__}: {exc}")
            return problems
        if run.status != "applied":
            problems["stuck"].append(f"status {run.status} after resume")
        if fake.calls:
            problems["doubled"].append(f"{len(fake.calls)} model call(s) on resume")
        notes = case.kb / "accounts/acme/notes"
        mine = [p.name for p in notes.iterdir() if case.run_id in p.name]
        if mine != [f"reflection-{case.run_id}.md"]:
            (problems["lost"] if not mine else problems["doubled"]).append(
                f"note files {mine}")
        else:
            text = (notes / mine[0]).read_text(encoding="utf-8")
            n = text.count("Budget: $65k for the pilot")
            if n != 1:
                (problems["lost"] if n == 0 else problems["doubled"]).append(
                    f"the budget fact is in the note {n} times")
        account = (case.kb / "accounts/acme/account.yaml").read_text(encoding="utf-8")
        if account.count("\nstage:") + account.startswith("stage:") != 1:
            problems["doubled"].append("account.yaml has more than one stage line")
        if "stage: Solution" not in account:
            problems["lost"].append("the stage edit is missing")
        keys = sorted(s.key for s in h.ledger.signals())
        want = [f"reflection:{case.run_id}:i1", f"reflection:{case.run_id}:i2"]
        if keys != want:
            (problems["doubled"] if len(keys) > len(want) else problems["lost"]).append(
                f"ledger signals {keys}")
        writes = set(h.reflections.get(case.run_id).writes)
        if writes != {"note", "account", "ledger:i1", "ledger:i2", "reingest"}:
            problems["stuck"].append(f"write log {sorted(writes)}")
        for kind, found in _store_problems(case, h).items():
            problems[kind] += found
        return problems
    finally:
        mp.undo()


def recover_prep(case: Case, killed: bool) -> dict[str, list[str]]:
    """Every saved plan is whole; running the prep again saves exactly one more."""
    mp = pytest.MonkeyPatch()
    try:
        install_fake_embeddings(mp)
        fake = FakeLLM([], default=GOOD_DRAFT).install(mp)
        h = _huddle(case, fake)
        problems: dict[str, list[str]] = {"stuck": [], "lost": [], "doubled": []}
        with sqlite3.connect(case.data / "huddle.db") as db:
            rows = db.execute("SELECT id, root_id, version FROM plans").fetchall()
        after_kill = len(rows)
        for plan_id, *_ in rows:
            try:
                h.records.get_plan(plan_id)
            except Exception as exc:  # noqa: BLE001
                problems["lost"].append(f"plan {plan_id} unreadable: {exc}")
        if not case.plans_before <= after_kill <= case.plans_before + 1:
            problems["doubled" if after_kill > case.plans_before else "lost"].append(
                f"{after_kill} plans after the kill (had {case.plans_before})")
        if not killed and after_kill != case.plans_before + 1:
            problems["lost"].append("a run that was not killed saved no plan")
        try:
            plan = h.prepare(h.meeting(**MEETING))
        except Exception as exc:  # noqa: BLE001
            problems["stuck"].append(f"prep again failed: {type(exc).__name__}: {exc}")
            return problems
        with sqlite3.connect(case.data / "huddle.db") as db:
            rows = db.execute("SELECT id, root_id, version FROM plans").fetchall()
        if len(rows) != after_kill + 1:
            problems["doubled"].append(f"prep again: {after_kill} -> {len(rows)} plans")
        versions = collections.Counter((root, v) for _, root, v in rows)
        if any(n > 1 for n in versions.values()):
            problems["doubled"].append(f"plan versions repeated: {versions}")
        if plan.version != 1 or h.records.get_plan(plan.id).id != plan.id:
            problems["lost"].append(f"the new plan {plan.id} did not load back")
        return problems
    finally:
        mp.undo()


def make_case(mode: str, root: Path) -> Case:
    mp = pytest.MonkeyPatch()
    try:
        return (reflect_case if mode == "reflect" else prep_case)(root, mp)
    finally:
        mp.undo()


def copy_case(template: Case, root: Path) -> Case:
    """A private copy of a set-up case (cheaper than setting up again)."""
    from knowledge.store import Store

    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(template.root, root)
    case = Case(root=root, kb=root / "kb", data=root / "data", run_id=template.run_id,
                plans_before=template.plans_before)
    with Store(case.data) as store:  # the index names the KB it was built from
        store.set_meta({"kb_root": str(case.kb.resolve())})
    return case


def trial(mode: str, point: str, template: Case, root: Path) -> tuple[bool, dict[str, list[str]]]:
    """One kill at ``point`` on a copy of ``template``, and the recovery."""
    case = copy_case(template, root)
    proc = run_driver(mode, case, point)
    if proc.returncode not in (0, FAULT_EXIT):
        return False, {"stuck": [f"the child failed ({proc.returncode}): "
                                 f"{proc.stderr[-1500:]}"]}
    killed = proc.returncode == FAULT_EXIT
    if mode == "reflect":
        return killed, recover_reflection(case)
    return killed, recover_prep(case, killed)


def run_all(modes: list[str], trials: int, root: Path, *, only: list[str] | None = None,
            report: Any = None) -> Tally:
    """``trials`` kills at every crash point of each mode (or the points in ``only``);
    ``report(line)`` gets one line per point."""
    tally = Tally()
    for mode in modes:
        template = make_case(mode, root / f"{mode}-template")
        points = crash_points(mode, copy_case(template, root / f"{mode}-probe"))
        for point in points:
            if only is not None and point not in only:
                continue
            key = f"{mode} {point}"
            for i in range(trials):
                # a fresh folder each time: chromadb caches clients by path in this process
                where = root / f"{mode}-{point.replace(':', '-')}-{i}"
                killed, problems = trial(mode, point, template, where)
                tally.add(key, killed, problems)
            if report:
                report(f"{key:<34} trials {tally.trials[key]:>3}  stuck {tally.stuck[key]}  "
                       f"lost {tally.lost[key]}  doubled {tally.doubled[key]}  "
                       f"not killed {tally.not_killed[key]}")
    return tally


def as_json(tally: Tally) -> str:
    return json.dumps({"totals": tally.totals(), "problems": tally.problems[:50]}, indent=2)
