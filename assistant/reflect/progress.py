"""A reflection as it fills in: what code reads off the call at once, the model's parts later.

The reflect graph decides a good part of a reflection before its first model call
(``gather`` and ``extract``): the transcript's turns after quarantine, the facts, people,
next steps, ICP values and deal figures code reads off the text, the plan items code finds
done, and the objective's verdict, which code composes from what the customer said
(``assistant.reflect.verdict``). While the graph runs, :class:`ReflectionTracker` follows its
updates and hands the face a :class:`ReflectionProgress` at these moments:

1. after ``extract`` (no model call yet): the reflection with the model's parts *pending* —
   the stakeholders, facts and ICP evidence the model reads (``facts``), the checks of the
   plan items the assessment asks about (``assessment``), the objective when code found no
   signal and the model's answer may decide it (both as ``assistant.reflect.asks`` decides,
   the same test that decides whether the call is made), each exit criterion the model is
   asked about, and the stage that follows from them. What code writes shows at once and is
   never marked pending: what worked, what didn't and the lesson (``reflect_assess@7`` no
   longer asks for them), the objective code decided, the plan items the model is not asked;
2. after ``facts``, ``assess`` and ``criteria``: the same with that answer in;
3. at the end: the proposal itself (``final``), what the graph saves for the rep's decisions,
   the same with or without a tracker.

A call the settings leave out (``reflect.model_facts``, ``model_assess``, ``model_criteria``;
by default all three for the bundled model) is never marked pending: its part is code's from
the first moment.

Only checked answers are shown: each partial reflection is built by the same
``build_reflection`` that validates the final one. A partial reflection is never saved and
never decided on: the proposal is saved by the graph's ``propose`` node, and nothing is
written before the rep confirms at the checkpoint after it.

``progress_markdown`` renders a partial reflection (pending parts marked, not-saved footer).
Pure, apart from the callback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.config import REFLECT_CALLS
from assistant.reflect import criteria as cr
from assistant.reflect.asks import asks_model, assessment_asks
from assistant.reflect.models import ProposedItem, Reflection, ReflectionProvenance
from assistant.reflect.validate import build_reflection
from assistant.tracking import GraphTracker
from knowledge.models import Icp

PENDING = "pending (model)"
MODEL_NODES = ("facts", "assess", "criteria")
"""The nodes that ask the model, in the graph's order; a partial reflection follows each."""
_STATE_KEYS = ("gathered", "turns", "quarantined", "hints", "excerpt_turns", "code",
               "substantive", "facts_draft", "assess_draft", "criteria", "model_calls")
_WORDS = {
    "facts": "the stakeholders, facts and ICP evidence the model reads",
    "assessment": "the plan items' checks",
    "objective": "the objective (code found no clear answer in the notes)",
    "stage": "the stage (it follows the exit criteria)",
}


@dataclass(frozen=True)
class ReflectionProgress:
    """The reflection as far as it is known.

    ``reflection`` is built from what is in (the model's pending parts empty or ``unknown``);
    ``pending`` names what the model has still to give (``facts``, ``assessment``,
    ``objective``, ``criterion: TEXT``, ``stage``); ``final`` is the saved proposal (nothing
    pending); ``stage`` is the graph node after which this was built (``extract``, ``facts``,
    ``assess``, ``criteria``, ``propose``); ``turns`` is how many turns code read;
    ``pending_items`` are the plan items (``A1``, ``Q2``, ``R1``) the assessment is still to
    check.
    """

    reflection: Reflection
    pending: tuple[str, ...] = ()
    final: bool = False
    stage: str = ""
    pending_criteria: tuple[int, ...] = field(default=())
    turns: int = 0
    pending_items: tuple[str, ...] = field(default=())

    def _sections(self) -> list[str]:
        """The pending sections in words, without the exit criteria and the stage."""
        return [_WORDS.get(p, p) for p in self.pending
                if not p.startswith("criterion: ") and p != "stage"]

    def parts(self) -> list[str]:
        """What is still missing, one phrase per part (each exit criterion on its own)."""
        out = self._sections()
        out += [f"exit criterion: {p.removeprefix('criterion: ')}" for p in self.pending
                if p.startswith("criterion: ")]
        return out + ([_WORDS["stage"]] if "stage" in self.pending else [])

    def missing(self) -> str:
        """What is still missing, in words."""
        parts = self._sections()
        if self.pending_criteria:
            n = len(self.pending_criteria)
            parts.append(f"{n} exit criteri{'on' if n == 1 else 'a'} the model judges")
        if "stage" in self.pending:
            parts.append(_WORDS["stage"])
        return "; ".join(parts) or "nothing"

    @property
    def items(self) -> list[ProposedItem]:
        """The proposals as far as they are known; a pending criterion or stage says so. Not
        for deciding on before ``final``: the model's answers add and renumber items."""
        items = self.reflection.proposals()
        if self.final:
            return items
        criteria = {f"c{k + 1}" for k in self.pending_criteria}
        out = []
        for item in items:
            if item.kind == "criterion" and item.id in criteria:
                text = item.summary.rsplit(" — ", 1)[0]
                item = item.model_copy(update={"summary": f"{text} — {PENDING}"})
            elif item.kind == "stage" and "stage" in self.pending:
                item = item.model_copy(update={
                    "summary": f"Stage: {PENDING} (it follows the exit criteria)"})
            out.append(item)
        return out


