"""The exit criteria a call settles in plain words, read by code before any model is asked.

A criterion asks for one of a few things, and a call shows each of them in a few plain ways:

- **a named person** ("economic buyer named", "we know by name who signs"): a customer names
  someone together with what they decide ("This is Fiona Hart ... She signs off capital
  spending"), or says it of themselves ("I can sign it myself");
- **a number** ("pain confirmed with numbers", "losses stated in dollars"): the customer says
  an amount or a count about it ("costs us about £18k", "3 missed routes last week");
- **a date** ("signature date set", "go/no-go date agreed"): the customer commits to a date
  ("I'll sign by December 5", "the board sees it January 12"), not a maybe;
- **an agreement** ("scope agreed", "said yes to the price", "review passed"): the customer
  agrees, on their own line about it or right after our line about it ("That works.");
- **a document seen or received** ("reviewed the proposal", "demo shown"): the customer says
  they read, reviewed or saw it.

A clear refusal on a line about the criterion ("I can't sign it", "Not the warehouses") shows
it not met. A hedge ("maybe", "in pencil", "let me check", "if ...") settles nothing. What code
cannot read this way is left to the model's one narrow question
(``assistant.reflect.criteria``). Pure functions over turns (``{"id", "speaker", "text"}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.injection import unquotable
from assistant.reflect.extract import DATE, MONEY, content_words, is_header, is_ours, sentences

_I = re.IGNORECASE

# what a criterion asks for
ASKS: dict[str, re.Pattern[str]] = {
    "named": re.compile(r"\b(?:named?|by name|identified|who signs|who (?:approves|decides)|"
                        r"signer known|know who)\b", _I),
    "number": re.compile(r"\b(?:numbers?|figures?|dollars?|amount|quantif\w*|count|how many|"
                         r"stated in|put a number|in (?:their|its) own|cost (?:confirmed|stated))"
                         r"\b|\$", _I),
    "date": re.compile(r"\b(?:date|dates|calendar|booked|scheduled|on the calendar|"
                       r"(?:go-?live|start|launch) (?:month|week|day))\b", _I),
    "agreed": re.compile(r"\b(?:agree\w*|accept\w*|approv\w*|said yes|yes to|signed off|"
                         r"sign-off|confirmed|passed|closed out|committed|listed)\b", _I),
    "seen": re.compile(r"\b(?:review\w*|seen|read|shown|walked through|presented|received|"
                       r"loaded|demo\w*)\b", _I),
}
# composite criteria ("who redlines, who signs and the go-live week") are for the model
_COMPOSITE = re.compile(r",.*\band\b|\band\b.*\band\b", _I)

DECIDES = re.compile(r"\b(?:signs?|signing|signature|approv\w*|sign[- ]off|budget|decides?|"
                     r"decision|final say|last word|owns the (?:budget|number|decision)|"
                     r"economic buyer|"
                     r"(?:goes|go|lands?|ends up) (?:to|on|with) (?:him|her|them|his|their)|"
                     r"(?:his|her|their) (?:call|desk|signature))\b"
                     r"|\b(?:above|over|more than|beyond)\s+(?:[$€£]\s?)?\d", _I)
SELF_DECIDES = re.compile(r"\bI(?:'ll| will| can| do)? (?:sign|approve|decide)\b|"
                          r"\bI(?:'m| am) the one who (?:signs|approves|decides)\b|"
                          r"\bI sign\b|\bI own the (?:budget|number|decision)\b", _I)
PERSON = re.compile(r"\b[A-Z][a-z]+(?:\s(?:[A-Z]\.|[A-Z][a-z]+))?\s[A-Z][a-z'-]+\b")
AGREE = re.compile(r"\b(?:agreed|i agree|we agree|that works|works for (?:me|us)|"
                   r"(?:that'?s|that is) (?:fine|right|accurate|the right \w+)|fine by me|"
                   r"i can (?:accept|approve|sign off|live with|do) (?:it|that|this)|"
                   r"i can (?:approve|accept) it|let'?s do (?:it|a|the|\d)|"
                   r"(?:we'?ll|i'?ll) (?:sign|take it|go ahead)|go ahead|you have a deal|"
                   r"it'?s a (?:yes|deal|go)|i'?m in|we'?re in|^deal\b|done\b|"
                   r"technically (?:this|it) works|(?:it|this) works for us|"
                   r"i'?ve seen enough|"
                   r"yes\b|^(?:good|fine|okay|ok|sure|correct|exactly)\b)", _I)
SEEN = re.compile(r"\b(?:i|we) (?:read|reviewed|saw|have seen|'ve seen|looked at|went through|"
                  r"got|received)\b|\bi'?ve (?:read|seen|reviewed)\b", _I)
REFUSE = re.compile(r"(?:^no(?:[.,!]|$)|\bno,|\bnot (?:now|yet|the|this|that|going (?:to|ahead)|"
                    r"ready|signing)|can'?t|cannot|won'?t|don'?t (?:book|put|sign|write))\b",
                    _I)
# a step said not done: "your checklist isn't done", "he's never agreed to a price"
NOT_DONE = re.compile(r"\b(?:isn'?t|aren'?t|wasn'?t|weren'?t|not|never|hasn'?t|haven'?t|"
                      r"didn'?t|doesn'?t|don'?t) (?:\w+ ){0,2}?(?:done|agreed?|signed|approved|"
                      r"passed|complete[d]?|finished|accepted|ready|seen|reviewed|booked|set|"
                      r"scheduled|closed|confirmed|yet)\b", _I)
NEGATED = re.compile(r"\b(?:not|never|no|nobody|nothing|cannot)\b|n['’]t\b", _I)
# a negation that is no refusal: "I'm not missing December 30", "no problem"
NOT_A_NO = re.compile(r"\bnot (?:missing|losing|going to miss|a problem|an issue)\b|"
                      r"\bno (?:problem|issue|question|doubt|way we miss)\b|"
                      r"\bcan'?t (?:wait|miss)\b|\bwon'?t (?:miss|be a problem)\b", _I)
HEDGE = re.compile(r"\b(?:maybe|probably|perhaps|might|pencil|tentative\w*|let me (?:check|"
                   r"think|see)|i'?ll (?:try|see|think)|if\b|unless|pending|depends|"
                   r"hopefully|not sure|i guess|we'?ll see|should be)\b|\?$", _I)
NUMBER = re.compile(r"\b\d[\d,.]*\s?%|\b\d[\d,.]*\s?(?:[a-z-]+\s)?(?:hours?|days?|weeks?|"
                    r"routes?|units?|"
                    r"cases?|calls?|loads?|claims?|trucks?|vans?|stores?|sites?|jobs?|"
                    r"callbacks?|percent)\b|\b\d[\d,.]*\s?(?:k|m)\b", _I)


@dataclass(frozen=True)
class Clear:
    """What code read for one criterion: the status and the sentence and turn that show it."""

    status: str  # met | not_met
    text: str
    turn: dict[str, Any]
    cue: str  # named | number | date | agreed | seen | refused


def asks(criterion: str) -> set[str]:
    """What the criterion asks for (empty: nothing code reads; the model is asked)."""
    found = {k for k, rx in ASKS.items() if rx.search(criterion)}
    if negated_verb(criterion):
        found.add("held")
    if _COMPOSITE.search(criterion):
        return set()  # several things at once: one plain line rarely shows them all
    return found


# words of every criterion's wording, about no subject: "in the customer's own words"
_FRAME = frozenset(w[:5] for w in "customer customers words least their with after before "
                   "written writing have been each side".split())


def subject_words(criterion: str) -> set[str]:
    """The criterion's subject, in stems of four letters or more: its words less what it asks
    to happen to them ("Pain confirmed ... with at least one number" -> pain, hours, ...;
    not "confirmed", which "the pilot is confirmed" says of another subject), less its
    frame ("in the customer's own words"). All its words when nothing is left."""
    words = [w for w in content_words(criterion) if len(w) >= 4]
    subject = {w[:5] for w in words if not any(rx.fullmatch(w) for rx in ASKS.values())
               and w not in ("date", "dates")} - _FRAME
    return subject or {w[:5] for w in words} - {"date", "dates"}


# a price or an offer of ours: a number on what they pay us, never the size of their pain
_OUR_PRICE = re.compile(r"\b(?:price[sd]?|pricing|quoted?|per (?:month|year|site|seat|user|"
                        r"location|truck|van|unit)|a month|discount\w*|list price|your (?:price|"
                        r"quote|number))\b", _I)
_ABOUT_MONEY = re.compile(r"\b(?:price|pricing|budget|commercial|cost of|terms|spend)\b", _I)


def _theirs(turn: dict[str, Any], sellers: list[str]) -> bool:
    """A customer's line, or the rep's notes without speakers (what the customer said or
    did, reported): never our own side's words in the call."""
    return not is_ours(str(turn.get("speaker") or ""), {s.casefold() for s in sellers})


