"""Was the call's objective met? Code composes the verdict from what the customer said.

A 1.5B model asked "was the objective met?" confuses met with partial both ways (measured:
2 right of 11). What decides the answer is visible in the words, so code reads them:

- a **commitment**: the customer agrees to a next step ("that works", "send the order form,
  I'll sign by December 5", "Karen agreed to a site assessment on December 3"), with a date
  and an owner or without;
- a **hedge**: the agreement is conditional or incomplete ("maybe", "I can't promise",
  "she will check", "would not give a signature date", "no meeting booked");
- a **refusal or postponement**: "no, not now", "let's talk again in 2028", "spend is frozen",
  "we went with Stampli", "revisit in Q3".

The PLAYBOOK's rule turns them into the status: **met** = the customer agreed, with a date or
an owner, and nothing hedges it; **partial** = agreed to part of it, or without a date, or
with a condition; **missed** = declined, postponed, or no next step at all; **unknown** only
when the notes say nothing about the call. The model's own answer (with its quote) is used
only when code finds no signal either way, and the reflection says which decided.

Who says what to which ask decides first (:func:`compose_objective`):

1. the rep's outcome, when the call closed the deal: won = met, lost or no decision = missed;
2. notes that stop before the call's end are unknown, unless the answer to our ask (a dated
   yes, a flat no) was recorded;
3. **our asks and the customer's answers** (:func:`answers`): each question of ours that asks
   for a step ("Can we book …?", "Is that a yes to …?", "Does that work?") with each
   customer's first answer before we ask again, read as yes, a yes on an open condition
   ("If those three are done, yes", "I'll sponsor it if Raj signs off", "Book it, but after
   Kevin") or no ("Not yet", "Send me a summary first", "I'll call you"). A caveat elsewhere in
   the call ("year two depends on the year we have") does not hedge a dated yes to the ask;
   a refusal after the yes ("we went with RouteIQ") does overrule it;
   A no to our day that sets a day of the customer's own for the same step ("Can we start
   Monday the 14th?" - "No. December is the rush. January 11, not before.") is **partial**:
   the step survives with a date, but not the one we asked for (the PLAYBOOK's met is a yes
   to our ask); a vague later ("revisit in the new year") stays a postponement, missed. A
   question proposing a day ("December 10?", "Then a session with Marcus on December 15?")
   is an ask; a second customer's words after the first answer count only when they open
   with an answer or speak of their own part ("And I'll look at the fund. No promises.");
4. without any answered ask, the signals of the whole call as above. Our sellers' own
   caveats and promises are never the customer's condition or yes.

The rep's own verdict written in the notes ("Objective missed.") comes right after the
outcome: the rep was in the room.

Pure functions over turns (``{"id", "speaker", "text"}``), shared by the reflect workflow and
the tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.reflect.extract import _MONTHS, _WEEKDAYS, DATE, content_words, is_ours, sentences
from assistant.reflect.parts import judge_parts, status_of

Kind = Literal["commit", "hedge", "decline", "ask"]  # ask: our request for a next step
Status = Literal["met", "partial", "missed", "unknown"]

_I = re.IGNORECASE
# The customer (or the note about them) agrees to a step forward.
_COMMIT = re.compile(
    r"(?:^(?:yes|yeah|yep|sure|absolutely|definitely|of course)\b(?!,? but)|, yes\b|"
    r"\bcan (?:sign|approve) (?:it|this|that)\b|"
    r"(?:^|, )(?:monday|tuesday|wednesday|thursday|friday|that|this|it|the \w+) works\b|"
    r"^[^.,]{1,25} works[.!]?$|^done[.!]?$)|"
    r"\b(agreed|agrees|agree to|works for (?:me|us)|let'?s do (?:it|that)|"
    r"sounds good|deal\b|we'?re in\b|go ahead|green light|accepted|accepts|"
    r"(?<!is )(?<!be )(?<!been )(?<!are )(?<!has )(?<!have )signed|"
    r"will sign|i'?ll sign|we'?ll sign|sign by|booked|scheduled|confirmed (?:a|the)\b|"
    r"put (?:it|us|that) (?:in|on) the calendar|send (?:me|us) (?:the|a|an|your) (?:[\w-]+ )?"
    r"(?:order form|contract|paperwork|invite|sow|statement of work|proposal|lease|agreement|"
    r"plan|redlines?)|set up (?:a|the)|count (?:me|us) in|let'?s (?:do|start|run|book|set up) "
    r"(?:a|an|the)\b|i'?ve seen enough|(?:^|\. )signed\b|"
    r"i'?ll (?:bring|take|introduce|invite|set up|book|schedule|sponsor|sign)|"
    r"we'?ll (?:start|go with you|move forward|proceed)|move forward|next step:|"
    r"can live with|can defend (?:it|that|this)|i'?m for (?:the|it|that|this)|"
    r"i'?m satisfied|(?:is|'s) not a blocker|no longer a blocker)", _I)
# The agreement is partial, conditional or missing a date or a decision.
_HEDGE = re.compile(
    r"\b((?:have|has|had)(?:n'?t| not) (?:agreed|decided|committed)|"
    r"(?:not|n'?t) promis(?:e|ing)|can'?t say (?:yet|for sure)|"
    r"(?:maybe|perhaps|possibly)(?! (?:[$€£]?\d|(?:about|around|half|a (?:third|quarter|"
    r"dozen)|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|"
    r"forty|fifty|a hundred)\b))|might|can'?t promise|cannot promise|not sure|depends|"
    r"need(?:s)? to (?:check|review|think|talk)|(?:will|to) check|let me check|"
    r"must (?:review|approve|sign off)|would(?:n'?t| not) (?:give|commit|agree)|"
    r"no (?:date|signature date|meeting|next meeting|call) (?:was )?(?:booked|set|agreed|"
    r"given)|without a date|not (?:yet )?(?:confirmed|committed)|unclear|first\b.*\breview|"
    r"only if|as long as|on condition|provided that|wait until|after (?:the|our) .{0,30}"
    r"closes|tbd|don'?t (?:book|schedule|sign|commit)\b.{0,30}\byet|don'?t sign|"
    r"not (?:yet|in) (?:december|january|this (?:month|quarter|year))|"
    r"send (?:me|us) (?:some|more|a few )?"
    r"(?:info|information|something|materials?|a deck|brochures?|case stud(?:y|ies)|"
    r"a summary|an overview|whatever you have))\b", _I)
# The customer declines, stops or postpones.
_DECLINE = re.compile(
    r"\b(no,? not now|not now|not (?:interested|a priority|this year|ready)|won'?t (?:take|"
    r"move|buy|go|sign|proceed)|will not (?:take|move|buy|proceed)|decided (?:not|against)|"
    r"(?:went|going|go) with (?:[A-Z][\w&-]+|another|a competitor|the incumbent)|"
    r"chose (?:[A-Z][\w&-]+|another|a competitor)|(?:frozen|freeze|on hold|paused?\b|"
    r"shelved|cancel(?:l?ed)?\b|no budget|lost (?:the|to)|closed lost|pass on|pull(?:ed)? out)|"
    r"(?:revisit|talk again|check back|reconnect|circle back|come back to (?:this|it))"
    r"(?: .{0,25})? (?:in|after|next) (?:20\d\d|q[1-4]|the (?:new|next) (?:year|quarter)|"
    r"(?:spring|summer|autumn|fall|winter)|january|february|march|april|may|june|july|"
    r"august|september|october|november|december|\d+ months)|"
    r"not (?:going|moving) (?:ahead|forward)|no next step|signed with (?!us\b)[A-Z][\w&-]+|"
    r"^lost\b|(?:deal|opportunity) (?:is |was )?lost|^no(?:pe)?\b[.!,]|"
    r"(?:talk|speak) again\b)", _I)
# Decline words that only decline when they are about the deal ("spend is frozen", "the
# project is on hold"), not about anything ("the feed showed cancelled sessions").
_WEAK_DECLINE = re.compile(r"\b(frozen|freeze|on hold|paused?|shelved|cancel(?:l?ed)?)\b", _I)
_DEAL_OBJECT = re.compile(
    r"\b(spend\w*|budget\w*|project|deal|purchase|pilot|rollout|roll-out|decision|"
    r"evaluation|initiative|everything|order|contract|plans?|this|it|us|vendors?|"
    r"hiring|capex|opex|program(?:me)?|renewal|signature|procurement)\b", _I)
_BARE_NO = re.compile(r"^\s*no(?:pe)?\b[.!,]", _I)
# The notes say the recording or transcript stops before the end of the call.
_CUT = re.compile(r"\b(recording (?:ends|ended|stops|stopped|cut|cuts)|transcript (?:ends|"
                  r"ended|stops|stopped|cut|cuts)|(?:recording|transcript|audio) (?:was )?cut "
                  r"off|end of (?:the )?(?:recording|transcript)|recording failed|"
                  r"(?:lost|dropped) the recording|rest of the (?:call|meeting) (?:was )?(?:not|"
                  r"never) (?:recorded|captured|transcribed)|(?:recorder|recording|"
                  r"transcription) (?:stopped|died|ran out|hit (?:its|the) limit)|"
                  r"ran out of (?:storage|battery)|(?:transcript|recording) (?:is )?incomplete)"
                  r"\b", _I)
# A seller's own promise is a next step, not the customer's agreement.
_SELLER_PROMISE = re.compile(r"^\s*(?:i'?ll|i will|we'?ll|we will|let me)\b", _I)
_NEGATED_COMMIT = re.compile(
    r"(?:\b(?:no|not|never)|n't)\b[^.]{0,25}\b(agree|sign|book|schedul|confirm)", _I)
# The rep's own verdict in their notes: "Objective missed.", "Objective: partially met."
_REP_VERDICT = re.compile(r"^\W*(?:the |our )?(?:call'?s )?objective(?: was| is)?\s*[:-]?\s*"
                          r"(met|missed|partial(?:ly met)?|not met)\b", _I)
_PERSON = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z'-]+)?\b")
OUTCOME_STATUS: dict[str, Status] = {"won": "met", "lost": "missed", "no-decision": "missed"}
MIN_WORDS = 12  # fewer content words than this: the notes say nothing about the call


@dataclass(frozen=True)
class Signal:
    """One sentence that bears on the verdict."""

    kind: Kind
    text: str
    turn: str
    speaker: str | None
    dated: bool
    owned: bool


@dataclass
class Verdict:
    status: Status
    reason: str
    evidence: list[Signal] = field(default_factory=list)
    decided_by: Literal["code", "model", "none"] = "code"
    parts: list[Any] = field(default_factory=list)  # the ask's parts, judged (``reflect.parts``)

    @property
    def quote(self) -> Signal | None:
        return self.evidence[0] if self.evidence else None


def _owned(sentence: str, speaker: str | None, people: Iterable[str]) -> bool:
    """Someone is named as doing it: "I'll …" said by a speaker, a known person, or a name
    that is the subject of the agreement in a note ("Karen agreed to …")."""
    if speaker and re.search(r"\b(i'?ll|i will|i can|we'?ll|we will)\b", sentence, _I):
        return True
    if any(re.search(rf"\b{re.escape(p.split()[0])}\b", sentence) for p in people if p):
        return True
    return re.search(r"\b[A-Z][a-z]+ (?:[A-Z][a-z]+ )?(?:agreed|accepted|approved|booked|"
                     r"scheduled|confirmed|signed)\b", sentence) is not None


def _reports_other(sentence: str, speaker: str | None) -> bool:
    """A seller's sentence that reports what someone else did ("Karen agreed to …"). A
    capitalised word that only opens the sentence ("For now, yes.") is no person: it must be
    a full name, stand inside the sentence, or be followed by what the person did."""
    first = (speaker or "").split()[0] if speaker else ""
    for m in _PERSON.finditer(sentence):
        word = m.group(0).split()[0]
        if word == first or word in _NOT_NAMES:
            continue
        if " " in m.group(0) or m.start() > 0 or _DID.match(sentence, m.end()):
            return True
    return False


_DID = re.compile(r"\s+(?:agreed|accepted|approved|booked|scheduled|confirmed|signed|said|"
                  r"says|wants|will|can|would|is|has)\b", _I)


_NOT_NAMES = frozenset("So And But Then Great Good Deal Okay Ok Yes Thanks The We I It "
                       "That This Recap Next Let Perfect Sounds Agreed".split())


def call_signals(turns: list[dict[str, Any]], *, sellers: Iterable[str],
                 people: Iterable[str] = ()) -> list[Signal]:
    """Commitments, hedges and refusals, in the order they were said.

    Turns spoken by our sellers count only when they report what the customer did ("Karen
    agreed …") or confirm a date the customer set ("So we have a signature date of
    December 5"); a seller promising something is a next step, not the customer's yes.
    """
    ours = {s.casefold() for s in sellers}
    names = [*people, *sellers]
    out: list[Signal] = []
    previous = ""
    for t in turns:
        speaker = t.get("speaker")
        seller_turn = is_ours(speaker, ours)
        text = " ".join(str(t["text"]).split())
        turn_dated = bool(DATE.search(text))
        # a customer who agrees owns what they agreed to; a date anywhere in their turn
        # ("Agreed. Start December 1") dates it
        turn_owned = bool(speaker) and not seller_turn
        for s in (c for sentence in sentences(text) for c in sentence.split("; ")):
            if s.rstrip().endswith("?"):
                continue  # an ask, not an answer
            kinds: list[Kind] = []
            if _DECLINE.search(s) and _declines(s, previous) or _date_refused(s):
                kinds = ["decline"]
            else:
                if _COMMIT.search(s) and not _NEGATED_COMMIT.search(s):
                    kinds.append("commit")
                if _HEDGE.search(s):
                    kinds.append("hedge")  # "that works, but I can't promise": both
            for kind in kinds:
                if seller_turn and kind == "commit" and (
                        _SELLER_PROMISE.search(s) or not (DATE.search(s) or _reports_other(
                            s, speaker))):
                    continue  # our promise or our "great", not their agreement
                if seller_turn and kind == "hedge" and (
                        _SELLER_PROMISE.search(s) or not _reports_other(s, speaker)):
                    continue  # our own caveat, not the customer's condition
                own_turn = kind == "commit" and turn_owned
                out.append(Signal(kind=kind, text=s.strip(), turn=t["id"], speaker=speaker,
                                  dated=bool(DATE.search(s)) or (own_turn and turn_dated),
                                  owned=own_turn or _owned(s, speaker, names)))
        previous = text
    return out


# a date of ours refused outright: "December 16 is not possible", "the 9th won't work"
_NOT_POSSIBLE = re.compile(r"\b(?:is|are|'s)(?: not|n'?t) possible\b|\bwon'?t (?:be possible|"
                           r"work)\b|\b(?:is|'s) (?:out|impossible)\b", _I)


def _date_refused(sentence: str) -> bool:
    """A date named and refused in one sentence ("December 16 is not possible."): a
    decline of the step on that date, whatever comes after it."""
    m = _NOT_POSSIBLE.search(sentence)
    d = DATE.search(sentence)
    return bool(m and d and d.end() <= m.start() and m.start() - d.end() <= 12)


def _declines(sentence: str, previous: str) -> bool:
    """A decline pattern that declines: a bare "No." answers a question just asked, and
    "frozen", "on hold", "cancelled" speak of the deal, not of anything."""
    if _BARE_NO.search(sentence) and not _DECLINE.search(_BARE_NO.sub("", sentence)):
        said = sentences(previous)
        return bool(said) and is_ask(said[-1])  # "No." to "Any contract?" declines nothing
    strong = _DECLINE.search(_WEAK_DECLINE.sub(" ", sentence))
    weak = _WEAK_DECLINE.search(sentence)
    if strong is None and weak is not None:  # the deal must be right next to the word
        near = sentence[max(0, weak.start() - 30): weak.end() + 30]
        return _DEAL_OBJECT.search(near) is not None
    return True


def rep_verdict(turns: list[dict[str, Any]], *, sellers: Iterable[str]) -> Verdict | None:
    """The rep's own verdict written in the notes ("- No yes today. Objective missed."): the
    rep was in the room, so their word decides. Only lines of our side or of no speaker."""
    ours = {s.casefold() for s in sellers}
    for t in reversed(turns):
        if t.get("speaker") and not is_ours(t.get("speaker"), ours):
            continue
        for s in sentences(" ".join(str(t["text"]).split())):
            m = _REP_VERDICT.search(s.lstrip("-*• "))
            if m:
                word = m.group(1).casefold()
                status: Status = ("met" if word == "met" else "missed" if word in (
                    "missed", "not met") else "partial")
                kind: Kind = ("commit" if status == "met" else "hedge" if status == "partial"
                              else "decline")
                return Verdict(status, f"the rep's notes say so: \"{s.strip()}\"",
                               [Signal(kind=kind, text=s.strip(), turn=t["id"],
                                       speaker=t.get("speaker"), dated=False, owned=False)])
    return None


def cut_short(turns: list[dict[str, Any]]) -> str | None:
    """The words that say the recording or transcript stops before the call ended."""
    for t in turns[-3:]:
        m = _CUT.search(str(t["text"]))
        if m:
            return m.group(0)
    return None


def compose_objective(turns: list[dict[str, Any]], *, sellers: Iterable[str],
                      people: Iterable[str] = (), model_status: str | None = None,
                      model_quote: str | None = None, outcome: str | None = None,
                      ask: str | None = None) -> Verdict:
    """The objective's status from the signals; the model's answer only breaks a silence.

    A deal the rep says was won in the call met its objective and one lost (or ended without
    a decision) missed it, whatever was said on the way. Then the plan's ask (``ask``, the
    rep's goal for the call), part by part when it has several and the call speaks of each
    (:mod:`assistant.reflect.parts`). Otherwise the customer's answers to our asks decide
    (:func:`from_answers`); without any, the signals of the whole call; a met with a part of
    the ask declined is partial ("Fine." agrees to what was just asked, not to all of it).
    """
    sellers = list(sellers)
    verdict = _compose(turns, sellers=sellers, people=people, model_status=model_status,
                       model_quote=model_quote, outcome=outcome, ask=ask)
    if verdict.status == "met" and outcome not in OUTCOME_STATUS and not verdict.reason.startswith(
            ("the rep's notes", "the plan's ask")):
        return _by_parts(ask, turns, sellers, verdict) or verdict
    return verdict


def _by_parts(ask: str | None, turns: list[dict[str, Any]], sellers: list[str],
              verdict: Verdict | None) -> Verdict | None:
    """The verdict from the ask's parts, or ``verdict`` made partial when it says met and a
    part of the ask was declined; None when the parts decide nothing."""
    judged = judge_parts(ask, turns, sellers=sellers)
    if not judged:
        return None
    shown = [Signal(kind="commit" if p.status == "agreed" else "decline" if p.status ==
                    "declined" else "hedge", text=p.quote, turn=p.turn, speaker=p.speaker,
                    dated=bool(DATE.search(p.quote)), owned=True) for p in judged if p.quote]
    said = "; ".join(f"{p.text}: {p.status}" for p in judged)
    if (status := status_of(judged)) is not None:
        return Verdict(status, f"the plan's ask, part by part: {said}", shown, parts=judged)
    # a part declined, or no name to a part that asks who ("Fine." to the date alone)
    declined = [p for p in judged if p.status == "declined" or p.status == "unknown"
                and re.search(r"\bwho\b", p.text, _I)]
    if verdict is not None and verdict.status == "met" and declined:
        why = f": \"{declined[0].quote}\"" if declined[0].quote else " (nobody named)"
        return Verdict("partial", f"the customer agreed to part of the ask, not to "
                       f"\"{declined[0].text}\"{why}",
                       shown + verdict.evidence, parts=judged)
    return None


def _compose(turns: list[dict[str, Any]], *, sellers: list[str], people: Iterable[str],
             model_status: str | None, model_quote: str | None, outcome: str | None,
             ask: str | None) -> Verdict:
    signals = call_signals(turns, sellers=sellers, people=people)
    commits = [s for s in signals if s.kind == "commit"]
    hedges = [s for s in signals if s.kind == "hedge"]
    declines = [s for s in signals if s.kind == "decline"]
    if outcome in OUTCOME_STATUS:  # the words that show it, when the call has them
        said_so = [s for s in (commits if outcome == "won" else declines)
                   if s.dated or s.owned]
        return Verdict(OUTCOME_STATUS[outcome], f"the deal was {outcome} in this call "
                       "(the rep's outcome)", said_so[-1:], "code")
    said_by_rep = rep_verdict(turns, sellers=sellers)
    if said_by_rep is not None:
        return said_by_rep
    firm = [c for c in commits if c.dated or c.owned]
    last = signals[-1] if signals else None
    said = answers(turns, sellers=sellers)
    cut = cut_short(turns)
    if cut and not declines and not any(a.flat or a.kind == "yes" and a.firm for a in said):
        return Verdict("unknown", f"the notes stop before the call's end (\"{cut}\"): how "
                       "the ask was answered is not in them", [], "none")
    parted = _by_parts(ask, turns, sellers, None)
    if parted is not None:
        return parted
    ours = {s.casefold() for s in sellers}
    verdict = from_answers(said, agreed=[c for c in commits if not is_ours(c.speaker, ours)])
    if verdict is not None and verdict.status == "met":
        verdict = _signer_withheld(turns, ours, said) or verdict
    late = [d for d in declines if said and not is_ours(d.speaker, ours)
            and _order(d.turn) > max(_order(a.turn) for a in said)]
    if verdict is not None and late and verdict.status != "missed":
        return Verdict("missed", "after answering our ask the customer declined or postponed: "
                       f"\"{late[-1].text}\"", late)
    if verdict is not None:
        return verdict
    if declines and (not commits or (last is not None and last.kind == "decline"
                                     and not firm)):
        return Verdict("missed", "the customer declined or postponed: "
                       f"\"{declines[0].text}\"", declines + commits)
    if firm and not hedges and not declines:
        shown = next(c for c in commits if c.turn == firm[-1].turn)  # the turn's first "yes"
        return _signer_withheld(turns, ours, said, shown) or Verdict(
            "met", f"the customer agreed, with a date or an owner: \"{shown.text}\"",
            [shown, *commits])
    if commits:
        why = ("with a condition or an open point" if hedges or declines else
               "without a date or an owner")
        return Verdict("partial", f"the customer agreed to part of it, {why}: "
                                  f"\"{(hedges or declines or commits)[0].text}\"",
                       [commits[-1], *hedges, *declines])
    if hedges:
        return Verdict("partial" if model_status in ("met", "partial") else "missed",
                       f"no firm agreement: \"{hedges[0].text}\"", hedges, "code")
    words = sum(len(content_words(t["text"])) for t in turns)
    if words < MIN_WORDS:
        return Verdict("unknown", "the notes say almost nothing about the call", [], "none")
    asks = seller_asks(turns, sellers=sellers)
    if asks:
        return Verdict("missed", f"we asked for a next step and got no yes: \"{asks[-1].text}\"",
                       asks, "code")
    if model_status in ("met", "partial", "missed") and model_quote:
        return Verdict(model_status, "the model's reading (code found no agreement, refusal "  # type: ignore[arg-type]
                       "or ask in the notes)", [], "model")
    return Verdict("unknown", "the notes show no ask, no agreement and no refusal", [], "none")


_WHO_SIGNS_Q = re.compile(r"\bwho\b[^?]*\b(?:approv\w*|signs?|sign-?off|decid\w*|budget)\b|"
                          r"\b(?:one of you|someone|anyone)\b[^?]*\bsigns?\b|"
                          r"\bthreshold\b", _I)
_WITHHELD = re.compile(r"\bnot (?:putting|giving|naming)(?: (?:you|them|him|her|us))? (?:a|any|"
                       r"the|their|his|her) names?\b|\bcan'?t (?:say|tell)\b|"
                       r"\bnot (?:today|yet)\b|\bafter (?:we'?ve|we have) (?:seen|had)\b|"
                       r"\btalk about (?:that|it) (?:after|later|next)\b|"
                       r"\bleave (?:it|that|this|him|her|them|(?:my|our) \w+) (?:with|to) me\b|"
                       r"\bfor now\b|\byou'?ll meet (?:him|her|them)\b|"
                       r"\bi'?ll (?:handle|deal with|take care of) (?:him|her|them|that)\b", _I)


# who signs answered with no one the notes can put a name to: "Me and my partner.", "My partner
# and I decide together", "we decide together", "the owners"
_UNNAMED_SIGNER = re.compile(
    r"^\W*(?:(?:well|so|oh|honestly),?\s+)?(?:me|i|us|we|myself) and (?:my|our) (?:\w+ )?"
    r"(?:partners?|co-?owners?|wife|husband|brother|sister|father|dad|mother|mum|mom|son|"
    r"daughter|family|boss|board|owners?)\b|"
    r"^\W*(?:my|our) (?:\w+ )?(?:partners?|co-?owners?|wife|husband|brother|sister|family) "
    r"and (?:i|me)\b|\b(?:we|they) (?:decide|sign|do it) together\b|"
    r"^\W*(?:the owners|the partners|the family|the board|us two|the two of us)\W*$", _I)
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?")


def unnamed_signer(sentence: str) -> bool:
    """The signer given with no name or title the notes can put a name to ("Me and my
    partner.", "we decide together"); "Me and my partner, Dale Hurst." names him."""
    return bool(_UNNAMED_SIGNER.search(sentence)) and not _NAME.search(sentence)


def model_can_decide(turns: list[dict[str, Any]], *, sellers: Iterable[str],
                     people: Iterable[str] = (), outcome: str | None = None) -> bool:
    """True when the model's answer could change the verdict code composes (no clear signal
    in the notes). Composed twice: without the model's answer and with a "met". The model's
    status counts in two places only (a hedge: ``met``/``partial`` lift it to partial, else
    missed; silence: the model's status, else unknown), and "met" changes both, so a verdict
    that any answer moves, "met" moves. When it is False the assessment does not ask the
    model for the objective (``reflect_assess@7``)."""
    sellers, people = list(sellers), list(people)
    alone, met = (compose_objective(turns, sellers=sellers, people=people, model_status=status,
                                    model_quote="q" if status else None,
                                    outcome=outcome).status
                  for status in (None, "met"))
    return alone != met


def _signer_withheld(turns: list[dict[str, Any]], ours: set[str],
                     said: list[Answer], shown: Signal | None = None) -> Verdict | None:
    """A yes to our step, then our question on who approves or signs put off ("We'll talk
    about that after we've seen the demo. I'm not putting a name on it today.") or answered
    with no name ("Me and my partner."): the ask named two things and the call gave one, so
    **partial**; **missed** when the only yes was to the question of who signs itself. The
    yes is an answer to our ask, or (``shown``) the agreement the call's signals found."""
    last_yes = max((_order(a.turn) for a in said if a.kind == "yes"),
                   default=_order(shown.turn) - 1 if shown else -1)
    asked = False
    for t in turns:
        text = " ".join(str(t["text"]).split())
        if is_ours(t.get("speaker"), ours):
            asked = any(q.rstrip().endswith("?") and _WHO_SIGNS_Q.search(q)
                        for q in sentences(text)) or (asked and not text.rstrip().endswith("?"))
            continue
        if _order(t["id"]) < last_yes or not (asked and t.get("speaker")):
            continue
        hit = next((x for x in sentences(text) if _WITHHELD.search(x)
                    or unnamed_signer(x)), None)
        yes = next((a for a in said if a.kind == "yes"
                    and not _WHO_SIGNS_Q.search(a.ask.text)), None)
        if hit and not yes and not (shown and (shown.turn != t["id"] or shown.dated)):
            return Verdict("missed", f"we asked who signs and got no name: \"{hit}\"",
                           [Signal(kind="hedge", text=hit, turn=t["id"],
                                   speaker=t.get("speaker"), dated=False, owned=False)])
        if hit:
            first = answer_quote(yes) if yes else shown
            return Verdict("partial", f"the customer said yes to \""
                           f"{yes.ask.text if yes else first.text}\" but "  # type: ignore[union-attr]
                           f"would not say who approves: \"{hit}\"",
                           [first, Signal(kind="hedge", text=hit, turn=t["id"],  # type: ignore[list-item]
                                          speaker=t.get("speaker"), dated=False, owned=False)])
    return None


def is_ask(sentence: str) -> bool:
    """A question of ours that asks the customer for a step forward."""
    s = sentence.strip()
    if not s.endswith("?") or _OFFER.search(s):
        return False
    return bool(_ASK_Q.search(s)) or bool(_DAY.search(s) and not _INFO_Q.search(s))


def seller_asks(turns: list[dict[str, Any]], *, sellers: Iterable[str]) -> list[Signal]:
    """Our questions that ask the customer for a next step ("Can we book a scoping workshop
    next Tuesday?")."""
    ours = {s.casefold() for s in sellers}
    out = []
    for t in turns:
        if not is_ours(t.get("speaker"), ours):
            continue
        for s in sentences(" ".join(str(t["text"]).split())):
            if is_ask(s):
                out.append(Signal(kind="ask", text=s.strip(), turn=t["id"],
                                  speaker=t.get("speaker"), dated=bool(DATE.search(s)),
                                  owned=True))
    return out


# ---- our ask and the customer's answer to it ------------------------------------------------

# Our question that asks the customer for a step forward: "Can we book …?", "Is that a yes to
# …?", "Does that work?", "Could we agree …?" (not "Can I ask …?", a question for information).
_ASK_Q = re.compile(
    r"\b(?:can|could|shall|should|would|will) (?:we|you|i)\b(?! ask\b).{0,60}\b(?:book|"
    r"schedule|set up|meet|start|sign|run|agree|commit|bring|introduce|move|get|put|hold|"
    r"look at|lock|pencil|make|pick|confirm|approve|sponsor|take)\b|"
    r"\b(?:can|could|shall) we do\b[^?]{0,40}\b(?:" + _MONTHS + "|" + _WEEKDAYS + r"|"
    r"(?:this|next) (?:week|month)|tomorrow|(?:a|one) (?:morning|afternoon|day))\b|"
    r"\bis that a (?:yes|go|deal)\b|\bdoes [^?]{0,30}\bwork\b|\bdo we have a deal\b|"
    r"\b(?:are you|would you be) (?:ok|okay|open|willing|ready|comfortable)\b", _I)
# The answer declines or postpones: "No.", "Not yet.", "I'm not booking anything on a maybe".
_ANSWER_NO = re.compile(
    r"^\s*(?:no(?:pe)?\b|not (?:yet|now|before|today|this (?:year|quarter|month))\b|"
    r"i'?m not\b|we'?re not\b|(?:i|we) (?:don'?t|do not|won'?t|will not|can'?t|cannot)\b|"
    r"don'?t (?:book|schedule|sign|write|commit|put)\b|"
    r"i'?d rather (?:wait|not|hold off)\b|(?:let'?s|we'?ll) (?:wait|hold off|park (?:it|this))\b)",
    _I)
# "We'll get back to you": the customer keeps the next move, with no date.
_LATER = re.compile(
    r"\b(?:get back to you|come back to you|let you know|(?:will|'ll) call you|"
    r"(?:we|i)'?ll (?:see|think about it|look at it)|(?:let me|i need to|we need to) think|"
    r"send (?:me|us) (?:the |a |an |some )?(?:summary|info|information|deck|overview|"
    r"materials?|brochures?|case stud(?:y|ies)|details)|(?:send|get me) (?:the |a )?summary "
    r"first|come back when|(?:let'?s|we'?ll|we can|i'?ll) (?:revisit|circle back|talk again|"
    r"reconnect|touch base|pick (?:this|it) up)|"
    r"(?:ask|call|try|check with) (?:me|us) (?:again )?(?:in|after|around|next|once|when)\b)\b",
    _I)
# A question that proposes a step on a day: "December 10?", "Then a session with Marcus on
# December 15?" (not one that asks for information: "When did you sign on March 3?")
_DAY = re.compile(rf"\b(?:(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b|"
                  rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b|(?:{_WEEKDAYS})\b)", _I)
# ("What about February 23?" / "How about Tuesday?" propose a day: asks, not information)
_INFO_Q = re.compile(r"^\s*(?:\w+,\s*)?(?:what(?! about)|when|who|whom|whose|how(?! about)|why|"
                     r"which|where|did|"
                     r"was|were|have|has|had|do|does|are|is there)\b", _I)
# "Can I bring our CEO?": an offer of ours, not a step the customer is asked to take, unless
# it asks for their time ("Can I book 20 minutes with you?")
_OFFER = re.compile(r"^(?:\w+,? )?(?:can|could|may) i\b(?![^?]*\byour?\b)", _I)
# A yes on a condition still open: "If those three are done, yes", "I'll sponsor it if Raj
# has signed off", "Book it, but after Kevin", "I'll try".
_ANSWER_IF = re.compile(
    r"(?:^|[.!] )(?:(?:only )?if|unless|as long as|provided|assuming|depending on)\b|"
    r"\b(?:yes|yeah|sure|okay|ok|fine|it'?s a yes|i'?ll \w+ (?:it|that|this|one))\b"
    r"[^.]{0,40}\b(?:if|unless|as long as|provided)\b|"
    r"\bbut (?:only )?(?:after|if|once|not before)\b|\bi'?ll try\b|\bno promises\b|"
    r"\bcan'?t promise\b|\bnot promising\b|\bcan'?t say (?:yet|for sure)\b|"
    r"^\s*(?:yes|yeah|sure|okay|ok|in principle)\b,? but\b|"
    r"^\s*(?:probably|likely|possibly|maybe|hopefully|i think so|in principle)\b", _I)
# A yes: a plain agreement, a step the customer takes, a person they name to take it, or a
# date they offer ("December 2, 10 am.").
_ANSWER_YES = re.compile(
    r"^\s*(?:yes|yeah|yep|sure|absolutely|definitely|of course|okay|ok|fine|good|great|done|"
    r"deal|agreed|perfect|let'?s)\b|\b(?:yes|sure|fine|agreed|done)[.!]?\s*$|"
    r"\bit'?s a (?:yes|go|deal)\b|^[^.]{0,30}\bworks\b|\bworks for (?:me|us)\b|"
    r"^\s*(?:book|schedule|pencil|put) it\b|"
    r"\b(?:i|we)'?ll (?:sign|sponsor|own|run|take|bring|book|schedule|set|put|approve|ask|"
    r"tell|get|send|forward|introduce|invite)\b|"
    r"\b(?:i'?m|we'?re) (?:for|in|on board)\b|"
    r"^\s*(?:i|we) can (?:do|hold|make|host|take|start|book|fit)\b|\bcan live with\b|"
    r"^\s*(?:sounds (?:good|great|fine|right)|go ahead|count (?:me|us) in|that'?s fine)\b", _I)
# "Kira runs it", "Angela can": the customer names who does it (a name, so case matters)
_NAMED_STEP = re.compile(r"^[A-Z][a-z]+ (?:runs|owns|leads|comes|can|will)\b")
_STARTS_DATED = re.compile(rf"^\s*(?:{DATE.pattern})", _I)
_FIRST_PERSON_STEP = re.compile(r"\b(?:i|we)'?ll (?:sign|sponsor|own|run|book|schedule|"
                                r"approve|put it)\b", _I)
_FIRST_PERSON = re.compile(r"\b(?:i|i'?ll|i'?m|i'?d|we|we'?ll|we'?re|we'?d|me|us)\b", _I)
_NAMED = re.compile(r"(?<=\w )[A-Z][a-z]+\b")
AnswerKind = Literal["yes", "if", "no"]


@dataclass(frozen=True)
class Answer:
    """A customer's answer to one of our asks."""

    kind: AnswerKind
    ask: Signal
    text: str
    turn: str
    speaker: str | None
    firm: bool  # a date (in the ask or the answer) or a person named to do it
    flat: bool = False  # a flat no ("No.", "Not yet."), not only "we'll get back to you"
    counter: str | None = None  # a no to our date with a day of their own ("January 11")


def classify_answer(text: str) -> AnswerKind | None:
    """``no`` (declines, postpones, "we'll get back to you"), ``if`` (a yes on an open
    condition), ``yes``, or None when the words do not answer the ask."""
    said = sentences(text) or [text]
    first, head = said[0], said[:2]
    if _ANSWER_NO.search(first) or _LATER.search(first):
        return "no"
    if any(_ANSWER_IF.search(s) for s in head):
        return "if"
    if _ANSWER_YES.search(first) or _NAMED_STEP.search(first) or any(
            _STARTS_DATED.search(s) for s in head):
        return "yes"
    return None


def _firm(ask: str, answer: str, speaker: str | None) -> bool:
    if DATE.search(ask) or DATE.search(answer) or _FIRST_PERSON_STEP.search(answer):
        return True
    own = set((speaker or "").split())
    return any(m.group(0) not in _NOT_NAMES and m.group(0) not in own
               for m in _NAMED.finditer(answer))


def answers(turns: list[dict[str, Any]], *, sellers: Iterable[str]) -> list[Answer]:
    """Each of our asks with each customer's first answer to it: their next words that
    answer, before we ask again (a customer who only asks back has not answered yet)."""
    ours = {s.casefold() for s in sellers}
    out: list[Answer] = []
    asks = {a.turn: a for a in seller_asks(turns, sellers=ours)}
    pending: Signal | None = None
    answered: set[str] = set()
    for t in turns:
        speaker = t.get("speaker")
        if is_ours(speaker, ours):
            if t["id"] in asks:
                pending, answered = asks[t["id"]], set()
            elif _asks_other(str(t["text"])):
                # a later question of ours takes the next answer ("Should Greta send the
                # draft before the 12th?" - "No."): the ask before it is not what that
                # answer speaks to
                pending = None
            continue
        if pending is None or not speaker or speaker in answered:
            continue
        said = [s for s in sentences(" ".join(str(t["text"]).split()))
                if not s.rstrip().endswith("?")]
        # a second customer answers when they open with it or speak of their own part ("And
        # I'll look at the fund. No promises."); a colleague's "The committee meets January
        # 14. If the case is ready …" is context, not an answer
        aside = bool(answered) and said and not _FIRST_PERSON.search(said[0])
        kind = classify_answer(" ".join(said[:1] if aside else said)) if said else None
        if kind is None:
            continue
        body = " ".join(said)
        answered.add(speaker)
        out.append(Answer(kind=kind, ask=pending, text=body, turn=t["id"], speaker=speaker,
                          firm=_firm(pending.text, body, speaker),
                          flat=kind == "no" and bool(_ANSWER_NO.search(said[0])),
                          counter=counter_date(body) if kind == "no" else None))
    return out


def _asks_other(text: str) -> bool:
    """Our turn ends on a question that is not an ask for a step (a question for
    information or about something else): the customer's next words answer that."""
    said = sentences(" ".join(text.split()))
    return bool(said) and said[-1].rstrip().endswith("?") and not is_ask(said[-1])


def counter_date(answer: str) -> str | None:
    """The sentence of a no that sets another day for the step ("No. December is the rush.
    January 11, not before."): the customer keeps the step and moves it. A vague later
    ("revisit in Q3", "call me next year") is a postponement, not a counter."""
    if _LATER.search(answer) or _DECLINE.search(_BARE_NO.sub("", answer)):
        return None
    said = sentences(answer)
    # "December 18 isn't possible." refuses our day; it sets none of theirs
    return next((s for s in said if not _date_refused(s) and (
        _DAY.search(s) and s is not said[0] or _DAY.search(_BARE_NO.sub("", s)))), None)


def _order(turn: str) -> int:
    """``t12`` -> 12: turns in the order they were said."""
    return int(turn[1:]) if turn[1:].isdigit() else 0


def answer_quote(a: Answer) -> Signal:
    """The answer's sentence that shows it: its condition for a yes on a condition."""
    said = sentences(a.text) or [a.text]
    # a yes on a condition shows the condition ("I can hold December 10 … I can't say yet")
    first = next((s for s in said if a.kind == "if" and (_ANSWER_IF.search(s) or _HEDGE.search(
        s))), said[0])
    return Signal(kind="hedge" if a.kind == "if" else "decline" if a.kind == "no" else "commit",
                  text=first, turn=a.turn, speaker=a.speaker, dated=a.firm, owned=a.firm)


def loose_after_no(a: Answer, said: list[Answer]) -> bool:
    """A colleague's loose yes after a no to the same ask ("I won't book a date today." -
    "Then I'll take it up the chain myself."): no date, no owner; the step stays declined."""
    return a.kind == "yes" and not a.firm and any(
        n.kind == "no" and n.ask.turn == a.ask.turn and _order(n.turn) < _order(a.turn)
        for n in said)


def from_answers(said: list[Answer], agreed: Iterable[Signal] = ()) -> Verdict | None:
    """The verdict from the customer's answers to our asks (None when nothing answered):
    **missed** when every answer declines or puts it off and the customer agreed to nothing
    else in the call (``agreed``: their commitments); **met** when every answer is a yes and
    one has a date or a named person; otherwise **partial** (a yes to part of it, a yes
    without a date or an owner, or a yes on a condition still open)."""
    if not said:
        return None
    counters = [a for a in said if a.counter]
    if counters and all(a.kind != "no" or a.counter for a in said):
        # PLAYBOOK: met needs the customer's yes to our ask; a no to our day with a day of
        # their own keeps the step but not what we asked: part of it
        c = counters[0]
        return Verdict("partial", f"the customer declined \"{c.ask.text}\" but set another "
                       f"day for the step: \"{c.counter}\"",
                       [Signal(kind="commit", text=str(c.counter), turn=c.turn,
                               speaker=c.speaker, dated=True, owned=True), answer_quote(c)])
    no = [a for a in said if a.kind == "no"]
    yes = [a for a in said if a.kind == "yes" and not loose_after_no(a, said)]
    cond = [a for a in said if a.kind == "if"]
    part = [c for c in agreed if _order(c.turn) < _order(no[0].turn)] if no else []
    if no and not yes and not cond and part:
        return Verdict("partial", f"the customer agreed to part of it (\"{part[0].text}\") but "
                       f"not to \"{no[0].ask.text}\": \"{answer_quote(no[0]).text}\"",
                       [part[0], answer_quote(no[0])])
    if no and not yes and not cond:
        return Verdict("missed", f"we asked \"{no[-1].ask.text}\" and the customer declined "
                       f"or put it off: \"{answer_quote(no[-1]).text}\"",
                       [answer_quote(a) for a in no])
    firm = [a for a in yes if a.firm]
    if firm and not cond and not no:
        return Verdict("met", f"the customer said yes to \"{firm[-1].ask.text}\", with a date "
                       f"or an owner: \"{answer_quote(firm[-1]).text}\"",
                       [answer_quote(firm[-1]),
                        *(answer_quote(a) for a in yes if a is not firm[-1])])
    why = (f"on a condition still open: \"{answer_quote(cond[0]).text}\"" if cond else
           f"but not to \"{no[0].ask.text}\": \"{answer_quote(no[0]).text}\"" if no else
           f"without a date or an owner: \"{answer_quote(yes[-1]).text}\"")
    return Verdict("partial", f"the customer agreed to part of it, {why}",
                   [answer_quote(a) for a in (cond or no or yes)] + [answer_quote(a) for a in yes])
