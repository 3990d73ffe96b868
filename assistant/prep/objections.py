"""Objections and open items: what the customer pushed back on, and what is owed before the call.

An **objection** is the customer's own question or pushback (a pasted e-mail, or a note that
reports "Dana asked why…", "Raj is worried about…") on a topic: price, security, legal,
timeline, competitor, scope, references or strategy. It is not a question for us to ask: it
is one we must answer, so each names who answers it (by role: commercial for price and legal,
technical for security and scope, executive for strategy, the lead otherwise) and the prepared
answer: a sentence from a similar story on the same topic where one exists, otherwise
"needs an answer: OWNER". No stock sentences.

An **open item** is work promised or owed and not done ("due Dec 1", "not yet scheduled",
"30 of 180 answers sent"): it goes on the checklist with an owner, unless a newer note says
it was done. Pure functions over :class:`assistant.prep.sentences.Sentence`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from assistant.prep.buyers import STEPS_BACK, holder
from assistant.prep.criteria import MET, STATUS_WORDS
from assistant.prep.sentences import (
    GAIN,
    LOGISTICS,
    MONEY_FIGURE,
    SHARE,
    STANCE,
    Sentence,
    balanced,
    content_words,
    first_name,
    held_against_gain,
    name_forms,
    name_hits,
    named_in,
    our_intent,
    short,
    unaddressed,
    with_antecedents,
    with_past_story,
)
from assistant.prep.supersede import Newer, deferred

TOPICS: dict[str, str] = {
    "price": r"\bpric(?:e|es|ed|ing)\b|\bcost(?:s|ed|ing|ly)?\b|expensive|afford|discount|"
             r"\$\s?\d|year[- ]two|uplift|increase|rises?\b|goes up|cheaper|\bfees?\b|budget|"
             r"\d+\s?k\b|\bpay(?:ing)?\b|"
             r"worth it|\bsav(?:es?|ings?)\b|\broi\b|payback|give (?:me|us) a number|"
             r"more than double|twice|\breturn on\b|\bon top\b|\bbilling\b|\bprepa(?:y|id)\b|"
             r"\btight\b|\bnew spending\b|\bapprove up to\b",
    "security": r"security|soc ?2|questionnaire|gdpr|residency|\bhost(?:s|ed|ing)?\b|\bsso\b|"
                r"single sign-on|\bsign-on\b|active directory|\bmfa\b|two-factor|"
                r"breach|encrypt|penetration|pen test|privacy|subprocessor|infosec|\bsig\b|"
                r"\bbaa\b|hipaa|hitrust|data (?:stays|leaves)|production data|\bnetwork\b|"
                r"audit trail|complian\w*|\bcfr\b|firewall|\bpatient data\b|\bphi\b|"
                r"\bit (?:team|department)\b|\bscim\b|\bokta\b|\bprovision\w*|"
                r"\b(?:us|eu|uk)[- ]based\b|\bonshore\b|\boffshore\b|"
                # what is asked decides it, not a shared word: proof for an auditor, a
                # certificate, their questionnaire, where the data lives
                r"\baudit(?:ors?|able)\b|\baudit[- ](?:reports?|logs?|findings?|evidence|packs?|"
                r"ready|rights?)\b|\bfor (?:the|an|our|their|each) (?:\w+ )?audits?\b|"
                r"\bcertif\w*|\biso ?\d{4,5}\b|\bsoc ?1\b|"
                r"\battest\w*|\baccredit\w*|\bregulat\w*|\binspector\w*|\bdue diligence\b|"
                r"\bdata (?:location|cent(?:er|re)s?|stor\w*|lives?|sits?|"
                r"is (?:kept|stored|held))\b|"
                r"\bwhere (?:\w+ ){0,3}data\b|\b(?:data|record) retention\b|\bbackups?\b|"
                r"\baccess (?:logs?|controls?)\b",
    "legal": r"\bliabilit|redline|\bmsa\b|\bdpa\b|indemn|legal|counsel|clause|renewal|"
             r"terminat|notice period|\bif we (?:ever )?leave\b|\bexit (?:fee|clause)\b",
    "timeline": r"timeline|delay|not before|wait until|next year|too soon|timing|how long|"
                r"go-live|deadline|(?:by|before) (?:january|february|march|april|may|june|july|"
                r"august|september|october|november|december)|\blive (?:by|before)\b|"
                r"guinea pig|\bseason\b|\bbusiest\b|\bworst month\b|\brush\b|\bpeak\b|"
                r"\b(?:in|during|until|before|after) (?:january|february|march|april|may|june|"
                r"july|august|september|october|november|december|(?:the )?(?:spring|summer|fall|"
                r"autumn|winter|holidays))\b|\bin the middle of\b|\bthis (?:month|quarter|year)\b|"
                r"\bnot now\b|\b(?:anything|nothing) new\b|\bheld until\b|\bon hold\b|\bfreeze\b|"
                r"\bweek of\b|\bwaiting on\b|\bnot until\b",
    "competitor": r"competitor|alternative|quote from|trial(?:l)?ed|incumbent|switch(?:ing)? to|"
                  r"already (?:use|using|have)|versus|\bvs\.?\b|cheaper option|"
                  r"(?:could|can|just) build|build (?:it|this|that) (?:ourselves|in-house)|"
                  r"in-house|"
                  r"\bone platform\b|already (?:shows|offers|does|has)|\bmove to\b|"
                  r"\bmoving to\b|\bstick with\b|\bstay with\b|\bgo with\b|cloud version|"
                  r"\blast vendor\b|\bother vendors?\b|\bwent back to\b|\bwe tried\b|"
                  r"\bjust (?:use|add|move|switch|go|buy|stay|keep)\b|\bconsolidat\w*|"
                  r"\bfew(?:er)? vendors\b|\bevaluating\b",
    "scope": r"scope|module|\bsites?\b|terminals?|clinics?|integrat|customi[sz]|feature|"
             r"migrat|\bmoving\b|export|history|\btalk to (?:those|them|it|our)\b|compatib|"
             r"\bworks? (?:on|with)\b|\bwhole (?:group|company|floor|fleet)\b|\bonly at first\b|"
             r"\blearn\b|\btraining\b|\bnew screens?\b|\bworkflow\b|\bhardware\b",
    "reference": r"reference|speak to a customer|case study|customers? (?:like|who)",
    "strategy": r"\bboard\b|strateg|roadmap|\bvision\b|priorit",
}
_TOPIC_RE = {k: re.compile(v, re.IGNORECASE) for k, v in TOPICS.items()}
# the point is money: a price objection even when it names a rival ("I can't justify paying
# almost double <rival>"); the rival goes in its text and in the competitor risk
MONEY = re.compile(r"\bpa(?:y|ys|id|ying)\b|\bdouble\b|\btwice\b|\bcheaper\b|\bpric\w*|"
                   r"\bcost(?:s|ed|ing|ly)?\b|\bbudget\w*|\bafford\w*|\bexpensive\b|"
                   r"\byou(?:'re| are| would be| cost)? [$€£]\s?\d",  # our price against theirs
                   re.IGNORECASE)
# which role answers which topic, in order of preference
ANSWERS: dict[str, tuple[str, ...]] = {
    "price": ("commercial", "executive", "closer", "lead"),
    "legal": ("commercial", "executive", "lead"),
    "security": ("technical", "lead"),
    "scope": ("technical", "lead"),
    "timeline": ("lead", "closer"),
    "competitor": ("commercial", "lead"),
    "reference": ("lead", "executive"),
    "strategy": ("executive", "lead"),
    "other": ("lead",),
}
PUSHBACK = re.compile(
    r"\?|\basked (?:why|how|whether|if|for|about|what)\b|\bwants? to know\b|push(?:ed)? back|"
    r"\bwhy\b|\bneed to understand\b|"
    r"\bconcern|\bworr(?:y|ied)\b|skeptic|sceptic|objection|hesitan|not convinced|"
    r"\btoo (?:expensive|much|high|long|slow|big|early)\b|can'?t afford|\bI don'?t want\b|"
    r"before we go further|\bwhy (?:does|do|is|would|are)\b|\bunless\b|\bonly if\b|"
    r"\bneeds? to see\b|"
    r"(?<!\bmay )(?<!\bmight )\bwants? (?:proof|to see|a (?:reference|discount|cap))|"
    r"\bI'?d like to\b|\bdoes ?n[o']t (?:want|like)\b|\bcomplain|\bpush(?:es|ing)? (?:on|for)\b|"
    r"\bfears?\b|\bafraid\b|\bscared\b|\bworr\w*|"
    # a customer's demand, as redlines and asks are written
    r"^(?:delete|remove|strike|change|replace|cap|limit|reduce|extend|require)\b|"
    r"\binstead of\b|\brather than\b|\bat no (?:cost|charge)\b|\bno charge\b|\bnot \d+(?:x|k|%)?\b|"
    # refusals and conditions, as customers say them
    r"\bwon'?t (?:even |accept|pay|sign|look|approve|agree|take|go)\w*|"
    r"\bcan'?t (?:take|accept|justify|sell|approve|sign|go)\b|"
    r"\b(?:I'?m|we'?re|I am|we are) not (?:paying|touching|signing|accepting|taking|"
    r"moving|buying)\b|\b(?:I|we) (?:don'?t|do not) (?:pay|sign|buy|accept)\b|"
    r"\bnot agreed\b|\bredlines? (?:from|on|back|to|in)\b|\bredlined\b|"
    r"\b(?:their|her|his) redlines?\b|"
    r"\bwill ask (?:about|for)\b|"
    r"\b(?:I|we) (?:also )?need (?:your|a|the|to see)\b|\bbefore (?:I|we) (?:let|sign|approve)\b|"
    r"\buntil (?:I|we|you|this|that|it)\b|\bcutting\b|\b(?:wants?|needs?) [^.;]{3,60}, not\b|"
    r"\bwill not (?:accept|approve|sign|share|pay|take)\b|\bI'?m not[.!\"”]|"
    r"\bshow me\b|\bprove (?:it|to me)\b|\bbefore (?:I|we|anyone)\b|\bcosts? (?:me|us)\b|"
    # their own terms and limits, as customers state them
    r"\bour (?:standard )?(?:terms|policy|standard)\b|\brequirements?:|\bwe require\b|"
    r"\bdon'?t have (?:the )?(?:time|budget|bandwidth|people)\b|"
    r"\bdon'?t think (?:we|I) can\b|\bwill ask\b|"
    # what they will raise, and deferrals: "she'll ask what it costs", "call me when you do X"
    r"(?:'|’)ll ask\b|\bcall me when\b|\bcome back (?:to us )?when\b|\bneed to think about\b|"
    r"\bbefore (?:he|she|they)(?:'ll| will)?\b|\basked\b[^.?!]{0,40}?\bfor\b|"
    r"\bI'?d expect (?:questions|pushback)\b|"
    # timing: a freeze, a season, a wait ("nothing new touches PX-40 before it's over")
    r"\b(?:nothing|nobody|no one) (?:new )?(?:touches|starts|goes live|changes)\b|"
    r"\b(?:anything|nothing) new\b|\bbusiest\b|\bworst (?:time|month|week)\b|"
    r"\bnot (?:this|next|until) (?:quarter|month|year|season|spring|summer|fall|winter)\b|"
    r"\bnot until\b|\bheld until\b|\bon hold\b|\bwaiting on the\b|"
    # scope and change effort ("we can't take on another system", "too much change for")
    r"\bcan'?t take on\b|\bcannot take on\b|\btoo much (?:change|work|disruption)\b|"
    r"\bas few\b[^.]{0,40}\bas possible\b|\bconsolidat\w*|\bevaluating (?:\w+ ){0,2}"
    r"(?:vendors|options|alternatives|tools|products)\b|"
    # limits and hard lines ("anything over $50,000 goes to the board", "a non-starter")
    r"\b(?:anything|everything|purchases?) (?:over|above) [$€£]|\bapprove up to\b|"
    r"\b(?:budget|money|cash) is tight\b|\bnon-?starter\b|\bdeal-?breaker\b|"
    r"\bshow-?stopper\b|\bwill not do\b|\bwon'?t do\b|\bis the (?:issue|problem|"
    r"sticking point|blocker)\b|\b(?:sticker )?shock\b|\bnot paying\b|"
    r"\byour (?:draft|contract|msa|paper|terms) says\b|,\s*not\s|\b(?:I|we) (?:also |still )?"
    r"need:|\b(?:his|her|their) (?:asks|demands|requirements|conditions|must-haves)\b|"
    r"\bif (?:the|your|it)\b[^.]{0,40}\b(?:doesn'?t|does not|can'?t|won'?t|isn'?t)\b|"
    r"(?-i:\b[A-Z][a-z]+) (?:still )?wants (?:the|a|an|our|your)\b|"
    # refusals and ceilings in their own words ("We will not re-key 52 studies", "$45,000 is
    # the most I can put in year one", "… is more than we clear on two studies")
    r"\b(?:we|I) (?:will not|won'?t|refuse to|are not going to|am not going to)\b|"
    r"\b(?:I|we) (?:can'?t|cannot) (?!wait\b)\w+|"  # what they can't do: "I can't bring that to …"
    r"\bthe most (?:I|we) can\b|\bmore than (?:I|we) (?:clear|make|earn|have|can)\b|"
    r"\b(?:has|have) to be included\b|\bmust be included\b|\bbefore anything\b|"
    # a ceiling they set ("I have $40,000 a year for Harwick, all in"), or the figure they
    # set aside for it ("$30,000 is what we set aside, migration included")
    r"[$€£]\s?\d[^.;]{0,50}\b(?:all[- ]in|set aside|earmarked|budgeted|included)\b|"
    r"\b(?:set aside|earmarked|budget(?: line)? is)\b[^.;]{0,20}[$€£]\s?\d|"
    # a refusal as a call note writes it ("No to moving card payments", "Pilot: no, …")
    r"^(?:[\w' -]{1,30}:\s*)?no (?:to|on)\b|^[\w' -]{1,30}:\s*no\b[,.;]|"
    + STANCE,
    re.IGNORECASE)
OPEN_ITEM = re.compile(
    r"\bdue\b|\bpromised\b|not yet (?:scheduled|sent|received|done|answered)|\bnot received\b|"
    r"\bwaiting (?:for|on)\b|\bstill (?:owe|need|to|open)\b|"
    r"\boutstanding\b|\b\d+ of (?:the )?\d+\b|\bto send\b|\bwill send\b|\brequested\b|"
    r"\bowes\b|\bowed\b|\b(?:I|we) owe (?:\w+ )?(?:a|an|the|our|them|him|her)\b|"
    r"\bslipped\b|\byou'?ll have (?:it|them)\b|"
    # their request for word from us once a piece of our work is done ("Let us know once
    # your security team has looked")
    r"^(?:please )?(?:let (?:me|us) know|get back to (?:me|us)|tell (?:me|us)) (?:when|once|"
    r"after|as soon as) (?:your|you)\b|"
    # its state, said short ("drafted, not sent", "(Hollis, not sent)")
    r"\bnot (?:yet )?(?:sent|delivered|returned|shared)\b|"
    # work counted out ("a 62-item checklist", "160 questions", "still 84/118", "84 answered")
    r"\b\d+[- ](?:questions?|items?)\b|\bstill \d+\s?/\s?\d+\b|\b\d+ (?:answered|done) so far\b|"
    # an action someone on a list took on ("Keiko to confirm …", "Ravi owes …")
    r"(?-i:\b[A-Z][a-z]+) to (?:confirm|send|check|share|draft|write|answer|finish|get)\b|"
    # a question nobody has answered yet ("Still nobody has said who signs", "No figure for
    # late fees") and work that waits on someone ("no date until the vendor confirms")
    r"\b(?:nobody|no one) has (?:yet )?(?:said|named|told us|given)\b|"
    r"\bstill no (?:\w+ ){0,2}(?:figure|number|date|name|answer|word)\b|"
    r"^no (?:figure|number|date|name|answer) (?:yet|for|on)\b|"
    r"\buntil (?:[\w'’-]+ ){1,3}(?:confirms?|sends?|signs?|approves?|answers?|replies|"
    r"writes?)\b",
    re.IGNORECASE)
# the sentence itself says the work is done ("signed the review; all 140 questions answered")
_DONE_NOW = re.compile(r"\ball (?:\d+ )?(?:\w+ )?(?:answered|done|completed?|closed)\b|"
                       r"(?<!n't )(?<!n’t )(?<!not )(?<!yet )"  # "haven't approved" is not done
                       r"(?:\bsigned (?:off|the)\b|\bapproved\b|\bcompleted\b|\bpassed\b)",
                       re.IGNORECASE)
# a paragraph that opens with its own heading for work in flight ("Open before Jan 26: …")
_INLINE_HEAD = re.compile(r"^([^:\"“]{1,40}):\s")
# a bullet list of work in flight sits under a heading that says so ("Open items (owner):")
OPEN_HEAD = re.compile(r"^open\b|\bopen items?\b|\bowe[sd]?\b|\bto ?do\b|\baction items?\b|"
                       r"\bbefore the (?:call|meeting)\b|\boutstanding\b|\bpending\b|"
                       r"\bwaiting on\b|\bstill open\b|\bfollow-?ups?\b|\bnext steps?\b",
                       re.IGNORECASE)
LESSON = re.compile(r"\b(?:we|our|lesson|worked|offered|showed|capped|tied|agreed|won|signed|"
                    r"answered|proved|solved|settled|what helped)\b", re.IGNORECASE)
# pushback that stands without a topic: a refusal, a condition, a worry, a doubt
_STRONG = re.compile(STANCE + r"|\bwon'?t\b|\bcan'?t\b|\bwill not\b|"
                     r"\bnot (?:paying|touching|signing|"
                     r"accepting|taking|buying)\b|\bdon'?t (?:pay|sign|buy|accept|want)\b|"
                     r"\buntil\b|\bunless\b|\bonly if\b|\bworr\w*|\bfears?\b|\bafraid\b|"
                     r"\bskeptic\w*|\bconcern\w*|\bwhy\b|\bprove\b|\bshow me\b|\bcould build\b|"
                     r"\bjust build\b|\bdon'?t have (?:the )?(?:time|budget|bandwidth)\b|"
                     r"\bdon'?t think (?:we|I) can\b|\bI'?m not[.!\"”]|\bwe'?re not[.!\"”]|"
                     r"\b(?:will|'ll|’ll) ask\b|\basked (?:\w+ )?(?:why|how|whether|if|what|about|"
                     r"for)\b|\bcall me when\b|\bneed to think about\b|\bwants? to see\b|"
                     r"\bbefore (?:he|she|they|I|we)\b|\bnon-?starter\b|\bwill not do\b|"
                     r"\bnothing (?:new )?(?:touches|starts|goes live)\b|\bcan'?t take on\b|"
                     r"\btoo much (?:change|work)\b|\bif (?:the|your|it)\b[^.]{0,40}\b(?:doesn'?t|"
                     r"does not|can'?t|won'?t|isn'?t)\b", re.IGNORECASE)
_SETUP = re.compile(r"\bobject(?:ed|s)\b|\bcomplained\b|\bpushed back\b|\bwould not\b|\?|"
                    r"\bwhy\b|\basked\b|\bworr\w*|\bconcern\w*|\bfears?\b|\bskeptic",
                    re.IGNORECASE)  # a story's account of the objection, not what answered it
# a scene that carries its own answer: "Stowly was cheaper but had no lien calendar"
_CONTRAST = re.compile(r"\b(?:but|yet|though|although|however|whereas)\b", re.IGNORECASE)
# a next sentence that says how or why ("We won because…", "…by showing…"), not only what
# happened after ("Signed in two meetings."): only that one answers the scene before it
_EXPLAINS = re.compile(r"\b(?:because|by|once|since|so|when|after|which|what (?:won|helped))\b",
                       re.IGNORECASE)
# a rival named where it competes (a quote, a pilot, a price), not a rival's product they
# already run for something else ("Vizient contract files")
IN_PLAY = (r"[$€£]|\bcosts?\b|\bdollars?\b|\bper (?:seat|user|head|tech|month|year)\b|\ba head\b|"
           r"\bquot\w*|\bpilot|\btrial|\bdemo|\bbid|\boffer|cheaper|\bpric\w*|\bswitch|"
           r"\bbeat|\bchose|\bpicked|\bprefer|\blikes?\b|\bbundl|\bfree\b|\bpitch|\bcourt|"
           r"\bcompet|\bpush\w* for\b|\bone platform\b|\bstandardi[sz]")
_IN_PLAY_RE = re.compile(IN_PLAY, re.IGNORECASE)
_NEGATED = re.compile(r"\bnot going ahead\b|\boff the table\b|\bdropped\b|\bruled out\b|"
                      r"\bno longer\b|\bis out\b|\bwent with us\b", re.IGNORECASE)


# what they dislike about the rival: a reason to buy from us, not an objection ("Gemma
# found it a black box", "nobody caught it in BidHarbor's leveling")
COMPLAINT = re.compile(r"\bhates?\b|\bblack box\b|\bnobody (?:caught|noticed|saw)\b|"
                       r"\bstopped (?:answering|working|using)\b|\bclunky\b|\bcan'?t (?:tell|see) "
                       r"(?:you )?what\b|\b(?:fell|dropped) from\b|\bmissed\b|\bbroke\b",
                       re.IGNORECASE)


# the incumbent's own contract terms, as our note records them
INCUMBENT_TERMS = re.compile(r"\bcontract (?:ends|runs|expires|renews)\b|\brenews? (?:for|on|in|"
                             r"automatically)\b|\bdays'? notice\b|\bnotice (?:is )?due\b",
                             re.IGNORECASE)


def in_play(text: str, rivals: list[re.Pattern[str]]) -> bool:
    """The rival competes in ``text`` (a quote, a price, a pilot …), read without the rival's
    own name ("BidHarbor" holds "bid"), and not a complaint about it."""
    bare = text
    for r in rivals:
        bare = r.sub(" ", bare)
    return bool(_IN_PLAY_RE.search(bare)) and not (COMPLAINT.search(text)
                                                     and not MONEY.search(bare))


def _shares_name(a: Sentence, b: Sentence) -> bool:
    caps = set(re.findall(r"\b[A-Z][a-zA-Z]{3,}\b", b.text)) - {"The", "They", "This", "That"}
    return any(c in a.text for c in caps)


def ruled_out(s: Sentence, sentences: list[Sentence], competitors: list[str] | None = None
              ) -> bool:
    """A newer (or same-day) note says the alternative ``s`` names is out. When ``s`` names
    one of the known ``competitors``, the newer note must name that rival (not only someone
    else the sentence mentions); otherwise any capitalised name they share will do."""
    newer = [n for n in sentences if n.date >= s.date and n is not s and _NEGATED.search(n.text)]
    named = [c for c in competitors or []
             if c and re.search(rf"\b{re.escape(c)}\b", s.text, re.IGNORECASE)]
    if named:
        return any(re.search(rf"\b{re.escape(c)}\b", n.text, re.IGNORECASE)
                   for n in newer for c in named)
    return any(_shares_name(n, s) for n in newer)


# their counsel's demands as our notes list them ("Redlines from Nora: …"), not the step
# itself ("their outside counsel redlines")
_REDLINE = re.compile(r"\bredlines? (?:from|on|back|to|in)\b|\bredlined\b|\bmarked up\b|"
                      r"\b(?:their|her|his|the) redlines?\b(?! (?:will|are due|come))",
                      re.IGNORECASE)
_APOLOGY = re.compile(r"\bsorry\b|\bapolog", re.IGNORECASE)


@dataclass(frozen=True)
class Objection:
    text: str
    topic: str
    owner: str  # the seller who answers it
    owner_role: str
    answer: str  # a story's sentence on the topic, or "needs an answer: OWNER"
    answer_cites: tuple[str, ...]
    cites: tuple[str, ...]
    speaker: str | None = None
    rival: str | None = None  # a rival's price held against ours: price, against this rival


@dataclass(frozen=True)
class OpenItem:
    text: str
    topic: str
    owner: str
    cites: tuple[str, ...]


TOPIC_ORDER = ("legal", "security", "price", "timeline", "competitor", "scope", "reference",
               "strategy")  # on a tie: "liability cap … of fees" is legal, not price


def topic_of(text: str) -> str | None:
    """The topic with the most matches in ``text`` (ties: ``TOPIC_ORDER``)."""
    counts = {t: len(_TOPIC_RE[t].findall(text)) for t in TOPIC_ORDER}
    best = max(counts.values())
    return next(t for t in TOPIC_ORDER if counts[t] == best) if best else None


def named_owner(text: str, team: list[str]) -> str | None:
    """A seller the sentence names as doing the work ("SOW draft (Priya + Lena)")."""
    return next(iter(named_in(text, team)), None)


def owner_for(topic: str, roles: list[dict[str, Any]]) -> tuple[str, str]:
    """(seller, role) who answers ``topic``: the first role in ANSWERS someone holds."""
    held: dict[str, str] = {}
    for r in roles:
        held.setdefault(r["role"], r["name"])
    for role in ANSWERS.get(topic, ("lead",)):
        if role in held:
            return held[role], role
    lead = held.get("lead") or roles[0]["name"]
    return lead, "lead"


def _story_answer(topic: str, objection: str, stories: list[dict[str, Any]],
                  rivals: list[re.Pattern[str]] | None = None
                  ) -> tuple[str, tuple[str, ...]] | None:
    """The best sentence of a similar story on the same topic, if any."""
    from assistant.prep.sentences import note_sentences

    words = content_words(objection.replace("-", " "))  # "year-two" is "year two"
    rx = _TOPIC_RE.get(topic)  # no topic: the story must share two words with the objection
    named = [r for r in rivals or [] if r.search(objection)]  # rivals the objection names
    best: tuple[float, str, str] | None = None
    after: dict[str, str] = {}  # a story's account of the objection -> what we did next
    for story in stories:
        won = story.get("outcome") == "won"
        said = note_sentences({**story, "date": story.get("date") or ""})
        for k, s in enumerate(said):
            nxt = next((x.text for x in said[k + 1:k + 3] if LESSON.search(x.text)), None)
            if nxt is not None and not LESSON.search(s.text):
                after[s.text] = nxt
            # what worked: a won story, or a lost one's lesson; never a loss's story as an answer
            if not won and not s.text.casefold().startswith("lesson"):
                continue
            shared = len(words & content_words(s.text.replace("-", " ")))
            same_rival = any(r.search(s.text) for r in named)
            if (not (rx.search(s.text) or same_rival) if rx else shared < 2) \
                    or s.text.endswith("?"):
                continue
            score = 1.0 + 0.5 * shared
            score += 2.0 if LESSON.search(s.text) else 0.0  # what we did, not what they said
            score += (1.5 if won else 0.0) + (3.0 if same_rival else 0.0)
            score -= 2.0 if _SETUP.search(s.text) else 0.0
            if best is None or score > best[0]:
                best = (score, s.text, story["id"])
    if best is None:
        return None
    # "DentaFlow was $46 a seat cheaper on paper." sets the scene; the story's next sentence
    # with what we did ("We won because the owner saw her own remake number…") answers it
    text = best[1]
    if not LESSON.search(text) and not _CONTRAST.search(text) and \
            _EXPLAINS.search(after.get(text, "")):
        text = after[text]
    return f"From {best[2]}: {short(text, 200)}", (best[2],)


def _reference(stories: list[dict[str, Any]]) -> tuple[str, tuple[str, ...]] | None:
    """A request for a reference: offer the customer of a similar won story."""
    won = next((s for s in stories if s.get("outcome") == "won"), None)
    if won is None:
        return None
    return f"Offer a reference like theirs: {won['title']}", (won["id"],)


_SOMEONE_ASKS = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)?(?: \([^)]*\))? (?:asked|wants|needs|"
                          r"insists|pushed|demands|requires|likes|will not|won't|refuses|"
                          r"refused)\b|"
                          # someone on their side named by role: "Their CIO put a freeze …"
                          r"^(?:[Tt]heir|[Hh]er|[Hh]is) (?:[A-Z]{2,4}|board|owners?|counsel|"
                          r"lawyers?|procurement|legal|finance|boss|president)\b|"
                          r"^(?:His|Her|Their) (?:asks|demands|requirements|conditions)\b|"
                          r"\b(?:They|She|He) (?:want|wants|need|needs|require|requires|insists?) "
                          r"(?:our|your|us|you)\b")


def _buyer_words(s: Sentence, buyers: list[str], team: list[str] | None = None) -> bool:
    """Our note reports a buyer, or someone on the customer's side, pushing back ("Dana asked
    why…", "Helen Marsh (VP Finance) asked for monthly billing")."""
    if named_in(s.text, buyers):
        return True
    ours = {first_name(t) for t in team or []}
    return any(m.group(0).split()[0] not in ours for m in _SOMEONE_ASKS.finditer(s.text))


