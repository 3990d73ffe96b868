"""The facts a rep would strike from a reflection: the rules behind ``fact_noise``.

Written here, apart from the product's own rules in ``assistant/reflect/``, so the yardstick
does not share the blind spots of what it measures. Two readers use it: the real-model report
(``evals.metrics.fact_noise``, per scenario with an after-call part) and the code-only check
(``python -m evals.fact_check``). Pure functions over plain rows; reads a knowledge base only in
:func:`rivals`.

The rules, on each proposed fact (its field, value, quoted sentence and who said it):
an amount in a budget fact whose sentence (or the sentence before it in
the turn) names a competitor; a budget fact whose sentence gives an amount as a cost or a
loss ("we paid $610k in overtime", "savings") with no word of budget, approval, spending or
price; a timeline fact whose value and sentence give no time at all (no digit, date word or
period);
a metric with no measurable quantity (no digit, percent or
number word); one transcript sentence filed under two fields (but for a bare date under
timeline: "approved $65k for the pilot in Q2" says when, too; and for who signs, the economic
buyer and the decision process at once); a budget fact with no amount and no word of budget or
funds ("Today we track the approval dates per site"); a timeline fact on a rival's or an
incumbent's contract ("we already pay Trialfinder for that until June 30": a competitors fact);
a fact on our own seller's promise or proposal ("I'll send the answers by December 1", "we'd
like Paloma to run it from January 25", "Before then I'll send June the set-up", "I'd suggest
January 12": a next step, not what the customer said); a metric on someone's own to-do ("I'll
sit in for the first half hour": no measured quantity of their business); a decision
criterion on a price objection ("$23,400 a year plus your $9,000 is nearly a tenth of what we
cleared"); a pain the customer denies ("the hours aren't my problem"); an instruction or a
request filed as a fact ("Put the Stillwater audit date in it.", "Send me the SOC 2 report",
"Could you add the Racine branch?": something to do, not what is true of the customer); a
fragment whose meaning lives in the previous turn, quoted alone ("Arne does.", "Yes, she
will.", "That one.": who does what is in the question it answers, which the fact does not
carry); a question filed as a fact ("Does $43,956 work for year one?": asked, not answered).

What a rep strikes on sight, measured against two readers' marks (issue 11): the call's header
or a meta line filed as a fact ("Video call, Mon Mar 2, 9:00 am (Ana, Bo; Cy Dunn)", "[Cy
leaves, 9:40]", "recording started": nobody said it, it is about the recording); a one- or
two-word answer quoted alone ("Okta.", "Maybe.", "SOC 2.": it means something only with the
question it answers, which a joined value carries as "...: Okta" or "(asked ...)"); talk about
the talk ("Let me give you the figures first", "I have to jump at five", "We talked about the
hold for three hours": about the conversation, not the account); our own seller's words filed
as the customer's fact (a fact is what the customer told us); the same claim twice ("Yes, after
the holidays." beside "Let's talk after the holidays."); and, when the scenario's expected
facts are given, a line that matches none of them and carries no name, number or date of
the call (:func:`strikes`' ``expected``).

:func:`unmatched` is the **ceiling** beside that floor: the facts that contain none of the
expected facts, a reader's strike or a fact the expectation did not foresee.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_QUANTITY = re.compile(r"\d|%|\bpercent\b|\b(?:one|two|three|four|five|six|seven|eight|"
                       r"nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                       r"hundred|thousand|million|dozen|"
                       r"half|an? (?:hour|minute|day|week|month|quarter|year))\b", re.IGNORECASE)
_AMOUNT = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:k|usd|eur|dollars)\b", re.IGNORECASE)
# a figure of what something costs or loses them, not money they mean to spend on us
_LOSS = re.compile(r"\b(?:overtime|losses|loss|lose|losing|lost|wasted?|savings?|saved?|"
                   r"penalt\w*|fines?|write-?offs?|we paid|paid|costs? us|costing us)\b",
                   re.IGNORECASE)
_BUDGETED = re.compile(r"\b(?:budget\w*|approv\w*|allocat\w*|spend|capped|cap|ceiling|"
                       r"fund\w*|afford\w*|price\w*|pricing|quote\w*|fee|fees)\b",
                       re.IGNORECASE)
# a time: a date, a weekday or month, a period, a season, a deadline
_WHEN = re.compile(r"\d|\b(?:q[1-4]|h[12]|day|days|week|weeks|month|months|quarter|quarters|"
                   r"year|years|annual\w*|monday|tuesday|wednesday|thursday|friday|saturday|"
                   r"sunday|today|tomorrow|tonight|jan\w*|feb\w*|march|april|may|june|july|"
                   r"aug\w*|sept?\w*|oct\w*|nov\w*|dec\w*|spring|summer|autumn|fall|winter|"
                   r"holidays?|christmas|deadline|go-?live|year-end|fiscal|soon|asap|now)\b",
                   re.IGNORECASE)
_BUDGET_WORD = re.compile(r"\b(?:budget\w*|fund\w*|capital|set aside|earmark\w*|capex|opex)\b",
                          re.IGNORECASE)
_PAYS_TODAY = re.compile(r"\b(?:already|currently|today we) pay\b|\bwe pay \w+ (?:for|until)\b",
                         re.IGNORECASE)
_LEAD = (r"(?:(?:so|and|then|ok(?:ay)?|also|first|meanwhile|(?:before|by|until|after) "
         r"(?:then|that)),?\s+)*")
_OUR_PROMISE = re.compile(r"^\W*" + _LEAD + r"(?:i'?ll|i will|we'?ll|we will|let me|let us)\b|"
                          r"\b(?:we|i)'?d like\b|\b(?:i'?d|i) (?:suggest|propose)\b|"
                          r"\b(?:how|what) about\b", re.IGNORECASE)
# a person's own to-do ("I'll sit in for the first half hour"): no measure of their business
_TODO = re.compile(r"^\W*" + _LEAD + r"(?:i'?ll|i will|i'?m going to)\b", re.IGNORECASE)
# pushing back on our price: "your $9,000 is nearly a tenth of what we cleared", "too steep"
_PUSHBACK = re.compile(r"\byour\s+(?:[$€£]|price|quote|fee)|\btoo (?:much|expensive|high|steep)\b|"
                       r"\b(?:expensive|overpriced|steep)\b|\bstill think\b", re.IGNORECASE)
# a problem denied: "the hours aren't my problem", "not an issue for us"
# an instruction or a request addressed to the listener: an imperative verb opening the sentence
# (after a name, "please", "and", "so"), or "can/could/would you ..."; not a bare date ("Start
# March 22" says when the pilot starts)
_IMPERATIVE = re.compile(
    r"^\W*(?:[A-Z][a-z]+,\s+)?(?:(?:so|and|then|also|oh|just|please|ok(?:ay)?),?\s+)*"
    r"(?:put|send|tell|give|add|include|bring|e-?mail|cc|copy|loop|show|forward|share|remind|"
    # "Call it 620 hours a year": an estimate of theirs, not a request
    r"make sure|remember|note|mark|write|list|call(?! it,? (?:about |around |roughly |nearly |"
    r"almost )?(?:[$€£]?\d|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"twenty|thirty|forty|fifty|half)\b))|ask|get me|let (?:me|us) know|don'?t forget|"
    r"do not forget|be sure)\b"
    r"|^\W*(?:[A-Z][a-z]+,\s+)?please\b"
    r"|^\W*(?:[A-Z][a-z]+,\s+)?(?:can|could|would|will) you\b"
    r"|\b(?:i|we) (?:need|want|'d like) you to\b|\byou (?:need|have|ought) to\b|"
    r"\byou should\b", re.IGNORECASE)
# a fragment that only answers the turn before: a subject and an auxiliary ("Arne does.",
# "She will.", "We did, yes."), a bare yes/no/assent or a pointer ("That one.", "Him.")
_SUBJECT = r"(?:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?|i|we|he|she|they|it|you|that|this|mine|ours)"
_AUX = (r"(?:does|do|did|is|are|was|were|will|would|can|could|has|have|had|should|shall|"
        r"might|may|must|won'?t|can'?t|didn'?t|doesn'?t|isn'?t|wasn'?t|hasn'?t|haven'?t)")
_ASSENT = (r"(?:yes|yeah|yep|no|nope|sure|fine|ok(?:ay)?|right|correct|exactly|true|agreed|"
           r"him|her|them|me|us)")
_FRAGMENT = re.compile(
    rf"^\W*(?:{_ASSENT},?\s+)?{_SUBJECT}\s+{_AUX}(?:\s+(?:not|too|so|it|that|now|yes|no))?"
    rf"(?:,?\s+{_ASSENT})?\W*$"
    rf"|^\W*(?:{_ASSENT}|that one|this one|the (?:first|second|last|other) one)"
    rf"(?:,?\s+{_ASSENT})?\W*$", re.IGNORECASE)
_DENIED = re.compile(r"(?:n't|\bnot)\s+(?:(?:my|our|a|an|the|really)\s+)*(?:problem|issue|"
                     r"concern)\b|\bdon'?t care\b", re.IGNORECASE)


@dataclass(frozen=True)
class Row:
    """One proposed fact as the rules read it."""

    field: str
    value: str
    quote: str = ""
    speaker: str | None = None

    @classmethod
    def of(cls, fact: Any) -> Row:
        """From a reflection's ``Fact`` (``field``, ``value``, ``quote.text/speaker``) or a
        mapping with ``field``, ``value``, ``quote`` and ``speaker``."""
        if isinstance(fact, Row):
            return fact
        if isinstance(fact, dict):
            return cls(str(fact.get("field", "")), str(fact.get("value", "")),
                       str(fact.get("quote") or ""), fact.get("speaker"))
        quote = getattr(fact, "quote", None)
        return cls(str(fact.field), str(fact.value), str(getattr(quote, "text", "") or ""),
                   getattr(quote, "speaker", None))


@dataclass(frozen=True)
class Strike:
    """One reason to strike the fact at ``index`` (several reasons may strike one fact)."""

    index: int
    why: str


def strikes(facts: Iterable[Any], rivals: Sequence[str],
            sellers: Sequence[str] = (), expected: Sequence[str] = ()) -> list[Strike]:
    """Every reason a rep would strike one of ``facts`` (see the module's docstring).

    ``rivals`` are the competitors' names, ``sellers`` our own people (a fact quoting one of
    them making a promise or a proposal is a next step, not the customer's fact);
    ``expected``: the scenario's expected facts, when known (a line matching none of them
    and carrying nothing specific is struck)."""
    rows = [Row.of(x) for x in facts]
    out = _rule_strikes(rows, rivals, sellers)
    out += _sight_strikes(rows, sellers, expected)
    return out


def _rule_strikes(facts: list[Row], rivals: Sequence[str],
                  sellers: Sequence[str]) -> list[Strike]:
    """The misfiling rules (the first part of the module's docstring)."""
    out: list[Strike] = []
    seen: dict[str, str] = {}
    ours = {s.casefold() for s in sellers}

    def names_rival(text: str) -> bool:
        return any(re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text, re.IGNORECASE)
                   for c in rivals)

    for i, f in enumerate(facts):
        q = f.quote

        def hit(why: str, i: int = i, f: Row = f) -> None:
            out.append(Strike(i, f"{why}: {f.value[:60]!r}"))

        if f.field == "budget" and _AMOUNT.search(f.value) and names_rival(q):
            hit("rival's amount as budget")
        if f.field == "metrics" and not _QUANTITY.search(f.value):
            hit("metric without a quantity")
        if f.field == "budget" and _AMOUNT.search(q) and _LOSS.search(q) and not \
                _BUDGETED.search(q):
            hit("a cost or a loss as budget")
        if f.field == "timeline" and not _WHEN.search(q) and not _WHEN.search(f.value):
            hit("timeline without a time")
        if f.field == "budget" and not _AMOUNT.search(q) and not _BUDGET_WORD.search(q):
            hit("budget without an amount")
        if f.field == "timeline" and (names_rival(q) or _PAYS_TODAY.search(q)):
            hit("a rival's contract as timeline")
        if (f.speaker or "").casefold() in ours and _OUR_PROMISE.search(q):
            hit("our own promise as a fact")
        if f.field == "metrics" and _TODO.search(q):
            hit("a to-do as a metric")
        if f.field == "decision_criteria" and _AMOUNT.search(q) and _PUSHBACK.search(q):
            hit("a price objection as a criterion")
        if f.field == "pains" and _DENIED.search(q):
            hit("a problem denied as a pain")
        if _instruction(f):
            hit("an instruction or a request as a fact")
        if _fragment(f):
            hit("a fragment that needs the question it answers")
        if _question(f):
            hit("a question as a fact")
        if f.field == "timeline" and len(f.value.split()) <= 3 and re.search(r"\d|q[1-4]",
                                                                              f.value, re.I):
            continue  # the date alone: a sentence about money can say when, too
        for s in re.split(r"(?<=[.!?])\s+", q):
            key = " ".join(s.casefold().split())
            if len(key.split()) < 4:
                continue
            if key in seen and seen[key] != f.field and {seen[key], f.field} != {
                    "economic_buyer", "decision_process"}:
                out.append(Strike(i, f"one sentence in {seen[key]} and {f.field}: {s[:50]!r}"))
            seen.setdefault(key, f.field)
    return out


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s.strip()]


