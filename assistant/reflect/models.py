"""The reflection after a call, the items a person confirms, and what the model is asked for.

Three families of models:

- ``Reflection`` and its parts: what Huddle stores and shows. Every claim about the call
  carries a :class:`Quote` (words found in the transcript, with the speaker label that said
  them) or is ``unknown``. Nothing here is guessed: deterministic code fills and checks it
  (``assistant.reflect.validate``).
- ``ProposedItem`` / ``Decision``: what the rep accepts, edits or rejects at the human
  checkpoint before anything is written.
- ``facts_schema()`` / ``assess_schema()``: two small structured answers asked of the
  model (``assistant.reflect.criteria`` adds one enum answer per exit criterion), built
  per knowledge base so the JSON schema itself constrains attribute names and plan-item
  keys, with every string and list bounded.

Pure data; imports pydantic only.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, Field, create_model
from pydantic.json_schema import SkipJsonSchema

from assistant.plan import Usage

Known = Literal["known", "inferred", "unknown"]
ObjectiveStatus = Literal["met", "partial", "missed", "unknown"]
ItemStatus = Literal["done", "not_done", "unknown"]
Stance = Literal["champion", "supporter", "neutral", "skeptic", "blocker", "unknown"]
Signal = Literal["supports", "against"]
FIELDS: tuple[str, ...] = (
    "budget", "timeline", "decision_process", "decision_criteria", "economic_buyer",
    "champion", "competitors", "pains", "metrics",
)
FactField = Literal["budget", "timeline", "decision_process", "decision_criteria",
                    "economic_buyer", "champion", "competitors", "pains", "metrics"]
FIELD_LABELS = {
    "budget": "Budget", "timeline": "Timeline", "decision_process": "Decision process",
    "decision_criteria": "Decision criteria", "economic_buyer": "Economic buyer",
    "champion": "Champion", "competitors": "Competition", "pains": "Pain", "metrics": "Metrics",
}
ItemKind = Literal["stakeholder", "fact", "next_step", "icp", "criterion", "figure", "stage"]
FigureName = Literal["cycle_days", "people_involved", "deal_size", "delivery_friction",
                     "satisfaction"]
FIGURE_LABELS = {"cycle_days": "cycle (days)", "people_involved": "people involved",
                 "deal_size": "deal size", "delivery_friction": "delivery friction",
                 "satisfaction": "satisfaction (1-5)"}


class Quote(BaseModel):
    """Words found in the transcript, and who said them (a label from the transcript)."""

    text: str
    speaker: str | None = None
    turn: str | None = Field(default=None, description="turn id, e.g. t7")


class ObjectiveCheck(BaseModel):
    statement: str
    status: ObjectiveStatus = "unknown"
    quote: Quote | None = None
    reason: str = ""
    """Why: the customer's agreement, refusal or hedge that decided it."""
    decided_by: Literal["code", "model", "none"] = "none"
    """``code``: composed from what was said; ``model``: the model's reading, when code found
    no agreement or refusal; ``none``: nothing to judge."""


class ItemCheck(BaseModel):
    """One planned agenda item, question or role, by its index in the plan."""

    index: int
    text: str
    owner: str | None = None  # the agenda item's owner or the seller holding the role
    status: ItemStatus = "unknown"
    quote: Quote | None = None


class Stakeholder(BaseModel):
    id: str
    name: str
    title: str | None = None
    stance: Stance = "unknown"
    status: Known = "known"
    quote: Quote | None = None


class Fact(BaseModel):
    id: str
    field: FactField
    value: str
    status: Known
    quote: Quote
    source: Literal["model", "code"] = "model"


class QualificationStatus(BaseModel):
    """One BANT/MEDDICC-style field: known, inferred or unknown, and the facts behind it."""

    field: FactField
    status: Known = "unknown"
    facts: list[str] = Field(default_factory=list)


