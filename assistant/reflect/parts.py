"""The objective judged against every part of the plan's ask, one part at a time.

The rep's ask for a call often has several parts: "Ingrid names who signs and agrees a pilot
start date at one branch after March 16"; "Wen approves the Entra ID set-up, a pilot start
date is agreed, and the FieldHive export is ordered". The PLAYBOOK's verdict is **met** when
the customer agreed to all of it, **partial** to part of it, **missed** when they declined or
put off every part. A "Fine." agrees to what was just asked, not to the whole ask, so each part
is read on its own words:

- :func:`ask_parts` splits the ask at its commas and at an "and" that opens a new clause;
- :func:`judge_part` reads the call's sentences about the part (they share one of its key
  words, or answer our question that does): a yes with a date (for a part about a date, a
  start or a meeting) or an owner agrees to it; a refusal or a postponement ("the export isn't
  ordered", "I'm not signing today", "Ask me in March") declines it; a yes on an open
  condition ("Get me both by December 21 and I'll put it on our change board") is
  conditional; a part that asks to learn or name someone ("we learn who reviews the
  contract") is agreed when the customer's answer to our who-question names a person;
- :func:`parts_verdict` turns the parts into the status, or None when a part is not spoken
  of (the whole-call reading decides then).

Pure functions over turns (``{"id", "speaker", "text"}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from assistant.reflect.dialogue import Want, replies, settled, stem, wants
from assistant.reflect.extract import DATE, content_words, is_header, is_ours, sentences
from assistant.reflect.spoken import says_figure, says_money

# vague: a warm yes with no date, no owner and no step of their own ("Yes, definitely. Send
# me a few dates."): no commitment
PartStatus = Literal["agreed", "conditional", "declined", "vague", "unknown"]
_I = re.IGNORECASE

# words any ask has: they say nothing about which part a sentence speaks of
_GENERIC = frozenset(
    "agree agrees agreed date dates name names named one confirm confirms confirmed "
    "approve approves approved know learn learns who whom what when call today end "
    "goes put puts set sets takes take get gets writing place calendar week month "
    "day next first".split())
_VERB_S = r"(?:[a-z]+(?:s|es))"
# a new clause after "and": "and agrees ...", "and Ravi confirms ...", "and a meeting ..."
_SPLIT = re.compile(rf"[,;]\s*(?:and\s+)?|\s+and\s+(?={_VERB_S}\b|[A-Z][a-z]+ {_VERB_S}\b|"
                    r"(?:a|an|the|we|they)\s)")
# a part says what someone does: a verb ("agrees", "is ordered", "booked", "we confirm");
# a bare object after a comma ("the branch order") belongs to the part before it
_VERB = re.compile(rf"\b(?:{_VERB_S}|is|are|be|[a-z]+ed)\b|^(?:we|they|i)\s+\w+|^[a-z]+ the\b")
# a bare object after "and" ("... a number on the report and the kegs"): "kegs" ends in s
# like a verb, but a determiner and a noun or two are no clause
_BARE = re.compile(r"(?:the|a|an|his|her|their|its|our|your)\s+[a-z-]+(?:\s+[a-z-]+)?", _I)
_MONEY_PART = re.compile(r"\b(?:dollars?|money|cost|price|budget|spend)\b|\$", _I)
_FIGURE_PART = re.compile(r"\b(?:figure|number|amount|how much|cost|price|budget|dollars?|sum)\b",
                          _I)
_AMOUNT = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:%|k\b|percent|hours?|days?|dollars)", _I)
_PERSON_PART = re.compile(r"\bwho\b|\bnames?\b|\b(?:signer|reviewer|approver|sponsor|owner|"
                          r"champion|decision[- ]maker|reader)s?\b", _I)
_WHO_PART = re.compile(r"\bwho\b", _I)  # "we learn who reviews", "who besides Janet decides"
_WHO_Q = re.compile(r"\bwho\b[^?]*\?", _I)
_DATED_PART = re.compile(r"\b(?:date|start|starts|starting|meeting|calendar|kick-?off|when|by)\b",
                         _I)
_NO = re.compile(
    r"\b(?:no|not|never|won'?t|can'?t|cannot|don'?t know|isn'?t|aren'?t|wasn'?t|haven'?t|"
    r"hasn'?t|nothing|when (?:i|we) can|when (?:i|we) get (?:to it|a chance))\b|n't\b|"
    r"\b(?:ask|call|talk to) (?:me|us|\w+) (?:again )?(?:in|after|when|once)\b|"
    r"\bon hold\b|\bfrozen\b|\bfreeze\b", _I)
_IF = re.compile(r"\b(?:if|unless|once|as long as|provided|when i'?ve|then i)\b|"
                 # "Get me both by December 21 and I'll put it on our change board"
                 r"^\W*(?:get|send|give|show|bring) (?:me|us)\b[^.]*\bby\b[^.]*"
                 r"\band (?:i|we)'?ll\b",
                 _I)
_YES = re.compile(
    r"\b(?:yes|fine|agreed|works|deal|sure|ok(?:ay)?|good)\b|\b(?:i|we)'?ll\b|"
    r"\b(?:i|we) (?:can|will)\b|\b(?:she|he|they) can do\b|\bruns? it\b|\bare in\b|"
    r"\b(?:is|are) (?:in|done|checked|mapped|ordered|approved|signed)\b", _I)
# a firm step undone later only by words that undo it
_UNDO = re.compile(r"\b(?:cancel\w*|call(?:ing)? (?:it )?off|not going ahead|won'?t (?:go|do|"
                   r"sign|start|book)|pull(?:ing)? out)\b", _I)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]+\b|^[A-Z][a-z]+(?=\s(?:does|do|will|signs?|"
                   r"reads?|reviews?|approves?|decides?|,|\.))")
_FULL_NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z'-]+\b")
_NOT_NAMES = frozenset("I The We Our And But So Then It That This Yes No Fine Good Same "
                       "Thanks Please Nobody".split())


@dataclass(frozen=True)
class Part:
    """One part of the ask, how the call answered it and the sentence that shows it."""

    text: str
    status: PartStatus
    quote: str = ""
    turn: str = ""
    speaker: str | None = None


def ask_parts(ask: str) -> list[str]:
    """The ask split into its parts; the subject of the first carries to a part without one
    ("Ingrid names who signs and agrees a pilot start date" -> "Ingrid agrees ...")."""
    text = re.sub(r"^\W*(?:by the end of the call,?\s*)", "", " ".join(ask.split()), flags=_I)
    if re.search(r"(?:,|\s)\s*or\s+(?:[a-z]+s|a|an|the)\b", text):
        return []  # one of two asks ("signs ..., or agrees a trial"): no parts to add up
    parts: list[str] = []
    for p in (p.strip(" .;") for p in _SPLIT.split(text)):
        if not p:
            continue
        if parts and (not _VERB.search(p) or _BARE.fullmatch(p)):
            parts[-1] += f", {p}"
        else:
            parts.append(p)
    subject = re.match(r"^([A-Z][a-z]+)\s+" + _VERB_S + r"\b", parts[0]) if parts else None
    out = []
    for p in parts:
        if subject and re.match(_VERB_S + r"\b", p):
            p = f"{subject.group(1)} {p}"
        out.append(p)
    return [p for p in out if len(_keys(p)) or _WHO_PART.search(p)]


def _keys(part: str) -> set[str]:
    """The part's own words: its nouns and verbs less the words every ask has, the months
    and the subject's name."""
    words = content_words(part)
    head = re.match(r"^([A-Z][a-z]+)\s+" + _VERB_S, part)
    drop = {head.group(1).casefold()} if head else set()
    return {stem(w) for w in words if w not in _GENERIC and w not in drop
            and not DATE.fullmatch(w) and not w.isdigit()
            and (len(w) > 2 or re.search(rf"\b{re.escape(w.upper())}\b", part))}  # "VP", "IT"


