"""One figure reader: a figure is a figure however it is written (issue 12, set 14).

Notes, e-mails and transcripts write the same figure many ways: "$23.50", "$٢٣٫٥٠"
(Arabic-Indic digits), "$２３.５０" (full-width), "twenty-six a van", "three hundred and ten
thousand dollars", "a quarter mil", "forty vans", "XL vans". Every test that reads a figure
(the plan's and the reflection's claim tests, "do our own notes state the same figure", the
spoken-figure reader of a call) reads it here, so a figure in words or in other digits is the
same figure as in ASCII digits:

- ``digits(text)``: every decimal digit of another script (``unicodedata.decimal``) made
  ASCII, and the Arabic decimal and thousands separators made "." and ",".
- ``word_value(words)``: the value of one run of number words or digits ("a hundred and
  twenty" -> 120, "14k" -> 14000, "a dozen" -> 12, "a quarter mil" -> 250000).
- ``numerals(text)``: ``text`` with its number words written in digits ("twenty-six a van" ->
  "26 a van"; "four hundred thousand" -> "400k"; "three hundred and ten thousand dollars" ->
  "310k dollars"; "a quarter mil" -> "250k") and a Roman numeral followed by a unit ("XL
  vans" -> "40 vans"). A lone "one" or "a" stays a word ("this one", "a van"). A thousand or a
  million said in words keeps its scale as "k" or "m": said with no count after it, it is
  money, as people say it.
- ``figures(text)``: the values ``text`` carries, as canonical strings ("$1,150" and "one
  thousand one hundred and fifty" are both "1150"; "$148k" is "148000"); ``priced(text)``:
  only its money amounts and percentages.
- ``only_ours(text, ours)``: the one "our figures" test both workflows use: ``text`` carries
  figures and every one of them is among ``ours`` (what our own notes or our seller's turns
  state).

Pure functions over text; imports nothing of the project.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

__all__ = ["digits", "figures", "numerals", "only_ours", "priced", "value_text", "word_value"]

_I = re.IGNORECASE

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "grand": 1_000, "k": 1_000, "million": 1_000_000,
          "mil": 1_000_000, "m": 1_000_000, "dozen": 12}
_FRACTIONS = {"quarter": 0.25, "half": 0.5}

# ---- digits: other scripts' digits made ASCII ---------------------------------------------------
_SEPARATORS = str.maketrans({"\u066b": ".", "\u066c": ",", "\u060c": ","})


def digits(text: str) -> str:
    """``text`` with every decimal digit of another script (Arabic-Indic, Persian, Devanagari,
    full-width, ...) and every digit drawn in a circle or a box ("❷", "⓿", "①") written as an
    ASCII digit, and the Arabic decimal and thousands separators
    as "." and ","; idempotent. ASCII text is returned as it is."""
    s = str(text or "")
    if s.isascii():
        return s
    out = []
    for ch in s:
        if not ch.isascii() and unicodedata.category(ch) == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        elif not ch.isascii() and unicodedata.category(ch) == "No" and \
                unicodedata.digit(ch, None) is not None:
            out.append(str(unicodedata.digit(ch)))  # a digit in a circle or a box: "❷❶" is 21
        else:
            out.append(ch)
    return "".join(out).translate(_SEPARATORS) if any(
        c in s for c in "\u066b\u066c") else "".join(out)


# ---- word_value: one run of number words --------------------------------------------------------
def word_value(words: str) -> float | None:
    """"a hundred and twenty" -> 120, "eleven" -> 11, "twenty-five" -> 25, "$8,640" -> 8640,
    "1.2" -> 1.2, "14k" -> 14000, "a dozen" -> 12, "a quarter mil" -> 250000; None when the
    words are not a number ("a", "and")."""
    text = digits(words).strip().casefold().replace("$", "").strip()
    m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)\s?(k|thousand|million|mil|m|grand)?", text)
    if m:
        return float(m.group(1).replace(",", "")) * SCALES.get(m.group(2) or "", 1)
    total = current = 0.0
    seen = False
    for w in re.split(r"[\s-]+", text):
        if w in ("and", "", "of"):
            continue
        if w in ("a", "an"):
            current = current or 1
            continue
        if w in _FRACTIONS:
            current = (current or 1) * _FRACTIONS[w]
            seen = True
        elif w in UNITS or w in TENS:
            current += UNITS.get(w, 0) + TENS.get(w, 0)
            seen = True
        elif w in SCALES:
            current = (current or 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total, current = total + current, 0
            seen = True
        else:
            return None
    return total + current if seen else None


# ---- numerals: number words and Roman numerals written in digits --------------------------------
_WORDS = "|".join([*UNITS, *TENS])
_SCALE_WORDS = "hundred|thousand|million|mil|grand|dozen"
# a run of number words: "twenty-six", "three hundred and ten thousand", "a quarter mil",
# "a dozen", "four hundred thousand"
_RUN = re.compile(
    rf"\b(?:(?:a|an|one)\s+(?:quarter|half)(?:\s+a)?\s+(?:{_SCALE_WORDS})\b"
    rf"|(?:a\s+(?=(?:{_SCALE_WORDS})\b))?(?:{_WORDS}|{_SCALE_WORDS})\b"
    rf"(?:(?:[\s-]+(?:and[\s-]+)?)(?:{_WORDS}|{_SCALE_WORDS})\b)*)"
    # not an ordinal's first half: "twenty-sixth"
    r"(?![\s-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|\w+teenth|\w+ieth)\b)", _I)
_ROMAN = re.compile(r"\b(M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))"
                    r"(?=\s+(?:vans?|vehicles?|trucks?|seats?|users?|units?|licen[cs]es?|sites?|"
                    r"depots?|drivers?|devices?|months?|years?|weeks?|days?|percent)\b)")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def _roman(token: str) -> int:
    total = 0
    for k, ch in enumerate(token):
        v = _ROMAN_VALUES[ch]
        nxt = _ROMAN_VALUES[token[k + 1]] if k + 1 < len(token) else 0
        total += -v if v < nxt else v
    return total


def value_text(value: float) -> str:
    """A value as a canonical string: 1150.0 -> "1150", 23.5 -> "23.5"."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _composed(words: list[str]) -> bool:
    """Whether number words compose one number ("three hundred and ten", "twenty-six"), not
    two said side by side ("two-ten", "twenty twenty-six", "one two")."""
    last = ""
    for w in words:
        kind = ("unit" if w in UNITS and UNITS[w] < 10 else "teen" if w in UNITS else
                "tens" if w in TENS else "scale" if w in SCALES or w in _FRACTIONS else "")
        if not kind:
            continue
        if last in ("unit", "teen") and kind in ("unit", "teen", "tens") \
                or last == "tens" and kind in ("teen", "tens"):
            return False
        last = kind
    return True


