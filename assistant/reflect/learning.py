"""What worked, what didn't and the lesson: each line tied to a moment of the call.

A rep strikes two kinds of line the small model writes here (measured on the Alder Glen demo
reflection): stock lines that restate the plan ("Owen Kasprzak as lead", "No information
provided about the lab putting a number on remakes", the plan's own roles, agenda and exit
criteria in other words), and sentences cut mid-way ("The technical team was involved in the
demo, which"). The cut comes from the answer's JSON schema: every string is bounded
(``assistant.reflect.models.assess_schema``: 120 characters a line, 160 the lesson) and the
grammar closes the string at the bound, wherever the sentence is.

So code checks each line (:func:`check_line`): a cut line is trimmed to its last whole
sentence or dropped; a line that carries nothing from the transcript (no name, number or two
words of one sentence said in the call) or that mostly restates the plan is dropped. When no
line of the model's is left, code composes one from the verdict's evidence
(:func:`compose`): our ask, in our words, and what it got, in the customer's; a condition or
a point still open after the call; the lesson to settle it before the next ask. Every
composed line quotes the transcript.

Pure functions over turns (``{"id", "speaker", "text"}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from assistant.reflect.extract import content_words, sentences, short
from assistant.reflect.verdict import (
    Answer,
    Signal,
    Verdict,
    _order,
    answer_quote,
    answers,
    call_signals,
    classify_answer,
)

_YES = re.compile(r"\b(?:yes|yeah|sure|fine|okay|works for (?:me|us))\b", re.IGNORECASE)
# a sentence left hanging: it ends without a stop, on a word that needs what follows
_DANGLING = re.compile(r"\b(?:which|who|that|and|or|but|the|a|an|to|of|for|with|in|on|at|by|"
                       r"from|because|as|while|when|if|than|so|their|our|your|its|is|are|was|"
                       r"were|be|has|have|had)\W*$", re.IGNORECASE)
_END = re.compile(r"[.!?][\"')\]]?\s*$")
_SPECIFIC = re.compile(r"\d|\b[A-Z][a-z][\w'-]*")
QUOTE_CHARS = 110
# words every call has: sharing one of them with the transcript ties a line to nothing
_GENERIC = {w[:5] for w in (
    "call meeting demo team seller sellers customer customers client good great well went "
    "next step steps question questions time good rapport conversation discussion agenda "
    "value product solution deal pricing price talk talked asked ask said say clear "
    "information overview priorities process plan").split()}  # a quoted answer in a composed line


def _stems(text: str) -> set[str]:
    """Content words cut to five letters: "putting" and "put" are still apart, "remakes"
    and "remake" are not; enough to tell a restated plan item."""
    return {w[:5] for w in content_words(text)}


def trim_cut(text: str, limit: int) -> str | None:
    """The line as said when it ends; cut at the bound or on a hanging word, its whole
    sentences only (None when no sentence is whole)."""
    text = " ".join(text.split())
    cut = len(text) >= limit - 2 or bool(_DANGLING.search(text))
    if not cut or _END.search(text):
        return text
    whole = [s for s in sentences(text) if _END.search(s)]
    return " ".join(whole) if whole else None


def check_line(text: str, *, turns: list[dict[str, Any]], plan: Iterable[str],
               sellers: Iterable[str], moment: bool = True) -> str | None:
    """Why the line is stock (None when it cites a moment of the call). A lesson looks
    ahead (``moment=False``): it only must not restate the plan or say what any call says."""
    words = _stems(text)
    if not words:
        return "says nothing"
    own = {w for s in sellers for w in _stems(s)}
    plan_words = {w for p in plan for w in _stems(p)} | own
    rest = words - own
    if rest and len(rest & plan_words) >= 0.6 * len(rest):
        return "restates the plan"
    if rest and len(rest & (plan_words | _GENERIC)) >= 0.7 * len(rest):
        return "says what any call says"
    if not moment:
        return None
    said = [s for t in turns for s in sentences(" ".join(str(t["text"]).split()))]
    theirs = {str(t.get("speaker")) for t in turns if t.get("speaker")} - set(sellers)
    specific = {m.group(0) for m in _SPECIFIC.finditer(text)} - {
        w for s in sellers for w in s.split()}
    if any(any(tok in s for s in said) for tok in specific if len(tok) > 1 and not (
            tok[0].isupper() and text.startswith(tok))):
        return None
    if any(n.split()[0] in text for n in theirs if n):
        return None
    if any(len((words - own) & _stems(s)) >= 2 for s in said):
        return None
    # one word of a customer's sentence, when it is neither the plan's nor a word any call
    # has ("the hours were not turned into money" after "about three hours a day")
    rare = words - own - plan_words - _GENERIC
    if any(rare & _stems(str(t["text"])) for t in turns if t.get("speaker") in theirs):
        return None
    return "cites no moment of the call"


_QUOTED = re.compile(r"[\"“]([^\"”]{8,})[\"”]")
_MID_NAME = re.compile(r"(?<=[^.!?\s]\s)([A-Z][a-z][\w'-]*)")


def cites_call(text: str, *, turns: list[dict[str, Any]], sellers: Iterable[str]) -> bool:
    """A lesson a rep keeps names what moved or blocked the ask: a number said in the call,
    a customer's name, a name the call says mid-sentence, or words quoted from it. "The
    seller provided a clear and concise introduction" carries none of them."""
    said = " ".join(" ".join(str(t["text"]).split()) for t in turns)
    flat = said.casefold()
    ours = {w.casefold() for s in sellers for w in s.split()}
    if any(n in re.findall(r"\d[\d,.]*\d|\d", said) for n in re.findall(r"\d[\d,.]*\d|\d", text)):
        return True
    theirs = {w for t in turns if t.get("speaker") for w in str(t["speaker"]).split()
              if w.casefold() not in ours and len(w) > 2}
    names = {w for w in _MID_NAME.findall(said) if w.casefold() not in ours}
    words = {re.sub(r"'s$", "", w) for w in re.findall(r"[A-Z][a-z][\w'-]*", text)}
    if words & (theirs | names):
        return True
    return any(" ".join(q.split()).casefold().strip(" .,") in flat
               for q in _QUOTED.findall(text))


