"""What every command group shares: the common options, the service, list output.

Imports nothing heavy: the service and the configuration load when a command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.text import safe_text

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.service import Huddle

__all__ = ["common_parser", "huddle_from", "node_progress", "print_listing", "safe_text",
           "settings_from"]

Handler = Callable[[argparse.Namespace], int]
EventHandler = Callable[[str, dict[str, Any]], None]


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


def settings_from(args: argparse.Namespace) -> Settings:
    from assistant.config import load_settings

    return load_settings(
        kb=getattr(args, "kb", None), data_dir=getattr(args, "data_dir", None),
        model=getattr(args, "model", None),
    )


def huddle_from(args: argparse.Namespace) -> Huddle:
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


def node_progress(enabled: bool, *, started: bool = True, min_seconds: float = 0.0
                  ) -> EventHandler:
    """Workflow events as progress lines on stderr (``enabled`` False: silent)."""
    def on_event(kind: str, data: dict[str, Any]) -> None:
        if not enabled:
            return
        if kind == "node_started" and started:
            print(f"  {data['node']}…", file=sys.stderr, flush=True)
        elif kind == "node_finished" and data["seconds"] >= min_seconds:
            print(f"  {data['node']} done in {data['seconds']:.1f}s", file=sys.stderr, flush=True)

    return on_event


class SectionPrinter:
    """A progressive result on a terminal: the whole text the first time, then only the
    sections a model answer changed, under a line saying what the model filled in.
    Subclasses say how a progress renders (:meth:`markdown`) and name what was filled in
    (:meth:`filled`)."""

    def __init__(self) -> None:
        self.shown = ""
        self.pending: tuple[str, ...] = ()

    def markdown(self, progress: Any) -> str:
        raise NotImplementedError

    def filled(self, done: list[str]) -> str:
        """What the model filled in, in words ("" when there is nothing to name)."""
        raise NotImplementedError

    def __call__(self, progress: Any) -> None:
        from assistant.prep.progress import changed_sections

        text = self.markdown(progress)
        if not self.shown:
            out = text
        else:
            changed = changed_sections(self.shown, text)
            if not changed:
                return
            what = self.filled([p for p in self.pending if p not in progress.pending])
            out = (f"\n*Filled in by the model: {what}.*\n\n" if what else "\n") + changed
        print(safe_text(out), flush=True)
        self.shown, self.pending = text, progress.pending


def criteria_done(done: list[str]) -> tuple[list[str], list[str]]:
    """The pending parts that were answered, split: exit criteria (their text) and the rest."""
    criteria = [p.removeprefix("criterion: ") for p in done if p.startswith("criterion: ")]
    return criteria, [p for p in done if not p.startswith("criterion: ")]
