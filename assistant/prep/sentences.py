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
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from assistant.injection import unquotable

# a sentence ends at . ! or ?, also inside a closing quote ('… audit.'" Path: …)
# … but not after a title or suffix ("Ray Salinas Sr. (owner, 72) still signs …")
_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’])|(?<=[.!?]['’][\"”]))"
                    r"(?<!\bSr\.)(?<!\bJr\.)(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bSt\.)"
                    r"\s+(?=[A-Z0-9\"'“(@$€£])")
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

# arranging the meeting, not talking about the deal ("Can we do Monday at 10:00?")
LOGISTICS = re.compile(r"\b(?:can|could) we (?:do|meet|move|have|set up|talk)\b|\bcan you come\b|"
                       r"\b\d{1,2}:\d{2}\b|\b\d{1,2}\s?[ap]\.?m\b\.?|\bcalendar\b|\binvite\b|"
                       r"\breschedul|\bdoes .{0,20} work for you\b|"
                       # a question that only names a day ("Thursday next week?")
                       r"^(?:how about |what about )?(?:mon|tues|wednes|thurs|fri)day\b"
                       r"[\w ]{0,20}\?$", re.IGNORECASE)


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
    about: str | None = None  # whom its "he"/"she"/"her words" means: the person named last
    teammate: str | None = None  # one of our team wrote this chat line ("Saskia [10:05 AM] …")
    plan: bool = False  # a line of our own prep or plan note: what we want, never what happened

    @property
    def customer(self) -> bool:
        """The customer's own words: a pasted e-mail, a line a named buyer wrote or said, or
        words our note puts in quotes."""
        return self.quoted or self.speaker is not None or self.reported


_HONORIFIC = re.compile(r"^(?:dr|mr|mrs|ms|prof)\.?\s+", re.IGNORECASE)
_SUFFIX = re.compile(r"\s+(?:jr|sr|ii|iii)\.?$", re.IGNORECASE)


def first_name(person: str) -> str:
    """"Dr. Helen Park" -> "Helen"; "Ray Salinas Jr." -> "Ray"."""
    parts = _HONORIFIC.sub("", person).split()
    return parts[0] if parts else person


def name_forms(person: str, people: Iterable[str] = ()) -> list[str]:
    """The ways a note names ``person``: the whole name, without the honorific, "Dr. Park",
    "Ray Jr.", and the first name alone unless another of ``people`` shares it."""
    return list(_forms(person, tuple(people)))


@lru_cache(maxsize=4096)
def _forms(person: str, people: tuple[str, ...]) -> tuple[str, ...]:
    title = _HONORIFIC.match(person)
    bare = _HONORIFIC.sub("", person).strip()
    suffix = _SUFFIX.search(bare)
    core = _SUFFIX.sub("", bare).split() or [bare]
    forms = [person, bare]
    if title and len(core) > 1:
        forms.append(f"{title.group(0).strip()} {core[-1]}")
    if suffix:
        forms.append(f"{core[0]}{suffix.group(0)}")
    if not any(p != person and first_name(p) == core[0] for p in people):
        forms.append(core[0])
    return tuple(dict.fromkeys(forms))


# who signs: the verbs notes use for the person who decides, and a "(title)" after a name;
# buyers (who wants or decides), risks (who signs) and criteria (a named decider) build on them
SIGNER_VERBS = r"(?:signs|approves|decides)"
TITLE_AFTER = r"(?:\s*\([^)]*\))?"
_NO_SUFFIX = r"(?!(?:\s+[A-Z][a-z]+)?\s+(?:Jr|Sr|II|III)\b)"  # "Ray" is not "Ray (Salinas) Sr."


@lru_cache(maxsize=4096)
def _name_re(form: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w.]){re.escape(form)}(?![\w]){_NO_SUFFIX}")


def name_at(text: str, person: str, people: Iterable[str] = ()) -> int | None:
    """Where ``text`` first names ``person`` (any of :func:`name_forms`), or None. The forms
    and their patterns are built once per person and kept."""
    hits = [m.start() for form in _forms(person, tuple(people))
            if (m := _name_re(form).search(text))]
    return min(hits) if hits else None


@lru_cache(maxsize=8192)
def _around_re(form: str, before: str, after: str) -> re.Pattern[str]:
    return re.compile(rf"{before}(?<![\w.]){re.escape(form)}{after}")


def name_hits(text: str, people: Iterable[str], *, after: str = "",
              before: str = "") -> list[tuple[int, str]]:
    """(where, person) for each place ``text`` names one of ``people`` (any name form) with
    the pattern ``before`` right before the name and ``after`` right after it ("Colt's
    worry", "Mike, he decides", "Ana (CFO) signs"). Patterns are compiled once and kept."""
    people = tuple(people)
    return [(m.start(), p) for p in people for form in _forms(p, people)
            for m in _around_re(form, before, after).finditer(text)]


