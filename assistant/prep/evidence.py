"""Gather the evidence a plan is drafted from, pre-digested so the prompt stays short.

- ``retrieve_evidence``: the account's notes for this meeting (two hybrid searches fused by
  rank, plus the newest notes, which always matter), and similar stories.
- Each note is reduced to a short snippet (its best-matching chunk, cut to ~70 words) after
  quarantining text addressed to an AI (``assistant.safety``) and holding back the
  deal-changing claims in its customer words that no note of ours confirms
  (``assistant.provenance``; category ``unconfirmed``).
- ``superseded_pairs``: where a newer note updates an older one on the same topic (budget,
  dates, competitors, people), so the plan can say which statement wins.

Deterministic; reads through ``knowledge.retrieval``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.note_scan import allowlist_for, confirmations, held_claims
from assistant.safety import Quarantined, echoes_quarantined, payload_ngrams, quarantine
from knowledge.models import KnowledgeBase
from knowledge.retrieval import Retriever, rrf

SNIPPET_WORDS = 40  # 6 notes x 40 words keeps the model's prompt near 700 tokens
PROMPT_NOTES = 6  # notes shown to the model; all retrieved notes stay citable evidence
UPDATE_MARKERS = re.compile(
    r"\b(update[ds]?|now|instead|revised|changed?|no longer|moved|slipped|slips|replac\w*|"
    r"raised|cut|dropped|out of|new cfo|new budget|correction|actually|pushed)\b",
    re.IGNORECASE,
)
TOPICS = {
    "budget": re.compile(r"\bbudget|\$\s?\d|\d+\s?k\b|price|pricing|cost", re.IGNORECASE),
    "timeline": re.compile(
        r"\b(deadline|timeline|decision date|go-live|q[1-4]\b|january|february|march|april|"
        r"may|june|july|august|september|october|november|december|20\d\d)", re.IGNORECASE),
    "scope": re.compile(r"\b(sites?|depots?|terminals?|plants?|scope|modules?)\b", re.IGNORECASE),
    "people": re.compile(r"\b(cfo|ceo|coo|cio|vp|head of|director|replac\w*|left|joined)\b",
                         re.IGNORECASE),
}


@dataclass
class Evidence:
    id: str
    doc_type: str  # note | story
    date: str | None
    kind: str
    author: str
    text: str  # clean snippet (quarantined sentences removed)
    full_text: str  # clean full text (for fallbacks and checks)
    outcome: str = ""
    title: str = ""
    quarantined: list[str] = field(default_factory=list)
    flags: list[dict[str, str]] = field(default_factory=list)  # category + reason per removal
    rank: int = 0  # 0 = most relevant (the newest notes come first, then fused rank)
    contacts: list[str] = field(default_factory=list)  # the note's contacts, names only

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _snippet(text: str, words: int = SNIPPET_WORDS) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def _cleaned(kb: KnowledgeBase, note: Any, allow: Any,
             ours: list[Any]) -> tuple[str, list[Quarantined]]:
    """A note's text without its instruction-like passages (quarantine) and without the
    unconfirmed deal-changing claims in its customer words (provenance), and what went."""
    clean, removed = quarantine(note.body, note.id, allow)
    clean, held = held_claims(kb, note, clean, ours)
    return clean, removed + [Quarantined(note.id, h.text, "unconfirmed", h.reason)
                             for h in held]


def retrieve_evidence(
    retriever: Retriever,
    kb: KnowledgeBase,
    *,
    account: str,
    meeting_kind: str,
    goal: str | None,
    exit_criteria: list[str],
    buyer_names: list[str],
    notes_k: int,
    stories_k: int,
    profile: dict[str, Any],
    before: dt.date | None = None,
) -> tuple[list[Evidence], list[Evidence]]:
    """(notes newest first, stories) for a meeting at ``account``."""
    situational = " ".join(
        [meeting_kind, goal or "", *exit_criteria, "needs pain priorities next steps"]
    )
    commercial = " ".join(
        ["budget timeline decision process competitor pricing risk concern", *buyer_names]
    )
    rankings = []
    hits_by_id: dict[str, Any] = {}
    for query in (situational, commercial):
        hits = retriever.search(query, k=notes_k * 2, account=account, doc_type="note",
                                date_to=before)
        rankings.append([h.id for h in hits])
        for h in hits:
            hits_by_id.setdefault(h.id, h)
    fused = sorted(rrf(rankings).items(), key=lambda kv: -kv[1])
    notes = [n for n in kb.notes_for(account) if before is None or n.date <= before]
    newest = sorted(notes, key=lambda n: (n.date, n.id), reverse=True)[:2]
    chosen = [n.id for n in newest]
    for doc_id, _ in fused:
        if len(chosen) >= notes_k:
            break
        if doc_id not in chosen:
            chosen.append(doc_id)
    evidence = []
    allow, ours = allowlist_for(kb, account), confirmations(kb, account)
    for rank, doc_id in enumerate(chosen):
        note = kb.note(doc_id)
        if note is None:  # store older than the files: skip what no longer exists
            continue
        clean, removed = _cleaned(kb, note, allow, ours)
        hit = hits_by_id.get(doc_id)
        best = clean
        if hit:
            # The search snippet is cut from the raw note: it can start after the sentence
            # that gave an injection away and hold only its payload; it is taken only when
            # the clean text holds it whole.
            snippet = quarantine(hit.snippet, note.id, allow)[0]
            if (not removed or " ".join(snippet.split()) in " ".join(clean.split())) and \
                    not echoes_quarantined(snippet, payload_ngrams(removed, clean)):
                best = snippet
        evidence.append(Evidence(
            id=note.id, doc_type="note", date=note.date.isoformat(), kind=note.kind,
            author=note.author, text=_snippet(best or clean), full_text=clean,
            title=note.title or "", quarantined=[q.text for q in removed],
            flags=[{"category": q.category, "reason": q.reason} for q in removed], rank=rank,
            contacts=[c.split("(")[0].strip() for c in note.contacts],
        ))
    evidence.sort(key=lambda e: (e.date or "", e.id), reverse=True)

    stories = []
    situation = goal or f"{meeting_kind} meeting"
    won_or_lost = retriever.similar_stories(profile, situation, k=stories_k)
    loss = retriever.similar_stories(profile, situation, k=1, outcome=["lost", "no-decision"])
    for hit in won_or_lost + [h for h in loss if h.id not in {x.id for x in won_or_lost}]:
        story = kb.story(hit.id)
        if story is None:
            continue
        clean, removed = quarantine(story.body, story.id, allowlist_for(kb, None))
        stories.append(Evidence(
            id=story.id, doc_type="story", date=story.date.isoformat() if story.date else None,
            kind="story", author="", text=_snippet(clean, 45), full_text=clean,
            outcome=story.outcome, title=story.title or story.id,
            quarantined=[q.text for q in removed],
        ))
    return evidence, stories


_MONEY = re.compile(r"[$€£]\s?\d[\d,.]*\s?(?:k|m|million|thousand)?\b", re.IGNORECASE)
_WHEN = re.compile(
    r"\b(?:q[1-4](?:\s+20\d\d)?|(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december)(?:\s+\d{1,2})?(?:,?\s+20\d\d)?)\b", re.IGNORECASE)
_CHANGE_BEFORE = (r"(?:\(was|, was|previously|instead of|rather than|no longer|"
                  r"(?:moved|slipped|pushed|changed|down|up|cut|raised|reduced) from)\s*\(?\s*")
_CHANGE_AFTER = r"\s*(?:→|->|=>)\s*"


def _values(text: str) -> list[tuple[str, str]]:
    """(topic, value) for money amounts and dates/quarters in ``text``."""
    out = [("budget/price", m.group(0).strip().rstrip(".,")) for m in _MONEY.finditer(text)]
    out += [("timeline", m.group(0).strip()) for m in _WHEN.finditer(text)]
    return out


def _sentence_with(text: str, needle: str) -> str:
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
        if needle.lower() in sentence.lower():
            return sentence.lstrip("> ")
    return ""


def superseded_pairs(notes: list[Evidence]) -> list[dict[str, Any]]:
    """Where a newer note explicitly changes a value an older note gave.

    A value (an amount like ``$40k`` or a date like ``March``) from the older note must
    appear in the newer note next to a change marker: "(was $40k)", "from March",
    "$118k → $139k". Deliberately narrow: a false "this overrides that" misleads more than
    silence. Returns ``{"topic", "text", "cites": [newer, older]}``, newest first.
    """
    ordered = sorted(notes, key=lambda e: (e.date or "", e.id))
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for i, older in enumerate(ordered):
        for topic, value in _values(older.full_text):
            v = re.escape(value)
            changed = re.compile(f"{_CHANGE_BEFORE}{v}\\b|\\b{v}{_CHANGE_AFTER}", re.IGNORECASE)
            for newer in ordered[i + 1:]:
                if newer.date == older.date or not changed.search(newer.full_text):
                    continue
                said = _sentence_with(newer.full_text, value)
                out[(older.id, topic)] = {
                    "topic": topic,
                    "text": f"{newer.date} {newer.id}: {said} (replaces {older.id} of "
                            f"{older.date}, which said {value})",
                    "cites": [newer.id, older.id],
                    "date": newer.date or "",
                }
    items = sorted(out.values(), key=lambda x: x["date"], reverse=True)[:3]
    for item in items:
        item.pop("date")
    return items
