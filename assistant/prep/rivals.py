"""Who we compete with here: the rivals the notes name, and a line that sells one of them.

A **rival** is a vendor or product the customer has, weighs or has ruled out: the one they
run today (the incumbent), one they got a quote from, trial or pilot, one they would move,
switch or go to, one they "are not going ahead with", one we lost to. The notes name it
next to those words ("a quote from Tallyworks", "move to Labwright's cloud version",
"Tallyworks is out"); the competitors the team's stories name count too. People, the
account, our own company and calendar words are never rivals.

``sells_rival`` says when a line of the plan makes a rival what we roll out, propose or
sell ("a full-scale rollout of Tallyworks"): the words all sit in the evidence, but the
roles are backwards. A line that names the rival as the thing to beat, replace or compare
against ("a pilot to replace Tallyworks") is fine. Pure functions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# a product or vendor name: capitalised ("Tallyworks", "Arctic Wolf", "UKG Pro") or a
# digit-led brand ("7shifts"); at most three words
_NAME = (r"(?<![\w-])(?P<name>(?:[A-Z][\w&+-]*|\d+[a-z][\w-]*)"
         r"(?:\s(?:[A-Z][\w&+-]*|\d[\w.-]*)){0,2})")
# words before a rival's name that say it competes, is run today or was ruled out
_BEFORE = (
    r"\b(?:quotes?|offer|bid|proposal|pricing|price|contract|renewal|trial|pilot|demo)s? "
    r"(?:from|of|with|by)|"
    r"\b(?:trial(?:l)?(?:ed|ing)|pilot(?:ed|ing)|evaluat(?:ed|ing)|tested|testing|"
    r"looked at|looking at|shortlisted|also talking to|talking to|comparing)|"
    r"\b(?:mov(?:e|ed|ing)|switch(?:ed|ing)?|migrat(?:e|ed|ing))(?: over| back)? to|"
    r"\b(?:standardi[sz]|consolidat)(?:e|ed|ing) on|\blos(?:t|ing)(?: [\w-]+){0,4}? to|"
    r"\b(?:go(?:ing)?|went|stay(?:ed|ing)?|stick(?:ing)?|stuck|renew(?:ed|ing)?|"
    r"keep(?:ing)? going|ahead|sign(?:ed|ing)?|partner(?:ed|ing)?) with|"
    r"\b(?:incumbent|competitor|competition|alternative|rival)s?(?: is| was|,|:| here| today)?|"
    r"\b(?:vendor|supplier|provider)s?(?: is| was|,|:| today)|"
    r"\bversus|\bvs\.?|\bcheaper than|\binstead of|\brather than|\bcurrently (?:on|use|"
    r"using|run|running)|\b(?:already|still) (?:on|use|using|run|running|have|pay for)|"
    r"\b(?:drop|dropped|dropping|replace|replacing|rip out|ripping out) "
)
_AFTER = (
    r"(?:'s|’s) (?:quote|offer|bid|price|pricing|pilot|trial|cloud|version|tool|product|"
    r"platform|contract|renewal|bundle|suite|demo)|"
    r" (?:is|was|are) (?:out|cheaper|off the table|dead|gone|free|bundled)\b|"
    r" (?:quoted|offered|bids? (?=[$€£\d])|undercut|came in|is at|was at|at \$|"
    r"(?:costs?|charges?) (?:us|"
    r"them|me|him|her|about|around|roughly|only|just|[$€£]|\d))"
)
_BEFORE_RE = re.compile(rf"(?i:{_BEFORE})\s*(?:the |a |an |their |its |our )?{_NAME}")
_AFTER_RE = re.compile(rf"{_NAME}(?i:{_AFTER})")
NEVER = frozenset("""the a an they them their this that these those we our us i it its you
your he she his her my me and or but if then so also just per with for from january february
march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday q1 q2 q3 q4 ceo cfo coo cio cto vp it hr ops
excel email e-mail slack teams zoom phase year month week day""".split())


def _clean(name: str, barred: frozenset[str]) -> str | None:
    """``barred``: NEVER and the excluded words, joined once by the caller."""
    words = name.split()
    while words and words[-1].casefold().strip(".,") in barred:
        words.pop()  # "Labwright Monday" -> "Labwright"
    if not words or words[0].casefold() in barred:
        return None
    out = " ".join(words).strip(".,;:")
    if re.fullmatch(r"[A-Z]{2,}s", out):  # "3 DCs at $14k": a plural, not a name
        return None
    return out if len(out) >= 3 else None


def named_rivals(texts: Iterable[str], *, known: Iterable[str] = (),
                 exclude: Iterable[str] = ()) -> list[str]:
    """Rivals the ``texts`` name by the words around them, plus ``known`` ones (the stories'
    competitors) the texts mention; never a word of ``exclude`` (people, the account, our
    own company). First seen first."""
    barred = {w.casefold() for x in exclude for w in re.findall(r"[\w&+-]+", x)}
    never = NEVER | barred
    texts = [texts] if isinstance(texts, str) else list(texts)  # read twice below
    found: list[str] = []
    for text in texts:
        for rx in (_BEFORE_RE, _AFTER_RE):
            for m in rx.finditer(text):
                name = _clean(m.group("name"), never)
                if name and not any(name.casefold() == f.casefold() for f in found):
                    found.append(name)
    joined = " ".join(texts)
    for k in known:
        if re.search(r"[A-Z0-9]", k) and re.search(
                rf"\b{re.escape(k)}\b", joined, re.IGNORECASE) and k.casefold() not in {
                f.casefold() for f in found} and k.casefold() not in barred:
            found.append(k)
    return found


# what we roll out, propose or sell: a rival just after one of these is backwards
_DELIVER = (r"roll[- ]?outs?|rolling out|roll(?:s|ed)? out|deploy\w*|implement\w*|install\w*|"
            r"go[- ]live|launch\w*|adopt\w*|purchas\w*|buy(?:s|ing)?|licen[cs]\w*|"
            r"subscri\w*|sell(?:s|ing)?|propos\w*|pilot(?:s|ing)?|onboard\w*|expan\w*|"
            r"renew\w*|sign(?:s|ing)? (?:up )?for|(?:switch\w*|mov(?:e|es|ing)|migrat\w*|"
            r"upgrad\w*) to|(?:go(?:es|ing)?|proceed\w*) with|commit\w* to|business case for")
# what may stand between the verb and the rival: articles and scale words, nothing more
_FILLER = frozenset("""of for to with on a an the their its full scale full-scale wider
company-wide companywide enterprise enterprise-wide whole entire cloud new paid""".split())
# the clause before says we ask about it, or turns it down: "ask where …", "not renew with …"
_ASIDE = re.compile(r"\b(?:not|no|never|won'?t|don'?t|stop\w*|instead|rather|against|than|"
                    r"versus|vs|ask\w*|where|how|whether|status|if|why|what|beat\w*|"
                    r"replac\w*|compar\w*)\b", re.IGNORECASE)
_STRONG = r"roll[- ]?outs?|deployment|implementation|go[- ]live|expansion|onboarding|licen[cs]es?"


def sells_rival(text: str, rivals: Iterable[str]) -> str | None:
    """The rival ``text`` makes the thing we roll out, propose or sell, if any ("a
    full-scale rollout of Tallyworks", "proceed with the Tallyworks implementation")."""
    for rival in rivals:
        rv = re.escape(" ".join(rival.split()))
        if not rv:
            continue
        pattern = (rf"\b(?:{_DELIVER})\b(?P<gap>(?:[\s,]+[\w'’-]+){{0,3}}?)[\s,]+{rv}\b|"
                   rf"\b{rv}(?:'s|’s|')?\s+(?:full[- ]scale\s+|cloud\s+)?(?:{_STRONG})\b")
        for m in re.finditer(pattern, text, re.IGNORECASE):
            gap = (m.group("gap") or "").replace(",", " ").casefold().split()
            if any(w not in _FILLER for w in gap):
                continue
            clause = re.split(r"[,;:.(]", text[:m.start()])[-1]
            if _ASIDE.search(clause):
                continue
            return rival
    return None


# two consonants an English word can end on ("ct", "nd", "st"); "redc" cannot
_ENDINGS = frozenset("""bb ck ct dd ff ft gg gh gn ld lf lk ll lm ln lp lt lc lb mb mn mp nc nd
ng nk nn nt nx ph pt rb rc rd rf rg rk rl rm rn rp rr rt sc sh sk sp ss st th tt tz wd wk wl wn
wt xt zz ch rch rth""".split())
_ABBREV = frozenset("etc inc ltd corp approx dept govt mgmt misc vs wk yr hr hrs pcs qty "
                    "mins max min incl excl".split())
_VOWELS = set("aeiouy")


def _odd_ending(word: str) -> bool:
    w = word.casefold()
    if w in _ABBREV or len(w) < 2:
        return False
    if not _VOWELS & set(w):
        return True
    tail = w[-2:]
    if w.endswith("s") or tail[0] in _VOWELS or tail[1] in _VOWELS:
        return False
    return tail not in _ENDINGS


def cut_short(text: str, vocabulary: set[str], *, cap: int | None = None) -> bool:
    """``text`` ends mid-word ("… reduce the re-plan time by redc."): its last word is no word
    of ``vocabulary`` (the evidence's, lower-cased) and either no English word ends like it,
    or the text ran to its length ``cap``."""
    m = re.search(r"([A-Za-z][a-z]*)[-.…,;:]*\s*$", text.strip())
    if m is None or m.group(1).casefold() in vocabulary or m.group(1)[0].isupper():
        return False
    word = m.group(1)
    near_cap = cap is not None and len(text.strip()) >= cap - 3
    return _odd_ending(word) or near_cap or text.strip().endswith("…")
