"""The notes behind a plan, cut into sentences that know where they came from.

The plan's judgement sections (exit-criteria gap, objections and open items, risks, what each
buyer said) quote note sentences instead of asking a small model to paraphrase them, so every
line carries its note id and the note's own words, names and numbers. A sentence knows:

- its note (id, date, author, kind) and whether it sat in a quoted e-mail (``quoted``: the
  customer's own words, as pasted) or in our own note text;
- who wrote the quoted e-mail when the block is signed by a known person (``speaker``);
- bullets and list lines are sentences of their own; greetings, sign-offs, signatures and
  contact lines are not sentences at all.

The evidence given here is already clean: sentences the injection check removed never reach
this module. Pure functions over plain data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assistant.injection import unquotable

# a sentence ends at . ! or ?, also inside a closing quote ('… audit.'" Path: …)
_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’])|(?<=[.!?]['’][\"”]))\s+(?=[A-Z0-9\"'“(])")
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")
_SKIP = re.compile(
    r"^(hi|hello|dear|hey|thanks|thank you|regards|best|cheers|kind regards|sent from|"
    r"-{2,}|from:|to:|cc:|subject:|date:|sent:)\b", re.IGNORECASE)
_CONTACT_LINE = re.compile(r"^[\w .'-]{0,60}(\||\+?\d[\d\s().-]{6,}\d|@)", re.IGNORECASE)
WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d[\d,.]*%?")

STOP = frozenset("""a an and are as at be been but by can could did do does for from had has
have he her his i if in into is it its me my no not of on or our out she so than that the
their them then there these they this to up us was we were what when where which who will
with would you your also just about after all any before more most other over some such
only very how many much why""".split())


@dataclass(frozen=True)
class Sentence:
    """One sentence of a note, with where it came from."""

    text: str
    note_id: str
    date: str
    author: str
    kind: str
    quoted: bool = False
    speaker: str | None = None
    contacts: tuple[str, ...] = ()  # the note's contacts (front matter), names only
    reported: bool = False  # our note quotes someone's words ("… 'I can't take that to Ray'")
    under: str = ""  # the heading of the bullet list it sits in ("Open items (owner):")

    @property
    def customer(self) -> bool:
        """The customer's own words: a pasted e-mail, a line a named buyer wrote or said, or
        words our note puts in quotes."""
        return self.quoted or self.speaker is not None or self.reported


def named_in(text: str, people: Iterable[str]) -> list[str]:
    """The people ``text`` names by first name (or whole name), in ``people``'s order."""
    return [p for p in people if re.search(rf"\b{re.escape(p.split()[0])}\b", text)]


def content_words(text: str) -> set[str]:
    """Lower-cased words that carry meaning (no stop words, crude plural folding)."""
    out = set()
    for w in WORD.findall(text):
        w = w.casefold().removesuffix("'s").removesuffix("’s").strip("'")
        if w in STOP or len(w) < 3:
            continue
        out.add(w[:-1] if w.endswith("s") and len(w) > 4 and not w.endswith("ss") else w)
    return out


def _units(lines: list[str]) -> list[tuple[str, str]]:
    """Paragraph text and bullets -> (sentence, the heading its bullet list sits under)."""
    out: list[tuple[str, str]] = []
    paragraph: list[str] = []
    heading = ""

    def flush(under: str = "") -> None:
        if paragraph:
            out.extend((s.strip(), under) for s in _SPLIT.split(" ".join(paragraph))
                       if s.strip())
            paragraph.clear()

    for line in lines:
        stripped = line.strip()
        if _HEADER.match(stripped):  # a pasted e-mail's From:/To:/Subject: lines
            flush()
            continue
        if not stripped:
            flush()
        elif _BULLET.match(stripped):
            flush()
            paragraph.append(_BULLET.sub("", stripped))
            flush(heading)
        else:
            if stripped.endswith(":"):  # "Open items (owner):" heads the bullets below it
                flush()
                heading = stripped
            elif not paragraph:
                heading = ""
            paragraph.append(stripped)
    flush()
    return out


_HEADER = re.compile(r"^(?:from|to|cc|bcc|subject|date|sent|reply-to)\s*:", re.IGNORECASE)
_FROM = re.compile(r"^\s*from:\s*(?P<name>[^<\n@]+?)\s*(?:<[^>]*>)?\s*$", re.IGNORECASE)


