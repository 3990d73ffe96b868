"""The reflect workflow: a langgraph ``StateGraph`` from a call's notes to confirmed writes.

    gather -> extract -> facts -> assess -> criteria -> validate -> propose
        -> confirm (interrupt) -> write_note -> write_account -> write_ledger -> reingest
        -> finish

- ``gather`` (KB, plan) and ``extract`` (quarantine, turns, money, dates, competitors,
  people, facts code can read off the text, the excerpt for the prompt) are deterministic.
- ``facts`` and ``assess`` are two small model calls (each prompt well under ~900
  tokens, each answer bounded by its schema); ``criteria`` asks one narrow question per
  exit criterion of the current stage with only the 2-3 turns most like it (~320-430
  tokens in, an enum and a turn id out; none when no turn is like it), and the stage after the
  call follows from the answers (``assistant.reflect.criteria``). When the model
  fails — garbage after the gateway's repairs, a timeout, no model — the node records
  why and the reflection is built from the code's extraction with everything else
  ``unknown``: never a crash.
  Transcripts with almost no content skip the model altogether. Each of the three calls
  can also be off by setting (``reflect.model_facts``, ``model_assess``, ``model_criteria``;
  ``auto`` skips all three for the bundled embedded model, whose answers added nothing right
  that code lacked): the node then builds its part as if the model had answered nothing
  (no facts of its own, an empty assessment, the criteria ``unknown`` unless code decided
  them), with no fallback or warning, and the provenance's ``skipped`` names it.
- ``validate`` checks every quote, speaker, stage, attribute and plan item
  (``assistant.reflect.validate``); ``propose`` saves the reflection for people to see.
- ``confirm`` stops at ``interrupt()``: nothing is written until a person accepts, edits or
  rejects each proposed item. Its payload is JSON; the code before it only reads state.
- The write nodes each record what they finished in ``reflection_writes`` and are
  idempotent besides (same note path and content, stage set to a value, ledger rows under
  unique keys), so with ``durability="sync"`` a run killed anywhere and resumed writes
  everything exactly once.

The gateway, KB, stores and the re-ingest callback travel in the runtime context
(``ReflectContext``); state holds JSON only. Build with ``build_reflect_graph()`` and
compile at the edge with a checkpointer.
"""

from __future__ import annotations

import datetime as dt
import logging
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NotRequired, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from assistant.clock import SYSTEM, Clock
from assistant.config import REFLECT_CALLS
from assistant.plan import Plan
from assistant.prompts import load_prompt
from assistant.provenance import KINDS, kind_of
from assistant.reflect import criteria as cr
from assistant.reflect import extract as ex
from assistant.reflect import facts_answer
from assistant.reflect.asks import asks_model, assessment_asks
from assistant.reflect.fields import field_facts
from assistant.reflect.figures import propose_figures
from assistant.reflect.models import (
    Decision,
    Reflection,
    ReflectionProvenance,
    ReflectionUsage,
    assess_schema,
    facts_schema,
)
from assistant.reflect.store import ReflectionStore
from assistant.reflect.validate import build_reflection
from assistant.reflect.writes import (
    DecisionError,
    apply_decisions,
    parse_decisions,
    update_account_file,
    write_note,
)
from assistant.safety import Quarantined, payload_ngrams
from assistant.workflow import timed
from knowledge.errors import HuddleError
from knowledge.faults import crash_point
from knowledge.ledger import Ledger
from knowledge.models import KnowledgeBase

log = logging.getLogger(__name__)

FACTS_PROMPT = "reflect_facts"
ASSESS_PROMPT = "reflect_assess"
CRITERION_PROMPT = "reflect_criterion"
CRITERION_MAX_TOKENS = 24  # {"answer":"not_met","turn":"t12"}
FACTS_MAX_TOKENS = 320  # ~25 s at 13 tokens/s; with turn ids, not quotes, 122-173 were measured
ASSESS_MAX_TOKENS = 160  # @7: turn ids, no lines of prose; ~15 tokens a check
EXCERPT_CHARS = 1300  # ~340 tokens of transcript: each full prompt stays under ~900 tokens
MIN_CONTENT_WORDS = 8  # fewer than this in the whole transcript: no model call
SYNONYMS = {
    "employees": ["employees", "people", "staff", "headcount", "workers", "fte"],
    "revenue": ["revenue", "turnover"],
}


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {**a, **b}


