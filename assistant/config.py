"""Huddle's settings: one pydantic-settings object with nested sections.

Who reads what:

| section     | read by                                   |
|-------------|-------------------------------------------|
| kb/data_dir | every command (where the KB and the store live) |
| llm         | assistant.llm.gateway (with its privacy check and LocalModelConfig) |
| retrieval   | assistant.prep (how much evidence goes to the model) |
| prep        | assistant.service -> assistant.prep.graph (the parts the model is asked for) |
| reflect     | assistant.reflect.service -> assistant.reflect.graph (which model calls are made) |
| database_url, chroma_url | team mode: records in PostgreSQL, the index on a Chroma server |
| me          | who is using Huddle (plans drafted, reviews signed; default: the login name) |

Sources, strongest first: explicit arguments (CLI flags), environment (``HUDDLE_`` prefix,
``__`` for nesting: ``HUDDLE_LLM__MODEL``; plus the short aliases ``HUDDLE_MODEL``,
``HUDDLE_KB``, ``HUDDLE_DATA_DIR``, ``HUDDLE_LOCAL_MODEL``, ``HUDDLE_LOCAL_ONLY``,
``HUDDLE_DATABASE_URL``, ``HUDDLE_CHROMA_URL``, ``HUDDLE_ME``), then the
config file (``HUDDLE_CONFIG`` or ``<user config dir>/huddle/config.toml``), then defaults.

Touches only the environment and the config file; imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from knowledge.errors import HuddleError

DEMO_KB = Path(__file__).resolve().parent.parent / "knowledge" / "demo"
DEFAULT_LOCAL_MODEL = "huddle-local/qwen2.5-coder-1.5b-instruct-q4"


def default_models_dir() -> Path:
    return _platform_dir("data") / "models"


def _platform_dir(kind: str) -> Path:
    import platformdirs

    if kind == "data":
        return Path(platformdirs.user_data_dir("huddle", appauthor=False))
    return Path(platformdirs.user_config_dir("huddle", appauthor=False))


class LLMSettings(BaseModel):
    model: str = Field(
        default=DEFAULT_LOCAL_MODEL,
        description="litellm model string; the default is the embedded local model",
    )
    local_model_path: Path | None = Field(
        default=None,
        description="a GGUF file to use for the embedded model instead of the bundled one",
    )
    models_dir: Path | None = Field(
        default=None,
        description="where the embedded model's GGUF is assembled, shared by every knowledge "
        "base (default: <user data dir>/models)",
    )
    threads: int = Field(default=2, ge=1, description="CPU threads for the embedded model")
    context_tokens: int = Field(default=4096, ge=512, description="embedded model context size")
    local_only: bool = Field(
        default=False, description="refuse every hosted provider (only local models run)"
    )
    api_base: str | None = Field(
        default=None, description="base URL for an OpenAI-compatible server"
    )
    api_key: SecretStr | None = Field(default=None, description="API key for a hosted provider")
    timeout_s: float = Field(default=180.0, gt=0, description="timeout of one model call")
    max_repairs: int = Field(default=2, ge=0, le=5, description="repair attempts on invalid output")
    temperature: float = Field(default=0.0, ge=0, le=2)
    cache: bool = Field(default=True, description="cache model responses on disk")


class RetrievalSettings(BaseModel):
    notes_k: int = Field(default=8, ge=1, le=50, description="notes retrieved for a plan")
    stories_k: int = Field(default=3, ge=1, le=20, description="stories retrieved for a plan")


HeadlinesMode = Literal["auto", "always", "never"]


class PrepSettings(BaseModel):
    model_headlines: HeadlinesMode = Field(
        default="auto",
        description="whether the model is asked for the plan's headlines (objective, ask, "
        "fallback): 'auto' asks any model but the bundled embedded one (its lines were "
        "replaced by code's checks 4 times in 5 on unseen scenarios, at 10-20 s a plan), "
        "'always' and 'never' force it; code writes them from the open exit criteria "
        "otherwise",
    )

    def asks_model(self, llm: LLMSettings) -> bool:
        """Whether a plan drafted with ``llm`` asks the model for its headlines. ``auto``
        skips only the bundled embedded model (the default model without a GGUF of the
        user's own: a larger local file can earn them)."""
        return _asks(self.model_headlines, llm)


def bundled_model(llm: LLMSettings) -> bool:
    """True for the bundled embedded model: the default model without a GGUF of the user's
    own (what ``auto`` settings skip)."""
    return llm.model == DEFAULT_LOCAL_MODEL and llm.local_model_path is None


def _asks(mode: HeadlinesMode, llm: LLMSettings) -> bool:
    if mode != "auto":
        return mode == "always"
    return not bundled_model(llm)


CallMode = HeadlinesMode
"""auto | always | never: whether the model is asked (auto: any model but the bundled one)."""

REFLECT_CALLS = ("facts", "assessment", "criteria")
"""A reflection's model calls, in the graph's order (names as in its provenance)."""


class ReflectSettings(BaseModel):
    """Which of a reflection's model calls are made. Measured 2026-12-07 on unseen8 and
    unseen9 (24 calls with plans): with the bundled 1.5B model, code alone gave the same
    objective, stage, fact, ICP and exit-gap figures, and the items only the model added were
    wrong or noise but one (a seller's line as a buyer's stance, the company as a stakeholder,
    a pain filed as a decision criterion, a refusal checked as an agreed next step, an exit
    criterion met on an unrelated line): ``auto`` skips all three for it, at 20-35 s a
    reflection."""

    model_facts: CallMode = Field(
        default="auto",
        description="whether the model reads the call for stakeholders, facts and ICP "
        "evidence (reflect_facts) beside code's reading: 'auto' asks any model but the "
        "bundled embedded one (none of its items was right where code's were missing, on "
        "24 unseen calls), 'always' and 'never' force it",
    )
    model_assess: CallMode = Field(
        default="auto",
        description="whether the model checks the objective (when code finds no answer) and "
        "the plan's items (reflect_assess): 'auto' asks any model but the bundled one "
        "(1 item right, 3 wrong, on 24 unseen calls), 'always' and 'never' force it",
    )
    model_criteria: CallMode = Field(
        default="auto",
        description="whether the model is asked one question per exit criterion code cannot "
        "decide (reflect_criterion): 'auto' asks any model but the bundled one (2 answers "
        "changed a reflection on 24 unseen calls, both wrong), 'always' and 'never' force it",
    )

    def asks(self, llm: LLMSettings) -> frozenset[str]:
        """The calls a reflection with ``llm`` makes: a subset of :data:`REFLECT_CALLS`."""
        modes = {"facts": self.model_facts, "assessment": self.model_assess,
                 "criteria": self.model_criteria}
        return frozenset(name for name in REFLECT_CALLS if _asks(modes[name], llm))


class Settings(BaseSettings):
    """Everything configurable. Build with :func:`load_settings`."""

    model_config = SettingsConfigDict(
        env_prefix="HUDDLE_", env_nested_delimiter="__", extra="ignore"
    )

    kb: Path | None = Field(
        default=None, description="knowledge base folder (default: the demo KB)"
    )
    data_dir: Path | None = Field(
        default=None, description="where the store, database and caches live"
    )
    llm: LLMSettings = Field(default_factory=LLMSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    prep: PrepSettings = Field(default_factory=PrepSettings)
    reflect: ReflectSettings = Field(default_factory=ReflectSettings)
    database_url: SecretStr | None = Field(
        default=None, description="team mode: the PostgreSQL database for every record "
        "(postgresql://USER:PASSWORD@HOST:5432/DB); default: SQLite files in the data dir")
    chroma_url: SecretStr | None = Field(
        default=None, description="team mode: the Chroma server holding the search index "
        "(http://HOST:8000); default: a chromadb folder in the data dir")
    me: str | None = Field(
        default=None, description="who is using Huddle, as named in team.yaml "
        "(default: the login name)")

    @property
    def database(self) -> str | None:
        """The records database URL (None: the embedded SQLite files). Never print it:
        :attr:`database_label` masks the password."""
        return self.database_url.get_secret_value() if self.database_url else None

    @property
    def chroma(self) -> str | None:
        """The Chroma server URL (None: the embedded chromadb folder)."""
        return self.chroma_url.get_secret_value() if self.chroma_url else None

    @property
    def database_label(self) -> str:
        """Which backend holds the records, password masked (settings, status)."""
        from knowledge.database import describe_backend

        return describe_backend(self.database)

    @property
    def index_label(self) -> str:
        """Which backend holds the search index, password masked."""
        from knowledge.database import mask_url

        if not self.chroma:
            return "chromadb folder in the data directory (embedded)"
        return f"Chroma server at {mask_url(self.chroma)} (team)"

    def index_server(self) -> Any:
        """``knowledge.store.IndexServer`` for the Chroma server (None: embedded)."""
        if not self.chroma:
            return None
        from knowledge.store import IndexServer

        return IndexServer(self.chroma, self.database)

    @property
    def team_mode(self) -> bool:
        return bool(self.database or self.chroma)

    @property
    def user(self) -> str:
        """``me`` from the config, else the login name."""
        if self.me and self.me.strip():
            return " ".join(self.me.split())
        import getpass

        try:
            return getpass.getuser()
        except Exception:  # no login name in some containers
            return "unknown"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings, _AliasEnvSource(settings_cls), env_settings,
            _TomlSource(settings_cls),
        )

    # ---- derived paths -------------------------------------------------------------

    @property
    def kb_path(self) -> Path:
        return (self.kb or DEMO_KB).expanduser().resolve()

    @property
    def data_path(self) -> Path:
        """The data directory. By default one per knowledge base, so two KBs never mix."""
        if self.data_dir is not None:
            return self.data_dir.expanduser().resolve()
        kb = self.kb_path
        digest = hashlib.sha256(str(kb).encode()).hexdigest()[:8]
        return _platform_dir("data") / "kbs" / f"{kb.name}-{digest}"


class _AliasEnvSource(PydanticBaseSettingsSource):
    """Short environment names documented in the README (HUDDLE_MODEL, ...)."""

    ALIASES = {
        "HUDDLE_MODEL": ("llm", "model"),
        "HUDDLE_LOCAL_MODEL": ("llm", "local_model_path"),
        "HUDDLE_LOCAL_ONLY": ("llm", "local_only"),
        "HUDDLE_THREADS": ("llm", "threads"),
        "HUDDLE_API_BASE": ("llm", "api_base"),
        "HUDDLE_MODELS_DIR": ("llm", "models_dir"),
    }

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for env, (section, key) in self.ALIASES.items():
            if os.environ.get(env):
                out.setdefault(section, {})[key] = os.environ[env]
        return out


class _TomlSource(PydanticBaseSettingsSource):
    """The config file: ``HUDDLE_CONFIG`` or the user config dir's ``config.toml``."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        path = config_file_path()
        if not path.is_file():
            return {}
        try:
            return tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise HuddleError(
                f"{path}: not valid TOML ({exc}); fix the file or unset HUDDLE_CONFIG",
                title="Config file",
            ) from exc


def config_file_path() -> Path:
    explicit = os.environ.get("HUDDLE_CONFIG")
    return Path(explicit) if explicit else _platform_dir("config") / "config.toml"


def load_settings(
    *, kb: str | Path | None = None, data_dir: str | Path | None = None, model: str | None = None
) -> Settings:
    """Settings with CLI overrides applied on top of env and file."""
    overrides: dict[str, Any] = {}
    if kb is not None:
        overrides["kb"] = Path(kb)
    if data_dir is not None:
        overrides["data_dir"] = Path(data_dir)
    settings = Settings(**overrides)
    if model:
        settings.llm.model = model
    return settings
