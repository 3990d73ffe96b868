"""``huddle reflect`` (and ``reflect resume|list|show``): after the call, reflect on notes.

Registered by :mod:`cli.main`; parsing and printing here, work in ``assistant.service``
(``Huddle.reflections``).

``huddle reflect`` prints the proposal and then asks accept / edit / reject per item on a
terminal, or takes ``--accept-all`` / ``--decisions FILE.json``; without either and without
a terminal it stops at the checkpoint and says how to resume.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import HuddleError
from assistant.kinds import MEETING_KINDS
from cli.common import (
    SectionPrinter,
    criteria_done,
    huddle_from,
    node_progress,
    print_listing,
    safe_text,
)

if TYPE_CHECKING:
    from assistant.reflect.models import ProposedItem
    from assistant.reflect.service import ReflectRun
    from assistant.service import Huddle


def _progress(enabled: bool) -> Any:
    return node_progress(enabled, started=False, min_seconds=0.5)


FILLED = {"facts": "stakeholders, facts and ICP evidence",
          "assessment": "plan items"}


class ProgressPrinter(SectionPrinter):
    """``huddle reflect`` on a terminal: what code reads off the call as soon as it is there
    (the model's parts marked pending), then only the sections each model answer changed,
    then what the saved proposal adds (its provenance)."""

    def markdown(self, progress: Any) -> str:
        from assistant.reflect.progress import progress_markdown

        return progress_markdown(progress)

    def filled(self, done: list[str]) -> str:
        criteria, rest = criteria_done(done)
        parts = [FILLED.get(p, p) for p in rest if p != "stage"]
        parts += [f"exit criteria ({'; '.join(criteria)})"] if criteria else []
        parts += ["stage"] if "stage" in done else []
        return ", ".join(parts)


def _load_decisions(args: argparse.Namespace) -> Any:
    if getattr(args, "accept_all", False):
        return "accept-all"
    if getattr(args, "reject_all", False):
        return "reject-all"
    path = getattr(args, "decisions", None)
    if not path:
        return None
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise HuddleError(f"cannot read {path}: {exc.strerror}", title="Decisions") from None
    except json.JSONDecodeError as exc:
        raise HuddleError(f"{path} is not valid JSON ({exc.msg}, line {exc.lineno}); write "
                          '{"f1": "accept", "i1": "reject", "stage": {"action": "edit", '
                          '"value": "Solution"}}', title="Decisions") from None


def _ask(items: list[ProposedItem], stages: list[str]) -> dict[str, Any] | None:
    """Accept / edit / reject per item on a terminal; None when the rep stops (Ctrl-D)."""
    from assistant.reflect.render import proposal_lines

    print("\nFor each item: [a]ccept, [e]dit, [r]eject (the default); "
          "A accepts and R rejects all remaining.", file=sys.stderr)
    out: dict[str, Any] = {}
    rest: str | None = None
    try:
        for item, line in zip(items, proposal_lines(items), strict=True):
            if rest is not None:
                out[item.id] = rest
                continue
            print(safe_text(line), file=sys.stderr)
            choice = input("  a/e/r/A/R? ").strip() or "r"
            if choice in ("A", "R"):
                rest = "accept" if choice == "A" else "reject"
                out[item.id] = rest
            elif choice.lower().startswith("a"):
                out[item.id] = "accept"
            elif choice.lower().startswith("e"):
                hint = f" ({', '.join(stages)})" if item.kind == "stage" else ""
                value = input(f"  new value{hint} [{safe_text(item.value)}]: ").strip()
                decision: dict[str, Any] = {"action": "edit", "value": value or item.value}
                if item.kind == "icp":
                    signal = input("  signal supports/against [keep]: ").strip()
                    if signal in ("supports", "against"):
                        decision["signal"] = signal
                out[item.id] = decision
            else:
                out[item.id] = "reject"
    except EOFError:
        return None
    return out


def _finish(huddle: Huddle, run: ReflectRun, args: argparse.Namespace, *,
            printed: bool = False) -> int:
    """The proposal (unless ``printed`` as it filled in), the rep's decisions, the writes."""
    from assistant.reflect.render import proposal_lines, reflection_markdown

    decisions = _load_decisions(args)
    if run.status in ("running", "writing"):  # stopped half-way: finish what it can
        run = huddle.reflections.resume(run.run_id, on_event=_progress(not args.json))
    if run.awaiting_review:
        if not args.json:
            if run.reflection is not None and not printed:
                print(safe_text(reflection_markdown(run.reflection)))
            print("Proposed (nothing is written until you decide):")
            for line in proposal_lines(run.items):
                print("  " + safe_text(line))
        if decisions is None and sys.stdin.isatty() and not args.json:
            decisions = _ask(run.items, huddle.kb.process.stage_names())
        if decisions is None:
            print(f"\nwaiting for your decisions: huddle reflect resume {run.run_id} "
                  "--decisions FILE.json (or --accept-all)", file=sys.stderr)
            if args.json:
                print(json.dumps(_run_json(run), indent=2))
            return 0
        run = huddle.reflections.resume(run.run_id, decisions,
                                        on_event=_progress(not args.json))
    if args.json:
        print(json.dumps(_run_json(run), indent=2))
    else:
        print(f"{run.run_id}: {run.status}")
        for key, detail in run.writes.items():
            print(f"  {key}: {safe_text(str(detail))}")
    return 0


def _run_json(run: ReflectRun) -> dict[str, Any]:
    return {"run_id": run.run_id, "status": run.status, "account": run.account,
            "items": [i.model_dump(mode="json") for i in run.items],
            "decisions": run.decisions, "writes": run.writes,
            "reflection": run.reflection.model_dump(mode="json") if run.reflection else None}


def cmd_reflect(args: argparse.Namespace) -> int:
    if not args.notes:
        raise HuddleError("give the post-call notes or transcript: --notes FILE "
                          "(.txt, .md, .vtt, .srt)", title="Reflection")
    if not args.plan and not args.account:
        raise HuddleError("reflect on a saved plan (--plan ID) or name the account, kind and "
                          "date (--account SLUG --kind KIND --date YYYY-MM-DD)",
                          title="Reflection")
    huddle = huddle_from(args)
    progressive = not args.json and (
        args.progressive if args.progressive is not None else sys.stdout.isatty())
    printer = ProgressPrinter() if progressive else None
    run = huddle.reflections.start(
        notes=args.notes, plan_id=args.plan, account=args.account, kind=args.kind,
        date=args.date, sellers=args.sellers, author=args.author, outcome=args.outcome,
        on_event=_progress(not args.json and not args.quiet), on_progress=printer,
    )
    return _finish(huddle, run, args, printed=printer is not None and bool(printer.shown))


def cmd_reflect_resume(args: argparse.Namespace) -> int:
    huddle = huddle_from(args)
    run = huddle.reflections.get(args.run_id)
    if run.status in ("applied", "rejected"):
        print(f"{run.run_id}: already {run.status}; nothing to do", file=sys.stderr)
        if args.json:
            print(json.dumps(_run_json(run), indent=2))
        return 0
    return _finish(huddle, run, args)


def cmd_reflect_list(args: argparse.Namespace) -> int:
    rows = huddle_from(args).reflections.list(account=args.account, status=args.status)
    return print_listing(
        rows, as_json=args.json,
        empty="no reflections yet: `huddle reflect --plan ID --notes FILE` starts one",
        line=lambda r: f"{r['run_id']}  {r['meeting_date']}  {r['account']:<12} "
                       f"{r['status']:<16} {r['author'] or '-':<16} {safe_text(r['source'] or '')}")


def cmd_reflect_show(args: argparse.Namespace) -> int:
    from assistant.reflect.render import proposal_lines, reflection_markdown

    run = huddle_from(args).reflections.get(args.run_id)
    if args.json:
        print(json.dumps(_run_json(run), indent=2))
        return 0
    if run.reflection is None:
        print(f"{run.run_id}: {run.status} (no reflection yet)")
        return 0
    print(safe_text(reflection_markdown(run.reflection)))
    print(f"status: {run.status}")
    if run.items:
        print("Waiting for decisions on:")
        for line in proposal_lines(run.items):
            print("  " + safe_text(line))
    if run.decisions:
        print("decisions: " + ", ".join(f"{k}={v.get('action')}" for k, v in
                                        run.decisions.items()))
    for key, detail in run.writes.items():
        print(f"  {key}: {safe_text(str(detail))}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("reflect", parents=[common],
                       help="after a call: reflect on notes or a transcript, confirm the facts",
                       description="Reflect on a call. Run it on a saved plan (--plan) or on "
                       "an account and meeting; `reflect resume|list|show` manage runs.")
    p.add_argument("--plan", metavar="ID", help="the plan the call was prepared with")
    p.add_argument("--notes", metavar="FILE", help="post-call notes or transcript "
                   "(.txt, .md, .vtt, .srt)")
    p.add_argument("--account", metavar="SLUG", help="without a plan: the account")
    p.add_argument("--kind", choices=MEETING_KINDS, help="without a plan: the meeting kind")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="without a plan: the call's date")
    p.add_argument("--sellers", metavar='"Name,Name"', help="without a plan: who attended")
    p.add_argument("--author", metavar="NAME", help="the rep who ran the call (default: the "
                   "plan's lead)")
    p.add_argument("--outcome", choices=["won", "lost", "no-decision"],
                   help="this call closed the deal: propose its figures and ICP evidence from "
                   "the outcome (record it with `huddle outcome` afterwards)")
    _decision_args(p)
    p.add_argument("--model", metavar="M", help="litellm model string")
    p.add_argument("--json", action="store_true")
    p.add_argument("--progressive", action=argparse.BooleanOptionalAction, default=None,
                   help="print what code reads off the call at once, then each section the "
                   "model fills in (default: on when stdout is a terminal; never with --json)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_reflect)
    rs = p.add_subparsers(dest="reflect_command", metavar="ACTION")
    r = rs.add_parser("resume", parents=[common], help="answer a waiting reflection or finish "
                      "one that stopped")
    r.add_argument("run_id")
    _decision_args(r)
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_reflect_resume)
    r = rs.add_parser("list", parents=[common], help="reflection runs, newest first")
    r.add_argument("--account", metavar="SLUG")
    r.add_argument("--status", choices=["running", "awaiting_review", "writing", "applied",
                                        "rejected"])
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_reflect_list)
    r = rs.add_parser("show", parents=[common], help="print one reflection")
    r.add_argument("run_id")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_reflect_show)


def _decision_args(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--accept-all", action="store_true", help="accept every proposed item")
    g.add_argument("--reject-all", action="store_true", help="write nothing")
    g.add_argument("--decisions", metavar="FILE.json", help='{"f1": "accept", "i1": '
                   '"reject", "stage": {"action": "edit", "value": "Solution"}}')