def _add_usage(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    return {k: (a.get(k) or 0) + (b.get(k) or 0) for k in set(a) | set(b)}


class ReflectInput(TypedDict):
    run_id: str
    account: str
    author: str
    meeting: dict[str, Any]
    """kind, date (ISO) and sellers of the call."""
    plan: dict[str, Any] | None
    """The saved plan the call was prepared with, as JSON, or None."""
    transcript: dict[str, Any]
    """``Transcript.as_dict()``: format, source, titles, turns (speaker, text, start)."""
    outcome: NotRequired[str | None]
    """won / lost / no-decision when the rep says this call closed the deal."""


class ReflectState(ReflectInput, total=False):
    gathered: dict[str, Any]
    """Account, stages and exit criteria, plan items, people, competitors, ICP attributes."""
    turns: list[dict[str, Any]]
    """The transcript's turns after quarantine, with ids t1, t2, ..."""
    quarantined: list[dict[str, str]]
    """Sentences addressed to an AI or setting the deal's status: removed, never used."""
    hints: dict[str, list[dict[str, str]]]
    """Money, dates, competitors and people found by code, each with its sentence."""
    excerpt: str
    """The turns sent to the model (within ``EXCERPT_CHARS``)."""
    excerpt_turns: int
    code: dict[str, Any]
    """Facts, stakeholders, next steps, ICP values and plan-item checks read by code."""
    substantive: bool
    """False when the transcript has too little content to ask a model about."""
    model_calls: list[str]
    """The model calls the settings allow (``facts``, ``assessment``, ``criteria``), fixed by
    ``gather`` so a resumed run decides as it started."""
    skipped: Annotated[list[str], operator.add]
    """Calls not made because the settings say so (not a fallback)."""
    facts_draft: dict[str, Any] | None
    assess_draft: dict[str, Any] | None
    criteria: list[dict[str, Any]]
    """One ``CriterionCheck`` (JSON) per exit criterion of the current stage."""
    valid_first_try: Annotated[dict[str, bool], _merge]
    usage: Annotated[dict[str, float], _add_usage]
    timings: Annotated[dict[str, float], _merge]
    warnings: Annotated[list[str], operator.add]
    fallback: Annotated[list[str], operator.add]
    """Parts built without the model."""
    reflection: dict[str, Any]
    """The checked reflection (``Reflection`` as JSON)."""
    decisions: dict[str, Any]
    """The rep's decision per proposed item (``Decision`` as JSON)."""
    writes: Annotated[dict[str, Any], _merge]
    """What each write node did."""
    status: str


class ReflectOutput(TypedDict, total=False):
    reflection: dict[str, Any]
    decisions: dict[str, Any]
    writes: dict[str, Any]
    status: str


@dataclass
class ReflectContext:
    """What the nodes need that is not data: injected by the app, tests and evals."""

    kb: KnowledgeBase
    gateway: Any  # assistant.llm.gateway.Gateway or a fake with the same method
    store: ReflectionStore
    ledger: Ledger
    reingest: Callable[[], Any] | None = None
    on_event: Callable[[str, dict[str, Any]], None] | None = None
    clock: Clock = SYSTEM  # the service's clock: stamps created_at
    model_calls: frozenset[str] = frozenset(REFLECT_CALLS)
    """The calls the model is asked (``assistant.config.ReflectSettings.asks``); all of them
    unless the app says otherwise."""

    @property
    def kb_root(self) -> Path:
        return Path(self.kb.root)


# ---- deterministic nodes ------------------------------------------------------------------

_CONTACT = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<title>[^()]+)\)\s*$")
_COMPETITOR_CUE = re.compile(
    r"\b(?:competitor|competing|incumbent|versus|vs\.?|quote from|lower quote from|"
    r"switch(?:ing|ed)? from|lost to|went with|currently uses?|also looked at|looking at|"
    r"evaluat\w+|compared (?:us )?(?:with|to))\s+([A-Z][A-Za-z0-9]+(?:[ -][A-Z][A-Za-z0-9]+)?)")


