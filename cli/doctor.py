"""``huddle doctor``: a thin command over :func:`assistant.doctor.run_doctor`.

Exit 0 when nothing is left to do (repairs included), 1 when a damaged record file or an
unfinished run needs a person.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.common import safe_text, settings_from

MARK = {"ok": "ok", "repaired": "REPAIRED", "damaged": "DAMAGED", "missing": "-",
        "action": "TODO"}


def cmd_doctor(args: argparse.Namespace) -> int:
    from assistant.clock import SYSTEM
    from assistant.doctor import run_doctor

    report = run_doctor(settings_from(args), repair=not args.check,
                        clock=getattr(args, "clock", None) or SYSTEM)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
        return 0 if report.ok else 1
    for f in report.findings:
        print(f"{MARK[f.status]:<9} {safe_text(f.path)}" + (f": {safe_text(f.detail)}"
                                                            if f.detail else ""))
        if f.todo and f.status != "ok":
            print(f"          what to do: {safe_text(f.todo)}")
    print("everything is in order" if report.ok else "some files need you (see above)")
    return 0 if report.ok else 1


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("doctor", parents=[common],
                       help="check the data folder against the KB; rebuild the index if needed")
    p.add_argument("--check", action="store_true",
                   help="only report: change nothing (no index rebuild)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_doctor)
