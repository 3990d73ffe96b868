"""Facts per qualification field, in the transcript's own words, numbers and names.

What a manager wants from the facts of a call are the specifics: "18 months", "$29k",
"Kevin signs", "the Boston lease ends in June". A small model paraphrases them away; code
keeps them. For each field (budget, timeline, decision process, decision criteria, economic
buyer, champion, competitors, pains, metrics) a keyword class says which sentences speak of
it, and :func:`field_facts` keeps the sentences that also carry something specific — an
amount, a number, a date, a name — with the customer's own sentences first and a seller's
recap ("So that's 45 trucks") after. Each sentence goes to the one field it fits best, at most
:data:`PER_FIELD` per field. The value is the sentence itself, or the clause of it that holds
the specific when the sentence is long: always a verbatim piece of the transcript.

Pure functions over turns (``{"id", "speaker", "text"}``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from assistant.injection import unquotable
from assistant.reflect.extract import (
    DATE,
    MONEY,
    QUANTITY,
    bare_answer,
    content_words,
    is_header,
    is_ours,
    mentions,
    named_people,
    preamble,
    rival_of,
    sentences,
)

PER_FIELD = 5
MAX_FACTS = 18
SHORT_WORDS = 2  # a sentence this short ("Service Fusion.") is read with the next one
VALUE_CHARS = 140
_I = re.IGNORECASE

# a fine as a penalty ("a $2,500 fine", "fines"), not "Ten is fine"
_FINE = r"fines|fined|(?:a|the|that|one)\s+(?:[$€£][\d,.]+k?\s+)?fine"
FIELD_WORDS: dict[str, re.Pattern[str]] = {
    "budget": re.compile(
        r"\b(budget\w*|spend\w*|price[sd]?|pricing|cost\w*|quote[sd]?|discount\w*|capex|"
        r"opex|afford\w*|fund\w*|per (?:month|year|unit|seat|van|truck|user|employee|site)|"
        r"annual|all in|invoice\w*|lease|leasing|paid|pay|payment\w*|"
        r"capital|how much|bill\w*|no charge|at no cost)\b|[$€£]", _I),
    "timeline": re.compile(  # not a term's length: "12-month pricing" says no when
        r"(?<!-)\b(deadline|go[- ]live|launch\w*|start\w*|kick-?off|rollout|roll out|renewal|"
        r"expir\w*|lease ends|contract ends|by (?:the )?end of|before|until|after the|"
        r"holidays|fiscal year|next (?:week|month|quarter|year)|this (?:month|quarter|year)|"
        r"weeks?|months?|quarter|q[1-4]|h[12]|roadmap|talk (?:again )?in|call me in|install\w*|"
        r"(?:be|go|going) live)\b", _I),
    "decision_process": re.compile(
        r"\b(sign-?off|signs?|signed|signature|approv\w*|committee|board(?! today)|procurement|"
        r"legal|counsel|review\w*|decid\w*|decision|vote|present\w* (?:it |this )?to|"
        r"security review|questionnaire|redlines?|comments|mark-?ups?|purchase order|po|rfp|rfq|"
        r"rfi|tender|"
        r"piggyback)\b", _I),
    "economic_buyer": re.compile(
        r"\b(ceo|cfo|coo|cio|owner|president|founder|director|vp|head of|final say|"
        r"signs anything|signs off|holds the budget|budget holder|capital|"
        r"above \$?\d+\w*|owns (?:the )?(?:company|business)|"
        r"and i (?:own|bought|founded|started) (?:it|this|the \w+))\b", _I),
    "champion": re.compile(
        r"\b(i'?ll (?:present|push|champion|sell|take (?:it|this) to|bring (?:it|this) to|"
        r"make sure|talk to|walk)|on (?:our|your) side|sponsor\w*|advocate|i want this|"
        r"i'?m (?:for|behind) (?:it|this))\b", _I),
    "competitors": re.compile(
        r"\b(competitor\w*|versus|vs\.?|incumbent|cheaper|bundle\w*|quote from|"
        r"currently (?:use|using|on)|switch\w*|also (?:looked|looking) at|went with|"
        r"contractor|in-house|default|(?:use|using|run|running|on|board|system|tool)\s+today|"
        r"today we (?:use|run)|(?:already|currently|still) pay)\b", _I),
    "pains": re.compile(
        r"\b(manual\w*|by hand|spreadsheets?|lose|losing|lost|missing|spoil\w*|reject\w*|claims?|"
        r"late|overtime|complain\w*|problem\w*|issue\w*|struggl\w*|frustrat\w*|pain\w*|"
        r"waste\w*|" + _FINE + r"|penalt\w*|"
        r"audit\w*|excursion\w*|downtime|errors?|mistakes?|"
        r"rattles?|broke\w*|fail\w*|brute-force|attack\w*|ransomware|phishing|outages?|"
        r"incidents?|worst|hardest|toughest|headaches?|at night|after hours)\b", _I),
    "metrics": re.compile(
        r"(%|\bpercent\b|\b(?:hours?|minutes?|days?)\b|\b(?:per|a|an|each|every) "
        r"(?:day|week|month|quarter)\b|"
        r"\b(?:reduc\w*|cut|sav\w*|payback|roi|target|goal|kpi|from \d+ to \d+|"
        r"of (?:the |our |your )?\d+\b|"
        r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten) to (?:\d+|one|two|three|four|"
        r"five)|"
        r"under \d+|down to|against \d+|how many)\b)", _I),
    "decision_criteria": re.compile(
        r"\b(must|has to|have to|needs? to|requirement\w*|criteria|care about|"
        r"important|deal[- ]?breaker|non-negotiable|only if|as long as|in writing|"
        r"cap|liability|indemn\w*|lost profits|consequential|\d+(?:\.\d+)?x (?:\w+ )?fees|"
        r"carve-?out|buyout|terminat\w*|notice|exit|out clause|"
        r"performance out|auto-?renew\w*|warrant\w*|sla|msa|exhibit|acceptance|sso|saml|mfa|"
        r"single sign-on|soc ?2|pen ?test|subprocessors?|residency|hosted|hosting|region|aws|"
        r"azure|gcp)\b", _I),
}
# money they mean to spend on us: a budget, an approval, a cap, a price, not a cost or a loss
BUDGETED = re.compile(
    r"\b(?:budget\w*|approv\w*|allocat\w*|spend\w*|cap|capped|ceiling|fund\w*|afford\w*|"
    r"price[sd]?|pricing|quote[sd]?|discount\w*|fees?|invoice\w*|capex|opex|all in|lease|"
    r"leasing|per (?:month|year|unit|seat|van|truck|user|employee|site|location))\b", _I)
# an amount as what something costs them or loses them: a pain's figure, not a budget
COSTED = re.compile(
    r"\b(?:overtime|loss(?:es)?|lose|losing|lost|wast\w*|sav(?:e|es|ed|ing|ings)|"
    r"penalt\w*|" + _FINE + r"|write-?offs?|"
    r"credits?|claims?|spoil\w*|paid|costs? us|costing us|"
    r"downtime|missed|burn\w*)\b", _I)
# what makes an amount money set aside for us even beside a cost word ("approved $65k to cut
# overtime"): a price word ("invoice", "fees") does not ("visits we never invoice")
SET_ASIDE = re.compile(
    r"\b(?:budget\w*|approv\w*|allocat\w*|set aside|earmark\w*|spend\w*|cap|capped|ceiling|"
    r"fund\w*|afford\w*|capex|opex)\b", _I)
# "I have $40,000 a year for it, all in": a cap on what they spend, said as one
ALL_IN = re.compile(r"\ball[- ]in\b|\b(?:i|we) (?:have|got|can do|can go to|can put)\b|"
                    r"\b(?:under|no more than|not more than|at most|max(?:imum)?|up to|"
                    r"ceiling of)\s+(?:about\s+)?[$€£]", _I)
# money they can approve or draw on: "I can sign it myself", "under Mark's $25k line",
# "fits inside the grant"
_APPROVES = re.compile(r"\b(?:can|could|will) sign (?:it|this|that|off)\b|\bsign (?:it|this|"
                       r"that) (?:myself|off)\b|\b(?:signing|approval|spending) (?:line|limit)\b|"
                       r"\b\w+'s [$€£]?\s?[\d,.]+\s?[km]? (?:line|limit)\b|\bgrants?\b|"
                       r"\bfits? (?:inside|within|in) (?:the|our|my)\b", _I)
# paying a named someone today: "I pay Yieldpoint $3,400 a month", "we give Acme $2k a year"
PAYS_SOMEONE = re.compile(r"\b(?:I|[Ww]e) (?:pay|give|send|paid)\s+[A-Z][\w&'-]*")
# a budget without an amount still says so: "there's no budget until July", "capital is frozen"
BUDGET_WORD = re.compile(r"\b(?:budget\w*|fund\w*|capital|set aside|earmark\w*|capex|opex|"
                         r"afford\w*)\b", _I)
# what they pay someone today ("we already pay Trialfinder for that until June 30"): the
# incumbent's contract, a competitors fact, not their budget or their timeline
PAYS_TODAY = re.compile(r"\b(?:already|currently|today we|still) pay\b|"
                        r"\bwe pay \w+ (?:for|until)\b", _I)
_CONTRACT = re.compile(r"\b(?:contract\w*|notice|renew\w*|until|ends?|expir\w*|licen[cs]e\w*|"
                       r"subscription|term)\b", _I)
# our seller's own promise or proposal: a next step, not what the customer said
# a lead before a promise: "Before then I'll send June the set-up", "Meanwhile we'll check"
PROMISE_LEAD = (r"(?:(?:so|and|then|ok(?:ay)?|right|also|first|next|meanwhile|in the meantime|"
                r"(?:before|by|until|after) (?:then|that)|tomorrow|today|this week|next week),?"
                r"\s+)*")
OUR_PROMISE = re.compile(
    r"^\W*" + PROMISE_LEAD + r"(?:i'?ll|i will|we'?ll|we will|let me|"
    r"let us)\b|\b(?:we|i)'?d (?:like|love|want)\b|\bwe (?:want|hope|plan) to\b|"
    r"\bour goal\b|^\W*(?:today|currently|right now),?\s+we (?:track|map|log|store|load|"
    r"support|handle|show|offer)\b", _I)
# the budget field's words without the bare currency sign: an amount needs one of them
_MONEY_TALK = re.compile(FIELD_WORDS["budget"].pattern.removesuffix(r"|[$€£]"), _I)
# "anything above $100k", "over €50k": the line above which someone else signs
THRESHOLD = re.compile(r"\b(?:above|over|more than|beyond)\s+(?:[$€£]\s?)?\d", _I)
# a time a timeline needs in its own words: a date, a period, a season, a deadline
TIME = re.compile(
    r"\b(?:\d+\s*(?:days?|weeks?|months?|years?|quarters?)|days?|weeks?|months?|quarters?|"
    r"years?|annual\w*|q[1-4]|h[12]|fiscal|deadline|go[- ]live|year[- ]end|holidays?|"
    r"christmas|spring|summer|autumn|winter|tomorrow|tonight|asap|"
    r"(?:be|go|going|went) live|"
    r"january|february|march|april|june|july|august|september|october|november|"
    r"december)\b", _I)


# pushing back on our price ("your $9,000 is nearly a tenth of what we cleared", "too steep"):
# an objection, not a criterion they judge options on
PRICE_PUSHBACK = re.compile(
    r"\byour\s+(?:[$€£]|price|pricing|quote|fee)|\b(?:too|so|very|pretty)\s+(?:much|expensive|"
    r"high|steep|pricey|costly)\b|\b(?:expensive|pricey|steep|overpriced)\b|"
    r"\b(?:comes?|pays?) (?:it )?back\b|\bpays? for itself\b|\bstill think\b", _I)
# a problem denied: "the hours aren't my problem", "that's not an issue for us", "I don't care"
NO_PAIN = re.compile(
    r"\b(?:is|are|was|were)(?:n't| not)\s+(?:(?:my|our|the|a|an|really|much of)\s+)*"
    r"(?:problem|issue|concern|pain)\b|\bnot\s+(?:(?:my|our|a|an|the)\s+)*(?:problem|issue|"
    r"concern)\b|\bno (?:problem|issue)s? (?:for|with|here|there)\b|\b(?:i|we) don'?t care\b|"
    r"\bdoesn'?t (?:bother|matter)\b", _I)
# someone's own to-do ("I'll sit in for the first half hour"): a next step, never a metric
OWN_TODO = re.compile(r"^\W*" + PROMISE_LEAD + r"(?:i'?ll|i will|i'?m going to|let me)\b", _I)
# our proposal of a date or an amount ("I'd suggest January 12", "how about Tuesday")
PROPOSAL = re.compile(r"\b(?:i'?d suggest|i suggest|i'?d propose|i propose|how about|what about|"
                      r"(?:we|i)'?d (?:like|love|want)|"
                      r"let'?s (?:say|do|pencil|book|put)|shall we)\b", _I)


def restated_next(sentence: str, turns: list[dict[str, Any]], k: int, ours: set[str]) -> bool:
    """Our proposal in turn ``k`` ("I'd suggest January 12.") the customer's next turn says
    again in their own words ("January 12 at nine works."): the fact is theirs, filed from
    their sentence, and our proposal adds nothing."""
    if not PROPOSAL.search(sentence) or k + 1 >= len(turns) or is_ours(
            turns[k + 1].get("speaker"), ours):
        return False
    figures = set(re.findall(r"\d+", sentence))
    return bool(figures) and figures <= set(re.findall(r"\d+", str(turns[k + 1]["text"])))


def _name_and_title_only(sentence: str) -> bool:
    """"Greg Hollis, our COO.": a person introduced, and nothing else said."""
    people = named_people(sentence)
    rest = sentence
    for name, title in people:
        rest = rest.replace(name, " ").replace(title, " ")
    return bool(people) and not content_words(rest)


# what a person is called by: a title, for a buyer or a champion the notes do not name
PERSON_TITLE = re.compile(
    r"\b(?:c[eofit]o|cro|ciso|chro|vp|vice president|president|owner|co-owner|founder|"
    r"director|head of|manager|controller|chair\w*|partner|principal|lead|officer|"
    r"administrator|superintendent|dean|chief|gm|general manager|treasurer|"
    r"buyer|coordinator|supervisor)\b", _I)


# a sentence that uses a name as a vendor's: paid, given notice, renewed, under contract
_VENDOR = re.compile(r"\b(?:pay|pays|paying|paid|notice|renew\w*|contract\w*|licen[cs]e\w*|"
                     r"subscription|vendor|supplier|provider|per (?:month|year)|a month|"
                     r"a year|costs?)\b|[$€£]", _I)


def called_by_name(turns: list[dict[str, Any]]) -> list[str]:
    """The words the call says mid-sentence with a capital ("send them to Abel") that it
    never uses as a vendor's name ("I pay Yieldpoint $3,400 a month", "give Yieldpoint
    notice") and that are no product's ("RevPAR", "StayLedger"): names a buyer or a champion
    may be given by."""
    said = [x for t in turns for x in sentences(" ".join(str(t["text"]).split()))]
    words = {m.group(1) for x in said for m in _CAPITALISED.finditer(x)} - _NOT_NAMES
    return sorted(w for w in words if sum(c.isupper() for c in w) == 1  # "StayLedger": a product
                  and not any(_VENDOR.search(x) and mentions(w, x) for x in said))


def not_a_person(value: str, *, people: Iterable[str], ours: Iterable[str],
                 rivals: Iterable[str] = (), companies: Iterable[str] = ()) -> str | None:
    """Why ``value``, given as an economic buyer or a champion, is no person on their side
    (None when it is one). It must name one of ``people`` (the customer's speakers and the
    people the call or the notes name, by first or last name) or give a title; a company,
    a competitor (``rivals``), the account itself (``companies``) or one of our own sellers
    (``ours``) is not their buyer. Company names are cut out first, so "Finch" in "Bramble &
    Finch" is no Lionel Finch."""
    rest = value
    for c in (*rivals, *companies):
        if c:
            rest = re.sub(rf"(?<![\w-]){re.escape(c)}(?:['’]s)?(?![\w-])", " ", rest, flags=_I)
    mine = {w for n in ours for w in n.split() if len(w) > 2}
    theirs = {w for n in people for w in n.split()
              if len(w) > 2 and w[0].isupper() and w not in mine}
    if any(mentions(w, rest) for w in theirs):
        return None
    if any(mentions(w, rest) for w in mine):
        return "one of our own sellers, not their buyer"
    named = [c for c in (*rivals, *companies) if c and mentions(c, value)]
    if named and not PERSON_TITLE.search(rest):
        return f"a company ({named[0]}), not a person"
    if named and any(c in rivals for c in named):
        return f"a person at {named[0]}, a competitor, not their buyer"
    if not PERSON_TITLE.search(rest):
        return "names no person: no name from the call and no title"
    return None


