"""``huddle team migrate --from-sqlite DATA_DIR``: move one rep's local records into the team
database (``database_url``). Parsing and printing here; the work is ``Huddle.migrate_from_sqlite``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.common import huddle_from, safe_text


def cmd_team_migrate(args: argparse.Namespace) -> int:
    h = huddle_from(args)
    report = h.migrate_from_sqlite(args.from_sqlite, rep=args.rep)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
        return 0
    print(f"from {safe_text(report.source)}")
    print(f"into {safe_text(report.target)}")
    for table, copied in report.copied.items():
        print(f"  {table:<18} {copied:>6} copied   {report.already[table]:>6} already there")
    if report.unfinished:
        print(f"  {'checkpoints':<18} {report.checkpoints_copied:>6} copied   "
              f"{report.checkpoints_already:>6} already there")
    if report.resumable:
        print("unfinished reflections, now resumable on any machine (`huddle reflect resume "
              "RUN`): " + ", ".join(report.resumable))
    if report.stranded:
        print("unfinished reflections without workflow state to move (no checkpoints.sqlite "
              "entry; start them again): " + ", ".join(report.stranded))
    print("nothing new to copy" if report.total_copied == 0 else
          f"{report.total_copied} record(s) copied")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("team", parents=[common], help="team mode: move local records into the "
                       "team database")
    ts = p.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    m = ts.add_parser("migrate", parents=[common], help="copy a data directory's plans, "
                      "reviews, meetings, reflections (with the workflow state of unfinished "
                      "ones) and outcomes into the team database (idempotent)")
    m.add_argument("--from-sqlite", required=True, metavar="DATA_DIR",
                   help="the local data directory to copy from (read only)")
    m.add_argument("--rep", metavar="NAME", help="who drafted the plans that name nobody "
                   "(default: you, `me` in the config)")
    m.add_argument("--json", action="store_true")
    m.set_defaults(func=cmd_team_migrate)