_FIGURE = re.compile(r"[$€£]\s?\d[\d,.]*(?:\s?(?:million|billion|thousand|[kKmM]\b))?|"
                     r"\d[\d,.]*\s?%|\b\d[\d,.]*\s?(?:months?|years?|days?|weeks?|hours?)\b")


def _point(text: str, topic: str, speaker: str | None = None) -> str:
    """What the answer must address, in the objection's own terms: its figures, whose point
    it is, the topic."""
    figures = list(dict.fromkeys(m.group(0).strip().rstrip(",.")  # "$42,900, plus" -> "$42,900"
                                 for m in _FIGURE.finditer(text)))[:2]
    if not figures and topic in _TOPIC_RE:  # what it is about, in its own words
        figures = list(dict.fromkeys(_whole_words(text, m) for m in
                                     _TOPIC_RE[topic].finditer(text)))[:3]
    whose = f"{first_name(speaker)}'s" if speaker else "the customer's"
    label = f"{whose} point" if topic == "other" else f"{whose} {topic} point"
    return f"{label} ({', '.join(figures)})" if figures else label


def _whole_words(text: str, m: re.Match[str]) -> str:
    """A topic match grown to whole words: the patterns match stems ("liabilit"), and the
    point names the word said ("Liability"), never a cut one."""
    start, end = m.start(), m.end()
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-'"):
        start -= 1
    while end < len(text) and (text[end].isalnum() or text[end] in "-'"):
        end += 1
    return text[start:end].strip()


