"""The night-before export: a prep block before the meeting and the huddle agenda.

Per meeting, two files a rep can drop into their calendar and share with the team:

- ``.ics`` — one event, ``prep_minutes`` (default 30) ending when the meeting starts, titled
  ``Huddle: <account> <kind>``, with the sellers as attendees (e-mails from ``team.yaml``)
  and the huddle agenda in its description, so the prep time is on everyone's calendar;
- Markdown — the same huddle agenda: the objective and the ask, who does what (role, what
  they do, the hand-over), the meeting agenda on the clock, and the checklist.

Model and note text goes through :func:`assistant.render.safe`. Pure functions plus
:func:`write_huddle`, which writes the two files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.plan import Plan
from assistant.render import safe
from knowledge.errors import HuddleError
from knowledge.models import KnowledgeBase

PREP_MINUTES = 30
MAX_PREP_MINUTES = 240


def prep_block(starts_at: dt.datetime, prep_minutes: int = PREP_MINUTES
               ) -> tuple[dt.datetime, dt.datetime]:
    """The prep block: ``prep_minutes`` ending when the meeting starts."""
    if not isinstance(prep_minutes, int) or not 5 <= prep_minutes <= MAX_PREP_MINUTES:
        raise HuddleError(f"the prep block lasts 5 to {MAX_PREP_MINUTES} minutes before the "
                          f"meeting; got {prep_minutes!r} (--prep-minutes)", title="Export")
    return starts_at - dt.timedelta(minutes=prep_minutes), starts_at


def _clock(t: dt.datetime) -> str:
    return t.strftime("%H:%M")


def huddle_lines(plan: Plan, starts_at: dt.datetime) -> list[tuple[str, str]]:
    """(clock time, "topic — owner") per agenda item, on the meeting's clock."""
    out = []
    for item in plan.agenda:
        at = starts_at + dt.timedelta(minutes=item.start_minute)
        out.append((_clock(at), f"{safe(item.topic)} — {safe(item.owner)}"))
    return out


def huddle_markdown(plan: Plan, starts_at: dt.datetime, *,
                    prep_minutes: int = PREP_MINUTES) -> str:
    m = plan.meeting
    o = plan.objective
    block_start, block_end = prep_block(starts_at, prep_minutes)
    lines = [
        f"# Huddle: {safe(plan.account_name)} — {m.kind}, {starts_at:%a %d %b %Y %H:%M}",
        "",
        f"- **Prep block:** {block_start:%H:%M}–{block_end:%H:%M} ({prep_minutes} min)",
        f"- **Meeting:** {_clock(starts_at)}–"
        f"{_clock(starts_at + dt.timedelta(minutes=m.minutes))} ({m.minutes} min)",
        f"- **Plan:** `{plan.id}` v{plan.version} ({plan.status})",
        "",
        "## Objective",
        "",
        safe(o.statement.text),
        "",
        f"- **The ask:** {safe(o.advance)}",
        f"- **Fallback:** {safe(o.fallback)}",
        "",
        "## Who does what",
        "",
        "| Seller | Role | Does | Hand-over |",
        "|---|---|---|---|",
    ]
    for r in plan.roles:
        star = " ★ asks for the next step" if r.owns_next_step else ""
        lines.append(f"| {safe(r.name)} | **{r.role}**{star} | {safe(r.does)} | "
                     f"{safe(r.hands_over)} |")
    if plan.meeting.buyers:
        lines += ["", "## Across the table", ""]
        lines += [f"- {safe(b.name)}" + (f" ({safe(b.title)})" if b.title else "")
                  for b in plan.meeting.buyers]
    lines += ["", "## Agenda", ""]
    lines += [f"- {at} {text}" for at, text in huddle_lines(plan, starts_at)]
    if plan.checklist:
        lines += ["", "## Before the call", ""]
        lines += [f"- [ ] {safe(c)}" for c in plan.checklist]
    return "\n".join(lines) + "\n"


def huddle_description(plan: Plan, starts_at: dt.datetime) -> str:
    """Plain text for the calendar event's description."""
    o = plan.objective
    lines = [f"Objective: {safe(o.statement.text)}", f"The ask: {safe(o.advance)}",
             f"Fallback: {safe(o.fallback)}", "", "Who does what:"]
    for r in plan.roles:
        star = " (asks for the next step)" if r.owns_next_step else ""
        lines.append(f"- {safe(r.name)}: {r.role}{star} — {safe(r.does)}")
    lines += ["", f"Agenda ({_clock(starts_at)}):"]
    lines += [f"- {at} {text}" for at, text in huddle_lines(plan, starts_at)]
    lines += ["", f"Huddle plan {plan.id} v{plan.version}"]
    return "\n".join(lines)


def huddle_ics(plan: Plan, starts_at: dt.datetime, *, kb: KnowledgeBase | None = None,
               prep_minutes: int = PREP_MINUTES, now: dt.datetime) -> bytes:
    """An iCalendar file with the prep block; the huddle agenda is its description.

    ``now`` (the service clock's) stamps the event (DTSTAMP)."""
    from icalendar import Calendar, Event, vCalAddress, vText

    cal = Calendar()
    cal.add("prodid", "-//Huddle//night-before export//EN")
    cal.add("version", "2.0")
    event = Event()
    block_start, block_end = prep_block(starts_at, prep_minutes)
    event.add("uid", f"{plan.id}-prep@huddle")
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", block_start)
    event.add("dtend", block_end)
    event.add("summary", f"Huddle: {safe(plan.account_name)} {plan.meeting.kind} "
                         f"(meeting at {_clock(starts_at)})")
    event.add("description", huddle_description(plan, starts_at))
    event.add("categories", ["Huddle", "Call prep"])
    for name in plan.meeting.sellers:
        person = kb.team.find(name) if kb is not None else None
        if person is None or not person.email:
            continue
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=False)
    cal.add_component(event)
    return cal.to_ical()


def write_huddle(plan: Plan, starts_at: dt.datetime, *, ics: str | Path | None = None,
                 md: str | Path | None = None, kb: KnowledgeBase | None = None,
                 prep_minutes: int = PREP_MINUTES, now: dt.datetime) -> list[Path]:
    """Write the ``.ics`` and/or Markdown files; returns the paths written."""
    prep_block(starts_at, prep_minutes)  # a bad --prep-minutes writes neither file
    written = []
    if ics:
        path = Path(ics).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(huddle_ics(plan, starts_at, kb=kb, prep_minutes=prep_minutes,
                                    now=now))
        written.append(path)
    if md:
        path = Path(md).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(huddle_markdown(plan, starts_at, prep_minutes=prep_minutes),
                        encoding="utf-8")
        written.append(path)
    return written