def named_in(text: str, people: Iterable[str]) -> list[str]:
    """The people ``text`` names (whole name or an unshared first name), in ``people``'s
    order."""
    people = tuple(people)
    return [p for p in people if name_at(text, p, people) is not None]


def first_named(text: str, people: Iterable[str]) -> tuple[int, str] | None:
    """The person ``text`` names first, with where."""
    people = tuple(people)
    hits = sorted((at, p) for p in people if (at := name_at(text, p, people)) is not None)
    return hits[0] if hits else None


def content_words(text: str) -> set[str]:
    """Lower-cased words that carry meaning (no stop words, crude plural folding)."""
    out = set()
    for w in WORD.findall(text):
        w = w.casefold().removesuffix("'s").removesuffix("’s").strip("'")
        if w in STOP or len(w) < 3:
            continue
        out.add(w[:-1] if w.endswith("s") and len(w) > 4 and not w.endswith("ss") else w)
    return out


# a chat export's line: its author and time stamp before what it says ("Saskia Lund
# [10:05 AM] I'll open on …", "Tilda Berne, 9:12 PM: does your tool …")
CHAT_STAMP = re.compile(r"^(?P<who>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3})(?:,\s*|\s+)"
                        r"\[?\d{1,2}:\d{2}(?:\s?[AaPp]\.?[Mm]\.?)?\]?:?(?:\s+|$)")


def _continues(line: str, stripped: str) -> bool:
    """A line that carries on the bullet above it: indented, or starting in lower case
    ("- Lionel: \"… If it doesn't show up in\n  RevPAR, I don't want it.\"")."""
    return bool(stripped) and not _BULLET.match(stripped) and not CHAT_STAMP.match(stripped) \
        and not MAIL_HEADER.match(stripped) and (line[:1].isspace() or stripped[:1].islower())


def _units(lines: list[str]) -> list[tuple[str, str, str | None]]:
    """Paragraph text and bullets -> (sentence, the heading its bullet list sits under, the
    author of the chat line it is in). A bullet runs on over its continuation lines; a chat
    line's stamp starts a unit and leaves the text."""
    out: list[tuple[str, str, str | None]] = []
    paragraph: list[str] = []
    heading = ""
    chat: str | None = None
    bullet = False

    def flush(under: str = "") -> None:
        if paragraph:
            out.extend((s.strip(), under, chat) for s in _SPLIT.split(" ".join(paragraph))
                       if s.strip())
            paragraph.clear()

    for line in lines:
        stripped = line.strip()
        if bullet and _continues(line, stripped):
            paragraph.append(stripped)
            continue
        if bullet:
            flush(heading)
            bullet = False
        if (stamp := CHAT_STAMP.match(stripped)):  # a new chat line: a new speaker
            flush()
            chat, heading, stripped = stamp.group("who"), "", stripped[stamp.end():]
            if not stripped:  # the stamp on a line of its own: the message follows
                continue
        if MAIL_HEADER.match(stripped):  # a pasted e-mail's From:/To:/Subject: lines
            flush()
            continue
        if not stripped:
            flush()
            chat = None
        elif _BULLET.match(stripped):
            flush()
            paragraph.append(_BULLET.sub("", stripped))
            bullet = True
        else:
            # "Open items (owner):" heads the bullets below it; a wrapped line that ends on
            # a colon inside a running sentence ("… a trial brew day: the\nPorter on Jan 14
            # … Who signs:") is no heading
            if stripped.endswith(":") and (not paragraph or paragraph[-1].endswith(
                    (".", "!", "?", ":", '"', "”", ")"))):
                flush()
                heading = stripped
            elif not paragraph:
                heading = ""
            paragraph.append(stripped)
    flush(heading if bullet else "")
    return out


# a pasted e-mail's header line ("From: Tobias Wren <t@x>", "Sent: ...", "Subject: ...")
MAIL_HEADER = re.compile(r"^(?:from|to|cc|bcc|subject|date|sent|reply-to)\s*:", re.IGNORECASE)
# a header only a pasted e-mail has, when it opens the note: "Sent: …", "Subject: …"
_PASTED_HEADER = re.compile(r"^\s*(?:sent|subject)\s*:", re.IGNORECASE)
_FROM = re.compile(r"^\s*from:\s*(?P<name>[^<\n@]+?)\s*(?:<[^>]*>)?\s*$", re.IGNORECASE)