# a lesson that tells what was done, not what to do next time: "The seller provided
# information about ...", "We asked for the demo date", "Ines showed the dashboard"
_DID = (r"(?:\w+ed|showed|gave|made|did|was|were|had|took|got|sent|told|said|brought|ran|"
        r"went|spoke|led|kept|met|began|wrote|shared|sought|saw|knew|felt|found|left|"
        r"understood|thought|heard)")
_SUBJECT = (r"(?:the (?:sellers?|rep|reps|team|account (?:owner|executive)|ae|seller's team)|"
            r"our (?:team|seller|rep)|we|i)")


def recounts(text: str, sellers: Iterable[str] = ()) -> bool:
    """The lesson recounts what the seller did ("The seller provided information about their
    pricing problem and the need for a 90-day extension.") instead of saying what to do
    next time: it opens on the seller, us or one of our sellers by name, with a verb in the
    past. "Next time, ask who signs before the price" and "We should name the signer first"
    look ahead."""
    names = [re.escape(w) for s in sellers for w in (s, s.split()[0]) if w]
    subject = _SUBJECT + (rf"|{'|'.join(names)}" if names else "")
    return re.match(rf"\W*(?:{subject})\s+(?:also\s+|then\s+|successfully\s+|"
                    rf"effectively\s+|clearly\s+)?{_DID}\b", text, re.IGNORECASE) is not None


def _short(text: str) -> str:
    return short(text, QUOTE_CHARS)


def _first(a: Answer) -> str:
    said = sentences(a.text) or [a.text]
    return _short(a.counter or said[0])


def _who(speaker: str | None) -> str:
    return f" ({speaker})" if speaker else ""


def compose(turns: list[dict[str, Any]], *, sellers: list[str], people: Iterable[str] = (),
            verdict: Verdict | None = None) -> tuple[list[str], list[str], str | None]:
    """Worked, didn't and the lesson from our asks and the customer's answers (and, without
    an answered ask, the verdict's evidence), each quoting the words said. Empty where the
    call shows nothing to say."""
    status = verdict.status if verdict else "unknown"
    said = answers(turns, sellers=sellers)
    yes = [a for a in said if a.kind == "yes" and a.firm] or [a for a in said if a.kind == "yes"]
    # a yes that opens an answer with a condition later ("The demo, yes: December 9 …
    # Greg I can't promise") is what the ask got first: the earliest answer that says yes
    yes = sorted(yes + [a for a in said if a.kind == "if" and (first := sentences(a.text))
                        and (classify_answer(first[0]) == "yes" or _YES.search(first[0]))],
                 key=lambda a: _order(a.turn))
    counter = [a for a in said if a.counter]
    cond = [a for a in said if a.kind == "if"]
    no = [a for a in said if a.kind == "no" and not a.counter]
    evidence = verdict.evidence if verdict else []
    ours = {s.casefold() for s in sellers}
    theirs = [e for e in evidence if e.speaker and e.speaker.casefold() not in ours]
    worked = _worked(yes, counter, theirs if not said and status in ("met", "partial")
                     else [])
    didnt: list[str] = []
    if counter:
        a = counter[0]
        didnt.append(f"Our date was declined: \"{_short(a.ask.text)}\" got "
                     f"\"{_short(sentences(a.text)[0])}\"{_who(a.speaker)}")
    elif no:
        a = no[0]
        didnt.append(f"\"{_short(a.ask.text)}\" got a no: \"{_first(a)}\"{_who(a.speaker)}")
    elif status == "missed":
        declined = [e for e in evidence if e.kind == "decline"]
        didnt += [f"The customer declined or put it off: \"{_short(e.text)}\"{_who(e.speaker)}"
                  for e in declined[:1]]
    still = _still_open(turns, sellers, people, said, cond) if status == "partial" else None
    lesson = None
    if still:
        didnt.append(f"Still open after the call: \"{still[0]}\"{_who(still[1])}")
        lesson = ("Settle what is still open before the next ask: "
                  f"\"{still[0].rstrip('.')}\".")
    elif status == "missed" and no:
        a = no[0]
        lesson = (f"{_first_name(a.speaker, 'The customer')} said no to "
                  f"\"{_short(a.ask.text)}\": \"{_first(a)}\": ask for a smaller step they "
                  "can say yes to.")
    if lesson is None and status in ("partial", "missed"):
        lesson, held = _blocked(turns, sellers, people, said, evidence)
        if held and not didnt:
            didnt.append(f"Still open after the call: \"{held[0]}\"{_who(held[1])}")
    return worked[:2], didnt[:2], lesson


