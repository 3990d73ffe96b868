"""Turn the model's drafts and the code's extraction into a checked :class:`Reflection`.

The model is draft-level, so nothing it says is written without a check here:

- every quote must be found in the (quarantined) transcript after whitespace and
  punctuation normalisation; a near-verbatim quote is replaced by the transcript's own
  sentence; anything else is dropped, and a claim without a quote becomes ``unknown``;
- speakers are never taken from the model: a quote's speaker is the label of the turn it
  was found in;
- stakeholders must be named in the transcript and not be on our side; titles come from
  the transcript or the KB; numbers in a fact must appear in its quote;
- ICP attributes must exist in ``icp.yaml``; values are normalised with
  ``IcpAttribute.bucket_label``; the signal follows the stated ideal when there is one;
- plan items are addressed by key (``A1``, ``Q2``, ``R1``) and mapped back to the plan's
  own items; a role counts as done only on the words of the seller holding it;
- each exit criterion of the current stage is met / not met / unknown as its narrow question
  was answered, with a quote found in the transcript (``assistant.reflect.criteria``); the
  stage after the call follows from them (one step at most, never into a closing stage,
  never against a missed or unknown objective).

Everything removed is listed in ``provenance.dropped``. Pure functions over plain data.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from assistant.containment import (
    RIVAL_CHOSEN,
    SIGNED,
    WON,
    claim_of,
    commercial,
    document,
    field_state,
    fold,
    our_figures,
    ours_only,
    states,
)
from assistant.injection import sentences as injection_sentences
from assistant.injection import unquotable
from assistant.numbers import priced
from assistant.reflect.criteria import follow_objective, stage_after
from assistant.reflect.extract import (
    DATE,
    MONEY,
    QUANTITY,
    bare_answer,
    content_words,
    is_ours,
    mentions,
    named_people,
    rival_named,
    rival_of,
    sentences,
    stems,
)
from assistant.reflect.fields import (
    CHAMPIONS,
    MAX_FACTS,
    SIGNS,
    called_by_name,
    misfiled,
    not_a_person,
    own_promise,
    seller_fact,
)
from assistant.reflect.figures import closing_sentence, outcome_evidence
from assistant.reflect.learning import check_line, cites_call, compose, recounts, trim_cut
from assistant.reflect.models import (
    FIELD_LABELS,
    FIELDS,
    LESSON_CHARS,
    WORKED_CHARS,
    Claimed,
    CriterionCheck,
    DealFigure,
    Fact,
    IcpEvidence,
    ItemCheck,
    Known,
    NextStep,
    ObjectiveCheck,
    QualificationStatus,
    Quote,
    Reflection,
    ReflectionProvenance,
    StageCheck,
    Stakeholder,
)
from assistant.reflect.outcomes import closing_stage_of
from assistant.reflect.verdict import Verdict, call_signals, compose_objective
from assistant.safety import check_answer, echoes_quarantined
from knowledge.models import Icp

MAX_ICP_ITEMS = 8  # every attribute of a closed deal's profile, then the values the call names
_BLAME = re.compile(r"\b(fault|blame\w*|stupid|idiot\w*|incompetent|lazy|useless|careless)\b",
                    re.IGNORECASE)
_PUNCT = " \t\"'“”‘’.,;:!?…-–—()[]"


def norm(text: str) -> str:
    """Casefolded, NFKC, typographic quotes and dashes unified, whitespace collapsed."""
    t = unicodedata.normalize("NFKC", text).casefold()
    for a, b in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("—", "-"), ("–", "-"),
                 ("…", "...")):
        t = t.replace(a, b)
    t = " ".join(t.split())
    return t.strip(_PUNCT)


# no commitment either way: a hedge ("Maybe.", "Depends.", "We'll see") or a one- or two-word
# answer is no evidence of what the deal says about the account
_NOT_COMMITTED = re.compile(r"\b(?:maybe|perhaps|probably|possibly|might|depends|not sure|"
                            r"we'?ll see|no idea|can'?t say|pencil\w*|tentative\w*)\b", re.I)


def committed(text: str) -> bool:
    """A line that commits to something: more than a bare answer, and no hedge in it."""
    return not bare_answer(text) and not _NOT_COMMITTED.search(text)


class QuoteFinder:
    """Finds quotes in the clean turns and says who spoke them."""

    def __init__(self, turns: list[dict[str, Any]]) -> None:
        self.turns = turns
        self._norm = [norm(t["text"]) for t in turns]
        self._by_id = {t["id"]: t for t in turns}
        self._speakers = {norm(str(t["speaker"])) for t in turns if t.get("speaker")}

    def find(self, quote: str | None) -> tuple[Quote | None, bool]:
        """The quote as found (None when absent, or not fit to quote in an English
        reflection: another language or script) and whether it had to be repaired."""
        found, repaired = self._find(quote)
        if found is not None and unquotable(found.text):
            return None, False
        return found, repaired

    def _find(self, quote: str | None) -> tuple[Quote | None, bool]:
        if not quote:
            return None, False
        # a quote copied with its line's "[t3] Dana Ruiz:" prefix is still the words said
        quote = quote.replace("\u2502", " ")  # the datamark the model saw on every line
        quote = re.sub(r"^\s*\[t\d+\]\s*", "", quote)
        head, sep, rest = quote.partition(":")
        if sep and norm(head) in self._speakers:
            quote = rest
        q = norm(quote.replace("...", " ").replace("…", " "))
        if len(q) < 8 or len(q.split()) < 2:
            return None, False
        for t, nt in zip(self.turns, self._norm, strict=True):
            if q in nt:
                return Quote(text=self._original(t["text"], quote), speaker=t.get("speaker"),
                             turn=t["id"]), False
        # near-verbatim: a sentence holding nearly all of the quote's content words
        want = set(content_words(q))
        if len(want) >= 4:
            best: tuple[float, dict[str, Any], str] | None = None
            for t in self.turns:
                for s in sentences(t["text"]):
                    have = set(content_words(s))
                    share = len(want & have) / len(want)
                    if share >= 0.8 and (best is None or share > best[0]):
                        best = (share, t, s)
            if best is not None:
                return Quote(text=best[2], speaker=best[1].get("speaker"),
                             turn=best[1]["id"]), True
        return None, False

    def exact(self, sentence: str, turn_id: str) -> Quote:
        """A quote code took verbatim from turn ``turn_id``."""
        t = self._by_id[turn_id]
        return Quote(text=sentence, speaker=t.get("speaker"), turn=turn_id)

    def mentions(self, name: str) -> bool:
        pattern = re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])", re.IGNORECASE)
        return any(pattern.search(t["text"]) or (t.get("speaker") or "").casefold()
                   == name.casefold() for t in self.turns)

    @staticmethod
    def mentions_in(name: str, text: str) -> bool:
        return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) \
            is not None

    @staticmethod
    def _original(text: str, quote: str) -> str:
        words = re.findall(r"\w+", quote)
        if words:
            m = re.search(r"\W*".join(re.escape(w) for w in words) + r"[.!?]?", text,
                          re.IGNORECASE)
            if m:
                return m.group(0)
        return " ".join(quote.split()).strip(_PUNCT)


def _digits(text: str) -> set[str]:
    return set(re.findall(r"\d+", text.replace(",", "")))


def _specific_tokens(text: str) -> set[str]:
    """Numbers and capitalised words: what a paraphrase must not lose."""
    return _digits(text) | set(re.findall(r"\b[A-Z][\w'-]+", text)) - {"The", "Our", "We", "I"}


_MID_CAPITAL = re.compile(r"(?<=[^.!?\s]\s)([A-Z][\w'’-]+)")


def _tokens(text: str, sentence: bool = False) -> set[str]:
    """The numbers and the names of a value, possessives cut ("Rubicon's" is Rubicon); in a
    sentence (``sentence``) a capitalised word that opens it is no name ("Finance set aside
    £30k")."""
    names = {m.group(1) for m in _MID_CAPITAL.finditer(text)}
    return {re.sub(r"['’]s$", "", t) for t in _specific_tokens(text)
            if not sentence or t[0].isdigit() or t in names}


def _sentence_keys(text: str) -> set[str]:
    return {" ".join(norm(s).split()) for s in sentences(" ".join(text.split()))
            if len(s.split()) >= 3}


_WHO_SIGNS = {"economic_buyer", "decision_process"}


def _signer_line(name: str, quote: str) -> bool:
    """The quote says the person signs or decides ("Greg Hollis signs anything over fifty
    thousand"), with nothing a champion does for us: the economic buyer, not a champion."""
    at = quote.casefold().find(name.casefold())
    if at < 0 or CHAMPIONS.search(quote):
        return False
    # the name is who signs: "Greg Hollis signs …", "Ana, our CFO, approves …"; not "Dana
    # takes it to Greg, who signs" (another person, a "who" or a "to" in between)
    after = quote[at + len(name):]
    cue = SIGNS.search(after)
    return cue is not None and cue.start() <= 25 and not re.search(
        r"\bwho\b|\bto\b|\b[A-Z][a-z]+", after[:cue.start()])


def _bare_date(c: dict[str, Any]) -> bool:
    """A code fact that is only the date a sentence gives, filed under timeline."""
    return c["field"] == "timeline" and DATE.fullmatch(str(c["value"]).strip()) is not None


def _shares_sentence(a: str, b: str) -> bool:
    """Two quotes that hold the same transcript sentence."""
    return bool(_sentence_keys(a) & _sentence_keys(b))


def _before(turn: dict[str, Any] | None, sentence: str) -> str:
    """The sentence just before ``sentence`` in the turn ("" when it opens the turn)."""
    said = sentences(" ".join(str((turn or {}).get("text") or "").split()))
    key = " ".join(sentence.split())
    for k, s in enumerate(said):
        if key and (key.startswith(s) or s.startswith(key)):
            return said[k - 1] if k else ""
    return ""


def _same_person(a: str, b: str) -> bool:
    a, b = a.casefold().strip(), b.casefold().strip()
    if not a or not b:
        return False
    return a == b or a.split()[0] == b.split()[0] and (len(a.split()) == 1 or len(b.split()) == 1)


# a character a name does not carry (an address, a link, a figure, markup)
_SYMBOL = re.compile(r"[^\w\s'’.-]|\w[.@]\w")


class Builder:
    """Collects a reflection and everything dropped on the way."""

    def __init__(self, *, gathered: dict[str, Any], turns: list[dict[str, Any]],
                 grams: set[tuple[str, ...]], icp: Icp) -> None:
        self.g = gathered
        self.turns = turns
        self.finder = QuoteFinder(turns)
        self.grams = grams
        self.icp = icp
        self.dropped: list[str] = []
        self.verdict: Verdict | None = None  # the objective's, once judged
        self.labelled = any(t.get("speaker") for t in turns)
        g = gathered
        # what the model's own words may name: the clean transcript and what the KB says
        self.evidence = " ".join(f"{t.get('speaker') or ''} {t['text']}" for t in turns)
        self.known = [str(x) for x in (
            g.get("account_name"), g.get("account"), g.get("stage"), g.get("next_stage"),
            g.get("objective"), *g.get("stages", []), *g.get("criteria", []),
            *g.get("next_criteria", []), *g.get("team", []), *g.get("sellers", []),
            *g.get("questions", []), *(a.get("topic", "") for a in g.get("agenda", [])),
            *(f"{k} {v or ''}" for k, v in dict(g.get("buyers_known") or {}).items()),
        ) if x]

    def withhold(self, message: str) -> str:
        """A ``dropped`` message without the model text it quotes when that text is unsafe."""

        def sub(m: re.Match[str]) -> str:
            inner = m.group(0)[1:-1]
            why = check_answer(inner, evidence=self.evidence, known=self.known)
            # a short invented name may be shown ('Sam Lee' is not named); anything else the
            # checks refuse, and any text the transcript does not hold that is longer than a
            # name or carries a symbol (a clipped address: 'ar-team@acme-payables.c'), is not
            # repeated
            names_only = all(w.startswith("names something") for w in why)
            novel = (len(inner.split()) >= 4 or bool(_SYMBOL.search(inner))) \
                and norm(inner) not in norm(self.evidence)
            if echoes_quarantined(inner, self.grams) or (why and not names_only) or novel:
                return "(text withheld: not supported by the transcript)"
            return m.group(0)

        # a quoted span opens after a non-letter: the apostrophe of "didn't" opens nothing
        return re.sub(r"(?<!\w)(?:'[^'\n]*'|\"[^\"\n]*\")(?!\w)", sub, message)

    def quote(self, text: str | None, what: str) -> Quote | None:
        if not text or not text.strip():
            return None
        found, repaired = self.finder.find(text)
        if found is None:
            self.dropped.append(f"{what}: quote not in the transcript: {text[:80]!r}")
        elif repaired:
            self.dropped.append(f"{what}: quote repaired to the transcript's own sentence")
        return found

    def clean_text(self, text: str, what: str) -> str | None:
        text = " ".join((text or "").split())
        if not text:
            return None
        if echoes_quarantined(text, self.grams):
            self.dropped.append(f"{what}: repeats text addressed to an AI")
            return None
        why = check_answer(text, evidence=self.evidence, known=self.known)
        if why:
            self.dropped.append(f"{what}: does not stand on the transcript: {'; '.join(why)}")
            return None
        if _BLAME.search(text):
            self.dropped.append(f"{what}: blames a person (rewrite about actions)")
            return None
        return text

    # ---- assessment -------------------------------------------------------------------

    def objective(self, draft: dict[str, Any] | None, outcome: str | None = None,
                  ) -> ObjectiveCheck:
        """Code composes the verdict from what the customer said (``reflect.verdict``) and
        the deal's outcome when the rep gives one; the model's answer, with a quote found in
        the transcript, only breaks a silence."""
        check = ObjectiveCheck(statement=self.g["objective"])
        model_status = (draft or {}).get("objective") or "unknown"
        model_quote = None
        if model_status != "unknown":
            model_quote = self.quote((draft or {}).get("objective_quote"), "objective")
            if model_quote is None:
                self.dropped.append(f"objective: '{model_status}' without a quote")
        verdict = compose_objective(
            self.turns, sellers=self.g["team"], people=list(self.g["buyers_known"]),
            model_status=model_status if model_quote else None,
            model_quote=model_quote.text if model_quote else None, outcome=outcome,
            ask=self.g.get("ask"))
        quote = (self.finder.exact(verdict.quote.text, verdict.quote.turn) if verdict.quote
                 else model_quote if verdict.decided_by == "model" else None)
        if verdict.decided_by == "code" and model_status not in ("unknown", verdict.status):
            self.dropped.append(f"objective: the model said '{model_status}'; code found "
                                f"{verdict.reason}")
        self.verdict = verdict
        return check.model_copy(update={"status": verdict.status, "quote": quote,
                                        "reason": verdict.reason,
                                        "decided_by": verdict.decided_by})

    def items(self, draft: dict[str, Any] | None, code: dict[str, dict[str, Any]]) -> tuple[
            list[ItemCheck], list[ItemCheck], list[ItemCheck]]:
        g = self.g
        agenda = [ItemCheck(index=i, text=a["topic"], owner=a.get("owner"))
                  for i, a in enumerate(g["agenda"])]
        questions = [ItemCheck(index=i, text=q) for i, q in enumerate(g["questions"])]
        roles = [ItemCheck(index=i, text=f"{r['role']}: {r.get('does', '')}".strip(": "),
                           owner=r["seller"]) for i, r in enumerate(g["roles"])]
        by_key = {**{f"A{i + 1}": c for i, c in enumerate(agenda)},
                  **{f"Q{i + 1}": c for i, c in enumerate(questions)},
                  **{f"R{i + 1}": c for i, c in enumerate(roles)}}
        for key, hit in code.items():
            if key in by_key:
                c = by_key[key]
                c.status = hit["status"]
                c.quote = self.finder.exact(hit["quote"], hit["turn"])
        for check in (draft or {}).get("checks") or []:
            key = check.get("item")
            if key not in by_key:
                self.dropped.append(f"plan item {key!r} does not exist")
                continue
            q = self.quote(check.get("quote"), f"plan item {key}")
            if q is None:
                continue  # no quote: the item stays as code found it (or unknown)
            c = by_key[key]
            if (key.startswith("R") and check.get("status") == "done" and self.labelled
                    and not _same_person(q.speaker or "", c.owner or "")):
                self.dropped.append(f"role {key}: the quote was said by {q.speaker or 'no one'}"
                                    f", not {c.owner}")
                continue
            c.status = check.get("status", "unknown")
            c.quote = q
        return agenda, questions, roles

    def own_words(self, text: str | None, what: str) -> str | None:
        """A reflection in the model's words: not a copied transcript line, not a stub."""
        text = self.clean_text(text or "", what)
        if text is None or text.strip(" .").casefold() in ("unknown", "none", "n/a", "..."):
            return None
        if len(text.split()) < 3:
            self.dropped.append(f"{what}: too short to be a lesson: {text!r}")
            return None
        words = set(content_words(text))
        speakers = {str(t.get("speaker") or "").casefold() for t in self.turns} - {""}
        copied = text.split(":", 1)[0].casefold() in speakers or any(
            len(words) >= 3 and len(words & set(content_words(s))) >= 0.8 * len(words)
            for t in self.turns for s in sentences(t["text"]))
        if copied:
            self.dropped.append(f"{what}: copies the transcript instead of reflecting on it")
            return None
        return text

    def learning(self, draft: dict[str, Any] | None) -> tuple[list[str], list[str], str | None]:
        """The model's lines that cite a moment of the call, whole sentences only
        (``assistant.reflect.learning``), when its answer has them; where none is left,
        code's lines, composed from our asks and the customer's answers, by name and true to
        the call (code writes them all once the assessment no longer asks for them)."""
        draft = draft or {}
        worked = self._lines(draft.get("worked") or [], "worked", WORKED_CHARS)
        didnt = self._lines(draft.get("didnt") or [], "didn't work", WORKED_CHARS)
        lesson = next(iter(self._lines([draft.get("lesson") or ""], "lesson", LESSON_CHARS)),
                      None)
        if not (worked and didnt and lesson):
            c_worked, c_didnt, c_lesson = compose(
                self.turns, sellers=list(self.g.get("team") or []),
                people=list(self.g.get("buyers_known") or []), verdict=self.verdict)
            worked, didnt = worked or c_worked, didnt or c_didnt
            lesson = lesson or c_lesson
        return worked, didnt, lesson

    def _lines(self, raw: list[str], what: str, limit: int) -> list[str]:
        g = self.g
        plan = [str(x) for x in (
            g.get("objective"), *g.get("criteria", []), *g.get("next_criteria", []),
            *g.get("questions", []), *(a.get("topic", "") for a in g.get("agenda", [])),
            *(f"{r.get('seller')} as {r.get('role')} {r.get('does') or ''}"
              for r in g.get("roles", []))) if x]
        out = []
        for text in raw:
            text = self.own_words(text, what) or ""
            whole = trim_cut(text, limit) if text else None
            if text and whole is None:
                self.dropped.append(f"{what}: cut off mid-sentence: {text!r}")
            if text and whole and whole != text:
                self.dropped.append(f"{what}: cut off mid-sentence, kept its whole sentences")
            why = check_line(whole, turns=self.turns, plan=plan, sellers=g.get("team") or [],
                             moment=what != "lesson") if whole else None
            if whole and not why and what == "lesson" and recounts(
                    whole, g.get("team") or []):
                why = "tells what the seller did, not what to do next time"
            if whole and not why and what == "lesson" and not cites_call(
                    whole, turns=self.turns, sellers=g.get("team") or []):
                why = "names nothing the call said (no name, number or quote)"
            if why:
                self.dropped.append(f"{what}: {why}: {whole!r}")
            elif whole:
                out.append(whole)
        return out

    def stage(self, criteria: list[dict[str, Any]], objective: ObjectiveCheck,
              outcome: str | None = None) -> StageCheck:
        """The current stage's exit criteria as the narrow questions answered them
        (``assistant.reflect.criteria``), each quote checked against the transcript; the
        stage after the call follows from them and never goes against the objective."""
        g = self.g
        before = g["stage"]
        checks: list[CriterionCheck] = []
        for k, text in enumerate(g["criteria"]):
            raw = next((c for c in criteria if c.get("index") == k), None)
            check = CriterionCheck(stage=before, index=k, text=text)
            if raw is not None and raw.get("decided_by") == "plan" and raw.get("quote"):
                # the notes before the call showed it met: a note's sentence, not the call's
                check = CriterionCheck.model_validate(raw)
            elif raw is not None and raw.get("status") in ("met", "not_met"):
                q = self.quote((raw.get("quote") or {}).get("text"), f"exit criterion {k + 1}")
                if q is not None:
                    check.status, check.quote = raw["status"], q
                    check.decided_by = raw.get("decided_by") or "model"
            checks.append(check)
        after, reason = stage_after(before, g["stages"], checks)
        after, reason = self._follow_objective(objective, before, after, reason, checks)
        if after != before:
            status = "moved"
        elif all(c.status == "unknown" for c in checks):
            status = "unknown"  # the call said nothing on any exit criterion
        else:
            status = "unchanged"
        closes = closing_stage_of(list(g["stages"]), outcome) if outcome else None
        return StageCheck(before=before, after=after, status=status,  # type: ignore[arg-type]
                          reason=reason, criteria=checks,
                          closes=closes if closes != before else None)

    def _follow_objective(self, objective: ObjectiveCheck, before: str, after: str,
                          reason: str, checks: list[CriterionCheck]) -> tuple[str, str]:
        """A stage moves on exit criteria shown in the transcript (above), never against
        the objective: when the customer declined or postponed the advance, or the notes say
        nothing about it, the call moves nothing, unless the notes before the call had
        already shown every criterion it needs met (``criteria.follow_objective``)."""
        kept, why = follow_objective(before, self.g["stages"], checks, after, objective.status)
        if why is None:
            return after, reason
        self.dropped.append(f"stage: {after} proposed, but the objective was "
                            f"{objective.status}")
        return kept, f"the objective was {objective.status}: {objective.reason}"

    # ---- facts ------------------------------------------------------------------------

    def stakeholders(self, draft: dict[str, Any] | None,
                     code: list[dict[str, Any]]) -> list[Stakeholder]:
        ours = self.g["team"]
        known: dict[str, str] = self.g["buyers_known"]
        out: list[Stakeholder] = []

        def title_ok(name: str, title: str) -> str | None:
            """The title when the text says it of this person, or the KB gives it."""
            if not title:
                return None
            for full, kb_title in known.items():
                if _same_person(full, name) and kb_title and norm(kb_title) == norm(title):
                    return kb_title
            first = name.split()[0]
            for turn in self.turns:
                for s in sentences(turn["text"]):
                    if self.finder.mentions_in(title, s) and self.finder.mentions_in(first, s):
                        return title
            return None

        for s in (draft or {}).get("stakeholders") or []:
            name = " ".join(str(s.get("name") or "").split())
            if not name:
                continue
            if any(_same_person(name, p) for p in ours):
                self.dropped.append(f"stakeholder {name!r} is on our side")
                continue
            if not self.finder.mentions(name):
                self.dropped.append(f"stakeholder {name!r} is not named in the transcript")
                continue
            q = self.quote(s.get("quote"), f"stakeholder {name}")
            title = title_ok(name, str(s.get("title") or ""))
            if s.get("title") and title is None:
                self.dropped.append(f"stakeholder {name}: title {s['title']!r} not in the text")
            stance: Any = s.get("stance", "unknown") if q is not None else "unknown"
            out.append(Stakeholder(id="", name=name, title=title, stance=stance,
                                   status="known", quote=q))
        for c in code:
            match = next((x for x in out if _same_person(x.name, c["name"])), None)
            if match is not None:
                if len(c["name"]) > len(match.name):
                    match.name = c["name"]
                match.title = match.title or c.get("title")
                if match.stance == "unknown" and c.get("stance", "unknown") != "unknown":
                    match.stance = c["stance"]  # their own words show it
                    match.quote = self.finder.exact(c["quote"], c["turn"]) or match.quote
                match.quote = match.quote or self.finder.exact(c["quote"], c["turn"])
                continue
            quote = self.finder.exact(c["quote"], c["turn"])
            out.append(Stakeholder(id="", name=c["name"], title=c.get("title"),
                                   stance=c.get("stance", "unknown") if quote else "unknown",
                                   status="known", quote=quote))
        for k, s in enumerate(out[:5], start=1):
            s.id = f"s{k}"
        return out[:5]

    def facts(self, draft: dict[str, Any] | None, code: list[dict[str, Any]]) -> list[Fact]:
        """The model's facts, each checked against its quote, then code's per field
        (verbatim sentences with their numbers and names, ``assistant.reflect.fields``;
        known when the customer said them). One sentence is filed under one field: a code
        fact on a sentence already filed under another field is left out, but for the date
        alone under timeline ("approved $65k for the pilot in Q2" says when, too) and for who
        signs, which is the economic buyer and the decision process at once ("Our COO, Maria
        Chen, signs anything above $100k"). On the same field the two are one fact
        (:meth:`_merge`): one value, one status, the quote once."""
        out = self._model_facts(draft)
        rivals = self.g.get("competitors") or []
        for c in code:
            prior = next((f for f in out if f.quote.turn == c["turn"]
                          and _shares_sentence(f.quote.text, c["quote"])), None)
            if prior is not None and prior.field != c["field"] and not (
                    _bare_date(c) or {prior.field, c["field"]} == _WHO_SIGNS):
                continue  # one sentence, one field: the first filed keeps it
            same = next((f for f in out if f.field == c["field"] and f.quote.turn == c["turn"]
                         and (norm(f.quote.text) in norm(c["quote"])
                              or norm(c["quote"]) in norm(f.quote.text)
                              or _shares_sentence(f.quote.text, c["quote"]))), None)
            if same is not None:
                self._merge(same, c, code)
                continue
            if any(norm(c["value"]) in norm(f.value) for f in out
                   if f.source == "code" and f.field == c["field"]):
                continue  # "$40k" after "Our budget for this is $40k.": nothing new
            if echoes_quarantined(c["quote"], self.grams):
                self.dropped.append(f"fact {c['field']}: repeats text addressed to an AI")
                continue
            if misfiled(c["field"], str(c["value"]), c["quote"], rivals=rivals,
                        before=_before(self._turn(c["turn"]), c["quote"])):
                continue  # a cost as budget, a timeline with no time (``fields.misfiled``)
            status: Known = "known" if c.get("said_by_customer") else "inferred"
            out.append(Fact(id="", field=c["field"], value=c["value"], status=status,
                            quote=self.finder.exact(c["quote"], c["turn"]), source="code"))
        out = out[:MAX_FACTS]
        for k, f in enumerate(out, start=1):
            f.id = f"f{k}"
        return out

    def _turn(self, turn_id: str | None) -> dict[str, Any] | None:
        return next((t for t in self.turns if t["id"] == turn_id), None)

    def _merge(self, f: Fact, c: dict[str, Any], code: list[dict[str, Any]]) -> None:
        """The model's fact and code's on the same sentence and field are one fact. The
        model's value stays when it keeps the numbers and names of code's (a date that code
        files under timeline from the same sentence is shown there: "$65k for the pilot" for
        "The board approved $65k for the pilot in Q2."); otherwise code's verbatim value and
        its sentence replace it when they hold all the model's value held. The status follows
        who said it: the customer's own words are known, our recap or our proposal they
        agreed to inferred (code's reading where it says, else the quote's speaker)."""
        elsewhere: set[str] = set()
        for o in code:
            if o is not c and o["field"] != c["field"] and o["turn"] == c["turn"] and (
                    _shares_sentence(o["quote"], c["quote"]) or norm(o["quote"]) in norm(
                        c["quote"])):
                elsewhere |= _specific_tokens(str(o["value"]))
        mine, theirs = _tokens(f.value), _tokens(str(c["value"]), sentence=True)
        if theirs - mine - elsewhere and mine <= theirs:
            self.dropped.append(f"fact {c['field']}: the model's {f.value!r} and code's sentence "
                                "are one fact; code's keeps its numbers and names")
            f.value, f.source = str(c["value"]), "code"
            f.quote = self.finder.exact(c["quote"], c["turn"])
        if "said_by_customer" in c:
            f.status = "known" if c["said_by_customer"] else "inferred"
        elif f.quote.speaker:
            ours = {s.casefold() for s in self.g.get("team") or []}
            f.status = "inferred" if is_ours(f.quote.speaker, ours) else "known"

    def _model_facts(self, draft: dict[str, Any] | None) -> list[Fact]:
        out: list[Fact] = []
        for f in (draft or {}).get("facts") or []:
            field = f.get("field")
            value = " ".join(str(f.get("value") or "").split())
            if field not in FIELDS or not value or value.casefold() == "unknown":
                continue
            q = self.quote(f.get("quote"), f"fact {field}")
            if q is None:
                continue
            q, before = self._narrow(q, value)
            if field == "budget" and (rival := rival_of(q.text, before, self.g.get(
                    "competitors") or [])):
                self.dropped.append(f"fact budget: {value!r} is {rival}'s price, filed under "
                                    "competitors")
                field, value = "competitors", (q.text if mentions(rival, q.text)
                                               else f"{rival}: {q.text}")
            rivals = self.g.get("competitors") or []
            misfit = misfiled(field, value, q.text, rivals=rivals, before=before)
            if misfit and misfit.endswith("a competitors fact"):
                self.dropped.append(f"fact {field}: {value!r} is {misfit}, filed there")
                field, value, misfit = "competitors", q.text, None
            if misfit:
                self.dropped.append(f"fact {field}: {value!r} is {misfit}")
                continue
            if field in ("economic_buyer", "champion") and (who := self._not_a_person(value)):
                self.dropped.append(f"fact {field}: {value!r} is {who}")
                continue
            if field == "champion" and _signer_line(value, q.text):
                self.dropped.append(f"fact champion: {value!r} signs or decides in the quote: "
                                    "filed as the economic buyer")
                field = "economic_buyer"
            if self._our_promise(q):
                self.dropped.append(f"fact {field}: {value!r} is our own promise or proposal: "
                                    "a next step, not what the customer said")
                continue
            if self._our_words(q):
                self.dropped.append(f"fact {field}: {value!r} is our seller's line (an agenda "
                                    "or a question), not what the customer said")
                continue
            if field == "metrics" and not (QUANTITY.search(value) or QUANTITY.search(q.text)):
                self.dropped.append(f"fact metrics: {value!r} names no measurable quantity")
                continue
            if any(_shares_sentence(o.quote.text, q.text) for o in out):
                self.dropped.append(f"fact {field}: its sentence is already filed")
                continue
            status = f.get("status", "inferred")
            missing = _digits(value) - _digits(q.text)
            if missing:
                found = (MONEY if field == "budget" else DATE).search(q.text) \
                    if field in ("budget", "timeline") else None
                if found is None:
                    self.dropped.append(f"fact {field}: {value!r} has numbers the quote lacks")
                    continue
                self.dropped.append(f"fact {field}: value {value!r} replaced by the quote's "
                                    f"{found.group(0)!r}")
                value = found.group(0)
            if not set(content_words(value)) & set(content_words(q.text)):
                self.dropped.append(f"fact {field}: the quote does not show {value!r}")
                continue
            if echoes_quarantined(value, self.grams):
                self.dropped.append(f"fact {field}: repeats text addressed to an AI")
                continue
            why = check_answer(value, evidence=self.evidence, known=self.known)
            if why:
                self.dropped.append(f"fact {field}: does not stand on the transcript: "
                                    + "; ".join(why))
                continue
            out.append(Fact(id="", field=field, value=value, status=status, quote=q))
        return out

    def _not_a_person(self, value: str) -> str | None:
        """Why a buyer or champion value is no person on their side (``fields.not_a_person``):
        the people are the customer's speakers, the buyers the plan knows and the people the
        call names with a title."""
        ours = [str(s) for s in self.g.get("team") or []]
        lowered = {s.casefold() for s in ours}
        people = [str(t["speaker"]) for t in self.turns
                  if t.get("speaker") and not is_ours(str(t["speaker"]), lowered)]
        people += [str(n) for n in self.g.get("buyers_known") or {}]
        people += [n for t in self.turns for n, _ in named_people(str(t["text"]))]
        people += called_by_name(self.turns)
        return not_a_person(value, people=people, ours=ours,
                            rivals=[str(c) for c in self.g.get("competitors") or []],
                            companies=[str(self.g.get("account_name") or "")])

    def _our_promise(self, q: Quote) -> bool:
        """The quote is our seller's promise or proposal the customer did not make theirs
        (``fields.own_promise``)."""
        k = next((i for i, t in enumerate(self.turns) if t["id"] == q.turn), None)
        ours = {s.casefold() for s in self.g.get("team") or []}
        return k is not None and own_promise(q.text, self.turns, k, ours)

    def _our_words(self, q: Quote) -> bool:
        """The quote is our seller's line that gives no customer fact: neither a recap of
        their figure or date nor the answer opening our turn to what they just asked
        (``fields.seller_fact``)."""
        k = next((i for i, t in enumerate(self.turns) if t["id"] == q.turn), None)
        ours = {s.casefold() for s in self.g.get("team") or []}
        if k is None or not is_ours(self.turns[k].get("speaker"), ours):
            return False
        said = sentences(" ".join(str(self.turns[k]["text"]).split()))
        first = bool(said) and norm(said[0]) == norm(q.text)
        return not seller_fact(q.text, self.turns, k, ours, first=first)

    def _narrow(self, q: Quote, value: str) -> tuple[Quote, str]:
        """The one sentence of a multi-sentence quote that carries the value (most of its
        numbers, names and words), and the sentence before it in the turn."""
        turn = next((t for t in self.turns if t["id"] == q.turn), None)
        said = sentences(" ".join(q.text.split()))
        if turn is None or len(said) < 2:
            return q, _before(turn, q.text)
        want, words = _specific_tokens(value), set(content_words(value))
        best = max(said, key=lambda s: (len(want & _specific_tokens(s)),
                                        len(words & set(content_words(s)))))
        return q.model_copy(update={"text": best}), _before(turn, best)

    def next_steps(self, code: list[dict[str, Any]]) -> list[NextStep]:
        """Commitments code read off the text ("I'll send the outline by Friday")."""
        out = [NextStep(id=f"n{k}", action=c["action"], owner=c["owner"], due=c["due"],
                        quote=self.finder.exact(c["quote"], c["turn"]))
               for k, c in enumerate(code[:4], start=1)]
        return out

    def figures(self, code: list[dict[str, Any]]) -> list[DealFigure]:
        """The deal figures the call says, each with its sentence."""
        return [DealFigure(id=f"d{k}", name=c["name"], value=c["value"],
                           quote=self.finder.exact(c["quote"], c["turn"]))
                for k, c in enumerate(code, start=1)]

    def outcome_evidence(self, outcome: str | None, figures: list[DealFigure],
                         objective: ObjectiveCheck) -> list[tuple[dict[str, Any], Quote]]:
        """ICP evidence the closed deal makes of the account's values, with the sentence
        that shows why: the figure that made it painful or smooth, else the objective's,
        else the customer's last yes (a win) or last refusal or hedge (a loss, no decision)."""
        by_name = {f.name: f for f in figures}
        evidence = outcome_evidence(
            outcome, {f.name: f.value for f in figures}, values=self.g.get("values") or {},
            attributes=self.g["attributes"], usual_cycle=self.g.get("usual_cycle"),
            label=lambda a, v: (x.bucket_label(v) if (x := self.icp.find(a)) else None))
        out = []
        for e in evidence:
            shown = next((by_name[n] for n in ("delivery_friction", "cycle_days")
                          if n in by_name), None)
            quote = next((q for q in (shown.quote if shown else None, objective.quote)
                          if q is not None and committed(q.text)), None) or \
                self._closing(outcome)
            if quote is None:
                self.dropped.append(f"ICP {e['attribute']}: {e['why']}, but no committed "
                                    "sentence of the call shows it")
                continue
            out.append((e, quote))
        return out

    def _closing(self, outcome: str | None) -> Quote | None:
        """The customer's last words that show the outcome: a yes for a win, a refusal (or
        else a hedge) for a loss or no decision."""
        ours = {t.casefold() for t in self.g["team"]}
        said = [s for s in call_signals(self.turns, sellers=self.g["team"],
                                        people=list(self.g.get("buyers_known") or {}))
                if s.speaker and not is_ours(s.speaker, ours)]
        kinds = ("commit",) if outcome == "won" else ("decline",)  # a hedge is no evidence
        for kind in kinds:
            last = [s for s in said if s.kind == kind and committed(s.text)]
            if last:
                return self.finder.exact(last[-1].text, last[-1].turn)
        found = closing_sentence(self.turns, outcome, sellers=list(self.g["team"]))
        if found and committed(found[0]):
            return self.finder.exact(*found)
        # the rep recorded the outcome: the customer's last statement of the call stands for it
        for turn in reversed(self.turns):
            if not turn.get("speaker") or is_ours(str(turn["speaker"]), ours):
                continue
            lines = [x for x in sentences(turn["text"])
                     if not x.rstrip().endswith("?") and len(content_words(x)) >= 3]
            if lines:
                return self.finder.exact(lines[-1], turn["id"])
        return None

    def icp_evidence(self, draft: dict[str, Any] | None, code: list[dict[str, Any]],
                     closed: list[tuple[dict[str, Any], Quote]] | None = None,
                     outcome: str | None = None) -> list[IcpEvidence]:
        """The closed deal's evidence first, then values the call names, each against the
        ideal; a deal lost or left undecided is no evidence *for* a value it names."""
        out: list[IcpEvidence] = []
        seen: set[tuple[str, str]] = set()
        ideal = {a["name"]: a["ideal"] for a in self.g["attributes"]}

        def add(attribute: str, raw: str, signal: str | None, q: Quote,
                from_outcome: bool = False) -> None:
            attr = self.icp.find(attribute)
            if attr is None:
                self.dropped.append(f"ICP attribute {attribute!r} is not in icp.yaml")
                return
            raw = raw.strip()
            if attr.kind == "number" and not from_outcome:
                numbers = re.findall(r"\d[\d,]*(?:\.\d+)?", raw)
                if not numbers:
                    self.dropped.append(f"ICP {attribute}: {raw!r} is not a number")
                    return
                raw = numbers[0].replace(",", "")
                if raw not in _digits(q.text) and raw.split(".")[0] not in _digits(q.text):
                    self.dropped.append(f"ICP {attribute}: {raw} is not in the quote")
                    return
            elif attr.kind == "category" and not from_outcome:
                variants = {norm(raw), norm(raw.replace("-", " ")), norm(raw.replace(" ", "-"))}
                if not any(v and v in norm(q.text) for v in variants):
                    self.dropped.append(f"ICP {attribute}: {raw!r} is not in the quote")
                    return
                own = (self.g.get("account_values") or {}).get(attribute)
                if own and norm(raw) != norm(own) and norm(attr.bucket_label(raw) or raw) != \
                        norm(own):
                    self.dropped.append(f"ICP {attribute}: the account is {own}; {raw!r} in "
                                        "the call is about something else")
                    return
            if not from_outcome and (why := check_answer(raw, evidence=self.evidence,
                                                         known=self.known)):
                self.dropped.append(f"ICP {attribute}: does not stand on the transcript: "
                                    + "; ".join(why))
                return
            label = attr.bucket_label(raw)
            if label is None:
                self.dropped.append(f"ICP {attribute}: {raw!r} is not a valid value")
                return
            if (attribute, label) in seen:
                return
            wanted = ideal.get(attribute) or []
            if wanted and not from_outcome:
                signal = "supports" if label.casefold() in wanted else "against"
                if signal == "supports" and outcome in ("lost", "no-decision"):
                    self.dropped.append(f"ICP {attribute}: {label} fits the profile, but the "
                                        f"deal ended {outcome}: no evidence for it")
                    return
            if signal not in ("supports", "against"):
                self.dropped.append(f"ICP {attribute}: no ideal value and no signal")
                return
            seen.add((attribute, label))
            out.append(IcpEvidence(id="", attribute=attribute, value=label, raw=raw,
                                   signal=signal, quote=q))  # type: ignore[arg-type]

        for deal, shown in closed or []:  # the closed deal first: outcome and figures decide
            add(deal["attribute"], deal["raw"], deal["signal"], shown, from_outcome=True)
        for e in (draft or {}).get("icp") or []:
            q = self.quote(e.get("quote"), f"ICP {e.get('attribute')}")
            if q is not None:
                add(str(e.get("attribute") or ""), str(e.get("value") or ""), e.get("signal"),
                    q)
        for c in code:
            add(c["attribute"], c["raw"], None, self.finder.exact(c["quote"], c["turn"]))
        out = out[:MAX_ICP_ITEMS]
        for k, item in enumerate(out, start=1):
            item.id = f"i{k}"
        return out


def qualification(facts: list[Fact], stakeholders: list[Stakeholder]) -> list[
        QualificationStatus]:
    out = []
    for field in FIELDS:
        mine = [f for f in facts if f.field == field]
        extra: list[str] = []
        if field == "champion":
            extra = [s.id for s in stakeholders if s.stance == "champion"]
        if any(f.status == "known" for f in mine) or extra:
            status = "known"
        elif mine:
            status = "inferred"
        else:
            status = "unknown"
        out.append(QualificationStatus(field=field, status=status,  # type: ignore[arg-type]
                                       facts=[f.id for f in mine] + extra))
    return out


def build_reflection(
    *, run_id: str, gathered: dict[str, Any], turns: list[dict[str, Any]],
    facts_draft: dict[str, Any] | None, assess_draft: dict[str, Any] | None,
    code: dict[str, Any], grams: set[tuple[str, ...]], icp: Icp, author: str,
    transcript: dict[str, Any], created_at: str, provenance: ReflectionProvenance,
    criteria: list[dict[str, Any]] | None = None, outcome: str | None = None,
) -> Reflection:
    b = Builder(gathered=gathered, turns=turns, grams=grams, icp=icp)
    meeting_date = dt.date.fromisoformat(gathered["meeting_date"])
    objective = b.objective(assess_draft, outcome)
    agenda, questions, roles = b.items(assess_draft, code["items"])
    worked, didnt, lesson = b.learning(assess_draft)
    stage = b.stage(criteria or [], objective, outcome)
    stakeholders = b.stakeholders(facts_draft, code["stakeholders"])
    facts = b.facts(facts_draft, code["facts"])
    next_steps = b.next_steps(code["next_steps"])
    figures = b.figures(code.get("figures") or [])
    c = _Containment(gathered.get("team") or [], turns,
                     tuple(gathered.get("competitors") or []), outcome=outcome,
                     raw=[{**t, "id": f"t{i}"} for i, t in
                          enumerate(transcript.get("turns") or [], start=1)])
    stakeholders = c.keep(stakeholders, lambda s: f"stakeholder {s.name}")
    facts = c.keep(facts, lambda f: f"{FIELD_LABELS.get(f.field, f.field)} (fact)")
    next_steps = c.keep(next_steps, lambda n: "next step")
    figures = c.keep(figures, lambda d: f"deal figure ({d.name.replace('_', ' ')})")
    stage = c.criteria(stage)
    questions = answered_by_criteria(questions, stage)
    objective, (worked, didnt, lesson_lines) = c.objective(
        objective, [list(worked), list(didnt), [lesson] if isinstance(lesson, str) else []])
    if isinstance(lesson, str) and lesson_lines:
        lesson = lesson_lines[0]
    icp_evidence = b.icp_evidence(facts_draft, code["icp"],
                                  b.outcome_evidence(outcome, figures, objective), outcome)
    icp_evidence = c.keep(icp_evidence, lambda e: f"ICP evidence ({e.attribute})")
    provenance = provenance.model_copy(
        update={"dropped": provenance.dropped + [b.withhold(d) for d in b.dropped]})
    speakers = list(dict.fromkeys(str(t["speaker"]) for t in turns if t.get("speaker")))
    return Reflection(
        run_id=run_id, account=gathered["account"], account_name=gathered["account_name"],
        plan_id=gathered.get("plan_id"), plan_version=gathered.get("plan_version"),
        meeting_kind=gathered["meeting_kind"], meeting_date=meeting_date, author=author,
        source=str(transcript.get("source") or ""),
        transcript_format=str(transcript.get("format") or "txt"), speakers=speakers,
        created_at=created_at, objective=objective, agenda=agenda, questions=questions,
        roles=roles, worked=worked, didnt=didnt, lesson=lesson, stakeholders=stakeholders,
        facts=facts, qualification=qualification(facts, stakeholders), stage=stage,
        next_steps=next_steps, icp_evidence=icp_evidence, provenance=provenance,
        outcome=outcome, figures=figures,  # type: ignore[arg-type]
        claimed=c.claimed,
    )


def answered_by_criteria(questions: list[ItemCheck], stage: StageCheck) -> list[ItemCheck]:
    """A planned question still unknown that asks what an exit criterion states is answered
    when the call met that criterion: "Can you tell us who writes the cheque, by name?" came
    from "We know who writes the cheque, by name", and "It stops with me." met it, however the
    rep worded the question on the call. Half the question's stems or more, and two at least,
    must be the criterion's; a criterion the notes had already met (``decided_by`` plan) quotes
    a note, not the call, and answers nothing here."""
    met = [(c, stems(c.text)) for c in stage.criteria
           if c.status == "met" and c.quote is not None and c.decided_by in ("code", "model")]
    out = []
    for q in questions:
        want = stems(q.text)
        hit = next((c for c, have in met if q.status == "unknown" and len(want) >= 2
                    and len(want & have) >= max(2, 0.5 * len(want))), None)
        out.append(q.model_copy(update={"status": "done", "quote": hit.quote}) if hit else q)
    return out


_FIGURE = re.compile(r"\d[\d,.]*\d")
_NAME = re.compile(r"(?<=\w )[A-Z][\w-]+")  # a capitalised word inside a sentence


def _repeated(claim: str, ours: str) -> bool:
    """Our seller's sentence ``ours`` (itself a deal state) says what ``claim`` says: the
    same figure, the same name, or three of its content words ("Avery Cole: So the pilot is
    confirmed for the 1,150 vehicles" after a customer's "the pilot is confirmed for all
    1,150 vehicles")."""
    if set(_FIGURE.findall(claim)) & set(_FIGURE.findall(ours)):
        return True
    names = set(_NAME.findall(claim)) & set(_NAME.findall(ours))
    words = set(content_words(claim)) & set(content_words(ours))
    return bool(names) and len(words) >= 2 or len(words) >= 3


# a rival's deal just before a figure: "I signed with Tenderloop on Friday.", "what did
# they offer?", "they quoted us"
_RIVAL_CONTEXT = re.compile(r"\b(?:signed|went|gone|going|renewed|stay(?:ing)?) with "
                            r"(?-i:[A-Z])|\bsigned (?-i:[A-Z])\w+['’]s\b|\bwhat (?:did |have |"
                            r"had )?they (?:offer|quote|charge|come in)|\bthey (?:offered|quoted|"
                            r"came in)\b", re.IGNORECASE)


# the kinds of ``containment.settles`` that the outcome our rep recorded confirms
CONFIRMED_BY_OUTCOME: dict[str, tuple[str, ...]] = {"won": (SIGNED, WON), "lost": (RIVAL_CHOSEN,)}
# a contract renewed is the incumbent's: in a deal our rep recorded as lost, "we signed the
# renewal on the second, two years" is the rival chosen, told; "Priya signed the order form"
# is not
_RENEWED = re.compile(r"\b(?:renew\w*|extension|extended|re-?signed)\b", re.IGNORECASE)


class _Containment:
    """Conclusions that rest only on a customer's turn stating a changed or settled deal
    state (``containment.settles``: a contract signed, a price agreed, a step dropped, a
    signer changed, ...) or a term of our deal (``containment.commercial``: a price, a
    discount or a term with its figure, a changed budget, a signer or contact nobody on the
    call is, bank details) become claims to confirm (``Reflection.claimed``): not a known fact,
    a stakeholder, a next step, a deal figure, ICP evidence or a met criterion. A customer's
    own yes ("the board approved $65k for the pilot", "Tuesday works") is not such a turn,
    nor a claim the outcome our rep recorded confirms (``CONFIRMED_BY_OUTCOME``: a deal the
    rep recorded as won was signed; one recorded as lost went to someone), nor one our own
    seller repeats or confirms on the call (a seller's sentence that states a deal state
    too and shares its figure, a name, or three content words: ``_repeated``)."""

    def __init__(self, team: list[str], turns: list[dict[str, Any]] | None = None,
                 rivals: tuple[str, ...] = (), *, outcome: str | None = None,
                 raw: list[dict[str, Any]] | None = None) -> None:
        self.team = {t.casefold() for t in team}
        self.rivals = rivals
        self.confirmed = CONFIRMED_BY_OUTCOME.get(outcome or "", ())
        self.claimed: list[Claimed] = []
        # who says each turn: a line without a speaker label, after labelled ones, goes on
        # the turn before it (a pasted message inside a customer's turn is theirs); before
        # any label (a rep's own notes, no speakers at all) it is nobody's claim
        self.speakers: dict[str, str | None] = {}
        last: str | None = None
        for t in turns or []:
            last = t.get("speaker") or last
            self.speakers[str(t.get("id"))] = last
        # what our sellers said that states a deal state: it confirms a customer's claim
        self.ours = [s for t in turns or [] if str(t.get("speaker") or "").casefold() in self.team
                     for s in sentences(str(t.get("text") or "")) if claim_of(s, rivals)]
        # the prices and percentages our sellers said on the call: a customer's yes to a
        # figure of ours ("Yes to $1,250 a site") is the agreement the call was for
        self.our_figures = our_figures([str(t.get("text") or "") for t in turns or []
                                        if str(t.get("speaker") or "").casefold() in self.team],
                                       money_only=True)
        # each turn's text and the one before it: a figure answering "what did they offer?"
        # or following "I signed with <rival>" is the rival's, not a term of ours
        ids = [str(t.get("id")) for t in turns or []]
        texts = [str(t.get("text") or "") for t in turns or []]
        self.context = {i: (texts[k - 1] if k else "") + "\n" + texts[k]
                        for k, i in enumerate(ids)}
        # the call's people: a signing or contact role given to anyone else is a claim
        self.known = tuple(dict.fromkeys([*team, *(str(t.get("speaker")) for t in turns or []
                                                   if t.get("speaker"))]))
        # the turns that carry a pasted document (a certificate, a card, a memo, a post): its
        # statements are a third party's, and a settled state there needs no deal topic. A
        # document runs on over the lines without a speaker label after its turn (a record's
        # header line ends the speaker's line; its fields follow on their own lines)
        # ``raw``: the transcript's turns as read, numbered like ``turns`` (t1, t2, ...), before
        # the scan took its sentences out: a record's header or stamp the scan removed still
        # shows that the turn carries a pasted record
        runs: list[list[dict[str, Any]]] = []
        for t in raw if raw is not None else turns or []:
            if t.get("speaker") or not runs:
                runs.append([])
            runs[-1].append(t)
        # (a transcript's reader joins those lines into the turn: a record's field or stamp
        # in a turn, "Executed on behalf of Acme by ...", shows the record pasted there too)
        self.documents = {str(t.get("id")) for run in runs for t in run
                          if document("\n".join(str(x.get("text") or "") for x in run))
                          or any(field_state(s) for s in sentences(str(t.get("text") or "")))}

    def held(self, quote: Quote | None, what: str) -> bool:
        if quote is None:
            return False
        who = quote.speaker or self.speakers.get(str(quote.turn))
        if not who or who.casefold() in self.team:
            return False
        why = claim_of(quote.text, self.rivals, known=self.known,
                       in_document=str(quote.turn) in self.documents or document(quote.text))
        if why is not None and _RIVAL_CONTEXT.search(
                self.context.get(str(quote.turn), "").split(quote.text)[0]) \
                and commercial(quote.text, self.known) == why:
            return False  # a rival's figure, said after its deal or as the answer about it
        if why is not None and WON in self.confirmed \
                and commercial(quote.text, self.known) == why:
            return False  # a deal our rep recorded as won: its terms said on the call stand
        if why is None or self.confirmed and states(quote.text, self.confirmed):
            return False
        if RIVAL_CHOSEN in self.confirmed and _RENEWED.search(quote.text):
            return False  # the incumbent's renewal (its signature, its term) in a deal we lost
        figures = priced(fold(quote.text))
        if ours_only(quote.text, self.our_figures, money_only=True):
            return False  # every price or percentage in it is one our seller said on the call
        if any(_repeated(quote.text, s) and (not figures or rival_named(s, "", self.rivals))
               for s in self.ours):
            return False  # our seller says the same; a price only as a rival's ("Could I note
            # the reason: Yieldpoint's 20% renewal discount?"), else it must be ours (above)
        if not any(x.text == quote.text and x.what == what for x in self.claimed):
            self.claimed.append(Claimed(what=what, text=quote.text, speaker=who,
                                        turn=quote.turn, why=why))
        return True

    def _parts(self, quote: Quote) -> tuple[list[str], list[str]]:
        """The sentences of a quote (cut as a reader cuts them: "Yes, Tuesday works. /notes
        set primary_contact=..." is two) that are claims, and those that are not."""
        held: list[str] = []
        kept: list[str] = []
        for a, b in injection_sentences(quote.text):
            part = quote.text[a:b].strip()
            one = quote.model_copy(update={"text": part})
            (held if self.held(one, "the objective's evidence") else kept).append(part)
        return held, kept

    def _claim_parts(self) -> list[str]:
        """The sentences of the claims held so far that state a claim themselves."""
        out: list[str] = []
        for x in self.claimed:
            for a, b in injection_sentences(x.text):
                part = x.text[a:b].strip()
                if part and claim_of(part, self.rivals, known=self.known) is not None:
                    out.append(part)
        return out

    def objective(self, check: ObjectiveCheck, lines: list[list[str]]
                  ) -> tuple[ObjectiveCheck, list[list[str]]]:
        """The objective's verdict and the learning lines (what worked, what didn't, the
        lesson) without a customer's claim in the quote they rest on: the claim's sentences
        are cut from the quote and from the lines that repeat it; a verdict with nothing
        left to rest on is unknown."""
        held, kept = self._parts(check.quote) if check.quote is not None else ([], [])
        # and the claims already held elsewhere (a fact's quote): a learning line composed
        # from the same turn does not repeat them
        cuts = list(dict.fromkeys([*held, *self._claim_parts()]))

        def cut(text: str) -> str:
            for h in cuts:
                text = text.replace(h, "").replace("  ", " ")
            return text.strip()

        lines = [[cut(x) for x in group] for group in lines]
        if check.quote is None or not held:
            return check, lines
        if not kept:
            return check.model_copy(update={
                "status": "unknown", "quote": None,
                "reason": "the only evidence is a customer's claim, to confirm on the call"}), lines
        return check.model_copy(update={"quote": check.quote.model_copy(
            update={"text": " ".join(kept)}), "reason": cut(check.reason)}), lines

    def keep(self, items: list[Any], what: Any) -> list[Any]:
        return [x for x in items if not self.held(x.quote, what(x))]

    def criteria(self, stage: StageCheck) -> StageCheck:
        rows, demoted = [], False
        for c in stage.criteria:
            if c.status == "met" and self.held(c.quote, f"exit criterion met: {c.text}"):
                c = c.model_copy(update={"status": "unknown", "quote": None})
                demoted = True
            rows.append(c)
        update: dict[str, Any] = {"criteria": rows}
        if demoted and stage.status == "moved" and not stage.closes:
            update |= {"after": stage.before, "status": "unchanged",
                       "reason": f"{stage.reason}; an exit criterion rests only on a "
                                 "customer's claim, to confirm on the call".lstrip("; ")}
        return stage.model_copy(update=update)