def _plain(s: str) -> bool:
    return not unquotable(s) and not s.rstrip().endswith("?")


def _said(turn: dict[str, Any]) -> list[str]:
    """The turn's sentences that state something: no question, instruction or header."""
    return [x for x in sentences(str(turn["text"])) if _plain(x) and not is_header(x)]


# a pronoun pointing back to the person the sentence before named ("goes to him")
_PRONOUN = re.compile(r"\b(?:she|he|they|him|her|them|his|their)\b", _I)
UNSURE = re.compile(r"\b(?:unknown|unclear|not sure|still|thinks|check|whether)\b", _I)


def _named(turn: dict[str, Any], sellers: list[str]) -> str | None:
    """The sentence that names who decides: a person and what they decide in one sentence,
    or a person named and the next sentence's pronoun pointing back ("Greg Hollis, our COO.
    Anything above $100k goes to him.", both sentences then); or the speaker's own "I can
    sign it myself"."""
    said = [x for x in sentences(str(turn["text"])) if _plain(x)]
    ours = {s.casefold() for s in sellers}
    for i, s in enumerate(said):
        if HEDGE.search(s) or UNSURE.search(s) or NEGATED.search(s):
            continue
        if turn.get("speaker") and SELF_DECIDES.search(s):
            return s
        if not DECIDES.search(s):
            continue
        names = [n for n in PERSON.findall(s) if n.casefold() not in ours]
        if names:
            return s
        if not _PRONOUN.search(s):
            continue
        # the pronoun points back to the person named up to three sentences before ("Petra
        # Vance. Senior partner. She signs when the other two of us agree.")
        for j in range(i - 1, max(i - 4, -1), -1):
            if [n for n in PERSON.findall(said[j]) if n.casefold() not in ours]:
                return " ".join(said[j: i + 1])
    return None




