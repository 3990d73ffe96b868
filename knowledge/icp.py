"""An account against the ICP as written in ``icp.yaml``: match, mismatch, unknown.

This is the team's stated belief (the ``ideal`` values). The evidence behind it — counts
of wins, losses and no-decisions per attribute value — lives in the ICP ledger
(``knowledge.ledger``); pass its ``evidence(icp)`` table to :func:`stated_fit` and each
attribute carries the counts behind its value.

Pure functions over the loaded KB.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from knowledge.models import Account, Icp


def account_profile(account: Account, icp: Icp) -> dict[str, Any]:
    """The account's raw ICP attribute values (None when unknown)."""
    return account.attribute_values(icp)


def stated_fit(
    account: Account, icp: Icp, evidence: Mapping[tuple[str, str], Any] | None = None
) -> list[dict[str, Any]]:
    """Per attribute: value label, and match | mismatch | unknown | no-view.

    With ``evidence`` (``Ledger.evidence(icp)``: ``(attribute, label) -> ValueEvidence``)
    each item also carries the outcome counts, the win rate and its interval for the
    account's value, and the note says them in words.
    """
    return fit_of_values(account.attribute_values(icp), icp, evidence)


def fit_of_values(
    values: Mapping[str, Any], icp: Icp, evidence: Mapping[tuple[str, str], Any] | None = None
) -> list[dict[str, Any]]:
    """:func:`stated_fit` for raw attribute values (a story's profile, an outcome's)."""
    out = []
    for attr in icp.attributes:
        label = attr.bucket_label(values.get(attr.name))
        ideal_labels = [str(v).strip() for v in attr.ideal]
        if attr.kind == "bool":
            ideal_labels = [attr.bucket_label(v) or "" for v in attr.ideal]
        ideal = {v.casefold() for v in ideal_labels}
        if label is None:
            status, note = "unknown", "not recorded for this account"
        elif not ideal:
            status, note = "no-view", "icp.yaml states no ideal value"
        elif label.casefold() in ideal:
            status, note = "match", f"ideal: {', '.join(ideal_labels)}"
        else:
            status, note = "mismatch", f"ideal: {', '.join(ideal_labels)}"
        item: dict[str, Any] = {"attribute": attr.name, "value": label, "status": status,
                                "note": note}
        if evidence is not None and label is not None:
            ev = evidence.get((attr.name, label))
            if ev is None:
                item.update(won=0, lost=0, no_decision=0, enough_evidence=False)
                item["note"] = f"{note}; evidence: no outcomes with this value yet"
            else:
                lo_hi = ev.interval
                item.update(
                    won=ev.won, lost=ev.lost, no_decision=ev.no_decision,
                    win_rate=ev.win_rate, win_rate_low=lo_hi[0] if lo_hi else None,
                    win_rate_high=lo_hi[1] if lo_hi else None, enough_evidence=ev.enough,
                    signals_for=ev.supports, signals_against=ev.against,
                )
                item["note"] = f"{note}; evidence: {ev.summary()}"
        out.append(item)
    return out


def unknown_attributes(account: Account, icp: Icp) -> list[dict[str, str]]:
    """ICP facts we do not know about the account, each with a question to ask."""
    values = account.attribute_values(icp)
    out = []
    for attr in icp.attributes:
        if values.get(attr.name) is None:
            hint = f" ({attr.description})" if attr.description else ""
            out.append({"attribute": attr.name,
                        "question": f"{attribute_question(attr.name, attr.kind)}{hint}"})
    return out


# ---- a question a rep can say, from an attribute's name -------------------------------

# short words of an attribute name that are abbreviations ("erp", "soc", "it"), unless an
# ordinary short word
_PLAIN_SHORT = frozenset("a an and or of per in on by to for the day use new net age "
                         "top own set key one two end web app box lab car bus man way".split())
# "_musd", "_pct": the unit, said after the question
_UNITS = {"musd": "in millions of US dollars", "kusd": "in thousands of US dollars",
          "usd": "in US dollars", "eur": "in euros", "pct": "as a percentage",
          "percent": "as a percentage", "k": "in thousands", "m": "in millions"}
