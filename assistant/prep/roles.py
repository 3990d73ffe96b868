"""Give every seller who attends exactly one primary role, following strengths.

Deterministic: the model never decides who is on which side or who does what. Each person's
strengths, weaknesses and title are scored against each role's keywords; the meeting kind
weighs which roles matter; every injective assignment of roles to sellers is scored (at most
7P5 = 2,520 for five sellers) and the best one kept, under two rules: exactly one ``lead``,
and exactly one owner of the next-step ask: the ``closer`` when someone fits that role
better than their alternatives, otherwise the lead (an account executive with a solutions
engineer: the AE leads and asks, the engineer runs the technical part).

With more sellers than roles (eight or more), every role is held by one seller, still one
``lead`` and one ``closer``, and everyone else shares the role their strengths fit best (a
second engineer supports the technical part): an exact search over who holds which role,
linear in the number of sellers.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assistant.plan import ROLES, Plan
from assistant.prep.assemble import build_agenda, build_checklist, build_roles
from knowledge.errors import HuddleError
from knowledge.models import Person

ROLE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "lead": ("open", "rapport", "relationship", "account executive", "running meetings",
             "facilitat", "storytelling", "door", "trust", "champion"),
    "discovery": ("discovery", "question", "listen", "qualif", "pain", "curious", "uncover"),
    "technical": ("technical", "demo", "integration", "security", "architect", "engineer",
                  "pilot", "api", "data model", "implementation"),
    "executive": ("executive", "c-level", "ceo", "cfo", "vp", "vice president", "chief",
                  "strateg", "vision", "sponsor", "board", "escalation", "partnership"),
    "commercial": ("pricing", "price", "negotiat", "commercial", "contract", "procurement",
                   "terms", "deal desk", "business case", "roi"),
    # asking for a commitment is closing ("ask" matches it); capturing commitments in writing
    # is note-taking, and roadmap commitments are an executive's
    "closer": ("clos", "next step", "ask", "negotiat", "decision", "urgency"),
    "notes": ("detail", "note", "follow-up", "follow up", "follow-through", "commitments",
              "action item", "recap", "organi", "paperwork", "accuracy", "document",
              "process", "crm", "operations"),
}

# How much each role matters in each kind of meeting (roles absent here weigh 0.3).
KIND_WEIGHTS: dict[str, dict[str, float]] = {
    "discovery": {"lead": 1.0, "discovery": 1.0, "closer": 0.9, "notes": 0.7,
                  "technical": 0.4, "executive": 0.4, "commercial": 0.2},
    "demo": {"lead": 1.0, "technical": 1.0, "closer": 0.9, "discovery": 0.7, "notes": 0.6,
             "executive": 0.4, "commercial": 0.3},
    "technical": {"technical": 1.0, "lead": 1.0, "closer": 0.8, "notes": 0.7,
                  "discovery": 0.5, "executive": 0.3, "commercial": 0.2},
    "proposal": {"lead": 1.0, "commercial": 1.0, "closer": 1.0, "executive": 0.7,
                 "technical": 0.5, "notes": 0.6, "discovery": 0.3},
    "negotiation": {"commercial": 1.0, "closer": 1.0, "lead": 0.9, "executive": 0.8,
                    "notes": 0.7, "technical": 0.3, "discovery": 0.2},
    "executive": {"executive": 1.0, "lead": 1.0, "closer": 0.9, "commercial": 0.5,
                  "notes": 0.6, "discovery": 0.4, "technical": 0.3},
    "follow-up": {"lead": 1.0, "closer": 0.9, "notes": 0.8, "discovery": 0.6,
                  "technical": 0.5, "commercial": 0.4, "executive": 0.3},
}


@dataclass(frozen=True)
class RoleChoice:
    name: str
    title: str
    role: str
    owns_next_step: bool
    why: str


# Titles that make someone a plausible lead or closer even without a matching strength:
# the account's seller usually runs the meeting and asks for the next step.
TITLE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "lead": ("account executive", "account manager", "vp sales", "head of sales",
             "sales director", "customer success"),
    "closer": ("account executive", "vp sales", "head of sales", "sales director"),
}
ZERO_FIT_PENALTY = 2.0


def _fit(person: Person, role: str) -> tuple[float, str]:
    """How well a person fits a role (0..~4) and the strength that says so best."""
    keys = ROLE_KEYWORDS[role]
    score = 0.0
    reason = ""
    best_hits = 0
    for strength in person.strengths:
        text = strength.casefold()
        hits = sum(1 for k in keys if k in text)
        if hits:
            score += 1.0 + 0.25 * (hits - 1)
            if hits > best_hits:
                reason, best_hits = strength, hits
    title = person.title.casefold()
    if any(k in title for k in keys + TITLE_KEYWORDS.get(role, ())):
        score += 0.6
        reason = reason or f"title: {person.title}"
    for weakness in person.weaknesses:
        if any(k in weakness.casefold() for k in keys):
            score -= 1.5
    return score, reason


EXECUTIVE_TITLE = re.compile(
    r"\b(?:vp|vice president|chief|ceo|cro|coo|cfo|president|founder|svp|evp|"
    r"head of sales|managing director)\b", re.IGNORECASE)


def account_owner(account: Any, notes: list[Any]) -> str | None:
    """The account's owner: ``owner`` in account.yaml, else the author of most notes."""
    if getattr(account, "owner", None):
        return str(account.owner)
    counts = Counter(n.author for n in notes)
    if not counts:
        return None
    top = max(counts.values())
    return next(n.author for n in sorted(notes, key=lambda n: n.date, reverse=True)
                if counts[n.author] == top)


