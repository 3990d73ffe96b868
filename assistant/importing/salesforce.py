"""Salesforce exports: one CSV per object, as Data Loader (or Data Export) writes them.

Put the files in one folder, each named after its object: ``Account.csv``,
``Opportunity.csv``, ``OpportunityHistory.csv`` (or ``OpportunityFieldHistory.csv``),
``Task.csv``, ``Event.csv``, ``Note.csv``, ``ContentNote.csv`` with
``ContentDocumentLink.csv``, ``Contact.csv`` and ``User.csv``. Only ``Account.csv`` is
required. Columns are the field API names (``StageName``, ``CloseDate``, ``IsWon``...);
the labels of a report export (``Stage``, ``Close Date``...) are accepted too.

Reads the folder given; returns a :class:`Batch`.
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path

from assistant.importing.records import (
    Batch,
    Skipped,
    SourceAccount,
    SourceDeal,
    SourceNote,
    StageChange,
)
from assistant.importing.tables import BadValue, Row, parse_amount, parse_bool, parse_date, rows_of
from assistant.importing.text import bound_body, clean, html_to_text, one_line

SYSTEM = "salesforce"
_KINDS = {"call": "call", "email": "email", "listemail": "email", "meeting": "meeting"}
_OPEN_TASK = {"not started", "in progress", "deferred", "waiting on someone else", "open"}


def domain_of(website: str) -> str:
    host = re.sub(r"^[a-z]+://", "", website.strip().casefold()).split("/")[0].split(":")[0]
    return host.removeprefix("www.")


class _Export:
    """The folder being read, the batch being filled, and the lookups the readers share."""

    def __init__(self, source: Path, date_format: str | None) -> None:
        self.source = source
        self.date_format = date_format
        self.batch = Batch(system=SYSTEM)
        self.contacts: dict[str, tuple[str, str]] = {}  # id -> (label, account id)
        self.deals: dict[str, SourceDeal] = {}

    def skip(self, origin: str, reason: str) -> None:
        self.batch.skipped.append(Skipped(origin, reason))

    def date(self, row: Row, *cols: str, required: bool = False) -> object:
        """The date in the first non-empty column; False (and the row skipped) if unusable."""
        try:
            value = parse_date(row.get(*cols), self.date_format)
        except BadValue as exc:
            self.skip(row.origin, f"{cols[0]}: {exc}")
            return False
        if value is None and required:
            self.skip(row.origin, f"{cols[0]} is empty: the row needs a date")
            return False
        return value

    def load(self, *names: str) -> list[Row]:
        found = rows_of(self.source, names, self.batch.skipped)
        if found is None:
            return []
        name, header, rows = found
        self.batch.columns[name] = header
        return rows


def read_salesforce(source: Path, date_format: str | None = None) -> Batch:
    ex = _Export(source, date_format)
    if not source.is_dir():
        raise FileNotFoundError(f"{source}: not a folder; put the Salesforce CSV exports in one "
                                "folder, one file per object (Account.csv, Opportunity.csv, ...)")
    _read_users(ex)
    _read_contacts(ex)
    _read_accounts(ex)
    _read_opportunities(ex)
    _read_stage_history(ex)
    _read_tasks_and_events(ex)
    _read_notes(ex)
    return ex.batch


def _read_users(ex: _Export) -> None:
    """User.csv: owner ids to names (and e-mails), a lookup only."""
    for row in ex.load("user", "users"):
        uid = row.get("Id", "User ID")
        if uid:
            ex.batch.users[uid] = row.get("Name", "Full Name") or row.get("Email")
            if row.get("Email"):
                ex.batch.users[uid + "#email"] = row.get("Email")


def _read_contacts(ex: _Export) -> None:
    """Contact.csv: contact ids to "Name (Title)" and account id, a lookup only."""
    for row in ex.load("contact", "contacts"):
        name = row.get("Name", "Full Name") or " ".join(
            x for x in (row.get("FirstName", "First Name"), row.get("LastName", "Last Name")) if x)
        title = row.get("Title")
        label = one_line(f"{name} ({title})" if title else name)
        ex.contacts[row.get("Id", "Contact ID")] = (label, row.get("AccountId", "Account ID"))


def _read_accounts(ex: _Export) -> None:
    accounts = ex.load("account", "accounts")
    if not accounts and not any(p.stem.casefold() == "account" for p in ex.source.glob("*.csv")):
        ex.skip(str(ex.source), "no Account.csv: export the Account object (Id, Name, "
                                "Website, Industry, NumberOfEmployees, OwnerId)")
    for row in accounts:
        rid, name = row.get("Id", "Account ID"), row.get("Name", "Account Name")
        if not rid or not name:
            ex.skip(row.origin, "an account needs Id and Name")
            continue
        domains = [d for d in (domain_of(row.get("Website")),) if d]
        ex.batch.accounts.append(SourceAccount(
            SYSTEM, rid, one_line(name), row.origin, domains,
            {k: v for k, v in row.values.items() if v.strip()},
            row.get("OwnerId", "Account Owner", "Owner"),
        ))


def _read_opportunities(ex: _Export) -> None:
    deals = ex.deals
    for row in ex.load("opportunity", "opportunities"):
        rid = row.get("Id", "Opportunity ID")
        created, close = ex.date(row, "CreatedDate", "Created Date"), ex.date(row, "CloseDate",
                                                                               "Close Date")
        if created is False or close is False:
            continue
        try:
            amount = parse_amount(row.get("Amount"))
        except BadValue as exc:
            ex.skip(row.origin, f"Amount: {exc}")
            continue
        stage = one_line(row.get("StageName", "Stage"))
        if not rid or not stage:
            ex.skip(row.origin, "an opportunity needs Id and StageName")
            continue
        deals[rid] = SourceDeal(
            SYSTEM, rid, one_line(row.get("Name", "Opportunity Name")), row.origin,
            row.get("AccountId", "Account ID"), stage, created, close, amount,  # type: ignore[arg-type]
            owner=row.get("OwnerId", "Opportunity Owner", "Owner"),
            is_closed=parse_bool(row.get("IsClosed", "Closed")),
            is_won=parse_bool(row.get("IsWon", "Won")),
            description=clean(row.get("Description")),
        )
    ex.batch.deals = list(deals.values())


def _read_stage_history(ex: _Export) -> None:
    """OpportunityHistory.csv and OpportunityFieldHistory.csv: each deal's stage changes."""
    deals = ex.deals
    for row in ex.load("opportunityhistory", "opportunitystagehistory"):
        deal = deals.get(row.get("OpportunityId", "Opportunity ID"))
        when = ex.date(row, "CreatedDate", "Created Date", "Last Modified", required=True)
        if deal is None or when is False or not row.get("StageName", "Stage"):
            if deal is None:
                ex.skip(row.origin, "stage change of an opportunity not in Opportunity.csv")
            continue
        deal.history.append(StageChange(one_line(row.get("StageName", "Stage")), when))  # type: ignore[arg-type]
    for row in ex.load("opportunityfieldhistory"):
        if row.get("Field").casefold() != "stagename":
            continue
        deal = deals.get(row.get("OpportunityId"))
        when = ex.date(row, "CreatedDate", required=True)
        if deal is not None and when is not False and row.get("NewValue"):
            deal.history.append(StageChange(one_line(row.get("NewValue")), when))  # type: ignore[arg-type]
    for deal in ex.batch.deals:
        deal.history.sort(key=lambda c: c.date)


