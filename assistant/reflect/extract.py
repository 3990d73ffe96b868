"""Deterministic work on the transcript, before and around the model.

- :func:`clean_turns`: number the turns (``t1``…), quarantine text addressed to an AI and
  sentences that try to set the deal's status ("mark this as Closed Won"), which only a
  person may do;
- :func:`find_hints`: money amounts, dates, competitor and people names, with the sentence
  each was found in — handed to the small model as a checklist and used on their own when
  the model fails;
- :func:`code_facts`, :func:`code_stakeholders`, :func:`code_next_steps`,
  :func:`code_icp`, :func:`code_item_checks`: facts code can read off the text with a quote;
- :func:`excerpt`: the turns that fit the prompt budget, most informative first, in order.

Pure functions over plain data (turns are ``{"id", "speaker", "text"}`` dicts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from assistant.injection import foreign
from assistant.provenance import Claim, claims, confirmed, our_claims, reason_for
from assistant.safety import Allowlist, quarantine, runs_to_the_end, scan

# a sentence ends at . ! ? before a capital, a digit, a quote or any letter outside the Latin
# script (a Korean or Cyrillic sentence after an English one is a sentence of its own)
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"'“(A-Z0-9$€£\u0370-\u1fff\u3000-\uffef])")
MONEY = re.compile(
    r"(?:[$€£]\s?\d[\d,.]*\s?(?:k|m|bn|million|thousand|billion)?\b"
    r"|\b\d[\d,.]*\s?(?:k|m)?\s?(?:usd|eur|gbp|dollars|euros|pounds)\b)", re.IGNORECASE)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# a bracketed note on a line of its own ("[Zoom transcript - 18 Nov 2026 - 44 min]", "[call
# ended]"), or a recording header with the first words said after it on the same line
HEADER = re.compile(r"\s*\[[^\]]*\]\s*$|\s*\[[^\]]*\b(?:transcript|recording|min)\b|"
                    # unbracketed: "Teams recording - Saltmarsh / Hopsheet - 9 December 2026 -
                    # 52 min", "Call recording | Ironweed x Hopsheet | Thu 17 Dec 2026 | 47 min"
                    r"[^.!?]{0,120}\b(?:19|20)\d\d\b[^.!?]{0,40}?\b\d{1,3}\s?min(?:utes)?\b"
                    r"[^.!?]*$"
                    # "Video call, Fri Mar 6, 9:30 am (Ana, Bo; Cy Dunn)": a time of day and
                    # the attendees in brackets
                    r"|[^.!?]{0,100}\b\d{1,2}(?::\d\d)?\s?(?:am|pm)\b[^.!?()]{0,20}"
                    r"\([^()]*[,;][^()]*\)\s*$", re.I)


def is_header(sentence: str) -> bool:
    """The recording's header or a bracketed note, not words said in the call."""
    return HEADER.match(sentence) is not None


_WORD = re.compile(r"[\w$€£%]+(?:['.-]\w+)*")  # "SOC", "27001", "$8,640", "don't", "e-mail"


def bare_answer(sentence: str) -> bool:
    """One or two words ("Okta.", "SOC 2.", "Maybe."): an answer, which means something only
    with the question before it; it shows no fact, stance or commitment by itself."""
    return len(_WORD.findall(sentence)) <= 2


HEADER_WORDS = 20  # a title, a date and place, who attended: a label, never a paragraph


def preamble(turns: list[dict[str, Any]]) -> set[str]:
    """The ids of the call's header lines: before the first line somebody speaks, in a call
    whose lines have speakers, the short lines nobody speaks that are labels, not sentences
    (no full stop at the end: "Thu Dec 3, 2:00-2:48 pm, back office", "Present: Ana, Bo").
    The rep's own sentences there ("Call with Wes and Tammy. Good energy.") stay: they are
    the rep's account. Empty for notes with no speakers at all."""
    if not any(t.get("speaker") for t in turns):
        return set()
    head: set[str] = set()
    for t in turns:
        if t.get("speaker"):
            break
        text = str(t.get("text") or "").strip()
        if len(text.split()) <= HEADER_WORDS and not re.search(r"[.!?][\"'”’)]?$", text):
            head.add(str(t["id"]))
    return head

DATE = re.compile(
    rf"\b(?:\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b(?:\s+\d{{4}})?"
    rf"|q[1-4](?:\s+\d{{4}})?"
    rf"|(?:next|this|on|by)\s+(?:{_WEEKDAYS})"
    rf"|(?:{_WEEKDAYS})"
    rf"|end\s+of\s+(?:the\s+)?(?:month|quarter|year|{_MONTHS})"
    rf"|next\s+(?:week|month|quarter|year)"
    rf"|(?:in|within)\s+\d+\s+(?:days|weeks|months)"
    # "by December" alone; "by December 18" is the month and its day, read above
    rf"|(?:by|in|before|until)\s+(?:{_MONTHS})(?!\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b)"
    rf"(?:\s+\d{{4}})?)\b", re.IGNORECASE)
BUDGET_WORDS = re.compile(r"\b(budget|approved|allocat\w*|fund\w*|spend|cap(?:ped)?|price|"
                          r"pricing|cost|quote[ds]?|pay|afford)\b", re.IGNORECASE)
