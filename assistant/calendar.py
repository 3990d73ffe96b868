"""Read a calendar export (``.ics``) and turn its customer meetings into Huddle meetings.

The night before, a rep exports their calendar and Huddle keeps the *external* meetings:
events where at least one attendee is neither on the team (``team.yaml`` names and e-mails)
nor on the team's own e-mail domains. Each one is matched to an account:

1. by attendee e-mail domain against ``account.yaml`` ``domains`` (subdomains count), else
2. by the account's name (or slug, as a word) in the event's summary, else
3. it is returned *unmatched* for the user to resolve (``resolve={summary: slug}``; the
   value ``"skip"`` drops it).

Sellers are the attendees found in ``team.yaml``; buyers are the external attendees, with
titles filled in from the account's note contacts (``"Dana Ruiz (CFO)"``) when known. The
meeting kind is guessed from the summary (demo, security review, proposal, ...).

Recurring events are expanded inside the import window with ``dateutil`` (RRULE, RDATE,
EXDATE); all-day, cancelled and declined-by-us events are skipped, with the reason.

Pure functions over the loaded KB and the ``.ics`` bytes (``icalendar``); storing the
result is :mod:`assistant.meetings`' job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.plan import Buyer
from knowledge.errors import HuddleError
from knowledge.models import KnowledgeBase

SKIP = "skip"

_KIND_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("negotiation", ("negotiat", "contract", "redline", "procurement", "terms", "order form")),
    ("proposal", ("proposal", "pricing", "quote", "business case")),
    ("technical", ("security", "technical", "integration", "architecture", "it review",
                   "poc", "proof of", "pilot scoping", "deep dive")),
    ("demo", ("demo", "walkthrough", "walk-through", "showcase")),
    ("executive", ("executive", "exec ", "qbr", "sponsor", "board", "ceo", "cfo")),
    ("follow-up", ("follow-up", "follow up", "followup", "check-in", "check in", "sync",
                   "next steps", "recap")),
    ("discovery", ("discovery", "intro", "introduction", "first call", "kick-off", "kickoff")),
]


@dataclass(frozen=True)
class Attendee:
    """One person on an event: display name (may be empty) and e-mail (lower case)."""

    name: str
    email: str
    declined: bool = False

    @property
    def domain(self) -> str:
        return self.email.rsplit("@", 1)[-1] if "@" in self.email else ""

    @property
    def label(self) -> str:
        return self.name or self.email


@dataclass
class CalendarEvent:
    """One occurrence of a timed event read from the file."""

    uid: str
    summary: str
    start: dt.datetime
    end: dt.datetime
    attendees: list[Attendee] = field(default_factory=list)
    organizer: Attendee | None = None
    description: str = ""
    location: str = ""

    @property
    def minutes(self) -> int:
        return max(10, min(240, round((self.end - self.start).total_seconds() / 60)))

    @property
    def key(self) -> str:
        """Stable per occurrence: re-importing the same file updates, never duplicates."""
        return f"{self.uid}@{self.start.isoformat(timespec='minutes')}"

    def people(self) -> list[Attendee]:
        """Organizer and attendees, each e-mail once."""
        seen: set[str] = set()
        out = []
        for a in ([self.organizer] if self.organizer else []) + self.attendees:
            key = a.email or a.name.casefold()
            if key and key not in seen:
                seen.add(key)
                out.append(a)
        return out


@dataclass
class MatchedEvent:
    """An external event tied to an account, ready to store as an upcoming meeting."""

    event: CalendarEvent
    account: str
    matched_by: str  # "domain" | "name" | "resolved"
    kind: str
    sellers: list[str]
    buyers: list[Buyer]


@dataclass
class Unmatched:
    """An external event no account could be found for; ``candidates`` are near misses."""

    event: CalendarEvent
    reason: str
    candidates: list[str] = field(default_factory=list)


@dataclass
class CalendarImport:
    """What an import found: matched meetings, events to ask about, and what was skipped."""

    matched: list[MatchedEvent] = field(default_factory=list)
    unmatched: list[Unmatched] = field(default_factory=list)
    internal: list[CalendarEvent] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (summary, reason)

    def summary(self) -> str:
        parts = [f"{len(self.matched)} meeting(s) matched"]
        if self.unmatched:
            parts.append(f"{len(self.unmatched)} need an account")
        if self.internal:
            parts.append(f"{len(self.internal)} internal skipped")
        if self.skipped:
            parts.append(f"{len(self.skipped)} other skipped")
        return ", ".join(parts)


# ---- reading ----------------------------------------------------------------------------


def read_events(
    data: bytes | str,
    *,
    window_start: dt.date,
    window_end: dt.date | None = None,
    tz: dt.tzinfo,
    skipped: list[tuple[str, str]] | None = None,
) -> list[CalendarEvent]:
    """Timed event occurrences in ``data`` that start inside the window (dates inclusive).

    Times are converted to ``tz`` (the service clock's zone); floating times are taken as
    ``tz``. ``window_start`` is usually the clock's today; without ``window_end`` the window
    is 14 days.
    """
    cal = _parse_calendar(data)
    zone = tz
    window_end = window_end or (window_start + dt.timedelta(days=14))
    rec_start, rec_end = window_start, window_end
    skipped = skipped if skipped is not None else []
    overrides = _overrides(cal, zone)
    out: list[CalendarEvent] = []
    for comp in cal.walk("VEVENT"):
        summary = _text(comp.get("SUMMARY")) or "(no title)"
        if comp.get("RECURRENCE-ID") is not None:
            continue  # handled with its master
        broken = _broken_times(comp)
        if broken:
            skipped.append((summary, broken))
            continue
        if str(comp.get("STATUS", "")).upper() == "CANCELLED":
            skipped.append((summary, "cancelled"))
            continue
        if comp.get("DTSTART") is None:
            skipped.append((summary, "no start time"))
            continue
        raw_start = comp.decoded("DTSTART")
        if not isinstance(raw_start, dt.datetime):
            skipped.append((summary, "all-day event"))
            continue
        start = _as_datetime(raw_start, zone)
        end = _end_of(comp, start, zone)
        uid = str(comp.get("UID", "")) or f"{summary}-{start.isoformat()}"
        starts = [start]
        if comp.get("RRULE") is not None or comp.get("RDATE") is not None:
            try:
                starts = _occurrences(comp, start, zone, rec_start, rec_end)
            except (ValueError, TypeError, OverflowError) as exc:
                skipped.append((summary, f"invalid repeat rule ({exc}): fix the event in "
                                "your calendar"))
                continue
        for occ in starts:
            key = (uid, occ.isoformat(timespec="minutes"))
            source = overrides.get(key, comp)
            if source is not comp:
                if str(source.get("STATUS", "")).upper() == "CANCELLED":
                    skipped.append((summary, "cancelled"))
                    continue
                occ = _as_datetime(source.decoded("DTSTART"), zone)
                occ_end = _end_of(source, occ, zone)
            else:
                occ_end = occ + (end - start)
            if not window_start <= occ.date() <= window_end:
                continue
            event = _event(source, uid, occ, occ_end)
            out.append(event)
    out.sort(key=lambda e: (e.start, e.summary))
    return out


def _parse_calendar(data: bytes | str) -> Any:
    """The parsed calendar, or a HuddleError that says what to do (no raw bytes echoed)."""
    from icalendar import Calendar

    text = calendar_text(data)
    try:
        return Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        reason = " ".join(_CONTROL.sub(" ", str(exc)).split())
        reason = reason if len(reason) <= 160 else reason[:160] + "…"
        raise HuddleError(f"not a readable iCalendar file ({reason}): export the calendar "
                          "again as .ics and import that file", title="Calendar") from None


def _overrides(cal: Any, zone: dt.tzinfo) -> dict[tuple[str, str], Any]:
    """RECURRENCE-ID overrides, by (UID, occurrence start): each replaces one occurrence of
    its master event."""
    overrides: dict[tuple[str, str], Any] = {}
    for comp in cal.walk("VEVENT"):
        rid = comp.get("RECURRENCE-ID")
        if rid is not None and not _broken_times(comp):
            start = _as_datetime(rid.dt, zone)
            overrides[(str(comp.get("UID", "")), start.isoformat(timespec="minutes"))] = comp
    return overrides


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


# ANSI escape sequences, then every other control character but tab and line breaks
_CONTROL = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def calendar_text(data: bytes | str) -> str:
    """The text of an ``.ics`` file, control characters removed (a name with a bell or a
    colour code in it is still that name), or HuddleError when it is no calendar at all."""
    if isinstance(data, bytes):
        if b"\x00" in data:
            raise HuddleError("not a readable iCalendar file (it holds binary data): export "
                              "the calendar as .ics, which is text, and import that file",
                              title="Calendar")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")  # older exports: Windows text
    else:
        text = data
    text = _CONTROL.sub("", text)
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise HuddleError("not a readable iCalendar file (it does not start with "
                          "BEGIN:VCALENDAR): export the calendar as .ics and import that file",
                          title="Calendar")
    return text


def _broken_times(comp: Any) -> str:
    """Why an event's times cannot be read ("" when they can): impossible dates such as
    ``20261345T100000`` are kept by the parser as text."""
    for name, what in (("DTSTART", "start"), ("DTEND", "end"), ("RECURRENCE-ID", "start")):
        prop = comp.get(name)
        if prop is None:
            continue
        try:
            value = comp.decoded(name)
        except (ValueError, TypeError, KeyError):
            value = None
        if not isinstance(value, dt.date):
            raw = " ".join(str(prop).split())
            return f"invalid {what} time {raw[:40]!r}: fix the event in your calendar"
    return ""


def _as_datetime(value: Any, zone: dt.tzinfo) -> dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=zone)
        return value.astimezone(zone)
    return dt.datetime.combine(value, dt.time(0, 0), tzinfo=zone)


def _end_of(comp: Any, start: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    if comp.get("DTEND") is not None:
        return _as_datetime(comp.decoded("DTEND"), zone)
    if comp.get("DURATION") is not None:
        return start + comp.decoded("DURATION")
    return start + dt.timedelta(minutes=30)


def _occurrences(comp: Any, start: dt.datetime, zone: dt.tzinfo, first: dt.date,
                 last: dt.date) -> list[dt.datetime]:
    from dateutil.rrule import rruleset, rrulestr

    rules = rruleset()
    for rrule in _as_list(comp.get("RRULE")):
        text = rrule.to_ical().decode()
        # dateutil wants UNTIL in the same awareness as DTSTART
        text = re.sub(r"UNTIL=(\d{8})(?!T)", r"UNTIL=\1T235959Z", text)
        rules.rrule(rrulestr(text, dtstart=start, ignoretz=False))  # type: ignore[arg-type]
    for rdate in _as_list(comp.get("RDATE")):
        for d in rdate.dts:
            rules.rdate(_as_datetime(d.dt, zone))
    for exdate in _as_list(comp.get("EXDATE")):
        for d in exdate.dts:
            rules.exdate(_as_datetime(d.dt, zone))
    lo = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    hi = dt.datetime.combine(last, dt.time.max, tzinfo=zone)
    return [o.astimezone(zone) for o in rules.between(lo, hi, inc=True)]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _event(comp: Any, uid: str, start: dt.datetime, end: dt.datetime) -> CalendarEvent:
    attendees = [a for a in (_attendee(x) for x in _as_list(comp.get("ATTENDEE"))) if a]
    organizer = _attendee(comp.get("ORGANIZER")) if comp.get("ORGANIZER") is not None else None
    return CalendarEvent(
        uid=uid, summary=_text(comp.get("SUMMARY")) or "(no title)", start=start, end=end,
        attendees=attendees, organizer=organizer,
        description=_text(comp.get("DESCRIPTION")), location=_text(comp.get("LOCATION")),
    )


def _attendee(prop: Any) -> Attendee | None:
    if prop is None:
        return None
    email = str(prop)
    if email.lower().startswith("mailto:"):
        email = email[7:]
    email = email.strip().lower()
    params = getattr(prop, "params", {}) or {}
    name = str(params.get("CN", "")).strip().strip('"')
    if not email and not name:
        return None
    declined = str(params.get("PARTSTAT", "")).upper() == "DECLINED"
    return Attendee(name=name, email=email, declined=declined)


# ---- matching ---------------------------------------------------------------------------


def team_domains(kb: KnowledgeBase) -> set[str]:
    """The selling side's e-mail domains, from ``team.yaml`` e-mails."""
    return {p.email.rsplit("@", 1)[-1].lower() for p in kb.team.people
            if p.email and "@" in p.email}


def _seller_for(kb: KnowledgeBase, a: Attendee) -> str | None:
    for p in kb.team.people:
        if a.email and p.email and p.email.lower() == a.email:
            return p.name
    if a.name:
        person = kb.team.find(a.name)
        if person is not None:
            return person.name
    return None


def _domain_matches(domain: str, account_domains: Iterable[str]) -> bool:
    domain = domain.lower()
    return any(domain == d.lower() or domain.endswith("." + d.lower()) for d in account_domains)


def _name_matches(kb: KnowledgeBase, text: str) -> list[str]:
    low = text.casefold()
    hits = []
    for slug, account in kb.accounts.items():
        name = account.name.casefold()
        short = re.sub(r"\b(gmbh|inc|ltd|llc|corp|corporation|co|plc|ag|sa)\.?$", "", name).strip()
        if name in low or (len(short) >= 4 and short in low) or re.search(
                rf"\b{re.escape(slug)}\b", low):
            hits.append(slug)
    return hits


def guess_kind(summary: str, account_stage: str | None = None,
               first_stage: str | None = None) -> str:
    """The meeting kind a summary suggests; discovery for an early account, else follow-up."""
    low = f" {summary.casefold()} "
    for kind, words in _KIND_WORDS:
        if any(w in low for w in words):
            return kind
    early = {"discovery", (first_stage or "").casefold()}
    if account_stage and account_stage.casefold() not in early:
        return "follow-up"
    return "discovery"


def _contact_titles(kb: KnowledgeBase, slug: str) -> dict[str, str]:
    from assistant.plan import parse_buyers

    titles: dict[str, str] = {}
    for note in kb.notes_for(slug):
        for contact in note.contacts:
            for b in parse_buyers(contact):
                if b.title:
                    titles.setdefault(b.name.casefold(), b.title)
    return titles


def match_events(
    kb: KnowledgeBase, events: Iterable[CalendarEvent], *,
    resolve: dict[str, str] | None = None,
) -> CalendarImport:
    """Sort events into matched, unmatched (ask the user), internal and skipped."""
    ours = team_domains(kb)
    resolved = {k.strip().casefold(): v.strip() for k, v in (resolve or {}).items()}
    for key, wanted in resolved.items():
        if wanted != SKIP and wanted not in kb.accounts:
            raise HuddleError(
                f"--resolve {key!r}: unknown account {wanted!r}; accounts: "
                + ", ".join(sorted(kb.accounts)) + f" (or {SKIP!r})", title="Unknown account")
    result = CalendarImport()
    first_stage = kb.process.stages[0].name if kb.process.stages else None
    for event in events:
        people = event.people()
        sellers: list[str] = []
        declined: list[str] = []
        external: list[Attendee] = []
        for a in people:
            seller = _seller_for(kb, a)
            if seller:
                target = declined if a.declined else sellers
                if seller not in target:
                    target.append(seller)
            elif a.domain and a.domain in ours:
                continue  # a colleague who is not on the selling team
            else:
                external.append(a)
        if not external:
            result.internal.append(event)
            continue
        if declined and not sellers:
            result.skipped.append((event.summary, "declined by " + ", ".join(declined)))
            continue
        choice = resolved.get(event.summary.casefold()) or resolved.get(event.uid.casefold())
        if choice == SKIP:
            result.skipped.append((event.summary, "skipped by the user"))
            continue
        slug: str | None = None
        how = ""
        if choice:
            slug, how = choice, "resolved"
        else:
            by_domain = sorted({s for s, acc in kb.accounts.items() for a in external
                                if a.domain and _domain_matches(a.domain, acc.domains)})
            by_name = _name_matches(kb, event.summary)
            if len(by_domain) == 1:
                slug, how = by_domain[0], "domain"
            elif len(by_domain) > 1:
                narrowed = [s for s in by_domain if s in by_name]
                if len(narrowed) == 1:
                    slug, how = narrowed[0], "domain"
                else:
                    result.unmatched.append(Unmatched(
                        event, "attendees from several accounts", by_domain))
                    continue
            elif len(by_name) == 1:
                slug, how = by_name[0], "name"
            else:
                reason = ("the summary names several accounts" if by_name else
                          "no attendee domain or account name matches")
                result.unmatched.append(Unmatched(event, reason, by_name))
                continue
        account = kb.accounts[slug]
        titles = _contact_titles(kb, slug)
        buyers = [Buyer(name=a.label, title=titles.get(a.label.casefold(), ""))
                  for a in external]
        kind = guess_kind(event.summary, account.stage, first_stage)
        result.matched.append(MatchedEvent(event=event, account=slug, matched_by=how,
                                           kind=kind, sellers=sellers, buyers=buyers))
    return result


def import_calendar(
    kb: KnowledgeBase, source: str | Path | bytes, *,
    resolve: dict[str, str] | None = None,
    window_start: dt.date, window_end: dt.date | None = None, tz: dt.tzinfo,
) -> CalendarImport:
    """Read ``source`` (a path or the file's bytes) and match its external meetings."""
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source).expanduser()
        if path.is_dir():
            raise HuddleError(f"{path} is a folder: give the .ics file inside it",
                              title="Calendar")
        if not path.is_file():
            raise HuddleError(f"no such file: {path}; export your calendar as .ics first",
                              title="Calendar")
        data = path.read_bytes()
    skipped: list[tuple[str, str]] = []
    events = read_events(data, window_start=window_start, window_end=window_end, tz=tz,
                         skipped=skipped)
    result = match_events(kb, events, resolve=resolve)
    result.skipped = skipped + result.skipped
    return result


def parse_resolve(items: Iterable[str]) -> dict[str, str]:
    """``["Weekly sync=summit", ...]`` -> ``{"Weekly sync": "summit"}`` (last ``=`` splits)."""
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise HuddleError(f"--resolve wants SUMMARY=slug; got {item!r}", title="Calendar")
        summary, slug = item.rsplit("=", 1)
        out[summary.strip()] = slug.strip()
    return out
