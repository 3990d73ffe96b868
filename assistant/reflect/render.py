"""Text views of a reflection, the ICP ledger, an account's fit and a plan's review.

Used by the CLI and usable by the TUI. Transcript and model text is shown as text
(``assistant.render.safe``: no terminal escapes, links defused). Pure functions.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.containment import claimed_line
from assistant.reflect.models import FIELD_LABELS, FIGURE_LABELS, ItemCheck, Quote, Reflection
from assistant.render import safe
from knowledge.ledger import MIN_EVIDENCE, ValueEvidence
from knowledge.models import Icp

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _plain(text: Any) -> str:
    """Values from KB files and labels: control characters removed, '<' kept."""
    return _CONTROL.sub("", str(text))


_MARK = {"done": "✓", "not_done": "✗", "unknown": "?", "met": "✓", "partial": "~",
         "missed": "✗", "not_met": "✗"}


def _q(quote: Quote | None) -> str:
    if quote is None:
        return ""
    who = f" — {safe(quote.speaker)}" if quote.speaker else ""
    return f' “{safe(quote.text)}”{who}'


def _checks(title: str, items: list[ItemCheck]) -> list[str]:
    if not items:
        return []
    out = [f"**{title}**"]
    for c in items:
        owner = f" ({safe(c.owner)})" if c.owner else ""
        out.append(f"- {_MARK[c.status]} {safe(c.text)}{owner}: {c.status.replace('_', ' ')}"
                   + _q(c.quote))
    return out + [""]


def _stage_lines(r: Reflection) -> list[str]:
    """The Stage section: where the deal goes (closed on the outcome, pending `huddle
    outcome`, or where the call leaves it) and each exit criterion."""
    lines: list[str] = []
    st = r.stage
    if st.closes and r.outcome:  # a call moves a deal between open stages; the outcome closes it
        head = (f"{safe(st.before)} → **{safe(st.closes)}** (the deal ended {r.outcome}), "
                f"pending `huddle outcome {r.account} {r.outcome}`")
        call = (f"the call itself: {safe(st.reason)}" if st.after == st.before else
                f"the call itself: {safe(st.before)} → {safe(st.after)}, {safe(st.reason)}")
        lines += ["## Stage", "", f"{head}; {call}"]
    else:
        lines += ["## Stage", "",
                  (f"{safe(st.before)} → **{safe(st.after)}**" if st.after != st.before
                   else f"stays {safe(st.before)}") + f" ({st.status}): {safe(st.reason)}"]
    if r.outcome and not st.closes:
        lines.append(f"- the deal ended {r.outcome}, and process.yaml has no stage that "
                     f"records it: `huddle outcome {r.account} {r.outcome}` records the outcome "
                     "and leaves the stage")
    for c in st.criteria:
        lines.append(f"- [{c.id}] {_MARK[c.status]} {safe(c.text)}: "
                     f"{c.status.replace('_', ' ')}{_q(c.quote)}")
    return lines


def reflection_markdown(r: Reflection) -> str:
    o = r.objective
    lines = [
        f"# Reflection: {safe(r.account_name)} — {r.meeting_kind} call, "
        f"{r.meeting_date.isoformat()}",
        "",
        f"Run `{r.run_id}` · by {safe(r.author)} · "
        + (f"plan `{r.plan_id}` v{r.plan_version}" if r.plan_id else "no plan")
        + f" · {r.transcript_format} {safe(r.source)}"
        + (f" · speakers: {', '.join(safe(s) for s in r.speakers)}" if r.speakers else ""),
        "",
        "## Objective",
        "",
        f"{_MARK[o.status]} **{o.status}** — {safe(o.statement)}{_q(o.quote)}",
        "",
    ]
    if r.agenda or r.questions or r.roles:
        lines += ["## Against the plan", ""]
        lines += _checks("Agenda", r.agenda) + _checks("Questions", r.questions)
        lines += _checks("Roles (did each seller play theirs?)", r.roles)
    lines += ["## What worked, what didn't", ""]
    lines += [f"- worked: {safe(w)}" for w in r.worked] or ["- worked: unknown"]
    lines += [f"- didn't: {safe(w)}" for w in r.didnt] or ["- didn't: unknown"]
    lines += [f"- lesson: {safe(r.lesson) if r.lesson else 'unknown'}", ""]
    lines += ["## What we learned", "", "**Qualification**"]
    facts = {f.id: f for f in r.facts}
    for q in r.qualification:
        label = FIELD_LABELS[q.field]
        shown = [facts[i] for i in q.facts if i in facts]
        if not shown:
            lines.append(f"- {label}: {q.status}")
        for f in shown:
            lines.append(f"- {label}: {safe(f.value)} ({f.status}) [{f.id}]{_q(f.quote)}")
    lines.append("")
    if r.claimed:  # kept and shown, never acted on (containment)
        lines.append("**Claimed in the call, to confirm (not counted as known)**")
        for c in r.claimed:
            where = f"turn {c.turn}" if c.turn else "the call"
            lines.append(f"- {safe(claimed_line(c.speaker, where, c.text, what=c.what))}")
        lines.append("")
    if r.stakeholders:
        lines.append("**Stakeholders**")
        for s in r.stakeholders:
            title = f", {safe(s.title)}" if s.title else ""
            lines.append(f"- [{s.id}] {safe(s.name)}{title} — stance {s.stance}{_q(s.quote)}")
        lines.append("")
    lines += _stage_lines(r)
    lines += ["", "## Next steps", ""]
    lines += [f"- [{n.id}] {safe(n.action)} — owner {safe(n.owner or 'unknown')}, due "
              f"{n.due.isoformat() if n.due else 'unknown'}{_q(n.quote)}"
              for n in r.next_steps] or ["- none said"]
    if r.figures or r.outcome:
        lines += ["", "## Deal figures" + (f" (outcome: {r.outcome})" if r.outcome else ""),
                  ""]
        lines += [f"- [{d.id}] {FIGURE_LABELS[d.name]}: {safe(d.value)}{_q(d.quote)}"
                  for d in r.figures] or ["- none said"]
    lines += ["", "## Proposed ICP evidence", ""]
    lines += [f"- [{e.id}] {e.attribute} = {safe(e.value)} ({e.signal} fit){_q(e.quote)}"
              for e in r.icp_evidence] or ["- none"]
    p = r.provenance
    lines += ["", "---", "", _model_line(r)]
    if p.skipped:
        lines.append(skipped_line(p.skipped))
    if p.fallback:
        lines.append(f"*Without the model: {', '.join(p.fallback)}.*")
    for w in p.warnings:
        lines.append(f"*Note: {safe(w)}*")
    if p.dropped:
        whose = "the model's answer" if p.usage.calls else "what code proposed"
        lines.append(f"*Checks removed {len(p.dropped)} item(s) from {whose}:*")
        lines += [f"*- {safe(d)}*" for d in p.dropped[:12]]
    return "\n".join(lines) + "\n"


def _model_line(r: Reflection) -> str:
    """The footer's first line: the model, its prompts and what they cost, or no call."""
    p, u = r.provenance, r.provenance.usage
    if u.calls or not p.skipped:
        return (f"*Model `{safe(p.model)}` with "
                + ", ".join(f"`{k}@{v}`" for k, v in p.prompts.items())
                + f"; {u.calls} call(s), {u.prompt_tokens}+{u.completion_tokens} tokens, "
                f"{u.model_seconds:.1f} s model time; the model saw {p.excerpt_turns} of "
                f"{p.transcript_turns} turns.*")
    return f"*Model `{safe(p.model)}`: no model call; code read all {p.transcript_turns} turns.*"