def partial_reflection(state: Mapping[str, Any], *, done: set[str] | frozenset[str],
                       icp: Icp, model: str, stage: str) -> ReflectionProgress:
    """The reflection from a graph state the model has not (fully) answered, pending parts
    named. ``created_at`` stays empty: the clock is read once, by ``validate``."""
    from assistant.safety import Quarantined, payload_ngrams

    g = state["gathered"]
    turns = list(state["turns"])
    asks = bool(state.get("substantive"))
    grams = payload_ngrams(
        [Quarantined(q["turn"], q["text"]) for q in state.get("quarantined", [])],
        " ".join(t["text"] for t in turns))
    provenance = ReflectionProvenance(
        model=model, warnings=list(state.get("warnings", [])),
        skipped=[c for c in REFLECT_CALLS if asks and not asks_model(state, c)],
        fallback=list(dict.fromkeys(state.get("fallback", []))),
        quarantined=[q["text"] for q in state.get("quarantined", [])],
        excerpt_turns=state.get("excerpt_turns", 0), transcript_turns=len(turns))
    reflection = build_reflection(
        run_id=state["run_id"], gathered=g, turns=turns,
        facts_draft=state.get("facts_draft"), assess_draft=state.get("assess_draft"),
        criteria=state.get("criteria", []), outcome=state.get("outcome"), code=state["code"],
        grams=grams, icp=icp, author=state["author"], transcript=state["transcript"],
        provenance=provenance, created_at="")
    asking = tuple(k for k, c in enumerate(g["criteria"])
                   if asks and "criteria" not in done and asks_model(state, "criteria")
                   and cr.candidates(c, turns))
    pending: list[str] = []
    if asks and "facts" not in done and asks_model(state, "facts"):
        pending.append("facts")
    objective = False
    items: tuple[str, ...] = ()
    if asks and "assess" not in done and asks_model(state, "assessment"):
        # what the assessment call asks, when it is made
        asked = assessment_asks(g, turns, state.get("outcome"))
        objective, items = asked.objective, asked.keys
        if items:
            pending.append("assessment")
        if objective:
            pending.append("objective")
    pending += [f"criterion: {g['criteria'][k]}" for k in asking]
    if asking or objective:
        pending.append("stage")
    return ReflectionProgress(reflection=reflection, pending=tuple(pending), stage=stage,
                              pending_criteria=asking, turns=len(turns),
                              pending_items=items)


# ---- Markdown -------------------------------------------------------------------------


def _mark_section(heading: str, text: str, progress: ReflectionProgress) -> str:
    """One section of the rendered reflection with its pending parts marked."""
    pending = set(progress.pending)
    mark = f"**{PENDING}**"
    if heading == "## Objective" and "objective" in pending:
        text = re.sub(r"^\S \*\*(?:met|partial|missed|unknown)\*\*", mark, text, count=1,
                      flags=re.MULTILINE)
    elif heading == "## Against the plan" and progress.pending_items:
        text = _mark_items(text, set(progress.pending_items), mark)
    elif heading == "## What we learned" and "facts" in pending:
        text = re.sub(r"^- ([^:\n\[]+): unknown$", rf"- \1: unknown so far ({mark})", text,
                      flags=re.MULTILINE)
        text += f"\n\n*{PENDING}: the stakeholders and facts the model reads.*"
    elif heading == "## Stage":
        lines = text.split("\n")
        if "stage" in pending and len(lines) > 2:
            lines[2] = f"{mark}: the stage follows the exit criteria and the objective"
        for k in progress.pending_criteria:
            lines = [re.sub(rf"^- \[c{k + 1}\] \S (.+): unknown$", rf"- [c{k + 1}] {mark}: \1",
                            line) for line in lines]
        text = "\n".join(lines)
    elif heading == "## Proposed ICP evidence" and "facts" in pending:
        text = text.replace("\n- none", "") + f"\n- *{PENDING}: the ICP evidence the model reads*"
    return text