def _blocks(body: str) -> list[tuple[bool, list[str]]]:
    """The note as runs of (quoted?, lines). A pasted e-mail that starts with its own
    ``From:`` header counts as quoted from there on, like ``>`` lines."""
    blocks: list[tuple[bool, list[str]]] = []
    pasted = False
    for line in body.splitlines():
        if _FROM.match(line):
            pasted = True
        quoted = bool(_QUOTE.match(line)) or pasted
        text = _QUOTE.sub("", line)
        if blocks and blocks[-1][0] == quoted:
            blocks[-1][1].append(text)
        else:
            blocks.append((quoted, [text]))
    return blocks


def _signer(lines: list[str], people: Iterable[str]) -> str | None:
    """The known person who signed a quoted block (a line near its end naming them, or the
    block's own ``From:`` header)."""
    for ln in lines[:3]:
        if (m := _FROM.match(ln)):
            who = m.group("name").strip()
            for person in people:
                if who.startswith(person) or person.startswith(who):
                    return person
    tail = [ln.strip() for ln in lines if ln.strip()][-4:]
    for person in people:
        first = person.split()[0]
        for ln in tail:
            if len(ln) <= 60 and (ln.startswith(person) or ln.rstrip(",. ") == first):
                return person
    return None


_SAID = (r"(?:[^.:\"“]{0,40}:\s*[\"“']|"
         r",?\s+(?:said|says|told|tells|asked|asks|wrote|writes|replied|put it)\b)")
_QUOTED_WORDS = re.compile(r"[\"“][^\"”]*\b\w+\b[^\"”]*\b\w+\b[^\"”]*\b\w+\b[^\"”]*[\"”]")


def _reports_words(text: str) -> bool:
    """Quoted words in our note, or the end of a quote that began a sentence earlier."""
    return bool(_QUOTED_WORDS.search(text)) or text.count('"') % 2 == 1 or (
        "”" in text and "“" not in text)


def _quote_state(text: str, inside: str | None | bool, said: str | None) -> str | None | bool:
    """After ``text``: still inside a quote our note opened? (its speaker ``said``, None if
    unknown, or False when the quote is closed). A quote can run over several sentences."""
    marks = text.count('"') + text.count("“") + text.count("”")
    if marks % 2 == 0:
        return inside
    if inside is not False:
        return False
    return said


def said_by(text: str, people: Iterable[str]) -> str | None:
    """Whose words our note reports ("Angela: \"Martin told me, 'I don't pay …'\"" is Martin's):
    of the known people named right before a colon-and-quote or a speech verb, the last."""
    best: tuple[int, str] | None = None
    for person in people:
        for name in {person, person.split()[0]}:
            for m in re.finditer(rf"\b{re.escape(name)}(?!['’]s\b)(?:\s*\([^)]*\))?{_SAID}", text):
                if best is None or m.start() > best[0]:
                    best = (m.start(), person)
    return best[1] if best else None


def note_sentences(note: dict[str, Any], people: Iterable[str] = ()) -> list[Sentence]:
    """The sentences of one evidence note (``full_text`` is the clean body)."""
    people = list(people)
    out: list[Sentence] = []
    for quoted, lines in _blocks(note.get("full_text") or ""):
        speaker = _signer(lines, people) if quoted else None
        inside: str | None | bool = False  # within a quote our note opened (False: not)
        for text, under in _units(lines):
            said = None if quoted else said_by(text, people)
            opened, inside = inside, _quote_state(text, inside, said)
            if _SKIP.match(text) or len(WORD.findall(text)) < 3 or text.endswith(":"):
                continue
            if _CONTACT_LINE.match(text) and len(text) < 80:
                continue
            if unquotable(text):  # another language or script: the note view shows it
                continue
            if speaker and text.startswith(speaker) and len(text) <= 70:
                continue  # "Omar Haddad, Controller, Del Mar Plumbing": a signature
            if said is None and not quoted and isinstance(opened, str):
                said = opened  # the rest of a quote an earlier sentence opened
            out.append(Sentence(text=text, note_id=note["id"], date=note.get("date") or "",
                                author=note.get("author") or "", kind=note.get("kind") or "",
                                quoted=quoted, speaker=speaker or said,
                                contacts=tuple(note.get("contacts") or ()),
                                reported=not quoted and (opened is not False
                                                         or _reports_words(text)),
                                under=under))
    return out


def pool(notes: Iterable[dict[str, Any]], people: Iterable[str] = ()) -> list[Sentence]:
    """Every sentence of the notes, newest note first (ties: the note's order)."""
    people = list(people)
    rows = [s for n in notes for s in note_sentences(n, people)]
    return sorted(rows, key=lambda s: s.date, reverse=True)


def short(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