# who signs above what ("Celeste signs anything over $50,000"): a fact about the signer,
# not a limit they hold against us
_SIGNING_LIMIT = re.compile(r"\b(?:signs?|approves?|decides?(?: on)?|signs? off on)\s+"
                            r"(?:anything|everything|all|any \w+|purchases?|spend\w*|contracts?)"
                            r"\s+(?:over|above)\s+[$€£]\s?[\d,.]+\s?[kKmM]?", re.IGNORECASE)


def cost_against_gain(sentences: list[Sentence]) -> list[Sentence]:
    """``sentences`` with each run of one speaker's words that states a cost and holds it
    against what they make or may spend ("It's $5,648 in the first year. We cleared $61,000
    on the whole inn last year. That's nearly a tenth of it.") joined into one sentence: a
    price objection said as statements, not a question. The other sentences as they are."""
    out: list[Sentence] = []
    skip = 0
    for i, s in enumerate(sentences):
        if skip:
            skip -= 1
            continue
        run = [s]
        if s.customer and MONEY_FIGURE.search(s.text) and not GAIN.search(s.text):
            for nxt in sentences[i + 1:i + 3]:
                if nxt.note_id != s.note_id or nxt.speaker != s.speaker or not nxt.customer:
                    break
                run.append(nxt)
            held = [k for k, x in enumerate(run) if k and (
                (MONEY_FIGURE.search(x.text) and GAIN.search(x.text)) or SHARE.search(x.text))]
            run = run[:held[-1] + 1] if held else [s]
        if len(run) > 1:
            skip = len(run) - 1
            out.append(replace(s, text=balanced(" ".join(x.text for x in run))))
        elif (prev := sentences[i - 1] if i else None) is not None and _weighs_price(s, prev):
            # "Price: $5,040 a year …" then Gil: "that's about what I clear on four funerals."
            out.append(replace(s, text=f"{prev.text} {s.text}"))
        else:
            out.append(s)
    return out


