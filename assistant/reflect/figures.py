"""The deal's own figures, read off the call, and the ICP evidence the outcome makes of them.

``huddle outcome`` records a closed deal with its figures: cycle length, people involved,
delivery friction, satisfaction, deal size. Where the transcript or the notes say them ("73
days from first call to signature", "Beth, Tony, Kevin, Priya and two specialists were
involved", "$148k a year", "36% off", "nobody owned the project") :func:`propose_figures`
proposes them, each with the sentence that says it; the rep confirms or corrects them at the
reflection's checkpoint, and ``huddle outcome`` then uses the confirmed ones.

:func:`outcome_evidence` turns a closed deal into ICP evidence against the account's attribute
values, "opportunistic with intention": a smooth win is evidence *for* the account's values; a
painful win (long cycle against the usual, heavy discount, high friction, nobody owning it) is
evidence *against* the values outside the stated profile; a loss is evidence against every
value of the account (a loss inside the profile counts against it too, as the ledger counts
it); a no-decision only against the values outside the profile (it is no verdict on fit).
Counts, not opinions: nothing is written before the rep confirms.

Pure functions over turns (``{"id", "speaker", "text"}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from assistant.injection import unquotable
from assistant.numbers import word_value
from assistant.reflect.extract import MONEY, is_ours, rival_named, rival_of, sentences
from assistant.reflect.fields import COSTED, PAYS_SOMEONE, PAYS_TODAY, SET_ASIDE

_I = re.IGNORECASE
FIGURES = ("cycle_days", "people_involved", "deal_size", "delivery_friction", "satisfaction")
PAINFUL_CYCLE = 1.5  # a cycle this many times the usual one is painful
HEAVY_DISCOUNT = 25  # percent

_DURATION = re.compile(r"\b(\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|"
                       r"eleven|twelve|a dozen)[- ]?(days?|weeks?|months?)\b", _I)
_CYCLE_WORDS = re.compile(r"\b(cycle|first (?:call|meeting|contact|demo)|from .{0,30} to "
                          r"(?:signature|signing|close|contract)|took|to close|to sign|"
                          r"start to finish|end to end|been at (?:this|it))\b", _I)
_PEOPLE_WORDS = re.compile(r"\b(involved|people|stakeholders|committee|sign-?offs?|"
                           r"approvers|decision makers)\b", _I)
_COUNT = re.compile(r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                    r"a dozen)\s+(?:\w+\s+)?(people|stakeholders|specialists|approvers|"
                    r"managers|directors|others|more|of them|lawyers|engineers|users)\b", _I)
_NAME = re.compile(r"\b[A-Z][a-z]+\b")
_DEAL_WORDS = re.compile(r"\b(deal|contract|total|signed|order|acv|tcv|annual|a year|per year|"
                         r"/year|year one|three[- ]year|multi-year|all in|came to|closed at)\b",
                         _I)
_DISCOUNT = re.compile(r"\b(\d{1,2})\s?%\s?(?:off|discount)|discount of (\d{1,2})\s?%", _I)
# words that say something went badly, but only of the delivery when it is named beside them:
# "January is messy with year-end close" is no delivery friction, "the rollout was messy" is
_VAGUE_HIGH = re.compile(r"\b(painful|nightmare|escalat\w*|firefight\w*|slipp\w*|delays?|"
                         r"delayed|rework|chaos|messy|dragged)\b", _I)
_HIGH = re.compile(r"\b("
                   r"(?:nobody|no one)(?: on (?:our|their|your|the \w+) side)? "
                   r"(?:owned|owns|owning)|no owner|heavy discount|"
                   r"(?:below|lower than|under) (?:anything|any deal|what) we'?(?:ve| have) "
                   r"(?:ever )?(?:done|given|offered|signed)|"
                   r"(?:lowest|biggest|deepest) (?:price|discount|deal) we'?(?:ve| have) ever|"
                   r"(?:lose|losing|lost) money on (?:this|the) (?:account|deal|customer|contract)|"
                   r"need\w* (?:\w+ ){0,2}extra (?:engineers?|staff|people|headcount|"
                   r"consultants?|resources)|"
                   # a price under our own floor: "that's below our approved price"
                   r"(?:below|under) (?:our|the) (?:approved |list |floor |minimum |lowest )*"
                   r"(?:price|pricing|floor|list|minimum)|"
                   # nobody to own it after the sale, or the one who wanted it leaving
                   r"(?:nobody|no one)(?:'s| has| have)? (?:been )?(?:named|assigned|picked)|"
                   r"(?:i|he|she)(?:'m| am| is|'s)? (?:retir(?:e|es|ing)|leaving the company)|"
                   # the one who wanted it gone by a date: "You know I'm gone June 30."
                   r"(?:i'?m|i am|i'?ll be|he'?s|she'?s|he will be|she will be) (?:gone|leaving|"
                   r"out of here)(?= (?:on |in |by |after |from )?(?:jan|feb|mar|apr|may|jun|jul|"
                   r"aug|sep|oct|nov|dec|the end|\d))|"
                   # money back written in on a date we may miss: "Two months' fees back."
                   r"(?:months?|weeks?)'? (?:fees?|money|subscription) back)\b",
                   _I)
# a delay in the paperwork ("the delay was on the legal side") is the sales cycle, not delivery
_PAPER_DELAY = re.compile(r"\b(?:delay\w*|slipp\w*)\b[^.]{0,30}\b(?:legal|contract|redlines?|"
                          r"paperwork|procurement|lawyers?|signature)\b", _I)
MANY_PEOPLE = 8  # this many people involved in one deal's decision is a painful cycle
_LOW = re.compile(r"\b(smooth\w*|on time|no issues|without a hitch|went well|easy (?:rollout|"
                  r"install\w*|implementation)|clean rollout|on schedule)\b", _I)
# what the friction is about: the delivery of our product, named in the sentence ("The board
# session went well" says nothing of how the rollout went)
_DELIVERY = re.compile(r"\b(install\w*|roll-?outs?|rolled out|implement\w*|onboard\w*|go-?live|"
                       r"went live|migrat\w*|deploy\w*|projects?|pilots?|launch\w*|delivery|"
                       r"set-?up|training|cut-?over|hand-?over|integrat\w*|switch-?over|"
                       r"transition)\b", _I)
# a fee given away on top of a discount: the concessions add up to a heavy one
_WAIVED = re.compile(r"\b(?:onboarding|setup|set-up|implementation|installation|training)"
                     r"(?: fees?)? (?:\w+ )?(?:waived|free|dropped|written off|halved|"
                     r"cut in half)\b|\bwaiv\w+ "
                     r"(?:the |all )?(?:onboarding|setup|implementation|installation|training)",
                     _I)
STACKED_DISCOUNT = 15  # percent, with a waived fee beside it

# a loss said in the call: "we underpriced the blocks by $70,000", "left $20k on the table"
_LOSS = re.compile(r"\b(?:underpric\w*|undersold|undercharg\w*|on the table|leak\w*|"
                   r"cost(?:s|ing)? (?:us|me|them))\b", _I)
_SATISFACTION = re.compile(r"\b([1-5])\s?(?:/|out of)\s?5\b", _I)
_STOP_NAMES = frozenset("I The We Our And But So Then It That This From To".split())


def _number(word: str) -> int | None:
    """A whole count in digits or words ("6", "six", "a dozen"): the shared reader's value."""
    value = word_value(word)
    return int(value) if value is not None and value.is_integer() else None


