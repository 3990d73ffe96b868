"""The prep workflow with the real embedded model (Qwen2.5-Coder-1.5B via xllamacpp).

Slow (about a minute on two cores) but run in CI: it is the only test that shows the
default configuration drafts a plan on a machine with no network.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import DEFAULT_LOCAL_MODEL, load_settings
from assistant.service import Huddle


@pytest.mark.slow
def test_embedded_model_drafts_a_sound_plan(small_kb: Path, tmp_path: Path) -> None:
    settings = load_settings(kb=small_kb, data_dir=tmp_path / "data")
    assert settings.llm.model == DEFAULT_LOCAL_MODEL  # nothing configured: the embedded model
    settings.llm.cache = False
    # the draft path with the embedded model (by default, "auto", it is not asked for the
    # headlines: tests/integration/test_prep_headlines.py)
    settings.prep.model_headlines = "always"
    huddle = Huddle(settings)
    meeting = huddle.meeting(account="acme", kind="discovery", date="2026-11-20",
                             sellers="Avery Cole", buyers="Dana Ruiz (CFO)")
    plan = huddle.prepare(meeting)
    p = plan.provenance
    assert p.model == DEFAULT_LOCAL_MODEL
    assert p.usage.calls >= 1 and p.usage.completion_tokens > 0
    # the model's answer was usable: the objective is its own, not the evidence fallback
    assert "objective" not in p.fallback_sections, p.warnings
    assert plan.objective.statement.text.strip()
    assert plan.cited_ids() <= set(p.retrieved_ids)
    assert [(r.name, r.role, r.owns_next_step) for r in plan.roles] == [
        ("Avery Cole", "lead", True)]
    print(f"embedded model: {p.usage.prompt_tokens}+{p.usage.completion_tokens} tokens, "
          f"{p.usage.model_seconds:.1f} s model time, valid first try {p.valid_first_try}")
