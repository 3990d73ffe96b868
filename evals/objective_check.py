"""How often code's objective verdict matches the scenarios' ``expect.objective``, no model.

    python -m evals.objective_check evals/scenarios [-v]

Reads each scenario's after-call notes the way the reflect workflow does (transcript parser,
quarantine), runs ``assistant.reflect.verdict.compose_objective`` without a model answer (with
the scenario's ``outcome`` when it gives one, as the runner does) and prints one line per
scenario and the total. It measures the part of the reflection that code decides, in a second,
so a change to the rules can be checked on scenarios it was not tuned on.

The ``stage`` column is the stage after the call as code decides it with no model answer:
every exit criterion unknown (``assistant.reflect.criteria.stage_after``), never against a
missed or unknown objective, and an outcome closes the deal
(``assistant.reflect.outcomes.closing_stage``, as ``huddle outcome`` does after the
reflection). A second total line counts the scenarios with ``expect.stage_after`` whose stage
matches; a stage the model's criterion answers would have to move shows as a miss here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from assistant.reflect.criteria import stage_after
from assistant.reflect.extract import clean_turns
from assistant.reflect.models import CriterionCheck
from assistant.reflect.outcomes import closing_stage
from assistant.reflect.verdict import answers, call_signals, compose_objective
from assistant.transcripts import parse_transcript
from knowledge.loader import load_kb
from knowledge.models import KnowledgeBase

DEMO = Path(__file__).resolve().parent.parent / "knowledge" / "demo"


def code_stage(kb: KnowledgeBase, account: str, objective: str, outcome: str | None) -> str:
    """The stage after the call as code decides it, with no model answer for any criterion."""
    acct = kb.account(account)
    if acct is None:
        raise SystemExit(f"unknown account {account!r} in {kb.root}")
    if outcome:
        closed = closing_stage(kb.process, outcome)
        if closed:
            return closed
    stage = kb.process.find(acct.stage)
    criteria = list(stage.exit_criteria) if stage else []
    checks = [CriterionCheck(stage=acct.stage, index=k, text=c) for k, c in enumerate(criteria)]
    after, _ = stage_after(acct.stage, kb.process.stage_names(), checks)
    return acct.stage if objective in ("missed", "unknown") else after


def check(root: Path, verbose: bool = False) -> tuple[int, int]:
    right = total = stage_right = stage_total = 0
    for path in sorted(root.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        after = (data or {}).get("after_call") or {}
        expected = (after.get("expect") or {}).get("objective")
        if not expected:
            continue
        kb = load_kb((path.parent / data["kb"]).resolve() if data.get("kb") else DEMO)
        team = [p.name for p in kb.team.people]
        buyers = [b["name"] for b in data["meeting"].get("buyers", [])]
        transcript = parse_transcript(after["notes"], known_speakers=team + buyers)
        turns, _ = clean_turns([{"speaker": t.speaker, "text": t.text}
                                for t in transcript.turns], [s.name for s in kb.process.stages])
        verdict = compose_objective(turns, sellers=team, people=buyers,
                                    outcome=after.get("outcome"))
        total += 1
        right += verdict.status == expected
        want = after["expect"].get("stage_after")
        got = code_stage(kb, data["meeting"]["account"], verdict.status, after.get("outcome"))
        stage_total += want is not None
        stage_right += want == got
        mark = "ok " if verdict.status == expected else "XX "
        smark = "-" if want is None else "=" if want == got else "X"
        print(f"{mark} {path.stem[:40]:<41} {expected:<8} {verdict.status:<8} "
              f"{smark} {str(want)[:16]:<16} {got[:16]:<16} {verdict.reason[:80]}")
        if verbose and verdict.status != expected:
            for s in call_signals(turns, sellers=team, people=buyers):
                print(f"      {s.kind:<8} dated={s.dated!s:<5} owned={s.owned!s:<5} "
                      f"{s.speaker or '-'}: {s.text[:90]}")
            for a in answers(turns, sellers=team):
                print(f"      answer {a.kind:<4} firm={a.firm!s:<5} asked: {a.ask.text[:60]}")
                print(f"             {a.speaker}: {a.text[:100]}")
    print(f"{right}/{total} objective verdicts match")
    print(f"{stage_right}/{stage_total} stages after the call match (code only, no model)")
    return right, total


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    check(Path(args[0] if args else "evals/scenarios"), verbose="-v" in sys.argv)
