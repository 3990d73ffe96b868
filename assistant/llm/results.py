"""What a gateway call returns and what a gateway counts: usage, results and totals.

Plain dataclasses; imports nothing heavy (``assistant.llm.gateway`` re-exports them).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Usage:
    """Tokens, money and time of one gateway call (summed over its attempts)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0
    cached: bool = False
    model: str = ""
    prompt_cached_tokens: int = 0
    """Prompt tokens the provider did not process again: llama.cpp's reused prefix (the
    slot's KV cache), a hosted provider's ``cached_tokens``. Part of ``prompt_tokens``."""

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            cost_usd=self.cost_usd + other.cost_usd,
            latency_s=self.latency_s + other.latency_s,
            cached=self.cached and other.cached,
            model=self.model or other.model,
            prompt_cached_tokens=self.prompt_cached_tokens + other.prompt_cached_tokens,
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
    """A plain-text answer (see :meth:`~assistant.llm.gateway.Gateway.text`)."""

    text: str
    usage: Usage
    prompt_id: str
    model: str


@dataclass
class GatewayTotals:
    """Cumulative accounting of one gateway (what ``gateway.totals`` returns a copy of).

    ``cost_usd``/tokens count model calls actually made; answers served from the cache are
    counted in ``cache_hits`` and ``cached_cost_usd`` (what they cost when first made).
    """

    calls: int = 0
    model_calls: int = 0
    cache_hits: int = 0
    repairs: int = 0
    invalid_outputs: int = 0
    prompt_tokens: int = 0
    prompt_cached_tokens: int = 0  # of prompt_tokens, served from the provider's prompt cache
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cached_cost_usd: float = 0.0
    latency_s: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
