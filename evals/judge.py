"""An optional LLM judge: usefulness, specificity and tone of a plan, graded 1-5 by a model.

Reported apart from the deterministic metrics (``judge`` in each scenario and
``judge_aggregate`` in the report), never mixed into them, and each grade is scaled to [0, 1]
as ``(grade - 1) / 4``. The rubric is a prompt file, ``evals/prompts/plan_judge.md``,
versioned like every prompt; a judge that fails (invalid answer, timeout) leaves the
scenario's judge "unscored" with the reason.

Touches only the model, through the gateway it is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

PROMPTS = Path(__file__).resolve().parent / "prompts"
PROMPT = "plan_judge"
CRITERIA = ("usefulness", "specificity", "tone")
MAX_PLAN_CHARS = 5000  # the embedded model has a 4k-token context
MAX_TOKENS = 160


class JudgeVerdict(BaseModel):
    """The judge's grades for one plan."""

    usefulness: int = Field(ge=1, le=5, description="1 poor to 5 excellent, per the rubric")
    specificity: int = Field(ge=1, le=5, description="1 poor to 5 excellent, per the rubric")
    tone: int = Field(ge=1, le=5, description="1 poor to 5 excellent, per the rubric")
    reason: str = Field(max_length=300, description="one sentence saying why")


def prompt_id() -> str:
    from assistant.prompts import load_prompt

    return load_prompt(PROMPT, PROMPTS).id


def judge_plan(gateway: Any, plan_text: str, meeting: str) -> dict[str, Any]:
    """Grade one plan: ``{criterion: value in [0, 1], "reason", "grades"}``, or
    ``{"unscored": why}`` when the judge gave no valid answer."""
    from assistant.llm.errors import LLMError
    from assistant.prompts import load_prompt

    prompt = load_prompt(PROMPT, PROMPTS)
    text = plan_text if len(plan_text) <= MAX_PLAN_CHARS else (
        plan_text[:MAX_PLAN_CHARS] + "\n[… plan cut for length]")
    messages = prompt.render(meeting=meeting, plan=text)
    try:
        result = gateway.structured(messages=messages, schema=JudgeVerdict,
                                    prompt_id=prompt.id, max_tokens=MAX_TOKENS)
    except LLMError as exc:
        return {"unscored": f"the judge failed: {type(exc).__name__}: {exc.message}"}
    v = result.value
    grades = {c: getattr(v, c) for c in CRITERIA}
    return {**{c: round((g - 1) / 4, 4) for c, g in grades.items()}, "grades": grades,
            "reason": v.reason}


def judge_aggregate(scenarios: list[dict[str, Any]]) -> dict[str, float]:
    """The mean of each criterion over the scenarios the judge scored."""
    from evals.metrics import mean

    out = {}
    for c in CRITERIA:
        value = mean(s["judge"][c] for s in scenarios
                     if isinstance(s.get("judge"), dict) and c in s["judge"])
        if value is not None:
            out[c] = value
    return out