def _account_of(ex: _Export, row: Row) -> str:
    """The account of an activity: its AccountId, else its opportunity's, else its contact's."""
    acct = row.get("AccountId", "Account ID")
    what = row.get("WhatId", "ParentId", "LinkedEntityId")
    if not acct and what in ex.deals:
        acct = ex.deals[what].account_ref
    elif not acct and what:
        acct = what
    who = row.get("WhoId")
    if not acct and who in ex.contacts:
        acct = ex.contacts[who][1]
    return acct


def _add_note(ex: _Export, row: Row, obj: str, kind: str, when: object, subject: str, body: str,
              author: str) -> None:
    if when is False:
        return
    if when is None:
        ex.skip(row.origin, "no date (ActivityDate / CreatedDate): a note needs one")
        return
    text = body or subject
    if not text.strip():
        ex.skip(row.origin, f"{obj} has no Subject and no text")
        return
    text, dropped = bound_body(text)
    if dropped:
        ex.batch.warnings.append(f"{row.origin}: text cut, {dropped:,} characters not imported")
    who = row.get("WhoId")
    ex.batch.notes.append(SourceNote(
        SYSTEM, obj, row.get("Id"), row.origin, when, kind, text,  # type: ignore[arg-type]
        account_ref=_account_of(ex, row), author=author,
        contacts=[ex.contacts[who][0]] if who in ex.contacts else [],
        title=one_line(subject), source_file=row.origin.rsplit(":", 1)[0],
    ))


