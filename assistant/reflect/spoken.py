"""Figures said in words: number words, ranges and self-corrections, kept as said.

A call's figures are often spoken, not typed: "somewhere between eleven and fourteen thousand
dollars", "call it twenty hours a month, sometimes twenty-five", "forty... no, forty-six".
:func:`spoken_figures` finds them in a sentence and gives each its value (or its two ends for a
range) with the words that say it, so a figure asked for is recognised whether it is written
"$11,000" or "eleven thousand". A self-correction keeps the corrected figure only. Relative dates
("next Thursday", "after the 28th") are not figures; they are left as said.

Pure functions over text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.numbers import TENS, UNITS, word_value
from assistant.reflect.extract import DATE

_I = re.IGNORECASE

_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "k": 1_000}
_WORD = "|".join([*UNITS, *TENS, "hundred", "thousand", "million", "and", "a"])
# a run of number words ("a hundred and twenty", "twenty-five") or digits ("1.2", "$8,640")
_NUMBER = (rf"(?:\$\s?)?\d[\d,]*(?:\.\d+)?\s?(?:k\b|thousand\b|million\b)?|"
           rf"\b(?:{'|'.join([*UNITS, *TENS, 'a'])})\b(?:[\s-]+(?:{_WORD})\b)*")
_NUM = re.compile(_NUMBER, _I)
_ORDINAL = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b", _I)
# "between eleven and fourteen thousand", "eleven to fourteen thousand", "forty-fifty"
_RANGE = re.compile(rf"(?:\bbetween\s+)?(?P<lo>{_NUMBER})\s*(?:and|to|or|-|–)\s*(?P<hi>{_NUMBER})",
                    _I)
# "forty... no, forty-six", "twelve, sorry, fourteen", "ten, I mean eleven": the last one counts
_CORRECTION = re.compile(rf"(?P<was>{_NUMBER})\s*(?:\.\.\.|…|,|-|–)?\s*(?:no|sorry|i mean|"
                         rf"actually|make (?:it|that)|correction)\b[,.]?\s*(?P<now>{_NUMBER})", _I)
# what makes a bare number a figure: money, time, a count of things ("a hundred and twenty kegs")
_WHAT = re.compile(r"^\s*(?:dollars?|bucks|euros?|pounds|percent|%|hours?|days?|weeks?|months?|"
                   r"years?|minutes?|barrels?|kegs?|cases?|people|staff|sites?|[a-z]+s)\b", _I)


@dataclass(frozen=True)
class Figure:
    """A figure in a sentence: its words as said, its value (low end for a range) and, for a
    range, its high end."""

    said: str
    value: float
    high: float | None = None


def _scale_of(words: str) -> float:
    m = re.search(r"\b(thousand|million|k)\s*$", words.strip(), _I)
    return _SCALES[m.group(1).casefold()] if m else 1


def _figure(said: str, after: str) -> bool:
    """A number that counts as a figure: a digit, or number words followed by what they
    count or measure (so "one of us" and "a few" are not figures)."""
    return bool(re.search(r"\d", said)) or bool(re.search(r"thousand|million|hundred", said, _I)) \
        or bool(_WHAT.match(after))


def spoken_figures(sentence: str) -> list[Figure]:
    """The figures in a sentence, in order: ranges as one figure with both ends ("between
    eleven and fourteen thousand" -> 11000..14000, the scale of the high end carried to the
    low), a self-corrected figure as the corrected one only."""
    out: list[Figure] = []
    # a day is no figure: "after the 28th", "January 14"
    taken: list[tuple[int, int]] = [m.span() for m in DATE.finditer(sentence)]
    taken += [m.span() for m in _ORDINAL.finditer(sentence)]

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in _CORRECTION.finditer(sentence):
        now = word_value(m.group("now"))
        if now is not None:
            out.append(Figure(m.group(0).strip(), now))
            taken.append(m.span())
    for m in _RANGE.finditer(sentence):
        lo, hi = word_value(m.group("lo")), word_value(m.group("hi"))
        if lo is None or hi is None or not free(*m.span()):
            continue
        if not _figure(m.group(0), sentence[m.end():]):
            continue
        scale = _scale_of(m.group("hi"))
        if lo < hi / scale and scale > 1 and _scale_of(m.group("lo")) == 1:
            lo *= scale  # "eleven and fourteen thousand": both thousands
        if lo < hi:
            out.append(Figure(m.group(0).strip(), lo, hi))
            taken.append(m.span())
    for m in _NUM.finditer(sentence):
        said = m.group(0).strip(" -")
        value = word_value(said)
        if value is None or not free(*m.span()) or not _figure(said, sentence[m.end():]):
            continue
        out.append(Figure(said, value))
        taken.append(m.span())
    return sorted(out, key=lambda f: sentence.find(f.said))


_MONEY = re.compile(r"[$€£]\s?\d|\b(?:dollars?|bucks|grand|euros?|pounds|a (?:year|month))\b|"
                    r"\b\d[\d,.]*\s?k\b|\bthousand\b", _I)


def says_money(sentence: str) -> bool:
    """The sentence gives a sum of money, in digits or in words ("between eleven and fourteen
    thousand dollars", "$74,000"); "two people, every Friday" is a figure, not a sum."""
    return says_figure(sentence) and bool(_MONEY.search(sentence))


def says_figure(sentence: str) -> bool:
    """The sentence gives a figure, in digits or in words."""
    return bool(spoken_figures(sentence))


__all__ = ["Figure", "says_figure", "says_money", "spoken_figures", "word_value"]
