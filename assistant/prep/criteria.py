"""The exit-criteria gap: each criterion of the current stage met, open or unknown.

For every exit criterion, code finds the note sentences about it (the sales concepts the
criterion names — economic buyer, budget, timeline, security, legal, … — and the words it
shares with them) and reads the newest one that says something definite:

- an open cue ("not confirmed", "still waiting", "not yet", "due", a question) -> ``open``;
- a done cue ("confirmed", "agreed", "signed", "approved", "sent", …) -> ``met``;
- related sentences without a cue -> ``undecided``: the model is asked one narrow question
  about them (``prompts/prep_criterion.md``: met / open / unknown), or, without a model,
  the criterion stays ``unknown`` with the sentence shown;
- no sentence -> ``open``: a criterion no note shows met is still to get (the scenario
  format's ``unknown`` means no note says; the code-only dev check scored ``open`` closer to
  what the scenarios' authors expected, so it stays ``open``).

The plan's objective and ask target the open criteria; questions come from the open and
unknown ones. Pure functions over :class:`assistant.prep.sentences.Sentence`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.prep.buyers import OUR_HEADING, ours
from assistant.prep.sentences import SIGNER_VERBS, Sentence, content_words
from assistant.prep.supersede import current, hedged

# Sales concepts a criterion can name, and how notes talk about them. A criterion's concepts
# are found by matching these same patterns on the criterion's own text.
CONCEPTS: dict[str, str] = {
    "economic_buyer": r"economic buyer|\bsigns?\b|signer|signature|approv\w*|final say|"
                      r"\bwrites? the che(?:que|ck)\b|"
                      r"owns the (?:number|budget)|decision[- ]maker|\bdecides\b",
    "budget": r"budget|funding|[$€£]\s?\d|\d+\s?k\b|afford|spend|price range|ballpark|"
              r"\bdollars?\b",
    "timeline": r"timeline|deadline|decision date|go-live|by (?:the )?(?:end|start)|"
                r"\bq[1-4]\b|start(?:ed)? by|date\b",
    "pain": r"\bpains?\b|overtime|by hand|manual|hours|waste|turnover|frustrat|struggl",
    "systems": r"\berp\b|\bwms\b|\btms\b|\behr\b|system|\bapi\b|integration|data owner|"
               r"payroll|\bsso\b",
    "evaluation": r"technical fit|demo|evaluat\w*|proof|sandbox|test(?:ed|ing)? on",
    "success": r"success criteria|measurable|\bkpi|target|pilot goals?",
    "security": r"security|questionnaire|soc ?2|data[- ]protection|\bdpa\b|gdpr|hosting|"
                r"pen(?:etration)? test|vendor risk|infosec|\bit risk\b",
    "proposal": r"proposal|\bquote\b|\bsow\b|order form|pricing sheet",
    "business_case": r"business case|\broi\b|payback|savings",
    "decision_process": r"decision process|who (?:else )?signs|board|committee|procurement|"
                        r"approval (?:path|process)|sign-off",
    "terms": r"\bterms?\b|uplift|payment|discount|\bcap\b|renewal|price|pricing|[$€£]\s?\d",
    "legal": r"redline|\bmsa\b|\bdpa\b|legal|counsel|liability|contract",
    "paperwork": r"order form|purchase order|\bpo\b|docusign|countersign|signed",
    "kickoff": r"kick-?off|implementation|onboarding|go-live",
    "commitment": r"verbal|commit\w*|go ahead|green light|yes to",
    "meeting": r"discovery meeting|agreed to (?:a |the )?(?:meeting|call)|intro(?:duction)?|"
               r"meeting (?:booked|scheduled)",
    "stakeholders": r"stakeholder|champion|sponsor|introduc\w*",
    # what they keep their records in today: a criterion that asks what they track or run
    # things in, and the notes that say it ("orders on paper, stock in a spreadsheet")
    "tooling": r"\btrack\w* (?:[\w-]+ ){0,2}in\b|\b(?:[\w-]+ ){1,4}in today\b|"
               r"\b(?:current|existing) (?:system|tool|software)\b|"
               r"\bwhat they (?:use|run)\b|\bspreadsheets?\b|\bwhiteboards?\b|\bexcel\b|"
               r"\bpaper (?:sheets?|forms?|logs?)\b|\bdatabase\b",
    # a trial on their own work: "ran production on it for three weeks", "It works."
    "pilot": r"\bpilot\w*|\btrial\b|proof of concept|\bpoc\b|\bit works\b|"
             r"\bfor (?:one|two|three|four|five|six|\d+) weeks\b",
}
_CONCEPT_RE = {k: re.compile(v, re.IGNORECASE) for k, v in CONCEPTS.items()}

OPEN = re.compile(
    r"\bnot (?:yet|confirmed|named|met|received|scheduled|signed|agreed|decided|identified|"
    r"known|sure|clear|started|done|sent|booked|given|provided|shared|approved|delivered|"
    r"finished|ready|answered|returned|accepted|checked|read|reviewed|tested|loaded)\b|"
    r"\bstill (?:open|waiting|not|to|needs?|pending)\b|"
    r"\bwaiting\b|\bpending\b|\bunclear\b|\bopen question\b|\bdid ?n[o']t\b|\bnever\b|\btbd\b|"
    r"\bto be (?:confirmed|decided|scheduled)\b|\bno (?:decision|answer|date|budget|name)\b|"
    r"\bdue\b(?!-)|\bowes?\b|\bso far\b|\bmaybe\b|\bprobably\b|\bperhaps\b|\bI think\b|"
    r"\b(?:a |my )guess\b|\bgap\b|\bunknown\b|\?$|\bhas(?:n't| not)\b|\bhave(?:n't| not)\b|"
    r"\bwon't\b|\bcan't\b|\bblock(?:ed|er|ers|ing)\b|\bon hold\b|\bpush(?:ed)? (?:back|out)\b|"
    r"\bno\b[^.;,]{0,30}\byet\b|"  # "No demo booked yet"; a wedding "block" is no blocker
    r"\b(?:does|do)(?:n't| not) know\b|\bnot sure\b|"
    # a yes held back ("not saying yes to the number", "not agreeing to it yet")
    r"\bnot (?:saying|giving|ready to (?:say|give)) (?:a |us a )?yes\b|"
    r"\bnot (?:yet )?(?:agreeing|accepting|committing|signing)\b",
    re.IGNORECASE)
MET = re.compile(
    r"\b(?:confirmed|agreed|signed(?: off)?|approved|accepted|delivered|sent|completed|done|"
    r"booked|met with|in place|committed|verified|passed|finished|received|owns the|"
    r"will sign|said yes|yes to|go-ahead|green light)\b",
    re.IGNORECASE)
# plans and intentions say nothing about what is true yet ("Agenda: confirm…", "to ask…")
INTENT = re.compile(r"^(?:agenda|next(?: step)?s?|plan|todo|to do)\b|\bagenda for\b|"
                    r"\b(?:to|will|should|must|need to|plan to|going to) (?:confirm|ask|send|"
                    r"get|try|find out|check)\b", re.IGNORECASE)

# what they require of us, not what happened: "Before any home goes live I need: our
# questionnaire completed, …"
_REQUIRED = re.compile(r"\b(?:i|we) (?:need|require|want|expect)\b(?! to (?:see|know|hear))|"
                       r"\bmust (?:be|have)\b|\brequires?\b|\bbefore any\b", re.IGNORECASE)


def _reported(text: str) -> bool:
    """``text`` reports what is, not an intent ("to confirm …") or what they require of us."""
    return not INTENT.search(text) and not _REQUIRED.search(text)


Status = str  # "met" | "open" | "unknown" | "undecided"


@dataclass
class CriterionRead:
    """What the notes say about one exit criterion."""

    criterion: str
    status: Status = "unknown"
    quote: Sentence | None = None
    related: list[Sentence] = field(default_factory=list)
    decided_by: str = "code"  # code | model | none

    @property
    def cites(self) -> list[str]:
        return [self.quote.note_id] if self.quote else []


# Words that say how far something got, not what it is: "Omar signed off the technical
# evaluation" is not about an order form because it too was "signed".
STATUS_WORDS = frozenset({"signed", "confirmed", "approved", "agreed", "accepted", "completed",
                          "done", "met", "known", "identified", "discussed", "passed",
                          "received", "sent", "delivered", "resolved", "scheduled"})


# counting words say nothing of what a sentence is about ("three weeks" vs "three kitchens")
NUMBERS = frozenset("one two three four five six seven eight nine ten twelve first second "
                    "third half".split())


def concepts_of(text: str) -> set[str]:
    return {k for k, rx in _CONCEPT_RE.items() if rx.search(text)}


def _names_concept(concept: str, text: str, *, words_only: bool = False) -> bool:
    """The concept appears in ``text`` through a word that is not only a status word (and,
    with ``words_only``, not a figure: "$16k" says nothing of which price)."""
    return any(m.group(0).casefold() not in STATUS_WORDS
               and not (words_only and re.search(r"\d", m.group(0)))
               for m in _CONCEPT_RE[concept].finditer(text))


def relevance(criterion: str, sentence: Sentence, concepts: set[str] | None = None) -> float:
    """How much ``sentence`` is about ``criterion``: shared concepts count most."""
    concepts = concepts_of(criterion) if concepts is None else concepts
    shared = sum(1 for k in concepts if _names_concept(k, sentence.text))
    words = (content_words(criterion) & content_words(sentence.text)) - STATUS_WORDS - NUMBERS
    # a criterion that wants a date: a sentence that gives one for the thing is about it
    dated = _date_shown(criterion, sentence.text) or bool(
        _SET_DATE.search(criterion) and _A_DATE.search(sentence.text) and words)
    return shared * 1.0 + 0.35 * len(words) + (1.0 if _shows_example(criterion, sentence.text)
                                               else 0.0) + _counts(criterion, sentence.text) \
        + (1.0 if dated else 0.0)


_HOW_MANY = re.compile(r"\bnumbers? of\b|\bhow many\b|\bcounts? of\b", re.IGNORECASE)
_COUNTED = re.compile(r"\b\d[\d,.]*[- ]([a-z]+)", re.IGNORECASE)


def _counts(criterion: str, text: str) -> float:
    """A criterion that asks for a number of things ("Number of properties and rooms"), and
    a sentence that counts one of them ("a 14-room inn", "14 rooms"): 1.0, else 0."""
    if not _HOW_MANY.search(criterion):
        return 0.0
    wanted = {w[:4] for w in content_words(criterion)} - {"numb"}
    if any(m.group(1).casefold()[:4] in wanted for m in _COUNTED.finditer(text)):
        return 1.0
    # a research note's heading and its figure ("Rooms per floor: ~40", "Fleet size: 212")
    head = _HEADED_COUNT.match(text)
    return 1.0 if head and {w[:4] for w in content_words(head.group(1))} & wanted else 0.0


_HEADED_COUNT = re.compile(r"^([A-Za-z][\w ]{1,40}?):\s*[~≈]?\s?(?:about |around )?\d")


def _stems(text: str) -> set[str]:
    return {w[:4] for w in content_words(text)}


def _shows_example(criterion: str, text: str) -> bool:
    """The sentence names one of the examples the criterion lists in brackets ("the pain
    (callbacks, drive time, missed calls)": "we miss 15 calls a week")."""
    stems = None
    for inside in re.findall(r"\(([^)]*)\)", criterion):
        for example in re.split(r",|/|\bor\b|\band\b", inside):
            want = _stems(example)
            if want:
                stems = _stems(text) if stems is None else stems
                if want <= stems:
                    return True
    return False


_CLAUSE = re.compile(r";|\s[—–]\s|\s-\s|, but\b|\. ")


def _about(criterion: str, concepts: set[str], sentence: Sentence) -> str:
    """The clauses of ``sentence`` about the criterion (a cue elsewhere says nothing of it)."""
    parts = [p for p in _CLAUSE.split(sentence.text) if p.strip()]
    if len(parts) < 2:
        return sentence.text
    words = content_words(criterion)
    hits = [p for p in parts if any(_CONCEPT_RE[k].search(p) for k in concepts)
            or (words & content_words(p)) - STATUS_WORDS]
    return " ".join(hits) or sentence.text


# How far a thing got, by family. When a criterion says which step counts ("said yes to the
# number", "closed out the checklist"), a note's done word must be of the same family: "sent
# the proposal" does not show the signer said yes, "sent a checklist" does not close it out.
STEPS: dict[str, str] = {
    "agreed": r"\b(?:agree\w*|accept\w*|approv\w*|yes|sign\w*(?: off)?|commit\w*|verbal|"
              r"go[- ]ahead|green light|buy-?in|okay|ok'?d|on board)\b",
    "finished": r"\b(?:clos\w* out|closed|complet\w*|finish\w*|pass\w*|done|cleared|"
                r"resolved|answered all|signed off|approved)\b",
    "delivered": r"\b(?:sent|shared|deliver\w*|submitted|provided|opened|started|kicked off|"
                 r"in progress|under way|underway|receiv\w*)\b",
    "presented": r"\b(?:walked (?:\w+ )?through|presented|reviewed|demo\w*|showed|shown|"
                 r"seen|saw)\b",
    "scheduled": r"\b(?:booked|scheduled|on the calendar|set|calendar\w*|agreed|confirmed)\b",
    "loaded": r"\b(?:loaded|received|uploaded|in hand|arrived)\b",
}
_STEP_RE = {k: re.compile(v, re.IGNORECASE) for k, v in STEPS.items()}


def steps_of(criterion: str) -> set[str]:
    return {k for k, rx in _STEP_RE.items() if rx.search(criterion)}


def _step_done(criterion_steps: set[str], text: str) -> bool:
    """The note's done word is a step the criterion asks for (any, if it names none)."""
    return not criterion_steps or any(_STEP_RE[k].search(text) for k in criterion_steps)


# A criterion that asks whether something is *known* is met by a note that states it.
KNOWING = re.compile(r"\b(?:known|we know|identified|named|stated|quantified|discussed|mentioned|"
                     r"listed|described|mapped|understood)\b",
                     re.IGNORECASE)
_QUOTE_SPAN = re.compile(r"\"[^\"]*\"|“[^”]*”")
# a date as notes write it ("December 31", "31 March", "March 31, 2027")
_A_DATE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? "
                     r"(?:\d{1,2}\b|(?:19|20)\d\d\b)|\b\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|"
                     r"aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE)
# a criterion that wants the date a contract ends, and a sentence that says when one ends
_DATE_WANTED = re.compile(r"\b(?:end|renewal|expiry|expiration|notice) dates?\b|"
                          r"\bwhen (?:\w+ ){0,3}(?:ends|renews|expires)\b", re.IGNORECASE)
_ENDS = re.compile(r"\b(?:ends?|ending|expir\w*|renew\w*|is up|runs out|notice)\b",
                   re.IGNORECASE)


def _narration(text: str) -> str:
    """The note's own words about the point, without the customer's words it quotes, when
    there is enough of them ("Keegan: Christmas week … "about $96,000 we didn't charge""):
    a "didn't" in their account of the cost says nothing of how far the deal got."""
    rest = _QUOTE_SPAN.sub(" ", text)
    return rest if len(rest.split()) >= 6 else text


def _open_cue(criterion: str, text: str) -> bool:
    """An open cue in the note's narration; a date that is "due" states the date, which is
    what a criterion asking for a date wants ("notice is due December 31")."""
    if partial_count(_narration(text)):
        return True
    cues = [m.group(0).casefold() for m in OPEN.finditer(_narration(text))]
    if cues and set(cues) <= {"due"} and _date_shown(criterion, text):
        return False
    return bool(cues)


def _date_shown(criterion: str, text: str) -> bool:
    """The criterion wants the date a contract ends, and ``text`` says when it ends ("Our
    contract is up March 31", "notice is due December 31")."""
    if not _DATE_WANTED.search(criterion):
        return False
    ends = [m.end() for m in _ENDS.finditer(text)]
    # the date goes with the end word: "ends June 30", "notice by March 31"; not a date
    # further on ("72-hour breach notice; Dev … sent the list he owed since December 15")
    return any(0 <= d.start() - e <= 30 or 0 <= e - d.end() <= 40
               for d in _A_DATE.finditer(text) for e in ends)


def partial_count(text: str) -> bool:
    """A count of part of the work ("96 of 140 answered", "118 of the 140"): still open."""
    return any(int(a.replace(",", "")) < int(b.replace(",", ""))
               for a, b in re.findall(r"\b(\d[\d,]*) of (?:the |their |our )?(\d[\d,]*)\b", text))


# a note that says a figure or a plan changed ("raised the budget to $65k (was $40k)")
_CHANGED = re.compile(r"\((?:was|down from|up from) [^)]{1,30}\)|\b(?:raised|cut|lowered|"
                      r"increased|reduced|moved|changed|doubled|halved)\b[^.;]{0,40}\bto\b",
                      re.IGNORECASE)


# a criterion met when the thing has a date ("agreed to a walkthrough on a set date")
_SET_DATE = re.compile(r"\b(?:on|for|with|at) an? (?:set|fixed|firm|agreed|specific) "
                       r"(?:date|day|time)\b|"
                       r"\bdates? (?:is |are )?(?:set|fixed|agreed|booked)\b|\bdated\b",
                       re.IGNORECASE)


def _set_date(criterion: str, text: str) -> bool:
    """The criterion wants a thing on a set date, and ``text`` gives a date for that thing
    ("Gil texted on Dec 14: "walkthrough jan 12 10am"")."""
    shared = (content_words(criterion) & content_words(text)) - STATUS_WORDS - NUMBERS - {
        "date", "dates", "set", "day", "time"}
    return bool(_SET_DATE.search(criterion) and _A_DATE.search(text) and shared)


# what a criterion says happened, in the past tense ("One location ran live cases", "their
# export reached us and our engineer checked it"): the same verb in a note, with no open cue,
# no condition and no plan, reports that it happened ("Pilot … ran three weeks, 58 live
# cases", "Rasmus checked it (41,000 cases, usable)"). Verbs of talk or state say nothing
# of what happened.
_IRREGULAR_PAST = frozenset("ran came went sent met saw took gave made paid won chose kept held "
                            "brought bought wrote built began".split())
_NOT_AN_ACT = frozenset("said told asked named stated listed mentioned discussed described "
                        "needed wanted used based related interested involved required expected "
                        "planned proposed offered scheduled shared written called owned "
                        "included limited".split())


def acted(criterion: str, text: str) -> bool:
    """A past-tense verb of the criterion's own (not talk, not a state) is in ``text``."""
    verbs = {w for w in re.findall(r"[a-z]+", criterion.casefold())
             if (w in _IRREGULAR_PAST or (len(w) > 4 and w.endswith("ed")))} - _NOT_AN_ACT
    said = set(re.findall(r"[a-z]+", text.casefold()))
    return bool(verbs & said)


# a note that heads the signers by name ("Signers: Nadine and her brother Curtis (…)")
_SIGNER_HEAD = re.compile(r"^(?:signers?|signed by|economic buyers?|decision[- ]makers?|"
                          r"approvers?|who signs)\s*:\s*[\"“]?(?-i:[A-Z][a-z]+)",
                          re.IGNORECASE)


OWN_WORDS = re.compile(r"\b(?:own|their|customer'?s?) words\b|\bin their words\b|\bquoted?\b|"
                       r"\b(?:own|their) (?:numbers?|figures?)\b",
                       re.IGNORECASE)
NUMBER_WANTED = re.compile(r"\bnumbers?\b|\bfigures?\b|\bquantif", re.IGNORECASE)


# a criterion met by knowing who someone is, and a person's full name in a note
NAMING = re.compile(r"\b(?:named|identified(?: by name)?|by name)\b", re.IGNORECASE)
_PERSON = re.compile(rf"\b[A-Z][a-z]+ [A-Z][a-z]+\b(?: \([^)]*\))? (?:is|was|{SIGNER_VERBS})\b|"
                     r"\b(?:CFO|CEO|COO|CIO|CTO|President|Owner|owner|VP [A-Z]\w+)"
                     r"(?:,| is) [A-Z][a-z]+ [A-Z][a-z]+\b")
_BUT = re.compile(r"\bbut\b|\bhowever\b|\bexcept\b", re.IGNORECASE)  # "fine, but …"


# in our own prep note, a done word in the past with no condition reports what happened
# ("She signs: Tobias confirmed it on the phone on January 7"); "one fee if the order is
# signed by December 23" is our plan
_PAST_DONE = re.compile(r"\b(?:confirmed|agreed|signed(?: off)?|approved|accepted|said yes)\b",
                        re.IGNORECASE)
_PLAN_CONDITION = re.compile(r"\b(?:if|once|unless|until|when|so that|to get)\b", re.IGNORECASE)


def _plan_fact(text: str) -> bool:
    """A line of our prep note that reports what the customer already did, not our plan."""
    return bool(_PAST_DONE.search(text)) and not _PLAN_CONDITION.search(text) \
        and not OUR_HEADING.match(text)


# a yes to our price is not a budget they approved for the purchase
_PRICE_WANTED = re.compile(r"\bpric(?:e|es|ing)\b", re.IGNORECASE)
_PRICE = re.compile(r"\bpric(?:e|es|ing|ed)\b|\bquote\b|\bper (?:seat|user|site|year)\b|"
                    r"\ba (?:seat|user|site|licen[cs]e)\b", re.IGNORECASE)
_BUDGET = re.compile(r"\bbudget(?:ed|s)?\b|\bset aside\b|\bearmarked\b", re.IGNORECASE)
# our price or offer, however it is put ("the ballpark we gave ($110-140k/yr)"): a number
# on what they would pay us, never the size of their pain
_OFFER = re.compile(r"\bballpark\b|\bwe (?:gave|quoted|offered|proposed)\b|"
                    r"\bour (?:price|quote|offer|proposal)\b|\blist price\b|\bdiscount|"
                    r"[$€£]\s?[\d.,]+\s?[km]?(?:\s?[-–]\s?[\d.,]+\s?[km]?)?\s?"
                    r"(?:/|per |a )(?:yr|year|month|mo)\b", re.IGNORECASE)
_MONEY_WANTED = re.compile(r"\bpric|\bbudget|\bcost|\bspend|\bcommercial|\bterms\b",
                           re.IGNORECASE)


_MINUTE = re.compile(r"^([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?):\s")


def _minuted(s: Sentence) -> bool:
    """Our minutes of what one of the note's contacts said ("Daria: wedding blocks
    underpriced by about $70,000 last year"): their words, though not in quotes."""
    m = _MINUTE.match(s.text)
    return m is not None and any(m.group(1) in (c, c.split()[0]) for c in s.contacts if c)


def _our_offer(criterion: str, text: str) -> bool:
    """The sentence weighs our price or offer, and the criterion is not about money: "a full
    rollout at the ballpark we gave ($110-140k/yr) is "not crazy" if the pilot shows 10% less
    overtime" shows no pain in their words."""
    return bool(_OFFER.search(text)) and not _MONEY_WANTED.search(criterion)


_WRITTEN = re.compile(r"\b(?:written down|recorded|on file|documented)\b", re.IGNORECASE)
_WHO_DOES = re.compile(r"\bwho (\w+s)\b", re.IGNORECASE)
_NOT_A_NAME = frozenset("Nobody No Who Someone Somebody Everyone It That This He She They We I "
                        "Nothing Anyone Whoever".split())


def names_who(criterion: str, text: str) -> bool:
    """A criterion that wants to know who does something ("who reads the contract", "who
    writes the cheque") and a sentence where a person, by name, does it ("Gary Pruitt, her
    accountant, reads the contract", "Agnes signs"); for the one who pays, any signer verb."""
    m = _WHO_DOES.search(criterion)
    if m is None:
        return False
    verb = re.escape(m.group(1).casefold())
    verbs = f"(?:{verb}|{SIGNER_VERBS})" if "economic_buyer" in concepts_of(criterion) else verb
    for hit in re.finditer(rf"\b([A-Z][a-z]+)(?: [A-Z][a-z]+)?(?: \([^)]*\)|, [^,.;]{{1,40}},)? "
                           rf"(?:still |alone |now )?{verbs}\b", text):
        if hit.group(1) not in _NOT_A_NAME:
            return True
    return False


_EPS = 1e-9


def read_criterion(criterion: str, sentences: list[Sentence], *, top: int = 3) -> CriterionRead:
    """The criterion's status from ``sentences`` (newest first)."""
    concepts = concepts_of(criterion)
    steps = steps_of(criterion)
    # digits only break ties between sentences about the criterion: a price sentence is no
    # evidence that a pilot "works" because it carries figures
    digits = 0.05 if NUMBER_WANTED.search(criterion) else 0.0
    scored = [(relevance(criterion, s, concepts) + (digits if re.search(r"\d", s.text) else 0),
               i, s) for i, s in enumerate(sentences)]
    need = 0.7  # one shared concept, or two shared words (a figure is no reason)
    related = [x for x in scored if x[0] >= need]
    if not related:  # a criterion no note shows met is still to get: open
        return CriterionRead(criterion, "open", decided_by="none")
    # our own ask or goal ("Ask for Dec 8: Lionel names who signs") says what is still to
    # get: never met, and it sets no bar for the notes that say how the point stands
    asks = [s for _, _, s in sorted(related, key=lambda x: (x[2].date, -x[1]), reverse=True)
            if ours(s)]
    related = [x for x in related if not ours(x[2])]
    if not related:
        return CriterionRead(criterion, "open", asks[0], asks[:top])
    best_score = max(r for r, _, _ in related)
    best_date = max(s.date for r, _, s in related if r == best_score)
    # a newer note on the criterion's own concept speaks too, however it words it ("The
    # vendor risk board approved us" after "I owe him the 67 security answers")
    # … and so does a newer note of ours that states a change on it ("Dana has raised the
    # pilot budget to $65k (was $40k)"): the later figure wins
    newer = {i for r, i, s in related
             if ((s.date > best_date and s.customer)
                 or (s.date >= best_date and not s.plan and _CHANGED.search(s.text)))
             and any(_names_concept(k, s.text, words_only=True) for k in concepts)}
    # scores are sums of 0.35s: 1.7 against 2.7 - 1.0 must not lose to a rounding error
    strong = [x for x in related if x[0] >= max(need, best_score - 1.0) - _EPS or x[1] in newer]
    # the closest sentences first, newest first within each tier: a newer note on the same
    # point overrides an older one; a looser match never outvotes a close one
    strong.sort(key=lambda x: (x[0] >= best_score - 0.5 - _EPS or x[1] in newer, x[2].date, -x[1]),
                reverse=True)
    ranked = [s for _, _, s in sorted(related, key=lambda x: (-x[0], x[1]))][:top]
    own_words = bool(OWN_WORDS.search(criterion))
    for _, i, s in strong:
        text = _about(criterion, concepts, s)
        plain = _narration(s.text)  # a cue only inside their quoted words is no status
        if (_open_cue(criterion, text) and (plain == s.text or _open_cue(criterion, plain))) \
                or (hedged(text) and not s.plan):  # a hedge is no yes ("we'll see, …")
            return CriterionRead(criterion, "open", s, ranked)
        if s.plan and not _plan_fact(text):  # our prep note's plan: open, never met
            continue
        if _PRICE_WANTED.search(criterion) and _BUDGET.search(text) and not _PRICE.search(text):
            continue  # "$48,000 set aside, approved by Celeste": their budget, not our price
        if MET.search(text) and _reported(text) and _step_done(steps, text):
            return CriterionRead(criterion, "met", s, ranked)
        if i in newer and not s.customer and KNOWING.search(criterion):
            return CriterionRead(criterion, "met", s, ranked)  # the changed figure, stated
        if not s.plan and _reported(text) and not _PLAN_CONDITION.search(text) and (
                acted(criterion, text) or _set_date(criterion, text)):
            return CriterionRead(criterion, "met", s, ranked)  # it happened, or has its date
        if not s.plan and _names_them(criterion, s.text, text):
            return CriterionRead(criterion, "met", s, ranked)  # the newest note names them
        if _date_shown(criterion, s.text) or _counts(criterion, s.text):
            return CriterionRead(criterion, "met", s, ranked)  # the date or count, written
        if own_words and (s.customer or _minuted(s)) and not _BUT.search(s.text) and (
                not digits or re.search(r"\d", s.text)) and not _our_offer(criterion, s.text):
            return CriterionRead(criterion, "met", s, ranked)  # the cost, in their words
    if OWN_WORDS.search(criterion):  # "the pain, in the customer's own words and numbers"
        said = [s for _, _, s in strong if (s.customer or _minuted(s)) and not s.plan
                and not _BUT.search(s.text) and not _our_offer(criterion, s.text)
                and (not digits or re.search(r"\d", s.text))]
        if said:
            return CriterionRead(criterion, "met", said[0], ranked)
    if NAMING.search(criterion) and (who := next((s for _, _, s in strong
                                                  if _PERSON.search(s.text) and not s.plan),
                                                 None)):
        # "economic buyer named": a note that names the person who decides shows it
        return CriterionRead(criterion, "met", who, ranked)
    known = _stated(criterion, concepts, [s for _, _, s in strong if not s.plan],
                    best_score >= need + 1.0)
    if known is not None:
        return CriterionRead(criterion, "met", known, ranked)
    if asks:
        return CriterionRead(criterion, "open", asks[0], ranked)
    return CriterionRead(criterion, "undecided", ranked[0], ranked, decided_by="none")


def _names_them(criterion: str, text: str, about: str) -> bool:
    """The sentence names the person the criterion asks for: "economic buyer named" and a
    full name that signs or a "Signers:" heading, or "we know who reads the contract" and
    "Gary Pruitt … reads the contract" (``about``: the sentence's clauses on the point)."""
    return bool((NAMING.search(criterion) and (_PERSON.search(text) or _SIGNER_HEAD.search(text)))
                or (KNOWING.search(criterion) and names_who(criterion, about)))


def _stated(criterion: str, concepts: set[str], known: list[Sentence],
            close: bool) -> Sentence | None:
    """The note sentence that states what a criterion asks to know, if any: what they keep
    their records in ("what they track batches in today is written down": "Batches in
    spreadsheets, tanks on a whiteboard"), or, for "systems and data owners known", a close
    sentence (``close``) or two about it."""
    kept = [s for s in known if _names_concept("tooling", s.text)]
    if "tooling" in concepts and _WRITTEN.search(criterion) and kept:
        # the sentence that names the most of what they keep records in, newest on a tie
        return max(kept, key=lambda s: len(_CONCEPT_RE["tooling"].findall(s.text)))
    if KNOWING.search(criterion) and known and (close or len(known) >= 2):
        return known[0]
    return None


def rivals_own(text: str, rivals: list[str]) -> bool:
    """The sentence is about a rival's own doing ("Straight talk: Corvex finished its pilot
    …"): a rival opens it, after any "Heading:". It shows nothing about our criteria."""
    body = re.sub(r"^[^:\"“]{1,40}:\s*", "", text, count=1)
    return any(re.match(rf"\W*(?:the\s+)?{re.escape(r)}\b", body, re.IGNORECASE)
               for r in rivals if r)


def read_criteria(criteria: list[str], sentences: list[Sentence],
                  rivals: list[str] | None = None) -> list[CriterionRead]:
    """Each criterion read from ``sentences``, leaving out what the ``rivals`` did and what
    a newer note replaced or closed (a closed objection is no reason a criterion is open)."""
    ours = current([s for s in sentences if not rivals_own(s.text, rivals or [])])
    return [read_criterion(c, ours) for c in criteria]