def _read_tasks_and_events(ex: _Export) -> None:
    """Task.csv (completed tasks only) and Event.csv: calls, e-mails and meetings."""
    for row in ex.load("task", "tasks"):
        status = row.get("Status").casefold()
        if status in _OPEN_TASK:
            ex.skip(row.origin, f"open task ({row.get('Status')}): a to-do, not a record "
                                "of what happened")
            continue
        sub = (row.get("TaskSubtype") or row.get("Type", "Task Type")).casefold().replace(" ", "")
        _add_note(ex, row, "Task", _KINDS.get(sub, "research"),
                  ex.date(row, "ActivityDate", "Due Date", "CreatedDate", "Date"),
                  row.get("Subject"), clean(row.get("Description", "Comments")),
                  row.get("OwnerId", "Assigned", "Assigned To"))
    for row in ex.load("event", "events"):
        _add_note(ex, row, "Event", "meeting",
                  ex.date(row, "StartDateTime", "ActivityDateTime", "ActivityDate", "Start",
                          "Date"),
                  row.get("Subject"), clean(row.get("Description")),
                  row.get("OwnerId", "Assigned", "Assigned To"))


def _read_notes(ex: _Export) -> None:
    """Note.csv, and ContentNote.csv anchored through ContentDocumentLink.csv."""
    for row in ex.load("note", "notes"):
        _add_note(ex, row, "Note", "research", ex.date(row, "CreatedDate", "Created Date"),
                  row.get("Title"), clean(row.get("Body")),
                  row.get("OwnerId", "Owner", "CreatedById"))
    links: dict[str, list[str]] = {}
    for row in ex.load("contentdocumentlink"):
        links.setdefault(row.get("ContentDocumentId"), []).append(row.get("LinkedEntityId"))
    for row in ex.load("contentnote", "contentnotes"):
        entities = links.get(row.get("Id"), []) + links.get(row.get("ContentDocumentId"), [])
        anchor = next((e for e in entities if e in ex.deals or not e.startswith("005")), "")
        if anchor:
            row.values["linkedentityid"] = anchor
        _add_note(ex, row, "ContentNote", "research", ex.date(row, "CreatedDate", "Created Date"),
                  row.get("Title"), _content_note_text(row.get("Content", "TextPreview")),
                  row.get("OwnerId", "CreatedById"))


def _content_note_text(value: str) -> str:
    """ContentNote.Content is HTML, base64-encoded in API exports; TextPreview is text."""
    text = value.strip()
    if len(text) >= 16 and len(text) % 4 == 0 and re.fullmatch(r"[A-Za-z0-9+/]+=*", text):
        try:
            text = base64.b64decode(text, validate=False).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            pass
    return html_to_text(text) if "<" in text and ">" in text else clean(text)