_MONEY_WANTED = re.compile(r"\bdollars?\b|\$|\bcost|\bspend|\bprice|\bfees?\b", _I)


def _counted(criterion: str, s: str) -> bool:
    """``s`` puts a number on what the criterion counts: an amount when it asks for money
    ("in dollars, claims or rejected loads": an amount, or a count of claims or loads), any
    amount or count otherwise."""
    from assistant.reflect.spoken import says_money

    if MONEY.search(s) or says_money(s):  # "between six and nine thousand a year"
        return True
    counts = [m.group(0) for m in NUMBER.finditer(s)]
    if not _MONEY_WANTED.search(criterion):
        return bool(counts)
    units = {w[:4] for w in content_words(criterion)}
    return any(w[:4] in units for c in counts for w in content_words(c) if w[:1].isalpha())


def _shares(terms: set[str], s: str) -> bool:
    """A word of ``s`` has one of the stems (or is the start of one: "costs" and "cost")."""
    for w in {w[:5] for w in content_words(s)}:
        if w in terms or len(w) >= 4 and any(t.startswith(w) or w.startswith(t)
                                             for t in terms if len(t) >= 4):
            return True
    return False


# a criterion worded with a negated verb: "did not walk away", "without calling us"
_NEG_VERB = re.compile(r"\b(?:did not|didn'?t|does not|doesn'?t|do not|don'?t|not|never|"
                       r"without|no longer)\s+(?:\w+ly\s+)?([a-z]{3,})"
                       r"(?:\s+(away|off|out|back|up|down|over|in|on))?\b", _I)
_NOT_VERBS = frozenset("the any one yet only just more less enough all every its their his her "
                       "our your being been much many".split())
