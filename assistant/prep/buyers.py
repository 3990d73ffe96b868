"""What each buyer attendee wants, worries about or conditions on, quoted from the notes.

Every sentence belongs to at most one person: the one it is *about* (its holder), found in
this order: a possessive with a want-word ("Colt's worry is drivers", "Gavin's question to
Carl"); a report about someone ("Mara: \"Curtis will ask about Canada first\"" is Curtis's,
"Nate thinks the GM, Gail Thornquist, …" is Gail's); the person the sentence opens with or
who decides, wants or signs in it ("Talk to Mike, he decides"); the person a "he", "she" or
"her words" refers to (``Sentence.about``); whoever said or wrote it; the note's only contact.

A buyer's lines are their sentences ranked by what a manager needs the night before: a want,
a worry or a condition, with its numbers, above small talk, logistics and our own to-dos;
their own words break ties, then the newer note. News they passed on about someone else
("we're pleased to welcome …") and our note's account of what follows if they do not act ("If
he doesn't sign before that, the PO slips") are nobody's line; a line that only repeats a
date another of theirs gives with its reason yields to that one. Two buyers never share a
line, and a buyer gets an empty list (shown as unknown) only when no sentence is about them.
Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from assistant.prep.sentences import (
    FIRST_PERSON,
    LOGISTICS,
    SIGNER_VERBS,
    STANCE,
    THIRD_PERSON,
    TITLE_AFTER,
    VOCATIVE,
    Sentence,
    balanced,
    content_words,
    first_named,
    held_against_gain,
    name_at,
    name_forms,
    name_hits,
    short,
    stand_alone,
    unaddressed,
    with_antecedents,
    with_past_story,
)
from assistant.prep.supersede import Newer

_ATTITUDE = (r"(?i:(?:real|biggest|big|main|only|first|one)\s+)?(?i:worr(?:y|ies)|fears?|"
             r"concerns?|questions?|priorit(?:y|ies)|requirements?|asks|redlines?|conditions?|"
             r"goal|pain|lens|objections?|issue|problem|nightmare|test|words|terms|demands?)\b")
_SPEECH = re.compile(r"^(?:\s*\([^)]*\))?(?:\s*:|,?\s+(?:says|said|told(?:\s+\w+)?|thinks|"
                     r"warned(?:\s+me)?|reports|mentioned|added|wrote|writes|explained|"
                     r"admits|admitted)\b[\s:,]*)(?:that\s+)?", re.IGNORECASE)
_PRONOUN_SPEAKER = re.compile(r"^(?:he|she)\s+(?:says|said|told\s+\w+|thinks|warned(?:\s+me)?|"
                              r"added|wrote)\b[\s:,]*", re.IGNORECASE)
_PER = re.compile(r"^(?:per|according to)\s+", re.IGNORECASE)
# before the person a clause opens with: a quote mark, "Devon, " or "Nadia -- ", "the GM, "
_LEAD = re.compile(r"^[\s\"“'‘(]*(?:[A-Z][a-z]+\s*(?:,|--|—|–)\s+)?(?:the\s+\w+(?:\s+\w+)?,\s+)?")
_AGENT = (rf"{TITLE_AFTER}(?:,?\s+(?:he|she)\b)?\s+(?:\w+\s+){{0,2}}?(?:{SIGNER_VERBS}|"
          r"owns|wants|needs|cares|worries|hates|insists|asked|expects|prefers)\b")

WANT = re.compile(r"\b(?:wants?|wanted|needs?|'d like|would like|hopes?|priorit(?:y|ies)|goals?|"
                  r"target|cares?|prefers?|insists?|expects?|requires?|requirements?|asks?|"
                  r"asked|demands?|must|looking for)\b", re.IGNORECASE)
# a worry, a doubt, a question, or the pain behind them
WORRY = re.compile(r"\b(?:worr\w*|fears?|afraid|concern\w*|skeptic\w*|sceptic\w*|hates?|"
                   r"nightmare|burn(?:ed|t)|frustrat\w*|pain|by hand|manual\w*|re-?key\w*|"
                   r"retyp\w*|overtime|doubt\w*|sore|angry|why|los(?:e|ing)|cost(?:s|ing)? us|"
                   r"slipp\w*|delay\w*|mislabel\w*|mistakes?|errors?|wrong|missing|"
                   r"flagged|uncapped)\b|\?", re.IGNORECASE)
CONDITION = re.compile(r"\b(?:unless|only if|if not|until|won'?t|can'?t|cannot|will not|don'?t|"
                       r"doesn'?t|not (?:paying|touching|signing|accepting|taking|adding)|"
                       r"limit|cap(?:ped)?|redlines?|strike|decides?|signs?|approves?|"
                       r"budget|before|otherwise)\b|\bover \$|"
                       # an ultimatum: "… must include partial re-planning, or she will kill it"
                       r",? or (?:else\b|(?:she|he|they|I|we)(?:['’]ll| will| would)\b)",
                       re.IGNORECASE)
# a person the deal depends on stepping back from their part for a while, or someone sitting
# in for them (the buyers' change cue here and the champion-change risk in objections)
STEPS_BACK = (r"\bsteps? (?:away|back) from (?:the|this|her|his|my|our) (?:project|role|job|"
              r"business|company|day-to-day)\b|\bsit(?:s|ting)? in for (?:me|her|him)\b")
# the person's own change: the news a manager needs first ("my last day is December 11")
CHANGE = re.compile(r"\blast day\b|\baccepted a (?:job|role|position|offer)\b|\bnew (?:job|role)\b|"
                    r"\bleaving\b|\bretir(?:es|ing|ement)\b|\bstep(?:s|ping)? down\b|"
                    r"\bparental leave\b|\bmoving on\b|\bstepping (?:away|back)\b|"
                    r"\bon leave\b|" + STEPS_BACK, re.IGNORECASE)
# a condition or a reservation in their own terms: "If we do this, Columbus goes first", "If
# your invitations get me five bids, I'm in", "But I didn't come to you for transient"
TERMS = re.compile(r"^[\"“]?(?:\w+:\s*[\"“]?)?(?:if|but)\b[^.]{0,80}?(?:,|\bnot\b|n['’]t\b)|"
                   r"\bif (?:it|you|your|we|they)\b|"
                   # what they will do once a condition holds: "Ken will sign if the order form
                   # and MSA are through legal …"
                   r"\b(?:will|would|'ll)\s+(?:only\s+)?(?:sign|approve|agree|buy|commit|"
                   r"proceed|go ahead)\b[^.]{0,60}?\b(?:if|once|as long as|provided)\b",
                   re.IGNORECASE)
# what they will not do, or a figure above what they thought ("he's not having anyone on
# the tills in May", "more than we figured")
REFUSAL = re.compile(STANCE, re.IGNORECASE)
CUES = ((WANT, 2.0), (WORRY, 1.5), (CONDITION, 1.5), (CHANGE, 2.0), (TERMS, 1.5),
        (REFUSAL, 0.5))
# who signs above what ("Celeste signs anything over $50,000", "Rolf, CEO and owner, signs."):
# the person's part in the decision, which the plan shows elsewhere, not what they want
AUTHORITY = re.compile(rf"\b{SIGNER_VERBS}(?:\s+(?:anything|everything|all|contracts?|"
                       r"purchases?)\s+(?:over|above)\s+[$€£][\d,.]+\w*)?\s*(?:[.;]|$)|"
                       r"^(?:who signs|signer|approver)\s*:|"
                       r"\bis the (?:economic buyer|signer|approver|decision[- ]maker)\b|"
                       r"\b(?:anything|everything|all) (?:over|above) [$€£][\d,.]+\w* goes to\b|"
                       r"\b(?:budget|signing|spending) authority\b",
                       re.IGNORECASE)
# news about someone else the buyer passed on ("Richard Hale will be leaving Northgate …",
# "We're pleased to welcome Angela Moreau as our new CFO"): an announcement, not their want
_ANNOUNCED_AFTER = (r"\s+(?:\w+\s+){0,3}?(?:leaving|joining|joins|retir\w+|stepping down|"
                    r"steps down|promoted|appointed|named as)\b")
_ANNOUNCED_BEFORE = r"\b(?:welcome|introduce|appointed|hired|promoted)\s+(?:\w+\s+)?"
# our note telling what follows if a buyer does not act ("If he doesn't sign before that, the
# PO slips to December"): our risk, not the buyer's condition; "If she doesn't see ROI, she
# walks" (what she does) stays a condition
NARRATION = re.compile(r"^(?:Risk:\s*)?If (?:he|she|they|[A-Z][\w'’-]+) (?:doesn['’]?t|does not|"
                       r"don['’]?t|do not|won['’]?t|isn['’]?t|can['’]?t|fails?|misses)\b[^,]*,\s*"
                       r"(?:then\s+)?(?:the|our|we|it|this|that|there)\b")
# why they want it: "… by December 15 so the budget falls into this fiscal year"
REASON = re.compile(r"\b(?:so (?:that|the|it|we|they|she|he|our|their)|because|since (?:the|it|"
                    r"we|they)|in order to|due to)\b", re.IGNORECASE)
FIGURE = re.compile(r"\d[\d,.]*\d|\d")
_MONTHS = frozenset("january february march april may june july august september october november "
                    "december jan feb mar apr jun jul aug sep sept oct nov dec".split())
NUMBER = re.compile(r"\d")
# logistics: who attends which meeting when
SCHEDULE = re.compile(r"\bwill attend\b|\bwill be there\b|\bagreed to meet\b|\bbooked\b|"
                      r"\bcan you come\b|"
                      r"\bcan do (?:mon|tue|wed|thu|fri)|\bcome to the [\w-]+ meeting\b|"
                      r"\b(?:meeting|call|demo|session)\s+(?:on|for)\s+(?:mon|tue|wed|thu|fri|"
                      r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|the \d|\d)|"
                      # a question that asks for a day ("Could you show my managers on the 13th?")
                      r"\b(?:on|for) (?:the )?\d{1,2}(?:st|nd|rd|th)\?",
                      re.IGNORECASE)
# small talk: greetings, apologies, who joins, an attachment
CHATTER = re.compile(r"\bjoins?\b|\bjoined\b|\bavailable\b|\bsorry\b|\bthanks\b|"
                     r"\battached\b", re.IGNORECASE)
# our own plan, goal and to-do lines: never what a buyer wants ("Goal: Frank tells us …")
OUR_HEADING = re.compile(r"^(?:Goal|Owed?|Owed by us|To do|Next steps?|Ask(?: for)?|Our ask|"
                         r"Objective|Aim|Plan|Agenda|Prep)\b[^:]{0,40}:")
# what our side wants from the call, in our own note ("We want Ingrid to sign the pilot",
# "Our goal: …"): our ask, never what a buyer cares about
OUR_GOAL = re.compile(r"^(?:we|I)(?: still| really)? (?:want|need|'d like|would like|hope|aim|"
                      r"plan|intend|are (?:asking|aiming|hoping|going)|will ask|ask)\b|"
                      r"^(?:our|my) (?:goal|ask|aim|plan|objective|target)\b", re.IGNORECASE)


def ours(s: Sentence) -> bool:
    """A line of our own plan in our own note: a heading of ours, or our team's goal."""
    return bool(OUR_HEADING.match(s.text)) or (not s.customer and bool(OUR_GOAL.match(s.text)))
