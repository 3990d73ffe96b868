"""Dialogue state: a question of ours stays open until a turn answers it.

A customer often answers a question several turns after it was asked: they park it ("Let's do
the money first"), answer another question, then come back to it ("To your first question,
then. It stops with me."). Reading only the next turn misses that answer; reading every turn
for shared words finds answers to questions nobody asked. So the call is read in order, as a
state: each question of ours is **open** from the turn it is asked, it wants a kind of answer
(:data:`Want`: a person, a date, a figure, a yes or no) and is put to someone (the name it is
addressed to, or any customer). A customer turn answers an open question when

- it is the first turn of the person asked after the question (the reply position), or it
  comes back to the question ("your contract question", "to your first question", or the
  question's own words), and
- it gives the kind of answer wanted: a person named or the speaker themself ("it stops with
  me", "I sign"), a date, a figure (in digits or in words, :mod:`assistant.reflect.spoken`), or
  a yes or no.

The answer has a strength (:data:`Strength`): **firm**, **hedged** ("probably", "I'd think",
"should be", "in principle", "subject to", "depends"), or **declined** (a no, or a reply in the
reply position that gives nothing of the kind wanted and turns it away: "It's a conversation.
We'll figure it out."). A question still open at the end of the call is unanswered. A follow-up
question of ours on the same answer ("Is Gary the one to send it to?") is a question of its
own; a hedged reply to it hedges the answer it checks (:func:`settled`).

Pure functions over turns (``{"id", "speaker", "text"}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

from assistant.reflect.extract import DATE, content_words, is_ours, sentences
from assistant.reflect.spoken import says_figure, says_money

Want = Literal["person", "date", "figure", "money", "yesno", "other"]
Strength = Literal["firm", "hedged", "declined"]
_I = re.IGNORECASE

_WANTS_PERSON = re.compile(r"\b(?:who|whom|whose)\b|\b(?:is|will) (?:that|it) (?:be )?you\b|"
                           r"\bwhich of you\b", _I)
_WANTS_DATE = re.compile(r"\bwhen\b|\bwhat (?:day|date|time|week|month)\b|\bwhich (?:day|date|"
                         r"week|month)\b|\bhow (?:soon|long)\b", _I)
_WANTS_FIGURE = re.compile(r"\bhow (?:much|many|often)\b|\bwhat\b[^?]*\b"
                           r"(?:cost|costs|spend|pay|run)\b|\b(?:in|your) (?:own )?"
                           r"(?:numbers?|hours|dollars|figures?)\b|"
                           r"\bwhat (?:number|figure|amount|budget)\b", _I)
_YESNO = re.compile(r"^\W*(?:\w+,\s*)?(?:is|are|was|were|can|could|would|will|do|does|did|"
                    r"should|shall|have|has|had|may|might)\b", _I)
# an indirect question: "questions from me: who signs ...", "I'd like to know when ..."
_INDIRECT = re.compile(r"(?:\b(?:questions?|things?)\b[^:]*:\s*|\b(?:know|tell (?:me|us)|learn|"
                       r"understand|ask you|wondering)\s+)"
                       r"(who|whom|when|what|how (?:much|many|long|soon))\b", _I)
_COSTED = re.compile(r"[$€£]|\b(?:dollars?|euros?|pounds|thousand|hours?|days?|percent)\b", _I)
# a customer's reply that returns to an earlier question
_BACK = re.compile(r"\b(?:your|the) (?:\w+ ){0,2}question\b|\bto your (?:first|second|other|"
                   r"earlier)\b|\bas for\b|\bback to\b|\byou asked\b", _I)
HEDGED = re.compile(r"\b(?:probably|usually|normally|typically|mostly|maybe|perhaps|possibly|"
                    r"likely|i'?d (?:think|guess|say)|i think|i guess|i suppose|should be|"
                    r"in principle|subject to|depends|"
                    r"depending|sometimes|not sure|let me think|we'?ll see|i believe|"
                    r"more or less|pending)\b", _I)
_NO = re.compile(r"^\W*(?:no(?:pe)?\b|not (?:yet|now|today)\b|i (?:can'?t|won'?t|don'?t) "
                 r"(?:say|tell|know)\b|(?:i'?m|we'?re) not (?:putting|giving|naming|saying|"
                 r"telling|sharing)\b)",
                 _I)
# a reply that parks the question to take something else first: "Before that.", "Let me give
# you the figures first, because ...": the turn answers the other thing, the question stays open
PARKS = re.compile(r"^\W*(?:before (?:that|we get to that|i answer)\b|hold (?:on|that)\b|"
                   r"(?:let me|let'?s|i'?ll)\b[^.?!]{0,60}?\bfirst\b|first,)", _I)
_NOT = re.compile(r"\W*(?:not|never|nobody|no one|(?:i|we) (?:can'?t|cannot|won'?t|don'?t))\b", _I)
# an answer that turns the question away: no name, no date, no figure, and no intention to give one
_EVADE = re.compile(r"\b(?:we'?ll (?:figure|work|sort) (?:it|that) out|it'?s a conversation|"
                    r"(?:work|figure) it out (?:properly|later)|sit down and work|depends|"
                    r"more than i'?d like|hard to say|we'?ll see|together|let'?s not|"
                    r"not (?:go|get) (?:there|into (?:that|it))|(?:above|beyond) my pay grade)\b",
                    _I)
# the speaker as the person wanted: "It stops with me", "I sign the cheques", "that's me"
# ("Me and my partner." names nobody: the speaker alone counts, not "me and ...")
_SELF = re.compile(r"\b(?:(?:stops|lands|ends|sits) with me|(?:it'?s|that'?s|that would be) me|"
                   r"i (?:sign|approve|decide)|i'?m the one)\b(?!n't| and\b)|"
                   r"^\W*(?:me|i do)\W*$", _I)
# a day said the way people say it, kept as said: "Spring, I think", "after the 28th"
_WHEN_SAID = re.compile(r"\b(?:spring|summer|autumn|fall|winter|the \d{1,2}(?:st|nd|rd|th)|"
                        r"(?:early|late|mid)[- ](?:year|month|spring|summer|autumn|winter|"
                        r"january|february|march|april|may|june|july|august|september|"
                        r"october|november|december)|in (?:a|two|three|a couple of|a few) "
                        r"(?:days|weeks|months)|tomorrow|tonight|after the holidays)\b", _I)
_CAPITAL = re.compile(r"\b[A-Z][a-z]+(?:[- ][A-Z][a-z'-]+)?\b")
_NOT_NAMES = frozenset("I The We Our And But So Then It That This Yes No Fine Good Same Thanks "
                       "Please Nobody Now Let Next Always Not Sometimes Thank Okay Ok Well "
                       "Right Sure Great Perfect Honestly Oh Hm Just Both Before After Which "
                       "What When Who Where How Why Is Are Was Can Could Would Will He She "
                       "They You His Her Their Your My".split())


@dataclass(frozen=True)
class Question:
    """A question of ours: what it asks, what kind of answer it wants and whom it is put to."""

    turn: str
    text: str
    wants: Want
    to: str | None  # the customer it is put to (their full name), None for anyone
    keys: frozenset[str]
    topic: frozenset[str] = frozenset()  # the words of its turn up to it: what it is about


@dataclass(frozen=True)
class Reply:
    """The customer's answer to a question (``turn`` empty when none came)."""

    question: Question
    turn: str = ""
    speaker: str | None = None
    text: str = ""  # the sentence that answers
    strength: Strength | None = None  # None: unanswered