# a customer's reaction that points back at a figure ("that's about what I clear on …")
_POINTS_BACK = re.compile(r"^\W*(?:[A-Z][\w'’-]+:\s*)?[\"“]?(?:that|this|it)(?:'s|’s| is| was)\b",
                          re.IGNORECASE)


def _weighs_price(s: Sentence, prev: Sentence) -> bool:
    """``s`` is the customer holding the figure of the sentence before it (same note, no
    figure of its own) against what they make or clear."""
    return (s.customer and prev.note_id == s.note_id and not MONEY_FIGURE.search(s.text)
            and bool(MONEY_FIGURE.search(prev.text)) and bool(GAIN.search(s.text))
            and bool(_POINTS_BACK.search(s.text)))


# a change to a person the deal depends on: they leave, hand their work over, go on leave,
# or will not be around ("Priya hands the rota to Sam from March", "I won't be around much
# after the move"): a risk to mitigate, not a point to answer
PERSON_CHANGE = (
    r"\bleft the company\b|(?-i:\b[A-Z][a-z]+)(?: [A-Z][a-z]+)? (?:is |will be )?leav(?:es|ing)\b"
    r"(?! (?:our|your|the|it|this|that)\b)|\bchampion (?:is )?leav\w*|\bnew role\b|"
    r"(?:was|been|got|is being) replaced\b|\breplaced (?:by|as)\b|\bmoving on\b|\breorg|"
    r"\bparental leave\b|\b(?:has|had|just) resigned\b|\blast day\b|\btakes? over\b|"
    r"\bincoming\b|\bsuccessor\b|\bstep(?:s|ping)? down\b|\bretir(?:es|ing)\b|"
    r"\bhand(?:s|ing|ed)? over\b|\bhand(?:s|ing|ed)? (?:the |her |his |their |my )?"
    r"[\w -]{0,30}?\bto (?-i:[A-Z][a-z]+) (?:from|in|after|as of|starting)\b|"
    r"\bwon'?t be (?:around|here|available|in the office)\b|"
    r"\bon (?:leave|sabbatical)\b|\b(?:maternity|paternity|medical|extended) leave\b|"
    # a person the deal depends on stepping back for a while, someone else sitting in
    r"\bstep(?:ping|ped) (?:away|back)\b(?! from (?:the|this) (?:table|deal)\b)|"
    r"\bcover(?:s|ing)? for (?:me|her|him)\b|" + STEPS_BACK)