def misfiled(field: str, value: str, sentence: str, asked: str = "", *,
             rivals: Iterable[str] = (), before: str = "") -> str | None:
    """Why ``sentence`` (with ``value`` read from it) is no evidence for ``field``, or None.

    A budget is money they mean to spend: an amount said as a cost or a loss ("we paid
    $610k in overtime", "savings of $2M") with no word of budget, approval, spending or
    price is a pain's figure, and a threshold with no money word, in the sentence or in the
    question it answers ("Anything above $100k goes to him"), says who signs, not a
    budget. A budget needs an amount or the word (budget, funds, capital): "Today we track the
    approval dates per site" is none; what they pay someone today is the incumbent's.
    A timeline needs a time in its own words (a date, a weekday, a period, a season,
    a deadline) that is not only a rate ("$1,500 a month") or the past ("nine years ago",
    "since July"); a line that only names a person and a title is never one, and a rival's or
    an incumbent's contract with its end date ("we already pay Trialfinder until June 30")
    is a competitors fact (``rivals``: the competitors the KB knows; ``before``: the sentence
    before it in the turn)."""
    if field == "budget" and not MONEY.search(sentence) and not BUDGET_WORD.search(sentence):
        return "no amount and no budget in it"
    if field in ("budget", "timeline") and PAYS_TODAY.search(sentence):
        return "what they pay someone today: the incumbent's, a competitors fact"
    if field == "timeline" and _CONTRACT.search(sentence) and any(
            c and mentions(c, sentence) for c in rivals):
        return "a rival's contract and its date: a competitors fact"
    if field == "budget" and MONEY.search(sentence):
        if COSTED.search(sentence) and not SET_ASIDE.search(sentence):
            return "an amount it costs or loses them, not a budget"
        if not any(SET_ASIDE.search(x) or ALL_IN.search(x) or _APPROVES.search(x)
                   for x in (sentence, asked)):
            return "an amount with no budget, approval or spending in it: a price, not a budget"
        if THRESHOLD.search(sentence) and not ALL_IN.search(sentence) and not any(
                rx.search(x) for rx in (_MONEY_TALK, BUDGETED) for x in (sentence, asked)):
            return "a threshold for who signs, not a budget"
    if field == "decision_criteria" and MONEY.search(sentence) and PRICE_PUSHBACK.search(sentence):
        return "a price objection, not what they judge the options on"
    if field == "pains" and NO_PAIN.search(sentence):
        return "a problem they deny, not a pain"
    if field == "metrics" and OWN_TODO.search(sentence):
        return "a person's own to-do, a next step, not a measure of their business"
    if field == "timeline":
        if _name_and_title_only(sentence):
            return "only a name and a title"
        if not any(DATE.search(x) or TIME.search(x) for x in (value, sentence)):
            return "no date, period or time in it"
        ahead = [_NOT_AHEAD.sub(" ", x) for x in (value, sentence)]
        if not any(DATE.search(x) or TIME.search(x) for x in ahead):
            return "its only time is a rate or the past, not when anything happens next"
    return None


