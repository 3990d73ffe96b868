"""Keep the complete part of a JSON answer the model ran out of tokens writing.

A small local model sometimes writes until ``max_tokens``: the answer stops mid-string and
is not JSON. Asking again costs a whole second generation (a minute on a 2-core CPU) and a
model that rambled once usually rambles again. Under schema-constrained decoding the text is
a valid *prefix* of a schema-conforming object, so the items it finished are sound: this
module cuts the text back to the last finished field or list item (never inside an item),
closes the open brackets and gives top-level lists it never reached an empty value; a list
item that does not validate (possible only without constrained decoding) is dropped. Code that
uses the answer then treats those lists as missing (the plan fills them from the evidence).

Pure functions; no model, no I/O.
"""

from __future__ import annotations

import json
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T", bound=BaseModel)

_MAX_CUTS = 200  # candidate cut points tried, newest first
_MAX_FIXES = 20  # invalid items dropped / empty lists added


_MAX_DEPTH = 2  # cut between the answer's fields or between the items of its lists only


def _cut_points(text: str) -> list[tuple[int, str]]:
    """(end, closers) for every place a value just finished at depth <= ``_MAX_DEPTH``.

    ``text[:end] + closers`` is then a complete JSON text. Cut points are the commas between
    values (the value before the comma is finished) and the closing brackets themselves. Not
    deeper: an item of a list is kept whole or not at all (never with half its citations).
    """
    stack: list[str] = []
    in_string = escaped = False
    points: list[tuple[int, str]] = []
    for i, ch in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
            continue
        if ch == '"':
            in_string = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]":
            if not stack:
                break
            stack.pop()
            if 0 < len(stack) <= _MAX_DEPTH:
                points.append((i + 1, "".join(reversed(stack))))
        elif ch == "," and 0 < len(stack) <= _MAX_DEPTH:
            points.append((i, "".join(reversed(stack))))
    return points


def _is_list_field(schema: type[BaseModel], name: str) -> bool:
    field = schema.model_fields.get(name)
    return field is not None and typing.get_origin(field.annotation) is list


def _fix(data: dict[str, Any], schema: type[T]) -> T | None:
    """Validate, dropping invalid list items and adding missing top-level lists."""
    for _ in range(_MAX_FIXES):
        try:
            return schema.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        first = errors[0]
        loc = first["loc"]
        if first["type"] == "missing" and len(loc) == 1 and _is_list_field(schema, str(loc[0])):
            data[str(loc[0])] = []
        elif len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data.get(str(loc[0])), list):
            del data[str(loc[0])][loc[1]]  # an item that does not validate
        else:
            return None
    return None


def salvage(text: str, schema: type[T]) -> T | None:
    """The longest complete prefix of a cut-off JSON object that validates, or ``None``."""
    if not text.lstrip().startswith("{"):
        return None
    for end, closers in reversed(_cut_points(text)[-_MAX_CUTS:]):
        try:
            data = json.loads(text[:end] + closers)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict):
            value = _fix(data, schema)
            if value is not None:
                return value
    return None
