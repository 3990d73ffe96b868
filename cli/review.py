"""``huddle review list|queue|comments|show|submit|approve|request-changes``: plan review.

``queue`` is the manager's view of the whole team (``--rep``, ``--day``); ``comments`` is the
rep's: what reviewers said on the plans they drafted (``me`` in the config, or ``--rep``).

Registered by :mod:`cli.main`; parsing and printing here, work in ``Huddle.reviews``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from cli.common import huddle_from, print_listing, safe_text


def cmd_review_list(args: argparse.Namespace) -> int:
    status = None if args.all else args.status
    day = _day(args.day)
    rows = huddle_from(args).reviews.list(status=status, rep=args.rep, day=day)
    queue = getattr(args, "queue", False)

    def line(r: dict[str, Any]) -> str:
        last = r["last_action"]
        who = f"{last['action'].replace('_', ' ')} by {last['by']} {last['at']}" if last else "-"
        rep = f"{safe_text(r.get('author') or '-'):<16} " if queue else ""
        return (f"{r['id']}  v{r['version']}  {r['meeting_date']}  {rep}{r['account']:<12} "
                f"{r['kind']:<12} {r['status']:<18} {safe_text(who)}")

    scope = "".join([f" by {args.rep}" if args.rep else "", f" for {day}" if day else ""])
    return print_listing(rows, as_json=args.json, line=line,
                         empty="no plans " + (f"{status.replace('_', ' ')}" if status else "yet")
                         + safe_text(scope))


def _day(value: str | None) -> str | None:
    import datetime as dt

    from assistant.errors import HuddleError

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise HuddleError(f"--day takes YYYY-MM-DD; got {value!r}", title="Date") from None


def cmd_review_comments(args: argparse.Namespace) -> int:
    h = huddle_from(args)
    rep = args.rep or str(h.whoami()["name"])
    rows = h.reviews.comments_for(rep)

    def line(r: dict[str, Any]) -> str:
        parts = [f"{r['plan_id']} v{r['version']}  {r['meeting_date']}  {r['account']}: "
                 f"{r['action'].replace('_', ' ')} by {r['by']} {r['at']}"]
        if r["comment"]:
            parts.append(f"    {r['comment']}")
        parts += [f"    {section}: {text}" for section, text in r["section_comments"].items()]
        return safe_text("\n".join(parts))

    return print_listing(rows, as_json=args.json, line=line,
                         empty=f"no comments on plans drafted by {safe_text(rep)}")


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

def _filters(r: argparse.ArgumentParser) -> None:
    r.add_argument("--rep", metavar="NAME", help="only plans this rep drafted")
    r.add_argument("--day", metavar="YYYY-MM-DD", help="only plans for meetings on this day")


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("review", parents=[common], help="manager review of plans")
    rv = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    r = rv.add_parser("list", parents=[common], help="plans in review (newest versions)")
    r.add_argument("--status", default="in_review",
                   choices=["draft", "in_review", "approved", "changes_requested"])
    r.add_argument("--all", action="store_true", help="every plan, any status")
    _filters(r)
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_review_list)
    r = rv.add_parser("queue", parents=[common], help="the team's review queue (managers): "
                      "newest versions in review, with the rep who drafted each")
    r.add_argument("--status", default="in_review",
                   choices=["draft", "in_review", "approved", "changes_requested"])
    r.add_argument("--all", action="store_true", help="every plan, any status")
    _filters(r)
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_review_list, queue=True)
    r = rv.add_parser("comments", parents=[common], help="what reviewers said on your plans")
    r.add_argument("--rep", metavar="NAME", help="whose plans (default: you, `me` in the "
                   "config or your login name)")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_review_comments)
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
        r.add_argument("--by", metavar="NAME", help="who (default: `me` in the config, else "
                       "your login name)")
        r.add_argument("--comment", metavar="TEXT")
        if action != "submit":
            r.add_argument("--section-comment", action="append", metavar="SECTION=TEXT",
                           help="a comment on one section (objective, context, buyers, roles, "
                           "agenda, questions, risks, stories, icp_fit, checklist); repeatable")
        r.add_argument("--json", action="store_true")
        r.set_defaults(func=_review_action(action))
