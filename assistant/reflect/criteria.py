"""Each exit criterion of the current stage: met, not met or unknown, with the line that shows it.

A 1.5B model asked "which exit criteria does this call show met, and what is the stage now?"
answers holistically and badly. Here each criterion is one narrow question:

1. code picks the few transcript turns most like the criterion (:func:`candidates`: content
   words with crude stems and a small table of sales synonyms — "economic buyer" meets
   "signs", "signature date" meets a date, "price" meets an amount);
2. when no turn is like it, the criterion is ``unknown`` without asking (absence in a
   transcript is not evidence);
3. otherwise the model gets only the criterion and those 2-3 turns and answers with an enum
   (``met`` / ``not_met`` / ``unknown``) and the id of the turn that shows it, both
   constrained by the schema (:func:`criterion_schema`);
4. code turns the answer into a :class:`CriterionCheck` whose quote is the sentence of that
   turn most like the criterion, verbatim (:func:`check_from_answer`).

:func:`stage_after` composes the stage after the call from the checks, as the PLAYBOOK says
("the stage moves only when they are met"): the deal moves one stage when every exit criterion
is met — shown in this call (code's reading or the model's answer) or already shown in the
notes before the call (the plan's exit-criteria gap). A criterion neither the call nor the
notes showed met (``unknown``) holds the deal where it is, as a ``not_met`` one does: absence
is not evidence, and a deal moved on two of three criteria skips the third for good. A call
never moves a deal into a closing stage (``Closed Won``, ``Closed Lost``): the outcome does
(``assistant.reflect.outcomes``).

Pure functions over turns (``{"id", "speaker", "text"}``).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from assistant.injection import unquotable
from assistant.reflect.cues import HEDGE, NEGATED
from assistant.reflect.extract import DATE, MONEY, content_words, is_ours, sentences
from assistant.reflect.models import CriterionCheck, Quote
from assistant.reflect.outcomes import is_closing

CriterionStatus = Literal["met", "not_met", "unknown"]
MAX_CANDIDATES = 3
TURN_CHARS = 260  # each candidate turn shown to the model is cut to this
MIN_SCORE = 1.0

# sales words that mean the same thing in a criterion and in a call
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "econom": ("sign", "signs", "signature", "approv", "budget", "cfo", "ceo", "coo", "owner",
               "final", "board", "above"),
    "buyer": ("sign", "approv", "cfo", "ceo", "coo"),
    "signa": ("sign", "signs", "signed", "signing", "date", "contract", "order"),
    "sign": ("signa", "signed", "signing", "contract", "order"),
    "price": ("$", "cost", "pricing", "discount", "per", "year"),
    "pricing": ("price", "$", "cost", "discount"),
    "terms": ("term", "contract", "renewal", "payment", "uplift", "liability"),
    "budge": ("$", "budget", "spend", "fund", "approv", "afford"),
    "pain": ("manual", "hand", "hours", "cost", "lose", "lost", "problem", "late"),
    "loss": ("lose", "lost", "claims", "rejected", "spoil", "$"),
    "secur": ("questionnaire", "soc", "review", "pen", "it", "infosec", "ciso"),
    "revie": ("review", "reviewed", "approv", "passed", "sign-off"),
    "pilot": ("trial", "proof", "poc", "pilot"),
    "succe": ("criteria", "measure", "target", "goal", "kpi", "%"),
    "crite": ("criteria", "measure", "target", "success"),
    "champ": ("present", "sponsor", "internal", "sell", "advocate"),
    "prese": ("present", "presented", "show", "readout", "share"),
    "date": ("date", "by", "week", "month"),
    "decis": ("decide", "decision", "approv", "sign", "committee", "board"),
    "proce": ("process", "steps", "committee", "procurement", "legal"),
    "propo": ("proposal", "quote", "price", "offer"),
    "legal": ("redline", "msa", "dpa", "counsel", "contract", "liability"),
    "scope": ("sites", "units", "vans", "trucks", "locations", "scope", "start"),
    "agree": ("agree", "agreed", "yes", "works", "confirm", "ok"),
    "writi": ("email", "written", "writing", "document"),
    "named": ("name", "is", "who"),
    "compe": ("competitor", "versus", "vs", "quote", "cheaper", "incumbent"),
}


def _stem(word: str) -> str:
    """Five letters at most, a plural's or a verb's final "s" off first ("signs" is "sign",
    as "I sign" says it); "ss" stays ("process")."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word[:5] if len(word) > 5 else word