# a sentence about the conversation itself, not about the customer: "That was going to be my
# question.", "Good question.", "Fair point." (the whole sentence; "Good question, we need SSO"
# says something)
TALK_ABOUT_TALK = re.compile(
    r"^\W*(?:(?:that|this|it)(?:'s| is| was)? (?:(?:going|about) to be )?)?(?:a |my |your |"
    r"the |our )?(?:good|great|fair|fine|next|last|same|first|other|real|obvious)?\s*"
    r"(?:question|point|answer)s?\W*$|"
    r"^\W*(?:that|this|it)(?:'s| is| was) (?:going|about) to be my (?:next )?question\W*$", _I)


# time that sets no timeline: a rate ("$1,500 a month", "five hours a week", "every Monday")
# or the past ("last week", "nine years ago", "since July", "three weeks in", "five months of
# this"): what it costs or how it went, not when anything happens next
_NOT_AHEAD = re.compile(
    r"(?<!\bin )(?<!\bwithin )(?<!\bfor )"
    r"\b(?:a|an|per|each|every)\s+(?:day|week|month|quarter|year|night|season|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b|/\s?(?:month|year|mo|yr)\b|"
    r"\b(?:last|past|previous)\s+(?:\w+\s+)?(?:week|month|quarter|year|season|christmas|"
    r"spring|summer|autumn|fall|winter|monday|tuesday|wednesday|thursday|friday)s?\b|"
    r"\b(?:\w+|\d+)\s+(?:days?|weeks?|months?|years?)\s+(?:ago|in\b|into\b|of (?:this|it)\b)|"
    r"\bsince\s+(?:before\s+)?\w+|"
    # how long something has gone on ("doing sums all week", "all year long"): no date ahead
    r"\ball\s+(?:day|night|week|month|quarter|year|season|morning|afternoon)(?:\s+long)?\b", _I)