def _home(f: Row) -> str:
    """The sentence of the quote that holds the value (its start), or the value itself."""
    head = " ".join(f.value.split()[:4]).rstrip(".,;:!?…").casefold()
    for s in _sentences(f.quote):
        if head and head in s.casefold():
            return s
    return f.value


# "Send it and I'll sign today": the customer's own commitment, on a condition, is their fact
_BARGAIN = re.compile(r"(?:,|\band)\s+(?:then\s+)?i(?:'ll| will)?\s+(?:sign|accept|approve|"
                      r"withdraw|buy|commit|agree|take|pay|move|order)\b", re.IGNORECASE)
_LEAD_ONLY = re.compile(r"^\W*(?:[A-Z][a-z]+,\s+)?(?:(?:so|and|then|also|oh|just|please|"
                        r"ok(?:ay)?),?\s+)*$", re.IGNORECASE)


def _instruction(f: Row) -> bool:
    """The value is, or opens, a sentence telling or asking the listener to do something; a
    clause later in such a sentence ("Tell her the audit is in April") is the customer's fact."""
    home = _home(f)
    if not _IMPERATIVE.search(home) or _BARGAIN.search(home):
        return False
    if not _IMPERATIVE.match(home):
        return True  # "I need you to ...", "you should ..."
    start = home.casefold().find(" ".join(f.value.split()[:3]).casefold())
    return start <= 0 or bool(_LEAD_ONLY.match(home[:start]))


