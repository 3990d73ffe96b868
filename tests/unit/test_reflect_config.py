"""``reflect.model_facts``, ``model_assess``, ``model_criteria``: which models are asked which
of a reflection's calls, from the settings' sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.config import (
    DEFAULT_LOCAL_MODEL,
    REFLECT_CALLS,
    LLMSettings,
    ReflectSettings,
    load_settings,
)

ALL = frozenset(REFLECT_CALLS)


@pytest.mark.parametrize(("mode", "model", "gguf", "asked"), [
    ("auto", DEFAULT_LOCAL_MODEL, None, frozenset()),  # the bundled model: nothing right added
    ("auto", DEFAULT_LOCAL_MODEL, "/models/qwen2.5-7b.gguf", ALL),  # a GGUF of your own
    ("auto", "openai/gpt-4o-mini", None, ALL),
    ("always", DEFAULT_LOCAL_MODEL, None, ALL),
    ("never", "openai/gpt-4o-mini", None, frozenset()),
])
def test_which_models_are_asked(mode: str, model: str, gguf: str | None,
                                asked: frozenset[str]) -> None:
    llm = LLMSettings(model=model, local_model_path=Path(gguf) if gguf else None)
    s = ReflectSettings(model_facts=mode, model_assess=mode,  # type: ignore[arg-type]
                        model_criteria=mode)  # type: ignore[arg-type]
    assert s.asks(llm) == asked


def test_each_call_has_its_own_setting() -> None:
    llm = LLMSettings()
    assert ReflectSettings(model_assess="always").asks(llm) == {"assessment"}
    assert ReflectSettings(model_facts="never").asks(LLMSettings(model="openai/x")) == {
        "assessment", "criteria"}


def test_the_default_skips_the_default_model() -> None:
    s = load_settings()
    assert (s.reflect.model_facts, s.reflect.model_assess, s.reflect.model_criteria) == (
        "auto", "auto", "auto")
    assert s.reflect.asks(s.llm) == frozenset()


def test_the_environment_and_the_config_file_set_them(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[reflect]\nmodel_facts = "always"\nmodel_criteria = "always"\n')
    monkeypatch.setenv("HUDDLE_CONFIG", str(cfg))
    assert load_settings().reflect.asks(LLMSettings()) == {"facts", "criteria"}
    monkeypatch.setenv("HUDDLE_REFLECT__MODEL_FACTS", "never")  # the environment wins
    monkeypatch.setenv("HUDDLE_REFLECT__MODEL_ASSESS", "always")
    assert load_settings().reflect.asks(LLMSettings()) == {"assessment", "criteria"}


def test_an_unknown_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUDDLE_REFLECT__MODEL_CRITERIA", "sometimes")
    with pytest.raises(ValidationError, match="model_criteria"):
        load_settings()
