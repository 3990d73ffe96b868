"""What the readers hand to the planner: source records, not yet mapped to the KB.

Every record carries where it came from (``system``, ``object``, ``record_id``, ``origin``
= file and line or file and message) so the plan can say what it skipped and why, and so a
re-import finds the note it wrote last time. Pure data; touches nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Skipped:
    """A row, message or file that was not imported, and why."""

    origin: str  # "Task.csv:14", "inbox.mbox#3", "calls/acme/x.vtt"
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass
class SourceAccount:
    system: str
    record_id: str
    name: str
    origin: str
    domains: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)  # CRM column -> raw value
    owner: str = ""  # raw CRM user (id, name or e-mail)


@dataclass
class StageChange:
    stage: str
    date: dt.date


@dataclass
class SourceDeal:
    """An opportunity (Salesforce) or a deal (HubSpot)."""

    system: str
    record_id: str
    name: str
    origin: str
    account_ref: str  # the CRM account id
    stage: str
    created: dt.date | None
    close_date: dt.date | None
    amount: float | None
    owner: str = ""
    is_closed: bool | None = None  # None: not in the export, decide from the stage name
    is_won: bool | None = None
    description: str = ""
    history: list[StageChange] = field(default_factory=list)


@dataclass
class SourceNote:
    """A task, event, note, engagement, e-mail thread or transcript, as one KB note."""

    system: str  # salesforce, hubspot, email, transcript
    object: str  # Task, Event, Note, ContentNote, notes, thread, call
    record_id: str
    origin: str
    date: dt.date
    kind: str  # call | email | meeting | research
    body: str
    account_ref: str = ""  # CRM account id, or "" when matched otherwise
    account_slug: str = ""  # already resolved by the reader (folder, domain)
    account_domains: list[str] = field(default_factory=list)  # e-mail correspondents' domains
    author: str = ""  # raw CRM user / sender
    contacts: list[str] = field(default_factory=list)
    title: str = ""
    source_file: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Batch:
    """Everything one reader found in one source."""

    system: str
    accounts: list[SourceAccount] = field(default_factory=list)
    deals: list[SourceDeal] = field(default_factory=list)
    notes: list[SourceNote] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # CRM user id -> display name / e-mail
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: dict[str, list[str]] = field(default_factory=dict)  # file -> header