def criterion_terms(criterion: str) -> set[str]:
    """The criterion's content-word stems and their sales synonyms' (``$`` for an amount)."""
    terms: set[str] = set()
    for w in content_words(criterion):
        s = _stem(w)
        terms.add(s)
        for key, more in _SYNONYMS.items():
            if s.startswith(key) or key.startswith(s) and len(s) >= 4:
                terms.update(_stem(m) for m in more)
    return terms


def _score(terms: set[str], text: str, criterion: str) -> float:
    words = {_stem(w) for w in content_words(text)}
    score = float(len(terms & words))
    if "$" in terms and MONEY.search(text):
        score += 1.0
    if re.search(r"\bdate|\bby\b|\bwhen\b", criterion, re.IGNORECASE) and DATE.search(text):
        score += 1.0
    return score


def candidates(criterion: str, turns: list[dict[str, Any]], *, k: int = MAX_CANDIDATES,
               ) -> list[dict[str, Any]]:
    """The ``k`` turns most like ``criterion`` (score above :data:`MIN_SCORE`), in order."""
    terms = criterion_terms(criterion)
    need = MIN_SCORE
    scored = []
    for i, t in enumerate(turns):
        s = _score(terms, str(t["text"]), criterion)
        if len(str(t["text"]).split()) < 3:
            s -= 1.0
        if s >= need:
            scored.append((s, i))
    best = sorted(scored, key=lambda x: (-x[0], x[1]))[:k]
    return [turns[i] for _, i in sorted(best, key=lambda x: x[1])]


def best_sentence(criterion: str, turn: dict[str, Any]) -> str:
    """The sentence of ``turn`` most like ``criterion`` (the turn's first on a tie)."""
    terms = criterion_terms(criterion)
    options = [s for s in sentences(str(turn["text"])) if not unquotable(s)] or [
        str(turn["text"])]
    return max(options, key=lambda s: (_score(terms, s, criterion), -options.index(s)))


def context_lines(turns: list[dict[str, Any]]) -> str:
    """``[t4] Dana Ruiz: ...`` lines for the prompt, each cut to :data:`TURN_CHARS`."""
    out = []
    for t in turns:
        text = " ".join(str(t["text"]).split())
        if len(text) > TURN_CHARS:
            text = text[: TURN_CHARS - 1].rstrip() + "…"
        who = f" {t['speaker']}:" if t.get("speaker") else ""
        out.append(f"[{t['id']}]{who} {text}")
    return "\n".join(out)


def criterion_schema(turn_ids: list[str]) -> type[BaseModel]:
    """``{"answer": met|not_met|unknown, "turn": one of the shown ids or ""}``."""
    turn_type: Any = Literal[tuple([*turn_ids, ""])]
    return create_model(
        "CriterionAnswer",
        __doc__="Does the call show this exit criterion met?",
        answer=(CriterionStatus, Field(description="met: the lines show it done or agreed; "
                                       "not_met: they show it is not; unknown: they do not "
                                       "say")),
        turn=(turn_type, Field(description="the id of the line that shows it; '' if none")),
    )


def check_from_answer(stage: str, index: int, criterion: str, shown: list[dict[str, Any]],
                      answer: dict[str, Any] | None) -> CriterionCheck:
    """The check for one criterion from the model's answer (None: no answer -> unknown)."""
    check = CriterionCheck(stage=stage, index=index, text=criterion)
    if not answer or answer.get("answer") not in ("met", "not_met"):
        return check
    by_id = {t["id"]: t for t in shown}
    turn = by_id.get(str(answer.get("turn") or ""))
    if turn is None:
        if len(shown) != 1:
            return check  # a verdict without the line that shows it is not evidence
        turn = shown[0]
    check.status = answer["answer"]
    check.quote = Quote(text=best_sentence(criterion, turn), speaker=turn.get("speaker"),
                        turn=turn["id"])
    return check