def _shares(keys: set[str], text: str) -> bool:
    return bool(keys & {stem(w) for w in content_words(text)})


def _reading(s: str, dated: bool, figure: bool = False, money: bool = False) -> PartStatus:
    if figure and (_AMOUNT.search(s) or says_figure(s) and (
            not money or says_money(s))):
        return "agreed"  # the figure asked for, said
    if figure:  # no figure: "Three people, every Monday" neither gives nor refuses the sum
        return "declined" if _NO.search(s) else "conditional" if _IF.search(s) else "unknown"
    if _IF.search(s) and not _NO.search(s.split(",")[0]):
        return "conditional"
    if _NO.search(s):
        return "declined"
    if _YES.search(s) or DATE.search(s):
        return "agreed" if DATE.search(s) or not dated else "conditional"
    return "unknown"


# a step the customer takes themself: "I'll send", "we can host", "Kira runs it"
_OWN_STEP = re.compile(r"\b(?:i|we)(?:'ll| will| can| shall|'m going to| are going to)\s+(?!try\b|"
                       r"see\b|think\b|look\b)\w+", _I)


_WARM = re.compile(r"\b(?:absolutely|definitely|of course|love (?:it|that|this)|"
                   r"sounds (?:good|great)|great idea|happy to|count on it)\b", _I)