def wants(question: str) -> Want:
    """The kind of answer a question wants."""
    if _WANTS_PERSON.search(question):
        return "person"
    if _WANTS_FIGURE.search(question):
        return "figure"
    if _WANTS_DATE.search(question):
        return "date"
    if _YESNO.search(question):
        return "yesno"
    return "other"


def _addressee(turn_text: str, question: str, customers: list[str]) -> str | None:
    """The customer a question is put to: the name it opens with ("Lucas, ...") or the name
    its turn opens with ("Noor, last piece. Can we ...?"), or named in it ("is that you, Wren")."""
    for text in (question, turn_text):
        m = re.match(r"^\W*([A-Z][a-z]+)\b,", text)
        if m:
            hit = _customer(m.group(1), customers)
            if hit:
                return hit
    m = re.search(r",\s*([A-Z][a-z]+)\s*\?$", question)  # "Is that enough to approve, Oren?"
    return _customer(m.group(1), customers) if m else None


def _customer(first: str, customers: list[str]) -> str | None:
    return next((c for c in customers if c.split()[0] == first or c == first), None)


def stem(word: str) -> str:
    """"signs", "signing", "signed" -> "sign"; "ordered" -> "order"; cut to five letters."""
    w = word.casefold().strip("'")
    return (re.sub(r"(?:'s|ing|ed|es|s)$", "", w) if len(w) > 4 else w)[:5]


