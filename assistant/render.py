"""Render a plan as Markdown (for the terminal, the TUI and export).

Model and note text is shown as text: terminal control characters are stripped and
Markdown link/image syntax is defused, so nothing in a note can open a link or move the
cursor. Pure functions.
"""

from __future__ import annotations

import re

from assistant.plan import Claim, Plan

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)]*)\)")


def safe(text: str) -> str:
    """Text from notes or a model, safe to print in a terminal or Markdown view."""
    text = _CONTROL.sub("", text)
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    return text.replace("<", "‹").replace(">", "›")


def _cites(ids: list[str]) -> str:
    return " " + " ".join(f"[{safe(i)}]" for i in ids) if ids else ""


def claim(c: Claim) -> str:
    mark = " *(inference)*" if c.inference and not c.cites else ""
    return f"{safe(c.text)}{_cites(c.cites)}{mark}"


def plan_markdown(plan: Plan) -> str:
    lines = [
        *_header(plan),
        *_objective(plan),
        *_customer_context(plan),
        *_buyers(plan),
        *_team(plan),
        *_agenda(plan),
        *_questions(plan),
        *_objections(plan),
        *_risks(plan),
        *_stories(plan),
        *_icp_fit(plan),
        *_checklist(plan),
        *_provenance(plan),
    ]
    return "\n".join(lines) + "\n"


# Each section's lines; a section starts with its heading (after a blank line where the one
# before does not end with one) and the whole plan is joined with newlines.


def _header(plan: Plan) -> list[str]:
    m = plan.meeting
    o = plan.objective
    return [
        f"# {safe(plan.account_name)} — {m.kind} call, {m.date.isoformat()} ({m.minutes} min)",
        "",
        f"Plan `{plan.id}` v{plan.version} · status **{plan.status}** · "
        f"stage {safe(o.stage)} → {safe(o.next_stage or 'decision')}",
        "",
    ]


def _objective(plan: Plan) -> list[str]:
    o = plan.objective
    return [
        "## Objective",
        "",
        claim(o.statement),
        "",
        f"- **Advance (the ask):** {safe(o.advance)}",
        f"- **Fallback:** {safe(o.fallback)}",
        *([f"- **Exit criteria of {safe(o.stage)}:** "
           + "; ".join(safe(c) for c in o.exit_criteria)] if not plan.exit_gap else []),
        "",
        *_exit_gap(plan),
    ]


MARK = {"met": "met", "open": "OPEN", "unknown": "unknown"}


def _exit_gap(plan: Plan) -> list[str]:
    if not plan.exit_gap:
        return []
    lines = [f"## Exit criteria of {safe(plan.objective.stage)}: where the deal stands", ""]
    for c in plan.exit_gap:
        said = (f" — “{safe(c.quote)}”{_cites(c.cites)}" if c.quote
                else " — no note shows it yet" if c.status == "open" else "")
        by = " *(model)*" if c.decided_by == "model" else ""
        lines.append(f"- **{MARK[c.status]}**{by}: {safe(c.criterion)}{said}")
    lines.append("")
    return lines


def _objections(plan: Plan) -> list[str]:
    if not plan.objections and not plan.open_items:
        return []
    lines = ["", "## Objections and open items", ""]
    for o in plan.objections:
        who = f"{safe(o.speaker)}: " if o.speaker else ""
        lines.append(f"- **{who}“{safe(o.text)}”**{_cites(o.cites)} ({o.topic}"
                     f"{f'; against {safe(o.rival)}' if o.rival else ''})")
        lines.append(f"  - answers: **{safe(o.owner)}** — {safe(o.answer)}"
                     f"{_cites(o.answer_cites)}")
    for item in plan.open_items:
        lines.append(f"- open: {safe(item.text)}{_cites(item.cites)} — chases: "
                     f"**{safe(item.owner)}**")
    return lines


def _customer_context(plan: Plan) -> list[str]:
    lines = ["## Customer context", ""]
    for title, items in (("Situation", plan.context.situation), ("Needs", plan.context.needs),
                         ("Since the last touch", plan.context.changes),
                         ("Superseded (newer note wins)", plan.context.superseded)):
        if items:
            lines.append(f"**{title}**")
            lines += [f"- {claim(c)}" for c in items]
            lines.append("")
    return lines


