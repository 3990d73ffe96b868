"""The facts and assessment answers, back in the shape validation reads (``reflect_facts@5``,
``reflect_assess@7``).

The model names the turn that shows each stakeholder, fact and ICP value (``"turn": "t7"``)
instead of copying its words: a quote cost ~20 generated tokens an item, a turn id 2-3. Code
already holds the transcript's sentences, so it picks, within the named turn, the sentence
that shares the most words and numbers with the item (its name and title, its value), and
writes it under ``quote`` as the words the model used to copy. Validation then checks it as
before (``assistant.reflect.validate``). An answer that already carries words under ``quote``
(an older prompt's answer, a test's fake) passes through unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.reflect.extract import content_words, is_header, sentences

TURN_ID = re.compile(r"t\d{1,4}")
_EXCERPT_ID = re.compile(r"^\[(t\d{1,4})\]", re.MULTILINE)
_NUMBER = re.compile(r"\d[\d,.]*")


def shown_turns(excerpt: str) -> list[str]:
    """The turn ids of the excerpt's lines (``[t3] Dana Ruiz: ...``), in order."""
    return list(dict.fromkeys(_EXCERPT_ID.findall(excerpt)))


def best_sentence(text: str, clues: list[str]) -> str:
    """The sentence of ``text`` sharing the most numbers and words with ``clues``; the
    sentence with the most content words when none shares any."""
    found = [s for s in sentences(text) if not is_header(s)] or [text.strip()]
    words = set(content_words(" ".join(clues)))
    numbers = {n.rstrip(".,").replace(",", "") for c in clues for n in _NUMBER.findall(c)}

    def score(sentence: str) -> int:
        own = set(content_words(sentence))
        digits = {n.rstrip(".,").replace(",", "") for n in _NUMBER.findall(sentence)}
        return 3 * len(numbers & digits) + len(words & own)

    return max(found, key=lambda s: (score(s), len(content_words(s))))


def _resolve(item: dict[str, Any], turns: dict[str, str], clues: list[str]) -> dict[str, Any]:
    ref = str(item.get("quote") or "").strip()
    if not TURN_ID.fullmatch(ref):
        return item  # words, or nothing: validation reads them as before
    text = turns.get(ref)
    return {**item, "quote": best_sentence(text, clues) if text else ""}


def expand(draft: dict[str, Any] | None, turns: list[dict[str, Any]]) -> dict[str, Any] | None:
    """``draft`` with every turn id under ``quote`` replaced by that turn's best sentence
    (an unknown turn id becomes ``""``: no quote, which validation drops or downgrades)."""
    if draft is None:
        return None
    by_id = {str(t["id"]): str(t.get("text") or "") for t in turns}
    out = dict(draft)
    out["stakeholders"] = [
        _resolve(s, by_id, [str(s.get("name") or ""), str(s.get("title") or "")])
        for s in draft.get("stakeholders") or []]
    out["facts"] = [_resolve(f, by_id, [str(f.get("value") or "")])
                    for f in draft.get("facts") or []]
    out["icp"] = [_resolve(i, by_id, [str(i.get("value") or ""), str(i.get("attribute") or "")])
                  for i in draft.get("icp") or []]
    return out


def expand_assessment(draft: dict[str, Any] | None, turns: list[dict[str, Any]], *,
                      objective: str, items: dict[str, str]) -> dict[str, Any] | None:
    """The assessment's answer (``reflect_assess@7``) in the shape validation reads: the turn
    id under ``objective_quote`` becomes that turn's sentence most like the ``objective``
    statement, and each check's turn id the sentence most like its plan item (``items``: key
    to text). ``worked``, ``didnt`` and ``lesson`` are no longer asked: empty unless an older
    answer gave them."""
    if draft is None:
        return None
    by_id = {str(t["id"]): str(t.get("text") or "") for t in turns}
    out = {"worked": [], "didnt": [], "lesson": "", **draft}
    if draft.get("objective_quote"):
        out["objective_quote"] = _resolve({"quote": draft["objective_quote"]}, by_id,
                                          [objective])["quote"]
    out["checks"] = [_check(c, by_id, items.get(str(c.get("item")), ""))
                     for c in draft.get("checks") or []]
    return out


def _stems(text: str) -> set[str]:
    return {w[:5] for w in content_words(text)} | set(_NUMBER.findall(text))


def _check(check: dict[str, Any], turns: dict[str, str], item: str) -> dict[str, Any]:
    """A planned item's check with its turn's sentence; an agenda item or question whose named
    turn has no sentence sharing a word (or number) with it gets no quote (validation leaves
    the item as code found it): a turn id always names a real line, so without this any line
    would "show" any item (measured on /tmp/try7: "How others like them solved it (story)"
    done on "The board approved $65k for the pilot"). Roles are checked by speaker
    (``validate``): a seller's line need not repeat the role's words."""
    out = _resolve(check, turns, [item])
    ref = str(check.get("quote") or "").strip()
    if (TURN_ID.fullmatch(ref) and not str(check.get("item") or "").startswith("R")
            and not _stems(item) & _stems(str(out.get("quote") or ""))):
        return {**out, "quote": ""}
    return out