SKIPPED_WORDS = {
    "facts": "the stakeholders, facts and ICP evidence (`reflect.model_facts`)",
    "assessment": "the objective and the plan's items (`reflect.model_assess`)",
    "criteria": "the exit criteria code could not decide (`reflect.model_criteria`)",
}


def skipped_line(skipped: list[str]) -> str:
    """The footer line naming the calls the settings left out: code's reading stands."""
    parts = "; ".join(SKIPPED_WORDS.get(c, c) for c in skipped)
    return (f"*Not asked of this model, by setting: {parts}. Code read them from the "
            "transcript; what it cannot tell stays unknown.*")


def proposal_lines(items: list[Any]) -> list[str]:
    out = []
    for i in items:
        out.append(f"[{i.id}] {safe(i.summary)}{_q(i.quote)}")
    return out


# ---- the ledger ------------------------------------------------------------------------


def ledger_text(table: list[ValueEvidence], icp: Icp, base: ValueEvidence, *,
                attribute: str | None = None, sources: bool = False) -> str:
    lines = [f"ICP evidence ledger — all deals: {base.counts_text()}; {base.rate_text()}",
             f"(win rate = won / closed deals, Wilson 95% interval; below {MIN_EVIDENCE} closed "
             "deals a value has not enough evidence)", ""]
    for attr in icp.attributes:
        if attribute and attr.name != attribute:
            continue
        rows = [e for e in table if e.attribute == attr.name]
        ideal_labels = [str(attr.bucket_label(v) if attr.kind == "bool" else v)
                        for v in attr.ideal]
        ideal = {v.casefold() for v in ideal_labels}
        lines.append(f"{attr.name} ({attr.kind})"
                     + (f" — ideal: {_plain(', '.join(ideal_labels))}" if ideal_labels
                        else ""))
        if not rows:
            lines.append("  no evidence yet")
        width = max((len(e.value) for e in rows), default=0)
        for e in rows:
            star = "*" if e.value.casefold() in ideal else " "
            lines.append(f" {star}{_plain(e.value):<{width}}  {e.summary()}")
            if sources:
                for s in e.sources:
                    extra = f" “{safe(s.quote)}”" if s.quote else ""
                    lines.append(f"      {s.kind}: {safe(s.id)}"
                                 + (f" ({safe(s.account)})" if s.account else "")
                                 + f" — {s.detail}{extra}")
        lines.append("")
    lines.append("* = a value icp.yaml calls ideal")
    return "\n".join(lines) + "\n"


