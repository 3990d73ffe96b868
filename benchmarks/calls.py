"""Per model call: prompt tokens served from llama.cpp's prompt cache vs evaluated, and time.

Runs, with the embedded model and the response cache off:

1. one demo plan (summit discovery on the demo KB, as ``benchmarks/prep.py``'s first meeting);
2. one eval scenario's plan and its reflection on the scenario's after-call transcript
   (default ``evals/heldout/payloft-halvorsen-proposal.yaml``, a 2,949-character transcript).

For every model call it prints the prompt id, prompt tokens, the tokens llama.cpp served
from the slot's cached prefix (``timings.cache_n``) and the tokens it evaluated
(``timings.prompt_n``), prompt seconds, generated tokens and generation seconds (llama.cpp's
own ``prompt_ms`` / ``predicted_ms``); per workflow the wall seconds split into prompt,
generation and everything else; and the load average before and after each part. The
embedded model keeps one slot (``n_parallel = 1``) and ``cache_prompt`` on, so a call reuses
the longest token prefix it shares with the previous call's prompt.

Stores are ingested in a child process first (an ingest in this process slows the model,
see ``benchmarks/prep.py``); the model is loaded before the first part (time printed apart).

    .venv/bin/python benchmarks/calls.py [--scenario FILE] [--no-demo] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SCENARIO = ROOT / "evals" / "heldout" / "payloft-halvorsen-proposal.yaml"
DEMO_MEETING = dict(account="summit", kind="discovery", date="2026-11-24",
                    sellers=["Avery Cole", "Jordan Pike"],
                    buyers=[("Dana Ruiz", "CFO"), ("Tom Becker", "Head of Operations")])

CALLS: list[dict[str, Any]] = []  # what the wrappers below record, in call order
_CURRENT = {"prompt_id": "?"}


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} / {five:.2f}"


def _instrument() -> None:
    """Record every embedded-model call with the prompt id the gateway was asked for."""
    from assistant.llm.gateway import Gateway
    from assistant.llm.local_model import LocalLlama

    structured = Gateway.structured
    chat = LocalLlama.chat

    def structured_wrapper(self: Any, **kwargs: Any) -> Any:
        _CURRENT["prompt_id"] = kwargs.get("prompt_id", "?")
        return structured(self, **kwargs)

    def chat_wrapper(self: Any, messages: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            result = chat(self, messages, **kwargs)
        except Exception as exc:  # a timeout under load: recorded, then raised as before
            CALLS.append({"prompt_id": f"{_CURRENT['prompt_id']} ({type(exc).__name__})",
                          "prompt_tokens": 0, "cached": 0, "evaluated": 0, "prompt_s": 0.0,
                          "generated": 0, "gen_s": 0.0,
                          "wall_s": time.perf_counter() - started})
            raise
        wall = time.perf_counter() - started
        usage = result.get("usage") or {}
        timings = result.get("timings") or {}
        details = usage.get("prompt_tokens_details") or {}
        CALLS.append({
            "prompt_id": _CURRENT["prompt_id"],
            "prompt_tokens": int(usage.get("prompt_tokens") or 0),
            "cached": int(timings.get("cache_n", details.get("cached_tokens", 0)) or 0),
            "evaluated": int(timings.get("prompt_n") or 0),
            "prompt_s": float(timings.get("prompt_ms") or 0) / 1000,
            "generated": int(timings.get("predicted_n") or usage.get("completion_tokens") or 0),
            "gen_s": float(timings.get("predicted_ms") or 0) / 1000,
            "wall_s": wall,
            # the model's answer as generated: two checkouts' answers compared word for word
            "answer": ((result.get("choices") or [{}])[0].get("message") or {}).get("content"),
        })
        return result

    Gateway.structured = structured_wrapper  # type: ignore[method-assign]
    LocalLlama.chat = chat_wrapper  # type: ignore[method-assign]


def _ingest_child(kb: Path, data_dir: Path) -> None:
    subprocess.run([sys.executable, "-m", "cli", "ingest", "--kb", str(kb), "--data-dir",
                    str(data_dir)], check=True, stdout=subprocess.DEVNULL, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})


def _huddle(kb: Path, data_dir: Path, *, clock: Any = None) -> Any:
    from assistant.config import load_settings
    from assistant.service import Huddle

    settings = load_settings(kb=kb, data_dir=data_dir)
    settings.llm.cache = False
    huddle = Huddle(settings, **({"clock": clock} if clock is not None else {}))
    huddle.ensure_ingested()  # opens the store the child process built
    return huddle


def _meeting(huddle: Any, m: Any) -> Any:
    from assistant.plan import Buyer

    return huddle.meeting(account=m["account"], kind=m["kind"], date=m["date"],
                          sellers=list(m["sellers"]),
                          buyers=[Buyer(name=n, title=t) for n, t in m["buyers"]],
                          goal=m.get("goal"), minutes=m.get("minutes") or 45)


def _part(name: str, run: Any) -> tuple[Any, dict[str, Any]]:
    """Run one workflow; print its calls and its split; return its result and summary."""
    first = len(CALLS)
    load_before = _load()
    started = time.perf_counter()
    result = run()
    total = time.perf_counter() - started
    calls = CALLS[first:]
    print(f"\n## {name}  (load 1/5 min before {load_before}, after {_load()})")
    print(f"{'call':<26}{'prompt':>7}{'cached':>7}{'evald':>6}{'prompt s':>9}"
          f"{'gen':>5}{'gen s':>7}{'wall s':>8}")
    for c in calls:
        print(f"{c['prompt_id']:<26}{c['prompt_tokens']:>7}{c['cached']:>7}{c['evaluated']:>6}"
              f"{c['prompt_s']:>9.1f}{c['generated']:>5}{c['gen_s']:>7.1f}{c['wall_s']:>8.1f}")
    summary = {
        "calls": len(calls), "total_s": total,
        "prompt_tokens": sum(c["prompt_tokens"] for c in calls),
        "cached": sum(c["cached"] for c in calls),
        "evaluated": sum(c["evaluated"] for c in calls),
        "prompt_s": sum(c["prompt_s"] for c in calls),
        "generated": sum(c["generated"] for c in calls),
        "gen_s": sum(c["gen_s"] for c in calls),
        "load_before": load_before, "load_after": _load(), "per_call": calls,
    }
    summary["other_s"] = total - summary["prompt_s"] - summary["gen_s"]
    print(f"{'total':<26}{summary['prompt_tokens']:>7}{summary['cached']:>7}"
          f"{summary['evaluated']:>6}{summary['prompt_s']:>9.1f}{summary['generated']:>5}"
          f"{summary['gen_s']:>7.1f}{total:>8.1f}")
    print(f"{name}: {total:.1f} s = prompt {summary['prompt_s']:.1f} s + generation "
          f"{summary['gen_s']:.1f} s + everything else {summary['other_s']:.1f} s")
    return result, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default=str(DEFAULT_SCENARIO))
    parser.add_argument("--no-demo", action="store_true", help="skip the demo plan")
    parser.add_argument("--json", default=None, help="also write the figures here")
    args = parser.parse_args()

    from assistant.prompts import list_prompts, load_prompt
    from evals.reflection import run_reflection
    from evals.runner import night_before, private_kb
    from evals.scenario import load_scenario

    print(f"# benchmarks/calls.py, load average {_load()} on {os.cpu_count()} cores; prompts "
          + ", ".join(load_prompt(n).id for n in list_prompts()))
    work = Path(tempfile.mkdtemp(prefix="huddle-bench-calls-"))
    scenario = load_scenario(args.scenario)
    kb = private_kb(scenario, work / "kb")
    started = time.perf_counter()
    if not args.no_demo:
        _ingest_child(ROOT / "knowledge" / "demo", work / "demo-data")
    _ingest_child(kb, work / "data")
    print(f"ingest in child processes: {time.perf_counter() - started:.1f} s")

    _instrument()
    huddle = _huddle(kb, work / "data", clock=night_before(scenario.meeting.date))
    started = time.perf_counter()
    from knowledge.embeddings import embed_query

    embed_query("warm-up")
    huddle.gateway.prepare()
    print(f"model load (and query embedder): {time.perf_counter() - started:.1f} s")

    out: dict[str, Any] = {}
    if not args.no_demo:
        demo = _huddle(ROOT / "knowledge" / "demo", work / "demo-data")
        _, out["demo_plan"] = _part("demo plan (summit discovery)",
                                    lambda: demo.prepare(_meeting(demo, DEMO_MEETING)))
    mt = scenario.meeting
    meeting = dict(account=mt.account, kind=mt.kind, date=mt.date, sellers=mt.sellers,
                   buyers=[(b.name, b.title) for b in mt.buyers], goal=mt.goal,
                   minutes=mt.minutes)
    plan, out["scenario_plan"] = _part(f"plan ({scenario.id})",
                                       lambda: huddle.prepare(_meeting(huddle, meeting)))
    assert scenario.after_call is not None, "the scenario needs an after_call transcript"
    print(f"\ntranscript: {len(scenario.after_call.notes)} characters")
    _, out["reflection"] = _part(f"reflection ({scenario.id})",
                                 lambda: run_reflection(huddle, plan, scenario))
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1), encoding="utf-8")
    huddle.gateway.close()


if __name__ == "__main__":
    main()
