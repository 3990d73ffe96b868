"""The prep workflow: a langgraph ``StateGraph`` from a meeting to a saved plan.

    gather -> retrieve -> assign_roles -> read_notes -> ask_criteria -> draft -> validate -+
                                                                         ^                 |
                                                                         +---- repair -----+
    validate -> assemble -> save
    ask_criteria -> assemble      (headlines by code, by setting: no draft call)

Deterministic nodes do what code does better than a model (context, retrieval, roles,
agenda, ICP gaps, citation checks). ``read_notes`` composes the judgement sections from the
notes' own sentences (exit-criteria gap, objections and who answers them, open items, risks
with mitigations, each buyer's lines: ``assistant.prep.reading``) without the model, so
everything code decides is known before the first model call (``assistant.prep.progress``
shows it at once); ``ask_criteria`` then asks the model only narrow questions: one per exit
criterion the notes mention without saying whether it is met (``prep_criterion``, an enum
answer). ``draft`` asks for the objective, the ask and a few lines of prose, aimed at the
open criteria, unless the ``prep.model_headlines`` setting says code writes them
(``PrepContext.model_headlines`` False: by default for the bundled embedded model, whose
lines the checks replaced 4 times in 5): then ``draft`` and ``validate`` are skipped, code's
objective, ask and fallback stand, and the provenance records it (``headlines="code"``): a
decision, not a fallback or a warning. When a model call fails (garbage after the gateway's
own repairs, timeout, model unavailable) the plan is assembled from the evidence
alone, section by section — never a crash, never an invented id.

The gateway, retriever, KB and plan store travel in the runtime context (``PrepContext``);
state holds only JSON-serialisable data so a SQLite checkpointer can persist it. Build with
``build_prep_graph()`` and compile at the edge.
"""

from __future__ import annotations

import datetime as dt
import logging
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from assistant.clock import SYSTEM, Clock
from assistant.plan import CriterionAnswer, Draft, Meeting, Plan, Provenance, Usage
from assistant.prep.assemble import (
    EMPTY_OBJECTIVE,
    GENERIC_OBJECTIVE,
    NOT_AN_ACTION,
    UNSAFE,
    assemble_plan,
    check_draft,
    needs_repair,
)
from assistant.prep.evidence import PROMPT_NOTES, retrieve_evidence, superseded_pairs
from assistant.prep.reading import apply_answers, read_evidence, undecided, without_claims
from assistant.prep.roles import account_owner, assign_roles
from assistant.prompts import load_prompt
from assistant.safety import Quarantined, payload_ngrams
from assistant.workflow import timed
from knowledge.errors import HuddleError
from knowledge.icp import stated_fit, unknown_attributes
from knowledge.models import KnowledgeBase
from knowledge.retrieval import Retriever

log = logging.getLogger(__name__)

PROMPT = "prep_draft"
CRITERION_PROMPT = "prep_criterion"
DRAFT_MAX_TOKENS = 600  # ~35 s at 17 tokens/s; the schema bounds every string
CRITERION_MAX_TOKENS = 20  # {"status": "open"}


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {**a, **b}


