"""What each buyer attendee said or wants, quoted from the notes that mention them.

For every buyer at the meeting, the note sentences that are theirs (an e-mail they signed)
or name them are scored: their own words first, then sentences where they are the subject
with a want, a worry or a decision, then any with a number. Each buyer gets their best
sentences that no other buyer has taken, so two people never share a line; a buyer no note
quotes gets an explicit unknown. A note whose only contact is the buyer (a call or an e-mail
with them alone) speaks for them even where it does not name them. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.prep.objections import LOGISTICS, PUSHBACK
from assistant.prep.sentences import Sentence, short

WANT = re.compile(
    r"\b(?:wants?|needs?|asked|said|cares?|priority|priorities|worried|concern\w*|lens|"
    r"insists?|expects?|signs?|approves?|owns|confirmed|agreed|prefers?|hates?|thinks?|"
    r"believes?|frustrat\w*|I|my|we)\b",
    re.IGNORECASE)
NUMBER = re.compile(r"\d")


@dataclass(frozen=True)
class BuyerLine:
    text: str
    cites: tuple[str, ...]
    own_words: bool


def _mentions(name: str, s: Sentence) -> tuple[bool, bool]:
    """(mentions them, they are the subject: the sentence starts with their name)."""
    first = name.split()[0]
    full = re.search(rf"\b{re.escape(name)}\b", s.text) is not None
    short_hit = re.search(rf"\b{re.escape(first)}\b", s.text) is not None
    start = s.text.startswith(first) or s.text.startswith(name)
    return full or short_hit, start


def _own(name: str, s: Sentence, others: tuple[str, ...]) -> bool:
    """Their own words: words our note reports them saying, or an e-mail they signed, unless
    the e-mail's sentence is about another attendee ("Kelsey wants…")."""
    if s.speaker != name:
        return False
    return not s.quoted or not any(_mentions(o, s)[1] for o in others if o != name)


def _score(name: str, s: Sentence, others: tuple[str, ...] = ()) -> float:
    mentioned, subject = _mentions(name, s)
    # their own words, unless the sentence is about another attendee ("Kelsey wants…")
    own = _own(name, s, others)
    sole = s.contacts == (name,)  # a note about a call or e-mail with them alone
    if not (mentioned or own or sole):
        return 0.0
    score = 2.5 if own else 1.5 if sole and not mentioned else 0.0
    score += 2.0 if subject else 1.0 if mentioned else 0.0
    score += 1.0 if WANT.search(s.text) else 0.0
    score += 0.5 if NUMBER.search(s.text) else 0.0
    score += 1.0 if PUSHBACK.search(s.text) else 0.0
    score -= 2.0 if LOGISTICS.search(s.text) else 0.0  # "Can we do Monday at 10:00?"
    return score


def buyer_lines(buyers: list[str], sentences: list[Sentence], *, per_buyer: int = 2,
                people: tuple[str, ...] | list[str] = ()) -> dict[str, list[BuyerLine]]:
    """Each buyer's lines; a sentence goes to the buyer it fits best, never to two.
    ``people`` are everyone else the notes name: a buyer's e-mail sentence about one of
    them ("Kelsey wants to see…") is not the buyer's own want."""
    everyone = tuple(dict.fromkeys([*buyers, *people]))
    scored = {b: sorted(((_score(b, s, everyone), i, s) for i, s in enumerate(sentences)
                         if _score(b, s, everyone) >= 2.0), key=lambda x: (-x[0], x[1]))
              for b in buyers}
    owner: dict[int, str] = {}
    for b, rows in scored.items():  # a shared sentence goes to the higher score
        for score, i, _ in rows:
            if i not in owner or score > _score(owner[i], sentences[i], everyone):
                owner[i] = b
    out: dict[str, list[BuyerLine]] = {}
    for b, rows in scored.items():
        lines: list[BuyerLine] = []
        texts: set[str] = set()
        for _, i, s in rows:
            if owner.get(i) != b or s.text in texts:
                continue
            own = _own(b, s, everyone)
            text = f"said: “{short(s.text, 200)}”" if own else short(s.text, 220)
            lines.append(BuyerLine(text, (s.note_id,), own))
            texts.add(s.text)
            if len(lines) == per_buyer:
                break
        out[b] = lines
    return out
