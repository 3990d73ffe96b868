"""A pydantic model as the JSON schema sent in ``response_format``.

Imports nothing heavy (``assistant.llm.gateway`` re-exports :func:`response_schema`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

# Keywords OpenAI's strict structured outputs accept; anything else turns strict off.
_STRICT_KEYWORDS = frozenset({
    "type", "properties", "required", "additionalProperties", "items", "enum", "const",
    "anyOf", "$ref", "$defs", "description", "title", "pattern", "format", "minimum",
    "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
})


def response_schema(schema: type[BaseModel]) -> tuple[dict[str, Any], bool]:
    """The JSON schema sent as ``response_format`` and whether it is strict-compatible.

    Every object gets ``additionalProperties: false`` and lists all its properties as
    required (defaults are dropped: pydantic still applies them), which is what strict
    structured output demands. Length bounds (``maxLength``) are kept, because they stop a
    looping small model; they are outside OpenAI's strict subset, so ``strict`` is then off
    and the answer is still validated here.
    """
    raw = schema.model_json_schema()
    strict = True

    def walk(node: Any) -> Any:
        nonlocal strict
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "default":
                continue
            if key in ("properties", "$defs") and isinstance(value, dict):
                out[key] = {name: walk(sub) for name, sub in value.items()}
            else:
                out[key] = walk(value)
        if "properties" in out:
            out["additionalProperties"] = False
            out["required"] = list(out["properties"])
        elif out.get("type") == "object" and "additionalProperties" not in out:
            out["additionalProperties"] = False
        if out.get("additionalProperties") not in (None, False):
            strict = False  # a dict field: fine for llama.cpp, not for strict mode
        if any(k not in _STRICT_KEYWORDS for k in out if k not in ("properties", "$defs")):
            strict = False
        return out

    return walk(raw), strict
