"""The question a seller asks in the call to close an exit criterion the notes leave open.

Exit criteria are written as states ("Signature date set", "Economic buyer identified by
name", "Current tool and its contract end date written down"); the plan needs what the rep
says to the customer ("What date can we set for the signature?", "Who signs off on this?",
"Can you tell us the current tool and its contract end date?"). :func:`ask_for` turns the
common shapes of a criterion into that question by rule, speaking to the customer ("their",
"the customer's" become "your"); a shape it does not know becomes "What is left before …,
and who owns it?" on the criterion's own words. No model call: the small model's questions
were mostly the customer's own questions or "What is the status of …", and cost a third of
the draft's output tokens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# who decides: the economic buyer, the signer, the sponsor
_DECIDER = re.compile(r"\b(economic buyer|decision[- ]maker|who(?:ever)? signs|signer|"
                      r"executive sponsor|sponsor|(?:the )?(?:person|one) who (?:approves|signs|"
                      r"decides)\b[\w ]*?(?= is\b| are\b|$))", re.I)
_NAMED = re.compile(r"\b(named|identified|by name|known)\b", re.I)
_WE_KNOW = re.compile(r"^we know (?:by name )?(?P<what>.+)$", re.I)
_DATE_SET = re.compile(r"^(?P<what>[\w/' -]+?) dates? (?:set|agreed|booked|confirmed)\b"
                       r"(?P<rest>.*)$", re.I)
_PAREN = re.compile(r"\s*\(([^)]*)\)")
_NUMBER_ON = re.compile(r"\b(?:a |their own )?(?:number|dollar figure|figure|cost)s? on "
                        r"(?P<what>[^,]+)", re.I)
_PAIN = re.compile(r"^(?:the )?(?P<what>[\w/ -]*?)\s*pain\b", re.I)
_NUMBERS = re.compile(r"\b(numbers?|figures?|dollars?|own words|cost)\b", re.I)
_KNOWN = re.compile(r"^(?P<what>.+?),?\s+(?P<how>known|confirmed|written down|listed|on paper|"
                    r"recorded|identified|stated|discussed)\b(?P<rest>.*)$", re.I)
_VERBISH = re.compile(r"\b(we|fits|has|have|done|signed|booked|issued|passed|held)\b", re.I)
_WH = re.compile(r"^(who|why|what|when|how|which)\b", re.I)
_BY = re.compile(r"^\s*(?:by|with) (?P<who>.+)$", re.I)
_THEN_DATE = re.compile(r"\band (?:a |the )?(?P<what>[\w-]+ )?date (?:set|agreed|confirmed)\b",
                        re.I)
_CUT = re.compile(r"\s+(?:and|by|including)\b|[,;]")
# someone agrees, accepts, approves, sees: an active verb after a short subject
_ACTS = {
    "approved": "approve", "approves": "approve", "accepted": "accept", "accepts": "accept",
    "agreed to": "agree to", "agrees to": "agree to", "endorses": "endorse",
    "endorsed": "endorse", "signs off": "sign off", "signed off": "sign off",
    "said yes to": "say yes to", "says yes to": "say yes to", "reviewed": "review",
    "saw": "see", "has seen": "see", "presented": "present", "heard about": "hear about",
    "met": "meet", "closed out": "close out", "marked up": "mark up", "has taken": "take",
}
_SHOWING = {"see", "present", "review", "hear about"}
_ACT_WORDS = "|".join(sorted(map(re.escape, _ACTS), key=len, reverse=True))
# a second verb after the first ("reviewed and accepted the pricing"); the criterion's
# spaces are single (ask_for joins its words), so " and …" at 0 is the verb right after
_AND_ACT = re.compile(rf" and (?P<verb>{_ACT_WORDS})\b", re.I)
_ACT = re.compile(rf"^(?P<who>[\w,'() -]{{1,60}}?) (?:has |have )?(?P<verb>{_ACT_WORDS})\b"
                  r"(?P<what>.*)$", re.I)
_STATE = re.compile(r"^(?P<what>.+?) (?P<state>(?:passed|signed|complete|completed|resolved|"
                    r"closed|held|live(?=$| on\b| and\b|,)|booked|shown|done|issued|started|"
                    r"answered|checked|accepted|agreed|processed|commissioned|loaded|opened|met|"
                    r"reviewed|delivered|scoped|shared|sent|walked through|in hand|"
                    r"in progress|on the (?:\w+ )?calendar)\b.*)$", re.I)
_DETERMINED = re.compile(r"^(the|a|an|your|our|its|who|what|which|how|why|when|whoever|"
                         r"someone|one|all|each|any)\b", re.I)
_YOURS = ((re.compile(r"\b(?:the )?customer's\b", re.I), "your"),
          (re.compile(r"\btheir\b", re.I), "your"),
          (re.compile(r"\bthe customer\b", re.I), "you"),
          (re.compile(r"\byou is\b"), "you are"))
_ACRONYM = re.compile(r"^(?:[A-Z0-9]{2,}|[A-Z][a-z]+[A-Z])")
_IRREGULAR_PLURALS = {"criteria", "data"}


def ask_for(criterion: str, *, named: str = "") -> str:
    """The question that finds out whether ``criterion`` holds, or what it would take.

    ``named``: the one customer person the note that shows the criterion open names
    ("probably Greg Hollis, not met"); a question about who decides then asks about them."""
    c = " ".join(criterion.split()).rstrip(". ")
    if not c:
        return ""
    if re.match(r"^customer\b(?!')", c, re.I):
        c = ("You" if re.match(r"^customer [a-z]", c[:1].lower() + c[1:]) else "Your") \
            + c[len("customer"):]
    c = _them_is_customer(c)
    if named and (question := _who_decides(c, named)):
        return _yours(question)
    for rule in (_who_decides, _we_know, _told, _number, _known, _date, _acts, _state, _did):
        if question := rule(c):
            return _yours(question)
    return _yours(f"What is left before this holds: {_lower(c)}, and who owns it?")


# the customer as a criterion's subject, and another party a later "them" could mean
_CUSTOMER_SUBJECT = re.compile(r"^(?:the )?(?:customer|client|prospect|they|their|you|your)\b",
                               re.I)
_PARTY = re.compile(r"\b(?:buyers?|signers?|sponsors?|champions?|users?|staff|teams?|people|"
                    r"managers?|owners?|partners?|vendors?|board|committee|stakeholders?|"
                    r"executives?|leaders?|[A-Z][a-z]+ [A-Z][a-z]+)\b")


def _them_is_customer(c: str) -> str:
    """A "them" in a criterion about the customer means the customer ("The customer put a
    number on what their pricing problem costs them"): it becomes "the customer", which the
    question turns into "you". A "them" after another party ("introduced us to the
    signer and met them") stays."""
    if not _CUSTOMER_SUBJECT.match(c):
        return c
    out, at = [], 0
    for m in re.finditer(r"\bthem\b", c):
        if _PARTY.search(c, 1, m.start()):
            break
        out.append(c[at:m.start()] + "the customer")
        at = m.end()
    return "".join(out) + c[at:]


def _who_decides(c: str, named: str = "") -> str:
    m = _DECIDER.search(c)
    if not m or not _NAMED.search(c) or m.start() > 0:
        return ""
    who = m.group(1).lower()
    does = ("sponsors this on your side" if "sponsor" in who
            else "makes the decision" if who.startswith("decision") else "signs off on this")
    head = f"Is {named} the one who {does}" if named else f"Who {does}"
    if not named and (paren := _PAREN.search(c)) and paren.start() < 40:
        head += f" ({paren.group(1)})"
    extra = []
    if re.search(r"\bbudget\b", c, re.I):
        extra.append("what budget is set aside")
    if re.search(r"\b(met|meet|meeting|scheduled)\b", c, re.I):
        extra.append("when can we meet them")
    elif re.search(r"\b(date|cycle|committee|board)\b", c, re.I):
        extra.append("when do they decide")
    if len(extra) > 1:
        return f"{head}, {', '.join(extra[:-1])}, and {extra[-1]}?"
    return f"{head}, and {extra[0]}?" if extra else f"{head}?"


# "the person who signs for software": asked as "Who signs for software …?"
_THE_ONE_WHO = re.compile(r"^(?:the )?(?:person|people|one|ones) who (?P<rest>\w+\b.*)$", re.I)


def _we_know(c: str) -> str:
    if m := _WE_KNOW.match(c):
        if who := _THE_ONE_WHO.match(m.group("what")):
            return f"Who {who.group('rest')}?"
        return f"Can you tell us {m.group('what')}?"
    if _WH.match(c):  # "What they run today is written down, with ..." -> "what you run today"
        what = re.sub(r",?(?: is| are)? written down.*$", "", c)
        what = re.sub(r"\bthey\b", "you", re.sub(r"\btheir\b", "your", what))
        return f"Can you tell us {_lower(what)}?"
    return ""


# what they did for us: "They told us in their own figures what … costs them", "They sent us
# their rent roll": asked as "Can you tell us …?", "Can you send us …?"
_TOLD = re.compile(r"^(?:they|you|the customer) (?P<verb>told|showed|gave|sent|walked) us "
                   r"(?P<what>\S.*)$", re.I)
_ASK_VERB = {"told": "tell", "showed": "show", "gave": "give", "sent": "send",
             "walked": "walk"}


def _told(c: str) -> str:
    m = _TOLD.match(c)
    if not m:
        return ""
    what = re.sub(r"\bthem\b", "you", re.sub(r"\bthey\b", "you", m.group("what")))
    return f"Can you {_ASK_VERB[m.group('verb').lower()]} us {what}?"


def _date(c: str) -> str:
    m = _DATE_SET.match(c)
    if not m or len(m.group("what").split()) > 5 or re.search(r"\w+ed\b", m.group("what")):
        return ""
    rest = m.group("rest")
    tail = rest if re.match(r"^\s*with\b", rest) else ""
    tail = re.sub(r"\s+and on the calendar\b.*$", "", tail)
    return f"What date can we agree for the {_lower(m.group('what'))}{tail}?"


def _number(c: str) -> str:
    if m := _NUMBER_ON.search(c):
        what = re.split(r"\s+in (?:their|your) own\b", c[m.start("what"):])[0].rstrip(", ")
        return f"Can you put your own number on {what}?"
    if not _NUMBERS.search(c):
        return ""
    numeric = re.search(r"\b(numbers?|figures?|dollars?|cost)\b", c, re.I)
    if (m := _KNOWN.match(c)) and m.group("how").lower() == "stated":
        what = _the(m.group("what"))
        if not numeric:
            paren = _PAREN.search(m.group("rest"))
            return (f"In your own words, what is {what} costing you today"
                    f"{f' ({paren.group(1)})' if paren else ''}?")
        units = re.sub(r"^\s*by (?:you|the customer)\b", "", m.group("rest")).strip()
        return f"Can you put your own number on {what}, {units}?" if units \
            else f"Can you put your own number on {what}?"
    if paren := _PAREN.search(c):
        if not numeric:
            return f"In your own words, what is it costing you today ({paren.group(1)})?"
        return f"Can you put your own numbers on it ({paren.group(1)})?"
    if m := _PAIN.match(c):
        what = m.group("what").strip()
        return (f"What does the {_lower(what)} problem cost you today, in your own numbers?"
                if what else "What does the problem cost you today, in your own numbers?")
    return ""


def _known(c: str) -> str:
    m = _KNOWN.match(c)
    if not m or len(m.group("what").split()) > 12 or _VERBISH.search(m.group("what")):
        return ""
    what = _the(m.group("what").rstrip(","))
    how = m.group("how").lower()
    rest = m.group("rest")
    paren = _PAREN.match(rest)
    by = re.match(r"^\s*by (?P<who>.+?)(?: (?:after|when|before|once|as)\b.*)?$", rest, re.I)
    if by and how == "confirmed":
        question = f"Can {_the(by.group('who'))} confirm {what}"
    else:
        tail = f" ({paren.group(1)})" if paren else _cut(rest)
        question = f"Can you {'confirm' if how == 'confirmed' else 'tell us'} {what}{tail}"
    if then := _THEN_DATE.search(rest):
        question += f", and can we set a {(then.group('what') or '').strip() or 'follow-up'} date"
    return question + "?"


def _cut(rest: str) -> str:
    """``rest`` up to its first "and", "by", "including", comma or semicolon outside
    parentheses ("for the whole proposal (budget, grant or lease)" stays whole)."""
    depth = 0
    for i, ch in enumerate(rest):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and _CUT.match(rest, i):
            return rest[:i].rstrip()
    return rest.rstrip()


# "… accepted in writing", "… approved by the board": a state, not someone acting
_PASSIVE = re.compile(r"^\s+(?:by|with|in|on|at|as|within|before|after|from)\b", re.I)
# "The person who approves …": the subject is a relative clause, not who acts
_RELATIVE = re.compile(r"\b(?:who|that|which)$", re.I)


def _acts(c: str) -> str:
    m = _ACT.match(c)
    if not m or _PASSIVE.match(m.group("what")) or _VERBISH.search(m.group("who")) \
            or _RELATIVE.search(m.group("who")):
        return ""
    verb = _ACTS[m.group("verb").lower()]
    if (not m.group("what").strip() and verb != "sign off") or (
            verb == "meet" and not re.match(r"^\s+(?:the|its|their|all)\b", m.group("what"))):
        return ""
    who = _the(m.group("who"))
    # a second clause that is a state, not an act ("… saw the price and did not walk away")
    what = re.split(r" and (?:did|does|do|has|have|is|was)(?:n't| not)\b| and didn't\b",
                    m.group("what"))[0].rstrip()
    if who in _NOBODY:  # "Nobody approved the budget": who would need to
        return f"Who would need to {verb}{what}?"
    if then := _AND_ACT.match(what):
        what = f" and {_ACTS[then.group('verb').lower()]}{what[then.end():]}"
        return f"What would {who} need to {verb}{what}?"
    what = _AND_ACT.sub(lambda x: f" and {_ACTS[x.group('verb').lower()]}", what)
    if verb in _SHOWING:
        return f"When can {who} {verb}{what}?"
    return f"What would {who} need to {verb}{what}?"


def _state(c: str) -> str:
    m = _STATE.match(c)
    if not m or len(m.group("what").split()) > 10:
        return ""
    what = re.sub(r"\s+(?:is|are|was|were|gets?|got|been)$", "", m.group("what"))
    if _VERBISH.search(what) and not re.match(r"^signed\b", what, re.I):
        return ""
    if re.search(r"\b(?:said|says|told|showed|reported|wrote)\b", what, re.I):
        return ""  # "The baker said the times held": what someone said, asked by _did
    head = re.split(r" (?:on|of|for|from|with|in|to)\b", _PAREN.sub("", what))[0]
    last = head.split()[-1].lower() if head.split() else ""
    plural = " and " in head or (last.endswith("s") and not last.endswith("ss")) \
        or last in _IRREGULAR_PLURALS
    return f"What is left before {_the(what)} {'are' if plural else 'is'} {m.group('state')}, " \
           "and who owns it?"


# what a criterion says someone did ("One site ran a full month on it", "The manager said
# the codes worked"): asked as "Has one site run …?", "Has the manager said …?"
_PARTICIPLE = {"ran": "run", "saw": "seen", "went": "gone", "came": "come", "took": "taken",
               "gave": "given", "wrote": "written", "began": "begun", "chose": "chosen",
               "said": "said", "made": "made", "held": "held", "sent": "sent", "met": "met",
               "paid": "paid", "kept": "kept", "told": "told", "brought": "brought",
               "bought": "bought", "built": "built", "won": "won"}
_DID = re.compile(rf"^(?P<who>[\w,'() -]{{1,60}}?) (?P<verb>[a-z]{{2,}}ed|"
                  rf"{'|'.join(_PARTICIPLE)})\b(?P<rest>.*)$")
_COUNTED_WHO = re.compile(r"^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
                          r"every|each|all|some|both)\b", re.I)
_PLURAL_WHO = re.compile(r"^(?:you|we|they)$|\band\b|s$", re.I)


def _did(c: str) -> str:
    m = _DID.match(c)
    if not m or _VERBISH.search(m.group("who")) or re.search(
            r"\b(?:is|are|was|were|who|which)\b", m.group("who")) or re.search(
            r"\band\b.*\b(?:wants?|is|are|has|have|says?|needs?)\b", m.group("rest")):
        return ""  # a second clause with its own verb: the fallback keeps both
    who = m.group("who").strip()
    who = _lower(who) if _COUNTED_WHO.match(who) else _the(who)
    verb = _PARTICIPLE.get(m.group("verb"), m.group("verb"))
    has = "Have" if _PLURAL_WHO.search(who) and not who.endswith("ss") else "Has"
    return f"{has} {who} {verb}{m.group('rest').rstrip()}?"


# who a criterion names without a noun: asked as is ("they" is the customer: "you")
_PRONOUN_WHO = {"they": "you", "you": "you", "we": "we", "he": "he", "she": "she",
                "nobody": "nobody", "no one": "nobody", "someone": "someone",
                "somebody": "somebody", "everyone": "everyone", "it": "it", "them": "you"}


_NOBODY = frozenset({"nobody", "no one", "none"})


def _the(phrase: str) -> str:
    phrase = phrase.strip()
    if phrase.lower() in ("customer", "buyer", "you"):
        return "you"
    if phrase.lower() in _PRONOUN_WHO:
        return _PRONOUN_WHO[phrase.lower()]
    if _DETERMINED.match(phrase) or re.match(r"^(customer|their|the customer's)\b", phrase,
                                             re.I):
        return _lower(phrase)
    return f"the {_lower(phrase)}"


def _lower(phrase: str) -> str:
    return phrase if _ACRONYM.match(phrase) else phrase[:1].lower() + phrase[1:]


def _yours(question: str) -> str:
    for pattern, mine in _YOURS:
        question = pattern.sub(mine, question)
    return question[:1].upper() + question[1:]


# ---- qualification gaps --------------------------------------------------------------------
# (field, what in the notes shows it, what in an exit-criterion question already asks it,
#  the question), most important first. The playbook's qualification: metrics, economic
#  buyer, decision criteria, decision process, pain, competition; the pain is asked through
#  the exit criteria, the champion read from the buyers.
_QUALIFICATION: tuple[tuple[str, re.Pattern[str], re.Pattern[str], str], ...] = (
    ("economic buyer",
     re.compile(r"\b(signs?|signer|sign-off|approves?|approval|final say|economic buyer|"
                r"budget holder|decides)\b", re.I),
     re.compile(r"\bwho signs|signs off|makes the decision|sponsors\b", re.I),
     "Who signs off on this, and what do they need to see before they do?"),
    ("decision process",
     re.compile(r"\b(decision|decide[sd]?|committee|board|procurement|legal review|"
                r"approval process|sign-off process|go/no-go)\b", re.I),
     re.compile(r"\bdecision\b|\bdecide\b", re.I),
     "What are the steps from here to a decision, who is involved in each, and by when?"),
    ("metrics",
     re.compile(r"\$\s?\d|\d+\s?(?:%|percent|hours?|days?|minutes|k\b)", re.I),
     re.compile(r"\bown numbers?\b|\bcost you\b", re.I),
     "What number would show this worked (hours, cost, errors), and what is it today?"),
    ("decision criteria",
     re.compile(r"\b(criteria|must[- ]have|requirements?|deal-?breaker|non-negotiable|"
                r"has to|needs to|evaluat\w+|compar\w+|success looks)\b", re.I),
     re.compile(r"\bcriteria\b|\bmust\b", re.I),
     "What will you judge the options on, and what is a must-have?"),
    ("competition",
     re.compile(r"\b(competitors?|alternatives?|other vendors?|also look\w*|shortlist|rfp|"
                r"incumbent|in-house|build it ourselves|do nothing)\b", re.I),
     re.compile(r"\bwho else\b|\bwho won\b|\bwho (?:got|they chose)\b", re.I),
     "Who else are you looking at, and what happens if you change nothing?"),
)


# which fields a meeting of each kind still asks about (late meetings do not reopen the
# criteria or the competition: they ask who signs and how the decision is made)
_EVERY_FIELD = tuple(field for field, *_ in _QUALIFICATION)
_ASKED_IN = {
    "discovery": _EVERY_FIELD,
    "follow-up": _EVERY_FIELD,
    "demo": _EVERY_FIELD,
    "technical": ("economic buyer", "decision process", "decision criteria"),
    "proposal": ("economic buyer", "decision process"),
    "executive": ("economic buyer", "decision process", "metrics"),
    "negotiation": ("economic buyer", "decision process"),
}
MAX_QUALIFICATION = 2  # a plan's questions stay few: the open criteria come first


def qualification_gaps(texts: Sequence[str], *, kind: str, rivals: Sequence[str] = (),
                       asked: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(field, question) for the qualification fields no note shows (``texts``), no question
    already ``asked`` covers and a meeting of ``kind`` still asks about, most important
    first, at most ``MAX_QUALIFICATION``; a rival the notes name shows the competition."""
    body = "\n".join(texts)
    fields = _ASKED_IN.get(kind, _ASKED_IN["follow-up"])
    out: list[tuple[str, str]] = []
    for field, shown, covered, question in _QUALIFICATION:
        if field not in fields or len(out) >= MAX_QUALIFICATION:
            continue
        if shown.search(body) or any(covered.search(q) for q in asked):
            continue
        if field == "competition" and any(r and re.search(rf"\b{re.escape(r)}\b", body, re.I)
                                          for r in rivals):
            continue
        out.append((field, question))
    return out
