"""How often code's objective verdict matches the scenarios' ``expect.objective``, no model.

    python -m evals.objective_check evals/scenarios [-v]

Reads each scenario's after-call notes the way the reflect workflow does (transcript parser,
quarantine), runs ``assistant.reflect.verdict.compose_objective`` without a model answer (with
the scenario's ``outcome`` when it gives one, as the runner does) and prints one line per
scenario and the total. It measures the part of the reflection that code decides, in a second,
so a change to the rules can be checked on scenarios it was not tuned on.

The ``stage`` column is the stage after the call as code decides it with no model answer
(``assistant.reflect.criteria``): the exit criteria the notes up to the call show met (the
plan's gap as code reads it, ``graph.prior_gap``; the scenario's ``kb_overlay`` applied), then the
call's plain words (``code_checks``: a clear yes, date, named signer, number, document seen or
refusal), every other criterion unknown; the call never moves the deal against a missed or
unknown objective unless the notes had already shown the stage done (``follow_objective``);
an outcome closes the deal (``assistant.reflect.outcomes.closing_stage``, as ``huddle
outcome`` does after the reflection). A second total line counts the scenarios with
``expect.stage_after`` whose stage matches; a stage only the model's criterion answers could
move shows as a miss here. ``-v`` lists each criterion of a stage miss: status, who decided
it (code, plan, none) and the line that shows it.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path
from typing import Any

from assistant.reflect.criteria import (
    code_checks,
    follow_objective,
    prior_checks,
    stage_after,
)
from assistant.reflect.extract import clean_turns
from assistant.reflect.graph import prior_gap
from assistant.reflect.models import CriterionCheck
from assistant.reflect.outcomes import closing_stage
from assistant.reflect.verdict import answers, call_signals, compose_objective
from assistant.transcripts import parse_transcript
from evals.runner import private_kb
from evals.scenario import Scenario, load_scenario
from knowledge.loader import load_kb
from knowledge.models import KnowledgeBase

DEMO = Path(__file__).resolve().parent.parent / "knowledge" / "demo"


def code_stage(kb: KnowledgeBase, account: str, objective: str, outcome: str | None,
               turns: list[dict[str, Any]] | None = None, day: dt.date | None = None,
               people: list[str] | None = None, show: bool = False,
               tainted: set[str] | None = None) -> str:
    """The stage after the call as code decides it, with no model answer for any criterion:
    the criteria the notes before the call show met (the plan's gap, code only), then the
    call's plain words (``criteria.code_checks``), never against a missed objective unless
    the notes had already shown the stage done."""
    stage, checks = stage_and_checks(kb, account, objective, outcome, turns, day, people,
                                     tainted)
    if show:
        _show(checks)
    return stage


def stage_and_checks(kb: KnowledgeBase, account: str, objective: str, outcome: str | None,
                     turns: list[dict[str, Any]] | None = None, day: dt.date | None = None,
                     people: list[str] | None = None, tainted: set[str] | None = None,
                     ) -> tuple[str, list[CriterionCheck]]:
    """:func:`code_stage` and the checks it decided on (none when the outcome closed it)."""
    acct = kb.account(account)
    if acct is None:
        raise SystemExit(f"unknown account {account!r} in {kb.root}")
    if outcome:
        closed = closing_stage(kb.process, outcome)
        if closed:
            return closed, []
    stage = kb.process.find(acct.stage)
    criteria = list(stage.exit_criteria) if stage else []
    team = [p.name for p in kb.team.people]
    gap = prior_gap(kb, account, None, criteria, {"date": day.isoformat()},
                    dict.fromkeys(people or [], "")) if day else []
    checks = code_checks(acct.stage, criteria, turns or [], sellers=team,
                         prior=prior_checks(acct.stage, criteria, gap),
                         tainted=tainted or set())
    stages = kb.process.stage_names()
    after, _ = stage_after(acct.stage, stages, checks)
    return follow_objective(acct.stage, stages, checks, after, objective)[0], checks


def _show(checks: list[CriterionCheck]) -> None:
    for c in checks:
        q = f"{c.quote.speaker}: {c.quote.text}" if c.quote else ""
        print(f"      {c.status:<7} {c.decided_by:<5} {c.text[:60]:<60} <- {q[:110]}")


def _scenario_kb(scenario: Scenario) -> KnowledgeBase:
    """The scenario's KB with its ``kb_overlay`` (the notes the plan read) applied."""
    if not scenario.kb_overlay:
        return load_kb(scenario.kb_path)
    with tempfile.TemporaryDirectory() as tmp:
        return load_kb(private_kb(scenario, Path(tmp) / "kb"))


def _explain_verdict(turns: list[dict[str, Any]], team: list[str], buyers: list[str]) -> None:
    for s in call_signals(turns, sellers=team, people=buyers):
        print(f"      {s.kind:<8} dated={s.dated!s:<5} owned={s.owned!s:<5} "
              f"{s.speaker or '-'}: {s.text[:90]}")
    for a in answers(turns, sellers=team):
        print(f"      answer {a.kind:<4} firm={a.firm!s:<5} asked: {a.ask.text[:60]}")
        print(f"             {a.speaker}: {a.text[:100]}")


def check(root: Path, verbose: bool = False) -> tuple[int, int]:
    right = total = stage_right = stage_total = 0
    for path in sorted(root.glob("*.yaml")):
        scenario = load_scenario(path)  # read once: the expectations, the meeting, the KB
        after = scenario.after_call
        expected = after.expect.objective if after else None
        if after is None or not expected:
            continue
        kb = _scenario_kb(scenario)
        team = [p.name for p in kb.team.people]
        buyers = [b.name for b in scenario.meeting.buyers]
        transcript = parse_transcript(after.notes, known_speakers=team + buyers)
        turns, removed = clean_turns([{"speaker": t.speaker, "text": t.text}
                                for t in transcript.turns], [s.name for s in kb.process.stages])
        verdict = compose_objective(turns, sellers=team, people=buyers, outcome=after.outcome,
                                    ask=scenario.meeting.goal)
        total += 1
        right += verdict.status == expected
        want = after.expect.stage_after
        got, checks = stage_and_checks(kb, scenario.meeting.account, verdict.status,
                                       after.outcome, turns, scenario.meeting.date, buyers,
                                       tainted={str(q["turn"]) for q in removed})
        stage_total += want is not None
        stage_right += want == got
        mark = "ok " if verdict.status == expected else "XX "
        smark = "-" if want is None else "=" if want == got else "X"
        print(f"{mark} {path.stem[:40]:<41} {expected:<8} {verdict.status:<8} "
              f"{smark} {str(want)[:16]:<16} {got[:16]:<16} {verdict.reason[:80]}")
        if verbose and want not in (None, got):
            _show(checks)
        if verbose and verdict.status != expected:
            _explain_verdict(turns, team, buyers)
    print(f"{right}/{total} objective verdicts match")
    print(f"{stage_right}/{stage_total} stages after the call match (code only, no model)")
    return right, total


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    check(Path(args[0] if args else "evals/scenarios"), verbose="-v" in sys.argv)
