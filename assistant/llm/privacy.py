"""Privacy policy: whether a model keeps prompts on this machine, and local-only enforcement.

Pure functions over the model string, its ``api_base`` and the provider's environment
variables; imports nothing heavy (``assistant.llm.gateway`` re-exports them).
"""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from assistant.llm.errors import LocalOnlyViolation

if TYPE_CHECKING:
    from assistant.config import LLMSettings

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


def provider_of(model: str) -> str:
    """The litellm provider prefix of ``model`` ("" when the string has none)."""
    return model.split("/", 1)[0].strip().lower() if "/" in model else ""


def is_local_provider(model: str) -> bool:
    """True if ``model`` is the embedded model (provider ``huddle-local``)."""
    return provider_of(model) == LOCAL_PROVIDER


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
