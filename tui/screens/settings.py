"""Settings: which model, local-only mode, knowledge base, data directory, keys.

Read-only: it shows what is in effect and where each value comes from, so a rep can check
before a night of prep that nothing leaves the laptop. Change values in the config file or
the environment (names shown) and restart.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from tui.screens.base import HuddleScreen


def settings_rows(settings: Any, store_state: str, keymap: dict[str, str],
                  config_file: str) -> list[tuple[str, str | Content, str]]:
    """(label, value, how to change) for the settings view."""
    from assistant.views import privacy_tier

    llm = settings.llm
    tier = privacy_tier(llm)
    where = Content.styled(str(tier), "bold $success" if "local" in str(tier) else
                           "bold $warning")
    local_only = Content.styled("on — hosted providers are refused" if llm.local_only else
                                "off", "bold $success" if llm.local_only else "")
    return [
        ("Model", llm.model, "HUDDLE_MODEL or [llm] model"),
        ("Runs", where, "local: on this machine; hosted: text leaves it"),
        ("Local-only mode", local_only, "HUDDLE_LOCAL_ONLY=1 or [llm] local_only = true"),
        ("Model threads", str(llm.threads), "HUDDLE_THREADS or [llm] threads"),
        ("Model timeout", f"{llm.timeout_s:.0f} s per call", "[llm] timeout_s"),
        ("Response cache", "on" if llm.cache else "off", "[llm] cache"),
        ("Knowledge base", str(settings.kb_path), "--kb, HUDDLE_KB or kb = \"…\""),
        ("Data directory", str(settings.data_path), "--data-dir, HUDDLE_DATA_DIR"),
        ("Store", store_state, "re-index from Knowledge (ctrl+r) or `huddle ingest`"),
        ("Records", settings.database_label, "HUDDLE_DATABASE_URL or database_url = \"…\""),
        ("Search index", settings.index_label, "HUDDLE_CHROMA_URL or chroma_url = \"…\""),
        ("You", settings.user, "HUDDLE_ME or me = \"…\" (role: team.yaml)"),
        ("Plan headlines", f"{settings.prep.model_headlines}: "
                           + ("the model writes them" if settings.prep.asks_model(llm)
                              else "code writes them (model not asked)"),
         "HUDDLE_PREP__MODEL_HEADLINES or [prep] model_headlines"),
        ("Reflection calls", _reflect_calls(settings),
         "HUDDLE_REFLECT__MODEL_FACTS, _ASSESS, _CRITERIA or [reflect]"),
        ("Evidence per plan", f"{settings.retrieval.notes_k} notes, "
                              f"{settings.retrieval.stories_k} stories", "[retrieval]"),
        ("Config file", config_file, "HUDDLE_CONFIG"),
        ("Key overrides", ", ".join(f"{k}={v}" for k, v in keymap.items()) or "none",
         "[tui.keymap] in the config file (ids in the help screen)"),
    ]


def _reflect_calls(settings: Any) -> str:
    """The reflect.model_* settings and what they mean for this model."""
    r = settings.reflect
    asked = r.asks(settings.llm)
    modes = f"{r.model_facts}/{r.model_assess}/{r.model_criteria}"
    if not asked:
        return f"{modes}: code reads the call (model not asked)"
    names = {"facts": "facts", "assessment": "assessment", "criteria": "exit criteria"}
    return f"{modes}: the model is asked " + ", ".join(
        names[c] for c in ("facts", "assessment", "criteria") if c in asked)


class SettingsScreen(HuddleScreen):
    """What is in effect, and how to change it."""

    MODE = "settings"
    HELP = "The model in use, local-only mode, the knowledge base and the data directory."
    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+r", "refresh", "Refresh", id="settings.refresh",
                tooltip="Show the values again (after the store finished indexing)"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_nav()
        with VerticalScroll(id="settings-body", classes="box") as box:
            box.border_title = "Settings in effect"
            yield Static("Loading settings…", id="settings-table")
            yield Static("Change values in the config file or the environment, then restart "
                         "Huddle. Nothing here is sent anywhere.", id="settings-hint",
                         markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.watch(self.app, "settings", self._changed)
        self.watch(self.app, "store_state", self._changed)

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def _changed(self, _: Any = None) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        app = self.huddle_app
        if app.settings is None:
            return
        from tui.config import config_path

        rows = settings_rows(app.settings, app.store_state, app.keymap, str(config_path()))
        width = max(len(label) for label, _, _ in rows) + 2
        lines = []
        for label, value, how in rows:
            lines.append(Content.assemble(
                Content.styled(label.ljust(width), "bold"),
                value if isinstance(value, Content) else Content(value)))
            lines.append(Content.styled(" " * width + how, "dim"))
        self.query_one("#settings-table", Static).update(Content("\n").join(lines))
