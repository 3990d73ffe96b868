"""What every Huddle screen shares: the nav bar, the one worker-failure handler, services.

``WorkerFailures`` is mixed into the app and every screen: it is the single place where a
worker's ``ERROR`` becomes a modal (a :class:`HuddleError`, with what to do) or a
notification (anything else, logged), and where ``CANCELLED`` is reported. It then posts
:class:`~tui.messages.WorkFailed` / :class:`~tui.messages.WorkCancelled` so the screen that
started the work can restore its state (nothing the user typed is ever cleared).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tui.messages import WorkCancelled, WorkFailed

if TYPE_CHECKING:
    from tui.app import HuddleApp, Services

log = logging.getLogger("tui")

# (mode, binding id, label) in nav-bar order
NAV: list[tuple[str, str, str]] = [
    ("home", "go.home", "Home"),
    ("prep", "go.prep", "Prep"),
    ("review", "go.review", "Review"),
    ("reflect", "go.reflect", "Reflect"),
    ("icp", "go.icp", "ICP"),
    ("knowledge", "go.knowledge", "Knowledge"),
    ("settings", "go.settings", "Settings"),
]


def error_text(error: BaseException | None) -> tuple[str, str, bool]:
    """(title, message, is_user_error) for a worker's exception."""
    from assistant.errors import HuddleError

    if isinstance(error, HuddleError):
        return error.title, error.message, True
    if error is None:
        return "Error", "the task failed", False
    return "Unexpected error", f"{type(error).__name__}: {error}", False


class WorkerFailures:
    """Mixin: the one ``Worker.StateChanged`` handler of the app and of every screen."""

    def restore_state(self, group: str) -> dict[str, Any]:
        """What the UI had when ``group``'s work started (screens override)."""
        return {}

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        node: Any = self
        if event.state == WorkerState.ERROR:
            title, message, user_error = error_text(worker.error)
            if not user_error:
                log.error("worker %s failed", worker.group, exc_info=worker.error)
            node.app.show_error(title, message, modal=user_error)
            node.post_message(WorkFailed(worker.group, title, message,
                                         restore=self.restore_state(worker.group)))
        elif event.state == WorkerState.CANCELLED:
            node.post_message(WorkCancelled(worker.group))


class NavBar(Static):
    """One line: the app's name and every screen with its key; the current one highlighted."""

    DEFAULT_CSS = """
    NavBar { height: 1; background: $panel; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, current: str) -> None:
        super().__init__(id="nav")
        self.current = current

    def on_mount(self) -> None:
        self.update(self.render_nav())

    def render_nav(self) -> Content:
        app: Any = self.app
        keymap: dict[str, str] = getattr(app, "keymap", {})
        defaults: dict[str, str] = getattr(app, "NAV_KEYS", {})
        narrow = app.size.width < 100
        parts: list[Content | str] = [Content.styled("Huddle", "bold $accent"),
                                      " " if narrow else "  "]
        for mode, binding_id, label in NAV:
            key = keymap.get(binding_id, defaults.get(binding_id, "")).split(",")[0]
            text = Content.assemble(Content.styled(key, "bold $accent"), " ", label)
            text = text if narrow else Content.assemble(" ", text, " ")
            if mode == self.current:
                text = text.stylize("bold reverse")
            parts += [text.stylize(f"@click=app.goto('{mode}')"), " " if narrow else ""]
        if not narrow:
            parts.append(Content.styled(" ? keys", "dim"))
        return Content.assemble(*parts)

    def on_resize(self) -> None:
        self.update(self.render_nav())


class HuddleScreen(WorkerFailures, Screen[None]):
    """A top-level screen (one per app mode)."""

    MODE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name, id, classes)
        self._born_styled()

    def _born_styled(self) -> None:
        """Start with what Textual would otherwise restyle every widget for once mounted.

        A mode's screen is created as its mode is first shown. Textual marks a new screen as
        styled with no CSS version (-1), so showing the mode re-parses every stylesheet from
        scratch and restyles the app, though the CSS has not changed since the app parsed it;
        and the first resize adds the width's breakpoint class (``-wide`` / ``-narrow``),
        which restyles the whole screen again. Both come before the first frame of Home. The
        screen is born with the app's CSS version (a later theme change still bumps the app's
        and restyles it when shown) and with its breakpoint class (Textual keeps it up to date
        on every resize, as before).
        """
        from textual._context import active_app

        app = active_app.get(None)
        if app is None:
            return
        self._css_update_count = app._css_update_count
        width = app.size.width
        own = self.HORIZONTAL_BREAKPOINTS
        marks = sorted((app.HORIZONTAL_BREAKPOINTS if own is None else own) or [], reverse=True)
        wide = next((name for at, name in marks if width >= at), None)
        if wide is not None:
            self.add_class(wide, update=False)  # not mounted: styled when it is

    def compose_nav(self) -> ComposeResult:
        yield NavBar(self.MODE)

    def compose_footer(self) -> ComposeResult:
        yield Footer(show_command_palette=False, compact=True)

    @property
    def huddle_app(self) -> HuddleApp:
        return self.app  # type: ignore[return-value]

    @property
    def services(self) -> Services:
        return self.huddle_app.services

    def commands(self) -> list[tuple[str, str, Any]]:
        """(title, help, callback) this screen adds to the command palette."""
        return []

    def step_reporter(
        self, run: int, started: type[Message], finished: type[Message],
        cancelled: type[Exception],
    ) -> Callable[[str, dict[str, Any]], None]:
        """A workflow's ``on_event`` for the worker thread it is called in.

        Posts ``started(run, node)`` and ``finished(run, node, seconds)`` for each step, and
        raises ``cancelled`` at the next step once the worker was cancelled (the workflow
        stops there; what it saved before stays).
        """
        worker = get_current_worker()

        def on_event(kind: str, data: dict[str, Any]) -> None:
            if worker.is_cancelled:
                raise cancelled()
            if kind == "node_started":
                self.post_message(started(run, data["node"]))  # type: ignore[call-arg]
            elif kind == "node_finished":
                self.post_message(
                    finished(run, data["node"], data["seconds"]))  # type: ignore[call-arg]

        return on_event
