"""How many of the scenarios' ``expect.facts`` code finds in the call, no model.

    python -m evals.fact_check evals/scenarios [-v] [--glob 'frostline-*']

Reads each scenario's after-call notes the way the reflect workflow does (transcript parser,
quarantine), runs the code half of the facts (``assistant.reflect.fields.field_facts``, the
money / date / competitor facts and the next steps) and counts the expected substrings found
inside one fact's value or one next step's action, as ``fact_recall`` does. ``-v`` lists the
facts of each scenario with a miss. The model's facts come on top of these in a real run.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import yaml

from assistant.reflect import extract as ex
from assistant.reflect.fields import field_facts
from assistant.transcripts import parse_transcript
from evals.metrics import norm as normalize
from knowledge.loader import load_kb

DEMO = Path(__file__).resolve().parent.parent / "knowledge" / "demo"


def _values(path: Path, data: dict, after: dict) -> list[tuple[str, str]]:
    kb = load_kb((path.parent / data["kb"]).resolve() if data.get("kb") else DEMO)
    team = [p.name for p in kb.team.people]
    buyers = [b["name"] for b in data["meeting"].get("buyers", [])]
    transcript = parse_transcript(after["notes"], known_speakers=team + buyers)
    turns, _ = ex.clean_turns([{"speaker": t.speaker, "text": t.text}
                               for t in transcript.turns], [s.name for s in kb.process.stages])
    competitors = list(dict.fromkeys(s.competitor for s in kb.stories if s.competitor))
    people = list(dict.fromkeys(team + buyers))
    hints = ex.find_hints(turns, competitors=competitors, people=people)
    facts = field_facts(turns, sellers=team, competitors=competitors, people=people)
    facts += ex.code_facts(turns, hints, sellers=team)
    steps = ex.code_next_steps(turns, people=people,
                               meeting=dt.date.fromisoformat(str(data["meeting"]["date"])))
    return [(f["field"], f["value"]) for f in facts] + [("next", s["action"]) for s in steps]


def check(root: Path, verbose: bool = False, pattern: str = "*.yaml") -> tuple[int, int]:
    found = total = 0
    for path in sorted(root.glob(pattern)):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        after = (data or {}).get("after_call") or {}
        expected = (after.get("expect") or {}).get("facts") or []
        if not expected:
            continue
        values = _values(path, data, after)
        hits = [e for e in expected if any(normalize(e) in normalize(v) for _, v in values)]
        found += len(hits)
        total += len(expected)
        missed = [e for e in expected if e not in hits]
        print(f"{'ok ' if not missed else 'XX '} {path.stem[:40]:<41} {len(hits)}/{len(expected)}"
              + (f"  missed: {', '.join(missed)}" if missed else ""))
        if verbose and missed:
            for field, value in values:
                print(f"      {field:<17} {value[:100]}")
    print(f"{found}/{total} expected facts found by code")
    return found, total


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    glob = "*.yaml"
    if "--glob" in args:
        i = args.index("--glob")
        glob = args[i + 1]
        del args[i: i + 2]
    check(Path(args[0] if args else "evals/scenarios"), verbose="-v" in sys.argv, pattern=glob)
