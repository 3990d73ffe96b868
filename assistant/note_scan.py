"""Instruction-like text in a knowledge base's notes: per account, per note, over a whole KB.

- ``allowlist_for(kb, account)``: links, e-mail addresses and phone numbers the account
  already carries (``account.yaml``, its domains, its notes, their contacts, and our own
  team's addresses), so a note that repeats a page the rep already noted is not flagged;
  the account's own domain (from its name and ``domains``: ``suppliers.acmecorp.com`` for
  Acme Corp) and the signatures of the people its notes name are the customer's own too.
- ``scan_note(kb, doc_id)``: a note's (or story's) findings and its text with the flagged
  spans marked, for the note view.
- ``confirmations(kb, account)`` and ``held_claims(kb, note, text)``: provenance
  (``assistant.provenance``): a deal-changing claim in a note's customer words (a pasted
  e-mail, a quoted or forwarded message, a note whose author is not on ``team.yaml``) is
  held back unless one of our own notes of the account confirms it.
- ``audit(kb)``: every flagged sentence in the KB; on a KB of real notes it must be empty
  (``python -m assistant.note_scan KB...`` prints the count, the false positives).

Reads the loaded KB only (``knowledge.models``); writes nothing.
"""

from __future__ import annotations

import functools
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from assistant.injection import (
    Allowlist,
    Finding,
    mark,
    renamed_contacts,
    signature_keys,
    trade_names,
)
from assistant.provenance import Claim, Held, customer_spans, hold, our_claims
from assistant.safety import flagged_spans


def _team_text(kb: Any) -> str:
    return " ".join(p.model_dump_json() for p in kb.team.people)


@functools.lru_cache(maxsize=4096)
def _vouching_text(text: str, source_id: str) -> str:
    """``text`` without its instruction-like passages: a link inside one vouches for nothing.

    Pure in its arguments, so cached: the scan of an account's every note is about half of
    what a plan costs before its first model call, and a second plan of the account (a
    re-draft, prep-all) needs the same texts."""
    spans = flagged_spans(text, source_id, Allowlist.everything())
    out, pos = [], 0
    for a, b, _ in spans:
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    return " ".join(out)


def allowlist_for(kb: Any, account: str | None) -> Allowlist:
    """What the account (or, for ``None``, the team's stories) already carries.

    Only the notes' clean text counts: a phone number planted inside an instruction-like
    passage does not make the same number acceptable elsewhere (a transcript, another note).
    """
    common = [_team_text(kb)]
    per_source: dict[str, str] = {}
    acc = kb.account(account) if account else None
    if acc is not None:
        common.append(acc.model_dump_json())
        common += list(acc.domains)
        notes = kb.notes_for(account)
        for note in notes:
            per_source[note.id] = _vouching_text(note.body, note.id) + " " + " ".join(
                note.contacts)
            common += list(note.contacts)
        people = {re.sub(r"\s*\(.*?\)", "", c).strip() for n in notes for c in n.contacts}
        allow = Allowlist(common=common, per_source=per_source,
                          owners=[acc.name, acc.slug, *acc.domains],
                          trade=trade_names(acc.name, (acc.model_extra or {}).get("industry")),
                          people=[*people, *_team_names(kb)])
        for note in notes:
            allow.allow_own(note.id, signature_keys(note.body, people))
        return allow
    for story in kb.stories:
        per_source[story.id] = _vouching_text(story.body, story.id)
    return Allowlist(common=common, per_source=per_source, people=_team_names(kb))


def _team_names(kb: Any) -> list[str]:
    return [p.name for p in kb.team.people]


def _ours(kb: Any, author: str) -> bool:
    """The author is on the selling team (``team.yaml``)."""
    return author.casefold() in {n.casefold() for n in _team_names(kb)}


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for a, b in sorted(spans):
        out.append(text[pos:max(pos, a)])
        pos = max(pos, b)
    out.append(text[pos:])
    return "\n".join(out)