def _keys(text: str) -> frozenset[str]:
    generic = {"who", "what", "when", "you", "your", "side", "thing", "question", "today", "like",
               "after", "before", "good", "fine", "want", "need", "time", "just", "make", "take",
               "know", "think", "would", "could", "should", "least", "then", "there", "here"}
    return frozenset(stem(w) for w in content_words(text) if w not in generic and len(w) > 2)


def names_person(sentence: str, speaker: str | None, ours: set[str],
                 known: Iterable[str] = ()) -> bool:
    """The sentence names someone who is neither us nor its speaker, or gives the speaker
    themself as the person ("It stops with me"). A name is a full name ("Gary Pruitt"), the
    first name of someone known in the call, or a capitalised word opening the sentence that
    does the thing asked ("Gary does my books"); a lone capital mid-sentence ("Tapgrid",
    "Millrace") is a product or a place as often as a person, so it does not count."""
    if _SELF.search(sentence):
        return True
    own = set((speaker or "").split())
    firsts = {k.split()[0] for k in known if k} - own
    body = re.sub(r"^\W*[A-Z][a-z]+,\s", "", sentence)  # "Marguerite, you know ..." is address
    for m in _CAPITAL.finditer(body):
        name = m.group(0)
        first = name.split()[0]
        if first in _NOT_NAMES or first in own or is_ours(name, ours) or DATE.search(name):
            continue
        full = " " in name or "-" in name
        opens = m.start() == 0 and re.match(r"\s+(?:does|do|will|signs?|reads?|reviews?|"
                                            r"approves?|decides?|handles?|owns?)\b",
                                            body[m.end():])
        if full or first in firsts or opens:
            return True
    return False


def gives(want: Want, sentence: str, speaker: str | None, ours: set[str],
          known: Iterable[str] = ()) -> bool:
    """The sentence gives the kind of answer wanted (a step proposed for a yes or no is
    answered by a day: "Could we put it in the diary?" - "Thursday the 17th", "The second
    Friday of March.")."""
    if want == "person":
        return names_person(sentence, speaker, ours, known)
    if want == "date":
        return bool(DATE.search(sentence) or _WHEN_SAID.search(sentence))
    if want == "figure":
        return says_figure(sentence)
    if want == "money":
        return says_money(sentence)
    if want == "yesno":
        return bool(re.match(r"^\W*(?:(?:oh|well|ah|um|hm+|honestly)\W+)?(?:yes|yeah|yep|no|"
                             r"nope|sure|fine|okay|ok|of course|absolutely|definitely|not|"
                             r"probably|maybe|perhaps|possibly|"
                             r"i think|i'?d think|it (?:did|does|is|was)|i (?:did|do|"
                             r"can|will)|we (?:did|do|can|will))\b", sentence, _I)
                    or DATE.match(sentence.strip())
                    or len(sentence.split()) <= 6 and bool(DATE.search(sentence)))
    return False