_RANKS = (r"\b(?:ceo|chief executive|founder|co-founder|president|owner)\b",
          r"\b(?:chief|cfo|coo|cro|cto|cio)\b", r"\b(?:evp|svp)\b",
          r"\b(?:vp|vice president)\b")


def seniority(title: str) -> int:
    """0 for a CEO or founder, then other chiefs, EVPs and SVPs, VPs; 4 for anyone else."""
    return next((i for i, rx in enumerate(_RANKS) if re.search(rx, title, re.IGNORECASE)),
                len(_RANKS))


def _constraints(people: list[Person], owner: str | None) -> Callable[[tuple[str, ...]], bool]:
    """Night-before rules: the account's owner leads; a VP or CEO with them is the executive."""
    names = [p.name for p in people]
    if owner not in names:
        return lambda combo: True
    execs = [p.name for p in sorted(  # the CEO, not the VP who comes along too
        (p for p in people if p.name != owner and EXECUTIVE_TITLE.search(p.title)),
        key=lambda p: seniority(p.title))]

    def ok(combo: tuple[str, ...]) -> bool:
        roles = dict(zip(names, combo, strict=True))
        if roles[owner] != "lead":
            return False
        return not execs or roles[execs[0]] == "executive"
    return ok


def assign_roles(people: list[Person], kind: str, *, owner: str | None = None
                 ) -> list[RoleChoice]:
    """One role per person, in the order given. ``people`` must be non-empty.

    With ``owner`` (the account's owner) attending with others, the owner leads, and a VP or
    CEO who comes along takes the executive role: in a night-before huddle the seller who
    owns the account runs the meeting and tells the VP what they are there for.
    """
    if not people:
        raise ValueError("at least one seller attends")
    weights = KIND_WEIGHTS.get(kind, KIND_WEIGHTS["discovery"])
    if len(people) == 1:
        person = people[0]
        return [RoleChoice(person.name, person.title, "lead", True,
                           "attends alone, so leads the meeting and asks for the next step")]
    fits = {(p.name, r): _fit(p, r) for p in people for r in ROLE_KEYWORDS}
    roles = list(ROLE_KEYWORDS)

    def value(person: Person, role: str) -> float:
        fit, _ = fits[(person.name, role)]
        return weights.get(role, 0.3) * fit if fit > 0 else -ZERO_FIT_PENALTY

    if len(people) > len(roles):
        chosen = _assign_many(people, roles, value)
    else:
        best: tuple[float, tuple[str, ...]] | None = None
        allowed = _constraints(people, owner)
        combos = [c for c in itertools.permutations(roles, len(people))
                  if "lead" in c and allowed(c)]
        if not combos:  # the rules cannot hold (no executive slot): strengths decide
            combos = [c for c in itertools.permutations(roles, len(people)) if "lead" in c]
        for combo in combos:
            score = sum(value(person, role) for person, role in zip(people, combo, strict=True))
            if best is None or score > best[0] + 1e-9:
                best = (score, combo)
        if best is None:  # pragma: no cover - two to seven sellers always have a combination
            raise ValueError(f"no role assignment for {len(people)} sellers")
        chosen = best[1]
    asker = "closer" if "closer" in chosen else "lead"
    out = []
    for person, role in zip(people, chosen, strict=True):
        fit, reason = fits[(person.name, role)]
        if person.name == owner and role == "lead":
            why = "owns the account, so runs the meeting"
        elif reason:
            why = reason if reason.startswith("title:") else f"strength: {reason}"
        else:
            why = f"fills the {role} role this {kind} meeting needs; no listed strength for it"
        out.append(RoleChoice(person.name, person.title, role, role == asker, why))
    return out