_NUMBER = re.compile(r"\b\d[\d,.]*(?:x|st|nd|rd|th)?\b|"
                     r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|dozen|half)\b|"
                     r"\b(?:under|over|within|in|about|a) (?:a |one )?(?:year|month|week|day|"
                     r"quarter)\b|\b(?:holidays|christmas|year[- ]end|spring|summer|autumn|"
                     r"winter)\b|\b(?:early|mid|late)[- ](?:january|february|march|april|may|"
                     r"june|july|august|september|october|november|december|q[1-4])\b", _I)
_CAPITALISED = re.compile(r"(?<=[^.!?]\s)([A-Z][a-z][\w'-]*)")
_WEEKDAY = re.compile(r"(?:(?:next|this|on|by)\s+)?(?:monday|tuesday|wednesday|thursday|"
                      r"friday|saturday|sunday)", _I)
_THEIRS = ("economic_buyer", "champion")  # people on the customer's side
_NOT_NAMES = frozenset(
    "I I'll I'm I've I'd Ok Okay Yes No So And But Then The We Our It That This "
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Q1 Q2 Q3 Q4".split())


def specifics(sentence: str, names: Iterable[str] = (), lower: frozenset[str] = frozenset(),
              ) -> int:
    """How many specific things the sentence carries: amounts, numbers, dates, names.

    ``lower``: the words the transcript writes in lower case somewhere; a capitalised first
    word not among them ("Liz on my team ...") is a name, not just the start of a sentence.
    """
    count = len(MONEY.findall(sentence)) + len(DATE.findall(sentence))
    count += len(_NUMBER.findall(sentence))
    capitalised = {m.group(1) for m in _CAPITALISED.finditer(sentence)}
    first = re.match(r"\s*([A-Z][a-z][\w'-]*)", sentence)
    if lower and first and first.group(1).casefold() not in lower:
        capitalised.add(first.group(1))
    count += len([w for w in capitalised if w not in _NOT_NAMES])
    count += sum(1 for n in names if n and re.search(
        rf"(?<![\w-]){re.escape(n)}(?![\w-])", sentence, _I))
    return count


def _clause(sentence: str, field: str) -> str:
    """The sentence, or its clause holding the specific when the sentence is long."""
    if len(sentence) <= VALUE_CHARS:
        return sentence
    parts = [p for p in re.split(r"(?<=[,;:])\s+", sentence) if p.strip()]
    weight = [specifics(p) + 2 * bool(FIELD_WORDS[field].search(p)) for p in parts]
    best: tuple[int, int, int] = (-1, 0, 0)  # (weight, start, end) of consecutive clauses
    for i in range(len(parts)):
        for j in range(i + 1, len(parts) + 1):
            if len(" ".join(parts[i:j])) > VALUE_CHARS:
                break
            if sum(weight[i:j]) > best[0]:
                best = (sum(weight[i:j]), i, j)
    if best[0] < 0:
        return sentence[: VALUE_CHARS - 1].rstrip() + "…"
    return " ".join(parts[best[1]:best[2]])


def _units(text: str) -> list[str]:
    """The turn's sentences, a very short one with a name or a number ("Service Fusion.",
    "312 rows.") read together with the one after it, verbatim ("Happy to." is not)."""
    out: list[str] = []
    carry = ""
    for s in sentences(" ".join(text.split())):
        s = f"{carry} {s}" if carry else s
        carry = s if (len(s.split()) <= SHORT_WORDS and not s.rstrip().endswith("?")
                      and specifics(s)) else ""
        if not carry:
            out.append(s)
    return [*out, carry] if carry else out


def _deal_date(s: str) -> bool:
    """A date that can be the deal's ("November 12", "Q2", "by end of March"), not only a
    weekday, which sets the next meeting ("Yes, Tuesday works.")."""
    return any(not _WEEKDAY.fullmatch(m.group(0)) for m in DATE.finditer(s))


def _asked(turn: dict[str, Any], previous: dict[str, Any] | None, ours: set[str]) -> str:
    """Our question the customer's turn answers ("What's the board today?"), or ""."""
    if previous is None or is_ours(turn.get("speaker"), ours) or not is_ours(
            previous.get("speaker"), ours):
        return ""
    said = sentences(" ".join(str(previous["text"]).split()))
    return said[-1] if said and said[-1].rstrip().endswith("?") else ""


def _hits(field: str, s: str, asked: str, rivals: list[str], before: str = "",
          customer: bool = True) -> int:
    """How squarely the sentence (and the question it answers) speaks of the field.

    A rival's amount ("DentaFlow called again. $49 a seat.") is competitor context, never
    budget; a metric needs a measurable quantity ("this is about your day" is none)."""
    pattern = FIELD_WORDS[field]
    if TALK_ABOUT_TALK.search(s):
        return 0  # "That was going to be my question.": about the conversation, not the deal
    if field == "budget" and rival_of(s, before, rivals):
        return 0
    if misfiled(field, s, s, asked, rivals=rivals, before=before):
        return 0  # a cost or a threshold as budget, a timeline with no time in it
    if field == "metrics" and not QUANTITY.search(s):
        return 0
    hits = len(pattern.findall(s)) + len(pattern.findall(asked))
    if asked and pattern.search(asked) and 1 <= len(content_words(s)) <= 4 and not re.match(
            r"\W*(?:no|nope|yes|yeah|not|maybe|sure)\b", s, _I):
        hits += 1  # a short answer to our question on the field is all about it ("The state
        # forms." to "What's the worst part of it?")
    if field == "economic_buyer" and (INDIRECT_SIGNER.search(s) or customer and
                                      OWN_SIGNATURE.search(s)):
        hits += 3  # "goes to my father, he signs it", "I sign, nobody else": the economic buyer
    if field == "competitors":
        hits += 5 * sum(1 for c in rivals if re.search(
            rf"(?<![\w-]){re.escape(c)}(?![\w-])", s, _I))
        hits += 5 * (rival_of(s, before, rivals) is not None and hits < 5)
    if field == "budget" and MONEY.search(s) or field == "timeline" and _deal_date(s):
        hits += 1  # an amount is budget talk even unnamed, a date timeline talk
    if field == "pains" and MONEY.search(s) and (COSTED.search(s) or customer and _their_cost(
            s, asked, rivals, before)):
        hits += 1  # what it costs or loses them ("$610k in overtime") is the pain's figure
    return hits


# a signer named by who they are to the speaker, not by name: "Anything over $25,000 goes to
# my father, he signs it", "our owner signs anything over $50k", "she approves it"
_KIN = (r"(?:father|mother|dad|mom|mum|parents?|brother|sister|wife|husband|uncle|aunt|son|"
        r"daughter|owner|owners|boss|partner|partners|founder|president|ceo|cfo|coo|gm|"
        r"general manager|managing director|board)")
INDIRECT_SIGNER = re.compile(
    rf"\b(?:goes|go|gets? sent|lands?|ends? up) (?:up )?(?:to|with|on) (?:my|our|the) {_KIN}\b|"
    rf"\b(?:my|our|the) {_KIN}\b[^.;]{{0,40}}\b(?:signs?|approves?|decides?|has the final say)\b|"
    r"\b(?:he|she) (?:signs?|approves?|decides?)\b(?! (?:up|in|on to))", _I)

_BARE = re.compile(r"^\W*(?:no|nope|yes|yeah|yep|fine|ok(?:ay)?|sure|right|correct|not yet|"
                   r"never|maybe)\W*$", _I)
# the speaker says they are the one who signs or decides, as a rule of theirs ("and I sign,
# nobody else", "I sign when she says so", "I decide, not the board"), not a step today
# ("I'll sign it today") nor a refusal ("I don't sign anything unread")
OWN_SIGNATURE = re.compile(
    r"(?:^|[,;]\s*|\b(?:and|but|because)\s+)(?:only\s+)?i\s+(?:alone\s+)?(?:sign|approve|decide|"
    r"have the (?:final say|last word))\b(?=\s*(?:[,.;]|$|when\b|once\b|if\b|after\b|"
    r"anything\b|contracts\b|nobody\b|no one\b|here\b|for (?:the|this|our) (?:company|"
    r"business|firm|practice)\b))|"
    r"\bi(?:'m| am) the (?:one|only one|person) who (?:signs|approves|decides)\b|"
    r"\b(?:nobody|no one) (?:else )?(?:signs|approves|decides) but me\b", _I)

# an instruction or a request to the listener ("Put the Stillwater audit date in it.", "Send me
# the spec", "Could you add Racine?"): something to do, a next step, never a fact of theirs;
# "Tell her the audit is in April" carries one in its clause
# "call it 620 hours a year", "call it about $2k": an estimate of theirs, not a request
_ABOUT = (r"(?:about |around |roughly |maybe |nearly |almost |over |under )?(?:[$€£]?\d|one|two|"
          r"three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
          r"a hundred|half|a (?:third|quarter|dozen))")
_DO = (r"(?:put|send|tell|give|add|include|bring|e-?mail|cc|copy|loop|show|forward|share|remind|"
       r"make sure|remember|note|mark|write|list|call(?! it,? " + _ABOUT + r")|ask|get me|"
       r"let (?:me|us) know|"
       r"don'?t forget|be sure)")
_OPENING = r"^\W*(?:[A-Z][a-z]+,\s+)?(?:(?:so|and|then|also|oh|just|please|ok(?:ay)?|look),?\s+)*"
INSTRUCTION = re.compile(rf"{_OPENING}(?:{_DO}\b|please\b|(?:can|could|would|will) you\b)|"
                         r"\b(?:i|we) (?:need|want) you to\b|\byou should\b", _I)
_TOLD = re.compile(rf"{_OPENING}(?:tell|remind|let) (?:her|him|them|\w+)(?: know)?,?\s+(?:that\s+)?"
                   r"(?P<clause>(?:the|our|my|their|his|her|it|we|they|he|she|[A-Z])[^,;]*\b(?:is|are|was|"
                   r"were|will|has|have)\b.*)$", _I)
# the customer's own commitment after the request: "Send it and I'll sign today"
_THEN_I = re.compile(r"(?:,|\band)\s+(?:then\s+)?(?P<clause>i(?:'ll| will)?\s+(?:sign|accept|"
                     r"approve|withdraw|buy|commit|agree|take|pay|move|order)\b.*)$", _I)


# when to come back, as they asked it: "Call Stuart in April", "Ask me again in March"
_COME_BACK = re.compile(rf"{_OPENING}(?:call|ask|try|ping|e-?mail|check with|come back to|"
                        r"talk to)\b", _I)


def instruction_clause(s: str) -> str | None:
    """For a customer's instruction or request: the clause of it that is their fact ("Tell
    her the Stillwater audit is in April" -> "the Stillwater audit is in April"; "Send it
    and I'll sign today" -> "I'll sign today"), "" when there is none, None when ``s`` is no
    instruction."""
    if not INSTRUCTION.search(s):
        return None
    m = _TOLD.match(s) or _THEN_I.search(s)
    return m.group("clause").strip() if m else ""


# an answer that only makes sense with the question before it: "Arne does.", "She will."
ELLIPSIS = re.compile(
    r"^\W*(?:(?:yes|yeah|no|well|oh),?\s+)?(?P<who>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?|I|We|He|She|They)"
    r"\s+(?:does|do|did|will|would|can|could|is|has|should)(?:,?\s+(?:yes|too))?\W*$")
_WHO_Q = re.compile(r"\bwho(?:'s| is)?\s+(?:(?:going|gonna) to\s+|will\s+|would\s+|can\s+)?"
                    r"(?P<rest>[a-z][^?]*)\?", _I)


def resolved(answer: str, asked: str) -> str | None:
    """An elliptical answer read with the question it answers, both quoted: "who signs?" -
    "Arne does." -> 'Arne signs ("who signs?" - "Arne does.")'; None when ``answer`` is no
    such fragment or there is no question."""
    m = ELLIPSIS.match(answer)
    if m is None or not asked:
        return None
    who = m.group("who")
    q = _WHO_Q.search(asked)
    head = f"{who} {q.group('rest').strip()}" if q and who not in {"I", "We", "He", "She",
                                                                    "They"} else answer.strip()
    return f"{head} (“{asked.strip()}” – “{answer.strip()}”)"


# an amount said as a price or an offer ("your quote came to $52k", "$49 a seat"): no pain
_PRICED = re.compile(r"\b(?:price[sd]?|pricing|quote[sd]?|proposal|offer\w*|discount\w*|fees?|"
                     r"per (?:seat|user|unit|van|truck|employee|site|location|license))\b", _I)


# an amount as a term or a requirement ("our policy says $5 million", "the broker letter
# says $3 million"): a criterion, no cost of theirs
_TERMS = re.compile(r"\b(?:polic(?:y|ies)|letter|insurance|insured|coverage|limit|minimum|"
                    r"requir\w*|liability|cap)\b", _I)


# what the problem costs them, in the call's words: underpriced, not charged, "the pay was",
# "was $31k of product", "real money" (a price said back to us is no cost of the problem)
_COST_OF_IT = re.compile(
    r"\b(?:underpric\w*|undercharg\w*|undersold|on the table|leak\w*|real money|(?:didn'?t|"
    r"never|don'?t) (?:charge|bill|invoice)\w*|(?:pay|paid|spent|spend|cost|bill|bills)\b"
    r"[^.]{0,20}\b(?:was|were|came to|ran)|(?:was|were) (?:about |around |over )?[$€£]\s?"
    r"[\d,.]+\s?(?:k|m)? (?:of|in|worth))\b", _I)


def _their_cost(s: str, asked: str, rivals: list[str], before: str) -> bool:
    """An amount said as what the problem costs them ("On-call pay was $140k last year",
    "we underpriced the blocks by $70,000") and no budget, price, term or rival's: a pain's
    figure. A price said back to us ("You're $59k for 40") is none."""
    return bool(_COST_OF_IT.search(s)) and not (
        rival_of(s, before, rivals) or _PRICED.search(s) or _TERMS.search(s)
                or PAYS_TODAY.search(s) or PAYS_SOMEONE.search(s)
                or any(SET_ASIDE.search(x) or ALL_IN.search(x) for x in (s, asked)))


def agreed_next(turns: list[dict[str, Any]], k: int, ours: set[str]) -> bool:
    """The customer's turn right after turn ``k`` opens with a yes ("That works.")."""
    from assistant.reflect.verdict import classify_answer

    nxt = turns[k + 1] if k + 1 < len(turns) else None
    if nxt is None or is_ours(nxt.get("speaker"), ours):
        return False
    said = sentences(" ".join(str(nxt["text"]).split()))
    return bool(said) and classify_answer(" ".join(said[:2])) == "yes"


_REQUEST = re.compile(r"(?:^|[.!?]\s+)(?:please\s+|just\s+)?(?:leave|keep|send|give|hold|book|"
                      r"move|put|make|get|bring|extend)\b|\b(?:can|could|would) you\b|"
                      r"\bif you(?:'re| are) willing\b|\bplease\b", _I)


def asked_for(sentence: str, turns: list[dict[str, Any]], k: int, ours: set[str]) -> bool:
    """The customer's turn right before turn ``k`` asks for what our sentence promises
    ("Leave Columbus running through January if you're willing." - "We'll keep it on until
    January 31."): a request and a word in common with it ("Bring your VP" asks for no
    order form we promise to send)."""
    prev = turns[k - 1] if k > 0 else None
    if prev is None or is_ours(prev.get("speaker"), ours):
        return False
    asks = [x for x in sentences(" ".join(str(prev["text"]).split())) if _REQUEST.search(x)]
    mine = set(content_words(sentence))  # a word in common with the request itself
    return any(set(content_words(x)) & mine for x in asks)


# a promise to deliver something: our to-do whatever the customer answers
_DELIVERY = re.compile(r"\b(?:send|share|e-?mail|mail|forward|follow up|get back|circle back|"
                       r"check|look into|take (?:\w+ ){0,4}back|write (?:it )?up|loop|"
                       r"put together|close (?:this|it) on our side|delete)\b", _I)


def own_promise(sentence: str, turns: list[dict[str, Any]], k: int, ours: set[str]) -> bool:
    """Our seller's promise ("I'll send the security answers by December 1") or proposal
    ("we'd like Paloma to run it from January 25") in turn ``k``: a next step of ours, not a
    fact of the customer's, unless the customer made it theirs: a proposal or an offer
    ("I'll rework the proposal to the 45 trucks: about $11,340 a year") their next turn
    agrees to, or a promise doing what their turn just before asked for. A promise to send,
    check or follow up stays ours whatever they answer."""
    if not is_ours(turns[k].get("speaker"), ours) or not OUR_PROMISE.search(sentence):
        return False
    if asked_for(sentence, turns, k, ours):
        return False
    return bool(_DELIVERY.search(sentence)) or not agreed_next(turns, k, ours)


_FIGURE = re.compile(r"\d|[$€£]")


def seller_fact(sentence: str, turns: list[dict[str, Any]], k: int, ours: set[str], *,
                first: bool = False, confirmed: bool = False) -> bool:
    """Our seller's sentence in turn ``k`` gives a customer fact only as a recap of their
    figure or date ("So: $89 per tech, 140 techs, three years"), as the answer opening our
    turn to what their turn just asked about ("Start with SSO." - "SAML SSO against your
    Azure AD."; ``first``), or, ``confirmed``, one their next turn says yes to. Our agenda
    ("Today we want to understand the pilot scope and the rollout decision") says what we
    want to learn, never what they told us."""
    if restated_next(sentence, turns, k, ours):
        return False  # the customer said it again in their words: their sentence is the fact
    figure = bool(_FIGURE.search(sentence) or DATE.search(sentence))
    prev = turns[k - 1] if k > 0 else None
    answer = first and prev is not None and not is_ours(prev.get("speaker"), ours) and bool(
        set(content_words(str(prev["text"]))) & set(content_words(sentence)))
    return (figure or answer) and (not confirmed or agreed_next(turns, k, ours))


def _names_ours(s: str, ours: set[str]) -> bool:
    """The sentence names one of our sellers ("With me are Gwen Okafor, our VP of Sales")."""
    words = {w.casefold() for w in re.findall(r"[A-Za-z][\w'-]*", s)}
    return any(n.split()[0] in words for n in ours if n.split())


def _scored(turns: list[dict[str, Any]], ours: set[str], rivals: list[str],
            names: list[str]) -> list[tuple[float, str, str, dict[str, Any]]]:
    scored: list[tuple[float, str, str, dict[str, Any]]] = []
    lower = frozenset(w.casefold() for t in turns for w in re.findall(r"\b[a-z][\w'-]*",
                                                                      str(t["text"])))
    previous = None
    head = preamble(turns)  # the call's title, date and attendees: nobody said them
    for i, t in enumerate(turns):
        if t["id"] in head:
            continue
        customer = not is_ours(t.get("speaker"), ours)
        asked = _asked(t, previous, ours)
        previous = t
        units = _units(str(t["text"]))
        for k, s in enumerate(units):
            s = STAGE_DIRECTION.sub("", s).strip() or s  # "That's my vote. [Theo leaves]"
            if s.rstrip().endswith("?") or unquotable(s) or is_header(s) or meta_line(s):
                continue  # a question, an instruction, a header, talk about the talk
            if own_promise(s, turns, i, ours) or not customer and OUR_PROMISE.search(s):
                continue  # our promise, proposal or ask is a next step, not a fact of theirs
            if not customer and not seller_fact(s, turns, i, ours, first=k == 0):
                continue  # our agenda or our words they did not confirm
            context = asked if k == 0 else ""
            asked_of_us = False
            if customer and (told := instruction_clause(s)) is not None:
                if not told and not (_COME_BACK.match(s) and _deal_date(s)):
                    continue  # a request or an instruction: a next step, never a fact
                asked_of_us = not told  # "Call Stuart in April": when, as they asked it
                s = told or s  # "Tell her the audit is in April": the clause is their fact
            if len(s.split()) < 3 and not context or _BARE.match(s):
                continue  # "No.", "Fine.": an answer, no fact by itself
            spec = specifics(s, names, lower)
            bare = bare_answer(s)
            figure = bool(DATE.search(s) or MONEY.search(s))  # "August.": a time said, filed
            for field in FIELD_WORDS:
                if asked_of_us and field != "timeline":
                    continue
                if bare and not figure and _hits(field, context, "", rivals) == 0:
                    continue  # "Okta." is a fact only under the field its question asked about
                if field in _THEIRS and _names_ours(s, ours):
                    continue  # our VP or engineer is not their buyer or champion
                hits = _hits(field, s, context, rivals, units[k - 1] if k else "", customer)
                if hits == 0 or spec == 0 and not (customer and hits >= 2):
                    continue  # nothing specific: only the customer, squarely on the field
                score = hits + min(spec, 3) + (1.5 if customer else 0.0) - (spec == 0)
                scored.append((score, field, s, t))
    return scored


def agreed_asks(turns: list[dict[str, Any]], *, sellers: Iterable[str],
                ) -> list[dict[str, Any]]:
    """Our proposals with a date or an amount the customer said yes to ("Could we do
    December 10, an hour, with you?" - "Thursday the 10th works."): the proposal is the
    value, in its own words, and the customer's yes the quote that makes it a fact. Our
    words, so inferred, not known (``said_by_customer`` False)."""
    from assistant.reflect.verdict import classify_answer

    ours = {s.casefold() for s in sellers}
    out = []
    previous = None
    for t in turns:
        asked, previous = _asked(t, previous, ours), t
        field = ("timeline" if DATE.search(asked) else
                 "budget" if MONEY.search(asked) else None)
        said = sentences(" ".join(str(t["text"]).split()))
        if field is None or not said or classify_answer(" ".join(said[:2])) != "yes":
            continue
        out.append({"field": field, "value": _agreed(_clause(asked, field)),
                    "quote": said[0], "turn": t["id"], "said_by_customer": False,
                    "score": 6.0})
    return out


_ASK_LEAD = re.compile(r"^(?:so,?\s+)?(?:(?:can|could|shall|should)\s+(?:we|i)\s+(?:do\s+)?|"
                       r"(?:how|what)\s+about\s+|would\s+you\s+be\s+(?:open|up)\s+"
                       r"(?:to|for)\s+)", re.I)


def _agreed(asked: str) -> str:
    """Our question as the thing agreed: "Can we book a workshop next Tuesday?" reads
    "agreed: book a workshop next Tuesday" (the customer's yes is the quote)."""
    text = _ASK_LEAD.sub("", asked.strip()).rstrip(" ?")
    return f"agreed: {text}" if text else asked


HEDGED = re.compile(r"\b(?:maybe|probably|perhaps|might|not sure|i think|unless|if)\b", _I)
# a pronoun pointing back to someone just named: "goes to him", "she signs", "his call"
_BACK = re.compile(r"\b(?:he|she|they|him|her|them|his|hers|their)\b", _I)
# what the economic buyer does: signs, approves, decides, holds the money or a threshold
SIGNS = re.compile(
    r"\b(?:signs?|signing|signature|sign[- ]off|approv\w*|final say|last word|decid\w*|"
    r"decision|holds? the budget|budget holder|owns the (?:budget|money|number)|"
    r"(?:goes|go|lands?|ends up) (?:to|on|with) (?:him|her|them|his|her|their)|"
    r"(?:his|her|their) (?:call|decision|desk|signature|budget))\b"
    r"|\b(?:above|over|more than|beyond)\s+(?:[$€£]\s?)?\d", _I)
# what a champion does for us inside: presents, pushes, takes it to the people who decide
CHAMPIONS = re.compile(
    r"\b(?:he|she|they)(?:'ll| will| can| wants? to| is going to)? (?:present|push|"
    r"champion|sell|sponsor|take (?:it|this|us) to|bring (?:it|this|us) to|make the case|"
    r"walk (?:it|this) (?:in|through))\w*", _I)


def _clause_of(text: str, m: re.Match[str]) -> str:
    """The clause of ``text`` (between , ; : or a sentence end) holding the match ``m``:
    "who signs anything over $40,000, has seen the numbers; he'll give notice if I ask him"
    -> "who signs anything over $40,000"."""
    start = max(text.rfind(c, 0, m.start()) for c in ",;:.!?") + 1
    ends = [i for c in ",;:.!?" if (i := text.find(c, m.end())) >= 0]
    return text[start:min(ends, default=len(text))]


# a person's full name ("Lorna Steed", "Petra Vance"), introduced without a title we know
_FULL_NAME = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")
# a pronoun that is the subject of what follows it ("She signs", "he has the last word")
_SUBJECT = re.compile(r"\b(?:he|she|they)\b(?:'ll|'s)?(?:\s+\w+){0,2}\s*$", _I)


def _introduced(s: str, ours: set[str], speaker: str | None) -> list[str]:
    """The customer's people a sentence introduces: with a title ("Greg Hollis, our COO") or
    by a full name of their own ("Lorna Steed, the operating partner at Cordell Ridge."),
    not one of ours nor the speaker."""
    titled = [n for n, _ in named_people(s)]
    plain = [m.group(0) for m in _FULL_NAME.finditer(s)
             if m.group(0).split()[0] not in _NOT_NAMES]
    own = (speaker or "").casefold()
    return [n for n in dict.fromkeys(titled + plain)
            if not _names_ours(n, ours) and n.casefold() != own]


def _said_of(back: str, cue: re.Match[str]) -> bool:
    """The cue is said of the person pointed back to: the pronoun is in the cue ("goes to
    him", "her call") or is its subject ("She signs", "she has the last word"), not "I
    don't sign anything she hasn't read"."""
    return bool(_BACK.search(cue.group(0))) or bool(_SUBJECT.search(back[:cue.start()]))


def pointed_people(turns: list[dict[str, Any]], *, sellers: Iterable[str],
                   ) -> list[dict[str, Any]]:
    """A person introduced by name (with or without a title), then in the same or one of the
    next two sentences of the same customer turn what that person does, by a pronoun
    pointing back ("Greg Hollis, our COO. Anything above $100k goes to him."; "Petra Vance.
    Senior partner. She has the last word on anything that costs money."): the economic
    buyer (signs, approves, decides, a threshold) or the champion. The value and the quote
    are the sentences together, verbatim."""
    ours = {s.casefold() for s in sellers}
    out: list[dict[str, Any]] = []
    for t in turns:
        if is_ours(t.get("speaker"), ours):
            continue
        said = sentences(" ".join(str(t["text"]).split()))
        for i, s in enumerate(said):
            named = _introduced(s, ours, t.get("speaker"))
            if not named:
                continue
            rest = s
            for n, title in named_people(s):
                rest = rest.replace(n, " ").replace(title, " ")
            for n in named:
                rest = rest.replace(n, " ")
            found = None
            for j, (text, back) in enumerate([(s, rest)] + [(x, x) for x in said[i + 1: i + 3]]):
                if not _BACK.search(back) or _introduced(text, ours, t.get("speaker")) and j:
                    continue  # no pronoun, or another person introduced: not theirs
                cue = SIGNS.search(back) or CHAMPIONS.search(back)
                if cue is None or HEDGED.search(_clause_of(back, cue)) or (
                        not named_people(s) and not _said_of(back, cue)):
                    continue  # a hedge on what they do ("he might sign"), not elsewhere
                found = (text, "economic_buyer" if cue.re is SIGNS else "champion", j)
                break
            if found is None:
                continue
            text, field, j = found
            quote = " ".join(said[i: i + j + 1])
            out.append({"field": field, "value": quote, "quote": quote, "turn": t["id"],
                        "said_by_customer": True, "score": 8.0})
    return out


def named_answers(turns: list[dict[str, Any]], *, sellers: Iterable[str],
                  ) -> list[dict[str, Any]]:
    """The customer's answer to our who-question that only names a person ("Owen, who reads
    the contract for you?" - "My daughter, Paulette Reyes."): the person and what they do,
    read with the question, both quoted (an answer that says it whole is a fact as said).
    Who signs or approves is the economic buyer; who reads, reviews or otherwise takes
    part, the decision process."""
    ours = {s.casefold() for s in sellers}
    out: list[dict[str, Any]] = []
    previous = None
    for t in turns:
        asked, previous = _asked(t, previous, ours), t
        q = _WHO_Q.search(asked) if asked else None
        said = sentences(" ".join(str(t["text"]).split()))
        if q is None or not said:
            continue
        names = _introduced(said[0], ours, t.get("speaker"))
        if not names or ELLIPSIS.match(said[0]):
            continue  # no one named, or "Arne does." (read by ``resolved``)
        rest = said[0]
        for n in names:
            rest = rest.replace(n, " ")
        if len(content_words(rest)) > 2:
            continue  # "Our COO, Maria Chen, signs anything above $100k.": a fact as said
        what = re.sub(r"\b(?:for|to|with) (?:you|us)\b", "", q.group("rest")).strip(" ,")
        what = re.sub(r"\byour\b", "their", what)
        field = "economic_buyer" if SIGNS.search(asked) else "decision_process"
        value = f"{names[0]} {what} (“{asked.strip()}” – “{said[0].strip()}”)"
        out.append({"field": field, "value": value, "quote": said[0], "turn": t["id"],
                    "said_by_customer": True, "score": 7.0})
    return out


def late_answers(turns: list[dict[str, Any]], *, sellers: Iterable[str],
                 ) -> list[dict[str, Any]]:
    """The customer's answers to our questions that came later than the next turn (the
    question parked, another one answered first, then "To your first question: it stops with
    me."), read with the question they answer (:mod:`assistant.reflect.dialogue`): who signs
    or approves is the economic buyer, anyone else named the decision process, a figure or a
    sum a metric, a date the timeline. The answer as said is the value; the next-turn answers
    are read by the field rules already."""
    from assistant.reflect.dialogue import replies

    ours = {s.casefold() for s in sellers}
    order = {t["id"]: k for k, t in enumerate(turns)}
    out = []
    for r in replies(turns, sellers=sellers):
        if r.strength not in ("firm", "hedged") or not r.turn:
            continue
        between = turns[order[r.question.turn] + 1:order[r.turn]]
        if not any(not is_ours(t.get("speaker"), ours) for t in between):
            continue  # the first words after the question: the field rules read those
        want = r.question.wants
        field = ("economic_buyer" if want == "person" and SIGNS.search(r.question.text) else
                 "decision_process" if want == "person" else
                 "metrics" if want in ("figure", "money") else
                 "timeline" if want == "date" else None)
        if field is None:
            continue
        value = f"{r.text} (“{r.question.text.strip()}”)"
        out.append({"field": field, "value": value, "quote": r.text, "turn": r.turn,
                    "said_by_customer": True, "score": 7.0})
    return out


def field_facts(turns: list[dict[str, Any]], *, sellers: Iterable[str],
                competitors: Iterable[str] = (), people: Iterable[str] = (),
                ) -> list[dict[str, Any]]:
    """``[{"field", "value", "quote", "turn", "said_by_customer"}]``, best first per field.

    A customer's answer to our question is read with the question: "What's the board
    today?" makes "Service Fusion." a competitors fact."""
    ours = {s.casefold() for s in sellers}
    rivals = [c for c in competitors if c]
    scored = _scored(turns, ours, rivals, [*people, *rivals])
    best_field: dict[str, tuple[float, str]] = {}
    for score, field, s, _ in scored:
        if s not in best_field or score > best_field[s][0]:
            best_field[s] = (score, field)
    out: list[dict[str, Any]] = []
    per: dict[str, int] = {}
    # the customer's own sentences first, then a seller's recap; the best scored first
    order = sorted(scored, key=lambda x: (is_ours(x[3].get("speaker"), ours), -x[0]))
    index = {t["id"]: k for k, t in enumerate(turns)}
    # a proposal the customer took; a person named, then what they do ("goes to him")
    for first in [*agreed_asks(turns, sellers=sellers), *pointed_people(turns, sellers=sellers),
                  *named_answers(turns, sellers=sellers), *late_answers(turns, sellers=sellers)]:
        if any(o["quote"] == first["quote"] for o in out):
            continue  # one sentence, one fact
        if per.get(first["field"], 0) < PER_FIELD:
            per[first["field"]] = per.get(first["field"], 0) + 1
            out.append(first)
    for score, field, s, t in order:
        if best_field[s][1] != field or per.get(field, 0) >= PER_FIELD:
            continue
        if any(o["quote"] == s or s in o["value"] for o in out):
            continue
        if is_ours(t.get("speaker"), ours) and _OUR_WORK.search(s):
            continue  # "we sent 96 of the 120 answers on Tuesday": our own work, not theirs
        value = _clause(s, field)
        if ELLIPSIS.match(s):  # "Arne does.": read with the question it answers, or not at all
            k = index[t["id"]]
            asked = _asked(t, turns[k - 1] if k else None, ours)
            if (value := resolved(s, asked) or "") == "":
                continue
            if _WHO_Q.search(asked) and SIGNS.search(asked):
                field = "economic_buyer"  # who signs is the economic buyer
        k = index[t["id"]]
        if bare_answer(s) and "“" not in value and (
                asked := _asked(t, turns[k - 1] if k else None, ours)):
            value = f"{value.rstrip('.!')} (asked: “{asked.strip()}”)"  # with its question
        if not is_ours(t.get("speaker"), ours) and instruction_clause(s) == "":
            who = str(t.get("speaker") or "the customer").split()[0]  # "Call Stuart in April"
            what = _as_reported(s.rstrip(".!"))
            value = f"{who} asks us to {what[:1].lower()}{what[1:]}"
        per[field] = per.get(field, 0) + 1
        out.append({"field": field, "value": value, "quote": s, "turn": t["id"],
                    "said_by_customer": not is_ours(t.get("speaker"), ours),
                    "score": score})
        if len(out) >= MAX_FACTS:
            break
    return out


# a bracketed stage direction after what was said ("... [Ines leaves, 3:10 pm]"): the
# recording's, not the customer's words (a bracket that opens a line labels what follows)
STAGE_DIRECTION = re.compile(r"(?<=\S)\s*\[[^\]]*\]\s*$")
# talk about the talk: the conversation's own order, leaving it, how long a topic took
_TALK = re.compile(
    r"^\W*(?:(?:so|ok(?:ay)?|right|well|look|and|sorry),?\s+)*(?:let me (?:give|tell|show|walk|"
    r"start|share|take|run|go through) you\b|one (?:more )?thing before\b|before (?:we|you|i) "
    r"(?:start|begin|go|wrap|hang up)\b|thanks?(?: you)?,? (?:all|everyone|both)\b)"
    r"|\bi (?:have|need|'ve got|got) to (?:go|jump|run|leave|drop|hop off)\b"
    r"|\b(?:we|they) (?:talked|spoke|argued) about\b[^.]{0,40}\bfor (?:an? |\w+ )?"
    r"(?:hours?|minutes?|days?|weeks?)\b", _I)


def meta_line(sentence: str) -> bool:
    """About the conversation, not the account: "Let me give you the figures first", "I have
    to jump at five", "We talked about it for two hours"; a line that also gives a date or an
    amount ("Let me give you the date: March 3") carries the account's figure, and stays."""
    return bool(_TALK.search(sentence)) and not (DATE.search(sentence) or MONEY.search(sentence))


# our own side's delivered work, said by one of our sellers: no fact about the customer
_OUR_WORK = re.compile(r"\b(?:we|I)(?:'ve| have)? (?:sent|delivered|shared|submitted|answered|"
                       r"e-?mailed|mailed|built|prepared|finished|uploaded)\b", _I)


def _as_reported(request: str) -> str:
    """A customer's request in our words: "Call me in March" -> "Call back in March", "Send me
    my quote" -> "Send them their quote" (their name in place of "me" read as a second person:
    "Bianca asks us to call Bianca")."""
    request = re.sub(r"\b(call|ring|phone) me\b", r"\1 back", request, flags=re.IGNORECASE)
    request = re.sub(r"\bme\b", "them", request, flags=re.IGNORECASE)
    return re.sub(r"\bmy\b", "their", request, flags=re.IGNORECASE)


__all__ = ["ALL_IN", "BUDGETED", "COSTED", "FIELD_WORDS", "MAX_FACTS", "PER_FIELD",
           "PAYS_SOMEONE", "PERSON_TITLE", "STAGE_DIRECTION", "TIME", "agreed_asks",
           "bare_answer", "meta_line", "agreed_next", "called_by_name",
           "field_facts", "late_answers", "misfiled", "named_answers", "not_a_person",
           "own_promise", "pointed_people", "seller_fact", "specifics"]
