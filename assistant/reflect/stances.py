"""Each buyer's stance, from what that person said across the call, with the line that shows it.

A stakeholder's stance is read from their own words, never guessed:

- **supporter**: they commit or endorse ("Let's do this", "I'm impressed", "We love it", "I
  can live with that", "I'll bring her", "Approved");
- **skeptic**: they push back or doubt ("Why would we pay for that?", "That's too steep",
  "I will not go through that again", "I'm not convinced", a refusal);
- **neutral**: they spoke, but only asked questions about their own team's part ("Which site
  after this one?") or answered without a view;
- **unknown**: only when nothing they said shows it.

Across the call the signals are counted: more endorsements than doubts is a supporter, more
doubts a skeptic; a tie goes to the later signal (a doubt answered, then "let's do it", is a
supporter). A one- or two-word assent ("Yes.", "Fine.") answers a question; it shows no stance
by itself. The quote is the line that decided.

Pure functions over turns (``{"id", "speaker", "text"}``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from assistant.reflect.extract import bare_answer, sentences

StanceName = Literal["supporter", "skeptic", "neutral", "unknown"]
_I = re.IGNORECASE

_ENDORSE = re.compile(
    r"\b(?:let'?s do (?:it|this|that)|we should do (?:it|this|that)|love (?:it|this|that)|"
    r"impress\w*|exactly (?:it|what we need)|that'?s (?:great|perfect|brilliant|exactly)|"
    r"sounds good|works for (?:me|us)|(?:i|we) can live with|i'?m (?:in|for it|sold|happy)|"
    r"we'?re in\b|count (?:me|us) in|go ahead|approved|(?:i|we)'?ll (?:sign|bring|take|"
    r"introduce|sponsor|champion|push)|(?:i|we) (?:like|want) (?:it|this|that)|"
    r"not walking away|i can (?:get|defend|sign)|deal\b|agreed\b|that helps)", _I)
_DOUBT = re.compile(
    r"\b(?:too (?:much|expensive|steep|high|risky|slow)|expensive|overpriced|not convinced|"
    r"not sure|(?:i|we) doubt|i'?m worried|worr(?:y|ied) about|concern\w*|why would (?:we|i)|"
    r"why (?:do|should) (?:we|i) pay|(?:i|we) (?:will not|won'?t|would not) (?:go through|pay|"
    r"sign|buy|move|risk|do that)|"
    r"not (?:interested|now|this year|ready|a priority)|went wrong|never again|"
    r"(?:don'?t|do not) (?:see|need|want|trust|buy)|hate switching|can'?t justify|"
    r"decided (?:not|to go another way)|go another way)", _I)
_NEGATED_ENDORSE = re.compile(r"\b(?:not|never|no|don'?t|doesn'?t|didn'?t|won'?t)\b[^.]{0,20}"
                              r"\b(?:love|like|want|impress|agree|sign|approve)", _I)
_STAGE = re.compile(r"\[[^\]]*\]")


@dataclass(frozen=True)
class Stance:
    """A buyer's stance and the line that shows it (``quote`` and ``turn`` empty if none)."""

    stance: StanceName
    quote: str = ""
    turn: str = ""


def _signal(sentence: str) -> str | None:
    """``"support"``, ``"doubt"`` or None for one sentence of a buyer's."""
    if bare_answer(sentence) and not _ENDORSE.search(sentence):
        return None  # "Yes.", "Fine.": an answer to a question, no stance by itself
    doubt = bool(_DOUBT.search(sentence))
    support = bool(_ENDORSE.search(sentence)) and not _NEGATED_ENDORSE.search(sentence)
    if doubt and not support:
        return "doubt"
    if support and not doubt:
        return "support"
    return None


def stance_of(name: str, turns: list[dict[str, Any]]) -> Stance:
    """The stance of the buyer who spoke as ``name`` (see the module's docstring)."""
    mine = [t for t in turns if str(t.get("speaker") or "").casefold() == name.casefold()]
    shown: list[tuple[str, str, str]] = []  # (signal, sentence, turn)
    asked_only = bool(mine)
    for t in mine:
        said = _STAGE.sub(" ", str(t["text"]))  # "[Ana leaves, 3 pm]": not their words
        for s in sentences(" ".join(said.split())):
            if not s.rstrip().endswith("?"):
                asked_only = False
            if (kind := _signal(s)) is not None:
                shown.append((kind, s, t["id"]))
    support = [x for x in shown if x[0] == "support"]
    doubt = [x for x in shown if x[0] == "doubt"]
    if support or doubt:
        if len(support) != len(doubt):
            won = support if len(support) > len(doubt) else doubt
        else:
            won = [shown[-1]]
        kind, line, turn = won[-1]
        return Stance("supporter" if kind == "support" else "skeptic", line, turn)
    if asked_only:
        first = mine[0]
        return Stance("neutral", sentences(" ".join(str(first["text"]).split()))[0],
                      first["id"])
    return Stance("unknown")


__all__ = ["Stance", "StanceName", "stance_of"]