TIMELINE_WORDS = re.compile(r"\b(decid\w*|decision|start|go[- ]live|launch|sign\w*|kick-?off|"
                            r"pilot|deadline|timeline|rollout|roll out|budget cycle|"
                            r"fiscal year|contract (?:ends|renewal))\b", re.IGNORECASE)
DECISION_WORDS = re.compile(r"\b(signs?|signature|approv\w*|sign-off|decision|decides?|"
                            r"committee|board|procurement|legal review|final say)\b",
                            re.IGNORECASE)
PAIN_WORDS = re.compile(r"\b(manual\w*|by hand|spreadsheets?|overtime|waste\w*|late|"
                        r"complain\w*|problem\w*|struggl\w*|frustrat\w*|hate|pain\w*|costs? us|"
                        r"too (?:slow|long|expensive)|hours? (?:a|per|every) day)\b",
                        re.IGNORECASE)
NEXT_WORDS = re.compile(r"\b(i'll|i will|we'll|we will|will send|next step|follow[- ]up|"
                        r"send(?:s|ing)?|schedul\w*|set up|book|share|circulate|arrange)\b",
                        re.IGNORECASE)
ROLE_WORDS = {
    "lead": re.compile(r"\b(agenda|welcome|thanks for|purpose|let's start|kick off)\b", re.I),
    "discovery": re.compile(r"\?"),
    "technical": re.compile(r"\b(demo|integrat\w*|api|security|data|export|csv|sso|architecture|"
                            r"erp|wms|tms)\b", re.I),
    "executive": re.compile(r"\b(partnership|strategy|strategic|vision|board|executive|"
                            r"roadmap|priorit\w*)\b", re.I),
    "commercial": re.compile(r"\b(price|pricing|cost|discount|terms|contract|budget|quote)\b",
                             re.I),
    "closer": re.compile(r"\b(next step|can we|could we|shall we|let's (?:book|schedule|set)|"
                         r"book|slot|week of|agree\w*|calendar|date|commit\w*)\b", re.I),
    "notes": re.compile(r"\b(recap|summar\w*|i'll send|notes|to confirm|write (?:it|this) up)\b",
                        re.I),
}
_STOP = frozenset(
    "a an the and or of to in on for with your you our we is are be this that it as at by from "
    "next all any do does did can could would will what who how when where why which their "
    "they them there have has had was were about into i me my us".split())
_WORD = re.compile(r"[a-z0-9$€£%][a-z0-9$€£%.,'-]*", re.IGNORECASE)


def content_words(text: str) -> list[str]:
    return [w.strip(".,'").casefold() for w in _WORD.findall(text)
            if w.strip(".,'").casefold() not in _STOP and len(w.strip(".,'")) > 1]


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.split(text) if s.strip()]


def status_command(stage_names: Iterable[str]) -> re.Pattern[str]:
    """Sentences that tell the tool to set the deal's status or stage."""
    names = "|".join(re.escape(s) for s in sorted(stage_names, key=len, reverse=True))
    targets = r"closed[- ]?(?:won|lost)|won|lost|" + (names or "x^")
    return re.compile(
        rf"\b(?:mark|set|move|change|update|flag|record|log)\b[^.!?\n]{{0,50}}"
        rf"\b(?:as|to|into|at)\s+(?:the\s+)?[\"'“]?(?:{targets})\b"
        rf"|\b(?:stage|status)\s*(?:=|:|->|should be|is now)\s*[\"'“]?(?:{targets})\b"
        rf"|\bhuddle\s*[,:]", re.IGNORECASE)


def _held_out(tid: str, said: list[str], removed: list[dict[str, str]], *,
              command: re.Pattern[str], ours: list[Claim] | None,
              settled: frozenset[str] = frozenset()) -> list[str]:
    """The sentences of a turn that stay: not a status command, not an unconfirmed claim
    (when ``ours`` is given: the speaker is not on the team), and not a fragment of the
    same turn that names the party a held claim is about (a pasted scorecard's "1.
    DispatchHub" beside its "DispatchHub preferred": the claim's subject goes with it)."""
    kept: list[str] = []
    subjects: set[str] = set()
    previous = ""
    for s in said:
        claim = claims(s, previous=previous)[:1] if ours is not None else []
        previous = s
        if command.search(s):
            removed.append({"turn": tid, "text": s, "category": "status",
                            "reason": "tries to set the deal's status"})
        elif claim and claim[0].kind not in settled and not confirmed(claim[0], ours or []):
            removed.append({"turn": tid, "text": s, "category": "unconfirmed",
                            "reason": reason_for(claim[0].kind)})
            subjects |= set(_PARTY.findall(s))
        else:
            kept.append(s)
    if not subjects:
        return kept
    named = [s for s in kept if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", s)
                                    for n in subjects)]
    removed += [{"turn": tid, "text": s, "category": "unconfirmed",
                 "reason": "names the party of an unconfirmed claim"} for s in named]
    return [s for s in kept if s not in named]