_PERSON_CHANGE = re.compile(PERSON_CHANGE, re.IGNORECASE)


def find_objections(sentences: list[Sentence], roles: list[dict[str, Any]],
                    stories: list[dict[str, Any]], buyers: list[str], *, limit: int = 8,
                    team: list[str] | None = None, competitors: list[str] | None = None
                    ) -> list[Objection]:
    out: list[Objection] = []
    named = [c for c in competitors or [] if c]
    rivals = [re.compile(rf"\b{re.escape(c)}\b", re.IGNORECASE) for c in named]
    seen: set[frozenset[str]] = set()
    used: set[str] = set()
    base = with_antecedents(sentences)  # "a jump like that" says what "that" is
    whole = {id(x) for x in base}
    stories_told = with_past_story(cost_against_gain(base),
                                   lambda x: _raised(x, False, buyers, team))
    before = {id(b): a for a, b in zip(stories_told, stories_told[1:], strict=False)
              if a.note_id == b.note_id and a.speaker == b.speaker and a.customer}
    newer = Newer(sentences)
    for s in stories_told:  # newest first
        if newer.replaced(s):
            continue  # a newer note re-quoted the figure or closed the point
        if _PERSON_CHANGE.search(s.text) and topic_of(s.text) is None:
            continue  # "she hands the schedule to Jonah": a risk (champion change)
        rival = (s.customer and any(r.search(s.text) for r in rivals)  # "Gusto costs me $6"
                 and in_play(s.text, rivals))
        if not (_raised(s, rival, buyers, team) or (id(s) not in whole and s.customer)):
            continue
        named_rival = any(r.search(s.text) for r in rivals)  # "why not move to X's cloud"
        topic = "scope" if GAP.search(s.text) else topic_of(s.text)  # a gap in what we do
        if (rival or named_rival) and not (topic == "price" and MONEY.search(s.text)):
            topic = "competitor"  # "paying almost double <rival>" stays a price point
        if named_rival and not s.customer and INCUMBENT_TERMS.search(s.text):
            continue  # "the BidHarbor contract ends June 30 … unless they give notice": a risk
        if (rival or named_rival or topic == "competitor") and ruled_out(s, sentences, competitors):
            continue  # "We're not going ahead with Tallyworks" (newer) answers it
        proof = _PROOF.search(s.text)
        if proof and topic in (None, "other"):  # "Kelsey wants to see how you'd handle …"
            topic = "scope"  # what the product does, shown by whoever shows it
        if topic is None and (prior := before.get(id(s))) is not None and _raised(
                prior, False, buyers, team):
            # what it is about, from the point they made just before ("… why we pay $23k
            # more. Can you do better, or show me what we get for the difference?"): price
            topic = topic_of(prior.text)
        if topic is None:  # no topic we know: a refusal, a condition, or their own question
            stamp = _STAMP.search(s.text)  # a buyer's chat line, pasted into our note
            asks = s.text.rstrip('"”').endswith("?") and (s.customer or bool(
                stamp and named_in(s.text[:stamp.start()], buyers)))
            if not (_STRONG.search(s.text) or asks or _feature_cue(s, buyers, team)) \
                    or LOGISTICS.search(_STAMP.sub("", s.text)):
                continue  # "Can we do Monday Nov 24 at 10:00 ET?" is a calendar, not pushback
            topic = "other"
        key = frozenset(content_words(s.text))
        if any(len(key & k) >= 0.7 * max(1, min(len(key), len(k))) for k in seen):
            continue
        seen.add(key)
        owner, role = owner_for(topic, roles)
        found = (_reference(stories) if topic == "reference" else None) or \
            _story_answer(topic, s.text, stories, rivals)
        if found is not None and found[0] in used:  # one story line answers one objection
            found = None
        whose = _whose(s, buyers, team)
        answer, answer_cites = found if found else (
            (f"{owner} shows it in the call, on their own case: “{short(shown, 90)}”"
             if proof and (shown := proof.group("what") or proof.group("shown")) else
             f"needs an answer: {owner}, on {_point(s.text, topic, whose)}"), ())
        if answer in used:  # two points alike: say which one this answers
            answer += f" — “{short(s.text, 70)}”"
        used.add(answer)
        said = unaddressed(as_said(s.text, whose), team or ())
        listed = len(re.findall(r"[;,]", said)) >= 3  # their list of demands, shown whole
        against = next((c for c, r in zip(named, rivals, strict=True) if r.search(s.text)), None) \
            if topic == "price" else None  # "Swatly says they're $19 a tech": price, vs Swatly
        out.append(Objection(text=short(clause_of(said, LONG_LIST if listed else LONG),
                                        LONG_LIST if listed else LONG), topic=topic,
                             owner=owner,
                             owner_role=role,
                             answer=answer, answer_cites=answer_cites, cites=(s.note_id,),
                             speaker=whose, rival=against))
        if len(out) == limit:
            break
    return out