def _heavy_discount(s: str, turn: str = "") -> bool:
    """A discount of :data:`HEAVY_DISCOUNT` % or more, or of :data:`STACKED_DISCOUNT` % with
    a fee waived beside it, in the sentence or the same turn ("20% off list and onboarding
    waived"; "that is 20% off. Onboarding halved to $4,000.")."""
    m = _DISCOUNT.search(s)
    if not m:
        return False
    pct = int(m.group(1) or m.group(2))
    return pct >= HEAVY_DISCOUNT or pct >= STACKED_DISCOUNT and bool(
        _WAIVED.search(s) or _WAIVED.search(turn))


def _days(amount: float, unit: str) -> int:
    u = unit.casefold()
    return round(amount * (30.4 if u.startswith("month") else 7 if u.startswith("week")
                           else 1))


def money_value(text: str) -> float | None:
    """``$148k`` -> 148000.0; ``$1.2m`` -> 1200000.0; ``$29,000`` -> 29000.0."""
    m = re.search(r"(\d[\d,]*(?:\.\d+)?)\s?(k|m|bn|million|thousand)?", text, _I)
    if not m:
        return None
    value = float(m.group(1).replace(",", ""))
    scale = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9}
    return value * scale.get((m.group(2) or "").casefold(), 1)


def _people(s: str, known: set[str]) -> int | None:
    """People counted in a sentence: names listed plus "two specialists"."""
    names = {n for n in _NAME.findall(s) if n in known or n not in _STOP_NAMES and (
             s.find(n) > 0 or s.startswith(n + ","))}  # "Beth, Tony, ...": a list of names
    extra = sum(_number(m.group(1)) or 0 for m in _COUNT.finditer(s))
    total = len(names) + extra
    return total if total >= 2 else None


def not_our_deal(s: str, before: str, rivals: Iterable[str]) -> bool:
    """An amount that is no deal size: a rival's price ("I pay Yieldpoint $3,400 a month"),
    what they pay someone today, or what the problem costs or loses them ("we underpriced
    the blocks by $70,000"). A deal size is our price, or their budget or offer for us."""
    if rival_of(s, before, rivals) or PAYS_TODAY.search(s) or PAYS_SOMEONE.search(s):
        return True
    return bool((COSTED.search(s) or _LOSS.search(s)) and not SET_ASIDE.search(s))


