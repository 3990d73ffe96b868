"""Call turns for unit tests, written as a transcript is: ``"Name: what they said"``."""

from __future__ import annotations


def said(*lines: str) -> list[dict[str, str]]:
    """``[{"id": "t1", "speaker": "Name", "text": "..."}, ...]``, one per ``"Name: text"``."""
    out = []
    for k, line in enumerate(lines, start=1):
        speaker, text = line.split(": ", 1)
        out.append({"id": f"t{k}", "speaker": speaker, "text": text})
    return out