class CriterionCheck(BaseModel):
    """One exit criterion of the current stage: met, not met or unknown, with the line that
    shows it (``assistant.reflect.criteria``)."""

    stage: str
    index: int
    text: str
    status: Literal["met", "not_met", "unknown"] = "unknown"
    quote: Quote | None = None
    decided_by: Literal["model", "code", "plan", "none"] = "none"
    """plan: the notes before the call already showed it met (the plan's exit-criteria gap);
    its quote is that note's sentence and ``turn`` the note's id."""

    @property
    def id(self) -> str:
        return f"c{self.index + 1}"


class StageCheck(BaseModel):
    before: str
    after: str
    status: Literal["moved", "unchanged", "unknown"] = "unknown"
    reason: str = ""
    criteria: list[CriterionCheck] = Field(default_factory=list)
    closes: str | None = None
    """With the deal's outcome (won, lost...): the stage of ``process.yaml`` that records it,
    where ``huddle outcome`` moves the account; ``after`` stays the stage the call leaves."""

    def headline(self, account: str, outcome: str | None) -> str:
        """"Discovery → Solution", "stays Discovery", or with an outcome that closes the deal
        "Discovery → Closed Won, pending `huddle outcome acme won`": a call moves a deal
        between open stages, the recorded outcome closes it."""
        if self.closes and outcome:
            return (f"{self.before} → {self.closes}, pending "
                    f"`huddle outcome {account} {outcome}`")
        return (f"{self.before} → {self.after}" if self.after != self.before
                else f"stays {self.before}")


class NextStep(BaseModel):
    id: str
    action: str
    owner: str | None = None
    due: dt.date | None = None
    quote: Quote | None = None


class DealFigure(BaseModel):
    """One of the figures ``huddle outcome`` takes, as the call says it
    (``assistant.reflect.figures``); the rep confirms it before ``huddle outcome`` uses it."""

    id: str
    name: FigureName
    value: str
    quote: Quote


class Claimed(BaseModel):
    """A conclusion that would rest only on a customer's sentence stating a changed or
    settled deal state (``assistant.containment.settles``): shown as a claim to confirm on
    the call, never as known, met or to do (issue 12, containment)."""

    what: str = Field(description="what it would have been: 'economic buyer (fact)', "
                                  "'next step', 'deal figure', 'exit criterion: ...'")
    text: str
    speaker: str | None = None
    turn: str | None = None
    why: str = ""


class IcpEvidence(BaseModel):
    id: str
    attribute: str
    value: str = Field(description="the ledger label (IcpAttribute.bucket_label)")
    raw: str
    signal: Signal
    quote: Quote


ReflectionUsage = Usage  # the same counters as a plan's: tokens, cost, model time, calls


class ReflectionProvenance(BaseModel):
    model: str
    prompts: dict[str, str] = Field(default_factory=dict)
    usage: ReflectionUsage = Field(default_factory=ReflectionUsage)
    timings: dict[str, float] = Field(default_factory=dict)
    valid_first_try: dict[str, bool] = Field(default_factory=dict)
    fallback: list[str] = Field(default_factory=list,
                                description="parts built without the model")
    skipped: list[str] = Field(
        default_factory=list,
        description="model calls not made because the settings say so (reflect.model_facts, "
                    "model_assess, model_criteria; 'auto' skips them for the bundled model): "
                    "facts, assessment, criteria; code's reading stands, not a fallback")
    dropped: list[str] = Field(default_factory=list,
                               description="what validation removed from the model's answer")
    warnings: list[str] = Field(default_factory=list)
    quarantined: list[str] = Field(default_factory=list,
                                   description="transcript text addressed to an AI, ignored")
    excerpt_turns: int = 0
    transcript_turns: int = 0


