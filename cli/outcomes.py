"""``huddle outcome`` and ``huddle icp`` (``icp explain``): the ICP evidence ledger.

Registered by :mod:`cli.main`; parsing and printing here, work in ``assistant.service``
(``Huddle.record_outcome``, ``Huddle.ledger``, ``Huddle.icp_explain``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.common import huddle_from, safe_text


def cmd_outcome(args: argparse.Namespace) -> int:
    huddle = huddle_from(args)
    result = huddle.record_outcome(
        args.account, args.outcome, reason=args.reason, competitor=args.competitor,
        date=args.date, cycle_days=args.cycle_days, people_involved=args.people,
        delivery_friction=args.friction, satisfaction=args.satisfaction,
        deal_size=args.deal_size, by=args.by, close_stage=not args.keep_stage,
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
    stage = result.stage
    if stage.get("note"):
        print(f"  stage: {safe_text(str(stage['note']))}")
    elif stage and stage.get("from") != stage.get("to"):
        print(f"  stage: {safe_text(str(stage['from']))} -> {safe_text(str(stage['to']))}")
    fit = row.fit or {}
    if fit.get("mismatch"):
        print("  outside the stated ICP on: " + ", ".join(fit["mismatch"])
              + " — recorded as evidence for refining it")
    return 0


def cmd_icp(args: argparse.Namespace) -> int:
    from assistant.reflect.render import ledger_text

    huddle = huddle_from(args)
    table = huddle.icp_evidence(args.attribute)
    ledger = huddle.ledger
    if args.json:
        print(json.dumps({"all_deals": ledger.base_rate().as_dict(),
                          "values": [e.as_dict() for e in table]}, indent=2))
        return 0
    print(ledger_text(table, huddle.kb.icp, ledger.base_rate(), attribute=args.attribute,
                      sources=args.sources), end="")
    return 0


def cmd_icp_explain(args: argparse.Namespace) -> int:
    from assistant.reflect.render import fit_text

    fit = huddle_from(args).icp_explain(args.account)
    print(json.dumps(fit.as_dict(), indent=2, default=str) if args.json else fit_text(fit),
          end="" if not args.json else "\n")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
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
    p.add_argument("--keep-stage", action="store_true",
                   help="leave the account's stage as it is (by default a won or lost deal "
                   "moves to the process's Closed Won / Closed Lost stage)")
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