_NEGATES = re.compile(r"(?:\b(?:not|never|without|no longer|nobody|no one)|n['’]t)"
                      r"\s+(?:\w+\s+){0,2}$", _I)
_NOT_YET_DONE = re.compile(r"(?:'ll|\bwill|\bwould|\bgoing to|\bmight|\bmay|\bcould|\bshould|"
                           r"\bto)\s+(?:\w+\s+)?$", _I)


def negated_verb(criterion: str) -> tuple[str, str] | None:
    """The verb a criterion says was not done, as a stem, and its particle ("did not walk
    away" -> ("walk", "away"); "worked without calling us" -> ("call", "")), or None."""
    from assistant.reflect.dialogue import stem

    m = _NEG_VERB.search(criterion)
    if m is None or m.group(1).casefold() in _NOT_VERBS:
        return None
    return stem(m.group(1)), (m.group(2) or "").casefold()


def polarity(sentence: str, verb: tuple[str, str]) -> str | None:
    """"agrees" when the sentence negates the criterion's verb too ("I'm not walking away",
    "nobody had to call"), "disagrees" when it says the verb done ("we walked away"), None
    when it does not say the verb (or says it only as a plan: "I'll call you")."""
    root, particle = verb
    m = re.search(rf"\b{re.escape(root)}\w*" + (rf"\s+{particle}\b" if particle else r"\b"),
                  sentence, _I)
    if m is None:
        return None
    before = sentence[:m.start()]
    if _NEGATES.search(before):
        return "agrees"
    return None if _NOT_YET_DONE.search(before) else "disagrees"


def _held(criterion: str, turn: dict[str, Any], prev: dict[str, Any] | None,
          sellers: list[str]) -> Clear | None:
    """A criterion worded with a negation ("did not walk away") read on a customer's turn
    about it (its words, or our line just before it): met by a plain sentence that negates
    the same verb, not met by one that says it done; never on a hedge."""
    verb = negated_verb(criterion)
    if verb is None:
        return None
    from assistant.reflect.criteria import criterion_terms

    terms = {t for t in criterion_terms(criterion) - {"$"}
             if not (t.startswith(verb[0]) or verb[0].startswith(t)) and t != verb[1]}
    about = _shares(terms, str(turn["text"])) or bool(
        prev and not _theirs(prev, sellers) and _shares(terms, str(prev["text"])))
    if not about:
        return None
    for s in sentences(str(turn["text"])):
        if not _plain(s) or HEDGE.search(s):
            continue
        got = polarity(s, verb)
        if got is not None:
            return Clear("met" if got == "agrees" else "not_met", s, turn,
                         "held" if got == "agrees" else "refused")
    return None


# an agreement said as the thing itself: our "Fenner Lane in January, then Harbour Street in
# February" - their "Fenner Lane, January. Harbour Street, February. Theo can live with it."
_PLAN = re.compile(r"\b(?:order|sequence|plan|schedule|timeline|roll-?out|phas\w*|go[- ]live|"
                   r"goes live|go live|which \w+ first|first and|then)\b", _I)
_MONTH = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|"
                    r"october|november|december|spring|summer|autumn|fall|winter|monday|"
                    r"tuesday|wednesday|thursday|friday|q[1-4])\b", _I)
_ACCEPTS = re.compile(r"\b(?:can|could) live with (?:it|that|this)\b|\bsuits (?:me|us|him|her|"
                      r"them)\b|\bsounds (?:right|good|fine)\b", _I)


def _restated(criterion: str, turn: dict[str, Any], prev: dict[str, Any] | None,
              sellers: list[str]) -> Clear | None:
    """Our proposal of a plan or an order, restated by the customer right after it (two or
    more of its days or months, and words all from our line) with an agreeing remark in the
    same turn, meets a criterion that a plan or an order is agreed. Nothing hedged or
    refused in the turn."""
    if prev is None or _theirs(prev, sellers) or not _PLAN.search(criterion):
        return None
    proposal = {w[:5] for w in content_words(str(prev["text"]))}
    said = [x for x in sentences(str(turn["text"])) if _plain(x)]
    if any(HEDGE.search(x) or REFUSE.search(x) and not NOT_A_NO.search(x) for x in said):
        return None
    k, when = 0, 0
    while k < len(said):
        words = [w[:5] for w in content_words(said[k])]
        if not words or sum(w in proposal for w in words) * 3 < len(words) * 2:
            break
        when += len([m for m in _MONTH.finditer(said[k])
                     if m.group(0).casefold()[:5] in proposal])
        k += 1
    rest = said[k:]
    remark = next((x for x in rest if AGREE.search(x) or _ACCEPTS.search(x)), None)
    if k == 0 or when < 2 or remark is None:
        return None
    return Clear("met", " ".join(said[:k + 1 + rest.index(remark)]), turn, "agreed")