# a request to see it work: proof to show, not an argument to answer ("Kelsey wants to see
# how you'd handle the late retail orders", "show us how it copes with …")
_PROOF = re.compile(r"\b(?:wants?|needs?|would like|asked) to see (?P<what>(?:how|whether|if|that|"
                    r"what)\b[^.?!]{3,})|\bshow (?:me|us|them) (?P<shown>how\b[^.?!]{3,})",
                    re.IGNORECASE)


# their own terms, in their own e-mail ("Termination for convenience on 90 days' notice.")
_THEIR_TERMS = _TOPIC_RE["legal"]
# a term they accept ("The export clause is fine as drafted.")
_FINE = re.compile(r"\b(?:is|are) fine\b|\bas drafted\b|\bno (?:changes?|comments?)\b|"
                   r"\bwe accept\b|\bacceptable as\b", re.IGNORECASE)
# a condition of theirs, though the sentence counts work ("She will not approve a vendor
# without a complete packet: her 212-question questionnaire, …")
_CONDITION = re.compile(r"\b(?:will not|won'?t|refuses? to|can'?t|cannot)\b[^.;]{0,40}"
                        r"\b(?:without|unless|until)\b|\bonly if\b", re.IGNORECASE)


# a requirement they put on any vendor: someone on their side wants, needs or requires a
# security or legal term ("Felix wants Azure AD single sign-on for any new tool")
_REQUIRES = re.compile(r"\b(?:wants?|needs?|requires?|required|insists? on|expects?|demands?|"
                       r"asked for|asks for|must have)\b", re.IGNORECASE)
GATES = ("security", "legal")
# what they want that we do not do: a gap a manager wants answered ("… we do not do
# unit-price item schedules today", "package pricing is not in the product")
GAP = re.compile(r"\b(?:we|our (?:product|platform|tool))\s+(?:do not|don'?t|does not|doesn'?t|"
                 r"cannot|can'?t|won'?t)\s+(?:yet\s+)?(?:do|support|offer|have|handle|build|"
                 r"cover|integrate|print|export|import)\b|\bnot (?:in|on) (?:the|our) "
                 r"(?:product|roadmap|platform)\b|\bnot supported\b|\bno support for\b",
                 re.IGNORECASE)
# a stop they put on buying anything new: a freeze, a moratorium, a refusal
BLOCK = re.compile(r"\bfreeze\b|\bfroze(?:n)?\b|\bmoratorium\b|\brefus(?:ed|es|al)\b|"
                   r"\bblocked\b", re.IGNORECASE)
# a reservation that opens on a contrast and a negation ("But I didn't come to you for
# transient, I came for groups.")
RESERVATION = re.compile(r"^[\"“]?but\b[^.]{0,80}?(?:\bnot\b|n['’]t\b|\bnever\b)", re.IGNORECASE)


# a cover line ("… is attached") or a polite request to us ("Please send a marked-up MSA …")
_COVER = re.compile(r"\b(?:is|are) (?:attached|enclosed)\b|^attached\b|^please (?:send|share|"
                    r"forward|provide|return|sign|confirm)\b|"
                    # a request for word from us: work we owe, not their point ("Let us
                    # know once your security team has looked", "Get back to me when …")
                    r"^(?:please )?(?:let (?:me|us) know|get back to (?:me|us)|keep (?:me|us) "
                    r"posted|tell (?:me|us)) (?:when|once|after|as soon as)\b", re.IGNORECASE)


def _feature_cue(s: Sentence, buyers: list[str], team: list[str] | None) -> bool:
    """An objection said as a statement rather than a question: a requirement on any vendor
    (security, legal), a gap in what we do, a stop on anything new, a reservation."""
    text = s.text
    gate = _REQUIRES.search(text) and any(_TOPIC_RE[t].search(text) for t in GATES)
    want = _REQUIRES.search(text) or s.customer
    return bool(gate or (GAP.search(text) and want) or BLOCK.search(text)
                or (s.customer and RESERVATION.search(text)))


# our note of what we asked for ("Asked for a proposal meeting with both partners")
OUR_ASK_MADE = re.compile(r"^(?:I |we )?asked (?:for|(?:her|him|them) (?:for|to))\b(?![^.]*[\"“])",
                          re.IGNORECASE)
