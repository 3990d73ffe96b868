"""litellm, imported once and configured: the only module in Huddle that imports litellm.

litellm takes about 5 s to import, so :func:`load_litellm` does it on first use, with the
local cost map (``LITELLM_LOCAL_MODEL_COST_MAP``: nothing touches the network), no telemetry,
no banners, its log handlers removed (the TUI owns the terminal) and the embedded model
registered as the provider ``huddle-local/`` (:mod:`assistant.llm.local_provider`).
Everything else that needs litellm's classes gets the module from :func:`load_litellm`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from assistant.llm.local_provider import make_local_handler
from assistant.llm.privacy import LOCAL_PROVIDER

log = logging.getLogger(__name__)

_litellm_lock = threading.Lock()
_litellm_module: Any = None


def load_litellm() -> Any:
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
            register_local_provider(litellm)
            log.info("imported litellm in %.1f s", time.perf_counter() - started)
            _litellm_module = litellm
    return _litellm_module


def register_local_provider(litellm: Any) -> None:
    """Route ``huddle-local/...`` to the embedded model (unless a test installed a fake)."""
    if any(item.get("provider") == LOCAL_PROVIDER for item in litellm.custom_provider_map):
        return
    handler = make_local_handler(litellm)
    litellm.custom_provider_map = [
        *litellm.custom_provider_map,
        {"provider": LOCAL_PROVIDER, "custom_handler": handler},
    ]
    if hasattr(litellm, "utils") and hasattr(litellm.utils, "custom_llm_setup"):
        litellm.utils.custom_llm_setup()
