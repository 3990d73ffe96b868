"""Is a sentence specific to this deal, or could it sit in any plan?

A model sentence is **specific** when it carries something from the evidence that the
meeting request itself does not: a number the notes hold, a name (a capitalised word the
notes hold that is not the account's, the stage's or a criterion's), or at least two
content words of the notes that the meeting, stage and criteria do not use. A sentence that
is not specific only restates the meeting ("Summit Freight is conducting a discovery on
2026-12-03") or says nothing ("proceed with the next stage"): the plan drops it, and the
``generic_rate`` metric counts it. Pure functions.
"""

from __future__ import annotations

import re

from assistant.prep.sentences import content_words

_NUM = re.compile(r"\d[\d,.]*")
_CAP = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-zA-Z]{2,}\b")
# words that never make a sentence specific on their own
GENERIC = frozenset("""customer customers call meeting next step steps stage process deal
team discuss discussed discussion agree agreed confirm confirmed need needs understand
priorities priority goal goals objective plan proceed move forward ensure ask value
solution solutions business current potential key important concern concerns question
questions information details decision decisions make sure help support align alignment
review address clarify explore identify""".split())


def numbers(text: str) -> set[str]:
    return {n.rstrip(".,") for n in _NUM.findall(text)}


def names(text: str) -> set[str]:
    return {m.group(0) for m in _CAP.finditer(text)}


def is_specific(text: str, *, evidence: str, known: str) -> bool:
    """True when ``text`` carries a number, name or two facts of ``evidence`` beyond ``known``."""
    known_words = content_words(known) | GENERIC
    ev_words = content_words(evidence)
    ev_numbers = numbers(evidence) - numbers(known)
    if numbers(text) & ev_numbers:
        return True
    ev_names = {n.casefold() for n in names(evidence)}
    known_names = {n.casefold() for n in names(known)}
    if any(n.casefold() in ev_names and n.casefold() not in known_names for n in names(text)):
        return True
    facts = (content_words(text) & ev_words) - known_words
    return len(facts) >= 2


SUPPORT_SHARE = 0.6  # of a sentence's content words found in the note it cites


def supported(text: str, source: str) -> bool:
    """Does ``source`` (the cited notes) support ``text``? Lexical: every number of ``text``
    is in ``source`` and at least 60% of its content words (stop words out, plurals
    folded) are. Behind the plan's citation check and the ``claim_support`` metric."""
    if not numbers(text) <= numbers(source):
        return False
    words = content_words(text)
    if not words:
        return False
    return len(words & content_words(source)) / len(words) >= SUPPORT_SHARE