def vague(sentence: str, turn: str, speaker: str | None) -> bool:
    """A yes that commits to nothing: its turn gives no date, no figure, no one named to do it
    and no step the customer takes themself (PLAYBOOK: met needs a date or an owner; warm
    words alone are no commitment)."""
    if _IF.search(sentence) or not (_YES.search(sentence) or _WARM.search(sentence)):
        return False
    day = DATE.search(turn)  # "next week" alone is no day
    dated = day is not None and not re.match(r"next (?:week|month|quarter|year)\b",
                                             day.group(0), _I)
    return not (dated or says_figure(turn) or _OWN_STEP.search(turn) or _named(turn, speaker))


def _named(answer: str, speaker: str | None) -> bool:
    own = set((speaker or "").split())
    return any(m.group(0) not in _NOT_NAMES and m.group(0) not in own
               for m in _NAME.finditer(answer))


def _who_part(part: str, keys: set[str], turns: list[dict[str, Any]],
              ours: set[str]) -> Part:
    """A part that asks to learn who does something: our who-question on the part's words,
    and the customer's next turn naming a person (or withholding one)."""
    for k, t in enumerate(turns):
        if not is_ours(t.get("speaker"), ours):
            continue
        asked = [q for q in sentences(str(t["text"])) if _WHO_Q.search(q)]
        if not any(_shares(keys, q) for q in asked):
            continue
        nxt = next((u for u in turns[k + 1:] if not is_ours(u.get("speaker"), ours)), None)
        if nxt is None:
            continue
        said = sentences(str(nxt["text"]))
        first = said[0] if said else ""
        if _named(first, nxt.get("speaker")):
            return Part(part, "agreed", first, nxt["id"], nxt.get("speaker"))
        if _NO.search(first):
            return Part(part, "declined", first, nxt["id"], nxt.get("speaker"))
    for t in turns:  # named unasked: "Martin Oyelowo, our CFO, who signs anything over $40,000"
        if is_ours(t.get("speaker"), ours) or not t.get("speaker"):
            continue
        for s in sentences(str(t["text"])):
            if _shares(keys, s) and not re.search(r"\b(?:not|never|nobody|no one)\b|n't\b",
                                                  s, _I) and any(
                    n.casefold() not in ours and n != t.get("speaker")
                    for n in _FULL_NAME.findall(s)):
                return Part(part, "agreed", s, t["id"], t.get("speaker"))
    return Part(part, "unknown")


_FROM_REPLY: dict[str, PartStatus] = {"firm": "agreed", "hedged": "conditional",
                                      "declined": "declined"}