_HEADING = re.compile(r"^[^:\"“]{1,40}:\s*")
# our own to-dos and actions, in our own note
OURS = re.compile(r"^(?:I|We|Our|Sent|Owe[sd]?|Owed by us|To do|Next step|If (?:he|she|we) )\b")
# a chat line's author and time stamp, before what it says
_CHAT_STAMP = re.compile(r"^[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3} "
                         r"\[\d{1,2}:\d{2}(?: ?[AP]M)?\]\s*")
NEWEST = 1.0  # more for a line from the newest note about the buyer: where they stand now
SHORT = 6  # words: "Strike the $250." says too little on its own
LONG_LIST = 400  # characters of a line that lists their demands ("we need: a, b, c and d")


@dataclass(frozen=True)
class BuyerLine:
    text: str  # as shown: their own words as 'said: “…”'
    cites: tuple[str, ...]
    own_words: bool
    plain: str = ""  # the words alone, without the 'said: “…”' wrapper


def _opener(text: str, people: list[str]) -> str | None:
    """The person a clause opens with (after a quote mark, a "Devon, " or a "the GM, ")."""
    rest = text[_LEAD.match(text).end():]  # type: ignore[union-attr]  # the pattern can be empty
    hit = first_named(rest, people)
    return hit[1] if hit and hit[0] == 0 else None