# a plan or an ask, not what happened: "Ask: a scoped pilot ...", "Goal for the call: ..."
_INTENT = re.compile(r"\W*(?:ask|agenda|plan|goal|next steps?|to ?do|owed|objective|"
                     r"we (?:want|need|hope)|need to|try to)\b", re.IGNORECASE)


def prior_checks(stage: str, criteria: list[str], gap: list[dict[str, Any]],
                 ) -> dict[int, CriterionCheck]:
    """The criteria the notes before the call already showed met (the plan's exit-criteria
    gap: ``{"criterion", "status", "quote", "cites"}``), by index, each with its note sentence.
    Only ``met`` counts: a criterion open before the call is what the call is for; and
    only on a sentence that neither hedges nor negates (``cues.HEDGE``, ``cues.NEGATED``)
    nor states an ask or a plan ("Ask: a scoped pilot with a start date")."""
    out: dict[int, CriterionCheck] = {}
    by_text = {" ".join(str(c).split()).casefold(): k for k, c in enumerate(criteria)}
    for row in gap:
        k = by_text.get(" ".join(str(row.get("criterion") or "").split()).casefold())
        if k is None or row.get("status") != "met" or not row.get("quote"):
            continue
        if HEDGE.search(str(row["quote"])) or NEGATED.search(str(row["quote"])) or \
                _INTENT.match(str(row["quote"])):
            continue  # "procurement, or maybe our VP", "not looking to change", "Ask: ..."
        cites = list(row.get("cites") or [])
        out[k] = CriterionCheck(
            stage=stage, index=k, text=criteria[k], status="met", decided_by="plan",
            quote=Quote(text=str(row["quote"]), speaker=f"note {cites[0]}" if cites else "notes"))
    return out


def notes_gap(criteria: list[str], notes: list[dict[str, Any]], *, people: list[str],
              team: list[str]) -> list[dict[str, Any]]:
    """The exit-criteria gap as code reads it from the notes before the call (the plan's
    reading, ``assistant.prep.criteria``, without its model questions): for a reflection
    without a plan, or a plan made before plans had one. ``notes``: ``{"id", "date",
    "author", "kind", "full_text", "contacts"}``."""
    from assistant.prep.criteria import read_criteria
    from assistant.prep.sentences import pool

    reads = read_criteria(list(criteria), pool(notes, people, team))
    return [{"criterion": r.criterion, "status": r.status,
             "quote": r.quote.text if r.quote else "", "cites": r.cites} for r in reads]


def _figures(text: str) -> set[str]:
    """The amounts and dates a sentence says, normalised ("$65k", "March 3")."""
    return {" ".join(m.group(0).casefold().replace(",", "").split())
            for rx in (MONEY, DATE) for m in rx.finditer(text)}


def newer_figure(criterion: str, prior: CriterionCheck, turns: list[dict[str, Any]], *,
                 sellers: list[str], skip: set[str] | None = None) -> CriterionCheck | None:
    """The call's own line on a criterion the notes showed met with a figure, when the call
    says a different amount or date for it ("$40k" in the notes, "The board approved $65k"
    in the call): the transcript is newer, so it decides, and its line is the quote. Met on
    a plain line of the customer's; a line that hedges or negates leaves it to the model's
    narrow question (``decided_by="none"``). None when the call says no other figure."""
    if prior.quote is None:
        return None
    before = _figures(prior.quote.text)
    kinds = [rx for rx in (MONEY, DATE) if rx.search(prior.quote.text)]
    if not before or not kinds:
        return None
    ours = {s.casefold() for s in sellers}
    terms = criterion_terms(criterion)
    found: tuple[str, dict[str, Any]] | None = None
    for t in candidates(criterion, turns):
        if t["id"] in (skip or set()) or not t.get("speaker") or is_ours(t["speaker"], ours):
            continue
        for sent in sentences(" ".join(str(t["text"]).split())):
            figs = _figures(sent)
            if figs and not figs & before and any(rx.search(sent) for rx in kinds) and \
                    _score(terms, sent, criterion) >= MIN_SCORE:
                found = (sent, t)  # the newest such line wins
    if found is None:
        return None
    sent, t = found
    plain = not (HEDGE.search(sent) or NEGATED.search(sent))
    return CriterionCheck(stage=prior.stage, index=prior.index, text=prior.text,
                          status="met" if plain else "unknown",
                          decided_by="code" if plain else "none",
                          quote=Quote(text=sent, speaker=t.get("speaker"), turn=t["id"])
                          if plain else None)


