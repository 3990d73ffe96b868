"""Typed failures of the LLM layer, with text a user can act on.

Raised by ``assistant.llm.gateway`` (and its pieces) and ``assistant.llm.local_model``; shown
at the edge like every other :class:`~knowledge.errors.HuddleError`. Imports nothing heavy.
"""

from __future__ import annotations

from knowledge.errors import HuddleError


class LLMError(HuddleError):
    """A model call failed; the message says what to check."""

    title = "Model error"


class LLMInvalidOutput(LLMError):
    """The model's answer was still invalid after the bounded repairs.

    ``raw`` is the last raw text the model produced and ``errors`` the validation problems
    found in it, so callers can log them or degrade one section instead of the whole plan.
    """

    title = "Model output invalid"

    def __init__(
        self,
        message: str,
        *,
        raw: str,
        errors: list[str],
        attempts: int,
        prompt_id: str = "",
        model: str = "",
    ) -> None:
        super().__init__(message)
        self.raw = raw
        self.errors = list(errors)
        self.attempts = attempts
        self.prompt_id = prompt_id
        self.model = model


class LLMTimeout(LLMError):
    """One model call took longer than ``llm.timeout_s``."""

    title = "Model timeout"


class LLMUnavailable(LLMError):
    """The model cannot be loaded or reached (missing weights, bad key, server down)."""

    title = "Model unavailable"


class LocalOnlyViolation(LLMError):
    """A hosted provider was configured while ``llm.local_only`` is on."""

    title = "Local-only mode"