def _buyers(plan: Plan) -> list[str]:
    if not plan.buyers:
        return []
    lines = ["## Buyer attendees", ""]
    for b in plan.buyers:
        title = f", {safe(b.title)}" if b.title else ""
        lines.append(f"- **{safe(b.name)}**{title}")
        for c in b.cares_about:
            lines.append(f"  - cares about: {claim(c)}")
        for u in b.unknowns:
            lines.append(f"  - unknown: {safe(u)}")
        if b.known_from:
            lines.append(f"  - mentioned in: {' '.join(f'[{i}]' for i in b.known_from)}")
    lines.append("")
    return lines


def _team(plan: Plan) -> list[str]:
    lines = ["## Our team", "", "| Seller | Role | What they do | Hand-over | Why |",
             "|---|---|---|---|---|"]
    for r in plan.roles:
        star = " ★ owns the ask" if r.owns_next_step else ""
        lines.append(f"| {safe(r.name)} | **{r.role}**{star} | {safe(r.does)} | "
                     f"{safe(r.hands_over)} | {safe(r.why)} |")
    return lines


def _agenda(plan: Plan) -> list[str]:
    lines = ["", "## Agenda", ""]
    for a in plan.agenda:
        lines.append(f"- {a.start_minute:>2}'–{a.start_minute + a.minutes}' "
                     f"{safe(a.topic)} — *{safe(a.owner)}*")
    return lines


def _questions(plan: Plan) -> list[str]:
    lines = ["", "## Questions to ask", ""]
    for q in plan.questions:
        extra = f" *(ICP: {q.icp_attribute})*" if q.icp_attribute else ""
        lines.append(f"- {safe(q.text)}{_cites(q.cites)}{extra}")
    return lines


def _risks(plan: Plan) -> list[str]:
    lines = ["", "## Risks and mitigations", ""]
    for risk in plan.risks:
        mark = " *(inference)*" if risk.inference and not risk.cites else ""
        lines.append(f"- **{safe(risk.risk)}**{_cites(risk.cites)}{mark}")
        lines.append(f"  - mitigation: {safe(risk.answer)}")
    return lines


def _stories(plan: Plan) -> list[str]:
    if not plan.stories:
        return []
    lines = ["", "## Stories worth telling", ""]
    for s in plan.stories:
        lines.append(f"- [{safe(s.story_id)}] **{safe(s.title)}** ({s.outcome}) — "
                     f"{safe(s.why)}")
    return lines


def _icp_fit(plan: Plan) -> list[str]:
    if not plan.icp_fit:
        return []
    lines = ["", "## ICP fit", ""]
    for f in plan.icp_fit:
        lines.append(f"- {f.attribute}: {safe(f.value or 'unknown')} — {f.status}"
                     + (f" ({safe(f.note)})" if f.note else ""))
    return lines


def _checklist(plan: Plan) -> list[str]:
    return ["", "## Huddle checklist (the night before)", "",
            *[f"- [ ] {safe(c)}" for c in plan.checklist]]


HEADLINES_BY_CODE = ("*Objective, ask and fallback: written by code from the open exit "
                     "criteria and the notes; the model is not asked for them with this "
                     "model (setting `prep.model_headlines`).*")


def _provenance(plan: Plan) -> list[str]:
    p = plan.provenance
    lines = ["", "---", "",
             f"*Drafted by `{safe(p.model)}` with "
             + (", ".join(f"`{k}@{v}`" for k, v in p.prompts.items()) or "no model call")
             + f"; {p.usage.prompt_tokens}+{p.usage.completion_tokens} tokens, "
             f"{sum(p.timings.values()):.1f} s; evidence: {', '.join(p.retrieved_ids)}.*"]
    if p.headlines == "code":
        lines.append(HEADLINES_BY_CODE)
    if p.fallback_sections:
        lines.append(f"*Built from evidence without the model: "
                     f"{', '.join(p.fallback_sections)}.*")
    for w in p.warnings:
        lines.append(f"*Note: {safe(w)}*")
    return lines