def _run_text(m: re.Match[str]) -> str:
    said = m.group(0)
    words = [w for w in re.split(r"[\s-]+", said.casefold()) if w]
    if all(w in ("a", "an", "one", "and") for w in words):
        return said  # "this one", "a van": no figure
    if words == ["dozen"] or words[0] in ("hundred", "thousand", "million", "mil", "grand"):
        return said  # a scale word alone: "hundreds of", "thousand-mile"
    if not _composed(words):
        return said  # "two-ten" (money as people say it), "twenty twenty-six" (a year)
    value = word_value(said)
    if value is None:
        return said
    last = words[-1]
    if last in ("million", "mil") and value >= 1_000_000:
        return f"{value_text(value / 1_000_000)}m"
    if last in ("thousand", "grand", "million", "mil") and value >= 1000 and value % 1000 == 0:
        return f"{value_text(value / 1000)}k"
    return value_text(value)


def numerals(text: str) -> str:
    """``text`` with its figures written in ASCII digits (see the module docstring)."""
    s = digits(text)
    s = _RUN.sub(_run_text, s)
    # a digit figure with a spoken scale: "1.2 million" -> "1.2m", "14 thousand" -> "14k"
    s = re.sub(r"(\d(?:[\d,]*\d)?(?:\.\d+)?)\s(?:thousand|grand)\b", r"\1k", s, flags=_I)
    s = re.sub(r"(\d(?:[\d,]*\d)?(?:\.\d+)?)\s(?:million|mil)\b", r"\1m", s, flags=_I)
    return _ROMAN.sub(lambda m: str(_roman(m.group(1))) if m.group(1) else m.group(0), s)


# ---- figures: the values a text carries ---------------------------------------------------------
_FIGURE = re.compile(r"(\d(?:[\d,]*\d)?(?:\.\d+)?)(?:\s?(k|m|bn|mm)\b)?", _I)
_PRICED = re.compile(r"(?:[$€£¥₹]|\b(?:usd|eur|gbp|chf|cad|aud)\s?)\s?(\d(?:[\d,]*\d)?(?:\.\d+)?)"
                     r"(?:\s?(k|m|bn|mm)\b)?"
                     r"|(\d(?:[\d,]*\d)?(?:\.\d+)?)(?:\s?(k|m|bn|mm)\b)?\s?"
                     r"(?:%|percent\b|per ?cent\b|dollars?\b|euros?\b|pounds?\b|bucks\b|usd\b|"
                     r"eur\b|gbp\b)", _I)
_SCALE_OF = {"k": 1e3, "m": 1e6, "mm": 1e6, "bn": 1e9}


def _canonical(number: str, scale: str | None) -> str | None:
    raw = number.replace(",", "")
    try:
        value = float(raw)
    except ValueError:
        return None
    if not value:
        return None
    return value_text(value * _SCALE_OF.get((scale or "").casefold(), 1))


def figures(text: str) -> set[str]:
    """The values ``text`` carries, however written, as canonical strings ("1,150" and
    "one thousand one hundred and fifty" -> "1150"; "$148k" -> "148000"); zero is none."""
    out = set()
    for m in _FIGURE.finditer(numerals(text)):
        if (c := _canonical(m.group(1), m.group(2))) is not None:
            out.add(c)
    return out


def priced(text: str) -> set[str]:
    """The money amounts and percentages ``text`` carries, however written, as canonical
    strings ("$1,250" -> "1250", "twelve percent" -> "12", "$٢٣٫٥٠" -> "23.5")."""
    out = set()
    for m in _PRICED.finditer(numerals(text)):
        number, scale = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if (c := _canonical(number, scale)) is not None:
            out.add(c)
    return out


def only_ours(text: str, ours: Iterable[str], *, money_only: bool = False) -> bool:
    """The one "our figures" test (plan and reflection): ``text`` carries figures (with
    ``money_only``: money amounts or percentages) and every one of them is in ``ours`` (the
    figures our own notes, or our seller's turns, state: ``figures`` / ``priced`` of them)."""
    said = priced(text) if money_only else figures(text)
    return bool(said) and said <= set(ours)
