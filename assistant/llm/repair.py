"""Checking a model's JSON answer and asking for a repair when it is wrong.

- :func:`validate_answer` parses (tolerating a ```json fence) and validates an answer,
  returning the problems found in it;
- :func:`repair_messages` is the conversation of a repair turn: the bad answer and those
  problems sent back;
- :func:`salvage_answer` keeps the complete part of an answer cut off at ``max_tokens``
  (the cutting itself is :mod:`assistant.llm.salvage`).

Imports nothing heavy (``assistant.llm.gateway`` re-exports the public names).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from assistant.llm.results import T
from assistant.llm.salvage import salvage

MAX_PROBLEMS = 8  # problems shown in a repair turn (and logged)
_MAX_RAW_IN_REPAIR = 4000
_FENCE = re.compile(r"```[ \t]*(?:json|JSON)?[ \t]*\r?\n?(.*?)\r?\n?[ \t]*```", re.DOTALL)


def extract_json_text(raw: str) -> str:
    """The JSON part of an answer, tolerating a ```json fence around it."""
    text = raw.strip()
    match = _FENCE.fullmatch(text) or _FENCE.search(text)
    if match and not text.startswith("{"):
        return match.group(1).strip()
    return text


def validate_answer(
    raw: str | None,
    schema: type[T],
    feedback_validator: Callable[[T], list[str]] | None = None,
    finish_reason: str | None = None,
) -> tuple[T | None, list[str]]:
    """Parse and validate one answer; returns the value or the problems found in it."""
    if raw is None or not raw.strip():
        return None, ["the answer was empty; reply with one JSON object"]
    problems: list[str] = []
    text = extract_json_text(raw)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        if finish_reason == "length":
            problem += " (the answer was cut off at the length limit: write less)"
        return None, [problem]
    try:
        value = schema.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            loc = ".".join(str(p) for p in err["loc"]) or "(root)"
            problems.append(f"{loc}: {err['msg']}")
        return None, problems
    if feedback_validator is not None:
        problems = [str(p) for p in feedback_validator(value) if p]
        if problems:
            return None, problems
    return value, []


def salvage_answer(
    raw: str, schema: type[T], feedback_validator: Callable[[T], list[str]] | None = None
) -> T | None:
    """The complete part of an answer cut off at ``max_tokens``, if it validates."""
    value = salvage(extract_json_text(raw), schema)
    if value is None or (feedback_validator is not None and any(feedback_validator(value))):
        return None
    return value


def repair_instruction(problems: list[str]) -> str:
    shown = [p if len(p) <= 300 else p[:297] + "..." for p in problems[:MAX_PROBLEMS]]
    more = len(problems) - len(shown)
    lines = ["Your previous answer was not valid. Problems:"]
    lines += [f"- {p}" for p in shown]
    if more > 0:
        lines.append(f"- ... and {more} more")
    lines.append(
        "Reply again with only one JSON object that matches the schema and fixes these "
        "problems. No explanations, no code fence."
    )
    return "\n".join(lines)


def repair_messages(
    messages: list[dict[str, Any]], raw: str | None, problems: list[str]
) -> list[dict[str, Any]]:
    """The original messages, the bad answer (truncated) and what to fix in it."""
    bad = (raw or "(empty answer)")[:_MAX_RAW_IN_REPAIR]
    return [
        *messages,
        {"role": "assistant", "content": bad},
        {"role": "user", "content": repair_instruction(problems)},
    ]