def _fragment(f: Row) -> bool:
    """The value is a fragment whose meaning is in the turn before ("Arne does."); a value
    that carries the question's words ("Arne signs") is whole, whatever its quote."""
    return bool(_FRAGMENT.match(f.value))


def _question(f: Row) -> bool:
    """The value is a question, or every sentence of the quote is one."""
    parts = _sentences(f.quote)
    return f.value.rstrip().endswith("?") or bool(parts) and all(
        s.rstrip().endswith("?") for s in parts)


# the call's header or a meta line: a time of day or a dated line with the attendee list in
# brackets ("Video call, Mon Mar 2, 9:00 am (Ana, Bo; Cy Dunn)"), a bracketed stage direction
# ("[Cy leaves, 9:40]"), the recording starting or stopping
_CLOCK = re.compile(r"\b\d{1,2}(?::\d\d)?\s?(?:am|pm)\b|\b\d{1,2}:\d\d\b", re.IGNORECASE)
_ATTENDEES = re.compile(r"\([^()]*[A-Z][a-z]+[^()]*[,;][^()]*\)")
_BRACKETED = re.compile(r"\[[^\]]*\]")
_RECORDING = re.compile(r"\b(?:recording|transcript|transcription)\s+(?:started|starts|stopped|"
                        r"stops|ends|ended|begins|began|paused|resumed)\b|\b(?:joins|joined|"
                        r"leaves|left|drops off|dropped off)\s+(?:the\s+)?(?:call|meeting)\b",
                        re.IGNORECASE)
