"""Per model call of reflections only, and the facts each one found (issue 15: a reflection < 30 s).

Loads the embedded model once, then runs ``--reps`` rounds of reflections, each stopping at
the rep's checkpoint (nothing is written to the KB):

1. ``--notes`` on ``--plan`` with the demo KB and a *copy* of ``--data-dir`` (as
   ``huddle reflect --plan ID --notes FILE`` runs; skipped without ``--notes``);
2. the after-call transcript of each ``--scenario`` (its private KB ingested in a child
   process; the reflection without a plan: account, kind, date and sellers from the scenario;
   the facts call does not read the plan).

For every model call: prompt id, prompt tokens, tokens served from llama.cpp's cached prefix,
tokens evaluated, prompt and generation seconds (llama.cpp's timings), wall seconds; per
reflection the wall split and the load; then the facts, stakeholders and ICP evidence the
reflection proposes, so recall can be compared. The response cache is off.

Before/after from one machine state: run it twice, alternating, with ``HUDDLE_CODE`` naming
the checkout whose code to run (default: this one), e.g.

    HUDDLE_CODE=/work/main .venv/bin/python benchmarks/reflect_calls.py --notes call.txt \
        --plan p-... --data-dir DIR --scenario evals/unseen5/x.yaml
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("HUDDLE_CODE") or ROOT).resolve()
sys.path.insert(0, str(CODE))
sys.path.insert(1, str(ROOT / "benchmarks"))

from calls import CALLS, _instrument, _load  # noqa: E402

sys.path.remove(str(ROOT)) if str(ROOT) != str(CODE) else None  # calls.py put ROOT first


def _huddle(kb: Path, data_dir: Path, clock: Any = None) -> Any:
    from assistant.config import load_settings
    from assistant.service import Huddle

    settings = load_settings(kb=kb, data_dir=data_dir)
    settings.llm.cache = False
    huddle = Huddle(settings, **({"clock": clock} if clock is not None else {}))
    huddle.ensure_ingested()
    return huddle


def _found(run: Any) -> dict[str, list[str]]:
    r = run.reflection
    if r is None:
        return {"status": [str(run.status)]}
    return {
        "facts": [f"{f.field}={f.value} [{f.source}]" for f in r.facts],
        "stakeholders": [f"{s.name} ({s.title or '-'}, {s.stance})" for s in r.stakeholders],
        "icp": [f"{e.attribute}={e.raw} ({e.signal})" for e in r.icp_evidence],
        "dropped": list(r.provenance.dropped),
    }


DUMP: Path | None = None
"""``--dump DIR``: each reflection's stored JSON is written there (``NAME-rep-N.json``), to
compare two checkouts' reflections field by field, and the model's answers, call by call
(``NAME-rep-N.answers.json``)."""


def _one(name: str, run: Any) -> dict[str, Any]:
    first = len(CALLS)
    before = _load()
    started = time.perf_counter()
    result = run()
    total = time.perf_counter() - started
    calls = CALLS[first:]
    print(f"\n## {name}  (load 1/5 min before {before}, after {_load()})")
    print(f"{'call':<26}{'prompt':>7}{'cached':>7}{'evald':>6}{'prompt s':>9}"
          f"{'gen':>5}{'gen s':>7}{'wall s':>8}")
    for c in calls:
        print(f"{c['prompt_id']:<26}{c['prompt_tokens']:>7}{c['cached']:>7}{c['evaluated']:>6}"
              f"{c['prompt_s']:>9.1f}{c['generated']:>5}{c['gen_s']:>7.1f}{c['wall_s']:>8.1f}")
    ps, gs = sum(c["prompt_s"] for c in calls), sum(c["gen_s"] for c in calls)
    print(f"{name}: {total:.1f} s = prompt {ps:.1f} + generation {gs:.1f} + everything else "
          f"{total - ps - gs:.1f}")
    found = _found(result)
    if DUMP is not None and getattr(result, "reflection", None) is not None:
        DUMP.mkdir(parents=True, exist_ok=True)
        (DUMP / f"{name.replace(' ', '-')}.json").write_text(
            result.reflection.model_dump_json(indent=1), encoding="utf-8")
        (DUMP / f"{name.replace(' ', '-')}.answers.json").write_text(json.dumps(
            [{"prompt_id": c["prompt_id"], "answer": c.get("answer")} for c in calls],
            indent=1), encoding="utf-8")
    for key, values in found.items():
        print(f"  {key} ({len(values)}):")
        for v in values:
            print(f"    - {v}")
    return {"name": name, "total_s": total, "prompt_s": ps, "gen_s": gs, "calls": calls,
            "found": found, "load_before": before, "load_after": _load()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", help="transcript or notes file (with --plan, --data-dir)")
    parser.add_argument("--plan", help="the plan id the call was prepared with")
    parser.add_argument("--data-dir", help="an ingested data dir holding the plan (copied)")
    parser.add_argument("--kb", default=str(CODE / "knowledge" / "demo"))
    parser.add_argument("--scenario", action="append", default=[])
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--json", default=None)
    parser.add_argument("--dump", default=None,
                        help="write each reflection's JSON into this folder")
    args = parser.parse_args()
    global DUMP
    DUMP = Path(args.dump) if args.dump else None

    from assistant.prompts import load_prompt
    from evals.runner import night_before, private_kb
    from evals.scenario import load_scenario

    print(f"# reflect_calls.py, code {CODE}, load {_load()}, "
          f"{load_prompt('reflect_facts').id}")
    work = Path(tempfile.mkdtemp(prefix="huddle-bench-reflect-"))
    jobs: list[tuple[str, Any]] = []
    if args.notes:
        data = work / "try"
        shutil.copytree(args.data_dir, data)
        jobs.append(("notes", (_huddle(Path(args.kb), data), None)))
    for i, path in enumerate(args.scenario):
        sc = load_scenario(path)
        kb = private_kb(sc, work / f"kb{i}")
        subprocess.run([sys.executable, "-m", "cli", "ingest", "--kb", str(kb), "--data-dir",
                        str(work / f"data{i}")], check=True, stdout=subprocess.DEVNULL,
                       cwd=CODE, env={**os.environ, "PYTHONPATH": str(CODE)})
        jobs.append((sc.id, (_huddle(kb, work / f"data{i}", night_before(sc.meeting.date)), sc)))
    _instrument()
    started = time.perf_counter()
    jobs[0][1][0].gateway.prepare()
    print(f"model load: {time.perf_counter() - started:.1f} s")
    out = []
    for rep in range(args.reps):
        for name, (huddle, sc) in jobs:
            if sc is None:
                notes = Path(args.notes)
                out.append(_one(f"{name} rep {rep}", lambda h=huddle, n=notes: h.reflect(
                    notes=n, plan_id=args.plan)))
            else:
                m = sc.meeting
                out.append(_one(f"{name} rep {rep}", lambda h=huddle, s=sc, m=m: h.reflect(
                    text=s.after_call.notes, account=m.account, kind=m.kind, date=m.date,
                    sellers=list(m.sellers))))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
