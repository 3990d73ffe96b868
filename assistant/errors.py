"""The assistant's errors, from one place: every face catches :class:`HuddleError`.

``HuddleError`` is the root of every error Huddle raises for a user to act on (its message says
what to fix, its ``title`` names the problem). It is defined in the bottom layer
(``knowledge.errors``, which cannot import the assistant) and re-exported here, so the faces
(``cli``, ``tui``, ``evals``) import errors from the assistant and never from ``knowledge``.
"""

from __future__ import annotations

from knowledge.errors import (
    HuddleError,
    KbProblem,
    KnowledgeBaseError,
    NotIngestedError,
    StoreLockedError,
    StoreMismatchError,
)

__all__ = ["HuddleError", "KbProblem", "KnowledgeBaseError", "NotIngestedError",
           "StoreLockedError", "StoreMismatchError"]