class Reflection(BaseModel):
    run_id: str
    account: str
    account_name: str
    plan_id: str | None = None
    plan_version: int | None = None
    meeting_kind: str
    meeting_date: dt.date
    author: str
    source: str = ""
    transcript_format: str = "txt"
    speakers: list[str] = Field(default_factory=list)
    created_at: str
    objective: ObjectiveCheck
    agenda: list[ItemCheck] = Field(default_factory=list)
    questions: list[ItemCheck] = Field(default_factory=list)
    roles: list[ItemCheck] = Field(default_factory=list)
    worked: list[str] = Field(default_factory=list)
    didnt: list[str] = Field(default_factory=list)
    lesson: str | None = None
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    qualification: list[QualificationStatus] = Field(default_factory=list)
    stage: StageCheck
    next_steps: list[NextStep] = Field(default_factory=list)
    outcome: Literal["won", "lost", "no-decision"] | None = None
    """The deal's outcome when the rep said this call closed it."""
    figures: list[DealFigure] = Field(default_factory=list)
    icp_evidence: list[IcpEvidence] = Field(default_factory=list)
    claimed: list[Claimed] = Field(default_factory=list)
    provenance: ReflectionProvenance

    def proposals(self) -> list[ProposedItem]:
        """What the rep decides on before anything is written, in a stable order."""
        items: list[ProposedItem] = []
        for s in self.stakeholders:
            title = f" ({s.title})" if s.title else ""
            items.append(ProposedItem(
                id=s.id, kind="stakeholder", value=f"{s.name}{title}",
                summary=f"Stakeholder: {s.name}{title}, stance {s.stance}",
                status=s.status, quote=s.quote))
        for f in self.facts:
            items.append(ProposedItem(
                id=f.id, kind="fact", value=f.value, status=f.status, quote=f.quote,
                summary=f"{FIELD_LABELS[f.field]}: {f.value} ({f.status})"))
        for n in self.next_steps:
            owner = n.owner or "owner unknown"
            due = n.due.isoformat() if n.due else "date unknown"
            items.append(ProposedItem(
                id=n.id, kind="next_step", value=n.action, quote=n.quote,
                summary=f"Next step: {n.action} — {owner}, {due}"))
        for d in self.figures:
            items.append(ProposedItem(
                id=d.id, kind="figure", value=d.value, quote=d.quote,
                summary=f"Deal figure: {FIGURE_LABELS[d.name]} = {d.value}"))
        for e in self.icp_evidence:
            items.append(ProposedItem(
                id=e.id, kind="icp", value=e.raw, quote=e.quote,
                summary=f"ICP evidence: {e.attribute} = {e.value} ({e.signal} fit)"))
        st = self.stage
        for c in st.criteria:
            if c.stage != st.before:
                continue
            items.append(ProposedItem(
                id=c.id, kind="criterion", value=c.status, quote=c.quote,
                summary=f"Exit criterion of {c.stage}: {c.text} — "
                        f"{c.status.replace('_', ' ')}"))
        summary = f"Stage: {st.headline(self.account, self.outcome)}"
        items.append(ProposedItem(id="stage", kind="stage", value=st.after,
                                  summary=summary + (f" — {st.reason}" if st.reason else "")))
        return items


class ProposedItem(BaseModel):
    """One thing the rep accepts, edits or rejects. ``value`` is what an edit replaces."""

    id: str
    kind: ItemKind
    summary: str
    value: str
    status: Known | None = None
    quote: Quote | None = None


class Decision(BaseModel):
    """The rep's answer for one item. Items without a decision are rejected."""

    action: Literal["accept", "edit", "reject"]
    value: str | None = Field(default=None, description="the new value, for edit")
    signal: Signal | None = Field(default=None, description="icp items: a corrected signal")
    owner: str | None = Field(default=None, description="next steps: a corrected owner")
    due: dt.date | None = Field(default=None, description="next steps: a corrected date")


# ---- what the model is asked for -----------------------------------------------------

# the grammar closes a string at its bound wherever the sentence is: validate keeps whole
# sentences only (assistant.reflect.learning.trim_cut)
WORKED_CHARS = 120
LESSON_CHARS = 160
Short = Annotated[str, Field(max_length=WORKED_CHARS)]

_QUOTE = ("words copied exactly from the text (at most 15 words) that show it; "
          "'' if the text does not show it")