def _possessor(text: str, people: list[str]) -> str | None:
    """"Colt's worry …", "Gavin's question to Carl …": the person whose want-word it is."""
    hits = (name_hits(text, people, after=rf"['’]s?\s+{_ATTITUDE}")
            + name_hits(text, people, before=rf"{_ATTITUDE}\s+(?:from|of|by)\s+",
                        after=r"(?![\w])"))
    return min(hits)[1] if hits else None


def _reported(text: str, people: list[str]) -> tuple[str | None, str] | None:
    """(who reports, the rest) when the sentence reports someone's words: "Mara: …",
    "Kira says …", "Per Wade, …", "She warned me: …", "…, but Frank says …"."""
    if (m := _PRONOUN_SPEAKER.match(text)):
        return None, text[m.end():]
    per = _PER.match(text)
    body = text[per.end():] if per else text
    hits = sorted((at, p) for p in people if (at := name_at(body, p, people)) is not None)
    for at, who in hits:
        form = next(f for f in name_forms(who, people) if body.startswith(f, at))
        after = body[at + len(form):]
        if at == 0 and per and after.lstrip().startswith(","):
            return who, after.lstrip()[1:]
        m = _SPEECH.match(after)
        if m and (at == 0 or not after.lstrip().startswith(("(", ":"))):
            return who, after[m.end():]
    return None


