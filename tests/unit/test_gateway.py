"""The LLM gateway against scripted fake models: validation, repairs, cache, accounting,
timeouts and local-only enforcement. No real model and no network."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

from assistant.config import DEFAULT_LOCAL_MODEL, LLMSettings
from assistant.llm import gateway as gw
from assistant.llm.errors import (
    LLMError,
    LLMInvalidOutput,
    LLMTimeout,
    LLMUnavailable,
    LocalOnlyViolation,
)
from assistant.llm.gateway import (
    Gateway,
    LocalModelConfig,
    extract_json_text,
    is_loopback_url,
    privacy_tier,
    response_schema,
)
from assistant.llm.provider_errors import own_error
from tests.fakes import GARBAGE, FakeLLM

MESSAGES = [
    {"role": "system", "content": "Answer with one JSON object."},
    {"role": "user", "content": "Objective for the Summit call?"},
]
VALID = {"objective": "Agree the pilot scope with the CFO", "score": 3}


class Objective(BaseModel):
    objective: str = Field(max_length=80, description="the call objective, one sentence")
    score: int = Field(ge=0, le=5, description="confidence 0-5")


def _settings(fake: FakeLLM | None = None, **overrides: Any) -> LLMSettings:
    base: dict[str, Any] = {"model": fake.model if fake else "fake/scripted", "timeout_s": 5.0}
    base.update(overrides)
    return LLMSettings(**base)


def _ask(gateway: Gateway, **kwargs: Any):
    args: dict[str, Any] = {
        "messages": MESSAGES, "schema": Objective, "prompt_id": "objective@1", "max_tokens": 120,
    }
    args.update(kwargs)
    return gateway.structured(**args)


# ---- structured output and repairs -----------------------------------------------------------


def test_valid_first_try(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM([VALID]).install(monkeypatch)
    result = _ask(Gateway(_settings(fake), tmp_path))

    assert result.value == Objective(**VALID)
    assert result.raw == json.dumps(VALID)
    assert (result.attempts, result.valid_first_try) == (1, True)
    assert result.prompt_id == "objective@1" and result.model == fake.model
    assert result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    assert result.usage.cached is False and result.usage.cost_usd == 0.0
    (call,) = fake.calls
    assert call.messages == MESSAGES
    assert call.prompt_id == "objective@1" and call.attempt == 1
    assert call.max_tokens == 120 and call.temperature == 0.0
    assert call.schema_name == "Objective"
    assert call.schema is not None
    assert call.schema["additionalProperties"] is False
    assert call.schema["required"] == ["objective", "score"]
    assert call.schema["properties"]["objective"]["maxLength"] == 80


def test_fenced_json_is_tolerated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM([f"```json\n{json.dumps(VALID)}\n```"]).install(monkeypatch)
    result = _ask(Gateway(_settings(fake), tmp_path))
    assert result.valid_first_try and result.value.score == 3


def test_invalid_then_repaired(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM(["garbage", VALID]).install(monkeypatch)
    gateway = Gateway(_settings(fake), tmp_path)
    result = _ask(gateway)

    assert result.value == Objective(**VALID)
    assert (result.attempts, result.valid_first_try) == (2, False)
    assert len(fake.calls) == 2
    repair = fake.calls[1]
    assert repair.attempt == 2
    assert repair.messages[: len(MESSAGES)] == MESSAGES
    assert repair.messages[-2] == {"role": "assistant", "content": GARBAGE}
    assert "not valid JSON" in repair.last_user_message
    # usage covers both attempts
    assert result.usage.completion_tokens == sum(len(r) // 4 + 1 for r in (GARBAGE, result.raw))
    assert gateway.totals.repairs == 1 and gateway.totals.model_calls == 2


def test_schema_errors_are_sent_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM([{"objective": "x" * 100, "score": 9}, VALID]).install(monkeypatch)
    result = _ask(Gateway(_settings(fake), tmp_path))
    assert result.attempts == 2
    feedback = fake.calls[1].last_user_message
    assert "objective:" in feedback and "score:" in feedback


def test_feedback_validator_problems_trigger_a_repair(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    first = {"objective": "Close the deal", "score": 2}
    fake = FakeLLM([first, VALID]).install(monkeypatch)

    def must_name_cfo(value: Objective) -> list[str]:
        return [] if "CFO" in value.objective else ["objective: name the CFO"]

    result = _ask(Gateway(_settings(fake), tmp_path), feedback_validator=must_name_cfo)
    assert result.attempts == 2 and "CFO" in result.value.objective
    assert "objective: name the CFO" in fake.calls[1].last_user_message


def test_garbage_every_time_raises_after_bounded_repairs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = FakeLLM(default="garbage").install(monkeypatch)
    gateway = Gateway(_settings(fake, max_repairs=2), tmp_path)
    with pytest.raises(LLMInvalidOutput) as info:
        _ask(gateway)

    assert len(fake.calls) == 3  # 1 + max_repairs, never more
    err = info.value
    assert err.attempts == 3 and err.raw == GARBAGE
    assert err.errors and "not valid JSON" in err.errors[0]
    assert err.prompt_id == "objective@1"
    assert GARBAGE not in err.message  # the user sees what failed, not the model's text
    assert gateway.totals.invalid_outputs == 1
    # failures are not cached: asking again goes to the model again
    with pytest.raises(LLMInvalidOutput):
        _ask(gateway)
    assert len(fake.calls) == 6


def test_empty_answer_is_invalid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM(["empty", VALID]).install(monkeypatch)
    result = _ask(Gateway(_settings(fake), tmp_path))
    assert result.attempts == 2
    assert "empty" in fake.calls[1].last_user_message


def test_zero_repairs_means_one_attempt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM(["garbage", VALID]).install(monkeypatch)
    with pytest.raises(LLMInvalidOutput):
        _ask(Gateway(_settings(fake, max_repairs=0), tmp_path))
    assert len(fake.calls) == 1


# ---- errors ----------------------------------------------------------------------------------


def test_timeout_becomes_llm_timeout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM(["timeout"]).install(monkeypatch)
    with pytest.raises(LLMTimeout, match="did not answer within 5 s"):
        _ask(Gateway(_settings(fake), tmp_path))
    assert len(fake.calls) == 1  # a timeout is not retried as a repair
    assert fake.calls[0].timeout == 5.0


def test_connection_failure_becomes_unavailable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = FakeLLM(["unavailable"]).install(monkeypatch)
    with pytest.raises(LLMUnavailable, match="HUDDLE_MODEL"):
        _ask(Gateway(_settings(fake), tmp_path))


def test_our_own_errors_pass_through_litellm(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = FakeLLM([LLMUnavailable("the bundled model is missing part 7")]).install(monkeypatch)
    with pytest.raises(LLMUnavailable, match="missing part 7"):
        _ask(Gateway(_settings(fake), tmp_path))


def test_unknown_provider_says_what_to_check(tmp_path: Path) -> None:
    gateway = Gateway(_settings(model="no-such-provider/model"), tmp_path)
    with pytest.raises(LLMError, match="HUDDLE_MODEL"):
        _ask(gateway)


# ---- cache -----------------------------------------------------------------------------------


def test_cache_hit_returns_identical_answer_without_a_model_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = FakeLLM([VALID]).install(monkeypatch)
    first = _ask(Gateway(_settings(fake), tmp_path))
    again_gateway = Gateway(_settings(fake), tmp_path)  # a new process would do the same
    again = _ask(again_gateway)

    assert len(fake.calls) == 1
    assert again.value == first.value and again.raw == first.raw
    assert again.usage.cached is True and first.usage.cached is False
    assert again.usage.prompt_tokens == first.usage.prompt_tokens
    assert (tmp_path / "llm_cache.sqlite").is_file()
    totals = again_gateway.totals
    assert (totals.cache_hits, totals.model_calls, totals.prompt_tokens) == (1, 0, 0)


def test_cache_replays_repairs_faithfully(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM(["garbage", VALID]).install(monkeypatch)
    _ask(Gateway(_settings(fake), tmp_path))
    replay = _ask(Gateway(_settings(fake), tmp_path))
    assert len(fake.calls) == 2
    assert (replay.attempts, replay.valid_first_try, replay.usage.cached) == (2, False, True)


def test_cache_key_covers_prompt_and_limits(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = FakeLLM(default=VALID).install(monkeypatch)
    gateway = Gateway(_settings(fake), tmp_path)
    _ask(gateway)
    _ask(gateway, prompt_id="objective@2")
    _ask(gateway, max_tokens=121)
    _ask(Gateway(_settings(fake, temperature=0.7), tmp_path))
    _ask(gateway)  # the only repeat
    assert len(fake.calls) == 4


def test_cache_can_be_disabled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM(default=VALID).install(monkeypatch)
    gateway = Gateway(_settings(fake, cache=False), tmp_path)
    _ask(gateway)
    second = _ask(gateway)
    assert len(fake.calls) == 2 and second.usage.cached is False
    assert not (tmp_path / "llm_cache.sqlite").exists()


def test_broken_cache_file_does_not_break_calls(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "llm_cache.sqlite").write_bytes(b"this is not a database" * 100)
    fake = FakeLLM(default=VALID).install(monkeypatch)
    result = _ask(Gateway(_settings(fake), tmp_path))
    assert result.valid_first_try


# ---- accounting ------------------------------------------------------------------------------


def test_cost_comes_from_the_local_cost_map(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    litellm = gw._litellm()
    real_completion = litellm.completion
    seen: list[dict[str, Any]] = []

    def mocked(**kwargs: Any) -> Any:
        seen.append(kwargs)
        return real_completion(**kwargs, mock_response=json.dumps(VALID))

    monkeypatch.setattr(litellm, "completion", mocked)
    gateway = Gateway(_settings(model="openai/gpt-4o-mini"), tmp_path)
    result = _ask(gateway)
    assert result.usage.cost_usd > 0
    assert gateway.totals.cost_usd == pytest.approx(result.usage.cost_usd)
    assert seen[0]["timeout"] == 5.0
    assert "huddle_local" not in seen[0]  # our private parameter never reaches a provider
    cached = _ask(gateway)
    assert cached.usage.cached and len(seen) == 1
    assert gateway.totals.cost_usd == pytest.approx(result.usage.cost_usd)  # nothing spent
    assert gateway.totals.cached_cost_usd == pytest.approx(result.usage.cost_usd)


def test_totals_accumulate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM([VALID, "garbage", VALID]).install(monkeypatch)
    gateway = Gateway(_settings(fake, cache=False), tmp_path)
    a = _ask(gateway)
    b = _ask(gateway)
    totals = gateway.totals
    assert (totals.calls, totals.model_calls, totals.repairs) == (2, 3, 1)
    assert totals.prompt_tokens == a.usage.prompt_tokens + b.usage.prompt_tokens
    assert totals.completion_tokens == a.usage.completion_tokens + b.usage.completion_tokens


async def test_async_structured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM([VALID]).install(monkeypatch)
    result = await Gateway(_settings(fake), tmp_path).astructured(
        messages=MESSAGES, schema=Objective, prompt_id="objective@1", max_tokens=50
    )
    assert result.value.score == 3


def test_text_helper(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = FakeLLM(["A short summary.", "empty"]).install(monkeypatch)
    gateway = Gateway(_settings(fake, cache=False), tmp_path)
    assert gateway.text(messages=MESSAGES, prompt_id="s@1", max_tokens=20).text == (
        "A short summary."
    )
    assert fake.calls[0].response_format is None
    with pytest.raises(LLMError, match="empty"):
        gateway.text(messages=MESSAGES, prompt_id="s@1", max_tokens=20)


# ---- local-only and privacy ------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    ["openai/gpt-4o-mini", "anthropic/claude-3-5-haiku-latest", "gpt-4o-mini", "fake/scripted"],
)
def test_local_only_refuses_hosted_models(model: str, tmp_path: Path) -> None:
    with pytest.raises(LocalOnlyViolation, match="Local-only"):
        Gateway(_settings(model=model, local_only=True), tmp_path)


@pytest.mark.parametrize(
    ("model", "api_base"),
    [
        ("huddle-local/qwen2.5-coder-1.5b-instruct-q4", None),
        ("ollama/qwen2.5:1.5b", None),
        ("ollama_chat/qwen2.5:1.5b", None),
        ("lm_studio/qwen", None),
        ("llamafile/qwen", None),
        ("openai/x", "http://127.0.0.1:8080"),
        ("openai/x", "http://localhost:8080/v1"),
        ("openai/x", "http://[::1]:8080"),
        ("hosted_vllm/x", "http://127.9.0.3:8000"),
    ],
)
def test_local_only_allows_local_models(model: str, api_base: str | None, tmp_path: Path) -> None:
    gateway = Gateway(_settings(model=model, api_base=api_base, local_only=True), tmp_path)
    assert gateway.privacy_tier == "local"


def test_local_server_provider_pointed_elsewhere_is_hosted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(LocalOnlyViolation):
        Gateway(_settings(model="ollama/x", api_base="http://gpu-box.example.com:11434",
                          local_only=True), tmp_path)
    monkeypatch.setenv("OLLAMA_API_BASE", "http://10.0.0.5:11434")
    assert privacy_tier("ollama/x") == "hosted"
    monkeypatch.setenv("OLLAMA_API_BASE", "http://127.0.0.1:11434")
    assert privacy_tier("ollama/x") == "local"


def test_local_only_is_checked_again_before_each_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    litellm = gw._litellm()

    def no_network(**kwargs: Any) -> Any:
        raise AssertionError("a hosted model was called in local-only mode")

    monkeypatch.setattr(litellm, "completion", no_network)
    settings = _settings(model="ollama/qwen2.5:1.5b", local_only=True)
    gateway = Gateway(settings, tmp_path)
    settings.model = "openai/gpt-4o-mini"  # changed after construction
    with pytest.raises(LocalOnlyViolation):
        _ask(gateway)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://localhost:11434", True),
        ("http://127.5.0.1", True),
        ("https://[::1]:8080/v1", True),
        ("127.0.0.1:8080", True),
        ("http://localhost.example.com", False),
        ("http://10.0.0.1:8080", False),
        ("https://api.openai.com/v1", False),
        ("", False),
    ],
)
def test_is_loopback_url(url: str, expected: bool) -> None:
    assert is_loopback_url(url) is expected


def test_fake_impersonating_the_local_model_passes_local_only(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = FakeLLM([VALID], provider="huddle-local").install(monkeypatch)
    result = _ask(Gateway(_settings(fake, local_only=True), tmp_path))
    assert result.valid_first_try and len(fake.calls) == 1


# ---- the embedded-model provider, with the model stubbed ---------------------------------------


class _StubLlama:
    def __init__(self, behaviour: Any) -> None:
        self.behaviour = behaviour
        self.requests: list[dict[str, Any]] = []
        self.ensure_calls: list[dict[str, Any]] = []
        self.shared_calls: list[dict[str, Any]] = []

    def chat(self, messages: list[dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
        self.requests.append({"messages": messages, **kwargs})
        if isinstance(self.behaviour, BaseException):
            raise self.behaviour
        return {
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": self.behaviour}}],
            "created": 1,
            "usage": {"prompt_tokens": 42, "completion_tokens": 7, "total_tokens": 49},
            "timings": {"cache_n": 30, "prompt_n": 12},  # llama.cpp reused a 30-token prefix
        }


def _stub_local_model(monkeypatch: pytest.MonkeyPatch, behaviour: Any) -> _StubLlama:
    from assistant.llm import local_model

    stub = _StubLlama(behaviour)
    def fake_ensure(data_dir: Path, override: Path | None = None, **kw: Any) -> Path:
        stub.ensure_calls.append({"data_dir": data_dir, "override": override, **kw})
        return Path("m.gguf")

    monkeypatch.setattr(local_model, "ensure_model_file", fake_ensure)
    def fake_shared(cls: Any, path: Path, **kw: Any) -> _StubLlama:
        stub.shared_calls.append({"path": path, **kw})
        return stub

    monkeypatch.setattr(local_model.LocalLlama, "shared", classmethod(fake_shared))
    litellm = gw._litellm()  # make sure the real handler is the registered one
    monkeypatch.setattr(
        litellm, "custom_provider_map",
        [i for i in litellm.custom_provider_map if i.get("provider") != gw.LOCAL_PROVIDER],
    )
    return stub


def test_huddle_local_provider_routes_to_the_local_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    stub = _stub_local_model(monkeypatch, json.dumps(VALID))
    settings = _settings(model="huddle-local/qwen2.5-coder-1.5b-instruct-q4", local_only=True,
                         models_dir=tmp_path / "shared-models")
    gateway = Gateway(settings, tmp_path / "kb-data")
    result = _ask(gateway)

    assert result.value == Objective(**VALID)
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (42, 7)
    assert result.usage.prompt_cached_tokens == 30
    assert gateway.totals.prompt_cached_tokens == 30  # llama.cpp's timings.cache_n, carried
    assert result.usage.cost_usd == 0.0
    # the GGUF is assembled in the shared models dir, not per knowledge base
    (ensure,) = stub.ensure_calls
    assert ensure["models_dir"] == tmp_path / "shared-models"
    assert ensure["data_dir"] == tmp_path / "kb-data" and ensure["override"] is None
    (shared,) = stub.shared_calls
    assert shared == {"path": Path("m.gguf"), "threads": 2, "context_tokens": 4096}
    (request,) = stub.requests
    assert request["messages"] == MESSAGES
    assert request["max_tokens"] == 120 and request["timeout_s"] == 5.0
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["name"] == "Objective"


def test_the_local_model_is_configured_from_the_settings_in_one_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    override = tmp_path / "my.gguf"
    settings = _settings(model="huddle-local/qwen", local_model_path=override,
                         models_dir=Path("~/huddle-models"), threads=3, context_tokens=2048)
    config = Gateway(settings, tmp_path / "kb").local_model
    assert config == LocalModelConfig(
        data_dir=tmp_path / "kb", model_path=override,
        models_dir=Path("~/huddle-models").expanduser(), threads=3, context_tokens=2048,
    )
    stub = _stub_local_model(monkeypatch, json.dumps(VALID))
    _ask(Gateway(settings, tmp_path / "kb"))
    # the provider runs exactly the configuration the gateway built
    assert stub.ensure_calls == [{"data_dir": tmp_path / "kb", "override": override,
                                  "models_dir": Path("~/huddle-models").expanduser()}]
    assert stub.shared_calls == [{"path": Path("m.gguf"), "threads": 3, "context_tokens": 2048}]


def test_the_local_provider_refuses_a_call_without_the_gateway_config(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stub = _stub_local_model(monkeypatch, json.dumps(VALID))
    litellm = gw._litellm()
    gw.register_local_provider(litellm)
    untyped = {"data_dir": "/tmp", "threads": 2}  # the old dict is not a configuration
    for extra in ({}, {gw.CONFIG_PARAM: untyped}):
        with pytest.raises(Exception) as info:
            litellm.completion(model="huddle-local/qwen", messages=MESSAGES, **extra)
        assert isinstance(own_error(info.value), LLMUnavailable)
        assert "through assistant.llm.gateway.Gateway" in str(own_error(info.value))
    assert stub.requests == []


def test_local_model_timeout_reaches_the_caller(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _stub_local_model(monkeypatch, LLMTimeout("The local model did not finish within 5 s"))
    gateway = Gateway(_settings(model=DEFAULT_LOCAL_MODEL), tmp_path)
    with pytest.raises(LLMTimeout, match="local model did not finish"):
        _ask(gateway)


# ---- helpers ---------------------------------------------------------------------------------


def test_response_schema_is_strict_shaped() -> None:
    class Item(BaseModel):
        note_id: str
        weight: int = 1

    class Plan(BaseModel):
        items: list[Item] = Field(max_length=5)
        comment: str | None = None

    schema, strict = response_schema(Plan)
    assert strict is True  # maxItems and anyOf are in the strict subset
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["items", "comment"]
    item = schema["$defs"]["Item"]
    assert item["additionalProperties"] is False and item["required"] == ["note_id", "weight"]
    assert "default" not in json.dumps(schema)

    bounded, strict_bounded = response_schema(Objective)
    assert strict_bounded is False  # maxLength is kept for llama.cpp, so strict is off
    assert bounded["properties"]["objective"]["maxLength"] == 80

    class Tags(BaseModel):
        counts: dict[str, int]

    tags, strict_tags = response_schema(Tags)
    assert tags["properties"]["counts"]["additionalProperties"] == {"type": "integer"}
    assert strict_tags is False


def test_extract_json_text() -> None:
    assert extract_json_text('```json\n{"a": 1}\n```') == '{"a": 1}'
    assert extract_json_text('Here:\n```\n{"a": 1}\n```') == '{"a": 1}'
    assert extract_json_text('  {"a": "```"}  ') == '{"a": "```"}'


def test_importing_the_gateway_does_not_import_litellm() -> None:
    code = (
        "import sys, assistant.llm.gateway, assistant.llm.local_model, assistant.prompts\n"
        "print('litellm' in sys.modules, 'xllamacpp' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.split() == ["False", "False"]


def test_an_embedded_model_huddle_does_not_ship_is_refused_not_replaced(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``huddle-local/no-such`` ran the bundled model and plans recorded the wrong name."""
    stub = _stub_local_model(monkeypatch, json.dumps(VALID))
    gateway = Gateway(_settings(model="huddle-local/no-such-model"), tmp_path)
    with pytest.raises(LLMUnavailable, match="no embedded model 'huddle-local/no-such-model'"):
        _ask(gateway)
    with pytest.raises(LLMUnavailable, match="HUDDLE_LOCAL_MODEL"):
        gateway.prepare()
    assert stub.requests == [] and stub.ensure_calls == []
    # with a file of one's own, the name is the user's label for it
    own = Gateway(_settings(model="huddle-local/mine", local_model_path=tmp_path / "m.gguf"),
                  tmp_path)
    assert _ask(own).value == Objective(**VALID)


def test_a_provider_error_keeps_its_advice_within_a_plans_warning() -> None:
    from assistant.llm.provider_errors import translate_error

    litellm = gw._litellm()
    exc = litellm.BadRequestError("LLM Provider NOT provided. " + "x" * 2000,
                                  model="nonexistent", llm_provider="")
    error = translate_error(exc, _settings(model="nonexistent-model-xyz"))
    assert isinstance(error, LLMUnavailable)
    assert len(str(error)) < 600 and str(error).endswith("'openai/gpt-4o-mini'.")