def _add_usage(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    keys = set(a) | set(b)
    return {k: (a.get(k) or 0) + (b.get(k) or 0) for k in keys}


class PrepInput(TypedDict):
    plan_id: str
    meeting: dict[str, Any]  # a Meeting, as JSON


class PrepState(PrepInput, total=False):
    gathered: dict[str, Any]
    """Account, stage, next stage, exit criteria, people, ICP fit and gaps (from the KB)."""
    evidence: list[dict[str, Any]]
    """Retrieved notes, newest first, quarantined and cut to snippets."""
    stories: list[dict[str, Any]]
    """Similar stories with why they are worth telling."""
    superseded: list[dict[str, Any]]
    """Older statements that newer notes override: text and cites."""
    quarantined: list[dict[str, str]]
    """Instruction-like text removed from the evidence: source id, text, category, reason."""
    answer_dropped: list[str]
    """Items of the model's answer dropped by the answer check (last validation)."""
    roles: list[dict[str, Any]]
    """One primary role per seller (deterministic)."""
    reading: dict[str, Any]
    """Exit-criteria gap, objections, open items, risks, buyers' lines (from the notes)."""
    draft: dict[str, Any] | None
    """The model's checked draft, or None when the model failed."""
    draft_problems: list[str]
    """What the last validation found (fixed in place or sent back for repair)."""
    offered: dict[str, str]
    """The headlines (objective, advance, fallback) the last draft gave, before the check."""
    attempts: int
    """How many times ``draft`` has run."""
    valid_first_try: bool | None
    """Whether the model's first answer was schema-valid without repair."""
    llm_error: str | None
    """Why the model gave no usable draft, when it did not."""
    timings: Annotated[dict[str, float], _merge]
    """Seconds per node."""
    usage: Annotated[dict[str, float], _add_usage]
    """Tokens, cost and model seconds summed over every model call."""
    headlines: Literal["model", "code"]
    """Who writes the objective, ask and fallback: the model (checked, code's line where the
    check drops it), or code by setting (the model is not asked). Set by ``gather``."""
    warnings: Annotated[list[str], operator.add]
    """Things the rep should know about how the plan was made."""
    plan: dict[str, Any]
    """The assembled plan (output)."""


class PrepOutput(TypedDict):
    plan: dict[str, Any]


@dataclass
class PrepContext:
    """What the nodes need that is not data: injected by the app, tests and evals."""

    kb: KnowledgeBase
    retriever: Retriever
    gateway: Any  # assistant.llm.gateway.Gateway or a test fake with the same method
    notes_k: int = 8
    stories_k: int = 3
    max_repairs: int = 1
    save: Callable[[Plan], None] | None = None
    on_event: Callable[[str, dict[str, Any]], None] | None = None
    clock: Clock = SYSTEM  # the service's clock: stamps created_at
    ledger: Any = None  # knowledge.ledger.Ledger: evidence counts behind the plan's ICP fit
    model_headlines: bool = True
    """Ask the model for the headlines (``draft``); False: code writes them, by setting
    (``assistant.config.PrepSettings.asks_model``)."""


# ---- nodes ------------------------------------------------------------------------------


@timed("gather")
def gather(state: PrepState, ctx: PrepContext) -> dict[str, Any]:
    meeting = Meeting.model_validate(state["meeting"])
    kb = ctx.kb
    account = kb.account(meeting.account)
    if account is None:
        raise HuddleError(f"unknown account {meeting.account!r}; accounts: "
                          + ", ".join(sorted(kb.accounts)))
    stage = kb.process.find(account.stage)
    assert stage is not None  # the loader checked it
    nxt = kb.process.next_stage(account.stage)
    people = []
    for name in meeting.sellers:
        person = kb.team.find(name)
        if person is None:
            raise HuddleError(f"{name!r} is not in team.yaml; people: "
                              + ", ".join(p.name for p in kb.team.people))
        people.append(person.model_dump())
    notes = kb.notes_for(account.slug)
    contacts = list(dict.fromkeys(c.split("(")[0].strip() for n in notes for c in n.contacts))
    return {"headlines": "model" if ctx.model_headlines else "code", "gathered": {
        "account": account.slug, "account_name": account.name, "kind": meeting.kind,
        "owner": account_owner(account, notes), "contacts": contacts,
        "team": [p.name for p in kb.team.people],
        "competitors": sorted({s.competitor for s in kb.stories if s.competitor}),
        "minutes": meeting.minutes, "date": meeting.date.isoformat(), "goal": meeting.goal,
        "stage": stage.name, "next_stage": nxt.name if nxt else None,
        "exit_criteria": list(stage.exit_criteria),
        "next_stage_activity": (nxt.activities[0] if nxt and nxt.activities else None),
        "people": people, "buyers": [b.model_dump() for b in meeting.buyers],
        "profile": {k: v for k, v in account.attribute_values(kb.icp).items() if v is not None},
        "icp_fit": stated_fit(account, kb.icp, evidence=(
            ctx.ledger.evidence(kb.icp) if ctx.ledger is not None else None)),
        "icp_unknown": unknown_attributes(account, kb.icp),
    }}


@timed("retrieve")
def retrieve(state: PrepState, ctx: PrepContext) -> dict[str, Any]:
    g = state["gathered"]
    notes, stories = retrieve_evidence(
        ctx.retriever, ctx.kb, account=g["account"], meeting_kind=g["kind"], goal=g["goal"],
        exit_criteria=g["exit_criteria"], buyer_names=[b["name"] for b in g["buyers"]],
        notes_k=ctx.notes_k, stories_k=ctx.stories_k, profile=g["profile"],
        before=dt.date.fromisoformat(g["date"]),
    )
    quarantined = [{"source_id": e.id, "text": t, **flag} for e in notes + stories
                   for t, flag in zip(e.quarantined, e.flags, strict=True)]
    superseded = superseded_pairs(notes)
    story_rows = []
    for s in stories:
        story = ctx.kb.story(s.id)
        profile = story.account_profile if story else {}
        shared = [k for k, v in g["profile"].items()
                  if str(profile.get(k, "")).casefold() == str(v).casefold()]
        lesson = " ".join(s.full_text.split()[:40])
        story_rows.append({
            "id": s.id, "title": s.title, "outcome": s.outcome, "full_text": s.full_text,
            "why": (f"{s.outcome} with a similar customer"
                    + (f" (same {', '.join(shared[:3])})" if shared else "")
                    + f": {lesson}…"),
        })
    warnings = []
    if not notes:
        warnings.append(f"no notes found for {g['account']}: the plan rests on the KB alone")
    return {
        "evidence": [e.as_dict() for e in notes], "stories": story_rows,
        "superseded": superseded, "quarantined": quarantined, "warnings": warnings,
    }


@timed("assign_roles")
def roles_node(state: PrepState, ctx: PrepContext) -> dict[str, Any]:
    from knowledge.models import Person

    g = state["gathered"]
    people = [Person.model_validate(p) for p in g["people"]]
    return {"roles": [c.__dict__ for c in assign_roles(people, g["kind"],
                                                       owner=g.get("owner"))]}


@timed("read_notes")
def read_notes(state: PrepState, ctx: PrepContext) -> dict[str, Any]:
    """The judgement sections from the notes (code only: no model call). Criteria the notes
    mention without saying whether they are met stay ``undecided`` for ``ask_criteria``."""
    g = state["gathered"]
    reading = read_evidence(g, state["evidence"], state["stories"], state["roles"],
                            tuple(g.get("contacts", ())))
    return {"reading": {**reading, "asked": len(undecided(reading))}}


@timed("ask_criteria")
def ask_criteria(state: PrepState, ctx: PrepContext) -> dict[str, Any]:
    """One narrow model question per undecided exit criterion; the answers folded in (what
    is still undecided becomes unknown). Idempotent: once applied, nothing is undecided."""
    reading = state["reading"]
    answers: dict[int, str] = {}
    usage: dict[str, float] = {}
    warnings: list[str] = []
    for i in undecided(reading):  # one narrow question each
        got = _ask_criterion(ctx, reading["criteria"][i])
        if got is None:
            warnings.append("the model could not judge an exit criterion; it is shown as "
                            "unknown")
            continue
        answers[i], used = got
        usage = _add_usage(usage, used)
    return {"reading": apply_answers(reading, answers), "usage": usage, "warnings": warnings}


def _ask_criterion(ctx: PrepContext, row: dict[str, Any]) -> tuple[str, dict[str, float]] | None:
    from assistant.llm.errors import LLMError

    prompt = load_prompt(CRITERION_PROMPT)
    messages = prompt.render(criterion=row["criterion"], sentences=row["related"][:2])
    try:
        result = ctx.gateway.structured(messages=messages, schema=CriterionAnswer,
                                        prompt_id=prompt.id, max_tokens=CRITERION_MAX_TOKENS)
    except LLMError as exc:
        log.warning("criterion question failed: %s", exc)
        return None
    u = result.usage
    return result.value.status, {
        "prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens,
        "cost_usd": u.cost_usd, "model_seconds": u.latency_s, "cached_calls": int(u.cached),
        "calls": 1, "repairs": result.attempts - 1}


@timed("draft")
def draft_node(state: PrepState, ctx: PrepContext) -> dict[str, Any]:
    from assistant.llm.errors import LLMError

    g = state["gathered"]
    prompt = load_prompt(PROMPT)
    buyers = ", ".join(f"{b['name']} ({b['title']})" if b.get("title") else b["name"]
                       for b in g["buyers"]) or "not given"
    feedback = "; ".join(state.get("draft_problems") or []) if state.get("attempts") else ""
    messages = prompt.render(
        account=g["account_name"],
        meeting=f"{g['kind']} on {g['date']}, {g['minutes']} minutes"
                + (f", goal: {g['goal']}" if g.get("goal") else ""),
        stage=g["stage"], next_stage=g["next_stage"] or "(last stage)",
        exit_criteria="; ".join(_open_criteria(state)) or "all met", buyers=buyers,
        met="; ".join(r["criterion"] for r in state.get("reading", {}).get("criteria", [])
                      if r["status"] == "met"),
        evidence=sorted((e for e in without_claims(state["evidence"], state["reading"])
                         if e.get("rank", 0) < PROMPT_NOTES),
                        key=lambda e: (e["date"] or "", e["id"]), reverse=True),
        superseded="; ".join(f"{s['cites'][0]} replaces {s['cites'][1]} on {s['topic']}"
                             for s in state.get("superseded", [])),
        feedback=feedback,
    )
    attempts = state.get("attempts", 0) + 1
    try:
        result = ctx.gateway.structured(messages=messages, schema=Draft, prompt_id=prompt.id,
                                        max_tokens=DRAFT_MAX_TOKENS)
    except LLMError as exc:
        log.warning("prep draft failed: %s", exc)
        if state.get("draft") is not None:  # the repair failed: keep the checked first draft
            return {"attempts": attempts, "llm_error": str(exc),
                    "warnings": [f"the model's second try failed ({type(exc).__name__}); "
                                 "the first draft's checked parts are kept and the rest "
                                 "built from the evidence"]}
        return {"draft": None, "attempts": attempts, "llm_error": str(exc),
                "valid_first_try": False if attempts == 1 else state.get("valid_first_try"),
                "warnings": [f"the model gave no usable draft ({type(exc).__name__}); "
                             "sections were built from the evidence"]}
    u = result.usage
    salvaged = ([f"the model's draft was cut off at {DRAFT_MAX_TOKENS} tokens; its complete "
                 "part was kept and the rest built from the evidence"] if result.salvaged else [])
    return {
        "draft": result.value.model_dump(), "attempts": attempts, "llm_error": None,
        "warnings": salvaged,
        "valid_first_try": result.valid_first_try if attempts == 1
        else state.get("valid_first_try"),
        "usage": {"prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens,
                  "cost_usd": u.cost_usd, "model_seconds": u.latency_s,
                  "cached_calls": int(u.cached), "calls": 1, "repairs": result.attempts - 1},
    }


def _open_criteria(state: PrepState) -> list[str]:
    rows = state.get("reading", {}).get("criteria")
    if not rows:
        return list(state["gathered"]["exit_criteria"])
    return [r["criterion"] for r in rows if r["status"] != "met"]


@timed("validate")
def validate(state: PrepState, ctx: PrepContext) -> dict[str, Any]:
    if state.get("draft") is None:
        return {"draft_problems": [], "offered": {}}
    draft = Draft.model_validate(state["draft"])
    g = state["gathered"]
    # a claim to confirm supports no line
    evidence = without_claims(state["evidence"], state.get("reading") or {})
    clean_text = " ".join(e["full_text"] for e in evidence)
    grams = payload_ngrams(
        [Quarantined(q["source_id"], q["text"]) for q in state.get("quarantined", [])],
        clean_text,
    )
    buyers = [b["name"] for b in g["buyers"]]
    shown = [e for e in evidence if e.get("rank", 0) < PROMPT_NOTES]
    known = [g["account_name"], g["account"], g["stage"], g.get("next_stage") or "",
             g.get("goal") or "", g["kind"], *g["exit_criteria"],
             *(p["name"] for p in g["people"]),
             *(f"{b['name']} {b.get('title', '')}" for b in g["buyers"]),
             *(e["title"] for e in shown)]
    checked, problems = check_draft(
        draft, grams=grams, buyers=buyers,
        evidence=" ".join(e["text"] + " " + e["full_text"] for e in shown), known=known,
        rivals=list(state.get("reading", {}).get("rivals", [])), goal=g.get("goal") or "")
    # an objective dropped only as generic or as the meeting request repeated is not asked
    # again: code writes it from the open criterion and the notes
    plain = draft.objective.strip() and any(p.startswith(GENERIC_OBJECTIVE) for p in problems)
    return {"draft": checked.model_dump(),
            "offered": {k: getattr(draft, k) for k in HEADLINES if getattr(draft, k).strip()},
            "draft_problems": problems + ([] if plain else needs_repair(checked)),
            "answer_dropped": [p for p in problems
                               if UNSAFE in p or "addressed to an AI" in p
                               or NOT_AN_ACTION in p]}


def route_after_criteria(state: PrepState, runtime: Runtime[PrepContext]) -> Literal[
        "draft", "assemble"]:
    """To ``draft``, unless the headlines are code's by setting."""
    return "assemble" if state.get("headlines") == "code" else "draft"


def route_after_validate(state: PrepState, runtime: Runtime[PrepContext]) -> Literal[
        "draft", "assemble"]:
    if state.get("draft") is None:
        return "assemble"
    if (EMPTY_OBJECTIVE in (state.get("draft_problems") or [])
            and state.get("attempts", 0) <= runtime.context.max_repairs):
        return "draft"
    return "assemble"


HEADLINES = ("objective", "advance", "fallback")
# the check's reasons for dropping a headline that passed the echo and evidence checks
PLAIN_DROPS = ("a line restated the meeting", "it repeated the meeting request",
               "it repeated our own note's ask", "it restated the objective")


def replaced_headlines(state: PrepState | dict[str, Any], objective: Any) -> list[str]:
    """The headlines the model wrote that the plan does not carry: dropped by the check
    (generic, the meeting restated, not on the evidence …) or by the objective's own rules,
    so code's line stands in their place. A model that gave no answer replaces nothing (that
    is ``fallback_sections``)."""
    if state.get("draft") is None:
        return []
    kept = {"objective": objective.statement.origin == "model" and objective.statement.text,
            "advance": objective.advance, "fallback": objective.fallback}
    draft = state.get("draft") or {}
    return [k for k in state.get("offered") or {}
            if not (kept[k] and str(draft.get(k) or "").strip() == str(kept[k]).strip())]


@timed("assemble")
def assemble(state: PrepState, ctx: PrepContext) -> dict[str, Any]:
    plan = compose_plan(state, model=getattr(ctx.gateway, "model", "unknown"),
                        created_at=ctx.clock.stamp())
    return {"plan": plan.model_dump(mode="json")}


def compose_plan(state: PrepState | dict[str, Any], *, model: str, created_at: str) -> Plan:
    """The plan from the state as it stands (``assemble``; ``assistant.prep.progress`` calls
    it on a state the model has not answered yet)."""
    draft = Draft.model_validate(state["draft"]) if state.get("draft") else None
    parts = assemble_plan(dict(state), draft)
    fallback = parts.pop("fallback_sections")
    by_code = state.get("headlines") == "code"
    if by_code:  # not asked, by setting: code's objective is the plan's, not a fallback
        fallback = [f for f in fallback if f != "objective"]
    usage = state.get("usage", {})
    prompt = load_prompt(PROMPT)
    replaced = replaced_headlines(state, parts["objective"])
    provenance = Provenance(
        model=model, headlines="code" if by_code else "model",
        prompts={**({} if by_code else {prompt.name: str(prompt.version)}), **(
            {CRITERION_PROMPT: str(load_prompt(CRITERION_PROMPT).version)}
            if state.get("reading", {}).get("asked") else {})},
        retrieved_ids=[e["id"] for e in state["evidence"]] + [s["id"] for s in state["stories"]],
        timings=dict(state.get("timings", {})),
        usage=Usage.model_validate({k: usage.get(k, 0) for k in Usage.model_fields}),
        valid_first_try=state.get("valid_first_try"),
        repairs=int(usage.get("repairs", 0)) + max(0, state.get("attempts", 1) - 1),
        fallback_sections=fallback,
        offered=list(state.get("offered") or {}) if state.get("draft") is not None else [],
        replaced=replaced,
        warnings=list(state.get("warnings", [])),
        quarantined=sorted({q["source_id"] for q in state.get("quarantined", [])}),
        injection=[{"source_id": q["source_id"], "category": q.get("category", ""),
                    "reason": q.get("reason", "")} for q in state.get("quarantined", [])],
    )
    offered = state.get("offered") or {}
    for label in replaced:  # what the model wrote and why code's line stands instead
        why = next((p.split(": ", 1)[1] for p in state.get("draft_problems") or []
                    if p.startswith(f"{label}: ")), "the plan's own rules for this line")
        # its words only when it passed the echo and evidence checks and was only generic:
        # a line dropped as unsafe or as an injection's echo is never shown
        said = (f" (“{str(offered.get(label, ''))[:160]}”)"
                if why.startswith(PLAIN_DROPS) else "")
        provenance.warnings.append(f"the model's {label} was replaced by code's{said}: "
                                   f"{why[:200]}")
    dropped = state.get("answer_dropped") or []
    if dropped:
        provenance.warnings.append(
            f"{len(dropped)} item(s) of the model's answer were dropped because they did not "
            "stand on the evidence or repeated instruction-like text: "
            + "; ".join(d[:120] for d in dropped[:4]))
    if state.get("llm_error"):
        provenance.warnings.append(str(state["llm_error"])[:600])  # the advice included
    g = state["gathered"]
    return Plan(
        id=state["plan_id"], created_at=created_at,
        meeting=Meeting.model_validate(state["meeting"]), account_name=g["account_name"],
        provenance=provenance, **parts,
    )


@timed("save")
def save(state: PrepState, ctx: PrepContext) -> dict[str, Any]:
    plan = Plan.model_validate(state["plan"])
    plan.provenance.timings.update(state.get("timings", {}))
    if ctx.save is not None:
        ctx.save(plan)  # idempotent: keyed by plan id and version
    return {"plan": plan.model_dump(mode="json")}


def build_prep_graph() -> StateGraph[PrepState, PrepContext, PrepInput, PrepOutput]:
    graph = StateGraph(PrepState, context_schema=PrepContext, input_schema=PrepInput,
                       output_schema=PrepOutput)
    graph.add_node("gather", gather)
    graph.add_node("retrieve", retrieve)
    graph.add_node("assign_roles", roles_node)
    graph.add_node("read_notes", read_notes)
    graph.add_node("ask_criteria", ask_criteria)
    graph.add_node("draft", draft_node)
    graph.add_node("validate", validate)
    graph.add_node("assemble", assemble)
    graph.add_node("save", save)
    graph.add_edge(START, "gather")
    graph.add_edge("gather", "retrieve")
    graph.add_edge("retrieve", "assign_roles")
    graph.add_edge("assign_roles", "read_notes")
    graph.add_edge("read_notes", "ask_criteria")
    graph.add_conditional_edges("ask_criteria", route_after_criteria, ["draft", "assemble"])
    graph.add_edge("draft", "validate")
    graph.add_conditional_edges("validate", route_after_validate, ["draft", "assemble"])
    graph.add_edge("assemble", "save")
    graph.add_edge("save", END)
    return graph