def strength(sentence: str, turn_text: str, want: Want = "yesno") -> Strength:
    """How firm an answer is: a no declines ("Not before.", "I can't give you dates", for a
    question that wants a yes or a day; a person or a figure given is given); a hedge in the
    sentence or its turn hedges."""
    if _NO.search(sentence) or want in ("yesno", "date", "other") and _NOT.match(sentence):
        return "declined"
    if HEDGED.search(sentence) or HEDGED.search(turn_text):
        return "hedged"
    return "firm"


def questions(turns: list[dict[str, Any]], *, sellers: Iterable[str],
              customers: Iterable[str] = ()) -> list[Question]:
    """Our questions in the call, in order."""
    ours = {s.casefold() for s in sellers}
    theirs = [c for c in customers if c] or sorted(
        {str(t["speaker"]) for t in turns if t.get("speaker")
         and not is_ours(t.get("speaker"), ours)})
    out = []
    for t in turns:
        if not is_ours(t.get("speaker"), ours):
            continue
        text = " ".join(str(t["text"]).split())
        said = sentences(text)
        for k, sentence in enumerate(said):
            for q in asked_in(sentence):
                out.append(Question(t["id"], q, wants(q), _addressee(text, sentence, theirs),
                                    _keys(q), _keys(" ".join(said[:k + 1]))))
    return out


def asked_in(sentence: str) -> list[str]:
    """The questions a sentence of ours puts: the sentence when it ends on "?", or each
    question it announces or asks indirectly ("Two questions from me today: who signs for
    this, and what the report costs you." -> "who signs for this", "what the report costs
    you"; "I'd like to know who reads it.")."""
    if sentence.rstrip().endswith("?"):
        return [sentence]
    m = _INDIRECT.search(sentence)
    if not m:
        return []
    return [c.strip(" .") for c in re.split(r",\s*(?:and\s+)?|\s+and\s+(?=(?:who|whom|when|"
                                             r"what|how)\b)", sentence[m.start(1):])
            if re.match(r"(?:who|whom|when|what|how)\b", c.strip(), _I)]


def _answer_in(q: Question, t: dict[str, Any], reply_position: bool,
               ours: set[str], known: list[str]) -> Reply | None:
    """The reply a customer turn gives to an open question, or None when it gives none."""
    text = " ".join(str(t["text"]).split())
    said = [s for s in sentences(text) if not s.rstrip().endswith("?")]
    back = bool(_BACK.search(text)) or bool(q.keys & _keys(text))
    if not (reply_position or back):
        return None
    speaker = t.get("speaker")
    came_back = next((k for k, s in enumerate(said) if _BACK.search(s)), None)
    if came_back is not None and not reply_position:
        said = said[came_back:]  # the words before it answer something else
    if q.wants == "figure":  # the figure with a unit of cost or time, when the turn has one
        said = sorted(said, key=lambda s: not (says_figure(s) and _COSTED.search(s)))
    for k, s in enumerate(said):
        if gives(q.wants, s, speaker, ours, known):
            how = strength(s, " ".join(said[k:k + 2]), q.wants)
            if q.wants == "figure" and how == "hedged":
                how = "firm"  # "between eleven and fourteen, depending ...": a figure said
            return Reply(q, t["id"], speaker, s, how)
        if q.wants != "yesno" and _NO.search(s) and reply_position:
            return Reply(q, t["id"], speaker, s, "declined")
    if reply_position and said and _EVADE.search(text):
        hit = next(s for s in said if _EVADE.search(s))
        return Reply(q, t["id"], speaker, hit, "declined")
    return None


