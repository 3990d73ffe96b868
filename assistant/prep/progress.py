"""A plan as it fills in: what code decides at once, then the model's parts as they arrive.

The prep graph decides everything but the model's parts before its first model call
(``read_notes``: context, superseded values, buyers, roles, agenda, the exit-criteria gap as
far as the notes say, objections, open items, risks, stories, ICP fit, checklist). While the
graph runs, :class:`PlanTracker` follows its updates and hands the face a
:class:`PlanProgress` at three moments:

1. after ``read_notes`` (no model call yet): the plan with the model's parts *pending* —
   objective, advance, fallback, the model's questions, and each exit criterion the model is
   asked about (when the headlines are code's by setting, ``prep.model_headlines``, the
   objective, advance and fallback are shown at once and never pending);
2. after ``ask_criteria``: the exit-criteria gap with the model's answers in;
3. at the end: the saved plan itself (``final``), which is what the graph produces with or
   without a tracker.

Only checked answers are shown: the criteria answers are an enum the gateway validated, and
the draft is shown once validated and assembled, never as raw tokens. A partial plan is
never saved: the record is written by the graph's ``save`` node, at the end.

``progress_markdown`` renders a partial plan (pending parts marked, not-saved footer);
``changed_sections`` gives the sections of one rendering that differ from another, for a
face that prints updates one after the other (``huddle prep`` on a terminal). Pure, apart
from the callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.plan import Claim, Plan
from assistant.prep.reading import undecided
from assistant.tracking import GraphTracker

PENDING = "pending (model)"
DRAFT_PARTS = ("objective", "advance", "fallback")
"""What the model's draft gives; pending until the plan is assembled."""
_STATE_KEYS = ("gathered", "evidence", "stories", "superseded", "quarantined", "roles",
               "reading", "headlines")


@dataclass(frozen=True)
class PlanProgress:
    """The plan as far as it is known.

    ``plan`` holds placeholders where a part is pending; ``pending`` names what the model has
    still to give (``objective``, ``advance``, ``fallback``, ``questions`` and
    ``criterion: TEXT``); ``final`` is the saved plan (nothing pending); ``stage`` is the
    graph node after which this was built (``read_notes``, ``ask_criteria``, ``save``).
    """

    plan: Plan
    pending: tuple[str, ...] = ()
    final: bool = False
    stage: str = ""
    pending_criteria: tuple[str, ...] = field(default=())

    def missing(self) -> str:
        """What is still missing, in words: ``objective, advance, … and 2 exit criteria``."""
        parts = [p for p in self.pending if not p.startswith("criterion: ")]
        if self.pending_criteria:
            n = len(self.pending_criteria)
            parts.append(f"{n} exit criteri{'on' if n == 1 else 'a'} the model judges")
        return ", ".join(parts) or "nothing"


def partial_plan(state: Mapping[str, Any], *, model: str, stage: str) -> PlanProgress:
    """The plan from a graph state that the model has not (fully) answered, pending parts
    marked. ``created_at`` stays empty: the clock is read once, by ``assemble``."""
    from assistant.prep.graph import compose_plan
    from assistant.prep.reading import apply_answers

    reading = dict(state.get("reading") or {})
    asking = [reading["criteria"][i]["criterion"] for i in undecided(reading)]
    shown = {**state, "reading": apply_answers(reading, {}), "draft": None,
             "usage": {}, "attempts": 1, "llm_error": None, "answer_dropped": []}
    plan = compose_plan(shown, model=model, created_at="")
    by_code = state.get("headlines") == "code"  # the model is not asked: code's stand now
    if not by_code:
        objective = plan.objective.model_copy(update={
            "statement": Claim(text=f"*{PENDING}: the objective*", origin="code"),
            "advance": f"*{PENDING}*", "fallback": f"*{PENDING}*"})
        plan = plan.model_copy(update={"objective": objective})
    pending = (*(() if by_code else DRAFT_PARTS), *(f"criterion: {c}" for c in asking))
    return PlanProgress(plan=plan, pending=pending, stage=stage,
                        pending_criteria=tuple(asking))


def progress_markdown(progress: PlanProgress, *, stopped: str = "") -> str:
    """A partial plan as Markdown: a banner saying what is pending, the plan's sections with
    the pending parts marked, and a footer saying it is not saved. ``stopped`` (e.g.
    ``"cancelled"``) says the run ended without the model's parts."""
    from assistant.render import plan_markdown, safe

    if progress.final:
        return plan_markdown(progress.plan)
    text = plan_markdown(progress.plan)
    text = text[: text.rfind("\n---\n")] if "\n---\n" in text else text  # no provenance yet
    text = text.replace(f"status **{progress.plan.status}**", "status **drafting**", 1)
    for criterion in progress.pending_criteria:  # whatever mark code gave it meanwhile
        shown = safe(criterion)
        found = re.search(rf"^- \*\*[^*\n]+\*\*(?: \*\(model\)\*)?: {re.escape(shown)}"
                          r"(?: — .*)?$", text, re.MULTILINE)
        if found:
            text = f"{text[:found.start()]}- **{PENDING}**: {shown}{text[found.end():]}"
    missing = progress.missing()
    if stopped:
        banner = (f"> **Drafting {stopped}: this plan is incomplete and was not saved.** "
                  f"Missing: {missing}. Press ctrl+g (or run `huddle prep` again) to draft "
                  "the whole plan.")
        footer = f"*Not saved: drafting {stopped} before the model's answers.*"
    else:
        banner = (f"> **Drafting.** Shown now: what Huddle reads from the notes and the "
                  f"knowledge base. Pending from the model: {missing}. The plan is saved "
                  "when complete.")
        footer = "*Not saved yet: the plan is saved when the model's parts are in.*"
    warnings = [f"*Note: {safe(w)}*" for w in progress.plan.provenance.warnings]
    return "\n".join([banner, "", text.rstrip("\n"), "", "---", "", footer, *warnings]) + "\n"


def sections(markdown: str) -> list[tuple[str, str]]:
    """``(heading, text)`` per ``## `` section, in order; the text before the first heading
    is ``""`` and the provenance footer (after ``---``) is ``"---"``."""
    out: list[tuple[str, list[str]]] = [("", [])]
    for line in markdown.splitlines():
        if line.startswith("## ") or line == "---":
            out.append((line, []))
        out[-1][1].append(line)
    return [(h, "\n".join(lines).strip("\n")) for h, lines in out]


def changed_sections(before: str, after: str) -> str:
    """The sections of ``after`` that ``before`` does not have with the same text (the top
    matter excluded), in ``after``'s order."""
    seen = {text for _, text in sections(before)}
    keep = [text for heading, text in sections(after) if heading and text not in seen]
    return "\n\n".join(keep) + ("\n" if keep else "")


class PlanTracker(GraphTracker[PlanProgress]):
    """Follows a prep graph's ``stream_mode="updates"`` output and calls ``on_progress``
    with a partial plan after ``read_notes`` and after ``ask_criteria``."""

    keys = _STATE_KEYS

    def __init__(self, on_progress: Callable[[PlanProgress], None], *, model: str) -> None:
        super().__init__(on_progress)
        self.model = model

    def partial(self, node: str, values: Mapping[str, Any]) -> PlanProgress | None:
        if node in ("read_notes", "ask_criteria") and "reading" in values:
            return partial_plan(self.state, model=self.model, stage=node)
        return None

    def finish(self, plan: Plan) -> None:
        self._send(PlanProgress(plan=plan, final=True, stage="save"))