def negates_it(sentence: str, terms: set[str]) -> bool:
    """A negation in the sentence is about the criterion: it opens the sentence ("Not with
    this budget."), or the words it negates are the criterion's ("we don't have the numbers").
    "My answer doesn't wait for it: yes, ..." or "nobody here argues, we lost $400k" negate
    something else, and the rest of the sentence still counts."""
    for m in NEGATED.finditer(sentence):
        if not sentence[:m.start()].strip(" \"'“(-—,") and m.group(0).casefold() in (
                "no", "not", "never", "cannot"):
            return True  # a bare no ("Not with this budget."); "Nobody argues, ..." reads on
        negated = content_words(" ".join(sentence[m.end():].split()[:3]))
        if not negated or _shares(terms, " ".join(negated)):
            return True
    return False


def _read_turn(wants: set[str], turn: dict[str, Any], related: bool, before_related: bool,
               sellers: list[str], terms: set[str], words: set[str], criterion_text: str = "",
               ) -> Clear | None:
    """What one customer turn shows of the criterion (``related``: the turn is about it;
    ``before_related``: the line just before it, ours, was about it, and this turn answers
    it in its first sentence; ``terms``: the criterion's stems: a refusal, a date or a
    number must be said of one of them; ``words``: its own stems, without synonyms and
    without "date", which a refusal or a date must share)."""
    said = _said(turn)
    for i, s in enumerate(said):
        hedged = bool(HEDGE.search(s))
        about = _shares(terms, s)  # its words or their sales synonyms
        own = _shares(words, s)  # the criterion's own words, not a synonym's
        refused = (REFUSE.search(s) or NOT_DONE.search(s)) and not NOT_A_NO.search(s)
        if own and refused and not hedged and wants & {"agreed", "date", "seen"}:
            return Clear("not_met", s, turn, "refused")
        if hedged or refused or NEGATED.search(s) and not NOT_A_NO.search(s) and \
                negates_it(s, terms):
            continue
        answers = before_related and i == 0
        # agreed "on a date" / "with a day on the calendar": a yes with no day is warm words
        dated = "date" not in wants or bool(DATE.search(s))
        if "agreed" in wants and AGREE.search(s) and (own or answers) and dated:
            return Clear("met", s, turn, "agreed")
        if "date" in wants and own and DATE.search(s):
            return Clear("met", s, turn, "date")
        if "seen" in wants and about and SEEN.search(s):
            return Clear("met", s, turn, "seen")
        # the sentence before it in the turn names what the number is of ("the late fees
        # first. Somewhere between six and nine thousand a year.")
        carried = i > 0 and related and _shares(words, said[i - 1])
        if "number" in wants and (own or answers or about and related or carried) and _counted(
                criterion_text, s) and not (_OUR_PRICE.search(s) and not _ABOUT_MONEY.search(
                    criterion_text)):  # our price is no number on their pain
            return Clear("met", s, turn, "number")
    if wants == {"named"} and related:  # "named and met or scheduled": a name is half
        named = _named(turn, sellers)
        if named:
            return Clear("met", named, turn, "named")
    return None


def _dated_answer(turn: dict[str, Any], asked: str, words: set[str]) -> Clear | None:
    """Our line on the criterion's own subject ("Then the proof run ... Monday January 18?")
    answered with a day in the reply's first sentence ("January 18 at Harbour Road. Yes."):
    the date is set, though the reply repeats none of the criterion's words."""
    said = _said(turn)
    if not said or not _shares(words, asked) or not DATE.search(said[0]):
        return None
    if HEDGE.search(said[0]) or NEGATED.search(said[0]) and not NOT_A_NO.search(said[0]):
        return None
    return Clear("met", said[0], turn, "date")