# talk about the talk: the conversation's own order, leaving it, or what was discussed
_TALK = re.compile(
    r"^\W*(?:(?:so|ok(?:ay)?|right|well|look|and|sorry),?\s+)*(?:let me (?:give|tell|show|walk|"
    r"start|share|take|run|go through)\b|one (?:more )?thing before\b|before (?:we|you|i) "
    r"(?:start|begin|go|wrap|jump|hang up)\b|thanks?(?: you)?,? (?:all|everyone|both)\b|"
    r"(?:a |one |quick )+question\b|can (?:you|everyone) (?:hear|see) (?:me|my screen)\b)"
    r"|\bi (?:have|need|'ve got|got) to (?:go|jump|run|leave|drop|hop off)\b|"
    r"\b(?:we|you and i|they) (?:talked|spoke|argued|went back and forth) about\b.{0,40}\bfor\b",
    re.IGNORECASE)
_ASSENT_LEAD = re.compile(r"^\W*(?:yes|yeah|yep|sure|ok(?:ay)?|right|fine|no|so|and|well)\b,?\s*",
                          re.IGNORECASE)
# carries something specific: a figure, a date word or a proper name after the first word
_SPECIFIC = re.compile(r"\d|[$€£%]|" + _QUANTITY.pattern + r"|" + _WHEN.pattern, re.IGNORECASE)
_INNER_NAME = re.compile(r"(?<=[\w,;:] )[A-Z][a-z]+")
# a date or an amount: "March 3", "the 14th", "$4,200", "Q3"
_FIGURE = re.compile(r"[$€£]\s?\d|\b\d{1,2}(?:st|nd|rd|th)\b|\bq[1-4]\b|\b(?:jan(?:uary)?|"
                     r"feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|sept?(?:ember)?|"
                     r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b", re.IGNORECASE)
_JOINED = re.compile(r":|\basked\b|—", re.IGNORECASE)
# our seller's line with a figure confirms the deal's terms ("So we have a signature date of
# December 5", "year one is $54k"): kept; without one it is commentary ("Day five, the fee
# goes on the ledger" in a demo). Kept too: our seller reporting what the customer said or
# did, a recap or notes line ("Recap: they signed at $68k", "She said the board meets in
# May"): the customer's fact in our words
_REPORTS = re.compile(r"^\W*(?:recap|summary|notes?|update|outcome|result)\b\s*[:-]|"
                      r"\b(?:they|she|he|the customer|the client)\b(?:'ve|'re| \w+)?\s+"
                      r"(?:said|says|told|agreed|signed|confirmed|want\w*|need\w*)\b",
                      re.IGNORECASE)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9$€£%][\w$€£%'.-]*", text)


def is_meta(f: Row) -> bool:
    """The call's header, a stage direction or the recording's own line, not the account's."""
    text = f.quote or f.value
    if _RECORDING.search(text) or _BRACKETED.search(text):
        return True
    return not f.speaker and bool(_CLOCK.search(text)) and bool(
        _ATTENDEES.search(text) or len(_words(text)) <= 8)


def is_bare_answer(f: Row) -> bool:
    """One or two words quoted alone ("Okta.", "Maybe.", "SOC 2."): the question that gives
    them a meaning is not in the fact (a joined value, "Identity provider: Okta", carries it)."""
    quote = f.quote or f.value
    return len(_words(quote)) <= 2 and len(_words(f.value)) <= 2 and not _JOINED.search(f.value)


def is_talk(f: Row) -> bool:
    """About the conversation, not the account: its order, leaving it, how long it went; not
    when the line also gives a date or an amount (the account's figure)."""
    text = f"{f.quote} {f.value}"
    return bool(_TALK.search(_home(f)) or _TALK.search(f.value)) and not (
        _FIGURE.search(text))


def _content(text: str) -> frozenset[str]:
    stop = {"the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "it", "is", "we",
            "i", "you", "that", "this", "let's", "lets", "be", "at"}
    return frozenset(w.casefold().strip(".,'") for w in _words(text)) - stop


def matches(value: str, expected: Sequence[str]) -> bool:
    """The value contains one of the expected facts (as ``metrics.fact_recall`` matches)."""
    v = " ".join(value.casefold().split())
    return any(" ".join(e.casefold().split()) in v for e in expected if e.strip())


# words that open a sentence with a capital and are no name
_OPENERS = frozenset(
    "a an and as at but by for from he her here his how i if in it its it's let's look my no "
    "not now oh ok okay on one our she so that that's the their then there they this those "
    "we well what when where which who why with yes yeah you your".split())


def specific(f: Row) -> bool:
    """A figure, a time or a name (a capitalised word that is not a sentence's opener)."""
    text = f.value
    first = (_words(text) or [""])[0]
    named_first = first[:1].isupper() and first.casefold().strip(".,'") not in _OPENERS
    return bool(_SPECIFIC.search(text) or _INNER_NAME.search(text) or named_first)


def _sight_strikes(facts: list[Row], sellers: Sequence[str],
                   expected: Sequence[str]) -> list[Strike]:
    """What a rep strikes on sight (the second part of the module's docstring)."""
    out: list[Strike] = []
    ours = {s.casefold() for s in sellers}
    ours |= {s.split()[0].casefold() for s in sellers if s.split()}
    said: list[frozenset[str]] = []
    for i, f in enumerate(facts):
        reasons = []
        if is_meta(f):
            reasons.append("the call's header or a meta line as a fact")
        if is_bare_answer(f) and not _fragment(f):
            reasons.append("a one- or two-word answer without its question")
        if is_talk(f):
            reasons.append("talk about the talk as a fact")
        if (f.speaker or "").casefold() in ours and not _REPORTS.search(f.quote or f.value) \
                and not _OUR_PROMISE.search(f.quote) and not re.search(r"\d|[$€£]", f.quote):
            reasons.append("our own seller's words as the customer's fact")
        core = _content(_ASSENT_LEAD.sub("", f.value))
        if len(_words(f.value)) >= 3 and len(core) >= 2 and any(core <= b for b in said):
            reasons.append("the same claim as another fact")
        said.append(_content(f.value))
        if expected and not matches(f.value, expected) and not specific(f):
            reasons.append("matches no expected fact and carries no name, number or date")
        out += [Strike(i, f"{why}: {f.value[:60]!r}") for why in reasons]
    return out


def unmatched(facts: Iterable[Any], expected: Sequence[str]) -> list[int]:
    """The ceiling: the facts (by index) that contain none of ``expected``."""
    return [i for i, f in enumerate(Row.of(x) for x in facts)
            if not matches(f.value, expected)]


# a competitor named in a note: "lost to X", "incumbent X", "a quote from X"
_RIVAL_CUE = re.compile(
    r"\b(?:competitors?|competing|incumbent|versus|vs\.?|(?:a |lower )?quote from|lost to|"
    r"went with|switch(?:ing|ed)? from|currently uses?|also looked at|looking at|evaluat\w+|"
    r"compared (?:us )?(?:with|to))\s+([A-Z][A-Za-z0-9]+(?:[ -][A-Z][A-Za-z0-9]+)?)")


def rivals(kb: Any) -> list[str]:
    """The competitors a knowledge base names: its stories' ``competitor`` and the names its
    notes put after a competitor cue."""
    names: dict[str, None] = {}
    for s in kb.stories:
        if s.competitor and s.competitor.strip():
            names.setdefault(s.competitor.strip(), None)
    for n in kb.notes:
        for m in _RIVAL_CUE.finditer(n.body):
            names.setdefault(m.group(1).strip(), None)
    return list(names)


def sellers(kb: Any) -> list[str]:
    """Our own people: everyone in the KB's ``team.yaml``."""
    return [p.name for p in kb.team.people]
