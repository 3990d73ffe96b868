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
line of the model's is left (and always once the assessment no longer asks for them),
code composes them from the customer's turns (:func:`compose`), by name, never narrating
what our seller did: their yes to our ask, their no or their own date, a point left open, a
pushback nobody took up; the lesson names the condition they set or the reason they gave
and what to do next time ("Dana would not agree to set a date until legal has the
redlines: settle that first, then ask again."). Every composed line quotes the transcript.

Pure functions over turns (``{"id", "speaker", "text"}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from assistant.reflect.extract import DATE, content_words, is_ours, sentences, short
from assistant.reflect.verdict import (
    Answer,
    Signal,
    Verdict,
    _order,
    _signer_withheld,
    answer_quote,
    answers,
    call_signals,
    classify_answer,
    loose_after_no,
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



# our ask's head: "So could we at least", "Keegan, can you", "Onboarding kickoff: can we"
_ASK_HEAD = re.compile(
    r"(?:^|[:;]\s+|[.!]\s+)\W*(?:(?:so|and|then|okay|ok|great|good|right|now)[,.]?\s+)*"
    r"(?:[A-Z][a-z]+,\s+)?(?:can|could|shall|should|would|will|may)\s+(?:we|i|you)\s+"
    r"(?:please\s+|at least\s+|also\s+|still\s+|just\s+|now\s+)*", re.IGNORECASE)
# where the thing asked for ends: ", so Keegan can plan", " so that", ", because"
_ASK_TAIL = re.compile(r",?\s+(?:so|so that|because|since|which|or|and then)\s+\w+.*$",
                       re.IGNORECASE)
# a condition the customer sets: "until legal has the redlines", "when the freeze ends"
_COND = re.compile(r"\b(?:until|till|once|when|after|unless|before)\s+([^,;:.!?]+)",
                   re.IGNORECASE)
# where the condition's clause ends: "the freeze ends I'll look at ..." -> "the freeze ends"
_COND_END = re.compile(r"\s+(?:and\s+)?(?:i|we|you|they|he|she|it)(?:'ll|'d|'m|'re| will| "
                       r"can| would| need| want)?\s.*$|\s+(?:and|but|then)\s.*$",
                       re.IGNORECASE)
# what the customer pushed back on: a worry said as one, or a question on price, risk or a why
_OBJECTION = re.compile(
    r"(?<!never )(?<!not )\b(?:too (?:expensive|much|high|long|slow|risky)|"
    r"(?:i'?m|we'?re) (?:worried|concerned|not convinced)|"
    r"my (?:real |main |big )?(?:problem|concern|worry)|can'?t afford|"
    r"doesn'?t (?:fix|solve|answer)|that'?s a (?:problem|deal[- ]breaker))\b", re.IGNORECASE)
_OBJECTION_Q = re.compile(r"\b(?:why|how come|what happens if)\b.*\b(?:pric\w*|cost\w*|"
                          r"fees?|rises?|goes up|go up|more|risk\w*|secur\w*|data|liabilit\w*|"
                          r"insurance|lock(?:ed)? in|cancel\w*)\b.*\?$", re.IGNORECASE)


def ask_object(ask: str) -> str | None:
    """What our ask asked for, as a verb phrase: "Could we at least put a date on the
    extract for after the freeze, so Keegan can plan?" is "put a date on the extract for
    after the freeze". None when the ask is no "can we ..." question ("Thursday?")."""
    text = " ".join(ask.split())
    heads = list(_ASK_HEAD.finditer(text))
    if not heads:
        return None
    m = heads[-1]
    rest = text[m.end():].split("?")[0]
    rest = _ASK_TAIL.sub("", rest).strip(" ,.")
    if len(rest) > 60 and "," in rest[20:]:
        rest = rest[:20] + rest[20:].split(",")[0]  # "... on February 1, on Steamboat and ..."
    if len(rest.split()) < 2:
        return None
    return short(rest, 80)


def condition(text: str) -> str | None:
    """The condition a customer's words set for the step ("No. Not before June 8, after the
    audit." -> "the audit"; "When the freeze ends I'll look at the DPA" -> "the freeze
    ends"): not a date alone, which is their own date, not a reason."""
    for m in _COND.finditer(" ".join(text.split())):
        cond = _COND_END.sub("", m.group(1)).strip(" ,.")
        if len(content_words(cond)) and not (DATE.fullmatch(cond) or re.fullmatch(
                r"(?:the )?(?:\d+\w*|next \w+|this \w+|[A-Z][a-z]+ \d+\w*)|"
                r"(?:a|an|one|two|three|\d+) (?:day|week|month|quarter|year)s?", cond)):
            return cond
    return None


def _reason(a: Answer) -> str | None:
    """The sentence of a no that gives why ("The audit has my whole team."): not the bare
    no, not their own date alone."""
    said = sentences(a.text) or [a.text]
    for s in said[1:] if len(said) > 1 else said:
        if s != a.counter and len(content_words(s)) >= 3 and not s.endswith("?"):
            return _short(s)
    return None


def _theirs_first(answers_: list[Answer]) -> list[Answer]:
    return sorted(answers_, key=lambda a: _order(a.turn))


# an ask for two things at once: "get 30 minutes with Ray, and book the demo for Marlon"
_TWO_ASKS = re.compile(r",\s*and\b|\band (?:book|get|set|send|put|have|do|start|sign|hold|"
                       r"schedule|meet|bring|name|share)\b", re.IGNORECASE)


def _agree_to(a: Answer) -> str:
    """"agreed to <what we asked>"; a yes to an ask for two things says which part only in
    the customer's words, so it is "said yes to part of"."""
    obj = ask_object(a.ask.text)
    if _TWO_ASKS.search(a.ask.text):
        return f"said yes to part of \"{_short(a.ask.text)}\""
    if obj and (m := _AGREE_HEAD.match(obj)):  # "agree today on the scope": not "to agree"
        return f"agreed {obj[m.end():]}"
    return f"agreed to {obj}" if obj else f"said yes to \"{_short(a.ask.text)}\""


# an ask that is itself to agree: "Can we agree the scope today?", "... agree on the price?"
_AGREE_HEAD = re.compile(r"^agree\s+", re.IGNORECASE)


def _declined(a: Answer) -> str:
    obj = ask_object(a.ask.text)
    if obj and (m := _AGREE_HEAD.match(obj)):
        return f"would not agree {obj[m.end():]}"
    return f"would not agree to {obj}" if obj else f"said no to \"{_short(a.ask.text)}\""


def open_objections(turns: list[dict[str, Any]], sellers: list[str]) -> list[Signal]:
    """A customer's pushback (price, risk, security, a rival, a why) that no later line of
    ours takes up: none of our later turns shares two of its words."""
    ours = {s.casefold() for s in sellers}
    out: list[Signal] = []
    for k, t in enumerate(turns):
        speaker = t.get("speaker")
        if not speaker or is_ours(speaker, ours):
            continue
        for sent in sentences(" ".join(str(t["text"]).split())):
            if not (_OBJECTION.search(sent) or _OBJECTION_Q.search(sent)) or len(
                    content_words(sent)) < 3:
                continue
            words = _stems(sent)
            answered = any(len(words & _stems(str(u["text"]))) >= 2 for u in turns[k + 1:]
                           if is_ours(u.get("speaker"), ours))
            if not answered:
                out.append(Signal(kind="hedge", text=sent, turn=t["id"], speaker=speaker,
                                  dated=False, owned=False))
    return out


def compose(turns: list[dict[str, Any]], *, sellers: list[str], people: Iterable[str] = (),
            verdict: Verdict | None = None) -> tuple[list[str], list[str], str | None]:
    """Worked, didn't and the lesson, each true to a moment of the call and naming who
    said what: the customer's yes to our ask (with its date), their no or their own date
    and the reason they gave, the condition still open, a pushback nobody answered. The
    lesson names a condition and what to do next time ("Dana would not agree to set a date
    until legal has the redlines: settle that first, then ask."). Empty where the call
    shows nothing to say."""
    status = verdict.status if verdict else "unknown"
    if verdict is not None and verdict.parts:
        return _by_parts(verdict, turns, sellers, people)
    heard = answers(turns, sellers=sellers)
    said = [a for a in heard if not loose_after_no(a, heard)]
    yes = [a for a in said if a.kind == "yes" and a.firm] or [a for a in said if a.kind == "yes"]
    # a yes that opens an answer with a condition later ("The demo, yes: December 9 …
    # Greg I can't promise") is what the ask got first: the earliest answer that says yes
    yes = _theirs_first(yes + [a for a in said if a.kind == "if" and (
        first := sentences(a.text)) and (classify_answer(first[0]) == "yes" or _YES.search(
            first[0]))])
    counter = [a for a in said if a.counter]
    cond = [a for a in said if a.kind == "if"]
    no = [a for a in said if a.kind == "no" and not a.counter]
    evidence = verdict.evidence if verdict else []
    ours = {s.casefold() for s in sellers}
    theirs = [e for e in evidence if e.speaker and e.speaker.casefold() not in ours]
    worked = _worked(yes, counter, theirs if not said and status in ("met", "partial")
                     else [])
    didnt = _didnt(counter, no, evidence if status == "missed" else [])
    shown = next((e for e in evidence if e.kind == "commit"), None)
    withheld = _signer_withheld(turns, ours, said, shown) if status == "partial" and (
        yes or shown) else None
    if withheld is not None:
        hit = withheld.evidence[-1]
        who = _first_name(hit.speaker, "They")
        didnt.append(f"{who} would not say who signs: \"{_short(hit.text)}\"")
        return worked[:2], didnt[:2], (
            f"{who} kept the signer back (\"{_short(hit.text)}\"): ask who signs, and to "
            "meet them, before the next ask.")
    still = _still_open(turns, sellers, people, said, cond) if status == "partial" else None
    if still:
        didnt.append(f"{_first_name(still[1], 'They')} left this open: \"{still[0]}\"")
    pushed = open_objections(turns, sellers)
    if pushed and len(didnt) < 2:
        didnt.append(f"{_first_name(pushed[0].speaker, 'They')} pushed back and got no answer: "
                     f"\"{_short(pushed[0].text)}\"")
    lesson = _lesson(counter, no, still, pushed)
    if lesson is None and status in ("partial", "missed"):
        lesson, held = _blocked(turns, sellers, people, said, evidence)
        if held and not didnt:
            text, speaker, did = held
            didnt.append(f"{_first_name(speaker, 'They')} {did}: \"{text}\"")
    return worked[:2], didnt[:2], lesson


_PART_SAID = {"agreed": "agreed", "conditional": "on a condition", "declined": "declined",
              "vague": "warm words, nothing agreed"}


def _by_parts(verdict: Verdict, turns: list[dict[str, Any]], sellers: list[str],
              people: Iterable[str]) -> tuple[list[str], list[str], str | None]:
    """Worked and didn't, one line per part of the ask the call answered ("Ingrid names who
    signs": agreed — Ingrid: "Arne does."); the lesson from the first part not agreed."""
    lines: dict[str, list[str]] = {"agreed": [], "other": []}
    for p in verdict.parts:
        if p.status == "unknown" or not p.quote:
            continue
        line = (f"\"{_short(p.text)}\": {_PART_SAID[p.status]} — "
                f"{_first_name(p.speaker, 'They')}: \"{_short(p.quote)}\"")
        lines["agreed" if p.status == "agreed" else "other"].append(line)
    lesson = _part_lesson(verdict) if verdict.status in ("partial", "missed") else None
    if lesson is None and verdict.status in ("partial", "missed"):
        lesson, _ = _blocked(turns, sellers, people, [], verdict.evidence)
    didnt = lines["other"][:2]
    quoted = [p.quote for p in verdict.parts if p.quote]
    more = [x for x in unanswered(turns, sellers) if not any(_short(q) in x for q in quoted)]
    didnt += more[:2 - len(didnt)]
    return lines["agreed"][:2], didnt, lesson


# what a part not agreed teaches, by how the call left it (the part and its line quoted)
_PART_LESSON = {
    "vague": "{who} was warm on \"{part}\" but agreed nothing firm (\"{quote}\"): before the "
             "call ends, ask for the day and who does it.",
    "declined": "{who} turned down \"{part}\" (\"{quote}\"): learn what stands in the way "
                "before asking for it again.",
    "conditional": "{who} left \"{part}\" hedged (\"{quote}\"): get it confirmed, by name or "
                   "in writing, before the next ask.",
}


def _part_lesson(verdict: Verdict) -> str | None:
    """The lesson from the first part of the ask the call did not settle: turned down (with
    the condition it set, when it set one), hedged, or warm words with nothing agreed."""
    for kind in ("declined", "vague", "conditional"):
        p = next((x for x in verdict.parts if x.status == kind and x.quote), None)
        if p is None:
            continue
        who, cond = _first_name(p.speaker, "The customer"), condition(p.quote)
        if cond and kind != "vague":
            return (f"{who} holds \"{_short(p.text)}\" until {cond} (\"{_short(p.quote)}\"): "
                    "settle that first, then ask again.")
        return _PART_LESSON[kind].format(who=who, part=_short(p.text), quote=_short(p.quote))
    return None


def unanswered(turns: list[dict[str, Any]], sellers: list[str]) -> list[str]:
    """Our questions for a name, a date or a sum that the call never answered, each quoted
    (:mod:`assistant.reflect.dialogue`): a gap to close before the next call."""
    from assistant.reflect.dialogue import replies

    out = []
    for r in replies(turns, sellers=sellers):
        q = r.question
        if q.wants not in ("person", "date", "money") or len(q.text.split()) < 4:
            continue
        if r.strength is None:
            out.append(f"No answer to our question \"{_short(q.text)}\"")
        elif r.strength == "declined":
            out.append(f"{_first_name(r.speaker, 'They')} turned away our question "
                       f"\"{_short(q.text)}\": \"{_short(r.text)}\"")
    return out


def _didnt(counter: list[Answer], no: list[Answer], evidence: list[Signal]) -> list[str]:
    if counter:
        a = counter[0]
        return [f"{_first_name(a.speaker, 'They')} would not take our date "
                f"(\"{_short(a.ask.text)}\"): \"{_short(sentences(a.text)[0])}\""]
    if no:
        a = no[0]
        return [f"{_first_name(a.speaker, 'They')} {_declined(a)}: \"{_first(a)}\""]
    declined = [e for e in evidence if e.kind == "decline"]
    return [f"{_first_name(e.speaker, 'They')} declined or put it off: \"{_short(e.text)}\""
            for e in declined[:1]]


def _lesson(counter: list[Answer], no: list[Answer], still: tuple[str, str | None] | None,
            pushed: list[Signal]) -> str | None:
    """A condition the call showed and what to do about it next time, first found of: a no
    with its reason, their own date, a point left open, a pushback nobody answered."""
    for a in no:
        who, cond = _first_name(a.speaker, "The customer"), condition(a.text)
        if cond:
            return f"{who} {_declined(a)} until {cond}: settle that first, then ask again."
        why = _reason(a)
        if why:
            return f"{who} {_declined(a)} because \"{why}\": answer that before the next ask."
    if counter:
        a = counter[0]
        who, cond = _first_name(a.speaker, "The customer"), condition(a.text)
        because = f" (until {cond})" if cond else ""
        return (f"{who} turned down \"{_short(a.ask.text)}\" and set \"{_first(a)}\"{because}: "
                "ask for their dates before proposing ours.")
    if no:
        a = no[0]
        return (f"{_first_name(a.speaker, 'The customer')} {_declined(a)}: \"{_first(a)}\": "
                "ask for a smaller step they can say yes to.")
    if still:
        who, cond = _first_name(still[1], "The customer"), condition(still[0])
        if cond:
            return f"{who} holds a point until {cond}: settle that before the next ask."
        return f"{who} left \"{still[0].rstrip('.')}\" open: settle it before the next ask."
    if pushed:
        e = pushed[0]
        return (f"{_first_name(e.speaker, 'The customer')} raised \"{_short(e.text)}\" and "
                "got no answer: bring the answer before the next ask.")
    return None  # a clean yes with its date is what worked; it teaches no condition


# a choice made for someone else: "We're going with Galley", "we signed with Tenderloop"
_CHOSE = re.compile(r"\b(?:signed with|going with|gone with|went with|chose|picked|"
                    r"staying with|decided on|renew(?:ed|ing) with)\s+"
                    r"([A-Z][\w&'-]+(?:\s[A-Z][\w&'-]+)?)")


def _blocked(turns: list[dict[str, Any]], sellers: list[str], people: Iterable[str],
             said: list[Answer], evidence: list[Signal],
             ) -> tuple[str | None, tuple[str, str | None, str] | None]:
    """Without an answered ask: the lesson from the customer's refusal or reservation in the
    call, with its condition when it sets one (and for didn't: what they said, who said it,
    and what they did: "chose X" or "held back")."""
    ours = {s.casefold() for s in sellers}
    theirs = [e for e in [*evidence, *call_signals(turns, sellers=sellers, people=people)]
              if e.kind in ("decline", "hedge") and e.speaker
              and e.speaker.casefold() not in ours]
    if not theirs:
        return None, None
    e = next((x for x in theirs if x.kind == "decline"), theirs[0])
    who, cond = _first_name(e.speaker, "They"), condition(e.text)
    quote = _short(e.text)
    chose = _CHOSE.search(e.text)
    if chose:  # decided for someone else: nothing left to settle in this deal
        return (f"{who} chose {chose.group(1)} (\"{quote}\"): ask early who else they are "
                "weighing, and on what terms."), (quote, e.speaker, f"chose {chose.group(1)}")
    held = (quote, e.speaker, "held back")
    if cond:
        return (f"{who} held back until {cond} (\"{quote}\"): settle that first, then ask "
                "again."), held
    return f"{who} held back: \"{quote}\": settle that before the next ask.", held


def _worked(yes: list[Answer], counter: list[Answer], evidence: list[Signal]) -> list[str]:
    if yes:
        a = yes[0]
        said = sentences(a.text) or [a.text]
        return [f"{_first_name(a.speaker, 'They')} {_agree_to(a)}: \"{_short(said[0])}\""]
    if counter:
        a = counter[0]
        return [f"{_first_name(a.speaker, 'They')} kept the step and set their own date: "
                f"\"{_first(a)}\""]
    agreed = [e for e in evidence if e.kind == "commit" and e.speaker]
    return [f"{_first_name(e.speaker, 'They')} agreed: \"{_short(e.text)}\""
            for e in agreed[:1]]


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


__all__ = ["ask_object", "check_line", "cites_call", "compose", "condition", "open_objections",
           "recounts", "trim_cut"]