# reflect_facts@5 asks for the [turn id] of the line that shows an item instead of its words
# (~20 generated tokens an item): ``assistant.reflect.facts_answer`` picks the turn's sentence
# and hands validation the same dict as before (key ``quote``, the sentence's text). An answer
# in the older shape (``quote`` with words: fakes, a cached answer) still parses.
_TURN = "the [turn id] of the transcript line that shows it"
# what the model is asked to file; code reads amounts, dates, counts and the KB's competitors
# itself (``assistant.reflect.fields``, verbatim), so those fields are left out of the grammar
MODEL_FIELDS: tuple[str, ...] = ("decision_process", "decision_criteria", "economic_buyer",
                                 "champion", "pains")


def _quote_field(turn_ids: list[str] | None) -> Any:
    extra: dict[str, Any] = {"enum": list(turn_ids)} if turn_ids else {
        "pattern": "^t[0-9]{1,4}$"}
    return Field(max_length=110, validation_alias=AliasChoices("turn", "quote"),
                 description=_TURN, json_schema_extra=extra)


class DraftStakeholder(BaseModel):
    name: str = Field(max_length=60, description="a person on the customer's side, as named")
    title: str = Field(max_length=60, description="their job title if the text says it, else ''")
    stance: Stance = Field(description="how they feel about buying from us; unknown if unclear")
    quote: str = _quote_field(None)


class DraftFact(BaseModel):
    field: FactField = Field(json_schema_extra={"enum": list(MODEL_FIELDS)})
    value: str = Field(max_length=80, description="the fact in a few words")
    status: Literal["known", "inferred"] = Field(
        description="known: the text says it; inferred: the text implies it")
    quote: str = _quote_field(None)


# reflect_facts@7: the answer's lists stop (the grammar's ``maxItems``) where the measured
# answers' later items were never kept (benchmarks/README.md, speed7): on four dev scenarios
# the model filled every list to its old bound and validation kept nothing of its answer past
# the first stakeholder and the third fact, and no ICP value. An answer with more
# items, up to the old bounds (a test's fake), still parses and validation reads every item.
MAX_DRAFT_STAKEHOLDERS = 2
MAX_DRAFT_FACTS = 3
MAX_DRAFT_ICP = 1
_PARSED_STAKEHOLDERS, _PARSED_FACTS, _PARSED_ICP = 3, 4, 2
# not asked when every ICP attribute has an ideal value: validation sets the signal from it
_UNASKED_SIGNAL: Any = Annotated[Signal | None, SkipJsonSchema()]


def _bounded(asked: int, parsed: int) -> Any:
    """A list the grammar stops at ``asked`` items and parsing accepts up to ``parsed``."""
    return Field(max_length=parsed, json_schema_extra={"maxItems": asked})


def facts_schema(attributes: list[str], turn_ids: list[str] | None = None,
                 signal: bool = True) -> type[BaseModel]:
    """Stakeholders, facts and ICP evidence; ICP attribute names from icp.yaml; each item
    names the turn that shows it (one of ``turn_ids``, the turns the model was shown).

    Next steps are read by code (who said "I'll ...", which date), which a small model
    does no better and which would cost it a hundred tokens of output. Without ``signal``
    (every attribute has an ideal value, so validation sets the signal from it) an ICP item
    does not ask for one.
    """
    attribute_type: Any = Literal[tuple(attributes)] if attributes else str
    stakeholder: Any = DraftStakeholder
    fact: Any = DraftFact
    if turn_ids:
        stakeholder = create_model("DraftStakeholder", __base__=DraftStakeholder,
                                   quote=(str, _quote_field(turn_ids)))
        fact = create_model("DraftFact", __base__=DraftFact, quote=(str, _quote_field(turn_ids)))
    signal_field: Any = (
        (Signal, Field(description="supports: a good fit for us; against: a poor fit"))
        if signal else (_UNASKED_SIGNAL, Field(default=None)))
    icp_item = create_model(
        "DraftIcp",
        attribute=(attribute_type, Field(description="an ICP attribute name from the list")),
        value=(str, Field(max_length=40, description="its value for this customer, as said")),
        signal=signal_field,
        quote=(str, _quote_field(turn_ids)),
    )
    return create_model(
        "FactsDraft",
        __doc__="Facts the customer revealed in the call. Empty lists when nothing was said.",
        stakeholders=(list[stakeholder], _bounded(MAX_DRAFT_STAKEHOLDERS, _PARSED_STAKEHOLDERS)),
        facts=(list[fact], _bounded(MAX_DRAFT_FACTS, _PARSED_FACTS)),
        icp=(list[icp_item], _bounded(MAX_DRAFT_ICP, _PARSED_ICP)),  # type: ignore[valid-type]
    )


