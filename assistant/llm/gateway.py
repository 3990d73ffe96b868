"""The LLM gateway: every model call in Huddle goes through :class:`Gateway`.

The gateway owns:

- model choice: one model per gateway (``llm.model``), never switched by a retry or fallback;
- structured output: a pydantic model becomes the ``response_format`` JSON schema, the answer
  is parsed and validated, and invalid answers get at most ``llm.max_repairs`` repair turns
  before :class:`LLMInvalidOutput` is raised (error text is never returned as content);
- timeouts (``llm.timeout_s`` -> :class:`LLMTimeout`) and provider errors
  (-> :class:`LLMUnavailable` with what to check);
- a response cache in ``<data_dir>/llm_cache.sqlite`` (litellm's own cache crashes here);
- token and cost accounting per call and per gateway (``gateway.totals``);
- local-only enforcement: with ``llm.local_only`` a hosted model is refused before any call.

Its pieces live beside it, one concern each (this module re-exports their public names, so
``from assistant.llm.gateway import ...`` keeps working):

- :mod:`~assistant.llm.privacy`: privacy tier of a model, local-only enforcement;
- :mod:`~assistant.llm.schema`: a pydantic model as the ``response_format`` JSON schema;
- :mod:`~assistant.llm.repair`: validating an answer, the repair turn, salvaging a cut-off
  answer (with :mod:`~assistant.llm.salvage`);
- :mod:`~assistant.llm.cache`: the SQLite response cache;
- :mod:`~assistant.llm.results`: usage, results and totals;
- :mod:`~assistant.llm.litellm_setup`: importing and configuring litellm (the only module in
  Huddle that imports it);
- :mod:`~assistant.llm.local_provider`: the embedded model as the litellm provider
  ``huddle-local/`` and :class:`LocalModelConfig`, the one place it is configured;
- :mod:`~assistant.llm.provider_errors`: litellm's exceptions as Huddle errors.

litellm is imported on first use (it takes about 5 s), with the local cost map, so
``import assistant.llm.gateway`` is fast and nothing touches the network at import.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.llm.cache import ResponseCache
from assistant.llm.errors import (
    LLMError,
    LLMInvalidOutput,
    LLMTimeout,
    LLMUnavailable,
    LocalOnlyViolation,
)
from assistant.llm.litellm_setup import load_litellm, register_local_provider
from assistant.llm.local_provider import CONFIG_PARAM, LocalModelConfig
from assistant.llm.privacy import (
    LOCAL_PROVIDER,
    LOCAL_PROVIDERS,
    PrivacyTier,
    check_local_only,
    is_local_provider,
    is_loopback_url,
    privacy_tier,
    provider_of,
)
from assistant.llm.provider_errors import translate_error
from assistant.llm.repair import (
    MAX_PROBLEMS,
    extract_json_text,
    repair_instruction,
    repair_messages,
    salvage_answer,
    validate_answer,
)
from assistant.llm.results import GatewayTotals, LLMResult, T, TextResult, Usage
from assistant.llm.schema import response_schema

if TYPE_CHECKING:
    from assistant.config import LLMSettings

log = logging.getLogger(__name__)

# the name tests and fakes use for the configured litellm module
_litellm = load_litellm


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
    def local_model(self) -> LocalModelConfig:
        """The embedded model's configuration (read from the settings each time)."""
        return LocalModelConfig.from_settings(self.settings, self.data_dir)

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
                conversation = repair_messages(messages, raw, problems)
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
                        "; ".join(problems[:MAX_PROBLEMS]))
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
        load_litellm()
        if is_local_provider(self.model):
            LocalModelConfig.check_name(self.model, self.settings.local_model_path)
            self.local_model.llama().load()

    def close(self) -> None:
        """Unload the embedded model if this gateway's configuration loaded it."""
        if is_local_provider(self.model):
            self.local_model.close()

    # -- internals --

    def _cache_model_id(self) -> str:
        parts = [self.settings.model, self.settings.api_base or ""]
        if is_local_provider(self.settings.model):
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
        """One answer: from the cache if there, else from one litellm call."""
        key = None
        if self.settings.cache:
            key = ResponseCache.key(
                model=self._cache_model_id(), prompt_id=prompt_id, messages=messages,
                schema=schema_for_key, max_tokens=max_tokens,
                temperature=self.settings.temperature,
            )
            hit = self._cached(key)
            if hit is not None:
                return hit
        litellm = load_litellm()
        local = is_local_provider(self.settings.model)
        if local:
            register_local_provider(litellm)  # cheap; re-adds it if a test fake replaced it
        kwargs = self._request(messages, prompt_id=prompt_id, max_tokens=max_tokens,
                               response_format=response_format, attempt=attempt)
        started = time.perf_counter()
        try:
            response = litellm.completion(**kwargs)
        except Exception as exc:  # litellm raises many types; translate every one
            raise translate_error(exc, self.settings) from exc
        latency = time.perf_counter() - started
        return self._answer(litellm, response, latency=latency, key=key, priced=not local)

    def _cached(self, key: str) -> _Answer | None:
        started = time.perf_counter()
        hit = self._cache.get(key)
        if hit is None:
            return None
        raw, usage = hit
        usage = replace(usage, cached=True, latency_s=time.perf_counter() - started)
        return _Answer(raw=raw, finish_reason="stop", usage=usage, key=key, from_cache=True)

    def _request(
        self,
        messages: list[dict[str, Any]],
        *,
        prompt_id: str,
        max_tokens: int,
        response_format: dict[str, Any] | None,
        attempt: int,
    ) -> dict[str, Any]:
        """The keyword arguments of ``litellm.completion`` for one attempt."""
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
        if is_local_provider(self.settings.model):
            LocalModelConfig.check_name(self.settings.model, self.settings.local_model_path)
            kwargs[CONFIG_PARAM] = self.local_model
        return kwargs

    def _answer(
        self, litellm: Any, response: Any, *, latency: float, key: str | None, priced: bool
    ) -> _Answer:
        """The text, finish reason and usage of a litellm response."""
        choice = response.choices[0] if response.choices else None
        content = getattr(getattr(choice, "message", None), "content", None)
        answer_text: str | None = None if content is None else str(content)
        finish = getattr(choice, "finish_reason", None)
        usage_obj = getattr(response, "usage", None)
        cost = 0.0
        if priced:
            try:
                cost = float(litellm.completion_cost(completion_response=response) or 0.0)
            except Exception:  # unknown models are not in the cost map
                cost = 0.0
        details = getattr(usage_obj, "prompt_tokens_details", None)
        usage = Usage(
            prompt_tokens=int(getattr(usage_obj, "prompt_tokens", 0) or 0),
            prompt_cached_tokens=int(getattr(details, "cached_tokens", 0) or 0),
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
                    t.prompt_cached_tokens += a.usage.prompt_cached_tokens
                    t.completion_tokens += a.usage.completion_tokens
                    t.cost_usd += a.usage.cost_usd
                t.latency_s += a.usage.latency_s


__all__ = [
    "CONFIG_PARAM",
    "LOCAL_PROVIDER",
    "LOCAL_PROVIDERS",
    "Gateway",
    "GatewayTotals",
    "LLMError",
    "LLMInvalidOutput",
    "LLMResult",
    "LLMTimeout",
    "LLMUnavailable",
    "LocalModelConfig",
    "LocalOnlyViolation",
    "PrivacyTier",
    "ResponseCache",
    "TextResult",
    "Usage",
    "check_local_only",
    "extract_json_text",
    "is_local_provider",
    "is_loopback_url",
    "load_litellm",
    "privacy_tier",
    "provider_of",
    "repair_instruction",
    "response_schema",
    "salvage_answer",
    "validate_answer",
]