def _blocks(body: str) -> list[tuple[bool, list[str]]]:
    """The note as runs of (quoted?, lines). A pasted e-mail that starts with its own
    ``From:`` header counts as quoted from there on, like ``>`` lines."""
    blocks: list[tuple[bool, list[str]]] = []
    pasted = False
    for line in body.splitlines():
        if _FROM.match(line) or (not blocks and _PASTED_HEADER.match(line)):
            pasted = True  # the From: line may be gone (the injection check quarantines it)
        quoted = bool(_QUOTE.match(line)) or pasted
        text = _QUOTE.sub("", line)
        if blocks and blocks[-1][0] == quoted:
            blocks[-1][1].append(text)
        else:
            blocks.append((quoted, [text]))
    return blocks


def _signature_line(line: str, person: str) -> bool:
    """A sign-off line: the name alone, or the name with a title or company ("Pam Ostrowski |
    Controller | Coppertop"), or "-- Arjun"."""
    ln = line.strip().lstrip("-–— ").strip()
    first = first_name(person)
    if ln.rstrip(",. ") in (person, first):
        return True
    return (ln.startswith(person) and len(ln) <= 60) or bool(
        re.match(rf"{re.escape(person)}\s*[|,]", ln) and len(ln) <= 140)


def _signer(lines: list[str], people: Iterable[str],
            intro: str = "") -> tuple[str | None, int]:
    """The known person who wrote a quoted block (its ``From:`` header, a sign-off near its
    end, or the line that introduces it: "Pam's reply, Oct 30:"), and where the sign-off
    starts (``len(lines)`` when none)."""
    people = list(people)
    for ln in lines[:3]:
        if (m := _FROM.match(ln)):
            who = m.group("name").strip()
            for person in people:
                if who.startswith(person) or person.startswith(who):
                    return person, _sign_off(lines, person)
    filled = [i for i, ln in enumerate(lines) if ln.strip()][-4:]
    for person in people:
        for i in filled:
            if _signature_line(lines[i], person):
                return person, i
    opener = first_named(intro, people) if intro.rstrip().endswith(":") else None
    if opener and opener[0] <= len("From "):
        return opener[1], len(lines)
    return None, len(lines)


def _sign_off(lines: list[str], person: str) -> int:
    tail = [i for i, ln in enumerate(lines) if ln.strip()][-4:]
    return next((i for i in tail if _signature_line(lines[i], person)), len(lines))


_INLINE_SIGN = re.compile(r"\s+(?:--|—|–)\s*(?P<who>[A-Z][\w.' ]{1,40}?)(?:,[^.!?]*)?[\"”]?\s*$")
VOCATIVE = re.compile(r"^[\"“]?[A-Z][a-z]+\s*(?:,|--|—|–|-)\s+")
# the writer in person ("I can't fight her …"), and the writer or their side ("we", "our"):
# one list of first-person words, so the two never drift apart
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I'd|I've|my|me)\b")
FIRST_PERSON_OR_WE = re.compile(rf"{FIRST_PERSON.pattern}|\b(?:we|our)\b")
THIRD_PERSON = re.compile(r"\b(?:he|she|his|her|him)\b", re.IGNORECASE)


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
    hits = name_hits(text, people, after=rf"(?!['’]s\b)(?:\s*\([^)]*\))?{_SAID}")
    return max(hits, key=lambda h: h[0])[1] if hits else None


def _last_line(lines: list[str]) -> str:
    return next((ln.strip() for ln in reversed(lines) if ln.strip()), "")


_GENDERED = re.compile(r"\b(?:(?P<m>he|him|his|himself)|(?P<f>she|her|hers|herself))\b",
                       re.IGNORECASE)
_SUBJECT = re.compile(r"\b(?:he|she)\b", re.IGNORECASE)
_IN_QUOTES = re.compile(r"[\"“][^\"“”]*[\"”]")


def pronoun_of(word: str) -> str | None:
    """"m" for he/him/his, "f" for she/her/hers, None otherwise."""
    m = _GENDERED.fullmatch(word.strip())
    return None if m is None else ("m" if m.group("m") else "f")


