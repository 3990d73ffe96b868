"""HubSpot exports: the CSV files of the Companies, Deals and activity (Notes, Calls,
Meetings, E-mails) views, as "Export" in HubSpot writes them.

Put them in one folder; a file is recognised by its name (``companies``, ``deals``,
``notes``, ``calls``, ``meetings``, ``emails``, ``activities`` or ``engagements`` anywhere in
it, as in ``hubspot-crm-exports-all-deals-2026-11-20.csv``). Columns are the property
labels of an export (``Record ID``, ``Deal Stage``, ``Close Date``, ``Associated Company
IDs``, ``Date entered "Closed Won (Sales Pipeline)"``...); internal names (``dealstage``,
``closedate``, ``hs_date_entered_closedwon``...) are accepted too.

Reads the folder given; returns a :class:`Batch`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.importing.records import (
    Batch,
    Skipped,
    SourceAccount,
    SourceDeal,
    SourceNote,
    StageChange,
)
from assistant.importing.salesforce import domain_of
from assistant.importing.tables import (
    BadValue,
    Row,
    parse_amount,
    parse_bool,
    parse_date,
    read_rows,
    split_ids,
)
from assistant.importing.text import bound_body, clean, html_to_text, one_line

SYSTEM = "hubspot"
_ID = ("Record ID", "hs_object_id", "Company ID", "Deal ID", "Activity ID", "Engagement ID")
_ENTERED = re.compile(r'^date entered "?(?P<stage>.+?)(?: \((?P<pipeline>[^()]+)\))?"?$')
_KIND = {"note": "research", "notes": "research", "call": "call", "calls": "call",
         "meeting": "meeting", "meetings": "meeting", "email": "email", "emails": "email",
         "incoming_email": "email", "forwarded_email": "email"}


def _files(source: Path, *words: str) -> list[Path]:
    return [p for p in sorted(source.glob("*.csv")) if any(w in p.stem.casefold() for w in words)]


class _Export:
    """The folder being read, the batch being filled, and the lookups the readers share."""

    def __init__(self, source: Path, date_format: str | None) -> None:
        self.source = source
        self.date_format = date_format
        self.batch = Batch(system=SYSTEM)
        self.names: dict[str, str] = {}  # company name (casefold) -> record id
        self.deals: dict[str, SourceDeal] = {}

    def skip(self, origin: str, reason: str) -> None:
        self.batch.skipped.append(Skipped(origin, reason))

    def load(self, path: Path) -> list[Row]:
        header, rows = read_rows(path, self.batch.skipped)
        self.batch.columns[path.name] = header
        return rows

    def date(self, row: Row, *cols: str) -> object:
        """The date in the first non-empty column; False (and the row skipped) if unusable."""
        try:
            return parse_date(row.get(*cols), self.date_format)
        except BadValue as exc:
            self.skip(row.origin, f"{cols[0]}: {exc}")
            return False

    def company_of(self, row: Row) -> str:
        """The record id of the row's associated company, by id or else by name; "" if none."""
        ids = split_ids(row.get("Associated Company IDs (Primary)", "Associated Company IDs",
                                "Associated Company ID", "associatedcompanyid"))
        if ids:
            return ids[0]
        for name in split_ids(row.get("Associated Company (Primary)", "Associated Company")):
            if name.casefold() in self.names:
                return self.names[name.casefold()]
        return ""


def read_hubspot(source: Path, date_format: str | None = None) -> Batch:
    ex = _Export(source, date_format)
    if not source.is_dir():
        raise FileNotFoundError(f"{source}: not a folder; put the HubSpot exports (companies, "
                                "deals, notes) in one folder")
    _read_companies(ex)
    _read_deals(ex)
    _read_activities(ex)
    return ex.batch


def _read_companies(ex: _Export) -> None:
    for path in _files(ex.source, "compan"):
        for row in ex.load(path):
            rid, name = row.get(*_ID), row.get("Company name", "Name", "name")
            if not rid or not name:
                ex.skip(row.origin, "a company needs Record ID and Company name")
                continue
            domains = [domain_of(d) for d in split_ids(row.get(
                "Company Domain Name", "domain", "Website URL", "website",
                "Additional Domains", "hs_additional_domains"))]
            extra = split_ids(row.get("Additional Domains", "hs_additional_domains"))
            domains += [domain_of(d) for d in extra]
            ex.batch.accounts.append(SourceAccount(
                SYSTEM, rid, one_line(name), row.origin, sorted({d for d in domains if d}),
                {k: v for k, v in row.values.items() if v.strip()},
                row.get("Company owner", "hubspot_owner_id"),
            ))
            ex.names[name.strip().casefold()] = rid


def _read_deals(ex: _Export) -> None:
    for path in _files(ex.source, "deal"):
        rows = ex.load(path)
        entered = _entered_columns(ex.batch.columns[path.name])
        for row in rows:
            deal = _deal(ex, row, entered)
            if deal is not None:
                ex.deals[deal.record_id] = deal
    ex.batch.deals = list(ex.deals.values())