def _asked_part(part: str, keys: set[str], want: Want, turns: list[dict[str, Any]],
                sellers: list[str]) -> Part | None:
    """The part as our question on it was answered, however many turns later
    (:mod:`assistant.reflect.dialogue`): a person named (or the speaker themself), a figure
    said, firmly, with a hedge, or turned away; None when we asked nothing on it or the
    call never answered."""
    said = replies(turns, sellers=sellers)
    m = re.match(r"^([A-Z][a-z]+)\s", part)  # the part's subject: "Lucas puts a number ..."
    subject = m.group(1) if m else None
    for k, r in enumerate(said):
        put_to = subject is not None and r.question.to is not None and \
            r.question.to.split()[0] == subject
        bare = want == "person" and not keys  # "we learn who approves": any who-question
        if r.strength is None or not (_shares(keys, r.question.text) or put_to or bare
                                      or want == "date" and keys & r.question.topic):
            continue
        if want == "date" and r.question.wants in ("yesno", "date"):
            # a part that wants a date: agreed only with one ("Thursday the 17th, ten")
            if r.strength == "firm" and not DATE.search(r.text):
                continue
            text = part + " " + r.question.text
            ours_day = [d.group(0).casefold() for d in DATE.finditer(text)
                        if re.search(r"\d", d.group(0)) and not re.search(
                            r"\b(?:after|before|by|until|from)\s*$", text[:d.start()], _I)]
            if r.strength == "firm" and ours_day and not any(
                    re.search(rf"\b{re.escape(d)}\b", r.text, _I) for d in ours_day):
                # "starting January 11?" - "February 1 then.": their day, not ours
                return Part(part, "conditional", r.text, r.turn, r.speaker)
        elif r.question.wants != want and not (want == "money" and r.question.wants == "figure"):
            continue
        if want == "money" and r.strength == "firm" and not says_money(r.text):
            continue  # "Two people, every Friday": a figure, not the sum asked for
        r = settled(r, said[k + 1:])
        assert r.strength is not None
        status = _FROM_REPLY[r.strength]
        turn = next((str(t["text"]) for t in turns if t["id"] == r.turn), r.text)
        if status == "agreed" and want == "yesno" and vague(r.text, turn, r.speaker):
            status = "vague"  # "Yes, definitely. Send me a few dates.": nothing agreed
        return Part(part, status, r.text, r.turn, r.speaker)
    return None


def _wanted(part: str) -> Want | None:
    """The kind of answer a part asks for: a person ("who signs"), a sum or a figure ("puts a
    number on"), a date, or a yes from the person it names; None for none of these."""
    if _WHO_PART.search(part):
        return "person"
    if _FIGURE_PART.search(part):
        return "money" if _MONEY_PART.search(part) else "figure"
    if _DATED_PART.search(part):
        return "date"
    return "yesno" if re.match(r"^[A-Z][a-z]+\s", part) else None