def _speaks_first(text: str) -> bool:
    """The writer speaks of themselves before any "he" or "she" ("I can't fight her …")."""
    me = FIRST_PERSON.search(text)
    other = THIRD_PERSON.search(text)
    return bool(me) and (other is None or me.start() < other.start())  # type: ignore[union-attr]


def _agent(text: str, people: list[str]) -> str | None:
    """The first person who decides, wants or signs in the sentence ("Talk to Mike, he
    decides")."""
    hits = name_hits(text, people, after=_AGENT)
    return min(hits)[1] if hits else None


def holder(s: Sentence, people: list[str], team: list[str] | tuple[str, ...] = ()) -> str | None:
    """Whom the sentence is about (see the module docstring), or None: also when it opens
    with one of our ``team`` ("Tomás owes Jeff the last 3 answers") or is our own plan line."""
    text = _CHAT_STAMP.sub("", s.text)  # "Owen Kasprzak [11:20 AM] Carla says …": Carla's
    mine = VOCATIVE.sub("", text) if s.speaker else text  # "Renata - does your system …"
    if ours(s) or (team and not (s.quoted and s.speaker) and (_opener(mine, list(team)) or _opener(
            _HEADING.sub("", text, count=1), list(team)))):
        return None  # our line; in their own e-mail our name opens it as its addressee
    if (p := _possessor(text, people)):
        return p
    if (rep := _reported(text, people)) is not None:
        who, rest = rep
        return _opener(rest, people) or who or s.about or s.speaker
    if (p := _opener(text, people) or _agent(text, people)):
        return p
    if s.teammate and not s.customer and not THIRD_PERSON.search(text):
        return None  # our own e-mail or chat line that speaks of no one of theirs
    if s.speaker and _speaks_first(text):
        return s.speaker
    if s.about:
        return s.about
    if s.speaker:
        return s.speaker
    if len(s.contacts) == 1 and not first_named(text, people):
        return s.contacts[0]  # a call or an e-mail with them alone
    return None


