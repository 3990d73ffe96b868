"""``huddle import``: bring notes in from a CRM export, e-mail or meeting transcripts.

    huddle import salesforce|hubspot|email|transcripts SOURCE [--mapping FILE] [--dry-run]
                  [--json]

A thin call to ``Huddle.import_notes`` (``assistant.importing``): the files it writes follow
the knowledge-base contract, so they can be read, edited and committed like any note. See
docs/import.md for the mapping file and what is read and written. On a terminal, progress
("planning 12/40 records", "writing 3/9 files") goes to stderr on one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.common import huddle_from, safe_text

KINDS = ("salesforce", "hubspot", "email", "transcripts")


def tty_progress(stream: Any) -> Any:
    """An ``on_progress`` that redraws one status line on ``stream`` (None when not a TTY)."""
    if not stream.isatty():
        return None
    units = {"planning": "records", "writing": "files"}

    def show(done: int, total: int, label: str) -> None:
        phase = label.split(" ", 1)[0]
        text = (f"{phase} {done}/{total} {units.get(phase, '')}".rstrip() if total
                else safe_text(label)[:70])
        stream.write("\r\x1b[K" + text)
        if total and done >= total:
            stream.write("\n")
        stream.flush()

    return show


def cmd_import(args: argparse.Namespace) -> int:
    huddle = huddle_from(args)
    report = huddle.import_notes(args.kind, args.source, mapping=args.mapping,
                                 dry_run=args.dry_run, on_progress=tty_progress(sys.stderr))
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, default=str))
    else:
        for line in report.lines():
            print(safe_text(line))
        if not args.dry_run:
            print("next: `huddle ingest` indexes the new notes", file=sys.stderr)
    return 0 if report.ok else 1


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("import", parents=[common],
                       help="write KB notes from a CRM export, e-mail or meeting transcripts")
    p.add_argument("kind", choices=KINDS, help="what SOURCE is")
    p.add_argument("source", metavar="SOURCE",
                   help="the export folder, e-mail folder or .mbox, or transcripts folder")
    p.add_argument("--mapping", metavar="FILE",
                   help="YAML mapping: CRM stages, users, fields and accounts to the KB's "
                        "(required for salesforce and hubspot; see docs/import.md)")
    p.add_argument("--dry-run", action="store_true",
                   help="show what would be written, skipped and why; write nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)