def _answered_who(turn: dict[str, Any], asked: str) -> Clear | None:
    """"And at the end, who signs?" - "Arne does.": the answer names who decides, read with
    the question it answers (a first name is a name)."""
    from assistant.reflect.fields import ELLIPSIS  # fields reads the same answers for facts

    said = sentences(str(turn["text"]))
    questions = [q for q in sentences(asked) if q.rstrip().endswith("?")]
    if not said or not questions or not re.search(r"\bwho\b", questions[-1], _I) \
            or not DECIDES.search(questions[-1]):
        return None
    m = ELLIPSIS.match(said[0])
    if m is None or m.group("who") in {"I", "We", "He", "She", "They"}:
        return None
    return Clear("met", said[0], turn, "named")


def read_clear(criterion: str, turns: list[dict[str, Any]], *, sellers: list[str],
               related: set[str]) -> Clear | None:
    """The criterion met or not met as the customer's plain words show it, or None.

    ``related``: ids of the turns most like the criterion (``criteria.candidates``). The
    newest clear line wins: a refusal after a yes leaves it not met, and the other way round.
    """
    from assistant.reflect.criteria import criterion_terms  # criteria imports this module

    wants = asks(criterion)
    if not wants:
        return None
    terms = criterion_terms(criterion) - {"$"}
    words = subject_words(criterion)
    found: Clear | None = None
    for k, turn in enumerate(turns):
        if not _theirs(turn, sellers) or len(content_words(str(turn["text"]))) < 1:
            continue
        prev = turns[k - 1] if k else None
        before = bool(prev and prev["id"] in related and not _theirs(prev, sellers))
        got = _held(criterion, turn, prev, sellers) if "held" in wants else None
        if got is None and "agreed" in wants:
            got = _restated(criterion, turn, prev, sellers)
        if got is None:
            got = _read_turn(wants, turn, turn["id"] in related, before, sellers, terms,
                             words, criterion)
        if got is None and "date" in wants and before and prev is not None:
            got = _dated_answer(turn, str(prev["text"]), words)
        if got is None and wants == {"named"} and prev is not None and not _theirs(
                prev, sellers):
            got = _answered_who(turn, str(prev["text"]))
        if got is not None:
            found = got
    if found is None and wants & {"named", "number", "date", "agreed"}:
        found = _answered_later(criterion, wants, turns, sellers, terms)
    if found is not None and found.status == "met" and not whole(criterion, found.turn):
        return None  # "who reviews it and how long they need": a name is half of it
    return found


# what each part of a composite criterion wants: "who reviews the contract and how long they
# need" -> a person and a duration
_PARTS: dict[str, re.Pattern[str]] = {
    "person": re.compile(r"\bwho(?:m|se)?\b|\bby name\b|\bnamed?\b", _I),
    "duration": re.compile(r"\bhow long\b|\bhow much time\b|\bturnaround\b", _I),
    "date": re.compile(r"\bwhen\b|\bdates?\b|\bscheduled\b|\bbooked\b", _I),
    "figure": re.compile(r"\bhow (?:many|much)\b(?! time)|\bnumbers?\b|\bfigures?\b", _I),
}
DURATION = re.compile(r"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|a couple of|"
                      r"a few|\d+)\s+(?:(?:working|business|full)\s+)?(?:days?|weeks?|months?|"
                      r"hours?)\b|\bovernight\b|\bfortnight\b", _I)


def parts(criterion: str) -> list[str]:
    """The kinds of answer a criterion wants, one per part joined by "and" ("who signs and
    when" -> person, date); one kind for a criterion of one part."""
    out: list[str] = []
    for piece in re.split(r"\band\b", criterion, flags=_I):
        kind = next((k for k, rx in _PARTS.items() if rx.search(piece)), None)
        if kind and kind not in out:
            out.append(kind)
    return out