def _own(name: str, s: Sentence) -> bool:
    """Their own words: an e-mail they wrote, words our note quotes them saying, or words our
    note minutes after their name ("Byron: $48,000 set aside for bid software next year")."""
    return s.speaker == name or (s.about == name and (s.quoted or s.reported)
                                 and s.speaker is None) or _minuted(name, s.text)


def _minuted(name: str, text: str) -> bool:
    """Our note gives ``name``'s words after their name and a colon, as minutes do."""
    return any(text.startswith(f"{form}:") for form in name_forms(name))


def announces(text: str, who: str, people: list[str]) -> bool:
    """``text`` announces a change of someone other than ``who`` (one of ``people``): "Richard
    Hale will be leaving …", "We're pleased to welcome Angela Moreau as our new CFO"."""
    others = [p for p in people if p != who]
    return bool(name_hits(text, others, after=_ANNOUNCED_AFTER)
                or name_hits(text, others, before=_ANNOUNCED_BEFORE))


def narrated(s: Sentence) -> bool:
    """Our own note telling what follows if a buyer does not act (see ``NARRATION``)."""
    return not s.customer and not s.quoted and bool(NARRATION.match(s.text))


def explains(text: str, shown: str) -> bool:
    """``text`` says what ``shown`` says, with its figures, and why ("She prefers to sign by
    December 15 so the budget falls into this fiscal year" for "Angela wants to sign by
    December 15"): ``shown`` is then a bare repeat, and ``text`` the line to show."""
    figures = set(FIGURE.findall(shown))
    common = {w for w in content_words(shown) & content_words(text)
              if not FIGURE.search(w) and w not in _MONTHS}
    return bool(figures and figures <= set(FIGURE.findall(text)) and common
                and REASON.search(text) and not REASON.search(shown))


def cued(text: str) -> bool:
    """It says a want, a worry or a condition."""
    return any(cue.search(text) for cue, _ in CUES)


def cue_weight(text: str) -> float:
    """The weight of the wants, worries and conditions ``text`` says (0: none, not cued)."""
    return sum(weight for cue, weight in CUES if cue.search(text))


def value(s: Sentence, own: bool, cues: float | None = None) -> float:
    """What the line tells a manager: a want, a worry, a condition, numbers, their own words;
    less for logistics, small talk, our own to-dos and a few words alone. ``cues``: its
    :func:`cue_weight`, when the caller has it."""
    text = _CHAT_STAMP.sub("", s.text)  # a chat stamp's "9:05 AM" is no meeting time
    score = cue_weight(text) if cues is None else cues
    cued_ = score > 0
    score += 1.0 if NUMBER.search(text) else 0.0
    score += 0.5 if own else 0.0
    score -= 3.0 if LOGISTICS.search(text) or SCHEDULE.search(text) or (
        CHATTER.search(text) and not cued_) else 0.0
    score -= 2.0 if OURS.match(text) and not s.customer else 0.0
    score -= 1.5 if len(text.split()) < SHORT else 0.0
    score -= 2.0 if AUTHORITY.search(text) else 0.0
    score += 1.5 if held_against_gain(text) else 0.0  # "$24,500 is more than we clear on …"
    return score


def _plain(s: Sentence, who: str | None = None) -> str:
    """The sentence's words; a quote mark left open or closed by the sentence split ("… on
    price alone.\"") is dropped, and so is the "Byron: " our minutes put before ``who``'s
    (or the speaker's) words."""
    text = s.text.strip()
    for form in [*(name_forms(s.speaker) if s.speaker else ()),
                 *(name_forms(who) if who else ())]:
        if text.startswith(f"{form}:"):  # 'Tomas: "It's $5,648 …': the words, whole
            text = text[len(form) + 1:].strip()
            text = text[:1].upper() + text[1:]  # "Daria: wedding blocks …" -> "Wedding blocks …"
            break
    return balanced(text)