# numbers counted in people though the noun is singular ("it_staff", "headcount")
_COUNTED = frozenset("staff headcount personnel people workforce crew".split())
# adjectives and participles that answer "Are they …?" ("regulated", "independent")
_ADJECTIVE = re.compile(r"(?:ed|al|ent|ant|ive|ous|able|ible|ic|ful|less|ary|ized|ised)$")
_PREFIXES = frozenset("multi self non co cross single dual".split())


def _words(name: str) -> list[str]:
    """An attribute name as the words a person says: "has_soc" -> ["has", "SOC"]."""
    parts = [w for w in re.split(r"[_\s-]+", name.strip()) if w]
    return [w.upper() if len(w) <= 3 and w.isalpha() and w.lower() not in _PLAIN_SHORT
            else w.lower() for w in parts]


def _phrase(words: list[str]) -> str:
    """Words joined; a prefix or a participle compound is hyphenated ("multi-site",
    "self-operated", "depot-owned")."""
    if len(words) == 2 and (words[0].lower() in _PREFIXES or words[1].endswith("ed")):
        return "-".join(words)
    return " ".join(words)


def _plural(word: str) -> bool:
    w = word.lower()
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ics"))


def _article(phrase: str) -> str:
    first = phrase.split()[0] if phrase.split() else ""
    if _plural(phrase.split()[-1]) or first.lower() in _COUNTED:
        return ""
    # an abbreviation by its first letter as written ("an ERP", "a SOC", "a TMS")
    vowel = first[:1].lower() in ("aeio" if first.isupper() else "aeiou")
    return "an " if vowel else "a "


def _bool_question(words: list[str]) -> str:
    head, rest = words[0].lower(), words[1:]
    if head in ("has", "have") and rest:
        if rest[-2:] == ["in", "place"] and len(rest) > 2:
            return f"Do they have {_phrase(rest[:-2])} in place?"
        thing = _phrase(rest)
        return f"Do they have {_article(thing)}{thing}?"
    if head in ("uses", "use") and rest:
        return f"Do they use {_phrase(rest)}?"
    if head in ("is", "are") and rest:
        return f"Are they {_phrase(rest)}?"
    if head in ("can", "does") and rest:
        return f"{'Can' if head == 'can' else 'Do'} they {_phrase(rest)}?"
    if words[-2:] == ["in", "place"] and len(words) > 2:
        return f"Do they have {_phrase(words[:-2])} in place?"
    if _ADJECTIVE.search(words[-1].lower()) or words[0].lower() in _PREFIXES:
        return f"Are they {_phrase(words)}?"
    thing = _phrase(words)
    if _plural(words[-1]):
        return f"Do they have {thing}?"
    return f"Are they {_article(thing)}{thing}?"


def _number_question(words: list[str]) -> str:
    unit = ""
    if len(words) > 1 and words[-1].lower() in _UNITS:
        unit = f", {_UNITS[words[-1].lower()]}"
        words = words[:-1]
    last = words[-1].lower()
    if last in ("size", "count", "number") and len(words) > 1:
        thing = _phrase(words[:-1])
        if last == "size":
            return f"How big is their {thing}{unit}?"
        return f"How many {thing} do they have{unit}?"
    if "per" in (w.lower() for w in words):
        return f"How many {_phrase(words)}{unit}?"
    if _plural(last) and not unit:
        return f"How many {_phrase(words)} do they have?"
    if last in _COUNTED:
        return f"How many {_phrase(words)} do they have{unit}?"
    thing = _phrase(words)
    verb = "are" if _plural(last) else "is"
    return f"What {verb} their {thing}{unit}?"


def attribute_question(name: str, kind: str) -> str:
    """The question for an ICP attribute we do not know, from its name and kind: "Do they
    have a data team?" (bool ``has_data_team``), "How many sites do they have?" (number
    ``sites``), "What is their ERP?" (category ``erp``)."""
    words = _words(name) or [name]
    if kind == "bool":
        return _bool_question(words)
    if kind == "number":
        return _number_question(words)
    thing = _phrase(words)
    return f"What {'are' if _plural(words[-1]) else 'is'} their {thing}?"