def pronouns(texts: Iterable[str], people: Iterable[str]) -> dict[str, str]:
    """Each person's pronoun as the notes use it ("m" or "f"). A "he" or "she" outside quotes
    counts twice for the one person named (outside quotes) before it in the same sentence,
    or once, when it is the sentence's first word, for the person the sentence just before
    opens with ("Lorena Vidal decides. She is skeptical."; not "… Tomasz's note. She …");
    the majority wins, a tie or no evidence leaves the person out ("her" and "him"
    may mean anyone: not counted)."""
    people = tuple(dict.fromkeys(p for p in people if p))
    votes: dict[str, list[str]] = {}
    for text in texts:
        before: list[str] = []  # the people the sentence before names
        for sentence, _, _ in _units([_QUOTE.sub("", ln) for ln in text.splitlines()]):
            bare = _IN_QUOTES.sub(" ", sentence)
            for m in _SUBJECT.finditer(bare):
                ahead = bare[:m.start()]
                here = named_in(ahead, people)
                who = here or ([] if ahead.strip(" -–—\"“”'") else before)
                if len(who) == 1:  # in the same sentence: twice the weight
                    g = "m" if m.group(0).lower() == "he" else "f"
                    votes.setdefault(who[0], []).extend([g] * (2 if here else 1))
            opener = first_named(VOCATIVE.sub("", bare.lstrip(" -*•\"“'(")), people)
            before = [opener[1]] if opener and opener[0] == 0 else []  # its subject
    out = {}
    for person, v in votes.items():
        he, she = v.count("m"), v.count("f")
        if he != she:
            out[person] = "m" if he > she else "f"
    return out


class _Referent:
    """Whom a "he", "she" or "her words" in the note means: the customer named last, unless
    the notes use the other pronoun for them (``genders``); then the one named before who
    is not known to use it either. When the last one's pronoun is unknown and someone named
    before could be meant too, nobody ("Leona … Howard … She wants …" is not Howard's by
    default). Never the writer of the e-mail the sentence sits in."""

    def __init__(self, people: list[str], contacts: tuple[str, ...],
                 team: tuple[str, ...] = (), genders: dict[str, str] | None = None) -> None:
        self.people, self.team = people, list(team)
        self.genders = genders or {}
        self.recent: list[str] = [contacts[0]] if len(contacts) == 1 else []  # newest last

    def _meant(self, pronoun: str, speaker: str | None) -> str | None:
        """The person ``pronoun`` means (see the class docstring)."""
        if not self.recent or self.recent[-1] == speaker:
            return None
        cands = [p for p in reversed(self.recent) if p != speaker]  # newest first
        g, last = pronoun_of(pronoun), cands[0]
        known = self.genders.get(last)
        if g is None or known == g or len(cands) == 1 and known is None:
            return last
        if known is None:  # two could be meant: the last, if each other one is known not to be
            return last if all(self.genders.get(p) not in (g, None) for p in cands[1:]) else None
        return next((p for p in cands[1:] if self.genders.get(p) in (g, None)), None)

    def read(self, text: str, speaker: str | None, unsigned: bool = False) -> str | None:
        """``unsigned``: words in quotes nobody is said to have said ("I need this by …").
        A sentence that names one of our team first ("Grace owns the price answer: she …")
        leaves nobody on their side to refer to."""
        others = [p for p in self.people if p != speaker]
        text = VOCATIVE.sub("", text)  # "Tobias - Gail can do Tuesday": Tobias is addressed
        first = first_named(text, others + self.team)
        pronoun = THIRD_PERSON.search(text) or (
            FIRST_PERSON_OR_WE.search(text) if unsigned else None)
        about = (self._meant(pronoun.group(0), speaker)
                 if pronoun and (first is None or first[0] > pronoun.start()) else None)
        if first and first[1] in self.team and first[0] < (pronoun.start() if pronoun else 0):
            about = None
        if first:
            if first[1] in self.team:
                self.recent = []
            else:
                self.recent = [p for p in self.recent if p != first[1]] + [first[1]]
        return None if about in self.team else about


# our own prep or plan note: its title ("Prep for December 16", "Plan for Dec 10", "Prep") or its
# first line ("Ask: Celeste says yes …", "Goal for the 10th: …") marks it as our plan
_PLAN_TITLE = re.compile(r"^(?:(?:call |our )?(?:prep|plan)(?:\s+for\b|\s*:|\s*$))", re.IGNORECASE)
_PLAN_LINE = re.compile(r"^(?:Prep|Plan|Ask|Goal|Our (?:ask|goal|plan)|Objective)\b[^:]{0,40}:")


def plan_note(note: dict[str, Any]) -> bool:
    """The note is our own plan for a call (its title or first line says so), not a record of
    what a customer said or did; a pasted e-mail is never one."""
    if (note.get("kind") or "").lower() == "email":
        return False
    body = (note.get("full_text") or "").strip()
    first = body.splitlines()[0].strip() if body else ""
    return bool(_PLAN_TITLE.match((note.get("title") or "").strip())
                or _PLAN_LINE.match(_BULLET.sub("", first)))