# an amount said as the one replaced: "instead of $28,960", "down from $56k", "not $30,000"
_REPLACED = re.compile(r"\b(?:instead of|rather than|down from|up from|not|was)\s+"
                       r"([$€£]\s?\d[\d,.]*\s?(?:k|m)?)", _I)
# our list price said as such: "List for fourteen homes is $70,560 a year"
_LIST = re.compile(r"\blist(?: price)?\b", _I)
# nobody to run it: the answer to our "who runs the rollout?" is no one ("Nobody is.")
_WHO_RUNS = re.compile(r"\bwho\b[^?]*\b(?:runs?|owns?|leads?|manages?|drives?|responsible|"
                       r"in charge)\b[^?]*\?", _I)
_NOBODY = re.compile(r"^\W*(?:(?:honestly|well|so),?\s+)?(?:nobody|no one|no-one)\b(?!\s+else)",
                     _I)


def _below_list(s: str, list_price: float | None) -> bool:
    """An agreed price :data:`HEAVY_DISCOUNT` % or more under the list price said before it
    ("List ... is $70,560 a year" then "$50,000 a year, all in"): a heavy discount, in
    figures rather than a percentage. Amounts under a third of the list are something else
    (a fee, a migration), not the price."""
    if not list_price or _LIST.search(s) or not _DEAL_WORDS.search(s):
        return False
    values = [v for m in MONEY.finditer(s) if (v := money_value(m.group(0)))]
    return any(list_price / 3 < v <= list_price * (1 - HEAVY_DISCOUNT / 100) for v in values)


_OF_US = re.compile(r"\b(?:you|your|yours)\b", _I)


def _rivals_offer(s: str, before: str, rivals: Iterable[str]) -> bool:
    """A rival's offer: the rival named in the sentence, or in the one before it when this one
    does not speak of us ("HearthCase called Owen again. 25% off now, on top of the freeze.")."""
    return rival_named(s, before, rivals, of_us=_OF_US) is not None


def propose_figures(turns: list[dict[str, Any]], *, people: list[str] = (),  # type: ignore[assignment]
                    rivals: Iterable[str] = ()) -> list[dict[str, Any]]:
    """``[{"name", "value", "quote", "turn"}]``: the figures the call says, first mention;
    no deal size from a rival's price or a cost of the problem (:func:`not_our_deal`)."""
    known = {p.split()[0] for p in people if p}
    found: dict[str, dict[str, Any]] = {}

    def put(name: str, value: Any, s: str, t: dict[str, Any]) -> None:
        if name not in found and value is not None:
            found[name] = {"name": name, "value": str(value), "quote": s, "turn": t["id"]}

    list_price: float | None = None
    asked = ""  # the question that ends the turn before
    for t in turns:
        said = sentences(str(t["text"]))
        for k, s in enumerate(said):
            if unquotable(s) or s.rstrip().endswith("?"):
                continue
            said_list = _LIST.search(s)
            if said_list and (m := MONEY.search(s[said_list.start():])):
                list_price = list_price or money_value(m.group(0))
            if _WHO_RUNS.search(asked) and _NOBODY.search(s):
                put("delivery_friction", "high", s, t)  # nobody owns the project
            d = _DURATION.search(s)
            # "We've been at this since July. Six months, three reviews": the length follows
            led = bool(k and d and d.start() <= 1 and _CYCLE_WORDS.search(said[k - 1]))
            if d and (_CYCLE_WORDS.search(s) or led):
                n = d.group(1)
                amount = float(n) if n[0].isdigit() else float(_number(n) or 0)
                put("cycle_days", _days(amount, d.group(2)), s, t)
            if _PEOPLE_WORDS.search(s):
                put("people_involved", _people(s, known), s, t)
            amounts = [m.group(0) for m in MONEY.finditer(s)]
            if amounts and _DEAL_WORDS.search(s) and not _DISCOUNT.search(s) and not \
                    not_our_deal(s, said[k - 1] if k else "", rivals):
                # "Year one is $24,560 instead of $28,960": the amount replaced is no deal
                was = {money_value(m.group(1)) for m in _REPLACED.finditer(s)}
                amounts = [a for a in amounts if money_value(a) not in was] or amounts
                biggest = max(amounts, key=lambda a: money_value(a) or 0)
                value = money_value(biggest)
                put("deal_size", int(value) if value and value.is_integer() else value, s, t)
            about_delivery = bool(_DELIVERY.search(s))
            # a rival's discount ("HearthCase called again. 25% off now") is not ours
            rivals_deal = _rivals_offer(s, said[k - 1] if k else "", rivals)
            if (_HIGH.search(s) or _VAGUE_HIGH.search(s) and about_delivery) and \
                    not _PAPER_DELAY.search(s) or not rivals_deal and (
                    _heavy_discount(s, str(t["text"])) or _below_list(s, list_price)):
                put("delivery_friction", "high", s, t)
            elif _LOW.search(s) and about_delivery:
                put("delivery_friction", "low", s, t)
            sat = _SATISFACTION.search(s)
            if sat and re.search(r"satisf|happy|rate|score|nps|csat", s, _I):
                put("satisfaction", int(sat.group(1)), s, t)
        asked = said[-1] if said and said[-1].rstrip().endswith("?") else ""
    return [found[n] for n in FIGURES if n in found]