def judge_part(part: str, turns: list[dict[str, Any]], *, sellers: Iterable[str]) -> Part:
    """How the call answered one part of the ask (see the module's docstring)."""
    sellers = list(sellers)
    ours = {s.casefold() for s in sellers}
    keys = _keys(part)
    want = _wanted(part)
    if want is not None and (got := _asked_part(part, keys, want, turns, sellers)):
        if want == "person" and got.status == "agreed" and re.search(r"\bwhen\b", part, _I):
            # "names who signs and when Obitrail ends": the name alone is half of it
            when = _asked_part(part, keys, "date", turns, sellers)
            if when is None or when.status != "agreed":
                return Part(part, "conditional", got.quote, got.turn, got.speaker)
        return got
    if _WHO_PART.search(part):
        return _who_part(part, keys, turns, ours)
    subject = re.match(r"^([A-Z][a-z]+)\s", part)
    ours_part = bool(subject) and is_ours(subject.group(1) if subject else None, ours)
    dated = bool(_DATED_PART.search(part))
    figure = bool(_FIGURE_PART.search(part))
    whether = bool(re.search(r"\bwhether\b", part, _I))  # either answer gives what it asks
    money = bool(_MONEY_PART.search(part))
    days = [m.group(0).casefold() for m in DATE.finditer(part)]
    found: list[Part] = []

    def fits(q: str) -> bool:
        """Our question could ask for this part: "When does the contract end?" asks for a
        date, not for "Desmond confirms our load"; "Who reviews it?" asks for a person."""
        kind = wants(q)
        if kind == "date":
            return dated or bool(re.search(r"\b(?:month|week|day|date|when)\b", part, _I))
        return kind != "person" or bool(_PERSON_PART.search(part))

    asked = False  # our last question spoke of the part: the customer's next turn answers it
    for t in turns:
        if not t.get("speaker"):
            continue  # the recording's header, an unlabelled line
        mine = is_ours(t.get("speaker"), ours)
        said = [x for x in sentences(" ".join(str(t["text"]).split())) if not is_header(x)]
        if mine and not ours_part:  # our question on the part, or proposing its day
            # a part that asks for a date: our turn on the part that ends proposing a day
            # ("... sit down with our VP. Would January 12 work?") asks it
            on_part = dated and any(_shares(keys, x) for x in said)
            asked = any(q.endswith("?") and fits(q) and (_shares(keys, q) or any(
                d in q.casefold() for d in days) or on_part and DATE.search(q))
                for q in said)
            continue
        topic = any(_shares(keys, x) for x in said)  # the turn speaks of the part
        near = figure and topic  # the figure beside the part
        if asked and said and _reading(said[0], dated) == "declined":
            # "I can't give you one. April 30 is the plan": the answer opens with a no
            found.append(Part(part, "declined", said[0], t["id"], t.get("speaker")))
            asked = False
            continue
        for s in said:
            if s.endswith("?") or not (_shares(keys, s) or asked or near and _AMOUNT.search(s)
                                       or topic and s is said[0] and DATE.match(s)):
                continue
            status = _reading(s, dated, figure, money)
            if status == "unknown" and whether and _shares(keys, s):
                status = "agreed"  # "Sam says whether it matches" - "So, it matches.": said
            if status == "agreed" and asked and vague(s, " ".join(said), t.get("speaker")):
                status = "vague"
            if status != "unknown":
                found.append(Part(part, status, s, t["id"], t.get("speaker")))
        asked = False
    return _settle(part, found)


def _settle(part: str, found: list[Part]) -> Part:
    """A firm yes (with a date or a figure) stands unless later words undo it ("cancel",
    "not going ahead"); otherwise the last reading decides ("it's fine technically" then
    "No new enterprise apps in Entra before then" declines)."""
    firm = [k for k, p in enumerate(found) if p.status == "agreed" and (
        DATE.search(p.quote) or _AMOUNT.search(p.quote))]
    if firm and not any(_UNDO.search(p.quote) for p in found[firm[-1] + 1:]):
        # the moment it was agreed: the first firm yes nothing undid since
        first = next(k for k in firm if not any(_UNDO.search(p.quote) for p in found[k + 1:]))
        return found[first]
    return found[-1] if found else Part(part, "unknown")


def judge_parts(ask: str | None, turns: list[dict[str, Any]], *,
                sellers: Iterable[str]) -> list[Part]:
    """Each part of an ask of two parts or more, judged; [] for a one-part ask."""
    sellers = list(sellers)
    if 2 * sum(1 for t in turns if t.get("speaker")) < len(turns):
        return []  # the rep's own notes, not a transcript: no turn answers a question
    parts = ask_parts(ask or "")
    return [judge_part(p, turns, sellers=sellers) for p in parts] if len(parts) >= 2 else []


def parts_verdict(ask: str | None, turns: list[dict[str, Any]], *,
                  sellers: Iterable[str]) -> tuple[str, list[Part]] | None:
    """``(status, parts)`` when the ask has two parts or more and the call speaks of every
    one: all agreed -> met, all declined -> missed, otherwise partial; None otherwise."""
    judged = judge_parts(ask, turns, sellers=sellers)
    status = status_of(judged)
    return (status, judged) if status is not None else None


def status_of(judged: list[Part]) -> Literal["met", "missed", "partial"] | None:
    """The verdict of judged parts: all agreed -> met, all declined -> missed, otherwise
    partial; None when there are none or one is not spoken of."""
    if not judged or any(p.status == "unknown" for p in judged):
        return None
    if all(p.status == "agreed" for p in judged):
        return "met"
    if all(p.status in ("declined", "vague") for p in judged):
        return "missed"  # turned down, or warm words with nothing agreed
    return "partial"


__all__ = ["Part", "ask_parts", "judge_part", "judge_parts", "parts_verdict", "status_of"]