def _turn_field(turn_ids: list[str] | None, name: str) -> Any:
    """A turn id the model names (an enum of the excerpt's turns), read under ``name`` too:
    an older answer with words there (a fake, a cached answer) still parses."""
    extra: dict[str, Any] = {"enum": list(turn_ids)} if turn_ids else {
        "pattern": "^t[0-9]{1,4}$"}
    return Field(max_length=110, validation_alias=AliasChoices("turn", name),
                 description=_TURN, json_schema_extra=extra)


# reflect_assess@7 no longer asks for what worked, what did not and the lesson: every line of
# it was dropped by validation on the measured transcripts ("copies the transcript"), and code
# writes them (``assistant.reflect.learning``). The draft keeps the keys, empty; an older
# answer that has them (fakes, a cached answer) still hands them on: they are left out of
# the JSON schema, so the grammar never asks for them.
_NOT_ASKED: dict[str, Any] = {
    "worked": (SkipJsonSchema[list[Short]], Field(default_factory=list, max_length=2)),
    "didnt": (SkipJsonSchema[list[Short]], Field(default_factory=list, max_length=2)),
    "lesson": (SkipJsonSchema[str], Field(default="", max_length=LESSON_CHARS)),
}


def assess_schema(item_keys: list[str], turn_ids: list[str] | None = None,
                  objective: bool = True) -> type[BaseModel]:
    """What code cannot decide after a call (``reflect_assess@7``): the objective's status
    and the turn that shows it (asked only when ``objective``: code found no clear answer,
    ``verdict.model_can_decide``), and each planned item done or not with its turn.
    ``assistant.reflect.facts_answer.expand_assessment`` puts the turn's sentence under
    ``objective_quote`` and each check's ``quote``, as validation read them before. Exit
    criteria are narrow questions of their own (``assistant.reflect.criteria``)."""
    fields: dict[str, Any] = {}
    if objective:
        fields["objective"] = (ObjectiveStatus, Field(description="was the call objective met"))
        fields["objective_quote"] = (str, _turn_field(turn_ids, "objective_quote"))
    else:
        fields["objective"] = (Annotated[ObjectiveStatus, SkipJsonSchema()],
                               Field(default="unknown"))
        fields["objective_quote"] = (SkipJsonSchema[str], Field(
            default="", max_length=110,
            validation_alias=AliasChoices("turn", "objective_quote")))
    if item_keys:
        item_type: Any = Literal[tuple(item_keys)]
        done_type: Any = Literal["done", "not_done"]
        check = create_model(
            "DraftCheck",
            item=(item_type, Field(description="a planned item key")),
            status=(done_type, Field()),
            quote=(str, _turn_field(turn_ids, "quote")),
        )
        fields["checks"] = (list[check], Field(max_length=min(4, len(item_keys))))  # type: ignore[valid-type]
    return create_model("AssessDraft", **fields, **_NOT_ASKED)


__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "CriterionCheck",
    "DealFigure",
    "Decision",
    "Fact",
    "IcpEvidence",
    "ItemCheck",
    "NextStep",
    "ObjectiveCheck",
    "ProposedItem",
    "QualificationStatus",
    "Quote",
    "Reflection",
    "ReflectionProvenance",
    "ReflectionUsage",
    "StageCheck",
    "Stakeholder",
    "assess_schema",
    "facts_schema",
]
