"""``huddle tui`` and plain ``huddle``: open the terminal app.

Registered through the ``huddle.commands`` entry point (``register``); ``huddle`` with no
command runs ``run_default`` (entry point group ``huddle.default``). Imports Textual only
when the app actually starts, so ``huddle --help`` stays light.
"""

from __future__ import annotations

import argparse
import gc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.config import Settings


def run_app(args: argparse.Namespace) -> int:
    # No garbage collection until the first frame is written: importing Textual and building
    # the Home screen allocate enough to trigger a full collection (and a dozen young ones)
    # before it, 40-100 ms measured. The objects alive then are frozen (never scanned
    # again: modules, classes, styles), the few unreachable ones left with them (5,600
    # objects measured).
    gc.disable()
    try:
        return _run_app(args)
    finally:
        gc.enable()


def _resume_gc() -> None:
    gc.freeze()
    gc.enable()


def _run_app(args: argparse.Namespace) -> int:
    from tui.app import HuddleApp
    from tui.config import load_tui_config

    def settings() -> Settings:  # called by the app's start-up worker, after the first paint
        from assistant.config import load_settings  # pydantic-settings: ~0.2 s

        return load_settings(kb=getattr(args, "kb", None), data_dir=getattr(args, "data_dir", None),
                             model=getattr(args, "model", None))

    config = load_tui_config()
    app = HuddleApp(settings_factory=settings, keymap=config.keymap,
                    after_first_frame=_resume_gc)
    if config.theme:
        app.theme = config.theme
    for problem in config.problems:
        app.call_later(app.notify, problem, title="Config file", severity="warning")
    # Our own loop: asyncio.run() would wait for every worker thread at exit, so ctrl+q
    # during a model call would look like a freeze (see _finish).
    import asyncio

    loop = asyncio.new_event_loop()
    try:
        app.run(loop=loop)
    finally:
        asyncio.set_event_loop(None)
    return _finish(app.return_code or 0)


def _finish(code: int) -> int:
    """Leave at once even if a worker thread is still inside a model call or an import.

    Textual has restored the terminal by now. Prep, ingest and reflection writes are
    idempotent and crash-safe by design, so nothing is lost; waiting for a long model call
    to end would make ctrl+q look like a freeze.
    """
    import logging
    import os
    import sys
    import threading

    busy = [t for t in threading.enumerate()
            if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    if not busy:
        return code
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run_default(args: argparse.Namespace) -> int:
    """``huddle`` with no command: the app on the configured (default: demo) KB."""
    return run_app(args)


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("tui", parents=[common],
                       help="open the terminal app (also what `huddle` alone does)")
    p.add_argument("--model", metavar="M", help="litellm model string for this session")
    p.set_defaults(func=run_app)
