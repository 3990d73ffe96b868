"""The pre-call plan: the meeting it is for, its sections, and where each claim came from.

Two families of models live here:

- ``Meeting`` and ``Plan`` (with its sections): what Huddle stores, shows and exports.
- ``Draft``: the small structured answer the model is asked for. Its ``Field`` descriptions
  are written for the model and its lengths are bounded, so even a looping small model has
  to close the JSON. Structural facts (who attends, roles, ids, agenda) never come from the
  model: deterministic nodes own them.

Pure data; imports pydantic only.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.kinds import MEETING_KINDS as MEETING_KINDS  # re-exported: its old home

RoleName = Literal["lead", "discovery", "technical", "executive", "commercial", "closer", "notes"]
ROLES: tuple[str, ...] = (
    "lead", "discovery", "technical", "executive", "commercial", "closer", "notes",
)
ROLE_MEANING = {
    "lead": "opens and runs the meeting",
    "discovery": "runs discovery: asks the questions and listens",
    "technical": "owns the technical conversation (demo, integration, security)",
    "executive": "owns the executive conversation and the relationship at the top",
    "commercial": "owns pricing, terms and the commercial conversation",
    "closer": "asks for the next step",
    "notes": "captures commitments, numbers and details",
}
MIN_MINUTES, MAX_MINUTES = 10, 240  # how long a meeting Huddle plans can last
PlanStatus = Literal["draft", "in_review", "approved", "changes_requested"]


class Buyer(BaseModel):
    name: str
    title: str = ""


class Meeting(BaseModel):
    """What the rep asked for: which account, when, what kind, who attends."""

    account: str
    date: dt.date
    kind: str
    sellers: list[str] = Field(min_length=1)
    buyers: list[Buyer] = Field(default_factory=list)
    goal: str | None = None
    minutes: int = Field(default=45, ge=MIN_MINUTES, le=MAX_MINUTES)


ClaimOrigin = Literal["note", "model", "code"]


class Claim(BaseModel):
    """A statement in the plan with the ids of the notes or stories it came from."""

    text: str
    cites: list[str] = Field(default_factory=list)
    inference: bool = Field(
        default=False, description="True when this is our reasoning, not a fact from a note"
    )
    origin: ClaimOrigin = Field(
        default="note", description="note: a note's own sentence; model: the model's words; "
        "code: composed by Huddle from the KB")


class Objective(BaseModel):
    stage: str
    next_stage: str | None
    exit_criteria: list[str]
    statement: Claim
    advance: str = Field(description="the next step we ask for")
    fallback: str = Field(description="the smaller commitment if the advance is refused")


class CustomerContext(BaseModel):
    situation: list[Claim] = Field(default_factory=list)
    needs: list[Claim] = Field(default_factory=list)
    changes: list[Claim] = Field(
        default_factory=list, description="what changed since the last touch (newest wins)"
    )
    superseded: list[Claim] = Field(
        default_factory=list, description="older statements a newer note overrides"
    )


class BuyerAttendee(BaseModel):
    name: str
    title: str = ""
    cares_about: list[Claim] = Field(default_factory=list)
    unknowns: list[str] = Field(default_factory=list)
    known_from: list[str] = Field(default_factory=list, description="notes that mention them")


class SellerRole(BaseModel):
    name: str
    title: str = ""
    role: RoleName
    does: str
    hands_over: str = ""
    why: str = ""
    owns_next_step: bool = False


class AgendaItem(BaseModel):
    start_minute: int
    minutes: int
    topic: str
    owner: str


class Question(BaseModel):
    text: str
    why: str = ""
    cites: list[str] = Field(default_factory=list)
    icp_attribute: str | None = None
    origin: ClaimOrigin = "code"


class Risk(BaseModel):
    risk: str
    answer: str
    cites: list[str] = Field(default_factory=list)
    inference: bool = False
    kind: str = Field(default="", description="competitor, budget_change, economic_buyer, "
                      "champion_change, stalled, open_work, evaluator, injection")


CriterionStatus = Literal["met", "open", "unknown"]


class CriterionCheck(BaseModel):
    """One exit criterion of the current stage, as the notes show it."""

    criterion: str
    status: CriterionStatus = "unknown"
    quote: str = Field(default="", description="the note sentence that shows it")
    cites: list[str] = Field(default_factory=list)
    decided_by: Literal["code", "model", "none"] = "none"


class Objection(BaseModel):
    """What the customer asked or pushed back on, who answers it, and the prepared answer."""

    text: str = Field(description="the customer's words, or the note's report of them")
    topic: str
    owner: str = Field(description="the seller who answers it")
    answer: str = Field(description="a similar story's lesson, or 'needs an answer: OWNER'")
    cites: list[str] = Field(default_factory=list)
    answer_cites: list[str] = Field(default_factory=list)
    speaker: str | None = None
    rival: str | None = Field(default=None, description="the rival whose price is held against "
                              "ours (a price objection against a competitor)")


class OpenItem(BaseModel):
    """Work promised or owed and not done yet, with who chases it before the call."""

    text: str
    owner: str
    cites: list[str] = Field(default_factory=list)


class StoryUse(BaseModel):
    story_id: str
    title: str
    outcome: str
    why: str


class IcpFitItem(BaseModel):
    attribute: str
    value: str | None
    status: Literal["match", "mismatch", "unknown", "no-view"]
    note: str = ""
    # the ICP ledger's evidence for this value (None in plans made without a ledger)
    won: int | None = None
    lost: int | None = None
    no_decision: int | None = None
    win_rate: float | None = None
    win_rate_low: float | None = Field(default=None, description="Wilson 95% interval")
    win_rate_high: float | None = None
    enough_evidence: bool | None = None
    signals_for: int | None = Field(default=None, description="confirmed call evidence for fit")
    signals_against: int | None = None


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    model_seconds: float = 0.0
    cached_calls: int = 0
    calls: int = 0


class Provenance(BaseModel):
    model: str
    prompts: dict[str, str] = Field(default_factory=dict, description="prompt name -> version")
    retrieved_ids: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict, description="node -> seconds")
    usage: Usage = Field(default_factory=Usage)
    valid_first_try: bool | None = None
    repairs: int = 0
    fallback_sections: list[str] = Field(default_factory=list)
    offered: list[str] = Field(
        default_factory=list,
        description="headlines (objective, advance, fallback) the model's draft gave")
    replaced: list[str] = Field(
        default_factory=list,
        description="headlines (objective, advance, fallback) the model wrote that the checks "
                    "dropped, so code's line stands instead (a subset of fallback_sections for "
                    "the objective)")
    headlines: Literal["model", "code"] = Field(
        default="model",
        description="who wrote the objective, ask and fallback: 'model' (asked; code's line "
                    "where the checks dropped its own) or 'code' (the model was not asked, by "
                    "the prep.model_headlines setting: a decision, not a fallback)")
    warnings: list[str] = Field(default_factory=list)
    quarantined: list[str] = Field(
        default_factory=list, description="ids of notes with text addressed to an AI, ignored"
    )
    injection: list[dict[str, str]] = Field(
        default_factory=list,
        description="instruction-like text left out of the plan: source_id, category, reason",
    )


class Plan(BaseModel):
    model_config = ConfigDict(validate_assignment=True)

    id: str
    version: int = 1
    parent_id: str | None = None
    status: PlanStatus = "draft"
    created_at: str
    meeting: Meeting
    account_name: str
    objective: Objective
    context: CustomerContext
    buyers: list[BuyerAttendee]
    roles: list[SellerRole]
    agenda: list[AgendaItem]
    questions: list[Question]
    risks: list[Risk]
    stories: list[StoryUse]
    checklist: list[str]
    icp_fit: list[IcpFitItem] = Field(default_factory=list)
    exit_gap: list[CriterionCheck] = Field(default_factory=list)
    objections: list[Objection] = Field(default_factory=list)
    open_items: list[OpenItem] = Field(default_factory=list)
    provenance: Provenance

    def cited_ids(self) -> set[str]:
        ids: set[str] = set(self.objective.statement.cites)
        for claim in (*self.context.situation, *self.context.needs, *self.context.changes,
                      *self.context.superseded):
            ids.update(claim.cites)
        for buyer in self.buyers:
            for claim in buyer.cares_about:
                ids.update(claim.cites)
        for q in self.questions:
            ids.update(q.cites)
        for r in self.risks:
            ids.update(r.cites)
        for c in self.exit_gap:
            ids.update(c.cites)
        for o in self.objections:
            ids.update(o.cites)
            ids.update(o.answer_cites)
        for item in self.open_items:
            ids.update(item.cites)
        ids.update(s.story_id for s in self.stories)
        return ids

    def closer(self) -> SellerRole | None:
        return next((r for r in self.roles if r.owns_next_step), None)


# ---- what the model is asked for -----------------------------------------------------


class CriterionAnswer(BaseModel):
    """The model's answer to one narrow question: do these sentences show the criterion?"""

    status: Literal["met", "open", "unknown"] = Field(
        description="met: a sentence says it is done; open: a sentence says it is not done "
        "or still pending; unknown: the sentences do not say")


