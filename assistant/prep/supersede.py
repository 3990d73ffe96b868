"""Polarity and supersession: how a manager reads the notes in date order.

- :func:`hedged`: a sentence that hedges, defers, negates or splits a role ("we'll see",
  "between me and Ana", "I'd have to check") never counts as a yes. The exit criteria and
  anything else that reads a yes (a point closed, a risk settled) ask this one function.
- :func:`superseded`: a point an older note made that a newer note replaced or closed: the
  newer note restates a figure for the same thing ("$40,000 a year" after "$52,000 a year"),
  takes the thing out ("took the warehouse out"), or the person (or our rep) says the point
  is closed ("OK from me", "that's settled") about the same thing. The plan uses the newest;
  a closed point is not sent back to the rep.
- :func:`current`: the sentences no newer note superseded, in their order.

Pure functions over :class:`assistant.prep.sentences.Sentence`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.prep.sentences import Sentence, content_words

# an answer put off or passed to someone else ("after the partners meet, ask Nadia", "I'd
# have to check", "get back to you"): the point stays open, with that quote
DEFER = re.compile(
    r"\b(?:I|we)(?:'d|’d| would)? (?:have|need) to (?:check|ask|think|see|talk|run it)\b|"
    r"\b(?:I|we)(?:'ll|’ll| will) (?:have to )?(?:check|think about|get back|come back)\b|"
    r"\bget back to you\b|\bafter (?:the |we |they )?[\w ]{0,20}\b(?:meet|decide|talk)\b"
    r"[^.]{0,40}\bask\b|\bnot (?:up to|my call|my decision)\b",
    re.IGNORECASE)
# a yes held back: put off, left to someone else, shared, hedged or only thought about
HEDGE = re.compile(
    r"\bwe(?:'ll|’ll| will| shall) see\b|\blet(?:'s|’s| us) see\b|\bwait and see\b|"
    r"\bsplit (?:things|it|the (?:decision|call)|that)\b|\bwe split\b|"
    r"\bbetween (?:me|him|her|them|us|[A-Z][a-z]+) and (?:me|him|her|them|us|[A-Z][a-z]+)\b|"
    r"\b(?:I|we)(?:'d|’d| would)? (?:have|need) to (?:check|ask|think|see|talk|run it)\b|"
    r"\b(?:I|we)(?:'ll|’ll| will) (?:have to )?(?:check|think about|get back|come back|"
    r"talk (?:it over|to))\b|\bget back to you\b|\bnot (?:up to|my call|my decision)\b|"
    r"\b(?:it )?depends\b|\bin principle\b|\bno promises?\b|\bonly talking\b|"
    r"\b(?:I'm|I am|we're|we are) not (?:sure|saying)\b|\bmaybe\b|\bperhaps\b|\bprobably\b|"
    r"\bmight\b|\bhopefully\b|\bsort of\b|\bkind of\b|\bI (?:think|guess|suppose)\b|"
    r"\bask (?:[A-Z][a-z]+|him|her|them|my \w+)\b(?! (?:for|to)\b)|"
    r"\bafter (?:the |we |they )?[\w ]{0,20}\b(?:meet|decide|talk)\b|"
    r"\bwe decide (?:things )?together\b|\bnot (?:yet|decided|sure|confirmed)\b",
    re.IGNORECASE)


def hedged(text: str) -> bool:
    """``text`` hedges, defers, negates or splits the role it is about: never a yes."""
    return bool(HEDGE.search(text))


def deferred(text: str) -> bool:
    """``text`` puts the answer off or passes it to someone else: an open item."""
    return bool(DEFER.search(text))


# the person, or our rep, says the point is closed
CLOSES = re.compile(
    r"\b(?:ok|okay|fine|good|happy|settled|sorted|resolved|done) (?:from|by|with|for) "
    r"(?:me|us|him|her|them)\b|\b(?:that|this|it)(?:'s|’s| is| was) (?:settled|sorted|resolved|"
    r"closed|fine now|no longer an? (?:issue|concern|problem))\b|"
    r"\bno longer (?:an? )?(?:issue|concern|problem|worried|objects?)\b|"
    r"\b(?:does|did|will) not (?:affect|void)\b|\bdoesn['’]t (?:affect|void)\b|"
    r"\b(?:concern|objection|worry|question|point|issue) (?:is |was )?(?:closed|answered|"
    r"resolved|settled|withdrawn)\b|\bsigned off on\b|\bdropped (?:the|his|her|their) "
    r"(?:concern|objection|worry)\b",
    re.IGNORECASE)

# a thing a newer note takes out of the deal ("Took Dunmore out for now", "Elm St is out")
_TAKEN_OUT = re.compile(
    r"\b(?:took|take[sn]?|taking|left|leaving|dropped|removed?|cut) (?P<a>(?-i:[A-Z][\w'’-]+))"
    r" (?:out|off)\b|\b(?:dropped|removed|without) (?P<b>(?-i:[A-Z][\w'’-]+))\b|"
    r"\b(?P<c>(?-i:[A-Z][\w'’-]+)) (?:is |stays |still )?(?:out|off the table)\b(?! of\b)",
    re.IGNORECASE)
_NOT_A_THING = frozenset("I We They He She It This That The A Our Their You".split())

# a money figure and the words next to it that say what it is for
_MONEY = re.compile(r"[$€£]\s?(\d[\d,]*(?:\.\d+)?)\s?(k|m|million|thousand)?\b", re.IGNORECASE)
_WINDOW = 4  # words either side of a figure that name what it is for
_PERIOD = frozenset({"year", "month", "week", "annual", "yearly", "monthly"})
_FILLER = frozenset({"plus", "about", "around", "roughly", "only", "now", "then", "total",
                     "all", "each", "first", "set"})


def _value(m: re.Match[str]) -> float:
    n = float(m.group(1).replace(",", ""))
    unit = (m.group(2) or "").casefold()
    return n * (1000 if unit in ("k", "thousand") else 1e6 if unit in ("m", "million") else 1)


def _stem(w: str) -> str:
    w = w.casefold().strip("'’-")
    return w[:-1] if w.endswith("s") and len(w) > 3 else w


def figures(text: str) -> list[tuple[float, frozenset[str], bool]]:
    """Each money figure of ``text``: its value, the words around it that say what it is
    for, and whether it is a rate ("a year", "per month")."""
    out = []
    found = list(_MONEY.finditer(text))
    for k, m in enumerate(found):
        # the words between this figure and its neighbours, never across another figure
        start = found[k - 1].end() if k else 0
        end = found[k + 1].start() if k + 1 < len(found) else len(text)
        before = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text[start:m.start()])
                  if content_words(w)][-_WINDOW:]
        after = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text[m.end():end])
                 if content_words(w)][:_WINDOW]
        words = {_stem(w) for w in content_words(" ".join(before + after))} - _FILLER
        rate = bool(re.match(r"\s*(?:a|per|/)\s?(?:year|yr|month|mo|week)\b", text[m.end():],
                             re.IGNORECASE))
        # whose figure it is: a named party before it ("Chairly quoted us $40 a chair")
        words |= {f"<{w.casefold()}>" for w in re.findall(r"\b[A-Z][\w'’-]{2,}",
                                                          text[start:m.start()])[-_WINDOW:]
                  if w.casefold().strip("'’s") not in _NOT_A_PARTY}
        if _BOUND.search(text[start:m.start()]):
            words.add(BOUND)  # a ceiling they set is replaced only by a newer ceiling
        out.append((_value(m), frozenset(words), rate))
    return out


# a person the notes could not name yet, and a full name
UNNAMED = re.compile(r"\bno name\b|\bnot named\b|\bunnamed\b|\bdid ?n[o']t (?:get|give|say) "
                     r"(?:a |the |their )?name\b|\bnobody (?:has )?named\b|\bname unknown\b",
                     re.IGNORECASE)
_FULL_NAME = re.compile(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b")
# work we wait on from someone, and someone who did it
WAITING = re.compile(r"\bstill (?:owed|owes?|pending|waiting|open|to come)\b|\bno reply\b|"
                     r"\bnot (?:yet )?(?:signed|approved|answered|returned|received)\b|"
                     r"\bwaiting (?:on|for)\b|\bhas(?:n't| not) (?:yet )?(?:signed|approved|"
                     r"replied|answered)\b", re.IGNORECASE)
_ACTED = re.compile(r"\b([A-Z][a-z]+)(?: [A-Z][a-z]+)? (?:has |had )?(?:approved|signed(?: off)?|"
                    r"accepted|agreed|confirmed|replied|answered|returned)\b")
# a person's own to-do ("Lucia to send the revised order form", "Ana will bring the floor
# plan", "Ana brings the floor plan printed"): the person, and what the line is about
_TODO = re.compile(r"\b([A-Z][a-z]+) (?:to|will|'ll|’ll|(?:is|was) going to|owes?|brings?|"
                   r"sends?|takes?|prepares?|drafts?)\b")
_TODO_SHARED = 2  # what two to-dos of one person share before the newer replaces the older
BOUND = "<bound>"
# capitalised words before a figure that name no party: headings, numbers, our own side
_NOT_A_PARTY = frozenset("""i we our us you your they their the a an it this that three two
four five six seven eight nine ten one offer option draft quote quoted price total year
annual revised new sent re subject asked said told plus and but so then now also""".split())
_BOUND = re.compile(r"\b(?:under|below|no more than|not more than|at most|max(?:imum)?|"
                    r"cap(?:ped)?(?: at| of)?|ceiling(?: of)?|within|less than|over|above|"
                    r"up to)\s*$", re.IGNORECASE)
# a figure offered, allowed or conditional ("approves down to $88 if we must", "Option: …
# $44,790"): a position we hold back, not a restatement of the figure to them
_HELD_BACK = re.compile(r"\b(?:if|unless|option|could|would|might|may|down to|approves?|"
                        r"allows?|floor|walk-?away|fallback)\b", re.IGNORECASE)


def _same_object(a: tuple[float, frozenset[str], bool],
                 b: tuple[float, frozenset[str], bool]) -> bool:
    """Two figures for the same thing: a word of what they are for in common (a period
    alone counts only when both are rates), and different values."""
    if a[0] == b[0] or (BOUND in a[1]) != (BOUND in b[1]):
        return False
    if any(w.startswith("<") and w != BOUND and w not in b[1] for w in a[1]):
        return False  # a party's figure is replaced only by that party's newer figure
    things = (a[1] & b[1]) - _PERIOD
    return bool(things) or (a[2] and b[2] and bool(a[1] & b[1] & _PERIOD))


def _things_out(sentences: Iterable[Sentence]) -> list[tuple[str, str]]:
    """(date, name) of each thing a note takes out of the deal."""
    out = []
    for s in sentences:
        for m in _TAKEN_OUT.finditer(s.text):
            name = m.group("a") or m.group("b") or m.group("c")
            if name and name not in _NOT_A_THING:
                out.append((s.date, name))
    return out


def _closures(sentences: list[Sentence], proper: frozenset[str]) -> list[tuple[str, set[str]]]:
    """(date, words) of each note sentence that closes a point, with the words of the
    sentence before it in the same note (what was closed: "Keyline wrote: the sync does not
    affect the warranty. Luis forwarded it with "OK from me".")."""
    out = []
    for i, s in enumerate(sentences):
        if not CLOSES.search(s.text) or hedged(s.text):
            continue
        words = _things(s.text, proper)
        for j in (i - 1, i + 1):  # sentences are newest note first, in note order within
            if 0 <= j < len(sentences) and sentences[j].note_id == s.note_id:
                words |= _things(sentences[j].text, proper)
        out.append((s.date, words))
    return out


_GENERIC = frozenset({"said", "told", "asked", "wrote", "call", "note", "email", "today",
                      "forwarded", "sent", "okay", "fine", "still", "want", "need", "like",
                      "think", "know", "going", "really", "well", "good", "time", "week",
                      "thing", "day", "back", "first", "next", "last", "make", "take", "year",
                      "month", "get", "got", "says", "tell", "them", "they", "again",
                      "through", "every", "everything", "anything", "something", "done"})


def superseded(s: Sentence, sentences: list[Sentence]) -> bool:
    """A newer note replaced or closed the point ``s`` makes (see the module doc)."""
    return Newer(sentences).replaced(s)


class Newer:
    """What the notes replace and close, read once from a pool of sentences; ``replaced``
    asks it of any line (a note's sentence, or one joined to what it points at)."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.figures = [(s.date, f) for s in sentences if not s.plan
                        and not _HELD_BACK.search(s.text) for f in figures(s.text)]
        self.out = _things_out(sentences)
        self.proper = proper_names(sentences)
        self.closed = _closures(sentences, self.proper)
        self.acted = [(s.date, m.group(1)) for s in sentences if not hedged(s.text)
                      and not _HELD_BACK.search(s.text) for m in _ACTED.finditer(s.text)
                      if m.group(1) not in _NOT_A_THING]
        self.todos = [(s.date, m.group(1), _things(s.text, self.proper)) for s in sentences
                      if not hedged(s.text) for m in _TODO.finditer(s.text)
                      if m.group(1) not in _NOT_A_THING]
        self.named = [(s.date, _things(s.text, self.proper)) for s in sentences
                      if _FULL_NAME.search(s.text) and not UNNAMED.search(s.text)
                      and not hedged(s.text)]

    def replaced(self, s: Sentence) -> bool:
        return _replaced(s, self)


def _replaced(s: Sentence, index: Newer) -> bool:
    mine = figures(s.text)
    if mine and all(any(d > s.date and _same_object(f, g) for d, g in index.figures)
                    for f in mine):
        return True  # every figure restated, for the same thing, by a newer note
    if any(d > s.date and re.search(rf"\b{re.escape(name)}\b", s.text) for d, name in index.out):
        return True  # a newer note took the thing out of the deal
    words = _things(s.text, index.proper)
    if any(d > s.date and words & closed for d, closed in index.closed):
        return True  # the person, or our rep, said the point is closed
    # a person's act we waited on ("his sign-off is still owed"), and a newer note where
    # that person did it ("Gareth approved by e-mail")
    if WAITING.search(s.text) and any(d > s.date and re.search(rf"\b{re.escape(who)}\b", s.text)
                                      for d, who in index.acted):
        return True
    # a person's to-do, and a newer to-do of theirs about the same thing ("Lucia to send the
    # revised order form", later "Lucia brings the three-site order form printed"): the newer
    if any(d > s.date and len(words & things) >= _TODO_SHARED
           and re.search(rf"\b{re.escape(who)}\b", s.text) and _TODO.search(s.text)
           for d, who, things in index.todos):
        return True
    # "no name" for someone, and a newer note that names a person for the same thing
    return bool(UNNAMED.search(s.text)) and any(
        d > s.date and words & named for d, named in index.named)


def proper_names(sentences: Iterable[Sentence]) -> frozenset[str]:
    """The words the notes capitalise and never write in lower case: names ("Luis",
    "Keyline"); a word that opens a sentence and is written in lower case elsewhere
    ("Contract goes to …", "… the contract") is no name."""
    upper, lower = set(), set()
    for s in sentences:
        upper |= {w.casefold() for w in re.findall(r"(?<![\w'’-])[A-Z][a-z'’-]+", s.text)}
        lower |= set(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]+", s.text))
    return frozenset(upper - lower)


def _things(text: str, proper: frozenset[str] = frozenset()) -> set[str]:
    """The lower-case words of ``text`` that name a thing (no names of people, no talk);
    ``proper``: the words the notes use as names (a sentence's first word may be one)."""
    # a sentence's first word is capitalised as any other ("Contract goes to …")
    text = re.sub(r"(^|[.:;!?]\s+|[\"“(]\s*)([A-Z])(?=[a-z])",
                  lambda m: m.group(1) + m.group(2).lower(), text)
    return {_stem(w) for w in re.findall(r"(?<![\w'’-])[a-z][a-z'’-]{3,}", text)
            if content_words(w) and w not in proper} - _GENERIC


def current(sentences: list[Sentence]) -> list[Sentence]:
    """The sentences no newer note superseded, in their order."""
    newer = Newer(sentences)
    return [s for s in sentences if not newer.replaced(s)]
