"""Text for a terminal: what every face prints from notes, transcripts or a model.

Pure; touches nothing.
"""

from __future__ import annotations


def safe_text(text: str) -> str:
    """Text from notes or models with terminal control characters removed."""
    return "".join(ch for ch in text if ch in "\n\t" or (ch.isprintable() and ch != "\x1b"))
