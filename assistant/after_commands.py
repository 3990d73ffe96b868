"""CLI subcommands for after the call: ``reflect``, ``outcome``, ``icp`` and ``review``.

Registered by ``assistant.cli``; parsing and printing here, work in ``assistant.service``
(``Huddle.reflections``, ``Huddle.record_outcome``, ``Huddle.ledger``, ``Huddle.reviews``).

``huddle reflect`` prints the proposal and then asks accept / edit / reject per item on a
terminal, or takes ``--accept-all`` / ``--decisions FILE.json``; without either and without
a terminal it stops at the checkpoint and says how to resume.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.cli import huddle_from, print_listing, safe_text
from assistant.plan import MEETING_KINDS
from knowledge.errors import HuddleError


def _progress(enabled: bool) -> Any:
    def on_event(kind: str, data: dict[str, Any]) -> None:
        if enabled and kind == "node_finished" and data["seconds"] >= 0.5:
            print(f"  {data['node']} done in {data['seconds']:.1f}s", file=sys.stderr,
                  flush=True)

    return on_event


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


def _ask(items: list[Any], stages: list[str]) -> dict[str, Any] | None:
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


def _finish(huddle: Any, run: Any, args: argparse.Namespace) -> int:
    from assistant.reflect.render import proposal_lines, reflection_markdown

    decisions = _load_decisions(args)
    if run.status in ("running", "writing"):  # stopped half-way: finish what it can
        run = huddle.reflections.resume(run.run_id, on_event=_progress(not args.json))
    if run.awaiting_review:
        if not args.json:
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


def _run_json(run: Any) -> dict[str, Any]:
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
    run = huddle.reflections.start(
        notes=args.notes, plan_id=args.plan, account=args.account, kind=args.kind,
        date=args.date, sellers=args.sellers, author=args.author,
        on_event=_progress(not args.json and not args.quiet),
    )
    return _finish(huddle, run, args)


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


def cmd_outcome(args: argparse.Namespace) -> int:
    huddle = huddle_from(args)
    result = huddle.record_outcome(
        args.account, args.outcome, reason=args.reason, competitor=args.competitor,
        date=args.date, cycle_days=args.cycle_days, people_involved=args.people,
        delivery_friction=args.friction, satisfaction=args.satisfaction,
        deal_size=args.deal_size, by=args.by,
    )
    if args.json:
        print(json.dumps(result.as_dict(), indent=2, default=str))
        return 0
    row = result.row
    print(f"{result.action} {row.key}: {row.outcome}"
          + (f" ({safe_text(row.competitor)})" if row.competitor else ""))
    facts = [f"cycle {row.cycle_days} days" if row.cycle_days is not None else "cycle unknown",
             f"{row.people_involved} people involved" if row.people_involved is not None
             else "people involved unknown"]
    if row.outcome == "won":
        facts.append(f"delivery friction {row.delivery_friction or 'unknown'}")
        facts.append(f"satisfaction {row.satisfaction or 'unknown'}")
    print("  " + "; ".join(facts))
    for key, how in result.derived.items():
        print(f"  {key}: {how}")
    fit = row.fit or {}
    if fit.get("mismatch"):
        print("  outside the stated ICP on: " + ", ".join(fit["mismatch"])
              + " — recorded as evidence for refining it")
    return 0


def cmd_icp(args: argparse.Namespace) -> int:
    from assistant.reflect.render import ledger_text

    huddle = huddle_from(args)
    kb = huddle.kb
    if args.attribute and kb.icp.find(args.attribute) is None:
        raise HuddleError(f"unknown ICP attribute {args.attribute!r}; attributes: "
                          + ", ".join(a.name for a in kb.icp.attributes), title="ICP")
    ledger = huddle.ledger
    table = ledger.table(kb.icp)
    if args.attribute:
        table = [e for e in table if e.attribute == args.attribute]
    if args.json:
        print(json.dumps({"all_deals": ledger.base_rate().as_dict(),
                          "values": [e.as_dict() for e in table]}, indent=2))
        return 0
    print(ledger_text(table, kb.icp, ledger.base_rate(), attribute=args.attribute,
                      sources=args.sources), end="")
    return 0


def cmd_icp_explain(args: argparse.Namespace) -> int:
    from assistant.reflect.render import fit_text

    fit = huddle_from(args).icp_explain(args.account)
    print(json.dumps(fit.as_dict(), indent=2, default=str) if args.json else fit_text(fit),
          end="" if not args.json else "\n")
    return 0


def cmd_review_list(args: argparse.Namespace) -> int:
    status = None if args.all else args.status
    rows = huddle_from(args).reviews.list(status=status)

    def line(r: dict[str, Any]) -> str:
        last = r["last_action"]
        who = f"{last['action'].replace('_', ' ')} by {last['by']} {last['at']}" if last else "-"
        return (f"{r['id']}  v{r['version']}  {r['meeting_date']}  {r['account']:<12} "
                f"{r['kind']:<12} {r['status']:<18} {safe_text(who)}")

    return print_listing(rows, as_json=args.json, line=line,
                         empty="no plans " + (f"{status.replace('_', ' ')}" if status else "yet"))


def cmd_review_show(args: argparse.Namespace) -> int:
    from assistant.reflect.render import review_text

    view = huddle_from(args).reviews.show(args.id)
    print(json.dumps(view.as_dict(), indent=2) if args.json else safe_text(review_text(view)))
    return 0


def _review_action(action: str) -> Any:
    def run(args: argparse.Namespace) -> int:
        from assistant.reviews import parse_section_comments

        reviews = huddle_from(args).reviews
        sections = parse_section_comments(getattr(args, "section_comment", None))
        if action == "submit":
            event = reviews.submit(args.id, by=args.by, comment=args.comment)
        elif action == "approve":
            event = reviews.approve(args.id, by=args.by, comment=args.comment,
                                    section_comments=sections)
        else:
            event = reviews.request_changes(args.id, by=args.by, comment=args.comment,
                                            section_comments=sections)
        if args.json:
            print(json.dumps(event.as_dict(), indent=2))
        else:
            print(f"{event.plan_id} v{event.version}: {event.from_status} → {event.to_status} "
                  f"by {safe_text(event.by)} at {event.at}")
        return 0

    return run


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
    _decision_args(p)
    p.add_argument("--model", metavar="M", help="litellm model string")
    p.add_argument("--json", action="store_true")
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

    p = sub.add_parser("outcome", parents=[common], help="record a deal's outcome in the ICP "
                       "evidence ledger")
    p.add_argument("account", metavar="ACCOUNT")
    p.add_argument("outcome", choices=["won", "lost", "no-decision"])
    p.add_argument("--reason", metavar="TEXT", help="why it was won or lost")
    p.add_argument("--competitor", metavar="NAME", help="who won it (losses) or who we beat")
    p.add_argument("--date", metavar="YYYY-MM-DD", help="when (default: today)")
    p.add_argument("--cycle-days", type=int, metavar="N",
                   help="first meeting to outcome (default: from the first note)")
    p.add_argument("--people", type=int, metavar="N", help="people involved on their side")
    p.add_argument("--friction", choices=["low", "medium", "high"],
                   help="wins: how hard delivery was, when known")
    p.add_argument("--satisfaction", type=int, choices=range(1, 6), metavar="1-5",
                   help="wins: customer satisfaction after delivery, when known")
    p.add_argument("--deal-size", type=float, metavar="N")
    p.add_argument("--by", metavar="NAME", help="who records it")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_outcome)

    p = sub.add_parser("icp", parents=[common], help="the ICP evidence ledger; `icp explain "
                       "ACCOUNT` for one account's fit")
    p.add_argument("--attribute", metavar="NAME", help="only this attribute")
    p.add_argument("--sources", action="store_true", help="list the stories, outcomes and "
                   "reflections behind each count")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_icp)
    ps = p.add_subparsers(dest="icp_command", metavar="ACTION")
    e = ps.add_parser("explain", parents=[common], help="an account's fit with the evidence")
    e.add_argument("account", metavar="ACCOUNT")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_icp_explain)

    p = sub.add_parser("review", parents=[common], help="manager review of plans")
    rv = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    r = rv.add_parser("list", parents=[common], help="plans in review (newest versions)")
    r.add_argument("--status", default="in_review",
                   choices=["draft", "in_review", "approved", "changes_requested"])
    r.add_argument("--all", action="store_true", help="every plan, any status")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_review_list)
    r = rv.add_parser("show", parents=[common], help="a plan's review: history, comments, "
                      "what changed since the last version")
    r.add_argument("id")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_review_show)
    for name, action, helptext in (
            ("submit", "submit", "send a draft for review"),
            ("approve", "approve", "approve a plan in review"),
            ("request-changes", "request_changes", "send a plan back with comments")):
        r = rv.add_parser(name, parents=[common], help=helptext)
        r.add_argument("id")
        r.add_argument("--by", metavar="NAME", help="who (default: your login name)")
        r.add_argument("--comment", metavar="TEXT")
        if action != "submit":
            r.add_argument("--section-comment", action="append", metavar="SECTION=TEXT",
                           help="a comment on one section (objective, context, buyers, roles, "
                           "agenda, questions, risks, stories, icp_fit, checklist); repeatable")
        r.add_argument("--json", action="store_true")
        r.set_defaults(func=_review_action(action))


def _decision_args(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--accept-all", action="store_true", help="accept every proposed item")
    g.add_argument("--reject-all", action="store_true", help="write nothing")
    g.add_argument("--decisions", metavar="FILE.json", help='{"f1": "accept", "i1": '
                   '"reject", "stage": {"action": "edit", "value": "Solution"}}')