def replies(turns: list[dict[str, Any]], *, sellers: Iterable[str],
            customers: Iterable[str] = ()) -> list[Reply]:
    """Each of our questions with the reply that answers it, or an empty reply when the call
    never answers it. An open question closes at its answer; a declined one can still be
    answered later (the customer comes back to it), and the later answer counts."""
    ours = {s.casefold() for s in sellers}
    asked = questions(turns, sellers=sellers, customers=customers)
    order = {t["id"]: k for k, t in enumerate(turns)}
    known = [*customers, *{str(t["speaker"]) for t in turns if t.get("speaker")}]
    known = [k for k in known if not is_ours(k, ours)]
    out: list[Reply] = []
    for q in asked:
        last = out[-1] if out else None
        if last is not None and _pursues(last, q, turns, order, ours):
            # our next question presses the one still open ("Can we get in front of
            # Felicity?" - "She said January." - "Would she take a date now?"): same thread
            q = replace(q, to=q.to or last.question.to, topic=q.topic | last.question.topic
                        | last.question.keys)
        out.append(_reply(q, turns, order, ours, known))
    return out


def _pursues(last: Reply, q: Question, turns: list[dict[str, Any]], order: dict[str, int],
             ours: set[str]) -> bool:
    """``q`` is asked in our next turn after ``last``'s question, with only the customer's
    words between, and ``last`` was not answered before it."""
    a, b = order[last.question.turn], order[q.turn]
    if a == b or last.turn and order[last.turn] < b:
        return False
    return not any(is_ours(t.get("speaker"), ours) for t in turns[a + 1:b])


def _reply(q: Question, turns: list[dict[str, Any]], order: dict[str, int], ours: set[str],
           known: list[str]) -> Reply:
    """The reply that answers ``q``: see :func:`replies`."""
    got: Reply | None = None
    seen: set[str] = set()  # customers who have spoken since the question
    for t in turns[order[q.turn] + 1:]:
        speaker = t.get("speaker")
        if not speaker or is_ours(speaker, ours):
            continue
        # the reply position: the first words of the person asked (of anyone, when the
        # question is put to nobody in particular)
        first = not seen if q.to is None else speaker == q.to and q.to not in seen
        if all(x.rstrip().endswith("?") for x in sentences(str(t["text"]))):
            continue  # "Why?": a question back keeps the floor for their answer
        seen.add(speaker)
        if first and PARKS.search(str(t["text"]).strip()):
            continue  # parked: a later turn that comes back to it answers it
        r = _answer_in(q, t, first, ours, known)
        if r is None:
            continue
        if r.strength != "declined" or q.wants in ("yesno", "date") and _NOT.match(r.text):
            return r  # answered (a no answers a yes-or-no question): the question closes
        got = got or r  # turned away: still open, a later answer counts
    return got or Reply(q)


def settled(reply: Reply, later: list[Reply]) -> Reply:
    """A reply with the strength the call leaves it at: a later question of ours that checks
    it ("Is Gary the one to send it to?") and is answered with a hedge or a no hedges it."""
    if reply.strength is None or not reply.text:
        return reply
    names = {m.group(0).split()[0] for m in _CAPITAL.finditer(reply.text)}
    for r in later:
        if _order(r.question.turn) <= _order(reply.turn):
            continue
        checks = any(re.search(rf"\b{re.escape(n)}\b", r.question.text) for n in names) or (
            r.question.keys & reply.question.keys)
        # only a hedge: a no to the check is a no to its own step ("Should Greta send the draft
        # to Paulette before the 12th?" - "No. After.")
        if checks and r.strength == "hedged" and r.question.wants == "yesno":
            return replace(reply, strength="hedged", text=f"{reply.text} … {r.text}")
    return reply


def _order(turn: str) -> int:
    return int(turn[1:]) if turn[1:].isdigit() else 0


__all__ = ["HEDGED", "Question", "Reply", "Strength", "Want", "gives", "names_person",
           "questions", "replies", "settled", "stem", "strength", "wants"]
