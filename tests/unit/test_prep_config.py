"""``prep.model_headlines``: which models are asked for a plan's headlines, from the
environment, the config file and the default."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.config import DEFAULT_LOCAL_MODEL, LLMSettings, PrepSettings, load_settings


@pytest.mark.parametrize(("mode", "model", "gguf", "asked"), [
    ("auto", DEFAULT_LOCAL_MODEL, None, False),  # the bundled model: its lines were replaced
    ("auto", DEFAULT_LOCAL_MODEL, "/models/qwen2.5-7b.gguf", True),  # a GGUF of your own
    ("auto", "ollama/qwen2.5:7b", None, True),
    ("auto", "openai/gpt-4o-mini", None, True),
    ("always", DEFAULT_LOCAL_MODEL, None, True),
    ("never", "openai/gpt-4o-mini", None, False),
    ("never", DEFAULT_LOCAL_MODEL, None, False),
])
def test_which_models_are_asked_for_the_headlines(mode: str, model: str, gguf: str | None,
                                                  asked: bool) -> None:
    llm = LLMSettings(model=model, local_model_path=Path(gguf) if gguf else None)
    assert PrepSettings(model_headlines=mode).asks_model(llm) is asked  # type: ignore[arg-type]


def test_the_default_skips_the_default_model() -> None:
    s = load_settings()
    assert s.prep.model_headlines == "auto"
    assert s.prep.asks_model(s.llm) is False


def test_the_environment_and_the_config_file_set_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text('[prep]\nmodel_headlines = "always"\n')
    monkeypatch.setenv("HUDDLE_CONFIG", str(cfg))
    assert load_settings().prep.model_headlines == "always"
    monkeypatch.setenv("HUDDLE_PREP__MODEL_HEADLINES", "never")  # the environment wins
    assert load_settings().prep.model_headlines == "never"


def test_an_unknown_value_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUDDLE_PREP__MODEL_HEADLINES", "sometimes")
    with pytest.raises(ValidationError, match="model_headlines"):
        load_settings()

