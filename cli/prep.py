"""``huddle prep`` and ``huddle plans list|show|export``: drafting and reading plans.

Registered by :mod:`cli.main`; parsing here is light, work happens in ``assistant.service``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from assistant.kinds import MEETING_KINDS
from cli.common import (
    SectionPrinter,
    criteria_done,
    huddle_from,
    node_progress,
    print_listing,
    safe_text,
)


class ProgressPrinter(SectionPrinter):
    """``huddle prep`` on a terminal: the code-built plan as soon as it is there (the model's
    parts marked pending), then only the sections each model answer changed, then the
    sections of the saved plan that differ from what was printed, with its provenance."""

    def markdown(self, progress: Any) -> str:
        from assistant.prep.progress import progress_markdown

        return progress_markdown(progress)

    def filled(self, done: list[str]) -> str:
        criteria, rest = criteria_done(done)
        parts = rest + ([f"exit criteria ({'; '.join(criteria)})"] if criteria else [])
        return ", ".join(parts) or "the plan"


def cmd_prep(args: argparse.Namespace) -> int:
    from assistant.render import plan_markdown

    huddle = huddle_from(args)
    meeting = huddle.meeting(
        account=args.account, kind=args.kind, date=args.date, sellers=args.sellers,
        buyers=args.buyers or "", goal=args.goal, minutes=args.minutes,
    )
    progressive = not args.json and (
        args.progressive if args.progressive is not None else sys.stdout.isatty())
    printer = ProgressPrinter() if progressive else None
    plan = huddle.prepare(meeting, on_event=node_progress(not args.json and not args.quiet),
                          allow_past=args.allow_past, on_progress=printer)
    if args.json:
        print(plan.model_dump_json(indent=2))
    elif printer is None:
        print(safe_text(plan_markdown(plan)))
    if not args.json:
        print(f"saved as {plan.id} (huddle plans show {plan.id})", file=sys.stderr)
        _say_model_failed(plan)
    return 0


def cmd_plans_list(args: argparse.Namespace) -> int:
    rows = huddle_from(args).records.list_plans(account=args.account, status=args.status)
    return print_listing(
        rows, as_json=args.json, empty="no plans yet: `huddle prep ...` drafts one",
        line=lambda r: f"{r['id']}  v{r['version']}  {r['meeting_date']}  {r['account']:<12} "
                       f"{r['kind']:<12} {r['status']:<18} {r['model']}")


def cmd_plans_show(args: argparse.Namespace) -> int:
    from assistant.render import plan_markdown

    plan = huddle_from(args).records.get_plan(args.id)
    print(plan.model_dump_json(indent=2) if args.json else safe_text(plan_markdown(plan)))
    return 0


def cmd_plans_export(args: argparse.Namespace) -> int:
    from assistant.render import plan_markdown

    plan = huddle_from(args).records.get_plan(args.id)
    text = plan.model_dump_json(indent=2) if args.format == "json" else plan_markdown(plan)
    if args.output:
        from pathlib import Path

        out = Path(args.output).expanduser()
        out.parent.mkdir(parents=True, exist_ok=True)  # as export-huddle does
        out.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        print(text)
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("prep", parents=[common], help="draft the pre-call plan for a meeting")
    p.add_argument("--account", required=True, metavar="SLUG")
    p.add_argument("--kind", required=True, choices=MEETING_KINDS, help="meeting kind")
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--sellers", required=True, metavar='"Name,Name"',
                   help="who attends from our side (names from team.yaml)")
    p.add_argument("--buyers", metavar='"Name (Title),..."', help="who attends from theirs")
    p.add_argument("--goal", metavar="TEXT", help="what you want from the call, in a few words")
    p.add_argument("--minutes", type=int, default=45, help="meeting length (default 45)")
    p.add_argument("--allow-past", action="store_true",
                   help="prepare a meeting dated before every note of the account")
    p.add_argument("--model", metavar="M", help="litellm model string (default: HUDDLE_MODEL "
                   "or the embedded local model)")
    p.add_argument("--json", action="store_true", help="print the plan as JSON")
    p.add_argument("--progressive", action=argparse.BooleanOptionalAction, default=None,
                   help="print the sections code builds at once, then each section the "
                   "model fills in (default: on when stdout is a terminal; never with --json)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(func=cmd_prep)

    plans = sub.add_parser("plans", parents=[common], help="list, show and export saved plans")
    ps = plans.add_subparsers(dest="plans_command", metavar="ACTION", required=True)
    p = ps.add_parser("list", parents=[common], help="saved plans, newest first")
    p.add_argument("--account", metavar="SLUG")
    p.add_argument("--status", choices=["draft", "in_review", "approved", "changes_requested"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plans_list)
    p = ps.add_parser("show", parents=[common], help="print one plan")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plans_show)
    p = ps.add_parser("export", parents=[common], help="export one plan as Markdown or JSON")
    p.add_argument("id")
    p.add_argument("--format", choices=["md", "json"], default="md")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_plans_export)


def _say_model_failed(plan: Any) -> None:
    """When the model gave nothing usable (a HUDDLE_MODEL that does not exist, a server
    down), say so on stderr with the model's error: the plan's footer alone is easy to miss."""
    prov = plan.provenance
    if not prov.fallback_sections or not prov.warnings:
        return
    print(f"note: the model gave no usable answer, so {', '.join(prov.fallback_sections)} "
          f"were built from the evidence. {safe_text(prov.warnings[-1])}", file=sys.stderr)
