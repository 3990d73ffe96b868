"""Validate the model's draft and assemble the plan, section by section.

``check_draft`` removes what must not reach a person: citations to ids that were not
retrieved (the claim stays, marked as inference), items that repeat text quarantined from
the notes, items that fail the answer check of ``assistant.injection`` (instruction-like
text, links, contacts or code, another language, names or figures the evidence does not
carry), buyers the meeting does not include. ``assemble_plan`` builds the plan from the
deterministic parts (roles, agenda, stories, checklist, ICP fit, superseded notes) and the
checked draft; every section the draft left empty is built from the evidence instead and
listed in ``provenance.fallback_sections``. Nothing here invents an id.

Pure functions over plain data.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.plan import (
    ROLE_MEANING,
    AgendaItem,
    BuyerAttendee,
    Claim,
    CustomerContext,
    Draft,
    DraftBuyer,
    DraftClaim,
    DraftRisk,
    IcpFitItem,
    Objective,
    Question,
    Risk,
    SellerRole,
    StoryUse,
)
from assistant.safety import check_answer, echoes_quarantined

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
NEED_WORDS = re.compile(
    r"\b(need|needs|want|wants|looking for|pain|problem|struggl|must|require|goal|priority|"
    r"frustrat|hate|manual|by hand|spend[s]?)\b", re.IGNORECASE)
RISK_WORDS = re.compile(
    r"\b(risk|concern|worr|competit|cheaper|objection|push ?back|delay|slip|freeze|budget cut|"
    r"blocker|security review|legal|procurement|churn|skeptic|sceptic)\b", re.IGNORECASE)

# Agenda templates: (share of the meeting, topic, role that owns it). Roles nobody holds
# fall back to the lead. Shares are rescaled to the meeting's minutes.
AGENDA: dict[str, list[tuple[float, str, str]]] = {
    "discovery": [(0.1, "Open: introductions, purpose, agenda check", "lead"),
                  (0.45, "Their situation, priorities and what they need", "discovery"),
                  (0.15, "How others like them solved it (story)", "lead"),
                  (0.1, "Technical landscape and constraints", "technical"),
                  (0.1, "Decision process, people and timeline", "discovery"),
                  (0.1, "Agree the next step", "closer")],
    "demo": [(0.1, "Open: recap of what they told us, agenda check", "lead"),
             (0.1, "Confirm the priorities the demo must prove", "discovery"),
             (0.5, "Demo on their use cases", "technical"),
             (0.15, "Questions, concerns, fit", "lead"),
             (0.15, "Agree the next step", "closer")],
    "technical": [(0.1, "Open and goals of the session", "lead"),
                  (0.55, "Architecture, integrations and security", "technical"),
                  (0.2, "Open issues and owners", "notes"),
                  (0.15, "Agree the next step", "closer")],
    "proposal": [(0.1, "Open: recap of their goals in their words", "lead"),
                 (0.3, "The proposal: scope, outcomes, timeline", "lead"),
                 (0.25, "Commercials and terms", "commercial"),
                 (0.15, "Executive perspective and partnership", "executive"),
                 (0.2, "Objections and the path to signature", "closer")],
    "negotiation": [(0.1, "Open: what we agreed so far", "lead"),
                    (0.4, "Open terms: price, structure, legal", "commercial"),
                    (0.2, "Executive alignment on value", "executive"),
                    (0.15, "Summarise concessions and commitments", "notes"),
                    (0.15, "Ask for the signature date", "closer")],
    "executive": [(0.1, "Open and introductions", "lead"),
                  (0.4, "Their strategic priorities", "executive"),
                  (0.25, "How we help: outcomes and proof", "lead"),
                  (0.1, "Risks and how we de-risk", "technical"),
                  (0.15, "Agree sponsorship and the next step", "closer")],
    "follow-up": [(0.15, "Open: recap of the last meeting", "lead"),
                  (0.45, "Open items and new information", "lead"),
                  (0.2, "Questions we still need answered", "discovery"),
                  (0.2, "Agree the next step", "closer")],
}

ROLE_DOES = {
    "lead": "Opens the meeting, states the purpose and agenda, keeps time and steers.",
    "discovery": "Asks the discovery questions below and listens; confirms pains in their words.",
    "technical": "Owns the technical part: demo, integration and security questions.",
    "executive": "Speaks to the buyer's executives about outcomes and partnership.",
    "commercial": "Owns pricing and terms; answers commercial objections.",
    "closer": "Asks for the next step (the advance below) and gets a date and an owner.",
    "notes": "Captures commitments, numbers and open items; sends the recap within 24 hours.",
}


_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_GREETING = re.compile(
    r"^(hi|hello|dear|hey)\b[^.!?\n]{0,40}[,!]?\s*$", re.IGNORECASE | re.MULTILINE
)


def plain(text: str) -> str:
    """Note text without e-mail quote markers and greeting lines, on one line."""
    return " ".join(_GREETING.sub("", _QUOTE.sub("", text)).split())


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(plain(text)) if len(s.split()) >= 6]


def _first_sentences(text: str, n: int = 1, limit: int = 220) -> str:
    out = " ".join(_sentences(text)[:n]) or plain(text)
    return out if len(out) <= limit else out[: limit - 1].rstrip() + "…"


# ---- checking the draft ---------------------------------------------------------------


UNSAFE = "does not stand on the evidence"  # marks answer-check problems in the list


def check_draft(
    draft: Draft, *, allowed_ids: set[str], grams: set[tuple[str, ...]], buyers: list[str],
    evidence: str | None = None, known: list[str] | None = None,
) -> tuple[Draft, list[str]]:
    """The draft with bad items removed or fixed, and what was wrong, in words.

    With ``evidence`` (the clean text the model was shown) every item also passes
    ``check_answer``; a failing item is dropped and its problem says ``UNSAFE`` and why.
    """
    c = _DraftCheck(allowed_ids=allowed_ids, grams=grams, evidence=evidence,
                    known=known or [])
    update: dict[str, Any] = {  # in this order, so the problems read section by section
        "situation": c.claims(draft.situation, "situation"),
        "needs": c.claims(draft.needs, "needs"),
        "questions": c.claims(draft.questions, "questions"),
        "risks": c.risks(draft.risks), "buyers": c.buyers(draft.buyers, buyers)}
    for label in ("objective", "advance", "fallback"):
        update[label] = c.headline(getattr(draft, label), label)
    return draft.model_copy(update=update), c.problems


class _DraftCheck:
    """One draft's checks, section by section; ``problems`` says what was dropped or fixed
    (in words that never repeat the model's text: they go back to it in a repair prompt)."""

    def __init__(self, *, allowed_ids: set[str], grams: set[tuple[str, ...]],
                 evidence: str | None, known: list[str]) -> None:
        self.allowed_ids, self.grams = allowed_ids, grams
        self.evidence, self.known = evidence, known
        self.problems: list[str] = []

    def unsafe(self, text: str, section: str) -> bool:
        if self.evidence is None:
            return False
        why = check_answer(text, evidence=self.evidence, known=self.known)
        if why:
            self.problems.append(f"{section}: an item {UNSAFE}: {'; '.join(why)}")
        return bool(why)

    def echoes(self, text: str, section: str) -> bool:
        if echoes_quarantined(text, self.grams):
            self.problems.append(f"{section}: repeats text from a note addressed to an AI")
            return True
        return False

    def cites(self, cites: list[str], section: str) -> list[str]:
        bad = [c for c in cites if c not in self.allowed_ids]
        if bad:
            self.problems.append(f"{section}: cites ids that were not retrieved: "
                                 f"{', '.join(bad)}")
        return [c for c in cites if c in self.allowed_ids]

    def claims(self, items: list[DraftClaim], section: str) -> list[DraftClaim]:
        kept = []
        for item in items:
            if self.echoes(item.text, section) or self.unsafe(item.text, section):
                continue
            cites = self.cites(item.cites, section)
            if item.text.strip():
                kept.append(item.model_copy(update={"cites": cites}))
        return kept

    def risks(self, items: list[DraftRisk]) -> list[DraftRisk]:
        kept = []
        for r in items:
            if (self.echoes(r.risk + " " + r.answer, "risks") or self.unsafe(r.risk, "risks")
                    or self.unsafe(r.answer, "risks")):
                continue
            kept.append(r.model_copy(update={"cites": self.cites(r.cites, "risks")}))
        return kept

    def buyers(self, items: list[DraftBuyer], attendees: list[str]) -> list[DraftBuyer]:
        names = {b.casefold() for b in attendees}
        kept = []
        for b in items:
            if b.name.casefold() not in names:
                self.problems.append("buyers: use only the buyer attendees' names as given; "
                                     f"these are them: {', '.join(attendees) or 'none'}")
                continue
            if self.echoes(b.cares_about, "buyers") or self.unsafe(b.cares_about, "buyers"):
                continue
            kept.append(b.model_copy(update={"cites": [c for c in b.cites
                                                       if c in self.allowed_ids]}))
        return kept

    def headline(self, text: str, label: str) -> str:
        """The objective, advance or fallback; empty when it echoes or fails the check."""
        return "" if self.echoes(text, label) or self.unsafe(text, label) else text


def needs_repair(draft: Draft) -> list[str]:
    """Problems severe enough to ask the model again (the rest is fixed in place)."""
    out = []
    if not draft.objective.strip():
        out.append("the objective is empty")
    if not draft.situation:
        out.append("the situation has no items citing the evidence")
    return out


# ---- assembling -----------------------------------------------------------------------


def build_agenda(kind: str, minutes: int, roles: list[dict[str, Any]]) -> list[AgendaItem]:
    template = AGENDA.get(kind, AGENDA["follow-up"])
    holder: dict[str, str] = {}
    for r in roles:  # a role two sellers share: the first one listed owns its agenda items
        holder.setdefault(r["role"], r["name"])
    lead = holder.get("lead") or roles[0]["name"]
    items: list[AgendaItem] = []
    start = 0
    rows = [(share, topic, holder.get(role)) for share, topic, role in template]
    # an item whose role nobody holds goes to the lead, except optional specialist items
    rows = [(s, t, owner or lead) for s, t, owner in rows
            if owner or not any(k in t.lower() for k in ("technical", "executive"))]
    total_share = sum(s for s, _, _ in rows)
    for i, (share, topic, owner) in enumerate(rows):
        length = round(minutes * share / total_share) if i < len(rows) - 1 else minutes - start
        length = max(length, 1)
        items.append(AgendaItem(start_minute=start, minutes=length, topic=topic,
                                owner=str(owner)))
        start += length
    return items


def build_roles(roles: list[dict[str, Any]], agenda: list[AgendaItem]) -> list[SellerRole]:
    out = []
    for r in roles:
        mine = [a for a in agenda if a.owner == r["name"]]
        if mine:
            parts = [f"{a.topic} at {a.start_minute}'" for a in mine]
            nxt = [a for a in agenda if a.start_minute >= mine[-1].start_minute + mine[-1].minutes]
            hand = f"leads: {'; '.join(parts)}"
            if nxt:
                hand += f"; hands over to {nxt[0].owner} at {nxt[0].start_minute}'"
        else:
            hand = "supports throughout; no agenda item of their own"
        does = ROLE_DOES[r["role"]]
        if r["owns_next_step"] and r["role"] == "lead":
            does += " Also asks for the next step (attends alone)."
        out.append(SellerRole(
            name=r["name"], title=r["title"], role=r["role"], does=does, hands_over=hand,
            why=f"{ROLE_MEANING[r['role']]} — {r['why']}", owns_next_step=r["owns_next_step"],
        ))
    return out


def _merge_claims(first: list[Claim], more: list[Claim]) -> list[Claim]:
    seen = {c.text.casefold() for c in first}
    return first + [c for c in more if c.text.casefold() not in seen]


def fallback_situation(notes: list[dict[str, Any]]) -> list[Claim]:
    return [Claim(text=f"({n['date']}) {_first_sentences(n['full_text'], 2)}", cites=[n["id"]])
            for n in notes[:3]]


def fallback_needs(notes: list[dict[str, Any]]) -> list[Claim]:
    out = []
    for n in notes:
        for sentence in _sentences(n["full_text"]):
            if NEED_WORDS.search(sentence) and len(sentence) < 260:
                out.append(Claim(text=sentence, cites=[n["id"]]))
                break
        if len(out) == 3:
            break
    return out


def fallback_risks(notes: list[dict[str, Any]]) -> list[Risk]:
    out = []
    for n in notes:
        for sentence in _sentences(n["full_text"]):
            if RISK_WORDS.search(sentence) and len(sentence) < 260:
                out.append(Risk(risk=sentence, cites=[n["id"]], inference=False,
                                answer="Prepare an answer tonight; confirm the facts in the call."))
                break
        if len(out) == 3:
            break
    return out


def buyer_attendees(
    buyers: list[dict[str, str]], notes: list[dict[str, Any]], drafted: dict[str, Any]
) -> list[BuyerAttendee]:
    out = []
    for b in buyers:
        name = b["name"]
        tokens = [t for t in name.split() if len(t) > 2]
        mentions = [n["id"] for n in notes
                    if any(re.search(rf"\b{re.escape(t)}\b", n["full_text"]) for t in tokens)]
        cares: list[Claim] = []
        d = drafted.get(name.casefold())
        if d is not None and d.cares_about.strip():
            cares.append(Claim(text=d.cares_about, cites=d.cites, inference=not d.cites))
        unknowns = []
        if not mentions:
            unknowns.append("no note mentions them: role in the decision, priorities")
        else:
            unknowns.append("their role in the decision, unless a note says it")
        if not cares:
            unknowns.insert(0, "what they care about")
        out.append(BuyerAttendee(name=name, title=b.get("title", ""), cares_about=cares,
                                 unknowns=unknowns, known_from=mentions[:5]))
    return out


def assemble_plan(state: dict[str, Any], draft: Draft | None) -> dict[str, Any]:
    """Everything but identity and provenance, as a dict of Plan fields.

    ``fallback_sections`` lists the sections the draft left empty, built from the evidence.
    """
    g = state["gathered"]
    notes = state["evidence"]
    fallback: list[str] = []
    roles = state["roles"]
    agenda = build_agenda(g["kind"], g["minutes"], roles)
    objective = _objective(g, draft, fallback)
    context = _context(state, notes, draft, fallback)
    drafted_buyers = {b.name.casefold(): b for b in (draft.buyers if draft else [])}
    buyers = buyer_attendees(g["buyers"], notes, drafted_buyers)
    questions = _questions(g, draft, fallback)
    risks = _risks(state, notes, draft, fallback)
    stories = [StoryUse(story_id=s["id"], title=s["title"], outcome=s["outcome"],
                        why=s["why"]) for s in state["stories"]]
    checklist = build_checklist(g, roles, notes, stories, risks, context.superseded)
    icp_fit = [IcpFitItem(**item) for item in g["icp_fit"]]
    return {
        "objective": objective, "context": context, "buyers": buyers,
        "roles": build_roles(roles, agenda), "agenda": agenda, "questions": questions,
        "risks": risks, "stories": stories, "checklist": checklist, "icp_fit": icp_fit,
        "fallback_sections": fallback,
    }


def _objective(g: dict[str, Any], draft: Draft | None, fallback: list[str]) -> Objective:
    exit_criteria = g["exit_criteria"]
    default_objective = (
        f"Move {g['account_name']} from {g['stage']} toward {g['next_stage'] or 'a decision'}: "
        f"leave the call with {exit_criteria[0][0].lower() + exit_criteria[0][1:]}"
        if exit_criteria else f"Advance {g['account_name']} to the next stage"
    )
    if draft is not None and draft.objective.strip():
        statement = Claim(text=draft.objective, inference=True)
    else:
        statement = Claim(text=default_objective, inference=True)
        fallback.append("objective")
    advance = (draft.advance if draft and draft.advance.strip() else
               f"Agree a date for the {g['next_stage_activity']}" if g["next_stage_activity"]
               else "Agree a dated follow-up meeting with the decision makers")
    fallback_step = (draft.fallback if draft and draft.fallback.strip() else
                     "agree who else must be involved and a date to reconvene")
    return Objective(
        stage=g["stage"], next_stage=g["next_stage"], exit_criteria=exit_criteria,
        statement=statement, advance=advance, fallback=fallback_step,
    )


def _claims(items: list[DraftClaim]) -> list[Claim]:
    return [Claim(text=i.text, cites=i.cites, inference=not i.cites) for i in items]


def _context(state: dict[str, Any], notes: list[dict[str, Any]], draft: Draft | None,
             fallback: list[str]) -> CustomerContext:
    # The model's lines come first; cited sentences from the newest notes always follow, so
    # the specifics (names, numbers, competitors) never depend on a small model's recall.
    situation = _claims(draft.situation) if draft else []
    if not situation:
        fallback.append("situation")
    situation = _merge_claims(situation, fallback_situation(notes))
    needs = _claims(draft.needs) if draft else []
    if not needs:
        fallback.append("needs")
    needs = _merge_claims(needs, fallback_needs(notes))
    newest = notes[0] if notes else None
    changes = ([Claim(text=f"Latest touch {newest['date']} ({newest['kind']}, "
                      f"{newest['author']}): {_first_sentences(newest['full_text'], 2)}",
                      cites=[newest["id"]])] if newest else [])
    superseded = [Claim(text=s["text"], cites=s["cites"]) for s in state.get("superseded", [])]
    return CustomerContext(situation=situation, needs=needs, changes=changes,
                           superseded=superseded)


def _questions(g: dict[str, Any], draft: Draft | None, fallback: list[str]) -> list[Question]:
    questions = [Question(text=q.text, cites=q.cites, why="drafted from the evidence")
                 for q in (draft.questions if draft else [])]
    if not questions:
        fallback.append("questions")
        questions = [Question(text=f"What would they need to see to agree that: {c}?",
                              why=f"exit criterion of {g['stage']}")
                     for c in g["exit_criteria"][:3]]
    for gap in g["icp_unknown"]:
        questions.append(Question(text=gap["question"], why="ICP fact we do not know yet",
                                  icp_attribute=gap["attribute"]))
    return questions


def _risks(state: dict[str, Any], notes: list[dict[str, Any]], draft: Draft | None,
           fallback: list[str]) -> list[Risk]:
    risks = [Risk(risk=r.risk, answer=r.answer, cites=r.cites, inference=not r.cites)
             for r in (draft.risks if draft else [])]
    if not risks:
        fallback.append("risks")
    seen_risks = {r.risk.casefold() for r in risks}
    risks += [r for r in fallback_risks(notes) if r.risk.casefold() not in seen_risks][:3]
    for q in state.get("quarantined", []):
        why = f" ({q['reason']})" if q.get("reason") else ""
        risks.append(Risk(
            risk=f"Note {q['source_id']} contains text addressed to an AI assistant or "
                 f"instruction-like text{why}; Huddle left it out of this plan.",
            answer="Read the note yourself (the note view marks what was left out); treat "
                   "the request as untrusted.",
            cites=[q["source_id"]],
        ))
    return risks


def build_checklist(g: dict[str, Any], roles: list[dict[str, Any]], notes: list[dict[str, Any]],
                    stories: list[StoryUse], risks: list[Risk],
                    superseded: list[Claim]) -> list[str]:
    items = [
        "Run the huddle: walk through the objective and tell each colleague their role "
        f"({', '.join(r['name'] + ': ' + r['role'] for r in roles)}).",
    ]
    closer = next((r["name"] for r in roles if r["owns_next_step"]), roles[0]["name"])
    items.append(f"{closer}: rehearse the ask for the advance and the fallback.")
    if notes:
        items.append("Re-read the newest notes: " + ", ".join(n["id"] for n in notes[:3]) + ".")
    if superseded:
        items.append("Use the newer figures where notes disagree (see 'Superseded').")
    if stories:
        items.append(f"Pick one story to tell: {stories[0].title} ({stories[0].outcome}).")
    if risks:
        items.append(f"Prepare answers to {len(risks)} risk(s) listed below.")
    if g["icp_unknown"]:
        items.append("Find out the missing ICP facts: "
                     + ", ".join(x["attribute"] for x in g["icp_unknown"]) + ".")
    if g["buyers"]:
        items.append("Confirm the buyer-side attendees and their titles the day before.")
    items.append("Block 30 minutes before the call to review this plan.")
    return items