def whole(criterion: str, turn: dict[str, Any]) -> bool:
    """Every part of a composite criterion is answered in the turn that meets it, each on a
    plain unhedged sentence (a person and a duration for "who ... and how long")."""
    from assistant.reflect.dialogue import names_person
    from assistant.reflect.spoken import says_figure

    kinds = parts(criterion)
    if len(kinds) < 2:
        return True
    said = [x for x in sentences(str(turn["text"])) if _plain(x) and not HEDGE.search(x)]
    speaker = turn.get("speaker")
    shown = {
        "person": lambda x: names_person(x, speaker, set()) or bool(PERSON.search(x)),
        "duration": lambda x: bool(DURATION.search(x)),
        "date": lambda x: bool(DATE.search(x)),
        "figure": lambda x: says_figure(x) or bool(NUMBER.search(x)),
    }
    return all(any(shown[k](x) for x in said) for k in kinds)


def _named_only(criterion: str, wants: set[str]) -> bool:
    """The criterion asks only for a name: "Economic buyer named", "The person who approves
    the spend is named" (approving is who they are, not what is asked); not "named and met
    or scheduled", where the name is half of it."""
    rest = wants - {"named"}
    if rest == {"agreed"} and re.search(r"\bwho (?:approv|sign|decid)\w*", criterion, _I):
        rest = set()
    return "named" in wants and not rest


def _answered_later(criterion: str, wants: set[str], turns: list[dict[str, Any]],
                    sellers: list[str], terms: set[str]) -> Clear | None:
    """Our question on the criterion answered firmly, however many turns later
    (:mod:`assistant.reflect.dialogue`): "who signs for this?" ... "To your first question:
    it stops with me." names who decides; "what does the report cost you?" ... "between
    eleven and fourteen thousand" puts a number on it."""
    from assistant.reflect.dialogue import replies
    from assistant.reflect.spoken import says_money

    by_id = {t["id"]: t for t in turns}
    decides = bool(DECIDES.search(criterion)) or bool(re.search(r"\bwho\b", criterion, _I))
    # a name answers the criterion when the name is all it asks, or its other parts are a
    # date or a figure the answer's turn must also give (``whole``)
    by_name = _named_only(criterion, wants) or "named" in wants and _besides_name(
        criterion, wants) <= {"date", "number"}
    for r in replies(turns, sellers=sellers):
        if r.strength != "firm" or r.turn not in by_id:
            continue
        q = r.question
        if by_name and q.wants == "person" and (
                decides and DECIDES.search(q.text) or _shares(terms, q.text)):
            return Clear("met", r.text, by_id[r.turn], "named")
        # a day or a yes on a hedged line ("if", "should be") settles nothing; a name said
        # in one ("Martin, who signs over $40k, gives notice if I ask") is still a name
        if _dated_yes(wants, q.wants, r.text) and _shares(terms, q.text) and not HEDGE.search(
                r.text):
            return Clear("met", r.text, by_id[r.turn], "date" if "date" in wants else "agreed")
        if "number" in wants and q.wants in ("figure", "money") and _shares(terms, q.text) \
                and not _OUR_PRICE.search(r.text) and (
                    says_money(r.text) or not _MONEY_WANTED.search(criterion)):
            return Clear("met", r.text, by_id[r.turn], "number")
    return None


def _besides_name(criterion: str, wants: set[str]) -> set[str]:
    """What a criterion that wants a name asks besides it, less the role the person has
    ("who reviews the contract": reviewing is who they are, not something to be seen)."""
    rest = re.sub(r"\bwho\s+\w+", " ", criterion, flags=_I)
    return {k for k in wants - {"named"} if k not in ASKS or ASKS[k].search(rest)}


def _dated_yes(wants: set[str], asked: str, answer: str) -> bool:
    """A firm reply to our question that gives what a date or agreement criterion wants: a
    day for "... with a start date" (asked as a date or a yes-or-no step: "Can we put a start
    date on it?" - "The second Friday of March."), a yes for an agreement with no date."""
    if "date" in wants:
        return asked in ("date", "yesno") and bool(DATE.search(answer))
    return "agreed" in wants and asked == "yesno" and bool(
        re.match(r"^\W*(?:yes|yeah|yep|sure|of course|absolutely|definitely)\b", answer, _I))


__all__ = ["ASKS", "Clear", "asks", "read_clear"]
