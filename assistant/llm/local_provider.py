"""The embedded model as a litellm provider: ``huddle-local/...`` runs in-process.

:class:`LocalModelConfig` is the one place the embedded model is configured: built from the
LLM settings and the data directory by :meth:`LocalModelConfig.from_settings`, it finds (or
assembles) the GGUF, loads the shared :class:`~assistant.llm.local_model.LocalLlama` and
unloads it. The gateway hands it, typed, to the provider with each call (litellm carries it
as the private parameter ``huddle_local``; it never reaches a hosted provider).

:func:`make_local_handler` builds the ``litellm.CustomLLM`` subclass from the litellm module
it is given, so this module never imports litellm itself (see
:mod:`assistant.llm.litellm_setup`) and is cheap to import.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.llm.errors import LLMUnavailable
from assistant.llm.privacy import LOCAL_PROVIDER

if TYPE_CHECKING:
    from assistant.config import LLMSettings
    from assistant.llm.local_model import LocalLlama

# The name litellm carries the config under, from the gateway to the provider.
CONFIG_PARAM = "huddle_local"


@dataclass(frozen=True)
class LocalModelConfig:
    """Where the embedded model's file is and how to run it."""

    data_dir: Path
    model_path: Path | None  # llm.local_model_path (HUDDLE_LOCAL_MODEL); None: the bundled GGUF
    models_dir: Path  # where the bundled GGUF is assembled, shared by every knowledge base
    threads: int = 2
    context_tokens: int = 4096

    @classmethod
    def from_settings(cls, settings: LLMSettings, data_dir: Path) -> LocalModelConfig:
        from assistant.config import default_models_dir

        return cls(
            data_dir=Path(data_dir),
            model_path=settings.local_model_path,
            models_dir=Path(settings.models_dir or default_models_dir()).expanduser(),
            threads=settings.threads,
            context_tokens=settings.context_tokens,
        )

    @staticmethod
    def check_name(model: str, model_path: Path | None) -> None:
        """Without ``llm.local_model_path`` a ``huddle-local/`` name runs the bundled model,
        so only the bundled model's name is accepted: any other (a typo, a model Huddle does
        not ship) would run it under a name it does not have, and plans would record that
        name. With a path, the name is the user's label for their own GGUF."""
        from assistant.config import DEFAULT_LOCAL_MODEL
        from assistant.llm.errors import LLMUnavailable

        if model_path is None and model != DEFAULT_LOCAL_MODEL:
            raise LLMUnavailable(
                f"There is no embedded model {model!r}: the bundled one is "
                f"{DEFAULT_LOCAL_MODEL!r}. Set HUDDLE_MODEL to that, point HUDDLE_LOCAL_MODEL "
                "at a .gguf file to run your own under this name, or name a provider's model "
                "('ollama/...', 'openai/...').")

    def model_file(self) -> Path:
        """The verified GGUF, assembled on first use (slow the first time)."""
        from assistant.llm.local_model import ensure_model_file

        return ensure_model_file(self.data_dir, self.model_path, models_dir=self.models_dir)

    def llama(self) -> LocalLlama:
        """The shared in-process model for this file and these parameters (not yet loaded)."""
        from assistant.llm.local_model import LocalLlama

        # one assembled copy shared by every knowledge base (not one per data dir)
        return LocalLlama.shared(self.model_file(), threads=self.threads,
                                 context_tokens=self.context_tokens)

    def close(self) -> None:
        """Unload the shared model of this configuration, if it was loaded."""
        from assistant.llm.local_model import MODEL_FILENAME, LocalLlama

        path = self.model_path or self.models_dir / MODEL_FILENAME
        LocalLlama.close_shared(Path(path).expanduser(), threads=self.threads,
                                context_tokens=self.context_tokens)


def make_local_handler(litellm: Any) -> Any:
    """A ``litellm.CustomLLM`` that answers ``huddle-local/...`` with the embedded model."""

    class HuddleLocalLLM(litellm.CustomLLM):  # type: ignore[misc,name-defined]
        """litellm provider ``huddle-local``: the embedded GGUF run by LocalLlama."""

        def completion(  # type: ignore[override]
            self, model: str, messages: list, *args: Any, **kwargs: Any
        ) -> Any:
            optional = dict(kwargs.get("optional_params") or {})
            config = optional.pop(CONFIG_PARAM, None)
            if not isinstance(config, LocalModelConfig):
                raise LLMUnavailable(
                    "The embedded model was called without Huddle's gateway configuration; "
                    "call it through assistant.llm.gateway.Gateway."
                )
            timeout = kwargs.get("timeout")
            timeout_s = getattr(timeout, "read", timeout)
            result = config.llama().chat(
                messages,
                response_format=optional.get("response_format"),
                max_tokens=int(optional.get("max_tokens") or 512),
                temperature=float(optional.get("temperature") or 0.0),
                timeout_s=float(timeout_s) if timeout_s else None,
            )
            return _model_response(litellm, kwargs.get("model_response"), model, result)

        async def acompletion(  # type: ignore[override]
            self, model: str, messages: list, *args: Any, **kwargs: Any
        ) -> Any:
            return await asyncio.to_thread(self.completion, model, messages, *args, **kwargs)

    return HuddleLocalLLM()


def _model_response(litellm: Any, response: Any, model: str, result: dict[str, Any]) -> Any:
    """LocalLlama's OpenAI-style answer as litellm's ``ModelResponse``."""
    usage = result.get("usage") or {}
    response = response or litellm.ModelResponse()
    choice = (result.get("choices") or [{}])[0]
    response.choices[0].message.content = (choice.get("message") or {}).get("content")
    response.choices[0].finish_reason = choice.get("finish_reason") or "stop"
    response.model = f"{LOCAL_PROVIDER}/{model}"
    response.created = int(result.get("created") or time.time())
    response.usage = litellm.Usage(
        prompt_tokens=int(usage.get("prompt_tokens", 0)),
        completion_tokens=int(usage.get("completion_tokens", 0)),
        total_tokens=int(usage.get("total_tokens", 0)),
        prompt_tokens_details={"cached_tokens": cached_prompt_tokens(result)},
    )
    return response


def cached_prompt_tokens(result: dict[str, Any]) -> int:
    """Prompt tokens llama.cpp took from the slot's cache instead of evaluating them.

    With ``cache_prompt`` the slot keeps the last prompt's KV and reuses the longest token
    prefix the next prompt shares with it; the server reports that count as
    ``timings.cache_n`` (and, in newer builds, ``usage.prompt_tokens_details.cached_tokens``).
    """
    details = (result.get("usage") or {}).get("prompt_tokens_details") or {}
    timings = result.get("timings") or {}
    return int(details.get("cached_tokens") or timings.get("cache_n") or 0)
