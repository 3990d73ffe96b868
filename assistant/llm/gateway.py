"""The LLM gateway: every model call in Huddle goes through :class:`Gateway`.

This is the only module that imports litellm. It owns:

- model choice: one model per gateway (``llm.model``), never switched by a retry or fallback;
- structured output: a pydantic model becomes the ``response_format`` JSON schema, the answer
  is parsed and validated, and invalid answers get at most ``llm.max_repairs`` repair turns
  before :class:`LLMInvalidOutput` is raised (error text is never returned as content);
- timeouts (``llm.timeout_s`` -> :class:`LLMTimeout`) and provider errors
  (-> :class:`LLMUnavailable` with what to check);
- a response cache in ``<data_dir>/llm_cache.sqlite`` (litellm's own cache crashes here);
- token and cost accounting per call and per gateway (``gateway.totals``);
- local-only enforcement: with ``llm.local_only`` a hosted model is refused before any call.

The embedded model is registered as the litellm provider ``huddle-local/`` (a
``litellm.CustomLLM`` running :class:`~assistant.llm.local_model.LocalLlama` in-process).

litellm is imported on first use (it takes about 5 s), with the local cost map, so
``import assistant.llm.gateway`` is fast and nothing touches the network at import.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from assistant.llm.errors import (
    LLMError,
    LLMInvalidOutput,
    LLMTimeout,
    LLMUnavailable,
    LocalOnlyViolation,
)
from assistant.llm.salvage import salvage

if TYPE_CHECKING:
    from assistant.config import LLMSettings

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)

LOCAL_PROVIDER = "huddle-local"
# Providers that run on this machine unless an api_base points elsewhere.
LOCAL_PROVIDERS = frozenset({LOCAL_PROVIDER, "ollama", "ollama_chat", "llamafile", "lm_studio"})
# Environment variables litellm reads for those providers' server address.
_PROVIDER_BASE_ENV = {
    "ollama": ("OLLAMA_API_BASE",),
    "ollama_chat": ("OLLAMA_API_BASE",),
    "llamafile": ("LLAMAFILE_API_BASE",),
    "lm_studio": ("LM_STUDIO_API_BASE",),
}
PrivacyTier = Literal["local", "hosted"]

_MAX_RAW_IN_REPAIR = 4000
_MAX_PROBLEMS = 8
_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\r?\n?(.*?)\r?\n?[ \t]*```", re.DOTALL)


# ---- results and accounting ------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """Tokens, money and time of one gateway call (summed over its attempts)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
    cached: bool = False
    model: str = ""

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
            latency_s=self.latency_s + other.latency_s,
            cached=self.cached and other.cached,
            model=self.model or other.model,
        )


@dataclass(frozen=True)
class LLMResult(Generic[T]):
    """A validated answer: ``value`` is the pydantic instance, ``raw`` the model's text."""

    value: T
    raw: str
    attempts: int
    valid_first_try: bool
    usage: Usage
    prompt_id: str
    model: str
    salvaged: bool = False  # cut off at max_tokens; the complete part was kept (llm.salvage)


@dataclass(frozen=True)
class TextResult:
    """A plain-text answer (see :meth:`Gateway.text`)."""

    text: str
    usage: Usage
    prompt_id: str
    model: str


@dataclass
class GatewayTotals:
    """Cumulative accounting of one :class:`Gateway` (what ``gateway.totals`` returns a copy of).

    ``cost_usd``/tokens count model calls actually made; answers served from the cache are
    counted in ``cache_hits`` and ``cached_cost_usd`` (what they cost when first made).
    """

    calls: int = 0
    model_calls: int = 0
    cache_hits: int = 0
    repairs: int = 0
    invalid_outputs: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cached_cost_usd: float = 0.0
    latency_s: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---- privacy ---------------------------------------------------------------------------------


def provider_of(model: str) -> str:
    """The litellm provider prefix of ``model`` ("" when the string has none)."""
    return model.split("/", 1)[0].strip().lower() if "/" in model else ""