_CLOSED = {
    "won": re.compile(r"\b(signed|(?:i'?ll|we'?ll|we can|ready to) sign|go ahead|it'?s a (?:yes|go|"
                      r"deal)|we'?re in|approved|purchase order|you have a deal)\b", _I),
    "lost": re.compile(
        r"\b(not (?:even|now|this year|going (?:to|ahead))|come back (?:after|in|when|later|"
        r"next)|call me in|no money|nothing new|not funded|(?:is|are|be) on hold|frozen|"
        r"went with|(?:chose|choosing|decided on|going with|go with|stay(?:ing)? with)\s+[A-Z]|"
        r"not moving forward|pass on|can'?t justify|no budget|we'?re out|walk away|"
        r"not (?:the|a) (?:right )?(?:fit|time)|(?:i'?m|we'?re|i am|we are) not (?:signing|"
        r"buying|committing)|until .{0,40}\b(?:approves?|passes|is done))\b",
        _I),
}


def closing_sentence(turns: list[dict[str, Any]], outcome: str | None, *,
                     sellers: list[str]) -> tuple[str, str] | None:
    """``(sentence, turn id)``: the customer's last words that show the outcome ("Not even
    that. Come back after the bond vote." for no decision, "Go ahead." for a win)."""
    pattern = _CLOSED.get("won" if outcome == "won" else "lost") if outcome else None
    if pattern is None:
        return None
    ours = {n.casefold() for n in sellers}
    found = None
    for t in turns:
        if not t.get("speaker") or is_ours(str(t["speaker"]), ours):
            continue  # our seller by full name or first name ("Avery" for Avery Cole)
        for s in sentences(str(t["text"])):
            if pattern.search(s) and not s.rstrip().endswith("?") and not unquotable(s):
                found = (s, str(t["id"]))
    return found


def painful(figures: dict[str, Any], usual_cycle: float | None) -> list[str]:
    """Why a deal was painful, from its figures (empty: it was not, as far as known)."""
    why = []
    if figures.get("delivery_friction") == "high":
        why.append("high delivery friction")
    people = figures.get("people_involved")
    if people is not None and str(people).isdigit() and int(people) >= MANY_PEOPLE:
        why.append(f"{int(people)} people involved")
    cycle = figures.get("cycle_days")
    if cycle is not None and usual_cycle and float(cycle) > PAINFUL_CYCLE * usual_cycle:
        why.append(f"a {int(float(cycle))}-day cycle against the usual {int(usual_cycle)}")
    return why


def outcome_evidence(outcome: str | None, figures: dict[str, Any], *,
                     values: dict[str, Any], attributes: list[dict[str, Any]],
                     usual_cycle: float | None, label: Any) -> list[dict[str, Any]]:
    """ICP evidence from a closed deal: ``[{"attribute", "raw", "signal", "why"}]``.

    ``values``: the account's attribute values; ``attributes``: ``{"name", "ideal"}`` with
    the ideal labels casefolded; ``label(attribute, value)`` the ledger label of a value.
    """
    if outcome not in ("won", "lost", "no-decision"):
        return []
    pains = painful(figures, usual_cycle)
    out = []
    for attr in attributes:
        value = values.get(attr["name"])
        if value is None:
            continue
        lab = label(attr["name"], value)
        if lab is None:
            continue
        inside = not attr["ideal"] or str(lab).casefold() in attr["ideal"]
        if outcome == "won" and not pains:
            signal, why = "supports", "a smooth win"
        elif outcome == "won" and not inside:
            signal, why = "against", "a painful win outside the profile: " + ", ".join(pains)
        elif outcome == "lost":
            signal, why = "against", "a loss " + ("inside" if inside else "outside") + \
                " the profile"
        elif outcome == "no-decision" and not inside:
            signal, why = "against", "no decision outside the profile"
        else:
            continue
        out.append({"attribute": attr["name"], "raw": str(value), "signal": signal,
                    "why": why})
    return out


__all__ = ["FIGURES", "closing_sentence", "money_value", "outcome_evidence", "painful",
           "propose_figures"]
