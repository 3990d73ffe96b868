"""CLI for the night before: calendar import, upcoming meetings, prep-all, huddle export.

    huddle calendar import FILE.ics [--resolve "SUMMARY=slug"]... [--days N] [--json]
    huddle meetings list [--date YYYY-MM-DD | --all] [--rep NAME | --all-reps] [--json]
    huddle meetings add --account SLUG --kind KIND --date YYYY-MM-DD [--time HH:MM] ...
    huddle prep-all [--date YYYY-MM-DD] [--rep NAME | --all-reps] [-j N] [--redo] [--json]
                    [--background | --status]
    huddle export-huddle PLAN_ID --ics FILE --md FILE [--start "YYYY-MM-DD HH:MM"]

Registered by :mod:`cli.main`; the work lives in :mod:`assistant.calendar`,
:mod:`assistant.meetings` and :mod:`assistant.exports`, which the TUI calls too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any

from assistant.errors import HuddleError
from assistant.kinds import MEETING_KINDS
from assistant.nightly import RunningEstimate, duration_text, seconds_left
from cli.common import huddle_from, print_listing, safe_text

MAX_IMPORT_DAYS = 366  # how far ahead a calendar import looks, at most
MAX_JOBS = 16  # meetings prepared at once, at most


def _day(text: str | None, default: dt.date) -> dt.date:
    if not text:
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise HuddleError(f"dates are YYYY-MM-DD; got {text!r}", title="Date") from None


def _meeting_line(m: Any) -> str:
    plan = m.plan_id or "-"
    sellers = ", ".join(m.sellers) or "(no seller)"
    return (f"{m.id}  {m.starts_at:%Y-%m-%d %H:%M}  {m.minutes:>3}m  {m.account:<11} "
            f"{m.kind:<11} {sellers}  plan {plan}")


# ---- calendar import --------------------------------------------------------------------


def cmd_calendar_import(args: argparse.Namespace) -> int:
    from assistant.calendar import parse_resolve

    if not 1 <= args.days <= MAX_IMPORT_DAYS:
        raise HuddleError(f"--days is 1 to {MAX_IMPORT_DAYS}; got {args.days}", title="Calendar")
    huddle = huddle_from(args)
    result = huddle.read_calendar(args.file, resolve=parse_resolve(args.resolve or []),
                                  since=_day(args.since, huddle.clock.today()), days=args.days)
    saved = huddle.save_calendar(result).saved
    if args.json:
        print(json.dumps({
            "imported": [m.as_dict() for m in saved],
            "unmatched": [{"summary": u.event.summary, "uid": u.event.uid,
                           "starts_at": u.event.start.isoformat(), "reason": u.reason,
                           "candidates": u.candidates} for u in result.unmatched],
            "internal": [e.summary for e in result.internal],
            "skipped": [{"summary": s, "reason": r} for s, r in result.skipped],
        }, indent=2))
        return 0
    print(f"{args.file}: {result.summary()}")
    for m, item in zip(saved, result.matched, strict=True):
        print(f"  + {_meeting_line(m)}  [{item.matched_by}]")
    for s, reason in result.skipped:
        print(f"  - {safe_text(s)}: {reason}")
    if result.unmatched:
        print("\nThese external meetings match no account; say which account each one is "
              "for (or skip it):", file=sys.stderr)
        for u in result.unmatched:
            hint = f" (maybe: {', '.join(u.candidates)})" if u.candidates else ""
            print(f"  ? {u.event.start:%Y-%m-%d %H:%M} {safe_text(u.event.summary)}: "
                  f"{u.reason}{hint}", file=sys.stderr)
        first = result.unmatched[0].event.summary
        print(f"\nre-run with --resolve \"{safe_text(first)}=<account>\" (or =skip); accounts: "
              + ", ".join(sorted(huddle.kb.accounts)), file=sys.stderr)
    return 0


# ---- meetings ---------------------------------------------------------------------------


def cmd_meetings_list(args: argparse.Namespace) -> int:
    huddle = huddle_from(args)
    scope = {"rep": args.rep, "all_reps": args.all_reps}
    if args.all:
        rows = huddle.list_meetings(**scope)
    elif args.date:
        rows = huddle.list_meetings(day=_day(args.date, huddle.clock.today()), **scope)
    else:
        rows = huddle.list_meetings(since=huddle.clock.today(), **scope)
    return print_listing(
        rows, as_json=args.json, line=_meeting_line, to_json=lambda m: m.as_dict(),
        empty="no upcoming meetings: `huddle calendar import FILE.ics` or `huddle meetings add`")


def cmd_meetings_add(args: argparse.Namespace) -> int:
    from assistant.meetings import parse_start

    huddle = huddle_from(args)
    starts_at = parse_start(args.date, args.time, tz=huddle.clock.tz)
    meeting = huddle.meeting(account=args.account, kind=args.kind, date=starts_at.date(),
                             sellers=args.sellers, buyers=args.buyers or "", goal=args.goal,
                             minutes=args.minutes)  # validates before anything is stored
    m = huddle.schedule(meeting, starts_at, title=args.title or "")
    print(m.as_dict() if args.json else f"added {_meeting_line(m)}")
    return 0


# ---- prep-all ---------------------------------------------------------------------------


def cmd_prep_all(args: argparse.Namespace) -> int:
    if args.run_job:
        return _run_job(args)
    if args.status:
        return _show_status(args)
    if args.jobs is not None and not 1 <= args.jobs <= MAX_JOBS:
        raise HuddleError(f"--jobs is 1 to {MAX_JOBS}; got {args.jobs}", title="Prep-all")
    huddle = huddle_from(args)
    day = _day(args.date, huddle.clock.tomorrow())
    meetings = huddle.list_meetings(day=day, rep=args.rep, all_reps=args.all_reps)
    if not meetings:
        print(f"no meetings on {day}: `huddle calendar import FILE.ics` or `huddle meetings add`",
              file=sys.stderr)
        return 0
    if args.background:
        return _start_background(args, huddle, meetings, day)
    from assistant.meetings import default_jobs

    jobs = args.jobs or default_jobs(huddle.settings.llm.model)
    show = not args.json and not args.quiet
    estimate = huddle.prep_estimate()
    todo = sum(1 for m in meetings if args.redo or not m.plan_id)
    if show:
        print(f"preparing {len(meetings)} meeting(s) on {day} with {jobs} at a time "
              f"({huddle.settings.llm.model}); about {estimate:.0f} s each, "
              f"{duration_text(seconds_left(estimate, todo, jobs=jobs))} in all",
              file=sys.stderr)
    progress = _progress_printer(show, estimate, todo, jobs)
    outcomes = huddle.prepare_all(meetings, jobs=jobs, on_progress=progress, redo=args.redo)
    if args.json:
        print(json.dumps([{"meeting": o.meeting.as_dict(), "plan_id": o.plan_id,
                           "error": o.error, "skipped": o.skipped,
                           "seconds": round(o.seconds, 2)} for o in outcomes], indent=2))
    else:
        for o in outcomes:
            state = ("skipped" if o.skipped else "ok" if o.ok else f"failed: {o.error}")
            print(f"{o.meeting.id}  {o.meeting.account:<11} {o.plan_id or '-':<28} {state}")
    return 0 if all(o.ok for o in outcomes) else 1


def _progress_printer(show: bool, estimate: float, todo: int, jobs: int
                      ) -> Callable[[str, dict[str, Any]], None]:
    """Progress lines on stderr; each started meeting says what is left by the estimate,
    which follows the mean of the meetings finished so far."""
    running = RunningEstimate(estimate)
    started = 0

    def progress(kind: str, data: dict[str, Any]) -> None:
        nonlocal started
        if not show:
            return
        mid = data["meeting_id"]
        each = running.each
        if kind == "meeting_started":
            started += 1
            left = seconds_left(each, todo - started + 1, jobs=jobs)
            print(f"{mid}: preparing ({started}/{todo}, about {each:.0f} s; "
                  f"{duration_text(left)} left)…", file=sys.stderr, flush=True)
        elif kind == "step" and data["event"] == "node_finished":
            print(f"{mid}:   {data['node']} {data['seconds']:.1f}s", file=sys.stderr, flush=True)
        elif kind == "meeting_finished":
            running.finished(data["seconds"])
            print(f"{mid}: plan {data['plan_id']} in {data['seconds']:.0f}s", file=sys.stderr,
                  flush=True)
        elif kind == "meeting_skipped":
            print(f"{mid}: already has plan {data['plan_id']} (--redo to draft again)",
                  file=sys.stderr, flush=True)
        elif kind == "meeting_failed":
            print(f"{mid}: FAILED — {data['title']}: {data['error']}", file=sys.stderr,
                  flush=True)

    return progress


# ---- prep-all in the background ----------------------------------------------------------


def _start_background(args: argparse.Namespace, huddle: Any, meetings: list[Any],
                      day: dt.date) -> int:
    status = huddle.start_prep_all(meetings, day=day, jobs=args.jobs, redo=args.redo)
    if args.json:
        print(json.dumps(status.as_dict(), indent=2))
        return 0
    todo = sum(1 for m in status.meetings if m.state == "queued")
    print(f"prep-all for {day} runs in the background (process {status.pid}): {todo} "
          f"meeting(s) to draft, about {status.estimate_s:.0f} s each "
          f"({duration_text(status.remaining_s())} in all)")
    print(f"  log: {status.log}")
    print("  `huddle prep-all --status` shows how far it got; the app marks each meeting")
    return 0


STATE_MARKS = {"queued": "·", "running": "◐", "ready": "✓", "failed": "✗", "skipped": "="}


def _show_status(args: argparse.Namespace) -> int:
    huddle = huddle_from(args)
    status = huddle.prep_all_status()
    if status is None:
        if args.json:
            print("null")
        else:
            print("no background prep-all has run in this data directory "
                  "(`huddle prep-all --background` starts one)")
        return 0
    now = huddle.clock.now()
    if args.json:
        data = status.as_dict()
        data["remaining_s"] = round(status.remaining_s(now), 1)
        print(json.dumps(data, indent=2))
        return 0 if status.state != "crashed" else 1
    counts = status.counts()
    head = f"prep-all {status.run_id} for {status.day}: {status.state}"
    if status.pid:
        head += f" (process {status.pid})"
    print(head)
    print(f"  started {status.started_at}, updated {status.updated_at}; {counts['ready']} "
          f"ready, {counts['running']} running, {counts['queued']} queued, {counts['failed']} "
          f"failed, {counts['skipped']} already had a plan")
    if status.active:
        print(f"  about {status.estimate_s:.0f} s a meeting; "
              f"{duration_text(status.remaining_s(now))} left by that estimate")
    for m in status.meetings:
        detail = (m.plan_id or "") if m.state in ("ready", "skipped") else (
            m.step or "") if m.state == "running" else (m.error or "")
        took = f" in {m.seconds:.0f}s" if m.seconds is not None else ""
        print(f"  {STATE_MARKS.get(m.state, '?')} {m.meeting_id}  {m.starts_at[11:16]}  "
              f"{m.account:<11} {m.kind:<11} {m.state}{took}  {safe_text(detail)}")
    if status.error:
        print(f"  {safe_text(status.error)}")
    print(f"  log: {status.log}")
    return 0 if status.state != "crashed" else 1


def _run_job(args: argparse.Namespace) -> int:
    """The detached child of `prep-all --background` (not for people to run)."""
    from assistant.clock import SYSTEM
    from assistant.service import Huddle

    status = Huddle.run_prep_all_job(args.run_job, lock_fd=args.lock_fd,
                                     clock=getattr(args, "clock", None) or SYSTEM)
    counts = status.counts()
    print(f"prep-all {status.run_id}: {status.state}; {counts['ready']} ready, "
          f"{counts['failed']} failed, {counts['skipped']} skipped", flush=True)
    return 0 if counts["failed"] == 0 else 1


# ---- export ------------------------------------------------------------------------------


def cmd_export_huddle(args: argparse.Namespace) -> int:
    from assistant.exports import write_huddle

    if not args.ics and not args.md:
        raise HuddleError("say where to write: --ics FILE and/or --md FILE", title="Export")
    huddle = huddle_from(args)
    plan = huddle.records.get_plan(args.plan_id)
    if args.start:
        try:
            starts_at = dt.datetime.fromisoformat(args.start)
        except ValueError:
            raise HuddleError(f"--start wants \"YYYY-MM-DD HH:MM\"; got {args.start!r}",
                              title="Export") from None
        if starts_at.tzinfo is None:
            starts_at = starts_at.replace(tzinfo=huddle.clock.tz)
    else:
        meeting = huddle.meeting_for_plan(plan.id)
        if meeting is None:
            raise HuddleError(
                f"plan {plan.id} was not prepared for a stored meeting, so its start time is "
                f"unknown: pass --start \"{plan.meeting.date} HH:MM\"", title="Export")
        starts_at = meeting.starts_at
    written = write_huddle(plan, starts_at, ics=args.ics, md=args.md, kb=huddle.kb,
                           prep_minutes=args.prep_minutes, now=huddle.clock.now())
    for path in written:
        print(f"wrote {path}")
    return 0


# ---- parser -------------------------------------------------------------------------------


def _rep_filters(p: argparse.ArgumentParser) -> None:
    whose = p.add_mutually_exclusive_group()
    whose.add_argument("--rep", metavar="NAME", help="this rep's meetings (and shared ones); "
                       "in team mode a rep sees their own by default, a manager everyone's")
    whose.add_argument("--all-reps", action="store_true",
                       help="every rep's meetings (team mode)")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    cal = sub.add_parser("calendar", parents=[common], help="import a calendar export (.ics)")
    cs = cal.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    p = cs.add_parser("import", parents=[common],
                      help="keep the external meetings of an .ics file and match them to accounts")
    p.add_argument("file", metavar="FILE.ics")
    p.add_argument("--resolve", action="append", metavar='"SUMMARY=slug"',
                   help="the account of a meeting that matched none (=skip to drop it); repeat")
    p.add_argument("--since", metavar="YYYY-MM-DD", help="first day to import (default today)")
    p.add_argument("--days", type=int, default=14, help="how many days to import (default 14)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_calendar_import)

    meetings = sub.add_parser("meetings", parents=[common], help="upcoming meetings")
    ms = meetings.add_subparsers(dest="meetings_command", metavar="ACTION", required=True)
    p = ms.add_parser("list", parents=[common], help="upcoming meetings (from today)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="only this day")
    p.add_argument("--all", action="store_true", help="past ones too")
    _rep_filters(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_meetings_list)
    p = ms.add_parser("add", parents=[common], help="add a meeting by hand")
    p.add_argument("--account", required=True, metavar="SLUG")
    p.add_argument("--kind", required=True, choices=MEETING_KINDS)
    p.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    p.add_argument("--time", metavar="HH:MM", help="start time, local (default 09:00)")
    p.add_argument("--sellers", required=True, metavar='"Name,Name"')
    p.add_argument("--buyers", metavar='"Name (Title),..."')
    p.add_argument("--goal", metavar="TEXT")
    p.add_argument("--title", metavar="TEXT")
    p.add_argument("--minutes", type=int, default=45)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_meetings_add)

    p = sub.add_parser("prep-all", parents=[common],
                       help="draft plans for every meeting of a day (default: tomorrow)")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="the day (default tomorrow)")
    p.add_argument("-j", "--jobs", type=int, metavar="N",
                   help="meetings at once (default 1 for the embedded model, 3 for hosted)")
    p.add_argument("--redo", action="store_true", help="draft again when a plan exists")
    _rep_filters(p)
    p.add_argument("--model", metavar="M", help="litellm model string")
    p.add_argument("--json", action="store_true")
    p.add_argument("-q", "--quiet", action="store_true")
    when = p.add_mutually_exclusive_group()
    when.add_argument("--background", action="store_true",
                      help="run in a detached process that outlives this terminal and the "
                      "app (one at a time per data directory); progress: --status")
    when.add_argument("--status", action="store_true",
                      help="where the last background run stands, meeting by meeting")
    when.add_argument("--run-job", metavar="JOB", help=argparse.SUPPRESS)
    p.add_argument("--lock-fd", type=int, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_prep_all)

    p = sub.add_parser("export-huddle", parents=[common],
                       help="a prep block before the meeting + the huddle agenda (.ics, .md)")
    p.add_argument("plan_id", metavar="PLAN_ID")
    p.add_argument("--ics", metavar="FILE", help="write the calendar file here")
    p.add_argument("--md", metavar="FILE", help="write the Markdown agenda here")
    p.add_argument("--start", metavar='"YYYY-MM-DD HH:MM"',
                   help="meeting start (default: from the stored meeting)")
    p.add_argument("--prep-minutes", type=int, default=30, help="prep block length (default 30)")
    p.set_defaults(func=cmd_export_huddle)