# a call note's shorthand for their refusal ("No to moving card payments (the terminal
# stays)", "Pilot: no, not during the peak"): what they said, though not in quotes
SAID_NO = re.compile(r"^(?:[\w' -]{1,30}:\s*)?(?:a (?:firm |flat )?)?no (?:to|on)\b|"
                     r"^[\w' -]{1,30}:\s*no\b[,.;]", re.IGNORECASE)


def _raised(s: Sentence, rival: bool, buyers: list[str], team: list[str] | None) -> bool:
    """The customer raised it: a pushback cue (or a rival in play, or contract terms in
    their own e-mail), in their words or in our note of what someone on their side said;
    not an apology, and not our own note of work owed ("Open: the SLA language, due Dec 5")
    unless it states their condition."""
    if our_intent(s) or ((s.teammate or s.plan) and not (s.reported or s.quoted)):
        return False  # "I'll open on …"; our chat line or prep note, unless it quotes them
    if not s.customer and OUR_ASK_MADE.match(s.text):
        return False  # "Asked for a meeting with both of them": what we asked, not their point
    if _COVER.search(s.text):  # "Our marked-up MSA is attached.", "Please send …": a cover
        return False  # line or a request to us (an open item), not their point
    own = s.quoted or s.speaker is not None
    terms = own and _THEIR_TERMS.search(s.text) and not _FINE.search(s.text)
    pushback = PUSHBACK.search(_SIGNING_LIMIT.sub("", s.text))  # who signs is no pushback
    if rival and not (pushback or terms) and (OPEN_ITEM.search(s.text) or IN_FLIGHT.search(s.text)):
        return False  # "The partners haven't approved the $1,900 HearthCase export": work owed
    if not (pushback or rival or terms or (own and held_against_gain(s.text))
            or _feature_cue(s, buyers, team)) \
            or _APOLOGY.search(s.text):
        return False
    if s.under and OPEN_HEAD.search(s.under) and not (s.quoted or s.reported):
        return False  # a bullet of our own open-items list: an open item, not their point
    redline = bool(_REDLINE.search(s.text))  # their counsel's demands, as our note lists them
    said_no = bool(SAID_NO.match(s.text)) and s.kind in ("call", "meeting")
    if not (s.customer or redline or said_no or _buyer_words(s, buyers, team)):
        return False
    return not (OPEN_ITEM.search(s.text) and not (s.quoted or s.reported)
                and not _CONDITION.search(s.text))


# a chat line's author and time ("Omar Shalhoub, 9:12 PM: …"): no meeting time
_STAMP = re.compile(r"\b\d{1,2}:\d{2}\s?(?:[AP]M)?\]?:\s")
_CLAUSE = re.compile(r"(?<=[;:—–])\s+|,\s+(?=(?:but|and|so|because|which|though|although)\b)",
                     re.IGNORECASE)
LONG = 220  # characters an objection line shows
LONG_LIST = 420  # … and a list of their demands ("(1) liability cap …; (2) …; (5) …")