_ITEM_GROUPS = {"**Agenda**": "A", "**Questions**": "Q", "**Roles": "R"}


def _mark_items(text: str, keys: set[str], mark: str) -> str:
    """The "Against the plan" section with the items the assessment still checks (``keys``:
    ``A1``, ``Q2``, ``R1``, as ``assistant.reflect.asks.plan_items`` numbers them) marked
    pending where code found nothing; the others stay as code found them."""
    out, prefix, n = [], "", 0
    for line in text.split("\n"):
        group = next((p for head, p in _ITEM_GROUPS.items() if line.startswith(head)), None)
        if group:
            prefix, n = group, 0
        elif prefix and line.startswith("- "):
            n += 1
            if f"{prefix}{n}" in keys:
                line = re.sub(r"^- \? (.+): unknown$", rf"- … \1: {mark}", line)
        out.append(line)
    return "\n".join(out)


def progress_markdown(progress: ReflectionProgress, *, stopped: str = "") -> str:
    """A partial reflection as Markdown: a banner saying what is pending, the reflection's
    sections with the pending parts marked, and a footer saying nothing is saved yet.
    ``stopped`` (e.g. ``"cancelled"``) says the run ended without the model's parts."""
    from assistant.prep.progress import sections
    from assistant.reflect.render import reflection_markdown
    from assistant.render import safe

    text = reflection_markdown(progress.reflection)
    if progress.final:
        return text
    body = [_mark_section(heading, part, progress)
            for heading, part in sections(text) if heading != "---"]  # no provenance yet
    missing = progress.missing()
    if stopped:
        banner = (f"> **Reflection {stopped}: incomplete; nothing was proposed or written.** "
                  f"Missing: {missing}. Press ctrl+g (or run `huddle reflect` again) for the "
                  "whole reflection.")
        footer = f"*Not saved: the reflection {stopped} before the model's answers.*"
    elif not progress.pending and len(progress.reflection.provenance.skipped) == len(
            REFLECT_CALLS):
        banner = (f"> **Reflecting.** Huddle has read the {progress.turns} turns by itself "
                  "(this model is not asked, by setting); the proposal is being checked and "
                  "saved for your decisions.")
        footer = "*Not saved yet.*"
    elif not progress.pending:
        banner = ("> **Reflecting.** The model's answers are in; the proposal is being "
                  "checked and saved for your decisions.")
        footer = "*Not saved yet.*"
    else:
        banner = (f"> **Reflecting.** Shown now: what Huddle reads from the {progress.turns} "
                  f"turns by itself. Pending from the model: {missing}. The items are yours "
                  "to decide when it is complete; nothing is written until you confirm.")
        footer = ("*Not saved yet: the proposal is saved for your decisions when the model's "
                  "parts are in.*")
    warnings = [f"*Note: {safe(w)}*" for w in progress.reflection.provenance.warnings]
    return "\n".join([banner, "", "\n\n".join(body), "", "---", "", footer, *warnings]) + "\n"


class ReflectionTracker(GraphTracker[ReflectionProgress]):
    """Follows a reflect graph's ``stream_mode="updates"`` output and calls ``on_progress``
    with a partial reflection after ``extract`` and after each model node."""

    keys = _STATE_KEYS
    appended = ("warnings", "fallback")

    def __init__(self, on_progress: Callable[[ReflectionProgress], None], *, icp: Icp,
                 model: str) -> None:
        super().__init__(on_progress)
        self.icp = icp
        self.model = model

    def partial(self, node: str, values: Mapping[str, Any]) -> ReflectionProgress | None:
        if node not in ("extract", *MODEL_NODES) or "turns" not in self.state:
            return None
        progress = partial_reflection(self.state, done=self.done, icp=self.icp,
                                      model=self.model, stage=node)
        if self.sent and progress.pending == self.sent[-1].pending:
            return None  # a node that asked nothing changes nothing
        return progress

    def finish(self, reflection: Reflection) -> None:
        self._send(ReflectionProgress(reflection=reflection, final=True, stage="propose",
                                      turns=reflection.provenance.transcript_turns))


__all__ = ["PENDING", "ReflectionProgress", "ReflectionTracker", "partial_reflection",
           "progress_markdown"]