def _render(s: Sentence, own: bool, who: str | None = None) -> str:
    """The line as shown: their own words as 'said: “…”'; a list of their demands whole."""
    text = _plain(s, who)
    quoted = any(q in text for q in ('"', "“", "”"))
    room = LONG_LIST if len(re.findall(r"[;,]", text)) >= 3 else 200
    return f"said: “{short(text, room)}”" if own and not quoted else short(text, room + 20)


PER_NOTE = 2  # a buyer's lines from one note before another note's line is taken


def across_notes(rows: list[Any]) -> list[Any]:
    """``rows`` (best first, the sentence third) with a row that says again what one note
    already gave ``PER_NOTE`` rows about (the same topic: price, price, price) put after the
    other notes' rows: what a person said across the notes ("overtime every Friday" in the
    first call), not three price lines of one e-mail. The order within each part is kept."""
    from assistant.prep.objections import topic_of  # objections reads buyers' holder

    if len({r[2].note_id for r in rows}) < 2:
        return rows  # one note: its own order
    taken: dict[str, int] = {}
    topics: set[str | None] = set()
    first: list[Any] = []
    later: list[Any] = []
    for r in rows:
        note, topic = r[2].note_id, topic_of(r[2].text)
        again = taken.get(note, 0) >= PER_NOTE and topic in topics
        (later if again else first).append(r)
        if not again:
            taken[note] = taken.get(note, 0) + 1
            topics.add(topic)
    return first + later


def buyer_lines(buyers: list[str], sentences: list[Sentence], *, per_buyer: int = 3,
                people: tuple[str, ...] | list[str] = (),
                team: tuple[str, ...] | list[str] = ()) -> dict[str, list[BuyerLine]]:
    """Each buyer's best lines (see the module docstring). ``people`` are everyone else the
    notes name: a sentence about one of them is not a buyer's; ``team`` is our side."""
    everyone = list(dict.fromkeys([*buyers, *people]))
    ours = [t for t in team if t not in everyone]
    ranked: dict[str, list[tuple[float, int, Sentence, bool, bool]]] = {b: [] for b in buyers}
    # newest note first; "That's what I need to see." joined to what it points at
    # … and a past vendor's story with the point it explains ("they charged us $1,800 …
    # I want to know how we get our data out"): one line, the figure kept
    told = with_past_story(with_antecedents(sentences), lambda x: cued(x.text))
    newer = Newer(sentences)
    for i, s in enumerate(stand_alone(told)):
        if newer.replaced(s):
            continue  # a newer note re-quoted the figure or closed the point
        who = holder(s, everyone, ours)
        if who in ranked and not narrated(s) and not announces(s.text, who, everyone):
            own = _own(who, s)
            cues = cue_weight(s.text)  # once per line: value and the filter below use it
            ranked[who].append((value(s, own, cues), i, s, own, cues > 0))
    used: set[str] = set()
    out: dict[str, list[BuyerLine]] = {}
    for b in buyers:
        newest = max((r[2].date for r in ranked[b]), default="")
        rows = sorted(ranked[b], key=lambda r: (  # their newest note says where they stand now
            -(r[0] + (NEWEST if r[2].date == newest and r[0] > 0 else 0.0)), r[1]))
        good = [r for r in rows if r[0] > 0 and (r[3] or r[4])] or rows[:1]
        lines: list[BuyerLine] = []
        words: list[set[str]] = []
        for row in across_notes(good):
            _, _, s, own, _ = row
            if s.text in used:
                continue
            # a bare repeat of what another of their lines says with its why: that one here
            why = next((r for r in good if r is not row and r[2].text not in used
                        and explains(r[2].text, s.text)), None)
            if why is not None:
                used.add(s.text)
                _, _, s, own, _ = why
            key = content_words(s.text)
            if any(len(key & w) >= 0.5 * max(1, min(len(key), len(w))) for w in words):
                continue
            used.add(s.text)
            words.append(key)
            s = replace(s, text=unaddressed(s.text, ours))  # "Renata $16,800 …": to us
            lines.append(BuyerLine(_render(s, own, b), (s.note_id,), own,
                                   short(_plain(s, b), 220)))
            if len(lines) == per_buyer:
                break
        out[b] = lines
    return out
