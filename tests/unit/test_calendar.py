"""Calendar import: external meetings kept, matched to accounts, the rest asked about."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from assistant.calendar import (
    SKIP,
    guess_kind,
    import_calendar,
    match_events,
    parse_resolve,
    read_events,
    team_domains,
)
from knowledge.errors import HuddleError
from knowledge.loader import load_kb
from tests.conftest import DATA, DEMO_KB

NY = ZoneInfo("America/New_York")
ICS = DATA / "demo-week.ics"
WEEK = {"window_start": dt.date(2026, 11, 23), "window_end": dt.date(2026, 11, 29), "tz": NY}


@pytest.fixture(scope="module")
def kb():
    return load_kb(DEMO_KB)


@pytest.fixture(scope="module")
def week(kb):
    return import_calendar(kb, ICS, **WEEK)


def test_reads_timed_events_in_the_window_and_says_what_it_skipped() -> None:
    skipped: list[tuple[str, str]] = []
    events = read_events(ICS.read_bytes(), skipped=skipped, **WEEK)
    summaries = [e.summary for e in events]
    assert "Team offsite" not in summaries and "Tidewater demo" not in summaries
    assert ("Team offsite", "all-day event") in skipped
    assert ("Tidewater demo", "cancelled") in skipped
    # the weekly Northgate sync (19 Nov, 26 Nov, 3 Dec) has one occurrence this week
    northgate = [e for e in events if e.summary.startswith("Northgate")]
    assert [e.start for e in northgate] == [dt.datetime(2026, 11, 26, 13, 0, tzinfo=NY)]
    # times in UTC and with a TZID both land in the zone asked for
    security = next(e for e in events if e.summary.startswith("Security review"))
    assert security.start == dt.datetime(2026, 11, 24, 14, 0, tzinfo=NY)
    assert security.minutes == 60
    # DURATION instead of DTEND
    ironbridge = next(e for e in events if e.summary.startswith("Ironbridge"))
    assert ironbridge.minutes == 30
    assert events == sorted(events, key=lambda e: (e.start, e.summary))


def test_recurring_event_expands_over_a_wider_window() -> None:
    events = read_events(ICS.read_bytes(), window_start=dt.date(2026, 11, 1),
                         window_end=dt.date(2026, 12, 31), tz=NY)
    northgate = [e.start.date() for e in events if e.summary.startswith("Northgate")]
    assert northgate == [dt.date(2026, 11, 19), dt.date(2026, 11, 26), dt.date(2026, 12, 3)]
    keys = {e.key for e in events}
    assert len(keys) == len(events)  # one key per occurrence: re-imports update, not add


def test_matches_by_domain_then_by_name(week, kb) -> None:
    got = {m.account: m for m in week.matched}
    assert set(got) == {"summit", "meridian", "larkspur", "ironbridge", "northgate"}
    summit = got["summit"]
    assert summit.matched_by == "domain" and summit.kind == "discovery"
    assert summit.sellers == ["Avery Cole", "Jordan Pike"]
    # titles come from the account's note contacts
    assert [(b.name, b.title) for b in summit.buyers] == [
        ("Dana Ruiz", "CFO"), ("Tom Becker", "Head of Operations")]
    assert got["meridian"].matched_by == "domain"  # the account's second domain
    assert got["meridian"].kind == "technical"  # "Security review"
    assert got["larkspur"].matched_by == "name"  # a personal e-mail address, name in summary
    assert got["ironbridge"].kind == "negotiation"
    assert got["ironbridge"].sellers == ["Jordan Pike"]  # Sam declined
    assert got["northgate"].sellers == ["Jordan Pike", "Lena Fischer"]
    assert [e.summary for e in week.internal] == ["Weekly pipeline review"]
    assert team_domains(kb) == {"beacon.example"}


def test_unmatched_meetings_are_returned_with_the_reason(week) -> None:
    assert [(u.event.summary, u.reason) for u in week.unmatched] == [
        ("Intro call - Harbor Logistics", "no attendee domain or account name matches")]
    assert "need an account" in week.summary()


def test_resolve_names_the_account_or_skips(kb) -> None:
    resolved = import_calendar(kb, ICS, resolve={"Intro call - Harbor Logistics": "summit"},
                               **WEEK)
    harbor = next(m for m in resolved.matched if m.event.summary.startswith("Intro call"))
    assert (harbor.account, harbor.matched_by) == ("summit", "resolved")
    assert not resolved.unmatched
    skipped = import_calendar(kb, ICS, resolve={"intro call - harbor logistics": SKIP}, **WEEK)
    assert ("Intro call - Harbor Logistics", "skipped by the user") in skipped.skipped
    with pytest.raises(HuddleError, match="unknown account 'harbor'"):
        import_calendar(kb, ICS, resolve={"Intro call - Harbor Logistics": "harbor"}, **WEEK)


def test_attendees_from_two_accounts_are_asked_about(kb) -> None:
    events = read_events(ICS.read_bytes(), **WEEK)
    summit = next(e for e in events if e.summary.startswith("Summit"))
    from assistant.calendar import Attendee

    summit.attendees.append(Attendee("Ops", "ops@tidewatercold.example"))
    summit.summary = "Joint session"
    result = match_events(kb, [summit])
    assert result.unmatched[0].reason == "attendees from several accounts"
    assert result.unmatched[0].candidates == ["summit", "tidewater"]


@pytest.mark.parametrize(("summary", "kind"), [
    ("Demo for the ops team", "demo"),
    ("Contract redlines", "negotiation"),
    ("Pricing review", "proposal"),
    ("Security questionnaire walk-through", "technical"),
    ("QBR with the CFO", "executive"),
    ("Check-in", "follow-up"),
    ("Intro", "discovery"),
])
def test_kind_is_guessed_from_the_summary(summary: str, kind: str) -> None:
    assert guess_kind(summary) == kind


def test_kind_without_keywords_follows_the_stage() -> None:
    assert guess_kind("Catch up", "Prospect", "Prospect") == "discovery"
    assert guess_kind("Catch up", "Discovery", "Prospect") == "discovery"
    assert guess_kind("Catch up", "Proposal", "Prospect") == "follow-up"


def test_bad_files_and_resolve_strings_say_what_to_do(kb, tmp_path) -> None:
    with pytest.raises(HuddleError, match="no such file"):
        import_calendar(kb, tmp_path / "missing.ics", **WEEK)
    bad = tmp_path / "bad.ics"
    bad.write_text("this is not a calendar")
    with pytest.raises(HuddleError, match="not a readable iCalendar file"):
        import_calendar(kb, bad, **WEEK)
    assert parse_resolve(["A = B=summit"]) == {"A = B": "summit"}
    with pytest.raises(HuddleError, match="SUMMARY=slug"):
        parse_resolve(["no equals sign"])


# ---- hostile calendar files (issue 13) -------------------------------------------------

SUMMIT_EVENT = (
    "BEGIN:VEVENT\r\nUID:u1@x\r\nDTSTART;TZID=America/New_York:{start}\r\n"
    "DTEND;TZID=America/New_York:20261124T104500\r\n"
    "SUMMARY:Summit Freight: discovery\r\n"
    "ATTENDEE;CN=Avery Cole:mailto:avery@beacon.example\r\n"
    "ATTENDEE;CN={buyer}:mailto:dana.ruiz@summitfreight.example\r\n"
    "END:VEVENT\r\n"
)


def _calendar(**fields: str) -> bytes:
    values = {"start": "20261124T100000", "buyer": "Dana Ruiz", **fields}
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + SUMMIT_EVENT.format(**values)
            + "END:VCALENDAR\r\n").encode()


def test_an_impossible_start_is_reported_as_invalid_not_all_day(kb) -> None:
    got = import_calendar(kb, _calendar(start="20261345T100000"), **WEEK)
    assert got.matched == []
    [(summary, reason)] = got.skipped
    assert summary == "Summit Freight: discovery"
    assert "invalid start" in reason and "20261345T100000" in reason
    assert "all-day" not in reason


def test_an_attendee_name_with_control_characters_is_cleaned_not_dropped(kb) -> None:
    got = import_calendar(kb, _calendar(buyer="Dana\x07 Ruiz\x1b[31m"), **WEEK)
    assert got.internal == []
    [meeting] = got.matched
    assert [b.name for b in meeting.buyers] == ["Dana Ruiz"]


def test_a_binary_file_is_a_clear_error_without_its_bytes(kb, tmp_path) -> None:
    junk = tmp_path / "photo.ics"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    with pytest.raises(HuddleError) as info:
        import_calendar(kb, junk, **WEEK)
    message = info.value.message
    assert "not a readable iCalendar file" in message and ".ics" in message
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in message)
    assert "\ufffd" not in message and len(message) < 300


def test_a_folder_given_as_the_calendar_says_so(kb, tmp_path) -> None:
    with pytest.raises(HuddleError, match="a folder"):
        import_calendar(kb, tmp_path, **WEEK)


@pytest.mark.parametrize("minutes", [-30, 0, 100_000])
def test_a_prep_block_that_ends_before_it_starts_is_refused(minutes: int) -> None:
    from assistant.exports import prep_block

    start = dt.datetime(2026, 11, 24, 10, tzinfo=NY)
    with pytest.raises(HuddleError, match="--prep-minutes"):
        prep_block(start, minutes)
    begin, end = prep_block(start, 30)
    assert begin < end == start


def test_an_unreadable_repeat_rule_skips_that_event_with_the_reason(kb) -> None:
    data = _calendar().replace(b"SUMMARY:", b"RRULE:FREQ=SOMETIMES;COUNT=x\r\nSUMMARY:")
    got = import_calendar(kb, data, **WEEK)
    [(summary, reason)] = got.skipped
    assert summary == "Summit Freight: discovery" and "invalid repeat rule" in reason