# a pasted web form: three or more "Label: value" lines in a row ("Name: Dale Whitacre",
# "Technicians: 5", "Message: customers say …"); the free-text field is the sender's words
_FIELD = re.compile(r"^\s*(?P<label>[A-Z][\w/&' -]{0,30}?)\s*:\s*(?P<value>\S.*?)\s*$")
_FREE_TEXT = re.compile(r"^(?:message|comments?|questions?|notes?|details|inquiry|enquiry|"
                        r"request|description|how can we help(?: you)?|what do you need|"
                        r"tell us more|anything else)\b", re.IGNORECASE)
# an unpunctuated question in a form: "what does it cost"
_ASKS = re.compile(r"^(?:what|how|why|when|where|who|which|can|could|do|does|is|are|will|"
                   r"would)\b", re.IGNORECASE)
_WHO_FIELD = re.compile(r"^(?:(?:full |your |contact )?name|from|submitted by|contact)$",
                        re.IGNORECASE)


def _record(fields: list[tuple[str, str, str]]) -> bool:
    """Fields of a machine record pasted as text (a vCard, a calendar entry: "BEGIN:VCARD",
    "FN:…", "NOTE:…"): upper-case keys or a BEGIN/END line. Its note is no one's words."""
    labels = [k.strip() for k, _, _ in fields]
    return any(k in ("BEGIN", "END") for k in labels) or all(k.isupper() for k in labels)


