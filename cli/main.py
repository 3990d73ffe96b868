"""The ``huddle`` command line: a face over the ``assistant`` API, beside ``tui`` and ``evals``.

One module per command group (:mod:`cli.kb`, :mod:`cli.prep`, :mod:`cli.meetings`,
:mod:`cli.reflect`, :mod:`cli.outcomes`, :mod:`cli.review`), each with a
``register(subparsers, common)``. Every subcommand parses its arguments here and imports heavy
modules only when it runs, so ``huddle --help`` answers at once. The other faces (``tui``,
``evals``) add their subcommands through the ``huddle.commands`` entry-point group, and
``huddle`` with no command runs the ``huddle.default`` entry point (the app).

Errors: every exception a command raises becomes one message on stderr that says what
happened and what to do (``assistant.cli_errors``): exit 2 for bad input (a
:class:`~assistant.errors.HuddleError`, a wrong path), 1 for a failure (the model, a database,
a bug; ``-v`` prints the traceback); a bad knowledge base exits 1 from ``kb check``.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from cli.common import Handler, common_parser, safe_text, settings_from

if TYPE_CHECKING:
    from importlib.metadata import EntryPoints

    from assistant.clock import Clock

Register = Callable[[Any, argparse.ArgumentParser], None]


def core_commands() -> tuple[Register, ...]:
    """The command groups of this face, in the order ``huddle --help`` lists them (imported
    when a parser is built: ``huddle`` alone opens the app without them)."""
    from cli import (
        doctor,
        importing,
        kb,
        meetings,
        outcomes,
        prep,
        reflect,
        review,
        status,
        team,
    )

    return (kb.register, prep.register, meetings.register, reflect.register, outcomes.register,
            review.register, importing.register, doctor.register, status.register,
            team.register)


def build_parser() -> argparse.ArgumentParser:
    common = common_parser()
    parser = argparse.ArgumentParser(
        prog="huddle",
        description="Huddle: call prep and retrospectives for B2B sellers, local-first.",
        parents=[common],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for register in (*core_commands(), *_plugin_commands()):
        register(sub, common)
    return parser


def _app_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options of ``huddle`` alone (``--kb``, ``--data-dir``, ``-v``), or None when
    ``argv`` names a command, asks for help or is not valid: those go through the full parser,
    which words every error as before. The app then starts without building the parser of
    every command (and importing their modules) first."""
    if any(a in ("-h", "--help") or a.startswith("-h") and not a.startswith("--")
           for a in argv):
        return None
    parser = argparse.ArgumentParser(prog="huddle", add_help=False, parents=[common_parser()],
                                     exit_on_error=False)
    try:
        args, rest = parser.parse_known_args(list(argv))
    except argparse.ArgumentError:
        return None
    return None if rest else args


@functools.cache
def _entry_points() -> EntryPoints:
    """Every installed entry point, read once per process (a scan of all distributions)."""
    from importlib.metadata import entry_points

    return cast("EntryPoints", entry_points())


def _plugin_commands() -> list[Register]:
    out = []
    for ep in sorted(_entry_points().select(group="huddle.commands"), key=lambda e: e.name):
        try:
            out.append(ep.load())
        except ImportError as exc:  # a face that is not installed: skip it, say why
            logging.getLogger(__name__).warning("command group %s unavailable: %s", ep.name, exc)
    return out


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """Run one command; ``clock`` (an ``assistant.clock.Clock``) is "now" for the service."""
    quick = _app_args(sys.argv[1:] if argv is None else argv)
    func: Handler | None = _default_command() if quick is not None else None
    if func is not None and quick is not None:  # `huddle` alone: the app, at once
        args = quick
    else:
        parser = build_parser()
        args = parser.parse_args(argv)
        func = getattr(args, "func", None)
        if func is None:
            func = getattr(args, "default_func", None) or _default_command()
            if func is None:
                parser.print_help()
                return 0
    args.clock = clock
    if getattr(args, "verbose", False):
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
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
    """``huddle`` with no command opens the app when the TUI is installed.

    The ``huddle.default`` entry point is read from the installed distributions'
    ``entry_points.txt`` directly (:func:`_declared`): importing ``importlib.metadata`` alone
    costs ~60 ms before the app's first paint. When no ``.dist-info`` on ``sys.path``
    declares one, the full scan decides as before."""
    import importlib

    declared = _declared("huddle.default")
    if declared:
        module, _, attr = declared[0].partition(":")
        try:
            target: Any = importlib.import_module(module.strip())
        except ImportError:
            return None
        for name in attr.strip().split("."):
            target = getattr(target, name)
        return cast(Handler, target)
    for ep in _entry_points().select(group="huddle.default"):
        try:
            return ep.load()  # type: ignore[no-any-return]
        except ImportError:
            return None
    return None


def _declared(group: str) -> list[str]:
    """The ``module:attr`` values of ``group`` in the ``entry_points.txt`` of every
    ``*.dist-info`` directory on ``sys.path``, in path order (the first distribution of a
    name wins, as in ``importlib.metadata``); extras (``[x]``) dropped."""
    out: list[str] = []
    seen: set[str] = set()
    for entry in sys.path:
        folder = entry or "."
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith(".dist-info"))
        except OSError:
            continue
        for name in names:
            dist = name.split("-", 1)[0].lower().replace("_", "-")
            if dist in seen:
                continue
            seen.add(dist)
            try:
                with open(os.path.join(folder, name, "entry_points.txt"),
                          encoding="utf-8") as f:
                    text = f.read()
            except OSError:
                continue
            section = ""
            for line in text.splitlines():
                line = line.strip()
                if line.startswith("[") and line.endswith("]"):
                    section = line[1:-1].strip()
                elif section == group and "=" in line and not line.startswith(("#", ";")):
                    out.append(line.split("=", 1)[1].split("[", 1)[0].strip())
    return out


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
