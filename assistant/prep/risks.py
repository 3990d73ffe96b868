"""Risks found in the evidence, each with its source and a concrete mitigation.

A risk is one of the situations a sales manager looks for the night before (PLAYBOOK):
a competitor or alternative in play (by the words notes use, or by a competitor the team's
stories name), a budget or scope change, the economic buyer not met,
a champion change, a stalled timeline, open procurement or security work, an evaluator
against us. Each is found in a note sentence (quoted, with its id) or in the exit-criteria
gap, and carries a mitigation that names who does what in this call, built from the
sentence's own names. A sentence that only resembles a risk ("sorry for the delay") is not
one. Pure functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from assistant.prep.buyers import holder
from assistant.prep.criteria import OPEN, STATUS_WORDS, CriterionRead, concepts_of
from assistant.prep.objections import (
    _APOLOGY,
    _NEGATED,
    IN_PLAY,
    PERSON_CHANGE,
    cost_against_gain,
    owner_for,
    ruled_out,
)
from assistant.prep.sentences import (
    GAIN,
    SIGNER_VERBS,
    STOP,
    TITLE_AFTER,
    Sentence,
    content_words,
    name_hits,
    named_in,
    our_intent,
    refers_back,
    short,
)
from assistant.prep.supersede import Newer, hedged

# a signer nobody has named: a body above them, or a name not given ("Anything this size
# goes up to the sponsor", "did not say who"); an open criterion on the signer says more
UNNAMED_SIGNER = (r"\bgo(?:es)? up to (?:the|their|our) (?:sponsor|board|parent|owners?|"
                  r"investors?|partners?|committee|group|head office)\b|"
                  r"\b(?:did ?n[o']t|does ?n[o']t|would ?n[o']t|won'?t) (?:say|tell us|name|"
                  r"share) who\b|\bno name (?:for|of) (?:who|the)\b")
_UNNAMED_RE = re.compile(UNNAMED_SIGNER, re.IGNORECASE)

# a signer not met, or named with a limit ("approves anything over $25k", "never met")
_NAMED_SIGNER = (r"\b(?:never|not yet|haven'?t|have not|hasn'?t|has not|did ?n[o']t) "
                 r"(?:yet )?(?:met|seen|spoken (?:to|with)|been in)\b|"
                 r"\b(?:approves|signs|decides on) (?:anything|everything|all|contracts?|"
                 r"spend|deals?) (?:over|above)\b|\bover [^.;]{0,30}'s [$€£]?\s?\d[\w,.]* "
                 r"(?:limit|authority)\b|\bno access to\b|"
                 r"\banything (?:over|above) [$€£]\s?\d[\w,.]*(?: [\w-]+){0,4}? (?:goes|go|"
                 r"needs|board|committee|approv\w*|sign\w*|sees)\b|"
                 r"\bgo(?:es)? to (?-i:[A-Z][a-z]+ [A-Z][a-z]+) "
                 r"\((?:ceo|cfo|coo|owner|president)")

KINDS: dict[str, str] = {
    "competitor": r"competitor|\bquote from\b|trial(?:l)?ed|evaluating|alternative|cheaper|"
                  r"also talking to|\brfp\b|incumbent|renew(?:ing|al) with|shortlist|"
                  r"\b(?:also |three |competing )bid(?:s|ding)?\b|\btender\b",
    "budget_change": r"budget (?:was |has been |is )?(?:raised|cut|frozen|reduced|increased|"
                     r"capped|moved|halved)|(?:raised|cut|froze|reduced|increased) (?:the |"
                     r"their |her |his )?(?:pilot )?budget|\(was \$|scope (?:grew|changed|cut)|"
                     r"\bcut(?:ting)? (?:the |our |their |my )?[\w -]{0,30} to [$€£]\s?\d|"
                     r"\bnothing new gets funded\b|"
                     # the money goes elsewhere ("putting every capital dollar there")
                     r"\b(?:putting|moving|shifting|spending) (?:every|all (?:the |of the )?)"
                     r"(?:capital |spare )?(?:dollars?|budget|money)\b|"
                     # a stop on spending, decided or only talked about ("talking about
                     # holding new purchases until Q3", "the capex freeze is on the table")
                     r"\b(?:hold(?:ing)?|paus(?:e|ing)|freez(?:e|ing)|halt(?:ing)?|delay(?:ing)?) "
                     r"(?:on )?(?:all |any |the )?(?:new |further )?(?:spend\w*|purchas\w*|"
                     r"capex|capital|budgets?|investments?)\b|"
                     r"\b(?:spend\w*|purchas\w*|capex|budget|hiring) (?:hold|freeze|pause|halt)\b|"
                     # money put under review ("budgets under review", "a spending review")
                     r"\b(?:spend\w*|budgets?|costs?|contracts?) (?:are |is )?(?:under review|"
                     r"being reviewed)\b|\b(?:spending|budget|cost) review\b",
    # a ceiling the customer set on the price ("year one under $45,000, all in")
    "budget_limit": r"\b(?:under|below|no more than|not more than|at most|less than|"
                    r"ceiling of|max(?:imum)?(?: of)?|within) [$€£]\s?\d|"
                    r"\bbudget (?:is|of) (?:about |around |roughly )?[$€£]\s?\d|"
                    r"\bcan'?t (?:go|spend|pay) (?:above|over|more than)\b|"
                    r"\bcan(?: not|n'?t)? do anything (?:over|above) [$€£]",
    "champion_change": PERSON_CHANGE,
    "economic_buyer": _NAMED_SIGNER + "|" + UNNAMED_SIGNER,
    "scope_change": r"\b(?:may|might|plans? to|will|could) (?:move|close|sell|consolidate|"
                    r"relocate|merge|shut)\b|"
                    # something outside may take part of what we would run ("the county
                    # might take our front row")
                    r"\b(?:may|might|could) (?:take|lose) (?:our|their|the|part|some|half)\b|"
                    r"\blease ends\b|\bacqui(?:red|sition)\b|"
                    r"\bmerg(?:er|ing)\b|\bdivest",
    "no_owner": r"\bnobody (?:[\w-]+ ){0,3}?(?:owns|named|assigned|is assigned)\b|"
                r"\bno (?:project )?owner\b|\bowner (?:is )?(?:unclear|unknown|not named)\b|"
                r"\bno one owns\b",
    "stalled": r"\buntil after\b|\bnothing new\b|"
               # a decision sent on to a later meeting or date ("got pushed to the board in
               # March", "moved to after the audit")
               r"\b(?:pushed|moved|deferred|put off|kicked|parked) (?:back )?(?:to|until|till|"
               r"into) (?:[\w'’-]+ ){0,3}?(?:meeting|review|board|committee|quarter|month|"
               r"week|year|session|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*|"
               r"(?:the )?\d{1,2}(?:st|nd|rd|th)|q[1-4]|after|next|spring|summer|autumn|fall|"
               r"winter)\b|"
               r"\bdelay(?:ed)?\b|\bslip(?:ped|s)?\b|\bpush(?:ed)? (?:back|out)\b|postpon|"
               r"\bon hold\b|\bstalled\b|\bno response\b|\bwent quiet\b|\bfreeze\b|"
               r"\bwaits? until\b|\bnot (?:yet )?set (?:a|the)\b|\bno (?:go/no-go|decision) "
               r"date\b|\bnot until\b",
    "open_work": r"security questionnaire|security review|procurement|vendor onboarding|"
                 r"legal review|redlines?",
    "evaluator": r"skeptic|sceptic|not (?:yet )?a fan|kill it|(?<!\bno )\bblocker\b|"
                 r"against (?:us|it)|\bgrievance\b|(?<!credit )\bunion\b|\bgot burned\b|"
                 r"\bburned (?:before|by)\b|\bnever went live\b",
    "product_gap": r"\bwe (?:don'?t|do not|can'?t) (?:have|support|offer|do)\b|\broadmap\b|"
                   r"no committed date|\bplanned for\b|\bnot (?:yet )?(?:supported|available)\b|"
                   r"\bworkaround\b|\bwe lack\b|\b(?:not|isn'?t|aren'?t|no) native\b|"
                   r"\bnot built[- ]in\b|\bwe(?: as [^,.]{0,30})? (?:don'?t|do not|can'?t|"
                   r"cannot) (?:share|provide|host|meet)\b|\bcustom build\b",
    "deadline": r"\bnotice (?:is )?due\b|\bnotice (?:date|period)\b|\bdeadline\b|\bexpir\w*|"
                r"\buse it or lose it\b|\bfiscal year\b|\byear-end\b|\bauto-?renews\b|"
                r"\bnotice by\b|\bdays'? notice\b|\brenewal (?:in|on|date|is)\b|"
                r"\b(?:committee|board) (?:meets|decides|approves|will (?:meet|decide|approve))\b|"
                # a notice date, however put ("HearthCase notice March 31"), and a dated event
                # they want to be done before ("before the state inspection in May")
                r"\bnotice (?:is )?(?:due |by |on |date:? )?(?:jan|feb|mar|apr|may|jun|jul|aug|"
                r"sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b|"
                r"\bbefore (?:the |our |their )?(?:[\w-]+ ){1,4}in (?:january|february|march|"
                r"april|may|june|july|august|september|october|november|december)\b",
    "legal_terms": r"\bliabilit|indemn|uncapped|termination for convenience|governing law",
    # who does the work changes: brought in-house, reorganised, handed to another team
    "work_change": r"\bin-house\b|\bin house\b|\breorgani[sz]\w*|\brestructur\w*|"
                   r"\boutsourc\w*|\bcentrali[sz]\w*|\bmanagement contracts?\b|"
                   r"\b(?:new|central|group|shared) (?:team|department|office|services?) "
                   r"(?:will )?(?:handles?|takes? over|runs?|owns?)\b",
    # the decision goes above the people we talk to: a parent, a fund, a committee
    "decision_change": r"\bparent (?:company|group|firm)\b|\bhead office\b|"
                       r"\bholding company\b|\b(?:investment|steering|buying|capital) "
                       r"committee\b|\bgroup (?:approval|sign-off|procurement)\b|"
                       r"\boperating partner\b|\bthe fund\b|\binvestors? (?:approve|"
                       r"sign|decide|want)\w*|"
                       r"\b(?:may|might|could|will|to) be (?:sold|merged|acquired)\b|"
                       r"\bbeing (?:sold|acquired)\b|\bup for sale\b|\bsold or merged\b",
    "adoption": r"\bnobody (?:logs in|uses)\b|\bshelfware\b|\bnever used\b|"
                r"\bdidn'?t stick\b|\blow adoption\b",
}
_KIND_RE = {k: re.compile(v, re.IGNORECASE) for k, v in KINDS.items()}
# the signer cues other than an unnamed signer
_SIGNER_CUE = re.compile(_NAMED_SIGNER, re.IGNORECASE)
# the topic whose owner mitigates each kind of risk (see objections.ANSWERS)
OWNER_TOPIC = {"competitor": "competitor", "budget_change": "price", "budget_limit": "price",
               "scope_change": "scope", "no_owner": "strategy", "champion_change": "strategy",
               "stalled": "timeline", "open_work": "security", "evaluator": "scope",
               "economic_buyer": "strategy", "product_gap": "scope", "deadline": "timeline",
               "legal_terms": "legal", "adoption": "scope", "work_change": "strategy",
               "decision_change": "strategy"}
DATE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}\b|"
                  r"\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|"
                  r"\bq[1-4]\b|\bend of (?:the )?(?:month|quarter|year)\b", re.IGNORECASE)

# an exit criterion about knowing or meeting whoever signs (not "the signer said yes")
_MEETING_THE_BUYER = re.compile(r"identif|named|\bmet\b|\bmeet|access|known|who signs|"
                                r"economic buyer", re.IGNORECASE)


@dataclass(frozen=True)
class FoundRisk:
    kind: str
    risk: str
    mitigation: str
    cites: tuple[str, ...]


_QUOTED = re.compile(r"[\"“]([^\"”]{12,160})[\"”]")
POINT_WORDS = 8  # a mitigation quotes a short phrase of the risk, never the whole sentence


_FACT = re.compile(r"\d|^[A-Z][a-zA-Z]{2,}")  # a figure or a name: what makes a phrase specific


def _phrase(text: str, at: int, words: int = POINT_WORDS) -> str:
    """At most ``words`` words of ``text``, around character ``at``: the window that keeps
    the match and carries the most figures and names."""
    parts = text.split()
    if len(parts) <= words:
        return text
    pos, hit = 0, 0
    for i, w in enumerate(parts):
        pos = text.find(w, pos)
        if pos + len(w) > at:
            hit = i
            break
        pos += len(w)
    facts = [1 if _FACT.search(w) and i else 0 for i, w in enumerate(parts)]

    def score(start: int) -> tuple[int, int, int]:
        keeps = start <= hit < start + words
        return (keeps, sum(facts[start:start + words]), -abs(start - (hit - 2)))

    start = max(range(len(parts) - words + 1), key=score)
    cut = parts[start:start + words]
    while len(cut) > 3 and cut[-1].casefold().strip(",;:") in STOP:
        cut.pop()  # "… capped at 24 months of" ends on "months"
    return " ".join(cut).rstrip(",;:")


def point_of(text: str, rx: re.Pattern[str] | None = None, limit: int = 60) -> str:
    """The words of a risk sentence a mitigation should name, as a short phrase: from what
    the customer said in quotes, else from the clause (between ; or ,) where the risk pattern
    matched (with what follows, when the clause is a word or two: "Liability: …"); at most
    ``POINT_WORDS`` words around the match."""
    m = rx.search(text) if rx else None
    if (q := _QUOTED.search(text)):
        inside = m.start() - q.start(1) if m and q.start(1) <= m.start() < q.end(1) else 0
        return f"“{short(_phrase(q.group(1).strip(' .'), inside), limit)}”"
    clauses = re.split(r"(?<=[;:])\s+|,\s+(?=[a-z])", text)
    at = m.start() if m else 0
    pos = 0
    for clause in clauses:
        pos = text.find(clause, pos)
        if pos <= at < pos + len(clause) or (m is None and clause):
            if len(clause.split()) < 4:
                clause = text[pos:]
            return f"“{short(_phrase(clause.strip(' .;:'), at - pos), limit)}”"
        pos += len(clause)
    return f"“{short(_phrase(text, at), limit)}”"


def _first_clause(text: str) -> str:
    """The sentence up to its first ; or : ("We don't have it; I said it's on the roadmap")."""
    return re.split(r"[;:]", text, maxsplit=1)[0]


def _whom(kind: str, s: Sentence, people: list[str], team: tuple[str, ...]) -> str:
    """Whom the mitigation puts the point to: the person whose concern the sentence is (its
    holder), else the people it names, else the note's contact. For a signer not met, the
    people around the signer (the signer is the one we cannot reach)."""
    if kind != "economic_buyer" and (h := holder(s, people, team)) in people:
        return str(h)
    return ", ".join(named_in(s.text, people)[:2] or list(s.contacts[:1])) or "the buyer"


def _mitigation(kind: str, s: Sentence, owner: str, people: list[str],
                story: str | None, competitors: list[str] | tuple[str, ...] = (),
                team: tuple[str, ...] = (), prior: Sentence | None = None) -> str:
    """One short concrete action: the owner, the person, the point (a short phrase). A point
    that says what it is about only through ``prior`` (the sentence before: "We don't have
    it") is taken from ``prior`` ("bait station mapping per home")."""
    who = _whom(kind, s, people, team)
    point = point_of(s.text, _KIND_RE.get(kind))
    if prior is not None and refers_back(point):
        point = point_of(prior.text)
        who = who if who != "the buyer" else _whom(kind, prior, people, team)
    if kind == "competitor":
        rival = next((c for c in competitors if c.casefold() in s.text.casefold()),
                      "the alternative")
        proof = f" with {story}" if story else ""
        return f"{owner}: ask {who} what {rival} must do to win ({point}); show our gap{proof}."
    if kind == "deadline" and (d := DATE.search(s.text)):
        return f"{owner}: work back from {d.group(0)} with {who}: each step, its owner, its date."
    action = {
        "budget_limit": f"bring an option that fits {point}; confirm with {who} it is all-in.",
        "scope_change": f"ask {who} what {point} changes; size the proposal to what stays.",
        "no_owner": f"on {point}, ask {who} who on their side owns the project, by name.",
        "economic_buyer": f"on {point}, ask {who} for 20 minutes with the signer before the "
                          "next stage.",
        "budget_change": f"confirm the new figure ({point}) with {who}; size the proposal to it.",
        "champion_change": f"ask {who} who takes over ({point}); ask for an introduction "
                           "this week.",
        "stalled": f"agree with {who} a dated next step on {point} before the call ends.",
        "open_work": f"bring the status of {point}, with a date and an owner.",
        "product_gap": f"say plainly what we have today on {point}; ask {who} if it blocks "
                       "the decision.",
        "deadline": f"get from {who} the date behind {point} and work back from it.",
        "legal_terms": f"bring our position and fallback on {point}; agree with {who} who "
                       "meets whom, and when.",
        "adoption": f"ask {who} who would use it daily and why the last tool failed "
                    f"({point}).",
        "work_change": f"ask {who} who does this work after {point}, and bring that person "
                       "into the next step.",
        "decision_change": f"ask {who} who above them approves ({point}), what they need to "
                           "see, and when they meet.",
    }.get(kind, f"ask {who} what would change their mind on {point}; bring proof on that.")
    return f"{owner}: {action}"


_MONEY = re.compile(r"[$€£]\s?\d[\d,.]*(?:\s?(?:million|[kKmM]\b))?")


def _against_gain(s: Sentence, owner: str, people: list[str],
                  team: list[str] | tuple[str, ...]) -> str:
    """A cost they held against what they make: the two figures, and whom we ask."""
    figures = list(dict.fromkeys(m.group(0) for m in _MONEY.finditer(s.text)))
    who = _whom("budget_limit", s, people, tuple(t for t in team if t not in people))
    # what they make, in the sentence that says it: "… $2,200 migration. Gil: "that's about
    # what I clear on four funerals."" holds the price against words, not against $2,200
    said = [x for x in re.split(r"(?<=[.!?])[\"”]?\s+", s.text.strip()) if GAIN.search(x)]
    gain = re.sub(r"^[A-Z][\w'’-]+:\s*", "", said[-1]).strip("\"“” ") if said else ""
    if gain and not _MONEY.search(gain) and gain != s.text:
        against = f"{figures[0]} against “{short(gain, 60)}”" if figures else "their figure"
    else:
        against = f"{figures[0]} against {figures[1]}" if len(figures) > 1 else (
            figures[0] if figures else "their figure")
    return (f"{owner}: bring a smaller first step priced for what they clear ({against}); "
            f"ask {who} what first-year figure they would sign.")


_SIGNS = (rf"{TITLE_AFTER}(?:,[^,.]{{0,40}},)?\s+(?:still\s+|now\s+|alone\s+)?"
          rf"(?:{SIGNER_VERBS}|is the economic buyer|owns the budget)\b")


def _signer(sentences: list[Sentence], people: list[str]) -> str | None:
    """Whom the notes name as the one who signs, approves or decides ("Lorena Vidal (CFO)
    decides", "Gloria Benn (President and CEO) is the economic buyer")."""
    for s in sentences:
        if (hits := name_hits(s.text, people, after=_SIGNS)):
            return next(p for p in people if p in {h[1] for h in hits})  # people's order
    return None


def _competitor_re(names: list[str]) -> re.Pattern[str]:
    """The competitor pattern, widened by the competitors the KB's stories name, where the
    sentence shows them in play."""
    named = "|".join(rf"\b{re.escape(n)}\b" for n in names if n.strip())
    in_play = IN_PLAY + r"|\bus(?:es|ing)\b|\bruns?\b|\bpaying\b|\brenew\w*"
    rival = f"|(?=.*(?:{in_play}))(?:.*?)(?:{named})" if named else ""
    return re.compile(KINDS["competitor"] + rival, re.IGNORECASE)


# work that sits with us or them and is not done: a questionnaire received, "40 of 85"
_OWED = re.compile(r"\breceived\b|\bsent (?:us|an?)\b|\b\d+[- ]question\b|\b\d+ of \d+\b|"
                   r"\bwill need\b|\bneeds? to be involved\b|\bat some point\b|"
                   r"\bin progress\b", re.IGNORECASE)


PENDING = frozenset({"open_work", "stalled", "deadline"})  # kinds that say work still waits
# kinds a newer note can settle (approved, signed, done): the newest note decides
SETTLED_LATER = PENDING | {"legal_terms", "economic_buyer", "budget_change"}
OUR_ASK = re.compile(r"^(?:(?:our |the )?ask(?: for)?|goal|objective|aim|agenda|plan)\b[^:]{0,40}:",
                     re.IGNORECASE)
_NOT_MET = re.compile(r"\b(?:never|not yet|haven'?t|have not|hasn'?t|has not|did ?n[o']t) "
                      r"(?:yet )?(?:met|seen|spoken|been in)\b", re.IGNORECASE)


_DONE = re.compile(r"\b(?:approved|signed(?: off)?|accepted|completed|passed|cleared|resolved|"
                   r"closed|agreed|finished|done)\b", re.IGNORECASE)
_IF = re.compile(r"\b(?:if|unless|once|until|when|would|could|can|may|might)\b", re.IGNORECASE)


def _settled_later(s: Sentence, sentences: list[Sentence]) -> bool:
    """A newer note states, as a fact, that what ``s`` waits on is done: a done word, no
    condition ("approved down to $16 if we sign before the renewal" settles nothing), and
    two words of what it is ("The vendor risk board approved Roomcast yesterday" after
    "… the vendor risk board meets January 13")."""
    words = content_words(s.text) - STATUS_WORDS
    return any(later.date > s.date and _DONE.search(later.text) and not _IF.search(later.text)
               and not hedged(later.text)
               and len(words & content_words(later.text)) >= 2 for later in sentences)


# our prep note's line about our own proof ("The Larkspur story is the proof: same jump from
# BidHarbor, won at list"): what we bring to the call, not a risk
_OUR_PROOF = re.compile(r"\b(?:story|proof|case study)\b", re.IGNORECASE)


_SUCCESSOR = re.compile(r"\bwelcome\b|\bnew (?:\w+ ){0,3}?(?:cfo|ceo|coo|cio|cto|head|director|"
                        r"manager|owner|lead|chief)\b|\bjoins?\b|\btakes? over\b|\bsuccessor\b|"
                        r"\breplac\w*", re.IGNORECASE)


def successor_met(s: Sentence, sentences: list[Sentence], people: list[str]) -> bool:
    """A person change whose note names a successor ("… will be leaving at the end of
    September. We're pleased to welcome Angela Moreau as our new CFO"), and a newer call or
    meeting note with that successor among its contacts: the change has happened and we deal
    with the new person; no risk left."""
    leaving = set(named_in(s.text, people))
    newcomers = {p for n in sentences if n.note_id == s.note_id and _SUCCESSOR.search(n.text)
                 for p in named_in(n.text, people)} - leaving
    return bool(newcomers) and any(
        n.date > s.date and n.kind in ("call", "meeting")
        and newcomers & set(named_in(" ".join(n.contacts), people)) for n in sentences)


def find_risks(sentences: list[Sentence], reads: list[CriterionRead],
               roles: list[dict[str, Any]], people: list[str], *, story: str | None = None,
               competitors: list[str] | None = None, limit: int = 8,
               attending: list[str] | None = None,
               team: list[str] | tuple[str, ...] = ()) -> list[FoundRisk]:
    """The risks of ``sentences`` (newest first), one per kind, and the economic buyer not
    met when an exit criterion says so. ``attending``: the buyers in this meeting (a signer
    who attends is met in the call, not a risk)."""
    out: list[FoundRisk] = []
    patterns = {**_KIND_RE, "competitor": _competitor_re(competitors or [])}
    eb = next((r for r in reads if "economic_buyer" in concepts_of(r.criterion)
               and _MEETING_THE_BUYER.search(r.criterion)
               and r.status in ("open", "unknown")), None)
    kinds_seen: set[str] = set()
    negated = [s for s in sentences if _NEGATED.search(s.text)]
    # a sentence that shows a criterion met is no pending work, stall or deadline
    shown_met = {id(r.quote) for r in reads if r.status == "met" and r.quote is not None}
    whole = {id(x) for x in sentences}
    # the sentence before each one in its note: "We don't have it" says what "it" is there
    before = {id(b): a for a, b in zip(sentences, sentences[1:], strict=False)
              if a.note_id == b.note_id}
    # newest first: the newest sentence of each kind speaks for it; a cost they held against
    # what they make ("It's $5,648 … We cleared $61,000 …") is a ceiling on the price
    newer = Newer(sentences)
    for s in cost_against_gain(sentences):
        if newer.replaced(s):
            continue  # "$28,320 a year" after the newer "$21,240 a year": the newer speaks
        if _APOLOGY.search(s.text) or OUR_ASK.match(s.text) or our_intent(s) or (
                s.plan and _OUR_PROOF.search(s.text)):
            continue  # "Ask: a pilot in February and the end date" is our plan, not a risk
        for kind, rx in patterns.items():
            held = kind == "budget_limit" and id(s) not in whole
            if kind in kinds_seen or not (held or rx.search(s.text)):
                continue
            if kind in PENDING and id(s) in shown_met:
                continue  # "The vendor risk board approved us yesterday": done, no risk
            if kind in SETTLED_LATER and _settled_later(s, sentences):
                continue  # an older "no to December 16", and the newer "the board approved"
            if kind == "open_work" and not (OPEN.search(s.text) or _OWED.search(s.text)):
                continue
            if kind == "champion_change" and successor_met(s, sentences, people):
                continue  # the successor is in a newer meeting: the change is done
            if kind == "competitor" and ruled_out(s, negated, competitors):
                continue  # a newer note says the alternative is out
            if kind == "economic_buyer" and eb is not None and _UNNAMED_RE.search(s.text) \
                    and not _SIGNER_CUE.search(s.text):
                continue  # an open criterion on the signer says more than "did not say who"
            if kind == "decision_change" and named_in(s.text, attending or []):
                continue  # the one above them is in this meeting: we meet them, no risk
            if kind == "economic_buyer" and _signer([s], attending or []) \
                    and not _NOT_MET.search(s.text):
                continue  # "Helen signs anything over $20k", and Helen is in the meeting
            kinds_seen.add(kind)
            owner, _ = owner_for(OWNER_TOPIC[kind], roles)
            prior = before.get(id(s))
            lean = prior is not None and refers_back(_first_clause(s.text))
            mitigation = (_against_gain(s, owner, people, team) if held else
                          _mitigation(kind, s, owner, people, story, competitors or [],
                                      tuple(t for t in team if t not in people),
                                      prior if lean else None))
            if kind == "economic_buyer" and attending and "ask the buyer " in mitigation:
                # nobody named in the note: the buyer in the meeting gets us to the signer
                mitigation = mitigation.replace("ask the buyer ", f"ask {attending[0]} ", 1)
            text = f"{prior.text} {s.text}" if lean and prior is not None else s.text
            text, mitigation = _and_successor(kind, text, mitigation, s, sentences, people, owner)
            out.append(FoundRisk(kind, short(text, 300), mitigation, (s.note_id,)))
            break
    if eb is not None and "economic_buyer" not in kinds_seen:
        owner, _ = owner_for("strategy", roles)
        said = f": {short(eb.quote.text, 160)}" if eb.quote is not None else ""
        out.insert(0, FoundRisk(
            "economic_buyer", f"Economic buyer not confirmed or not met{said}",
            _meet_the_signer(owner, eb.quote, _signer(sentences, people), people,
                             attending or []), tuple(eb.cites)))
    elif "economic_buyer" not in kinds_seen and (unnamed := _no_signer_named(
            sentences, people, roles, attending or [], competitors or [])) is not None:
        out.insert(0, unnamed)
    return out[:limit]


# someone named to stand in for the person stepping back ("Kofi Hart will sit in for me")
_STANDS_IN = re.compile(r"\bsit(?:s|ting)? in\b|\bin for (?:me|her|him)\b|\bcover(?:s|ing)?\b|"
                        r"\btakes? over\b|\binstead\b|\bin (?:my|her|his) place\b",
                        re.IGNORECASE)


def _and_successor(kind: str, text: str, mitigation: str, s: Sentence,
                   sentences: list[Sentence], people: list[str],
                   owner: str) -> tuple[str, str]:
    """A person change with the next sentence of its note when that one names who stands
    in: the risk says who we deal with next, and the mitigation is to meet them."""
    if kind != "champion_change":
        return text, mitigation
    at = next((i for i, x in enumerate(sentences) if x is s), None)
    nxt = sentences[at + 1] if at is not None and at + 1 < len(sentences) else None
    if nxt is None or nxt.note_id != s.note_id or not _STANDS_IN.search(nxt.text) \
            or nxt.text in text:
        return text, mitigation
    who = _whom(kind, s, people, ())
    stand_in = next((p for p in named_in(nxt.text, people) if p != who), None)
    if stand_in is not None:
        mitigation = (f"{owner}: meet {stand_in} before the change; ask {who} for the "
                      "introduction this week and what they hand over.")
    return f"{text} {nxt.text}", mitigation


# our price is in their hands: our quote, proposal or order form, sent, revised or read
_PRICED = re.compile(r"\b(?:our|the revised|a revised|revised|the new|the) (?:quote|proposal|"
                     r"order form|price sheet|pricing)\b(?![- ](?:meeting|call))|\bre-?quoted\b|"
                     r"\bquoted (?:them|her|him)\b", re.IGNORECASE)
_SIGNER_NAMED = re.compile(r"^(?:signers?|signed by|economic buyers?|decision[- ]makers?|"
                           r"who signs)\s*:\s*[\"“]?(?-i:[A-Z][a-z]+)", re.IGNORECASE)


def _no_signer_named(sentences: list[Sentence], people: list[str],
                     roles: list[dict[str, Any]], attending: list[str],
                     competitors: list[str]) -> FoundRisk | None:
    """An absence: they have our price (our quote, proposal or order form in a note that
    names no rival) and no note names who signs. The risk cites the newest such note."""
    rival = re.compile("|".join(rf"\b{re.escape(c)}\b" for c in competitors if c) or r"(?!)",
                       re.IGNORECASE)
    priced = next((s for s in sentences if _PRICED.search(s.text) and not s.customer
                   and not (s.plan or s.teammate or our_intent(s))
                   and not rival.search(s.text)), None)
    if priced is None or _signer(sentences, people) is not None or any(
            _SIGNER_NAMED.search(s.text) for s in sentences):
        return None
    owner, _ = owner_for("strategy", roles)
    return FoundRisk("economic_buyer", "No note names who signs, and they have our price: "
                     f"{short(priced.text, 140)}",
                     _meet_the_signer(owner, priced, None, people, attending),
                     (priced.note_id,))


def _meet_the_signer(owner: str, quote: Sentence | None, signer: str | None,
                     people: list[str], attending: list[str]) -> str:
    """Who gets us to the signer, named from the notes: the buyer the note names (else the
    one attending), the signer the notes name, the date the note gives; without a person
    or a date from the evidence, "needs a plan: OWNER" (never a stock line)."""
    text = quote.text if quote is not None else ""
    named = [p for p in named_in(text, people) if p != signer]
    via = next((p for p in named if p in attending), None) or next(
        (p for p in attending if p != signer), None) or next(iter(named), None)
    when = DATE.search(text)
    by = f" before {when.group(0)}" if when else ""
    if signer and via:
        return f"{owner}: ask {via} to set up 20 minutes with {signer}{by}, and who asks whom."
    if signer:
        return f"{owner}: ask for 20 minutes with {signer}{by}, and who on their side sets it up."
    if via:
        point = point_of(text) if text else ""
        on = f" ({point[1:-1]})" if point else ""
        return (f"{owner}: ask {via} who signs, by name{on}, and for a meeting with them"
                f"{by or ' before the next stage'}.")
    return f"needs a plan: {owner} (who signs, and who gets us to them)"
