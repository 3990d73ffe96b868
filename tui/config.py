"""The terminal app's own settings: key rebinding by binding id, and the theme.

Read from the ``[tui]`` table of Huddle's config file (``HUDDLE_CONFIG`` or the user config
dir's ``config.toml``; ``assistant.config.Settings`` ignores the table)::

    [tui]
    theme = "textual-dark"

    [tui.keymap]
    "go.review" = "f3"          # binding id = key(s), comma-separated
    "prep.run" = "ctrl+g,f5"

Every binding in the app has an id (the help screen lists them). Unknown ids are ignored.
Touches only the config file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class TuiConfig:
    keymap: dict[str, str] = field(default_factory=dict)
    theme: str | None = None
    problems: list[str] = field(default_factory=list)


def config_path() -> Path:
    explicit = os.environ.get("HUDDLE_CONFIG")
    if explicit:
        return Path(explicit)
    import platformdirs

    return Path(platformdirs.user_config_dir("huddle", appauthor=False)) / "config.toml"


def load_tui_config(path: Path | None = None) -> TuiConfig:
    """The ``[tui]`` table; a broken file gives defaults and a problem to show, not a crash."""
    path = path or config_path()
    if not path.is_file():
        return TuiConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return TuiConfig(problems=[f"{path}: {exc}"])
    table = data.get("tui") or {}
    keymap = table.get("keymap") or {}
    problems = []
    clean: dict[str, str] = {}
    for key, value in keymap.items():
        if isinstance(value, str) and value.strip():
            clean[str(key)] = value.strip()
        else:
            problems.append(f"{path}: [tui.keymap] {key!r} wants a key string like \"f3\"")
    theme = table.get("theme")
    return TuiConfig(keymap=clean, theme=theme if isinstance(theme, str) else None,
                     problems=problems)