def _competitors(kb: KnowledgeBase) -> list[str]:
    names: dict[str, None] = {}
    for s in kb.stories:
        if s.competitor and s.competitor.strip():
            names.setdefault(s.competitor.strip(), None)
    for n in kb.notes:
        for m in _COMPETITOR_CUE.finditer(n.body):
            names.setdefault(m.group(1).strip(), None)
    return list(names)


@timed("gather")
def gather(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    kb = ctx.kb
    account = kb.account(state["account"])
    if account is None:
        raise HuddleError(f"unknown account {state['account']!r}; accounts: "
                          + ", ".join(sorted(kb.accounts)))
    stage = kb.process.find(account.stage)
    assert stage is not None  # the loader checked it
    nxt = kb.process.next_stage(stage.name)
    plan = Plan.model_validate(state["plan"]) if state.get("plan") else None
    meeting = state["meeting"]
    sellers = list(plan.meeting.sellers if plan else meeting.get("sellers") or [])
    objective = (plan.objective.statement.text if plan else
                 f"Move {account.name} from {stage.name} toward "
                 f"{nxt.name if nxt else 'a decision'}: "
                 + (stage.exit_criteria[0] if stage.exit_criteria else "agree the next step"))
    buyers: dict[str, str] = {}
    if plan:
        for b in plan.meeting.buyers:
            buyers.setdefault(b.name, b.title)
    for n in kb.notes_for(account.slug):
        for c in n.contacts:
            m = _CONTACT.match(c)
            name, title = (m.group("name"), m.group("title")) if m else (c, "")
            buyers.setdefault(" ".join(name.split()), title.strip())
    attributes = []
    for attr in kb.icp.attributes:
        ideal = [((attr.bucket_label(v) or "") if attr.kind == "bool" else str(v).strip())
                 .casefold() for v in attr.ideal]
        tokens = [w for w in attr.name.split("_") if len(w) > 3]
        words = list(dict.fromkeys(w for t in tokens for w in SYNONYMS.get(t, [t])))
        values: dict[str, None] = {}
        if attr.kind == "category":
            for a in kb.accounts.values():
                v = a.attribute_values(kb.icp).get(attr.name)
                if v:
                    values.setdefault(str(v).strip().casefold(), None)
            for s in kb.stories:
                v = s.account_profile.get(attr.name)
                if v:
                    values.setdefault(str(v).strip().casefold(), None)
            for v in attr.ideal:
                values.setdefault(str(v).strip().casefold(), None)
        attributes.append({"name": attr.name, "kind": attr.kind, "ideal": ideal,
                           "words": words if attr.kind == "number" else [],
                           "values": [v for v in values if len(v) > 2]})
    return {"model_calls": [c for c in REFLECT_CALLS if c in ctx.model_calls], "gathered": {
        "account": account.slug, "account_name": account.name,
        # the account's own profile: a call that names another value of a category speaks
        # of something else ("the late retail orders" at a logistics company)
        "account_values": {k: str(v).strip().casefold() for k, v in
                           account.attribute_values(kb.icp).items() if v is not None},
        "meeting_kind": plan.meeting.kind if plan else meeting["kind"],
        "meeting_date": plan.meeting.date.isoformat() if plan else meeting["date"],
        "plan_id": plan.id if plan else None, "plan_version": plan.version if plan else None,
        "stage": stage.name, "stages": kb.process.stage_names(),
        "criteria": list(stage.exit_criteria),
        "prior": prior_gap(kb, account.slug, plan, list(stage.exit_criteria), meeting, buyers),
        "next_stage": nxt.name if nxt else None,
        "next_criteria": list(nxt.exit_criteria) if nxt else [],
        "objective": objective,
        # the rep's own ask for the call, which the verdict reads part by part
        "ask": (plan.meeting.goal if plan else meeting.get("goal")) or None,
        "agenda": [{"topic": a.topic, "owner": a.owner} for a in plan.agenda] if plan else [],
        "questions": [q.text for q in plan.questions] if plan else [],
        "roles": ([{"seller": r.name, "role": r.role, "does": r.does} for r in plan.roles]
                  if plan else []),
        "sellers": sellers, "team": [p.name for p in kb.team.people],
        "buyers_known": buyers, "competitors": _competitors(kb), "attributes": attributes,
        "values": {k: v for k, v in account.attribute_values(kb.icp).items() if v is not None},
        "usual_cycle": _usual_cycle(kb),
    }}


def prior_gap(kb: KnowledgeBase, account: str, plan: Plan | None, criteria: list[str],
               meeting: dict[str, Any], buyers: dict[str, str]) -> list[dict[str, Any]]:
    """The exit criteria as the notes before the call showed them: the plan's gap, or (no
    plan, or a plan made before plans had one) code's reading of the account's notes."""
    if plan is not None and plan.exit_gap:
        return [c.model_dump(mode="json") for c in plan.exit_gap]
    day = plan.meeting.date if plan else dt.date.fromisoformat(str(meeting["date"]))
    notes = [{"id": n.id, "date": n.date.isoformat(), "author": n.author, "kind": n.kind,
              "full_text": n.body, "contacts": [_CONTACT.sub(r"\g<name>", c) for c in n.contacts]}
             for n in kb.notes_for(account) if n.date <= day]
    return cr.notes_gap(criteria, notes, people=list(buyers),
                        team=[p.name for p in kb.team.people])


def _usual_cycle(kb: KnowledgeBase) -> float | None:
    """The median cycle of the KB's won stories, in days (None without any)."""
    cycles = sorted(s.cycle_days for s in kb.stories if s.outcome == "won")
    if not cycles:
        return None
    mid = len(cycles) // 2
    return float(cycles[mid]) if len(cycles) % 2 else (cycles[mid - 1] + cycles[mid]) / 2


@timed("extract")
def extract(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    g = state["gathered"]
    from assistant.note_scan import allowlist_for, confirmations

    turns, removed = ex.clean_turns(state["transcript"]["turns"], g["stages"],
                                    allowlist_for(ctx.kb, g["account"]), team=g["team"],
                                    ours=confirmations(ctx.kb, g["account"]),
                                    outcome=state.get("outcome"))
    people = list(dict.fromkeys([*g["team"], *g["buyers_known"]]))
    hints = ex.find_hints(turns, competitors=g["competitors"], people=people)
    excerpt, ids = ex.excerpt(turns, hints, sellers=g["sellers"], max_chars=EXCERPT_CHARS)
    speakers = [t["speaker"] for t in turns if t.get("speaker")]
    meeting_date = dt.date.fromisoformat(g["meeting_date"])
    steps = ex.code_next_steps(turns, people=list(dict.fromkeys(speakers + people)),
                               meeting=meeting_date, sellers=list(g["sellers"]))
    for s in steps:
        s["due"] = s["due"].isoformat() if s["due"] else None
    per_field = field_facts(turns, sellers=g["team"], competitors=g["competitors"],
                            people=people)
    filed = [f["quote"] for f in per_field]
    code = {  # a whole sentence per-field reading already filed is not filed again
        "facts": per_field + [f for f in ex.code_facts(turns, hints, sellers=g["team"])
                              if f["value"] != f["quote"] or not any(
                                  f["quote"] in q for q in filed)],
        "stakeholders": ex.code_stakeholders(
            turns, sellers=g["team"], known=g["buyers_known"],
            titles=dict(state["transcript"].get("titles") or {})),
        "next_steps": steps,
        "icp": ex.code_icp(turns, g["attributes"]),
        "figures": propose_figures(turns, people=people, rivals=g["competitors"]),
        "items": ex.code_item_checks(turns, g["questions"],
                                     [(r["seller"], r["role"]) for r in g["roles"]],
                                     [(a["topic"], a.get("owner")) for a in g["agenda"]]),
    }
    words = sum(len(ex.content_words(t["text"])) for t in turns)
    warnings = []
    held = [q for q in removed if q["category"] == "unconfirmed"]
    if len(removed) > len(held):
        warnings.append(f"{len(removed) - len(held)} sentence(s) in the transcript were "
                        "addressed to an AI or tried to set the deal's status; Huddle ignored "
                        "them")
    for turn in dict.fromkeys(q["turn"] for q in held):  # a caution, never the claim itself
        what = "; ".join(dict.fromkeys(KINDS[k] for q in held if q["turn"] == turn
                                       and (k := kind_of(q["reason"]))))
        warnings.append(f"unconfirmed: turn {turn} claims {what}, in the customer's words; no "
                        "note of ours confirms it, so this reflection does not use it. Confirm "
                        "it with the customer before recording it.")
    reads = asks_model(state, "facts") or asks_model(state, "assessment")
    if len(ids) < len(turns) and reads:  # no model reads the excerpt: nothing to say
        warnings.append(f"the transcript is long: the model saw {len(ids)} of {len(turns)} "
                        "turns (those with amounts, dates, names and commitments); code read "
                        "all of them")
    substantive = words >= MIN_CONTENT_WORDS
    if not substantive:
        warnings.append("the transcript has almost no content: no model call; everything the "
                        "text does not show is unknown")
    return {"turns": turns, "quarantined": removed, "hints": hints, "excerpt": excerpt,
            "excerpt_turns": len(ids), "code": code, "substantive": substantive,
            "warnings": warnings}


def _meeting_line(g: dict[str, Any]) -> str:
    return f"{g['meeting_kind']} call on {g['meeting_date']}"


def _usage(result: Any) -> dict[str, float]:
    u = result.usage
    return {"prompt_tokens": u.prompt_tokens, "completion_tokens": u.completion_tokens,
            "cost_usd": u.cost_usd, "model_seconds": u.latency_s,
            "cached_calls": int(u.cached), "calls": 1}


def _ask(ctx: ReflectContext, name: str, messages: list[dict[str, str]], schema: Any,
         max_tokens: int, prompt_id: str) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    from assistant.llm.errors import LLMError

    try:
        result = ctx.gateway.structured(messages=messages, schema=schema, prompt_id=prompt_id,
                                        max_tokens=max_tokens)
    except LLMError as exc:
        log.warning("reflect %s failed: %s", name, exc)
        return None, {"fallback": [name], "valid_first_try": {name: False},
                      "warnings": [f"the model gave no usable {name} ({type(exc).__name__}); "
                                   "that part comes from the transcript alone and says unknown "
                                   "where the text is silent"]}
    extra: dict[str, Any] = {
        "usage": _usage(result), "valid_first_try": {name: result.valid_first_try}}
    if result.salvaged:
        extra["warnings"] = [f"the model's {name} answer was cut off at {max_tokens} tokens; "
                             "its complete part was kept"]
    return result.value.model_dump(mode="json"), extra


def prompt_hints(hints: dict[str, list[dict[str, str]]],
                 ours: list[str]) -> dict[str, list[dict[str, str]]]:
    """The hints the facts prompt shows: code's, but "people named" without our own people
    (``reflect_facts@7``). Our sellers can never be stakeholders, economic buyers or
    champions (validation drops them), and the measured answers listed every seller the prompt
    named as a stakeholder and an economic buyer. The excerpt and code's facts keep the full
    hints."""
    team = {" ".join(n.split()).casefold() for n in ours}
    people = [h for h in hints.get("people", [])
              if " ".join(str(h["value"]).split()).casefold() not in team]
    return {**hints, "people": people}


@timed("facts")
def facts_node(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    if not state.get("substantive"):
        return {"facts_draft": None, "fallback": ["facts"]}
    if not asks_model(state, "facts"):  # code's reading alone, as when the model fails
        return {"facts_draft": None, "skipped": ["facts"]}
    g = state["gathered"]
    prompt = load_prompt(FACTS_PROMPT)
    attrs = ", ".join(a["name"] + ("" if a["kind"] == "category" else f" ({a['kind']})")
                      for a in g["attributes"])
    messages = prompt.render(
        account=g["account_name"], meeting=_meeting_line(g), transcript=state["excerpt"],
        sellers=", ".join(g["sellers"] or g["team"][:4]) or "not given",
        hints=ex.hint_line(prompt_hints(state["hints"], [*g["team"], *g["sellers"]])),
        attributes=attrs,
    )
    schema = facts_schema([a["name"] for a in g["attributes"]],
                          facts_answer.shown_turns(state["excerpt"]),
                          signal=not all(a["ideal"] for a in g["attributes"]))
    draft, extra = _ask(ctx, "facts", messages, schema, FACTS_MAX_TOKENS, prompt.id)
    return {"facts_draft": facts_answer.expand(draft, state["turns"]), **extra}


@timed("assess")
def assess_node(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    """What code cannot decide (``reflect_assess@7``): the objective, only when code found
    no clear answer in the notes, and the planned items, each with a turn id. What worked and
    the lesson are code's. When neither is left to ask (``assistant.reflect.asks``), no call
    is made: the draft is the answer the empty grammar allows (``{}``), as the model gave."""
    if not state.get("substantive"):
        return {"assess_draft": None, "fallback": ["assessment"]}
    g = state["gathered"]
    asks = assessment_asks(g, state["turns"], state.get("outcome"))
    texts = dict(line.split(": ", 1) for line in asks.items.splitlines())
    skip = not asks_model(state, "assessment")
    if asks.empty or skip:  # the answer the empty grammar allows: objective unknown, no checks
        empty = assess_schema([], None, objective=False).model_validate({}).model_dump(
            mode="json")
        return {"assess_draft": facts_answer.expand_assessment(
            empty, state["turns"], objective=g["objective"], items=texts),
            **({"skipped": ["assessment"]} if skip else {})}
    schema = assess_schema(list(asks.keys), facts_answer.shown_turns(state["excerpt"]),
                           objective=asks.objective)
    prompt = load_prompt(ASSESS_PROMPT)
    messages = prompt.render(
        account=g["account_name"], meeting=_meeting_line(g), transcript=state["excerpt"],
        objective=g["objective"][:200], items=asks.items, ask_objective=asks.objective,
    )
    draft, extra = _ask(ctx, "assessment", messages, schema, ASSESS_MAX_TOKENS, prompt.id)
    return {"assess_draft": facts_answer.expand_assessment(
        draft, state["turns"], objective=g["objective"], items=texts), **extra}


@timed("criteria")
def criteria_node(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    """One narrow question per exit criterion, with the turns most like it."""
    g = state["gathered"]
    turns = state["turns"]
    prompt = load_prompt(CRITERION_PROMPT)
    checks: list[dict[str, Any]] = []
    usage: dict[str, float] = {}
    valid: dict[str, bool] = {}
    failed = 0
    asking = asks_model(state, "criteria")
    coded = cr.code_checks(g["stage"], g["criteria"], turns, sellers=g["team"],
                           prior=cr.prior_checks(g["stage"], g["criteria"], g.get("prior") or []),
                           tainted={str(q["turn"]) for q in state.get("quarantined", [])})
    for k, criterion in enumerate(g["criteria"]):
        if coded[k].decided_by != "none":  # the call's plain words, or the notes before it
            checks.append(coded[k].model_dump(mode="json"))
            continue
        shown = cr.candidates(criterion, turns) if state.get("substantive") else []
        answer = None
        if shown and asking:
            messages = prompt.render(criterion=criterion, stage=g["stage"],
                                     lines=cr.context_lines(shown))
            answer, extra = _ask(ctx, f"criterion {k + 1}", messages,
                                 cr.criterion_schema([t["id"] for t in shown]),
                                 CRITERION_MAX_TOKENS, prompt.id)
            usage = _add_usage(usage, extra.get("usage", {}))
            valid.update(extra.get("valid_first_try", {}))
            failed += answer is None
        check = cr.check_from_answer(g["stage"], k, criterion, shown, answer)
        check.decided_by = "model" if answer is not None else "none"
        checks.append(check.model_dump(mode="json"))
    out: dict[str, Any] = {"criteria": checks, "usage": usage, "valid_first_try": valid,
                           **({} if asking or not state.get("substantive") else
                              {"skipped": ["criteria"]})}
    if failed:
        out["fallback"] = ["criteria"]
        out["warnings"] = [f"the model gave no usable answer for {failed} exit criterion(s); "
                           "they stay unknown"]
    return out


@timed("validate")
def validate(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    turns = state["turns"]
    grams = payload_ngrams(
        [Quarantined(q["turn"], q["text"]) for q in state.get("quarantined", [])],
        " ".join(t["text"] for t in turns),
    )
    usage = state.get("usage", {})
    skipped = list(dict.fromkeys(state.get("skipped", [])))
    provenance = ReflectionProvenance(
        model=getattr(ctx.gateway, "model", "unknown"),
        prompts={p.name: str(p.version) for call, p in (
            ("facts", load_prompt(FACTS_PROMPT)), ("assessment", load_prompt(ASSESS_PROMPT)),
            ("criteria", load_prompt(CRITERION_PROMPT))) if call not in skipped},
        skipped=skipped,
        usage=ReflectionUsage.model_validate(
            {k: usage.get(k, 0) for k in ReflectionUsage.model_fields}),
        timings=dict(state.get("timings", {})),
        valid_first_try=dict(state.get("valid_first_try", {})),
        fallback=list(dict.fromkeys(state.get("fallback", []))),
        warnings=list(state.get("warnings", [])),
        quarantined=[q["text"] for q in state.get("quarantined", [])],
        excerpt_turns=state.get("excerpt_turns", 0),
        transcript_turns=len(turns),
    )
    reflection = build_reflection(
        run_id=state["run_id"], gathered=state["gathered"], turns=turns,
        facts_draft=state.get("facts_draft"), assess_draft=state.get("assess_draft"),
        criteria=state.get("criteria", []), outcome=state.get("outcome"),
        code=state["code"], grams=grams, icp=ctx.kb.icp,
        author=state["author"],
        transcript=state["transcript"], provenance=provenance,
        created_at=ctx.clock.stamp(),
    )
    return {"reflection": reflection.model_dump(mode="json")}


@timed("propose")
def propose(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    reflection = Reflection.model_validate(state["reflection"])
    reflection.provenance.timings.update(state.get("timings", {}))
    body = reflection.model_dump(mode="json")
    ctx.store.update(state["run_id"], status="awaiting_review", body=body)  # idempotent
    return {"reflection": body, "status": "awaiting_review"}


def confirm(state: ReflectState, runtime: Runtime[ReflectContext]) -> dict[str, Any]:
    """The human checkpoint. Re-runs from the top on resume: only reads before interrupt."""
    ctx = runtime.context
    reflection = Reflection.model_validate(state["reflection"])
    items = reflection.proposals()
    answer = interrupt({
        "run_id": state["run_id"], "account": reflection.account,
        "items": [i.model_dump(mode="json") for i in items],
    })
    warnings = []
    try:
        decisions = parse_decisions(answer, items)
        apply_decisions(reflection, decisions, ctx.kb)  # check the edits now
    except DecisionError as exc:  # the service checks first; never write a bad edit
        warnings.append(f"the decisions could not be used ({exc.message}); nothing was "
                        "accepted")
        decisions = {i.id: Decision(action="reject") for i in items}
    as_json = {k: v.model_dump(mode="json", exclude_none=True) for k, v in decisions.items()}
    ctx.store.update(state["run_id"], status="writing", decisions=as_json)
    crash_point("after:confirm")
    return {"decisions": as_json, "status": "writing", "warnings": warnings}


def _confirmed(state: ReflectState, ctx: ReflectContext) -> Any:
    reflection = Reflection.model_validate(state["reflection"])
    decisions = {k: Decision.model_validate(v) for k, v in (state.get("decisions") or {}).items()}
    return reflection, apply_decisions(reflection, decisions, ctx.kb)


@timed("write_note")
def write_note_node(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    run_id = state["run_id"]
    if ctx.store.write_done(run_id, "note"):
        return {}
    reflection, confirmed = _confirmed(state, ctx)
    detail = ""
    if confirmed.note_worthy:
        path = write_note(ctx.kb_root, reflection, confirmed)
        detail = str(path.relative_to(ctx.kb_root))
    ctx.store.mark_write(run_id, "note", detail or "nothing confirmed")
    return {"writes": {"note": detail or None}}


def _attribute_value(kind: str, raw: str, label: str) -> Any:
    if kind == "number":
        number = float(raw)
        return int(number) if number.is_integer() else number
    if kind == "bool":
        return label == "yes"
    return label


@timed("write_account")
def write_account_node(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    run_id = state["run_id"]
    if ctx.store.write_done(run_id, "account"):
        return {}
    reflection, confirmed = _confirmed(state, ctx)
    account = ctx.kb.account(reflection.account)
    known = account.attribute_values(ctx.kb.icp) if account else {}
    attributes: dict[str, Any] = {}
    for e in confirmed.icp:
        attr = ctx.kb.icp.find(e.attribute)
        if attr is None or known.get(e.attribute) is not None or e.attribute in attributes:
            continue
        try:
            attributes[e.attribute] = _attribute_value(attr.kind, e.raw, e.value)
        except ValueError:
            continue
    changed: dict[str, Any] = {}
    if confirmed.stage is not None or attributes:
        changed = update_account_file(ctx.kb_root, reflection.account, stage=confirmed.stage,
                                      attributes=attributes)
    ctx.store.mark_write(run_id, "account", ", ".join(sorted(changed)) or "unchanged")
    return {"writes": {"account": changed}}


@timed("write_ledger")
def write_ledger_node(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    run_id = state["run_id"]
    reflection, confirmed = _confirmed(state, ctx)
    written: list[str] = []
    skipped: list[str] = []
    for e in confirmed.icp:
        key = f"ledger:{e.id}"
        if ctx.store.write_done(run_id, key):
            skipped.append(e.id)
            continue
        new = ctx.ledger.record_signal(
            key=f"reflection:{run_id}:{e.id}", account=reflection.account,
            attribute=e.attribute, value=e.raw, raw=e.raw, signal=e.signal, quote=e.quote.text,
            speaker=e.quote.speaker, icp=ctx.kb.icp, source="reflection", source_id=run_id,
            recorded_by=reflection.author,
        )
        ctx.store.mark_write(run_id, key, "added" if new else "already there")
        (written if new else skipped).append(e.id)
    return {"writes": {"ledger": {"written": written, "skipped": skipped}}}


@timed("reingest")
def reingest_node(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    run_id = state["run_id"]
    if ctx.store.write_done(run_id, "reingest"):
        return {}
    _, confirmed = _confirmed(state, ctx)
    # decided from what was confirmed, not from what the write log says changed: a write
    # repeated after a crash reports "unchanged" although this run made the change
    touched = confirmed.note_worthy or confirmed.stage is not None or bool(confirmed.icp)
    warnings = []
    detail = "not needed"
    if touched and ctx.reingest is not None:
        try:
            ctx.reingest()
            detail = "done"
        except HuddleError as exc:
            detail = "failed"
            warnings.append(f"the search index was not updated ({exc.message}); run "
                            "`huddle ingest` so the next plan finds the new note")
    ctx.store.mark_write(run_id, "reingest", detail)
    return {"writes": {"reingest": detail}, "warnings": warnings}


@timed("finish")
def finish(state: ReflectState, ctx: ReflectContext) -> dict[str, Any]:
    reflection, confirmed = _confirmed(state, ctx)
    anything = confirmed.note_worthy or confirmed.icp or confirmed.stage is not None
    status = "applied" if anything else "rejected"
    reflection.provenance.warnings += [w for w in state.get("warnings", [])
                                       if w not in reflection.provenance.warnings]
    reflection.provenance.timings.update(state.get("timings", {}))
    body = reflection.model_dump(mode="json")
    ctx.store.update(state["run_id"], status=status, body=body)
    return {"status": status, "reflection": body}


def build_reflect_graph() -> StateGraph[Any, Any, Any, Any]:
    graph = StateGraph(ReflectState, context_schema=ReflectContext, input_schema=ReflectInput,
                       output_schema=ReflectOutput)
    nodes: list[tuple[str, Any]] = [
        ("gather", gather), ("extract", extract), ("facts", facts_node),
        ("assess", assess_node), ("criteria", criteria_node), ("validate", validate),
        ("propose", propose),
        ("confirm", confirm), ("write_note", write_note_node),
        ("write_account", write_account_node), ("write_ledger", write_ledger_node),
        ("reingest", reingest_node), ("finish", finish),
    ]
    for name, fn in nodes:
        graph.add_node(name, fn)
    graph.add_edge(START, nodes[0][0])
    for (a, _), (b, _) in zip(nodes, nodes[1:], strict=False):
        graph.add_edge(a, b)
    graph.add_edge(nodes[-1][0], END)
    return graph
