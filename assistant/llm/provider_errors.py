"""litellm's and the providers' exceptions as Huddle errors that say what to check."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.llm.errors import LLMError, LLMTimeout, LLMUnavailable
from assistant.llm.litellm_setup import load_litellm

if TYPE_CHECKING:
    from assistant.config import LLMSettings


def own_error(exc: BaseException) -> LLMError | None:
    """Our own error raised inside a provider and wrapped by litellm, if any."""
    seen: set[int] = set()
    node: BaseException | None = exc
    while node is not None and id(node) not in seen:
        if isinstance(node, LLMError):
            return node
        seen.add(id(node))
        node = node.__cause__ or node.__context__
    return None


def translate_error(exc: Exception, settings: LLMSettings) -> LLMError:
    """A litellm/provider exception as a Huddle error that says what to check."""
    own = own_error(exc)
    if own is not None:
        return own
    litellm = load_litellm()
    model = settings.model
    detail = str(getattr(exc, "message", "") or exc).strip().splitlines()[0:1]
    # the provider's own words, cut so the advice after them survives a plan's warning
    detail_text = _cut(detail[0], 200) if detail else type(exc).__name__
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


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