def is_loopback_url(url: str) -> bool:
    """True if ``url``'s host is localhost, 127.0.0.0/8 or ::1."""
    text = url.strip()
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text).hostname
    except ValueError:
        return False
    if not host:
        return False
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def privacy_tier(model: str, api_base: str | None = None) -> PrivacyTier:
    """Whether prompts sent to ``model`` stay on this machine.

    Local: the embedded model; a local-server provider (ollama, ollama_chat, llamafile,
    lm_studio) whose address is not set elsewhere; or any provider whose ``api_base`` is a
    loopback address. Everything else — including a local-server provider pointed at another
    host, and a model string without a provider — is hosted.
    """
    provider = provider_of(model)
    if provider == LOCAL_PROVIDER:
        return "local"
    base = api_base
    if not base:
        for env in _PROVIDER_BASE_ENV.get(provider, ()):
            if os.environ.get(env):
                base = os.environ[env]
                break
    if base:
        return "local" if is_loopback_url(base) else "hosted"
    return "local" if provider in LOCAL_PROVIDERS else "hosted"


def check_local_only(settings: LLMSettings) -> None:
    """Raise :class:`LocalOnlyViolation` if local-only is on and the model is hosted."""
    if settings.local_only and privacy_tier(settings.model, settings.api_base) != "local":
        where = f" at {settings.api_base}" if settings.api_base else ""
        raise LocalOnlyViolation(
            f"Local-only mode is on, but the configured model {settings.model!r}{where} is a "
            "hosted provider: prompts would leave this machine. Use the embedded model "
            f"(unset HUDDLE_MODEL), a local server (ollama/..., or an api_base on localhost), "
            "or turn local-only off (HUDDLE_LOCAL_ONLY=false).",
        )


# ---- schema and parsing ----------------------------------------------------------------------

# Keywords OpenAI's strict structured outputs accept; anything else turns strict off.
_STRICT_KEYWORDS = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "anyOf", "$ref", "$defs", "description", "title", "pattern", "format", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
})


def response_schema(schema: type[BaseModel]) -> tuple[dict[str, Any], bool]:
    """The JSON schema sent as ``response_format`` and whether it is strict-compatible.

    Every object gets ``additionalProperties: false`` and lists all its properties as
    required (defaults are dropped: pydantic still applies them), which is what strict
    structured output demands. Length bounds (``maxLength``) are kept, because they stop a
    looping small model; they are outside OpenAI's strict subset, so ``strict`` is then off
    and the answer is still validated here.
    """
    raw = schema.model_json_schema()
    strict = True

    def walk(node: Any) -> Any:
        nonlocal strict
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "default":
                continue
            if key in ("properties", "$defs") and isinstance(value, dict):
                out[key] = {name: walk(sub) for name, sub in value.items()}
            else:
                out[key] = walk(value)
        if "properties" in out:
            out["additionalProperties"] = False
            out["required"] = list(out["properties"])
        elif out.get("type") == "object" and "additionalProperties" not in out:
            out["additionalProperties"] = False
        if out.get("additionalProperties") not in (None, False):
            strict = False  # a dict field: fine for llama.cpp, not for strict mode
        if any(k not in _STRICT_KEYWORDS for k in out if k not in ("properties", "$defs")):
            strict = False
        return out

    return walk(raw), strict


def extract_json_text(raw: str) -> str:
    """The JSON part of an answer, tolerating a ```json fence around it."""
    text = raw.strip()
    match = _FENCE.fullmatch(text) or _FENCE.search(text)
    if match and not text.startswith("{"):
        return match.group(1).strip()
    return text


def validate_answer(
    raw: str | None,
    schema: type[T],
    feedback_validator: Callable[[T], list[str]] | None = None,
    finish_reason: str | None = None,
) -> tuple[T | None, list[str]]:
    """Parse and validate one answer; returns the value or the problems found in it."""
    if raw is None or not raw.strip():
        return None, ["the answer was empty; reply with one JSON object"]
    problems: list[str] = []
    text = extract_json_text(raw)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        if finish_reason == "length":
            problem += " (the answer was cut off at the length limit: write less)"
        return None, [problem]
    try:
        value = schema.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = ".".join(str(p) for p in err["loc"]) or "(root)"
            problems.append(f"{loc}: {err['msg']}")
        return None, problems
    if feedback_validator is not None:
        problems = [str(p) for p in feedback_validator(value) if p]
        if problems:
            return None, problems
    return value, []


def salvage_answer(
    raw: str, schema: type[T], feedback_validator: Callable[[T], list[str]] | None = None
) -> T | None:
    """The complete part of an answer cut off at ``max_tokens``, if it validates."""
    value = salvage(extract_json_text(raw), schema)
    if value is None or (feedback_validator is not None and any(feedback_validator(value))):
        return None
    return value


