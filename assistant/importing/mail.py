"""E-mail: a folder of ``.eml`` files, an ``.mbox`` file, or a folder holding both.

Parsed with Python's ``email`` package (``policy.default``) and ``mailbox``. Messages are
grouped into threads through ``References`` / ``In-Reply-To``; each thread becomes one
note. A reply loses its quoted history and a message its signature; an HTML-only message
becomes text; attachments are listed by name, type and size, never read. A message that
cannot be used is reported with its file (and its number in an mbox); the rest imports.

The account of a thread is found later by the planner, from the correspondents' e-mail
domains (``domains`` in account.yaml, or ``domains`` in the mapping). Reads the files given.
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import mailbox
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from assistant.importing.records import Batch, Skipped, SourceNote
from assistant.importing.text import bound_body, clean, html_to_text, one_line, trim_reply

SYSTEM = "email"
MAX_MESSAGE_BYTES = 25_000_000
_ADDRESS = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_FWD_FROM = re.compile(r"^\s*\*?From:\*?\s*(.+)$", re.IGNORECASE | re.MULTILINE)


@dataclass
class _Message:
    origin: str
    message_id: str
    root: str
    parents: list[str]
    date: dt.datetime
    sender: tuple[str, str]  # (name, address)
    recipients: list[tuple[str, str]]
    subject: str
    text: str
    attachments: list[str] = field(default_factory=list)
    domains: set[str] = field(default_factory=set)


def read_email(source: Path) -> Batch:
    batch = Batch(system=SYSTEM)
    messages: list[_Message] = []
    if source.is_file():
        files = [source]
    elif source.is_dir():
        files = sorted(p for p in source.rglob("*")
                       if p.is_file() and p.suffix.casefold() in (".eml", ".mbox"))
    else:
        raise FileNotFoundError(f"{source}: no such file or folder (give a folder of .eml "
                                "files or an .mbox file)")
    if not files:
        batch.skipped.append(Skipped(str(source), "no .eml or .mbox files found"))
    base = source if source.is_dir() else source.parent
    for path in files:
        rel = path.relative_to(base).as_posix()
        if path.suffix.casefold() == ".mbox" or (source.is_file() and path.suffix != ".eml"):
            box = mailbox.mbox(path, factory=None, create=False)
            try:
                for n, key in enumerate(box.keys(), start=1):
                    origin = f"{rel}#{n}"
                    try:
                        raw = box.get_bytes(key)
                    except Exception as exc:  # noqa: BLE001 - report and go on
                        batch.skipped.append(Skipped(origin, f"unreadable message ({exc})"))
                        continue
                    _parse(raw, origin, messages, batch)
            finally:
                box.close()
        else:
            size = path.stat().st_size
            if size > MAX_MESSAGE_BYTES:
                batch.skipped.append(Skipped(rel, f"message is {size:,} bytes; the limit is "
                                                  f"{MAX_MESSAGE_BYTES:,}"))
                continue
            _parse(path.read_bytes(), rel, messages, batch)
    _threads(messages, batch)
    return batch


def _parse(raw: bytes, origin: str, out: list[_Message], batch: Batch) -> None:
    try:
        msg = email.message_from_bytes(raw, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        sender = getaddresses([str(msg.get("From", ""))])
        date_header = str(msg.get("Date", "")).strip()
    except Exception as exc:  # noqa: BLE001 - malformed headers raise many types
        batch.skipped.append(Skipped(origin, f"not an e-mail message ({exc})"))
        return
    if not sender or not sender[0][1] or "@" not in sender[0][1]:
        batch.skipped.append(Skipped(origin, "no From address: not an e-mail message?"))
        return
    try:
        when = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        batch.skipped.append(Skipped(origin, f"no usable Date header ({date_header!r})"))
        return
    text, attachments = _body(msg)
    if not text and not attachments:
        batch.skipped.append(Skipped(origin, "the message has no text"))
        return
    message_id = str(msg.get("Message-ID", "")).strip() or "<" + hashlib.sha1(
        f"{sender[0][1]}|{date_header}|{msg.get('Subject', '')}".encode()).hexdigest() + ">"
    refs = str(msg.get("References", "")).split()
    reply_to = str(msg.get("In-Reply-To", "")).split()
    recipients = getaddresses([str(v) for h in ("To", "Cc") for v in msg.get_all(h, [])])
    domains = {a.rsplit("@", 1)[1].casefold() for _, a in sender + recipients if "@" in a}
    for m in _FWD_FROM.finditer(text):  # a forward names the customer in its own From: line
        domains |= {d.casefold() for d in _ADDRESS.findall(m.group(1))}
    out.append(_Message(
        origin=origin, message_id=message_id, root=(refs[:1] or reply_to[:1] or [message_id])[0],
        parents=refs + reply_to, date=when,
        sender=(one_line(sender[0][0]), sender[0][1].casefold()),
        recipients=[(one_line(n), a.casefold()) for n, a in recipients if a],
        subject=one_line(str(msg.get("Subject", ""))), text=text, attachments=attachments,
        domains=domains,
    ))


def _body(msg: EmailMessage) -> tuple[str, list[str]]:
    part = msg.get_body(preferencelist=("plain", "html"))
    text = ""
    if part is not None:
        try:
            content = part.get_content()
        except (LookupError, ValueError):  # unknown charset
            payload = part.get_payload(decode=True) or b""
            content = (payload.decode("utf-8", errors="replace")
                       if isinstance(payload, bytes) else "")
        if part.get_content_subtype() == "html":
            content = html_to_text(str(content))
        text = trim_reply(str(content))
    attachments = []
    for att in msg.iter_attachments():
        name = one_line(att.get_filename() or "(no name)", 120)
        payload = att.get_payload(decode=True)
        size = len(payload) if isinstance(payload, bytes) else 0
        attachments.append(f"{name} ({att.get_content_type()}, {_size(size)})")
    return text, attachments


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} KB"


def _threads(messages: list[_Message], batch: Batch) -> None:
    # union the messages that point at each other (a reply without References still joins)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    seen: dict[str, _Message] = {}
    for m in messages:
        if m.message_id in seen:
            batch.warnings.append(f"{m.origin}: same Message-ID as {seen[m.message_id].origin}; "
                                  "kept once")
            continue
        seen[m.message_id] = m
        for p in m.parents:
            union(m.message_id, p)
        union(m.message_id, m.root)
    groups: dict[str, list[_Message]] = {}
    for m in seen.values():
        groups.setdefault(find(m.message_id), []).append(m)
    for group in groups.values():
        group.sort(key=lambda m: (m.date, m.message_id))
        first = group[0]
        thread_id = first.root  # the first message's root: stable when replies are added
        parts = []
        for m in group:
            who = m.sender[0] or m.sender[1]
            block = [f"From {who} on {m.date.date().isoformat()}"
                     + (f" ({m.subject})" if m is first or m.subject != first.subject else "")
                     + ":"]
            if m.text:
                block.append(m.text)
            if m.attachments:
                block.append("Attachments (listed, not imported): " + "; ".join(m.attachments))
            parts.append("\n".join(block))
        body, dropped = bound_body(clean("\n\n".join(parts)))
        if dropped:
            batch.warnings.append(f"{first.origin}: thread cut, {dropped:,} characters not "
                                  "imported")
        people: dict[str, str] = {}
        for m in group:
            for name, addr in [m.sender, *m.recipients]:
                people.setdefault(addr, name or addr)
        batch.notes.append(SourceNote(
            SYSTEM, "thread", thread_id, first.origin, group[-1].date.date(), "email", body,
            account_domains=sorted(set().union(*(m.domains for m in group))),
            author=first.sender[1], title=first.subject,
            source_file=", ".join(dict.fromkeys(m.origin.split("#")[0] for m in group)),
            extra={"people": people, "messages": len(group)},
        ))