def clause_of(text: str, limit: int = LONG) -> str:
    """A long sentence cut to the clauses around its first pushback cue ("…, but I'm not
    paying for an interface on top"), so what they pushed back on is not cut off; a short
    one whole."""
    text = " ".join(text.split())
    cue = PUSHBACK.search(text)
    if len(text) <= limit or cue is None:
        return text
    starts = [0, *(m.end() for m in _CLAUSE.finditer(text))]
    first = max(i for i in starts if i <= cue.start())
    if cue.start() - first > limit // 2:  # a long clause: start near the cue
        first = text.rfind(" ", 0, max(cue.start() - limit // 3, first)) + 1
    piece = text[first:].strip()
    return ("…" if first else "") + piece


def as_said(text: str, speaker: str | None) -> str:
    """The words as the customer said them: without the "Lionel: " our note puts before its
    speaker's words, and without a quote mark the sentence split left at either end."""
    if speaker:
        for form in name_forms(speaker):
            if text.startswith(f"{form}:"):
                text = text[len(form) + 1:]
                break
    text = balanced(text)
    for a, b in (('"', '"'), ("“", "”")):  # their words whole in quotes: the plan quotes them
        if len(text) > 2 and text[0] == a and text[-1] == b and len(
                [c for c in text if c in (a, b)]) == 2:
            text = text[1:-1].strip()
    return text


def _whose(s: Sentence, buyers: list[str], team: list[str] | None) -> str | None:
    """Whose point it is: the buyer it belongs to ("Per Greg, Helen's real worry is…" is
    Helen's), else who said it."""
    minuted = _MINUTED.match(s.text.lstrip("\"“'"))
    rest = s.text[minuted.end():] if minuted else ""
    if minuted and not name_hits(rest, buyers, after=r"['’]s?\s"):
        # "Byron: Celeste signs …" is Byron's; "Greg: Helen's worry is …" stays Helen's
        said = next((b for b in buyers if minuted.group(1) in name_forms(b, buyers)), None)
        if said:
            return said
    if s.quoted and s.speaker in buyers and not name_hits(s.text, buyers, after=r"['’]s?\s"):
        return s.speaker  # their own e-mail: "Ines, Theo showed me your figures. $28,800 …"
    who = holder(s, buyers, tuple(team or ()))
    return who if who in buyers else s.speaker


_MINUTED = re.compile(r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?):\s")


def _done_later(s: Sentence, sentences: list[Sentence]) -> bool:
    """A newer note says it is done: a done cue, and two words of what the item is ("signed"
    or "review" says how far something got, not which item)."""
    words = content_words(s.text) - STATUS_WORDS
    for later in sentences:
        if later.date <= s.date or not MET.search(later.text):
            continue
        if len(words & content_words(later.text)) >= 2:
            return True
    return False


_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]+|\d[\d,.]*")


def _facts(text: str) -> set[str]:
    """The words and figures that say what a sentence states ("December 31" keeps its 31)."""
    figures = {t.rstrip(".,") for t in _TOKEN.findall(text) if t[0].isdigit()}
    return content_words(text) | figures


def same_fact(a: str, b: str, share: float = 0.8) -> bool:
    """Two sentences state one fact: nearly all the words and figures of the shorter are in
    the longer ("Yieldpoint notice is due December 31." and "Yieldpoint renews March 31 with
    90 days' notice, so notice is due December 31.")."""
    fa, fb = _facts(a), _facts(b)
    small, big = (fa, fb) if len(fa) <= len(fb) else (fb, fa)
    return len(small) >= 3 and len(small & big) >= share * len(small)


RECENT_DAYS = 21  # open items come from notes this close to the newest one, or still alive

# work in flight, said without a due/owe word: it must reach them before the call ("it has to
# reach him before the call"), it is being made ("Bettina is finishing the comparison"), it is
# not out yet, or it is asked for by a date ("Please return a marked-up contract by January 11")
_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
IN_FLIGHT = re.compile(
    r"\b(?:still )?ha(?:s|ve) to (?:go|reach|get|be (?:sent|signed|done|ready|out|back))\b|"
    r"\bis (?:finishing|drafting|preparing|writing|building|redoing|revising)\b|"
    r"\bhalf[- ]done\b|\bnot (?:out|ready|done|finished|sent|signed|back) yet\b|"
    r"\bhaven'?t (?:sent|set (?:it |that )?up|done|finished|written|built)\b|\bat the latest\b|"
    # being worked on, or waiting on a yes ("Rasmus is checking it, result by Feb 12", "the
    # partners haven't approved the export", "still not done", "offered, not booked")
    r"\bis (?:checking|reviewing|testing|validating)\b|\bstill not (?:done|sent|ready|finished|"
    r"booked|signed)\b|\bha(?:s|ve)n'?t (?:yet )?(?:approved|signed|decided|booked)\b|"
    r"\bnot (?:yet )?(?:booked|scheduled)\b|"
    rf"^please (?:send|return|share|provide|confirm|sign)\b[^.]*\bby {_MONTH} \d{{1,2}}\b",
    re.IGNORECASE)
# one of us doing a piece of work for them, with a date or for the call ("Bettina sends it
# Feb 1", "I finish it Jan 13", "Bettina brings the order form", "order form by Dec 14 (Bettina)")
_DELIVER = (r"(?:send|sends|bring|brings|finish|finishes|deliver|delivers|return|returns|load|"
            r"loads|draft|drafts|prepare|prepares|build|builds|write|writes|revise|revises)")
_DATED = re.compile(rf"\b(?:by |on )?{_MONTH} \d{{1,2}}\b", re.IGNORECASE)


def _ours_to_do(text: str, team: list[str]) -> bool:
    """One of our team (or "I", "me" in our own note) takes on a piece of work: a delivery
    verb after a teammate's name, or a dated piece of work with the teammate in brackets."""
    names = {f for t in team for f in name_forms(t)} | {"I"}
    doer = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    if not doer:
        return False
    if re.search(rf"(?<![\w'’])(?:{doer}):? (?:will |to )?{_DELIVER}\b", text):
        return text.split()[0] != "I" or bool(_DATED.search(text)) or "before" in text
    return bool(re.search(rf"\bby {_MONTH} \d{{1,2}} \((?:me|{doer})\)", text, re.IGNORECASE))


# a short sentence whose thing is in the sentence before ("I owe him that.")
_BACK = re.compile(r"\b(?:that|it|them|this|those)[.!]?$", re.IGNORECASE)


# words that say work is owed, not what the work is ("Ines to check, I promised an answer.")
_WORK_WORDS = frozenset("check checks checking answer answers reply confirm confirms send sends "
                        "promised promise owe owes owed follow look find back get gets "
                        "still need needs him her them".split())


def _thingless(text: str) -> bool:
    """``text`` says someone owes something but not what: no word of it is more than a
    name or a word of owing."""
    names = set(re.findall(r"\b[A-Z][a-z]+\b", text))
    return not {w for w in content_words(text) if w not in _WORK_WORDS
                and w.capitalize() not in names}


def _with_thing(s: Sentence, before: Sentence | None) -> Sentence:
    """``s`` joined to the sentence before it in the same note when ``s`` only points back at
    what is owed ("Asked for a quote without the onboarding. I owe him that.") or does not
    say what it is ("Asked if we can move the archive. Ines to check, I promised an
    answer.")."""
    back = len(s.text.split()) <= 6 and _BACK.search(s.text.rstrip(".!"))
    if before is None or before.note_id != s.note_id or not (
            back or (len(s.text.split()) <= 10 and _thingless(s.text))):
        return s
    return replace(s, text=f"{before.text} {s.text}")


def _alive(s: Sentence, sentences: list[Sentence]) -> bool:
    """An older item a newer note speaks of again (two content words in common: "census
    extract" … "the extract slipped"), and no newer note shows done."""
    words = content_words(s.text)
    return any(n.date > s.date and len(words & content_words(n.text)) >= 2 for n in sentences)


_FOR_THE_CALL = re.compile(r"\bbefore (?:the|our|this) (?:call|meeting)\b", re.IGNORECASE)


def _call_since(s: Sentence, sentences: list[Sentence]) -> bool:
    """``s`` is owed "before the call", and a newer note records a call or meeting: the call
    it was owed for has taken place."""
    return bool(_FOR_THE_CALL.search(s.text)) and any(
        n.date > s.date and n.kind in ("call", "meeting") for n in sentences)


# getting in front of someone: "Need to get Angela briefed early — Marcus to reach out",
# "set up an intro to their CFO", "meet Paulette before the proposal"
_MEET_SOMEONE = re.compile(r"\b(?:reach(?:es|ing)? out|brief(?:s|ed|ing)?|meet(?:s|ing)?|"
                           r"intro(?:duce[ds]?|duction)?s?|get (?:in front of|time with)|"
                           r"set up (?:a )?(?:call|meeting|time) with)\b", re.IGNORECASE)


def _met_since(s: Sentence, sentences: list[Sentence], team: list[str]) -> bool:
    """``s`` is about getting in front of someone on their side, and a newer call or meeting
    note has that person among its contacts: the meeting it asked for has taken place
    ("Need to get Angela briefed early" and, three weeks later, a meeting note with Angela
    Moreau)."""
    if not _MEET_SOMEONE.search(s.text):
        return False
    ours = {f.casefold() for t in team for f in name_forms(t)}
    for later in sentences:
        if later.date <= s.date or later.kind not in ("call", "meeting"):
            continue
        for contact in later.contacts:
            forms = [f for f in name_forms(contact) if f.casefold() not in ours]
            if forms and any(re.search(rf"(?<![\w'’]){re.escape(f)}\b", s.text) for f in forms):
                return True
    return False


def _mine(s: Sentence, team: list[str]) -> str | None:
    """The author of our own note who writes that they do the work ("I send it …", "(me)")."""
    if s.customer or s.author not in team:
        return None
    return s.author if re.search(r"(?<![\w'’])I\b|\(me\)", s.text) else None


def find_open_items(sentences: list[Sentence], roles: list[dict[str, Any]], *,
                    exclude: frozenset[str] | set[str] = frozenset(),
                    team: list[str] | None = None, limit: int = 6) -> list[OpenItem]:
    import datetime as dt

    out: list[OpenItem] = []
    dates = [dt.date.fromisoformat(s.date) for s in sentences if s.date]
    since = (max(dates) - dt.timedelta(days=RECENT_DAYS)).isoformat() if dates else ""
    newer = Newer(sentences)
    for k, s in enumerate(sentences):
        if newer.replaced(s):
            continue  # a newer note settled it
        head = _INLINE_HEAD.match(s.text)
        listed = (bool(s.under) and OPEN_HEAD.search(s.under) is not None) or bool(
            head and OPEN_HEAD.search(head.group(1)))
        cue = bool(OPEN_ITEM.search(s.text) or IN_FLIGHT.search(s.text) or deferred(s.text)
                   or (not s.customer and _ours_to_do(s.text, team or [])))
        if cue and s.text not in exclude:
            s = _with_thing(s, sentences[k - 1] if k else None)
        if (s.text in exclude or not (cue or listed)
                or (_APOLOGY.search(s.text) and not cue)):  # "sorry for the delay" alone
            continue
        if (s.date < since and not _alive(s, sentences)) or _done_later(s, sentences) or (
                _DONE_NOW.search(s.text) and not listed) or _call_since(s, sentences) or \
                _met_since(s, sentences, team or []):
            continue
        if any(same_fact(s.text, o.text) for o in out):
            continue  # "notice is due December 31" again, from an older note
        topic = topic_of(s.text) or "timeline"
        owner = (named_owner(s.text, team or []) or _mine(s, team or [])
                 or owner_for(topic, roles)[0])
        out.append(OpenItem(text=short(s.text), topic=topic, owner=owner, cites=(s.note_id,)))
        if len(out) == limit:
            break
    return out