def repair_instruction(problems: list[str]) -> str:
    shown = [p if len(p) <= 300 else p[:297] + "..." for p in problems[:_MAX_PROBLEMS]]
    more = len(problems) - len(shown)
    lines = ["Your previous answer was not valid. Problems:"]
    lines += [f"- {p}" for p in shown]
    if more > 0:
        lines.append(f"- ... and {more} more")
    lines.append(
        "Reply again with only one JSON object that matches the schema and fixes these "
        "problems. No explanations, no code fence."
    )
    return "\n".join(lines)


# ---- response cache --------------------------------------------------------------------------


class ResponseCache:
    """Raw model answers and their usage in SQLite, keyed by a request hash.

    A broken cache never breaks a call: errors are logged and the call goes to the model.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ready = False
        self._lock = threading.Lock()

    @staticmethod
    def key(
        *,
        model: str,
        prompt_id: str,
        messages: list[dict[str, Any]],
        schema: dict[str, Any] | None,
        max_tokens: int,
        temperature: float,
    ) -> str:
        payload = json.dumps(
            {
                "model": model,
                "prompt_id": prompt_id,
                "messages": messages,
                "schema": schema,
                "max_tokens": max_tokens,
                "temperature": temperature,
            },
            sort_keys=True,
            ensure_ascii=False,
            default=str,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=10)
        try:
            if not self._ready:
                with self._lock:
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.execute(
                        "CREATE TABLE IF NOT EXISTS llm_cache ("
                        " key TEXT PRIMARY KEY, model TEXT NOT NULL, prompt_id TEXT NOT NULL,"
                        " raw TEXT NOT NULL, usage TEXT NOT NULL, created_at REAL NOT NULL)"
                    )
                    conn.commit()
                    from knowledge.private import private_file

                    private_file(self.path)  # prompts quote the notes: 0600
                    self._ready = True
            yield conn
        finally:
            conn.close()

    def get(self, key: str) -> tuple[str, Usage] | None:
        try:
            with self._connect() as conn:
                row = conn.execute(
                    "SELECT raw, usage FROM llm_cache WHERE key = ?", (key,)
                ).fetchone()
        except sqlite3.Error as exc:
            log.warning("LLM cache %s unreadable (%s); calling the model", self.path, exc)
            return None
        if row is None:
            return None
        try:
            usage = Usage(**json.loads(row[1]))
        except (TypeError, ValueError):
            return None
        return row[0], usage

    def put_many(self, rows: list[tuple[str, str, str, str, Usage]]) -> None:
        """Store ``(key, model, prompt_id, raw, usage)`` rows in one transaction."""
        if not rows:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect() as conn:
                conn.executemany(
                    "INSERT OR REPLACE INTO llm_cache VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (key, model, pid, raw, json.dumps(asdict(replace(u, cached=False))),
                         time.time())
                        for key, model, pid, raw, u in rows
                    ],
                )
                conn.commit()
        except (sqlite3.Error, OSError) as exc:
            log.warning("LLM cache %s not writable (%s); answer not cached", self.path, exc)


# ---- litellm (imported lazily) ---------------------------------------------------------------

_litellm_lock = threading.Lock()
_litellm_module: Any = None


def _litellm() -> Any:
    """Import and configure litellm once: local cost map, quiet, our provider registered."""
    global _litellm_module
    if _litellm_module is not None:
        return _litellm_module
    with _litellm_lock:
        if _litellm_module is None:
            os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
            started = time.perf_counter()
            import litellm

            litellm.suppress_debug_info = True  # no "Provider List" banners on errors
            litellm.telemetry = False
            try:  # litellm writes its own log lines to stdout/stderr; the TUI owns them
                from litellm import _logging as litellm_logging

                for name in ("LiteLLM", "LiteLLM Router", "LiteLLM Proxy"):
                    logging.getLogger(name).removeHandler(litellm_logging.handler)
            except (ImportError, AttributeError):  # pragma: no cover - other versions
                pass
            _register_local_provider(litellm)
            log.info("imported litellm in %.1f s", time.perf_counter() - started)
            _litellm_module = litellm
    return _litellm_module


def _register_local_provider(litellm: Any) -> None:
    """Route ``huddle-local/...`` to the embedded model (unless a test installed a fake)."""
    if any(item.get("provider") == LOCAL_PROVIDER for item in litellm.custom_provider_map):
        return
    handler = _make_local_handler(litellm)
    litellm.custom_provider_map = [
        *litellm.custom_provider_map,
        {"provider": LOCAL_PROVIDER, "custom_handler": handler},
    ]
    if hasattr(litellm, "utils") and hasattr(litellm.utils, "custom_llm_setup"):
        litellm.utils.custom_llm_setup()


def _make_local_handler(litellm: Any) -> Any:
    from litellm import CustomLLM, ModelResponse

    class HuddleLocalLLM(CustomLLM):
        """litellm provider ``huddle-local``: the embedded GGUF run by LocalLlama."""

        def completion(  # type: ignore[override]
            self, model: str, messages: list, *args: Any, **kwargs: Any
        ) -> Any:
            from assistant.llm.local_model import LocalLlama, ensure_model_file

            optional = dict(kwargs.get("optional_params") or {})
            config = optional.pop("huddle_local", None) or {}
            if "data_dir" not in config:
                raise LLMUnavailable(
                    "The embedded model was called without Huddle's gateway configuration; "
                    "call it through assistant.llm.gateway.Gateway."
                )
            models_dir = config.get("models_dir")
            path = ensure_model_file(
                Path(config["data_dir"]), config.get("model_path"),
                models_dir=Path(models_dir) if models_dir else None,
            )
            llama = LocalLlama.shared(
                path, threads=config.get("threads", 2),
                context_tokens=config.get("context_tokens", 4096),
            )
            timeout = kwargs.get("timeout")
            timeout_s = getattr(timeout, "read", timeout)
            result = llama.chat(
                messages,
                response_format=optional.get("response_format"),
                max_tokens=int(optional.get("max_tokens") or 512),
                temperature=float(optional.get("temperature") or 0.0),
                timeout_s=float(timeout_s) if timeout_s else None,
            )
            usage = result.get("usage") or {}
            response: Any = kwargs.get("model_response") or ModelResponse()
            choice = (result.get("choices") or [{}])[0]
            response.choices[0].message.content = (choice.get("message") or {}).get("content")
            response.choices[0].finish_reason = choice.get("finish_reason") or "stop"
            response.model = f"{LOCAL_PROVIDER}/{model}"
            response.created = int(result.get("created") or time.time())
            response.usage = litellm.Usage(
                prompt_tokens=int(usage.get("prompt_tokens", 0)),
                completion_tokens=int(usage.get("completion_tokens", 0)),
                total_tokens=int(usage.get("total_tokens", 0)),
            )
            return response

        async def acompletion(  # type: ignore[override]
            self, model: str, messages: list, *args: Any, **kwargs: Any
        ) -> Any:
            return await asyncio.to_thread(self.completion, model, messages, *args, **kwargs)

    return HuddleLocalLLM()


def _own_error(exc: BaseException) -> LLMError | None:
    """Our own error raised inside a provider and wrapped by litellm, if any."""
    seen: set[int] = set()
    node: BaseException | None = exc
    while node is not None and id(node) not in seen:
        if isinstance(node, LLMError):
            return node
        seen.add(id(node))
        node = node.__cause__ or node.__context__
    return None


def _translate_error(exc: Exception, settings: LLMSettings) -> LLMError:
    """A litellm/provider exception as a Huddle error that says what to check."""
    own = _own_error(exc)
    if own is not None:
        return own
    litellm = _litellm()
    model = settings.model
    detail = str(getattr(exc, "message", "") or exc).strip().splitlines()[0:1]
    detail_text = detail[0][:300] if detail else type(exc).__name__
    if isinstance(exc, litellm.Timeout):
        return LLMTimeout(
            f"The model {model} did not answer within {settings.timeout_s:.0f} s. Check that "
            "the server is running and not overloaded, or raise llm.timeout_s.",
        )
    if isinstance(exc, litellm.AuthenticationError | litellm.PermissionDeniedError):
        return LLMUnavailable(
            f"The provider refused the API key for {model} ({detail_text}). Set the key in "
            "the provider's environment variable (e.g. OPENAI_API_KEY, ANTHROPIC_API_KEY) or "
            "HUDDLE_LLM__API_KEY.",
        )
    if isinstance(exc, litellm.ContextWindowExceededError):
        return LLMError(
            f"The prompt is too long for {model} ({detail_text}). Retrieve less evidence or "
            "use a model with a larger context.",
        )
    if isinstance(exc, litellm.NotFoundError) or "LLM Provider NOT provided" in str(exc):
        return LLMUnavailable(
            f"The model {model!r} is unknown to its provider ({detail_text}). Check "
            "HUDDLE_MODEL: it takes a litellm model string such as 'ollama/qwen2.5:1.5b' or "
            "'openai/gpt-4o-mini'.",
        )
    if isinstance(exc, litellm.RateLimitError):
        return LLMUnavailable(
            f"The provider of {model} is rate-limiting or out of quota ({detail_text}). Wait "
            "and retry, or check the account's quota.",
        )
    if isinstance(exc, litellm.BadRequestError):
        return LLMError(f"The model {model} rejected the request: {detail_text}.")
    where = settings.api_base or "the provider"
    return LLMUnavailable(
        f"Could not reach the model {model} at {where} ({detail_text}). Check that the server "
        "is running and reachable, HUDDLE_MODEL and HUDDLE_API_BASE are right, and the API "
        "key environment variable is set.",
    )


# ---- the gateway -----------------------------------------------------------------------------


@dataclass
class _Answer:
    raw: str | None
    finish_reason: str | None
    usage: Usage
    key: str | None = None
    from_cache: bool = False


class Gateway:
    """One model, reached through litellm, with validation, repairs, cache and accounting.

    Construct with ``Gateway(settings.llm, settings.data_path)``; raises
    :class:`LocalOnlyViolation` at once if local-only is on and the model is hosted.
    Thread-safe. Pass it to workflows in their runtime context, never as a module global.
    """

    def __init__(self, llm_settings: LLMSettings, data_dir: Path) -> None:
        check_local_only(llm_settings)
        self.settings = llm_settings
        self.data_dir = Path(data_dir)
        self._cache = ResponseCache(self.data_dir / "llm_cache.sqlite")
        self._totals = GatewayTotals()
        self._totals_lock = threading.Lock()

    # -- facts --

    @property
    def model(self) -> str:
        return self.settings.model

    @property
    def privacy_tier(self) -> PrivacyTier:
        return privacy_tier(self.settings.model, self.settings.api_base)

    @property
    def totals(self) -> GatewayTotals:
        """A snapshot of the cumulative accounting."""
        with self._totals_lock:
            return replace(self._totals)

    # -- calls --

    def structured(
        self,
        *,
        messages: list[dict[str, Any]],
        schema: type[T],
        prompt_id: str,
        max_tokens: int,
        feedback_validator: Callable[[T], list[str]] | None = None,
    ) -> LLMResult[T]:
        """Ask for one JSON object matching ``schema``; validate it, repair it if needed.

        ``feedback_validator`` may return extra problems (e.g. citations to unknown ids);
        they are sent back like schema errors. Raises :class:`LLMInvalidOutput` after
        ``1 + llm.max_repairs`` invalid attempts, :class:`LLMTimeout`,
        :class:`LLMUnavailable` or :class:`LocalOnlyViolation`.
        """
        check_local_only(self.settings)
        json_schema, strict = response_schema(schema)
        response_format = {
            "type": "json_schema",
            "json_schema": {"name": schema.__name__, "schema": json_schema, "strict": strict},
        }
        conversation = list(messages)
        total = Usage(cached=True, model=self.model)
        pending: list[_Answer] = []
        problems: list[str] = []
        raw: str | None = None
        max_attempts = 1 + self.settings.max_repairs
        for attempt in range(1, max_attempts + 1):
            if attempt > 1:
                bad = (raw or "(empty answer)")[:_MAX_RAW_IN_REPAIR]
                conversation = [
                    *messages,
                    {"role": "assistant", "content": bad},
                    {"role": "user", "content": repair_instruction(problems)},
                ]
            answer = self._complete(
                conversation, prompt_id=prompt_id, max_tokens=max_tokens,
                response_format=response_format, schema_for_key=json_schema, attempt=attempt,
            )
            total = total + answer.usage
            pending.append(answer)
            raw = answer.raw
            value, problems = validate_answer(raw, schema, feedback_validator,
                                              answer.finish_reason)
            salvaged = False
            if value is None and answer.finish_reason == "length" and raw:
                value = salvage_answer(raw, schema, feedback_validator)
                salvaged = value is not None
            if value is not None:
                self._store(pending, prompt_id)
                self._account(total, calls=1, repairs=attempt - 1, answers=pending)
                log.info("%s via %s: valid after %d attempt(s), %d+%d tokens, %.1f s%s%s",
                         prompt_id, self.model, attempt, total.prompt_tokens,
                         total.completion_tokens, total.latency_s,
                         " (cached)" if total.cached else "",
                         " (cut off at max_tokens; complete part kept)" if salvaged else "")
                return LLMResult(
                    value=value, raw=raw or "", attempts=attempt,
                    valid_first_try=attempt == 1 and not salvaged, usage=total,
                    prompt_id=prompt_id, model=self.model, salvaged=salvaged,
                )
            log.warning("%s via %s: attempt %d invalid: %s", prompt_id, self.model, attempt,
                        "; ".join(problems[:_MAX_PROBLEMS]))
        self._account(total, calls=1, repairs=max_attempts - 1, answers=pending, invalid=True)
        raise LLMInvalidOutput(
            f"The model {self.model} gave no valid answer for {prompt_id} after {max_attempts} "
            f"attempt(s): {'; '.join(problems[:3])}. Try again, or use a stronger model "
            "(HUDDLE_MODEL).",
            raw=raw or "", errors=problems, attempts=max_attempts, prompt_id=prompt_id,
            model=self.model,
        )

    async def astructured(
        self,
        *,
        messages: list[dict[str, Any]],
        schema: type[T],
        prompt_id: str,
        max_tokens: int,
        feedback_validator: Callable[[T], list[str]] | None = None,
    ) -> LLMResult[T]:
        """:meth:`structured` without blocking the event loop (runs in a worker thread)."""
        return await asyncio.to_thread(
            self.structured, messages=messages, schema=schema, prompt_id=prompt_id,
            max_tokens=max_tokens, feedback_validator=feedback_validator,
        )

    def text(
        self, *, messages: list[dict[str, Any]], prompt_id: str, max_tokens: int
    ) -> TextResult:
        """A plain-text answer (no schema, no repairs). Empty answers raise LLMError."""
        check_local_only(self.settings)
        answer = self._complete(messages, prompt_id=prompt_id, max_tokens=max_tokens,
                                response_format=None, schema_for_key=None, attempt=1)
        if not answer.raw or not answer.raw.strip():
            self._account(answer.usage, calls=1, repairs=0, answers=[answer], invalid=True)
            raise LLMError(f"The model {self.model} returned an empty answer for {prompt_id}.")
        self._store([answer], prompt_id)
        self._account(answer.usage, calls=1, repairs=0, answers=[answer])
        return TextResult(text=answer.raw, usage=answer.usage, prompt_id=prompt_id,
                          model=self.model)

    def prepare(self) -> None:
        """Do slow one-time work now (import litellm; assemble and load the local model).

        Meant for a background worker at start-up, so the first plan does not wait for it.
        """
        check_local_only(self.settings)
        _litellm()
        if provider_of(self.model) == LOCAL_PROVIDER:
            self._local_llama().load()

    def close(self) -> None:
        """Unload the embedded model if this gateway's configuration loaded it."""
        if provider_of(self.model) != LOCAL_PROVIDER:
            return
        from assistant.llm.local_model import MODEL_FILENAME, LocalLlama

        path = self.settings.local_model_path or self._models_dir() / MODEL_FILENAME
        LocalLlama.close_shared(Path(path).expanduser(), threads=self.settings.threads,
                                context_tokens=self.settings.context_tokens)

    # -- internals --

    def _local_llama(self) -> Any:
        from assistant.llm.local_model import LocalLlama, ensure_model_file

        # one assembled copy shared by every knowledge base (not one per data dir)
        path = ensure_model_file(self.data_dir, self.settings.local_model_path,
                                 models_dir=self._models_dir())
        return LocalLlama.shared(path, threads=self.settings.threads,
                                 context_tokens=self.settings.context_tokens)

    def _models_dir(self) -> Path:
        from assistant.config import default_models_dir

        return Path(self.settings.models_dir or default_models_dir()).expanduser()

    def _cache_model_id(self) -> str:
        parts = [self.settings.model, self.settings.api_base or ""]
        if provider_of(self.settings.model) == LOCAL_PROVIDER:
            parts.append(str(self.settings.local_model_path or "bundled"))
        return "|".join(parts)

    def _complete(
        self,
        messages: list[dict[str, Any]],
        *,
        prompt_id: str,
        max_tokens: int,
        response_format: dict[str, Any] | None,
        schema_for_key: dict[str, Any] | None,
        attempt: int,
    ) -> _Answer:
        key = None
        if self.settings.cache:
            key = ResponseCache.key(
                model=self._cache_model_id(), prompt_id=prompt_id, messages=messages,
                schema=schema_for_key, max_tokens=max_tokens,
                temperature=self.settings.temperature,
            )
            started = time.perf_counter()
            hit = self._cache.get(key)
            if hit is not None:
                raw, usage = hit
                usage = replace(usage, cached=True, latency_s=time.perf_counter() - started)
                return _Answer(raw=raw, finish_reason="stop", usage=usage, key=key,
                               from_cache=True)

        litellm = _litellm()
        local = provider_of(self.settings.model) == LOCAL_PROVIDER
        if local:
            _register_local_provider(litellm)  # cheap; re-adds it if a test fake replaced it
        kwargs: dict[str, Any] = {
            "model": self.settings.model,
            "messages": messages,
            "max_tokens": max_tokens,
            "temperature": self.settings.temperature,
            "timeout": self.settings.timeout_s,
            "metadata": {"prompt_id": prompt_id, "attempt": attempt},
        }
        if response_format is not None:
            kwargs["response_format"] = response_format
        if self.settings.api_base:
            kwargs["api_base"] = self.settings.api_base
        if self.settings.api_key is not None:
            kwargs["api_key"] = self.settings.api_key.get_secret_value()
        if local:
            kwargs["huddle_local"] = {
                "data_dir": str(self.data_dir),
                "model_path": (str(self.settings.local_model_path)
                               if self.settings.local_model_path else None),
                "models_dir": str(self._models_dir()),
                "threads": self.settings.threads,
                "context_tokens": self.settings.context_tokens,
            }
        started = time.perf_counter()
        try:
            response = litellm.completion(**kwargs)
        except Exception as exc:  # litellm raises many types; translate every one
            raise _translate_error(exc, self.settings) from exc
        latency = time.perf_counter() - started

        choice = response.choices[0] if response.choices else None
        content = getattr(getattr(choice, "message", None), "content", None)
        answer_text: str | None = None if content is None else str(content)
        finish = getattr(choice, "finish_reason", None)
        usage_obj = getattr(response, "usage", None)
        cost = 0.0
        if not local:
            try:
                cost = float(litellm.completion_cost(completion_response=response) or 0.0)
            except Exception:  # unknown models are not in the cost map
                cost = 0.0
        usage = Usage(
            prompt_tokens=int(getattr(usage_obj, "prompt_tokens", 0) or 0),
            completion_tokens=int(getattr(usage_obj, "completion_tokens", 0) or 0),
            cost_usd=cost,
            latency_s=latency,
            cached=False,
            model=self.settings.model,
        )
        return _Answer(raw=answer_text, finish_reason=finish, usage=usage, key=key)

    def _store(self, answers: list[_Answer], prompt_id: str) -> None:
        """Cache the answers of a call that ended well (failures are never cached)."""
        if not self.settings.cache:
            return
        rows = [
            (a.key, self.model, prompt_id, a.raw or "", a.usage)
            for a in answers
            if a.key is not None and not a.from_cache and a.raw is not None
        ]
        self._cache.put_many(rows)

    def _account(
        self, total: Usage, *, calls: int, repairs: int, answers: list[_Answer],
        invalid: bool = False,
    ) -> None:
        with self._totals_lock:
            t = self._totals
            t.calls += calls
            t.repairs += repairs
            t.invalid_outputs += int(invalid)
            for a in answers:
                if a.from_cache:
                    t.cache_hits += 1
                    t.cached_cost_usd += a.usage.cost_usd
                else:
                    t.model_calls += 1
                    t.prompt_tokens += a.usage.prompt_tokens
                    t.completion_tokens += a.usage.completion_tokens
                    t.cost_usd += a.usage.cost_usd
                t.latency_s += a.usage.latency_s


__all__ = [
    "LOCAL_PROVIDER",
    "LOCAL_PROVIDERS",
    "Gateway",
    "GatewayTotals",
    "LLMResult",
    "TextResult",
    "Usage",
    "check_local_only",
    "is_loopback_url",
    "privacy_tier",
    "provider_of",
    "response_schema",
    "validate_answer",
]