def _blocked(turns: list[dict[str, Any]], sellers: list[str], people: Iterable[str],
             said: list[Answer], evidence: list[Signal],
             ) -> tuple[str | None, tuple[str, str | None] | None]:
    """The lesson from what blocked the ask, in the customer's words (and what they held
    back, for the didn't line): their own date instead of ours, their no to our ask, or else
    their refusal or reservation in the call."""
    counter = [a for a in said if a.counter]
    if counter:
        a = counter[0]
        who = _first_name(a.speaker, "The customer")
        return (f"{who} turned down \"{_short(a.ask.text)}\" and set \"{_first(a)}\": "
                "ask for their dates before proposing ours."), None
    no = [a for a in said if a.kind == "no"]
    if no:
        a = no[0]
        who = _first_name(a.speaker, "The customer")
        return (f"{who} said no to \"{_short(a.ask.text)}\": \"{_first(a)}\": settle that "
                "before the next ask."), None
    ours = {s.casefold() for s in sellers}
    theirs = [e for e in [*evidence, *call_signals(turns, sellers=sellers, people=people)]
              if e.kind in ("decline", "hedge") and e.speaker
              and e.speaker.casefold() not in ours]
    if not theirs:
        return None, None
    e = next((x for x in theirs if x.kind == "decline"), theirs[0])
    who = _first_name(e.speaker, "They")
    return (f"{who} held back: \"{_short(e.text)}\": settle that before the next ask.",
            (_short(e.text), e.speaker))


def _worked(yes: list[Answer], counter: list[Answer], evidence: list[Signal]) -> list[str]:
    if yes:
        a = yes[0]
        said = sentences(a.text) or [a.text]
        return [f"{_asker(a)} asked \"{_short(a.ask.text)}\" and got a yes: "
                f"\"{_short(said[0])}\"{_who(a.speaker)}"]
    if counter:
        a = counter[0]
        return [f"{_asker(a)} asked for a date and the customer set one: "
                f"\"{_first(a)}\"{_who(a.speaker)}"]
    agreed = [e for e in evidence if e.kind == "commit" and e.speaker]
    return [f"The customer agreed: \"{_short(e.text)}\"{_who(e.speaker)}" for e in agreed[:1]]


def _still_open(turns: list[dict[str, Any]], sellers: list[str], people: Iterable[str],
                said: list[Answer], cond: list[Answer]) -> tuple[str, str | None] | None:
    """The customer's condition or open point after their last answer ("The money, we
    haven't agreed anything."), else the condition of a yes on a condition."""
    ours = {s.casefold() for s in sellers}
    last = max((_order(a.turn) for a in said), default=-1)
    after = [s for s in call_signals(turns, sellers=sellers, people=people)
             if s.kind == "hedge" and s.speaker and s.speaker.casefold() not in ours
             and _order(s.turn) > last]
    if after:
        return _short(after[-1].text), after[-1].speaker
    if cond:
        return _short(answer_quote(cond[0]).text), cond[0].speaker
    return None


_TITLES = {"dr", "dr.", "mr", "mr.", "ms", "ms.", "mrs", "mrs.", "prof", "prof."}


def _first_name(speaker: str | None, default: str) -> str:
    """"Dr. Omar Shalhoub" is Omar."""
    words = [w for w in (speaker or "").split() if w.casefold() not in _TITLES]
    return words[0] if words else default


def _asker(a: Answer) -> str:
    return (a.ask.speaker or "We").split()[0]


__all__ = ["check_line", "cites_call", "compose", "recounts", "trim_cut"]