def _entered_columns(header: list[str]) -> list[tuple[str, str]]:
    """The ``Date entered "<stage> (<pipeline>)"`` columns: (column, stage) pairs."""
    entered = []
    for col in header:
        key = col.casefold()
        m = _ENTERED.match(key)
        if m:
            entered.append((key, m.group("stage")))
        elif key.startswith("hs_date_entered_"):
            entered.append((key, key.removeprefix("hs_date_entered_")))
    return entered


def _deal(ex: _Export, row: Row, entered: list[tuple[str, str]]) -> SourceDeal | None:
    """One row of a deals export; None (and the row skipped) if unusable."""
    rid, stage = row.get(*_ID), one_line(row.get("Deal Stage", "dealstage"))
    if not rid or not stage:
        ex.skip(row.origin, "a deal needs Record ID and Deal Stage")
        return None
    created = ex.date(row, "Create Date", "createdate")
    close = ex.date(row, "Close Date", "closedate")
    if created is False or close is False:
        return None
    try:
        amount = parse_amount(row.get("Amount", "amount"))
    except BadValue as exc:
        ex.skip(row.origin, f"Amount: {exc}")
        return None
    return SourceDeal(
        SYSTEM, rid, one_line(row.get("Deal Name", "dealname")), row.origin,
        ex.company_of(row), stage, created, close, amount,  # type: ignore[arg-type]
        owner=row.get("Deal owner", "hubspot_owner_id"),
        is_closed=parse_bool(row.get("Is Deal Closed?", "Is closed", "hs_is_closed")),
        is_won=parse_bool(row.get("Is Closed Won", "hs_is_closed_won")),
        description=clean(row.get("Deal Description", "description")),
        history=_stage_history(ex, row, entered),
    )


def _stage_history(ex: _Export, row: Row, entered: list[tuple[str, str]]) -> list[StageChange]:
    """The deal's stage changes from its "Date entered" columns, oldest first."""
    history = []
    for col, label in entered:
        raw = row.values.get(col, "").strip()
        if not raw:
            continue
        try:
            when: Any = parse_date(raw, ex.date_format)
        except BadValue as exc:
            ex.batch.warnings.append(f"{row.origin}: stage date ignored ({exc})")
            continue
        if when is not None:
            history.append(StageChange(one_line(label), when))
    return sorted(history, key=lambda c: c.date)


def _read_activities(ex: _Export) -> None:
    for path in _files(ex.source, "note", "call", "meeting", "email", "activit", "engagement"):
        file_word, file_kind = next(
            ((w, k) for w, k in (("note", "research"), ("call", "call"), ("meeting", "meeting"),
                                 ("email", "email")) if w in path.stem.casefold()), ("", ""))
        for row in ex.load(path):
            note = _activity_note(ex, row, path, file_word, file_kind)
            if note is not None:
                ex.batch.notes.append(note)


def _activity_note(ex: _Export, row: Row, path: Path, file_word: str,
                   file_kind: str) -> SourceNote | None:
    """One row of a notes / calls / meetings / e-mails export; None (and skipped) if unusable."""
    when = ex.date(row, "Activity date", "hs_timestamp", "Create Date", "createdate")
    if when is False:
        return None
    if when is None:
        ex.skip(row.origin, "no Activity date: a note needs a date")
        return None
    raw_type = row.get("Activity type", "hs_activity_type", "Engagement type",
                       "hs_engagement_type", "type").casefold().replace(" ", "_")
    kind = _KIND.get(raw_type) or file_kind or "research"
    body = row.get("Note body", "hs_note_body", "Call notes", "hs_call_body",
                   "Meeting description", "hs_meeting_body", "Email body",
                   "hs_email_text", "Body preview", "hs_body_preview", "Body")
    text = html_to_text(body) if re.search(r"<[a-zA-Z/][^>]*>", body) else clean(body)
    title = row.get("Call title", "hs_call_title", "Meeting name", "hs_meeting_title",
                    "Email subject", "hs_email_subject", "Subject")
    text = text or clean(title)
    if not text:
        ex.skip(row.origin, "no text (Note body / Call notes / Meeting description is empty)")
        return None
    text, dropped = bound_body(text)
    if dropped:
        ex.batch.warnings.append(f"{row.origin}: text cut, {dropped:,} characters not imported")
    return SourceNote(
        SYSTEM, raw_type or file_word or "activity", row.get(*_ID), row.origin, when, kind,  # type: ignore[arg-type]
        text, account_ref=_activity_company(ex, row),
        author=row.get("Activity assigned to", "Created by", "hubspot_owner_id",
                       "Note owner", "Call owner", "Meeting owner"),
        contacts=[one_line(c) for c in split_ids(row.get("Associated Contact",
                                                          "Associated Contacts"))][:10],
        title=one_line(title), source_file=path.name,
    )


def _activity_company(ex: _Export, row: Row) -> str:
    """The activity's company, else the company of its first associated deal that has one."""
    company = ex.company_of(row)
    if not company:
        for deal_id in split_ids(row.get("Associated Deal IDs", "Associated Deal IDs "
                                         "(Primary)")):
            if deal_id in ex.deals and ex.deals[deal_id].account_ref:
                company = ex.deals[deal_id].account_ref
                break
    return company