# a party named like a product ("DispatchHub", "FleetPilot"): a claim's subject
_PARTY = re.compile(r"\b[A-Z][a-z]+[A-Z]\w+\b")


def clean_turns(
    turns: list[dict[str, Any]], stage_names: Iterable[str], allow: Allowlist | None = None,
    *, team: Iterable[str] = (), ours: list[Claim] | None = None, outcome: str | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """Numbered turns without quarantined sentences, and what was quarantined.

    A transcript pasted after the call is defended like a note: each turn goes through
    ``quarantine`` (with the account's ``allow``list), and a turn whose speaker label is a
    role marker ("Assistant:", "System:") is quarantined whole. With ``ours`` (the claims
    our own notes make, ``note_scan.confirmations``), a deal-changing claim in a turn not
    spoken by someone on the ``team`` is held back unless a note of ours, or what one of our
    sellers said on the call, confirms it (category ``unconfirmed``,
    ``assistant.provenance``). A deal our rep recorded as won or lost
    (``outcome``) is settled: the customer's "we signed the renewal on the second" is the
    outcome told, not a claim on our deal, so a changed deal status stays in.
    """
    command = status_command(stage_names)
    sellers = {n.casefold() for n in team}
    settled = frozenset({"status"}) if outcome in ("won", "lost") else frozenset()
    if ours is not None:  # what our sellers said on the call confirms as well as our notes
        ours = [*ours, *our_claims(str(t.get("text") or "") for t in turns
                                   if str(t.get("speaker") or "").casefold() in sellers)]
    out: list[dict[str, Any]] = []
    removed: list[dict[str, str]] = []
    labelled, carry = any(t.get("speaker") for t in turns), False
    # an English call: a turn wholly in another language is foreign to it, not its own host
    said = [str(t.get("text") or "") for t in turns]
    in_english = 2 * sum(foreign(s) is not None for s in said if s.strip()) < len(said)
    for i, t in enumerate(turns, start=1):
        tid = f"t{i}"
        raw = str(t.get("text") or "")
        speaker = str(t.get("speaker") or "")
        if speaker and scan(f"{speaker}: x") or carry and labelled and not speaker:
            removed.append({"turn": tid, "text": raw, "category": "role" if speaker else
                            "address", "reason": "speaks as an assistant or system" if speaker
                            else "continues text addressed to an AI"})
            continue
        text, bad = quarantine(raw, tid, allow, in_english=in_english)
        carry = bool(bad) and runs_to_the_end(raw, tid, allow)
        removed += [{"turn": tid, "text": q.text, "category": q.category, "reason": q.reason}
                    for q in bad]
        kept = _held_out(tid, sentences(text), removed, command=command,
                         ours=ours if ours is not None and speaker.casefold() not in sellers
                         else None, settled=settled)
        clean = " ".join(" ".join(kept).split())
        if clean:
            out.append({"id": tid, "speaker": t.get("speaker"), "text": clean})
    return out, removed


# ---- hints ----------------------------------------------------------------------------


def mentions(name: str, text: str) -> bool:
    """``name`` said in ``text`` as a word of its own (any case)."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE) is not None


# A measurable quantity, what a metric needs: a digit, a percentage, a number word or "an
# hour a day" ("this is about your day" names no quantity)
QUANTITY = re.compile(r"\d|%|\bpercent\b|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                      r"eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|"
                      r"ninety|hundred|thousand|million|dozen|half|double|triple|twice|"
                      r"an? (?:hour|minute|day|week|month|quarter|year))\b", re.IGNORECASE)
# the speaker's own money, not a rival's price: "our budget", "I can sign", "approved"
_OWN_MONEY = re.compile(r"\b(?:our|my) (?:budget|cap|ceiling|limit)\b|\bapproved\b|"
                        r"\b(?:we|i) (?:have|can spend|can sign|could sign)\b", re.IGNORECASE)
_YOU_OR_US = re.compile(r"\b(?:you|your|you'?re|we|we'?re|our|us)\b", re.IGNORECASE)


def rival_of(sentence: str, before: str, rivals: Iterable[str]) -> str | None:
    """The competitor an amount in the sentence belongs to: named in the sentence ("Samsara
    quoted $38 a truck"), or in the sentence just before it in the same turn when this one
    speaks of nobody else ("DentaFlow called me again. $49 a seat, no setup fee."). A rival's
    price is competitor context, not the customer's budget."""
    if not MONEY.search(sentence) or _OWN_MONEY.search(sentence):
        return None
    return rival_named(sentence, before, rivals)


def rival_named(sentence: str, before: str, rivals: Iterable[str], *,
                of_us: re.Pattern[str] = _YOU_OR_US) -> str | None:
    """The competitor the sentence names, or the one the sentence just before it names when
    this one does not speak of us (``of_us``)."""
    rivals = tuple(rivals)
    for c in rivals:
        if c and mentions(c, sentence):
            return c
    if before and not of_us.search(sentence):
        return next((c for c in rivals if c and mentions(c, before)), None)
    return None


def find_hints(turns: list[dict[str, Any]], *, competitors: list[str],
               people: list[str]) -> dict[str, list[dict[str, str]]]:
    """``{"money"|"dates"|"competitors"|"people": [{"turn", "value", "sentence"}]}``."""
    out: dict[str, list[dict[str, str]]] = {"money": [], "dates": [], "competitors": [],
                                            "people": []}
    for t in turns:
        for s in sentences(t["text"]):
            for m in MONEY.finditer(s):
                out["money"].append({"turn": t["id"], "value": m.group(0).strip(),
                                     "sentence": s})
            for m in DATE.finditer(s):
                out["dates"].append({"turn": t["id"], "value": m.group(0).strip(),
                                     "sentence": s})
            for c in competitors:
                if mentions(c, s):
                    out["competitors"].append({"turn": t["id"], "value": c, "sentence": s})
            for p in people:
                if mentions(p, s):
                    out["people"].append({"turn": t["id"], "value": p, "sentence": s})
    return out


def hint_line(hints: dict[str, list[dict[str, str]]]) -> str:
    """A one-line checklist for the prompt (values only, deduplicated, bounded)."""
    parts = []
    for key, label in (("money", "amounts"), ("dates", "dates"),
                       ("competitors", "competitors"), ("people", "people named")):
        values = list(dict.fromkeys(h["value"] for h in hints.get(key, [])))[:5]
        if values:
            parts.append(f"{label}: {', '.join(values)}")
    return "; ".join(parts)


# ---- the excerpt sent to the model ----------------------------------------------------


def excerpt(turns: list[dict[str, Any]], hints: dict[str, list[dict[str, str]]],
            *, sellers: Iterable[str], max_chars: int) -> tuple[str, list[str]]:
    """``[t3] Dana Ruiz: ...`` lines within ``max_chars``; returns the text and turn ids."""

    def line(t: dict[str, Any], text: str) -> str:
        who = f" {t['speaker']}:" if t.get("speaker") else ""
        return f"[{t['id']}]{who} {text}"

    full = [line(t, t["text"]) for t in turns]
    if sum(len(x) + 1 for x in full) <= max_chars:
        return "\n".join(full), [t["id"] for t in turns]
    ours = {s.casefold() for s in sellers}
    hinted: dict[str, int] = {}
    for rows in hints.values():
        for h in rows:
            hinted[h["turn"]] = hinted.get(h["turn"], 0) + 1
    scored = []
    for i, t in enumerate(turns):
        words = len(t["text"].split())
        score = 3 * hinted.get(t["id"], 0) + min(words / 20, 2.0)
        if t.get("speaker") and str(t["speaker"]).casefold() not in ours:
            score += 1
        if NEXT_WORDS.search(t["text"]) or DECISION_WORDS.search(t["text"]):
            score += 2
        if words < 4:
            score -= 2
        scored.append((score, i))
    chosen: dict[int, str] = {}
    used = 0
    for _, i in sorted(scored, key=lambda x: (-x[0], x[1])):
        t = turns[i]
        text = t["text"]
        if len(text) > 360:  # a monologue: keep its informative sentences
            keep = [s for s in sentences(text)
                    if MONEY.search(s) or DATE.search(s) or DECISION_WORDS.search(s)
                    or PAIN_WORDS.search(s) or NEXT_WORDS.search(s)]
            text = " … ".join(keep[:3]) or text[:300]
            text = text[:360]
        cost = len(line(t, text)) + 1
        if used + cost > max_chars:
            continue
        chosen[i] = text
        used += cost
    ordered = sorted(chosen)
    return "\n".join(line(turns[i], chosen[i]) for i in ordered), [turns[i]["id"]
                                                                     for i in ordered]


# ---- facts code can read off the text -------------------------------------------------


def short(text: str, limit: int = 100) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def code_facts(turns: list[dict[str, Any]], hints: dict[str, list[dict[str, str]]],
               *, sellers: Iterable[str]) -> list[dict[str, Any]]:
    """Candidate facts, each ``{"field", "value", "quote", "turn"}`` (status: inferred).

    A date or an amount in our seller's own promise, proposal or ask ("We'd like to start
    the pilot on February 1", "I'll send the MSA by Friday", "Then I'd like your go for the
    pilot on February 1" even when they answer "Go ahead") is a next step of ours or the ask,
    not the customer's timeline or budget (``fields.own_promise``, ``OUR_PROMISE``)."""
    from assistant.reflect.fields import OUR_PROMISE, instruction_clause, own_promise

    ours = {s.casefold() for s in sellers}
    out: list[dict[str, Any]] = []
    used: set[str] = set()
    index = {t["id"]: k for k, t in enumerate(turns)}

    def add(field: str, value: str, sentence: str, turn: str, cap: int) -> None:
        if is_header(sentence):
            return  # "[Zoom transcript - 18 Nov 2026 - 44 min]": the recording, not the deal
        k = index.get(turn)
        if k is not None and (own_promise(sentence, turns, k, ours) or is_ours(
                turns[k].get("speaker"), ours) and OUR_PROMISE.search(sentence)):
            return  # our promise, proposal or ask: a next step, not what they told us
        if field != "timeline" and k is not None and not is_ours(
                turns[k].get("speaker"), ours) and instruction_clause(sentence) == "":
            return  # "Bianca, put it on the board": a request, not a fact of theirs
        if sum(1 for f in out if f["field"] == field) >= cap:
            return
        if any(f["field"] == field and f["value"].casefold() == value.casefold() for f in out):
            return
        out.append({"field": field, "value": short(value), "quote": sentence, "turn": turn})
        used.add(sentence)

    rivals = list(dict.fromkeys(h["value"] for h in hints["competitors"]))
    before = {(t["id"], s): p for t in turns
              for p, s in zip(["", *sentences(t["text"])], sentences(t["text"]), strict=False)}
    for h in hints["money"]:
        if BUDGET_WORDS.search(h["sentence"]) and not rival_of(
                h["sentence"], before.get((h["turn"], h["sentence"]), ""), rivals):
            add("budget", h["value"], h["sentence"], h["turn"], 2)
    for h in hints["competitors"]:
        add("competitors", h["value"], h["sentence"], h["turn"], 3)
    for h in hints["dates"]:
        s = h["sentence"]
        if (TIMELINE_WORDS.search(s) and not NEXT_WORDS.search(s) and not s.endswith("?")
                and not re.fullmatch(_WEEKDAYS, h["value"], re.IGNORECASE)):
            add("timeline", h["value"], s, h["turn"], 2)
    for t in turns:
        if str(t.get("speaker") or "").casefold() in ours:
            continue  # what the customer said, not what we asked
        for s in sentences(t["text"]):
            if s in used or len(s.split()) < 5 or s.endswith("?"):
                continue
            if DECISION_WORDS.search(s):
                add("decision_process", s, s, t["id"], 1)
            elif PAIN_WORDS.search(s):
                add("pains", s, s, t["id"], 2)
    return out


_TITLE = (r"(?:C[EFOIT]O|CRO|CISO|CHRO|VP(?: of)? [A-Z][a-z]+(?: [A-Z][a-z]+)?|"
          r"Head of [A-Z][a-z]+(?: [A-Z][a-z]+)?|Director of [A-Z][a-z]+|[A-Z][a-z]+ Director|"
          r"[A-Z][a-z]+ Manager|Controller|Procurement Lead|President|Owner|Founder)")
_NAME = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)? [A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_NAMED_TITLE = re.compile(
    rf"\b(?:[Oo]ur |[Tt]heir |[Tt]he |[Nn]ew )?(?P<t1>{_TITLE}),? (?P<n1>{_NAME})\b"
    rf"|\b(?P<n2>{_NAME}),? (?:[Oo]ur |[Tt]heir |[Tt]he |[Nn]ew )?(?P<t2>{_TITLE})\b"
    rf"|\b(?P<n3>{_NAME}) \((?P<t3>{_TITLE})\)")


def named_people(text: str) -> list[tuple[str, str]]:
    """``(name, title)`` written together: "our COO, Maria Chen", "Maria Chen (COO)"."""
    out = []
    for m in _NAMED_TITLE.finditer(text):
        name = m.group("n1") or m.group("n2") or m.group("n3")
        title = m.group("t1") or m.group("t2") or m.group("t3")
        out.append((name, title))
    return out


def code_stakeholders(turns: list[dict[str, Any]], *, sellers: Iterable[str],
                      known: dict[str, str], titles: dict[str, str]) -> list[dict[str, Any]]:
    """Customer-side speakers and known buyers named in the text, with a quote each.

    ``known`` maps a customer person's name to the title the KB or the plan gives them;
    ``titles`` holds titles written in the transcript's own labels (``Dana Ruiz (CFO):``).
    A speaker's ``stance`` is read from what they said across the call, and their quote is
    the line that shows it (``assistant.reflect.stances``); someone only named has none.
    """
    from assistant.reflect.stances import stance_of

    ours = {s.casefold() for s in sellers}
    ours |= {s.split()[0].casefold() for s in sellers if s.split()}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()

    def title_for(name: str) -> str | None:
        if name in titles:
            return titles[name]
        for full, title in known.items():
            if full.casefold() == name.casefold() or full.split()[0].casefold() == \
                    name.casefold():
                return title or None
        return None

    for t in turns:
        sp = t.get("speaker")
        if not sp or sp.casefold() in ours or sp.casefold() in seen:
            continue
        first = next((s for s in sentences(t["text"]) if len(s.split()) >= 4), None)
        if first is None:
            continue
        seen.add(sp.casefold())
        shown = stance_of(sp, turns)  # what they said across the call, with the line
        out.append({"name": sp, "title": title_for(sp), "quote": shown.quote or first,
                    "turn": shown.turn or t["id"], "stance": shown.stance})
    for t in turns:  # people introduced with their title: "our COO, Maria Chen"
        for s in sentences(t["text"]):
            for name, title in named_people(s):
                if name.casefold() in seen or name.casefold() in ours:
                    continue
                seen.add(name.casefold())
                out.append({"name": name, "title": title, "quote": s, "turn": t["id"]})
    for name, title in known.items():
        if name.casefold() in seen or name.split()[0].casefold() in seen:
            continue
        for t in turns:
            hit = next((s for s in sentences(t["text"]) if mentions(name, s)), None)
            if hit:
                seen.add(name.casefold())
                out.append({"name": name, "title": title or None, "quote": hit,
                            "turn": t["id"]})
                break
    return out[:4]


def resolve_date(text: str, meeting: dt.date) -> dt.date | None:
    """A date for ``text`` ("2026-11-24", "Nov 24", "Friday", "next week") after ``meeting``."""
    t = text.strip().casefold()
    m = re.search(r"\d{4}-\d{2}-\d{2}", t)
    if m:
        try:
            return dt.date.fromisoformat(m.group(0))
        except ValueError:
            return None
    months = ["january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december"]
    m = re.search(rf"({_MONTHS})\.?\s+(\d{{1,2}})|(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?"
                  rf"({_MONTHS})", t)
    if m:
        name = m.group(1) or m.group(4)
        day = int(m.group(2) or m.group(3))
        month = next(i for i, full in enumerate(months, 1) if full.startswith(name[:3]))
        for year in (meeting.year, meeting.year + 1):
            try:
                d = dt.date(year, month, day)
            except ValueError:
                return None
            if d >= meeting:
                return d
        return None
    days = _WEEKDAYS.split("|")
    m = re.search(rf"({_WEEKDAYS})", t)
    if m:
        # "Friday" and "next Friday" both mean the coming one, as most people use them
        ahead = (days.index(m.group(1)) - meeting.weekday()) % 7 or 7
        return meeting + dt.timedelta(days=ahead)
    if "next week" in t:
        return meeting + dt.timedelta(days=7 - meeting.weekday())
    m = re.search(r"(?:in|within)\s+(\d+)\s+(days|weeks)", t)
    if m:
        n = int(m.group(1))
        return meeting + dt.timedelta(days=n * (7 if m.group(2) == "weeks" else 1))
    return None


_COMMIT = re.compile(r"^(?:yes,?\s+|ok,?\s+|sure,?\s+|(?:before|by|until|after) (?:then|that),?\s+|"
                     r"meanwhile,?\s+)?(?:i'll|i will|i can|we'll|we will|"
                     r"we can|let me)\s+", re.IGNORECASE)


# "I'll be comparing", "I'll say that", "I'll be straight with you": the future tense of
# talk, not a step anyone takes after the call
_TALK = re.compile(
    r"\b(?:i'?ll|i will|we'?ll|we will)\s+(?:be\s+(?:"
    r"(?!send|schedul|book|shar|circulat|arrang|setting|sign)\w+ing|"
    r"honest|straight|frank|clear|blunt|brief|quick|fair)\b|"
    r"say\b|admit\b|tell you\b|give you that\b|grant you\b|"
    r"see\b(?!\s+(?:you|him|her|them)\b)|know\b)", re.IGNORECASE)
# the word of a step used as a noun: "the item schedule", "Greta's schedule", "every outbound
# data share", "the follow-up review" say what is, not what anyone will do
_NOUN_STEP = re.compile(
    r"\b(?:the|a|an|my|our|your|their|his|her|its|every|each|this|that|[a-z]+'s)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:schedul\w*|share|shares|follow[- ]up|booking|set[- ]up)\b",
    re.IGNORECASE)
# a refusal, not a commitment: "I won't book a date today", "I'm not sending guest data"
_REFUSED = re.compile(r"n't\b|\b(?:not|never|cannot|nobody|no one|nothing)\b", re.IGNORECASE)
# a call asked for: "Call me April 12", "Then call us in autumn" ("I'll call you" has its "I'll";
# "The doctors call us all day" is a habit, not a step)
_CALL_BACK = re.compile(r"^\W*(?:(?:so|then|just|please),?\s+)?call (?:me|us)\b", re.IGNORECASE)
# what we came to the call for: "Our goal today is ...", "We'd like to close the points today"
_THIS_CALL = re.compile(
    r"\b(?:(?:our|the) goal|what we (?:hoped|wanted|want)|(?:we|i)'?d (?:like|love|hoped?)|"
    r"we (?:want|hope|plan) to)\b.*\btoday\b|\btoday,?\s+(?:we|i)'?d (?:like|love)\b",
    re.IGNORECASE)


def _step_clause(sentence: str) -> str | None:
    """The clause of ``sentence`` that commits someone to a step, or None: its step word is
    a verb, not talk ("I'll be honest", "we'll see") nor a noun ("the item schedule"), and
    the clause does not refuse it ("I won't book a date today")."""
    said = _NOUN_STEP.sub(" ", _TALK.sub(" ", sentence))
    for clause in re.split(r"[;:,]\s+|\s+(?:but|and|so)\s+", said):
        m = NEXT_WORDS.search(clause) or _CALL_BACK.search(clause)
        if m:  # refused when a negation comes before the step or right after its verb
            return None if _REFUSED.search(clause[:m.end() + 12]) else clause
    return None


# the customer asking us for something: "Send me the pilot agreement by Friday", "Please email
# us the security answers" (the owner is our seller they are talking to)
_ASKED_OF_US = re.compile(r"^\W*(?:(?:so|then|just|and|also|ok|okay|look),?\s+)*(?:please\s+)?"
                          r"(?:send|email|e-mail|forward|mail|share|bring|get)\s+"
                          r"(?:me|us|the|over|it|that|this|those|your|a|an)\b",
                          re.IGNORECASE)


def code_next_steps(turns: list[dict[str, Any]], *, people: list[str],
                    meeting: dt.date, sellers: list[str] | None = None) -> list[dict[str, Any]]:
    """Commitments ("I'll send the outline by Friday", "Call me April 12") with an owner and
    a date when said. Not a step: a step word used as a noun ("the item schedule"), a refusal
    ("I won't book a date today"), talk ("we'll see"), the recording's header, and the ask we
    came to the call with ("Our goal today is ..."), which the objective judges. A customer's
    "Send me …" is ours to do: its owner is the seller (of ``sellers``) who spoke last before
    it, else the first of them."""
    ours = {x.casefold() for x in sellers or []}
    out: list[dict[str, Any]] = []
    last_ours: str | None = None
    for t in turns:
        speaker = str(t.get("speaker") or "")
        if speaker.casefold() in ours:
            last_ours = speaker
        for s in sentences(t["text"]):
            if _step_clause(s) is None or len(s.split()) < 4 or s.endswith("?") \
                    or is_header(s):
                continue  # no step, a question, or "[Zoom transcript - ... follow-up ...]"
            if speaker and _THIS_CALL.search(s):
                continue  # the ask of this call ("Our goal today is ..."): judged, not a step
            owner = None
            asked = bool(ours and speaker and speaker.casefold() not in ours
                         and _ASKED_OF_US.search(s))
            if asked:  # "Send the pricing and we'll take it from there": ours to send
                owner = last_ours or (sellers[0] if sellers else None)
                if any(str(st["owner"] or "").casefold() in ours
                       and len(set(content_words(st["quote"]))
                                                    & set(content_words(s))) >= 2
                       for st in out):
                    continue  # the customer asks for what we already said we'd do
            # "I'll send …", "We'll send …": who said it owns it, for their side
            elif re.search(r"\b(i'll|i will|i can|we'll|we will)\b", s, re.IGNORECASE) and \
                    t.get("speaker"):
                owner = t["speaker"]
            else:
                owner = next((p for p in people if re.match(
                    rf"\s*{re.escape(p)}\b", s, re.IGNORECASE)), None)
            when = DATE.search(s)
            action = _COMMIT.sub("", _dated_clause(s, when)).strip()
            action = action[:1].upper() + action[1:]
            out.append({"action": short(action), "owner": owner,
                        "due": resolve_date(when.group(0), meeting) if when else None,
                        "quote": s, "turn": t["id"]})
    return _first_steps(out)


def _first_steps(steps: list[dict[str, Any]], limit: int = 3) -> list[dict[str, Any]]:
    """``limit`` steps in call order, those with both an owner and a date chosen first ("I'll
    send the findings by February 16": the step a rep follows up on), then the first ones;
    and the first dated one after them when none of those has a resolved date."""
    firm = [k for k, s in enumerate(steps) if s["owner"] and s["due"] is not None][:limit]
    rest = [k for k in range(len(steps)) if k not in firm][:limit - len(firm)]
    keep = set(firm) | set(rest)
    first = [s for k, s in enumerate(steps) if k in keep]
    if any(s["due"] is not None for s in first):
        return first
    dated = next((s for k, s in enumerate(steps) if k not in keep and s["due"] is not None),
                 None)
    return [*first, dated] if dated else first


def _dated_clause(sentence: str, when: re.Match[str] | None) -> str:
    """A step too long to show whole keeps the clause that holds its date ("…; I'll have the
    written answer to you by February 12." -> that clause), so the cut never drops it."""
    if when is None or when.end() < 99 or len(sentence) <= 100:
        return sentence
    start = max(sentence.rfind(sep, 0, when.start()) for sep in ("; ", ": ", ", "))
    return sentence[start + 2:] if start >= 0 else sentence


def code_icp(turns: list[dict[str, Any]], attributes: list[dict[str, Any]]) -> list[
        dict[str, Any]]:
    """ICP values stated in the text: numbers next to the attribute's words, known values.

    ``attributes``: ``{"name", "kind", "words": [...], "values": [...]}`` where ``values``
    are the category values the KB already uses for that attribute.
    """
    out: list[dict[str, Any]] = []
    for attr in attributes:
        for t in turns:
            for s in sentences(t["text"]):
                raw = None
                if attr["kind"] == "number" and attr["words"]:
                    words = "|".join(re.escape(w) for w in attr["words"])
                    # a count, never an amount of money ("$6,900 a year" counts no cases)
                    m = re.search(rf"(?<![$€£\d,.])(\d[\d,]*(?:\.\d+)?)\s*(k)?\s+(?:\w+\s+){{0,2}}?"
                                  rf"(?:{words})\b"
                                  rf"|(?:{words})\s+(?:of|is|around|about)\s+(?:about\s+)?"
                                  rf"(?<![$€£])(\d[\d,]*(?:\.\d+)?)\s*(k)?", s, re.IGNORECASE)
                    if m:
                        digits = (m.group(1) or m.group(3)).replace(",", "")
                        number = float(digits) * (1000 if (m.group(2) or m.group(4)) else 1)
                        raw = str(int(number)) if number.is_integer() else str(number)
                elif attr["kind"] == "category":
                    for v in attr["values"]:
                        variants = {v, v.replace("-", " ")}
                        if any(mentions(x, s) for x in variants):
                            raw = v
                            break
                if raw is not None:
                    out.append({"attribute": attr["name"], "raw": raw, "quote": s,
                                "turn": t["id"]})
                    break
            if any(o["attribute"] == attr["name"] for o in out):
                break
    return out


def code_item_checks(turns: list[dict[str, Any]], questions: list[str],
                     roles: list[tuple[str, str]],
                     agenda: list[tuple[str, str | None]] = ()  # type: ignore[assignment]
                     ) -> dict[str, dict[str, Any]]:
    """``{"Q1": {"status": "done", "quote", "turn"}, "R2": ..., "A1": ...}`` where the text
    shows it.

    A question is done when a sentence shares half its content words or more (by stem:
    "signer" asks what "signs" asked); a role is done when the seller holding it (by speaker label)
    said something typical of the role, and the lead's role ("opens the meeting") when the
    lead is the first of our sellers to speak. An agenda item is done only where it is the
    same act as a role: the opening (the lead opened) and agreeing the next step (the closer
    asked for it). Nothing here says "not done": absence in a transcript is not evidence.
    """
    out: dict[str, dict[str, Any]] = {}
    for qi, q in enumerate(questions, start=1):
        want = stems(q)
        if len(want) < 3:
            continue
        for t in turns:
            hit = next((s for s in sentences(t["text"])
                        if len(want & stems(s)) >= max(2, 0.5 * len(want))), None)
            if hit:
                out[f"Q{qi}"] = {"status": "done", "quote": hit, "turn": t["id"]}
                break
    sellers = {seller.casefold() for seller, _ in roles}
    first_ours = next((t for t in turns if is_ours(t.get("speaker"), sellers)), None)
    by_role: dict[str, str] = {}
    for ri, (seller, role) in enumerate(roles, start=1):
        by_role.setdefault(role, f"R{ri}")
        keys = {seller.casefold(), seller.split()[0].casefold()}
        if role == "lead" and first_ours is not None and \
                str(first_ours.get("speaker") or "").casefold() in keys:
            opening = next(iter(sentences(first_ours["text"])), "")
            if len(opening.split()) >= 3:
                out[f"R{ri}"] = {"status": "done", "quote": opening, "turn": first_ours["id"]}
                continue
        pattern = ROLE_WORDS.get(role)
        check = (_line_like(turns, seller, pattern, asking=role == "closer")
                 if pattern is not None else None)
        if check is not None:
            out[f"R{ri}"] = check
    for ai, (topic, owner) in enumerate(agenda, start=1):
        done = None
        if _OPENING.match(topic):
            done = out.get(by_role.get("lead", ""))
        elif _ASK_ITEM.search(topic):  # a seller alone asks for the step as lead
            done = out.get(by_role.get("closer", "")) or (
                _line_like(turns, owner, ROLE_WORDS["closer"], asking=True) if owner else None)
        if done is not None:
            out[f"A{ai}"] = dict(done)
    return out


_PROPOSE = re.compile(r"\blet'?s (?:book|schedule|set|lock|pencil)\b", re.IGNORECASE)


def _line_like(turns: list[dict[str, Any]], seller: str, pattern: re.Pattern[str], *,
               asking: bool = False) -> dict[str, Any] | None:
    """The first sentence of ``seller`` (by full or first name) that ``pattern`` finds, as a
    done check, or None. ``asking``: only a question or a proposal counts (the ask for the
    next step, not "Let's walk through … and agree next steps.")."""
    keys = {seller.casefold(), seller.split()[0].casefold()}
    for t in turns:
        if str(t.get("speaker") or "").casefold() not in keys:
            continue
        hit = next((s for s in sentences(t["text"]) if pattern.search(s)
                    and len(s.split()) >= 3
                    and (not asking or s.rstrip().endswith("?") or _PROPOSE.search(s))),
                   None)
        if hit:
            return {"status": "done", "quote": hit, "turn": t["id"]}
    return None


# agenda topics that are the same act as a role: the opening (the lead's) and the ask (the
# closer's); the templates in assistant.prep.assemble say "Open: …", "Agree the next step",
# "Ask for the signature date", "Agree sponsorship and the next step"
_OPENING = re.compile(r"open(?::|\s+and\b)", re.IGNORECASE)
_ASK_ITEM = re.compile(r"\b(?:next step|signature date)\b", re.IGNORECASE)


def stems(text: str) -> set[str]:
    """Four-letter stems: "signer" and "signs" are one word here."""
    return {w[:4] for w in content_words(text)}


def is_ours(speaker: str | None, sellers: set[str]) -> bool:
    """``speaker`` is one of our sellers (``sellers`` casefolded), by full or first name: a
    transcript labels "Devon" for Devon Mwangi."""
    if not speaker:
        return False
    s = speaker.casefold()
    return any(s == n or s.split()[0] == n.split()[0] for n in sellers)