# Roles one seller holds alone, even when sellers outnumber roles.
UNIQUE_ROLES = ("lead", "closer")


def _assign_many(people: list[Person], roles: list[str],
                 value: Callable[[Person, str], float]) -> tuple[str, ...]:
    """More sellers than roles: each role held once, the others share their best role.

    Exact: sellers are taken in order and, for each set of roles already held (2^7 sets),
    only the best-scoring way to reach it is kept; a seller either takes a role nobody holds
    yet or shares the shareable role (not lead, not closer) that fits them best.
    """
    shareable = [r for r in roles if r not in UNIQUE_ROLES]
    full = (1 << len(roles)) - 1
    best: dict[int, tuple[float, tuple[str, ...]]] = {0: (0.0, ())}
    for person in people:
        shared = max(shareable, key=lambda r: value(person, r))  # first of equals: stable
        step: dict[int, tuple[float, tuple[str, ...]]] = {}
        for held, (score, path) in best.items():
            options = [(shared, held)] + [(r, held | 1 << i) for i, r in enumerate(roles)
                                          if not held & 1 << i]
            for role, now_held in options:
                candidate = (score + value(person, role), (*path, role))
                if now_held not in step or candidate[0] > step[now_held][0] + 1e-9:
                    step[now_held] = candidate
        best = step
    return best[full][1]


def revise_roles(plan: Plan, roles: dict[str, str], *, new_id: str, created_at: str) -> Plan:
    """The next version of ``plan`` with some sellers' roles changed by the rep (not saved).

    Only the sections that follow from roles change (roles, agenda, checklist): no model
    call. With two or more sellers exactly one must be ``closer`` or the ``lead`` owns the
    ask; two closers or two leads are refused.
    """
    current = {r.name: r for r in plan.roles}
    for name, role in roles.items():
        if name not in current:
            raise HuddleError(f"{name!r} does not attend this meeting; sellers: "
                              + ", ".join(current), title="Unknown seller")
        if role not in ROLES:
            raise HuddleError(f"unknown role {role!r}; roles: {', '.join(ROLES)}",
                              title="Unknown role")
    chosen = {name: roles.get(name, r.role) for name, r in current.items()}
    for unique in ("lead", "closer"):
        holders = [n for n, r in chosen.items() if r == unique]
        if len(holders) > 1:
            raise HuddleError(f"only one seller can be {unique}: {', '.join(holders)}",
                              title="Roles")
    if "lead" not in chosen.values():
        raise HuddleError("someone must lead the meeting: give one seller the lead role",
                          title="Roles")
    closer = next((n for n, r in chosen.items() if r == "closer"), None)
    owner = closer or next(n for n, r in chosen.items() if r == "lead")
    changed = sorted(n for n in chosen if chosen[n] != current[n].role)
    raw = [{"name": n, "title": current[n].title, "role": chosen[n],
            "owns_next_step": n == owner,
            "why": ("set by the rep" if n in changed else
                    current[n].why.split(" — ", 1)[-1])} for n in current]
    agenda = build_agenda(plan.meeting.kind, plan.meeting.minutes, raw)
    note_ids = [i for i in plan.provenance.retrieved_ids
                if i not in {s.story_id for s in plan.stories}]
    gathered = {
        "icp_unknown": [{"attribute": q.icp_attribute} for q in plan.questions
                        if q.icp_attribute],
        "buyers": [b.model_dump() for b in plan.meeting.buyers],
    }
    checklist = build_checklist(gathered, raw, [{"id": i} for i in note_ids], plan.stories,
                                plan.risks, plan.context.superseded)
    provenance = plan.provenance.model_copy(deep=True)
    provenance.warnings.append(
        "roles changed by the rep: " + ", ".join(f"{n} → {chosen[n]}" for n in changed)
        if changed else "roles confirmed by the rep")
    return plan.model_copy(update={
        "id": new_id,
        "version": plan.version + 1, "parent_id": plan.id, "status": "draft",
        "created_at": created_at,
        "roles": build_roles(raw, agenda), "agenda": agenda, "checklist": checklist,
        "provenance": provenance,
    })
