"""``huddle kb check|verify``, ``huddle ingest`` and ``huddle search``: the knowledge base.

Parsing and printing here; the work is in :mod:`assistant.kb`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cli.common import safe_text, settings_from


def _cmd_kb_check(args: argparse.Namespace) -> int:
    from assistant import kb

    settings = settings_from(args)
    report = kb.check(settings)
    if args.json:
        print(json.dumps({"kb": str(report.root), "ok": report.ok,
                          "problems": [p.as_dict() for p in report.problems]}, indent=2))
    elif report.ok:
        assert report.kb is not None
        k = report.kb
        print(f"{report.root}: OK — {len(k.accounts)} accounts, {len(k.notes)} notes, "
              f"{len(k.stories)} stories, {len(k.team.people)} people, "
              f"{len(k.process.stages)} stages, {len(k.icp.attributes)} ICP attributes")
    else:
        print(f"{report.root}: {len(report.problems)} problem(s)")
        print(kb.problems_as_text(report.problems))
    return 0 if report.ok else 1


def _cmd_kb_verify(args: argparse.Namespace) -> int:
    from assistant import kb

    report = kb.verify(settings_from(args))
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(report.headline)
        for p in report.problems:
            print(f"  - {p}")
        print("counts: " + ", ".join(f"{k}={v}" for k, v in report.counts.items()))
    return 0 if report.ok else 1


def _cmd_ingest(args: argparse.Namespace) -> int:
    from assistant import kb

    settings = settings_from(args)
    show = sys.stderr.isatty() and not args.quiet

    def progress(phase: str, done: int, total: int) -> None:
        if show and total:
            print(f"\r{phase}: {done}/{total} chunks", end="", file=sys.stderr, flush=True)

    report = kb.ingest(settings, rebuild=args.rebuild, progress=progress)
    if show:
        print(file=sys.stderr)
    if args.json:
        print(json.dumps({**report.__dict__, "chunks_per_second": report.chunks_per_second},
                         indent=2, default=str))
    else:
        print(f"ingested {report.kb} into {report.data_dir}: {report.summary()}")
    return 0


def _date_arg(option: str, text: str | None) -> Any:
    import datetime as dt

    from assistant.errors import HuddleError

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise HuddleError(f"{option} wants YYYY-MM-DD; got {text!r}", title="Date") from None


def _cmd_search(args: argparse.Namespace) -> int:
    from assistant import kb

    hits = kb.search(
        settings_from(args), args.query, account=args.account, kind=args.kind, k=args.k,
        outcome=args.outcome,
        date_from=_date_arg("--since", args.since), date_to=_date_arg("--until", args.until),
    )
    if args.json:
        print(json.dumps([h.as_dict() for h in hits], indent=2))
        return 0
    if not hits:
        print("no matches")
    for i, hit in enumerate(hits, start=1):
        where = hit.account or "-"
        date = hit.date.isoformat() if hit.date else "----------"
        label = hit.outcome or hit.kind
        print(f"{i:>2}. {hit.id}  [{hit.doc_type}/{label}]  {where}  {date}  score {hit.score:.4f}")
        snippet = " ".join(hit.snippet.split())
        print(f"    {safe_text(snippet[:220])}{'…' if len(snippet) > 220 else ''}")
    return 0


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    kb_p = sub.add_parser("kb", help="check or verify the knowledge base", parents=[common])
    kb_sub = kb_p.add_subparsers(dest="kb_command", metavar="ACTION", required=True)
    p = kb_sub.add_parser("check", parents=[common],
                          help="validate every file and report every problem (exit 1 if any)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_kb_check)
    p = kb_sub.add_parser("verify", parents=[common],
                          help="check that the store matches the knowledge base files")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_kb_verify)

    p = sub.add_parser("ingest", parents=[common],
                       help="index the knowledge base (incremental; --rebuild from scratch)")
    p.add_argument("--rebuild", action="store_true",
                   help="drop the store and rebuild it from files")
    p.add_argument("--json", action="store_true")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress output")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("search", parents=[common], help="search notes and stories")
    p.add_argument("query")
    p.add_argument("--account", metavar="SLUG")
    p.add_argument("--kind", help="note | story, or a note kind: call, email, meeting, research")
    p.add_argument("--outcome", choices=["won", "lost", "no-decision"])
    p.add_argument("--since", metavar="YYYY-MM-DD")
    p.add_argument("--until", metavar="YYYY-MM-DD")
    p.add_argument("-k", type=int, default=8, help="how many results (default 8)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_search)
