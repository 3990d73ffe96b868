"""Split notes and stories into retrieval chunks on paragraph boundaries.

Chunk ids are stable: ``<doc id>#<n>``, numbered in paragraph order, so an unchanged file
always yields the same ids and an edited one replaces its own chunks only. Each chunk keeps
the metadata retrieval filters on (account, kind, date, author, outcome, ICP attributes).

Pure functions; touches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from knowledge.models import Icp, KnowledgeBase, Note, Story

MAX_WORDS = 170  # all-MiniLM-L6-v2 reads 256 word pieces; ~170 words stay inside that
MIN_WORDS = 25  # short paragraphs are merged with their neighbour

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_id: str
    doc_type: str  # "note" | "story"
    ordinal: int
    text: str  # the paragraph(s) as written
    embed_text: str  # text with a short context header, for the embedding
    metadata: dict[str, Any] = field(default_factory=dict)


def split_paragraphs(
    body: str, max_words: int = MAX_WORDS, min_words: int = MIN_WORDS
) -> list[str]:
    """Paragraphs, with short ones merged forward and long ones cut at sentence ends."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    pieces: list[str] = []
    for para in paragraphs:
        words = para.split()
        if len(words) <= max_words:
            pieces.append(para)
            continue
        current: list[str] = []
        count = 0
        for sentence in _SENTENCE_END.split(para):
            n = len(sentence.split())
            if current and count + n > max_words:
                pieces.append(" ".join(current))
                current, count = [], 0
            if n > max_words:  # one enormous sentence: hard cut by words
                sw = sentence.split()
                for i in range(0, len(sw), max_words):
                    pieces.append(" ".join(sw[i : i + max_words]))
                continue
            current.append(sentence)
            count += n
        if current:
            pieces.append(" ".join(current))
    merged: list[str] = []
    for piece in pieces:
        if merged and (
            len(merged[-1].split()) < min_words
            and len(merged[-1].split()) + len(piece.split()) <= max_words
        ):
            merged[-1] = merged[-1] + "\n\n" + piece
        else:
            merged.append(piece)
    return merged


def _date_int(value: Any) -> int:
    return int(value.strftime("%Y%m%d")) if value is not None else 0


def note_chunks(note: Note, account_name: str) -> list[Chunk]:
    header = f"{account_name} | {note.kind} | {note.date.isoformat()} | {note.author}"
    if note.title:
        header += f" | {note.title}"
    if note.contacts:
        header += " | with " + ", ".join(note.contacts)
    meta = {
        "doc_type": "note",
        "doc_id": note.id,
        "account": note.account,
        "kind": note.kind,
        "date": _date_int(note.date),
        "author": note.author,
    }
    return [
        Chunk(
            id=f"{note.id}#{i}", doc_id=note.id, doc_type="note", ordinal=i, text=text,
            embed_text=f"{header}\n{text}", metadata={**meta, "ordinal": i},
        )
        for i, text in enumerate(split_paragraphs(note.body))
    ]


def story_chunks(story: Story, icp: Icp) -> list[Chunk]:
    profile = ", ".join(f"{k}: {v}" for k, v in story.account_profile.items())
    header = f"{story.outcome} story | {story.title or story.id} | {profile}"
    if story.competitor:
        header += f" | competitor {story.competitor}"
    meta: dict[str, Any] = {
        "doc_type": "story",
        "doc_id": story.id,
        "account": story.account or "",
        "kind": "story",
        "outcome": story.outcome,
        "date": _date_int(story.date),
        "author": "",
    }
    for attr in icp.attributes:
        label = attr.bucket_label(story.account_profile.get(attr.name))
        if label is not None:
            meta[f"icp_{attr.name}"] = label
    return [
        Chunk(
            id=f"{story.id}#{i}", doc_id=story.id, doc_type="story", ordinal=i, text=text,
            embed_text=f"{header}\n{text}", metadata={**meta, "ordinal": i},
        )
        for i, text in enumerate(split_paragraphs(story.body))
    ]


def kb_documents(kb: KnowledgeBase) -> dict[str, tuple[str, list[Chunk]]]:
    """doc id -> (source path relative to the KB, chunks) for every note and story."""
    docs: dict[str, tuple[str, list[Chunk]]] = {}
    for note in kb.notes:
        account = kb.accounts.get(note.account)
        docs[note.id] = (note.path, note_chunks(note, account.name if account else note.account))
    for story in kb.stories:
        docs[story.id] = (story.path, story_chunks(story, kb.icp))
    return docs
