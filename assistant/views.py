"""What the faces show that the core works out: an account's stated ICP fit, where the
model runs. The faces (``tui``, ``cli``) import these from here, never from ``knowledge`` or
``assistant.llm``.

Pure; touches nothing (the gateway's policy module loads only when asked).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from knowledge.icp import stated_fit

if TYPE_CHECKING:
    from assistant.config import LLMSettings

__all__ = ["privacy_tier", "stated_fit"]


def privacy_tier(llm: LLMSettings) -> Literal["local", "hosted"]:
    """``"local"`` when prompts to the configured model stay on this machine, else ``"hosted"``."""
    from assistant.llm.gateway import privacy_tier as tier

    return tier(llm.model, llm.api_base)

