"""``huddle status``: who is using Huddle, and where the records and the index live.

Says which backend is in use — SQLite files and a chromadb folder (embedded) or a
PostgreSQL database and a Chroma server (team) — with any password masked.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.common import huddle_from, safe_text

LABELS = (("me", "You"), ("role", "Role"), ("mode", "Mode"), ("kb", "Knowledge base"),
          ("data_dir", "Data directory"), ("records", "Records"), ("index", "Search index"),
          ("model", "Model"))


def cmd_status(args: argparse.Namespace) -> int:
    status = huddle_from(args).status()
    if args.json:
        print(json.dumps(status, indent=2))
        return 0
    for key, label in LABELS:
        value = str(status[key])
        if key == "me" and not status["in_team"]:
            value += " (not in team.yaml: set `me` in the config or HUDDLE_ME)"
        if key == "role" and status.get("roles_enforced"):
            value += " (roles in force: only a manager approves or sends plans back)"
        print(f"{label + ':':<16} {safe_text(value)}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("status", parents=[common],
                       help="who you are and which backend holds records and the index")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)
