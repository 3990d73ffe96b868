"""The ``huddle`` command line: a thin face over the ``assistant`` API.

Every subcommand parses its arguments here and imports heavy modules only when it runs,
so ``huddle --help`` answers at once. Faces that live in packages ``assistant`` must not
import (``tui``, ``evals``) add their subcommands through the ``huddle.commands`` entry-point
group: each entry point is a ``register(subparsers, common)`` function.

Errors: every exception a command raises becomes one message on stderr that says what
happened and what to do (``assistant.cli_errors``): exit 2 for bad input (a
:class:`HuddleError`, a wrong path), 1 for a failure (the model, a database, a bug; ``-v``
prints the traceback); a bad knowledge base exits 1 from ``kb check``.
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from knowledge.errors import HuddleError

Handler = Callable[[argparse.Namespace], int]


def common_parser() -> argparse.ArgumentParser:
    """Options every command takes: which KB, which data directory."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--kb", metavar="DIR", default=argparse.SUPPRESS,
        help="knowledge base folder (env HUDDLE_KB; default: the bundled demo)",
    )
    common.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS,
        help="where the store, database and caches live (env HUDDLE_DATA_DIR)",
    )
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="log to stderr")
    return common


def settings_from(args: argparse.Namespace) -> Any:
    from assistant.config import load_settings

    return load_settings(
        kb=getattr(args, "kb", None), data_dir=getattr(args, "data_dir", None),
        model=getattr(args, "model", None),
    )


# ---- knowledge-base commands ---------------------------------------------------------


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


def _date_arg(option: str, text: str | None) -> Any:
    import datetime as dt

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise HuddleError(f"{option} wants YYYY-MM-DD; got {text!r}", title="Date") from None


def safe_text(text: str) -> str:
    """Text from notes or models with terminal control characters removed."""
    return "".join(ch for ch in text if ch in "\n\t" or (ch.isprintable() and ch != "\x1b"))


def huddle_from(args: argparse.Namespace) -> Any:
    """The service for a command's --kb/--data-dir/--model (imports the core lazily), on the
    clock ``main`` was given (the system clock unless a test or a script hands one in)."""
    from assistant.clock import SYSTEM
    from assistant.service import Huddle

    return Huddle(settings_from(args), clock=getattr(args, "clock", None) or SYSTEM)


def print_listing(rows: list[Any], *, as_json: bool, empty: str,
                  line: Callable[[Any], str], to_json: Callable[[Any], Any] = lambda r: r) -> int:
    """A ``list`` command's output: JSON, or one line per row, or what to do when empty."""
    if as_json:
        print(json.dumps([to_json(r) for r in rows], indent=2))
        return 0
    if not rows:
        print(empty)
    for row in rows:
        print(line(row))
    return 0


# ---- parser --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = common_parser()
    parser = argparse.ArgumentParser(
        prog="huddle",
        description="Huddle: call prep and retrospectives for B2B sellers, local-first.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

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

    for register in _core_commands() + _plugin_commands():
        register(sub, common)
    return parser


def _core_commands() -> list[Callable[[Any, argparse.ArgumentParser], None]]:
    """Command groups that live in ``assistant`` (each module has ``register``)."""
    import importlib

    out = []
    for name in ("assistant.commands", "assistant.calendar_commands", "assistant.after_commands",
                 "assistant.doctor_command"):
        try:
            out.append(importlib.import_module(name).register)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return out


@functools.cache
def _entry_points() -> Any:
    """Every installed entry point, read once per process (a scan of all distributions)."""
    from importlib.metadata import entry_points

    return entry_points()


def _plugin_commands() -> list[Callable[[Any, argparse.ArgumentParser], None]]:
    out = []
    for ep in sorted(_entry_points().select(group="huddle.commands"), key=lambda e: e.name):
        try:
            out.append(ep.load())
        except ImportError as exc:  # a face that is not installed: skip it, say why
            logging.getLogger(__name__).warning("command group %s unavailable: %s", ep.name, exc)
    return out


def main(argv: Sequence[str] | None = None, *, clock: Any = None) -> int:
    """Run one command; ``clock`` (an ``assistant.clock.Clock``) is "now" for the service."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.clock = clock
    if getattr(args, "verbose", False):
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    func: Handler | None = getattr(args, "func", None)
    if func is None:
        default = getattr(args, "default_func", None) or _default_command()
        if default is None:
            parser.print_help()
            return 0
        func = default
    try:
        code = func(args)
        sys.stdout.flush()  # a closed pipe (`| head`) shows here, inside the handler
        return code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`huddle plans list | head`): stop quietly
        _silence_stdout()
        return 1
    except Exception as exc:  # every error becomes a message (assistant.cli_errors)
        from assistant.cli_errors import explain

        code, message = explain(exc, data_dir=_data_dir(args))
        if getattr(args, "verbose", False):
            import traceback

            traceback.print_exc(file=sys.stderr)
        print(safe_text(message), file=sys.stderr)
        return code


def _data_dir(args: argparse.Namespace) -> str | None:
    try:
        return str(settings_from(args).data_path)
    except Exception:  # noqa: BLE001 - only to word a message; the settings may be the problem
        return getattr(args, "data_dir", None)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # pragma: no cover - stdout without a file descriptor
        pass


def _default_command() -> Handler | None:
    """``huddle`` with no command opens the app when the TUI is installed."""
    for ep in _entry_points().select(group="huddle.default"):
        try:
            return ep.load()  # type: ignore[no-any-return]
        except ImportError:
            return None
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