def fit_text(fit: Any) -> str:
    lines = [f"{safe(fit.account_name)} ({fit.account}, stage {safe(fit.stage)}) against the "
             "ICP",
             f"match: {', '.join(fit.matching) or '-'} · mismatch: "
             f"{', '.join(fit.mismatching) or '-'} · unknown: {', '.join(fit.unknown) or '-'}",
             f"all deals: {fit.base.counts_text()}; {fit.base.rate_text()}", ""]
    for item in fit.items:
        value = _plain(item["value"]) if item["value"] is not None else "unknown"
        lines.append(f"- {item['attribute']} = {value}: {item['status']}")
        lines.append(f"    {_plain(item['note'])}")
    if fit.signals:
        lines += ["", "Confirmed call evidence for this account:"]
        for s in fit.signals:
            lines.append(f"- {s.attribute} = {safe(s.value)} ({s.signal} fit) “{safe(s.quote)}”"
                         f" — reflection {safe(s.source_id)}")
    if fit.outcomes:
        lines += ["", "Outcomes recorded for this account:"]
        for o in fit.outcomes:
            lines.append(f"- {o.date or '?'} {o.outcome}"
                         + (f" ({safe(o.competitor)})" if o.competitor else "")
                         + f" — {o.source} {safe(o.source_id)}")
    return "\n".join(lines) + "\n"


# ---- reviews ---------------------------------------------------------------------------


def review_text(view: Any) -> str:
    p = view.plan
    lines = [f"# Review: {safe(p.account_name)} — {p.meeting.kind} call "
             f"{p.meeting.date.isoformat()}",
             "",
             f"Plan `{p.id}` v{p.version} · status **{p.status.replace('_', ' ')}**",
             "versions: " + ", ".join(f"v{v['version']} {v['id']} ({v['status']})"
                                      for v in view.versions), ""]
    if view.addressed is not None:
        e = view.addressed
        lines += [f"## Changes requested on v{e.version} by {safe(e.by)} at {e.at}", ""]
        if e.comment:
            lines.append(f"- {safe(e.comment)}")
        lines += [f"- {s}: {safe(t)}" for s, t in e.section_comments.items()]
        lines.append("")
    if view.previous is not None:
        lines += [f"## What changed since v{view.previous.version}", ""]
        if not view.diff:
            lines.append("- nothing")
        for d in view.diff:
            lines.append(f"**{d.section}**")
            lines += [f"- + {safe(x)}" for x in d.added]
            lines += [f"- − {safe(x)}" for x in d.removed]
        lines.append("")
    lines += ["## History", ""]
    if not view.history:
        lines.append("- not submitted yet")
    for e in view.history:
        lines.append(f"- {e.at} v{e.version} {e.action.replace('_', ' ')} by {safe(e.by)}: "
                     f"{e.from_status} → {e.to_status}"
                     + (f" — {safe(e.comment)}" if e.comment else ""))
        lines += [f"    {s}: {safe(t)}" for s, t in e.section_comments.items()]
    return "\n".join(lines) + "\n"
