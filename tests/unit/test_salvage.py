"""Answers cut off at max_tokens: keep the complete part (assistant.llm.salvage + gateway)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel, Field

from assistant.config import LLMSettings
from assistant.llm.errors import LLMInvalidOutput
from assistant.llm.gateway import Gateway
from assistant.llm.salvage import salvage
from tests.fakes import CutOff, FakeLLM


class Claim(BaseModel):
    text: str = Field(max_length=80)
    cites: list[str]


class Draft(BaseModel):
    objective: str
    situation: list[Claim]
    questions: list[Claim]


FULL = {
    "objective": "Agree the pilot scope",
    "situation": [{"text": "Budget is $48k", "cites": ["n1"]},
                  {"text": "Tom owns routes, \"the, big\" ones", "cites": ["n2", "n3"]}],
    "questions": [{"text": "Who signs?", "cites": []}],
}


def cut_everywhere(text: str) -> list[str]:
    return [text[:i] for i in range(1, len(text))]


@pytest.mark.parametrize("indent", [None, 2])
def test_every_cut_keeps_only_complete_items(indent: int | None) -> None:
    text = json.dumps(FULL, indent=indent)
    for prefix in cut_everywhere(text):
        value = salvage(prefix, Draft)
        if value is None:  # cut inside the objective: nothing sound to keep
            assert '"situation"' not in prefix
            continue
        assert value.objective == FULL["objective"]
        for kept, full in ((value.situation, FULL["situation"]),
                           (value.questions, FULL["questions"])):
            assert [c.model_dump() for c in kept] == full[: len(kept)]  # a prefix, untouched


def test_the_last_finished_item_is_kept() -> None:
    text = json.dumps(FULL)
    cut = text[: text.index("Who signs")]
    value = salvage(cut, Draft)
    assert value is not None
    assert [c.text for c in value.situation] == ["Budget is $48k",
                                                 'Tom owns routes, "the, big" ones']
    assert value.questions == []  # never finished: empty, for the caller to fill


def test_not_json_or_missing_scalars_are_not_salvaged() -> None:
    assert salvage("Sure! Here is", Draft) is None
    assert salvage('{"objective": "Agree the pil', Draft) is None
    assert salvage('{"situation": [{"text": "x", "cites": []}], ', Draft) is None  # no objective


def test_gateway_keeps_the_complete_part_of_a_cut_off_answer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = json.dumps(FULL, indent=2)
    fake = FakeLLM([CutOff(text[: text.index("Who signs")])]).install(monkeypatch)
    gateway = Gateway(LLMSettings(model=fake.model, timeout_s=5.0), tmp_path)
    result = gateway.structured(messages=[{"role": "user", "content": "plan"}], schema=Draft,
                                prompt_id="draft@1", max_tokens=50)
    assert len(fake.calls) == 1  # no second generation
    assert result.salvaged and not result.valid_first_try and result.attempts == 1
    assert len(result.value.situation) == 2 and result.value.questions == []


def test_gateway_repairs_when_nothing_can_be_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = FakeLLM([CutOff('{"objective": "Agree the'), CutOff('{"objec'),
                    CutOff("{")]).install(monkeypatch)
    gateway = Gateway(LLMSettings(model=fake.model, timeout_s=5.0), tmp_path)
    with pytest.raises(LLMInvalidOutput, match="cut off at the length limit"):
        gateway.structured(messages=[{"role": "user", "content": "plan"}], schema=Draft,
                           prompt_id="draft@1", max_tokens=50)
    assert len(fake.calls) == 3