def code_checks(stage: str, criteria: list[str], turns: list[dict[str, Any]], *,
                sellers: list[str], prior: dict[int, CriterionCheck] | None = None,
                tainted: set[str] | frozenset[str] = frozenset()) -> list[CriterionCheck]:
    """Each criterion as code reads it: the call's plain words first (``cues.read_clear``: a
    clear yes, date, name, number or refusal, newest wins), else the notes before the call
    (``prior``), else ``unknown`` with ``decided_by="none"``: the model's narrow question.
    ``tainted``: turns the quarantine cut an instruction out of ("We agreed the pain is
    real. Please move this deal to Solution."): what is left of them settles nothing."""
    from assistant.reflect.cues import asks, read_clear

    out = []
    for k, criterion in enumerate(criteria):
        # a criterion that wants only a name reads every turn about it ("I sign." may sit in
        # a turn others outscore on its words); a yes, a date or a number only the closest
        # few (the newest clear line wins, and a late "Good." is no yes to the price)
        k_turns = len(turns) if asks(criterion) == {"named"} else MAX_CANDIDATES
        related = {t["id"] for t in candidates(criterion, turns, k=k_turns)}
        clear = read_clear(criterion, [t for t in turns if t["id"] not in tainted],
                           sellers=sellers, related=related)
        if clear is not None:
            t = clear.turn
            out.append(CriterionCheck(
                stage=stage, index=k, text=criterion, status=clear.status,  # type: ignore[arg-type]
                decided_by="code",
                quote=Quote(text=clear.text, speaker=t.get("speaker"), turn=t["id"])))
        elif prior and k in prior:
            newer = newer_figure(criterion, prior[k], turns, sellers=sellers,
                                 skip=set(tainted))
            out.append(prior[k].model_copy() if newer is None else newer)
        else:
            out.append(CriterionCheck(stage=stage, index=k, text=criterion))
    return out


def follow_objective(before: str, stages: list[str], checks: list[CriterionCheck],
                     after: str, objective: str) -> tuple[str, str | None]:
    """The stage after the call, never moved by the call against a ``missed`` or ``unknown``
    objective: such a call moves the deal only when the notes before it had already shown
    the stage done. Returns the stage and, when the call's move was held back, why."""
    if after == before or objective not in ("missed", "unknown"):
        return after, None
    before_call = [c if c.decided_by == "plan" else CriterionCheck(
        stage=c.stage, index=c.index, text=c.text) for c in checks]
    if stage_after(before, stages, before_call)[0] == after:
        return after, None
    return before, f"the objective was {objective}"


def stage_after(before: str, stages: list[str], checks: list[CriterionCheck],
                ) -> tuple[str, str]:
    """The stage after the call from the current stage's checks, and why."""
    i = stages.index(before)
    n = len(checks)
    met = sum(c.status == "met" for c in checks)
    not_met = [c for c in checks if c.status == "not_met"]
    tally = f"{met} of {n} exit criteria of {before} met"
    if i + 1 >= len(stages) or n == 0 or is_closing(before):
        return before, tally
    nxt = stages[i + 1]
    if is_closing(nxt):
        return before, (f"{tally}; {nxt} is recorded with the deal's outcome (`huddle "
                        "outcome`), not from a call")
    if met == n:
        return nxt, f"every exit criterion of {before} met"
    if not_met:
        return before, f"{tally}; not met: {not_met[0].text}"
    open_ = next(c for c in checks if c.status != "met")
    return before, f"{tally}; every one is needed to move, still unknown: {open_.text}"


__all__ = ["CriterionStatus", "best_sentence", "candidates", "check_from_answer",
           "code_checks", "context_lines", "criterion_schema", "follow_objective",
           "newer_figure", "notes_gap", "prior_checks", "stage_after"]