def unform(text: str) -> str:
    """``text`` with a pasted web form written as a reader takes it: each field on a line of
    its own, and the free-text field as the sender's own words in quotes, one sentence at a
    time ("Dale Whitacre: \"Customers say we skipped their yard. Need proof we were
    there. What does it cost.\""), so the plan can quote what the customer asked for."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and (m := _FIELD.match(lines[j])) and not MAIL_HEADER.match(
                lines[j].strip()):
            j += 1
        if j - i < 3:
            out.append(lines[i])
            i += 1
            continue
        fields = [(m.group("label"), m.group("value"), ln) for ln in lines[i:j]
                  if (m := _FIELD.match(ln))]
        if _record(fields):  # a card or a calendar entry, not a form someone filled in
            out += lines[i:j]
            i = j
            continue
        who = next((v for k, v, _ in fields if _WHO_FIELD.match(k.strip())), "")
        for label, value, line in fields:
            if _FREE_TEXT.match(label.strip()) and len(value.split()) >= 3:
                said = " ".join(p[:1].upper() + p[1:] for p in re.split(r"(?<=[.!?])\s+", value))
                said += "" if said.endswith((".", "!", "?")) else (
                    "?" if _ASKS.match(re.split(r"(?<=[.!?])\s+", said)[-1]) else ".")
                out += ["", f"{who or 'The form'}: \"{said}\"", ""]
            else:
                out += ["", line.strip(), ""]  # as written ("BEGIN:VCARD" stays one word)
        i = j
    return "\n".join(out)


def note_sentences(note: dict[str, Any], people: Iterable[str] = (),
                   team: Iterable[str] = (), genders: dict[str, str] | None = None
                   ) -> list[Sentence]:
    """The sentences of one evidence note (``full_text`` is the clean body). ``team``: our
    own people, whom a "he" or "she" after them means; ``genders``: each person's pronoun
    (:func:`pronouns`; from this note alone when not given)."""
    people = list(people)
    team = list(team)
    out: list[Sentence] = []
    contacts = tuple(note.get("contacts") or ())
    if genders is None:
        genders = pronouns([note.get("full_text") or ""], [*people, *team])
    referent = _Referent(people, contacts, tuple(t for t in team if t not in people), genders)
    intro = ""
    planned = plan_note(note)
    for quoted, lines in _blocks(unform(note.get("full_text") or "")):
        speaker, cut = _signer(lines, people, intro) if quoted else (None, len(lines))
        sender = None  # one of ours signed the pasted e-mail ("Sent to Liam: … Best, Avery")
        if quoted and speaker is None and referent.team:
            sender, cut = _signer(lines, referent.team, intro)
        intro = _last_line(lines)
        inside: str | None | bool = False  # within a quote our note opened (False: not)
        for text, under, chat in _units(lines[:cut]):
            chatter, mate = _chat_author(chat, people, team)
            if chat and not (chatter or mate):  # someone we do not know: the name stays
                text = f"{chat}: {text}"
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
            reported = not quoted and (opened is not False or _reports_words(text))
            who = speaker or said or chatter
            out.append(Sentence(text=text, note_id=note["id"], date=note.get("date") or "",
                                author=note.get("author") or "", kind=note.get("kind") or "",
                                quoted=quoted and not sender, speaker=who, contacts=contacts,
                                reported=reported, under=under, about=referent.read(
                                    text, who, unsigned=not who and (quoted or reported)),
                                teammate=(mate or sender) if who is None else None,
                                plan=planned and not quoted))
    return _signed_inline(out, people)


def _chat_author(chat: str | None, people: list[str],
                 team: list[str]) -> tuple[str | None, str | None]:
    """(the customer's person, our teammate) who wrote a chat line signed ``chat``."""
    if not chat:
        return None, None
    everyone = [*people, *team]

    def known(group: list[str]) -> str | None:
        return next((p for p in group if chat in name_forms(p, everyone)), None)

    return known(people), (None if known(people) else known(team))


def _signed_inline(rows: list[Sentence], people: list[str]) -> list[Sentence]:
    """A quote that ends "… -- Arjun\"" is Arjun's: the sign-off leaves the text and names the
    speaker of that sentence and of the quoted ones just before it (a name inside the quote,
    "Gloria asked why …", is what Arjun reports, not who wrote it)."""
    rows = list(rows)
    for i, s in enumerate(rows):
        m = _INLINE_SIGN.search(s.text)
        if not (m and (s.quoted or s.reported)):
            continue
        who = next((p for p in people if m.group("who").strip() in name_forms(p, people)),
                   None)
        if who is None:
            continue
        text = s.text[:m.start()] + ('"' if s.text.rstrip().endswith(('"', "”")) else "")
        rows[i] = replace(s, text=text.strip(), speaker=who)
        j = i - 1
        opens = s.text.startswith(('"', "“"))  # the quote began in this very sentence
        while not opens and j >= 0 and rows[j].note_id == s.note_id and (
                rows[j].quoted or rows[j].reported):
            rows[j] = replace(rows[j], speaker=who)
            opens = rows[j].text.startswith(('"', "“"))
            j -= 1
    return rows


def pool(notes: Iterable[dict[str, Any]], people: Iterable[str] = (),
         team: Iterable[str] = ()) -> list[Sentence]:
    """Every sentence of the notes, newest note first (ties: the note's order)."""
    people, team, notes = list(people), list(team), list(notes)
    genders = pronouns([n.get("full_text") or "" for n in notes], [*people, *team])
    rows = [s for n in notes for s in note_sentences(n, people, team, genders)]
    return sorted(rows, key=lambda s: s.date, reverse=True)


def short(text: str, limit: int = 220) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# our own side's intention, in the first person ("I'll open on the groups roadmap", "We will
# bring the rollout plan"): what we mean to do, never a risk or the customer's point
_OUR_INTENT = re.compile(r"^(?:I|we)(?:'ll|’ll| will| want to| am going to| are going to|"
                         r"'m going to|’m going to| plan to| intend to|'d like to|’d like to| "
                         r"would like to)\b", re.IGNORECASE)


def our_intent(s: Sentence) -> bool:
    """A line of our side saying what we mean to do (not the customer's words)."""
    return not s.customer and bool(_OUR_INTENT.match(s.text))


def balanced(text: str) -> str:
    """``text`` without a quote mark the sentence split left open or closed at either end
    ("If it doesn't show up in RevPAR, I don't want it.\"" -> no trailing mark)."""
    text = text.strip()
    if text.count('"') % 2:
        text = text.strip('"').strip()
    if text.count('"') % 2:  # a mark opened mid-line ('Tomas: "It\'s $5,648 …'): the last
        at = text.rfind('"')  # one pairs with nothing, so it goes
        text = " ".join((text[:at] + text[at + 1:]).split())
    if text.count("“") != text.count("”"):
        text = text.strip("“”").strip()
    while text.count("“") > text.count("”"):
        at = text.rfind("“")
        text = " ".join((text[:at] + text[at + 1:]).split())
    while text.count("”") > text.count("“"):
        at = text.find("”")
        text = " ".join((text[:at] + text[at + 1:]).split())
    return text


# a word that points back at what the sentence before said: "a jump like that", "more than
# twice that on the 12th", "That's where we lose it"
BACKREF = re.compile(r"^[\"“]?(?:that|this|it)(?:['’]s| is| was| would be)\b|"
                     r"\b(?:like|than|twice|double|half|of|for|about) (?:that|this)\b|"
                     r"\b(?:that|this)(?=\s*[.,;:!?]|\s+(?:on|to|in|for|at|by)\b)",
                     re.IGNORECASE)
_AMOUNT = re.compile(r"[$€£]\s?\d|\d\s?%|\b\d[\d,.]*\s?(?:k|m|seats?|a (?:year|month))\b",
                     re.IGNORECASE)


# words that carry no thing of their own: "I will not go through that again" says what it
# refuses only through "that"
_LIGHT = frozenset("through again ever never anymore twice happen happened deal doing going "
                   "want like let put take get sure really".split())


def _only_points(text: str) -> bool:
    """The sentence names nothing but a pointer ("that", "it"): what it is about is the
    sentence before ("… voided the warranty on two keypads. I will not go through that
    again.")."""
    return bool(_POINTER.search(text)) and not _OWN_NAME.search(text) \
        and len(content_words(text) - _LIGHT) == 0


def with_antecedents(sentences: list[Sentence]) -> list[Sentence]:
    """``sentences`` with each of the customer's sentences that points back at an amount
    ("I can't take a jump like that to Celeste …") joined to the sentence before it, when
    the same person said both in the same note ("Your 11 seats come to $42,900. I can't take
    a jump like that …"): the line then says what "that" is, and the sentence before is no
    longer a line of its own. A sentence with an amount of its own is left as it is."""
    out: list[Sentence | None] = list(sentences)
    for i in range(1, len(sentences)):
        s, before = sentences[i], sentences[i - 1]
        if not (s.customer and before.customer and s.note_id == before.note_id
                and s.speaker == before.speaker and not _AMOUNT.search(s.text)
                and ((BACKREF.search(s.text) and _AMOUNT.search(before.text))
                     or _only_points(s.text))):
            continue
        lead = VOCATIVE.sub("", before.text) if before.quoted else before.text
        out[i - 1] = replace(s, text=balanced(f"{lead} {s.text}"))  # one line, in its place
        out[i] = None
    return [s for s in out if s is not None]


# a sentence whose meaning is in the one before: it opens on a conjunction ("And …", "But …"),
# or on a pronoun or demonstrative ("That's what I need to see.", "It does.", "They said no.")
# and names nothing and counts nothing of its own
_CONJ_START = re.compile(r"^[\"“'‘(]?(?:and|but|or|so|because|which|though|although|plus)\b",
                         re.IGNORECASE)
_PRONOUN_START = re.compile(r"^[\"“'‘(]?(?:that|this|it|those|these|they|he|she)(?:"
                            r"['’](?:s|ll|d|re|ve))?\b", re.IGNORECASE)
_PERSON_START = re.compile(r"^[\"“'‘(]?(?:they|he|she)\b", re.IGNORECASE)
_OWN_NAME = re.compile(r"(?<!^)(?<![\"“'‘(])\b(?!I\b|I['’])[A-Z][a-zA-Z]+")


def leans_back(text: str) -> bool:
    """``text`` cannot stand alone: it opens on a conjunction, or on a pronoun or a
    demonstrative and carries no name or number that would say what it is about."""
    text = text.strip()
    if _CONJ_START.match(text):
        return True
    return bool(_PRONOUN_START.match(text)) and not re.search(r"\d", text) \
        and not _OWN_NAME.search(text)


_POINTER = re.compile(r"\b(?:it|that|this|them|those|these)\b", re.IGNORECASE)


def refers_back(text: str) -> bool:
    """A short phrase or sentence that says what it is about only through the one before:
    it ``leans_back``, or it is a few words whose object is a pronoun and it names and counts
    nothing ("We don't have it")."""
    text = text.strip(" \"“”'‘’.;:")
    if leans_back(text):
        return True
    return len(text.split()) <= 6 and bool(_POINTER.search(text)) \
        and not re.search(r"\d", text) and not _OWN_NAME.search(text)


STAND_ALONE_MAX = 320  # characters a line may grow to by taking in the sentences it leans on


def stand_alone(sentences: list[Sentence]) -> list[Sentence]:
    """``sentences`` with each one that leans on the sentence before (``leans_back``) joined
    to it, when the same person said both in the same note (same speaker, or both our
    note's own words): "Show me a real audit report for Costa. That's what I need to see."
    is one line. A leaning sentence with nothing to lean on (the first of its note, another
    speaker's line before it, or a join too long to show) is left out."""
    out: list[Sentence] = []
    for s in sentences:
        if not leans_back(s.text) or (s.about and _PERSON_START.match(s.text)):
            # "She wants her nurses on one calendar": the pool knows who "she" is
            out.append(s)
            continue
        before = out[-1] if out else None
        if before is None or before.note_id != s.note_id or before.speaker != s.speaker \
                or len(before.text) + len(s.text) >= STAND_ALONE_MAX:
            continue
        out[-1] = replace(before, text=balanced(f"{before.text} {s.text}"))
    return out


MONEY_FIGURE = re.compile(r"[$€£]\s?\d")
# what a cost is held against: what they make, clear or may spend, or a share of it
GAIN = re.compile(r"\b(?:cleared?|clear(?:s|ed)?|profits?|earn\w*|made|make|revenue|turnover|"
                  r"budget\w*|margins?|net|take home|brings? in|spend|all we have)\b",
                  re.IGNORECASE)
SHARE = re.compile(r"\b(?:a (?:tenth|quarter|third|fifth)|half|twice|double|more than|most of|"
                   r"bigger than|of (?:it|that|what)|per ?cent)\b|"
                   # "77% more" (no word edge after %), "10% of it"; a bare rate is no share
                   r"\b\d+\s?% (?:more|higher|above|over|on top|of)\b", re.IGNORECASE)


def held_against_gain(text: str) -> bool:
    """One sentence that states a cost and holds it against what they make ("$42,900 a
    year is nearly a tenth of what the Cincinnati office cleared last year")."""
    return bool(MONEY_FIGURE.search(text) and GAIN.search(text) and SHARE.search(text))


def unaddressed(text: str, team: Iterable[str]) -> str:
    """``text`` without the name of ours it opens on as its addressee ("Renata, Byron walked
    me …", "Renata $16,800 the first year is …"): the customer's words start after it."""
    team = tuple(team)
    for person in team:
        for form in _forms(person, team):
            m = re.match(rf"([\"“]?){re.escape(form)}(?:\s*(?:,|--|—|–|-)\s+|\s+(?=[$€£\d]))",
                         text)
            if m:
                rest = text[m.end():]
                return m.group(1) + rest[:1].upper() + rest[1:]
    return text


# what the customer's side will not do, or a figure above what they had in mind, said as a
# statement: pushback (objections) and a condition (a buyer's line)
STANCE = (
    # a stance said as what someone on their side is not doing or will not do ("I am not
    # putting the staff through that twice", "he's not having anyone on the tills in May",
    # "Olga won't let a new tool near the ledger"), not a plain "not sure"
    r"\b(?:I'?m|I am|we'?re|we are|(?:he|she|(?-i:[A-Z][a-z]+))(?:'s|’s| is)|"
    r"they(?:'re|’re| are)) not "
    r"(?!going\b|saying\b|suggesting\b|asking\b|talking\b|trying\b)\w+ing (?=\w)|"
    r"\b(?:I|we|he|she|they|(?-i:[A-Z][a-z]+)) (?:won'?t|will not) (?!be\b)\w+|"
    # a figure above what they had in mind ("$4,200 is more than we figured")
    r"\b(?:more|higher|steeper) than (?:I|we|he|she|they) (?:thought|expected|hoped|figured|"
    r"planned|budgeted|had in mind)\b|"
    # a condition that sends us away ("if it is the old quote again, don't bother coming")
    r"\bif\b[^.]{0,60},\s*(?:tell (?:\w+ )?)?(?:not to|don'?t|do not|no need to)\b")


# what happened to them with another vendor before, told as a story ("when we left our
# old payroll company they charged us …", "the last supplier who promised …"): the reason
# behind the point they make next to it, not a point of its own
PAST_STORY = re.compile(
    r"\bwhen (?:we|I) (?:left|switched|moved|changed|tried|bought|signed with|dropped)\b|"
    r"\b(?:our|the|my) (?:old|last|previous|former|first) (?:[\w-]+ ){0,3}?(?:vendors?|"
    r"compan(?:y|ies)|suppliers?|providers?|systems?|tools?|software|partners?|people)\b"
    r"[^.]{0,80}\b(?:charged|took|told|promised|said|made|cost|left|lost|kept|held)\b|"
    r"\blast time (?:we|I)\b|\bthey (?:charged|billed|made|left) (?:us|me)\b|"
    r"\b(?:we|I) (?:got|were|was) burned\b", re.IGNORECASE)


def with_past_story(sentences: list[Sentence], point: Any) -> list[Sentence]:
    """``sentences`` with a customer's story about a past vendor joined to the point the same
    speaker makes right next to it in the same note (``point(s)``: the point test), story
    first: "They charged us $1,800 to get our data back. I want to know how we get it out
    of you." is one objection, with the figure that makes it."""
    out: list[Sentence] = []
    skip = False
    for i, s in enumerate(sentences):
        if skip:
            skip = False
            continue
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        pair = nxt is not None and nxt.note_id == s.note_id and s.customer and nxt.customer \
            and nxt.speaker == s.speaker
        if pair and nxt is not None and PAST_STORY.search(s.text) and point(nxt) \
                and not PAST_STORY.search(nxt.text):
            out.append(replace(nxt, text=f"{s.text} {nxt.text}"))
            skip = True
        elif pair and nxt is not None and PAST_STORY.search(nxt.text) and point(s) \
                and not point(nxt):
            out.append(replace(s, text=f"{s.text} {nxt.text}"))
            skip = True
        else:
            out.append(s)
    return out
