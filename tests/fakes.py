"""Test doubles shared by the test suites. Never imported by the product.

Time: ``ticking_clock()`` is a service clock (``Huddle(settings, clock=...)``) that starts on
Monday 2026-11-23 17:30 in New York (:data:`TEST_NOW`) and moves one second per reading, so no
test depends on the day it runs and "newest first" orders stay meaningful.

``FakeLLM`` — a scripted model behind the real gateway
------------------------------------------------------

``FakeLLM`` is registered as a litellm custom provider, so a :class:`Gateway` under test runs
its real code path (litellm call, response_format, parsing, repairs, cache, accounting)
against answers you script::

    from tests.fakes import FakeLLM

    def test_something(monkeypatch, tmp_path):
        fake = FakeLLM(["garbage", {"objective": "Agree the pilot scope", "score": 3}])
        fake.install(monkeypatch)                       # removed again after the test
        gateway = Gateway(LLMSettings(model=fake.model), tmp_path)
        result = gateway.structured(messages=..., schema=Objective, prompt_id="x@1",
                                    max_tokens=200)
        assert result.attempts == 2
        assert fake.calls[1].prompt_id == "x@1"        # what the model was asked

Each model call consumes the next script item, in order:

- a ``str``: returned as the raw answer, except the keywords
  ``"garbage"`` (returns text that is not JSON: :data:`GARBAGE`),
  ``"timeout"`` (raises ``litellm.Timeout``: the gateway raises ``LLMTimeout``),
  ``"unavailable"`` (raises ``litellm.APIConnectionError``: ``LLMUnavailable``),
  ``"empty"`` (returns an empty answer);
- a ``dict`` or ``list``: returned as JSON; a pydantic model: returned as its JSON;
- ``CutOff(text)``: returns ``text`` with ``finish_reason="length"``, as a model that ran
  out of ``max_tokens`` mid-answer;
- an exception instance: raised inside the provider (an ``LLMError`` raised here reaches the
  caller unchanged, as one raised by the embedded model would);
- a callable ``f(call: FakeCall)``: called, and its result handled as above (answer
  depending on the prompt, the schema or the attempt).

When the script runs out, ``default`` (same kinds as script items) answers every further
call; without a default the call fails with an error naming the fake, so a test that makes
more calls than it scripted fails loudly.

``fake.calls`` records every call as a :class:`FakeCall` (messages, response_format, schema,
max_tokens, temperature, prompt_id, attempt). ``FakeLLM(provider="huddle-local")`` stands in
for the embedded model, e.g. to test local-only mode; the default provider ``"fake"`` counts
as a hosted provider (so ``local_only=True`` refuses it, as it should).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
from pydantic import BaseModel

from assistant.clock import Clock

# ---- time ----------------------------------------------------------------------------------

TEST_NOW = dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
"""Monday 2026-11-23 17:30 in New York (UTC-5 that day): the day before the demo meetings."""


def ticking_clock(start: dt.datetime = TEST_NOW, step_s: float = 1.0) -> Clock:
    """A service clock that starts at ``start`` and moves ``step_s`` on every reading, so
    "newest first" orders stay meaningful and every run stamps the same times."""
    ticks = itertools.count()
    return Clock(lambda: start + dt.timedelta(seconds=step_s * next(ticks)))


GARBAGE = "Sure! Here is the plan you asked for: {objective: maybe, [unclosed"


@dataclass(frozen=True)
class CutOff:
    """An answer the model stopped writing at ``max_tokens`` (``finish_reason="length"``)."""

    text: str


@dataclass
class FakeCall:
    """One request the fake model received."""

    model: str
    messages: list[dict[str, Any]]
    response_format: dict[str, Any] | None
    max_tokens: int | None
    temperature: float | None
    prompt_id: str | None
    attempt: int | None
    timeout: Any = None

    @property
    def schema(self) -> dict[str, Any] | None:
        """The JSON schema sent in response_format, if any."""
        if not self.response_format:
            return None
        return (self.response_format.get("json_schema") or {}).get("schema")

    @property
    def schema_name(self) -> str | None:
        if not self.response_format:
            return None
        return (self.response_format.get("json_schema") or {}).get("name")

    @property
    def last_user_message(self) -> str:
        users = [m for m in self.messages if m.get("role") == "user"]
        return str(users[-1]["content"]) if users else ""


@dataclass
class FakeLLM:
    """A scripted litellm provider; see the module docstring."""

    script: Iterable[Any] = ()
    default: Any = None
    provider: str = "fake"
    calls: list[FakeCall] = field(default_factory=list)
    # Standing answers by prompt name, not taken from the script: the plan's narrow
    # exit-criterion questions answer "unknown" unless a test scripts them here.
    standing: dict[str, Any] = field(
        default_factory=lambda: {"prep_criterion": {"status": "unknown"}})

    def __post_init__(self) -> None:
        self._script = list(self.script)

    @property
    def model(self) -> str:
        """The model string to put in ``LLMSettings(model=...)``; standing in for the
        embedded model, the bundled model's name (the gateway refuses any other)."""
        from assistant.config import DEFAULT_LOCAL_MODEL

        if f"{self.provider}/" == DEFAULT_LOCAL_MODEL[:len(self.provider) + 1]:
            return DEFAULT_LOCAL_MODEL
        return f"{self.provider}/scripted"

    @property
    def remaining(self) -> int:
        return len(self._script)

    def push(self, *items: Any) -> None:
        """Append more answers to the script."""
        self._script.extend(items)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> FakeLLM:
        """Register as the litellm provider ``self.provider`` for the current test."""
        from assistant.llm.gateway import _litellm

        litellm = _litellm()
        others = [i for i in litellm.custom_provider_map if i.get("provider") != self.provider]
        monkeypatch.setattr(
            litellm, "custom_provider_map",
            [*others, {"provider": self.provider, "custom_handler": self}],
        )
        litellm.utils.custom_llm_setup()
        return self

    # -- the litellm CustomLLM interface (duck-typed) --

    def completion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> Any:
        import litellm

        optional = dict(kwargs.get("optional_params") or {})
        metadata = (kwargs.get("litellm_params") or {}).get("metadata") or {}
        call = FakeCall(
            model=model,
            messages=[dict(m) for m in messages],
            response_format=optional.get("response_format"),
            max_tokens=optional.get("max_tokens"),
            temperature=optional.get("temperature"),
            prompt_id=metadata.get("prompt_id"),
            attempt=metadata.get("attempt"),
            timeout=kwargs.get("timeout"),
        )
        self.calls.append(call)
        name = (call.prompt_id or "").split("@")[0]
        if name in self.standing:
            item = self.standing[name]
        elif self._script:
            item = self._script.pop(0)
        elif self.default is not None:
            item = self.default
        else:
            raise AssertionError(
                f"FakeLLM script exhausted: call {len(self.calls)} was not scripted"
            )
        cut = isinstance(item, CutOff)
        raw = item.text if isinstance(item, CutOff) else self._resolve(item, call, model)
        response = kwargs.get("model_response") or litellm.ModelResponse()
        response.choices[0].message.content = raw
        response.choices[0].finish_reason = "length" if cut else "stop"
        response.model = f"{self.provider}/{model}"
        prompt_chars = sum(len(str(m.get("content") or "")) for m in messages)
        completion_tokens = len(raw) // 4 + 1
        response.usage = litellm.Usage(
            prompt_tokens=prompt_chars // 4 + 1,
            completion_tokens=completion_tokens,
            total_tokens=prompt_chars // 4 + 1 + completion_tokens,
        )
        return response

    async def acompletion(self, model: str, messages: list, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(self.completion, model, messages, *args, **kwargs)

    def streaming(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover
        raise NotImplementedError("FakeLLM does not stream")

    def _resolve(self, item: Any, call: FakeCall, model: str) -> str:
        import litellm

        if callable(item) and not isinstance(item, BaseModel | type):
            item = item(call)
        if isinstance(item, BaseException):
            raise item
        if isinstance(item, BaseModel):
            return item.model_dump_json()
        if isinstance(item, dict | list):
            return json.dumps(item)
        text = str(item)
        if text == "garbage":
            return GARBAGE
        if text == "empty":
            return ""
        if text == "timeout":
            raise litellm.Timeout(
                message="FakeLLM: scripted timeout", model=model, llm_provider=self.provider
            )
        if text == "unavailable":
            raise litellm.APIConnectionError(
                message="FakeLLM: scripted connection failure", model=model,
                llm_provider=self.provider,
            )
        return text


def valid_json(**fields: Any) -> Callable[[FakeCall], str]:
    """A script item answering with ``fields`` as JSON (handy inside ``default``)."""
    return lambda call: json.dumps(fields)


# ---- embeddings ------------------------------------------------------------------------


def fake_embed(texts: list[str], batch_size: int = 64) -> list[list[float]]:
    """Deterministic unit vectors (384 dims) from each text's words: no model load.

    Texts sharing words get close vectors, so search still finds the right notes; use it
    where the test is about storage, not ranking (the crash tests)."""
    import hashlib
    import math

    out = []
    for text in texts:
        vec = [0.0] * 384
        for word in text.casefold().split():
            h = hashlib.blake2b(word.encode(), digest_size=4).digest()
            vec[int.from_bytes(h, "little") % 384] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        out.append([v / norm for v in vec] if any(vec) else [1.0] + [0.0] * 383)
    return out


def install_fake_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``knowledge.embeddings.embed`` (ingest and queries) use :func:`fake_embed`."""
    from knowledge import embeddings

    monkeypatch.setattr(embeddings, "embed", fake_embed)
    embeddings.embed_query.cache_clear()


# ---- injection tests: a retriever without embeddings and a model that obeys every payload ----


class FakeRetriever:
    """Every note of the account (up to a date) as a hit, newest first; no stories.

    The snippet is the note's whole raw body: the worst case for quarantine, since a real
    chunk can hold a payload without the sentence that gave it away.
    """

    def __init__(self, kb: Any) -> None:
        self.kb = kb

    def _hit(self, doc: Any, doc_type: str) -> Any:
        from knowledge.retrieval import Hit

        return Hit(id=doc.id, doc_type=doc_type, account=getattr(doc, "account", "") or "",
                   kind=getattr(doc, "kind", "story"), date=doc.date,
                   author=getattr(doc, "author", ""), outcome=getattr(doc, "outcome", ""),
                   snippet=doc.body, chunk_id=f"{doc.id}#0", score=1.0)

    def search(self, query: str, *, k: int = 8, account: str | None = None,
               doc_type: str | None = None, date_to: Any = None, **_: Any) -> list[Any]:
        if doc_type == "story":
            return []
        notes = [n for n in self.kb.notes if (account is None or n.account == account)
                 and (date_to is None or n.date <= date_to)]
        notes.sort(key=lambda n: (n.date, n.id), reverse=True)
        return [self._hit(n, "note") for n in notes[:k]]

    def similar_stories(self, profile: Any, situation: str = "", *, k: int = 3,
                        outcome: Any = None) -> list[Any]:
        return []


def fill_schema(schema: dict[str, Any], text: str) -> Any:
    """An instance of JSON ``schema`` with ``text`` in every free string (enums: first value)."""
    defs = schema.get("$defs", {})

    def fill(node: dict[str, Any]) -> Any:
        if "$ref" in node:
            return fill(defs[node["$ref"].rsplit("/", 1)[-1]])
        for key in ("anyOf", "oneOf", "allOf"):
            if key in node:
                options = [o for o in node[key] if o.get("type") != "null"]
                return fill(options[0]) if options else None
        if "enum" in node:
            return node["enum"][0]
        if "const" in node:
            return node["const"]
        kind = node.get("type")
        if kind == "object":
            return {name: fill(sub) for name, sub in node.get("properties", {}).items()}
        if kind == "array":
            count = min(node.get("maxItems", 2), 2)
            return [fill(node.get("items", {"type": "string"})) for _ in range(max(count, 1))]
        if kind == "string":
            return text[: node.get("maxLength", len(text))]
        if kind in ("integer", "number"):
            return node.get("minimum", 1)
        if kind == "boolean":
            return True
        return text

    return fill(schema)


def obeying_model(payload: str, cites: list[str] | None = None) -> Callable[[FakeCall], str]:
    """The worst-case model: it copies ``payload`` into every string of every answer.

    ``cites`` (e.g. the injected note's id) fill the fields named ``cites``, so the answer
    also passes the citation check and only the injection defence stands in the way.
    """

    def answer(call: FakeCall) -> str:
        out = fill_schema(call.schema or {}, payload)
        if cites is not None and isinstance(out, dict):
            for value in out.values():
                for item in value if isinstance(value, list) else []:
                    if isinstance(item, dict) and "cites" in item:
                        item["cites"] = list(cites)
        return json.dumps(out)

    return answer
