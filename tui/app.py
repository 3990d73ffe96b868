"""Huddle in the terminal: a thin Textual face over the ``assistant`` API.

Start-up order (fast first paint): this module imports Textual and nothing heavy; the Home
screen paints with placeholders; only once that first frame is on the screen (the refresh
after Textual's ``Ready``: :attr:`HuddleApp.painted`) does the ``boot`` worker read the
settings, load the knowledge base and bring the store up to date
(``Huddle.ensure_ingested``, with progress), and the Home screen start its reads; then the
``warm`` worker imports the LLM stack and loads the embedded model. Worker threads that
import while the first frame is being built hold the GIL against it, so nothing starts
before. torch, chromadb, sentence-transformers and litellm are only ever imported inside
workers.

The app holds the one :class:`~assistant.service.Huddle` of the process (``Services``):
ingest from the Knowledge screen, prep, reviews and reflections all go through it, so this
process is the store's only writer while it runs.

Screens are app *modes* (each keeps its state while you switch): home, prep, review,
reflect, icp, knowledge, settings. Keys are bindings with ids, rebindable from the config
file's ``[tui.keymap]`` (see :mod:`tui.config`).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import var
from textual.screen import Screen

from assistant.clock import SYSTEM, Clock
from tui.messages import (
    KbLoaded,
    ModelWarmed,
    SettingsLoaded,
    StoreProgressed,
    StoreReady,
    WorkFailed,
)
from tui.screens.base import NAV, WorkerFailures

log = logging.getLogger("tui")


def _lazy(module: str, name: str) -> Callable[[], Screen[Any]]:
    def make() -> Screen[Any]:
        return getattr(importlib.import_module(module), name)()  # type: ignore[no-any-return]

    return make


NAV_KEYS = {
    "go.home": "h", "go.prep": "p", "go.review": "v", "go.reflect": "r", "go.icp": "i",
    "go.knowledge": "k", "go.settings": "s",
}
"""Default keys of the screens (rebind by id in ``[tui.keymap]``)."""


class Services:
    """The assistant-side objects the screens use. Created lazily, shared by all workers.

    Never touch ``huddle`` (or anything that loads) on the UI thread: only in workers.
    """

    def __init__(self, settings_factory: Callable[[], Any] | None = None, *,
                 settings: Any = None, huddle: Any = None, clock: Clock = SYSTEM) -> None:
        self._factory = settings_factory
        self.clock = huddle.clock if huddle is not None else clock
        self._settings = settings if settings is not None else (
            huddle.settings if huddle is not None else None)
        self._huddle = huddle
        self._lock = threading.RLock()

    @property
    def settings(self) -> Any:
        with self._lock:
            if self._settings is None:
                if self._factory is not None:
                    self._settings = self._factory()
                else:
                    from assistant.config import load_settings

                    self._settings = load_settings()
            return self._settings

    @property
    def huddle(self) -> Any:
        with self._lock:
            if self._huddle is None:
                from assistant.service import Huddle

                self._huddle = Huddle(self.settings, clock=self.clock)
            return self._huddle

    @property
    def meetings(self) -> Any:
        return self.huddle.meetings


class HuddleApp(WorkerFailures, App[None]):
    """The Huddle terminal app."""

    TITLE = "Huddle"
    SUB_TITLE = "call prep for B2B sellers"
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]
    DEFAULT_MODE = "home"
    MODES: ClassVar[dict[str, Any]] = {
        "home": _lazy("tui.screens.home", "HomeScreen"),
        "prep": _lazy("tui.screens.prep", "PrepScreen"),
        "review": _lazy("tui.screens.review", "ReviewScreen"),
        "reflect": _lazy("tui.screens.reflect", "ReflectScreen"),
        "icp": _lazy("tui.screens.icp", "IcpScreen"),
        "knowledge": _lazy("tui.screens.knowledge", "KnowledgeScreen"),
        "settings": _lazy("tui.screens.settings", "SettingsScreen"),
    }
    NAV_KEYS: ClassVar[dict[str, str]] = NAV_KEYS
    BINDINGS: ClassVar[list[Any]] = [
        *(Binding(NAV_KEYS[bid], f"goto('{mode}')", label, id=bid, show=False,
                  tooltip=f"Go to the {label} screen")
          for mode, bid, label in NAV),
        Binding("question_mark,f1", "help", "Keys", id="help",
                tooltip="List every key of this screen and the others"),
        Binding("escape", "blur", "Leave field", id="blur", show=False,
                tooltip="Leave the text field, so single-letter keys work again"),
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True,
                tooltip="Quit Huddle (running work is cancelled; nothing saved is lost)"),
    ]
    kb: var[Any] = var(None, init=False)
    """The loaded knowledge base (None until the boot worker loads it)."""
    store_state: var[str] = var("loading")
    """``loading`` | ``indexing N/M`` | ``ready`` | ``error``."""
    settings: var[Any] = var(None, init=False)
    painted: var[bool] = var(False, init=False)
    """True once the first frame is on the screen: start-up work waits for it."""

    def __init__(self, *, settings: Any = None, settings_factory: Callable[[], Any] | None = None,
                 huddle: Any = None, clock: Clock = SYSTEM,
                 monotonic: Callable[[], float] | None = None,
                 keymap: dict[str, str] | None = None, warm: bool = True,
                 log_to_file: bool = True,
                 after_first_frame: Callable[[], None] | None = None) -> None:
        super().__init__()
        self.services = Services(settings_factory, settings=settings, huddle=huddle, clock=clock)
        self.clock: Clock = self.services.clock
        """The service's clock (the Huddle's own when one is handed in): "today" everywhere."""
        self.monotonic: Callable[[], float] = monotonic or time.monotonic
        self.keymap: dict[str, str] = dict(keymap or {})
        self._warm = warm
        self._log_to_file = log_to_file
        self.config_problems: list[str] = []
        self.started_at = time.perf_counter()
        self._after_first_frame = after_first_frame
        """Called once the first frame is written, before the start-up work begins (``huddle``
        resumes the garbage collector it paused for the start: :func:`tui.cli.run_app`)."""

    # ---- start-up --------------------------------------------------------------------------

    def on_mount(self) -> None:
        if self.keymap:
            self.set_keymap(self.keymap)

    def on_ready(self) -> None:
        """Textual posts ``Ready`` once, on the first layout, which it renders before the app
        runs and never writes: the frame the terminal gets is the next refresh's. Start-up
        work waits for that one (a thread importing meanwhile holds the GIL against it)."""
        self.call_after_refresh(self._first_frame_written)

    def _first_frame_written(self) -> None:
        if self._after_first_frame is not None:
            self._after_first_frame()
        self.painted = True
        self.boot()

    @work(thread=True, exclusive=True, group="boot", exit_on_error=False,
          description="Loading the knowledge base and the store")
    def boot(self) -> None:
        """Settings, KB, store; then warm the model. Runs after the first paint."""
        services = self.services
        settings = services.settings
        self.post_message(SettingsLoaded(settings))
        if self._log_to_file:
            _log_to_file(settings.data_path / "huddle-tui.log")
        huddle = services.huddle
        self.post_message(KbLoaded(huddle.kb))
        services.meetings  # noqa: B018 - creates the meetings table before screens read it

        def progress(phase: str, done: int, total: int) -> None:
            self.post_message(StoreProgressed(phase, done, total))

        # a background prep-all checks the index as it starts: wait for it, not fail
        wait = 120 if huddle.background_prep_active() else 0
        report = huddle.ensure_ingested(progress, wait_s=wait)
        changed = bool(report.added or report.changed or report.deleted)
        _ = huddle.retriever  # opens the store: chromadb loads here, in the background
        self.post_message(StoreReady(report.summary(), changed))
        if self._warm:
            self.warm()

    @work(thread=True, exclusive=True, group="warm", exit_on_error=False,
          description="Loading the model")
    def warm(self) -> None:
        self.post_message(ModelWarmed(self.services.huddle.warm()))

    @on(SettingsLoaded)
    def _settings_loaded(self, event: SettingsLoaded) -> None:
        self.settings = event.settings

    @on(KbLoaded)
    def _kb_loaded(self, event: KbLoaded) -> None:
        self.kb = event.kb

    @on(StoreProgressed)
    def _store_progress(self, event: StoreProgressed) -> None:
        if event.total:
            self.store_state = f"indexing {event.done}/{event.total}"

    @on(StoreReady)
    def _store_ready(self, event: StoreReady) -> None:
        self.store_state = "ready"
        if event.changed:
            self.notify(event.summary, title="Knowledge base indexed")

    @on(WorkFailed)
    def _boot_failed(self, event: WorkFailed) -> None:
        if event.group == "boot":
            self.store_state = "error"

    def retry_boot(self) -> None:
        """Try the start-up again (after fixing the KB or closing another Huddle)."""
        self.store_state = "loading"
        self.boot()

    # ---- errors ----------------------------------------------------------------------------

    def show_error(self, title: str, message: str, *, modal: bool = True) -> None:
        """A modal for errors the user can act on; a notification for everything else."""
        from tui.screens.modals import ErrorModal

        if modal:
            self.push_screen(ErrorModal(title, message))
        else:
            self.notify(f"{message}\n(details in huddle-tui.log in the data directory)",
                        title=title, severity="error", timeout=10, markup=False)

    # ---- actions ---------------------------------------------------------------------------

    def action_goto(self, mode: str) -> None:
        if mode in self.MODES:
            self.switch_mode(mode)

    async def action_open_plan(self, plan_id: str) -> None:
        """Open a saved plan in the Prep screen."""
        await self.switch_mode("prep")
        self.screen.open_plan(plan_id)  # type: ignore[attr-defined]

    async def action_open_meeting(self, meeting_id: str) -> None:
        """Load a stored meeting into the Prep form."""
        await self.switch_mode("prep")
        self.screen.open_meeting(meeting_id)  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))

    def action_blur(self) -> None:
        self.screen.set_focus(None)

    # ---- command palette -------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for mode, _bid, label in NAV:
            yield SystemCommand(f"Go to {label}", _NAV_HELP[mode],
                                lambda mode=mode: self.action_goto(mode))
        yield SystemCommand("Keys", "List every key binding (help)", self.action_help)
        yield SystemCommand("Import calendar (.ics)",
                            "Read a calendar export and add its customer meetings",
                            lambda: self._home_action("import_calendar"))
        yield SystemCommand("Prepare tomorrow's meetings",
                            "Draft a plan for every meeting tomorrow, with progress",
                            lambda: self._home_action("prep_all"))
        yield SystemCommand("Re-index the knowledge base",
                            "Ingest changed notes and stories (progress on the Knowledge screen)",
                            lambda: self._knowledge_action("ingest"))
        yield SystemCommand("Import notes (CRM export, e-mail, transcripts)",
                            "Preview, then write KB notes from where reps keep them; re-index",
                            lambda: self._knowledge_action("import_notes"))
        commands = getattr(screen, "commands", None)
        if commands is not None:
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)
        yield from super().get_system_commands(screen)

    async def _home_action(self, action: str) -> None:
        await self.switch_mode("home")
        await self.screen.run_action(action)

    async def _knowledge_action(self, action: str) -> None:
        await self.switch_mode("knowledge")
        await self.screen.run_action(action)

    # ---- time ------------------------------------------------------------------------------

    def today(self) -> dt.date:
        return self.clock.today()

    def tomorrow(self) -> dt.date:
        return self.clock.tomorrow()


_NAV_HELP = {
    "home": "Upcoming meetings, accounts with stage and ICP fit, recent plans",
    "prep": "Pick or create a meeting and draft its plan",
    "review": "The manager's queue: approve plans or request changes",
    "reflect": "After the call: notes in, confirmed facts and ICP evidence out",
    "icp": "The ICP ledger: win rates per attribute, and the evidence behind them",
    "knowledge": "Search or list notes and where each came from, import notes, re-index",
    "settings": "Model, local-only mode, knowledge base and data directory",
}


def _log_to_file(path: Any) -> None:
    """The core logs with ``logging``; in the app that goes to a file, never the terminal."""
    root = logging.getLogger()
    if any(isinstance(h, logging.FileHandler) for h in root.handlers):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
