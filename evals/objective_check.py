"""How often code's objective verdict matches the scenarios' ``expect.objective``, no model.

    python -m evals.objective_check evals/scenarios [-v]

Reads each scenario's after-call notes the way the reflect workflow does (transcript parser,
quarantine), runs ``assistant.reflect.verdict.compose_objective`` without a model answer and
prints one line per scenario and the total. It measures the part of the reflection that code
decides, in a second, so a change to the rules can be checked on scenarios it was not tuned on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from assistant.reflect.extract import clean_turns
from assistant.reflect.verdict import call_signals, compose_objective
from assistant.transcripts import parse_transcript
from knowledge.loader import load_kb

DEMO = Path(__file__).resolve().parent.parent / "knowledge" / "demo"


def check(root: Path, verbose: bool = False) -> tuple[int, int]:
    right = total = 0
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
        verdict = compose_objective(turns, sellers=team, people=buyers)
        total += 1
        right += verdict.status == expected
        mark = "ok " if verdict.status == expected else "XX "
        print(f"{mark} {path.stem[:40]:<41} {expected:<8} {verdict.status:<8} "
              f"{verdict.reason[:100]}")
        if verbose and verdict.status != expected:
            for s in call_signals(turns, sellers=team, people=buyers):
                print(f"      {s.kind:<8} dated={s.dated!s:<5} owned={s.owned!s:<5} "
                      f"{s.speaker or '-'}: {s.text[:90]}")
    print(f"{right}/{total} objective verdicts match")
    return right, total


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    check(Path(args[0] if args else "evals/scenarios"), verbose="-v" in sys.argv)