class Draft(BaseModel):
    """The model's part of a plan. Everything else is assembled by code."""

    objective: str = Field(
        max_length=240, description="the call objective: what must be true after the call "
        "to move the deal to the next stage"
    )
    advance: str = Field(max_length=160, description="the concrete next step we ask for")
    fallback: str = Field(max_length=160, description="a smaller next step if they refuse")
    # The situation, needs, buyers' lines, risks, objections and the exit-criteria gap are
    # the notes' own sentences, read by code (assistant.prep.sentences, buyers, risks,
    # objections, criteria): the model's paraphrases gave two buyers the same line, filed
    # objections as questions and cited notes that did not say what the line said. The
    # questions are code's too (assistant.prep.questions, from the open exit criteria and the
    # missing ICP facts): the model's were mostly the customer's own questions or "What is
    # the status of ...", and cost a third of its output tokens.


def parse_buyers(text: str) -> list[Buyer]:
    """``"Dana Ruiz (CFO), Tom Becker (Head of Operations)"`` -> buyers."""
    out = []
    depth = 0
    current = ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    buyers = []
    for item in (x.strip() for x in out):
        if not item:
            continue
        if item.endswith(")") and "(" in item:
            name, title = item[:-1].split("(", 1)
            buyers.append(Buyer(name=name.strip(), title=title.strip()))
        else:
            buyers.append(Buyer(name=item))
    return buyers