def confirmations(kb: Any, account: str | None) -> list[Claim]:
    """The deal-changing claims our own notes of ``account`` make, in our own words (what
    a customer's claim must match to be used): quoted, forwarded and customer-spoken lines,
    pasted e-mails, notes by people outside the team and instruction-like passages are left
    out."""
    if account is None:
        return []
    team = _team_names(kb)
    texts = []
    for note in kb.notes_for(account):
        text = _vouching_text(note.body, note.id)
        texts.append(_without(text, customer_spans(text, kind=note.kind,
                                                   ours=_ours(kb, note.author), team=team,
                                                   author=note.author)))
    return our_claims(texts)


def held_claims(kb: Any, note: Any, text: str,
                ours: list[Claim] | None = None) -> tuple[str, list[Held]]:
    """``text`` (a note's body, or what is left of it) without the deal-changing claims in
    its customer words that no note of ours confirms, and what was held back."""
    spans = customer_spans(text, kind=note.kind, ours=_ours(kb, note.author),
                           team=_team_names(kb), author=note.author)
    if not spans:
        return text, []
    return hold(text, note.id, customer=spans,
                ours=confirmations(kb, note.account) if ours is None else ours)


@dataclass
class NoteScan:
    """One note's findings and its text with them marked (``⟦…⟧ [category: reason]``)."""

    doc_id: str
    text: str
    findings: list[Finding] = field(default_factory=list)
    marked: str = ""
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    """What the plan leaves out: (start, end, reason), including a payload's paragraph."""
    notices: list[str] = field(default_factory=list)
    """What is kept but marked for the rep: a new contact detail a rebrand explains."""

    @property
    def flagged(self) -> bool:
        return bool(self.findings)


def scan_note(kb: Any, doc_id: str, ours: list[Claim] | None = None) -> NoteScan | None:
    """The findings of note or story ``doc_id``, or None when the KB has no such id.
    ``ours``: the account's :func:`confirmations`, when the caller has them already."""
    note = kb.note(doc_id)
    if note is not None:
        text, account, source = note.body, note.account, note.id
    else:
        story = kb.story(doc_id)
        if story is None:
            return None
        text, account, source = story.body, None, story.id
    allow = allowlist_for(kb, account)
    spans = flagged_spans(text, source, allow)
    notices = [f"new contact detail {key}: verify it by a number you already know"
               for key in sorted(renamed_contacts(text, allow))]
    if note is not None:  # unconfirmed claims in the customer's words, outside those spans
        spans += [(h.start, h.end, Finding(h.start, h.end, "unconfirmed", h.reason, 1.0,
                                           h.text))
                  for h in held_claims(kb, note, text, ours)[1]
                  if not any(a < h.end and h.start < b for a, b, _ in spans)]
        spans.sort(key=lambda s: s[0])
    findings = [f for _, _, f in spans]
    removed = [Finding(a, b, f.category, f.reason, f.score, text[a:b]) for a, b, f in spans]
    return NoteScan(doc_id=doc_id, text=text, findings=findings,
                    marked=mark(text, removed) if removed else text,
                    spans=[(a, b, f"{f.category}: {f.reason}") for a, b, f in spans],
                    notices=notices)


def audit(kb: Any) -> list[tuple[str, Finding]]:
    """Every flagged sentence of every note and story in ``kb``."""
    out: list[tuple[str, Finding]] = []
    ours: dict[str | None, list[Claim]] = {}  # an account's confirmations, read once
    for doc in [*kb.notes, *kb.stories]:
        account = getattr(doc, "account", None)
        if account not in ours:
            ours[account] = confirmations(kb, account)
        found = scan_note(kb, doc.id, ours[account])
        if found is not None:
            out += [(doc.id, f) for f in found.findings]
    return out


def main(argv: list[str] | None = None) -> int:
    from knowledge.loader import load_kb

    paths = (argv if argv is not None else sys.argv[1:]) or ["knowledge/demo"]
    total = 0
    for path in paths:
        kb = load_kb(path)
        found = audit(kb)
        total += len(found)
        sentences = sum(len(n.body.split(".")) for n in kb.notes) + sum(
            len(s.body.split(".")) for s in kb.stories)
        print(f"{path}: {len(kb.notes)} notes, {len(kb.stories)} stories, "
              f"~{sentences} sentences, {len(found)} flagged")
        for doc_id, f in found:
            print(f"  {doc_id}: [{f.category}] {f.reason}: {f.text.strip()[:100]!r}")
    print(f"flagged in total: {total}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
