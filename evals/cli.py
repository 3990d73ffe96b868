"""``huddle eval run`` and ``huddle eval compare`` (registered through ``huddle.commands``).

Exit codes: 0 when the run completed (scores are data, not exit codes); 1 when a ``--min`` /
``--max`` gate fails, or with ``--strict`` when a scenario hit a machinery error; 2 for a
usage problem (no scenarios, unreadable report). Imports nothing heavy until a command runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from evals.metrics import METRICS


def _gate(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or name not in METRICS:
        raise argparse.ArgumentTypeError(
            f"expected METRIC=VALUE with a metric from: {', '.join(METRICS)}; got {text!r}")
    try:
        return name, float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None


def cmd_run(args: argparse.Namespace) -> int:
    from evals.report import check_thresholds, markdown, terminal_table, write_json
    from evals.runner import RunOptions, run

    show = not args.quiet

    def progress(done: int, total: int, entry: dict[str, Any]) -> None:
        if not show:
            return
        state = "ERROR" if entry.get("error") else "ok"
        secs = entry.get("metrics", {}).get("latency_s")
        took = f" {secs:.1f}s" if secs is not None else ""
        print(f"[{done}/{total}] {entry['id']}: {state}{took}", file=sys.stderr, flush=True)

    options = RunOptions(
        model=args.model, cache_dir=Path(args.cache_dir), llm_cache=not args.no_llm_cache,
        jobs=max(1, args.jobs), plans_dir=Path(args.plans) if args.plans else None,
        keep_work=args.keep_work, judge=args.judge or bool(args.judge_model),
        judge_model=args.judge_model,
    )
    report = run(args.scenarios, options, progress=progress)
    if args.out:
        write_json(report, args.out)
    if args.md:
        Path(args.md).parent.mkdir(parents=True, exist_ok=True)
        Path(args.md).write_text(markdown(report), encoding="utf-8")
    print(terminal_table(report, failures=not args.quiet))
    for path in (args.out, args.md):
        if path:
            print(f"wrote {path}", file=sys.stderr)
    code = 0
    gates = check_thresholds(report, dict(args.min or []), dict(args.max or []))
    for g in gates:
        print(f"gate failed: {g}", file=sys.stderr)
        code = 1
    errors = report["run"]["counts"]["errors"]
    if args.strict and errors:
        print(f"--strict: {errors} scenario(s) failed with an error", file=sys.stderr)
        code = 1
    return code


def cmd_compare(args: argparse.Namespace) -> int:
    import json

    from evals.report import compare, compare_text, load_report

    a, b = load_report(args.a), load_report(args.b)
    diff = compare(a, b)
    if args.json:
        print(json.dumps(diff, indent=2))
    else:
        print(compare_text(diff, args.a, args.b))
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``eval run`` and ``eval compare`` to the ``huddle`` command line."""
    verbose = argparse.ArgumentParser(add_help=False)
    verbose.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                         help="log to stderr")
    p = sub.add_parser("eval", parents=[verbose],
                       help="run offline evals over recorded scenarios, compare two runs")
    es = p.add_subparsers(dest="eval_command", metavar="ACTION", required=True)

    r = es.add_parser(
        "run", parents=[verbose],
        help="run every scenario (*.yaml, recursively) and score the plans and reflections",
        description="Run every scenario under --scenarios through the real workflows and "
        "score them. Each scenario brings its own knowledge base (see evals/README.md). "
        "Exits 0 when the run completed, whatever the scores, unless a --min/--max gate "
        "fails or --strict sees an error.",
    )
    r.add_argument("--scenarios", required=True, metavar="DIR",
                   help="a folder of scenarios (searched recursively) or one scenario file")
    r.add_argument("--model", metavar="M", help="litellm model string (default: HUDDLE_MODEL "
                   "or the embedded local model)")
    r.add_argument("--out", metavar="REPORT.json", help="write the JSON report here")
    r.add_argument("--md", metavar="REPORT.md", help="also write a Markdown summary here")
    r.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="scenarios run in parallel (default 1)")
    r.add_argument("--min", action="append", type=_gate, metavar="METRIC=VALUE",
                   help="exit 1 if the run-level METRIC is below VALUE (repeatable)")
    r.add_argument("--max", action="append", type=_gate, metavar="METRIC=VALUE",
                   help="exit 1 if the run-level METRIC is above VALUE (repeatable; for the "
                   "lower-is-better fallback_rate, replaced_rate, generic_rate, fact_noise, "
                   "latency_s, tokens, cost_usd)")
    r.add_argument("--strict", action="store_true",
                   help="exit 1 if any scenario failed with an error")
    r.add_argument("--cache-dir", metavar="DIR",
                   default=os.environ.get("HUDDLE_EVAL_CACHE", ".huddle-eval-cache"),
                   help="ingested stores and the model response cache, shared by runs "
                   "(env HUDDLE_EVAL_CACHE; default .huddle-eval-cache)")
    r.add_argument("--no-llm-cache", action="store_true",
                   help="send every call to the model instead of reusing cached answers")
    r.add_argument("--judge", action="store_true",
                   help="also grade each plan's usefulness, specificity and tone with an LLM "
                   "judge (reported apart, never mixed into the metrics)")
    r.add_argument("--judge-model", metavar="M",
                   help="the judge's model (implies --judge; default: the model under test)")
    r.add_argument("--plans", metavar="DIR",
                   help="write each scenario's plan and reflection (Markdown) here, so a "
                        "reader can judge the text")
    r.add_argument("--keep-work", action="store_true",
                   help="keep the temporary folder with the private KB copies and databases")
    r.add_argument("-q", "--quiet", action="store_true",
                   help="no progress lines and no per-scenario failure list")
    r.set_defaults(func=cmd_run)

    c = es.add_parser("compare", parents=[verbose],
                      help="what improved and what regressed between two reports")
    c.add_argument("a", metavar="A.json", help="the earlier report")
    c.add_argument("b", metavar="B.json", help="the later report")
    c.add_argument("--json", action="store_true", help="print the comparison as JSON")
    c.set_defaults(func=cmd_compare)
